// windows.evtx on the corpus event logs. Expected values come from evtxinfo and evtxexport 20181227
// (libevtx-utils), which the tests also run: every event's number, time, provider, computer and ID is
// compared with evtxexport's text output, and the single events checked by value were read in its
// XML output (evtxexport -f xml).
#include "parsers/windows/evtx.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <random>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The value after "label" and its tab/colon padding in evtxinfo/evtxexport text output.
std::string ToolValue(const std::string& line, const std::string& label) {
  if (line.rfind(label, 0) != 0) return "";
  const size_t colon = line.find(": ", label.size());
  return colon == std::string::npos ? "" : line.substr(colon + 2);
}

// "Nov 21, 2010 03:55:59.626427100 UTC" (evtxexport) as UTC microseconds, the fraction truncated as a
// FILETIME's 100 ns ticks are.
std::optional<int64_t> ToolTime(const std::string& text) {
  struct tm tm {};
  const char* rest = strptime(text.c_str(), "%b %d, %Y %H:%M:%S", &tm);
  if (rest == nullptr || *rest != '.') return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) * 1000000 + std::stoll(std::string(rest + 1, 6));
}

struct ToolEvent {
  std::optional<int64_t> written;
  std::string provider, computer, sid;
  int64_t event_id = -1;
};

// evtxexport's text output, by event number.
std::map<int64_t, ToolEvent> EvtxexportEvents(const std::string& path) {
  const auto tool = Shell("evtxexport " + ShellQuote(path));
  EXPECT_EQ(tool.exit_code, 0);
  std::map<int64_t, ToolEvent> events;
  ToolEvent* current = nullptr;
  for (const std::string& line : SplitLines(tool.out)) {
    if (auto v = ToolValue(line, "Event number"); !v.empty()) {
      current = &events[std::stoll(v)];
    } else if (current == nullptr) {
      continue;
    } else if (auto w = ToolValue(line, "Written time"); !w.empty()) {
      current->written = ToolTime(w);
    } else if (auto s = ToolValue(line, "Source name"); !s.empty()) {
      current->provider = s;
    } else if (auto c = ToolValue(line, "Computer name"); !c.empty()) {
      current->computer = c;
    } else if (auto u = ToolValue(line, "User security identifier"); !u.empty()) {
      current->sid = u;
    } else if (auto id = ToolValue(line, "Event identifier"); !id.empty()) {
      current->event_id = std::stoll(id.substr(id.find('(') + 1));  // "0x00001b7c (7036)"
    }
  }
  return events;
}

const ArtefactRow* RecordNumbered(const Parsed& p, int64_t number) {
  for (const ArtefactRow* r : p.Rows("windows.event")) {
    if (p.Int(*r, "record_number") == number && p.Int(*r, "recovered") == 0) return r;
  }
  return nullptr;
}

TEST(EvtxParser, SystemLogHasEveryEventEvtxexportLists) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/evtx/System.evtx");
  const Parsed p = ParseFile("windows.evtx", path, "/Windows/System32/winevt/Logs/System.evtx");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty()) << p.out.problems.front();
  // evtxinfo: "Number of records : 5009", "Number of recovered records : 0".
  const auto info = Shell("evtxinfo " + ShellQuote(path));
  ASSERT_EQ(info.exit_code, 0);
  EXPECT_NE(info.out.find("Number of records\t\t: 5009\n"), std::string::npos);
  ASSERT_EQ(p.Rows("windows.event").size(), 5009u);

  const auto tool = EvtxexportEvents(path);
  ASSERT_EQ(tool.size(), 5009u);
  size_t compared = 0;
  for (const ArtefactRow* r : p.Rows("windows.event")) {
    const int64_t number = p.Int(*r, "record_number").value_or(-1);
    auto it = tool.find(number);
    ASSERT_NE(it, tool.end()) << "record " << number << " is not in evtxexport's output";
    const ToolEvent& e = it->second;
    ASSERT_EQ(p.Int(*r, "event_id"), e.event_id) << "record " << number;
    ASSERT_EQ(p.Text(*r, "provider"), e.provider) << "record " << number;
    ASSERT_EQ(p.Text(*r, "computer"), e.computer) << "record " << number;
    ASSERT_EQ(p.Text(*r, "user_sid"), e.sid) << "record " << number;
    ASSERT_TRUE(e.written.has_value()) << "record " << number;
    ASSERT_EQ(r->time, e.written) << "record " << number;
    ASSERT_EQ(p.Int(*r, "written_time"), e.written) << "record " << number;
    ASSERT_EQ(r->location, "record " + std::to_string(number));
    ++compared;
  }
  EXPECT_EQ(compared, 5009u);
}

TEST(EvtxParser, OneEventByValue) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/evtx/System.evtx");
  const Parsed p = ParseFile("windows.evtx", path, "/System.evtx");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  // evtxexport, event number 1: written Nov 21, 2010 03:55:59.626427100 UTC, level Information (4),
  // computer 37L4247F27-26, source Service Control Manager, 0x00001b7c (7036), no user SID. Its XML
  // (evtxexport -f xml): <Channel>System</Channel>, <Data Name="param1">Windows Event Log</Data>,
  // <Data Name="param2">stopped</Data>, <Binary>6500760065006E0074006C006F0067002F0031000000</Binary>.
  const ArtefactRow* r = RecordNumbered(p, 1);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(UtcText(r->time), "2010-11-21 03:55:59.626427");
  EXPECT_EQ(p.Text(*r, "channel"), "System");
  EXPECT_EQ(p.Text(*r, "provider"), "Service Control Manager");
  EXPECT_EQ(p.Int(*r, "event_id"), 7036);
  EXPECT_EQ(p.Int(*r, "event_level"), 4);
  EXPECT_EQ(p.Text(*r, "computer"), "37L4247F27-26");
  EXPECT_TRUE(p.IsNull(*r, "user_sid"));
  EXPECT_EQ(p.Text(*r, "event_data"),
            "param1=Windows Event Log; param2=stopped; Binary=6500760065006E0074006C006F0067002F0031000000");
  EXPECT_EQ(p.Text(*r, "significance"), "");
  EXPECT_EQ(p.Int(*r, "recovered"), 0);
}

TEST(EvtxParser, ServiceInstallIsFlagged) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/evtx/System.evtx");
  const Parsed p = ParseFile("windows.evtx", path, "/System.evtx");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  // evtxexport, event number 174: written Jun 23, 2015 06:01:28.000000000 UTC, SID S-1-5-18, source
  // Service Control Manager, 7045; its XML names the five data items (AccountName is empty: <Data Name=
  // "AccountName"/>).
  const ArtefactRow* r = RecordNumbered(p, 174);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(UtcText(r->time), "2015-06-23 06:01:28.000000");
  EXPECT_EQ(p.Int(*r, "event_id"), 7045);
  EXPECT_EQ(p.Text(*r, "user_sid"), "S-1-5-18");
  EXPECT_EQ(p.Text(*r, "event_data"),
            "ServiceName=Intel(R) PRO/1000 NDIS 6 Adapter Driver; ImagePath=system32\\DRIVERS\\E1G6032E.sys; "
            "ServiceType=kernel mode driver; StartType=demand start; AccountName=");
  EXPECT_EQ(p.Text(*r, "significance"), "service installed");
  EXPECT_NE(r->summary.find("Intel(R) PRO/1000 NDIS 6 Adapter Driver"), std::string::npos) << r->summary;

  // Counted in evtxexport's text output: 25 events from Service Control Manager with ID 7045, 8 from
  // EventLog with 6005 and 6 with 6006 (grep/awk on the Source name and Event identifier lines).
  std::map<std::string, int> flagged;
  for (const ArtefactRow* row : p.Rows("windows.event")) ++flagged[p.Text(*row, "significance")];
  EXPECT_EQ(flagged["service installed"], 25);
  EXPECT_EQ(flagged["event log service started (system start)"], 8);
  EXPECT_EQ(flagged["event log service stopped (clean shutdown)"], 6);
  const auto count = Shell("evtxexport " + ShellQuote(path) +
                           " | awk -F': ' '/^Source name/{s=$2} /^Event identifier/{ if (s==\"Service Control "
                           "Manager\" && $0 ~ /\\(7045\\)/) n++ } END{print n}'");
  EXPECT_EQ(count.out, "25\n");
}

TEST(EvtxParser, DirtyLogIsReadAndFlagged) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/evtx/System2.evtx");
  const Parsed p = ParseFile("windows.evtx", path, "/System2.evtx");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  // evtxinfo: "Number of records : 194", "Number of recovered records : 0", "Is corrupted".
  const auto info = Shell("evtxinfo " + ShellQuote(path));
  EXPECT_NE(info.out.find("Number of records\t\t: 194\n"), std::string::npos);
  EXPECT_NE(info.out.find("Is corrupted"), std::string::npos);
  ASSERT_EQ(p.Rows("windows.event").size(), 194u);
  // The file is 200000 bytes (stat): the 4 KiB header, two whole 64 KiB chunks and 64832 bytes of a third.
  ASSERT_EQ(p.out.problems.size(), 2u);
  EXPECT_EQ(p.out.problems[0],
            "the log ends 64832 bytes into a 64 KiB chunk (cut short): the events in that chunk are lost");
  EXPECT_NE(p.out.problems[1].find("damaged"), std::string::npos);
  // Every one of them agrees with evtxexport.
  const auto tool = EvtxexportEvents(path);
  ASSERT_EQ(tool.size(), 194u);
  for (const ArtefactRow* r : p.Rows("windows.event")) {
    auto it = tool.find(p.Int(*r, "record_number").value_or(-1));
    ASSERT_NE(it, tool.end());
    EXPECT_EQ(p.Int(*r, "event_id"), it->second.event_id);
    EXPECT_EQ(r->time, it->second.written);
  }
}

// The corpus has no Security, RDP, USB or PowerShell log, so the rules for those events are checked
// here against Microsoft's documentation of the events (logon type 10 is RemoteInteractive, 3 Network).
TEST(EvtxParser, SignificanceOfSecurityAndOtherEvents) {
  const std::string security = "Microsoft-Windows-Security-Auditing";
  EXPECT_EQ(EventSignificance(security, 4624, {{"TargetUserName", "jdoe"}, {"LogonType", "10"}}),
            "logon (type 10, remote interactive)");
  EXPECT_EQ(EventSignificance(security, 4625, {{"LogonType", "3"}}), "failed logon (type 3, network)");
  EXPECT_EQ(EventSignificance(security, 4634, {{"LogonType", "2"}}), "logoff (type 2, interactive)");
  EXPECT_EQ(EventSignificance(security, 4624, {{"LogonType", "99"}}), "logon (type 99)");
  EXPECT_EQ(EventSignificance(security, 4624, {}), "logon");
  EXPECT_EQ(EventSignificance(security, 4720, {}), "user account created");
  EXPECT_EQ(EventSignificance(security, 4732, {}), "member added to a security-enabled local group");
  EXPECT_EQ(EventSignificance("Microsoft-Windows-Eventlog", 1102, {}), "security log cleared");
  EXPECT_EQ(EventSignificance("Microsoft-Windows-Eventlog", 104, {}), "event log cleared");
  EXPECT_EQ(EventSignificance("EventLog", 6008, {}), "unexpected shutdown");
  EXPECT_EQ(EventSignificance("Microsoft-Windows-TerminalServices-LocalSessionManager", 21, {}),
            "remote desktop session logon");
  EXPECT_EQ(EventSignificance("Microsoft-Windows-DriverFrameworks-UserMode", 2003, {}),
            "USB device arrival (driver load)");
  EXPECT_EQ(EventSignificance("Microsoft-Windows-PowerShell", 4104, {}), "PowerShell script block");
  // The same numbers from other providers mean other things.
  EXPECT_EQ(EventSignificance("Service Control Manager", 4624, {}), "");
  EXPECT_EQ(EventSignificance("Microsoft-Windows-Kernel-General", 21, {}), "");
  EXPECT_EQ(EventSignificance("Microsoft-Windows-Kernel-General", 104, {}), "");
}

TEST(EvtxParser, WantsOnlyTheSignature) {
  EXPECT_TRUE(ParseBytes("windows.evtx", std::string("ElfFile\0rest", 12), "/x.bin").wanted);
  EXPECT_FALSE(ParseBytes("windows.evtx", "ElfChnk", "/System.evtx").wanted);
  const Parsed text = ParseBytes("windows.evtx", "not a log at all", "/System.evtx");
  EXPECT_FALSE(text.wanted);
  EXPECT_FALSE(text.status.ok());
  EXPECT_TRUE(text.out.rows.empty());
}

// Truncated copies keep the events before the cut; damage and noise never crash, hang or invent events.
TEST(EvtxParser, TruncatedAndRandomInput) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/evtx/System.evtx");
  const std::string bytes = ReadAll(path);
  ASSERT_EQ(bytes.size(), 2166784u);
  const auto start = std::chrono::steady_clock::now();
  size_t previous = 0;
  // The file header is one 4 KiB block, then 64 KiB chunks of records.
  for (size_t cut :
       {size_t{0}, size_t{7}, size_t{100}, size_t{4096}, size_t{4096 + 100}, size_t{4096 + 65536},
        size_t{4096 + 65536 + 30000}, size_t{4096 + 10 * 65536 + 12345}, bytes.size() / 2, bytes.size() - 1000}) {
    const Parsed p = ParseBytes("windows.evtx", bytes.substr(0, cut), "/cut.evtx");
    const size_t rows = p.Rows("windows.event").size();
    EXPECT_LE(rows, 5009u) << "cut at " << cut;
    EXPECT_GE(rows, previous) << "cut at " << cut << ": a longer prefix lost events";
    previous = rows;
    if (cut >= 4096 + 10 * 65536) {
      EXPECT_GT(rows, 0u) << "cut at " << cut << ": the whole chunks before the cut were lost";
    }
    if (cut == bytes.size() / 2) {
      // evtxinfo on the same half file: "Number of records : 2978" (and "Is corrupted").
      TempDir dir;
      std::ofstream(dir.File("half.evtx"), std::ios::binary) << bytes.substr(0, cut);
      const auto info = Shell("evtxinfo " + ShellQuote(dir.File("half.evtx")));
      EXPECT_NE(info.out.find("Number of records\t\t: 2978\n"), std::string::npos) << info.out;
      EXPECT_EQ(rows, 2978u);
      EXPECT_FALSE(p.out.problems.empty());
    }
    if (rows == 0) {
      EXPECT_TRUE(!p.status.ok() || !p.out.problems.empty()) << "cut at " << cut << ": silent loss";
    }
    for (const ArtefactRow* r : p.Rows("windows.event")) {
      EXPECT_TRUE(r->time.has_value()) << "cut at " << cut;
    }
  }
  std::mt19937 rng(20240501);
  size_t recovered_seen = 0;
  for (int round = 0; round < 10; ++round) {
    std::string noise(4096 + rng() % 200000, '\0');
    for (char& c : noise) c = static_cast<char>(rng());
    if (round % 2 == 0) noise.replace(0, 8, std::string("ElfFile\0", 8));
    const Parsed p = ParseBytes("windows.evtx", noise, "/noise.evtx");
    EXPECT_TRUE(p.out.rows.empty()) << "round " << round;
    EXPECT_FALSE(p.status.ok() && p.out.problems.empty() && round % 2 == 0) << "round " << round;
    // The real file with random bytes overwritten inside its chunks.
    std::string damaged = bytes;
    for (int i = 0; i < 64; ++i) damaged[4096 + rng() % (damaged.size() - 4096)] = static_cast<char>(rng());
    const Parsed d = ParseBytes("windows.evtx", damaged, "/damaged.evtx");
    EXPECT_LE(d.Rows("windows.event").size(), 5009u + 5009u) << "round " << round;
    if (round < 3) {
      // evtxinfo on the same damaged bytes counts the records and the recovered records the parser found.
      TempDir dir;
      std::ofstream(dir.File("damaged.evtx"), std::ios::binary) << damaged;
      const auto info = Shell("evtxinfo " + ShellQuote(dir.File("damaged.evtx")));
      size_t listed = 0, recovered = 0;
      for (const ArtefactRow* r : d.Rows("windows.event")) {
        if (d.Int(*r, "recovered") == 1) {
          ++recovered;
          EXPECT_EQ(r->location.rfind("recovered record ", 0), 0u) << r->location;
        } else {
          ++listed;
        }
      }
      // A record libevtx counts but cannot read is a problem line, not a row.
      for (const std::string& problem : d.out.problems) {
        if (problem.rfind("record index ", 0) == 0) ++listed;
        if (problem.rfind("recovered record index ", 0) == 0) ++recovered;
      }
      EXPECT_NE(info.out.find("Number of records\t\t: " + std::to_string(listed) + "\n"), std::string::npos)
          << "round " << round << ": " << listed << " records\n"
          << info.out;
      EXPECT_NE(info.out.find("Number of recovered records\t: " + std::to_string(recovered) + "\n"), std::string::npos)
          << "round " << round << ": " << recovered << " recovered\n"
          << info.out;
      recovered_seen += recovered;
    }
  }
  // Damage in the chunks makes libevtx recover records (seen in every seeded round so far); they are kept.
  EXPECT_GT(recovered_seen, 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(120));
}

}  // namespace
}  // namespace custos::testing
