// End to end: a Windows system volume holding the corpus's real artefacts at their Windows paths
// (tests/fixtures/make-windows-image.sh) is triaged by the `custos` program, and the artefacts must be
// in the case file, tied to their source files. Expected values come from the libyal tools (lnkinfo,
// evtxinfo, regfexport) run here on the corpus originals, and from the DestList headers decoded by hand.
#include <gtest/gtest.h>

#include <regex>

#include "tests/e2e/e2e_support.h"

namespace custos {
namespace {

using testing::Custos;
using testing::Shell;
using testing::ShellQuote;
using testing::Sql;
using testing::SqlOne;

class WindowsImageE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (testing::CorpusDir().empty()) return;
    dir_ = new testing::TempDir();
    image_ = dir_->File("system.img");
    const auto made = Shell(std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/make-windows-image.sh " +
                            ShellQuote(testing::CorpusDir().string()) + " " + ShellQuote(image_) + " >/dev/null 2>&1");
    if (made.exit_code != 0) return;
    case_ = dir_->File("win.custos");
    triage_ = Custos("triage -q --case " + ShellQuote(case_) + " --exhibit W/1 " + ShellQuote(image_));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (testing::CorpusDir().empty()) GTEST_SKIP() << "../shared/corpus is absent";
    if (case_.empty())
      GTEST_SKIP() << "the Windows test image could not be made here (needs root and FUSE for ntfs-3g)";
    // 3: done, with error rows (the one prefetch file libscca cannot read, below).
    ASSERT_EQ(triage_.exit_code, 3) << triage_.err;
  }
  static std::string Corpus(const std::string& rel) { return (testing::CorpusDir() / rel).string(); }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::string image_, case_;
  static inline testing::CustosRun triage_;
};

TEST_F(WindowsImageE2E, TheOnlyErrorIsThePrefetchFileLibsccaCannotRead) {
  // sccainfo 20200717 refuses AM_DELTA_PATCH_1.443.990.0.EX-7037CF86.pf too ("unsupported format version").
  const std::string pf = "artefacts/windows/winprefetch/AM_DELTA_PATCH_1.443.990.0.EX-7037CF86.pf";
  EXPECT_NE(Shell("sccainfo " + ShellQuote(Corpus(pf)) + " >/dev/null 2>&1").exit_code, 0);
  EXPECT_EQ(Sql(case_, "SELECT source, stage, location FROM error"),
            std::vector<std::string>{
                "/Windows/Prefetch/AM_DELTA_PATCH_1.443.990.0.EX-7037CF86.pf|parse|parser windows.prefetch"});
}

TEST_F(WindowsImageE2E, ShortcutInRecentIsRecordedWithItsSourceFile) {
  const auto rows = Sql(case_,
                        "SELECT f.path, l.target_path, l.drive_serial FROM art_windows_lnk l JOIN artefact a ON "
                        "a.id = l.artefact_id JOIN file f ON f.id = a.file_id");
  ASSERT_EQ(rows.size(), 1u);
  const auto info = Shell("lnkinfo " + ShellQuote(Corpus("artefacts/windows/NeroInfoTool.lnk"))).out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(info, m, std::regex("Local path\\s*: (.*)")));
  EXPECT_EQ(rows[0],
            "/Users/bperry/AppData/Roaming/Microsoft/Windows/Recent/NeroInfoTool.lnk|" + m[1].str() + "|0x70ecfa33");
}

TEST_F(WindowsImageE2E, EveryEventOfTheSystemLogIsStored) {
  const auto info = Shell("evtxinfo " + ShellQuote(Corpus("artefacts/windows/evtx/System.evtx"))).out;
  std::smatch records, recovered;
  ASSERT_TRUE(std::regex_search(info, records, std::regex("Number of records\\s*: (\\d+)")));
  ASSERT_TRUE(std::regex_search(info, recovered, std::regex("Number of recovered records\\s*: (\\d+)")));
  const int expected = std::stoi(records[1].str()) + std::stoi(recovered[1].str());
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM art_windows_event"), std::to_string(expected));
  EXPECT_EQ(SqlOne(case_,
                   "SELECT count(DISTINCT a.file_id) FROM artefact a JOIN file f ON f.id = a.file_id WHERE "
                   "a.kind = 'windows.event' AND f.path = '/Windows/System32/winevt/Logs/System.evtx'"),
            "1");
}

TEST_F(WindowsImageE2E, JumpListsGiveEveryDestListEntry) {
  // DestList headers (bytes 4-7): 7 entries in 1b4dd67f29cb1962, 2 in 9d1f905ce5044aee.
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM art_windows_jumplist_entry"), "9");
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM art_windows_jumplist_custom"), "9");
  EXPECT_EQ(
      SqlOne(case_, "SELECT hostname FROM art_windows_jumplist_entry WHERE item_path='C:\\Users\\bperry\\Downloads'"),
      "student-pc1");
}

TEST_F(WindowsImageE2E, SamAccountsAreTheHivesUserNames) {
  // The account names are the sub keys of SAM\Domains\Account\Users\Names, as regfexport lists them.
  testing::TempDir tmp;
  const std::string sam = tmp.File("SAM");
  ASSERT_EQ(Shell("xz -dc " + ShellQuote(Corpus("artefacts/registry/SAM.xz")) + " > " + ShellQuote(sam)).exit_code, 0);
  const auto out = Shell("regfexport " + ShellQuote(sam)).out;
  std::set<std::string> names;
  static const std::regex key(R"(Key path: .*\\Domains\\Account\\Users\\Names\\([^\\\n]+)\n)");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), key); it != std::sregex_iterator(); ++it) {
    names.insert((*it)[1].str());
  }
  ASSERT_FALSE(names.empty());
  std::set<std::string> stored;
  for (const auto& name : Sql(case_,
                              "SELECT u.user_name FROM art_windows_user_account u JOIN artefact a ON a.id = "
                              "u.artefact_id JOIN file f ON f.id = a.file_id WHERE f.path = "
                              "'/Windows/System32/config/SAM'")) {
    stored.insert(name);
  }
  EXPECT_EQ(stored, names);
}

TEST_F(WindowsImageE2E, EveryWindowsFamilyInTheImageYieldsRowsTiedToTheirFiles) {
  // Each of these kinds has its source in the image; the software hive is the only family it lacks.
  for (const char* kind : {"windows.registry_hive", "windows.user_account", "windows.system_info", "windows.usb_device",
                           "windows.mounted_device", "windows.network_interface", "windows.userassist",
                           "windows.recent_doc", "windows.typed_url", "windows.shellbag", "windows.amcache_program",
                           "windows.event", "windows.lnk", "windows.jumplist_entry", "windows.jumplist_custom",
                           "windows.prefetch", "windows.recycled", "windows.timeline_activity"}) {
    EXPECT_NE(SqlOne(case_, std::string("SELECT count(*) FROM artefact WHERE kind='") + kind + "'"), "0") << kind;
  }
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM artefact a LEFT JOIN file f ON f.id = a.file_id WHERE f.id IS NULL"),
            "0");
  // CMD.EXE's prefetch file: run count and last run as sccainfo prints them.
  const auto info = Shell("sccainfo " + ShellQuote(Corpus("artefacts/windows/winprefetch/CMD.EXE-087B4001.pf"))).out;
  std::smatch runs;
  ASSERT_TRUE(std::regex_search(info, runs, std::regex("Run count\\s*: (\\d+)")));
  EXPECT_EQ(SqlOne(case_,
                   "SELECT run_count || ' ' || datetime(last_run_1 / 1000000, 'unixepoch') FROM "
                   "art_windows_prefetch WHERE executable = 'CMD.EXE'"),
            runs[1].str() + " 2013-03-10 10:11:49");  // sccainfo: Last run time Mar 10, 2013 10:11:49.281250000 UTC
}

// The pipeline hands a database's -wal to the parser that asks for it: a folder holding a Timeline
// database whose second activity is only in the WAL (tests/fixtures/make-wal-activities.py) gives both.
TEST(WalCompanionE2E, ActivityOnlyInTheWalReachesTheCaseFile) {
  testing::TempDir dir;
  const std::string folder = dir.File("collection");
  ASSERT_EQ(Shell("mkdir -p " + ShellQuote(folder) + " && " + std::string(CUSTOS_SOURCE_DIR) +
                  "/tests/fixtures/make-wal-activities.py " + ShellQuote(folder))
                .exit_code,
            0);
  const std::string case_path = dir.File("wal.custos");
  const auto run = Custos("triage -q --case " + ShellQuote(case_path) + " " + ShellQuote(folder));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Sql(case_path, "SELECT application FROM art_windows_timeline_activity ORDER BY start_time"),
            (std::vector<std::string>{"C:\\a.exe", "C:\\b.exe"}));
  EXPECT_EQ(SqlOne(case_path, "SELECT count(*) FROM error"), "0");
}

}  // namespace
}  // namespace custos
