// mobile.skype on the corpus main.db (account gen.beringer). Expected values were read with the sqlite3
// shell from a copy in a temporary folder; times converted with sqlite3's datetime(x, 'unixepoch');
// body_xml entities decoded with python3's html.unescape.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

constexpr const char* kPath = "/Users/x/AppData/Roaming/Skype/gen.beringer/main.db";

TEST(SkypeParser, MessagesContactsAndCalls) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/mobile/sqlite/skype_main.db");
  TempDir dir;
  const std::string copy = dir.File("main.db");
  std::filesystem::copy_file(path, copy);
  const Parsed p = ParseFile("mobile.skype", path, kPath);
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  const auto counts =
      Shell("sqlite3 " + ShellQuote(copy) +
            " 'SELECT count(*) FROM Messages; SELECT count(*) FROM Contacts; SELECT count(*) FROM Calls'");
  ASSERT_EQ(counts.out, "15\n2\n1\n");
  EXPECT_EQ(p.Rows("chat.message").size(), 15u);
  EXPECT_EQ(p.Rows("contact.entry").size(), 2u);
  ASSERT_EQ(p.Rows("call.record").size(), 1u);
  // Messages id 52: from european.bbq.competitor (European Competitor), type 61, 'I&apos;m here',
  // timestamp 1375219676 = 2013-07-30 21:27:56.
  const ArtefactRow* m = p.Find("chat.message", "message_id", "52");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(p.Text(*m, "app"), "Skype");
  EXPECT_EQ(p.Text(*m, "direction"), "incoming");
  EXPECT_EQ(p.Text(*m, "handle"), "european.bbq.competitor");
  EXPECT_EQ(p.Text(*m, "contact_name"), "European Competitor");
  EXPECT_EQ(p.Text(*m, "body"), "I'm here");
  EXPECT_EQ(p.Text(*m, "message_type"), "text");
  EXPECT_EQ(UtcText(p.Int(*m, "time")), "2013-07-30 21:27:56.000000");
  EXPECT_EQ(p.Text(*m, "thread"), "#european.bbq.competitor/$gen.beringer;b1a38279a6057828");
  EXPECT_EQ(m->location, "Messages id 52");
  // id 47: written by the account, dialog_partner empty: the conversation (33) names the other party.
  const ArtefactRow* sent = p.Find("chat.message", "message_id", "47");
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(p.Text(*sent, "direction"), "outgoing");
  EXPECT_EQ(p.Text(*sent, "handle"), "european.bbq.competitor");
  EXPECT_EQ(p.Text(*sent, "message_type"), "contact request");
  const ArtefactRow* echo = p.Find("contact.entry", "handle", "echo123");
  ASSERT_NE(echo, nullptr);
  EXPECT_EQ(p.Text(*echo, "name"), "Echo / Sound Test Service");
  // Calls id 110: outgoing (is_incoming 0) at 1372716737 = 2013-07-01 22:12:17; duration NULL in Calls,
  // 646 s in its CallMembers row (call_name 1-1372107433), to european.bbq.competitor.
  const ArtefactRow& call = *p.Rows("call.record")[0];
  EXPECT_EQ(p.Text(call, "direction"), "outgoing");
  EXPECT_EQ(UtcText(p.Int(call, "start_time")), "2013-07-01 22:12:17.000000");
  EXPECT_EQ(p.Int(call, "duration_seconds"), 646);
  EXPECT_EQ(p.Text(call, "number"), "european.bbq.competitor");
  EXPECT_EQ(p.Text(call, "contact_name"), "European Competitor");
}

TEST(SkypeParser, OnlyMainDbInASkypeFolder) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/mobile/sqlite/skype_main.db");
  EXPECT_FALSE(ParseFile("mobile.skype", path, "/Users/x/AppData/Roaming/Other/main.db").wanted);
  TempDir dir;
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(dir.File("main.db")) + " 'CREATE TABLE Messages (id INTEGER)'").exit_code, 0);
  const Parsed p = ParseFile("mobile.skype", dir.File("main.db"), kPath);
  EXPECT_TRUE(p.out.rows.empty());
  EXPECT_EQ(p.out.problems.size(), 2u);  // no account; Messages without its columns
}

}  // namespace
}  // namespace custos::testing
