// Pre-filled examination requests and their JSON and PDF forms (see exam_request_export.h).
#include "reports/exam_request_export.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "reports/evidence_text.h"
#include "reports/exports.h"
#include "reports/package.h"
#include "reports/pdf_report.h"
#include "triage/base/format.h"

namespace custos::reports {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxItemQuestions = 10;

const ExhibitRow* FindExhibit(const ReportModel& m, const std::string& ref) {
  for (const ExhibitRow& e : m.summary.exhibits) {
    if (e.record.reference == ref) return &e;
  }
  return nullptr;
}

std::string Acq(const ExhibitRecord& r, const char* key) {
  auto it = r.acquisition.find(key);
  return it == r.acquisition.end() ? "" : it->second;
}

Block Of(Block::Kind kind, std::string text = "") {
  Block b;
  b.kind = kind;
  b.text = std::move(text);
  return b;
}

}  // namespace

std::string SupplierFolder(const std::string& supplier) {
  std::string out;
  for (unsigned char c : supplier) {
    if (std::isalnum(c) || c == '-' || c == '_') {
      out.push_back(static_cast<char>(c));
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
    if (out.size() >= 60) break;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "supplier" : out;
}

std::string SuggestExamine(const ReportModel& m, const std::string& exhibit) {
  const ExhibitRow* e = FindExhibit(m, exhibit);
  std::string s = "Full forensic examination of exhibit " + exhibit;
  if (e != nullptr) {
    s += " (" + e->record.format + " image, " + FormatBytes(e->record.size_bytes);
    const std::string model = Acq(e->record, "model"), serial = Acq(e->record, "serial_number");
    if (!model.empty()) s += ", device " + model;
    if (!serial.empty()) s += ", serial " + serial;
    s += ")";
  }
  s += ", following the triage by Custos " + m.tool_version + " whose findings are summarised below.";
  return s;
}

std::vector<std::string> SuggestQuestions(const ReportModel& m, const std::string& exhibit) {
  std::vector<std::string> q;
  int64_t graded = 0;
  std::string counts;
  for (const GradeCount& g : m.grades) {
    if (g.grade != "A" && g.grade != "B" && g.grade != "C") continue;
    graded += g.allocated + g.deleted;
    counts += (counts.empty() ? "" : "; ") + GradeName(g.grade) + ": " + std::to_string(g.allocated) + " accessible, " +
              std::to_string(g.deleted) + " deleted";
  }
  if (graded > 0) {
    q.push_back("Confirm the grading of the indecent images found at triage (" + counts +
                ") and grade every other indecent image on the exhibit, saying for each whether it was accessible "
                "to the user or deleted.");
    q.push_back(
        "For the indecent images: how and when did they arrive on the device (download, camera, messaging, "
        "transfer from removable media), and is there evidence of distribution?");
  }
  int64_t known_bad = 0;
  for (const KnownBadCount& k : m.known_bad) known_bad += k.allocated + k.deleted;
  if (known_bad > 0) {
    q.push_back("Confirm the " + std::to_string(known_bad) +
                " files matching known-bad hash sets at triage and examine where each came from.");
  }
  size_t items = 0;
  for (const TaggedItem& t : m.tagged) {
    if (t.exhibit != exhibit || (t.label != "evidential" && t.label != "exculpatory")) continue;
    if (items++ >= kMaxItemQuestions) break;
    std::string item = t.kind + " \"" + Clip(t.description, 160) + "\"";
    if (!t.source_path.empty()) item += " in " + Clip(t.source_path, 200) + (t.deleted ? " (deleted)" : "");
    if (t.time) item += " at " + FormatUtc(t.time);
    q.push_back(std::string(t.label == "exculpatory" ? "Examine this item, which may assist the defence: "
                                                     : "Confirm and explain this item tagged as evidential: ") +
                item + (t.note.empty() ? "" : ". Officer's note: " + Clip(t.note, 300)) +
                ". Who created or used it, and when?");
  }
  q.push_back(
      "Who used the device at the relevant times? Identify the user accounts and any evidence of who was "
      "logged on.");
  for (const Limitation& l : m.limitations) {
    if (l.area.find("Encrypted") != std::string::npos) {
      q.push_back("Triage could not read an encrypted or unreadable volume (" + Clip(l.detail, 300) +
                  "). Attempt to access it and examine its content.");
    }
    if (l.area == "Not examined") q.push_back("Triage did not examine: " + Clip(l.detail, 300) + " Examine these.");
  }
  bool carved = false;
  for (const SearchScope& sc : m.searches) carved |= sc.carving == "yes";
  q.push_back(carved ? "Recover and examine deleted material and unallocated space: triage carved only the file "
                       "signatures it knows, and a carved object has no name, folder or times."
                     : "Recover and examine deleted material and unallocated space, which triage did not carve.");
  return q;
}

json ExamRequestJson(const ExamRequest& r, const std::vector<ExamEvent>& history, const ReportModel& m) {
  const ExhibitRow* e = FindExhibit(m, r.exhibit);
  json exhibit = {{"reference", ValidUtf8(r.exhibit)}, {"image_md5", r.image_md5}, {"image_sha1", r.image_sha1}};
  if (e != nullptr) {
    exhibit["format"] = e->record.format;
    exhibit["size_bytes"] = e->record.size_bytes;
    exhibit["verification"] = e->record.verification;
    for (const char* key : {"description", "model", "serial_number", "evidence_number"}) {
      const std::string v = Acq(e->record, key);
      if (!v.empty()) exhibit[key] = ValidUtf8(v);
    }
  }
  json grades = json::array();
  for (const GradeCount& g : m.grades) {
    grades.push_back({{"grade", g.grade}, {"accessible", g.allocated}, {"deleted", g.deleted}});
  }
  json headline = json::array();
  for (const HeadlineCount& h : m.headline) headline.push_back({{"label", h.label}, {"count", h.count}});
  json events = json::array();
  for (const ExamEvent& ev : history) {
    events.push_back({{"at", IsoTime(ev.at)},
                      {"by", ValidUtf8(ev.actor)},
                      {"from", ev.from_status},
                      {"to", ev.to_status},
                      {"note", ValidUtf8(ev.note)}});
  }
  json questions = json::array();
  for (const std::string& q : r.questions) questions.push_back(ValidUtf8(q));
  return {{"schema", "custos.exam_request/1"},
          {"request",
           {{"id", r.id},
            {"status", r.status},
            {"priority", r.priority},
            {"supplier", ValidUtf8(r.supplier)},
            {"requested_by", ValidUtf8(r.author)},
            {"created", IsoTime(r.created)},
            {"modified", IsoTime(r.modified)}}},
          {"case",
           {{"reference", ValidUtf8(m.summary.info.case_reference)},
            {"operation", ValidUtf8(m.summary.info.operation)},
            {"officer", ValidUtf8(m.summary.info.officer)}}},
          {"exhibit", exhibit},
          {"examine", ValidUtf8(r.examine)},
          {"questions", questions},
          {"deadline", r.deadline ? json{{"time", IsoTime(*r.deadline)}, {"kind", r.deadline_kind}} : json(nullptr)},
          {"legal_authority", ValidUtf8(r.legal_authority)},
          {"triage", {{"tool", "Custos " + m.tool_version}, {"picture_grades", grades}, {"headline", headline}}},
          {"history", events}};
}

ReportDocument ExamRequestDocument(const ExamRequest& r, const std::vector<ExamEvent>& history, const ReportModel& m) {
  ReportDocument d;
  d.title = "Examination request " + std::to_string(r.id) + " " + Clip(r.exhibit, 60);
  d.running_head = "Request for forensic examination " + std::to_string(r.id) + " | " +
                   Clip(m.summary.info.case_reference, 60) + " | exhibit " + Clip(r.exhibit, 60);
  d.blocks.push_back(Of(Block::Kind::kTitle, "Request for forensic examination"));
  Block facts = Of(Block::Kind::kFacts);
  facts.facts = {{"Request", std::to_string(r.id) + " (" + r.status + ")"},
                 {"Priority", r.priority},
                 {"Supplier", Clip(r.supplier, 200)},
                 {"Case reference", Clip(m.summary.info.case_reference, 200)},
                 {"Exhibit", Clip(r.exhibit, 200)},
                 {"Image MD5", r.image_md5.empty() ? "not computed" : r.image_md5},
                 {"Image SHA-1", r.image_sha1.empty() ? "not computed" : r.image_sha1},
                 {"Deadline", r.deadline ? FormatUtc(r.deadline) + " (" + r.deadline_kind + ")" : "none given"},
                 {"Legal authority", Clip(r.legal_authority.empty() ? "not given" : r.legal_authority, 400)},
                 {"Requested by", Clip(r.author, 200) + ", " + FormatUtc(r.created)}};
  d.blocks.push_back(std::move(facts));
  d.blocks.push_back(Of(Block::Kind::kHeading, "What to examine"));
  d.blocks.push_back(Of(Block::Kind::kParagraph, Clip(r.examine, 3000)));
  d.blocks.push_back(Of(Block::Kind::kHeading, "Questions to answer"));
  Block q = Of(Block::Kind::kTable);
  q.headers = {"#", "Question"};
  q.widths = {0.06, 0.94};
  int n = 0;
  for (const std::string& s : r.questions) q.rows.push_back({std::to_string(++n), Clip(s, 1500)});
  d.blocks.push_back(std::move(q));
  d.blocks.push_back(Of(Block::Kind::kHeading, "Triage findings"));
  Block g = Of(Block::Kind::kTable);
  g.headers = {"Pictures graded", "Accessible", "Deleted"};
  g.widths = {0.5, 0.25, 0.25};
  for (const GradeCount& c : m.grades)
    g.rows.push_back({GradeName(c.grade), std::to_string(c.allocated), std::to_string(c.deleted)});
  d.blocks.push_back(std::move(g));
  Block h = Of(Block::Kind::kTable);
  h.headers = {"Found at triage", "Count"};
  h.widths = {0.7, 0.3};
  for (const HeadlineCount& c : m.headline) {
    if (c.count > 0) h.rows.push_back({c.label, std::to_string(c.count)});
  }
  d.blocks.push_back(std::move(h));
  d.blocks.push_back(Of(Block::Kind::kHeading, "History"));
  Block ev = Of(Block::Kind::kTable);
  ev.headers = {"When", "By", "Change", "Note"};
  ev.widths = {0.24, 0.2, 0.26, 0.3};
  for (const ExamEvent& e : history) {
    ev.rows.push_back({FormatUtc(e.at), Clip(e.actor, 100),
                       (e.from_status.empty() ? std::string("created") : e.from_status) + " -> " + e.to_status,
                       Clip(e.note, 500)});
  }
  d.blocks.push_back(std::move(ev));
  return d;
}

ExamRequest DraftExamRequest(const ReportModel& model, const ExamDraftInput& input) {
  ExamRequest r;
  r.exhibit = input.exhibit;
  r.supplier = input.supplier;
  r.priority = input.priority.empty() ? "normal" : input.priority;
  r.examine = input.examine.empty() ? SuggestExamine(model, input.exhibit) : input.examine;
  r.questions = input.questions;
  if (input.suggestions) {
    for (std::string& q : SuggestQuestions(model, input.exhibit)) r.questions.push_back(std::move(q));
  }
  r.legal_authority = input.authority;
  if (input.deadline) {
    r.deadline = input.deadline;
    r.deadline_kind = input.deadline_kind.empty() ? "other" : input.deadline_kind;
  } else if (model.summary.info.custody_limit) {
    r.deadline = model.summary.info.custody_limit;  // the custody clock, unless a court date is given
    r.deadline_kind = "custody";
  }
  return r;
}

Result<std::vector<ExamPackage>> ExportExamRequests(CaseStore& store, const ReportModel& model,
                                                    const ExamExportOptions& options) {
  namespace fs = std::filesystem;
  const fs::path out = fs::absolute(options.out).lexically_normal();
  CUSTOS_RETURN_IF_ERROR(CheckOutputFolder(out.string(), options.force));
  ExamRequestStore exams(store);
  auto all = exams.List();
  if (!all.ok()) return all.status();
  std::map<std::string, std::vector<ExamRequest>> by_supplier;
  for (const ExamRequest& r : *all) {
    const bool chosen = options.ids.empty()
                            ? r.status != "closed"
                            : std::find(options.ids.begin(), options.ids.end(), r.id) != options.ids.end();
    if (chosen) by_supplier[SupplierFolder(r.supplier)].push_back(r);
  }
  if (by_supplier.empty()) return Status::NotFound("no open examination request to export");
  const fs::path staging = out.parent_path() / ("." + out.filename().string() + ".partial-" + std::to_string(getpid()));
  std::error_code ec;
  fs::remove_all(staging, ec);
  std::vector<ExamPackage> packages;
  auto fail = [&](Status st) -> Result<std::vector<ExamPackage>> {
    fs::remove_all(staging, ec);
    return st;
  };
  for (const auto& [folder, requests] : by_supplier) {
    const fs::path dir = staging / folder;
    fs::create_directories(dir, ec);
    if (ec) return fail(Status::IOError("cannot create " + dir.string() + ": " + ec.message()));
    std::vector<std::string> files;
    ExamPackage package{folder, requests.front().supplier, "", {}};
    for (const ExamRequest& r : requests) {
      auto history = exams.Events(r.id);
      if (!history.ok()) return fail(history.status());
      const std::string base = "request-" + std::to_string(r.id);
      Status st =
          WriteFile((dir / (base + ".json")).string(),
                    ExamRequestJson(r, *history, model).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
      if (st.ok()) st = RenderPdf(ExamRequestDocument(r, *history, model), (dir / (base + ".pdf")).string());
      if (!st.ok()) return fail(st);
      files.push_back(base + ".json");
      files.push_back(base + ".pdf");
      package.request_ids.push_back(r.id);
    }
    const json about = {{"case_reference", model.summary.info.case_reference},
                        {"supplier", package.supplier},
                        {"created", IsoTime(NowUtcMicros())},
                        {"tool", "Custos " CUSTOS_VERSION},
                        {"content", "examination requests (custos.exam_request/1, see docs/exam-request.schema.json)"}};
    auto sealed = SealPackage(dir.string(), files, options.max_part_size, about);
    if (!sealed.ok()) return fail(sealed.status());
    package.manifest_sha256 = sealed->manifest_sha256;
    packages.push_back(std::move(package));
  }
  if (fs::exists(out)) fs::remove_all(out, ec);
  fs::rename(staging, out, ec);
  if (ec) return fail(Status::IOError("cannot move the export to " + out.string() + ": " + ec.message()));
  for (const ExamPackage& p : packages) {
    for (int64_t id : p.request_ids) CUSTOS_RETURN_IF_ERROR(exams.RecordExport(id, p.manifest_sha256, options.actor));
  }
  return packages;
}

}  // namespace custos::reports
