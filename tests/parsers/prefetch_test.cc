// windows.prefetch on the corpus prefetch files (Windows XP, 7, 8.1 and compressed Windows 10). Expected
// values were read with sccainfo 20200717 (libscca-utils), which the tests also run on every sample; the
// Windows XP file's values were also decoded by hand from its raw bytes (python3 struct).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// "Mar 10, 2013 10:11:49.281250000 UTC" (sccainfo) as "2013-03-10 10:11:49.281250", as UtcText prints.
std::string ToolTime(const std::string& text) {
  struct tm tm {};
  const char* rest = strptime(text.c_str(), "%b %d, %Y %H:%M:%S", &tm);
  if (rest == nullptr || *rest != '.') return "";
  return UtcText(static_cast<int64_t>(timegm(&tm)) * 1000000 + std::stoll(std::string(rest + 1, 6)));
}

// The value after "label" and its tab/colon padding in sccainfo's output.
std::string ToolValue(const std::string& out, const std::string& label) {
  for (const std::string& line : SplitLines(out)) {
    if (line.rfind("\t" + label, 0) != 0) continue;
    const size_t colon = line.rfind(": ");
    return colon == std::string::npos ? "" : line.substr(colon + 2);
  }
  return "";
}

TEST(PrefetchParser, WindowsXpCmd) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/winprefetch/CMD.EXE-087B4001.pf");
  const Parsed p = ParseFile("windows.prefetch", path, "/WINDOWS/Prefetch/CMD.EXE-087B4001.pf");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  ASSERT_EQ(p.Rows("windows.prefetch").size(), 1u);
  const ArtefactRow& r = *p.Rows("windows.prefetch")[0];
  // sccainfo: format 17, hash 0x087b4001, CMD.EXE, run count 2, last run Mar 10, 2013 10:11:49.281250000
  // UTC, 33 file names, one volume \DEVICE\HARDDISKVOLUME1 created Mar 10, 2013 10:19:46.234375000 UTC,
  // serial 0x24cb074b. By hand (xxd, python3 datetime): version 17 and "SCCA" at 0, "CMD.EXE" (UTF-16) at
  // 0x10, the hash 01 40 7b 08 at 0x4c, the FILETIME 0x01ce1d77adb2cad4 at 0x78 = 2013-03-10
  // 10:11:49.281250 UTC, run count 02 00 00 00 at 0x90.
  EXPECT_EQ(p.Text(r, "executable"), "CMD.EXE");
  EXPECT_EQ(p.Text(r, "prefetch_hash"), "0x087b4001");
  EXPECT_EQ(p.Int(r, "format_version"), 17);
  EXPECT_EQ(p.Int(r, "run_count"), 2);
  EXPECT_EQ(UtcText(r.time), "2013-03-10 10:11:49.281250");
  EXPECT_EQ(UtcText(p.Int(r, "last_run_1")), "2013-03-10 10:11:49.281250");
  EXPECT_TRUE(p.IsNull(r, "last_run_2"));  // before Windows 8 only one run time is kept
  EXPECT_EQ(p.Int(r, "file_count"), 33);
  const auto files = SplitLines(p.Text(r, "files"));
  ASSERT_EQ(files.size(), 33u);
  EXPECT_EQ(files[0], "\\DEVICE\\HARDDISKVOLUME1\\WINDOWS\\SYSTEM32\\NTDLL.DLL");
  EXPECT_EQ(files[32], "\\DEVICE\\HARDDISKVOLUME1\\WINDOWS\\IE7\\SPUNINST\\IERESETICONS.EXE");
  EXPECT_EQ(p.Text(r, "volumes"), "\\DEVICE\\HARDDISKVOLUME1 serial 0x24cb074b");
  ASSERT_EQ(p.Rows("windows.prefetch_volume").size(), 1u);
  const ArtefactRow& v = *p.Rows("windows.prefetch_volume")[0];
  EXPECT_EQ(p.Text(v, "device_path"), "\\DEVICE\\HARDDISKVOLUME1");
  EXPECT_EQ(p.Text(v, "serial"), "0x24cb074b");
  EXPECT_EQ(UtcText(p.Int(v, "created")), "2013-03-10 10:19:46.234375");
  EXPECT_EQ(p.Text(v, "executable"), "CMD.EXE");
  // Every file name as sccainfo lists it ("Filename: N : ...").
  const auto tool = Shell("sccainfo " + ShellQuote(path));
  ASSERT_EQ(tool.exit_code, 0);
  size_t listed = 0;
  for (const std::string& line : SplitLines(tool.out)) {
    if (line.rfind("\tFilename: ", 0) != 0) continue;
    ASSERT_LT(listed, files.size());
    EXPECT_EQ(line.substr(line.rfind(": ") + 2), files[listed]);
    ++listed;
  }
  EXPECT_EQ(listed, 33u);
}

TEST(PrefetchParser, CompressedWindows10Notepad) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/winprefetch/NOTEPAD.EXE-D8414F97.pf");
  // The file is compressed: it starts "MAM\x04" (xxd), not with the SCCA header.
  EXPECT_EQ(ReadAll(path).substr(0, 4), std::string("MAM\x04", 4));
  const Parsed p = ParseFile("windows.prefetch", path, "/Windows/Prefetch/NOTEPAD.EXE-D8414F97.pf");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("windows.prefetch").size(), 1u);
  const ArtefactRow& r = *p.Rows("windows.prefetch")[0];
  // sccainfo: format 30, hash 0xd8414f97, NOTEPAD.EXE, run count 2, last run times 1: Jun 05, 2019
  // 19:55:04.877778700 UTC, 2: Jun 05, 2019 19:23:00.815705200 UTC, 3-8 not set; 56 file names; volume
  // \VOLUME{01d3096ba3a46863-2ca3d1ae}, created Jul 30, 2017 19:40:03.548784300 UTC, serial 0x2ca3d1ae.
  EXPECT_EQ(p.Text(r, "executable"), "NOTEPAD.EXE");
  EXPECT_EQ(p.Text(r, "prefetch_hash"), "0xd8414f97");
  EXPECT_EQ(p.Int(r, "format_version"), 30);
  EXPECT_EQ(p.Int(r, "run_count"), 2);
  EXPECT_EQ(UtcText(r.time), "2019-06-05 19:55:04.877778");
  EXPECT_EQ(UtcText(p.Int(r, "last_run_1")), "2019-06-05 19:55:04.877778");
  EXPECT_EQ(UtcText(p.Int(r, "last_run_2")), "2019-06-05 19:23:00.815705");
  for (int i = 3; i <= 8; ++i) EXPECT_TRUE(p.IsNull(r, "last_run_" + std::to_string(i))) << i;
  EXPECT_EQ(p.Int(r, "file_count"), 56);
  EXPECT_NE(p.Text(r, "files").find("\\VOLUME{01d3096ba3a46863-2ca3d1ae}\\WINDOWS\\SYSTEM32\\NOTEPAD.EXE\n"),
            std::string::npos);
  ASSERT_EQ(p.Rows("windows.prefetch_volume").size(), 1u);
  const ArtefactRow& v = *p.Rows("windows.prefetch_volume")[0];
  EXPECT_EQ(p.Text(v, "device_path"), "\\VOLUME{01d3096ba3a46863-2ca3d1ae}");
  EXPECT_EQ(p.Text(v, "serial"), "0x2ca3d1ae");
  EXPECT_EQ(UtcText(p.Int(v, "created")), "2017-07-30 19:40:03.548784");
}

// Every corpus sample against sccainfo run now; a file sccainfo cannot open (a newer format) must fail here too.
TEST(PrefetchParser, EverySampleAgreesWithSccainfo) {
  CUSTOS_REQUIRE_CORPUS(dir, "artefacts/windows/winprefetch");
  size_t checked = 0, refused = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string path = entry.path().string();
    SCOPED_TRACE(path);
    const Parsed p = ParseFile("windows.prefetch", path, "/Windows/Prefetch/" + entry.path().filename().string());
    EXPECT_TRUE(p.wanted);
    const auto tool = Shell("sccainfo " + ShellQuote(path) + " 2>/dev/null");
    if (tool.exit_code != 0) {
      EXPECT_FALSE(p.status.ok());
      EXPECT_TRUE(p.out.rows.empty());
      ++refused;
      continue;
    }
    ASSERT_TRUE(p.status.ok()) << p.status.ToString();
    ASSERT_EQ(p.Rows("windows.prefetch").size(), 1u);
    const ArtefactRow& r = *p.Rows("windows.prefetch")[0];
    EXPECT_EQ(p.Text(r, "executable"), ToolValue(tool.out, "Executable filename"));
    EXPECT_EQ(p.Text(r, "prefetch_hash"), ToolValue(tool.out, "Prefetch hash"));
    EXPECT_EQ(std::to_string(p.Int(r, "format_version").value_or(-1)), ToolValue(tool.out, "Format version"));
    EXPECT_EQ(std::to_string(p.Int(r, "run_count").value_or(-1)), ToolValue(tool.out, "Run count"));
    EXPECT_EQ(std::to_string(p.Int(r, "file_count").value_or(-1)), ToolValue(tool.out, "Number of filenames"));
    EXPECT_EQ(std::to_string(p.Rows("windows.prefetch_volume").size()), ToolValue(tool.out, "Number of volumes"));
    if (p.Int(r, "format_version") < 26) {
      EXPECT_EQ(UtcText(r.time), ToolTime(ToolValue(tool.out, "Last run time:")));
    } else {
      for (int i = 1; i <= 8; ++i) {
        const std::string shown = ToolValue(tool.out, "Last run time: " + std::to_string(i));
        const std::string field = "last_run_" + std::to_string(i);
        if (shown == "Not set (0)") {
          EXPECT_TRUE(p.IsNull(r, field)) << field;
        } else {
          EXPECT_EQ(UtcText(p.Int(r, field)), ToolTime(shown)) << field;
        }
      }
    }
    ++checked;
  }
  // 7 samples sccainfo reads; AM_DELTA_PATCH...pf is a format it refuses ("unsupported format version").
  EXPECT_EQ(checked, 7u);
  EXPECT_EQ(refused, 1u);
}

TEST(PrefetchParser, FiveVolumesOfWuauclt) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/winprefetch/WUAUCLT.EXE-830BCC14.pf");
  const Parsed p = ParseFile("windows.prefetch", path, "/WINDOWS/Prefetch/WUAUCLT.EXE-830BCC14.pf");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  // sccainfo: 5 volumes: \DEVICE\HARDDISKVOLUME1 then shadow copies 2, 4, 7 ...; all serial 0xac036525.
  const auto volumes = p.Rows("windows.prefetch_volume");
  ASSERT_EQ(volumes.size(), 5u);
  EXPECT_EQ(p.Text(*volumes[0], "device_path"), "\\DEVICE\\HARDDISKVOLUME1");
  EXPECT_EQ(p.Text(*volumes[1], "device_path"), "\\DEVICE\\HARDDISKVOLUMESHADOWCOPY2");
  for (const ArtefactRow* v : volumes) EXPECT_EQ(p.Text(*v, "serial"), "0xac036525");
  EXPECT_EQ(SplitLines(p.Text(*p.Rows("windows.prefetch")[0], "volumes")).size(), 5u);
}

TEST(PrefetchParser, WantsPrefetchOnly) {
  EXPECT_TRUE(ParseBytes("windows.prefetch", "whatever", "/Windows/Prefetch/X.EXE-12345678.pf").wanted);
  EXPECT_TRUE(ParseBytes("windows.prefetch", std::string("\x11\0\0\0SCCA", 8), "/renamed.bin").wanted);
  EXPECT_TRUE(ParseBytes("windows.prefetch", std::string("MAM\x04\x10\0\0\0", 8), "/renamed.bin").wanted);
  const Parsed other = ParseBytes("windows.prefetch", "plain text file", "/notes.txt");
  EXPECT_FALSE(other.wanted);
  EXPECT_FALSE(other.status.ok());
  EXPECT_TRUE(other.out.rows.empty());
}

// Truncated copies, noise behind a valid signature, and a compressed header claiming 4 GiB: no crash,
// no hang, no invented programs, and a reason whenever nothing came out.
TEST(PrefetchParser, TruncatedAndRandomInput) {
  CUSTOS_REQUIRE_CORPUS(xp, "artefacts/windows/winprefetch/CMD.EXE-087B4001.pf");
  CUSTOS_REQUIRE_CORPUS(win10, "artefacts/windows/winprefetch/NOTEPAD.EXE-D8414F97.pf");
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& path : {xp, win10}) {
    const std::string bytes = ReadAll(path);
    ASSERT_GT(bytes.size(), 1000u);
    for (size_t cut = 0; cut < bytes.size(); cut += 1 + cut / 3) {
      const Parsed p = ParseBytes("windows.prefetch", bytes.substr(0, cut), "/cut.pf");
      EXPECT_LE(p.Rows("windows.prefetch").size(), 1u) << path << " cut at " << cut;
      EXPECT_LE(p.Rows("windows.prefetch_volume").size(), 1u) << path << " cut at " << cut;
      if (p.out.rows.empty()) {
        EXPECT_FALSE(p.status.ok()) << path << " cut at " << cut << ": silent loss";
      }
    }
  }
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string noise(8 + rng() % 20000, '\0');
    for (char& c : noise) c = static_cast<char>(rng());
    if (round % 3 == 0) noise.replace(4, 4, "SCCA");
    if (round % 3 == 1) noise.replace(0, 4, std::string("MAM\x04", 4));
    const Parsed p = ParseBytes("windows.prefetch", noise, "/noise.pf");
    if (p.out.rows.empty()) {
      EXPECT_FALSE(p.status.ok()) << "round " << round;
    }
  }
  const Parsed huge =
      ParseBytes("windows.prefetch", std::string("MAM\x04\xff\xff\xff\xff", 8) + std::string(64, 'x'), "/huge.pf");
  EXPECT_FALSE(huge.status.ok());
  EXPECT_NE(huge.status.ToString().find("decompressed size"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

// The XP header's counts and sizes (xxd: 0x54 metrics offset, 0x58 metrics count 33, 0x5c trace offset,
// 0x60 trace count, 0x64 name strings offset, 0x68 their size, 0x6c volumes offset, 0x70 volume count 1,
// 0x74 volumes size) set to huge values: each copy fails or yields one program, and memory stays put.
TEST(PrefetchParser, HugeCountsInTheHeader) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/winprefetch/CMD.EXE-087B4001.pf");
  const std::string bytes = ReadAll(path);
  struct rusage before {};
  getrusage(RUSAGE_SELF, &before);
  size_t parsed = 0;
  for (size_t field = 0x54; field <= 0x74; field += 4) {
    for (uint32_t value : {0xffffffffu, 0x7fffffffu, 0x10000000u, 0x00100000u}) {
      std::string damaged = bytes;
      for (int i = 0; i < 4; ++i) damaged[field + i] = static_cast<char>((value >> (8 * i)) & 0xff);
      const Parsed p = ParseBytes("windows.prefetch", damaged, "/huge.pf");
      EXPECT_LE(p.Rows("windows.prefetch").size(), 1u);
      if (p.out.rows.empty()) {
        EXPECT_FALSE(p.status.ok()) << "field 0x" << std::hex << field;
      }
      ++parsed;
    }
  }
  struct rusage after {};
  getrusage(RUSAGE_SELF, &after);
  EXPECT_EQ(parsed, 36u);
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 256 * 1024)
      << "peak memory grew by " << after.ru_maxrss - before.ru_maxrss << " KiB";
}

}  // namespace
}  // namespace custos::testing
