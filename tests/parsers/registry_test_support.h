// Helpers for the registry parser tests: the corpus hives decompressed once per test, and values read
// with regfexport (libregf-utils) and RegRipper, the independent tools the expected values come from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tests/support/test_support.h"

namespace custos::testing {

// What `regfexport -K key hive` prints for one value: its type line, and its data as text (strings and
// numbers) or as the bytes of its hex dump (binary data).
struct ExportedValue {
  bool found = false;
  std::string type;   // e.g. "string (REG_SZ)"
  std::string text;   // "Data: <text>" when printed on one line
  std::string bytes;  // the hex dump's bytes otherwise
};
// `value` is the name regfexport prints ("(default)" for the default value).
ExportedValue Regfexport(const std::string& hive, const std::string& key, const std::string& value);

// A little-endian FILETIME in `bytes` at `offset`, as the "YYYY-MM-DD hh:mm:ss.uuuuuu" UtcText prints,
// computed here from the bytes regfexport dumped.
std::string FiletimeText(const std::string& bytes, size_t offset);

// `regripper -r hive -p plugin` output.
std::string RegRipper(const std::string& hive, const std::string& plugin);

// "Wed Sep 24 03:36:06 2014" (RegRipper's gmtime style) for a UtcMicros.
std::string CtimeText(std::optional<int64_t> micros);

}  // namespace custos::testing
