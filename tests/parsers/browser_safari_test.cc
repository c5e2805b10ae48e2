// browser.safari.history on the corpus History.db. Expected values were read with the sqlite3 shell from a
// copy in a temporary folder; Mac absolute times converted with datetime(t+978307200,'unixepoch') and the
// microseconds with python3 (round(531955468.829831*1e6)).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

constexpr const char* kPath = "/Users/jd/Library/Safari/History.db";

TEST(SafariHistoryParser, EveryVisitWithItsPage) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/browser/safari/History.db");
  TempDir dir;
  const std::string copy = dir.File("History.db");
  std::filesystem::copy_file(path, copy);
  const Parsed p = ParseFile("browser.safari.history", path, kPath);
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  const auto count = Shell("sqlite3 " + ShellQuote(copy) + " 'SELECT count(*) FROM history_visits'");
  ASSERT_EQ(count.exit_code, 0);
  EXPECT_EQ(std::to_string(p.Rows("browser.visit").size()) + "\n", count.out);  // 25
  // history_visits id 38: www.facebook.com at 531955468.829831 (2017-11-09 21:24:28.829831), redirected
  // from visit 37 (http://facebook.com/).
  const ArtefactRow* v = nullptr;
  for (const ArtefactRow* r : p.Rows("browser.visit")) {
    if (r->location == "history_visits id 38") v = r;
  }
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(p.Text(*v, "url"), "https://www.facebook.com/");
  EXPECT_EQ(p.Text(*v, "title"), "Facebook - Log In or Sign Up");
  EXPECT_EQ(UtcText(p.Int(*v, "visit_time")), "2017-11-09 21:24:28.829831");
  EXPECT_EQ(p.Text(*v, "from_url"), "http://facebook.com/");
  EXPECT_EQ(p.Int(*v, "visit_count"), 1);
  EXPECT_EQ(p.Text(*v, "browser"), "Safari");
  EXPECT_TRUE(p.IsNull(*v, "profile"));
  EXPECT_TRUE(p.IsNull(*v, "transition"));
  // id 43: finance.yahoo.com at 531955498.92247 (2017-11-09 21:24:58.922470).
  const ArtefactRow* y = p.Find("browser.visit", "url", "https://finance.yahoo.com/");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(UtcText(p.Int(*y, "visit_time")), "2017-11-09 21:24:58.922470");
  EXPECT_EQ(p.Int(*y, "visit_count"), 2);
}

TEST(SafariHistoryParser, WantsHistoryDbOnlyUnderSafari) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/browser/safari/History.db");
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(ParseBytes("browser.safari.history", bytes,
                         "/private/var/mobile/Containers/Data/Application/AB12/Library/Safari/History.db")
                  .wanted);
  const Parsed profile =
      ParseBytes("browser.safari.history", bytes,
                 "/Users/jd/Library/Containers/com.apple.Safari/Data/Library/Safari/Profiles/6D1A2B3C/History.db");
  ASSERT_FALSE(profile.Rows("browser.visit").empty());
  EXPECT_EQ(profile.Text(*profile.Rows("browser.visit")[0], "profile"), "6D1A2B3C");
  EXPECT_FALSE(ParseBytes("browser.safari.history", bytes, "/Users/jd/Documents/History.db").wanted);
  for (size_t cut : {size_t{100}, size_t{4096}, bytes.size() / 2}) {
    const Parsed c = ParseBytes("browser.safari.history", bytes.substr(0, cut), kPath);
    EXPECT_LE(c.Rows("browser.visit").size(), 25u) << "cut at " << cut;
  }
}

}  // namespace
}  // namespace custos::testing
