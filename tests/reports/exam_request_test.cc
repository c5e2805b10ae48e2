// `custos exam request|list|update|export` end to end on a case triaged from a folder by the real
// `custos triage`, with a tag made by `custos tag`. The lifecycle and its audit rows are read back with
// the sqlite3 shell; the exported JSON is checked against docs/exam-request.schema.json by Python's
// jsonschema, the PDF through pdftotext, the package with sha256sum and `custos package verify`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"

namespace custos::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class ExamRequestE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path evidence = dir_.path() / "evidence";
    fs::create_directories(evidence / "Users" / "kim");
    std::ofstream(evidence / "Users" / "kim" / "ledger.xlsx") << "not really a spreadsheet";
    case_ = dir_.File("case.custos");
    // Custody from 2020: the limit (24 hours later) has passed, so an open request is overdue.
    CustosRun t =
        Custos("triage --quiet --case " + ShellQuote(case_) +
               " --exhibit KS/3 --case-ref URN-77 --officer 'DC 9 Patel' --custody-start 2020-01-01T08:00:00Z " +
               ShellQuote(evidence.string()));
    ASSERT_EQ(t.exit_code, 0) << t.err;
    const std::string file = SqlOne(case_, "SELECT id FROM file WHERE name = 'ledger.xlsx'");
    CustosRun tag = Custos("tag " + ShellQuote(case_) + " --file " + file +
                           " --label evidential --note 'drug ledger, names and sums'");
    ASSERT_EQ(tag.exit_code, 0) << tag.err;
  }

  CustosRun Exam(const std::string& args) { return Custos("exam " + args); }
  std::string Status(const std::string& id) {
    return SqlOne(case_, "SELECT status FROM exam_request WHERE id = " + id);
  }

  TempDir dir_;
  std::string case_;
};

TEST_F(ExamRequestE2e, RequestIsPrefilledFromTheFindingsAndTheCustodyClock) {
  CustosRun r = Exam("request " + ShellQuote(case_) +
                     " --exhibit KS/3 --supplier 'Acme Forensics' --priority urgent "
                     "--authority 'PACE s.19; warrant 2026/123' --question 'Who wrote the ledger?' --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["status"], "draft");
  EXPECT_EQ(j["questions"][0], "Who wrote the ledger?");
  bool from_tag = false;
  for (const auto& q : j["questions"]) {
    const std::string s = q;
    from_tag = from_tag || (s.find("ledger.xlsx") != std::string::npos && s.find("drug ledger") != std::string::npos);
  }
  EXPECT_TRUE(from_tag) << "a question about the evidential tag and its note";
  // The custody limit (24 hours after the custody start given to triage) is the deadline.
  EXPECT_EQ(std::to_string(j["deadline_us"].get<int64_t>()), SqlOne(case_, "SELECT custody_limit FROM case_info"));
  EXPECT_EQ(j["deadline_kind"], "custody");
  EXPECT_EQ(j["overdue"], true);
  CustosRun list = Exam("list " + ShellQuote(case_));
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("OVERDUE"), std::string::npos) << list.out;
  EXPECT_NE(list.err.find("1 overdue"), std::string::npos) << list.err;
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM audit WHERE action = 'exam.create'"), "1");
}

TEST_F(ExamRequestE2e, WholeLifecycleTimedAndAuditedWithInvalidStepsRefused) {
  ASSERT_EQ(Exam("request " + ShellQuote(case_) + " --exhibit KS/3 --supplier S1").exit_code, 0);
  // Skipping a step is refused and writes nothing.
  const std::string audit_before = SqlOne(case_, "SELECT count(*) FROM audit");
  CustosRun skip = Exam("update " + ShellQuote(case_) + " 1 --status accepted");
  EXPECT_EQ(skip.exit_code, 2);
  EXPECT_NE(skip.err.find("can go to submitted, closed"), std::string::npos) << skip.err;
  EXPECT_EQ(Status("1"), "draft");
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM audit"), audit_before);
  for (const char* s : {"submitted", "accepted", "in_progress", "results_received", "closed"}) {
    if (std::string(s) == "accepted") {
      // Once submitted, the request's fields are fixed.
      CustosRun edit = Exam("update " + ShellQuote(case_) + " 1 --supplier Other");
      EXPECT_EQ(edit.exit_code, 2);
      EXPECT_NE(edit.err.find("only a draft can be edited"), std::string::npos);
    }
    CustosRun u = Exam("update " + ShellQuote(case_) + " 1 --status " + s + " --by 'DS 1 Lee' --note 'step " + s + "'");
    ASSERT_EQ(u.exit_code, 0) << s << ": " << u.err;
    EXPECT_EQ(Status("1"), s);
  }
  EXPECT_EQ(Exam("update " + ShellQuote(case_) + " 1 --status submitted").exit_code, 2) << "closed is final";
  const auto events = Sql(case_,
                          "SELECT from_status, to_status, actor FROM exam_request_event WHERE request_id = 1 "
                          "ORDER BY id");
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[0], "|draft|DC 9 Patel");
  EXPECT_EQ(events[1], "draft|submitted|DS 1 Lee");
  EXPECT_EQ(events[5], "results_received|closed|DS 1 Lee");
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM exam_request_event WHERE at IS NULL OR at <= 0"), "0");
  const auto audit = Sql(case_, "SELECT action FROM audit WHERE action LIKE 'exam.%' ORDER BY id");
  EXPECT_EQ(audit, (std::vector<std::string>{"exam.create", "exam.status", "exam.status", "exam.status", "exam.status",
                                             "exam.status"}));
  EXPECT_EQ(Custos("audit verify " + ShellQuote(case_)).exit_code, 0);
  // A closed request is no longer overdue.
  EXPECT_EQ(Exam("list " + ShellQuote(case_)).out.find("OVERDUE"), std::string::npos);
}

TEST_F(ExamRequestE2e, WithdrawingNeedsAReason) {
  ASSERT_EQ(Exam("request " + ShellQuote(case_) + " --exhibit KS/3 --supplier S1").exit_code, 0);
  EXPECT_EQ(Exam("update " + ShellQuote(case_) + " 1 --status closed").exit_code, 2);
  EXPECT_EQ(Exam("update " + ShellQuote(case_) + " 1 --status closed --note 'charged on other evidence'").exit_code, 0);
  EXPECT_EQ(Status("1"), "closed");
}

TEST_F(ExamRequestE2e, ExportWritesAPackagePerSupplierUnderTheLimit) {
  ASSERT_EQ(Exam("request " + ShellQuote(case_) + " --exhibit KS/3 --supplier '../../Evil <Supplier>'").exit_code, 0);
  ASSERT_EQ(Exam("request " + ShellQuote(case_) +
                 " --exhibit KS/3 --supplier 'Acme Forensics' --deadline "
                 "2030-05-06T10:00:00Z --deadline-kind court")
                .exit_code,
            0);
  const std::string out = dir_.File("requests");
  CustosRun e = Exam("export " + ShellQuote(case_) + " --max-part-size 8KiB --out " + ShellQuote(out));
  ASSERT_EQ(e.exit_code, 0) << e.err;
  // The supplier's name never becomes a path outside the package.
  std::vector<std::string> folders;
  for (const auto& d : fs::directory_iterator(out)) folders.push_back(d.path().filename().string());
  std::sort(folders.begin(), folders.end());
  EXPECT_EQ(folders, (std::vector<std::string>{"Acme_Forensics", "Evil_Supplier"}));
  const fs::path acme = fs::path(out) / "Acme_Forensics";
  for (const auto& f : fs::recursive_directory_iterator(out)) {
    if (f.is_regular_file()) {
      EXPECT_LE(fs::file_size(f.path()), 8192u) << f.path();
    }
  }
  EXPECT_EQ(Custos("package verify " + ShellQuote(acme.string())).exit_code, 0);
  // The JSON follows its documented schema (Python's jsonschema).
  const std::string schema = std::string(CUSTOS_SOURCE_DIR) + "/docs/exam-request.schema.json";
  std::string request_json = (acme / "request-2.json").string();
  if (!fs::exists(request_json)) {
    ASSERT_EQ(Shell("cat " + ShellQuote((acme / "request-2.json").string()) + ".part* > " +
                    ShellQuote(dir_.File("request-2.json")))
                  .exit_code,
              0);
    request_json = dir_.File("request-2.json");
  }
  CommandResult v = Shell(
      "/usr/bin/python3 -c 'import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))); print(\"valid\")' " +
      ShellQuote(request_json) + " " + ShellQuote(schema));
  EXPECT_EQ(v.out, "valid\n");
  const json j = json::parse(Read(request_json));
  EXPECT_EQ(j["deadline"]["kind"], "court");
  EXPECT_EQ(j["deadline"]["time"], "2030-05-06T10:00:00.000000Z");
  EXPECT_EQ(j["exhibit"]["reference"], "KS/3");
  // The PDF, put back together with cat, says the same.
  ASSERT_EQ(
      Shell("cat " + ShellQuote((acme / "request-2.pdf").string()) + "* > " + ShellQuote(dir_.File("r.pdf"))).exit_code,
      0);
  const std::string text = Shell("pdftotext " + ShellQuote(dir_.File("r.pdf")) + " -").out;
  EXPECT_NE(text.find("Request for forensic examination"), std::string::npos);
  EXPECT_NE(text.find("Acme Forensics"), std::string::npos);
  EXPECT_NE(text.find("ledger.xlsx"), std::string::npos);
  // Each export is audited with its package's manifest hash.
  const std::string sha = Shell("sha256sum " + ShellQuote((acme / "manifest.json").string())).out.substr(0, 64);
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM audit WHERE action = 'exam.export' AND detail LIKE '%" + sha + "%'"),
            "1");
  // Exporting again needs --force, which replaces a previous export but not a folder of anything else.
  EXPECT_EQ(Exam("export " + ShellQuote(case_) + " --out " + ShellQuote(out)).exit_code, 2);
  EXPECT_EQ(Exam("export " + ShellQuote(case_) + " --force --out " + ShellQuote(out)).exit_code, 0);
  std::ofstream(fs::path(out) / "mine.txt") << "keep me";
  EXPECT_EQ(Exam("export " + ShellQuote(case_) + " --force --out " + ShellQuote(out)).exit_code, 2);
  EXPECT_EQ(Read(fs::path(out) / "mine.txt"), "keep me");
}

TEST_F(ExamRequestE2e, TheCarvingQuestionSaysWhetherTriageCarved) {
  auto carving_question = [&]() -> std::string {
    CustosRun r = Exam("request " + ShellQuote(case_) + " --exhibit KS/3 --supplier Acme --json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const json request = json::parse(r.out);  // kept: a range-for over a temporary's member would dangle
    for (const auto& q : request["questions"]) {
      const std::string s = q;
      if (s.rfind("Recover and examine deleted material", 0) == 0) return s;
    }
    return "";
  };
  // The case was triaged without --carve.
  EXPECT_NE(carving_question().find("which triage did not carve"), std::string::npos);
  // A second exhibit triaged with --carve: the question no longer says nothing was carved.
  const fs::path more = dir_.path() / "more";
  fs::create_directories(more);
  std::ofstream(more / "note.txt") << "meet at the lock-up";
  CustosRun t =
      Custos("triage --quiet --carve --case " + ShellQuote(case_) + " --exhibit KS/4 " + ShellQuote(more.string()));
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const std::string q = carving_question();
  EXPECT_EQ(q.find("did not carve"), std::string::npos) << q;
  EXPECT_NE(q.find("carved only the file signatures it knows"), std::string::npos) << q;
}

}  // namespace
}  // namespace custos::testing
