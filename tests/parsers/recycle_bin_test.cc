// windows.recycle_bin on the corpus INFO2 (Windows XP) and $I files (v1 Vista-8, v2 Windows 10). No tool
// decodes these, so the expected values were read with xxd and decoded by hand with python3 (struct for
// the integers, datetime(1601,1,1) + FILETIME//10 µs for the times); the tests run the same python3
// decoding on the samples and compare it with the parser's rows.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <random>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

constexpr char kInfo2Dir[] = "/RECYCLER/S-1-5-21-1715567821-926492609-725345543-1003";
constexpr char kBinDir[] = "/$Recycle.Bin/S-1-5-21-1715567821-926492609-725345543-1001";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// One line per entry, "size|YYYY-MM-DD HH:MM:SS.ffffff|path", decoded by python3 from the raw bytes
// following the published layouts (INFO2: 20-byte header, record size at offset 12, records with the
// index at +260, drive +264, FILETIME +268, size +276, UTF-16 path +280; $I: version, size, FILETIME,
// then the UTF-16 path, after a 4-byte length in version 2).
std::vector<std::string> PythonDecode(const std::string& path) {
  const std::string script = R"(
import struct, sys, datetime
d = open(sys.argv[1], 'rb').read()
t = lambda ft: (datetime.datetime(1601, 1, 1) + datetime.timedelta(microseconds=ft // 10)).strftime('%Y-%m-%d %H:%M:%S.%f')
if sys.argv[1].endswith('INFO2'):
    size = struct.unpack_from('<I', d, 12)[0]
    for off in range(20, len(d) - size + 1, size):
        idx, drv, ft, n = struct.unpack_from('<IIQI', d, off + 260)
        print('%d|%s|%s' % (n, t(ft), d[off + 280:off + 800].decode('utf-16-le').split('\0')[0]))
else:
    v, n, ft = struct.unpack_from('<QQQ', d, 0)
    p = d[24:] if v == 1 else d[28:]
    print('%d|%s|%s' % (n, t(ft), p.decode('utf-16-le').split('\0')[0]))
)";
  const auto r = Shell("python3 -c " + ShellQuote(script) + " " + ShellQuote(path));
  EXPECT_EQ(r.exit_code, 0);
  return SplitLines(r.out);
}

std::string RowLine(const Parsed& p, const ArtefactRow& r) {
  return p.Text(r, "size") + "|" + UtcText(p.Int(r, "deleted_time")) + "|" + p.Text(r, "original_path");
}

TEST(RecycleBinParser, Info2FromWindowsXp) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/recycler/INFO2");
  const Parsed p = ParseFile("windows.recycle_bin", path, std::string(kInfo2Dir) + "/INFO2");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  const auto rows = p.Rows("windows.recycled");
  // xxd: version 5, record size 0x320 (800) at offset 12, file size 3220 = 20 + 4 x 800.
  ASSERT_EQ(rows.size(), 4u);
  // Record 1 at 0x14: "C:\Documents and Settings\Mr. Evil\Desktop\lalsetup250.exe", index 1 at 0x118,
  // drive 2 at 0x11c, FILETIME 0x01c48abf25e50850 at 0x120 = 2004-08-25 16:18:25.237, size 0x0020f600 at 0x128.
  const ArtefactRow& first = *rows[0];
  EXPECT_EQ(p.Text(first, "original_path"), "C:\\Documents and Settings\\Mr. Evil\\Desktop\\lalsetup250.exe");
  EXPECT_EQ(p.Int(first, "size"), 2160128);
  EXPECT_EQ(UtcText(first.time), "2004-08-25 16:18:25.237000");
  EXPECT_EQ(UtcText(p.Int(first, "deleted_time")), "2004-08-25 16:18:25.237000");
  EXPECT_EQ(p.Text(first, "format"), "INFO2");
  EXPECT_EQ(p.Int(first, "record_index"), 1);
  EXPECT_EQ(p.Int(first, "drive_number"), 2);
  EXPECT_EQ(p.Text(first, "index_file"), "INFO2");
  EXPECT_EQ(p.Text(first, "recycled_name"), "Dc1.exe");
  EXPECT_EQ(p.Text(first, "recovered_file_path"), std::string(kInfo2Dir) + "/Dc1.exe");
  EXPECT_EQ(p.Int(first, "removed_from_bin"), 0);
  // Record 4 at 0x974: ethereal-setup-0.10.6.exe, 8460800 bytes, 2004-08-27 15:29:58.161.
  const ArtefactRow& last = *rows[3];
  EXPECT_EQ(p.Text(last, "original_path"), "C:\\Documents and Settings\\Mr. Evil\\Desktop\\ethereal-setup-0.10.6.exe");
  EXPECT_EQ(p.Int(last, "size"), 8460800);
  EXPECT_EQ(UtcText(last.time), "2004-08-27 15:29:58.161000");
  EXPECT_EQ(p.Text(last, "recycled_name"), "Dc4.exe");
  // All four against python3's decoding.
  const auto decoded = PythonDecode(path);
  ASSERT_EQ(decoded.size(), 4u);
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(RowLine(p, *rows[i]), decoded[i]);
}

TEST(RecycleBinParser, DollarIVersion2) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/recycler/$I103S5F.jpg");
  const Parsed p = ParseFile("windows.recycle_bin", path, std::string(kBinDir) + "/$I103S5F.jpg");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  ASSERT_EQ(p.Rows("windows.recycled").size(), 1u);
  const ArtefactRow& r = *p.Rows("windows.recycled")[0];
  // xxd: version 2, size 0x3642f at 8, FILETIME 0x01d1d24e7961a720 at 0x10 = 2016-06-29 21:37:45.618,
  // path length 0x26 (38 characters with the NUL) at 0x18, the UTF-16 path from 0x1c.
  EXPECT_EQ(p.Text(r, "original_path"), "C:\\Users\\random\\Downloads\\bunnies.jpg");
  EXPECT_EQ(p.Int(r, "size"), 222255);
  EXPECT_EQ(UtcText(r.time), "2016-06-29 21:37:45.618000");
  EXPECT_EQ(p.Text(r, "format"), "$I v2 (Windows 10+)");
  EXPECT_TRUE(p.IsNull(r, "record_index"));
  EXPECT_TRUE(p.IsNull(r, "drive_number"));
  EXPECT_EQ(p.Text(r, "index_file"), "$I103S5F.jpg");
  EXPECT_EQ(p.Text(r, "recycled_name"), "$R103S5F.jpg");
  EXPECT_EQ(p.Text(r, "recovered_file_path"), std::string(kBinDir) + "/$R103S5F.jpg");
  const auto decoded = PythonDecode(path);
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(RowLine(p, r), decoded[0]);
}

TEST(RecycleBinParser, DollarIVersion1) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/recycler/$II3DF3L.zip");
  const Parsed p = ParseFile("windows.recycle_bin", path, std::string(kBinDir) + "/$II3DF3L.zip");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());
  ASSERT_EQ(p.Rows("windows.recycled").size(), 1u);
  const ArtefactRow& r = *p.Rows("windows.recycled")[0];
  // xxd: version 1, size 0xb0fb7 at 8, FILETIME 0x01cd0091affaf590 at 0x10 = 2012-03-12 20:49:58.633, the
  // UTF-16 path in the fixed 520 bytes from 0x18 (file size 544).
  EXPECT_EQ(p.Text(r, "original_path"), "C:\\Users\\nfury\\Documents\\Alloy Research\\StarFury.zip");
  EXPECT_EQ(p.Int(r, "size"), 724919);
  EXPECT_EQ(UtcText(r.time), "2012-03-12 20:49:58.633000");
  EXPECT_EQ(p.Text(r, "format"), "$I v1 (Vista-8)");
  EXPECT_EQ(p.Text(r, "recycled_name"), "$RI3DF3L.zip");
  EXPECT_EQ(p.Text(r, "recovered_file_path"), std::string(kBinDir) + "/$RI3DF3L.zip");
  const auto decoded = PythonDecode(path);
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(RowLine(p, r), decoded[0]);
}

// Windows zeroes the first byte of an INFO2 entry's ANSI path when the file is restored or purged;
// Windows 95/98/ME write 280-byte records with the ANSI path only. Both are made from the XP sample.
TEST(RecycleBinParser, BlankedEntriesAndAnsiOnlyRecords) {
  CUSTOS_REQUIRE_CORPUS(path, "artefacts/windows/recycler/INFO2");
  const std::string xp = ReadAll(path);
  ASSERT_EQ(xp.size(), 3220u);
  std::string blanked = xp;
  blanked[20 + 800] = '\0';  // record 2
  const Parsed b = ParseBytes("windows.recycle_bin", blanked, std::string(kInfo2Dir) + "/INFO2");
  ASSERT_TRUE(b.status.ok());
  ASSERT_EQ(b.Rows("windows.recycled").size(), 4u);
  const ArtefactRow& gone = *b.Rows("windows.recycled")[1];
  EXPECT_EQ(b.Int(gone, "removed_from_bin"), 1);
  EXPECT_EQ(b.Text(gone, "original_path"),
            "C:\\Documents and Settings\\Mr. Evil\\Desktop\\netstumblerinstaller_0_4_0.exe");
  EXPECT_EQ(b.Int(*b.Rows("windows.recycled")[0], "removed_from_bin"), 0);

  std::string ansi = xp.substr(0, 20);
  ansi[12] = static_cast<char>(280 & 0xff);
  ansi[13] = static_cast<char>(280 >> 8);
  for (size_t off = 20; off + 800 <= xp.size(); off += 800) ansi += xp.substr(off, 280);
  std::string ansi_blanked = ansi;
  ansi_blanked[20 + 280] = '\0';  // record 2 again, now without a UTF-16 copy of its path
  const Parsed a = ParseBytes("windows.recycle_bin", ansi_blanked, "/RECYCLED/INFO2");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  const auto rows = a.Rows("windows.recycled");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(a.Text(*rows[0], "original_path"), "C:\\Documents and Settings\\Mr. Evil\\Desktop\\lalsetup250.exe");
  EXPECT_EQ(a.Int(*rows[0], "size"), 2160128);
  EXPECT_EQ(UtcText(rows[0]->time), "2004-08-25 16:18:25.237000");
  // The drive number (2) gives back the blanked drive letter.
  EXPECT_EQ(a.Text(*rows[1], "original_path"),
            "C:\\Documents and Settings\\Mr. Evil\\Desktop\\netstumblerinstaller_0_4_0.exe");
  EXPECT_EQ(a.Int(*rows[1], "removed_from_bin"), 1);
  EXPECT_EQ(a.Text(*rows[3], "recovered_file_path"), "/RECYCLED/Dc4.exe");
}

TEST(RecycleBinParser, WantsIndexFilesOnly) {
  CUSTOS_REQUIRE_CORPUS(info2, "artefacts/windows/recycler/INFO2");
  CUSTOS_REQUIRE_CORPUS(dollar_i, "artefacts/windows/recycler/$I103S5F.jpg");
  const std::string info2_bytes = ReadAll(info2);
  const std::string i_bytes = ReadAll(dollar_i);
  EXPECT_TRUE(ParseBytes("windows.recycle_bin", "x", "/RECYCLER/S-1-5-21-1/INFO2").wanted);
  EXPECT_TRUE(ParseBytes("windows.recycle_bin", "x", "/$Recycle.Bin/S-1-5-21-1/$IABCDEF.docx").wanted);
  EXPECT_TRUE(ParseBytes("windows.recycle_bin", i_bytes, "/Users/x/Desktop/$I103S5F.jpg").wanted);
  EXPECT_TRUE(ParseBytes("windows.recycle_bin", info2_bytes, "/evidence/INFO2").wanted);
  EXPECT_FALSE(ParseBytes("windows.recycle_bin", "not a header at all, nothing", "/Users/x/$Ixxxxxx.txt").wanted);
  EXPECT_FALSE(ParseBytes("windows.recycle_bin", "not a header at all, nothing", "/docs/INFO2").wanted);
  EXPECT_FALSE(ParseBytes("windows.recycle_bin", i_bytes, "/$Recycle.Bin/S-1-5-21-1/$R103S5F.jpg").wanted);
  EXPECT_FALSE(ParseBytes("windows.recycle_bin", i_bytes, "/$Recycle.Bin/$I1.jpg").wanted);  // too short a name
  EXPECT_FALSE(ParseBytes("windows.recycle_bin", i_bytes, "/Users/x/photo.jpg").wanted);
}

// Every truncation of every sample, and noise behind valid headers: no crash, no invented entries, the
// whole records before a cut kept, and a reason whenever something was lost.
TEST(RecycleBinParser, TruncatedAndRandomInput) {
  CUSTOS_REQUIRE_CORPUS(info2, "artefacts/windows/recycler/INFO2");
  CUSTOS_REQUIRE_CORPUS(v2, "artefacts/windows/recycler/$I103S5F.jpg");
  CUSTOS_REQUIRE_CORPUS(v1, "artefacts/windows/recycler/$II3DF3L.zip");
  const std::string info2_bytes = ReadAll(info2);
  for (size_t cut = 0; cut < info2_bytes.size(); ++cut) {
    const Parsed p = ParseBytes("windows.recycle_bin", info2_bytes.substr(0, cut), "/RECYCLER/S-1/INFO2");
    const size_t whole = cut < 20 ? 0 : (cut - 20) / 800;
    ASSERT_EQ(p.Rows("windows.recycled").size(), whole) << "cut at " << cut;
    if (cut < 20) {
      ASSERT_FALSE(p.status.ok()) << "cut at " << cut;
    } else if ((cut - 20) % 800 != 0) {
      ASSERT_EQ(p.out.problems.size(), 1u) << "cut at " << cut;
    }
  }
  for (const std::string& path : {v1, v2}) {
    const std::string bytes = ReadAll(path);
    const std::string name = path.substr(path.rfind('/') + 1);
    for (size_t cut = 0; cut < bytes.size(); ++cut) {
      const Parsed p = ParseBytes("windows.recycle_bin", bytes.substr(0, cut), "/$Recycle.Bin/S-1/" + name);
      if (cut < 24) {
        ASSERT_FALSE(p.status.ok()) << name << " cut at " << cut;
        ASSERT_TRUE(p.out.rows.empty());
        continue;
      }
      ASSERT_EQ(p.Rows("windows.recycled").size(), 1u) << name << " cut at " << cut;
      const ArtefactRow& r = *p.Rows("windows.recycled")[0];
      // The header fields survive any cut after them; the path is a prefix of the real one.
      ASSERT_TRUE(p.Int(r, "size").has_value());
      const std::string full = name == "$I103S5F.jpg" ? "C:\\Users\\random\\Downloads\\bunnies.jpg"
                                                      : "C:\\Users\\nfury\\Documents\\Alloy Research\\StarFury.zip";
      ASSERT_EQ(full.rfind(p.Text(r, "original_path"), 0), 0u) << name << " cut at " << cut;
      if (p.Text(r, "original_path") != full) {
        ASSERT_FALSE(p.out.problems.empty()) << name << " cut at " << cut;
      }
    }
  }
  std::mt19937 rng(4242);
  for (int round = 0; round < 500; ++round) {
    std::string noise(rng() % 5000, '\0');
    for (char& c : noise) c = static_cast<char>(rng());
    if (noise.size() >= 24) {
      if (round % 3 == 0) noise.replace(0, 8, std::string("\x02\0\0\0\0\0\0\0", 8));
      if (round % 3 == 1) noise.replace(0, 8, std::string("\x01\0\0\0\0\0\0\0", 8));
    }
    const Parsed i = ParseBytes("windows.recycle_bin", noise, "/$Recycle.Bin/S-1/$INOISE1.bin");
    ASSERT_LE(i.out.rows.size(), 1u);
    if (i.out.rows.empty()) {
      ASSERT_FALSE(i.status.ok());
    }
    if (noise.size() >= 20) {
      noise.replace(0, 4, std::string("\x05\0\0\0", 4));
      noise.replace(12, 4, round % 2 ? std::string("\x20\x03\0\0", 4) : std::string("\x18\x01\0\0", 4));
    }
    const Parsed n = ParseBytes("windows.recycle_bin", noise, "/RECYCLER/S-1/INFO2");
    ASSERT_LE(n.out.rows.size(), noise.size() / 280);
  }
}

}  // namespace
}  // namespace custos::testing
