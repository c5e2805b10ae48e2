// Explorer's most-recently-used orders, shared by the user-hive parsers: MRUListEx (binary, 32-bit value
// numbers ending with 0xFFFFFFFF; RecentDocs, WordWheelQuery, ComDlg32 PIDL lists, BagMRU) and MRUList
// (a string of value-name letters; RunMRU and XP's ComDlg32 lists). Position 0 is the most recent.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/common/byte_reader.h"
#include "parsers/windows/registry_hive.h"

namespace custos {

// The order of a key's values, read once from its MRUListEx or MRUList.
class MruOrder {
 public:
  explicit MruOrder(const RegistryKey& key) {
    if (auto ex = key.Data("MRUListEx")) {
      const ByteReader r(*ex);
      for (size_t i = 0; i + 4 <= r.size() && names_.size() < kMaxEntries; i += 4) {
        const uint32_t n = *r.U32(i);
        if (n == 0xffffffffu) break;
        names_.push_back(std::to_string(n));
      }
    } else if (auto list = key.Text("MRUList")) {
      for (size_t i = 0; i < list->size() && i < kMaxEntries; ++i) names_.emplace_back(1, (*list)[i]);
    }
  }
  // The position of value `value_name` (0 = most recent); nullopt when the key has no list or the value is
  // not in it (Windows leaves stale values behind).
  std::optional<int64_t> Position(std::string_view value_name) const {
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == value_name) return static_cast<int64_t>(i);
    }
    return std::nullopt;
  }

 private:
  static constexpr size_t kMaxEntries = 100000;  // a damaged list must not make millions of names
  std::vector<std::string> names_;
};

}  // namespace custos
