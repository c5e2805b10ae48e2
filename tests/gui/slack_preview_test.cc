// The viewer's preview of rows that are not files TSK opens: a file's slack (a "slack" row, read from the
// media where the slack lies) and unallocated space (refused with what to do instead). The FAT volume is
// made by mkfs.vfat and mtools (no root), a keyword written by dd into the slack of its one file; the slack's
// bytes come from `icat -s` (The Sleuth Kit's own slack read), past the file's size.
#include <gtest/gtest.h>

#include <string>

#include "gui/evidence_pager.h"
#include "tests/e2e/e2e_support.h"
#include "tests/support/test_support.h"
#include "triage/store/case_store.h"

namespace custos::testing {
namespace {

TEST(SlackPreview, TheSlackRowShowsTheBytesIcatReadsPastTheFilesEnd) {
  TempDir dir;
  const std::string d = ShellQuote(dir.path().string());
  const auto made =
      Shell("set -e; cd " + d +
            "\n"
            "export MTOOLS_SKIP_CHECK=1\n"
            "head -c 700 /dev/zero | tr '\\0' 'n' > note.txt\n"
            "truncate -s 2M fat.img\n"
            "mkfs.vfat -s 4 -S 512 fat.img >/dev/null\n"
            "mcopy -i fat.img note.txt ::/note.txt\n"
            "inode=$(fls -r fat.img | awk '$NF == \"note.txt\" { sub(\":\", \"\", $2); print $2 }')\n"
            "echo $inode > inode\n"
            "sector=$(istat fat.img \"$inode\" | sed -n '/^Sectors:/{n;p}' | awk '{print $1}')\n"
            "printf 'hidden: juniper' | dd of=fat.img bs=1 seek=$((sector * 512 + 900)) conv=notrunc status=none\n"
            "printf 'juniper\\n' > keywords.txt\n");
  ASSERT_EQ(made.exit_code, 0);
  const std::string image = dir.File("fat.img"), case_path = dir.File("c.custos");
  const auto run = Custos("triage --quiet --no-verify --case " + ShellQuote(case_path) + " --keywords " +
                          ShellQuote(dir.File("keywords.txt")) + " " + ShellQuote(image));
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.err;
  std::string inode = Shell("cat " + ShellQuote(dir.File("inode"))).out;
  inode.erase(inode.find_last_not_of('\n') + 1);
  // icat -s: the file's 700 bytes, then its slack to the end of the 2048-byte cluster.
  const std::string with_slack = Shell("icat -s " + ShellQuote(image) + " " + inode).out;
  ASSERT_EQ(with_slack.size(), 2048u);
  ASSERT_EQ(with_slack.find("juniper"), 908u);  // dd wrote "hidden: juniper" 900 bytes into the cluster
  const std::string slack = with_slack.substr(700);

  auto store = CaseStore::Open(case_path, CaseStore::OpenMode::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().message();
  const int64_t id = std::stoll(SqlOne(case_path, "SELECT id FROM file WHERE path = '/note.txt/$Slack'"));
  viewer::EvidencePager pager;
  auto page = pager.Read(**store, id, 0, 4096);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->file_size, 1348);
  EXPECT_EQ(page->bytes, slack);
  auto part = pager.Read(**store, id, 200, 16);
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(part->bytes, slack.substr(200, 16));

  const int64_t unallocated = std::stoll(SqlOne(case_path, "SELECT id FROM file WHERE path = '/$Unallocated'"));
  auto refused = pager.Read(**store, unallocated, 0, 4096);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("unallocated space is not previewed"), std::string::npos);
}

}  // namespace
}  // namespace custos::testing
