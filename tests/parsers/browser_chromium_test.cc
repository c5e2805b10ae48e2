// The Chromium parsers on the corpus History databases (schema versions 20, 32, 33 and 36) and Cookies
// (Chrome 68), and on Login Data, Web Data and Bookmarks files the tests write following Chrome's real
// schemas (the corpus has none). Expected values were read with the sqlite3 shell from copies in a
// temporary folder, never from the corpus in place; WebKit times converted by sqlite3 itself with
// datetime(t/1000000-11644473600,'unixepoch') and t%1000000 for the fraction, Unix times with date -u -d @S.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

constexpr const char* kProfile = "/Users/jd/AppData/Local/Google/Chrome/User Data/Default/";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Writes a database with the sqlite3 shell (an independent writer) from SQL text; returns its bytes.
std::string MakeDb(const TempDir& dir, const std::string& name, const std::string& sql) {
  const std::string script = dir.File(name + ".sql"), db = dir.File(name);
  std::ofstream(script) << sql;
  EXPECT_EQ(Shell("sqlite3 " + ShellQuote(db) + " < " + ShellQuote(script)).exit_code, 0) << name;
  return Slurp(db);
}

// A corpus file copied into `dir`, so the sqlite3 shell can count rows without touching the corpus.
std::string Count(const std::string& path, const TempDir& dir, const std::string& sql) {
  const std::string copy = dir.File("copy-" + std::filesystem::path(path).filename().string());
  std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
  const auto r = Shell("sqlite3 " + ShellQuote(copy) + " " + ShellQuote(sql));
  EXPECT_EQ(r.exit_code, 0);
  return r.out.substr(0, r.out.find('\n'));
}

TEST(ChromiumHistoryParser, VisitsDownloadsAndSearchesOfAnOldSchema) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/browser/chrome/History");
  TempDir dir;
  const Parsed p = ParseFile("browser.chromium.history", path, std::string(kProfile) + "History");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  EXPECT_EQ(std::to_string(p.Rows("browser.visit").size()), Count(path, dir, "SELECT count(*) FROM visits"));  // 69
  EXPECT_EQ(p.Rows("browser.visit").size(), 69u);
  // visits id 45: urls id for en.softsia.com, 2011-05-23 08:35:53.486108, transition 0x31000000.
  const ArtefactRow* v = nullptr;
  for (const ArtefactRow* r : p.Rows("browser.visit")) {
    if (r->location == "visits id 45") v = r;
  }
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(p.Text(*v, "url"), "http://en.softsia.com/soft-cats-download-1.html");
  EXPECT_EQ(p.Text(*v, "title"), "Best Soft Cats Downloads: SoftCats Free - CatsSoft Reviews");
  EXPECT_EQ(UtcText(p.Int(*v, "visit_time")), "2011-05-23 08:35:53.486108");
  EXPECT_EQ(v->time, p.Int(*v, "visit_time"));
  EXPECT_EQ(p.Text(*v, "transition"), "link");
  EXPECT_EQ(p.Text(*v, "transition_qualifiers"), "forward_back|chain_start|chain_end");
  EXPECT_EQ(p.Int(*v, "transition_code"), 0x31000000);
  EXPECT_EQ(p.Int(*v, "visit_count"), 2);
  EXPECT_EQ(p.Int(*v, "typed_count"), 0);
  EXPECT_EQ(p.Text(*v, "source"), "browsed");
  EXPECT_TRUE(p.IsNull(*v, "visit_duration_us"));  // version 20 has no visit_duration
  EXPECT_EQ(p.Text(*v, "browser"), "Chrome");
  EXPECT_EQ(p.Text(*v, "profile"), "Default");
  // visits id 20: www.google.ch, from visit 19 (www.google.com), a server redirect typed in (0xa0000001).
  const ArtefactRow* redirect = p.Find("browser.visit", "url", "http://www.google.ch/");
  ASSERT_NE(redirect, nullptr);
  EXPECT_EQ(p.Text(*redirect, "from_url"), "http://www.google.com/");
  EXPECT_EQ(p.Text(*redirect, "transition"), "typed");
  EXPECT_EQ(p.Text(*redirect, "transition_qualifiers"), "chain_end|server_redirect");
  // visit_source holds 3 (imported from Firefox) for visits 1 to 15.
  const ArtefactRow* imported = p.Find("browser.visit", "url", "http://start.ubuntu.com/10.04/Google/");
  ASSERT_NE(imported, nullptr);
  EXPECT_EQ(p.Text(*imported, "source"), "imported_firefox");
  // downloads id 2: start_time 1306139765 is seconds since 1970 before version 24 (2011-05-23 08:36:05).
  ASSERT_EQ(p.Rows("browser.download").size(), 2u);
  const ArtefactRow* d = p.Find("browser.download", "target_path", "/home/john/Downloads/Cats Demo.exe");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(p.Text(*d, "url"), "http://www.photoscreensavers.us/Cats%20Demo.exe");
  EXPECT_EQ(UtcText(p.Int(*d, "start_time")), "2011-05-23 08:36:05.000000");
  EXPECT_EQ(p.Int(*d, "total_bytes"), 1308799);
  EXPECT_EQ(p.Int(*d, "received_bytes"), 1308799);
  EXPECT_EQ(p.Text(*d, "state"), "complete");
  // keyword_search_terms: three terms; "funny cats" on a page last visited 2011-05-23 08:34:40.436195.
  ASSERT_EQ(p.Rows("browser.search").size(), 3u);
  const ArtefactRow* s = p.Find("browser.search", "term", "funny cats");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(p.Text(*s, "url"), "http://www.google.ch/search?sourceid=chrome&ie=UTF-8&q=funny+cats");
  EXPECT_EQ(UtcText(p.Int(*s, "last_visit_time")), "2011-05-23 08:34:40.436195");
}

TEST(ChromiumHistoryParser, NewerSchemasWithUrlChainsAndDangerTypes) {
  for (const char* version : {"57.0.2987.133", "58.0.3029.96", "59.0.3071.86"}) {
    CUSTOS_REQUIRE_CORPUS(path, std::string("artefacts/browser/chrome/History-") + version);
    const Parsed p =
        ParseFile("browser.chromium.history", path, "/home/ubuntu/.config/google-chrome/Profile 2/History");
    EXPECT_TRUE(p.wanted) << version;
    ASSERT_TRUE(p.status.ok()) << version << ": " << p.status.ToString();
    EXPECT_TRUE(p.out.problems.empty()) << version;
    ASSERT_EQ(p.Rows("browser.visit").size(), 1u) << version;
    ASSERT_EQ(p.Rows("browser.download").size(), 1u) << version;
    const ArtefactRow& v = *p.Rows("browser.visit")[0];
    EXPECT_EQ(p.Text(v, "url"),
              "https://raw.githubusercontent.com/dfirlabs/chrome-specimens/master/generate-specimens.sh");
    EXPECT_EQ(p.Text(v, "transition"), "auto_toplevel");  // 805306374 = 0x30000006
    EXPECT_EQ(p.Int(v, "visit_duration_us"), 0);
    EXPECT_EQ(p.Text(v, "profile"), "Profile 2");
    const ArtefactRow& d = *p.Rows("browser.download")[0];
    EXPECT_EQ(p.Text(d, "target_path"), "/home/ubuntu/Downloads/plaso-20171231.1.win32.msi");
    EXPECT_EQ(p.Text(d, "url"),
              "https://raw.githubusercontent.com/log2timeline/l2tbinaries/master/win32/plaso-20171231.1.win32.msi");
    EXPECT_EQ(p.Int(d, "total_bytes"), 3080192);
    EXPECT_EQ(p.Text(d, "state"), "complete");
    EXPECT_EQ(p.Text(d, "danger_type"), "maybe_dangerous_content");  // 4
    EXPECT_EQ(p.Int(d, "opened"), 0);
    EXPECT_EQ(p.Text(d, "mime_type"), "application/octet-stream");
    EXPECT_EQ(p.Text(d, "browser"), "Chrome");
  }
  // History-59: start 13161017331811123 (2018-01-21 14:08:51.811123), end 13161017332662377, visit
  // 13161017332037692.
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/browser/chrome/History-59.0.3071.86");
  const Parsed p = ParseFile("browser.chromium.history", path, std::string(kProfile) + "History");
  ASSERT_EQ(p.Rows("browser.download").size(), 1u);
  const ArtefactRow& d = *p.Rows("browser.download")[0];
  EXPECT_EQ(UtcText(p.Int(d, "start_time")), "2018-01-21 14:08:51.811123");
  EXPECT_EQ(UtcText(p.Int(d, "end_time")), "2018-01-21 14:08:52.662377");
  EXPECT_EQ(UtcText(p.Int(*p.Rows("browser.visit")[0], "visit_time")), "2018-01-21 14:08:52.037692");
}

TEST(ChromiumCookiesParser, EveryCookieWithoutItsValue) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/browser/chrome/Cookies-68.0.3440.106");
  TempDir dir;
  const Parsed p = ParseFile("browser.chromium.cookies", path,
                             "/Users/jd/AppData/Local/Microsoft/Edge/User Data/Default/Network/Cookies");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(std::to_string(p.Rows("browser.cookie").size()), Count(path, dir, "SELECT count(*) FROM cookies"));  // 5
  // rowid 19487: .fbi.gov __cfduid, created and accessed 2018-08-20 17:19:53.134291, expires 2019-08-20.
  const ArtefactRow* c = p.Find("browser.cookie", "host", ".fbi.gov");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->location, "cookies rowid 19487");
  EXPECT_EQ(p.Text(*c, "name"), "__cfduid");
  EXPECT_EQ(p.Text(*c, "path"), "/");
  EXPECT_EQ(UtcText(p.Int(*c, "created")), "2018-08-20 17:19:53.134291");
  EXPECT_EQ(UtcText(p.Int(*c, "last_accessed")), "2018-08-20 17:19:53.134291");
  EXPECT_EQ(UtcText(p.Int(*c, "expires")), "2019-08-20 17:19:53.134291");
  EXPECT_EQ(p.Int(*c, "secure"), 0);
  EXPECT_EQ(p.Int(*c, "http_only"), 1);
  EXPECT_EQ(p.Int(*c, "persistent"), 1);
  EXPECT_EQ(p.Text(*c, "same_site"), "none");  // firstpartyonly 0
  EXPECT_EQ(p.Text(*c, "browser"), "Edge");
  EXPECT_EQ(p.Text(*c, "profile"), "Default");  // Network/ is skipped
  // The encrypted values (19 to 103 bytes each) appear in no field.
  for (const ArtefactRow* r : p.Rows("browser.cookie")) EXPECT_EQ(r->values.size(), 12u);
}

TEST(ChromiumLoginDataParser, SavedUserNamesNeverPasswords) {
  TempDir dir;
  // Chrome 80's logins table; times in µs since 1601: 13285468800000000 = 2022-01-01 00:00:00 UTC
  // (13285468800 - 11644473600 = 1640995200), date_last_used 13317004800000000 = 2023-01-01.
  const std::string db = MakeDb(dir, "Login Data", R"(
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
INSERT INTO meta VALUES('version','28');
CREATE TABLE logins (origin_url VARCHAR NOT NULL, action_url VARCHAR, username_element VARCHAR, username_value VARCHAR,
 password_element VARCHAR, password_value BLOB, submit_element VARCHAR, signon_realm VARCHAR NOT NULL,
 date_created INTEGER NOT NULL, blacklisted_by_user INTEGER NOT NULL, scheme INTEGER NOT NULL, password_type INTEGER,
 times_used INTEGER, form_data BLOB, display_name VARCHAR, icon_url VARCHAR, federation_url VARCHAR,
 skip_zero_click INTEGER, generation_upload_status INTEGER, possible_username_pairs BLOB,
 id INTEGER PRIMARY KEY AUTOINCREMENT, date_last_used INTEGER NOT NULL DEFAULT 0, moving_blocked_for BLOB,
 date_password_modified INTEGER NOT NULL DEFAULT 0,
 UNIQUE (origin_url, username_element, username_value, password_element, signon_realm));
INSERT INTO logins (origin_url, action_url, username_element, username_value, password_element, password_value,
 submit_element, signon_realm, date_created, blacklisted_by_user, scheme, times_used, date_last_used)
 VALUES ('https://accounts.example.com/login', 'https://accounts.example.com/session', 'email', 'j.doe@example.com',
 'pass', X'7631305365637265745061737377', '', 'https://accounts.example.com/', 13285468800000000, 0, 0, 7,
 13317004800000000);
INSERT INTO logins (origin_url, action_url, username_element, username_value, password_element, password_value,
 submit_element, signon_realm, date_created, blacklisted_by_user, scheme, times_used)
 VALUES ('https://forum.example.org/', '', '', '', '', X'', '', 'https://forum.example.org/', 13285468800000000, 1, 0, 0);
)");
  const Parsed p = ParseBytes("browser.chromium.login_data", db,
                              "/Users/jd/AppData/Local/Microsoft/Edge/User Data/Profile 1/Login Data");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("browser.saved_login").size(), 2u);
  const ArtefactRow* l = p.Find("browser.saved_login", "username", "j.doe@example.com");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(p.Text(*l, "origin_url"), "https://accounts.example.com/login");
  EXPECT_EQ(p.Text(*l, "signon_realm"), "https://accounts.example.com/");
  EXPECT_EQ(UtcText(p.Int(*l, "created")), "2022-01-01 00:00:00.000000");
  EXPECT_EQ(UtcText(p.Int(*l, "last_used")), "2023-01-01 00:00:00.000000");
  EXPECT_EQ(p.Int(*l, "times_used"), 7);
  EXPECT_EQ(p.Int(*l, "never_save"), 0);
  EXPECT_EQ(p.Text(*l, "browser"), "Edge");
  EXPECT_EQ(p.Text(*l, "profile"), "Profile 1");
  // The password bytes ("v10SecretPassw") are in no value and no summary.
  for (const auto& row : p.out.rows) {
    EXPECT_EQ(row.summary.find("Secret"), std::string::npos);
    for (const auto& value : row.values) {
      if (const auto* s = std::get_if<std::string>(&value)) {
        EXPECT_EQ(s->find("Secret"), std::string::npos);
      }
    }
  }
  const ArtefactRow* never = p.Find("browser.saved_login", "origin_url", "https://forum.example.org/");
  ASSERT_NE(never, nullptr);
  EXPECT_EQ(p.Int(*never, "never_save"), 1);
  EXPECT_TRUE(p.IsNull(*never, "username"));
}

TEST(ChromiumWebDataParser, AutofillEntriesInBothLayouts) {
  TempDir dir;
  // Current layout: date_created 1640995200 (2022-01-01), date_last_used 1672531200 (2023-01-01), seconds.
  const std::string current = MakeDb(dir, "Web Data", R"(
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE autofill (name VARCHAR, value VARCHAR, value_lower VARCHAR, date_created INTEGER DEFAULT 0,
 date_last_used INTEGER DEFAULT 0, count INTEGER DEFAULT 1, PRIMARY KEY (name, value));
INSERT INTO autofill VALUES ('email', 'j.doe@example.com', 'j.doe@example.com', 1640995200, 1672531200, 4);
INSERT INTO autofill VALUES ('q', 'ferry times calais', 'ferry times calais', 1659093689, 1659093689, 1);
)");
  const Parsed p =
      ParseBytes("browser.chromium.web_data", current, "/home/jd/.config/BraveSoftware/Brave-Browser/Default/Web Data");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("browser.autofill").size(), 2u);
  const ArtefactRow* a = p.Find("browser.autofill", "field_name", "email");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(p.Text(*a, "value"), "j.doe@example.com");
  EXPECT_EQ(p.Int(*a, "times_used"), 4);
  EXPECT_EQ(UtcText(p.Int(*a, "first_used")), "2022-01-01 00:00:00.000000");
  EXPECT_EQ(UtcText(p.Int(*a, "last_used")), "2023-01-01 00:00:00.000000");
  EXPECT_EQ(p.Text(*a, "browser"), "Brave");
  // Before 2013: one autofill_dates row per use.
  const std::string old = MakeDb(dir, "old-web-data", R"(
CREATE TABLE autofill (name VARCHAR, value VARCHAR, value_lower VARCHAR, pair_id INTEGER PRIMARY KEY,
 count INTEGER DEFAULT 1);
CREATE TABLE autofill_dates (pair_id INTEGER DEFAULT 0, date_created INTEGER DEFAULT 0);
INSERT INTO autofill VALUES ('name', 'John Doe', 'john doe', 1, 2);
INSERT INTO autofill_dates VALUES (1, 1672531200);
INSERT INTO autofill_dates VALUES (1, 1640995200);
)");
  const Parsed o = ParseBytes("browser.chromium.web_data", old, std::string(kProfile) + "Web Data");
  ASSERT_TRUE(o.status.ok()) << o.status.ToString();
  ASSERT_EQ(o.Rows("browser.autofill").size(), 1u);
  const ArtefactRow& r = *o.Rows("browser.autofill")[0];
  EXPECT_EQ(o.Text(r, "value"), "John Doe");
  EXPECT_EQ(UtcText(o.Int(r, "first_used")), "2022-01-01 00:00:00.000000");
  EXPECT_EQ(UtcText(o.Int(r, "last_used")), "2023-01-01 00:00:00.000000");
}

// Address profiles and payment cards as Chrome 80-112 writes them (autofill_profiles with its names, emails
// and phones tables; credit_cards with the number encrypted). Times in seconds since 1970: 1659093689 is
// 2022-07-29 11:21:29 and 1672531200 2023-01-01 00:00:00 (date -u -d @S).
TEST(ChromiumWebDataParser, AddressProfilesAndCardsNeverTheCardNumber) {
  TempDir dir;
  const std::string db = MakeDb(dir, "Web Data", R"(
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE autofill (name VARCHAR, value VARCHAR, value_lower VARCHAR, date_created INTEGER DEFAULT 0,
 date_last_used INTEGER DEFAULT 0, count INTEGER DEFAULT 1, PRIMARY KEY (name, value));
CREATE TABLE autofill_profiles ( guid VARCHAR PRIMARY KEY, company_name VARCHAR, street_address VARCHAR,
 dependent_locality VARCHAR, city VARCHAR, state VARCHAR, zipcode VARCHAR, sorting_code VARCHAR,
 country_code VARCHAR, date_modified INTEGER NOT NULL DEFAULT 0, origin VARCHAR DEFAULT '', language_code VARCHAR,
 use_count INTEGER NOT NULL DEFAULT 0, use_date INTEGER NOT NULL DEFAULT 0, validity_bitfield UNSIGNED NOT NULL
 DEFAULT 0, is_client_validity_states_updated BOOL NOT NULL DEFAULT FALSE);
CREATE TABLE autofill_profile_names ( guid VARCHAR, first_name VARCHAR, middle_name VARCHAR, last_name VARCHAR,
 full_name VARCHAR);
CREATE TABLE autofill_profile_emails ( guid VARCHAR, email VARCHAR);
CREATE TABLE autofill_profile_phones ( guid VARCHAR, number VARCHAR);
CREATE TABLE credit_cards ( guid VARCHAR PRIMARY KEY, name_on_card VARCHAR, expiration_month INTEGER,
 expiration_year INTEGER, card_number_encrypted BLOB, date_modified INTEGER NOT NULL DEFAULT 0, origin VARCHAR
 DEFAULT '', use_count INTEGER NOT NULL DEFAULT 0, use_date INTEGER NOT NULL DEFAULT 0, billing_address_id VARCHAR,
 nickname VARCHAR);
INSERT INTO autofill_profiles VALUES ('6f1c2d3e-0000-4000-8000-000000000001', 'Acme Freight Ltd',
 '12 Dock Road' || char(10) || 'Unit 4', '', 'Dover', 'Kent', 'CT16 1JA', '', 'GB', 1659093689,
 'https://www.ferries.example/checkout', 'en', 3, 1672531200, 0, 0);
INSERT INTO autofill_profile_names VALUES ('6f1c2d3e-0000-4000-8000-000000000001', 'John', 'A', 'Doe', '');
INSERT INTO autofill_profile_emails VALUES ('6f1c2d3e-0000-4000-8000-000000000001', 'j.doe@example.com');
INSERT INTO autofill_profile_phones VALUES ('6f1c2d3e-0000-4000-8000-000000000001', '+44 7700 900123');
INSERT INTO credit_cards VALUES ('9a8b7c6d-0000-4000-8000-000000000002', 'J A DOE', 7, 2027,
 X'763130a1b2c3d4e5f60718293a4b5c6d7e8f', 1659093689, 'settings', 2, 1672531200, '', 'Travel card');
)");
  const Parsed p = ParseBytes("browser.chromium.web_data", db, std::string(kProfile) + "Web Data");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  ASSERT_EQ(p.Rows("browser.autofill_profile").size(), 1u);
  const ArtefactRow& a = *p.Rows("browser.autofill_profile")[0];
  EXPECT_EQ(p.Text(a, "full_name"), "John A Doe");  // first, middle and last joined: full_name is empty
  EXPECT_EQ(p.Text(a, "company"), "Acme Freight Ltd");
  EXPECT_EQ(p.Text(a, "street_address"), "12 Dock Road\nUnit 4");
  EXPECT_EQ(p.Text(a, "city"), "Dover");
  EXPECT_EQ(p.Text(a, "state"), "Kent");
  EXPECT_EQ(p.Text(a, "postcode"), "CT16 1JA");
  EXPECT_EQ(p.Text(a, "country_code"), "GB");
  EXPECT_EQ(p.Text(a, "emails"), "j.doe@example.com");
  EXPECT_EQ(p.Text(a, "phone_numbers"), "+44 7700 900123");
  EXPECT_EQ(UtcText(p.Int(a, "modified")), "2022-07-29 11:21:29.000000");
  EXPECT_EQ(UtcText(p.Int(a, "last_used")), "2023-01-01 00:00:00.000000");
  EXPECT_EQ(p.Int(a, "times_used"), 3);
  EXPECT_EQ(p.Text(a, "source"), "https://www.ferries.example/checkout");
  EXPECT_EQ(p.Text(a, "browser"), "Chrome");
  ASSERT_EQ(p.Rows("browser.credit_card").size(), 1u);
  const ArtefactRow& c = *p.Rows("browser.credit_card")[0];
  EXPECT_EQ(p.Text(c, "name_on_card"), "J A DOE");
  EXPECT_EQ(p.Int(c, "expiry_month"), 7);
  EXPECT_EQ(p.Int(c, "expiry_year"), 2027);
  EXPECT_EQ(p.Text(c, "nickname"), "Travel card");
  EXPECT_EQ(UtcText(p.Int(c, "modified")), "2022-07-29 11:21:29.000000");
  EXPECT_EQ(UtcText(p.Int(c, "last_used")), "2023-01-01 00:00:00.000000");
  EXPECT_EQ(p.Text(c, "source"), "settings");
  // Nothing of the encrypted number reaches any field.
  for (const FieldValue& v : c.values) {
    EXPECT_FALSE(std::holds_alternative<std::vector<uint8_t>>(v));
    if (const auto* text = std::get_if<std::string>(&v)) {
      EXPECT_EQ(text->find("v10"), std::string::npos) << *text;
    }
  }
  EXPECT_TRUE(p.Rows("browser.autofill").empty());
}

// Top Sites: the top_sites table of Chrome 78 and later, and the thumbnails table before it (last_updated
// in WebKit µs: 13303567289000000 = 2022-07-29 11:21:29 UTC).
TEST(ChromiumTopSitesParser, MostVisitedSitesInBothLayouts) {
  TempDir dir;
  const std::string current = MakeDb(dir, "Top Sites", R"(
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE top_sites(url LONGVARCHAR PRIMARY KEY, url_rank INTEGER, title LONGVARCHAR);
INSERT INTO top_sites VALUES ('https://www.ferries.example/', 1, 'Ferries to France');
INSERT INTO top_sites VALUES ('https://mail.example.com/', 0, 'Inbox');
)");
  const Parsed p = ParseBytes("browser.chromium.top_sites", current, std::string(kProfile) + "Top Sites");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  const auto rows = p.Rows("browser.top_site");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(p.Text(*rows[0], "url"), "https://mail.example.com/");  // rank 0 first
  EXPECT_EQ(p.Int(*rows[0], "rank"), 0);
  EXPECT_EQ(p.Text(*rows[1], "title"), "Ferries to France");
  EXPECT_EQ(p.Int(*rows[1], "rank"), 1);
  const std::string old = MakeDb(dir, "old-top-sites", R"(
CREATE TABLE thumbnails (url LONGVARCHAR PRIMARY KEY, url_rank INTEGER, title LONGVARCHAR, thumbnail BLOB,
 redirects LONGVARCHAR, boring_score DOUBLE DEFAULT 1.0, good_clipping INTEGER DEFAULT 0, at_top INTEGER DEFAULT 0,
 last_updated INTEGER DEFAULT 0, load_completed INTEGER DEFAULT 0, last_forced INTEGER DEFAULT 0);
INSERT INTO thumbnails (url, url_rank, title, last_updated) VALUES ('https://news.example/', 0, 'News',
 13303567289000000);
)");
  const Parsed o = ParseBytes("browser.chromium.top_sites", old, std::string(kProfile) + "Top Sites");
  ASSERT_TRUE(o.status.ok()) << o.status.ToString();
  ASSERT_EQ(o.Rows("browser.top_site").size(), 1u);
  EXPECT_EQ(o.Text(*o.Rows("browser.top_site")[0], "url"), "https://news.example/");
  EXPECT_EQ(UtcText(o.Int(*o.Rows("browser.top_site")[0], "last_updated")), "2022-07-29 11:21:29.000000");
  for (size_t cut = 0; cut < current.size(); cut += 512) {
    EXPECT_LE(ParseBytes("browser.chromium.top_sites", current.substr(0, cut), std::string(kProfile) + "Top Sites")
                  .out.rows.size(),
              2u);
  }
  EXPECT_FALSE(ParseBytes("browser.chromium.top_sites", MakeDb(dir, "other", "CREATE TABLE t(a);"),
                          std::string(kProfile) + "Top Sites")
                   .status.ok());
}

// A Bookmarks file as Chrome writes it; date_added 13303567289000000 = 2022-07-29 11:21:29 UTC
// (13303567289 - 11644473600 = 1659093689, date -u -d @1659093689).
constexpr const char* kBookmarks = R"({
   "checksum": "8d7e2b4e0c2f5b9f1a0e3c1d2b4a5f60",
   "roots": {
      "bookmark_bar": {
         "children": [ {
            "date_added": "13303567289000000",
            "date_last_used": "13303567300000000",
            "guid": "5f6d8b1e-3c1a-4f7e-9a2b-0c1d2e3f4a5b",
            "id": "5",
            "meta_info": { "power_bookmark_meta": "" },
            "name": "Ferry timetable",
            "type": "url",
            "url": "https://www.example-ferries.com/timetable"
         }, {
            "children": [ {
               "date_added": "13303567350000000",
               "guid": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
               "id": "7",
               "name": "Hotel near the port",
               "type": "url",
               "url": "https://hotel.example.fr/"
            } ],
            "date_added": "13303567320000000",
            "date_modified": "13303567350000000",
            "guid": "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e",
            "id": "6",
            "name": "Travel",
            "type": "folder"
         } ],
         "date_added": "13303567200000000",
         "date_modified": "13303567320000000",
         "guid": "0bc5d13f-2cba-5d74-951f-3f233fe6c908",
         "id": "1",
         "name": "Bookmarks bar",
         "type": "folder"
      },
      "other": { "children": [ ], "date_added": "13303567200000000", "date_modified": "0",
                 "guid": "82b081ec-3dd3-529c-8475-ab6c344590dd", "id": "2", "name": "Other bookmarks", "type": "folder" },
      "synced": { "children": [ ], "date_added": "13303567200000000", "date_modified": "0",
                  "guid": "4cf2e351-0e85-532b-bb37-df045d8f8d0f", "id": "3", "name": "Mobile bookmarks", "type": "folder" }
   },
   "version": 1
}
)";

TEST(ChromiumBookmarksParser, BookmarksWithTheirFolders) {
  const Parsed p = ParseBytes("browser.chromium.bookmarks", kBookmarks,
                              "/Users/jd/AppData/Roaming/Opera Software/Opera Stable/Bookmarks");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("browser.bookmark").size(), 2u);
  const ArtefactRow& first = *p.Rows("browser.bookmark")[0];
  EXPECT_EQ(p.Text(first, "name"), "Ferry timetable");
  EXPECT_EQ(p.Text(first, "url"), "https://www.example-ferries.com/timetable");
  EXPECT_EQ(p.Text(first, "folder"), "Bookmarks bar");
  EXPECT_EQ(UtcText(p.Int(first, "added")), "2022-07-29 11:21:29.000000");
  EXPECT_EQ(UtcText(p.Int(first, "last_used")), "2022-07-29 11:21:40.000000");
  EXPECT_EQ(first.location, "bookmark id 5");
  EXPECT_EQ(p.Text(first, "browser"), "Opera");
  EXPECT_EQ(p.Text(first, "profile"), "Opera Stable");
  const ArtefactRow* hotel = p.Find("browser.bookmark", "url", "https://hotel.example.fr/");
  ASSERT_NE(hotel, nullptr);
  EXPECT_EQ(p.Text(*hotel, "folder"), "Bookmarks bar/Travel");
  EXPECT_TRUE(p.IsNull(*hotel, "last_used"));
  // Cut files are not JSON any more: an error, no rows.
  const std::string all = kBookmarks;
  for (size_t cut : {size_t{1}, size_t{200}, all.size() / 2, all.size() - 3}) {
    const Parsed c = ParseBytes("browser.chromium.bookmarks", all.substr(0, cut), std::string(kProfile) + "Bookmarks");
    EXPECT_FALSE(c.status.ok()) << "cut at " << cut;
    EXPECT_TRUE(c.Rows("browser.bookmark").empty());
  }
  // Folders nested past the limit: what is above is read, the rest is a problem.
  std::string deep = R"({"roots":{"bookmark_bar":{"type":"folder","name":"b","children":[)";
  for (int i = 0; i < 100; ++i) deep += R"({"type":"folder","name":"f","children":[)";
  deep += R"({"type":"url","name":"x","url":"https://deep.example/"})";
  for (int i = 0; i < 100; ++i) deep += "]}";
  deep += R"(,{"type":"url","name":"y","url":"https://top.example/"}]}}})";
  const Parsed d = ParseBytes("browser.chromium.bookmarks", deep, std::string(kProfile) + "Bookmarks");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_NE(d.Find("browser.bookmark", "url", "https://top.example/"), nullptr);
  EXPECT_EQ(d.Find("browser.bookmark", "url", "https://deep.example/"), nullptr);
  EXPECT_EQ(d.out.problems.size(), 1u);
}

TEST(ChromiumParsers, WantOnlyChromiumProfileFiles) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/browser/chrome/History");
  const std::string bytes = Slurp(path);
  EXPECT_TRUE(ParseBytes("browser.chromium.history", bytes, "/home/jd/.config/chromium/Default/History").wanted);
  EXPECT_TRUE(ParseBytes("browser.chromium.history", bytes,
                         "/Users/jd/Library/Application Support/BraveSoftware/Brave-Browser/Default/History")
                  .wanted);
  // An unknown vendor folder still counts when the profile folder or "User Data" says Chromium.
  const Parsed other =
      ParseBytes("browser.chromium.history", bytes, "/Users/jd/AppData/Local/Acme/User Data/Default/History");
  EXPECT_TRUE(other.wanted);
  ASSERT_FALSE(other.Rows("browser.visit").empty());
  EXPECT_EQ(other.Text(*other.Rows("browser.visit")[0], "browser"), "Chromium-based");
  EXPECT_FALSE(ParseBytes("browser.chromium.history", bytes, "/Users/jd/Documents/History").wanted);
  EXPECT_FALSE(
      ParseBytes("browser.chromium.history", std::string(5000, 'x'), std::string(kProfile) + "History").wanted);
  EXPECT_FALSE(ParseBytes("browser.chromium.cookies", bytes, std::string(kProfile) + "History").wanted);
  EXPECT_FALSE(ParseBytes("browser.chromium.bookmarks", bytes, std::string(kProfile) + "Bookmarks").wanted);
  // A History with the wrong tables is refused with a reason.
  TempDir dir;
  const std::string wrong = MakeDb(dir, "History", "CREATE TABLE t(a);");
  EXPECT_FALSE(ParseBytes("browser.chromium.history", wrong, std::string(kProfile) + "History").status.ok());
}

}  // namespace
}  // namespace custos::testing
