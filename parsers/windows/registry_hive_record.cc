// Parser: one row for every Windows registry hive or transaction log, whatever its name: which hive it
// is (from its keys), its header (name, format, last written), and whether it is dirty or damaged, which
// tells the examiner whether the hive parsers' rows can be complete.
#include <string>

#include "parsers/common/field_values.h"
#include "parsers/parser.h"
#include "parsers/windows/registry_hive.h"

namespace custos {
namespace {

constexpr char kKind[] = "windows.registry_hive";

class RegistryHiveRecordParser : public Parser {
 public:
  std::string name() const override { return "windows.registry.hive"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {{kKind,
             "a registry hive or transaction log: which hive, when it was last written, and whether it is dirty "
             "or damaged",
             {
                 {"hive_type", FieldType::kText,
                  "SAM, SYSTEM, SOFTWARE, SECURITY, NTUSER, UsrClass, Amcache or other; for a log, the hive it "
                  "belongs to"},
                 {"hive_type_from", FieldType::kText,
                  "keys (recognised from the keys under the root, whatever the file is called) or name (from the "
                  "name in the header or the file name, when the keys cannot be read)"},
                 {"file_type", FieldType::kText, "hive, or transaction log (.LOG/.LOG1/.LOG2 beside the hive)"},
                 {"embedded_name", FieldType::kText,
                  "the end of the path the hive had when Windows last loaded it, from its header"},
                 {"format_version", FieldType::kText, "regf format version (1.3 NT4 to XP, 1.5 Vista on)"},
                 {"header_written", FieldType::kTime, "last written time in the header"},
                 {"dirty", FieldType::kInteger,
                  "1 when the header's sequence numbers differ: Windows had not finished writing, and changes may "
                  "sit in the .LOG1/.LOG2 transaction logs, not applied to this file"},
                 {"checksum_ok", FieldType::kInteger, "1 when the header checksum is right"},
                 {"corrupted", FieldType::kInteger,
                  "1 when libregf found damage or cannot read the root key: other rows from this hive may be "
                  "missing"},
                 {"root_key", FieldType::kText, "name of the root key (e.g. CMI-CreateHive{...} or ROOT)"},
                 {"root_written", FieldType::kTime, "last written time of the root key"},
             }}};
  }
  bool Wants(const FileRecord&, std::string_view head) const override { return LooksLikeHive(head); }
  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    const auto header = ReadHiveHeader(input.bytes);
    if (!header) return Status::Corruption("not a registry hive: no \"regf\" base block");
    const bool is_log = header->file_type != 0;
    HiveType type = HiveType::kUnknown;
    std::string type_from;
    std::optional<std::string> root_name;
    std::optional<UtcMicros> root_written;
    std::optional<int64_t> corrupted;
    Status status = Status::Ok();
    if (!is_log) {
      auto hive = RegistryHive::Open(input.bytes);
      if (!hive.ok()) {
        status = hive.status();
        corrupted = 1;
      } else {
        auto root = (*hive)->Root();
        if (root) {
          root_name = root->name();
          root_written = root->last_written();
          type = HiveTypeOf(**hive);
          type_from = "keys";
        } else {
          out.problems.push_back("the root key cannot be read: no key of this hive is readable with libregf");
        }
        corrupted = (!root || (*hive)->corrupted()) ? 1 : 0;
      }
    }
    if (type == HiveType::kUnknown) {
      type = HiveTypeHint(input.bytes.substr(0, 4096), input.file);
      if (type != HiveType::kUnknown) type_from = "name";
    }

    ArtefactRow row;
    row.kind = kKind;
    row.time = header->written;
    row.location = "base block";
    auto& v = row.values;
    v.push_back(std::string(HiveTypeName(type)));
    v.push_back(TextOrNull(type_from.empty() ? std::nullopt : std::optional<std::string>(type_from)));
    v.push_back(std::string(is_log ? "transaction log" : "hive"));
    v.push_back(header->embedded_name);
    v.push_back(std::to_string(header->major) + "." + std::to_string(header->minor));
    v.push_back(IntOrNull(header->written));
    v.push_back(int64_t{header->dirty() ? 1 : 0});
    v.push_back(int64_t{header->checksum_ok ? 1 : 0});
    v.push_back(IntOrNull(corrupted));
    v.push_back(TextOrNull(root_name));
    v.push_back(IntOrNull(root_written));

    row.summary = std::string(HiveTypeName(type)) + (is_log ? " transaction log" : " hive");
    if (!header->embedded_name.empty()) row.summary += " " + header->embedded_name;
    if (header->dirty() && !is_log) row.summary += "; dirty: changes may sit in .LOG1/.LOG2, not applied";
    if (corrupted.value_or(0) == 1) row.summary += "; corrupted: some keys cannot be read";
    if (!header->checksum_ok) row.summary += "; header checksum wrong";
    out.rows.push_back(std::move(row));
    return status;
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(RegistryHiveRecordParser);

}  // namespace custos
