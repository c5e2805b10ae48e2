// windows.registry.system on the corpus SYSTEM hives (Windows 7 era and Windows 10 1709) and the corrupted
// one. Expected values were read with RegRipper (compname, timezone, shutdown, nic2, mountdev, usbstor,
// which the tests also run) and regfexport -K; sub-second times come from decoding the FILETIME bytes
// regfexport dumps (FiletimeText), which the tests do again.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/parsers/registry_test_support.h"

namespace custos::testing {
namespace {

constexpr char kProps[] = "\\Properties\\{83da6326-97a6-4088-9453-a1923f573b29}";

TEST(SystemParser, Windows7Hive) {
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/SYSTEM.xz");
  TempDir dir;
  const std::string hive = Unxz(xz, dir.path().string());
  const Parsed p = ParseFile("windows.registry.system", hive, "/Windows/System32/config/SYSTEM");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.out.problems.empty());

  // compname: WKS-WIN732BITA; timezone: Bias 300, ActiveTimeBias 240, TimeZoneKeyName "Eastern Standard
  // Time" (followed by junk after its NUL, which must not show); shutdown: 2012-04-04 01:58:40Z.
  ASSERT_EQ(p.Rows("windows.system_info").size(), 1u);
  const ArtefactRow& info = *p.Rows("windows.system_info")[0];
  EXPECT_EQ(p.Text(info, "computer_name"), "WKS-WIN732BITA");
  EXPECT_EQ(p.Text(info, "hostname"), "WKS-WIN732BITA");
  EXPECT_EQ(p.Text(info, "time_zone"), "Eastern Standard Time");
  EXPECT_EQ(p.Int(info, "bias_minutes"), 300);
  EXPECT_EQ(p.Int(info, "active_bias_minutes"), 240);
  EXPECT_EQ(p.Text(info, "current_control_set"), "ControlSet001");
  EXPECT_EQ(UtcText(info.time), "2012-04-04 01:58:40.839249");  // ShutdownTime bytes 33 d7 29 75 06 12 cd 01
  const ExportedValue shutdown = Regfexport(hive, "ControlSet001\\Control\\Windows", "ShutdownTime");
  EXPECT_EQ(UtcText(info.time), FiletimeText(shutdown.bytes, 0));
  const std::string compname = RegRipper(hive, "compname");
  EXPECT_NE(compname.find("ComputerName    = " + p.Text(info, "computer_name")), std::string::npos) << compname;
  const std::string tz = RegRipper(hive, "timezone");
  EXPECT_NE(tz.find("Bias           -> 300 (5 hours)"), std::string::npos) << tz;
  EXPECT_NE(tz.find("TimeZoneKeyName-> Eastern Standard Time"), std::string::npos) << tz;
  EXPECT_NE(RegRipper(hive, "shutdown").find("ShutdownTime  : 2012-04-04 01:58:40Z"), std::string::npos);

  // nic2: {698E50A9-...} static 10.3.58.5/255.255.255.0, gateway 10.3.58.1, DNS 10.3.58.4;
  // {6AAFC9A9-...} static 192.168.1.123 with an old lease obtained 2010-11-10 17:06:43Z, ends 2010-11-16 23:06:43Z.
  const ArtefactRow* nic =
      p.Find("windows.network_interface", "interface_guid", "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}");
  ASSERT_NE(nic, nullptr);
  EXPECT_EQ(p.Int(*nic, "dhcp_enabled"), 0);
  EXPECT_EQ(p.Text(*nic, "ip_address"), "10.3.58.5");
  EXPECT_EQ(p.Text(*nic, "subnet_mask"), "255.255.255.0");
  EXPECT_EQ(p.Text(*nic, "default_gateway"), "10.3.58.1");
  EXPECT_EQ(p.Text(*nic, "name_servers"), "10.3.58.4");
  EXPECT_EQ(nic->location,
            "ControlSet001\\Services\\Tcpip\\Parameters\\Interfaces\\{698E50A9-4F58-4D86-B61D-F42E58DCACF6}");
  const ArtefactRow* leased = p.Find("windows.network_interface", "ip_address", "192.168.1.123");
  ASSERT_NE(leased, nullptr);
  EXPECT_EQ(UtcText(p.Int(*leased, "lease_obtained")), "2010-11-10 17:06:43.000000");
  EXPECT_EQ(UtcText(p.Int(*leased, "lease_terminates")), "2010-11-16 23:06:43.000000");
  const std::string nic2 = RegRipper(hive, "nic2");
  EXPECT_NE(nic2.find("LeaseObtainedTime            2010-11-10 17:06:43Z"), std::string::npos) << nic2;

  // mountdev: C: and Volume{656b1715-...} are disk signature 3e a0 be 5c (the bytes of the 12-byte
  // value, regfexport) at offset 0x100000; E: and Volume{eba74da6-...} point at the HP stick's USBSTOR path.
  const ArtefactRow* c = p.Find("windows.mounted_device", "drive_letter", "C:");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(p.Text(*c, "data_kind"), "mbr partition");
  EXPECT_EQ(p.Text(*c, "disk_signature"), "0x5cbea03e");
  EXPECT_EQ(p.Int(*c, "partition_offset"), 1048576);
  const ExportedValue c_data = Regfexport(hive, "MountedDevices", "\\DosDevices\\C:");
  EXPECT_EQ(c_data.bytes, std::string("\x3e\xa0\xbe\x5c\x00\x00\x10\x00\x00\x00\x00\x00", 12));
  const ArtefactRow* e = p.Find("windows.mounted_device", "drive_letter", "E:");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(p.Text(*e, "device_path"),
            "_??_USBSTOR#Disk&Ven_HP&Prod_v100w&Rev_1024#AA951D0000007252&0#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}");
  EXPECT_EQ(p.Text(*e, "usb_serial"), "AA951D0000007252&0");
  EXPECT_EQ(p.Rows("windows.mounted_device").size(), 11u);  // regfinfo lists 11 MountedDevices values
  const std::string mountdev = RegRipper(hive, "mountdev");
  EXPECT_NE(mountdev.find("_??_USBSTOR#Disk&Ven_HP&Prod_v100w&Rev_1024#AA951D0000007252&0#"), std::string::npos);

  // usbstor: one disk, HP v100w, S/N AA951D0000007252&0, FriendlyName "HP v100w USB Device"; usbdevices:
  // VID_03F0&PID_3207 with the same serial. Windows 7 keeps only properties 0064/0065 (first install,
  // install), as 00000064\00000000 "Data": e0 1b 2d a0 28 f0 cb 01 for both.
  ASSERT_EQ(p.Rows("windows.usb_device").size(), 1u);
  const ArtefactRow& usb = *p.Rows("windows.usb_device")[0];
  const std::string instance = "ControlSet001\\Enum\\USBSTOR\\Disk&Ven_HP&Prod_v100w&Rev_1024\\AA951D0000007252&0";
  EXPECT_EQ(usb.location, instance);
  EXPECT_EQ(p.Text(usb, "source"), "USBSTOR");
  EXPECT_EQ(p.Text(usb, "vendor"), "HP");
  EXPECT_EQ(p.Text(usb, "product"), "v100w");
  EXPECT_EQ(p.Text(usb, "revision"), "1024");
  EXPECT_EQ(p.Text(usb, "vendor_id"), "03F0");
  EXPECT_EQ(p.Text(usb, "product_id"), "3207");
  EXPECT_EQ(p.Text(usb, "serial"), "AA951D0000007252&0");
  EXPECT_EQ(p.Int(usb, "serial_made_by_windows"), 0);
  EXPECT_EQ(p.Text(usb, "friendly_name"), "HP v100w USB Device");
  EXPECT_EQ(UtcText(p.Int(usb, "first_installed")), "2011-04-01 04:52:38.686000");
  EXPECT_EQ(UtcText(p.Int(usb, "installed")), "2011-04-01 04:52:38.686000");
  EXPECT_TRUE(p.IsNull(usb, "last_connected"));
  EXPECT_TRUE(p.IsNull(usb, "last_removed"));
  EXPECT_EQ(p.Text(usb, "drive_letter"), "E:");
  EXPECT_EQ(p.Text(usb, "volume_guid"), "{eba74da6-5bb2-11e0-95d1-000c2971073c}");
  EXPECT_EQ(p.Text(usb, "container_id"), "{198d50c0-8236-5bd2-a6d0-1064a25ce769}");
  EXPECT_EQ(p.Text(usb, "disk_id"), "{eba74da4-5bb2-11e0-95d1-000c2971073c}");
  EXPECT_EQ(UtcText(usb.time), "2011-04-01 04:52:38.686000");
  const ExportedValue first = Regfexport(hive, instance + kProps + "\\00000064\\00000000", "Data");
  EXPECT_EQ(UtcText(p.Int(usb, "first_installed")), FiletimeText(first.bytes, 0));
  EXPECT_FALSE(Regfexport(hive, instance + kProps + "\\00000066\\00000000", "Data").found);
  // usbstor prints the instance key's LastWrite to the second.
  const std::string usbstor = RegRipper(hive, "usbstor");
  EXPECT_NE(usbstor.find("S/N: AA951D0000007252&0 [2012-04-07 10:31:37Z]"), std::string::npos) << usbstor;
  EXPECT_EQ(UtcText(p.Int(usb, "key_written")).substr(0, 19), "2012-04-07 10:31:37");
}

TEST(SystemParser, Windows10HiveUsbTimes) {
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/SYSTEM_WIN_10_1709.xz");
  TempDir dir;
  const std::string hive = Unxz(xz, dir.path().string());
  const Parsed p = ParseFile("windows.registry.system", hive, "/Windows/System32/config/SYSTEM");
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  const ArtefactRow& info = *p.Rows("windows.system_info").at(0);
  // compname DESKTOP-2KGM189; timezone Pacific Standard Time, Bias 480; shutdown 2020-04-19 09:08:44Z.
  EXPECT_EQ(p.Text(info, "computer_name"), "DESKTOP-2KGM189");
  EXPECT_EQ(p.Text(info, "time_zone"), "Pacific Standard Time");
  EXPECT_EQ(p.Int(info, "bias_minutes"), 480);
  EXPECT_EQ(UtcText(p.Int(info, "last_shutdown")), "2020-04-19 09:08:44.923748");
  EXPECT_NE(RegRipper(hive, "compname").find("ComputerName    = DESKTOP-2KGM189"), std::string::npos);

  // Interface {5f3f359e-...}: DHCP 192.168.146.128 from 192.168.146.254, LeaseObtainedTime 1587705308
  // (regfexport) = 2020-04-24 05:15:08 UTC, domain localdomain.
  const ArtefactRow* nic = p.Find("windows.network_interface", "dhcp_ip_address", "192.168.146.128");
  ASSERT_NE(nic, nullptr);
  EXPECT_EQ(p.Int(*nic, "dhcp_enabled"), 1);
  EXPECT_EQ(p.Text(*nic, "dhcp_server"), "192.168.146.254");
  EXPECT_EQ(p.Text(*nic, "domain"), "localdomain");
  EXPECT_EQ(UtcText(nic->time), "2020-04-24 05:15:08.000000");
  const std::string nic_key =
      "ControlSet001\\Services\\Tcpip\\Parameters\\Interfaces\\{5f3f359e-9d52-4566-9bec-37efdfb25abe}";
  EXPECT_EQ(nic->location, nic_key);
  EXPECT_EQ(Regfexport(hive, nic_key, "LeaseObtainedTime").text, "1587705308");

  // usbstor: SanDisk Cruzer, S/N 200608767007B7C08A6A&0, First InstallDate / InstallDate / Last Arrival
  // 2020-03-17 14:02:38Z, Last Removal 2020-03-17 14:23:45Z. Windows 10 keeps them as the default value
  // of Properties\{83da6326-...}\0064..0067; the bytes (regfexport) decode to the micros below.
  const ArtefactRow* stick = p.Find("windows.usb_device", "serial", "200608767007B7C08A6A&0");
  ASSERT_NE(stick, nullptr);
  EXPECT_EQ(p.Text(*stick, "vendor"), "SanDisk");
  EXPECT_EQ(p.Text(*stick, "product"), "Cruzer");
  EXPECT_EQ(p.Text(*stick, "revision"), "1.20");
  EXPECT_EQ(p.Text(*stick, "vendor_id"), "0781");
  EXPECT_EQ(p.Text(*stick, "product_id"), "5530");
  EXPECT_EQ(p.Text(*stick, "friendly_name"), "SanDisk Cruzer USB Device");
  EXPECT_EQ(UtcText(p.Int(*stick, "first_installed")), "2020-03-17 14:02:38.955489");
  EXPECT_EQ(UtcText(p.Int(*stick, "installed")), "2020-03-17 14:02:38.955489");
  EXPECT_EQ(UtcText(p.Int(*stick, "last_connected")), "2020-03-17 14:02:38.946627");
  EXPECT_EQ(UtcText(p.Int(*stick, "last_removed")), "2020-03-17 14:23:45.504690");
  EXPECT_EQ(UtcText(stick->time), "2020-03-17 14:02:38.946627");
  const std::string instance = stick->location;
  EXPECT_EQ(instance, "ControlSet001\\Enum\\USBSTOR\\Disk&Ven_SanDisk&Prod_Cruzer&Rev_1.20\\200608767007B7C08A6A&0");
  const char* fields[] = {"first_installed", "installed", "last_connected", "last_removed"};
  const char* ids[] = {"0064", "0065", "0066", "0067"};
  for (int i = 0; i < 4; ++i) {
    const ExportedValue v = Regfexport(hive, instance + kProps + "\\" + ids[i], "(default)");
    ASSERT_TRUE(v.found) << ids[i];
    EXPECT_EQ(UtcText(p.Int(*stick, fields[i])), FiletimeText(v.bytes, 0)) << ids[i];
  }
  const std::string usbstor = RegRipper(hive, "usbstor");
  EXPECT_NE(usbstor.find("Last Arrival          : 2020-03-17 14:02:38Z"), std::string::npos) << usbstor;
  EXPECT_NE(usbstor.find("Last Removal          : 2020-03-17 14:23:45Z"), std::string::npos) << usbstor;
  // MountedDevices maps no letter to this stick: F: is disk signature 0x002b1be5 (e5 1b 2b 00), and the
  // stick's Partmgr cache names signature 0x0322c650, so there is nothing to join.
  EXPECT_TRUE(p.IsNull(*stick, "drive_letter"));
  const ArtefactRow* f = p.Find("windows.mounted_device", "drive_letter", "F:");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(p.Text(*f, "disk_signature"), "0x002b1be5");

  // Enum\USB devices with real serials and no USBSTOR entry (UASP disks, a VMware Bluetooth adapter).
  const ArtefactRow* uasp = p.Find("windows.usb_device", "serial", "MSFT30313735303835343230333437");
  ASSERT_NE(uasp, nullptr);
  EXPECT_EQ(p.Text(*uasp, "source"), "USB");
  EXPECT_EQ(p.Text(*uasp, "vendor_id"), "0781");
  EXPECT_EQ(p.Text(*uasp, "product_id"), "558C");
  EXPECT_EQ(p.Rows("windows.usb_device").size(), 4u);
}

TEST(SystemParser, CorruptedHiveKeepsItsHeaderAndReportsTheRest) {
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/corrupted_system_hive.xz");
  TempDir dir;
  const std::string hive = Unxz(xz, dir.path().string());
  // Many hive bins of this file are zeroed; libregf (like regfexport) cannot build the root key, though
  // RegRipper's own reader, which ignores hive bin headers, still finds ComputerName GINEVRA.
  const Parsed p = ParseFile("windows.registry.system", hive, "/Windows/System32/config/SYSTEM");
  EXPECT_TRUE(p.wanted);  // the header names SYSTEM
  EXPECT_FALSE(p.status.ok());
  EXPECT_TRUE(p.out.rows.empty());
  EXPECT_NE(Shell("regfexport " + ShellQuote(hive) + " 2>&1").out.find("unable to retrieve root key"),
            std::string::npos);
  // The hive record still says what the file is and that it is damaged.
  const Parsed rec = ParseFile("windows.registry.hive", hive, "/Windows/System32/config/SYSTEM");
  ASSERT_EQ(rec.Rows("windows.registry_hive").size(), 1u);
  const ArtefactRow& r = *rec.Rows("windows.registry_hive")[0];
  EXPECT_EQ(rec.Int(r, "corrupted"), 1);
  EXPECT_EQ(rec.Text(r, "hive_type"), "SYSTEM");
  EXPECT_EQ(rec.Text(r, "hive_type_from"), "name");
  EXPECT_TRUE(rec.IsNull(r, "root_key"));
  EXPECT_FALSE(rec.out.problems.empty());
}

TEST(SystemParser, TruncatedCopies) {
  CUSTOS_REQUIRE_CORPUS(xz, "artefacts/registry/SYSTEM_WIN_10_1709.xz");
  TempDir dir;
  const std::string path = Unxz(xz, dir.path().string());
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (size_t cut : {size_t{600}, size_t{4096}, size_t{8192}, bytes.size() / 3, bytes.size() - 4096}) {
    const Parsed p = ParseBytes("windows.registry.system", bytes.substr(0, cut), "/SYSTEM");
    // Whatever is kept stays consistent: never more USB devices than the whole hive has.
    EXPECT_LE(p.Rows("windows.usb_device").size(), 4u) << cut;
    if (cut <= 8192) {
      EXPECT_FALSE(p.status.ok()) << cut;
      EXPECT_TRUE(p.out.rows.empty()) << cut;
    }
  }
}

}  // namespace
}  // namespace custos::testing
