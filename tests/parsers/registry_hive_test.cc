// RegistryHive (libregf over memory) and windows.registry.hive on the corpus hives. The dirty flags come
// from the header's two sequence numbers, read with xxd (which the test runs); keys, values and types
// from regfexport -K; the hive types from the keys regfexport lists under each root.
#include "parsers/windows/registry_hive.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/parsers/registry_test_support.h"

namespace custos::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct CorpusHive {
  const char* xz;
  HiveType type;
  bool dirty;
};

// xxd -s 4 -l 8: SYSTEM 9f36 0000 9f36 0000 (clean), SYSTEM_WIN_10_1709 dd10/dc10, SECURITY 6b00/6a00,
// UsrClass.dat 0001/ff00, amcache.hve 2900/2800 (dirty); SAM 6000/6000 and NTUSER.DAT ed02/ed02 (clean).
const CorpusHive kHives[] = {
    {"artefacts/registry/SYSTEM.xz", HiveType::kSystem, false},
    {"artefacts/registry/SYSTEM_WIN_10_1709.xz", HiveType::kSystem, true},
    {"artefacts/registry/SECURITY.xz", HiveType::kSecurity, true},
    {"artefacts/registry/UsrClass.dat.xz", HiveType::kUsrClass, true},
    {"artefacts/registry/amcache.hve.xz", HiveType::kAmcache, true},
    {"artefacts/registry/SAM.xz", HiveType::kSam, false},
    {"artefacts/registry/NTUSER.DAT.xz", HiveType::kNtuser, false},
};

TEST(RegistryHive, DirtyFlagAndTypeOfEveryCorpusHive) {
  CUSTOS_REQUIRE_CORPUS(first, kHives[0].xz);
  TempDir dir;
  for (const CorpusHive& h : kHives) {
    const std::string path = Unxz(CorpusFile(h.xz), dir.path().string());
    const std::string bytes = ReadAll(path);
    auto hive = RegistryHive::Open(bytes);
    ASSERT_TRUE(hive.ok()) << h.xz << ": " << hive.status().ToString();
    EXPECT_EQ((*hive)->dirty(), h.dirty) << h.xz;
    // The same from xxd's dump of the two sequence numbers.
    const auto words = SplitLines(Shell("xxd -s 4 -l 8 -p " + ShellQuote(path)).out);
    ASSERT_EQ(words.size(), 1u);
    EXPECT_EQ(words[0].substr(0, 8) != words[0].substr(8, 8), h.dirty) << h.xz << " " << words[0];
    EXPECT_EQ(HiveTypeOf(**hive), h.type) << h.xz;
    EXPECT_FALSE((*hive)->corrupted()) << h.xz;
    EXPECT_FALSE((*hive)->checksum_repaired()) << h.xz;
  }
}

TEST(RegistryHive, KeysValuesAndTimesAgreeWithRegfexport) {
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/SYSTEM.xz");
  TempDir dir;
  const std::string path = Unxz(xz, dir.path().string());
  const std::string bytes = ReadAll(path);
  auto opened = RegistryHive::Open(bytes);
  ASSERT_TRUE(opened.ok());
  const RegistryHive& hive = **opened;
  EXPECT_EQ(hive.embedded_name(), "SYSTEM");
  EXPECT_EQ(hive.format_version(), "1.5");  // regfinfo: Version 1.5
  EXPECT_EQ(hive.Root()->name(), "CMI-CreateHive{F10156BE-0E87-4EFB-969E-5DA29D131144}");
  EXPECT_EQ(CurrentControlSet(hive), "ControlSet001");  // Select\Current: 1
  EXPECT_EQ(Regfexport(path, "Select", "Current").text, "1");

  // Paths match case-insensitively; text, a REG_MULTI_SZ, a DWORD and a binary value.
  auto name = hive.Key("controlset001\\CONTROL\\ComputerName\\ComputerName");
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->Text("ComputerName"),
            Regfexport(path, "ControlSet001\\Control\\ComputerName\\ComputerName", "ComputerName").text);
  EXPECT_EQ(name->Text("ComputerName"), "WKS-WIN732BITA");
  // The default value (no name): regfexport shows "(default)" = mnmsrvc. libregf's lookup by name misses it.
  EXPECT_EQ(name->Text(""), "mnmsrvc");
  auto control = hive.Key("ControlSet001\\Control");
  ASSERT_TRUE(control.has_value());
  // PreshutdownOrder: 77 00 75 00 ... wuauserv, gpsvc, trustedinstaller (regfexport's hex dump).
  const std::vector<std::string> order = {"wuauserv", "gpsvc", "trustedinstaller"};
  EXPECT_EQ(control->Value("PreshutdownOrder")->Strings(), order);
  EXPECT_EQ(control->Text("PreshutdownOrder"), "wuauserv\ngpsvc\ntrustedinstaller");
  EXPECT_EQ(control->Number("WaitToKillServiceTimeout"), std::nullopt);  // a REG_SZ, not a number
  EXPECT_EQ(hive.Key("Select")->Number("LastKnownGood"), 2);
  const ExportedValue shutdown = Regfexport(path, "ControlSet001\\Control\\Windows", "ShutdownTime");
  EXPECT_EQ(hive.Key("ControlSet001\\Control\\Windows")->Data("ShutdownTime"), shutdown.bytes);
  EXPECT_FALSE(hive.Key("ControlSet001\\NoSuchKey").has_value());
  EXPECT_FALSE(control->Value("NoSuchValue").has_value());
  // Key times: RegRipper's timezone plugin prints the TimeZoneInformation key's LastWrite to the second.
  const auto tz_time = hive.Key("ControlSet001\\Control\\TimeZoneInformation")->last_written();
  EXPECT_EQ(UtcText(tz_time).substr(0, 19), "2012-03-11 07:00:00");
  EXPECT_NE(RegRipper(path, "timezone").find("LastWrite Time 2012-03-11 07:00:00Z"), std::string::npos);
}

TEST(RegistryHive, HintsFromTheHeaderNameThenTheFileName) {
  FileRecord file;
  file.name = "backup.dat";
  auto head = [](const std::u16string& name) {
    std::string h = "regf" + std::string(508, '\0');
    for (size_t i = 0; i < name.size(); ++i) h[48 + 2 * i] = static_cast<char>(name[i]);
    return h;
  };
  EXPECT_EQ(HiveTypeHint(head(u"\\SystemRoot\\System32\\Config\\SAM"), file), HiveType::kSam);
  EXPECT_EQ(HiveTypeHint(head(u"emRoot\\System32\\Config\\SECURITY"), file), HiveType::kSecurity);
  EXPECT_EQ(HiveTypeHint(head(u"?\\C:\\Users\\x\\ntuser.dat"), file), HiveType::kNtuser);
  EXPECT_EQ(HiveTypeHint(head(u""), file), HiveType::kUnknown);
  file.name = "SOFTWARE";
  EXPECT_EQ(HiveTypeHint(head(u""), file), HiveType::kSoftware);
  EXPECT_EQ(HiveTypeHint(head(u"SYSTEM"), file), HiveType::kSystem);  // the header wins
  // A parser wants its own hive and hives nothing names, not another hive, a log, or a non-hive.
  file.name = "x";
  EXPECT_TRUE(MayBeHiveOfType(HiveType::kSystem, file, head(u"SYSTEM")));
  EXPECT_TRUE(MayBeHiveOfType(HiveType::kSystem, file, head(u"\\??\\C:\\temp\\export.hiv")));
  EXPECT_FALSE(MayBeHiveOfType(HiveType::kSystem, file, head(u"\\SystemRoot\\System32\\Config\\SAM")));
  std::string log = head(u"SYSTEM");
  log[28] = 1;  // file type 1: a transaction log
  EXPECT_TRUE(LooksLikeTransactionLog(log));
  EXPECT_FALSE(MayBeHiveOfType(HiveType::kSystem, file, log));
  EXPECT_FALSE(MayBeHiveOfType(HiveType::kSystem, file, "not a hive"));
}

TEST(RegistryHiveRecord, OneRowPerHiveWithDirtyAndType) {
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/SYSTEM_WIN_10_1709.xz");
  TempDir dir;
  const std::string path = Unxz(xz, dir.path().string());
  const Parsed p = ParseFile("windows.registry.hive", path, "/Windows/System32/config/SYSTEM");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("windows.registry_hive").size(), 1u);
  const ArtefactRow& r = *p.Rows("windows.registry_hive")[0];
  EXPECT_EQ(p.Text(r, "hive_type"), "SYSTEM");
  EXPECT_EQ(p.Text(r, "hive_type_from"), "keys");
  EXPECT_EQ(p.Text(r, "file_type"), "hive");
  EXPECT_EQ(p.Text(r, "embedded_name"), "SYSTEM");
  EXPECT_EQ(p.Text(r, "root_key"), "ROOT");  // regfexport: "Key path: ROOT\..."
  EXPECT_EQ(p.Int(r, "dirty"), 1);           // sequence numbers 0x10dd and 0x10dc
  EXPECT_EQ(p.Int(r, "checksum_ok"), 1);
  EXPECT_EQ(p.Int(r, "corrupted"), 0);
  EXPECT_NE(r.summary.find("dirty: changes may sit in .LOG1/.LOG2, not applied"), std::string::npos) << r.summary;
  // The header's FILETIME at offset 12 is the row time; this hive left it zero (xxd -s 12 -l 8).
  EXPECT_EQ(ReadAll(path).substr(12, 8), std::string(8, '\0'));
  EXPECT_FALSE(r.time.has_value());
  EXPECT_TRUE(p.IsNull(r, "header_written"));
  EXPECT_EQ(r.location, "base block");

  // A transaction log: its header only, never opened as a hive.
  std::string log = ReadAll(path).substr(0, 8192);
  log[28] = 2;
  const Parsed l = ParseBytes("windows.registry.hive", log, "/Windows/System32/config/SYSTEM.LOG1");
  EXPECT_TRUE(l.wanted);
  ASSERT_EQ(l.Rows("windows.registry_hive").size(), 1u);
  EXPECT_EQ(l.Text(*l.Rows("windows.registry_hive")[0], "file_type"), "transaction log");
  EXPECT_EQ(l.Text(*l.Rows("windows.registry_hive")[0], "hive_type"), "SYSTEM");
}

TEST(RegistryHiveRecord, WrongChecksumIsRepairedAndFlagged) {
  CUSTOS_REQUIRE_CORPUS(sam, "artefacts/windows/regf/SAM");
  std::string bytes = ReadAll(sam);
  bytes[508] = static_cast<char>(bytes[508] ^ 0x55);
  // regfinfo (libregf) refuses the file outright; Custos reads it and says the checksum was wrong.
  TempDir dir;
  {
    std::ofstream out(dir.File("bad"), std::ios::binary);
    out << bytes;
  }
  EXPECT_NE(Shell("regfinfo " + ShellQuote(dir.File("bad")) + " 2>&1").out.find("unable to open"), std::string::npos);
  auto hive = RegistryHive::Open(bytes);
  ASSERT_TRUE(hive.ok()) << hive.status().ToString();
  EXPECT_TRUE((*hive)->checksum_repaired());
  EXPECT_EQ(HiveTypeOf(**hive), HiveType::kSam);
  const Parsed p = ParseBytes("windows.registry.hive", bytes, "/SAM");
  ASSERT_EQ(p.Rows("windows.registry_hive").size(), 1u);
  const ArtefactRow& r = *p.Rows("windows.registry_hive")[0];
  EXPECT_EQ(p.Int(r, "checksum_ok"), 0);
  // The header's FILETIME (offset 12, c6 9d b8 1a ... in xxd) is the row time.
  EXPECT_EQ(UtcText(r.time), FiletimeText(bytes, 12));
  EXPECT_EQ(UtcText(r.time), "2013-08-22 13:25:44.051655");
  EXPECT_EQ(ParseBytes("windows.registry.sam", bytes, "/SAM").Rows("windows.user_account").size(), 3u);
}

TEST(RegistryHiveRecord, RandomAndTruncatedInput) {
  std::string noise(10000, '\0');
  uint32_t x = 99;
  for (char& c : noise) c = static_cast<char>((x = x * 1103515245 + 12345) >> 16);
  const Parsed random = ParseBytes("windows.registry.hive", noise, "/x");
  EXPECT_FALSE(random.wanted);
  EXPECT_FALSE(random.status.ok());
  EXPECT_TRUE(random.out.rows.empty());
  // "regf" and then too little for a base block.
  const Parsed tiny = ParseBytes("windows.registry.hive", "regf" + noise.substr(0, 100), "/x");
  EXPECT_TRUE(tiny.wanted);
  EXPECT_FALSE(tiny.status.ok());
  // A header and random hive bins: one row, marked corrupted, with why.
  CUSTOS_REQUIRE_CORPUS(sam, "artefacts/windows/regf/SAM");
  const std::string bytes = ReadAll(sam);
  const Parsed cut = ParseBytes("windows.registry.hive", bytes.substr(0, 4096) + noise, "/SAM");
  ASSERT_EQ(cut.Rows("windows.registry_hive").size(), 1u);
  EXPECT_EQ(cut.Int(*cut.Rows("windows.registry_hive")[0], "corrupted"), 1);
  EXPECT_EQ(cut.Text(*cut.Rows("windows.registry_hive")[0], "hive_type"), "SAM");  // from the header's name
  EXPECT_FALSE(cut.status.ok() && cut.out.problems.empty());
}

}  // namespace
}  // namespace custos::testing
