// document.pdf on PDFs the test writes with python3 (the corpus has none): a minimal valid file with an
// Info dictionary. Expected values come from `pdfinfo -isodates` (poppler-utils), which the test runs
// on the same file; dates were worked out by hand too (03:04:05+02'00' is 01:04:05 UTC). XMP: written
// into such a PDF by exiftool (its own XMP writer and PDF incremental update), the values read back with
// `exiftool -s3` and its offsets converted to UTC by `date -u`; hostile packets (entities, an external
// entity naming a file) are put in a Metadata stream by python3.
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

std::string Exiftool(const std::string& path, const std::string& tag) {
  std::string out = Shell("exiftool -s3 -sep '; ' " + ShellQuote("-" + tag) + " " + ShellQuote(path)).out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// "2026:01:02 10:00:00+02:00" (exiftool) as UTC "2026-01-02 08:00:00", by date(1).
std::string UtcByDate(std::string exif) {
  exif[4] = exif[7] = '-';
  exif[10] = 'T';
  std::string out = Shell("date -u -d " + ShellQuote(exif) + " '+%Y-%m-%d %H:%M:%S'").out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

TEST(PdfParser, XmpMetadataAsExiftoolWritesIt) {
  TempDir dir;
  const std::string pdf = WritePdf(dir, "manifest.pdf", "<< /Title (Info title) /Author (Info author) >>");
  ASSERT_EQ(Shell("exiftool -q -overwrite_original '-XMP-dc:Title=Shipping manifest' '-XMP-dc:Creator=John Doe' "
                  "'-XMP-dc:Creator=Jane Roe' '-XMP-dc:Description=Crates for Calais' "
                  "'-XMP-xmp:CreatorTool=Microsoft Word for Microsoft 365' "
                  "'-XMP-xmp:CreateDate=2026:01:02 10:00:00+02:00' '-XMP-xmp:ModifyDate=2026:01:03 09:30:15Z' "
                  "'-XMP-pdf:Producer=Acrobat PDFMaker' '-XMP-pdf:Keywords=freight; urgent' "
                  "'-XMP-xmpMM:DocumentID=uuid:0b6f3c2e-1111-4222-8333-944455556666' "
                  "'-XMP-xmpMM:HistoryAction=created' '-XMP-xmpMM:HistoryWhen=2026:01:02 10:00:00+02:00' "
                  "'-XMP-xmpMM:HistorySoftwareAgent=Microsoft Word' " +
                  ShellQuote(pdf))
                .exit_code,
            0);
  ASSERT_EQ(Exiftool(pdf, "XMP-dc:Creator"), "John Doe; Jane Roe");
  ASSERT_EQ(UtcByDate(Exiftool(pdf, "XMP-xmp:CreateDate")), "2026-01-02 08:00:00");
  ASSERT_EQ(UtcByDate(Exiftool(pdf, "XMP-xmp:ModifyDate")), "2026-01-03 09:30:15");
  const Parsed p = ParseFile("document.pdf", pdf, "/Users/jdoe/Documents/manifest.pdf");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  ASSERT_EQ(p.Rows("document.metadata").size(), 1u);
  ASSERT_EQ(p.Rows("document.xmp").size(), 1u);
  const ArtefactRow& x = *p.Rows("document.xmp")[0];
  EXPECT_EQ(p.Text(x, "title"), Exiftool(pdf, "XMP-dc:Title"));
  EXPECT_EQ(p.Text(x, "creators"), "John Doe; Jane Roe");
  EXPECT_EQ(p.Text(x, "description"), Exiftool(pdf, "XMP-dc:Description"));
  EXPECT_EQ(p.Text(x, "keywords"), Exiftool(pdf, "XMP-pdf:Keywords"));
  EXPECT_EQ(p.Text(x, "creator_tool"), Exiftool(pdf, "XMP-xmp:CreatorTool"));
  EXPECT_EQ(p.Text(x, "producer"), Exiftool(pdf, "XMP-pdf:Producer"));
  EXPECT_EQ(p.Text(x, "document_id"), Exiftool(pdf, "XMP-xmpMM:DocumentID"));
  EXPECT_EQ(UtcText(p.Int(x, "created")), "2026-01-02 08:00:00.000000");
  EXPECT_EQ(UtcText(p.Int(x, "modified")), "2026-01-03 09:30:15.000000");
  EXPECT_EQ(p.Text(x, "history"), "2026-01-02T10:00:00+02:00 created (Microsoft Word)");
  EXPECT_EQ(Exiftool(pdf, "XMP-xmpMM:HistorySoftwareAgent"), "Microsoft Word");
  // exiftool also rewrote the Info dictionary's title from the XMP: both rows say what the file holds.
  EXPECT_EQ(p.Text(*p.Rows("document.metadata")[0], "title"), Pdfinfo(pdf, "Title"));
}

// A PDF whose catalog names `xmp` as its Metadata stream (python3 writes it, with a correct xref).
std::string WritePdfWithXmp(const TempDir& dir, const std::string& name, const std::string& xmp) {
  const std::string path = dir.File(name);
  const std::string py =
      "import sys\n"
      "x=sys.argv[2].encode('utf-8')\n"
      "objs=[b'<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>',b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',"
      "b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',"
      "b'<< /Type /Metadata /Subtype /XML /Length %d >>\\nstream\\n'%len(x)+x+b'\\nendstream']\n"
      "out=b'%PDF-1.4\\n'\n"
      "offs=[]\n"
      "for i,o in enumerate(objs,1):\n"
      "  offs.append(len(out)); out+=b'%d 0 obj\\n'%i+o+b'\\nendobj\\n'\n"
      "s=len(out)\n"
      "out+=b'xref\\n0 %d\\n0000000000 65535 f \\n'%(len(objs)+1)\n"
      "for o in offs: out+=b'%010d 00000 n \\n'%o\n"
      "out+=b'trailer\\n<< /Size %d /Root 1 0 R >>\\nstartxref\\n%d\\n%%%%EOF\\n'%(len(objs)+1,s)\n"
      "open(sys.argv[1],'wb').write(out)\n";
  EXPECT_EQ(Shell("python3 -c " + ShellQuote(py) + " " + ShellQuote(path) + " " + ShellQuote(xmp)).exit_code, 0);
  return path;
}

TEST(PdfParser, XmpAttributesAndHostilePackets) {
  TempDir dir;
  // Properties as attributes of rdf:Description, as Acrobat often writes them.
  const std::string attrs = WritePdfWithXmp(dir, "a.pdf", R"(<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmp:CreatorTool="Writer" xmp:CreateDate="2025-11-30T23:15:00-05:00" pdf:Producer="LibreOffice 7.4"/>
</rdf:RDF></x:xmpmeta>)");
  ASSERT_EQ(Exiftool(attrs, "XMP-xmp:CreatorTool"), "Writer");
  ASSERT_EQ(UtcByDate(Exiftool(attrs, "XMP-xmp:CreateDate")), "2025-12-01 04:15:00");
  const Parsed a = ParseFile("document.pdf", attrs, "/a.pdf");
  ASSERT_EQ(a.Rows("document.xmp").size(), 1u);
  EXPECT_EQ(a.Text(*a.Rows("document.xmp")[0], "creator_tool"), "Writer");
  EXPECT_EQ(a.Text(*a.Rows("document.xmp")[0], "producer"), "LibreOffice 7.4");
  EXPECT_EQ(UtcText(a.Int(*a.Rows("document.xmp")[0], "created")), "2025-12-01 04:15:00.000000");

  // Entities are never expanded: an external entity naming a file stays an unresolved reference.
  const std::string secret = dir.File("secret.txt");
  Shell("printf 'TOPSECRET' > " + ShellQuote(secret));
  const std::string doctype = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY file SYSTEM \"file://" + secret + "\">";
  const std::string body =
      R"(<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<xmp:CreatorTool>tool &file;</xmp:CreatorTool>)";
  const Parsed h = ParseFile(
      "document.pdf",
      WritePdfWithXmp(dir, "h.pdf", doctype + "]>\n" + body + "</rdf:Description></rdf:RDF></x:xmpmeta>"), "/h.pdf");
  ASSERT_TRUE(h.status.ok());
  ASSERT_EQ(h.Rows("document.xmp").size(), 1u);
  EXPECT_EQ(h.Text(*h.Rows("document.xmp")[0], "creator_tool"), "tool");
  for (const FieldValue& v : h.Rows("document.xmp")[0]->values) {
    if (const auto* t = std::get_if<std::string>(&v)) {
      EXPECT_EQ(t->find("TOPSECRET"), std::string::npos);
    }
  }
  // A billion laughs: libxml2 refuses the packet (xmllint says "Detected an entity reference loop"), so
  // the XMP is a problem row and nothing is expanded.
  const std::string laughs =
      doctype +
      R"(<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>
)" + body +
      "<dc:description>&e;&e;&e;&e;</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>";
  const Parsed l = ParseFile("document.pdf", WritePdfWithXmp(dir, "l.pdf", laughs), "/l.pdf");
  ASSERT_TRUE(l.status.ok());
  EXPECT_TRUE(l.Rows("document.xmp").empty());
  ASSERT_EQ(l.out.problems.size(), 1u);
  EXPECT_NE(l.out.problems[0].find("not well-formed"), std::string::npos);
  // A packet that is not XML: the Info row stays, and a problem says the XMP was not read.
  const Parsed bad = ParseFile("document.pdf", WritePdfWithXmp(dir, "b.pdf", "<x:xmpmeta><rdf:RDF"), "/b.pdf");
  ASSERT_TRUE(bad.status.ok());
  EXPECT_TRUE(bad.Rows("document.xmp").empty());
  ASSERT_EQ(bad.out.problems.size(), 1u);
  EXPECT_NE(bad.out.problems[0].find("XMP"), std::string::npos);
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
