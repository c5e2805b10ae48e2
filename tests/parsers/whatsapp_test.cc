// mobile.whatsapp on databases tests/fixtures/make-mobile-fixtures.py writes with Python's sqlite3 module
// (the corpus has no WhatsApp sample): msgstore.db in the current schema (message/chat/jid/message_media)
// and in the legacy one (messages), and wa.db. Expected values are the fixture's inserted values; times
// converted with sqlite3's datetime(timestamp/1000, 'unixepoch') plus timestamp % 1000.
#include <gtest/gtest.h>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

constexpr const char* kDir = "/data/data/com.whatsapp/databases/";

class WhatsAppParserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Shell(std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/make-mobile-fixtures.py " +
                    ShellQuote(dir_.path().string()))
                  .exit_code,
              0);
  }
  TempDir dir_;
};

TEST_F(WhatsAppParserTest, CurrentSchemaMessagesWithChatSenderAndMedia) {
  const Parsed p = ParseFile("mobile.whatsapp", dir_.File("msgstore.db"), std::string(kDir) + "msgstore.db");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  ASSERT_EQ(p.Rows("chat.message").size(), 3u);
  // _id 1: incoming in chat 1 (jid 447700900123@s.whatsapp.net), sent 1650000200123 = 2022-04-15
  // 05:23:20.123, received 1650000201456 = 05:23:21.456.
  const ArtefactRow* in = p.Find("chat.message", "message_id", "1");
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(p.Text(*in, "app"), "WhatsApp");
  EXPECT_EQ(p.Text(*in, "direction"), "incoming");
  EXPECT_EQ(p.Text(*in, "handle"), "447700900123@s.whatsapp.net");
  EXPECT_EQ(p.Text(*in, "body"), "Meet at the usual place at 9");
  EXPECT_EQ(p.Text(*in, "message_type"), "text");
  EXPECT_EQ(UtcText(p.Int(*in, "sent_time")), "2022-04-15 05:23:20.123000");
  EXPECT_EQ(UtcText(p.Int(*in, "time")), "2022-04-15 05:23:21.456000");
  EXPECT_EQ(in->location, "message _id 1");
  const ArtefactRow* out = p.Find("chat.message", "message_id", "2");
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(p.Text(*out, "direction"), "outgoing");
  // _id 3: a picture in the group "Friday plans", sent by 447700900456, captioned in message_media.
  const ArtefactRow* pic = p.Find("chat.message", "message_id", "3");
  ASSERT_NE(pic, nullptr);
  EXPECT_EQ(p.Text(*pic, "handle"), "120363025550001111@g.us");
  EXPECT_EQ(p.Text(*pic, "contact_name"), "Friday plans");
  EXPECT_EQ(p.Text(*pic, "sender"), "447700900456@s.whatsapp.net");
  EXPECT_EQ(p.Text(*pic, "message_type"), "image");
  EXPECT_EQ(p.Text(*pic, "body"), "the car");
  EXPECT_EQ(p.Text(*pic, "attachments"), "Media/WhatsApp Images/IMG-20220415-WA0001.jpg");
}

TEST_F(WhatsAppParserTest, LegacySchemaMessagesWithoutThePlaceholderRow) {
  const Parsed p = ParseFile("mobile.whatsapp", dir_.File("msgstore-legacy.db"), std::string(kDir) + "msgstore.db");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("chat.message").size(), 2u);  // _id 1 is WhatsApp's '-1' placeholder
  // _id 2: incoming from 447700900789, 1500000000456 = 2017-07-14 02:40:00.456, received 02:40:01.
  const ArtefactRow* in = p.Find("chat.message", "message_id", "2");
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(p.Text(*in, "direction"), "incoming");
  EXPECT_EQ(p.Text(*in, "handle"), "447700900789@s.whatsapp.net");
  EXPECT_EQ(p.Text(*in, "body"), "Where are you?");
  EXPECT_EQ(UtcText(p.Int(*in, "sent_time")), "2017-07-14 02:40:00.456000");
  EXPECT_EQ(UtcText(p.Int(*in, "time")), "2017-07-14 02:40:01.000000");
  EXPECT_EQ(in->location, "messages _id 2");
  // _id 3: outgoing, received_timestamp -1 (not set), read by the recipient at 02:41:30.
  const ArtefactRow* sent = p.Find("chat.message", "message_id", "3");
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(p.Text(*sent, "direction"), "outgoing");
  EXPECT_EQ(p.Text(*sent, "body"), "Outside the station");
  EXPECT_EQ(UtcText(p.Int(*sent, "time")), "2017-07-14 02:41:00.000000");
  EXPECT_EQ(UtcText(p.Int(*sent, "read_time")), "2017-07-14 02:41:30.000000");
}

TEST_F(WhatsAppParserTest, ContactsFromWaDb) {
  const Parsed p = ParseFile("mobile.whatsapp", dir_.File("wa.db"), std::string(kDir) + "wa.db");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("contact.entry").size(), 2u);
  const ArtefactRow* dave = p.Find("contact.entry", "handle", "447700900123@s.whatsapp.net");
  ASSERT_NE(dave, nullptr);
  EXPECT_EQ(p.Text(*dave, "name"), "Dave Smith");
  EXPECT_EQ(p.Text(*dave, "phone_numbers"), "+44 7700 900123");
  EXPECT_EQ(p.Text(*dave, "note"), "WhatsApp name: Davey; status: Busy");
}

TEST_F(WhatsAppParserTest, DamagedAndForeignDatabasesFailCleanly) {
  const std::string path = std::string(kDir) + "msgstore.db";
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(dir_.File("other.db")) + " 'CREATE TABLE message (_id INTEGER)'").exit_code,
            0);
  const Parsed wrong = ParseFile("mobile.whatsapp", dir_.File("other.db"), path);
  EXPECT_TRUE(wrong.out.rows.empty());
  EXPECT_EQ(wrong.out.problems.size(), 1u);
  const Parsed whole = ParseFile("mobile.whatsapp", dir_.File("msgstore.db"), path);
  const Parsed none = ParseFile("mobile.whatsapp", "/dev/null", path);
  EXPECT_FALSE(none.wanted);
  EXPECT_FALSE(ParseBytes("mobile.whatsapp", "SQLite format 3" + std::string(1, '\0') + std::string(5000, 'x'), path)
                   .status.ok());
  EXPECT_EQ(whole.Rows("chat.message").size(), 3u);
}

}  // namespace
}  // namespace custos::testing
