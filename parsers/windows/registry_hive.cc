#include "parsers/windows/registry_hive.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "parsers/common/byte_reader.h"
#include "parsers/common/windows_time.h"

namespace custos {
namespace {

constexpr size_t kMaxValueData = 16u << 20;

// XOR of the base block's first 127 dwords (the bytes must hold 512); Windows stores 1 for a sum of 0
// and 0xfffffffe for 0xffffffff.
uint32_t BaseBlockChecksum(std::string_view bytes) {
  const ByteReader r(bytes);
  uint32_t x = 0;
  for (size_t off = 0; off < 508; off += 4) x ^= r.U32(off).value_or(0);
  if (x == 0) x = 1;
  if (x == 0xffffffffu) x = 0xfffffffeu;
  return x;
}

void Drop(libregf_error_t*& error) {
  if (error != nullptr) libregf_error_free(&error);
  error = nullptr;
}

}  // namespace

bool LooksLikeHive(std::string_view head) { return head.substr(0, 4) == "regf"; }

bool LooksLikeTransactionLog(std::string_view head) {
  const auto type = ByteReader(head).U32(28);
  return LooksLikeHive(head) && type && *type != 0;
}

// --- which hive -----------------------------------------------------------------------------------
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The hive a file name stands for; kUnknown for any other name.
HiveType HiveTypeFromName(std::string_view name) {
  const std::string n = Lower(name);
  if (n == "sam") return HiveType::kSam;
  if (n == "security") return HiveType::kSecurity;
  if (n == "system") return HiveType::kSystem;
  if (n == "software") return HiveType::kSoftware;
  if (n == "ntuser.dat" || n == "default") return HiveType::kNtuser;  // DEFAULT is LocalSystem's NTUSER
  if (n == "usrclass.dat") return HiveType::kUsrClass;
  if (n == "amcache.hve") return HiveType::kAmcache;
  return HiveType::kUnknown;
}

}  // namespace

std::string_view HiveTypeName(HiveType type) {
  switch (type) {
    case HiveType::kSam:
      return "SAM";
    case HiveType::kSecurity:
      return "SECURITY";
    case HiveType::kSystem:
      return "SYSTEM";
    case HiveType::kSoftware:
      return "SOFTWARE";
    case HiveType::kNtuser:
      return "NTUSER";
    case HiveType::kUsrClass:
      return "UsrClass";
    case HiveType::kAmcache:
      return "Amcache";
    case HiveType::kOther:
      return "other";
    case HiveType::kUnknown:
      break;
  }
  return "unknown";
}

HiveType HiveTypeOf(const RegistryHive& hive) {
  auto root = hive.Root();
  if (!root) return HiveType::kUnknown;
  auto has = [&](std::string_view path) { return root->Subkey(path).has_value(); };
  // Each test names keys only that hive has at its top (SECURITY holds a "SAM" key too, without Domains).
  if (has("SAM\\Domains")) return HiveType::kSam;
  if (has("Policy") && (has("RXACT") || has("Cache") || has("SAM"))) return HiveType::kSecurity;
  if (has("Select") && (has("ControlSet001") || has("ControlSet002") || has("ControlSet003"))) return HiveType::kSystem;
  if (has("Root\\File") || has("Root\\InventoryApplication") || has("Root\\InventoryApplicationFile") ||
      has("Root\\Programs")) {
    return HiveType::kAmcache;
  }
  if (has("Software") && (has("Control Panel") || has("Environment") || has("Console"))) return HiveType::kNtuser;
  if (has("Microsoft\\Windows NT\\CurrentVersion") || (has("Microsoft") && has("Classes"))) return HiveType::kSoftware;
  if (has("Local Settings") || has("CLSID") || has("*")) return HiveType::kUsrClass;
  return HiveType::kOther;
}

HiveType HiveTypeHint(std::string_view head, const FileRecord& file) {
  if (auto header_name = ByteReader(head).Bytes(48, 64)) {
    const std::string name = ByteReader(*header_name).Utf16Z(0, 32).value_or("");
    const size_t slash = name.find_last_of("\\/");
    const HiveType t = HiveTypeFromName(slash == std::string::npos ? name : name.substr(slash + 1));
    if (t != HiveType::kUnknown) return t;
  }
  return HiveTypeFromName(file.name);
}

void NoteHiveProblems(const RegistryHive& hive, std::string_view bytes, std::vector<std::string>& problems) {
  // The base block (4 KiB) is followed by the hive bins, whose total size the header keeps at offset 40.
  if (auto bins = ByteReader(bytes).U32(40); bins && bytes.size() < 4096 + static_cast<size_t>(*bins)) {
    problems.push_back("the hive is truncated: " + std::to_string(bytes.size()) + " of " +
                       std::to_string(4096 + static_cast<size_t>(*bins)) +
                       " bytes; keys in the missing part were not read");
  }
  if (hive.corrupted()) problems.push_back("libregf found damage in the hive: some keys or values may be missing");
}

bool MayBeHiveOfType(HiveType type, const FileRecord& file, std::string_view head) {
  if (!LooksLikeHive(head) || LooksLikeTransactionLog(head)) return false;
  const HiveType hint = HiveTypeHint(head, file);
  return hint == type || hint == HiveType::kUnknown;
}

// --- values ---------------------------------------------------------------------------------------
RegistryValue& RegistryValue::operator=(RegistryValue&& o) noexcept {
  std::swap(v_, o.v_);
  return *this;
}

RegistryValue::~RegistryValue() {
  if (v_ != nullptr) libregf_value_free(&v_, nullptr);
}

std::string RegistryValue::name() const {
  return LibyalUtf8<libregf_value_t, libregf_error_t>(v_, libregf_value_get_utf8_name_size, libregf_value_get_utf8_name,
                                                      libregf_error_free)
      .value_or("");
}

uint32_t RegistryValue::type() const {
  uint32_t t = 0;
  libregf_error_t* error = nullptr;
  if (libregf_value_get_value_type(v_, &t, &error) != 1) Drop(error);
  return t;
}

std::optional<std::string> RegistryValue::Text() const {
  const uint32_t t = type();
  if (t == LIBREGF_VALUE_TYPE_MULTI_VALUE_STRING) {
    std::string joined;
    for (const auto& s : Strings()) joined += (joined.empty() ? "" : "\n") + s;
    return joined;
  }
  if (t != LIBREGF_VALUE_TYPE_STRING && t != LIBREGF_VALUE_TYPE_EXPANDABLE_STRING &&
      t != LIBREGF_VALUE_TYPE_SYMBOLIC_LINK) {
    return std::nullopt;
  }
  auto s = LibyalUtf8<libregf_value_t, libregf_error_t>(v_, libregf_value_get_value_utf8_string_size,
                                                        libregf_value_get_value_utf8_string, libregf_error_free);
  if (!s) {
    // An empty REG_SZ has no data at all; libregf refuses it, but it is a value with no text.
    size_t size = 1;
    libregf_error_t* error = nullptr;
    if (libregf_value_get_value_data_size(v_, &size, &error) == 1 && size == 0) return std::string();
    Drop(error);
  }
  return s;
}

std::vector<std::string> RegistryValue::Strings() const {
  std::vector<std::string> out;
  if (type() != LIBREGF_VALUE_TYPE_MULTI_VALUE_STRING) {
    if (auto s = Text()) out.push_back(*s);
    return out;
  }
  libregf_multi_string_t* multi = nullptr;
  libregf_error_t* error = nullptr;
  if (libregf_value_get_value_multi_string(v_, &multi, &error) != 1) {
    Drop(error);
    return out;
  }
  int n = 0;
  if (libregf_multi_string_get_number_of_strings(multi, &n, &error) != 1) Drop(error);
  for (int i = 0; i < n; ++i) {
    size_t size = 0;
    if (libregf_multi_string_get_utf8_string_size(multi, i, &size, &error) != 1 || size == 0 || size > kMaxValueData) {
      Drop(error);
      continue;
    }
    std::string s(size, '\0');
    if (libregf_multi_string_get_utf8_string(multi, i, reinterpret_cast<uint8_t*>(s.data()), size, &error) != 1) {
      Drop(error);
      continue;
    }
    while (!s.empty() && s.back() == '\0') s.pop_back();
    out.push_back(std::move(s));
  }
  libregf_multi_string_free(&multi, nullptr);
  return out;
}

std::optional<int64_t> RegistryValue::Number() const {
  const uint32_t t = type();
  libregf_error_t* error = nullptr;
  if (t == LIBREGF_VALUE_TYPE_INTEGER_32BIT_LITTLE_ENDIAN || t == LIBREGF_VALUE_TYPE_INTEGER_32BIT_BIG_ENDIAN) {
    uint32_t n = 0;
    if (libregf_value_get_value_32bit(v_, &n, &error) == 1) return n;
  } else if (t == LIBREGF_VALUE_TYPE_INTEGER_64BIT_LITTLE_ENDIAN) {
    uint64_t n = 0;
    if (libregf_value_get_value_64bit(v_, &n, &error) == 1) return static_cast<int64_t>(n);
  }
  Drop(error);
  return std::nullopt;
}

std::string RegistryValue::Data() const {
  size_t size = 0;
  libregf_error_t* error = nullptr;
  if (libregf_value_get_value_data_size(v_, &size, &error) != 1 || size == 0) {
    Drop(error);
    return "";
  }
  size = std::min(size, kMaxValueData);
  std::string data(size, '\0');
  if (libregf_value_get_value_data(v_, reinterpret_cast<uint8_t*>(data.data()), size, &error) != 1) {
    Drop(error);
    return "";
  }
  return data;
}

// --- keys -----------------------------------------------------------------------------------------
RegistryKey& RegistryKey::operator=(RegistryKey&& o) noexcept {
  std::swap(k_, o.k_);
  return *this;
}

RegistryKey::~RegistryKey() {
  if (k_ != nullptr) libregf_key_free(&k_, nullptr);
}

std::string RegistryKey::name() const {
  return LibyalUtf8<libregf_key_t, libregf_error_t>(k_, libregf_key_get_utf8_name_size, libregf_key_get_utf8_name,
                                                    libregf_error_free)
      .value_or("");
}

std::optional<UtcMicros> RegistryKey::last_written() const {
  uint64_t ft = 0;
  libregf_error_t* error = nullptr;
  if (libregf_key_get_last_written_time(k_, &ft, &error) != 1) {
    Drop(error);
    return std::nullopt;
  }
  return FromFiletime(ft);
}

int RegistryKey::subkey_count() const {
  int n = 0;
  libregf_error_t* error = nullptr;
  if (libregf_key_get_number_of_sub_keys(k_, &n, &error) != 1) {
    Drop(error);
    return 0;
  }
  return n;
}

std::vector<RegistryKey> RegistryKey::Subkeys() const {
  std::vector<RegistryKey> out;
  const int n = subkey_count();
  for (int i = 0; i < n; ++i) {
    libregf_key_t* sub = nullptr;
    libregf_error_t* error = nullptr;
    if (libregf_key_get_sub_key(k_, i, &sub, &error) == 1 && sub != nullptr) {
      out.emplace_back(sub);
    } else {
      Drop(error);  // a damaged sub key list: keep the sub keys that can be read
    }
  }
  return out;
}

std::optional<RegistryKey> RegistryKey::Subkey(std::string_view relative_path) const {
  libregf_key_t* sub = nullptr;
  libregf_error_t* error = nullptr;
  if (libregf_key_get_sub_key_by_utf8_path(k_, reinterpret_cast<const uint8_t*>(relative_path.data()),
                                           relative_path.size(), &sub, &error) != 1 ||
      sub == nullptr) {
    Drop(error);
    return std::nullopt;
  }
  return RegistryKey(sub);
}

int RegistryKey::value_count() const {
  int n = 0;
  libregf_error_t* error = nullptr;
  if (libregf_key_get_number_of_values(k_, &n, &error) != 1) {
    Drop(error);
    return 0;
  }
  return n;
}

std::vector<RegistryValue> RegistryKey::Values() const {
  std::vector<RegistryValue> out;
  const int n = value_count();
  for (int i = 0; i < n; ++i) {
    libregf_value_t* v = nullptr;
    libregf_error_t* error = nullptr;
    if (libregf_key_get_value(k_, i, &v, &error) == 1 && v != nullptr) {
      out.emplace_back(v);
    } else {
      Drop(error);
    }
  }
  return out;
}

std::optional<RegistryValue> RegistryKey::Value(std::string_view name) const {
  libregf_value_t* v = nullptr;
  libregf_error_t* error = nullptr;
  if (name.empty()) {
    // libregf's lookup by name never matches the default value (it has no name): find it by its name size.
    const int n = value_count();
    for (int i = 0; i < n; ++i) {
      size_t size = 1;
      if (libregf_key_get_value(k_, i, &v, &error) != 1 || v == nullptr) {
        Drop(error);
        continue;
      }
      RegistryValue value(v);
      if (libregf_value_get_name_size(v, &size, &error) == 1 && size == 0) return value;
      Drop(error);
    }
    return std::nullopt;
  }
  if (libregf_key_get_value_by_utf8_name(k_, reinterpret_cast<const uint8_t*>(name.data()), name.size(), &v, &error) !=
          1 ||
      v == nullptr) {
    Drop(error);
    return std::nullopt;
  }
  return RegistryValue(v);
}

std::optional<std::string> RegistryKey::Text(std::string_view value_name) const {
  auto v = Value(value_name);
  return v ? v->Text() : std::nullopt;
}

std::optional<int64_t> RegistryKey::Number(std::string_view value_name) const {
  auto v = Value(value_name);
  return v ? v->Number() : std::nullopt;
}

std::optional<std::string> RegistryKey::Data(std::string_view value_name) const {
  auto v = Value(value_name);
  if (!v) return std::nullopt;
  return v->Data();
}

// --- the hive -------------------------------------------------------------------------------------
Result<std::unique_ptr<RegistryHive>> RegistryHive::Open(std::string_view bytes) {
  if (!LooksLikeHive(bytes)) return Status::Corruption("not a registry hive: the \"regf\" signature is missing");
  std::unique_ptr<RegistryHive> hive(new RegistryHive());
  const auto header = ReadHiveHeader(bytes);
  if (header && !header->checksum_ok) {
    // libregf refuses a base block whose checksum is wrong, though the keys behind it may be intact (a
    // header edited or damaged, a hive caught mid-write): read a copy with the checksum put right.
    hive->repaired_copy_.assign(bytes.data(), bytes.size());
    const uint32_t x = BaseBlockChecksum(hive->repaired_copy_);
    for (size_t i = 0; i < 4; ++i) hive->repaired_copy_[508 + i] = static_cast<char>((x >> (8 * i)) & 0xff);
    bytes = hive->repaired_copy_;
  }
  auto io = MemoryBfio::Over(bytes);
  if (!io.ok()) return io.status();
  hive->io_ = std::move(*io);
  libregf_error_t* error = nullptr;
  if (libregf_file_initialize(&hive->file_, &error) != 1 ||
      libregf_file_open_file_io_handle(hive->file_, hive->io_->get(), LIBREGF_OPEN_READ, &error) != 1) {
    return Status::Corruption("libregf cannot open the hive: " +
                              TakeLibyalError(error, libregf_error_backtrace_sprint, libregf_error_free));
  }
  // libregf exposes none of the base block's sequence numbers, time or name.
  if (header) {
    hive->dirty_ = header->dirty();
    hive->header_written_ = header->written;
    hive->embedded_name_ = header->embedded_name;
  }
  return hive;
}

std::optional<HiveHeader> ReadHiveHeader(std::string_view bytes) {
  const ByteReader r(bytes);
  if (!LooksLikeHive(bytes) || r.size() < 512) return std::nullopt;
  HiveHeader h;
  h.primary_sequence = *r.U32(4);
  h.secondary_sequence = *r.U32(8);
  h.written = FromFiletime(*r.U64(12));
  h.major = *r.U32(20);
  h.minor = *r.U32(24);
  h.file_type = *r.U32(28);
  h.embedded_name = ByteReader(*r.Bytes(48, 64)).Utf16Z(0, 32).value_or("");
  h.checksum_ok = *r.U32(508) == BaseBlockChecksum(bytes);
  return h;
}

RegistryHive::~RegistryHive() {
  if (file_ != nullptr) {
    libregf_file_close(file_, nullptr);
    libregf_file_free(&file_, nullptr);
  }
}

std::optional<RegistryKey> RegistryHive::Root() const {
  libregf_key_t* root = nullptr;
  libregf_error_t* error = nullptr;
  if (libregf_file_get_root_key(file_, &root, &error) != 1 || root == nullptr) {
    Drop(error);
    return std::nullopt;
  }
  return RegistryKey(root);
}

std::optional<RegistryKey> RegistryHive::Key(std::string_view path) const {
  auto root = Root();
  if (!root) return std::nullopt;
  return root->Subkey(path);
}

std::string RegistryHive::format_version() const {
  uint32_t major = 0, minor = 0;
  libregf_error_t* error = nullptr;
  if (libregf_file_get_format_version(file_, &major, &minor, &error) != 1) {
    Drop(error);
    return "";
  }
  return std::to_string(major) + "." + std::to_string(minor);
}

bool RegistryHive::corrupted() const {
  libregf_error_t* error = nullptr;
  const int r = libregf_file_is_corrupted(file_, &error);
  Drop(error);
  return r == 1;
}

std::string CurrentControlSet(const RegistryHive& system_hive) {
  auto select = system_hive.Key("Select");
  if (!select) return "";
  auto current = select->Number("Current");
  if (!current || *current <= 0 || *current > 999) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "ControlSet%03d", static_cast<int>(*current));
  return buf;
}

}  // namespace custos
