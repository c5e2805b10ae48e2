// The reports end to end: an ext2 image made by mke2fs -d from files with hostile names (markup,
// quotes, a spreadsheet formula, a newline, invalid UTF-8) and two pictures made by cjpeg, one deleted
// with debugfs, triaged by the real `custos triage`; the officer's tags, grades, a thumbnail, a keyword
// hit and hash-set hits added with the sqlite3 shell (as the viewer and the searches will); then
// `custos report`. Expected values come from md5sum/sha256sum of what went in, fls (deleted state and
// TSK's own bodyfile), pdftotext, Python's csv and json modules and rdflib's JSON-LD parser.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"

namespace custos::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string FirstWord(const std::string& s) { return s.substr(0, s.find(' ')); }

const char* const kScriptName = "<script>alert(1).txt";
const char* const kFormulaName = "=cmd|' calc'!A1.csv";
const char* const kQuoteName = "quote\"and'apos.txt";
const char* const kNewlineName = "new\nline.txt";
const char* const kBadUtf8Name = "bad\xff\xfe.txt";

class ReportE2e : public ::testing::Test {
 protected:
  // Made once, by the first test that runs (not in SetUpTestSuite: gtest reports a failure there as every
  // test skipped, which ctest counts as a pass).
  static void MakeCase() {
    dir_ = new TempDir();
    const fs::path tree = dir_->path() / "tree";
    fs::create_directories(tree / "Users" / "kim" / "Pictures");
    for (const char* name : {kScriptName, kFormulaName, kQuoteName, kNewlineName, kBadUtf8Name}) {
      std::ofstream(tree / "Users" / "kim" / name) << "evidence text of " << name << "\n";
    }
    std::ofstream(tree / "Users" / "kim" / "system.dll") << "a known-good operating system file\n";
    std::ofstream(tree / "Users" / "kim" / "mail.pst") << "not really an Outlook store\n";
    // A real shortcut from the corpus (when present) gives an artefact to tag.
    const std::string lnk = CorpusFile("artefacts/windows/example.lnk");
    if (!lnk.empty()) fs::copy_file(lnk, tree / "Users" / "kim" / "example.lnk");
    // Two real JPEGs from cjpeg; gone.jpg is deleted below.
    for (const char* pic : {"photo", "gone"}) {
      const fs::path ppm = dir_->path() / (std::string(pic) + ".ppm");
      std::ofstream out(ppm, std::ios::binary);
      out << "P6\n64 48\n255\n";
      for (int i = 0; i < 64 * 48; ++i) out << static_cast<char>(i % 251) << static_cast<char>(pic[0]) << '\x40';
      out.close();
      ASSERT_EQ(Shell("cjpeg -quality 80 " + ShellQuote(ppm.string()) + " > " +
                      ShellQuote((tree / "Users" / "kim" / "Pictures" / (std::string(pic) + ".jpg")).string()))
                    .exit_code,
                0);
    }
    ASSERT_EQ(Shell("touch -d '2021-03-04 05:06:07 UTC' " + ShellQuote((tree / "Users" / "kim" / kScriptName).string()))
                  .exit_code,
              0);
    photo_md5_ = FirstWord(Shell("md5sum " + ShellQuote((tree / "Users/kim/Pictures/photo.jpg").string())).out);
    image_ = dir_->File("disk.raw");
    ASSERT_EQ(
        Shell("mke2fs -q -F -t ext2 -d " + ShellQuote(tree.string()) + " " + ShellQuote(image_) + " 8M >&2").exit_code,
        0);
    ASSERT_EQ(Shell("debugfs -w -R 'rm /Users/kim/Pictures/gone.jpg' " + ShellQuote(image_) + " >&2").exit_code, 0);
    image_md5_ = FirstWord(Shell("md5sum " + ShellQuote(image_)).out);
    case_ = dir_->File("OP-ELM.custos");
    CustosRun t = Custos("triage --quiet --case " + ShellQuote(case_) +
                         " --exhibit JD/1 --case-ref OP-ELM-0042 --operation ELM --officer 'DC 4127 Smith' " +
                         ShellQuote(image_));
    ASSERT_EQ(t.exit_code, 0) << t.err;
    // Tags and grades through `custos tag` and `custos grade` (ReviewStore). A note cannot carry a NUL on a
    // command line, so that one is put in with the sqlite3 shell; so are the thumbnail, the keyword hit and
    // the hash-set hits, which the viewer and the searches will write.
    auto id_of = [&](const std::string& where) { return SqlOne(case_, "SELECT id FROM file WHERE " + where); };
    struct Tag {
      std::string where, label, note;
    };
    for (const Tag& t : std::vector<Tag>{{"name = '<script>alert(1).txt'", "evidential", "placeholder"},
                                         {"name = '=cmd|'' calc''!A1.csv'", "relevant", "=HYPERLINK(\"http://x\")"},
                                         {"name LIKE 'bad%.txt'", "disclosure_review", ""},
                                         {"name LIKE 'new%line.txt'", "relevant", "@SUM(1)"},
                                         {"name = 'quote\"and''apos.txt'", "exculpatory", "+1 line one\nline two"}}) {
      const std::string id = id_of(t.where);
      ASSERT_FALSE(id.empty()) << t.where;
      CustosRun r = Custos("tag " + ShellQuote(case_) + " --file " + id + " --label " + t.label + " --note " +
                           ShellQuote(t.note) + " --by 'DC Smith'");
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    for (const auto& [name, grade] :
         std::vector<std::pair<std::string, std::string>>{{"photo.jpg", "A"}, {"gone.jpg", "B"}}) {
      CustosRun r = Custos("grade " + ShellQuote(case_) + " --file " + id_of("name = '" + name + "'") + " --grade " +
                           grade + " --by 'DC Smith'");
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const std::string now = "1764750000000000";
    const std::string sql =
        "UPDATE tag SET note = 'note with a NUL' || char(0) || 'after it <b>bold</b> \"quoted\"' WHERE note = "
        "'placeholder';"
        "INSERT OR REPLACE INTO thumbnail VALUES ((SELECT id FROM file WHERE name = 'photo.jpg'), 64, 48, readfile(" +
        ShellQuote((tree / "Users/kim/Pictures/photo.jpg").string()) +
        "), NULL);"
        "INSERT INTO hash_hit(file_id, set_name, set_kind, category, algorithm, hash) VALUES "
        "((SELECT id FROM file WHERE name = 'system.dll'), 'NSRL', 'known_good', '', 'md5', 'x'),"
        "((SELECT id FROM file WHERE name = 'photo.jpg'), 'CAID', 'known_bad', 'Category A', 'md5', 'y');"
        "INSERT INTO keyword_hit(term, term_kind, file_id, volume_id, offset_bytes, encoding, match, context, created) "
        "VALUES ('alert', 'keyword', (SELECT id FROM file WHERE name = '<script>alert(1).txt'), 0, 26, 'utf-8', "
        "'alert', '<script>alert(1)</script>', " +
        now + ");";
    ASSERT_EQ(Shell("sqlite3 " + ShellQuote(case_) + " " + ShellQuote(sql)).exit_code, 0);
    const std::string artefact = SqlOne(case_, "SELECT min(id) FROM artefact");
    if (!artefact.empty()) {
      CustosRun a = Custos("tag " + ShellQuote(case_) + " --artefact " + artefact +
                           " --label evidential --note 'shortcut to the file' --by 'DC Smith'");
      ASSERT_EQ(a.exit_code, 0) << a.err;
    }
    CustosRun hit = Custos("tag " + ShellQuote(case_) + " --hit " + SqlOne(case_, "SELECT max(id) FROM keyword_hit") +
                           " --label evidential --note 'keyword in a hostile file' --by 'DC Smith'");
    ASSERT_EQ(hit.exit_code, 0) << hit.err;
    out_ = dir_->File("report");
    report_ = Custos("report " + ShellQuote(case_) + " --out " + ShellQuote(out_));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!attempted_) {
      attempted_ = true;
      MakeCase();
      made_ = !HasFatalFailure();
    }
    ASSERT_TRUE(made_) << "the shared case and report could not be made (see the first test's failure)";
    ASSERT_EQ(report_.exit_code, 0) << report_.err;
  }

  static std::string File(const std::string& name) { return ReadAll(fs::path(out_) / name); }

  static TempDir* dir_;
  static std::string image_, image_md5_, photo_md5_, case_, out_;
  static CustosRun report_;
  static bool attempted_, made_;
};

TempDir* ReportE2e::dir_ = nullptr;
std::string ReportE2e::image_, ReportE2e::image_md5_, ReportE2e::photo_md5_, ReportE2e::case_, ReportE2e::out_;
CustosRun ReportE2e::report_;
bool ReportE2e::attempted_ = false, ReportE2e::made_ = false;

TEST_F(ReportE2e, HtmlHoldsTheKeyFactsWithEvidenceTextEscaped) {
  const std::string html = File("report.html");
  EXPECT_NE(html.find("OP-ELM-0042"), std::string::npos);
  EXPECT_NE(html.find("DC 4127 Smith"), std::string::npos);
  EXPECT_NE(html.find(image_md5_), std::string::npos) << "the image MD5 from md5sum";
  // A raw image stores no hash: the report must say so rather than claim a verification.
  EXPECT_NE(html.find("Not verifiable: the image format stores no acquisition hash"), std::string::npos);
  // Markup from the evidence arrives as text, never as markup; the only tags are the report's own.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>bold"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1).txt"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;bold&lt;/b&gt; &quot;quoted&quot;"), std::string::npos);
  EXPECT_NE(html.find("quote&quot;and&#39;apos.txt"), std::string::npos);
  // The NUL in the note is shown as [NUL], the invalid bytes as U+FFFD.
  EXPECT_NE(html.find("note with a NUL[NUL]after it"), std::string::npos);
  EXPECT_NE(html.find("bad\xEF\xBF\xBD\xEF\xBF\xBD.txt"), std::string::npos);
  // Grades: photo.jpg allocated (A), gone.jpg deleted (B), as fls says.
  EXPECT_NE(Shell("fls -r -d " + ShellQuote(image_) + " | grep -c gone.jpg").out, "0\n");
  EXPECT_NE(html.find("<tr><td>Category A</td><td>1</td><td>0</td><td>1</td></tr>"), std::string::npos);
  EXPECT_NE(html.find("<tr><td>Category B</td><td>0</td><td>1</td><td>1</td></tr>"), std::string::npos);
  EXPECT_NE(html.find("<td>Category A</td><td>CAID</td><td>1</td><td>0</td>"), std::string::npos)
      << "known-bad hit by category, accessible";
  EXPECT_NE(html.find("data:image/jpeg;base64,"), std::string::npos) << "the thumbnail inline";
  EXPECT_EQ(html.find("system.dll"), std::string::npos) << "known-good files are not listed";
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_NE(html.find("Declaration"), std::string::npos);
  EXPECT_NE(html.find("Appendix A"), std::string::npos);
  // Limits: the mail store no parser could read is named.
  EXPECT_NE(html.find("1 Outlook mail stores (.pst/.ost) gave no artefact"), std::string::npos);
}

TEST_F(ReportE2e, TaggedArtefactShowsItsSourceAndParser) {
  if (CorpusFile("artefacts/windows/example.lnk").empty()) GTEST_SKIP() << "corpus absent: no shortcut to parse";
  const auto row = Sql(case_,
                       "SELECT a.kind, a.parser FROM artefact a JOIN tag t ON t.target = 'artefact' AND "
                       "t.target_id = a.id");
  ASSERT_EQ(row.size(), 1u);
  const std::string kind = row[0].substr(0, row[0].find('|'));
  const json j = json::parse(File("findings.json"));
  bool found = false;
  for (const auto& t : j["tagged"]) {
    if (t["target"] != "artefact") continue;
    found = true;
    EXPECT_EQ(t["kind"], kind);
    EXPECT_EQ(t["source_path"], "/Users/kim/example.lnk");
    EXPECT_EQ(t["note"], "shortcut to the file");
    EXPECT_NE(t["parser"].get<std::string>().find(row[0].substr(row[0].find('|') + 1)), std::string::npos);
  }
  EXPECT_TRUE(found);
  const std::string html = File("report.html");
  EXPECT_NE(html.find(kind + ": "), std::string::npos);
  EXPECT_NE(html.find("JD/1 /Users/kim/example.lnk"), std::string::npos);
}

TEST_F(ReportE2e, PdfSaysTheSameAsTheHtml) {
  const std::string pdf = dir_->File("report.txt");
  ASSERT_EQ(Shell("pdftotext -layout " + ShellQuote(out_ + "/report.pdf") + " " + ShellQuote(pdf)).exit_code, 0);
  const std::string text = ReadAll(pdf);
  const std::string first = text.substr(0, text.find('\f'));
  // The key facts are on the first page.
  EXPECT_NE(first.find("OP-ELM-0042"), std::string::npos);
  EXPECT_NE(first.find("JD/1"), std::string::npos);
  EXPECT_NE(first.find("Not verifiable"), std::string::npos);
  EXPECT_NE(first.find("Category A"), std::string::npos);
  EXPECT_NE(first.find("<script>alert(1).txt"), std::string::npos) << "an evidential item, as literal text";
  EXPECT_NE(text.find(image_md5_), std::string::npos);
  EXPECT_NE(text.find("<b>bold</b>"), std::string::npos) << "markup in a note is shown, not applied";
  EXPECT_NE(text.find("NUL[NUL]after"), std::string::npos) << "the NUL shown as [NUL]";
  EXPECT_NE(text.find("Declaration"), std::string::npos);
  EXPECT_NE(text.find("Page 1 of"), std::string::npos);
  EXPECT_EQ(text.find("system.dll"), std::string::npos);
}

TEST_F(ReportE2e, DisclosureScheduleParsesBackWithFormulasDisarmed) {
  // Python's csv module reads the schedule back; every row becomes one JSON list.
  const std::string py =
      "import csv, json, sys\n"
      "rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))\n"
      "print(json.dumps(rows))\n";
  std::ofstream(dir_->File("read.py")) << py;
  CommandResult r = Shell("python3 " + ShellQuote(dir_->File("read.py")) + " " + ShellQuote(out_ + "/disclosure.csv"));
  ASSERT_EQ(r.exit_code, 0);
  const json rows = json::parse(r.out);
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0], json({"item", "description", "location", "relevance tag", "note"}));
  int files = 0;
  bool formula_row = false, newline_row = false, area_row = false;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 5u);
    for (const auto& field : rows[i]) {
      const std::string f = field;
      ASSERT_FALSE(!f.empty() && (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@')) << f;
    }
    const std::string item = rows[i][0], where = rows[i][2];
    if (item[0] == 'F' && item != "F*") ++files;
    if (where.find("=cmd|' calc'!A1.csv") != std::string::npos) {
      formula_row = true;
      EXPECT_EQ(rows[i][4], "'=HYPERLINK(\"http://x\")");
      EXPECT_EQ(rows[i][3], "relevant");
    }
    if (where.find("new\nline.txt") != std::string::npos) newline_row = true;
    if (where.find("/$OrphanFiles") != std::string::npos)
      area_row = rows[i][1].get<std::string>().rfind("file-system area", 0) == 0;
    EXPECT_EQ(where.find("system.dll"), std::string::npos);
  }
  EXPECT_TRUE(formula_row);
  EXPECT_TRUE(newline_row) << "the newline in a name survives inside a quoted field";
  // Every item but the folders and the known-good file: the files, and TSK's areas such as $OrphanFiles.
  EXPECT_EQ(std::to_string(files),
            SqlOne(case_,
                   "SELECT count(*) FROM file f WHERE kind != 'dir' AND NOT EXISTS (SELECT 1 FROM "
                   "hash_hit h WHERE h.file_id = f.id AND set_kind = 'known_good')"));
  EXPECT_TRUE(area_row) << "a file-system area (TSK's $OrphanFiles) is an item of the schedule";
}

TEST_F(ReportE2e, FindingsJsonListsEveryTagValidUtf8) {
  CommandResult r = Shell("python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d[\"tagged\"]))' " +
                          ShellQuote(out_ + "/findings.json"));
  ASSERT_EQ(r.exit_code, 0) << "Python's json module accepts it";
  EXPECT_EQ(r.out, SqlOne(case_, "SELECT count(*) FROM tag") + "\n");
  const json j = json::parse(File("findings.json"));
  EXPECT_EQ(j["case"]["reference"], "OP-ELM-0042");
  EXPECT_EQ(j["exhibits"][0]["computed_md5"], image_md5_);
  bool nul_note = false, bad_name = false;
  for (const auto& t : j["tagged"]) {
    const std::string note = t["note"], desc = t["description"];
    static const char kNote[] = "note with a NUL\0after it <b>bold</b> \"quoted\"";
    nul_note = nul_note || note == std::string(kNote, sizeof kNote - 1);
    bad_name = bad_name || desc == "bad\xEF\xBF\xBD\xEF\xBF\xBD.txt";
  }
  EXPECT_TRUE(nul_note) << "JSON keeps the NUL, escaped as \\u0000";
  EXPECT_TRUE(bad_name);
  EXPECT_NE(File("findings.json").find("\\u0000"), std::string::npos);
}

TEST_F(ReportE2e, CaseUcoIsJsonLdWithTheRequiredTypes) {
  const json j = json::parse(File("case-uco.jsonld"));
  std::set<std::string> types;
  bool exhibit = false, photo_hash = false, tool = false;
  for (const auto& node : j["@graph"]) {
    types.insert(node["@type"].get<std::string>());
    if (node["@type"] == "case-investigation:ProvenanceRecord" && node["case-investigation:exhibitNumber"] == "JD/1")
      exhibit = true;
    if (node["@type"] == "case-investigation:InvestigativeAction" && node.contains("uco-action:instrument"))
      tool = true;
    if (node["@type"] == "uco-observable:Image") {
      for (const auto& facet : node["uco-core:hasFacet"]) {
        if (!facet.contains("uco-observable:hash")) continue;
        for (const auto& h : facet["uco-observable:hash"]) {
          photo_hash = photo_hash || h["uco-types:hashValue"]["@value"] == image_md5_;
        }
      }
    }
  }
  for (const char* t : {"case-investigation:Investigation", "case-investigation:ProvenanceRecord",
                        "case-investigation:InvestigativeAction", "uco-observable:File", "uco-observable:Image",
                        "uco-tool:Tool", "uco-core:Annotation"}) {
    EXPECT_TRUE(types.count(t)) << t;
  }
  EXPECT_TRUE(exhibit);
  EXPECT_TRUE(tool);
  EXPECT_TRUE(photo_hash) << "the image's MD5 (md5sum) on its observable";
  // rdflib (Debian's python3-rdflib) parses it as JSON-LD; the Investigation is a typed node in the graph.
  CommandResult r = Shell(
      "/usr/bin/python3 -c 'import rdflib,sys; g=rdflib.Graph(); g.parse(sys.argv[1], format=\"json-ld\"); "
      "t=rdflib.URIRef(\"https://ontology.caseontology.org/case/investigation/Investigation\"); "
      "print(len(g), len(list(g.subjects(rdflib.RDF.type, t))))' " +
      ShellQuote(out_ + "/case-uco.jsonld"));
  ASSERT_EQ(r.exit_code, 0) << "rdflib could not parse the JSON-LD";
  EXPECT_EQ(r.out.substr(r.out.find(' ') + 1), "1\n");
}

TEST_F(ReportE2e, VicsHoldsTheGradedPictures) {
  const json j = json::parse(File("vics.json"));
  EXPECT_EQ(j["@odata.context"],
            "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media");
  ASSERT_EQ(j["value"].size(), 2u);
  std::string upper = photo_md5_;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  bool photo = false, gone = false;
  for (const auto& m : j["value"]) {
    const std::string path = m["MediaFiles"][0]["FilePath"];
    if (path == "JD/1:/Users/kim/Pictures/photo.jpg") {
      photo = true;
      EXPECT_EQ(m["Category"], 1);
      EXPECT_EQ(m["MD5"], upper) << "md5sum of the picture that went in";
      EXPECT_EQ(m["MediaFiles"][0]["Unallocated"], false);
    }
    if (path == "JD/1:/Users/kim/Pictures/gone.jpg") {
      gone = true;
      EXPECT_EQ(m["Category"], 2);
      EXPECT_EQ(m["MediaFiles"][0]["Unallocated"], true);
    }
  }
  EXPECT_TRUE(photo);
  EXPECT_TRUE(gone);
}

TEST_F(ReportE2e, BodyfileTimesMatchTheSleuthKitsOwn) {
  // fls -m writes TSK's own bodyfile of the same image: the times of every allocated file must agree.
  std::map<std::string, std::string> tsk;
  for (const std::string& line : SplitLines(Shell("fls -r -m / " + ShellQuote(image_)).out)) {
    std::vector<std::string> f;
    size_t start = 0, bar;
    while ((bar = line.find('|', start)) != std::string::npos)
      f.push_back(line.substr(start, bar - start)), start = bar + 1;
    f.push_back(line.substr(start));
    // TSK does not escape a '|' in a name: read the nine fixed fields from the right.
    if (f.size() < 11 || line.find("(deleted)") != std::string::npos) continue;
    const size_t n = f.size();
    tsk[f[n - 9]] = f[n - 4] + "|" + f[n - 3] + "|" + f[n - 2];
  }
  int compared = 0;
  for (const std::string& line : SplitLines(File("bodyfile.txt"))) {
    std::vector<std::string> f;
    size_t start = 0, bar;
    while ((bar = line.find('|', start)) != std::string::npos)
      f.push_back(line.substr(start, bar - start)), start = bar + 1;
    f.push_back(line.substr(start));
    ASSERT_EQ(f.size(), 11u) << line;
    if (f[1].find("(deleted)") != std::string::npos || f[1].find("/Users/") == std::string::npos) continue;
    auto it = tsk.find(f[2]);
    ASSERT_NE(it, tsk.end()) << "inode " << f[2];
    EXPECT_EQ(f[7] + "|" + f[8] + "|" + f[9], it->second) << line;
    ++compared;
  }
  EXPECT_GE(compared, 8);
  // The time set with touch, through mactime.
  CommandResult m = Shell("mactime -b " + ShellQuote(out_ + "/bodyfile.txt") + " -d -z UTC 2021-03-01..2021-03-31");
  EXPECT_NE(m.out.find("<script>alert(1).txt"), std::string::npos) << m.out;
}

TEST_F(ReportE2e, ExportIsAuditedWithTheManifestHash) {
  const std::string manifest_sha = FirstWord(Shell("sha256sum " + ShellQuote(out_ + "/manifest.json")).out);
  const std::string detail = SqlOne(case_, "SELECT detail FROM audit WHERE action = 'report.export'");
  EXPECT_NE(detail.find(manifest_sha), std::string::npos) << detail;
  EXPECT_EQ(Custos("audit verify " + ShellQuote(case_)).exit_code, 0);
  EXPECT_EQ(Custos("package verify " + ShellQuote(out_)).exit_code, 0);
}

TEST_F(ReportE2e, NoMediaLeavesThumbnailsOut) {
  const std::string out = dir_->File("nomedia");
  CustosRun r = Custos("report " + ShellQuote(case_) + " --no-media --out " + ShellQuote(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = ReadAll(fs::path(out) / "report.html");
  EXPECT_EQ(html.find("data:image"), std::string::npos);
  EXPECT_NE(html.find("--no-media"), std::string::npos);
}

TEST_F(ReportE2e, ExistingOutputIsNeverOverwrittenSilently) {
  CustosRun again = Custos("report " + ShellQuote(case_) + " --out " + ShellQuote(out_));
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  // --force replaces only a previous package, never another folder.
  const fs::path other = dir_->path() / "notes";
  fs::create_directories(other);
  std::ofstream(other / "mine.txt") << "keep me";
  CustosRun forced = Custos("report " + ShellQuote(case_) + " --force --out " + ShellQuote(other.string()));
  EXPECT_EQ(forced.exit_code, 2);
  EXPECT_EQ(ReadAll(other / "mine.txt"), "keep me");
  EXPECT_EQ(Custos("report " + ShellQuote(case_) + " --force --out " + ShellQuote(out_)).exit_code, 0);
}

TEST_F(ReportE2e, PackageSplitUnderTheLimitVerifiesThenCatchesOneChangedByte) {
  const std::string out = dir_->File("parts");
  CustosRun r = Custos("report " + ShellQuote(case_) + " --max-part-size 8KiB --out " + ShellQuote(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int parts = 0;
  std::string a_part;
  for (const auto& e : fs::directory_iterator(out)) {
    EXPECT_LE(fs::file_size(e.path()), 8192u) << e.path();
    if (e.path().filename().string().find(".part") != std::string::npos) {
      ++parts;
      if (a_part.empty() || e.path().filename().string() < a_part) a_part = e.path().filename().string();
    }
  }
  ASSERT_GE(parts, 2) << "report.pdf alone is larger than 8 KiB";
  // Joined with cat, each split file has the SHA-256 the manifest gives (sha256sum, not Custos).
  const json manifest = json::parse(ReadAll(fs::path(out) / "manifest.json"));
  for (const auto& f : manifest["files"]) {
    if (f["parts"].empty()) continue;
    std::string cat = "cat";
    for (const auto& p : f["parts"]) cat += " " + ShellQuote(out + "/" + p["name"].get<std::string>());
    EXPECT_EQ(FirstWord(Shell(cat + " | sha256sum").out), f["sha256"]) << f["name"];
  }
  CustosRun ok = Custos("package verify " + ShellQuote(out));
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  // One byte of one part changed.
  const std::string part = out + "/" + a_part;
  std::fstream io(part, std::ios::in | std::ios::out | std::ios::binary);
  io.seekg(100);
  char c = 0;
  io.read(&c, 1);
  io.seekp(100);
  c = static_cast<char>(c ^ 0x01);
  io.write(&c, 1);
  io.close();
  CustosRun bad = Custos("package verify " + ShellQuote(out));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find(a_part), std::string::npos) << bad.out;
}

TEST_F(ReportE2e, AuditVerifyCatchesAnEditedRow) {
  const std::string copy = dir_->File("copy.custos");
  fs::copy_file(case_, copy, fs::copy_options::overwrite_existing);
  EXPECT_EQ(Custos("audit verify " + ShellQuote(copy)).exit_code, 0);
  ASSERT_EQ(
      Shell("sqlite3 " + ShellQuote(copy) + " \"UPDATE audit SET detail = detail || ' ' WHERE id = 1\"").exit_code, 0);
  CustosRun r = Custos("audit verify " + ShellQuote(copy));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("BROKEN"), std::string::npos);
}

// A corpus E01 (plaso's image.E01): its stored hash verified, and the report says so with the MD5 that
// ewfinfo reads from the image.
TEST(ReportCorpus, E01ReportSaysTheImageVerifiedWithItsStoredHash) {
  CUSTOS_REQUIRE_CORPUS(image, "images/plaso/image.E01");
  TempDir dir;
  const std::string case_path = dir.File("c.custos");
  CustosRun t = Custos("triage --quiet --case " + ShellQuote(case_path) + " --exhibit AB/2 --case-ref URN-42 " +
                       ShellQuote(image));
  ASSERT_EQ(t.exit_code, 0) << t.err;
  CustosRun tag = Custos("tag " + ShellQuote(case_path) + " --file " +
                         SqlOne(case_path, "SELECT id FROM file WHERE path = '/passwords.txt'") +
                         " --label evidential --note 'list of passwords' --by 'DC Smith'");
  ASSERT_EQ(tag.exit_code, 0) << tag.err;
  const std::string out = dir.File("r");
  CustosRun r = Custos("report " + ShellQuote(case_path) + " --out " + ShellQuote(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string md5 = EwfinfoValue(image, "MD5");
  ASSERT_FALSE(md5.empty());
  const std::string html = ReadAll(fs::path(out) / "report.html");
  EXPECT_NE(html.find("Exhibit AB/2: Verified"), std::string::npos);
  EXPECT_NE(html.find(md5), std::string::npos);
  EXPECT_NE(html.find("passwords.txt"), std::string::npos);
  EXPECT_NE(html.find("list of passwords"), std::string::npos);
  ASSERT_EQ(Shell("pdftotext " + ShellQuote(out + "/report.pdf") + " " + ShellQuote(dir.File("r.txt"))).exit_code, 0);
  const std::string text = ReadAll(dir.File("r.txt"));
  EXPECT_NE(text.substr(0, text.find('\f')).find("Verified"), std::string::npos) << "on the first page";
  EXPECT_NE(text.find(md5), std::string::npos);
}

}  // namespace
}  // namespace custos::testing
