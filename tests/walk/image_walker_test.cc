// The metadata walk and content reads against The Sleuth Kit's own tools as the oracle: for each corpus
// image, the set of paths (with deleted flags) must equal what `fls -r -p` lists, and every file's MD5
// must equal `icat | md5sum`. fls/icat are independent programs from the sleuthkit package.
#include "triage/walk/image_walker.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "tests/support/test_support.h"
#include "triage/evidence/disk_image.h"
#include "triage/evidence/evidence_probe.h"
#include "triage/walk/content_reader.h"

namespace custos {
namespace {

using testing::Shell;
using testing::ShellQuote;

struct CollectingSink : WalkSink {
  std::vector<VolumeRecord> volumes;
  std::vector<FileSystemRecord> filesystems;
  std::map<int64_t, FsLocator> locators;
  std::vector<FileRecord> files;
  std::vector<ErrorRecord> errors;
  std::set<int64_t> walked;
  Result<int64_t> OnVolume(const VolumeRecord& v) override {
    volumes.push_back(v);
    return static_cast<int64_t>(volumes.size());
  }
  Result<int64_t> OnFileSystem(const FileSystemRecord& fs, const FsLocator& where) override {
    filesystems.push_back(fs);
    const int64_t id = static_cast<int64_t>(filesystems.size());
    locators[id] = where;
    return id;
  }
  bool OnFile(FileRecord f) override {
    files.push_back(std::move(f));
    return true;
  }
  void OnError(ErrorRecord e) override { errors.push_back(std::move(e)); }
  void OnFileSystemWalked(int64_t id, int64_t) override { walked.insert(id); }

  std::vector<FileRecord> FilesOf(int64_t fs_id) const {
    std::vector<FileRecord> out;
    for (const auto& f : files) {
      if (f.filesystem_id == fs_id) out.push_back(f);
    }
    return out;
  }
};

struct FlsEntry {
  std::string type;  // "r/r", "d/d", "V/V", "-/r"...
  uint64_t meta = 0;
  bool deleted = false;
  std::string path;  // with a leading '/'
};

// Parses `fls -r -p` lines: "r/r * 4-128-1:\tdir/name" (the '*' marks a deleted name).
std::vector<FlsEntry> Fls(const std::string& args) {
  std::vector<FlsEntry> out;
  const auto res = Shell("fls -r -p " + args);
  static const std::regex line_re(R"(^(\S+) (\* )?(\d+)(-\d+-\d+)?(\(realloc\))?:\t(.*)$)");
  for (const auto& line : testing::SplitLines(res.out)) {
    std::smatch m;
    if (!std::regex_match(line, m, line_re)) continue;
    FlsEntry e;
    e.type = m[1];
    e.deleted = m[2].matched;
    e.meta = std::stoull(m[3]);
    e.path = "/" + m[6].str();
    out.push_back(e);
  }
  return out;
}

std::string IcatMd5(const std::string& args, uint64_t meta) {
  auto res = Shell("icat " + args + " " + std::to_string(meta) + " | md5sum");
  return res.out.substr(0, 32);
}

struct Walked {
  EvidenceProbe probe;
  CollectingSink sink;
};

std::unique_ptr<Walked> WalkCorpus(const std::string& path) {
  auto w = std::make_unique<Walked>();
  auto probe = ProbeEvidence({path});
  EXPECT_TRUE(probe.ok()) << probe.status().ToString();
  if (!probe.ok()) return nullptr;
  w->probe = *probe;
  auto image = DiskImage::Open(*probe);
  EXPECT_TRUE(image.ok()) << image.status().ToString();
  if (!image.ok()) return nullptr;
  Status st = WalkImage(**image, 1, w->sink);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return w;
}

// Paths (excluding the root we add) must equal fls's; files' MD5s must equal icat's.
void ExpectMatchesFls(const Walked& w, int64_t fs_id, const std::string& fls_args, bool check_md5 = true) {
  std::set<std::string> ours, theirs, ours_deleted, theirs_deleted;
  for (const auto& f : w.sink.FilesOf(fs_id)) {
    if (f.path == "/") continue;
    if (f.kind == "ads" && f.stream_name == "rsrc") continue;  // fls does not list HFS+/APFS resource forks
    // fls prints control characters in names as '^' (HFS+ names its private folder "...Data\r").
    std::string shown = f.path;
    for (char& c : shown) {
      if (static_cast<unsigned char>(c) < 0x20) c = '^';
    }
    ours.insert(shown);
    if (f.deleted) ours_deleted.insert(shown);
  }
  for (const auto& e : Fls(fls_args)) {
    theirs.insert(e.path);
    if (e.deleted) theirs_deleted.insert(e.path);
  }
  ASSERT_FALSE(theirs.empty()) << "fls listed nothing for " << fls_args;
  EXPECT_EQ(ours, theirs);
  EXPECT_EQ(ours_deleted, theirs_deleted);
  if (!check_md5) return;
  TskContentReader reader(w.probe, [&](int64_t id) -> std::optional<FsLocator> { return w.sink.locators.at(id); });
  int checked = 0;
  for (const auto& f : w.sink.FilesOf(fs_id)) {
    if (!f.wants_content || f.kind != "file") continue;
    std::string bytes;
    int64_t n = 0;
    Status st = reader.Read(
        f, [&](const char* d, size_t len) { bytes.append(d, len); }, &n);
    ASSERT_TRUE(st.ok()) << f.path << ": " << st.ToString();
    EXPECT_EQ(n, f.size) << f.path;
    EXPECT_EQ(testing::Md5OfBytes(bytes), IcatMd5(fls_args, f.meta_addr)) << f.path;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(ImageWalker, Ext2InE01MatchesFlsAndIcat) {
  CUSTOS_REQUIRE_CORPUS(path, "images/dfvfs/ext2.E01");
  auto w = WalkCorpus(path);
  ASSERT_TRUE(w);
  ASSERT_EQ(w->sink.volumes.size(), 1u);
  EXPECT_EQ(w->sink.volumes[0].kind, "whole-image");
  ASSERT_EQ(w->sink.filesystems.size(), 1u);
  EXPECT_EQ(w->sink.filesystems[0].type, "ext2");  // fsstat: "File System Type: Ext2"
  EXPECT_TRUE(w->sink.walked.count(1));
  ExpectMatchesFls(*w, 1, ShellQuote(path));
  // passwords.txt is inode 14 (fls) and its bytes hash to icat's; the symlink is a link, not content.
  bool saw_link = false;
  for (const auto& f : w->sink.files) {
    if (f.path == "/a_link") {
      saw_link = true;
      EXPECT_EQ(f.kind, "link");
      EXPECT_FALSE(f.wants_content);
    }
    if (f.path == "/passwords.txt") {
      EXPECT_EQ(f.meta_addr, 14u);
    }
  }
  EXPECT_TRUE(saw_link);
}

TEST(ImageWalker, SameListingThroughEveryContainer) {
  for (const char* rel : {"images/dfvfs/ext2.split.E01", "images/dfvfs/ext2.splitraw.000", "images/dfvfs/ext2.vhd",
                          "images/dfvfs/ext2.vmdk"}) {
    SCOPED_TRACE(rel);
    std::string path = testing::CorpusFile(rel);
    if (path.empty()) GTEST_SKIP() << "corpus file absent: " << rel;
    auto w = WalkCorpus(path);
    ASSERT_TRUE(w);
    ASSERT_EQ(w->sink.filesystems.size(), 1u);
    // fls finds the other segments itself when given the first one.
    ExpectMatchesFls(*w, 1, ShellQuote(path));
  }
}

TEST(ImageWalker, MbrWithExtendedPartitionsListsEveryVolume) {
  CUSTOS_REQUIRE_CORPUS(path, "images/plaso/tsk_volume_system.raw");
  auto w = WalkCorpus(path);
  ASSERT_TRUE(w);
  // mmls: two Linux (0x83) partitions at sectors 1 and 352, an extended table, meta and unallocated slots.
  std::vector<int64_t> partitions;
  for (const auto& v : w->sink.volumes) {
    EXPECT_EQ(v.scheme, "dos");
    if (v.kind == "partition") partitions.push_back(v.offset_bytes / 512);
  }
  EXPECT_EQ(partitions, (std::vector<int64_t>{1, 352}));
  // `fsstat -o 352`: Ext2; `fsstat -o 1`: "Cannot determine file system type", which becomes an error row.
  ASSERT_EQ(w->sink.filesystems.size(), 1u);
  EXPECT_EQ(w->sink.filesystems[0].offset_bytes, 352 * 512);
  EXPECT_EQ(w->sink.filesystems[0].type, "ext2");
  ExpectMatchesFls(*w, 1, "-o 352 " + ShellQuote(path), false);
  bool reported = false;
  for (const auto& e : w->sink.errors) reported |= e.source.find("partition") != std::string::npos;
  EXPECT_TRUE(reported);
}

TEST(ImageWalker, HfsPlusIso9660AndApfs) {
  struct Case {
    const char* rel;
    const char* type;
    const char* fls_extra;
  };
  // fsstat names: "HFS+", "ISO9660"; pstat shows an APFS container whose volume superblock is at block 107.
  for (const Case& c : {Case{"images/dfvfs/hfsplus.raw", "hfs+", ""}, Case{"images/dfvfs/iso9660.raw", "iso9660", ""},
                        Case{"images/dfvfs/apfs.raw", "apfs", "-P apfs -B 107 "}}) {
    SCOPED_TRACE(c.rel);
    std::string path = testing::CorpusFile(c.rel);
    if (path.empty()) GTEST_SKIP() << "corpus file absent: " << c.rel;
    auto w = WalkCorpus(path);
    ASSERT_TRUE(w);
    ASSERT_EQ(w->sink.filesystems.size(), 1u);
    EXPECT_EQ(w->sink.filesystems[0].type, c.type);
    ExpectMatchesFls(*w, 1, c.fls_extra + ShellQuote(path));
  }
}

TEST(ImageWalker, DfttFatUndeleteFindsDeletedFilesAndDirectories) {
  testing::TempDir dir;
  if (testing::UnzipCorpus("images/dftt/6-undel-fat.zip", dir.path()).empty()) GTEST_SKIP() << "corpus absent";
  const std::string image = (dir.path() / "6-undel-fat" / "6-fat-undel.dd").string();
  auto w = WalkCorpus(image);
  ASSERT_TRUE(w);
  ASSERT_EQ(w->sink.filesystems.size(), 1u);
  ExpectMatchesFls(*w, 1, ShellQuote(image), false);
  // index.html of DFTT test 6 (its "Files" table): these deleted files, with these sizes and MD5s.
  // TSK names deleted FAT entries with '_' for the lost first character. The fragmented ones (frag1-3)
  // are not checked: no tool that assumes contiguous clusters recovers them (the page lists the wrong
  // MD5s such tools give), and TSK is such a tool.
  const std::map<std::string, std::pair<int64_t, std::string>> expected = {
      {"/_ing.dat", {780, "59b20779f69ff9f0ac5fcd2c38835a79"}},
      {"/_ult1.dat", {3801, "ffd27bd782bdce67750b6b9ee069d2ef"}},
      {"/_ir1/mult2.dat", {1715, "59cf0e9cd107bc1e75afb7374f6e05bb"}},
  };
  TskContentReader reader(w->probe, [&](int64_t id) -> std::optional<FsLocator> { return w->sink.locators.at(id); });
  int found = 0;
  for (const auto& f : w->sink.files) {
    auto it = expected.find(f.path);
    if (it == expected.end()) continue;
    ++found;
    EXPECT_TRUE(f.deleted) << f.path;
    EXPECT_EQ(f.size, it->second.first) << f.path;
    std::string bytes;
    int64_t n = 0;
    ASSERT_TRUE(reader
                    .Read(
                        f, [&](const char* d, size_t len) { bytes.append(d, len); }, &n)
                    .ok())
        << f.path;
    EXPECT_EQ(testing::Md5OfBytes(bytes), it->second.second) << f.path;
  }
  EXPECT_EQ(found, 3);
}

TEST(ImageWalker, DfttNtfsAutodetectListsBothFileSystemsOfAPartition) {
  testing::TempDir dir;
  if (testing::UnzipCorpus("images/dftt/10b-ntfs-autodetect.zip", dir.path()).empty()) GTEST_SKIP() << "absent";
  const std::string image = (dir.path() / "10-ntfs-autodetect" / "10-ntfs-disk.dd").string();
  auto w = WalkCorpus(image);
  ASSERT_TRUE(w);
  // index.html: partition 1 holds NTFS and Ext2, partition 2 NTFS and UFS2. `fls -f ntfs/ext2/ufs -o 63|96390`
  // opens each of them; plain `fls -o 63` refuses ("Cannot determine file system type (EXT2/3/4 or NTFS)").
  std::multiset<std::pair<int64_t, std::string>> got;
  for (const auto& fs : w->sink.filesystems) got.insert({fs.offset_bytes / 512, fs.type.substr(0, 3)});
  EXPECT_TRUE(got.count({63, "ntf"}));
  EXPECT_TRUE(got.count({63, "ext"}));
  EXPECT_TRUE(got.count({96390, "ntf"}));
  EXPECT_TRUE(got.count({96390, "ufs"}));
  int warnings = 0;
  for (const auto& e : w->sink.errors) warnings += e.message.find("valid file systems") != std::string::npos;
  EXPECT_EQ(warnings, 2);
  for (size_t i = 0; i < w->sink.filesystems.size(); ++i) {
    const auto& fs = w->sink.filesystems[i];
    if (fs.type != "ext2") continue;
    ExpectMatchesFls(*w, static_cast<int64_t>(i + 1), "-f ext2 -o 63 " + ShellQuote(image));
  }
}

TEST(ImageWalker, MissingImageBytesAreReportedNotFatal) {
  // A raw disk cut short in its second partition: the walk reports the truncation and lists the first.
  CUSTOS_REQUIRE_CORPUS(path, "images/plaso/tsk_volume_system.raw");
  testing::TempDir dir;
  const std::string cut = dir.File("cut.raw");
  ASSERT_EQ(testing::Shell("head -c 400000 " + ShellQuote(path) + " > " + ShellQuote(cut)).exit_code, 0);
  auto w = WalkCorpus(cut);
  ASSERT_TRUE(w);
  bool truncation = false;
  for (const auto& e : w->sink.errors) truncation |= e.message.find("the image has only") != std::string::npos;
  EXPECT_TRUE(truncation);
}

}  // namespace
}  // namespace custos
