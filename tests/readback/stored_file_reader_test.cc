// StoredFileReader on cases made by the real `custos triage`: every kind of stored file is read back in pages
// and compared with what independent tools read from the same evidence: icat (The Sleuth Kit) for files of a
// file system, deleted ones and an APFS volume, blkls for unallocated space, unzip -p and tar -xO for archive
// members, and the bytes the fixture script wrote for folders and carved objects
// (tests/fixtures/make-readback-evidence.sh). Skips when the fixture tools (cjpeg, zip, mke2fs) are absent.
#include "triage/readback/stored_file_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/e2e/e2e_support.h"
#include "tests/support/test_support.h"
#include "triage/store/case_store.h"

namespace custos::testing {
namespace {

class ReadbackTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string script = std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/make-readback-evidence.sh";
    if (Shell(script + " " + ShellQuote(dir_->path().string()) + " >/dev/null 2>&1").exit_code != 0) return;
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!ready_) GTEST_SKIP() << "the fixture could not be made: it needs cjpeg, zip, tar, mke2fs and debugfs";
  }
  // Triages `evidence` into a new case (carving and unallocated space on) and returns its path.
  static std::string Triage(const std::string& name, const std::string& evidence) {
    const std::string case_path = dir_->File(name + ".custos");
    CustosRun run = Custos("triage --quiet --carve --unallocated --case " + ShellQuote(case_path) + " --exhibit RB/" +
                           name + " " + ShellQuote(evidence));
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return case_path;
  }
  static std::string Evidence(const std::string& relative) { return dir_->File(relative); }

  // The file row's bytes, read back in pages of `page` bytes and joined.
  static std::string ReadAll(const std::string& case_path, int64_t id, size_t page = 64 * 1024) {
    auto store = CaseStore::Open(case_path, CaseStore::OpenMode::kReadOnly);
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return "";
    StoredFileReader reader;
    std::string all;
    for (int64_t at = 0;;) {
      auto got = reader.Read(**store, id, at, page);
      EXPECT_TRUE(got.ok()) << got.status().message();
      if (!got.ok() || got->bytes.empty()) break;
      EXPECT_EQ(got->offset, at);
      all += got->bytes;
      at += static_cast<int64_t>(got->bytes.size());
      if (at >= got->file_size) break;
    }
    return all;
  }
  static Result<ContentPage> ReadPage(const std::string& case_path, int64_t id, int64_t offset, size_t length) {
    auto store = CaseStore::Open(case_path, CaseStore::OpenMode::kReadOnly);
    if (!store.ok()) return store.status();
    StoredFileReader reader;
    return reader.Read(**store, id, offset, length);
  }
  static int64_t Id(const std::string& case_path, const std::string& where) {
    const std::string id = SqlOne(case_path, "SELECT id FROM file WHERE " + where);
    EXPECT_FALSE(id.empty()) << "no file row where " << where;
    return id.empty() ? 0 : std::stoll(id);
  }

  static TempDir* dir_;
  static bool ready_;
};
TempDir* ReadbackTest::dir_ = nullptr;
bool ReadbackTest::ready_ = false;

TEST_F(ReadbackTest, FilesOfAnExt2VolumeAreWhatIcatReads) {
  const std::string image = Evidence("volume.img");
  const std::string c = Triage("ext2", image);
  // A page in the middle of a 1.4 MB file, and the whole file in pages.
  const std::string inode = SqlOne(c, "SELECT meta_addr FROM file WHERE path = '/docs/long.txt'");
  const std::string whole = Shell("icat " + ShellQuote(image) + " " + inode).out;
  ASSERT_EQ(whole.size(), 1420000u);  // 20,000 lines of 71 bytes, as the fixture writes them
  const int64_t id = Id(c, "path = '/docs/long.txt'");
  auto page = ReadPage(c, id, 1000000, 65536);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->file_size, 1420000);
  EXPECT_EQ(page->bytes, whole.substr(1000000, 65536));
  EXPECT_EQ(ReadAll(c, id), whole);
  // The deleted JPEG: ext2 keeps its block pointers, and icat reads them as the reader does.
  const std::string gone_inode = SqlOne(c, "SELECT meta_addr FROM file WHERE path = '/pics/gone.jpg' AND deleted = 1");
  ASSERT_FALSE(gone_inode.empty());
  const std::string gone = Shell("icat " + ShellQuote(image) + " " + gone_inode).out;
  ASSERT_EQ(gone, FileBytes(Evidence("gone.jpg")));
  EXPECT_EQ(ReadAll(c, Id(c, "path = '/pics/gone.jpg' AND deleted = 1"), 4096), gone);
}

TEST_F(ReadbackTest, ArchiveMembersInAVolumeAreWhatUnzipAndTarRead) {
  const std::string image = Evidence("volume.img");
  const std::string c = Triage("members", image);
  const std::string zip = dir_->File("bundle-from-icat.zip");
  ASSERT_EQ(Shell("icat " + ShellQuote(image) + " " +
                  SqlOne(c,
                         "SELECT meta_addr FROM file WHERE path = "
                         "'/docs/bundle.zip'") +
                  " > " + ShellQuote(zip))
                .exit_code,
            0);
  const std::string text = Shell("unzip -p " + ShellQuote(zip) + " inner/secret.txt").out;
  ASSERT_EQ(text, "Member text: the money is under the floor.\n");
  EXPECT_EQ(ReadAll(c, Id(c, "path = '/docs/bundle.zip/inner/secret.txt'")), text);
  const std::string photo = Shell("unzip -p " + ShellQuote(zip) + " inner/photo.jpg").out;
  ASSERT_EQ(photo, FileBytes(Evidence("folder/pics/member.jpg")));
  EXPECT_EQ(ReadAll(c, Id(c, "path = '/docs/bundle.zip/inner/photo.jpg'"), 1000), photo);
  // A page from the middle of a member.
  auto page = ReadPage(c, Id(c, "path = '/docs/bundle.zip/inner/photo.jpg'"), 1500, 100);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->bytes, photo.substr(1500, 100));
  const std::string tar = dir_->File("notes-from-icat.tar");
  ASSERT_EQ(Shell("icat " + ShellQuote(image) + " " +
                  SqlOne(c, "SELECT meta_addr FROM file WHERE path = '/docs/notes.tar'") + " > " + ShellQuote(tar))
                .exit_code,
            0);
  const std::string from_tar = Shell("tar -xOf " + ShellQuote(tar) + " inner/secret.txt").out;
  ASSERT_EQ(from_tar, text);
  EXPECT_EQ(ReadAll(c, Id(c, "path = '/docs/notes.tar/inner/secret.txt'")), from_tar);
}

TEST_F(ReadbackTest, CarvedObjectsAndUnallocatedSpaceAreWhatBlklsAndTheFixtureHold) {
  const std::string image = Evidence("volume.img");
  const std::string c = Triage("carved", image);
  // The JPEG appended after 777 bytes of text, carved out of the file: the bytes cjpeg wrote.
  const int64_t tail = Id(c, "kind = 'carved' AND path LIKE '/pics/with-tail.bin/%'");
  EXPECT_EQ(SqlOne(c, "SELECT name FROM file WHERE id = " + std::to_string(tail)), "carved-777.jpg");
  EXPECT_EQ(ReadAll(c, tail), FileBytes(Evidence("appended.jpg")));
  // Unallocated space: blkls (The Sleuth Kit) writes the file system's unallocated blocks in order.
  const std::string blkls = Shell("blkls " + ShellQuote(image)).out;
  ASSERT_GT(blkls.size(), 100000u);
  const int64_t unalloc = Id(c, "path = '/$Unallocated'");
  EXPECT_EQ(SqlOne(c, "SELECT size FROM file WHERE id = " + std::to_string(unalloc)), std::to_string(blkls.size()));
  auto first = ReadPage(c, unalloc, 0, 65536);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->bytes, blkls.substr(0, 65536));
  auto later = ReadPage(c, unalloc, 300000, 65536);
  ASSERT_TRUE(later.ok()) << later.status().message();
  EXPECT_EQ(later->bytes, blkls.substr(300000, 65536));
  // The deleted JPEG's blocks are free: carved out of unallocated space, it is the picture cjpeg wrote.
  const std::string gone = FileBytes(Evidence("gone.jpg"));
  const size_t in_blkls = blkls.find(gone.substr(0, 600));
  ASSERT_NE(in_blkls, std::string::npos);
  const int64_t carved =
      Id(c, "kind = 'carved' AND path LIKE '/$Unallocated/%' AND size = " + std::to_string(gone.size()));
  EXPECT_EQ(ReadAll(c, carved), gone);
}

TEST_F(ReadbackTest, FolderAndZipCollectionsAndTheirMembersAreReadBack) {
  const std::string folder = Evidence("folder");
  const std::string fc = Triage("folder", folder);
  const std::string long_txt = FileBytes(Evidence("folder/docs/long.txt"));
  auto page = ReadPage(fc, Id(fc, "path = '/docs/long.txt'"), 700000, 65536);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->bytes, long_txt.substr(700000, 65536));
  const std::string secret =
      Shell("unzip -p " + ShellQuote(Evidence("folder/docs/bundle.zip")) + " inner/secret.txt").out;
  ASSERT_FALSE(secret.empty());
  EXPECT_EQ(ReadAll(fc, Id(fc, "path = '/docs/bundle.zip/inner/secret.txt'")), secret);

  const std::string zip = Evidence("collection.zip");
  const std::string zc = Triage("zip", zip);
  const std::string plan = Shell("unzip -p " + ShellQuote(zip) + " docs/plan.txt").out;
  ASSERT_EQ(plan, "The boat leaves at dawn from the north quay.\n");
  EXPECT_EQ(ReadAll(zc, Id(zc, "path = '/docs/plan.txt'")), plan);
  auto zpage = ReadPage(zc, Id(zc, "path = '/docs/long.txt'"), 1400000, 65536);  // the last, short page
  ASSERT_TRUE(zpage.ok()) << zpage.status().message();
  EXPECT_EQ(zpage->bytes, Shell("unzip -p " + ShellQuote(zip) + " docs/long.txt").out.substr(1400000));
  // A member of a zip inside the zip evidence: unzip of unzip.
  const std::string nested =
      Shell("unzip -p " + ShellQuote(zip) + " docs/bundle.zip > " + ShellQuote(dir_->File("nested.zip")) +
            " && unzip -p " + ShellQuote(dir_->File("nested.zip")) + " inner/photo.jpg")
          .out;
  ASSERT_EQ(nested, FileBytes(Evidence("folder/pics/member.jpg")));
  EXPECT_EQ(ReadAll(zc, Id(zc, "path = '/docs/bundle.zip/inner/photo.jpg'")), nested);
}

TEST_F(ReadbackTest, ApfsVolumeFilesAreWhatIcatReadsThroughThePool) {
  const std::string image = CorpusFile("images/dfvfs/apfs.raw");
  if (image.empty()) GTEST_SKIP() << "corpus absent: ../shared/corpus";
  const std::string c = Triage("apfs", image);
  // pstat gives the volume's superblock at block 107; fls -B 107 lists passwords.txt as inode 18.
  EXPECT_EQ(SqlOne(c, "SELECT meta_addr FROM file WHERE path = '/passwords.txt'"), "18");
  const std::string icat = Shell("icat -B 107 " + ShellQuote(image) + " 18").out;
  ASSERT_FALSE(icat.empty());
  EXPECT_EQ(ReadAll(c, Id(c, "path = '/passwords.txt'")), icat);
}

TEST_F(ReadbackTest, AFolderRowAndAMissingEvidenceSayWhy) {
  const std::string image = dir_->File("moved.img");
  ASSERT_EQ(Shell("cp " + ShellQuote(Evidence("volume.img")) + " " + ShellQuote(image)).exit_code, 0);
  const std::string c = Triage("moved", image);
  auto folder = ReadPage(c, Id(c, "path = '/docs'"), 0, 100);
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.status().message().find("folder"), std::string::npos) << folder.status().message();
  std::remove(image.c_str());
  auto gone = ReadPage(c, Id(c, "path = '/docs/plan.txt'"), 0, 100);
  ASSERT_FALSE(gone.ok());
  EXPECT_NE(gone.status().message().find("not reachable"), std::string::npos) << gone.status().message();
}

}  // namespace
}  // namespace custos::testing
