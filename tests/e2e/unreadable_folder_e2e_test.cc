// A folder The Sleuth Kit cannot open must not vanish without a word. TSK's recursive walk skips such a
// folder silently; here an ext4 folder of 6,000 files written by `mke2fs -d`, whose extent tree TSK 4.12
// cannot map ("No filler entry for 0"), is such a folder. `fls` (TSK's own tool) fails on it and `debugfs`
// (e2fsprogs, an independent reader) lists its 6,000 files; triage must record an error row naming it.
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/e2e_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

TEST(UnreadableFolderE2E, AFolderTheSleuthKitCannotOpenIsRecordedAsAnError) {
  TempDir dir;
  const std::string d = ShellQuote(dir.path().string());
  const auto made = Shell("set -e; cd " + d +
                          "\n"
                          "mkdir -p tree/big tree/small\n"
                          "echo kept > tree/small/kept.txt\n"
                          "python3 -c \"\n"
                          "for i in range(6000): open('tree/big/f%05d.txt' % i, 'w').write(str(i))\"\n"
                          "mke2fs -q -F -t ext4 -N 7000 -d tree fs.img 64M\n");
  ASSERT_EQ(made.exit_code, 0);
  const std::string image = dir.File("fs.img");
  // The premise, from the independent tools: TSK cannot list the folder, debugfs can.
  const std::string inode =
      Shell("fls " + ShellQuote(image) + " | awk '$NF == \"big\" { sub(\":\", \"\", $2); print $2 }'").out;
  ASSERT_FALSE(inode.empty());
  const auto fls = Shell("fls " + ShellQuote(image) + " " + inode.substr(0, inode.size() - 1) + " 2>&1");
  ASSERT_NE(fls.out.find("Error"), std::string::npos) << "TSK reads this folder now: the test needs another one";
  EXPECT_EQ(Shell("debugfs -R 'ls /big' " + ShellQuote(image) + " 2>/dev/null | grep -o 'f[0-9]*\\.txt' | wc -l").out,
            "6000\n");

  const std::string case_path = dir.File("c.custos");
  const auto run = Custos("triage --no-verify --case " + ShellQuote(case_path) + " " + ShellQuote(image));
  EXPECT_EQ(run.exit_code, 3) << "files are missing, so the run is not clean: " << run.err;
  EXPECT_EQ(SqlOne(case_path, "SELECT count(*) FROM file WHERE path = '/small/kept.txt'"), "1");
  EXPECT_EQ(SqlOne(case_path, "SELECT count(*) FROM file WHERE path LIKE '/big/%'"), "0");
  EXPECT_EQ(SqlOne(case_path,
                   "SELECT count(*) FROM error WHERE stage = 'walk' AND source = '/big' AND message LIKE "
                   "'%could not read this folder%'"),
            "1");
  // A folder that is merely empty is no error.
  EXPECT_EQ(SqlOne(case_path, "SELECT count(*) FROM error WHERE source = '/lost+found'"), "0");
  // Running again adds nothing twice.
  Custos("triage --no-verify --case " + ShellQuote(case_path) + " " + ShellQuote(image));
  EXPECT_EQ(SqlOne(case_path, "SELECT count(*) FROM error WHERE source = '/big'"), "1");
}

}  // namespace
}  // namespace custos::testing
