// Small text formatters: human-readable times and sizes for the subcommands, hex for digests, and the
// extension of a file name as every file row stores it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "triage/model/records.h"

namespace custos {

// The current time as stored everywhere: microseconds since the Unix epoch, UTC.
UtcMicros NowUtcMicros();
// "2026-11-22 08:30:00 UTC" (microseconds dropped), or "-" when absent.
std::string FormatUtc(std::optional<UtcMicros> t);
// "2026-11-22T08:30:00Z" or "2026-11-22 08:30" (UTC) to microseconds; nullopt if it is neither.
std::optional<UtcMicros> ParseUtc(const std::string& text);
// "4.2 MB" (decimal units, as drive makers and officers' forms use).
std::string FormatBytes(int64_t bytes);
// Lowercase hex of a digest or any bytes, as hashes are stored and compared everywhere.
std::string HexLower(const unsigned char* data, size_t n);
// "jpg" from "IMG_0001.JPG": lowercase, without the dot; "" for no extension, a dot-file (".bashrc") or a
// "suffix" longer than 16 characters (a dotted name, not an extension).
std::string LowerExtension(const std::string& name);

}  // namespace custos
