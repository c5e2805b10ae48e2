// Parser: the SYSTEM hive (Windows\System32\config\SYSTEM): the computer's name, time zone and last
// shutdown, its network interfaces, the volumes Windows mounted (MountedDevices) and the USB storage
// devices ever attached, with their install/arrival/removal times and, where the data allows, their letter.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "parsers/common/byte_reader.h"
#include "parsers/common/field_values.h"
#include "parsers/common/windows_time.h"
#include "parsers/parser.h"
#include "parsers/windows/registry_hive.h"

namespace custos {
namespace {

constexpr char kSystemInfo[] = "windows.system_info";
constexpr char kInterface[] = "windows.network_interface";
constexpr char kMounted[] = "windows.mounted_device";
constexpr char kUsb[] = "windows.usb_device";

// The device property set holding a device's install and connection times (DEVPKEY_Device_*Date).
constexpr char kDevicePropertySet[] = "Properties\\{83da6326-97a6-4088-9453-a1923f573b29}";

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<std::string> NonEmpty(std::optional<std::string> s) {
  if (s && s->empty()) return std::nullopt;
  return s;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::optional<std::string> JoinedOrNull(const std::vector<std::string>& parts) {
  std::string s = Join(parts, ", ");
  if (s.empty()) return std::nullopt;
  return s;
}

// A value holding text, or a list of strings (REG_MULTI_SZ), as "a, b"; NULL when empty.
std::optional<std::string> TextList(const RegistryKey& key, std::string_view value_name) {
  auto v = key.Value(value_name);
  if (!v) return std::nullopt;
  return JoinedOrNull(v->Strings());
}

std::optional<int64_t> SignedDword(const RegistryKey& key, std::string_view value_name) {
  auto n = key.Number(value_name);
  if (!n) return std::nullopt;
  return static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(*n)));
}

std::optional<UtcMicros> FiletimeValue(const RegistryKey& key, std::string_view value_name) {
  auto data = key.Data(value_name);
  if (!data) return std::nullopt;
  auto ft = ByteReader(*data).U64(0);
  return ft ? FromFiletime(*ft) : std::nullopt;
}

// DHCP lease times are DWORD seconds since 1970 (UTC).
std::optional<UtcMicros> UnixSecondsValue(const RegistryKey& key, std::string_view value_name) {
  auto n = key.Number(value_name);
  return n ? FromUnixSeconds(*n) : std::nullopt;
}

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// --- MountedDevices -------------------------------------------------------------------------------
// Each value maps a name (\DosDevices\E:, \??\Volume{GUID}, or #{GUID} for a mount point) to what the
// volume is: 12 bytes (MBR disk signature, partition byte offset), "DMIO:ID:" and a GPT partition GUID,
// or the UTF-16 device path of a removable device (\??\USBSTOR#Disk&Ven_..&Prod_..#<serial>#{class}).
struct MountedDevice {
  std::string name;
  std::optional<std::string> drive_letter, volume_guid;
  std::string data_kind;
  std::optional<std::string> disk_signature, partition_guid, device_path;
  std::optional<int64_t> partition_offset;
};

MountedDevice DecodeMountedDevice(const std::string& name, const std::string& data) {
  MountedDevice m;
  m.name = name;
  const std::string lower = Lower(name);
  if (lower.rfind("\\dosdevices\\", 0) == 0) m.drive_letter = name.substr(12);
  const size_t brace = name.find('{');
  if (lower.rfind("\\??\\volume{", 0) == 0 && brace != std::string::npos) m.volume_guid = name.substr(brace);
  const ByteReader r(data);
  if (data.size() == 12) {
    m.data_kind = "mbr partition";
    m.disk_signature = Hex32(*r.U32(0));
    m.partition_offset = static_cast<int64_t>(*r.U64(4));
  } else if (data.size() >= 24 && data.substr(0, 8) == "DMIO:ID:") {
    m.data_kind = "gpt partition";
    m.partition_guid = "{" + GuidText(data.substr(8, 16)) + "}";
  } else if (data.size() >= 8 && (data.substr(0, 8) == std::string("\\\0?\0?\0\\\0", 8) ||
                                  data.substr(0, 8) == std::string("_\0?\0?\0_\0", 8))) {
    m.data_kind = "device path";
    m.device_path = ByteReader(data).Utf16Z(0, data.size() / 2);
  } else {
    m.data_kind = "other";
  }
  return m;
}

std::vector<MountedDevice> ReadMountedDevices(const RegistryHive& hive) {
  std::vector<MountedDevice> out;
  auto key = hive.Key("MountedDevices");
  if (!key) return out;
  for (const auto& v : key->Values()) out.push_back(DecodeMountedDevice(v.name(), v.Data()));
  return out;
}

// --- USB storage ----------------------------------------------------------------------------------
// "Disk&Ven_HP&Prod_v100w&Rev_1024" -> type Disk, vendor HP, product v100w, revision 1024.
struct UsbStorClass {
  std::optional<std::string> type, vendor, product, revision;
};

UsbStorClass ParseUsbStorClass(const std::string& id) {
  UsbStorClass c;
  size_t start = 0;
  bool first = true;
  while (start <= id.size()) {
    size_t amp = id.find('&', start);
    if (amp == std::string::npos) amp = id.size();
    const std::string part = id.substr(start, amp - start);
    if (first) {
      c.type = part;
    } else if (part.rfind("Ven_", 0) == 0) {
      c.vendor = part.substr(4);
    } else if (part.rfind("Prod_", 0) == 0) {
      c.product = part.substr(5);
    } else if (part.rfind("Rev_", 0) == 0) {
      c.revision = part.substr(4);
    }
    first = false;
    start = amp + 1;
  }
  return c;
}

// "VID_03F0&PID_3207" (or "...&MI_00") -> vendor id 03F0, product id 3207.
std::pair<std::optional<std::string>, std::optional<std::string>> ParseVidPid(const std::string& id) {
  std::optional<std::string> vid, pid;
  const std::string upper = [&] {
    std::string u = id;
    for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u;
  }();
  if (auto p = upper.find("VID_"); p != std::string::npos) vid = id.substr(p + 4, 4);
  if (auto p = upper.find("PID_"); p != std::string::npos) pid = id.substr(p + 4, 4);
  return {vid, pid};
}

// A device property time: Windows 8 on keeps it as the default value of Properties\{set}\0064, Windows 7
// as the "Data" value of Properties\{set}\00000064\00000000. Both hold a FILETIME.
std::optional<UtcMicros> DevicePropertyTime(const RegistryKey& instance, std::string_view id) {
  const std::string set(kDevicePropertySet);
  if (auto k = instance.Subkey(set + "\\" + std::string(id))) {
    if (auto t = FiletimeValue(*k, "")) return t;
  }
  if (auto k = instance.Subkey(set + "\\0000" + std::string(id) + "\\00000000")) return FiletimeValue(*k, "Data");
  return std::nullopt;
}

// A serial number Windows made up because the device has none has '&' as its second character.
bool WindowsMadeSerial(const std::string& instance) { return instance.size() > 1 && instance[1] == '&'; }

// "AA951D0000007252&0" -> "AA951D0000007252": the USBSTOR instance is the USB serial and a LUN.
std::string SerialOfStorageInstance(const std::string& instance) {
  if (WindowsMadeSerial(instance)) return instance;
  const size_t amp = instance.rfind('&');
  return amp == std::string::npos ? instance : instance.substr(0, amp);
}

struct UsbParent {
  std::string id;  // VID_xxxx&PID_yyyy
  std::optional<std::string> vid, pid;
  bool used = false;
};

// The drive letters and volume GUIDs MountedDevices maps to a device path naming this instance.
void LettersFor(const std::vector<MountedDevice>& mounted, const std::string& class_id, const std::string& instance,
                std::vector<std::string>& letters, std::vector<std::string>& volumes) {
  const std::string needle = Lower("#" + class_id + "#" + instance + "#");
  for (const auto& m : mounted) {
    if (!m.device_path || Lower(*m.device_path).find(needle) == std::string::npos) continue;
    if (m.drive_letter) letters.push_back(*m.drive_letter);
    if (m.volume_guid) volumes.push_back(*m.volume_guid);
  }
}

std::vector<FieldDecl> UsbFields() {
  return {
      {"source", FieldType::kText,
       "USBSTOR (a storage device: stick, disk, card reader) or USB (any other device "
       "with a serial number, e.g. a phone or a UASP disk)"},
      {"device_class_id", FieldType::kText,
       "the Enum key naming the model (Disk&Ven_..&Prod_..&Rev_.. or VID_..&PID_..)"},
      {"device_type", FieldType::kText, "Disk, CdRom... (USBSTOR)"},
      {"vendor", FieldType::kText, "vendor as the device reports it (USBSTOR)"},
      {"product", FieldType::kText, "product as the device reports it (USBSTOR)"},
      {"revision", FieldType::kText, "firmware revision (USBSTOR)"},
      {"vendor_id", FieldType::kText, "USB vendor ID (VID), from Enum\\USB"},
      {"product_id", FieldType::kText, "USB product ID (PID), from Enum\\USB"},
      {"serial", FieldType::kText,
       "the instance ID: the device's serial number (plus &LUN for USBSTOR), the "
       "value to look for on the seized stick and in other logs"},
      {"serial_made_by_windows", FieldType::kInteger,
       "1 when the device has no serial number and Windows made the ID up (second character '&'): it is then "
       "not unique to the device"},
      {"friendly_name", FieldType::kText, "the name Windows shows for the device"},
      {"first_installed", FieldType::kTime, "first time the device was installed on this system (property 0064)"},
      {"installed", FieldType::kTime, "when its driver was last installed (property 0065)"},
      {"last_connected", FieldType::kTime, "last arrival: when it was last plugged in (property 0066, Windows 8 on)"},
      {"last_removed", FieldType::kTime, "last removal: when it was last unplugged (property 0067, Windows 8 on)"},
      {"drive_letter", FieldType::kText,
       "the letter MountedDevices still maps to this device (only the last device to hold a letter keeps it)"},
      {"volume_guid", FieldType::kText, "volume GUID(s) MountedDevices maps to it: ties it to a user's MountPoints2"},
      {"container_id", FieldType::kText, "ContainerID: the same for all of a physical device's Enum entries"},
      {"disk_id", FieldType::kText, "Partmgr DiskId, for the disk's later connections in event logs"},
      {"key_written", FieldType::kTime, "last written time of the instance key"},
  };
}

class SystemParser : public Parser {
 public:
  std::string name() const override { return "windows.registry.system"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {
        {kSystemInfo,
         "the computer as its SYSTEM hive describes it: name, time zone, control set and last shutdown (row time)",
         {
             {"computer_name", FieldType::kText, "NetBIOS name (Control\\ComputerName\\ComputerName)"},
             {"hostname", FieldType::kText, "TCP/IP host name (Services\\Tcpip\\Parameters)"},
             {"domain", FieldType::kText, "DNS domain of the machine (Services\\Tcpip\\Parameters)"},
             {"time_zone", FieldType::kText, "the time zone's key name (e.g. Eastern Standard Time)"},
             {"standard_name", FieldType::kText, "StandardName as stored (often a @tzres.dll reference)"},
             {"bias_minutes", FieldType::kInteger, "UTC = local time + bias; -60 is UTC+1"},
             {"active_bias_minutes", FieldType::kInteger, "the bias in force when the hive was written (with DST)"},
             {"dynamic_dst_disabled", FieldType::kInteger, "1 when automatic daylight saving changes were turned off"},
             {"current_control_set", FieldType::kText, "the control set Windows last booted with (Select\\Current)"},
             {"last_shutdown", FieldType::kTime, "when Windows last shut down cleanly (Control\\Windows ShutdownTime)"},
             {"time_zone_written", FieldType::kTime, "last written time of the TimeZoneInformation key"},
         }},
        {kInterface,
         "a network interface's TCP/IP settings: its static or DHCP address, gateway and DHCP lease (row time: "
         "lease obtained, else the key's last write)",
         {
             {"interface_guid", FieldType::kText, "the interface's GUID (the key name)"},
             {"dhcp_enabled", FieldType::kInteger, "1 when the address came from DHCP"},
             {"ip_address", FieldType::kText, "static address(es) (IPAddress)"},
             {"subnet_mask", FieldType::kText, "static subnet mask(s)"},
             {"default_gateway", FieldType::kText, "static default gateway(s)"},
             {"dhcp_ip_address", FieldType::kText, "address last given by DHCP"},
             {"dhcp_subnet_mask", FieldType::kText, "subnet mask last given by DHCP"},
             {"dhcp_default_gateway", FieldType::kText, "gateway last given by DHCP"},
             {"dhcp_server", FieldType::kText, "the DHCP server that gave the lease"},
             {"name_servers", FieldType::kText, "DNS servers (static NameServer, else DhcpNameServer)"},
             {"domain", FieldType::kText, "DNS domain (Domain, else DhcpDomain): may name a network (hotel, office)"},
             {"lease_obtained", FieldType::kTime, "when the DHCP lease was obtained: the machine was on that network"},
             {"lease_terminates", FieldType::kTime, "when the DHCP lease ends"},
             {"key_written", FieldType::kTime, "last written time of the interface key"},
         }},
        {kMounted,
         "a volume Windows mounted: the drive letter or volume GUID and the disk or device behind it",
         {
             {"name", FieldType::kText, "the value name: \\DosDevices\\E:, \\??\\Volume{GUID} or #{GUID}"},
             {"drive_letter", FieldType::kText, "E: for \\DosDevices\\E:"},
             {"volume_guid", FieldType::kText, "{GUID} for \\??\\Volume{GUID}"},
             {"data_kind", FieldType::kText, "mbr partition, gpt partition, device path or other"},
             {"disk_signature", FieldType::kText, "MBR disk signature (matches the disk's MBR at offset 440)"},
             {"partition_offset", FieldType::kInteger, "byte offset of the partition on that disk"},
             {"partition_guid", FieldType::kText, "GPT partition GUID"},
             {"device_path", FieldType::kText, "device path of a removable volume (USBSTOR#...#serial#...)"},
             {"usb_serial", FieldType::kText, "the USBSTOR serial named in the device path"},
             {"key_written", FieldType::kTime, "last written time of the MountedDevices key"},
         }},
        {kUsb,
         "a USB device that was attached: model, serial number, and when it was first installed, last plugged in "
         "and unplugged (row time: last connected, else installed or first installed)",
         UsbFields()},
    };
  }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return MayBeHiveOfType(HiveType::kSystem, file, head);
  }
  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto opened = RegistryHive::Open(input.bytes);
    if (!opened.ok()) return opened.status();
    const RegistryHive& hive = **opened;
    const HiveType type = HiveTypeOf(hive);
    if (type == HiveType::kUnknown) return Status::Corruption("the root key of the hive cannot be read");
    if (type != HiveType::kSystem) return Status::Ok();
    NoteHiveProblems(hive, input.bytes, out.problems);
    std::string ccs = CurrentControlSet(hive);
    if (ccs.empty()) {
      out.problems.push_back("Select\\Current is missing: reading ControlSet001");
      ccs = "ControlSet001";
    }
    if (!hive.Key(ccs)) return Status::Corruption(ccs + " cannot be read");
    SystemInfo(hive, ccs, out);
    Interfaces(hive, ccs, out);
    const auto mounted = ReadMountedDevices(hive);
    MountedDevices(hive, mounted, out);
    UsbDevices(hive, ccs, mounted, out);
    return Status::Ok();
  }

 private:
  static void SystemInfo(const RegistryHive& hive, const std::string& ccs, ParseOutput& out) {
    auto name_key = hive.Key(ccs + "\\Control\\ComputerName\\ComputerName");
    auto tcpip = hive.Key(ccs + "\\Services\\Tcpip\\Parameters");
    auto tz = hive.Key(ccs + "\\Control\\TimeZoneInformation");
    auto windows = hive.Key(ccs + "\\Control\\Windows");
    if (!name_key) out.problems.push_back(ccs + "\\Control\\ComputerName\\ComputerName cannot be read");
    if (!tz) out.problems.push_back(ccs + "\\Control\\TimeZoneInformation cannot be read");
    const auto computer = name_key ? NonEmpty(name_key->Text("ComputerName")) : std::nullopt;
    const auto tz_name = tz ? NonEmpty(tz->Text("TimeZoneKeyName")) : std::nullopt;
    const auto standard = tz ? NonEmpty(tz->Text("StandardName")) : std::nullopt;
    const auto bias = tz ? SignedDword(*tz, "Bias") : std::nullopt;
    const auto shutdown = windows ? FiletimeValue(*windows, "ShutdownTime") : std::nullopt;

    ArtefactRow row;
    row.kind = kSystemInfo;
    row.location = ccs + "\\Control";
    row.time = shutdown;
    auto& v = row.values;
    v.push_back(TextOrNull(computer));
    v.push_back(TextOrNull(tcpip ? NonEmpty(tcpip->Text("Hostname")) : std::nullopt));
    v.push_back(TextOrNull(tcpip ? NonEmpty(tcpip->Text("Domain")) : std::nullopt));
    v.push_back(TextOrNull(tz_name));
    v.push_back(TextOrNull(standard));
    v.push_back(IntOrNull(bias));
    v.push_back(IntOrNull(tz ? SignedDword(*tz, "ActiveTimeBias") : std::nullopt));
    v.push_back(IntOrNull(tz ? tz->Number("DynamicDaylightTimeDisabled") : std::nullopt));
    v.push_back(ccs);
    v.push_back(IntOrNull(shutdown));
    v.push_back(IntOrNull(tz ? tz->last_written() : std::nullopt));
    row.summary = "computer " + computer.value_or("(no name)");
    if (tz_name || standard) row.summary += ", time zone " + tz_name.value_or(standard.value_or(""));
    if (bias) row.summary += " (bias " + std::to_string(*bias) + " min)";
    if (shutdown) row.summary += ", last shut down";
    out.rows.push_back(std::move(row));
  }

  static void Interfaces(const RegistryHive& hive, const std::string& ccs, ParseOutput& out) {
    const std::string path = ccs + "\\Services\\Tcpip\\Parameters\\Interfaces";
    auto interfaces = hive.Key(path);
    if (!interfaces) {
      out.problems.push_back(path + " cannot be read");
      return;
    }
    for (const RegistryKey& k : interfaces->Subkeys()) {
      if (k.value_count() == 0) continue;  // an interface never configured
      const std::string guid = k.name();
      const auto dhcp = k.Number("EnableDHCP");
      const auto obtained = UnixSecondsValue(k, "LeaseObtainedTime");
      const auto ip = TextList(k, "IPAddress");
      const auto dhcp_ip = NonEmpty(k.Text("DhcpIPAddress"));
      auto dns = TextList(k, "NameServer");
      if (!dns) dns = TextList(k, "DhcpNameServer");
      auto domain = NonEmpty(k.Text("Domain"));
      if (!domain) domain = NonEmpty(k.Text("DhcpDomain"));

      ArtefactRow row;
      row.kind = kInterface;
      row.location = path + "\\" + guid;
      row.time = obtained ? obtained : k.last_written();
      auto& v = row.values;
      v.push_back(guid);
      v.push_back(IntOrNull(dhcp));
      v.push_back(TextOrNull(ip));
      v.push_back(TextOrNull(TextList(k, "SubnetMask")));
      v.push_back(TextOrNull(TextList(k, "DefaultGateway")));
      v.push_back(TextOrNull(dhcp_ip));
      v.push_back(TextOrNull(NonEmpty(k.Text("DhcpSubnetMask"))));
      v.push_back(TextOrNull(TextList(k, "DhcpDefaultGateway")));
      v.push_back(TextOrNull(NonEmpty(k.Text("DhcpServer"))));
      v.push_back(TextOrNull(dns));
      v.push_back(TextOrNull(domain));
      v.push_back(IntOrNull(obtained));
      v.push_back(IntOrNull(UnixSecondsValue(k, "LeaseTerminatesTime")));
      v.push_back(IntOrNull(k.last_written()));
      const bool uses_dhcp = dhcp.value_or(0) == 1;
      const auto shown = uses_dhcp ? (dhcp_ip ? dhcp_ip : ip) : (ip ? ip : dhcp_ip);
      row.summary = "network interface " + guid + (uses_dhcp ? " (DHCP)" : " (static)");
      if (shown) row.summary += " " + *shown;
      if (domain) row.summary += ", domain " + *domain;
      out.rows.push_back(std::move(row));
    }
  }

  static void MountedDevices(const RegistryHive& hive, const std::vector<MountedDevice>& mounted, ParseOutput& out) {
    auto key = hive.Key("MountedDevices");
    if (!key) {
      out.problems.push_back("MountedDevices cannot be read");
      return;
    }
    const auto written = key->last_written();
    for (const auto& m : mounted) {
      std::optional<std::string> usb_serial;
      if (m.device_path && Lower(*m.device_path).find("usbstor#") != std::string::npos) {
        // \??\USBSTOR#<class>#<serial>#{interface}
        const std::string& p = *m.device_path;
        const size_t a = p.find('#'), b = a == std::string::npos ? a : p.find('#', a + 1);
        const size_t c = b == std::string::npos ? b : p.find('#', b + 1);
        if (c != std::string::npos) usb_serial = p.substr(b + 1, c - b - 1);
      }
      ArtefactRow row;
      row.kind = kMounted;
      row.location = "MountedDevices";
      auto& v = row.values;
      v.push_back(m.name);
      v.push_back(TextOrNull(m.drive_letter));
      v.push_back(TextOrNull(m.volume_guid));
      v.push_back(m.data_kind);
      v.push_back(TextOrNull(m.disk_signature));
      v.push_back(IntOrNull(m.partition_offset));
      v.push_back(TextOrNull(m.partition_guid));
      v.push_back(TextOrNull(m.device_path));
      v.push_back(TextOrNull(usb_serial));
      v.push_back(IntOrNull(written));
      row.summary = "mounted " + m.name + " -> ";
      if (m.device_path) {
        row.summary += *m.device_path;
      } else if (m.disk_signature) {
        row.summary += "disk " + *m.disk_signature + " offset " + std::to_string(*m.partition_offset);
      } else if (m.partition_guid) {
        row.summary += "GPT partition " + *m.partition_guid;
      } else {
        row.summary += m.data_kind;
      }
      out.rows.push_back(std::move(row));
    }
  }

  static void UsbDevices(const RegistryHive& hive, const std::string& ccs, const std::vector<MountedDevice>& mounted,
                         ParseOutput& out) {
    // Enum\USB first: its serials give the VID/PID of the USBSTOR devices, and its other devices with a
    // real serial (phones, UASP disks that show under Enum\SCSI) get rows of their own.
    std::map<std::string, UsbParent> parents;  // lowercased serial -> the USB device
    const std::string usb_path = ccs + "\\Enum\\USB";
    auto usb = hive.Key(usb_path);
    if (usb) {
      for (const RegistryKey& model : usb->Subkeys()) {
        const std::string id = model.name();
        if (Lower(id).rfind("vid_", 0) != 0) continue;  // root hubs
        const auto [vid, pid] = ParseVidPid(id);
        for (const RegistryKey& instance : model.Subkeys()) {
          const std::string serial = instance.name();
          if (WindowsMadeSerial(serial)) continue;
          parents[Lower(serial)] = UsbParent{id, vid, pid, false};
        }
      }
    }
    const std::string stor_path = ccs + "\\Enum\\USBSTOR";
    if (auto stor = hive.Key(stor_path)) {
      for (const RegistryKey& model : stor->Subkeys()) {
        const std::string class_id = model.name();
        const UsbStorClass c = ParseUsbStorClass(class_id);
        for (const RegistryKey& instance : model.Subkeys()) {
          const std::string serial = instance.name();
          UsbParent* parent = nullptr;
          if (auto it = parents.find(Lower(SerialOfStorageInstance(serial))); it != parents.end()) {
            parent = &it->second;
            parent->used = true;
          }
          std::vector<std::string> letters, volumes;
          LettersFor(mounted, class_id, serial, letters, volumes);
          UsbRow(instance, stor_path + "\\" + class_id + "\\" + serial, "USBSTOR", class_id, c,
                 parent ? parent->vid : std::nullopt, parent ? parent->pid : std::nullopt, JoinedOrNull(letters),
                 JoinedOrNull(volumes), out);
        }
      }
    }
    if (!usb) return;
    for (const RegistryKey& model : usb->Subkeys()) {
      const std::string id = model.name();
      for (const RegistryKey& instance : model.Subkeys()) {
        auto it = parents.find(Lower(instance.name()));
        if (it == parents.end() || it->second.used || it->second.id != id) continue;
        UsbRow(instance, usb_path + "\\" + id + "\\" + instance.name(), "USB", id, UsbStorClass{}, it->second.vid,
               it->second.pid, std::nullopt, std::nullopt, out);
      }
    }
  }

  static void UsbRow(const RegistryKey& instance, const std::string& location, const std::string& source,
                     const std::string& class_id, const UsbStorClass& c, std::optional<std::string> vid,
                     std::optional<std::string> pid, std::optional<std::string> letters,
                     std::optional<std::string> volumes, ParseOutput& out) {
    const std::string serial = instance.name();
    const auto first = DevicePropertyTime(instance, "0064");
    const auto installed = DevicePropertyTime(instance, "0065");
    const auto arrival = DevicePropertyTime(instance, "0066");
    const auto removal = DevicePropertyTime(instance, "0067");
    auto friendly = NonEmpty(instance.Text("FriendlyName"));
    if (!friendly) {
      // DeviceDesc is "@usb.inf,%desc%;USB Mass Storage Device": the text after ';' is what Windows shows.
      if (auto desc = NonEmpty(instance.Text("DeviceDesc"))) friendly = NonEmpty(desc->substr(desc->rfind(';') + 1));
    }
    auto partmgr = instance.Subkey("Device Parameters\\Partmgr");

    ArtefactRow row;
    row.kind = kUsb;
    row.location = location;
    row.time = arrival ? arrival : (installed ? installed : (first ? first : instance.last_written()));
    auto& v = row.values;
    v.push_back(source);
    v.push_back(class_id);
    v.push_back(TextOrNull(c.type));
    v.push_back(TextOrNull(c.vendor));
    v.push_back(TextOrNull(c.product));
    v.push_back(TextOrNull(c.revision));
    v.push_back(TextOrNull(vid));
    v.push_back(TextOrNull(pid));
    v.push_back(serial);
    v.push_back(int64_t{WindowsMadeSerial(serial) ? 1 : 0});
    v.push_back(TextOrNull(friendly));
    v.push_back(IntOrNull(first));
    v.push_back(IntOrNull(installed));
    v.push_back(IntOrNull(arrival));
    v.push_back(IntOrNull(removal));
    v.push_back(TextOrNull(letters));
    v.push_back(TextOrNull(volumes));
    v.push_back(TextOrNull(NonEmpty(instance.Text("ContainerID"))));
    v.push_back(TextOrNull(partmgr ? NonEmpty(partmgr->Text("DiskId")) : std::nullopt));
    v.push_back(IntOrNull(instance.last_written()));
    std::string model = friendly ? *friendly : Join({c.vendor.value_or(""), c.product.value_or("")}, " ");
    if (model.empty()) model = class_id;
    row.summary = "USB device " + model + " serial " + serial;
    if (letters) row.summary += " as " + *letters;
    out.rows.push_back(std::move(row));
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(SystemParser);

}  // namespace custos
