// The viewer's Exams panel end to end: on a case made by the real `custos triage` from the viewer fixture
// (tests/fixtures/make-viewer-evidence.sh), a script of keys makes a draft request, edits it, takes it
// through its whole lifecycle, exports it, and withdraws a second one. The case file is then read with the
// sqlite3 shell, the package checked with `custos package verify`, Python's json module and pdftotext, and
// the audit chain with `custos audit verify`. Skips when xvfb-run or the corpus is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/e2e/e2e_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

// The first word of a command's output (a hash from md5sum, a number from date).
std::string FirstWord(const std::string& s) { return s.substr(0, s.find_first_of(" \n")); }

bool HaveXvfb() { return Shell("command -v xvfb-run >/dev/null 2>&1").exit_code == 0; }

// `date -d TEXT +%s` (GNU date, independent of Custos) in microseconds.
std::string DateMicros(const std::string& text) {
  return FirstWord(Shell("date -u -d " + ShellQuote(text) + " +%s").out) + "000000";
}

class ExamPanelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveXvfb()) GTEST_SKIP() << "xvfb-run is absent: install xvfb and xauth to render the viewer headless";
    if (CorpusDir().empty()) GTEST_SKIP() << "corpus absent: ../shared/corpus";
    image_ = dir_.File("viewer.img");
    const std::string script = std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/make-viewer-evidence.sh";
    ASSERT_EQ(Shell(script + " " + ShellQuote(CorpusDir().string()) + " " + ShellQuote(image_)).exit_code, 0);
    case_ = dir_.File("exams.custos");
    CustosRun run =
        Custos("triage --quiet --case " + ShellQuote(case_) +
               " --exhibit VW/1 --officer 'DC 1 Test' --custody-start 2026-11-22T08:30:00Z " + ShellQuote(image_));
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }

  CommandResult Viewer(const std::string& args) {
    return Shell("xvfb-run -a -s '-screen 0 1400x900x24' " + std::string(CUSTOS_VIEWER_EXE) + " " + args + " 2>&1");
  }

  TempDir dir_;
  std::string image_, case_;
};

TEST_F(ExamPanelTest, KeysDraftEditMoveExportAndWithdrawRequests) {
  const std::string out = dir_.File("to-suppliers");
  const std::string shots = dir_.File("shots");
  std::filesystem::create_directories(shots);
  const std::string script = dir_.File("keys.txt");
  std::ofstream(script) << "wait\n"
                           "# N: a new draft; the exhibit field has the keyboard, pre-filled with VW/1\n"
                           "key n\n"
                           "frames 2\n"
                           "key tab\n"
                           "type Acme Forensics\n"
                           "key tab\n"
                           "key ctrl+a\n"
                           "type urgent\n"
                           "key tab\n"
                           "type PACE s.19; warrant 2026/123\n"
                           "key tab\n"
                           "key tab\n"
                           "key tab\n"
                           "key tab\n"
                           "type Who took the deleted picture?\n"
                           "key ctrl+s\n"
                           "wait\n"
                           "frames 2\n"
                           "screenshot " +
                               shots +
                               "/drafted.png\n"
                               "# E: edit the draft: a court date (already passed: overdue)\n"
                               "key e\n"
                               "frames 2\n"
                               "key tab\n"
                               "key tab\n"
                               "key tab\n"
                               "key ctrl+a\n"
                               "type 2026-11-20 10:00\n"
                               "key tab\n"
                               "key ctrl+a\n"
                               "type court\n"
                               "key ctrl+s\n"
                               "wait\n"
                               "# S: submitted, with a note\n"
                               "key s\n"
                               "frames 2\n"
                               "type sent by secure e-mail\n"
                               "key enter\n"
                               "wait\n"
                               "# X: export the open requests\n"
                               "key x\n"
                               "frames 2\n"
                               "key ctrl+a\n"
                               "type " +
                               out +
                               "\n"
                               "key enter\n"
                               "wait\n"
                               "# S four times: accepted, in progress, results received, closed\n"
                               "key s\n"
                               "frames 2\n"
                               "key enter\n"
                               "wait\n"
                               "key s\n"
                               "frames 2\n"
                               "key enter\n"
                               "wait\n"
                               "screenshot " +
                               shots +
                               "/in-progress.png\n"
                               "key s\n"
                               "frames 2\n"
                               "key enter\n"
                               "wait\n"
                               "key s\n"
                               "frames 2\n"
                               "key enter\n"
                               "wait\n"
                               "# a second draft, withdrawn with W and a note\n"
                               "key n\n"
                               "frames 2\n"
                               "key tab\n"
                               "type Beta Labs\n"
                               "key ctrl+s\n"
                               "wait\n"
                               "key down\n"
                               "frames 2\n"
                               "key w\n"
                               "frames 2\n"
                               "type made twice by mistake\n"
                               "key enter\n"
                               "wait\n"
                               "frames 2\n";
  CommandResult r = Viewer(ShellQuote(case_) + " --officer 'DC 3 Exams' --view exams --script " + ShellQuote(script));
  ASSERT_EQ(r.exit_code, 0) << r.out;

  // The first request, as typed; the deadline is the court date given in the edit (date(1) converts it).
  EXPECT_EQ(SqlOne(case_,
                   "SELECT e.reference || '|' || r.supplier || '|' || r.priority || '|' || r.legal_authority || '|' || "
                   "r.status || '|' || r.deadline || '|' || r.deadline_kind || '|' || r.author FROM exam_request r "
                   "JOIN exhibit e ON e.id = r.exhibit_id WHERE r.id = 1"),
            "VW/1|Acme Forensics|urgent|PACE s.19; warrant 2026/123|closed|" + DateMicros("2026-11-20 10:00 UTC") +
                "|court|DC 3 Exams");
  // The image hashes copied in are those of the image file (md5sum, sha1sum: the fixture is a raw image).
  EXPECT_EQ(SqlOne(case_, "SELECT image_md5 || '|' || image_sha1 FROM exam_request WHERE id = 1"),
            FirstWord(Shell("md5sum " + ShellQuote(image_)).out) + "|" +
                FirstWord(Shell("sha1sum " + ShellQuote(image_)).out));
  // The officer's question first, then the ones drawn from the case: the same drafting code as `custos exam
  // request`, so the CLI on a copy of the case (before any request) gives the same list after it.
  const std::string copy = dir_.File("cli.custos");
  ASSERT_EQ(Shell("cp " + ShellQuote(case_) + " " + ShellQuote(copy) + " && sqlite3 " + ShellQuote(copy) +
                  " 'DELETE FROM exam_request_event; DELETE FROM exam_request'")
                .exit_code,
            0);
  CustosRun cli = Custos("exam request " + ShellQuote(copy) +
                         " --exhibit VW/1 --supplier X --question 'Who took the deleted picture?'");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const std::string questions = SqlOne(case_, "SELECT questions FROM exam_request WHERE id = 1");
  EXPECT_EQ(questions.rfind("[\"Who took the deleted picture?\",", 0), 0u) << questions;
  EXPECT_EQ(questions, SqlOne(copy, "SELECT questions FROM exam_request"));
  // The custody deadline of the new draft (24 h after the custody start given to triage) was replaced by
  // the edit; the second request kept it.
  EXPECT_EQ(SqlOne(case_,
                   "SELECT supplier || '|' || deadline || '|' || deadline_kind || '|' || status FROM "
                   "exam_request WHERE id = 2"),
            "Beta Labs|" + DateMicros("2026-11-23 08:30 UTC") + "|custody|closed");

  // Every step of the lifecycle, in order, timed, by the officer, with the notes.
  EXPECT_EQ(
      Sql(case_,
          "SELECT from_status || '>' || to_status || '|' || actor || '|' || note FROM "
          "exam_request_event WHERE request_id = 1 AND from_status <> '' ORDER BY id"),
      (std::vector<std::string>{"draft>submitted|DC 3 Exams|sent by secure e-mail", "submitted>accepted|DC 3 Exams|",
                                "accepted>in_progress|DC 3 Exams|", "in_progress>results_received|DC 3 Exams|",
                                "results_received>closed|DC 3 Exams|"}));
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM exam_request_event WHERE at <= 0"), "0");
  EXPECT_EQ(SqlOne(case_,
                   "SELECT from_status || '>' || to_status || '|' || note FROM exam_request_event WHERE "
                   "request_id = 2 AND from_status <> ''"),
            "draft>closed|made twice by mistake");
  // The audit trail: two creations, one edit, six status changes, one export, all by the officer.
  EXPECT_EQ(Sql(case_,
                "SELECT action || ' ' || count(*) FROM audit WHERE action LIKE 'exam.%' AND actor = "
                "'DC 3 Exams' GROUP BY action ORDER BY action"),
            (std::vector<std::string>{"exam.create 2", "exam.edit 1", "exam.export 1", "exam.status 6"}));
  CustosRun verify = Custos("audit verify " + ShellQuote(case_));
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  // The package: one folder for the supplier, verified, its manifest hash in the audit row.
  const std::string pkg = out + "/Acme_Forensics";
  CustosRun pv = Custos("package verify " + ShellQuote(pkg));
  EXPECT_EQ(pv.exit_code, 0) << pv.out << pv.err;
  const std::string manifest_sha = FirstWord(Shell("sha256sum " + ShellQuote(pkg + "/manifest.json")).out);
  EXPECT_NE(SqlOne(case_, "SELECT detail FROM audit WHERE action = 'exam.export'").find(manifest_sha),
            std::string::npos);
  CommandResult py = Shell(
      "python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); "
      "print(r[\"schema\"], r[\"request\"][\"status\"], r[\"request\"][\"supplier\"])' " +
      ShellQuote(pkg + "/request-1.json"));
  EXPECT_EQ(py.exit_code, 0) << py.out;
  EXPECT_EQ(py.out, "custos.exam_request/1 submitted Acme Forensics\n");
  CommandResult pdf = Shell("pdftotext " + ShellQuote(pkg + "/request-1.pdf") + " -");
  EXPECT_NE(pdf.out.find("Acme Forensics"), std::string::npos) << pdf.out;
  EXPECT_NE(pdf.out.find("Who took the deleted picture?"), std::string::npos);

  // The screenshots were written (their content is looked at by eye, see the README).
  EXPECT_GT(std::filesystem::file_size(shots + "/drafted.png"), 10000u);
  EXPECT_GT(std::filesystem::file_size(shots + "/in-progress.png"), 10000u);
}

}  // namespace
}  // namespace custos::testing
