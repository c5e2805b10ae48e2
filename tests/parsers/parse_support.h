// Helpers for the parser tests: run one registered parser on a file the way the pipeline would, and
// read a row's fields by their declared names.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parsers/parser.h"

namespace custos::testing {

// The registered parser with this name; fails the test (nullptr) when it is not registered.
const Parser* ParserNamed(const std::string& name);

struct Parsed {
  bool wanted = false;  // what Wants() said for the file
  Status status;
  ParseOutput out;
  std::vector<KindDecl> kinds;

  std::vector<const ArtefactRow*> Rows(const std::string& kind) const;
  // The first row of `kind` whose field `field` equals `text`; nullptr if none.
  const ArtefactRow* Find(const std::string& kind, const std::string& field, const std::string& text) const;
  // A field's value by declared name: text (empty when NULL), integer/time (nullopt when NULL).
  std::string Text(const ArtefactRow& row, const std::string& field) const;
  std::optional<int64_t> Int(const ArtefactRow& row, const std::string& field) const;
  bool IsNull(const ArtefactRow& row, const std::string& field) const;
};

// Reads the file at `disk_path` and gives it to the parser as if it were found at `evidence_path`
// (a '/'-separated path inside a file system, e.g. "/Windows/System32/config/SAM"). Parse() runs
// whatever Wants() says, so a test can see both.
Parsed ParseFile(const std::string& parser, const std::string& disk_path, const std::string& evidence_path);
Parsed ParseBytes(const std::string& parser, const std::string& bytes, const std::string& evidence_path,
                  std::map<std::string, std::string> companions = {});

// Decompresses a corpus .xz file into dir and returns the path of the result.
std::string Unxz(const std::string& xz_path, const std::string& dir);

// "2011-04-01 12:34:56.789012" for a UtcMicros, to compare with tools that print fractions.
std::string UtcText(std::optional<int64_t> micros);

}  // namespace custos::testing
