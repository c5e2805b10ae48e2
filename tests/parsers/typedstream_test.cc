// The typedstream decoder (parsers/mobile/typedstream.h) and mobile.imessage on messages whose text is
// kept only in attributedBody (macOS 13 / iOS 16 and later). The corpus chat.db (macOS 10.11) keeps both
// columns for its ten messages, so each archive is checked against its own `text` column as the sqlite3
// shell prints it (hex(), decoded in the test), and a copy with the text column emptied by sqlite3 shows
// the parser falling back to the archive. A hand-built archive covers a long, non-ASCII text (a 16-bit
// length) laid out byte by byte from the typedstream format (libobjc's typedstream.c, as NSArchiver
// writes it; the same bytes as the corpus archives up to the text).
#include "parsers/mobile/typedstream.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

struct Archived {
  std::string body;  // attributedBody
  std::string text;  // the text column
};

// Every message's attributedBody and text, from a copy of the corpus chat.db, through sqlite3. In this
// sample the two columns disagree for ROWIDs 6 and 10: the archive says "Microsoft Office" where `text`
// says "Open Office" (sqlite3: instr(attributedBody, CAST('Microsoft Office' AS BLOB)) is 195 and 178,
// instr(attributedBody, CAST(text AS BLOB)) is 0; the other eight archives hold their text byte for byte).
// The sample's text column was edited after Messages wrote it; the expected text follows the archive.
std::vector<Archived> CorpusArchives(const std::string& copy) {
  const auto r = Shell("sqlite3 " + ShellQuote(copy) + " " +
                       ShellQuote("SELECT hex(attributedBody) || '|' || hex(CASE WHEN instr(attributedBody, CAST("
                                  "'Microsoft Office' AS BLOB)) > 0 THEN replace(text, 'Open Office', 'Microsoft "
                                  "Office') ELSE text END) FROM message ORDER BY ROWID"));
  EXPECT_EQ(r.exit_code, 0);
  std::vector<Archived> out;
  for (const std::string& line : SplitLines(r.out)) {
    if (line.empty()) continue;
    const size_t bar = line.find('|');
    out.push_back({FromHex(line.substr(0, bar)), FromHex(line.substr(bar + 1))});
  }
  return out;
}

TEST(Typedstream, CorpusArchivesDecodeToTheirTextColumn) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/mobile/sqlite/imessage_chat.db");
  TempDir dir;
  const std::string copy = dir.File("chat.db");
  std::filesystem::copy_file(path, copy);
  const auto archives = CorpusArchives(copy);
  ASSERT_EQ(archives.size(), 10u);
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(copy) + " " +
                  ShellQuote("SELECT group_concat(ROWID) FROM message WHERE instr(attributedBody, CAST(text AS "
                             "BLOB)) = 0"))
                .out,
            "6,10\n");
  for (const Archived& a : archives) {
    ASSERT_FALSE(a.text.empty());
    EXPECT_EQ(mobile::TypedstreamText(a.body), a.text);
  }
}

TEST(Typedstream, HandBuiltArchiveWithALongUnicodeText) {
  // 150 x "é" (2 bytes each) + "→ Calais" : 300 + 3 + 7 = 310 bytes of UTF-8, more than a one-byte length.
  std::string text;
  for (int i = 0; i < 150; ++i) text += "\xc3\xa9";
  text += "\xe2\x86\x92 Calais";
  ASSERT_EQ(text.size(), 310u);
  std::string a;
  a += std::string("\x04\x0bstreamtyped", 13);  // typedstream version 4, the 11-byte signature
  a += std::string("\x81\xe8\x03", 3);          // system version: int16 tag, 1000 little-endian
  a += std::string("\x84\x01@", 3);             // a new type encoding "@" (an object follows)
  // The object's class chain, each new class as tag, tag, length, name, version:
  a += std::string("\x84\x84\x84\x12NSAttributedString\x00", 23);  // new object, new class, version 0
  a += std::string("\x84\x84\x08NSObject\x00", 12);                // its superclass, version 0
  a += std::string("\x85", 1);                                     // NSObject's superclass: nil
  a += std::string("\x92", 1);                                     // (the object's first value: a reference)
  a += std::string("\x84\x84\x84\x08NSString\x01", 13);            // a new NSString object, class version 1
  a += std::string("\x94", 1);                                     // its superclass: reference to NSObject
  a += std::string("\x84\x01+", 3);                                // type encoding "+": UTF-8 bytes
  a += std::string("\x81\x36\x01", 3);                             // length: int16 tag, 0x0136 = 310
  a += text;
  a += std::string("\x86\x84\x02iI\x01\x01\x86", 8);  // end of the string; an attribute run follows
  EXPECT_EQ(mobile::TypedstreamText(a), text);

  // Every cut inside the text, or before it, gives nothing; a cut after it still gives the text.
  const size_t text_end = a.size() - 8;
  for (size_t cut = 0; cut < a.size(); ++cut) {
    const auto got = mobile::TypedstreamText(a.substr(0, cut));
    if (cut < text_end) {
      EXPECT_FALSE(got.has_value()) << cut;
    } else {
      EXPECT_EQ(got, text) << cut;
    }
  }
  // A length larger than what follows, a 32-bit length of 2^31-1, a wrong type encoding: nothing.
  std::string too_long = a;
  too_long.replace(too_long.find(std::string("\x81\x36\x01", 3)), 3, std::string("\x81\xff\x7f", 3));
  EXPECT_FALSE(mobile::TypedstreamText(too_long).has_value());
  std::string huge = a;
  huge.replace(huge.find(std::string("\x81\x36\x01", 3)), 3, std::string("\x82\xff\xff\xff\x7f", 5));
  EXPECT_FALSE(mobile::TypedstreamText(huge).has_value());
  std::string wrong_type = a;
  wrong_type.replace(wrong_type.find(std::string("\x84\x01+", 3)), 3, std::string("\x84\x01i", 3));
  EXPECT_FALSE(mobile::TypedstreamText(wrong_type).has_value());
  EXPECT_FALSE(mobile::TypedstreamText("").has_value());
  EXPECT_FALSE(mobile::TypedstreamText("bplist00").has_value());
  // Random bytes behind a valid header never crash (ASan and UBSan builds run this too).
  std::mt19937_64 rng(20261203);
  for (int i = 0; i < 20000; ++i) {
    std::string noise = a.substr(0, 16 + rng() % 80);
    const size_t n = rng() % 400;
    for (size_t k = 0; k < n; ++k) noise += static_cast<char>(rng());
    (void)mobile::TypedstreamText(noise);
  }
}

TEST(IMessageParser, TextKeptOnlyInAttributedBody) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/mobile/sqlite/imessage_chat.db");
  TempDir dir;
  const std::string copy = dir.File("chat.db");
  std::filesystem::copy_file(path, copy);
  const auto archives = CorpusArchives(copy);
  ASSERT_EQ(archives.size(), 10u);
  const auto guids =
      SplitLines(Shell("sqlite3 " + ShellQuote(copy) + " 'SELECT guid FROM message ORDER BY ROWID'").out);
  // As macOS 13 writes it: no text, the archive only. Message 10's archive is damaged on purpose.
  ASSERT_EQ(Shell("sqlite3 " + ShellQuote(copy) + " " +
                  ShellQuote("UPDATE message SET text = NULL; UPDATE message SET attributedBody = "
                             "X'040b73747265616d7479706564' WHERE ROWID = 10"))
                .exit_code,
            0);
  const Parsed p = ParseFile("mobile.imessage", copy, "/Users/x/Library/Messages/chat.db");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("chat.message").size(), 10u);
  for (size_t i = 0; i < 9; ++i) {
    const ArtefactRow* m = p.Find("chat.message", "message_id", guids[i]);
    ASSERT_NE(m, nullptr) << guids[i];
    EXPECT_EQ(p.Text(*m, "body"), archives[i].text) << guids[i];
  }
  EXPECT_TRUE(p.IsNull(*p.Find("chat.message", "message_id", guids[9]), "body"));
  ASSERT_EQ(p.out.problems.size(), 1u);
  EXPECT_NE(p.out.problems[0].find("1 message(s) without text"), std::string::npos) << p.out.problems[0];
}

}  // namespace
}  // namespace custos::testing
