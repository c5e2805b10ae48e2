// Small text formatters shared by the subcommands' human-readable output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "triage/model/records.h"

namespace custos {

// "2026-11-22 08:30:00 UTC" (microseconds dropped), or "-" when absent.
std::string FormatUtc(std::optional<UtcMicros> t);
// "4.2 MB" (decimal units, as drive makers and officers' forms use).
std::string FormatBytes(int64_t bytes);

}  // namespace custos
