// `custos exam request|list|update|export`: requests for a full examination by a forensic supplier,
// pre-filled from the triage findings and the officer's tags, tracked through their lifecycle, and
// exported as a package per supplier (JSON + PDF, split under the size limit like the report).

#include <filesystem>
#include <nlohmann/json.hpp>

#include "reports/exam_request_export.h"
#include "reports/package.h"
#include "reports/report_model.h"
#include "triage/base/format.h"
#include "triage/cli/commands.h"
#include "triage/store/exam_requests.h"

namespace custos::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct ExamArgs {
  std::string path, exhibit, supplier, priority, examine, deadline, deadline_kind, authority, by, status, note, out;
  std::string max_part = "10MB";
  std::vector<std::string> questions;
  std::vector<int64_t> ids;
  int64_t id = 0;
  bool no_suggestions = false, json = false, force = false;
};

int Fail(const char* what, const Status& st) {
  std::fprintf(stderr, "custos exam %s: %s\n", what, st.message().c_str());
  return ExitFor(st);
}

json ToJson(const ExamRequest& r, UtcMicros now) {
  return {{"id", r.id},
          {"exhibit", r.exhibit},
          {"supplier", r.supplier},
          {"priority", r.priority},
          {"status", r.status},
          {"examine", r.examine},
          {"questions", r.questions},
          {"deadline_us", r.deadline ? json(*r.deadline) : json(nullptr)},
          {"deadline_kind", r.deadline_kind},
          {"overdue", ExamRequestStore::Overdue(r, now)},
          {"image_md5", r.image_md5},
          {"image_sha1", r.image_sha1},
          {"legal_authority", r.legal_authority},
          {"author", r.author},
          {"created_us", r.created},
          {"modified_us", r.modified}};
}

void Print(const ExamRequest& r, UtcMicros now, bool as_json) {
  if (as_json) {
    std::printf("%s\n", ToJson(r, now).dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    return;
  }
  std::printf("%-4lld %-8s %-24.24s %-7s %-16s %s%s\n", static_cast<long long>(r.id), r.exhibit.c_str(),
              r.supplier.c_str(), r.priority.c_str(), r.status.c_str(),
              r.deadline ? (FormatUtc(r.deadline) + " (" + r.deadline_kind + ")").c_str() : "no deadline",
              ExamRequestStore::Overdue(r, now) ? "  OVERDUE" : "");
}

Status ApplyDeadline(const ExamArgs& a, ExamRequest& r) {
  if (a.deadline.empty()) return Status::Ok();
  auto t = ParseUtc(a.deadline);
  if (!t) return Status::InvalidArgument("--deadline '" + a.deadline + "' is not a UTC time like 2026-11-24T08:30:00Z");
  r.deadline = *t;
  r.deadline_kind = a.deadline_kind.empty() ? "other" : a.deadline_kind;
  return Status::Ok();
}

int Request(const ExamArgs& a) {
  auto store = CaseStore::Open(a.path, CaseStore::OpenMode::kReadWrite);
  if (!store.ok()) return Fail("request", store.status());
  auto model = reports::BuildReportModel(**store, "");
  if (!model.ok()) return Fail("request", model.status());
  reports::ExamDraftInput input{a.exhibit,   a.supplier,        a.priority,   a.examine,      a.authority,
                                a.questions, !a.no_suggestions, std::nullopt, a.deadline_kind};
  if (!a.deadline.empty()) {
    auto t = ParseUtc(a.deadline);
    if (!t) {
      return Fail("request", Status::InvalidArgument("--deadline '" + a.deadline +
                                                     "' is not a UTC time like 2026-11-24T08:30:00Z"));
    }
    input.deadline = *t;
  }
  ExamRequest r = reports::DraftExamRequest(*model, input);
  ExamRequestStore exams(**store);
  const std::string by = Actor(a.by.empty() ? model->summary.info.officer : a.by);
  auto id = exams.Create(r, by);
  if (!id.ok()) return Fail("request", id.status());
  auto made = exams.Get(*id);
  if (!made.ok()) return Fail("request", made.status());
  if (a.json) {
    Print(*made, NowUtcMicros(), true);
  } else {
    std::printf("Examination request %lld created (draft) for exhibit %s, supplier %s, %zu question(s).\n",
                static_cast<long long>(*id), made->exhibit.c_str(), made->supplier.c_str(), made->questions.size());
    for (size_t i = 0; i < made->questions.size(); ++i) std::printf("  %zu. %s\n", i + 1, made->questions[i].c_str());
    std::printf("Next: custos exam update %s %lld --status submitted\n", a.path.c_str(), static_cast<long long>(*id));
  }
  return kExitOk;
}

int List(const ExamArgs& a) {
  auto store = CaseStore::Open(a.path, CaseStore::OpenMode::kReadOnly);
  if (!store.ok()) return Fail("list", store.status());
  auto list = ExamRequestStore(**store).List();
  if (!list.ok()) return Fail("list", list.status());
  const UtcMicros now = NowUtcMicros();
  int overdue = 0;
  if (!a.json)
    std::printf("%-4s %-8s %-24s %-7s %-16s %s\n", "ID", "EXHIBIT", "SUPPLIER", "PRIO", "STATUS", "DEADLINE");
  for (const ExamRequest& r : *list) {
    Print(r, now, a.json);
    overdue += ExamRequestStore::Overdue(r, now);
  }
  if (!a.json) {
    std::fprintf(stderr, "%zu request(s), %d overdue (past the deadline, results not received)\n", list->size(),
                 overdue);
  }
  return kExitOk;
}

int Update(const ExamArgs& a) {
  auto store = CaseStore::Open(a.path, CaseStore::OpenMode::kReadWrite);
  if (!store.ok()) return Fail("update", store.status());
  ExamRequestStore exams(**store);
  auto current = exams.Get(a.id);
  if (!current.ok()) return Fail("update", current.status());
  auto info = (*store)->ReadCaseInfo();
  const std::string by = Actor(a.by.empty() && info.ok() ? info->officer : a.by);
  const bool edits = !a.supplier.empty() || !a.priority.empty() || !a.examine.empty() || !a.questions.empty() ||
                     !a.deadline.empty() || !a.authority.empty();
  if (edits) {
    ExamRequest r = *current;
    if (!a.supplier.empty()) r.supplier = a.supplier;
    if (!a.priority.empty()) r.priority = a.priority;
    if (!a.examine.empty()) r.examine = a.examine;
    if (!a.questions.empty()) r.questions = a.questions;
    if (!a.authority.empty()) r.legal_authority = a.authority;
    Status st = ApplyDeadline(a, r);
    if (st.ok()) st = exams.Edit(r, by);
    if (!st.ok()) return Fail("update", st);
  }
  if (!a.status.empty()) {
    Status st = exams.SetStatus(a.id, a.status, a.note, by);
    if (!st.ok()) return Fail("update", st);
  } else if (!edits) {
    return Fail("update", Status::InvalidArgument("nothing to change: give --status or a field to edit"));
  }
  auto now = exams.Get(a.id);
  if (!now.ok()) return Fail("update", now.status());
  if (a.json) {
    Print(*now, NowUtcMicros(), true);
  } else {
    std::printf("Request %lld is now %s.\n", static_cast<long long>(a.id), now->status.c_str());
  }
  return kExitOk;
}

int Export(const ExamArgs& a) {
  auto max_part = reports::ParseSize(a.max_part);
  if (!max_part.ok()) return Fail("export", max_part.status());
  Status st = reports::CheckOutputFolder(fs::absolute(a.out).lexically_normal().string(), a.force);
  if (!st.ok()) return Fail("export", st);  // before the case is opened read-write
  auto store = CaseStore::Open(a.path, CaseStore::OpenMode::kReadWrite);
  if (!store.ok()) return Fail("export", store.status());
  auto model = reports::BuildReportModel(**store, "");
  if (!model.ok()) return Fail("export", model.status());
  reports::ExamExportOptions options{a.out, a.ids, *max_part, a.force,
                                     Actor(a.by.empty() ? model->summary.info.officer : a.by)};
  auto packages = reports::ExportExamRequests(**store, *model, options);
  if (!packages.ok()) return Fail("export", packages.status());
  for (const reports::ExamPackage& p : *packages) {
    std::printf("%s/  %zu request(s) for %s, manifest SHA-256 %s\n", p.folder.c_str(), p.request_ids.size(),
                p.supplier.c_str(), p.manifest_sha256.c_str());
  }
  std::printf("Written to %s (each supplier's folder is one package: custos package verify FOLDER checks it)\n",
              fs::absolute(a.out).lexically_normal().string().c_str());
  return kExitOk;
}

}  // namespace

void AddExamCommands(CLI::App& app, int* exit_code) {
  CLI::App* exam = app.add_subcommand("exam", "Requests for a full examination by a forensic supplier");
  exam->require_subcommand(1);

  auto r = std::make_shared<ExamArgs>();
  CLI::App* req = exam->add_subcommand(
      "request", "Create a draft request, its questions pre-filled from the triage findings and the tags");
  req->add_option("case", r->path, "Case file (*.custos)")->required();
  req->add_option("--exhibit", r->exhibit, "Exhibit reference, e.g. JD/1")->required();
  req->add_option("--supplier", r->supplier, "Forensic supplier")->required();
  req->add_option("--priority", r->priority, "urgent, high, normal (default) or low");
  req->add_option("--examine", r->examine, "What to examine (default: drawn from the exhibit and the triage)");
  req->add_option("--question", r->questions, "A question to answer (repeat); the suggested ones follow");
  req->add_flag("--no-suggestions", r->no_suggestions, "Only the questions given with --question");
  req->add_option("--deadline", r->deadline, "Deadline, UTC (default: the custody limit, if the case has one)");
  req->add_option("--deadline-kind", r->deadline_kind, "custody, court or other (with --deadline; default other)");
  req->add_option("--authority", r->authority, "Legal authority reference (warrant, PACE power...)");
  req->add_option("--by", r->by, "Who requests (default: the case's officer)");
  req->add_flag("--json", r->json, "Print the request as one JSON object");
  req->callback([r, exit_code] { *exit_code = Request(*r); });

  auto l = std::make_shared<ExamArgs>();
  CLI::App* list = exam->add_subcommand("list", "List the requests; OVERDUE marks those past their deadline");
  list->add_option("case", l->path, "Case file (*.custos)")->required();
  list->add_flag("--json", l->json, "One JSON object per line");
  list->callback([l, exit_code] { *exit_code = List(*l); });

  auto u = std::make_shared<ExamArgs>();
  CLI::App* upd = exam->add_subcommand(
      "update",
      "Move a request on (draft, submitted, accepted, in_progress, results_received, closed) or edit a draft");
  upd->add_option("case", u->path, "Case file (*.custos)")->required();
  upd->add_option("id", u->id, "Request id (custos exam list)")->required();
  upd->add_option("--status", u->status, "The next status; or closed, with a --note, to withdraw it");
  upd->add_option("--note", u->note, "Why (kept with the change and in the audit trail)");
  upd->add_option("--supplier", u->supplier, "Edit a draft: supplier");
  upd->add_option("--priority", u->priority, "Edit a draft: priority");
  upd->add_option("--examine", u->examine, "Edit a draft: what to examine");
  upd->add_option("--question", u->questions, "Edit a draft: replace the questions (repeat)");
  upd->add_option("--deadline", u->deadline, "Edit a draft: deadline, UTC");
  upd->add_option("--deadline-kind", u->deadline_kind, "custody, court or other");
  upd->add_option("--authority", u->authority, "Edit a draft: legal authority reference");
  upd->add_option("--by", u->by, "Who makes the change (default: the case's officer)");
  upd->add_flag("--json", u->json, "Print the request as one JSON object");
  upd->callback([u, exit_code] { *exit_code = Update(*u); });

  auto e = std::make_shared<ExamArgs>();
  CLI::App* exp = exam->add_subcommand("export", "Write a request package per supplier (JSON and PDF, in parts)");
  exp->add_option("case", e->path, "Case file (*.custos)")->required();
  exp->add_option("--out", e->out, "Folder to create")->required();
  exp->add_option("--id", e->ids, "Only these requests (repeat; default: every request not closed)");
  exp->add_option("--max-part-size", e->max_part, "Largest file; larger ones are split (default 10MB)");
  exp->add_flag("--force", e->force, "Replace --out if it holds a previous package");
  exp->add_option("--by", e->by, "Who exports (default: the case's officer)");
  exp->callback([e, exit_code] { *exit_code = Export(*e); });
}

}  // namespace custos::cli
