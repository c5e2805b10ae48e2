// windows.jumplist on the corpus jump lists. DestList values were decoded by hand from the stream that
// `olecfexport` (libolecf-utils) extracts, with python3 struct.unpack at the documented offsets; the
// shortcut values come from `lnkinfo` on the exported numbered streams; the custom list's shortcuts
// were counted by searching for the LNK header and each slice read with lnkinfo.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

constexpr const char* kWin7List =
    "artefacts/windows/automaticDestinations-ms/1b4dd67f29cb1962.automaticDestinations-ms";
constexpr const char* kWin10List =
    "artefacts/windows/automaticDestinations-ms/9d1f905ce5044aee.automaticDestinations-ms";
constexpr const char* kCustomList = "artefacts/windows/customDestinations-ms/5afe4de1b92fc382.customDestinations-ms";
constexpr const char* kRecent = "/Users/bperry/AppData/Roaming/Microsoft/Windows/Recent/";

TEST(JumpListParser, Windows7ExplorerListHasEveryDestListEntryWithItsShortcut) {
  CUSTOS_REQUIRE_CORPUS(path, kWin7List);
  const Parsed p = ParseFile("windows.jumplist", path,
                             std::string(kRecent) + "AutomaticDestinations/1b4dd67f29cb1962.automaticDestinations-ms");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  // DestList header: version 1, 7 entries; olecfinfo lists streams 1..7 beside it.
  ASSERT_EQ(p.Rows("windows.jumplist_entry").size(), 7u);
  const ArtefactRow* e = p.Find("windows.jumplist_entry", "entry_number", "7");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(p.Text(*e, "app_id"), "1b4dd67f29cb1962");
  EXPECT_EQ(p.Text(*e, "item_path"), "C:\\Users\\bperry\\Downloads");
  EXPECT_EQ(p.Text(*e, "hostname"), "student-pc1");
  EXPECT_EQ(UtcText(p.Int(*e, "last_opened")), "2015-08-29 15:32:44.034300");  // FILETIME 0x01d0e26ff30771e0
  EXPECT_EQ(p.Int(*e, "pinned"), 0);                                           // pin status -1
  EXPECT_TRUE(p.IsNull(*e, "open_count"));                                     // version 1 keeps no count
  // Stream "7", per lnkinfo.
  EXPECT_EQ(p.Text(*e, "target_path"), "C:\\Users\\bperry\\Downloads");
  EXPECT_EQ(p.Text(*e, "drive_serial"), "0x885029e6");
  EXPECT_EQ(UtcText(p.Int(*e, "target_modified")), "2015-08-29 13:07:29.192536");
  EXPECT_EQ(UtcText(e->time), "2015-08-29 15:32:44.034300");
  const ArtefactRow* library = p.Find("windows.jumplist_entry", "entry_number", "2");
  ASSERT_NE(library, nullptr);
  EXPECT_EQ(p.Text(*library, "item_path"), "::{031E4825-7B94-4DC3-B131-E946B44C8DD5}\\Pictures.library-ms");

  const auto streams = Shell("olecfinfo " + ShellQuote(path) + " | grep -cE '^  [0-9a-f]+ \\('");
  EXPECT_EQ(streams.out, "7\n");
}

TEST(JumpListParser, Windows10ListCountsOpens) {
  CUSTOS_REQUIRE_CORPUS(path, kWin10List);
  const Parsed p = ParseFile("windows.jumplist", path,
                             std::string(kRecent) + "AutomaticDestinations/9d1f905ce5044aee.automaticDestinations-ms");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  // DestList version 3, 2 entries of 130 bytes + path + 4, ending exactly at the stream's 584 bytes.
  ASSERT_EQ(p.Rows("windows.jumplist_entry").size(), 2u);
  const ArtefactRow* e = p.Find("windows.jumplist_entry", "entry_number", "2");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(p.Text(*e, "item_path"), "http://support.microsoft.com/kb/3124263");
  EXPECT_EQ(UtcText(p.Int(*e, "last_opened")), "2016-01-17 13:08:08.247504");
  EXPECT_EQ(p.Int(*e, "open_count"), 1);
  EXPECT_TRUE(p.IsNull(*e, "target_modified"));  // lnkinfo: "Modification time: Not set (0)"
}

TEST(JumpListParser, CustomListYieldsEachShortcut) {
  CUSTOS_REQUIRE_CORPUS(path, kCustomList);
  const Parsed p = ParseFile("windows.jumplist", path,
                             std::string(kRecent) + "CustomDestinations/5afe4de1b92fc382.customDestinations-ms");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  const auto rows = p.Rows("windows.jumplist_custom");
  ASSERT_EQ(rows.size(), 9u);  // nine LNK headers, at offsets 36, 1945, ... 15360
  EXPECT_EQ(p.Text(*rows[0], "target_path"), "C:\\Windows\\System32\\GettingStarted.exe");
  EXPECT_EQ(p.Text(*rows[0], "arguments"),
            "{A97AF2A4-8EF1-49C1-8B4C-68B8AE925549} http://go.microsoft.com/fwlink/?LinkID=139460");
  EXPECT_EQ(p.Int(*rows[1], "position"), 2);
  EXPECT_EQ(p.Text(*rows[1], "description"), "@%systemroot%\\system32\\oobefldr.dll,-1122");
  EXPECT_EQ(UtcText(p.Int(*rows[0], "target_modified")), "2009-07-14 01:39:11.388000");
}

TEST(JumpListParser, DamagedListsKeepWhatCanBeRead) {
  CUSTOS_REQUIRE_CORPUS(path, kCustomList);
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Cut inside the fifth shortcut: the first four decode; the cut one is either read in part or reported.
  const Parsed cut = ParseBytes("windows.jumplist", bytes.substr(0, 7700), "/x.customDestinations-ms");
  EXPECT_GE(cut.Rows("windows.jumplist_custom").size(), 4u);
  EXPECT_LE(cut.Rows("windows.jumplist_custom").size(), 5u);
  const Parsed garbage = ParseBytes("windows.jumplist", std::string(5000, '\x5a'), "/y.customDestinations-ms");
  EXPECT_FALSE(garbage.status.ok());
  EXPECT_TRUE(garbage.out.rows.empty());

  CUSTOS_REQUIRE_CORPUS(auto_path, kWin7List);
  std::ifstream in2(auto_path, std::ios::binary);
  const std::string ole((std::istreambuf_iterator<char>(in2)), std::istreambuf_iterator<char>());
  for (size_t len : {size_t{8}, size_t{512}, ole.size() / 2, ole.size() - 1}) {
    const Parsed p = ParseBytes("windows.jumplist", ole.substr(0, len), "/z.automaticDestinations-ms");
    EXPECT_TRUE(!p.status.ok() || !p.out.problems.empty() || !p.out.rows.empty()) << "length " << len;
  }
}

}  // namespace
}  // namespace custos::testing
