// Parser: the SOFTWARE hive (Windows\System32\config\SOFTWARE): which Windows it is and when it was
// installed, the programs installed (Uninstall keys, 64- and 32-bit), and the networks the machine joined
// (NetworkList profiles and signatures, with first and last connection and the gateway's MAC address).
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

constexpr char kOsInfo[] = "windows.os_info";
constexpr char kProgram[] = "windows.installed_program";
constexpr char kNetwork[] = "windows.known_network";
constexpr char kCurrentVersion[] = "Microsoft\\Windows NT\\CurrentVersion";
constexpr char kNetworkList[] = "Microsoft\\Windows NT\\CurrentVersion\\NetworkList";
constexpr char kLocalTimeNote[] = "local time of the machine (its zone is in SYSTEM's TimeZoneInformation)";

std::optional<std::string> NonEmpty(std::optional<std::string> s) {
  if (s && s->empty()) return std::nullopt;
  return s;
}

// A SYSTEMTIME (eight little-endian words: year, month, weekday, day, hour, minute, second, ms) as
// microseconds since 1970, taking the fields as they are (NetworkList stores local time).
std::optional<UtcMicros> FromSystemtime(std::string_view data) {
  const ByteReader r(data);
  auto year = r.U16(0), month = r.U16(2), day = r.U16(6), hour = r.U16(8), minute = r.U16(10), second = r.U16(12),
       ms = r.U16(14);
  if (!ms || *year < 1601 || *year > 9999 || *month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 ||
      *minute > 59 || *second > 59 || *ms > 999) {
    return std::nullopt;
  }
  // Days from 1970-01-01 to the civil date (Howard Hinnant's days_from_civil).
  const int64_t y = static_cast<int64_t>(*year) - (*month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t m = *month;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + *day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = era * 146097 + doe - 719468;
  return ((days * 24 + *hour) * 60 + *minute) * 60 * 1000000LL + *second * 1000000LL + *ms * 1000LL;
}

std::optional<std::string> MacText(std::string_view data) {
  if (data.size() != 6) return std::nullopt;
  char buf[20];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", static_cast<unsigned char>(data[0]),
                static_cast<unsigned char>(data[1]), static_cast<unsigned char>(data[2]),
                static_cast<unsigned char>(data[3]), static_cast<unsigned char>(data[4]),
                static_cast<unsigned char>(data[5]));
  return std::string(buf);
}

// Uninstall InstallDate is text, "YYYYMMDD"; shown as "YYYY-MM-DD", anything else as stored.
std::optional<std::string> InstallDateText(std::optional<std::string> s) {
  s = NonEmpty(std::move(s));
  if (!s || s->size() != 8 || s->find_first_not_of("0123456789") != std::string::npos) return s;
  return s->substr(0, 4) + "-" + s->substr(4, 2) + "-" + s->substr(6, 2);
}

std::string NetworkTypeName(int64_t name_type) {
  switch (name_type) {
    case 0x06:
      return "wired";
    case 0x17:
      return "mobile broadband";
    case 0x47:
      return "wireless";
    case 0xF3:
      return "other";
    default:
      return "unknown (" + std::to_string(name_type) + ")";
  }
}

class SoftwareParser : public Parser {
 public:
  std::string name() const override { return "windows.registry.software"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {
        {kOsInfo,
         "the installed Windows: edition, version, build and install date (row time), and who registered it",
         {
             {"product_name", FieldType::kText, "e.g. Windows 10 Pro"},
             {"edition_id", FieldType::kText, "e.g. Professional"},
             {"display_version", FieldType::kText, "the release (DisplayVersion, else ReleaseId), e.g. 1709"},
             {"current_version", FieldType::kText, "internal version (6.3 for Windows 8.1 and 10)"},
             {"build", FieldType::kText, "build number (CurrentBuild)"},
             {"service_pack", FieldType::kText, "CSDVersion (Windows 7 and older)"},
             {"install_date", FieldType::kTime,
              "when Windows was installed, or last upgraded to a new release (InstallTime, else InstallDate)"},
             {"registered_owner", FieldType::kText, "the owner name typed at setup"},
             {"registered_organization", FieldType::kText, "the organisation typed at setup"},
             {"product_id", FieldType::kText, "product ID"},
             {"system_root", FieldType::kText, "where Windows is (e.g. C:\\Windows)"},
             {"key_written", FieldType::kTime, "last written time of the CurrentVersion key"},
         }},
        {kProgram,
         "a program installed through Windows Installer or a setup program (its Uninstall entry); row time: the "
         "entry's last write, usually the install or last update",
         {
             {"name", FieldType::kText, "DisplayName, else the key name"},
             {"version", FieldType::kText, "DisplayVersion"},
             {"publisher", FieldType::kText, "Publisher"},
             {"install_date", FieldType::kText, "InstallDate as YYYY-MM-DD (a date the installer wrote, no time)"},
             {"install_location", FieldType::kText, "InstallLocation"},
             {"install_source", FieldType::kText, "InstallSource: where it was installed from (a USB stick, a URL)"},
             {"uninstall_string", FieldType::kText, "UninstallString"},
             {"architecture", FieldType::kText, "64-bit or 32-bit (Wow6432Node)"},
             {"key_name", FieldType::kText, "the Uninstall subkey (a product code for MSI packages)"},
             {"key_written", FieldType::kTime, "last written time of the Uninstall entry"},
         }},
        {kNetwork,
         "a network the machine connected to (NetworkList): its name, when first and last connected (local "
         "time, row time: last connected) and the gateway's MAC address, which can locate it",
         {
             {"profile_name", FieldType::kText, "the network's name (a Wi-Fi SSID, or Network 2 for a cable)"},
             {"description", FieldType::kText, "the profile's description"},
             {"network_type", FieldType::kText, "wired, wireless or mobile broadband (NameType)"},
             {"category", FieldType::kText, "public, private or domain"},
             {"managed", FieldType::kInteger, "1 for a domain-managed network"},
             {"first_connected", FieldType::kTime,
              "DateCreated: first connection, in the machine's LOCAL time (a SYSTEMTIME without zone)"},
             {"last_connected", FieldType::kTime,
              "DateLastConnected: last connection, in the machine's LOCAL time (a SYSTEMTIME without zone)"},
             {"gateway_mac", FieldType::kText,
              "DefaultGatewayMac from the network's signature: the router's MAC address (wardriving databases)"},
             {"dns_suffix", FieldType::kText, "DnsSuffix from the signature"},
             {"first_network", FieldType::kText, "FirstNetwork from the signature"},
             {"profile_guid", FieldType::kText, "the profile's GUID (the key name)"},
             {"key_written", FieldType::kTime, "last written time of the profile key"},
         }},
    };
  }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return MayBeHiveOfType(HiveType::kSoftware, file, head);
  }
  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto opened = RegistryHive::Open(input.bytes);
    if (!opened.ok()) return opened.status();
    const RegistryHive& hive = **opened;
    const HiveType type = HiveTypeOf(hive);
    if (type == HiveType::kUnknown) return Status::Corruption("the root key of the hive cannot be read");
    if (type != HiveType::kSoftware) return Status::Ok();
    NoteHiveProblems(hive, input.bytes, out.problems);
    OsInfo(hive, out);
    Programs(hive, "Microsoft\\Windows\\CurrentVersion\\Uninstall", "64-bit", out);
    Programs(hive, "Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall", "32-bit", out);
    Networks(hive, out);
    return Status::Ok();
  }

 private:
  static void OsInfo(const RegistryHive& hive, ParseOutput& out) {
    auto k = hive.Key(kCurrentVersion);
    if (!k) {
      out.problems.push_back(std::string(kCurrentVersion) + " cannot be read");
      return;
    }
    // InstallTime (Windows 10, a FILETIME) keeps sub-second precision; InstallDate is seconds since 1970.
    std::optional<UtcMicros> installed;
    if (auto ft = k->Number("InstallTime")) installed = FromFiletime(static_cast<uint64_t>(*ft));
    if (!installed) {
      if (auto secs = k->Number("InstallDate")) installed = FromUnixSeconds(*secs);
    }
    const auto product = NonEmpty(k->Text("ProductName"));
    auto display = NonEmpty(k->Text("DisplayVersion"));
    if (!display) display = NonEmpty(k->Text("ReleaseId"));
    auto build = NonEmpty(k->Text("CurrentBuild"));
    if (!build) build = NonEmpty(k->Text("CurrentBuildNumber"));

    ArtefactRow row;
    row.kind = kOsInfo;
    row.location = kCurrentVersion;
    row.time = installed;
    auto& v = row.values;
    v.push_back(TextOrNull(product));
    v.push_back(TextOrNull(NonEmpty(k->Text("EditionID"))));
    v.push_back(TextOrNull(display));
    v.push_back(TextOrNull(NonEmpty(k->Text("CurrentVersion"))));
    v.push_back(TextOrNull(build));
    v.push_back(TextOrNull(NonEmpty(k->Text("CSDVersion"))));
    v.push_back(IntOrNull(installed));
    v.push_back(TextOrNull(NonEmpty(k->Text("RegisteredOwner"))));
    v.push_back(TextOrNull(NonEmpty(k->Text("RegisteredOrganization"))));
    v.push_back(TextOrNull(NonEmpty(k->Text("ProductId"))));
    v.push_back(TextOrNull(NonEmpty(k->Text("SystemRoot"))));
    v.push_back(IntOrNull(k->last_written()));
    row.summary = product.value_or("Windows");
    if (display) row.summary += " " + *display;
    if (build) row.summary += " build " + *build;
    row.summary += installed ? ", installed" : ", install date unknown";
    out.rows.push_back(std::move(row));
  }

  static void Programs(const RegistryHive& hive, const std::string& path, const std::string& arch, ParseOutput& out) {
    auto uninstall = hive.Key(path);
    if (!uninstall) return;  // no 32-bit programs on a 32-bit Windows
    for (const RegistryKey& k : uninstall->Subkeys()) {
      const std::string key_name = k.name();
      const auto display = NonEmpty(k.Text("DisplayName"));
      const auto version = NonEmpty(k.Text("DisplayVersion"));
      const auto publisher = NonEmpty(k.Text("Publisher"));
      const std::string shown = display.value_or(key_name);
      ArtefactRow row;
      row.kind = kProgram;
      row.location = path + "\\" + key_name;
      row.time = k.last_written();
      auto& v = row.values;
      v.push_back(shown);
      v.push_back(TextOrNull(version));
      v.push_back(TextOrNull(publisher));
      v.push_back(TextOrNull(InstallDateText(k.Text("InstallDate"))));
      v.push_back(TextOrNull(NonEmpty(k.Text("InstallLocation"))));
      v.push_back(TextOrNull(NonEmpty(k.Text("InstallSource"))));
      v.push_back(TextOrNull(NonEmpty(k.Text("UninstallString"))));
      v.push_back(arch);
      v.push_back(key_name);
      v.push_back(IntOrNull(k.last_written()));
      row.summary = "installed program " + shown;
      if (version) row.summary += " " + *version;
      if (publisher) row.summary += " (" + *publisher + ")";
      out.rows.push_back(std::move(row));
    }
  }

  struct Signature {
    std::optional<std::string> gateway_mac, dns_suffix, first_network;
  };

  static void Networks(const RegistryHive& hive, ParseOutput& out) {
    const std::string base = kNetworkList;
    // Signatures\Managed|Unmanaged\<id> name the profile they belong to in ProfileGuid.
    std::map<std::string, Signature> signatures;  // lowercased profile GUID -> signature
    for (const char* kind : {"Managed", "Unmanaged"}) {
      auto sigs = hive.Key(base + "\\Signatures\\" + kind);
      if (!sigs) continue;
      for (const RegistryKey& s : sigs->Subkeys()) {
        auto guid = s.Text("ProfileGuid");
        if (!guid) continue;
        std::string key = *guid;
        for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto mac = s.Data("DefaultGatewayMac");
        signatures[key] = Signature{mac ? MacText(*mac) : std::nullopt, NonEmpty(s.Text("DnsSuffix")),
                                    NonEmpty(s.Text("FirstNetwork"))};
      }
    }
    auto profiles = hive.Key(base + "\\Profiles");
    if (!profiles) return;
    for (const RegistryKey& p : profiles->Subkeys()) {
      const std::string guid = p.name();
      std::string lower = guid;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const Signature sig = signatures.count(lower) ? signatures[lower] : Signature{};
      const auto name = NonEmpty(p.Text("ProfileName"));
      auto created_data = p.Data("DateCreated");
      auto last_data = p.Data("DateLastConnected");
      const auto created = created_data ? FromSystemtime(*created_data) : std::nullopt;
      const auto last = last_data ? FromSystemtime(*last_data) : std::nullopt;
      const auto name_type = p.Number("NameType");
      std::optional<std::string> category;
      if (auto c = p.Number("Category")) {
        category = *c == 0 ? "public" : *c == 1 ? "private" : *c == 2 ? "domain" : std::to_string(*c);
      }

      ArtefactRow row;
      row.kind = kNetwork;
      row.location = base + "\\Profiles\\" + guid;
      row.time = last ? last : created;
      row.time_zone_note = kLocalTimeNote;
      auto& v = row.values;
      v.push_back(TextOrNull(name));
      v.push_back(TextOrNull(NonEmpty(p.Text("Description"))));
      v.push_back(TextOrNull(name_type ? std::optional<std::string>(NetworkTypeName(*name_type)) : std::nullopt));
      v.push_back(TextOrNull(category));
      v.push_back(IntOrNull(p.Number("Managed")));
      v.push_back(IntOrNull(created));
      v.push_back(IntOrNull(last));
      v.push_back(TextOrNull(sig.gateway_mac));
      v.push_back(TextOrNull(sig.dns_suffix));
      v.push_back(TextOrNull(sig.first_network));
      v.push_back(guid);
      v.push_back(IntOrNull(p.last_written()));
      row.summary = "network " + name.value_or(guid);
      if (name_type) row.summary += " (" + NetworkTypeName(*name_type) + ")";
      if (sig.gateway_mac) row.summary += ", gateway " + *sig.gateway_mac;
      out.rows.push_back(std::move(row));
    }
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(SoftwareParser);

}  // namespace custos
