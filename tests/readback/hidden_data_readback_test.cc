// Reading back rows that are not files TSK opens: a file's slack (a "slack" row, read from the media where the
// slack lies) and the file system's unallocated space (the blocks `blkls` lists, one after the other). The FAT volume
// is made by mkfs.vfat and mtools (no root), a keyword written by dd into the slack of its one file; the slack's bytes
// come from `icat -s` (The Sleuth Kit's own slack read), past the file's size.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "tests/e2e/e2e_support.h"
#include "tests/support/test_support.h"
#include "triage/readback/stored_file_reader.h"
#include "triage/store/case_store.h"

namespace custos::testing {
namespace {

TEST(HiddenDataReadback, TheSlackRowIsTheBytesIcatReadsPastTheFilesEndAndUnallocatedIsBlkls) {
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
  StoredFileReader pager;
  auto page = pager.Read(**store, id, 0, 4096);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->file_size, 1348);
  EXPECT_EQ(page->bytes, slack);
  auto part = pager.Read(**store, id, 200, 16);
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(part->bytes, slack.substr(200, 16));

  const int64_t unallocated = std::stoll(SqlOne(case_path, "SELECT id FROM file WHERE path = '/$Unallocated'"));
  // blkls: The Sleuth Kit's own listing of the unallocated data units, one after the other.
  const std::string blkls = Shell("blkls " + ShellQuote(image) + " | head -c 8192").out;
  ASSERT_EQ(blkls.size(), 8192u);
  auto free_space = pager.Read(**store, unallocated, 0, 8192);
  ASSERT_TRUE(free_space.ok()) << free_space.status().message();
  EXPECT_EQ(free_space->bytes, blkls);
}

// The whole content of a "/$Unallocated" row, read back in pages of 64 KiB.
std::string ReadAll(CaseStore& store, int64_t id) {
  StoredFileReader reader;
  std::string all;
  for (int64_t at = 0;;) {
    auto page = reader.Read(store, id, at, 64 * 1024);
    if (!page.ok()) return "error: " + page.status().message();
    all += page->bytes;
    at += static_cast<int64_t>(page->bytes.size());
    if (page->bytes.empty() || at >= page->file_size) return all;
  }
}

// HFS+ free blocks, and the free blocks of an APFS container (a "none" row under the container's volume), read
// back as `blkls -A` lists them (for APFS through the container's one volume, its superblock at block 107 as
// pstat says; see HiddenDataE2ECorpus).
TEST(HiddenDataReadback, FreeBlocksOfHfsPlusAndOfAnApfsContainerAreWhatBlklsReads) {
  for (const auto& [sample, fs_type, blkls_args] :
       {std::tuple<std::string, std::string, std::string>{"images/dfvfs/hfsplus.raw", "hfs+", "-A"},
        {"images/dfvfs/apfs.raw", "none", "-P apfs -B 107 -A"}}) {
    SCOPED_TRACE(sample);
    const std::string image = CorpusFile(sample);
    if (image.empty()) GTEST_SKIP() << "corpus absent: ../shared/corpus";
    TempDir dir;
    const std::string case_path = dir.File("c.custos");
    const auto run =
        Custos("triage --quiet --no-verify --unallocated --case " + ShellQuote(case_path) + " " + ShellQuote(image));
    ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.err;
    const auto blkls = Shell("blkls " + blkls_args + " " + ShellQuote(image));
    ASSERT_EQ(blkls.exit_code, 0);
    ASSERT_FALSE(blkls.out.empty());
    auto store = CaseStore::Open(case_path, CaseStore::OpenMode::kReadOnly);
    ASSERT_TRUE(store.ok()) << store.status().message();
    const int64_t id = std::stoll(SqlOne(case_path,
                                         "SELECT f.id FROM file f JOIN filesystem s ON s.id = f.filesystem_id WHERE "
                                         "s.type = '" +
                                             fs_type + "' AND f.path = '/$Unallocated'"));
    const std::string read = ReadAll(**store, id);
    EXPECT_EQ(read.size(), blkls.out.size());
    EXPECT_TRUE(read == blkls.out) << read.substr(0, 200);
  }
}

// A region no file system claims (a partition that holds none), read back as the bytes dd reads there.
TEST(HiddenDataReadback, ARegionWithoutAFileSystemIsTheBytesDdReads) {
  TempDir dir;
  const std::string d = ShellQuote(dir.path().string());
  // An MBR disk of 4 MiB: one partition from sector 2048 to 6143 holding random bytes and a planted phrase.
  const auto made = Shell("set -e; cd " + d +
                          "\n"
                          "truncate -s 4M disk.img\n"
                          "printf 'label: dos\\nstart=2048, size=4096, type=83\\n' | sfdisk -q disk.img\n"
                          "head -c 2097152 /dev/urandom | dd of=disk.img bs=512 seek=2048 conv=notrunc status=none\n"
                          "printf 'meet at the lock-up' | dd of=disk.img bs=1 seek=$((2048 * 512 + 5000)) "
                          "conv=notrunc status=none\n");
  ASSERT_EQ(made.exit_code, 0);
  const std::string image = dir.File("disk.img"), case_path = dir.File("c.custos");
  const auto run =
      Custos("triage --quiet --no-verify --unallocated --case " + ShellQuote(case_path) + " " + ShellQuote(image));
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.err;
  auto store = CaseStore::Open(case_path, CaseStore::OpenMode::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().message();
  const int64_t id = std::stoll(SqlOne(case_path,
                                       "SELECT f.id FROM file f JOIN filesystem s ON s.id = f.filesystem_id WHERE "
                                       "s.type = 'none' AND s.offset_bytes = 1048576 AND f.path = '/$Unallocated'"));
  const std::string partition = Shell("dd if=" + ShellQuote(image) + " bs=512 skip=2048 count=4096 status=none").out;
  ASSERT_EQ(partition.size(), 2097152u);
  const std::string read = ReadAll(**store, id);
  EXPECT_EQ(read.size(), partition.size());
  EXPECT_TRUE(read == partition);
  EXPECT_EQ(read.find("meet at the lock-up"), 5000u);
}

}  // namespace
}  // namespace custos::testing
