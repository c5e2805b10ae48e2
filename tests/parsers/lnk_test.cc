// windows.lnk on the corpus shortcuts. Expected values were read with lnkinfo 20181227 (liblnk-utils),
// which the test also runs, so a mismatch between the two shows.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

TEST(LnkParser, NeroShortcutOnAFixedDrive) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/NeroInfoTool.lnk");
  const Parsed p = ParseFile("windows.lnk", path, "/Users/jdoe/Desktop/NeroInfoTool.lnk");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("windows.lnk").size(), 1u);
  const ArtefactRow& r = *p.Rows("windows.lnk")[0];
  // lnkinfo: Local path, Drive type Fixed (3), serial 0x70ecfa33, label OS, size 4635160,
  // creation/modification Jun 05, 2009 20:13:20, access Jan 29, 2010 21:30:11.332156900.
  EXPECT_EQ(p.Text(r, "target_path"), "C:\\Program Files (x86)\\Nero\\Nero 9\\Nero InfoTool\\InfoTool.exe");
  EXPECT_EQ(p.Text(r, "drive_type"), "fixed");
  EXPECT_EQ(p.Int(r, "removable_or_network"), 0);
  EXPECT_EQ(p.Text(r, "drive_serial"), "0x70ecfa33");
  EXPECT_EQ(p.Text(r, "volume_label"), "OS");
  EXPECT_EQ(p.Int(r, "target_size"), 4635160);
  EXPECT_EQ(UtcText(p.Int(r, "target_created")), "2009-06-05 20:13:20.000000");
  EXPECT_EQ(UtcText(p.Int(r, "target_modified")), "2009-06-05 20:13:20.000000");
  EXPECT_EQ(UtcText(p.Int(r, "target_accessed")), "2010-01-29 21:30:11.332156");
  EXPECT_EQ(p.Text(r, "arguments"), "-ScParameter=30002  ");
  EXPECT_EQ(p.Text(r, "working_directory"), "C:\\Program Files (x86)\\Nero\\Nero 9\\Nero InfoTool");
  EXPECT_EQ(UtcText(r.time), "2010-01-29 21:30:11.332156");
  // The tracking block (signature 0xa0000003 at offset 0xa3c) names the machine; lnkinfo agrees.
  EXPECT_EQ(p.Text(r, "machine_id"), "win-3qmdjgkf3g9");
}

TEST(LnkParser, TrackingDataGivesMachineAndDroids) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/example.lnk");
  const Parsed p = ParseFile("windows.lnk", path, "/example.lnk");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("windows.lnk").size(), 1u);
  const ArtefactRow& r = *p.Rows("windows.lnk")[0];
  // lnkinfo: no local path; relative path .\migwiz\migwiz.exe; size 544768; machine win-tj9qcsjkags.
  EXPECT_TRUE(p.IsNull(r, "target_path"));
  EXPECT_EQ(p.Text(r, "relative_path"), ".\\migwiz\\migwiz.exe");
  EXPECT_EQ(p.Int(r, "target_size"), 544768);
  EXPECT_EQ(p.Text(r, "machine_id"), "win-tj9qcsjkags");
  EXPECT_EQ(p.Text(r, "droid_volume_id"), "494ccbda-98e8-45c8-b8ca-f64d464366c7");
  EXPECT_EQ(p.Text(r, "droid_file_id"), "846ee3bb-7039-11de-9d20-001d09fa5a1c");
  EXPECT_EQ(UtcText(p.Int(r, "target_modified")), "2009-07-14 01:39:18.220000");
  // The same values straight from lnkinfo, so the test notices if the sample changes under it.
  const auto tool = Shell("lnkinfo " + ShellQuote(path));
  ASSERT_EQ(tool.exit_code, 0);
  EXPECT_NE(tool.out.find("Machine identifier\t\t: win-tj9qcsjkags"), std::string::npos);
  EXPECT_NE(tool.out.find("File size\t\t\t: 544768 bytes"), std::string::npos);
}

TEST(LnkParser, IgnoresOtherFilesAndRejectsATruncatedShortcut) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/NeroInfoTool.lnk");
  EXPECT_FALSE(ParseBytes("windows.lnk", "just some text", "/a.lnk").wanted);
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const Parsed cut = ParseBytes("windows.lnk", bytes.substr(0, 60), "/cut.lnk");
  EXPECT_TRUE(cut.wanted);
  EXPECT_FALSE(cut.status.ok());
  EXPECT_TRUE(cut.out.rows.empty());
}

}  // namespace
}  // namespace custos::testing
