// windows.registry.amcache on the corpus Amcache.hve, which holds both layouts (Root\File, 1120 entries, and
// Root\InventoryApplicationFile, 247). Values were read from `regfexport` and are compared with RegRipper
// 3.0's amcache plugin, which the test runs: every SHA-1 and path in both layouts.
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

const char* kParser = "windows.registry.amcache";

class AmcacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string xz = CorpusFile("artefacts/registry/amcache.hve.xz");
    if (xz.empty()) GTEST_SKIP() << "corpus file absent: ../shared/corpus/artefacts/registry/amcache.hve.xz";
    hive_ = Unxz(xz, dir_.path().string());
    parsed_ = ParseFile(kParser, hive_, "/Windows/AppCompat/Programs/Amcache.hve");
  }
  TempDir dir_;
  std::string hive_;
  Parsed parsed_;
};

TEST_F(AmcacheTest, OldFileLayoutEntry) {
  const Parsed& p = parsed_;
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  // regfexport Root\File\ccbe4c57-0000-0000-0000-100000000000\100001605a: 15 = the path, 101 =
  // 0000e992f0c2..., 0 = VMware Tools, 1 = VMware, Inc., 5 = 10.1.6.5214329, 6 = 57353160, f = 1489761316
  // (2017-03-17 14:35:16 UTC), 17 = 131460620128186972 (2017-08-01 11:53:32.818697). RegRipper agrees
  // (LastWrite 2017-08-01 11:55:26Z, Compile Time 2017-03-17 14:35:16Z, Last Mod Time2 11:53:32Z).
  const ArtefactRow* r = p.Find("windows.amcache_program", "path",
                                "c:\\users\\user\\appdata\\local\\temp\\vmware-user\\000052fe\\setup64.exe");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Text(*r, "sha1"), "e992f0c2aa48b763b5f7109ea16b8f800436c27e");
  EXPECT_EQ(p.Text(*r, "layout"), "File");
  EXPECT_EQ(p.Text(*r, "product_name"), "VMware Tools");
  EXPECT_EQ(p.Text(*r, "company"), "VMware, Inc.");
  EXPECT_EQ(p.Text(*r, "version"), "10.1.6.5214329");
  EXPECT_EQ(p.Text(*r, "description"), "VMware installation launcher");
  EXPECT_EQ(p.Int(*r, "size"), 57353160);
  EXPECT_EQ(UtcText(p.Int(*r, "link_time")), "2017-03-17 14:35:16.000000");
  EXPECT_EQ(UtcText(p.Int(*r, "modified")), "2017-08-01 11:53:32.818697");
  EXPECT_EQ(UtcText(p.Int(*r, "created")).substr(0, 19), "2017-08-01 11:53:37");
  EXPECT_EQ(UtcText(r->time).substr(0, 19), "2017-08-01 11:55:26");
  EXPECT_EQ(r->location, "Root\\File\\ccbe4c57-0000-0000-0000-100000000000\\100001605a");
}

TEST_F(AmcacheTest, InventoryApplicationFileEntry) {
  const Parsed& p = parsed_;
  // regfexport Root\InventoryApplicationFile\000004495fb5...: FileId 0000186fef64..., LowerCaseLongPath,
  // BinaryType PE64_AMD64, Size 0x7fac0 (522944). RegRipper: "LastWrite: 2017-08-03 11:34:09Z".
  const ArtefactRow* r =
      p.Find("windows.amcache_program", "path",
             "c:\\users\\user\\appdata\\local\\jetbrains\\installations\\dotpeek08\\jetlauncher64c.exe");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Text(*r, "sha1"), "186fef64c415af7d11986c7254db81ef65549ebc");
  EXPECT_EQ(p.Text(*r, "layout"), "InventoryApplicationFile");
  EXPECT_EQ(p.Text(*r, "binary_type"), "PE64_AMD64");
  EXPECT_EQ(p.Int(*r, "size"), 522944);
  EXPECT_EQ(p.Text(*r, "program_id"), "0000ef102566ebfe23b1eb764609c40e56b70000ffff");
  EXPECT_EQ(UtcText(r->time).substr(0, 19), "2017-08-03 11:34:09");
}

TEST_F(AmcacheTest, EveryEntryMatchesRegRipper) {
  const Parsed& p = parsed_;
  const auto tool = Shell("regripper -r " + ShellQuote(hive_) + " -p amcache 2>/dev/null");
  ASSERT_EQ(tool.exit_code, 0);
  // RegRipper prints "Path : X" then "SHA-1 : 0000<sha1>" for Root\File, and "X  LastWrite: T" then
  // "Hash: <sha1>" for InventoryApplicationFile.
  std::multimap<std::string, std::string> file_layout, inventory;
  const std::regex path_line(R"(^Path\s+: (.*)$)"), sha_line(R"(^SHA-1\s+: 0000([0-9a-f]{40})$)"),
      inv_line(R"(^(.*)  LastWrite: .*Z$)"), hash_line(R"(^Hash: ([0-9a-f]{40})$)");
  std::string path, inv_path;
  for (const auto& line : SplitLines(tool.out)) {
    std::smatch m;
    if (std::regex_match(line, m, path_line)) {
      path = m[1];
    } else if (std::regex_match(line, m, sha_line)) {
      file_layout.emplace(path, m[1]);
    } else if (std::regex_match(line, m, inv_line)) {
      inv_path = m[1];
    } else if (std::regex_match(line, m, hash_line)) {
      inventory.emplace(inv_path, m[1]);
    }
  }
  ASSERT_EQ(file_layout.size(), 1120u);  // regfexport: 1120 entry keys under Root\File, each with value 101
  ASSERT_EQ(inventory.size(), 247u);     // and 247 under Root\InventoryApplicationFile
  size_t files = 0, inventories = 0;
  for (const ArtefactRow* r : p.Rows("windows.amcache_program")) {
    const bool old = p.Text(*r, "layout") == "File";
    const auto& expected = old ? file_layout : inventory;
    const auto range = expected.equal_range(p.Text(*r, "path"));
    bool found = false;
    for (auto it = range.first; it != range.second; ++it) found = found || it->second == p.Text(*r, "sha1");
    EXPECT_TRUE(found) << p.Text(*r, "path") << " " << p.Text(*r, "sha1");
    ++(old ? files : inventories);
  }
  EXPECT_EQ(files, 1120u);
  EXPECT_EQ(inventories, 247u);
}

TEST_F(AmcacheTest, TruncatedAndRandomInputNeitherCrashNorInvent) {
  std::ifstream in(hive_, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t full = parsed_.out.rows.size();
  ASSERT_EQ(full, 1367u);
  for (size_t cut : {size_t{64}, size_t{4096}, bytes.size() / 3, bytes.size() - 3}) {
    const Parsed t = ParseBytes(kParser, bytes.substr(0, cut), "/Amcache.hve");
    EXPECT_LE(t.out.rows.size(), full) << "cut at " << cut;
    if (cut <= 4096) {
      EXPECT_FALSE(t.status.ok()) << "cut at " << cut;
    }
  }
  std::mt19937 rng(3);
  std::string noise(1 << 20, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  EXPECT_FALSE(ParseBytes(kParser, noise, "/Amcache.hve").status.ok());
  EXPECT_TRUE(ParseBytes(kParser, bytes.substr(0, 4096) + noise, "/Amcache.hve").out.rows.empty());
}

}  // namespace
}  // namespace custos::testing
