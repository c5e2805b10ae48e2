// mobile.android.contacts on the corpus contacts2.db (its calls table; the sample has no raw_contacts),
// and on a contacts2.db that tests/fixtures/make-mobile-fixtures.py writes with Python's sqlite3 module.
// Expected values were read with the sqlite3 shell from copies in a temporary folder; times converted with
// sqlite3's datetime(date/1000, 'unixepoch') plus date % 1000.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

constexpr const char* kPath = "/data/data/com.android.providers.contacts/databases/contacts2.db";

TEST(AndroidContactsParser, CallLogFromTheCorpus) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/mobile/android/contacts2.db");
  TempDir dir;
  const std::string copy = dir.File("contacts2.db");
  std::filesystem::copy_file(path, copy);
  const Parsed p = ParseFile("mobile.android.contacts", path, kPath);
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  const auto count = Shell("sqlite3 " + ShellQuote(copy) + " 'SELECT count(*) FROM calls'");
  ASSERT_EQ(count.out, "3\n");
  EXPECT_EQ(p.Rows("call.record").size(), 3u);
  EXPECT_TRUE(p.Rows("contact.entry").empty());
  // _id 715: type 2 (outgoing) to 5404561685, Barney, 126 s, 1383772733283 = 2013-11-06 21:18:53.283,
  // geocoded Bedrock.
  const ArtefactRow* c = p.Find("call.record", "call_id", "715");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(p.Text(*c, "app"), "Phone");
  EXPECT_EQ(p.Text(*c, "direction"), "outgoing");
  EXPECT_EQ(p.Text(*c, "number"), "5404561685");
  EXPECT_EQ(p.Text(*c, "contact_name"), "Barney");
  EXPECT_EQ(p.Int(*c, "duration_seconds"), 126);
  EXPECT_EQ(UtcText(p.Int(*c, "start_time")), "2013-11-06 21:18:53.283000");
  EXPECT_EQ(p.Text(*c, "place"), "Bedrock");
  // _id 714: type 3, a missed call.
  const ArtefactRow* missed = p.Find("call.record", "call_id", "714");
  ASSERT_NE(missed, nullptr);
  EXPECT_EQ(p.Text(*missed, "direction"), "missed");
}

TEST(AndroidContactsParser, ContactsWithTheirNumbersAndEmails) {
  TempDir dir;
  ASSERT_EQ(Shell(std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/make-mobile-fixtures.py " +
                  ShellQuote(dir.path().string()))
                .exit_code,
            0);
  const Parsed p = ParseFile("mobile.android.contacts", dir.File("contacts2.db"), kPath);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("contact.entry").size(), 2u);
  const ArtefactRow* fred = p.Find("contact.entry", "name", "Fred Flintstone");
  ASSERT_NE(fred, nullptr);
  EXPECT_EQ(p.Text(*fred, "phone_numbers"), "+1 555 521 5554; +1 555 000 1111");
  EXPECT_EQ(p.Text(*fred, "emails"), "fred@bedrock.example");
  EXPECT_EQ(p.Int(*fred, "deleted"), 0);
  const ArtefactRow* barney = p.Find("contact.entry", "name", "Barney Rubble");
  ASSERT_NE(barney, nullptr);
  EXPECT_EQ(p.Int(*barney, "deleted"), 1);
  EXPECT_EQ(p.Text(*barney, "phone_numbers"), "5404561685");
  ASSERT_EQ(p.Rows("call.record").size(), 1u);
  EXPECT_EQ(p.Text(*p.Rows("call.record")[0], "direction"), "rejected");  // type 5
}

TEST(AndroidContactsParser, CallsWithoutTheirColumnsAreAProblem) {
  TempDir dir;
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(dir.File("calllog.db")) + " 'CREATE TABLE calls (_id INTEGER PRIMARY KEY)'")
                .exit_code,
            0);
  const Parsed p = ParseFile("mobile.android.contacts", dir.File("calllog.db"), "/calllog.db");
  EXPECT_TRUE(p.wanted);
  EXPECT_TRUE(p.out.rows.empty());
  EXPECT_EQ(p.out.problems.size(), 1u);
}

}  // namespace
}  // namespace custos::testing
