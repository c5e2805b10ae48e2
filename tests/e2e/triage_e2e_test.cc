// End to end: the `custos` program triages real images into a case file, and the case file is read
// back with the sqlite3 shell. Expected values come from The Sleuth Kit's and libewf's own tools
// (fls, icat, ewfinfo) run in the test, or from the DFTT answer sheets.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "tests/e2e/e2e_support.h"

namespace custos {
namespace {

using testing::Custos;
using testing::EwfinfoValue;
using testing::Shell;
using testing::ShellQuote;
using testing::Sql;
using testing::SqlOne;
namespace fs = std::filesystem;

// fls -r -p paths with a leading '/'.
std::set<std::string> FlsPaths(const std::string& args) {
  std::set<std::string> out;
  static const std::regex re(R"(^\S+ (\* )?\d+(-\d+-\d+)?(\(realloc\))?:\t(.*)$)");
  for (const auto& line : testing::SplitLines(Shell("fls -r -p " + args).out)) {
    std::smatch m;
    if (std::regex_match(line, m, re)) out.insert("/" + m[4].str());
  }
  return out;
}

std::map<std::string, std::string> FileMd5s(const std::string& case_path) {
  std::map<std::string, std::string> out;
  for (const auto& row : Sql(case_path, "SELECT path, ifnull(md5,'') FROM file ORDER BY path")) {
    const size_t bar = row.rfind('|');
    out[row.substr(0, bar)] = row.substr(bar + 1);
  }
  return out;
}

TEST(TriageE2E, E01IsVerifiedListedAndHashedAndLeftUntouched) {
  CUSTOS_REQUIRE_CORPUS(corpus_image, "images/dfvfs/ext2.E01");
  testing::TempDir dir;
  // A writable copy, so that any write beside the evidence would be possible and would show.
  fs::create_directory(dir.path() / "evidence");
  const std::string image = (dir.path() / "evidence" / "ext2.E01").string();
  fs::copy_file(corpus_image, image);
  const std::string before = testing::Sha256OfFile(image);
  const std::string case_path = dir.File("case.custos");

  auto run = Custos("triage --case " + ShellQuote(case_path) + " --exhibit JD/1 --officer 'DC 4127 Smith' " +
                    ShellQuote(image));
  ASSERT_EQ(run.exit_code, 0) << run.err;

  // Evidence: same bytes, nothing created beside it.
  EXPECT_EQ(testing::Sha256OfFile(image), before);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "evidence"), fs::directory_iterator()), 1);

  // Exhibit: ewfinfo's acquisition values and stored MD5; the computed MD5 equals it.
  const std::string stored = EwfinfoValue(image, "MD5");
  ASSERT_EQ(stored.size(), 32u);
  EXPECT_EQ(SqlOne(case_path, "SELECT reference, format, verification, stored_md5, computed_md5 FROM exhibit"),
            "JD/1|ewf|verified|" + stored + "|" + stored);
  EXPECT_EQ(SqlOne(case_path, "SELECT json_extract(acquisition,'$.case_number') FROM exhibit"),
            EwfinfoValue(image, "Case number"));
  EXPECT_EQ(SqlOne(case_path, "SELECT json_extract(acquisition,'$.examiner_name') FROM exhibit"),
            EwfinfoValue(image, "Examiner name"));

  // Files: fls's listing, and icat's MD5 for every regular file with content.
  std::set<std::string> ours;
  for (const auto& p : Sql(case_path, "SELECT path FROM file WHERE path <> '/'")) ours.insert(p);
  EXPECT_EQ(ours, FlsPaths(ShellQuote(image)));
  int hashed = 0;
  for (const auto& row : Sql(case_path, "SELECT meta_addr, md5, path FROM file WHERE md5 IS NOT NULL")) {
    const auto a = row.find('|'), b = row.find('|', a + 1);
    const std::string inode = row.substr(0, a), md5 = row.substr(a + 1, b - a - 1);
    EXPECT_EQ(md5, Shell("icat " + ShellQuote(image) + " " + inode + " | md5sum").out.substr(0, 32)) << row;
    // The detected type is what file(1) says of the same bytes.
    EXPECT_EQ(
        SqlOne(case_path, "SELECT mime FROM file WHERE meta_addr=" + inode + " AND md5 IS NOT NULL"),
        testing::SplitLines(Shell("icat " + ShellQuote(image) + " " + inode + " | file -b --mime-type -").out).at(0))
        << row;
    ++hashed;
  }
  EXPECT_EQ(hashed, 3);  // fls: a_file, another_file, passwords.txt are the regular files with data

  // The audit chain recorded the run; info reads the case back.
  EXPECT_GE(std::stoi(SqlOne(case_path, "SELECT count(*) FROM audit")), 3);
  auto info = Custos("info --json " + ShellQuote(case_path));
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("\"verification\": \"verified\""), std::string::npos);
}

TEST(TriageE2E, RerunResumesWithoutDuplicates) {
  CUSTOS_REQUIRE_CORPUS(image, "images/plaso/tsk_volume_system.raw");
  testing::TempDir dir;
  const std::string case_path = dir.File("case.custos");
  const std::string counts =
      "SELECT (SELECT count(*) FROM exhibit),(SELECT count(*) FROM volume),(SELECT count(*) FROM filesystem),"
      "(SELECT count(*) FROM file),(SELECT count(*) FROM error)";
  auto first = Custos("triage --case " + ShellQuote(case_path) + " " + ShellQuote(image));
  // The second partition holds no file system that TSK recognises (fsstat -o 352): an error, not a failure.
  EXPECT_EQ(first.exit_code, 3) << first.err;
  EXPECT_NE(first.err.find("no file system recognised"), std::string::npos) << first.err;
  const std::string after_first = SqlOne(case_path, counts);
  auto second = Custos("triage --case " + ShellQuote(case_path) + " " + ShellQuote(image));
  EXPECT_EQ(second.exit_code, 3) << second.err;
  EXPECT_EQ(SqlOne(case_path, counts), after_first);
  EXPECT_EQ(SqlOne(case_path, "SELECT count(*) FROM run WHERE outcome='complete'"), "2");
  // mmls: partitions start at sectors 1 and 352.
  EXPECT_EQ(Sql(case_path, "SELECT offset_bytes/512 FROM volume WHERE kind='partition' ORDER BY offset_bytes"),
            (std::vector<std::string>{"1", "352"}));
}

TEST(TriageE2E, MissingEvidenceFailsFastAndCreatesNothing) {
  testing::TempDir dir;
  const std::string case_path = dir.File("case.custos");
  auto run = Custos("triage --case " + ShellQuote(case_path) + " " + ShellQuote(dir.File("no-such.E01")));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no-such.E01"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(case_path));
}

TEST(TriageE2E, UnsupportedEvidenceIsRecordedAndTheOtherExhibitsAreTriaged) {
  CUSTOS_REQUIRE_CORPUS(qcow, "images/dfvfs/ext2.qcow2");
  CUSTOS_REQUIRE_CORPUS(raw, "images/dfvfs/imynd.dd");
  testing::TempDir dir;
  const std::string case_path = dir.File("case.custos");
  auto run = Custos("triage --case " + ShellQuote(case_path) + " --exhibit A/1 --exhibit A/2 " + ShellQuote(qcow) +
                    " " + ShellQuote(raw));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_EQ(Sql(case_path, "SELECT reference, state FROM exhibit ORDER BY reference"),
            (std::vector<std::string>{"A/1|unreadable", "A/2|complete"}));
  EXPECT_EQ(SqlOne(case_path,
                   "SELECT count(*) FROM error e JOIN exhibit x ON x.id=e.exhibit_id "
                   "WHERE x.reference='A/1' AND e.stage='open'"),
            "1");
  std::set<std::string> ours;
  for (const auto& p : Sql(case_path,
                           "SELECT f.path FROM file f JOIN filesystem s ON s.id=f.filesystem_id "
                           "JOIN volume v ON v.id=s.volume_id JOIN exhibit x ON x.id=v.exhibit_id "
                           "WHERE x.reference='A/2' AND f.path<>'/'")) {
    ours.insert(p);
  }
  EXPECT_EQ(ours, FlsPaths(ShellQuote(raw)));
}

TEST(TriageE2E, TruncatedE01IsReportedClearly) {
  CUSTOS_REQUIRE_CORPUS(e01, "images/dfvfs/ext2.split.E01");
  CUSTOS_REQUIRE_CORPUS(e02, "images/dfvfs/ext2.split.E02");
  testing::TempDir dir;
  const std::string cut = dir.File("cut.E01");
  ASSERT_EQ(Shell("head -c 1500000 " + ShellQuote(e01) + " > " + ShellQuote(cut)).exit_code, 0);
  fs::copy_file(e02, dir.File("cut.E02"));
  const std::string case_path = dir.File("case.custos");
  auto run = Custos("triage --case " + ShellQuote(case_path) + " " + ShellQuote(cut));
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.exit_code, 130);
  EXPECT_NE(run.err.find("cut.E01"), std::string::npos) << run.err;  // names the file
  EXPECT_NE(run.err.find("what to do"), std::string::npos) << run.err;
  EXPECT_NE(SqlOne(case_path, "SELECT count(*) FROM error"), "0");
  EXPECT_EQ(SqlOne(case_path, "PRAGMA integrity_check"), "ok");
}

TEST(TriageE2E, DfttFatDeletedFilesAreRecoveredWithTheirPublishedHashes) {
  testing::TempDir dir;
  if (testing::UnzipCorpus("images/dftt/6-undel-fat.zip", dir.path()).empty()) GTEST_SKIP() << "corpus absent";
  const std::string image = (dir.path() / "6-undel-fat" / "6-fat-undel.dd").string();
  const std::string case_path = dir.File("case.custos");
  auto run = Custos("triage --case " + ShellQuote(case_path) + " " + ShellQuote(image));
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.err;
  // DFTT test 6 answer sheet (index.html): the non-fragmented deleted files and their MD5s.
  auto md5 = FileMd5s(case_path);
  EXPECT_EQ(md5["/_ing.dat"], "59b20779f69ff9f0ac5fcd2c38835a79");
  EXPECT_EQ(md5["/_ult1.dat"], "ffd27bd782bdce67750b6b9ee069d2ef");
  EXPECT_EQ(md5["/_ir1/mult2.dat"], "59cf0e9cd107bc1e75afb7374f6e05bb");
  EXPECT_EQ(SqlOne(case_path, "SELECT deleted, content_state FROM file WHERE path='/_ing.dat'"), "1|recovered");
  // `custos files --deleted` lists them.
  auto files = Custos("files --deleted --json " + ShellQuote(case_path));
  ASSERT_EQ(files.exit_code, 0);
  EXPECT_NE(files.out.find("\"path\":\"/_ir1/dir2/frag3.dat\""), std::string::npos) << files.out;
}

TEST(TriageE2E, KillAtAnyMomentLeavesAValidCaseThatResumesToTheSameResult) {
  testing::TempDir dir;
  const std::string tree = dir.File("tree");
  testing::MakeTree(tree, 1500, 7);
  const std::string image = dir.File("disk.raw");
  ASSERT_EQ(Shell("mke2fs -q -F -t ext2 -d " + ShellQuote(tree) + " " + ShellQuote(image) + " 300M >&2").exit_code, 0);

  const std::string clean = dir.File("clean.custos");
  ASSERT_EQ(Custos("triage --threads 1 --case " + ShellQuote(clean) + " " + ShellQuote(image)).exit_code, 0);
  const auto expected = FileMd5s(clean);
  ASSERT_GT(expected.size(), 1500u);

  for (int delay_ms : {150, 400, 900}) {
    SCOPED_TRACE("killed after " + std::to_string(delay_ms) + " ms");
    const std::string case_path = dir.File("killed-" + std::to_string(delay_ms) + ".custos");
    const std::string cmd = std::string(CUSTOS_EXE) + " triage --quiet --threads 1 --case " + ShellQuote(case_path) +
                            " " + ShellQuote(image) + " 2>/dev/null & pid=$!; sleep " +
                            std::to_string(delay_ms / 1000.0) + "; kill -9 $pid; wait $pid; true";
    Shell(cmd);
    if (fs::exists(case_path)) {
      EXPECT_EQ(SqlOne(case_path, "PRAGMA integrity_check"), "ok");
    }
    auto resumed = Custos("triage --quiet --threads 1 --case " + ShellQuote(case_path) + " " + ShellQuote(image));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_EQ(FileMd5s(case_path), expected);
    EXPECT_EQ(SqlOne(case_path, "SELECT count(*) FROM file WHERE wants_content=1 AND content_state IS NULL"), "0");
  }
}

// The demo evidence (tests/fixtures/make-demo-evidence.sh): an MBR disk with NTFS and FAT32 partitions, as E01.
// Expected values come from mmls, fls, icat, file and ewfinfo run on the same image, and from the bytes the
// fixture script writes.
TEST(TriageE2E, DemoLaptopMatchesTheSleuthKitsOwnTools) {
  testing::TempDir dir;
  const std::string evidence = dir.File("evidence");
  const auto made =
      Shell(std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/make-demo-evidence.sh " + ShellQuote(evidence) + " >&2");
  if (made.exit_code != 0) GTEST_SKIP() << "the demo evidence could not be made here (needs root and FUSE for ntfs-3g)";
  const std::string image = evidence + "/laptop.E01";
  const std::string case_path = dir.File("demo.custos");
  auto run = Custos("triage --case " + ShellQuote(case_path) + " --exhibit JD/1 " + ShellQuote(image));
  ASSERT_EQ(run.exit_code, 0) << run.err;

  EXPECT_EQ(SqlOne(case_path, "SELECT verification, stored_md5 FROM exhibit"),
            "verified|" + EwfinfoValue(image, "MD5"));
  // mmls: NTFS at sector 2048, FAT32 at 247808; unallocated before the first and after the last.
  EXPECT_EQ(Sql(case_path,
                "SELECT kind, offset_bytes/512 FROM volume WHERE kind IN ('partition','unallocated') "
                "ORDER BY offset_bytes"),
            (std::vector<std::string>{"unallocated|0", "partition|2048", "partition|247808", "unallocated|346112"}));
  for (const char* fs_sector : {"2048", "247808"}) {
    SCOPED_TRACE(std::string("file system at sector ") + fs_sector);
    // NTFS's own metadata files ($Secure, $Extend/...) are left out: fls lists their named index attributes
    // ($Secure:$SDH) in place of the files, Custos lists the files and their $DATA streams only.
    const auto user_visible = [](std::set<std::string> paths) {
      std::erase_if(paths, [](const std::string& p) { return p.rfind("/$", 0) == 0; });
      return paths;
    };
    std::set<std::string> ours;
    for (const auto& p :
         Sql(case_path, std::string("SELECT f.path FROM file f JOIN filesystem s ON s.id=f.filesystem_id "
                                    "WHERE s.offset_bytes=512*") +
                            fs_sector + " AND f.path<>'/'")) {
      ours.insert(p);
    }
    EXPECT_EQ(user_visible(ours), user_visible(FlsPaths("-o " + std::string(fs_sector) + " " + ShellQuote(image))));
    int checked = 0;
    for (const auto& row : Sql(case_path, std::string("SELECT f.file_key, f.md5 FROM file f JOIN filesystem s ON "
                                                      "s.id=f.filesystem_id WHERE f.md5 IS NOT NULL AND "
                                                      "s.offset_bytes=512*") +
                                              fs_sector)) {
      const std::string key = row.substr(0, row.find(':')), md5 = row.substr(row.rfind('|') + 1);
      EXPECT_EQ(md5, Shell("icat -o " + std::string(fs_sector) + " " + ShellQuote(image) + " " + key + " | md5sum")
                         .out.substr(0, 32))
          << row;
      ++checked;
    }
    EXPECT_GE(checked, 4);  // the FAT card holds 4 files with content, the NTFS volume more
  }
  // The download's Zone.Identifier stream is a row of its own, with the bytes the fixture wrote.
  EXPECT_EQ(
      SqlOne(case_path, "SELECT kind, md5 FROM file WHERE path='/Users/jdoe/Downloads/invoice.pdf:Zone.Identifier'"),
      "ads|" + Shell("printf '[ZoneTransfer]\\r\\nZoneId=3\\r\\nHostUrl=https://files.example.net/invoice.pdf\\r\\n'"
                     " | md5sum")
                   .out.substr(0, 32));
  // Deleted and read back; its bytes are the fixture's.
  EXPECT_EQ(
      SqlOne(case_path, "SELECT deleted, content_state, md5 FROM file WHERE path='/Users/jdoe/Documents/ledger.csv'"),
      "1|recovered|" +
          Shell("printf 'Ledger\\r\\nDaz owes 2400\\r\\nMickey owes 850\\r\\n' | md5sum").out.substr(0, 32));
  // The picture saved as notes.txt: file(1) says what it is, and the mismatch is flagged.
  const std::string notes_key =
      SqlOne(case_path, "SELECT file_key FROM file WHERE path='/Users/jdoe/Documents/notes.txt'");
  const std::string file_says =
      testing::SplitLines(Shell("icat -o 2048 " + ShellQuote(image) + " " + notes_key.substr(0, notes_key.find(':')) +
                                " | file -b --mime-type -")
                              .out)
          .at(0);
  EXPECT_EQ(file_says, "image/jpeg");
  EXPECT_EQ(SqlOne(case_path, "SELECT mime, extension_mismatch FROM file WHERE path='/Users/jdoe/Documents/notes.txt'"),
            file_says + "|1");
  EXPECT_EQ(SqlOne(case_path, "SELECT count(*) FROM file WHERE extension_mismatch=1"), "1");
}

}  // namespace
}  // namespace custos
