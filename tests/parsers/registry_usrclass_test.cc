// windows.registry.usrclass (ShellBags) on the corpus UsrClass.dat hives (Windows 10) and the XP NTUSER.DAT.
// Paths and times are compared with RegRipper 3.0's shellbags plugin, run by the test; the XP tree (which that
// plugin does not read) was decoded by hand from `regfexport` hex dumps of the shell items.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <regex>
#include <string>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

const char* kParser = "windows.registry.usrclass";
const std::string kBagMru = "Local Settings\\Software\\Microsoft\\Windows\\Shell\\BagMRU";

struct RegRipperBag {
  std::string mru, modified, accessed, created, resource;
};

// RegRipper shellbags lines: "MRU | Modified | Accessed | Created | Zip | MFT |Resource [Desktop\4\3\]",
// keyed by the BagMRU path in brackets ("4\3").
std::map<std::string, RegRipperBag> RegRipperShellbags(const std::string& hive) {
  const auto r = Shell("regripper -r " + ShellQuote(hive) + " -p shellbags 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0);
  const std::regex line(R"(^([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|[^|]*\|[^|]*\|(.*) \[Desktop\\(.*)\\\]$)");
  auto trim = [](std::string s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(0, 1);
    return s;
  };
  std::map<std::string, RegRipperBag> out;
  for (const auto& l : SplitLines(r.out)) {
    std::smatch m;
    if (std::regex_match(l, m, line)) {
      out[m[6]] = {trim(m[1]), trim(m[2]), trim(m[3]), trim(m[4]), m[5]};
    }
  }
  return out;
}

std::string Seconds(const Parsed& p, const ArtefactRow& r, const std::string& field) {
  return UtcText(p.Int(r, field)).substr(0, 19);
}

TEST(Shellbag, Windows10FoldersWithTheirTimes) {
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/UsrClass.dat.xz");
  TempDir dir;
  const std::string hive = Unxz(xz, dir.path().string());
  const Parsed p = ParseFile(kParser, hive, "/Users/jcloudy/AppData/Local/Microsoft/Windows/UsrClass.dat");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  // RegRipper: "2018-04-05 02:39:06 |2018-03-30 02:24:24 | 2018-03-30 02:24:24 | 2018-03-27 09:19:00 | ... |
  // My Computer\C:\Users\jcloudy\Desktop [Desktop\4\3\0\0\0\]".
  const ArtefactRow* r = p.Find("windows.shellbag", "path", "My Computer\\C:\\Users\\jcloudy\\Desktop");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->location, kBagMru + "\\4\\3\\0\\0\\0");
  EXPECT_EQ(p.Text(*r, "item_type"), "file entry");
  EXPECT_EQ(Seconds(p, *r, "modified"), "2018-03-30 02:24:24");
  EXPECT_EQ(Seconds(p, *r, "accessed"), "2018-03-30 02:24:24");
  EXPECT_EQ(Seconds(p, *r, "created"), "2018-03-27 09:19:00");
  EXPECT_EQ(Seconds(p, *r, "mru_time"), "2018-04-05 02:39:06");
  EXPECT_EQ(UtcText(r->time).substr(0, 19), "2018-04-05 02:39:06");
  EXPECT_EQ(r->summary, "folder browsed: My Computer\\C:\\Users\\jcloudy\\Desktop");

  // Every file entry (the items RegRipper and libfwsi both name) against RegRipper.
  const auto rr = RegRipperShellbags(hive);
  ASSERT_GT(rr.size(), 20u);
  int compared = 0;
  for (const ArtefactRow* row : p.Rows("windows.shellbag")) {
    const std::string bag = row->location.substr(kBagMru.size() + 1);
    const auto it = rr.find(bag);
    ASSERT_NE(it, rr.end()) << bag;
    EXPECT_EQ(p.IsNull(*row, "mru_time") ? "" : Seconds(p, *row, "mru_time"), it->second.mru) << bag;
    if (p.Text(*row, "item_type") != "file entry") continue;
    // RegRipper names some parents differently ("Explorer" for a drive delegate, "CLSID_Desktop" for This PC's
    // Desktop); compare the folder itself, and the whole path where RegRipper names every element.
    const std::string& resource = it->second.resource;
    EXPECT_EQ(p.Text(*row, "item_name"), resource.substr(resource.rfind('\\') + 1)) << bag;
    if (resource.rfind("My Computer\\", 0) == 0 && resource.find("CLSID_") == std::string::npos) {
      EXPECT_EQ(p.Text(*row, "path"), resource) << bag;
    }
    EXPECT_EQ(Seconds(p, *row, "modified"), it->second.modified) << bag;
    EXPECT_EQ(Seconds(p, *row, "accessed"), it->second.accessed) << bag;
    EXPECT_EQ(Seconds(p, *row, "created"), it->second.created) << bag;
    ++compared;
  }
  EXPECT_GE(compared, 8);
}

TEST(Shellbag, Windows10ThisPcFolderGuid) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/regf/UsrClass.dat");
  const Parsed p = ParseFile(kParser, path, "/UsrClass.dat");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  // RegRipper: "2016-10-09 19:59:07 | ... |My Computer\CLSID_Pictures [Desktop\1\0\]". The item (regfexport
  // BagMRU\1 value 0) is class 0x2e with GUID {3ADD1653-EB32-4CB0-BBD7-DFA0ABB5ACCA}, This PC's Pictures.
  const ArtefactRow* r = p.Find("windows.shellbag", "path", "My Computer\\Pictures");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->location, kBagMru + "\\1\\0");
  EXPECT_EQ(UtcText(r->time).substr(0, 19), "2016-10-09 19:59:07");
}

TEST(Shellbag, XpNtuserShellNoRoam) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/NTUSER.DAT");
  const Parsed p = ParseFile(kParser, path, "/Documents and Settings/joe/NTUSER.DAT");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("windows.shellbag").size(), 5u);  // regfexport: five nested BagMRU keys, one item each
  // regfexport ShellNoRoam\BagMRU\0\0\0\0 value 0 (112 bytes): short name MYDOCU~1, FAT modified ff 3a f3 a2
  // = 2009-07-31 20:23:38; extension 0xbeef0004: created 4b 37 12 66 = 2007-10-11 12:48:36, accessed
  // 04 3b 4f 79 = 2009-08-04 15:10:30, long name "My Documents".
  const ArtefactRow* r =
      p.Find("windows.shellbag", "path", "My Computer\\C:\\Documents and Settings\\Administrator\\My Documents");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->location, "Software\\Microsoft\\Windows\\ShellNoRoam\\BagMRU\\0\\0\\0\\0\\0");
  EXPECT_EQ(UtcText(p.Int(*r, "modified")), "2009-07-31 20:23:38.000000");
  EXPECT_EQ(UtcText(p.Int(*r, "created")), "2007-10-11 12:48:36.000000");
  EXPECT_EQ(UtcText(p.Int(*r, "accessed")), "2009-08-04 15:10:30.000000");
  EXPECT_EQ(p.Int(*r, "mru_position"), 0);
}

TEST(Usrclass, TruncatedAndRandomInputNeitherCrashNorInvent) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/regf/UsrClass.dat");
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t full = ParseBytes(kParser, bytes, "/UsrClass.dat").out.rows.size();
  ASSERT_EQ(full, 6u);
  for (size_t cut : {size_t{10}, size_t{4096}, bytes.size() / 4, bytes.size() / 2, bytes.size() - 7}) {
    const Parsed p = ParseBytes(kParser, bytes.substr(0, cut), "/UsrClass.dat");
    EXPECT_LE(p.out.rows.size(), full) << "cut at " << cut;
    if (cut <= 4096) {
      EXPECT_FALSE(p.status.ok()) << "cut at " << cut;
    }
  }
  std::mt19937 rng(11);
  std::string noise(1 << 20, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  EXPECT_FALSE(ParseBytes(kParser, noise, "/UsrClass.dat").status.ok());
  EXPECT_TRUE(ParseBytes(kParser, bytes.substr(0, 4096) + noise, "/UsrClass.dat").out.rows.empty());
}

}  // namespace
}  // namespace custos::testing
