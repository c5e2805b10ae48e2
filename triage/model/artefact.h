// Artefact kinds and rows: what parsers produce. Each parser declares its kinds once (name and typed
// fields); the case store makes one typed table per kind ("browser.visit" -> art_browser_visit) and
// one common `artefact` row per finding, which links all kinds for the timeline, tags and reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "triage/model/records.h"

namespace custos {

enum class FieldType { kText, kInteger, kReal, kTime /* UtcMicros */, kBlob };

struct FieldDecl {
  std::string name;  // column name: lowercase letters, digits and '_'
  FieldType type = FieldType::kText;
  std::string description;  // what it means for an investigator
};

struct KindDecl {
  std::string kind;  // "family.thing": lowercase letters, digits, '_' and '.' (the store enforces this)
  std::string description;
  std::vector<FieldDecl> fields;
};

// NULL, integer (also kTime), real, text, or bytes (kBlob).
using FieldValue = std::variant<std::monostate, int64_t, double, std::string, std::vector<uint8_t>>;

struct ArtefactRow {
  std::string kind;                // one of the parser's declared kinds
  std::optional<UtcMicros> time;   // the moment the finding is about (for the timeline)
  std::string time_zone_note;      // original zone/offset where the source recorded one, e.g. "UTC+01:00"
  std::string summary;             // one line for lists and reports
  std::string location;            // where inside the source file: "key ...\\Run", "record 42", "offset 0x1f0"
  std::vector<FieldValue> values;  // one per declared field, in declaration order
  // Filled by the pipeline, not the parser:
  int64_t filesystem_id = 0;
  std::string file_key;  // the source file
  std::string parser;    // parser name
  std::string parser_version;
};

}  // namespace custos
