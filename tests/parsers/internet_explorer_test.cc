// browser.ie.index_dat on the corpus History.IE5 and Content.IE5 index.dat files. Every record is
// compared with what msiecfexport -m all (libmsiecf-utils) prints for it: location, primary/secondary
// time, expiration, last checked, file name and cache folder. msiecfexport 20181227 does not print the
// hit count, so that is read by hand from the raw record: a little-endian 32-bit number at offset 0x54 of
// the "URL " record (the MSIE Cache File format description), with Python's struct.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

struct Exported {
  bool recovered = false;
  std::map<std::string, std::string> fields;  // "Location" -> "Visited: ...", "Primary time" -> ...
};

// msiecfexport's blocks, keyed by the record's start offset.
std::map<int64_t, Exported> Export(const std::string& path) {
  const auto r = Shell("msiecfexport -m all " + ShellQuote(path) + " 2>/dev/null");
  std::map<int64_t, Exported> out;
  bool recovered = false;
  Exported current;
  int64_t offset = -1;
  for (const std::string& line : SplitLines(r.out + "\n")) {
    if (line.starts_with("Exporting recovered items")) recovered = true;
    if (line.empty()) {
      if (offset >= 0) out[offset] = current;
      offset = -1;
      current = Exported{};
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    while (!key.empty() && (key.back() == '\t' || key.back() == ' ')) key.pop_back();
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
    if (key == "Record type") current.recovered = recovered;
    if (key == "Offset range") offset = std::stoll(value);
    current.fields[key] = value;
  }
  return out;
}

// "Aug 25, 2015 11:05:18.512000000" -> "2015-08-25 11:05:18.512000"; without a fraction, ".000000".
std::string IsoFromExport(const std::string& text) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::istringstream in(text);
  std::string month, day, year, time;
  in >> month >> day >> year >> time;
  int m = 0;
  for (int i = 0; i < 12; ++i) {
    if (month == kMonths[i]) m = i + 1;
  }
  day.pop_back();  // the comma
  if (time.find('.') == std::string::npos) time += ".000000000";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s-%02d-%02d %s", year.c_str(), m, std::stoi(day), time.substr(0, 15).c_str());
  return buf;
}

// The hit count of each "URL " record, keyed by offset, read with Python's struct in one run.
std::map<int64_t, int64_t> RawHits(const std::string& path, const std::map<int64_t, Exported>& records) {
  std::string offsets;
  for (const auto& [offset, e] : records) {
    if (e.fields.at("Record type") == "URL") offsets += " " + std::to_string(offset);
  }
  const auto r = Shell(
      "python3 -c \"import struct,sys; d=open(sys.argv[1],'rb').read(); "
      "[print(o, struct.unpack_from('<I', d, int(o) + 0x54)[0]) for o in sys.argv[2:]]\" " +
      ShellQuote(path) + offsets);
  std::map<int64_t, int64_t> out;
  std::istringstream in(r.out);
  int64_t offset = 0, hits = 0;
  while (in >> offset >> hits) out[offset] = hits;
  return out;
}

// A time msiecfexport printed, or "" where it printed none (it leaves out times that are not set).
std::string ExportedTime(const Exported& e, const std::string& field) {
  const auto it = e.fields.find(field);
  return it == e.fields.end() ? "" : IsoFromExport(it->second);
}

void CompareWithMsiecfexport(const std::string& path, const std::string& evidence_path, size_t expected_rows,
                             const std::string& entry_type) {
  const Parsed p = ParseFile("browser.ie.index_dat", path, evidence_path);
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  const auto exported = Export(path);
  ASSERT_EQ(exported.size(), expected_rows);
  const auto rows = p.Rows("browser.ie_url");
  ASSERT_EQ(rows.size(), expected_rows);
  const auto hits = RawHits(path, exported);
  for (const ArtefactRow* row : rows) {
    const size_t at = row->location.rfind(' ');
    const int64_t offset = std::stoll(row->location.substr(at + 1));
    SCOPED_TRACE(row->location);
    ASSERT_EQ(exported.count(offset), 1u);
    const Exported& e = exported.at(offset);
    EXPECT_EQ(row->location.starts_with("recovered"), e.recovered);
    EXPECT_EQ(p.Int(*row, "recovered"), e.recovered ? 1 : 0);
    EXPECT_EQ(p.Text(*row, "record_type"), e.fields.at("Record type"));
    const std::string location = e.fields.at("Location");
    const std::string user = p.Text(*row, "user");
    EXPECT_EQ(user.empty() ? p.Text(*row, "url") : "Visited: " + user + "@" + p.Text(*row, "url"), location);
    if (e.fields.at("Record type") == "REDR") {
      // A redirect keeps only its address: no times, no hits, no index type.
      EXPECT_EQ(p.Text(*row, "entry_type"), "unknown");
      EXPECT_TRUE(p.IsNull(*row, "last_visited"));
      EXPECT_TRUE(p.IsNull(*row, "hits"));
      EXPECT_EQ(e.fields.count("Primary time"), 0u);
      continue;
    }
    EXPECT_EQ(p.Text(*row, "entry_type"), entry_type);
    EXPECT_EQ(UtcText(p.Int(*row, "last_visited")), ExportedTime(e, "Primary time"));
    if (entry_type == "cache") {
      EXPECT_EQ(UtcText(p.Int(*row, "content_modified")), ExportedTime(e, "Secondary time"));
    }
    EXPECT_EQ(UtcText(p.Int(*row, "expires")), ExportedTime(e, "Expiration time"));
    EXPECT_EQ(UtcText(p.Int(*row, "last_checked")), ExportedTime(e, "Last checked time"));
    ASSERT_EQ(hits.count(offset), 1u);
    EXPECT_EQ(p.Int(*row, "hits"), hits.at(offset));
    if (e.fields.count("Filename")) {
      // "0 (0x00)(ENG3X4ZR)": the cache folder's name in the last brackets.
      const std::string index = e.fields.at("Cache directory index");
      const std::string folder = index.substr(index.rfind('(') + 1, 8);
      EXPECT_EQ(p.Text(*row, "cached_file"), folder + "\\" + e.fields.at("Filename"));
    } else {
      EXPECT_TRUE(p.IsNull(*row, "cached_file"));
    }
  }
}

TEST(IndexDatParser, HistoryAgreesWithMsiecfexport) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/browser/msiecf/History.IE5/index.dat");
  // msiecfinfo: 15 items and 2 recovered items.
  CompareWithMsiecfexport(
      path, "/Users/gold_administrator/AppData/Local/Microsoft/Windows/History/History.IE5/index.dat", 17, "history");
  // One visit by hand: the record at 21760 (msiecfexport), hits 6 at 0x54 (xxd -s 21844 -l 4: 06 00 00 00).
  const Parsed p = ParseFile("browser.ie.index_dat", path, "/History.IE5/index.dat");
  const ArtefactRow* row =
      p.Find("browser.ie_url", "url", "http://www.microsoft.com/de-ch/download/internet-explorer.aspx");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(p.Text(*row, "user"), "gold_administrator");
  EXPECT_EQ(UtcText(p.Int(*row, "last_visited")), "2015-08-25 11:06:21.714000");
  EXPECT_EQ(UtcText(row->time), "2015-08-25 11:06:21.714000");
  EXPECT_EQ(p.Int(*row, "hits"), 6);
  EXPECT_EQ(row->location, "record at offset 21760");
}

TEST(IndexDatParser, CacheAgreesWithMsiecfexport) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/browser/msiecf/Content.IE5/index.dat");
  CompareWithMsiecfexport(
      path, "/Users/x/AppData/Local/Microsoft/Windows/Temporary Internet Files/Content.IE5/index.dat", 35, "cache");
  const Parsed p = ParseFile("browser.ie.index_dat", path, "/Content.IE5/index.dat");
  const ArtefactRow* row = p.Find("browser.ie_url", "url", "http://static-hp-neu.s-msn.com/sc/54/4f1880.ico");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(p.Text(*row, "cached_file"), "ENG3X4ZR\\4f1880[1].ico");
  // The cached file's size: 4286, a 32-bit number at offset 0x20 of the record (python3 struct, by hand).
  EXPECT_EQ(p.Int(*row, "cached_file_size"), 4286);
}

TEST(IndexDatParser, OnlyTheSignature) {
  EXPECT_FALSE(ParseBytes("browser.ie.index_dat", "Client UrlCache", "/index.dat").wanted);
  const Parsed p =
      ParseBytes("browser.ie.index_dat", "Client UrlCache MMF Ver 5.2" + std::string(100, '\0'), "/index.dat");
  EXPECT_TRUE(p.wanted);
  EXPECT_FALSE(p.status.ok());
  EXPECT_TRUE(p.out.rows.empty());
}

// The corpus has no WebCacheV01.dat and nothing on Debian writes ESE databases, so the WebCache parser's
// values are not checked here. Its other ESE database (Catalog1.edb) shows that a database without the
// Containers table is opened through libesedb and refused with a reason; esedbinfo confirms the table
// is absent.
TEST(WebCacheParser, AnEseDatabaseWithoutContainersIsRefused) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/Catalog1.edb");
  const auto info = Shell("esedbinfo " + ShellQuote(path) + " 2>/dev/null");
  ASSERT_NE(info.out.find("Number of tables"), std::string::npos);
  ASSERT_EQ(info.out.find("\tContainers"), std::string::npos);
  const std::string webcache = "/Users/x/AppData/Local/Microsoft/Windows/WebCache/WebCacheV01.dat";
  const Parsed p = ParseFile("browser.ie.webcache", path, webcache);
  EXPECT_TRUE(p.wanted);
  EXPECT_FALSE(p.status.ok());
  EXPECT_NE(p.status.message().find("no Containers table"), std::string::npos) << p.status.ToString();
  EXPECT_TRUE(p.out.rows.empty());
  EXPECT_FALSE(ParseFile("browser.ie.webcache", path, "/Catalog1.edb").wanted);
  EXPECT_FALSE(ParseBytes("browser.ie.webcache", "not an ESE database", webcache).wanted);
}

}  // namespace
}  // namespace custos::testing

namespace custos::testing {
namespace {

// A URL record whose block count is 0 (found by fuzzing: the corpus History.IE5 index.dat with the count of
// its record at 0x5500 zeroed) made libmsiecf 20181227 scan forever, allocating; msiecfinfo on it has not
// finished after 30 s. The parser reads it as one block and says so.
TEST(IndexDatParser, RecordClaimingNoBlocksDoesNotStallLibmsiecf) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/browser/msiecf/History.IE5/index.dat");
  ASSERT_EQ(Shell("xxd -s 0x5500 -l 8 -p " + ShellQuote(path)).out, "55524c2003000000\n");  // "URL ", 3 blocks
  const std::string original = Shell("cat " + ShellQuote(path)).out;
  std::string damaged = original;
  damaged[0x5504] = 0;
  const Parsed before = ParseBytes("browser.ie.index_dat", original, "/u/History.IE5/index.dat");
  ASSERT_TRUE(before.status.ok());
  EXPECT_TRUE(before.out.problems.empty());
  const Parsed p = ParseBytes("browser.ie.index_dat", damaged, "/u/History.IE5/index.dat");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.out.problems.size(), 1u);
  EXPECT_EQ(p.out.problems[0], "the record at offset 21760 claims no blocks (damaged): read as one block");
  EXPECT_GE(p.Rows("browser.ie_url").size() + 1, before.Rows("browser.ie_url").size());
  EXPECT_LE(p.Rows("browser.ie_url").size(), before.Rows("browser.ie_url").size());
}

}  // namespace
}  // namespace custos::testing
