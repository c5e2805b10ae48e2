// windows.activities_cache on the corpus ActivitiesCache.db, and on a database the test makes whose last
// activity sits only in its WAL. Expected values were read with the sqlite3 shell (and its json_extract)
// from a copy in a temporary folder, never from the corpus file in place (opening it there would create
// -shm/-wal files beside it); times converted with `date -u -d @SECONDS`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

constexpr const char* kPath = "/Users/x/AppData/Local/ConnectedDevicesPlatform/L.x/ActivitiesCache.db";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(ActivitiesCacheParser, EveryActivityWithItsApplicationAndTimes) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/windows/ActivitiesCache.db");
  TempDir dir;
  const std::string copy = dir.File("ac.db");
  std::filesystem::copy_file(path, copy);
  const Parsed p = ParseFile("windows.activities_cache", path, kPath);
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  const auto count = Shell("sqlite3 " + ShellQuote(copy) + " 'SELECT count(*) FROM Activity'");
  ASSERT_EQ(count.exit_code, 0);
  EXPECT_EQ(std::to_string(p.Rows("windows.timeline_activity").size()) + "\n", count.out);  // 112
  // Id 71E4F618...: Settings in use from 1532520280 (2018-07-25 12:04:40 UTC) to 1532521575, 790 s active.
  const ArtefactRow* r = p.Find("windows.timeline_activity", "activity_id", "71E4F618DDFC60E70B3F7D4C24EFC255");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Text(*r, "application"),
            "windows.immersivecontrolpanel_cw5n1h2txyewy!microsoft.windows.immersivecontrolpanel");
  EXPECT_EQ(p.Text(*r, "activity_type"), "in use");
  EXPECT_EQ(UtcText(p.Int(*r, "start_time")), "2018-07-25 12:04:40.000000");
  EXPECT_EQ(p.Int(*r, "end_time"), int64_t{1532521575} * 1000000);
  EXPECT_EQ(p.Int(*r, "active_seconds"), 790);
  EXPECT_EQ(p.Text(*r, "user_timezone"), "America/Los_Angeles");
  // Id 89FF267F...: OneDrive opened; the Win32 entry of AppId names the program.
  const ArtefactRow* onedrive = p.Find("windows.timeline_activity", "activity_id", "89FF267F806219A580F0BEAD9044A6D1");
  ASSERT_NE(onedrive, nullptr);
  EXPECT_EQ(p.Text(*onedrive, "application"), "Microsoft.SkyDrive.Desktop");
  EXPECT_EQ(p.Text(*onedrive, "display_name"), "OneDrive");
  EXPECT_EQ(p.Text(*onedrive, "activity_type"), "opened");
}

// tests/fixtures/make-wal-activities.py makes, with Python's sqlite3 module (an independent writer), a
// database whose second activity (C:\b.exe) sits only in its WAL.
TEST(ActivitiesCacheParser, ActivityOnlyInTheWalIsRead) {
  TempDir dir;
  ASSERT_EQ(Shell(std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/make-wal-activities.py " +
                  ShellQuote(dir.path().string()))
                .exit_code,
            0);
  const std::string db = Slurp(dir.File("ActivitiesCache.db")), wal = Slurp(dir.File("ActivitiesCache.db-wal"));
  ASSERT_GT(wal.size(), 32u);
  const Parsed without = ParseBytes("windows.activities_cache", db, kPath);
  ASSERT_TRUE(without.status.ok()) << without.status.ToString();
  EXPECT_EQ(without.Rows("windows.timeline_activity").size(), 1u);
  const Parsed with = ParseBytes("windows.activities_cache", db, kPath, {{"-wal", wal}});
  ASSERT_TRUE(with.status.ok()) << with.status.ToString();
  ASSERT_EQ(with.Rows("windows.timeline_activity").size(), 2u);
  EXPECT_NE(with.Find("windows.timeline_activity", "application", "C:\\b.exe"), nullptr);
  // The private copy is gone afterwards.
  EXPECT_EQ(Shell("ls -d ${TMPDIR:-/tmp}/custos-sqlite-* 2>/dev/null | wc -l").out, "0\n");
}

TEST(ActivitiesCacheParser, DamagedDatabasesFailCleanly) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/windows/ActivitiesCache.db");
  const std::string bytes = Slurp(path);
  for (size_t cut : {size_t{16}, size_t{100}, size_t{4096}, bytes.size() / 2}) {
    const Parsed p = ParseBytes("windows.activities_cache", bytes.substr(0, cut), kPath);
    EXPECT_LE(p.Rows("windows.timeline_activity").size(), 112u) << "cut at " << cut;  // never invents rows
  }
  EXPECT_FALSE(
      ParseBytes("windows.activities_cache", "SQLite format 3" + std::string(1, '\0') + std::string(5000, 'x'), kPath)
          .status.ok());
  EXPECT_FALSE(ParseBytes("windows.activities_cache", std::string(1000, 'r'), kPath).wanted);
}

}  // namespace
}  // namespace custos::testing
