// A Windows registry hive read through libregf, with move-only RAII keys and values, for the registry
// parsers (SAM, SYSTEM, SOFTWARE, NTUSER.DAT, UsrClass.dat, Amcache.hve). Paths are backslash-separated
// and relative to the hive's root key ("ControlSet001\\Enum\\USBSTOR"), matched case-insensitively.
// Thread-safety: one hive per Parse() call; not shared.
#pragma once

#include <libregf.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/common/libyal.h"
#include "triage/base/status.h"
#include "triage/model/records.h"

namespace custos {

class RegistryValue {
 public:
  explicit RegistryValue(libregf_value_t* v) : v_(v) {}
  RegistryValue(RegistryValue&& o) noexcept : v_(o.v_) { o.v_ = nullptr; }
  RegistryValue& operator=(RegistryValue&& o) noexcept;
  ~RegistryValue();

  std::string name() const;  // "" for the key's default value
  uint32_t type() const;     // LIBREGF_VALUE_TYPE_*
  // REG_SZ / REG_EXPAND_SZ / REG_LINK as UTF-8; REG_MULTI_SZ joined with "\n"; nullopt for other types.
  std::optional<std::string> Text() const;
  // The strings of a REG_MULTI_SZ (a REG_SZ gives one).
  std::vector<std::string> Strings() const;
  // REG_DWORD (either byte order) or REG_QWORD; nullopt for other types.
  std::optional<int64_t> Number() const;
  // The raw data, whatever the type (capped at 16 MiB).
  std::string Data() const;

 private:
  libregf_value_t* v_ = nullptr;
};

class RegistryKey {
 public:
  explicit RegistryKey(libregf_key_t* k) : k_(k) {}
  RegistryKey(RegistryKey&& o) noexcept : k_(o.k_) { o.k_ = nullptr; }
  RegistryKey& operator=(RegistryKey&& o) noexcept;
  ~RegistryKey();

  std::string name() const;
  std::optional<UtcMicros> last_written() const;
  int subkey_count() const;
  std::vector<RegistryKey> Subkeys() const;
  std::optional<RegistryKey> Subkey(std::string_view relative_path) const;  // may hold backslashes
  int value_count() const;
  std::vector<RegistryValue> Values() const;
  std::optional<RegistryValue> Value(std::string_view name) const;  // "" = the default value
  // Shortcuts for the common case of a value read straight into a row.
  std::optional<std::string> Text(std::string_view value_name) const;
  std::optional<int64_t> Number(std::string_view value_name) const;
  std::optional<std::string> Data(std::string_view value_name) const;

 private:
  libregf_key_t* k_ = nullptr;
};

// The hive's base block (its first 4 KiB), decoded without libregf so that it can be read even from a
// hive libregf refuses, and from a transaction log.
struct HiveHeader {
  uint32_t primary_sequence = 0;     // offset 4: bumped when Windows starts writing
  uint32_t secondary_sequence = 0;   // offset 8: set equal when the write is complete
  std::optional<UtcMicros> written;  // offset 12: last written (FILETIME)
  uint32_t major = 0, minor = 0;     // offsets 20, 24: format version (1.3 NT4-XP, 1.5 Vista on, 1.6 Win10 logs)
  uint32_t file_type = 0;            // offset 28: 0 the hive itself, 1, 2 or 6 a transaction log
  std::string embedded_name;         // offset 48, UTF-16LE, 64 bytes: the end of the hive's path when loaded
  bool checksum_ok = false;          // offset 508: XOR of the 127 dwords before it
  bool dirty() const { return primary_sequence != secondary_sequence; }
};
// nullopt when the "regf" signature is missing or the bytes stop before the checksum.
std::optional<HiveHeader> ReadHiveHeader(std::string_view bytes);

class RegistryHive {
 public:
  // Opens a hive held in memory (the bytes must outlive the hive). Fails on a file that is not a hive. A
  // wrong header checksum, which libregf refuses, is put right in a private copy (see checksum_repaired).
  static Result<std::unique_ptr<RegistryHive>> Open(std::string_view bytes);
  ~RegistryHive();
  RegistryHive(const RegistryHive&) = delete;
  RegistryHive& operator=(const RegistryHive&) = delete;

  std::optional<RegistryKey> Root() const;
  std::optional<RegistryKey> Key(std::string_view path) const;  // relative to the root key
  // The header's two sequence numbers differ: Windows was writing when the hive was copied or the
  // machine stopped, and changes may sit in the transaction logs (.LOG1/.LOG2) that were not applied.
  bool dirty() const { return dirty_; }
  // The hive's own name for itself in its header (e.g. "\\SystemRoot\\System32\\Config\\SAM"), may be "".
  const std::string& embedded_name() const { return embedded_name_; }
  std::optional<UtcMicros> header_written() const { return header_written_; }
  std::string format_version() const;
  bool corrupted() const;  // libregf found damage while opening
  // The base block's checksum was wrong, so the hive was read from a copy with it put right.
  bool checksum_repaired() const { return !repaired_copy_.empty(); }

 private:
  RegistryHive() = default;
  std::string repaired_copy_;  // declared before io_, which reads it
  std::unique_ptr<MemoryBfio> io_;
  libregf_file_t* file_ = nullptr;
  bool dirty_ = false;
  std::string embedded_name_;
  std::optional<UtcMicros> header_written_;
};

// True when the bytes start with the "regf" signature (a hive, or one of its transaction logs).
bool LooksLikeHive(std::string_view head);
// True for a hive's transaction log (.LOG, .LOG1, .LOG2): "regf" too, but the base block's file type
// (offset 28) is not 0 and what follows are log entries, not the hive's keys.
bool LooksLikeTransactionLog(std::string_view head);

// Which hive a file is. Windows keeps each in a fixed place, but a copy can have any name (a SAM copied
// to a USB stick as "backup.dat"), so the parsers decide from the keys under the root (HiveTypeOf) and
// use the name only as a fast hint before opening the file.
enum class HiveType { kUnknown, kSam, kSecurity, kSystem, kSoftware, kNtuser, kUsrClass, kAmcache, kOther };
// "SAM", "SYSTEM", "NTUSER", "UsrClass", "Amcache", "other", "unknown"...
std::string_view HiveTypeName(HiveType type);
// From the keys under the root key: kOther for a readable hive that is none of the known ones, kUnknown
// when the root key cannot be read.
HiveType HiveTypeOf(const RegistryHive& hive);
// From what is known before opening: the file name the header keeps (its last path element, e.g.
// "\SystemRoot\System32\Config\SAM") and then the file's own name. kUnknown when neither says.
HiveType HiveTypeHint(std::string_view head, const FileRecord& file);
// For a hive parser's Wants(): a hive (not a transaction log) whose hint is `type` or says nothing, so
// a renamed copy is still opened and then recognised by HiveTypeOf in Parse().
bool MayBeHiveOfType(HiveType type, const FileRecord& file, std::string_view head);

// What an investigator must know about a hive a parser read, appended to `problems`: shorter than its
// header says (a truncated copy) or damage libregf found. (Dirty hives are said on their hive record.)
void NoteHiveProblems(const RegistryHive& hive, std::string_view bytes, std::vector<std::string>& problems);

// The control set Windows booted with, from SYSTEM's Select\Current ("ControlSet001"); "" if unknown.
std::string CurrentControlSet(const RegistryHive& system_hive);

}  // namespace custos
