// Hive names from the header and the file name, for the user-hive parsers' Wants().
#include "parsers/windows/hive_names.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "parsers/common/byte_reader.h"
#include "parsers/windows/registry_hive.h"

namespace custos {
namespace {

// File names of the hives Windows keeps (lower case); a hive named otherwise may be any of them.
constexpr std::array<std::string_view, 17> kKnownHiveNames = {
    "ntuser.dat", "ntuser.man", "usrclass.dat", "amcache.hve",  "sam",     "system",
    "software",   "security",   "default",      "components",   "bcd",     "drivers",
    "elam",       "bbi",        "syscache.hve", "settings.dat", "userdiff"};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string HeaderHiveName(std::string_view head) {
  // The base block keeps the last 31 UTF-16 characters of the hive's path at offset 48.
  const auto name = ByteReader(head).Utf16Z(48, 32);
  if (!name) return "";
  std::string s = Lower(*name);
  const size_t slash = s.find_last_of("\\/");
  if (slash != std::string::npos) s = s.substr(slash + 1);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

bool WantsHiveNamed(const FileRecord& file, std::string_view head, std::initializer_list<std::string_view> names) {
  if (!LooksLikeHive(head)) return false;
  if (file.extension == "log" || file.extension == "log1" || file.extension == "log2") return false;
  const std::string header_name = HeaderHiveName(head), file_name = Lower(file.name);
  for (std::string_view n : names) {
    if (header_name == n || file_name == n) return true;
  }
  auto known = [](const std::string& n) {
    return std::find(kKnownHiveNames.begin(), kKnownHiveNames.end(), n) != kKnownHiveNames.end();
  };
  return !known(header_name) && !known(file_name);
}

void NoteHiveProblems(const RegistryHive& hive, std::string_view bytes, std::vector<std::string>& problems) {
  if (hive.dirty()) {
    problems.push_back(
        "the hive is dirty: changes may sit in its transaction logs (.LOG1/.LOG2), which were not "
        "applied");
  }
  // The base block (4 KiB) is followed by the hive bins, whose total size the header keeps at offset 40.
  if (auto bins = ByteReader(bytes).U32(40); bins && bytes.size() < 4096 + static_cast<size_t>(*bins)) {
    problems.push_back("the hive is truncated: " + std::to_string(bytes.size()) + " of " +
                       std::to_string(4096 + static_cast<size_t>(*bins)) +
                       " bytes; keys in the missing part were not read");
  }
  if (hive.corrupted()) problems.push_back("libregf found damage in the hive: some keys or values may be missing");
}

}  // namespace custos
