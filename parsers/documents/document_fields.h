// The one artefact kind every document parser (Office Open XML, OLE Office, PDF) produces:
// document.metadata, its fields declared once here, and the row built from what a parser read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parsers/common/field_values.h"
#include "triage/model/artefact.h"

namespace custos {

struct DocumentMetadata {
  std::string format;  // "Office Open XML (docx)", "OLE compound document (doc)", "PDF 1.4"
  std::optional<std::string> title, subject, keywords, author, last_modified_by, application, company, template_name,
      revision, producer;
  std::optional<UtcMicros> created, modified, last_printed;
  std::optional<int64_t> pages, words, edit_minutes;
  std::string time_zone_note;  // how the source's times were zoned
};

inline KindDecl DocumentKind() {
  return {
      "document.metadata",
      "a document's own metadata: who wrote and last saved it, when, with which program and company",
      {
          {"format", FieldType::kText, "the document's format (Office Open XML, OLE compound file, PDF and version)"},
          {"title", FieldType::kText, "the title the author set"},
          {"subject", FieldType::kText, "the subject the author set"},
          {"keywords", FieldType::kText, "keywords the author set"},
          {"author", FieldType::kText, "who created the document (the Office user name or PDF Author)"},
          {"last_modified_by", FieldType::kText, "the Office user name of who last saved it"},
          {"created", FieldType::kTime,
           "when the document was created, in UTC (Office Open XML and OLE store UTC; a PDF date without a "
           "zone is stored as if UTC, see the row's time zone note)"},
          {"modified", FieldType::kTime, "when it was last saved, in UTC (same zone rules as created)"},
          {"last_printed", FieldType::kTime, "when it was last printed, in UTC"},
          {"revision", FieldType::kText, "revision number: how many times it was saved (Office)"},
          {"application", FieldType::kText, "the program that wrote it (Office Application, PDF Creator)"},
          {"company", FieldType::kText, "the company the Office installation was registered to"},
          {"template", FieldType::kText, "the template it was made from (Office)"},
          {"pages", FieldType::kInteger, "number of pages (slides for a presentation) when the file records it"},
          {"words", FieldType::kInteger, "number of words when the file records it"},
          {"edit_minutes", FieldType::kInteger, "total editing time in minutes, as Office counts it"},
          {"producer", FieldType::kText, "the PDF Producer (the library that wrote the PDF)"},
      }};
}

inline ArtefactRow DocumentRow(const DocumentMetadata& m) {
  ArtefactRow row;
  row.kind = "document.metadata";
  row.time = m.modified ? m.modified : m.created;
  row.time_zone_note = m.time_zone_note;
  row.location = "document properties";
  row.summary = m.format;
  if (m.title) row.summary += ": \"" + *m.title + "\"";
  if (m.author) row.summary += " by " + *m.author;
  if (m.last_modified_by && m.last_modified_by != m.author) row.summary += ", last saved by " + *m.last_modified_by;
  auto& v = row.values;
  v.push_back(m.format);
  v.push_back(TextOrNull(m.title));
  v.push_back(TextOrNull(m.subject));
  v.push_back(TextOrNull(m.keywords));
  v.push_back(TextOrNull(m.author));
  v.push_back(TextOrNull(m.last_modified_by));
  v.push_back(IntOrNull(m.created));
  v.push_back(IntOrNull(m.modified));
  v.push_back(IntOrNull(m.last_printed));
  v.push_back(TextOrNull(m.revision));
  v.push_back(TextOrNull(m.application));
  v.push_back(TextOrNull(m.company));
  v.push_back(TextOrNull(m.template_name));
  v.push_back(IntOrNull(m.pages));
  v.push_back(IntOrNull(m.words));
  v.push_back(IntOrNull(m.edit_minutes));
  v.push_back(TextOrNull(m.producer));
  return row;
}

// True when nothing was read (no row is made then).
inline bool IsEmpty(const DocumentMetadata& m) {
  return !m.title && !m.subject && !m.keywords && !m.author && !m.last_modified_by && !m.application && !m.company &&
         !m.template_name && !m.revision && !m.created && !m.modified && !m.last_printed && !m.pages && !m.words &&
         !m.edit_minutes && !m.producer;
}

}  // namespace custos
