// The Firefox parsers on the corpus places.sqlite (Firefox 5 era), downloads.sqlite and cookies.sqlite,
// and on a places.sqlite with download annotations and a formhistory.sqlite the tests write following
// Firefox's real schemas (the corpus has neither). Expected values were read with the sqlite3 shell from
// copies in a temporary folder, never from the corpus in place; PRTime converted by sqlite3 with
// datetime(t/1000000,'unixepoch') and t%1000000, seconds with date -u -d @S.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

constexpr const char* kProfile = "/Users/jd/AppData/Roaming/Mozilla/Firefox/Profiles/x1y2z3.default-release/";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string MakeDb(const TempDir& dir, const std::string& name, const std::string& sql) {
  const std::string script = dir.File(name + ".sql"), db = dir.File(name);
  std::ofstream(script) << sql;
  EXPECT_EQ(Shell("sqlite3 " + ShellQuote(db) + " < " + ShellQuote(script)).exit_code, 0) << name;
  return Slurp(db);
}

std::string Count(const std::string& path, const TempDir& dir, const std::string& sql) {
  const std::string copy = dir.File("copy-" + std::filesystem::path(path).filename().string());
  std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
  const auto r = Shell("sqlite3 " + ShellQuote(copy) + " " + ShellQuote(sql));
  EXPECT_EQ(r.exit_code, 0);
  return r.out.substr(0, r.out.find('\n'));
}

TEST(FirefoxPlacesParser, VisitsAndBookmarksWithFolders) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/browser/firefox/places.sqlite");
  TempDir dir;
  const Parsed p = ParseFile("browser.firefox.places", path, std::string(kProfile) + "places.sqlite");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  // One visit: news.google.com, typed (visit_type 2), 1309518981371935 = 2011-07-01 11:16:21.371935.
  ASSERT_EQ(std::to_string(p.Rows("browser.visit").size()), Count(path, dir, "SELECT count(*) FROM moz_historyvisits"));
  ASSERT_EQ(p.Rows("browser.visit").size(), 1u);
  const ArtefactRow& v = *p.Rows("browser.visit")[0];
  EXPECT_EQ(p.Text(v, "url"), "http://news.google.com/");
  EXPECT_EQ(p.Text(v, "title"), "Google News");
  EXPECT_EQ(UtcText(p.Int(v, "visit_time")), "2011-07-01 11:16:21.371935");
  EXPECT_EQ(p.Text(v, "transition"), "typed");
  EXPECT_EQ(p.Int(v, "transition_code"), 2);
  EXPECT_EQ(p.Int(v, "visit_count"), 1);
  EXPECT_EQ(p.Int(v, "typed_count"), 1);
  EXPECT_EQ(p.Text(v, "browser"), "Firefox");
  EXPECT_EQ(p.Text(v, "profile"), "x1y2z3.default-release");
  // 91 bookmarks (type 1); id 13 in "Ubuntu and Free Software links" (11) in "Bookmarks Menu" (2), added
  // 1181129907000000 = 2007-06-06 11:38:27; id 24 in "Latest Headlines" (23) in "Bookmarks Toolbar" (3).
  EXPECT_EQ(std::to_string(p.Rows("browser.bookmark").size()),
            Count(path, dir, "SELECT count(*) FROM moz_bookmarks WHERE type = 1"));
  const ArtefactRow* b = p.Find("browser.bookmark", "url", "http://www.ubuntulinux.org/wiki/FrontPage");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(p.Text(*b, "name"), "Ubuntu Wiki (community-edited website)");
  EXPECT_EQ(p.Text(*b, "folder"), "Bookmarks Menu/Ubuntu and Free Software links");
  EXPECT_EQ(UtcText(p.Int(*b, "added")), "2007-06-06 11:38:27.000000");
  const ArtefactRow* news = p.Find("browser.bookmark", "name", "'Doubts' over Strauss-Kahn case");
  ASSERT_NE(news, nullptr);
  EXPECT_EQ(p.Text(*news, "folder"), "Bookmarks Toolbar/Latest Headlines");
  EXPECT_EQ(UtcText(p.Int(*news, "added")), "2011-07-01 11:14:11.183175");
  EXPECT_TRUE(p.Rows("browser.download").empty());  // no download annotations in this one
}

TEST(FirefoxPlacesParser, DownloadsFromAnnotations) {
  TempDir dir;
  // Firefox 26+ layout; the download started 1659093689000000 (2022-07-29 11:21:29) and its metaData says
  // finished (1) at 1659093750123 ms (2022-07-29 11:22:30.123).
  const std::string db = MakeDb(dir, "places.sqlite", R"(
CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR, rev_host LONGVARCHAR,
 visit_count INTEGER DEFAULT 0, hidden INTEGER DEFAULT 0 NOT NULL, typed INTEGER DEFAULT 0 NOT NULL,
 frecency INTEGER DEFAULT -1 NOT NULL, last_visit_date INTEGER, guid TEXT, foreign_count INTEGER DEFAULT 0 NOT NULL,
 url_hash INTEGER DEFAULT 0 NOT NULL, description TEXT, preview_image_url TEXT, origin_id INTEGER);
CREATE TABLE moz_historyvisits (id INTEGER PRIMARY KEY, from_visit INTEGER, place_id INTEGER, visit_date INTEGER,
 visit_type INTEGER, session INTEGER);
CREATE TABLE moz_anno_attributes (id INTEGER PRIMARY KEY, name VARCHAR(32) UNIQUE NOT NULL);
CREATE TABLE moz_annos (id INTEGER PRIMARY KEY, place_id INTEGER NOT NULL, anno_attribute_id INTEGER,
 content LONGVARCHAR, flags INTEGER DEFAULT 0, expiration INTEGER DEFAULT 0, type INTEGER DEFAULT 0,
 dateAdded INTEGER DEFAULT 0, lastModified INTEGER DEFAULT 0);
CREATE UNIQUE INDEX moz_annos_placeattributeindex ON moz_annos (place_id, anno_attribute_id);
INSERT INTO moz_places (id, url, title, visit_count, last_visit_date)
 VALUES (1, 'https://downloads.example.com/tools/scanner%20setup.exe', NULL, 1, 1659093689000000);
INSERT INTO moz_historyvisits VALUES (1, 0, 1, 1659093689000000, 7, 0);
INSERT INTO moz_anno_attributes VALUES (1, 'downloads/destinationFileURI');
INSERT INTO moz_anno_attributes VALUES (2, 'downloads/metaData');
INSERT INTO moz_annos VALUES (1, 1, 1, 'file:///C:/Users/jd/Downloads/scanner%20setup.exe', 0, 4, 3,
 1659093689000000, 1659093689000000);
INSERT INTO moz_annos VALUES (2, 1, 2, '{"state":1,"endTime":1659093750123,"fileSize":1048576}', 0, 4, 3,
 1659093750123000, 1659093750123000);
)");
  const Parsed p = ParseBytes("browser.firefox.places", db, std::string(kProfile) + "places.sqlite");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("browser.download").size(), 1u);
  const ArtefactRow& d = *p.Rows("browser.download")[0];
  EXPECT_EQ(p.Text(d, "url"), "https://downloads.example.com/tools/scanner%20setup.exe");
  EXPECT_EQ(p.Text(d, "target_path"), "C:/Users/jd/Downloads/scanner setup.exe");
  EXPECT_EQ(UtcText(p.Int(d, "start_time")), "2022-07-29 11:21:29.000000");
  EXPECT_EQ(UtcText(p.Int(d, "end_time")), "2022-07-29 11:22:30.123000");
  EXPECT_EQ(p.Int(d, "total_bytes"), 1048576);
  EXPECT_EQ(p.Text(d, "state"), "complete");
  ASSERT_EQ(p.Rows("browser.visit").size(), 1u);
  EXPECT_EQ(p.Text(*p.Rows("browser.visit")[0], "transition"), "download");
}

TEST(FirefoxDownloadsParser, TheOlderDownloadsDatabase) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/browser/firefox/downloads.sqlite");
  const Parsed p = ParseFile("browser.firefox.downloads", path, std::string(kProfile) + "downloads.sqlite");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  // One row: startTime 1374173999312000 = 2013-07-18 18:59:59.312, endTime 1374174078578000, state 1.
  ASSERT_EQ(p.Rows("browser.download").size(), 1u);
  const ArtefactRow& d = *p.Rows("browser.download")[0];
  EXPECT_EQ(p.Text(d, "url"), "https://plaso.googlecode.com/files/plaso-static-1.0.1-win32-vs2008.zip");
  EXPECT_EQ(p.Text(d, "target_path"), "D:/plaso-static-1.0.1-win32-vs2008.zip");
  EXPECT_EQ(UtcText(p.Int(d, "start_time")), "2013-07-18 18:59:59.312000");
  EXPECT_EQ(UtcText(p.Int(d, "end_time")), "2013-07-18 19:01:18.578000");
  EXPECT_EQ(p.Int(d, "total_bytes"), 15974599);
  EXPECT_EQ(p.Int(d, "received_bytes"), 15974599);
  EXPECT_EQ(p.Text(d, "mime_type"), "application/zip");
  EXPECT_EQ(p.Text(d, "state"), "complete");
}

TEST(FirefoxCookiesParser, EveryCookieWithoutItsValue) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/browser/firefox/firefox_10_cookies.sqlite");
  TempDir dir;
  const Parsed p =
      ParseFile("browser.firefox.cookies", path, "/home/jd/.mozilla/firefox/ab12cd34.default-release/cookies.sqlite");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(std::to_string(p.Rows("browser.cookie").size()), Count(path, dir, "SELECT count(*) FROM moz_cookies"));
  // id 15: .youtube.com PREF, created 1683302440561329 (2023-05-05 16:00:40.561329), accessed
  // 1683302448981164, expiry 1746374448 s (2025-05-04 16:00:48), secure, not httpOnly, sameSite 1.
  const ArtefactRow* c = p.Find("browser.cookie", "name", "PREF");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->location, "moz_cookies id 15");
  EXPECT_EQ(p.Text(*c, "host"), ".youtube.com");
  EXPECT_EQ(UtcText(p.Int(*c, "created")), "2023-05-05 16:00:40.561329");
  EXPECT_EQ(UtcText(p.Int(*c, "last_accessed")), "2023-05-05 16:00:48.981164");
  EXPECT_EQ(UtcText(p.Int(*c, "expires")), "2025-05-04 16:00:48.000000");
  EXPECT_EQ(p.Int(*c, "secure"), 1);
  EXPECT_EQ(p.Int(*c, "http_only"), 0);
  EXPECT_EQ(p.Text(*c, "same_site"), "lax");
  EXPECT_EQ(p.Text(*c, "profile"), "ab12cd34.default-release");
}

TEST(FirefoxFormHistoryParser, FormEntries) {
  TempDir dir;
  // firstUsed 1640995200000000 (2022-01-01), lastUsed 1672531200000000 (2023-01-01), PRTime.
  const std::string db = MakeDb(dir, "formhistory.sqlite", R"(
CREATE TABLE moz_formhistory (id INTEGER PRIMARY KEY, fieldname TEXT NOT NULL, value TEXT NOT NULL,
 timesUsed INTEGER, firstUsed INTEGER, lastUsed INTEGER, guid TEXT);
CREATE TABLE moz_deleted_formhistory (id INTEGER PRIMARY KEY, timeDeleted INTEGER, guid TEXT);
INSERT INTO moz_formhistory VALUES (1, 'searchbar-history', 'ferry times calais', 3, 1640995200000000,
 1672531200000000, 'a1b2c3d4e5f6');
INSERT INTO moz_formhistory VALUES (2, 'email', 'j.doe@example.com', 1, 1659093689000000, 1659093689000000,
 'b1c2d3e4f5a6');
)");
  const Parsed p = ParseBytes("browser.firefox.formhistory", db, std::string(kProfile) + "formhistory.sqlite");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("browser.autofill").size(), 2u);
  const ArtefactRow* a = p.Find("browser.autofill", "field_name", "searchbar-history");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(p.Text(*a, "value"), "ferry times calais");
  EXPECT_EQ(p.Int(*a, "times_used"), 3);
  EXPECT_EQ(UtcText(p.Int(*a, "first_used")), "2022-01-01 00:00:00.000000");
  EXPECT_EQ(UtcText(p.Int(*a, "last_used")), "2023-01-01 00:00:00.000000");
  // A database of another kind under the same name: refused with a reason.
  const std::string wrong = MakeDb(dir, "wrong.sqlite", "CREATE TABLE t(a);");
  EXPECT_FALSE(
      ParseBytes("browser.firefox.formhistory", wrong, std::string(kProfile) + "formhistory.sqlite").status.ok());
}

// Every browser parser that declares a kind declares the same fields for it: the store makes one table.
TEST(FirefoxParsers, SharedKindsAreDeclaredAlikeByEveryBrowserParser) {
  std::map<std::string, std::vector<std::string>> fields;
  int shared = 0;
  for (const auto& parser : ParserRegistry::Global().parsers()) {
    if (parser->name().rfind("browser.", 0) != 0) continue;
    for (const auto& kind : parser->kinds()) {
      std::vector<std::string> names;
      for (const auto& f : kind.fields) names.push_back(f.name + ":" + std::to_string(static_cast<int>(f.type)));
      auto [it, fresh] = fields.emplace(kind.kind, names);
      if (!fresh) {
        ++shared;
        EXPECT_EQ(it->second, names) << kind.kind << " differs in " << parser->name();
      }
    }
  }
  EXPECT_GE(shared, 5);  // visit x3, download x2, cookie, autofill, bookmark
}

}  // namespace
}  // namespace custos::testing
