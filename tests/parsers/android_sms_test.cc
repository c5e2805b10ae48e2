// mobile.android.sms on the corpus mmssms.db. Expected values were read with the sqlite3 shell from a copy
// in a temporary folder (never the corpus file in place); times converted with sqlite3's
// datetime(date/1000, 'unixepoch') plus date % 1000 for the milliseconds.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

constexpr const char* kPath = "/data/data/com.android.providers.telephony/databases/mmssms.db";

TEST(AndroidSmsParser, EveryTextMessageWithDirectionNumberAndTimes) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/mobile/android/mmssms.db");
  TempDir dir;
  const std::string copy = dir.File("mmssms.db");
  std::filesystem::copy_file(path, copy);
  const Parsed p = ParseFile("mobile.android.sms", path, kPath);
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  const auto count = Shell("sqlite3 " + ShellQuote(copy) + " 'SELECT count(*) FROM sms'");
  ASSERT_EQ(count.exit_code, 0);
  ASSERT_EQ(count.out, "9\n");
  EXPECT_EQ(p.Rows("chat.message").size(), 9u);
  EXPECT_TRUE(p.out.problems.empty());  // the pdu table is empty
  // _id 3: type 1 (inbox) from 15555215554, date 1383066341303 = 2013-10-29 17:05:41.303, date_sent
  // 1383066340000 = 17:05:40, unread, thread 1.
  const ArtefactRow* in = p.Find("chat.message", "message_id", "3");
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(p.Text(*in, "app"), "SMS");
  EXPECT_EQ(p.Text(*in, "direction"), "incoming");
  EXPECT_EQ(p.Text(*in, "handle"), "15555215554");
  EXPECT_EQ(p.Text(*in, "body"), "What message?");
  EXPECT_EQ(UtcText(p.Int(*in, "time")), "2013-10-29 17:05:41.303000");
  EXPECT_EQ(UtcText(p.Int(*in, "sent_time")), "2013-10-29 17:05:40.000000");
  EXPECT_EQ(p.Int(*in, "read"), 0);
  EXPECT_EQ(p.Text(*in, "thread"), "1");
  EXPECT_EQ(in->location, "sms _id 3");
  // _id 5: type 2 (sent) to "1 555-521-5554", date_sent 0 (not recorded).
  const ArtefactRow* sent = p.Find("chat.message", "message_id", "5");
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(p.Text(*sent, "direction"), "outgoing");
  EXPECT_EQ(p.Text(*sent, "handle"), "1 555-521-5554");
  EXPECT_EQ(p.Text(*sent, "body"),
            "It's me Barney! I got a new phone after BamBam smashed my other one. This is my new number.");
  EXPECT_EQ(UtcText(p.Int(*sent, "time")), "2013-10-29 17:07:49.452000");
  EXPECT_TRUE(p.IsNull(*sent, "sent_time"));
}

TEST(AndroidSmsParser, WrongSchemaAndNoiseFailCleanly) {
  TempDir dir;
  ASSERT_EQ(
      Shell("sqlite3 " + ShellQuote(dir.File("x.db")) + " 'CREATE TABLE sms (_id INTEGER PRIMARY KEY)'").exit_code, 0);
  const Parsed p = ParseFile("mobile.android.sms", dir.File("x.db"), kPath);
  EXPECT_FALSE(p.status.ok());
  EXPECT_TRUE(p.out.rows.empty());
  EXPECT_FALSE(ParseBytes("mobile.android.sms", std::string(1000, 'r'), kPath).wanted);
}

}  // namespace
}  // namespace custos::testing
