// Examination requests for a forensic supplier, from the case: the questions pre-filled from the triage
// findings and the officer's tags, and the request package written per supplier (one JSON per request,
// following docs/exam-request.schema.json, and a PDF of the same, split under the size limit like the
// report).
// Thread-safety: as CaseStore (one thread).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "reports/report_document.h"
#include "reports/report_model.h"
#include "triage/store/exam_requests.h"

namespace custos::reports {

// What to examine, and the questions the supplier should answer, drawn from what triage found on the
// exhibit (graded pictures, known-bad matches, evidential tags, accounts and devices, limits such as
// encryption) so the officer does not type them again.
std::string SuggestExamine(const ReportModel& model, const std::string& exhibit);
std::vector<std::string> SuggestQuestions(const ReportModel& model, const std::string& exhibit);

// What the officer types for a new request; the rest is drawn from the case.
struct ExamDraftInput {
  std::string exhibit, supplier, priority, examine, authority;
  std::vector<std::string> questions;  // the officer's own, first
  bool suggestions = true;             // add SuggestQuestions after them
  std::optional<UtcMicros> deadline;   // none: the custody limit recorded at triage, if any
  std::string deadline_kind;           // with deadline: custody, court or other (default other)
};

// A draft request as `custos exam request` and the viewer's Exams panel make it: priority normal unless
// given, what to examine from SuggestExamine unless given, the officer's questions followed by the
// suggested ones, and the deadline given or else the case's custody limit. Not stored (ExamRequestStore::
// Create does that, and copies the image hashes in).
ExamRequest DraftExamRequest(const ReportModel& model, const ExamDraftInput& input);

// One supplier's package written by ExportExamRequests.
struct ExamPackage {
  std::string folder, supplier, manifest_sha256;
  std::vector<int64_t> request_ids;
};
struct ExamExportOptions {
  std::string out;           // the folder to create (it holds one folder per supplier)
  std::vector<int64_t> ids;  // only these requests; empty: every request not closed
  int64_t max_part_size = 10'000'000;
  bool force = false;  // see CheckOutputFolder
  std::string actor;   // recorded with each export in the audit trail
};
// Writes a package per supplier (request-N.json, request-N.pdf, manifest.json, split under the size
// limit) into a hidden folder beside `out`, moves it into place, then records each request's export
// (exam.export, with its package's manifest SHA-256). NotFound when no request is chosen. The store must
// be open read-write.
Result<std::vector<ExamPackage>> ExportExamRequests(CaseStore& store, const ReportModel& model,
                                                    const ExamExportOptions& options);

// The request as JSON (schema "custos.exam_request/1") and as a document for the PDF.
nlohmann::json ExamRequestJson(const ExamRequest& request, const std::vector<ExamEvent>& history,
                               const ReportModel& model);
ReportDocument ExamRequestDocument(const ExamRequest& request, const std::vector<ExamEvent>& history,
                                   const ReportModel& model);

// A folder name from a supplier's name: letters, digits, '-' and '_' only, never empty, never "..".
std::string SupplierFolder(const std::string& supplier);

}  // namespace custos::reports
