// Parser: Amcache.hve, where Windows 8 and later record programs that ran or were installed, with the
// executable's SHA-1 (of its first 31.4 MB), path, version and publisher. Two layouts: Root\File\{volume}\{id}
// with numbered values (Windows 8 to 10 1607) and Root\InventoryApplicationFile (1709 and later, and some
// earlier builds beside the old one). The key's last written time is when Windows made or updated the
// entry, which for a program that ran is close to its first run.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "parsers/common/field_values.h"
#include "parsers/common/windows_time.h"
#include "parsers/parser.h"
#include "parsers/windows/registry_hive.h"

namespace custos {
namespace {

const std::string kFile = "Root\\File";
const std::string kInventory = "Root\\InventoryApplicationFile";
constexpr size_t kMaxRows = 500000;

// Amcache keeps a SHA-1 as 44 hex digits: four zeros, then the digest.
std::optional<std::string> Sha1(std::optional<std::string> id) {
  if (!id) return std::nullopt;
  std::string s = *id;
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s.size() == 44 && s.compare(0, 4, "0000") == 0) s = s.substr(4);
  if (s.size() != 40 || s.find_first_not_of("0123456789abcdef") != std::string::npos) return std::nullopt;
  return s;
}

std::optional<UtcMicros> Filetime(std::optional<int64_t> n) {
  if (!n) return std::nullopt;
  return FromFiletime(static_cast<uint64_t>(*n));
}

// InventoryApplicationFile's LinkDate: "MM/DD/YYYY HH:MM:SS", UTC.
std::optional<UtcMicros> LinkDate(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  struct tm tm {};
  char tail = 0;
  if (std::sscanf(text->c_str(), "%2d/%2d/%4d %2d:%2d:%2d%c", &tm.tm_mon, &tm.tm_mday, &tm.tm_year, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &tail) != 6 ||
      tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_year < 1970 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  tm.tm_mon -= 1;
  tm.tm_year -= 1900;
  return static_cast<UtcMicros>(timegm(&tm)) * 1000000;
}

// InventoryApplicationFile's Size: hexadecimal text ("0x7fac0").
std::optional<int64_t> HexSize(const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::nullopt;
  char* end = nullptr;
  const long long n = std::strtoll(text->c_str(), &end, 0);
  if (end == nullptr || *end != '\0' || n < 0) return std::nullopt;
  return n;
}

struct Program {
  std::optional<std::string> path, sha1, product, company, version, description, program_id, binary_type;
  std::optional<int64_t> size;
  std::optional<UtcMicros> link_time, modified, modified_alt, created, key_written;
};

class AmcacheParser : public Parser {
 public:
  std::string name() const override { return "windows.registry.amcache"; }
  std::string version() const override { return "1"; }

  std::vector<KindDecl> kinds() const override {
    return {
        {"windows.amcache_program",
         "a program Windows saw run or installed, with the SHA-1 of its executable",
         {{"path", FieldType::kText, "the executable's full path (lower case in the 1709+ layout)"},
          {"sha1", FieldType::kText, "SHA-1 of the executable (of its first 31.4 MB for larger files)"},
          {"layout", FieldType::kText, "File (Windows 8 to 10 1607) or InventoryApplicationFile (1709 and later)"},
          {"product_name", FieldType::kText, "product name from the file's version information"},
          {"company", FieldType::kText, "company / publisher from the version information"},
          {"version", FieldType::kText, "file version"},
          {"description", FieldType::kText, "file description (File layout)"},
          {"size", FieldType::kInteger, "file size in bytes"},
          {"link_time", FieldType::kTime, "when the executable was compiled (its PE header's link time)"},
          {"modified", FieldType::kTime, "the file's last modification time (File layout, value 17)"},
          {"modified_alt", FieldType::kTime,
           "a second modification time kept for some files (File layout, "
           "value 11)"},
          {"created", FieldType::kTime, "the file's creation time (File layout, value 12)"},
          {"program_id", FieldType::kText, "links the file to its program in Root\\Programs / InventoryApplication"},
          {"binary_type", FieldType::kText, "PE32_I386, PE64_AMD64... (1709+ layout)"},
          {"key_written", FieldType::kTime,
           "the entry key's last written time: when Windows recorded or updated "
           "the program"}}}};
  }

  bool Wants(const FileRecord& file, std::string_view head) const override {
    return MayBeHiveOfType(HiveType::kAmcache, file, head);
  }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto hive = RegistryHive::Open(input.bytes);
    if (!hive.ok()) return hive.status();
    const RegistryHive& h = **hive;
    if (!h.Root()) return Status::Corruption("the hive has no readable root key");
    auto files = h.Key(kFile);
    auto inventory = h.Key(kInventory);
    if (!files && !inventory) return Status::Ok();  // not an Amcache hive
    NoteHiveProblems(h, input.bytes, out.problems);
    if (files) {
      for (const auto& volume : files->Subkeys()) {
        const std::string volume_path = kFile + "\\" + volume.name();
        for (const auto& entry : volume.Subkeys()) {
          if (out.rows.size() >= kMaxRows) break;
          Program p;
          p.path = entry.Text("15");
          p.sha1 = Sha1(entry.Text("101"));
          p.product = entry.Text("0");
          p.company = entry.Text("1");
          p.version = entry.Text("5");
          p.description = entry.Text("c");
          p.size = entry.Number("6");
          if (auto t = entry.Number("f")) p.link_time = FromUnixSeconds(*t);
          p.modified = Filetime(entry.Number("17"));
          p.modified_alt = Filetime(entry.Number("11"));
          p.created = Filetime(entry.Number("12"));
          p.program_id = entry.Text("100");
          p.key_written = entry.last_written();
          Add(p, "File", volume_path + "\\" + entry.name(), out);
        }
      }
    }
    if (inventory) {
      for (const auto& entry : inventory->Subkeys()) {
        if (out.rows.size() >= kMaxRows) break;
        Program p;
        p.path = entry.Text("LowerCaseLongPath");
        p.sha1 = Sha1(entry.Text("FileId"));
        p.product = entry.Text("ProductName");
        p.company = entry.Text("Publisher");
        p.version = entry.Text("Version");
        p.size = HexSize(entry.Text("Size"));
        p.link_time = LinkDate(entry.Text("LinkDate"));
        p.program_id = entry.Text("ProgramId");
        p.binary_type = entry.Text("BinaryType");
        p.key_written = entry.last_written();
        Add(p, "InventoryApplicationFile", kInventory + "\\" + entry.name(), out);
      }
    }
    if (out.rows.size() >= kMaxRows)
      out.problems.push_back("more than " + std::to_string(kMaxRows) + " entries; the rest were not read");
    return Status::Ok();
  }

 private:
  static void Add(const Program& p, const std::string& layout, const std::string& location, ParseOutput& out) {
    ArtefactRow row;
    row.kind = "windows.amcache_program";
    row.location = location;
    row.time = p.key_written;
    row.summary = "program: " + p.path.value_or("(no path)");
    if (p.sha1) row.summary += " (SHA-1 " + *p.sha1 + ")";
    auto& v = row.values;
    v.push_back(TextOrNull(p.path));
    v.push_back(TextOrNull(p.sha1));
    v.push_back(layout);
    v.push_back(TextOrNull(p.product));
    v.push_back(TextOrNull(p.company));
    v.push_back(TextOrNull(p.version));
    v.push_back(TextOrNull(p.description));
    v.push_back(IntOrNull(p.size));
    v.push_back(IntOrNull(p.link_time));
    v.push_back(IntOrNull(p.modified));
    v.push_back(IntOrNull(p.modified_alt));
    v.push_back(IntOrNull(p.created));
    v.push_back(TextOrNull(p.program_id));
    v.push_back(TextOrNull(p.binary_type));
    v.push_back(IntOrNull(p.key_written));
    out.rows.push_back(std::move(row));
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(AmcacheParser);

}  // namespace custos
