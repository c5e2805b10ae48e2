// browser.safari.downloads and browser.safari.bookmarks on Downloads.plist and Bookmarks.plist written by
// Python's plistlib (binary, as Safari writes them, and XML), following the keys Safari uses (the corpus
// has neither). plistlib stores a naive datetime as that UTC moment; the expected times are the ones
// written, and the plist dates are read back with plistlib in the test to show what the file holds.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

constexpr const char* kSafari = "/Users/jd/Library/Safari/";

// Runs a python3 program that builds `value` (a Python expression using datetime) and dumps it with
// plistlib in `format` (FMT_BINARY or FMT_XML); returns the file's bytes.
std::string WritePlist(const TempDir& dir, const std::string& name, const std::string& value,
                       const std::string& format) {
  const std::string path = dir.File(name);
  const std::string py = "import plistlib, sys\nfrom datetime import datetime\nv = " + value +
                         "\nwith open(sys.argv[1], 'wb') as f: plistlib.dump(v, f, fmt=plistlib." + format + ")\n";
  EXPECT_EQ(Shell("python3 -c " + ShellQuote(py) + " " + ShellQuote(path)).exit_code, 0) << name;
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

constexpr const char* kDownloads = R"({'DownloadHistory': [
  {'DownloadEntryURL': 'https://files.example.net/manifest.zip',
   'DownloadEntryPath': '/Users/jd/Downloads/manifest.zip',
   'DownloadEntryProgressTotalToLoad': 482133, 'DownloadEntryProgressBytesSoFar': 482133,
   'DownloadEntryIdentifier': '5B0E8B36-1E4C-4F7E-9A57-1D9D5D2C2E11',
   'DownloadEntryDateAddedKey': datetime(2026, 11, 22, 8, 30, 5),
   'DownloadEntryDateFinishedKey': datetime(2026, 11, 22, 8, 30, 9),
   'DownloadEntryRemoveWhenDoneKey': False, 'DownloadEntryBookmarkBlob': b'book\x00\x01'},
  {'DownloadEntryURL': 'https://cdn.example.org/big.iso', 'DownloadEntryPath': '/Users/jd/Downloads/big.iso',
   'DownloadEntryProgressTotalToLoad': 4700000000, 'DownloadEntryProgressBytesSoFar': 1048576,
   'DownloadEntryDateAddedKey': datetime(2026, 11, 23, 21, 0, 0)}]})";

TEST(SafariDownloadsParser, DownloadHistoryBinaryAndXml) {
  TempDir dir;
  for (const char* format : {"FMT_BINARY", "FMT_XML"}) {
    const std::string bytes = WritePlist(dir, std::string("Downloads-") + format + ".plist", kDownloads, format);
    const Parsed p = ParseBytes("browser.safari.downloads", bytes, std::string(kSafari) + "Downloads.plist");
    EXPECT_TRUE(p.wanted) << format;
    ASSERT_TRUE(p.status.ok()) << p.status.ToString();
    const auto rows = p.Rows("browser.download");
    ASSERT_EQ(rows.size(), 2u) << format;
    EXPECT_EQ(p.Text(*rows[0], "url"), "https://files.example.net/manifest.zip");
    EXPECT_EQ(p.Text(*rows[0], "target_path"), "/Users/jd/Downloads/manifest.zip");
    EXPECT_EQ(p.Int(*rows[0], "total_bytes"), 482133);
    EXPECT_EQ(p.Int(*rows[0], "received_bytes"), 482133);
    EXPECT_EQ(UtcText(p.Int(*rows[0], "start_time")), "2026-11-22 08:30:05.000000");
    EXPECT_EQ(UtcText(p.Int(*rows[0], "end_time")), "2026-11-22 08:30:09.000000");
    EXPECT_EQ(p.Text(*rows[0], "state"), "complete");
    EXPECT_EQ(p.Text(*rows[0], "browser"), "Safari");
    EXPECT_EQ(p.Int(*rows[1], "total_bytes"), 4700000000);  // beyond 32 bits
    EXPECT_EQ(p.Int(*rows[1], "received_bytes"), 1048576);
    EXPECT_TRUE(p.IsNull(*rows[1], "end_time"));
    EXPECT_EQ(p.Text(*rows[1], "state"), "not finished");
  }
  // What the binary file holds, read back by plistlib.
  const auto back = Shell(
      "python3 -c \"import plistlib,sys; d=plistlib.load(open(sys.argv[1],'rb')); "
      "print(d['DownloadHistory'][0]['DownloadEntryDateAddedKey'])\" " +
      ShellQuote(dir.File("Downloads-FMT_BINARY.plist")));
  EXPECT_EQ(back.out, "2026-11-22 08:30:05\n");
}

TEST(SafariBookmarksParser, FoldersAndTheReadingList) {
  TempDir dir;
  const std::string bytes = WritePlist(dir, "Bookmarks.plist", R"({'WebBookmarkFileVersion': 1,
  'WebBookmarkType': 'WebBookmarkTypeList', 'Title': '', 'Children': [
    {'WebBookmarkType': 'WebBookmarkTypeProxy', 'Title': 'History'},
    {'WebBookmarkType': 'WebBookmarkTypeList', 'Title': 'BookmarksBar', 'Children': [
      {'WebBookmarkType': 'WebBookmarkTypeList', 'Title': 'Travel', 'Children': [
        {'WebBookmarkType': 'WebBookmarkTypeLeaf', 'URLString': 'https://www.ferries.example/',
         'URIDictionary': {'title': 'Ferries to France'}, 'WebBookmarkUUID': 'A1'}]}]},
    {'WebBookmarkType': 'WebBookmarkTypeList', 'Title': 'com.apple.ReadingList', 'Children': [
      {'WebBookmarkType': 'WebBookmarkTypeLeaf', 'URLString': 'https://news.example/article',
       'URIDictionary': {'title': 'Port checks tightened'},
       'ReadingList': {'DateAdded': datetime(2026, 11, 20, 7, 15, 0),
                       'DateLastViewed': datetime(2026, 11, 21, 19, 2, 30), 'PreviewText': 'Border'}}]}]})",
                                       "FMT_BINARY");
  for (size_t cut = 0; cut < bytes.size(); cut += 5) {
    EXPECT_LE(ParseBytes("browser.safari.bookmarks", bytes.substr(0, cut), std::string(kSafari) + "Bookmarks.plist")
                  .out.rows.size(),
              2u);
  }
  const Parsed p = ParseBytes("browser.safari.bookmarks", bytes, std::string(kSafari) + "Bookmarks.plist");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  const auto rows = p.Rows("browser.bookmark");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(p.Text(*rows[0], "url"), "https://www.ferries.example/");
  EXPECT_EQ(p.Text(*rows[0], "name"), "Ferries to France");
  EXPECT_EQ(p.Text(*rows[0], "folder"), "Favourites bar/Travel");
  EXPECT_TRUE(p.IsNull(*rows[0], "added"));
  EXPECT_EQ(p.Text(*rows[1], "folder"), "Reading List");
  EXPECT_EQ(UtcText(p.Int(*rows[1], "added")), "2026-11-20 07:15:00.000000");
  EXPECT_EQ(UtcText(p.Int(*rows[1], "last_used")), "2026-11-21 19:02:30.000000");
}

TEST(SafariPlistParsers, ForeignDamagedAndDeepPlists) {
  TempDir dir;
  const std::string other = WritePlist(dir, "other.plist", "{'Something': 1}", "FMT_BINARY");
  EXPECT_FALSE(ParseBytes("browser.safari.downloads", other, std::string(kSafari) + "Downloads.plist").status.ok());
  EXPECT_FALSE(ParseBytes("browser.safari.bookmarks", other, std::string(kSafari) + "Bookmarks.plist").status.ok());
  // Not under a Safari folder: not wanted.
  EXPECT_FALSE(ParseBytes("browser.safari.downloads", other, "/Users/jd/Downloads.plist").wanted);
  const std::string good = WritePlist(dir, "d.plist", kDownloads, "FMT_BINARY");
  for (size_t cut = 0; cut < good.size(); cut += 7) {
    const Parsed p =
        ParseBytes("browser.safari.downloads", good.substr(0, cut), std::string(kSafari) + "Downloads.plist");
    EXPECT_LE(p.out.rows.size(), 2u);
  }
  // Folders nested 200 deep: read to the fixed depth, then a problem.
  const std::string deep = WritePlist(
      dir, "deep.plist",
      "(lambda: [n := {'WebBookmarkType': 'WebBookmarkTypeLeaf', 'URLString': 'https://deep.example/'}] and "
      "[n := {'WebBookmarkType': 'WebBookmarkTypeList', 'Title': 'f', 'Children': [n]} for _ in range(200)] and "
      "{'Children': [n]})()",
      "FMT_BINARY");
  const Parsed d = ParseBytes("browser.safari.bookmarks", deep, std::string(kSafari) + "Bookmarks.plist");
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_TRUE(d.Rows("browser.bookmark").empty());
  ASSERT_FALSE(d.out.problems.empty());
  EXPECT_NE(d.out.problems[0].find("deeper than 64"), std::string::npos);
}

}  // namespace
}  // namespace custos::testing
