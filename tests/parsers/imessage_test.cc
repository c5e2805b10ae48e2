// mobile.imessage on the corpus chat.db (macOS Messages; dates in seconds since 2001). Expected values
// were read with the sqlite3 shell from a copy in a temporary folder, joining handle by hand; times
// converted with sqlite3's datetime(date + 978307200, 'unixepoch').
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

constexpr const char* kPath = "/Users/x/Library/Messages/chat.db";

TEST(IMessageParser, EveryMessageWithItsHandleAndTimes) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/mobile/sqlite/imessage_chat.db");
  TempDir dir;
  const std::string copy = dir.File("chat.db");
  std::filesystem::copy_file(path, copy);
  const Parsed p = ParseFile("mobile.imessage", path, kPath);
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  const auto count = Shell("sqlite3 " + ShellQuote(copy) + " 'SELECT count(*) FROM message'");
  ASSERT_EQ(count.out, "10\n");
  EXPECT_EQ(p.Rows("chat.message").size(), 10u);
  // ROWID 1: from handle 1 (447775455555), date 469908586 = 2015-11-22 18:09:46, read 469908802 =
  // 18:13:22, in chat +447775446518.
  const ArtefactRow* m = p.Find("chat.message", "message_id", "C78A4031-C135-4746-A974-C455B0C4F5E4");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(p.Text(*m, "app"), "iMessage");
  EXPECT_EQ(p.Text(*m, "direction"), "incoming");
  EXPECT_EQ(p.Text(*m, "handle"), "447775455555");
  EXPECT_EQ(p.Text(*m, "body").substr(0, 50), "Hey Kenneth, it's Eireanne! I was wondering if you");
  EXPECT_EQ(p.Text(*m, "body") + "\n",
            Shell("sqlite3 " + ShellQuote(copy) + " 'SELECT text FROM message WHERE ROWID = 1'").out);
  EXPECT_EQ(UtcText(p.Int(*m, "time")), "2015-11-22 18:09:46.000000");
  EXPECT_EQ(UtcText(p.Int(*m, "read_time")), "2015-11-22 18:13:22.000000");
  EXPECT_EQ(p.Int(*m, "read"), 1);
  EXPECT_EQ(p.Text(*m, "thread"), "+447775446518");
  EXPECT_EQ(m->location, "message ROWID 1");
  // ROWID 2 was sent (is_from_me 1).
  const ArtefactRow* sent = p.Find("chat.message", "message_id", "4E2CD16E-62E1-4DF0-9530-0E2F067384DD");
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(p.Text(*sent, "direction"), "outgoing");
}

// Since macOS 10.13 / iOS 11 message.date counts nanoseconds; the test writes such a database with the
// sqlite3 shell. 600000000123456789 ns after 2001 = 978307200 + 600000000.123456789 s = 2020-01-06
// 10:40:00.123456 UTC (python3: datetime.utcfromtimestamp(1578307200)).
TEST(IMessageParser, NanosecondDatesAndAttachments) {
  TempDir dir;
  const std::string db = dir.File("sms.db");
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(db) +
                  " \"CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT, service TEXT);"
                  "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT, text TEXT, handle_id INTEGER, "
                  "service TEXT, date INTEGER, date_read INTEGER, is_from_me INTEGER, is_read INTEGER);"
                  "CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY, filename TEXT, transfer_name TEXT);"
                  "CREATE TABLE message_attachment_join (message_id INTEGER, attachment_id INTEGER);"
                  "INSERT INTO handle VALUES (1, '+447700900001', 'SMS');"
                  "INSERT INTO message VALUES (1, 'G1', 'photo', 1, 'SMS', 600000000123456789, 0, 1, 0);"
                  "INSERT INTO attachment VALUES (1, '~/Library/SMS/Attachments/aa/IMG_0001.HEIC', 'IMG_0001.HEIC');"
                  "INSERT INTO message_attachment_join VALUES (1, 1);\"")
                .exit_code,
            0);
  const Parsed p = ParseFile("mobile.imessage", db, "/private/var/mobile/Library/SMS/sms.db");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("chat.message").size(), 1u);
  const ArtefactRow& m = *p.Rows("chat.message")[0];
  EXPECT_EQ(p.Text(m, "app"), "SMS");
  EXPECT_EQ(p.Text(m, "handle"), "+447700900001");
  EXPECT_EQ(UtcText(p.Int(m, "time")), "2020-01-06 10:40:00.123456");
  EXPECT_TRUE(p.IsNull(m, "read_time"));
  EXPECT_EQ(p.Text(m, "attachments"), "~/Library/SMS/Attachments/aa/IMG_0001.HEIC");
}

TEST(IMessageParser, OldSchemaIsNotSupported) {
  TempDir dir;
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(dir.File("sms.db")) +
                  " 'CREATE TABLE message (ROWID INTEGER PRIMARY KEY, address TEXT, date INTEGER, text TEXT)'")
                .exit_code,
            0);
  const Parsed p = ParseFile("mobile.imessage", dir.File("sms.db"), "/sms.db");
  EXPECT_FALSE(p.status.ok());
  EXPECT_TRUE(p.out.rows.empty());
}

}  // namespace
}  // namespace custos::testing
