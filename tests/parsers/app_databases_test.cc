// mobile.twitter, mobile.tango, mobile.ios.accounts and mobile.ios.notes on the corpus databases
// (artefacts/mobile). Every expected value is read in the test from a copy of the database with the sqlite3
// shell (counts, the chosen rows, times through strftime: Android Unix ms, iOS Twitter Unix seconds, Core
// Data's Mac absolute time + 978307200), Tango's base64 names with coreutils' base64, and the text of an
// Apple note with gzip and protoc --decode_raw (protobuf-compiler), which reads the wire format on its own.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

// A copy of a corpus database, which sqlite3 reads (the corpus folder is read-only).
struct CorpusCopy {
  TempDir dir;
  std::string path;
  explicit CorpusCopy(const std::string& from, const std::string& name) : path(dir.File(name)) {
    std::filesystem::copy_file(from, path);
  }
  std::string Query(const std::string& sql) const {
    const auto r = Shell("sqlite3 " + ShellQuote(path) + " " + ShellQuote(sql));
    EXPECT_EQ(r.exit_code, 0) << sql;
    return r.out;
  }
};

TEST(TwitterParser, AndroidTweetsAccountsAndSearches) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/mobile/android/twitter.db");
  const CorpusCopy db(path, "twitter.db");
  const Parsed p = ParseFile("mobile.twitter", path, "/data/data/com.twitter.android/databases/3141592-66.db");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  ASSERT_EQ(db.Query("SELECT count(*) FROM statuses; SELECT count(*) FROM users; SELECT count(*) FROM search_queries"),
            "263\n242\n1\n");
  EXPECT_EQ(p.Rows("social.post").size(), 263u);
  EXPECT_EQ(p.Rows("contact.entry").size(), 242u);
  ASSERT_EQ(p.Rows("browser.search").size(), 1u);

  ASSERT_EQ(db.Query("SELECT u.username, u.name, s.content, strftime('%Y-%m-%d %H:%M:%f', s.created / 1000.0, "
                     "'unixepoch'), s.in_r_status_id, r.username, s.source FROM statuses s JOIN users u ON "
                     "u.user_id = s.author_id JOIN users r ON r.user_id = s.in_r_user_id WHERE s.status_id = "
                     "672155791131045888"),
            "marthavines11|martha vines|@arxyanah in love it|2015-12-02 20:50:03.000|672049810090958848|arxyanah|"
            "Twitter for Android\n");
  const ArtefactRow* post = p.Find("social.post", "post_id", "672155791131045888");
  ASSERT_NE(post, nullptr);
  EXPECT_EQ(p.Text(*post, "app"), "Twitter");
  EXPECT_EQ(p.Text(*post, "author"), "marthavines11");
  EXPECT_EQ(p.Text(*post, "author_name"), "martha vines");
  EXPECT_EQ(p.Text(*post, "text"), "@arxyanah in love it");
  EXPECT_EQ(UtcText(p.Int(*post, "time")), "2015-12-02 20:50:03.000000");
  EXPECT_EQ(p.Text(*post, "reply_to"), "arxyanah");
  EXPECT_EQ(p.Text(*post, "reply_to_post"), "672049810090958848");
  EXPECT_EQ(p.Text(*post, "source"), "Twitter for Android");
  EXPECT_TRUE(p.IsNull(*post, "latitude"));  // no status in this database is geotagged:
  EXPECT_EQ(db.Query("SELECT count(*) FROM statuses WHERE latitude <> ''"), "0\n");

  ASSERT_EQ(db.Query("SELECT user_id, name FROM users WHERE username = 'arxyanah'"), "1398784441|she's ariyanah.\n");
  const ArtefactRow* user = p.Find("contact.entry", "handle", "arxyanah");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(p.Text(*user, "app"), "Twitter");
  EXPECT_EQ(p.Text(*user, "name"), "she's ariyanah.");
  EXPECT_EQ(p.Text(*user, "contact_id"), "1398784441");

  ASSERT_EQ(db.Query("SELECT query, strftime('%Y-%m-%d %H:%M:%f', time / 1000.0, 'unixepoch') FROM search_queries"),
            "rosegold|2015-12-02 20:49:38.153\n");
  const ArtefactRow& search = *p.Rows("browser.search")[0];
  EXPECT_EQ(p.Text(search, "term"), "rosegold");
  EXPECT_EQ(UtcText(p.Int(search, "last_visit_time")), "2015-12-02 20:49:38.153000");
  EXPECT_EQ(p.Text(search, "browser"), "Twitter");
}

TEST(TwitterParser, IosTweetsAndAccounts) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/mobile/ios/twitter.db");
  const CorpusCopy db(path, "twitter.db");
  const Parsed p = ParseFile("mobile.twitter", path,
                             "/private/var/mobile/Containers/Data/Application/0A1B/Library/Caches/twitter.db");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(db.Query("SELECT count(*) FROM Statuses; SELECT count(*) FROM Users"), "67\n25\n");
  EXPECT_EQ(p.Rows("social.post").size(), 67u);
  EXPECT_EQ(p.Rows("contact.entry").size(), 25u);
  // `date` is Unix seconds here: 1449070737 is December 2015, as the Android copy of the same account says.
  ASSERT_EQ(db.Query("SELECT u.screenName, u.name, s.text, datetime(s.date, 'unixepoch'), s.inReplyToUsername "
                     "FROM Statuses s JOIN Users u ON u.id = s.userId WHERE s.id = 672077501913546752"),
            "hankfresh1|Hank fresh|@rosegoldgrl hi|2015-12-02 15:38:57|rosegoldgrl\n");
  const ArtefactRow* post = p.Find("social.post", "post_id", "672077501913546752");
  ASSERT_NE(post, nullptr);
  EXPECT_EQ(p.Text(*post, "author"), "hankfresh1");
  EXPECT_EQ(p.Text(*post, "author_name"), "Hank fresh");
  EXPECT_EQ(p.Text(*post, "text"), "@rosegoldgrl hi");
  EXPECT_EQ(UtcText(p.Int(*post, "time")), "2015-12-02 15:38:57.000000");
  EXPECT_EQ(p.Text(*post, "reply_to"), "rosegoldgrl");
  EXPECT_EQ(p.Text(*post, "source"), "Twitter for iPhone");  // from <a href=...>Twitter for iPhone</a>
}

TEST(TangoParser, ProfilesWithBase64NamesDecoded) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/mobile/android/tango_profile.db");
  const CorpusCopy db(path, "tango_profile.db");
  const Parsed p = ParseFile("mobile.tango", path, "/data/data/com.sgiggle.production/files/tango_profile.db");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(db.Query("SELECT count(*) FROM profiletable"), "57\n");
  EXPECT_EQ(p.Rows("contact.entry").size(), 57u);

  const auto names = [&](const std::string& id) {
    const std::string row = db.Query(
        "SELECT itemFirstName, itemLastName, itemStatus FROM profiletable WHERE "
        "itemUserId = '" +
        id + "'");
    std::string decoded;
    for (const std::string& part : {row.substr(0, row.find('|')), row.substr(row.find('|') + 1)}) {
      std::string field = part.substr(0, part.find('|'));
      if (!field.empty() && field.back() == '\n') field.pop_back();
      decoded += Shell("printf %s " + ShellQuote(field) + " | base64 -d").out + "|";
    }
    return decoded;
  };
  ASSERT_EQ(names("DyGWr_010wQM_ozkIe-9Ww"), "Rouel|Henry|");
  ASSERT_EQ(Shell("printf %s " +
                  ShellQuote(db.Query("SELECT itemStatus FROM profiletable WHERE itemUserId = "
                                      "'DyGWr_010wQM_ozkIe-9Ww'")
                                 .substr(0, 12)) +
                  " | base64 -d")
                .out,
            "Praying!");
  const ArtefactRow* c = p.Find("contact.entry", "handle", "DyGWr_010wQM_ozkIe-9Ww");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(p.Text(*c, "app"), "Tango");
  EXPECT_EQ(p.Text(*c, "name"), "Rouel Henry");
  EXPECT_NE(p.Text(*c, "note").find("status: Praying!"), std::string::npos) << p.Text(*c, "note");
  EXPECT_NE(p.Text(*c, "note").find("birthday: 1980-10-01"), std::string::npos) << p.Text(*c, "note");
  EXPECT_NE(p.Text(*c, "note").find("request message: I am following you on Tango"), std::string::npos)
      << p.Text(*c, "note");

  ASSERT_EQ(db.Query("SELECT value FROM profiles WHERE key = 'keyCurrentUserId'"), "sMawZoHh9XG5SwDP28ObAQ\n");
  ASSERT_EQ(names("sMawZoHh9XG5SwDP28ObAQ"), "Hank|Fresh|");
  const ArtefactRow* own = p.Find("contact.entry", "handle", "sMawZoHh9XG5SwDP28ObAQ");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(p.Text(*own, "name"), "Hank Fresh");
  EXPECT_NE(p.Text(*own, "note").find("the device's own Tango account"), std::string::npos);
  EXPECT_EQ(p.Text(*c, "note").find("own Tango account"), std::string::npos);
}

TEST(IosAccountsParser, EveryAccountWithItsTypeAndParent) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/mobile/ios/Accounts3.sqlite");
  const CorpusCopy db(path, "Accounts3.sqlite");
  const Parsed p = ParseFile("mobile.ios.accounts", path, "/private/var/mobile/Library/Accounts/Accounts3.sqlite");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(db.Query("SELECT count(*) FROM ZACCOUNT"), "18\n");
  EXPECT_EQ(p.Rows("device.account").size(), 18u);

  ASSERT_EQ(
      db.Query(
          "SELECT t.ZACCOUNTTYPEDESCRIPTION, t.ZIDENTIFIER, a.ZUSERNAME, a.ZACCOUNTDESCRIPTION, "
          "strftime('%Y-%m-%d %H:%M:%S', a.ZDATE + 978307200, 'unixepoch') || substr(printf('%.6f', a.ZDATE), -7), "
          "a.ZOWNINGBUNDLEID FROM "
          "ZACCOUNT a JOIN ZACCOUNTTYPE t ON t.Z_PK = a.ZACCOUNTTYPE WHERE a.Z_PK = 18"),
      "Gmail|com.apple.account.Google|thisisdfir@gmail.com|Gmail|2020-03-22 01:11:29.572603|com.apple.Preferences\n");
  const ArtefactRow* gmail = p.Find("device.account", "identifier", "4FD35256-CE13-47FE-9840-EBEB5B9FD9C1");
  ASSERT_NE(gmail, nullptr);
  EXPECT_EQ(p.Text(*gmail, "account_type"), "Gmail");
  EXPECT_EQ(p.Text(*gmail, "type_id"), "com.apple.account.Google");
  EXPECT_EQ(p.Text(*gmail, "username"), "thisisdfir@gmail.com");
  EXPECT_EQ(UtcText(p.Int(*gmail, "created")), "2020-03-22 01:11:29.572603");
  EXPECT_EQ(p.Text(*gmail, "owning_app"), "com.apple.Preferences");
  EXPECT_EQ(p.Int(*gmail, "active"), 1);

  // Z_PK 5 (Find My Friends) belongs to Z_PK 4, the iCloud account.
  ASSERT_EQ(db.Query("SELECT t.ZACCOUNTTYPEDESCRIPTION, pt.ZACCOUNTTYPEDESCRIPTION, p.ZUSERNAME FROM ZACCOUNT a JOIN "
                     "ZACCOUNTTYPE t ON t.Z_PK = a.ZACCOUNTTYPE JOIN ZACCOUNT p ON p.Z_PK = a.ZPARENTACCOUNT JOIN "
                     "ZACCOUNTTYPE pt ON pt.Z_PK = p.ZACCOUNTTYPE WHERE a.Z_PK = 5"),
            "Find My Friends|iCloud|thisisdfir@gmail.com\n");
  const ArtefactRow* fmf = p.Find("device.account", "identifier", "798A0EA2-0B24-4857-B19C-3C048732B77D");
  ASSERT_NE(fmf, nullptr);
  EXPECT_EQ(p.Text(*fmf, "account_type"), "Find My Friends");
  EXPECT_EQ(p.Text(*fmf, "parent_account"), "iCloud thisisdfir@gmail.com");
}

TEST(IosNotesParser, TitlesFoldersAndTheWholeText) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/mobile/ios/NoteStore.sqlite");
  const CorpusCopy db(path, "NoteStore.sqlite");
  const Parsed p =
      ParseFile("mobile.ios.notes", path, "/private/var/mobile/Containers/Shared/AppGroup/0A1B/NoteStore.sqlite");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty()) << p.out.problems.front();
  ASSERT_EQ(db.Query("SELECT count(*) FROM ZICCLOUDSYNCINGOBJECT WHERE Z_ENT = (SELECT Z_ENT FROM Z_PRIMARYKEY "
                     "WHERE Z_NAME = 'ICNote')"),
            "8\n");
  ASSERT_EQ(p.Rows("note.entry").size(), 8u);

  // Z_PK 11, "My First Note": its data is ZICNOTEDATA 3, gzip of a protobuf that protoc decodes raw.
  ASSERT_EQ(db.Query("SELECT n.ZTITLE1, n.ZSNIPPET, f.ZTITLE2, a.ZNAME, strftime('%Y-%m-%d %H:%M:%S', "
                     "n.ZCREATIONDATE3 + 978307200, 'unixepoch') || substr(printf('%.6f', n.ZCREATIONDATE3), -7), "
                     "strftime('%Y-%m-%d %H:%M:%S', n.ZMODIFICATIONDATE1 + 978307200, 'unixepoch') || "
                     "substr(printf('%.6f', n.ZMODIFICATIONDATE1), -7), n.ZNOTEDATA FROM ZICCLOUDSYNCINGOBJECT n JOIN "
                     "ZICCLOUDSYNCINGOBJECT f "
                     "ON f.Z_PK = n.ZFOLDER JOIN ZICCLOUDSYNCINGOBJECT a ON a.Z_PK = f.ZOWNER WHERE n.Z_PK = 11"),
            "My First Note|This is my first note. Nothing special.|Notes|iCloud|2020-03-28 00:36:48.768755|"
            "2020-03-28 00:37:43.367985|3\n");
  db.Query("SELECT writefile('" + db.dir.File("note3.gz") + "', ZDATA) FROM ZICNOTEDATA WHERE Z_PK = 3");
  const auto raw = Shell("gzip -dc " + ShellQuote(db.dir.File("note3.gz")) + " | protoc --decode_raw");
  ASSERT_EQ(raw.exit_code, 0);
  // The note text is field 2 inside field 3 inside field 2, indented four spaces, C-escaped.
  const std::string marker = "\n    2: \"";
  const size_t at = raw.out.find(marker);
  ASSERT_NE(at, std::string::npos) << raw.out;
  const size_t end = raw.out.find("\"\n", at + marker.size());
  std::string text = raw.out.substr(at + marker.size(), end - at - marker.size());
  for (size_t i = 0; (i = text.find("\\n", i)) != std::string::npos;) text.replace(i, 2, "\n");
  ASSERT_EQ(text, "My First Note\n\nThis is my first note.  Nothing special. \n");

  const ArtefactRow* first = p.Find("note.entry", "note_id", "11");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(p.Text(*first, "app"), "Apple Notes");
  EXPECT_EQ(p.Text(*first, "title"), "My First Note");
  EXPECT_EQ(p.Text(*first, "text"), text);
  EXPECT_EQ(p.Text(*first, "snippet"), "This is my first note. Nothing special.");
  EXPECT_EQ(p.Text(*first, "folder"), "Notes");
  EXPECT_EQ(p.Text(*first, "account"), "iCloud");
  EXPECT_EQ(UtcText(p.Int(*first, "created")), "2020-03-28 00:36:48.768755");
  EXPECT_EQ(UtcText(p.Int(*first, "modified")), "2020-03-28 00:37:43.367985");
  EXPECT_EQ(p.Int(*first, "locked"), 0);
  EXPECT_EQ(p.Int(*first, "deleted"), 0);

  // Locked notes keep their title; their data is encrypted. Z_PK 30 is marked for deletion.
  ASSERT_EQ(db.Query("SELECT group_concat(Z_PK) FROM ZICCLOUDSYNCINGOBJECT WHERE ZISPASSWORDPROTECTED = 1 AND Z_ENT = "
                     "(SELECT Z_ENT FROM Z_PRIMARYKEY WHERE Z_NAME = 'ICNote'); "
                     "SELECT ZTITLE1 FROM ZICCLOUDSYNCINGOBJECT WHERE Z_PK = 8; "
                     "SELECT Z_PK FROM ZICCLOUDSYNCINGOBJECT WHERE ZMARKEDFORDELETION = 1"),
            "8,9,10,31\nMy Secret Note\n30\n");
  for (const char* id : {"8", "9", "10", "31"}) {
    const ArtefactRow* locked = p.Find("note.entry", "note_id", id);
    ASSERT_NE(locked, nullptr) << id;
    EXPECT_EQ(p.Int(*locked, "locked"), 1) << id;
    EXPECT_TRUE(p.IsNull(*locked, "text")) << id;
  }
  EXPECT_EQ(p.Text(*p.Find("note.entry", "note_id", "8"), "title"), "My Secret Note");
  EXPECT_EQ(p.Int(*p.Find("note.entry", "note_id", "30"), "deleted"), 1);
}

TEST(AppDatabaseParsers, ForeignAndDamagedDatabases) {
  TempDir dir;
  // A SQLite file of another app under each wanted name: refused with a clear message, no rows.
  const std::string other = dir.File("other.db");
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(other) + " 'CREATE TABLE t (a); INSERT INTO t VALUES (1)'").exit_code, 0);
  for (const auto& [parser, evidence] :
       std::vector<std::pair<std::string, std::string>>{{"mobile.twitter", "/data/twitter.db"},
                                                        {"mobile.tango", "/data/tango_profile.db"},
                                                        {"mobile.ios.accounts", "/Accounts3.sqlite"},
                                                        {"mobile.ios.notes", "/NoteStore.sqlite"}}) {
    const Parsed p = ParseFile(parser, other, evidence);
    EXPECT_TRUE(p.wanted) << parser;
    EXPECT_FALSE(p.status.ok()) << parser;
    EXPECT_TRUE(p.out.rows.empty()) << parser;
  }
  // A note whose data is not gzip: the note is kept, its text is missing, and an error row says so.
  CUSTOS_REQUIRE_CORPUS(notes, "artefacts/mobile/ios/NoteStore.sqlite");
  const std::string damaged = dir.File("NoteStore.sqlite");
  std::filesystem::copy_file(notes, damaged);
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(damaged) +
                  " \"UPDATE ZICNOTEDATA SET ZDATA = X'1f8b0800000000000003ffff' WHERE Z_PK = 3\"")
                .exit_code,
            0);
  const Parsed p = ParseFile("mobile.ios.notes", damaged, "/NoteStore.sqlite");
  ASSERT_TRUE(p.status.ok());
  ASSERT_EQ(p.Rows("note.entry").size(), 8u);
  EXPECT_TRUE(p.IsNull(*p.Find("note.entry", "note_id", "11"), "text"));
  ASSERT_EQ(p.out.problems.size(), 1u);
  EXPECT_NE(p.out.problems[0].find("1 note(s)"), std::string::npos);
}

}  // namespace
}  // namespace custos::testing
