// StoredFileReader on files inside an encrypted (LUKS1) volume that `custos triage --unlock-file` unlocked: read
// back with the key given again (a passphrase, or the volume key), without a key (a message that says how to
// give one) and with a wrong one (a message, no crash). The volume is made by
// tests/fixtures/make-unlocked-evidence.sh (cryptsetup writes the header, Python's cryptography encrypts, never
// libluksde), and every expected byte is the file the script put in. Also the reader's scratch folder: made
// where it is told, named so it is recognised, removed with the reader, and a stale one removed only when its
// process is gone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/e2e/e2e_support.h"
#include "tests/support/test_support.h"
#include "triage/readback/stored_file_reader.h"
#include "triage/store/case_store.h"
#include "triage/walk/unlock_keys.h"

namespace custos::testing {
namespace {

class ReadbackUnlockedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string script = std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/make-unlocked-evidence.sh";
    if (Shell(script + " " + ShellQuote(dir_->path().string()) + " >&2").exit_code != 0) return;
    case_path_ = dir_->File("unlocked.custos");
    CustosRun run = Custos("triage --quiet --case " + ShellQuote(case_path_) + " --unlock-file " +
                           ShellQuote(dir_->File("passphrase.txt")) + " " + ShellQuote(dir_->File("luks.raw")));
    if (run.exit_code != 0) {
      std::fprintf(stderr, "custos triage failed (%d): %s\n", run.exit_code, run.err.c_str());
      return;
    }
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!ready_)
      GTEST_SKIP() << "the fixture could not be made: it needs cryptsetup, mke2fs, zip and python3-cryptography";
  }

  static std::shared_ptr<const UnlockKeys> Keys(const UnlockKeyFiles& files) {
    auto keys = ReadUnlockKeys(files);
    EXPECT_TRUE(keys.ok()) << keys.status().message();
    return keys.ok() ? *keys : nullptr;
  }
  // The row of `path` inside the unlocked volume.
  static int64_t Id(const std::string& path) {
    const std::string id =
        SqlOne(case_path_,
               "SELECT f.id FROM file f JOIN filesystem fs ON fs.id = f.filesystem_id JOIN volume v ON v.id = "
               "fs.volume_id WHERE v.kind = 'unlocked' AND f.path = '" +
                   path + "'");
    EXPECT_FALSE(id.empty()) << "no file row " << path << " in the unlocked volume";
    return id.empty() ? 0 : std::stoll(id);
  }
  // The file's bytes read back in pages of `page` bytes and joined; the first error stops it.
  static Result<std::string> ReadAll(StoredFileReader& reader, int64_t id, size_t page = 64 * 1024) {
    auto store = CaseStore::Open(case_path_, CaseStore::OpenMode::kReadOnly);
    if (!store.ok()) return store.status();
    std::string all;
    for (int64_t at = 0;;) {
      auto got = reader.Read(**store, id, at, page);
      if (!got.ok()) return got.status();
      if (got->bytes.empty()) break;
      all += got->bytes;
      at += static_cast<int64_t>(got->bytes.size());
      if (at >= got->file_size) break;
    }
    return all;
  }

  static TempDir* dir_;
  static std::string case_path_;
  static bool ready_;
};
TempDir* ReadbackUnlockedTest::dir_ = nullptr;
std::string ReadbackUnlockedTest::case_path_;
bool ReadbackUnlockedTest::ready_ = false;

TEST_F(ReadbackUnlockedTest, FilesInsideAreTheBytesThatWentInWithThePassphraseOrTheVolumeKey) {
  // The case holds the volume, unlocked: as the e2e unlock tests check, with the sqlite3 shell.
  ASSERT_EQ(SqlOne(case_path_, "SELECT count(*) FROM volume WHERE kind = 'unlocked'"), "1");
  for (const UnlockKeyFiles& files :
       {UnlockKeyFiles{{dir_->File("passphrase.txt")}, {}}, UnlockKeyFiles{{}, {dir_->File("volume-key.txt")}}}) {
    SCOPED_TRACE(files.passphrase_files.empty() ? "volume key" : "passphrase");
    TempDir scratch;
    StoredFileReader reader(ReadbackOptions{scratch.path().string(), "scratch-", Keys(files)});
    for (const char* name : {"note.txt", "big.bin", "photo.png"}) {
      SCOPED_TRACE(name);
      auto got = ReadAll(reader, Id(std::string("/") + name));
      ASSERT_TRUE(got.ok()) << got.status().message();
      EXPECT_EQ(*got, FileBytes(dir_->File(std::string("tree/") + name)));
    }
    // A page in the middle of big.bin, on its own.
    auto store = CaseStore::Open(case_path_, CaseStore::OpenMode::kReadOnly);
    ASSERT_TRUE(store.ok());
    auto page = reader.Read(**store, Id("/big.bin"), 123457, 4096);
    ASSERT_TRUE(page.ok()) << page.status().message();
    EXPECT_EQ(page->file_size, 300000);
    EXPECT_EQ(page->bytes, FileBytes(dir_->File("tree/big.bin")).substr(123457, 4096));
    // A member of the zip inside the volume: the zip is read back through the volume into the scratch folder.
    auto member = ReadAll(reader, Id("/bundle.zip/inner/secret.txt"));
    ASSERT_TRUE(member.ok()) << member.status().message();
    EXPECT_EQ(*member, FileBytes(dir_->File("inner/secret.txt")));
  }
}

TEST_F(ReadbackUnlockedTest, WithoutAKeyTheMessageSaysHowToGiveOne) {
  StoredFileReader reader;
  auto got = ReadAll(reader, Id("/note.txt"));
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("encrypted volume"), std::string::npos) << got.status().message();
  EXPECT_NE(got.status().message().find("--unlock-file"), std::string::npos) << got.status().message();
  EXPECT_NE(got.status().message().find("--luks-key-file"), std::string::npos) << got.status().message();
}

TEST_F(ReadbackUnlockedTest, AWrongKeyIsAMessageNamingItsFileNeverTheSecret) {
  const std::string wrong = dir_->File("guess.txt");
  ASSERT_EQ(Shell("echo 'tr0ub4dor&3 guessed' > " + ShellQuote(wrong)).exit_code, 0);
  StoredFileReader reader(ReadbackOptions{"", "custos-readback-", Keys(UnlockKeyFiles{{wrong}, {}})});
  for (int attempt = 0; attempt < 2; ++attempt) {  // the second answer is the remembered one
    auto got = ReadAll(reader, Id("/note.txt"));
    ASSERT_FALSE(got.ok());
    const std::string& m = got.status().message();
    EXPECT_NE(m.find("does not unlock"), std::string::npos) << m;
    EXPECT_NE(m.find("guess.txt"), std::string::npos) << m;
    EXPECT_EQ(m.find("tr0ub4dor"), std::string::npos) << m;
    EXPECT_NE(m.find("--unlock-file"), std::string::npos) << m;
  }
}

TEST_F(ReadbackUnlockedTest, TheScratchFolderIsWhereItIsToldAndGoesWithTheReader) {
  TempDir parent;
  const std::string mine = ".test-scratch-" + std::to_string(getpid()) + "-";
  auto scratch_folders = [&parent, &mine] {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(parent.path())) {
      n += e.path().filename().string().rfind(mine, 0) == 0 && std::filesystem::exists(e.path() / "archive");
    }
    return n;
  };
  {
    StoredFileReader reader(ReadbackOptions{parent.path().string(), ".test-scratch-",
                                            Keys(UnlockKeyFiles{{dir_->File("passphrase.txt")}, {}})});
    auto member = ReadAll(reader, Id("/bundle.zip/inner/secret.txt"));
    ASSERT_TRUE(member.ok()) << member.status().message();
    EXPECT_EQ(scratch_folders(), 1);
  }
  EXPECT_EQ(scratch_folders(), 0);
  EXPECT_TRUE(std::filesystem::is_empty(parent.path()));
}

TEST(ReadbackScratch, OnlyTheFoldersOfProcessesThatAreGoneAreRemoved) {
  TempDir parent;
  // A process that has ended: the shell that printed its own PID.
  const std::string gone = Shell("sh -c 'echo $$'").out;
  ASSERT_FALSE(gone.empty());
  const std::string dead = ".x-scratch-" + gone.substr(0, gone.size() - 1) + "-a1b2c3";
  const std::string alive = ".x-scratch-" + std::to_string(getpid()) + "-d4e5f6";
  for (const auto& name : {dead, alive, std::string(".x-scratch-notapid-1"), std::string("other-99999999-1")}) {
    std::filesystem::create_directories(parent.path() / name / "sub");
    std::ofstream(parent.path() / name / "sub" / "archive") << "bytes";
  }
  EXPECT_EQ(StoredFileReader::RemoveStaleScratch(parent.path().string(), ".x-scratch-"), 1);
  EXPECT_FALSE(std::filesystem::exists(parent.path() / dead));
  EXPECT_TRUE(std::filesystem::exists(parent.path() / alive / "sub" / "archive"));
  EXPECT_TRUE(std::filesystem::exists(parent.path() / ".x-scratch-notapid-1"));
  EXPECT_TRUE(std::filesystem::exists(parent.path() / "other-99999999-1"));
}

}  // namespace
}  // namespace custos::testing
