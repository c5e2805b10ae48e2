// document.ooxml on the corpus Document.docx, with expected values read from its docProps/core.xml and
// docProps/app.xml by `unzip -p` (the test runs it too, so a changed sample shows), and on hostile
// packages the test writes with python3's zipfile: an oversized core.xml, entity expansion, a bad zip.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(OfficeParser, CorpusDocxAuthorDatesAndProgram) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/documents/Document.docx");
  // unzip -p Document.docx docProps/core.xml: <dc:creator>Nides</dc:creator>,
  // <cp:lastModifiedBy>Nides</cp:lastModifiedBy>, <cp:revision>3</cp:revision>,
  // created 2012-11-07T23:29:00Z, modified 2013-08-25T22:18:00Z.
  const std::string core = Shell("unzip -p " + ShellQuote(path) + " docProps/core.xml").out;
  ASSERT_NE(core.find("<dc:creator>Nides</dc:creator>"), std::string::npos);
  ASSERT_NE(core.find("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2012-11-07T23:29:00Z"), std::string::npos);
  ASSERT_NE(core.find("<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2013-08-25T22:18:00Z"), std::string::npos);
  // unzip -p ... docProps/app.xml: TotalTime 1385, Pages 1, Words 2, Application Microsoft Office Word,
  // Template Normal.dotm, an empty <Company></Company>.
  const std::string app = Shell("unzip -p " + ShellQuote(path) + " docProps/app.xml").out;
  ASSERT_NE(app.find("<Application>Microsoft Office Word</Application>"), std::string::npos);
  ASSERT_NE(app.find("<Words>2</Words>"), std::string::npos);

  const Parsed p = ParseFile("document.ooxml", path, "/Users/jdoe/Documents/Document.docx");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  ASSERT_EQ(p.Rows("document.metadata").size(), 1u);
  const ArtefactRow& r = *p.Rows("document.metadata")[0];
  EXPECT_EQ(p.Text(r, "author"), "Nides");
  EXPECT_EQ(p.Text(r, "last_modified_by"), "Nides");
  EXPECT_EQ(p.Text(r, "revision"), "3");
  EXPECT_EQ(UtcText(p.Int(r, "created")), "2012-11-07 23:29:00.000000");
  EXPECT_EQ(UtcText(p.Int(r, "modified")), "2013-08-25 22:18:00.000000");
  EXPECT_EQ(UtcText(r.time), "2013-08-25 22:18:00.000000");
  EXPECT_TRUE(p.IsNull(r, "last_printed"));
  EXPECT_TRUE(p.IsNull(r, "title"));
  EXPECT_TRUE(p.IsNull(r, "company"));
  EXPECT_EQ(p.Text(r, "application"), "Microsoft Office Word");
  EXPECT_EQ(p.Text(r, "template"), "Normal.dotm");
  EXPECT_EQ(p.Int(r, "pages"), 1);
  EXPECT_EQ(p.Int(r, "words"), 2);
  EXPECT_EQ(p.Int(r, "edit_minutes"), 1385);
  EXPECT_EQ(p.Text(r, "format"), "Office Open XML (docx)");

  // Renamed, it is still recognised by its first member; cut copies never give more than one row.
  const std::string bytes = Slurp(path);
  EXPECT_TRUE(ParseBytes("document.ooxml", bytes, "/renamed.bin").wanted);
  for (size_t cut : {size_t{10}, size_t{400}, bytes.size() / 2, bytes.size() - 10}) {
    EXPECT_LE(ParseBytes("document.ooxml", bytes.substr(0, cut), "/cut.docx").out.rows.size(), 1u);
  }
}

// Writes a zip holding docProps/core.xml = `core` (and a small app.xml) with python3's zipfile.
std::string WritePackage(const TempDir& dir, const std::string& name, const std::string& core_py_expr) {
  const std::string out = dir.File(name);
  const std::string py =
      "import sys,zipfile\n"
      "z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\n"
      "z.writestr('[Content_Types].xml','<Types/>')\n"
      "z.writestr('docProps/core.xml'," +
      core_py_expr +
      ")\n"
      "z.writestr('docProps/app.xml','<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "extended-properties\"><Company>ACME &amp; Sons</Company></Properties>')\n"
      "z.close()\n";
  EXPECT_EQ(Shell("python3 -c " + ShellQuote(py) + " " + ShellQuote(out)).exit_code, 0);
  return out;
}

TEST(OfficeParser, OversizedCoreXmlIsSkippedWithAProblem) {
  TempDir dir;
  // 64 MiB of spaces deflate to ~64 KiB: a small zip bomb.
  const std::string bomb = WritePackage(dir, "bomb.docx", "'<a>'+' '*(64<<20)+'</a>'");
  const Parsed p = ParseFile("document.ooxml", bomb, "/bomb.docx");
  ASSERT_EQ(p.Rows("document.metadata").size(), 1u);  // app.xml is still read
  EXPECT_EQ(p.Text(*p.Rows("document.metadata")[0], "company"), "ACME & Sons");
  ASSERT_FALSE(p.out.problems.empty());
  EXPECT_NE(p.out.problems[0].find("more than 1 MiB"), std::string::npos) << p.out.problems[0];
}

TEST(OfficeParser, EntitiesAreNeitherExpandedNorFetched) {
  TempDir dir;
  const std::string head =
      "'<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
      "<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]>"
      "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>";
  const std::string tail = "</dc:title><dc:creator>Eve</dc:creator></cp:coreProperties>'";
  // An external entity is not fetched (no network) nor substituted: the title has no text of its own.
  const Parsed ext = ParseFile("document.ooxml", WritePackage(dir, "ext.xlsx", head + "&x;" + tail), "/ext.xlsx");
  ASSERT_EQ(ext.Rows("document.metadata").size(), 1u);
  const ArtefactRow& r = *ext.Rows("document.metadata")[0];
  EXPECT_EQ(ext.Text(r, "author"), "Eve") << (ext.out.problems.empty() ? "" : ext.out.problems[0]);
  EXPECT_TRUE(ext.IsNull(r, "title"));
  EXPECT_EQ(ext.Text(r, "format"), "Office Open XML (xlsx)");
  // A billion-laughs reference: libxml2 refuses the part (xmllint --nonet says "Detected an entity reference
  // loop"); the row keeps app.xml's company and the problem is reported.
  const Parsed bomb = ParseFile("document.ooxml", WritePackage(dir, "lol.xlsx", head + "&d;&d;" + tail), "/lol.xlsx");
  ASSERT_EQ(bomb.Rows("document.metadata").size(), 1u);
  const ArtefactRow& b = *bomb.Rows("document.metadata")[0];
  EXPECT_TRUE(bomb.IsNull(b, "title"));
  EXPECT_EQ(bomb.Text(b, "company"), "ACME & Sons");
  ASSERT_EQ(bomb.out.problems.size(), 1u);
  EXPECT_NE(bomb.out.problems[0].find("core.xml"), std::string::npos);
}

TEST(OfficeParser, GarbageIsRejectedQuietly) {
  const Parsed p = ParseBytes("document.ooxml", std::string("PK\3\4") + std::string(5000, 'z'), "/x.docx");
  EXPECT_TRUE(p.wanted);
  EXPECT_FALSE(p.status.ok());
  EXPECT_TRUE(p.out.rows.empty());
  EXPECT_FALSE(ParseBytes("document.ooxml", "PK\3\4", "/x.zip").wanted);
}

}  // namespace
}  // namespace custos::testing
