// document.ole on the corpus Document.doc. Expected values were read with exiftool 12.57 (its FlashPix
// module decodes the same property sets independently of libolecf); the test runs exiftool again, so a
// changed sample or a disagreement shows. FILETIMEs print the same under any TZ, so they are UTC.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

std::string Exiftool(const std::string& file, const std::string& tag) {
  std::string v = Shell("TZ=Asia/Tokyo exiftool -s3 -" + tag + " " + ShellQuote(file)).out;
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
  return v;
}

TEST(OleOfficeParser, CorpusDocAuthorDatesAndCompany) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/documents/Document.doc");
  // exiftool: Author DAVID NIDES, Last Modified By Nides, Create Date 2012:12:10 18:38:00, Modify Date
  // 2013:05:16 02:29:00, Last Printed 0000:00:00 00:00:00 (never), Revision Number 4, Company KPMG,
  // Title "Table of Context", Software Microsoft Office Word, Template Normal.dotm, Pages 1, Words 3.
  ASSERT_EQ(Exiftool(path, "Author"), "DAVID NIDES");
  ASSERT_EQ(Exiftool(path, "CreateDate"), "2012:12:10 18:38:00");
  ASSERT_EQ(Exiftool(path, "ModifyDate"), "2013:05:16 02:29:00");
  ASSERT_EQ(Exiftool(path, "LastPrinted"), "0000:00:00 00:00:00");

  const Parsed p = ParseFile("document.ole", path, "/Users/jdoe/Documents/Document.doc");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty()) << p.out.problems[0];
  ASSERT_EQ(p.Rows("document.metadata").size(), 1u);
  const ArtefactRow& r = *p.Rows("document.metadata")[0];
  EXPECT_EQ(p.Text(r, "author"), "DAVID NIDES");
  EXPECT_EQ(p.Text(r, "last_modified_by"), "Nides");
  EXPECT_EQ(UtcText(p.Int(r, "created")), "2012-12-10 18:38:00.000000");
  EXPECT_EQ(UtcText(p.Int(r, "modified")), "2013-05-16 02:29:00.000000");
  EXPECT_EQ(UtcText(r.time), "2013-05-16 02:29:00.000000");
  EXPECT_TRUE(p.IsNull(r, "last_printed"));
  EXPECT_EQ(p.Text(r, "revision"), Exiftool(path, "RevisionNumber"));
  EXPECT_EQ(p.Text(r, "company"), Exiftool(path, "Company"));
  EXPECT_EQ(p.Text(r, "company"), "KPMG");
  EXPECT_EQ(p.Text(r, "title"), "Table of Context");
  EXPECT_TRUE(p.IsNull(r, "subject"));  // exiftool shows an empty Subject
  EXPECT_EQ(p.Text(r, "application"), "Microsoft Office Word");
  EXPECT_EQ(p.Text(r, "template"), "Normal.dotm");
  EXPECT_EQ(p.Int(r, "pages"), 1);
  EXPECT_EQ(p.Int(r, "words"), 3);
  EXPECT_EQ(p.Int(r, "edit_minutes"), 0);  // exiftool: Total Edit Time 0
  EXPECT_EQ(p.Text(r, "format"), "OLE compound document (doc)");
}

TEST(OleOfficeParser, OtherCompoundFilesAndCutCopies) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/documents/Document.doc");
  CUSTOS_REQUIRE_CORPUS(jumplist,
                        "artefacts/windows/automaticDestinations-ms/1b4dd67f29cb1962.automaticDestinations-ms");
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (size_t cut : {size_t{8}, size_t{512}, size_t{4096}, bytes.size() / 2, bytes.size() - 1}) {
    const Parsed p = ParseBytes("document.ole", bytes.substr(0, cut), "/cut.doc");
    EXPECT_LE(p.out.rows.size(), 1u);
  }
  // A compound file that is not an Office document (a jump list) is not wanted, and has no summary.
  EXPECT_FALSE(ParseFile("document.ole", jumplist, "/x.automaticDestinations-ms").wanted);
  const Parsed other = ParseFile("document.ole", jumplist, "/renamed.doc");
  EXPECT_TRUE(other.out.rows.empty());
  EXPECT_FALSE(other.status.ok());
}

}  // namespace
}  // namespace custos::testing
