// End to end: a user's data volume holding a Chrome profile, an unpacked Android data folder, a Skype
// profile, Office documents and a picture with GPS at their real paths (tests/fixtures/make-user-data-image.sh)
// is triaged by `custos`; the artefacts must be in the case file, tied to their source files. Expected
// values come from the sqlite3 shell run on copies of the corpus databases, exiftool and unzip.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/e2e/e2e_support.h"

namespace custos {
namespace {

using testing::Custos;
using testing::Shell;
using testing::ShellQuote;
using testing::Sql;
using testing::SqlOne;

class UserDataE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (testing::CorpusDir().empty()) return;
    dir_ = new testing::TempDir();
    image_ = dir_->File("data.img");
    const auto made = Shell(std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/make-user-data-image.sh " +
                            ShellQuote(testing::CorpusDir().string()) + " " + ShellQuote(image_) + " >/dev/null 2>&1");
    if (made.exit_code != 0) return;
    case_ = dir_->File("data.custos");
    triage_ = Custos("triage -q --case " + ShellQuote(case_) + " --exhibit JD/2 " + ShellQuote(image_));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (testing::CorpusDir().empty()) GTEST_SKIP() << "../shared/corpus is absent";
    if (case_.empty()) GTEST_SKIP() << "the user-data image could not be made here (needs root, FUSE and exiftool)";
    ASSERT_EQ(triage_.exit_code, 0) << triage_.err;
  }
  // A query's answer from the sqlite3 shell on a private copy of a corpus database (never in place).
  static std::string CorpusSql(const std::string& rel, const std::string& query) {
    const std::string copy = dir_->File("copy.db");
    std::filesystem::copy_file(testing::CorpusDir() / rel, copy, std::filesystem::copy_options::overwrite_existing);
    return Shell("sqlite3 " + ShellQuote(copy) + " " + ShellQuote(query)).out;
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::string image_, case_;
  static inline testing::CustosRun triage_;
};

TEST_F(UserDataE2E, NoErrorsAndEveryArtefactTiedToAFile) {
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM error"), "0");
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM artefact a LEFT JOIN file f ON f.id = a.file_id WHERE f.id IS NULL"),
            "0");
}

TEST_F(UserDataE2E, ChromeVisitsFromTheProfile) {
  const std::string visits = CorpusSql("artefacts/browser/chrome/History", "SELECT count(*) FROM visits");
  EXPECT_EQ(
      SqlOne(case_,
             "SELECT count(*) FROM art_browser_visit v JOIN artefact a ON a.id = v.artefact_id JOIN file f ON "
             "f.id = a.file_id WHERE f.path = '/Users/jdoe/AppData/Local/Google/Chrome/User Data/Default/History'") +
          "\n",
      visits);
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM art_browser_search WHERE term = 'funny cats'"), "1");
}

TEST_F(UserDataE2E, AndroidTextMessagesAndSkypeFromTheirFolders) {
  const std::string sms = CorpusSql("artefacts/mobile/android/mmssms.db", "SELECT count(*) FROM sms");
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM art_chat_message WHERE app = 'SMS'") + "\n", sms);
  const std::string skype = CorpusSql("artefacts/mobile/sqlite/skype_main.db", "SELECT count(*) FROM Messages");
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM art_chat_message WHERE app = 'Skype'") + "\n", skype);
  const std::string calls = CorpusSql("artefacts/mobile/android/contacts2.db", "SELECT count(*) FROM calls");
  EXPECT_EQ(SqlOne(case_,
                   "SELECT count(*) FROM art_call_record c JOIN artefact a ON a.id = c.artefact_id JOIN file f "
                   "ON f.id = a.file_id WHERE f.path LIKE '%/contacts2.db'") +
                "\n",
            calls);
}

TEST_F(UserDataE2E, PictureGpsAndDocumentAuthor) {
  // The fixture wrote these with exiftool; exiftool -n reads back 51.504503, -0.0865, 12.5.
  EXPECT_EQ(SqlOne(case_,
                   "SELECT make || '|' || model || '|' || latitude || '|' || longitude || '|' || altitude FROM "
                   "art_picture_exif"),
            "Canon|Canon EOS 80D|51.504503|-0.0865|12.5");
  // unzip -p Document.docx docProps/core.xml: <dc:creator>Nides</dc:creator>.
  const auto core =
      Shell("unzip -p " + ShellQuote((testing::CorpusDir() / "artefacts/documents/Document.docx").string()) +
            " docProps/core.xml");
  ASSERT_NE(core.out.find("<dc:creator>Nides</dc:creator>"), std::string::npos);
  EXPECT_EQ(SqlOne(case_,
                   "SELECT d.author FROM art_document_metadata d JOIN artefact a ON a.id = d.artefact_id JOIN "
                   "file f ON f.id = a.file_id WHERE f.path = '/Users/jdoe/Documents/Document.docx'"),
            "Nides");
}

}  // namespace
}  // namespace custos
