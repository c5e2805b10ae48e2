// document.pdf on PDFs the test writes with python3 (the corpus has none): a minimal valid file with an
// Info dictionary. Expected values come from `pdfinfo -isodates` (poppler-utils), which the test runs
// on the same file; dates were worked out by hand too (03:04:05+02'00' is 01:04:05 UTC).
#include <gtest/gtest.h>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

// A one-page PDF 1.4 whose trailer names `info` (a dictionary) as its Info, with a correct xref table.
std::string WritePdf(const TempDir& dir, const std::string& name, const std::string& info) {
  const std::string path = dir.File(name);
  const std::string py =
      "import sys\n"
      "objs=[b'<< /Type /Catalog /Pages 2 0 R >>',b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',"
      "b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',sys.argv[2].encode('latin-1')]\n"
      "out=b'%PDF-1.4\\n'\n"
      "offs=[]\n"
      "for i,o in enumerate(objs,1):\n"
      "  offs.append(len(out)); out+=b'%d 0 obj\\n'%i+o+b'\\nendobj\\n'\n"
      "x=len(out)\n"
      "out+=b'xref\\n0 %d\\n0000000000 65535 f \\n'%(len(objs)+1)\n"
      "for o in offs: out+=b'%010d 00000 n \\n'%o\n"
      "out+=b'trailer\\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\\nstartxref\\n%d\\n%%%%EOF\\n'%(len(objs)+1,x)\n"
      "open(sys.argv[1],'wb').write(out)\n";
  EXPECT_EQ(Shell("python3 -c " + ShellQuote(py) + " " + ShellQuote(path) + " " + ShellQuote(info)).exit_code, 0);
  return path;
}

std::string Pdfinfo(const std::string& path, const std::string& label) {
  for (const std::string& line : SplitLines(Shell("pdfinfo -isodates " + ShellQuote(path)).out)) {
    if (line.rfind(label + ":", 0) == 0) {
      const size_t v = line.find_first_not_of(' ', label.size() + 1);
      return v == std::string::npos ? "" : line.substr(v);
    }
  }
  return "";
}

TEST(PdfParser, InfoDictionaryMatchesPdfinfo) {
  TempDir dir;
  const std::string pdf =
      WritePdf(dir, "plan.pdf",
               "<< /Title (Quarterly Plan) /Author (Jane Roe) /Subject (Budget) /Keywords (secret) /Creator "
               "(Microsoft Word) /Producer (macOS Quartz PDFContext) /CreationDate (D:20200102030405+02'00') "
               "/ModDate (D:20210304050607Z) >>");
  ASSERT_EQ(Pdfinfo(pdf, "Author"), "Jane Roe");
  ASSERT_EQ(Pdfinfo(pdf, "CreationDate"), "2020-01-02T03:04:05+02");
  ASSERT_EQ(Pdfinfo(pdf, "ModDate"), "2021-03-04T05:06:07Z");
  const Parsed p = ParseFile("document.pdf", pdf, "/Users/jdoe/Downloads/plan.pdf");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  ASSERT_EQ(p.Rows("document.metadata").size(), 1u);
  const ArtefactRow& r = *p.Rows("document.metadata")[0];
  EXPECT_EQ(p.Text(r, "title"), Pdfinfo(pdf, "Title"));
  EXPECT_EQ(p.Text(r, "author"), Pdfinfo(pdf, "Author"));
  EXPECT_EQ(p.Text(r, "subject"), Pdfinfo(pdf, "Subject"));
  EXPECT_EQ(p.Text(r, "keywords"), Pdfinfo(pdf, "Keywords"));
  EXPECT_EQ(p.Text(r, "application"), Pdfinfo(pdf, "Creator"));
  EXPECT_EQ(p.Text(r, "producer"), Pdfinfo(pdf, "Producer"));
  EXPECT_EQ(p.Text(r, "format"), "PDF " + Pdfinfo(pdf, "PDF version"));
  EXPECT_EQ(std::to_string(*p.Int(r, "pages")), Pdfinfo(pdf, "Pages"));
  EXPECT_EQ(UtcText(p.Int(r, "created")), "2020-01-02 01:04:05.000000");
  EXPECT_EQ(UtcText(p.Int(r, "modified")), "2021-03-04 05:06:07.000000");
  EXPECT_EQ(UtcText(r.time), "2021-03-04 05:06:07.000000");
  EXPECT_TRUE(p.IsNull(r, "last_modified_by"));
  EXPECT_NE(r.time_zone_note.find("converted"), std::string::npos);
}

TEST(PdfParser, DateWithoutZoneIsKeptAsIfUtcAndSaidSo) {
  TempDir dir;
  const std::string pdf = WritePdf(dir, "b.pdf", "<< /Author (Nobody) /CreationDate (D:20190607080910) >>");
  ASSERT_EQ(Pdfinfo(pdf, "CreationDate"), "2019-06-07T08:09:10Z");  // pdfinfo too reads it as UTC
  const Parsed p = ParseFile("document.pdf", pdf, "/b.pdf");
  ASSERT_EQ(p.Rows("document.metadata").size(), 1u);
  const ArtefactRow& r = *p.Rows("document.metadata")[0];
  EXPECT_EQ(p.Text(r, "author"), "Nobody");
  EXPECT_EQ(UtcText(p.Int(r, "created")), "2019-06-07 08:09:10.000000");
  EXPECT_TRUE(p.IsNull(r, "modified"));
  EXPECT_NE(r.time_zone_note.find("without a zone"), std::string::npos);
}

TEST(PdfParser, DamagedPdfsNeverCrash) {
  TempDir dir;
  const std::string pdf = WritePdf(dir, "c.pdf", "<< /Author (Cut) >>");
  const std::string bytes = Shell("cat " + ShellQuote(pdf)).out;
  for (size_t cut : {size_t{5}, size_t{40}, size_t{200}, bytes.size() - 30}) {
    EXPECT_LE(ParseBytes("document.pdf", bytes.substr(0, cut), "/cut.pdf").out.rows.size(), 1u);
  }
  const Parsed junk = ParseBytes("document.pdf", "%PDF-1.7\n" + std::string(10000, '('), "/junk.pdf");
  EXPECT_TRUE(junk.wanted);
  EXPECT_TRUE(junk.out.rows.empty());
  EXPECT_FALSE(ParseBytes("document.pdf", "hello", "/x.pdf").wanted);
}

}  // namespace
}  // namespace custos::testing
