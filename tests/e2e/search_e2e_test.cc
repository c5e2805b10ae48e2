// Keyword and entity search end to end, on an NTFS volume the test makes with mkntfs and fills through
// ntfs-3g (FUSE, so root): keywords planted in a text file (one across a 4096-byte cluster boundary), in
// UTF-16LE text, in a docx's document.xml (Python's zipfile, deflated, so only the decoded member holds
// it), in a file that is then deleted, with dd in a cluster that TSK's blkstat says is unallocated, and with
// dd in the slack of a file's last cluster (istat gives the cluster, icat -s checks the bytes).
// Expected offsets come from where the test wrote the bytes and from `grep -boa` on the host files and the
// image itself; the entities are a valid IBAN (found) and the same IBAN with a bad checksum (not found).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/e2e/e2e_support.h"

namespace custos::testing {
namespace {

// Byte offsets of `term` in a file, as `grep -boa` reports them.
std::vector<int64_t> GrepOffsets(const std::string& file, const std::string& term) {
  std::vector<int64_t> out;
  for (const auto& line : SplitLines(Shell("grep -boa " + ShellQuote(term) + " " + ShellQuote(file)).out)) {
    if (line.empty()) continue;
    out.push_back(std::stoll(line.substr(0, line.find(':'))));
  }
  return out;
}

class SearchE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string d = ShellQuote(dir_->path().string());
    const std::string fuse = ShellQuote(std::string(CUSTOS_SOURCE_DIR) + "/tests/fixtures/ntfs-fuse.sh");
    const auto made = Shell(
        "set -e; cd " + d + "; . " + fuse +
        "\n"
        "python3 - <<'PY'\n"
        "import zipfile\n"
        "filler = lambda n: ('the quick brown fox jumps over the lazy dog ' * 400)[:n]\n"
        "notes = filler(4090) + 'bluebottle' + filler(3000) + ' pay GB82 WEST 1234 5698 7654 32 not GB83 WEST 1234 "
        "5698 7654 32 ' + filler(2000)\n"
        "open('notes.txt', 'w').write(notes)\n"
        "open('chat.txt', 'wb').write(('\\ufeff' + filler(1500) + ' meet the Kingfisher at noon ' + "
        "filler(1500)).encode('utf-16-le'))\n"
        "open('gone.txt', 'w').write(filler(2500) + ' cormorant ' + filler(2500))\n"
        "z = zipfile.ZipFile('report.docx', 'w', zipfile.ZIP_DEFLATED)\n"
        "z.writestr('[Content_Types].xml', '<?xml version=\"1.0\"?><Types/>')\n"
        "z.writestr('word/document.xml', '<w:document><w:body><w:p><w:r><w:t>' + filler(3000) + ' the heron "
        "flies ' + '</w:t></w:r></w:p></w:body></w:document>')\n"
        "z.close()\n"
        "PY\n"
        "unzip -p report.docx word/document.xml > document.xml\n"
        "printf 'bluebottle\\nkingfisher\\nheron\\ncormorant\\nsandpiper\\nwagtail\\n' > keywords.txt\n"
        "truncate -s 32M ntfs.img\n"
        "mkntfs -q -F -Q -s 512 -c 4096 ntfs.img >/dev/null 2>&1\n"
        "make_jpeg appended 64 48 appended.jpg\n"
        "{ head -c 3000 notes.txt; cat appended.jpg; } > letter.txt\n"
        "ntfs_mount ntfs.img mnt\n"
        "mkdir -p mnt/Users/suspect\n"
        "cp notes.txt chat.txt gone.txt report.docx letter.txt mnt/Users/suspect/\n"
        "head -c 5000 notes.txt > mnt/Users/suspect/short.txt\n"
        "sync; rm mnt/Users/suspect/gone.txt\n"
        "ntfs_unmount mnt\n"
        // A keyword in the slack of short.txt: 200 bytes past its 5000 bytes, in its second (last) cluster,
        // whose number istat gives.
        "inode=$(fls -r ntfs.img | awk '$NF == \"short.txt\" { sub(\":\", \"\", $(NF-1)); print $(NF-1) }' | cut "
        "-d- -f1)\n"
        "echo $inode > short.inode\n"
        "last=$(istat ntfs.img $inode | sed -n '/^Type: \\$DATA/{n;p}' | awk '{print $2}')\n"
        "printf 'in the slack: wagtail' | dd of=ntfs.img bs=1 seek=$((last * 4096 + 5000 - 4096 + 200)) "
        "conv=notrunc status=none\n"
        // Cluster 5000 (byte 20480000) must be free for the planted bytes: TSK's blkstat says so.
        "blkstat -f ntfs ntfs.img 5000 | grep -q 'Not Allocated'\n"
        "printf 'xxxx the sandpiper nests here xxxx' | dd of=ntfs.img bs=1 seek=20480100 conv=notrunc status=none\n"
        // Two pictures made by cjpeg: one appended to a letter, one written into free clusters 6000-6002.
        "make_jpeg unalloc 64 48 unalloc.jpg\n"
        "test $(stat -c %s unalloc.jpg) -lt 12288\n"
        "for c in 6000 6001 6002; do blkstat -f ntfs ntfs.img $c | grep -q 'Not Allocated'; done\n"
        "dd if=unalloc.jpg of=ntfs.img bs=4096 seek=6000 conv=notrunc status=none\n");
    ok_ = made.exit_code == 0;
    if (!ok_) return;
    case_ = dir_->File("case.custos");
    const auto run = Custos("triage --case " + ShellQuote(case_) + " --no-verify --carve --keywords " +
                            ShellQuote(dir_->File("keywords.txt")) + " " + ShellQuote(dir_->File("ntfs.img")));
    run_exit_ = run.exit_code;
    run_err_ = run.err;
    const auto listed = Custos("hits " + ShellQuote(case_) + " --json");
    for (const auto& line : SplitLines(listed.out)) {
      if (!line.empty()) hits_.push_back(nlohmann::json::parse(line));
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (Shell("id -u").out != "0\n" ||
        Shell("test -e /dev/fuse && command -v ntfs-3g && command -v mkntfs").exit_code) {
      GTEST_SKIP() << "needs root, /dev/fuse, ntfs-3g and mkntfs to make the NTFS volume";
    }
    ASSERT_TRUE(ok_) << "the NTFS fixture could not be made";
    ASSERT_TRUE(run_exit_ == 0 || run_exit_ == 3) << run_err_;
  }

  // The hits of `term` whose path is `path` (null: unallocated).
  static std::vector<nlohmann::json> HitsOf(const std::string& term, const nlohmann::json& path) {
    std::vector<nlohmann::json> out;
    for (const auto& h : hits_)
      if (h["term"] == term && h["path"] == path) out.push_back(h);
    return out;
  }

  static TempDir* dir_;
  static bool ok_;
  static std::string case_, run_err_;
  static int run_exit_;
  static std::vector<nlohmann::json> hits_;
};
TempDir* SearchE2E::dir_ = nullptr;
bool SearchE2E::ok_ = false;
std::string SearchE2E::case_, SearchE2E::run_err_;
int SearchE2E::run_exit_ = -1;
std::vector<nlohmann::json> SearchE2E::hits_;

TEST_F(SearchE2E, KeywordInTextAcrossAClusterBoundary) {
  const auto hits = HitsOf("bluebottle", "/Users/suspect/notes.txt");
  ASSERT_EQ(hits.size(), 1u);
  const auto expected = GrepOffsets(dir_->File("notes.txt"), "bluebottle");
  ASSERT_EQ(expected.size(), 1u);
  EXPECT_EQ(expected[0], 4090);  // bytes 4090-4099: across the end of the file's first 4096-byte cluster
  EXPECT_EQ(hits[0]["offset"], expected[0]);
  EXPECT_EQ(hits[0]["kind"], "keyword");
  EXPECT_EQ(hits[0]["encoding"], "utf-8");
  EXPECT_NE(hits[0]["context"].get<std::string>().find("over the lazy dobluebottlethe quick brown"), std::string::npos);
}

TEST_F(SearchE2E, KeywordInUtf16TextIsFoundCaseInsensitively) {
  const auto hits = HitsOf("kingfisher", "/Users/suspect/chat.txt");
  ASSERT_EQ(hits.size(), 1u);
  // grep on the UTF-16LE bytes of "Kingfisher" (K\0i\0n\0...), as Python wrote them.
  const auto r = Shell(
      "python3 -c \"import sys; d=open(sys.argv[1],'rb').read(); "
      "print(d.find('Kingfisher'.encode('utf-16-le')))\" " +
      ShellQuote(dir_->File("chat.txt")));
  EXPECT_EQ(hits[0]["offset"], std::stoll(r.out));
  EXPECT_EQ(hits[0]["encoding"], "utf-16le");
  EXPECT_EQ(hits[0]["match"], "Kingfisher");
}

TEST_F(SearchE2E, KeywordInsideADocxIsFoundInTheDecodedMember) {
  const auto hits = HitsOf("heron", "/Users/suspect/report.docx/word/document.xml");
  ASSERT_EQ(hits.size(), 1u);
  const auto expected = GrepOffsets(dir_->File("document.xml"), "heron");
  ASSERT_EQ(expected.size(), 1u);
  EXPECT_EQ(hits[0]["offset"], expected[0]);
  // Deflated: the docx's own bytes do not hold the word.
  EXPECT_TRUE(GrepOffsets(dir_->File("report.docx"), "heron").empty());
}

TEST_F(SearchE2E, KeywordInADeletedFile) {
  const auto hits = HitsOf("cormorant", "/Users/suspect/gone.txt");
  ASSERT_EQ(hits.size(), 1u);
  const auto expected = GrepOffsets(dir_->File("gone.txt"), "cormorant");
  ASSERT_EQ(expected.size(), 1u);
  EXPECT_EQ(hits[0]["offset"], expected[0]);
  EXPECT_EQ(SqlOne(case_, "SELECT deleted FROM file WHERE id = " + std::to_string(hits[0]["file_id"].get<int64_t>())),
            "1");
}

TEST_F(SearchE2E, KeywordInUnallocatedSpaceIsPlacedByVolumeAndOffset) {
  const auto hits = HitsOf("sandpiper", nullptr);
  ASSERT_EQ(hits.size(), 1u);
  const auto expected = GrepOffsets(dir_->File("ntfs.img"), "sandpiper");
  ASSERT_EQ(expected.size(), 1u);  // only where dd put it
  EXPECT_EQ(expected[0], 20480100 + 9);
  EXPECT_EQ(hits[0]["offset"], expected[0]);  // a bare volume: its start is the image's
  EXPECT_TRUE(hits[0]["file_id"].is_null());
  EXPECT_EQ(SqlOne(case_, "SELECT kind FROM volume WHERE id = " + std::to_string(hits[0]["volume"].get<int64_t>())),
            "whole-image");
  EXPECT_NE(hits[0]["context"].get<std::string>().find("xxxx the sandpiper nests here xxxx"), std::string::npos);
}

TEST_F(SearchE2E, KeywordInTheSlackOfAnNtfsFile) {
  // TSK's own slack read (icat -s) holds the keyword 5214 bytes in ("in the slack: " at 5200); the file
  // is 5000 bytes, so the slack starts there and ends with the second 4096-byte cluster.
  std::string inode = Shell("cat " + ShellQuote(dir_->File("short.inode"))).out;
  inode.erase(inode.find_last_not_of('\n') + 1);
  const std::string image = ShellQuote(dir_->File("ntfs.img"));
  EXPECT_EQ(Shell("icat -s " + image + " " + inode + " | grep -boa wagtail").out, "5214:wagtail\n");
  EXPECT_EQ(Shell("icat " + image + " " + inode + " | grep -c wagtail").out, "0\n");
  const auto hits = HitsOf("wagtail", "/Users/suspect/short.txt/$Slack");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]["offset"], 5214 - 5000);
  const auto on_disk = GrepOffsets(dir_->File("ntfs.img"), "wagtail");
  ASSERT_EQ(on_disk.size(), 1u);
  EXPECT_EQ(hits[0]["media_offset"], on_disk[0]);
  EXPECT_EQ(SqlOne(case_, "SELECT size FROM file WHERE path = '/Users/suspect/short.txt/$Slack'"),
            std::to_string(2 * 4096 - 5000));
}

TEST_F(SearchE2E, ValidIbanIsFoundAndTheBadChecksumIsNot) {
  const auto hits = HitsOf("iban", "/Users/suspect/notes.txt");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]["match"], "GB82 WEST 1234 5698 7654 32");
  EXPECT_EQ(hits[0]["offset"], GrepOffsets(dir_->File("notes.txt"), "GB82 WEST")[0]);
  EXPECT_EQ(hits[0]["kind"], "entity");
}

TEST_F(SearchE2E, RerunAddsNoHitAndFiltersWork) {
  const std::string before = SqlOne(case_, "SELECT count(*) FROM keyword_hit");
  const auto again = Custos("triage --case " + ShellQuote(case_) + " --no-verify --carve --keywords " +
                            ShellQuote(dir_->File("keywords.txt")) + " " + ShellQuote(dir_->File("ntfs.img")));
  EXPECT_TRUE(again.exit_code == 0 || again.exit_code == 3) << again.err;
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM keyword_hit"), before);
  const auto filtered = Custos("hits " + ShellQuote(case_) + " --term heron --json");
  EXPECT_EQ(filtered.exit_code, 0);
  for (const auto& line : SplitLines(filtered.out)) {
    if (!line.empty()) {
      EXPECT_EQ(nlohmann::json::parse(line)["term"], "heron");
    }
  }
  EXPECT_EQ(Custos("hits " + ShellQuote(case_) + " --kind nonsense").exit_code, 2);
  const auto info = Custos("info " + ShellQuote(case_));
  EXPECT_NE(info.out.find("Keyword hits"), std::string::npos);
}

TEST_F(SearchE2E, APictureAppendedToAFileIsCarvedIntoAChildRow) {
  const std::string md5 = Shell("md5sum " + ShellQuote(dir_->File("appended.jpg")) + " | cut -c1-32").out.substr(0, 32);
  EXPECT_EQ(SqlOne(case_,
                   "SELECT c.kind || '|' || c.md5 || '|' || c.mime || '|' || p.path FROM file c JOIN file p ON p.id = "
                   "c.container_file_id WHERE c.path = '/Users/suspect/letter.txt/carved-3000.jpg'"),
            "carved|" + md5 + "|image/jpeg|/Users/suspect/letter.txt");
}

TEST_F(SearchE2E, APictureInUnallocatedSpaceIsCarvedUnderTheVirtualParent) {
  const std::string md5 = Shell("md5sum " + ShellQuote(dir_->File("unalloc.jpg")) + " | cut -c1-32").out.substr(0, 32);
  // Cluster 6000 of 4096 bytes: byte 24576000 of the volume, which starts the image.
  EXPECT_EQ(
      SqlOne(case_,
             "SELECT c.md5 || '|' || c.content_state || '|' || c.deleted || '|' || p.kind FROM file c JOIN file p "
             "ON p.id = c.container_file_id WHERE c.path = '/$Unallocated/carved-24576000.jpg'"),
      md5 + "|recovered|1|virtual");  // read back whole from deleted space
  // The picture is not hashed as if it were the unallocated area itself.
  EXPECT_EQ(SqlOne(case_, "SELECT ifnull(md5, 'none') FROM file WHERE path = '/$Unallocated'"), "none");
}

TEST(SearchE2EArguments, ABadRegexStopsBeforeAnythingIsWritten) {
  TempDir dir;
  const std::string re = dir.File("re.txt"), image = dir.File("empty.raw"), case_path = dir.File("c.custos");
  ASSERT_EQ(
      Shell("printf 'ok[[:digit:]]+\\n(unclosed\\n' > " + ShellQuote(re) + " && truncate -s 1M " + ShellQuote(image))
          .exit_code,
      0);
  const auto run =
      Custos("triage --case " + ShellQuote(case_path) + " --regex " + ShellQuote(re) + " " + ShellQuote(image));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("'(unclosed'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("line 2"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(case_path));
}

}  // namespace
}  // namespace custos::testing
