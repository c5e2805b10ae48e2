// What the report says was searched, and the bodyfile's owners and modes, end to end: an ext2 image made
// by mke2fs -d, one file given an owner and mode with debugfs and one deleted; a known-bad hash set that
// matches nothing imported with `custos hashset import`; `custos triage` with a keyword list (one term
// present, one not) and an expression list that matches nothing; then `custos report`. Expected values
// come from sha256sum and wc (the lists), the set as written here, and fls -m / ils -m (The Sleuth Kit's
// own bodyfile) for the modes, UIDs and GIDs. The HTML is read as text, the PDF with pdftotext, the JSON
// with Python's json module.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tests/e2e/e2e_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

namespace fs = std::filesystem;

std::string FirstWord(const std::string& s) { return s.substr(0, s.find_first_of(" \n")); }

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> f;
  size_t start = 0, bar;
  while ((bar = line.find('|', start)) != std::string::npos)
    f.push_back(line.substr(start, bar - start)), start = bar + 1;
  f.push_back(line.substr(start));
  return f;
}

class SearchesReport : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path tree = dir_.path() / "tree";
    fs::create_directories(tree / "home" / "kim");
    std::ofstream(tree / "home" / "kim" / "ledger.txt") << "the ledger of payments\n";
    std::ofstream(tree / "home" / "kim" / "owned.txt") << "a file with its own owner\n";
    std::ofstream(tree / "home" / "kim" / "gone.txt") << "deleted before the seizure\n";
    image_ = dir_.File("disk.raw");
    ASSERT_EQ(
        Shell("mke2fs -q -F -t ext2 -d " + ShellQuote(tree.string()) + " " + ShellQuote(image_) + " 4M >&2").exit_code,
        0);
    // An owner, a group and a mode that mke2fs -d would not give (it copies the test user's).
    ASSERT_EQ(Shell("debugfs -w -R 'sif /home/kim/owned.txt uid 1234' " + ShellQuote(image_) +
                    " >&2 && "
                    "debugfs -w -R 'sif /home/kim/owned.txt gid 567' " +
                    ShellQuote(image_) +
                    " >&2 && "
                    "debugfs -w -R 'sif /home/kim/owned.txt mode 0100640' " +
                    ShellQuote(image_) +
                    " >&2 && "
                    "debugfs -w -R 'rm /home/kim/gone.txt' " +
                    ShellQuote(image_) + " >&2")
                  .exit_code,
              0);
    keywords_ = dir_.File("keywords.txt");
    std::ofstream(keywords_) << "ledger\nsemtex\n";
    regex_ = dir_.File("expressions.txt");
    std::ofstream(regex_) << "acct-[0-9]{8}\n";
    // A known-bad set of one MD5 that no file has (the MD5 of "nothing here\n").
    const std::string set = dir_.File("caid.txt");
    std::ofstream(set) << FirstWord(Shell("printf 'nothing here\\n' | md5sum").out) << "\n";
    library_ = dir_.File("library");
    CustosRun imp = Custos("hashset import " + ShellQuote(set) + " --name CAID-none --known-bad --format md5 " +
                           "--category 'Category A' --quiet --library " + ShellQuote(library_));
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    case_ = dir_.File("case.custos");
    CustosRun t = Custos("triage --quiet --case " + ShellQuote(case_) + " --exhibit KM/1 --officer 'DC 9 Search' " +
                         "--keywords " + ShellQuote(keywords_) + " --regex " + ShellQuote(regex_) +
                         " --no-entities --library " + ShellQuote(library_) + " " + ShellQuote(image_));
    ASSERT_EQ(t.exit_code, 0) << t.err;
    out_ = dir_.File("report");
    CustosRun r = Custos("report " + ShellQuote(case_) + " --out " + ShellQuote(out_));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  TempDir dir_;
  std::string image_, keywords_, regex_, library_, case_, out_;
};

TEST_F(SearchesReport, WhatWasSearchedIsReportedAlsoWhenNothingMatched) {
  const std::string kw_sha = FirstWord(Shell("sha256sum " + ShellQuote(keywords_)).out);
  const std::string re_sha = FirstWord(Shell("sha256sum " + ShellQuote(regex_)).out);
  ASSERT_EQ(kw_sha.size(), 64u);
  // The set as imported above: one MD5, nothing matched; the lists with their term counts (wc -l: 2 and 1).
  const std::string set_line = "CAID-none (known-bad, 1 MD5 / 0 SHA-1 / 0 SHA-256): no file matched";
  const std::string kw_line = "Keywords " + keywords_ + " (2 terms, SHA-256 " + kw_sha + ")";
  const std::string re_line = "Expressions " + regex_ + " (1 terms, SHA-256 " + re_sha + ")";

  CommandResult py = Shell(
      "python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))[\"searches\"][0]; "
      "print(\"\\n\".join(s[\"hash_sets\"] + s[\"term_lists\"] + [s[\"terms\"]] + "
      "[str(s[k]) for k in (\"entities\", \"unallocated\", \"carving\")]))' " +
      ShellQuote(out_ + "/findings.json"));
  ASSERT_EQ(py.exit_code, 0) << py.out;
  // "ledger" is in ledger.txt; "semtex" and the expression are nowhere: 3 searched, 1 found. Its hits are
  // counted from the case's keyword_hit table (sqlite3 shell).
  const std::string hits = SqlOne(case_, "SELECT count(*) FROM keyword_hit WHERE term = 'ledger'");
  EXPECT_NE(hits, "0");
  EXPECT_EQ(SqlOne(case_, "SELECT count(*) FROM keyword_hit WHERE term <> 'ledger'"), "0");
  EXPECT_EQ(py.out, set_line + "\n" + kw_line + "\n" + re_line + "\n3 terms and entities searched, 1 found (" + hits +
                        " hits in the case)\nFalse\nTrue\nFalse\n");

  // The same in the HTML and the PDF, and what was not done among the limits.
  const std::string html = ReadAll(out_ + "/report.html");
  // pdftotext, with every run of white space made one space (a table cell wraps its text over lines).
  std::string pdf;
  for (char c : Shell("pdftotext " + ShellQuote(out_ + "/report.pdf") + " -").out) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f';
    if (!space) {
      pdf.push_back(c);
    } else if (!pdf.empty() && pdf.back() != ' ') {
      pdf.push_back(' ');
    }
  }
  EXPECT_NE(html.find(set_line), std::string::npos);
  EXPECT_NE(html.find(kw_line), std::string::npos);
  // pdftotext reads the table's columns interleaved line by line: check pieces short enough for one line.
  for (const std::string& text : {std::string("What was searched"), std::string("CAID-none"), std::string("no file"),
                                  kw_sha.substr(0, 16), std::string("(2 terms,"), std::string("(1 terms,")}) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
    EXPECT_NE(pdf.find(text), std::string::npos) << text;
  }
  EXPECT_NE(html.find("No carving"), std::string::npos);
  EXPECT_EQ(html.find("No keyword search"), std::string::npos);
  EXPECT_EQ(html.find("No hash set matched"), std::string::npos);
  EXPECT_EQ(html.find("Unallocated space not searched"), std::string::npos);
}

TEST_F(SearchesReport, BodyfileModesOwnersAndGroupsAreTheSleuthKitsOwn) {
  // fls -r -m: TSK's bodyfile of every name, deleted ones included; keyed by the name.
  std::map<std::string, std::string> tsk;
  for (const std::string& line : SplitLines(Shell("fls -r -m / " + ShellQuote(image_)).out)) {
    const auto f = Fields(line);
    if (f.size() == 11) tsk[f[1]] = f[3] + "|" + f[4] + "|" + f[5];
  }
  ASSERT_EQ(tsk["/home/kim/owned.txt"], "r/rrw-r-----|1234|567");  // as set with debugfs above
  int compared = 0;
  for (const std::string& line : SplitLines(ReadAll(out_ + "/bodyfile.txt"))) {
    const auto f = Fields(line);
    ASSERT_EQ(f.size(), 11u) << line;
    ASSERT_EQ(f[1].rfind("KM/1:", 0), 0u) << line;
    auto it = tsk.find(f[1].substr(5));
    if (it == tsk.end()) continue;  // TSK's virtual entries ($OrphanFiles) are named differently
    EXPECT_EQ(f[3] + "|" + f[4] + "|" + f[5], it->second) << line;
    ++compared;
  }
  EXPECT_GE(compared, 5);  // /home, /home/kim, its three files (gone.txt deleted), lost+found
  EXPECT_NE(tsk.find("/home/kim/gone.txt (deleted)"), tsk.end());
  // ils -e -m lists every inode with its owner: owned.txt's inode has the same UID and GID there.
  const std::string inode = SqlOne(case_, "SELECT meta_addr FROM file WHERE name = 'owned.txt'");
  bool seen = false;
  for (const std::string& line : SplitLines(Shell("ils -e -m " + ShellQuote(image_)).out)) {
    const auto f = Fields(line);
    if (f.size() == 11 && f[2] == inode) {
      EXPECT_EQ(f[4] + "|" + f[5], "1234|567") << line;
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace custos::testing
