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

  std::string name() const;      // "" for the key's default value
  uint32_t type() const;         // LIBREGF_VALUE_TYPE_*
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

class RegistryHive {
 public:
  // Opens a hive held in memory (the bytes must outlive the hive). Fails on a file that is not a hive.
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

 private:
  RegistryHive() = default;
  std::unique_ptr<MemoryBfio> io_;
  libregf_file_t* file_ = nullptr;
  bool dirty_ = false;
  std::string embedded_name_;
  std::optional<UtcMicros> header_written_;
};

// True when the bytes start with the "regf" signature.
bool LooksLikeHive(std::string_view head);

// The control set Windows booted with, from SYSTEM's Select\Current ("ControlSet001"); "" if unknown.
std::string CurrentControlSet(const RegistryHive& system_hive);

}  // namespace custos
