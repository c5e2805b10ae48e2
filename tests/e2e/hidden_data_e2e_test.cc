// Data outside files, end to end: a disk the test makes without root (sfdisk, mkfs.vfat, mtools, dd) with a
// FAT12 partition whose file has a keyword written into its slack, a partition of type 0x83 holding no file
// system, and a gap after the partitions holding a keyword (as the demo evidence's "lock-up" fragment) and a
// cjpeg picture. Expected values come from the tools: where dd put the bytes, `grep -boa` on the disk,
// `icat -s` (TSK's own slack read) and `icat` for the slack, `mmls` for the volumes, `md5sum` for the
// picture (also imported as a known-bad list, so `custos files --known-bad` must list the carved copy). The
// corpus's HFS+ and APFS images check those file systems' unallocated space against `blkls -A`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/e2e/e2e_support.h"

namespace custos::testing {
namespace {

constexpr int64_t kFatStart = 2048 * 512, kRawStart = 6144 * 512, kGapStart = 8192 * 512;

// Byte offsets of `term` in a file, as `grep -boa` reports them.
std::vector<int64_t> GrepOffsets(const std::string& file, const std::string& term) {
  std::vector<int64_t> out;
  for (const auto& line : SplitLines(Shell("grep -boa " + ShellQuote(term) + " " + ShellQuote(file)).out)) {
    if (!line.empty()) out.push_back(std::stoll(line.substr(0, line.find(':'))));
  }
  return out;
}

class HiddenDataE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string d = ShellQuote(dir_->path().string());
    const std::string helpers = ShellQuote(std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/ntfs-fuse.sh");
    const auto made = Shell(
        "set -e; cd " + d + "; . " + helpers +
        "\n"
        "export MTOOLS_SKIP_CHECK=1\n"
        "pseudo_bytes notes 1000 | base64 -w 76 | head -c 1000 > notes.txt\n"
        "truncate -s 2M fat.img\n"
        "mkfs.vfat -s 4 -S 512 fat.img >/dev/null\n"
        "mcopy -i fat.img notes.txt ::/notes.txt\n"
        // The file's first sector, from TSK's istat; the keyword goes 1100 bytes into its 2048-byte cluster,
        // past the file's 1000 bytes.
        "inode=$(fls -r fat.img | awk '$NF == \"notes.txt\" { sub(\":\", \"\", $2); print $2 }')\n"
        "echo $inode > inode\n"
        "sector=$(istat fat.img \"$inode\" | sed -n '/^Sectors:/{n;p}' | awk '{print $1}')\n"
        "printf 'left over: tamarisk at the quay' | dd of=fat.img bs=1 seek=$((sector * 512 + 1100)) conv=notrunc "
        "status=none\n"
        "truncate -s 8M disk.raw\n"
        "sfdisk -q disk.raw >/dev/null <<TABLE\n"
        "label: dos\n"
        "start=2048, size=4096, type=1\n"
        "start=6144, size=2048, type=83\n"
        "TABLE\n"
        "dd if=fat.img of=disk.raw bs=512 seek=2048 conv=notrunc status=none\n"
        "printf 'no file system here: oleander' | dd of=disk.raw bs=1 seek=$((6144 * 512 + 300000)) conv=notrunc "
        "status=none\n"
        "printf 'deleted chat: \"the parcel is at the lock-up, key under the mat\"' | dd of=disk.raw bs=1 "
        "seek=$((8192 * 512 + 1048576)) conv=notrunc status=none\n"
        "make_jpeg gap 64 48 gap.jpg\n"
        "dd if=gap.jpg of=disk.raw bs=1 seek=$((8192 * 512 + 2097152)) conv=notrunc status=none\n"
        "printf 'tamarisk\\noleander\\nlock-up\\n' > keywords.txt\n");
    ok_ = made.exit_code == 0;
    made_err_ = "the fixture commands failed (their stderr is in the test log)";
    if (!ok_) return;
    inode_ = Shell("cat " + ShellQuote(dir_->File("inode"))).out;
    while (!inode_.empty() && inode_.back() == '\n') inode_.pop_back();
    // The picture's MD5 (md5sum) as a known-bad set of category A.
    lib_ = dir_->File("library");
    Shell("md5sum " + ShellQuote(dir_->File("gap.jpg")) + " | cut -c1-32 > " + ShellQuote(dir_->File("seized.md5")));
    const auto imported = Custos("hashset import " + ShellQuote(dir_->File("seized.md5")) +
                                 " --name seized --known-bad --category A --quiet --library " + ShellQuote(lib_));
    ok_ = imported.exit_code == 0;
    made_err_ = imported.err;
    if (!ok_) return;
    case_ = dir_->File("case.custos");
    const auto run =
        Custos("triage --case " + ShellQuote(case_) + " --no-verify --carve --library " + ShellQuote(lib_) +
               " --keywords " + ShellQuote(dir_->File("keywords.txt")) + " " + ShellQuote(dir_->File("disk.raw")));
    run_exit_ = run.exit_code;
    run_err_ = run.err;
    for (const auto& line : SplitLines(Custos("hits " + ShellQuote(case_) + " --json").out)) {
      if (!line.empty()) hits_.push_back(nlohmann::json::parse(line));
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(ok_) << "the disk fixture could not be made: " << made_err_;
    ASSERT_TRUE(run_exit_ == 0 || run_exit_ == 3) << run_err_;
  }

  static std::vector<nlohmann::json> HitsOf(const std::string& term) {
    std::vector<nlohmann::json> out;
    for (const auto& h : hits_)
      if (h["term"] == term) out.push_back(h);
    return out;
  }
  static std::string Disk() { return dir_->File("disk.raw"); }

  static TempDir* dir_;
  static bool ok_;
  static std::string case_, run_err_, made_err_, inode_, lib_;
  static int run_exit_;
  static std::vector<nlohmann::json> hits_;
};
TempDir* HiddenDataE2E::dir_ = nullptr;
bool HiddenDataE2E::ok_ = false;
std::string HiddenDataE2E::case_, HiddenDataE2E::run_err_, HiddenDataE2E::made_err_, HiddenDataE2E::inode_,
    HiddenDataE2E::lib_;
int HiddenDataE2E::run_exit_ = -1;
std::vector<nlohmann::json> HiddenDataE2E::hits_;

TEST_F(HiddenDataE2E, EveryRegionOutsideAFileSystemIsListedAsOne) {
  // mmls: "Unallocated" sectors 0-2047 and 8192-16383 (the first gap overlaps the table's own sector), and
  // the Linux (0x83) partition at 6144 that holds nothing.
  const auto mmls = Shell("mmls " + ShellQuote(Disk()) + " | grep -c Unallocated");
  EXPECT_EQ(mmls.out, "2\n");
  EXPECT_EQ(Sql(case_,
                "SELECT v.kind || '|' || v.offset_bytes || '|' || v.length_bytes || '|' || u.size FROM filesystem s "
                "JOIN volume v ON v.id = s.volume_id JOIN file u ON u.filesystem_id = s.id AND u.path = "
                "'/$Unallocated' WHERE s.type = 'none' ORDER BY v.offset_bytes"),
            (std::vector<std::string>{"unallocated|0|1048576|1048576", "partition|3145728|1048576|1048576",
                                      "unallocated|4194304|4194304|4194304"}));
}

TEST_F(HiddenDataE2E, KeywordInAPartitionWithoutAFileSystemIsPlacedInVolumeAndMedia) {
  const auto hits = HitsOf("oleander");
  ASSERT_EQ(hits.size(), 1u);
  const auto on_disk = GrepOffsets(Disk(), "oleander");
  ASSERT_EQ(on_disk.size(), 1u);
  EXPECT_EQ(on_disk[0], kRawStart + 300000 + 21);  // after "no file system here: "
  EXPECT_TRUE(hits[0]["path"].is_null());
  EXPECT_EQ(hits[0]["offset"], on_disk[0] - kRawStart);
  EXPECT_EQ(hits[0]["volume_offset"], kRawStart);
  EXPECT_EQ(hits[0]["media_offset"], on_disk[0]);
}

TEST_F(HiddenDataE2E, TheLockUpFragmentAfterThePartitionsIsFound) {
  const auto hits = HitsOf("lock-up");
  ASSERT_EQ(hits.size(), 1u);
  const auto on_disk = GrepOffsets(Disk(), "lock-up");
  ASSERT_EQ(on_disk.size(), 1u);
  EXPECT_TRUE(hits[0]["path"].is_null());
  EXPECT_EQ(hits[0]["media_offset"], on_disk[0]);
  EXPECT_EQ(hits[0]["offset"], on_disk[0] - kGapStart);
  EXPECT_EQ(SqlOne(case_, "SELECT kind FROM volume WHERE id = " + std::to_string(hits[0]["volume"].get<int64_t>())),
            "unallocated");
  EXPECT_NE(hits[0]["context"].get<std::string>().find("the parcel is at the lock-up, key under the mat"),
            std::string::npos);
}

TEST_F(HiddenDataE2E, APictureInTheGapIsCarvedByItsOffsetInTheGap) {
  const std::string md5 = Shell("md5sum " + ShellQuote(dir_->File("gap.jpg")) + " | cut -c1-32").out.substr(0, 32);
  // dd put it 2 MiB into the gap volume (8192 sectors in): its name says so.
  EXPECT_EQ(SqlOne(case_,
                   "SELECT c.md5 || '|' || c.mime || '|' || p.path || '|' || s.type FROM file c JOIN file p ON p.id = "
                   "c.container_file_id JOIN filesystem s ON s.id = c.filesystem_id WHERE c.path = "
                   "'/$Unallocated/carved-2097152.jpg'"),
            md5 + "|image/jpeg|/$Unallocated|none");
}

TEST_F(HiddenDataE2E, TheCarvedPictureIsListedAsKnownBadWithItsSetAndCategory) {
  const auto listed = Custos("files " + ShellQuote(case_) + " --known-bad --json");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto lines = SplitLines(listed.out);
  ASSERT_EQ(lines.size(), 1u) << listed.out;
  const auto row = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(row["path"], "/$Unallocated/carved-2097152.jpg");
  EXPECT_EQ(row["kind"], "carved");
  ASSERT_EQ(row["hash_hits"].size(), 1u);
  EXPECT_EQ(row["hash_hits"][0]["set"], "seized");
  EXPECT_EQ(row["hash_hits"][0]["category"], "A");
  const auto text = Custos("files " + ShellQuote(case_) + " --known-bad");
  EXPECT_NE(text.out.find("seized/A"), std::string::npos) << text.out;
}

TEST_F(HiddenDataE2E, KeywordInFileSlackIsRecordedOnTheSlackRow) {
  // TSK's own slack read: `icat -s` holds the keyword 1111 bytes in, the file's 1000 bytes do not.
  const std::string fs = " -o 2048 " + ShellQuote(Disk()) + " " + inode_;
  EXPECT_EQ(Shell("icat" + fs + " | wc -c").out, "1000\n");
  EXPECT_EQ(Shell("icat" + fs + " | grep -c tamarisk").out, "0\n");
  EXPECT_EQ(Shell("icat -s" + fs + " | grep -boa tamarisk").out, "1111:tamarisk\n");
  const auto hits = HitsOf("tamarisk");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]["path"], "/notes.txt/$Slack");
  EXPECT_EQ(hits[0]["offset"], 1111 - 1000);  // from the slack's start, the file's end
  const auto on_disk = GrepOffsets(Disk(), "tamarisk");
  ASSERT_EQ(on_disk.size(), 1u);
  EXPECT_EQ(hits[0]["media_offset"], on_disk[0]);
  // The slack row: its own kind, under its file, the 1048 bytes to the end of the 2048-byte cluster.
  EXPECT_EQ(SqlOne(case_,
                   "SELECT s.kind || '|' || s.size || '|' || s.disk_offset || '|' || p.path FROM file s JOIN file p "
                   "ON p.id = s.container_file_id WHERE s.path = '/notes.txt/$Slack'"),
            "slack|1048|" + std::to_string(on_disk[0] - 111) + "|/notes.txt");
  // The file itself is hashed as its 1000 bytes, without the slack.
  const std::string md5 = Shell("md5sum " + ShellQuote(dir_->File("notes.txt")) + " | cut -c1-32").out.substr(0, 32);
  EXPECT_EQ(SqlOne(case_, "SELECT md5 FROM file WHERE path = '/notes.txt'"), md5);
  // Slack without a hit gets no row.
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM file WHERE kind = 'slack'"), "1");
}

TEST_F(HiddenDataE2E, RerunAddsNothing) {
  const std::string files = SqlOne(case_, "SELECT count(*) FROM file"),
                    hits = SqlOne(case_, "SELECT count(*) FROM keyword_hit");
  const auto again =
      Custos("triage --case " + ShellQuote(case_) + " --no-verify --carve --library " + ShellQuote(lib_) +
             " --keywords " + ShellQuote(dir_->File("keywords.txt")) + " " + ShellQuote(Disk()));
  EXPECT_TRUE(again.exit_code == 0 || again.exit_code == 3) << again.err;
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM file"), files);
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM keyword_hit"), hits);
}

TEST(HiddenDataE2ECorpus, UnallocatedSpaceOfHfsPlusIsWhatBlklsReads) {
  const std::string image = CorpusFile("images/dfvfs/hfsplus.raw");
  if (image.empty()) GTEST_SKIP() << "needs ../shared/corpus";
  TempDir dir;
  const std::string case_path = dir.File("c.custos");
  const auto run = Custos("triage --case " + ShellQuote(case_path) + " --no-verify --unallocated " + ShellQuote(image));
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.err;
  // blkls -A: every unallocated block of the file system, as TSK's block walk lists them.
  const auto blkls = Shell("blkls -A " + ShellQuote(image) + " | wc -c");
  ASSERT_EQ(blkls.exit_code, 0);
  EXPECT_EQ(SqlOne(case_path,
                   "SELECT f.size FROM file f JOIN filesystem s ON s.id = f.filesystem_id WHERE s.type = 'hfs+' AND "
                   "f.path = '/$Unallocated'") +
                "\n",
            blkls.out);
}

TEST(HiddenDataE2ECorpus, FreeBlocksOfAnApfsContainerAreReadOnceAsBlklsListsThem) {
  const std::string image = CorpusFile("images/dfvfs/apfs.raw");
  if (image.empty()) GTEST_SKIP() << "needs ../shared/corpus";
  TempDir dir;
  const std::string case_path = dir.File("c.custos");
  const auto run = Custos("triage --case " + ShellQuote(case_path) + " --no-verify --unallocated " + ShellQuote(image));
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.err;
  // pstat: the container's one volume has its superblock at block 107; blkls over it lists the container's
  // free blocks.
  ASSERT_NE(Shell("pstat " + ShellQuote(image) + " | grep 'APSB Block Number'").out.find("107"), std::string::npos);
  const auto blkls = Shell("blkls -P apfs -B 107 -A " + ShellQuote(image) + " | wc -c");
  ASSERT_EQ(blkls.exit_code, 0);
  EXPECT_EQ(Sql(case_path,
                "SELECT s.type || '|' || s.offset_bytes || '|' || f.size || '|' || v.kind FROM file f JOIN filesystem "
                "s ON s.id = f.filesystem_id JOIN volume v ON v.id = s.volume_id WHERE f.path = '/$Unallocated'"),
            (std::vector<std::string>{"none|0|" + blkls.out.substr(0, blkls.out.size() - 1) + "|whole-image"}));
}

}  // namespace
}  // namespace custos::testing
