// Windows timestamps to UTC microseconds since 1970 (UtcMicros), as every artefact row stores times.
#pragma once

#include <cstdint>
#include <optional>

#include "triage/model/records.h"

namespace custos {

// FILETIME: 100 ns intervals since 1601-01-01 UTC. 0 (and values past year 9999) mean "not set".
inline std::optional<UtcMicros> FromFiletime(uint64_t filetime) {
  constexpr uint64_t kUnixEpoch = 116444736000000000ULL;  // 1970-01-01 as a FILETIME
  constexpr uint64_t kYear10000 = 2650467744000000000ULL;
  if (filetime == 0 || filetime >= kYear10000) return std::nullopt;
  return static_cast<UtcMicros>((static_cast<int64_t>(filetime) - static_cast<int64_t>(kUnixEpoch)) / 10);
}

// POSIX seconds since 1970 UTC; 0 means "not set".
inline std::optional<UtcMicros> FromUnixSeconds(int64_t seconds) {
  if (seconds == 0) return std::nullopt;
  return seconds * 1000000;
}

}  // namespace custos
