// windows.registry.software. The corpus has no SOFTWARE hive, so the test writes one: the corpus SAM with
// its keys deleted and the SOFTWARE keys below added by hivexsh (libhivex-bin). The expected values are
// the ones in that script (an input independent of the parser); regfexport confirms the hive holds them.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/parsers/registry_test_support.h"

namespace custos::testing {
namespace {

// DateCreated 2019-06-19 (a Wednesday) 12:20:11.500 and DateLastConnected 2020-03-17 (Tuesday)
// 14:02:38.000 as SYSTEMTIMEs (year, month, weekday, day, hour, minute, second, ms; little-endian words).
// InstallDate 0x5e70d6a4 = 1584453284 = Tue Mar 17 13:54:44 UTC 2020 (date -u -d @1584453284); InstallTime
// FILETIME 132289272841234567 = 2020-03-17 14:01:24.123456 (bytes 87 e8 4b 8b 64 fc d5 01).
constexpr char kScript[] = R"(cd \SAM
del
cd \
add Microsoft
cd Microsoft
add Windows NT
add Windows
cd Windows NT
add CurrentVersion
cd CurrentVersion
setval 9
ProductName
string:Windows 10 Pro
EditionID
string:Professional
ReleaseId
string:1709
CurrentVersion
string:6.3
CurrentBuild
string:16299
RegisteredOwner
string:J Doe
RegisteredOrganization
string:Elm Street Ltd
SystemRoot
string:C:\Windows
InstallDate
dword:0x5e70d6a4
add NetworkList
cd NetworkList
add Profiles
add Signatures
cd Profiles
add {D3E2A9B1-1111-4C2B-9A6E-0123456789AB}
cd {D3E2A9B1-1111-4C2B-9A6E-0123456789AB}
setval 6
ProfileName
string:CafeWiFi
Description
string:CafeWiFi
Category
dword:0
NameType
dword:0x47
DateCreated
hex:3:e3,07,06,00,03,00,13,00,0c,00,14,00,0b,00,f4,01
DateLastConnected
hex:3:e4,07,03,00,02,00,11,00,0e,00,02,00,26,00,00,00
cd \Microsoft\Windows NT\CurrentVersion\NetworkList\Signatures
add Unmanaged
cd Unmanaged
add 010103000F0000F0080000000F0000F0
cd 010103000F0000F0080000000F0000F0
setval 5
ProfileGuid
string:{D3E2A9B1-1111-4C2B-9A6E-0123456789AB}
Description
string:CafeWiFi
DnsSuffix
string:cafe.example
FirstNetwork
string:CafeWiFi
DefaultGatewayMac
hex:3:00,50,56,f8,2a,11
cd \Microsoft\Windows
add CurrentVersion
cd CurrentVersion
add Uninstall
cd Uninstall
add VLC media player
cd VLC media player
setval 6
DisplayName
string:VLC media player
DisplayVersion
string:3.0.8
Publisher
string:VideoLAN
InstallDate
string:20200317
InstallLocation
string:C:\Program Files\VideoLAN\VLC
UninstallString
string:"C:\Program Files\VideoLAN\VLC\uninstall.exe"
cd \Microsoft\Windows\CurrentVersion\Uninstall
add {90160000-0011-0000-0000-0000000FF1CE}
cd {90160000-0011-0000-0000-0000000FF1CE}
setval 2
DisplayName
string:Microsoft Office Professional Plus 2016
Publisher
string:Microsoft Corporation
commit
)";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Writes the SOFTWARE hive into dir and returns its path ("" and a failure when hivexsh is missing).
std::string MakeSoftwareHive(const TempDir& dir, const std::string& sam, bool with_install_time) {
  const std::string hive = dir.File("SOFTWARE");
  const std::string script = dir.File("software.hsh");
  {
    std::ofstream out(script);
    out << kScript;
    if (with_install_time) {
      // Added last: setval replaces a key's values, so InstallTime joins them in a second, full setval.
      out << "cd \\Microsoft\\Windows NT\\CurrentVersion\nsetval 2\nProductName\nstring:Windows 10 Pro\n"
             "InstallTime\nhex:11:87,e8,4b,8b,64,fc,d5,01\ncommit\n";
    }
  }
  const auto r = Shell("cp " + ShellQuote(sam) + " " + ShellQuote(hive) + " && chmod u+w " + ShellQuote(hive) +
                       " && hivexsh -w " + ShellQuote(hive) + " -f " + ShellQuote(script));
  EXPECT_EQ(r.exit_code, 0) << "hivexsh failed (install libhivex-bin: scripts/install-deps.sh)";
  return r.exit_code == 0 ? hive : "";
}

TEST(SoftwareParser, OsProgramsAndNetworksFromAWrittenHive) {
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/SAM.xz");
  TempDir dir;
  const std::string sam = Unxz(xz, dir.path().string());
  const std::string hive = MakeSoftwareHive(dir, sam, false);
  ASSERT_FALSE(hive.empty());
  // The hive holds what the script wrote, and no SAM key any more.
  EXPECT_EQ(Regfexport(hive, "Microsoft\\Windows NT\\CurrentVersion", "ProductName").text, "Windows 10 Pro");
  EXPECT_EQ(Regfexport(hive, "Microsoft\\Windows NT\\CurrentVersion", "InstallDate").text, "1584453284");
  EXPECT_EQ(Shell("regfexport " + ShellQuote(hive) + " | grep -c '\\\\SAM$'").out, "0\n");

  // hivexsh keeps the SAM's header name, so only the keys say SOFTWARE: the file name "SOFTWARE" is
  // outweighed by the header's "...\SAM" and Wants() says no; renamed content is found by HiveTypeOf.
  std::string bytes = ReadAll(hive);
  const Parsed as_is = ParseBytes("windows.registry.software", bytes, "/Windows/System32/config/SOFTWARE");
  EXPECT_FALSE(as_is.wanted);
  // With the header naming SOFTWARE, as Windows writes it.
  const std::u16string name = u"SOFTWARE";
  std::fill(bytes.begin() + 48, bytes.begin() + 112, '\0');
  for (size_t i = 0; i < name.size(); ++i) bytes[48 + 2 * i] = static_cast<char>(name[i]);
  const Parsed p = ParseBytes("windows.registry.software", bytes, "/Windows/System32/config/SOFTWARE");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(as_is.out.rows.size(), p.out.rows.size());  // Parse() decided by the keys either way

  ASSERT_EQ(p.Rows("windows.os_info").size(), 1u);
  const ArtefactRow& os = *p.Rows("windows.os_info")[0];
  EXPECT_EQ(p.Text(os, "product_name"), "Windows 10 Pro");
  EXPECT_EQ(p.Text(os, "edition_id"), "Professional");
  EXPECT_EQ(p.Text(os, "display_version"), "1709");
  EXPECT_EQ(p.Text(os, "current_version"), "6.3");
  EXPECT_EQ(p.Text(os, "build"), "16299");
  EXPECT_EQ(p.Text(os, "registered_owner"), "J Doe");
  EXPECT_EQ(p.Text(os, "registered_organization"), "Elm Street Ltd");
  EXPECT_EQ(p.Text(os, "system_root"), "C:\\Windows");
  EXPECT_EQ(UtcText(p.Int(os, "install_date")), "2020-03-17 13:54:44.000000");
  EXPECT_EQ(UtcText(os.time), "2020-03-17 13:54:44.000000");
  EXPECT_EQ(os.location, "Microsoft\\Windows NT\\CurrentVersion");

  ASSERT_EQ(p.Rows("windows.installed_program").size(), 2u);
  const ArtefactRow* vlc = p.Find("windows.installed_program", "name", "VLC media player");
  ASSERT_NE(vlc, nullptr);
  EXPECT_EQ(p.Text(*vlc, "version"), "3.0.8");
  EXPECT_EQ(p.Text(*vlc, "publisher"), "VideoLAN");
  EXPECT_EQ(p.Text(*vlc, "install_date"), "2020-03-17");
  EXPECT_EQ(p.Text(*vlc, "install_location"), "C:\\Program Files\\VideoLAN\\VLC");
  EXPECT_EQ(p.Text(*vlc, "uninstall_string"), "\"C:\\Program Files\\VideoLAN\\VLC\\uninstall.exe\"");
  EXPECT_EQ(p.Text(*vlc, "architecture"), "64-bit");
  EXPECT_EQ(vlc->location, "Microsoft\\Windows\\CurrentVersion\\Uninstall\\VLC media player");
  EXPECT_TRUE(vlc->time.has_value());  // the key's last write (hivex stamps it when writing)
  const ArtefactRow* office = p.Find("windows.installed_program", "key_name", "{90160000-0011-0000-0000-0000000FF1CE}");
  ASSERT_NE(office, nullptr);
  EXPECT_EQ(p.Text(*office, "name"), "Microsoft Office Professional Plus 2016");
  EXPECT_TRUE(p.IsNull(*office, "version"));

  ASSERT_EQ(p.Rows("windows.known_network").size(), 1u);
  const ArtefactRow& net = *p.Rows("windows.known_network")[0];
  EXPECT_EQ(p.Text(net, "profile_name"), "CafeWiFi");
  EXPECT_EQ(p.Text(net, "network_type"), "wireless");
  EXPECT_EQ(p.Text(net, "category"), "public");
  EXPECT_EQ(UtcText(p.Int(net, "first_connected")), "2019-06-19 12:20:11.500000");
  EXPECT_EQ(UtcText(p.Int(net, "last_connected")), "2020-03-17 14:02:38.000000");
  EXPECT_EQ(UtcText(net.time), "2020-03-17 14:02:38.000000");
  EXPECT_FALSE(net.time_zone_note.empty());  // SYSTEMTIMEs here are local time
  EXPECT_EQ(p.Text(net, "gateway_mac"), "00:50:56:f8:2a:11");
  EXPECT_EQ(p.Text(net, "dns_suffix"), "cafe.example");
  EXPECT_EQ(p.Text(net, "first_network"), "CafeWiFi");
  EXPECT_EQ(net.location,
            "Microsoft\\Windows NT\\CurrentVersion\\NetworkList\\Profiles\\{D3E2A9B1-1111-4C2B-9A6E-0123456789AB}");
  const ExportedValue mac = Regfexport(
      hive,
      "Microsoft\\Windows NT\\CurrentVersion\\NetworkList\\Signatures\\Unmanaged\\010103000F0000F0080000000F0000F0",
      "DefaultGatewayMac");
  EXPECT_EQ(mac.bytes, std::string("\x00\x50\x56\xf8\x2a\x11", 6));

  // The SYSTEM parser and the SAM parser find nothing of theirs in it.
  EXPECT_TRUE(ParseBytes("windows.registry.sam", bytes, "/SAM").out.rows.empty());
  EXPECT_TRUE(ParseBytes("windows.registry.system", bytes, "/SYSTEM").out.rows.empty());
  const Parsed rec = ParseBytes("windows.registry.hive", bytes, "/SOFTWARE");
  EXPECT_EQ(rec.Text(*rec.Rows("windows.registry_hive").at(0), "hive_type"), "SOFTWARE");
}

TEST(SoftwareParser, InstallTimeWinsOverInstallDate) {
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/SAM.xz");
  TempDir dir;
  const std::string hive = MakeSoftwareHive(dir, Unxz(xz, dir.path().string()), true);
  ASSERT_FALSE(hive.empty());
  const ExportedValue t = Regfexport(hive, "Microsoft\\Windows NT\\CurrentVersion", "InstallTime");
  ASSERT_TRUE(t.found);
  const Parsed p = ParseFile("windows.registry.software", hive, "/SOFTWARE");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  const ArtefactRow& os = *p.Rows("windows.os_info").at(0);
  EXPECT_EQ(UtcText(p.Int(os, "install_date")), "2020-03-17 14:01:24.123456");
  EXPECT_TRUE(p.IsNull(os, "display_version"));  // the second setval replaced ReleaseId
}

TEST(SoftwareParser, TruncatedAndRandomInput) {
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/SAM.xz");
  TempDir dir;
  const std::string hive = MakeSoftwareHive(dir, Unxz(xz, dir.path().string()), false);
  ASSERT_FALSE(hive.empty());
  const std::string bytes = ReadAll(hive);
  for (size_t cut : {size_t{512}, size_t{4096}, size_t{6000}, bytes.size() / 2}) {
    const Parsed p = ParseBytes("windows.registry.software", bytes.substr(0, cut), "/SOFTWARE");
    EXPECT_LE(p.Rows("windows.installed_program").size(), 2u) << cut;
    if (cut <= 4096) {
      EXPECT_FALSE(p.status.ok()) << cut;
    }
  }
  const Parsed random = ParseBytes("windows.registry.software", std::string(5000, '\x5a'), "/SOFTWARE");
  EXPECT_FALSE(random.wanted);
  EXPECT_FALSE(random.status.ok());
  EXPECT_TRUE(random.out.rows.empty());
}

}  // namespace
}  // namespace custos::testing
