// windows.registry.ntuser on the corpus NTUSER.DAT hives (XP, two Windows 7, one Windows 10). Expected values
// were decoded by hand from `regfexport` hex dumps (python3: codecs.decode(name, 'rot13'), struct.unpack on
// the data) and compared with RegRipper 3.0 (`regripper -r HIVE -p PLUGIN`, Debian package "regripper"),
// which the tests also run, so every row is checked against an independent decoder, not only the samples.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

const char* kParser = "windows.registry.ntuser";

std::string RegRipper(const std::string& hive, const std::string& plugin) {
  const auto r = Shell("regripper -r " + ShellQuote(hive) + " -p " + plugin + " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << "regripper failed on " << hive;
  return r.out;
}

// RegRipper's userassist plugin: "YYYY-MM-DD HH:MM:SSZ" lines, then "  name (count)" lines run at that time.
std::map<std::string, std::pair<std::string, std::string>> RegRipperUserAssist(const std::string& hive) {
  std::map<std::string, std::pair<std::string, std::string>> out;  // name -> (time to the second, count)
  const std::regex time_line(R"(^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)Z$)"), entry(R"(^  (.*) \((\d+)\)$)");
  std::string when;
  for (const auto& line : SplitLines(RegRipper(hive, "userassist"))) {
    std::smatch m;
    if (std::regex_match(line, m, time_line)) {
      when = m[1];
    } else if (std::regex_match(line, m, entry) && !when.empty()) {
      out[m[1]] = {when, m[2]};
    }
  }
  return out;
}

// Every UserAssist row with a time must be in RegRipper's list with the same time (to the second) and count.
// XP counts start at 5; RegRipper leaves a stored 5 as 5, so rows that ran 0 times are not compared.
void ExpectUserAssistMatchesRegRipper(const std::string& hive) {
  const Parsed p = ParseFile(kParser, hive, "/NTUSER.DAT");
  const auto rr = RegRipperUserAssist(hive);
  ASSERT_FALSE(rr.empty());
  int compared = 0;
  for (const ArtefactRow* r : p.Rows("windows.userassist")) {
    if (p.IsNull(*r, "last_run") || p.Int(*r, "run_count") == 0) continue;
    const auto it = rr.find(p.Text(*r, "value_name"));
    ASSERT_NE(it, rr.end()) << p.Text(*r, "value_name") << " is not in RegRipper's list";
    EXPECT_EQ(UtcText(p.Int(*r, "last_run")).substr(0, 19), it->second.first) << it->first;
    EXPECT_EQ(p.Text(*r, "run_count"), it->second.second) << it->first;
    ++compared;
  }
  EXPECT_GT(compared, 0);
}

// The names RegRipper lists under one key, in its order ("  17 = The SHIELD" / "url1 -> http://..." / "1    rar.exe").
std::vector<std::string> RegRipperList(const std::string& text, const std::string& key_line, const std::regex& item) {
  std::vector<std::string> names;
  bool in = false;
  for (const auto& line : SplitLines(text)) {
    if (line == key_line) {
      in = true;
      continue;
    }
    if (!in) continue;
    std::smatch m;
    if (std::regex_match(line, m, item)) {
      names.push_back(m[1]);
    } else if (!names.empty() && line.empty()) {
      break;
    }
  }
  return names;
}

std::vector<std::string> Column(const Parsed& p, const std::string& kind, const std::string& field,
                                const std::string& location) {
  std::vector<std::string> out;
  for (const ArtefactRow* r : p.Rows(kind)) {
    if (r->location == location) out.push_back(p.Text(*r, field));
  }
  return out;
}

const std::string kExplorer = "Software\\Microsoft\\Windows\\CurrentVersion\\Explorer";

TEST(UserAssist, XpRecordsGiveTheProgramRunCountAndLastRun) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/NTUSER.DAT");
  const Parsed p = ParseFile(kParser, path, "/Documents and Settings/joe/NTUSER.DAT");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  // regfexport: value "HRZR_EHACNGU:P:\JVAQBJF\flfgrz32\ABGRCNQ.RKR" (ROT13), 16 bytes: session 1, count 7
  // (XP starts at 5: run twice), FILETIME 128938727635910000 = 2009-08-04 15:19:23.591 UTC.
  const ArtefactRow* r = p.Find("windows.userassist", "value_name", "UEME_RUNPATH:C:\\WINDOWS\\system32\\NOTEPAD.EXE");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Text(*r, "program"), "C:\\WINDOWS\\system32\\NOTEPAD.EXE");
  EXPECT_EQ(p.Int(*r, "run_count"), 2);
  EXPECT_EQ(UtcText(p.Int(*r, "last_run")), "2009-08-04 15:19:23.591000");
  EXPECT_EQ(UtcText(r->time), "2009-08-04 15:19:23.591000");
  EXPECT_EQ(p.Text(*r, "format"), "xp");
  EXPECT_EQ(p.Text(*r, "userassist_guid"), "{75048700-EF1F-11D0-9888-006097DEACF9}");
  EXPECT_TRUE(p.IsNull(*r, "focus_count"));
  EXPECT_EQ(r->location, kExplorer + "\\UserAssist\\{75048700-EF1F-11D0-9888-006097DEACF9}\\Count");
  // Same way: BCWipeTM.exe, count 6 -> once, FILETIME 128938729130130000 = 15:21:53.013.
  r = p.Find("windows.userassist", "program", "C:\\Program Files\\Jetico\\BCWipe\\BCWipeTM.exe");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Int(*r, "run_count"), 1);
  EXPECT_EQ(UtcText(p.Int(*r, "last_run")), "2009-08-04 15:21:53.013000");
  // Explorer's own counters (UEME_CTLSESSION, UEME_CTLCUACount:ctor) are not programs.
  for (const ArtefactRow* row : p.Rows("windows.userassist")) {
    EXPECT_NE(p.Text(*row, "value_name").rfind("UEME_CTL", 0), 0u) << p.Text(*row, "value_name");
  }
  ExpectUserAssistMatchesRegRipper(path);
}

TEST(UserAssist, Win7RecordsGiveFocusAndResolveKnownFolders) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/NTUSER-WIN7.DAT");
  const Parsed p = ParseFile(kParser, path, "/Users/nfury/NTUSER.DAT");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  // regfexport: 72-byte record; offsets 4/8/12 = 13 runs, 74 focus, 4331114 ms; FILETIME at 60 =
  // 2012-04-06 13:18:00.338 UTC. {6D809377-...} is FOLDERID_ProgramFilesX64.
  const ArtefactRow* r = p.Find("windows.userassist", "value_name",
                                "{6D809377-6AF0-444B-8957-A3773F02200E}\\Microsoft Office\\Office14\\OUTLOOK.EXE");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Text(*r, "program"), "Program Files (64-bit)\\Microsoft Office\\Office14\\OUTLOOK.EXE");
  EXPECT_EQ(p.Int(*r, "run_count"), 13);
  EXPECT_EQ(p.Int(*r, "focus_count"), 74);
  EXPECT_EQ(p.Int(*r, "focus_time_ms"), 4331114);
  EXPECT_EQ(UtcText(p.Int(*r, "last_run")), "2012-04-06 13:18:00.338000");
  EXPECT_EQ(p.Text(*r, "format"), "win7");
  EXPECT_EQ(p.Text(*r, "userassist_guid"), "{CEBFF5CD-ACE2-4F4F-9178-9926F41749EA}");
  // {1AC14E77-...}\cmd.exe: 6 runs, 12 focus, 639515 ms, 2012-04-06 18:54:34.093.
  r = p.Find("windows.userassist", "program", "System32\\cmd.exe");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Int(*r, "run_count"), 6);
  EXPECT_EQ(UtcText(p.Int(*r, "last_run")), "2012-04-06 18:54:34.093000");
  ExpectUserAssistMatchesRegRipper(path);
}

TEST(UserAssist, OtherSamplesMatchRegRipper) {
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/NTUSER.DAT.xz");
  CUSTOS_REQUIRE_CORPUS(win10, "artefacts/windows/regf/NTUSER.DAT");
  TempDir dir;
  ExpectUserAssistMatchesRegRipper(Unxz(xz, dir.path().string()));
  ExpectUserAssistMatchesRegRipper(win10);
}

TEST(NtuserParser, RecentDocsInMruOrderWithTheKeyTimeOnTheMostRecentOnly) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/NTUSER.DAT");
  const Parsed p = ParseFile(kParser, path, "/NTUSER.DAT");
  // regfexport: RecentDocs values 0 "Very secret document.txt", 1 "Administrator's Documents", 2 "Not to be
  // seen document.txt" (UTF-16 before the NUL), MRUListEx 1,2,0; RegRipper lists the same order.
  const std::string key = kExplorer + "\\RecentDocs";
  EXPECT_EQ(Column(p, "windows.recent_doc", "name", key),
            (std::vector<std::string>{"Administrator's Documents", "Not to be seen document.txt",
                                      "Very secret document.txt"}));
  const ArtefactRow* first = p.Find("windows.recent_doc", "name", "Administrator's Documents");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(p.Int(*first, "mru_position"), 0);
  // RegRipper: "LastWrite Time: 2009-08-04 15:19:23Z".
  EXPECT_EQ(UtcText(first->time).substr(0, 19), "2009-08-04 15:19:23");
  for (const ArtefactRow* r : p.Rows("windows.recent_doc")) {
    if (p.Int(*r, "mru_position") != 0) {
      EXPECT_FALSE(r->time.has_value()) << p.Text(*r, "name");
    }
  }
  // The .txt subkey: MRUListEx 1,0 -> "Not to be seen document.txt" first.
  EXPECT_EQ(Column(p, "windows.recent_doc", "name", key + "\\.txt"),
            (std::vector<std::string>{"Not to be seen document.txt", "Very secret document.txt"}));

  CUSTOS_REQUIRE_CORPUS(win7, "artefacts/windows/NTUSER-WIN7.DAT");
  const Parsed p7 = ParseFile(kParser, win7, "/NTUSER.DAT");
  const auto rr = RegRipperList(RegRipper(win7, "recentdocs"), "LastWrite Time: 2012-04-01 13:52:39Z",
                                std::regex(R"(^  \d+ = (.*)$)"));
  ASSERT_EQ(rr.size(), 19u);
  EXPECT_EQ(Column(p7, "windows.recent_doc", "name", key), rr);
}

TEST(NtuserParser, TypedUrlsAndTheirTimes) {
  CUSTOS_REQUIRE_CORPUS(win7, "artefacts/windows/NTUSER-WIN7.DAT");
  const Parsed p = ParseFile(kParser, win7, "/NTUSER.DAT");
  const std::string key = "Software\\Microsoft\\Internet Explorer\\TypedURLs";
  // RegRipper typedurls: url1 -> http://cnn.com/ ... url13 -> http://go.microsoft.com/fwlink/?LinkId=69157.
  const auto rr = RegRipperList(RegRipper(win7, "typedurls"), "LastWrite Time 2012-03-12 21:23:53Z",
                                std::regex(R"(^  url\d+ -> (.*)$)"));
  ASSERT_EQ(rr.size(), 13u);
  EXPECT_EQ(Column(p, "windows.typed_url", "url", key), rr);
  const ArtefactRow* r = p.Find("windows.typed_url", "value_name", "url1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Text(*r, "url"), "http://cnn.com/");
  EXPECT_EQ(UtcText(r->time).substr(0, 19), "2012-03-12 21:23:53");  // no TypedURLsTime: the key's time
  EXPECT_TRUE(p.IsNull(*r, "typed_time"));

  // Windows 10: TypedURLsTime; RegRipper typedurlstime: url1 2016-10-05 09:47:50Z, url4 09:35:04Z, url5 0.
  CUSTOS_REQUIRE_CORPUS(win10, "artefacts/windows/regf/NTUSER.DAT");
  const Parsed p10 = ParseFile(kParser, win10, "/NTUSER.DAT");
  const std::string tool = RegRipper(win10, "typedurlstime");
  EXPECT_NE(tool.find("url4 -> 2016-10-05 09:35:04Z (http://webmail.student.greendale.xyz/)"), std::string::npos);
  r = p10.Find("windows.typed_url", "url", "http://webmail.student.greendale.xyz/");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(UtcText(p10.Int(*r, "typed_time")).substr(0, 19), "2016-10-05 09:35:04");
  EXPECT_EQ(UtcText(r->time).substr(0, 19), "2016-10-05 09:35:04");
  r = p10.Find("windows.typed_url", "value_name", "url5");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(p10.IsNull(*r, "typed_time"));
}

TEST(NtuserParser, TypedPathsWordWheelQueryAndRunMru) {
  CUSTOS_REQUIRE_CORPUS(win7, "artefacts/windows/NTUSER-WIN7.DAT");
  const Parsed p = ParseFile(kParser, win7, "/NTUSER.DAT");
  // RegRipper typedpaths: "url1     \\controller"; key LastWrite 2010-11-10 07:58:15Z.
  const ArtefactRow* r = p.Find("windows.typed_path", "value_name", "url1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Text(*r, "path"), "\\\\controller");
  EXPECT_EQ(UtcText(r->time).substr(0, 19), "2010-11-10 07:58:15");
  // WordWheelQuery: regfexport values 0 = UTF-16 "hyth", 1 = "rar.exe", MRUListEx 1,0; RegRipper lists
  // "1 rar.exe" then "0 hyth", key LastWrite 2012-04-06 18:44:16Z.
  EXPECT_EQ(Column(p, "windows.explorer_search", "term", kExplorer + "\\WordWheelQuery"),
            (std::vector<std::string>{"rar.exe", "hyth"}));
  r = p.Find("windows.explorer_search", "term", "rar.exe");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Int(*r, "mru_position"), 0);
  EXPECT_EQ(UtcText(r->time).substr(0, 19), "2012-04-06 18:44:16");
  // RunMRU: MRUList "a", a = "\\controller\WebDavShare\1" (RegRipper runmru); the "\1" is Windows' suffix.
  r = p.Find("windows.run_mru", "value_name", "a");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Text(*r, "command"), "\\\\controller\\WebDavShare");
  EXPECT_EQ(p.Int(*r, "mru_position"), 0);
  EXPECT_EQ(UtcText(r->time).substr(0, 19), "2010-11-10 07:59:46");
  EXPECT_NE(RegRipper(win7, "runmru").find("a   \\\\controller\\WebDavShare\\1"), std::string::npos);

  // The other Windows 7 sample searched six times; RegRipper wordwheelquery gives the MRU order.
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/NTUSER.DAT.xz");
  TempDir dir;
  const std::string hive = Unxz(xz, dir.path().string());
  const Parsed q = ParseFile(kParser, hive, "/NTUSER.DAT");
  const auto rr = RegRipperList(RegRipper(hive, "wordwheelquery"), "Searches listed in MRUListEx order",
                                std::regex(R"(^\d+\s+(.*?)\s*$)"));
  ASSERT_EQ(rr.size(), 6u);
  EXPECT_EQ(rr[0], "alloy");
  EXPECT_EQ(Column(q, "windows.explorer_search", "term", kExplorer + "\\WordWheelQuery"), rr);
}

TEST(NtuserParser, OpenSaveAndLastVisitedThroughShellItems) {
  CUSTOS_REQUIRE_CORPUS(win7, "artefacts/windows/NTUSER-WIN7.DAT");
  const Parsed p = ParseFile(kParser, win7, "/NTUSER.DAT");
  // RegRipper comdlg32 lists both under OpenSavePidlMRU\*, and "iexplore.exe - My Computer\P:\Application
  // Tools\Firefox 6.0" under LastVisitedPidlMRU.
  const std::string tool = RegRipper(win7, "comdlg32");
  EXPECT_NE(tool.find("  My Computer\\C:\\Users\\nfury\\Documents\\Alloy Research\\StarFury.zip"), std::string::npos);
  const ArtefactRow* r =
      p.Find("windows.opensave_mru", "path", "My Computer\\C:\\Users\\nfury\\Documents\\Alloy Research\\StarFury.zip");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Text(*r, "list"), "OpenSavePidlMRU");
  EXPECT_EQ(p.Text(*r, "extension"), "*");
  EXPECT_EQ(r->location, kExplorer + "\\ComDlg32\\OpenSavePidlMRU\\*");
  EXPECT_NE(tool.find("iexplore.exe - My Computer\\P:\\Application Tools\\Firefox 6.0"), std::string::npos);
  r = p.Find("windows.opensave_mru", "program", "iexplore.exe");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Text(*r, "list"), "LastVisitedPidlMRU");
  EXPECT_EQ(p.Text(*r, "path"), "My Computer\\P:\\Application Tools\\Firefox 6.0");
}

TEST(NtuserParser, RunKeysAreAutoruns) {
  CUSTOS_REQUIRE_CORPUS(win7, "artefacts/windows/NTUSER-WIN7.DAT");
  const Parsed p = ParseFile(kParser, win7, "/NTUSER.DAT");
  // RegRipper run: Skype - "C:\Program Files (x86)\Skype\Phone\Skype.exe" /nosplash /minimized; RunOnce empty.
  const ArtefactRow* r = p.Find("windows.autorun", "name", "Skype");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.Text(*r, "command"), "\"C:\\Program Files (x86)\\Skype\\Phone\\Skype.exe\" /nosplash /minimized");
  EXPECT_EQ(p.Text(*r, "run_key"), "Run");
  EXPECT_EQ(UtcText(p.Int(*r, "key_written")).substr(0, 19), "2011-08-25 21:51:37");
  EXPECT_EQ(p.Rows("windows.autorun").size(), 2u);
}

TEST(NtuserParser, WantsUserHivesOnly) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/NTUSER.DAT");
  CUSTOS_REQUIRE_CORPUS(sam, "artefacts/windows/regf/SAM");
  EXPECT_TRUE(ParseFile(kParser, path, "/Users/x/renamed.bin").wanted);  // the header says ntuser.dat
  const Parsed s = ParseFile(kParser, sam, "/Windows/System32/config/SAM");
  EXPECT_FALSE(s.wanted);
  EXPECT_TRUE(s.out.rows.empty());  // and if asked anyway, a SAM has no Explorer key
  EXPECT_FALSE(ParseBytes(kParser, "not a hive at all", "/NTUSER.DAT").wanted);
  // A transaction log starts with a copy of the base block whose file type (offset 28) is 1 or 2, not 0.
  std::ifstream in(path, std::ios::binary);
  std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(log[28], '\0');
  log[28] = '\x01';
  EXPECT_FALSE(ParseBytes(kParser, log, "/Users/x/NTUSER.DAT.LOG1").wanted);
}

TEST(NtuserParser, TruncatedAndRandomInputNeitherCrashNorInvent) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/NTUSER-WIN7.DAT");
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t full = ParseBytes(kParser, bytes, "/NTUSER.DAT").out.rows.size();
  ASSERT_GT(full, 100u);
  for (size_t cut : {size_t{100}, size_t{4096}, size_t{5000}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
    const Parsed p = ParseBytes(kParser, bytes.substr(0, cut), "/NTUSER.DAT");
    EXPECT_LE(p.out.rows.size(), full) << "cut at " << cut;
    if (cut <= 4096) {
      EXPECT_FALSE(p.status.ok()) << "cut at " << cut;  // a header alone has no root key
    } else if (p.status.ok() && cut <= bytes.size() / 2) {
      // What could be read is kept, and the loss is said (the last cut only drops slack past the hive bins).
      bool said = false;
      for (const auto& problem : p.out.problems) said = said || problem.find("truncated") != std::string::npos;
      EXPECT_TRUE(said) << "cut at " << cut;
    }
  }
  std::mt19937 rng(7);
  std::string noise(1 << 20, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  EXPECT_FALSE(ParseBytes(kParser, noise, "/NTUSER.DAT").status.ok());
  // A valid header over random bins: libregf must refuse or find nothing, never loop.
  std::string forged = bytes.substr(0, 4096) + noise;
  const Parsed f = ParseBytes(kParser, forged, "/NTUSER.DAT");
  EXPECT_TRUE(f.out.rows.empty());
  // Flipped bytes inside the hive: whatever is read, nothing crashes.
  std::string damaged = bytes;
  for (size_t i = 4096; i < damaged.size(); i += 509) damaged[i] = static_cast<char>(rng());
  const Parsed d = ParseBytes(kParser, damaged, "/NTUSER.DAT");
  EXPECT_LE(d.out.rows.size(), full * 2);
}

}  // namespace
}  // namespace custos::testing
