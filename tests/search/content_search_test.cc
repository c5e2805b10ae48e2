// The streaming search: literals, expressions with POSIX classes, case-(in)sensitivity, UTF-16LE text at
// even and odd offsets, hits split across Feed calls (every split point, and one byte at a time), entities
// confirmed or rejected by their validators, keywords outside ASCII in UTF-8 and UTF-16 of both byte orders
// (bytes written by iconv), and a rejected expression named with its line. Offsets are
// where the test planted the text (found again with std::string::find on the bytes it built).
#include "triage/search/content_search.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "tests/support/test_support.h"

namespace custos {
namespace {

std::string Utf16le(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

std::string Noise(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() % 256);
  // Keep the noise free of letters and digits, so it cannot make chance hits that the test did not plant.
  for (auto& c : s)
    if (std::isalnum(static_cast<unsigned char>(c))) c = '\x01';
  return s;
}

std::shared_ptr<const SearchPatterns> Compile(std::vector<SearchTerm> terms, SearchOptions options = {}) {
  auto p = SearchPatterns::Compile(terms, options);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : nullptr;
}

// Scans `data` cut into pieces of `piece` bytes (0 = one Feed) and returns the hits.
std::vector<SearchHit> Scan(const std::shared_ptr<const SearchPatterns>& patterns, const std::string& data,
                            size_t piece = 0) {
  auto search = ContentSearch::Create(patterns);
  EXPECT_TRUE(search.ok());
  std::vector<SearchHit> hits;
  (*search)->Begin([&](const SearchHit& h) { hits.push_back(h); });
  if (piece == 0) piece = data.size();
  for (size_t at = 0; at < data.size(); at += piece) {
    (*search)->Feed(data.data() + at, std::min(piece, data.size() - at));
  }
  (*search)->Finish();
  return hits;
}

std::vector<SearchHit> Only(const std::vector<SearchHit>& hits, const std::string& term) {
  std::vector<SearchHit> out;
  for (const auto& h : hits)
    if (h.term == term) out.push_back(h);
  return out;
}

TEST(ContentSearch, LiteralIsCaseInsensitiveByDefaultWithContext) {
  const std::string data = Noise(300, 1) + "the HEROIN was in the shed" + Noise(300, 2);
  const auto hits = Scan(Compile({{"heroin", TermKind::kKeyword, "t"}}, {false, false}), data);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].offset, static_cast<int64_t>(data.find("HEROIN")));
  EXPECT_EQ(hits[0].match, "HEROIN");
  EXPECT_EQ(hits[0].encoding, "utf-8");
  EXPECT_EQ(hits[0].kind, TermKind::kKeyword);
  EXPECT_NE(hits[0].context.find("the HEROIN was in the shed"), std::string::npos) << hits[0].context;
  EXPECT_EQ(hits[0].context.size(), 6u + 2 * ContentSearch::kContextChars);
}

TEST(ContentSearch, CaseSensitiveWhenAsked) {
  const std::string data = "the HEROIN, the heroin";
  const auto hits = Scan(Compile({{"heroin", TermKind::kKeyword, "t"}}, {true, false}), data);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].offset, static_cast<int64_t>(data.rfind("heroin")));
}

TEST(ContentSearch, RegexWithPosixClassesFindsTheLongestMatchOnce) {
  const std::string data = Noise(100, 3) + "meet at 23:45 by the pier" + Noise(100, 4);
  const auto hits = Scan(
      Compile({{"meet at [[:digit:]]{2}:[[:digit:]]{2} by the [[:alpha:]]+", TermKind::kRegex, "t"}}, {false, false}),
      data);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].offset, static_cast<int64_t>(data.find("meet")));
  EXPECT_EQ(hits[0].match, "meet at 23:45 by the pier");
  EXPECT_EQ(hits[0].kind, TermKind::kRegex);
}

TEST(ContentSearch, Utf16LittleEndianAtEvenAndOddOffsets) {
  const std::string even = Utf16le("Secret Plan"), odd = Utf16le("the secret plan");
  std::string data = Noise(64, 5) + even + Noise(33, 6) + odd + Noise(64, 7);
  const size_t at_even = data.find(Utf16le("Secret")), at_odd = data.find(Utf16le("secret"));
  ASSERT_EQ(at_even % 2, 0u);
  ASSERT_EQ(at_odd % 2, 1u);
  const auto hits = Scan(Compile({{"secret plan", TermKind::kKeyword, "t"}}, {false, false}), data);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].offset + hits[1].offset, static_cast<int64_t>(at_even + at_odd));
  for (const auto& h : hits) {
    EXPECT_EQ(h.encoding, "utf-16le");
    EXPECT_EQ(h.length, 22);
    EXPECT_TRUE(h.offset == static_cast<int64_t>(at_even) || h.offset == static_cast<int64_t>(at_odd));
  }
  EXPECT_NE(hits[0].context.find("ecret "), std::string::npos);
}

// The UTF-16LE views are decoded sixteen units at a time: an expression in UTF-16LE at every offset of a
// 32-byte block, inside a buffer several blocks long, is found once, where it was planted. A tab unit is text
// to an expression; a unit whose low byte is in the class but which is not printable ASCII (U+0109, U+007F,
// U+00A0) is not, so the three copies made with them give no hit.
TEST(ContentSearch, Utf16ViewsDecodedInBlocksAtEveryOffset) {
  const auto patterns = Compile({{"Code[\\t \\x7f\\xa0]Red [0-9]{3}", TermKind::kRegex, "t"}}, {true, false});
  const std::string text = Utf16le("Code\tRed 417");
  std::string broken;
  for (const char* unit : {"\x09\x01", "\x7f\x00", "\xa0\x00"}) {
    broken += Utf16le("Code") + std::string(unit, 2) + Utf16le("Red 417") + Noise(7, 21);
  }
  for (size_t offset = 0; offset < 40; ++offset) {
    const std::string data = Noise(offset + 70, 20) + broken + text + Noise(50, 22) + broken + Noise(70, 23);
    const auto hits = Scan(patterns, data);
    ASSERT_EQ(hits.size(), 1u) << "offset " << offset;
    EXPECT_EQ(hits[0].offset, static_cast<int64_t>(data.find(text))) << "offset " << offset;
    EXPECT_EQ(hits[0].encoding, "utf-16le");
    EXPECT_EQ(hits[0].match, "Code.Red 417");  // the tab shown as '.', as PrintableUtf16 shows every control unit
  }
}

TEST(ContentSearch, HitSplitAcrossFeedsIsFoundAtEverySplitPoint) {
  const std::string ascii = Noise(100, 8) + "password123" + Noise(100, 9);
  const std::string wide = Noise(99, 10) + Utf16le("password123") + Noise(100, 11);
  const auto patterns = Compile({{"password123", TermKind::kKeyword, "t"}}, {false, false});
  for (const std::string& data : {ascii, wide}) {
    const size_t at = std::min(data.find("password123"), data.find(Utf16le("password123")));
    for (size_t split = at; split <= at + 24; ++split) {
      auto search = ContentSearch::Create(patterns);
      ASSERT_TRUE(search.ok());
      std::vector<SearchHit> hits;
      (*search)->Begin([&](const SearchHit& h) { hits.push_back(h); });
      (*search)->Feed(data.data(), split);
      (*search)->Feed(data.data() + split, data.size() - split);
      (*search)->Finish();
      ASSERT_EQ(hits.size(), 1u) << "split at " << split;
      EXPECT_EQ(hits[0].offset, static_cast<int64_t>(at));
    }
    const auto bytewise = Scan(patterns, data, 1);
    ASSERT_EQ(bytewise.size(), 1u);
    EXPECT_EQ(bytewise[0].offset, static_cast<int64_t>(at));
    EXPECT_NE(bytewise[0].context.find("password123"), std::string::npos);
  }
}

TEST(ContentSearch, EntitiesAreConfirmedByTheirValidators) {
  const std::string data =
      "card 4111 1111 1111 1111 and 4111 1111 1111 1112; iban GB82 WEST 1234 5698 7654 32 or "
      "GB83WEST12345698765432; btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa not "
      "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb, bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 not "
      "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5; mail dc.smith@police.example.uk; "
      "see https://example.org/a?b=1. call +44 7700 900123 from 10.0.0.1";
  const auto hits = Scan(Compile({}), data);
  auto one = [&](const std::string& term, const std::string& match) {
    const auto h = Only(hits, term);
    ASSERT_EQ(h.size(), 1u) << term;
    EXPECT_EQ(h[0].match, match);
    EXPECT_EQ(h[0].offset, static_cast<int64_t>(data.find(match)));
    EXPECT_EQ(h[0].kind, TermKind::kEntity);
  };
  one("payment_card", "4111 1111 1111 1111");
  one("iban", "GB82 WEST 1234 5698 7654 32");
  EXPECT_EQ(Only(hits, "bitcoin").size(), 2u);
  EXPECT_EQ(Only(hits, "bitcoin")[0].match, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
  EXPECT_EQ(Only(hits, "bitcoin")[1].match, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
  one("email", "dc.smith@police.example.uk");
  one("url", "https://example.org/a?b=1");
  one("phone", "+44 7700 900123");
  one("ipv4", "10.0.0.1");
  // Fed one byte at a time, every entity comes out the same (the e-mail's start is found by walking back
  // from its '@' over bytes of earlier Feed calls).
  const auto bytewise = Scan(Compile({}), data, 1);
  ASSERT_EQ(bytewise.size(), hits.size());
  for (size_t i = 0; i < hits.size(); ++i) {
    EXPECT_EQ(bytewise[i].match, hits[i].match);
    EXPECT_EQ(bytewise[i].offset, hits[i].offset);
  }
}

TEST(ContentSearch, EntitiesInUtf16) {
  const std::string data = Noise(40, 12) + Utf16le("mail dc.smith@police.example.uk now") + Noise(40, 13);
  const auto hits = Only(Scan(Compile({}), data), "email");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].match, "dc.smith@police.example.uk");
  EXPECT_EQ(hits[0].offset, static_cast<int64_t>(data.find(Utf16le("dc.smith"))));
  EXPECT_EQ(hits[0].encoding, "utf-16le");
}

TEST(ContentSearch, ARejectedExpressionIsNamedWithItsLine) {
  testing::TempDir dir;
  {
    std::ofstream f(dir.File("re.txt"));
    f << "fine[[:alpha:]]+\n\n(unclosed\n";
  }
  auto terms = LoadTermFile(dir.File("re.txt"), TermKind::kRegex);
  ASSERT_TRUE(terms.ok());
  ASSERT_EQ(terms->size(), 2u);
  auto p = SearchPatterns::Compile(*terms, {});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(p.status().message().find("'(unclosed'"), std::string::npos) << p.status().message();
  EXPECT_NE(p.status().message().find("re.txt line 3"), std::string::npos) << p.status().message();
  EXPECT_FALSE(LoadTermFile(dir.File("absent.txt"), TermKind::kKeyword).ok());
}

// `text` (UTF-8) in another charset, converted by the iconv program (not the code under test).
std::string Iconv(const std::string& text, const std::string& charset) {
  const auto r =
      custos::testing::Shell("printf '%s' " + custos::testing::ShellQuote(text) + " | iconv -f UTF-8 -t " + charset);
  EXPECT_EQ(r.exit_code, 0);
  return r.out;
}

// Keywords outside ASCII in UTF-8, UTF-16LE and UTF-16BE bytes that iconv wrote, in other case than the
// keyword (upper case forms from Python's str.upper(), written out here: "STRAßE", "ΕΛΈΝΗ"). Offsets are
// where the test put the bytes (std::string::find on them).
TEST(ContentSearch, KeywordsOutsideAsciiInUtf8AndBothUtf16ByteOrders) {
  const auto patterns =
      Compile({{"Straße", TermKind::kKeyword, "t"}, {"Ελένη", TermKind::kKeyword, "t"}}, {false, false});
  struct Case {
    std::string charset, text, planted, encoding;
  };
  const std::vector<Case> cases = {
      {"UTF-8", "meet at STRAßE 5", "STRAßE", "utf-8"},       {"UTF-16LE", "meet at STRAßE 5", "STRAßE", "utf-16le"},
      {"UTF-16BE", "meet at straße 5", "straße", "utf-16be"}, {"UTF-8", "ask ΕΛΈΝΗ today", "ΕΛΈΝΗ", "utf-8"},
      {"UTF-16LE", "ask Ελένη today", "Ελένη", "utf-16le"},   {"UTF-16BE", "ask ΕΛΈΝΗ today", "ΕΛΈΝΗ", "utf-16be"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.charset + ": " + c.text);
    // Noise around, and one byte of it more before, so the text starts at an odd offset; UTF-16 text with
    // the byte-order mark a file of it begins with, and a byte that is no character after it.
    const std::string bom = c.charset == "UTF-16LE" ? "\xFF\xFE" : c.charset == "UTF-16BE" ? "\xFE\xFF" : "";
    const std::string data = Noise(99, 11) + bom + Iconv(c.text, c.charset) + "\x01" + Noise(100, 12);
    const std::string planted = Iconv(c.planted, c.charset);
    const size_t at = data.find(planted);
    ASSERT_NE(at, std::string::npos);
    ASSERT_EQ(at % 2, 1u);
    const auto hits = Scan(patterns, data);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].offset, static_cast<int64_t>(at));
    EXPECT_EQ(hits[0].length, static_cast<int64_t>(planted.size()));
    EXPECT_EQ(hits[0].encoding, c.encoding);
    EXPECT_EQ(hits[0].match, c.planted);  // shown as UTF-8 text
    // Split at every position, the same single hit.
    for (size_t piece = 1; piece < 16; ++piece) {
      const auto split = Scan(patterns, data, piece);
      ASSERT_EQ(split.size(), 1u) << "piece " << piece;
      EXPECT_EQ(split[0].offset, static_cast<int64_t>(at));
      EXPECT_EQ(split[0].encoding, c.encoding);
    }
  }
}

TEST(ContentSearch, KeywordsOutsideAsciiCaseSensitivelyAndNeverInOtherWords) {
  const std::string data = Noise(50, 13) + Iconv("STRAßE, Strasse, Strase", "UTF-16LE") + Iconv("Straße", "UTF-8");
  const auto sensitive = Scan(Compile({{"Straße", TermKind::kKeyword, "t"}}, {true, false}), data);
  ASSERT_EQ(sensitive.size(), 1u);
  EXPECT_EQ(sensitive[0].encoding, "utf-8");
  EXPECT_EQ(sensitive[0].offset, static_cast<int64_t>(data.rfind("Straße")));
  // glibc maps "ß" to no upper case of its own: "STRASSE" and "Strasse" are other words.
  const auto insensitive = Scan(Compile({{"Straße", TermKind::kKeyword, "t"}}, {false, false}), data);
  ASSERT_EQ(insensitive.size(), 2u);
}

// UTF-16LE Latin text reads as UTF-16BE one byte earlier wherever ASCII characters go on around it: it is
// reported once, as UTF-16LE; UTF-16BE text made by iconv, after its byte-order mark and in the middle of
// other UTF-16BE text, is reported once, as UTF-16BE.
TEST(ContentSearch, Utf16TextIsReportedInOneByteOrder) {
  const auto patterns = Compile({{"Straße", TermKind::kKeyword, "t"}}, {false, false});
  const std::string le = Noise(40, 14) + Iconv("the Straße is long", "UTF-16LE") + Noise(40, 15);
  auto hits = Scan(patterns, le);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].encoding, "utf-16le");
  EXPECT_EQ(hits[0].offset, static_cast<int64_t>(le.find(Iconv("Straße", "UTF-16LE"))));
  const std::string be = Noise(40, 16) + "\xFE\xFF" + Iconv("the Straße is long", "UTF-16BE") + "\x01" + Noise(40, 17);
  hits = Scan(patterns, be);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].encoding, "utf-16be");
  EXPECT_EQ(hits[0].offset, static_cast<int64_t>(be.find(Iconv("Straße", "UTF-16BE"))));
}

TEST(ContentSearch, TooManyHitsOfOneTermAreCountedNotRecorded) {
  std::string data;
  for (int i = 0; i < 1500; ++i) data += "drugs ";
  auto search = ContentSearch::Create(Compile({{"drugs", TermKind::kKeyword, "t"}}, {false, false}));
  ASSERT_TRUE(search.ok());
  int64_t n = 0;
  (*search)->Begin([&](const SearchHit&) { ++n; });
  (*search)->Feed(data.data(), data.size());
  (*search)->Finish();
  EXPECT_EQ(n, ContentSearch::kMaxHitsPerTerm);
  ASSERT_EQ((*search)->dropped().size(), 1u);
  EXPECT_EQ((*search)->dropped()[0].second, 500);
}

}  // namespace
}  // namespace custos
