#include "tests/parsers/registry_test_support.h"

#include <cstdio>
#include <ctime>
#include <sstream>

#include "tests/parsers/parse_support.h"

namespace custos::testing {

ExportedValue Regfexport(const std::string& hive, const std::string& key, const std::string& value) {
  ExportedValue out;
  const auto r = Shell("regfexport -K " + ShellQuote(key) + " " + ShellQuote(hive) + " 2>/dev/null");
  const auto lines = SplitLines(r.out);
  for (size_t i = 0; i < lines.size(); ++i) {
    // "Value: 3 ShutdownTime"
    if (lines[i].rfind("Value: ", 0) != 0) continue;
    const size_t space = lines[i].find(' ', 7);
    if (space == std::string::npos || lines[i].substr(space + 1) != value) continue;
    out.found = true;
    for (size_t j = i + 1; j < lines.size() && !lines[j].empty(); ++j) {
      const std::string& l = lines[j];
      if (l.rfind("Type: ", 0) == 0) {
        out.type = l.substr(6);
      } else if (l.rfind("Data: ", 0) == 0) {
        out.text = l.substr(6);
      } else if (l.size() > 10 && l[8] == ':') {
        // "00000000: 02 00 01 00 00 00 00 00  18 d2 12 a1 fc 88 cb 01   ........ ........"
        std::istringstream hex(l.substr(10, 49));
        std::string byte;
        while (hex >> byte) out.bytes.push_back(static_cast<char>(std::stoi(byte, nullptr, 16)));
      }
    }
    break;
  }
  return out;
}

std::string FiletimeText(const std::string& bytes, size_t offset) {
  if (bytes.size() < offset + 8) return "(short)";
  uint64_t ft = 0;
  for (int i = 7; i >= 0; --i) ft = (ft << 8) | static_cast<unsigned char>(bytes[offset + static_cast<size_t>(i)]);
  return UtcText(static_cast<int64_t>(ft / 10) - 11644473600000000LL);
}

std::string RegRipper(const std::string& hive, const std::string& plugin) {
  return Shell("regripper -r " + ShellQuote(hive) + " -p " + ShellQuote(plugin) + " 2>/dev/null").out;
}

std::string CtimeText(std::optional<int64_t> micros) {
  if (!micros) return "";
  const time_t t = static_cast<time_t>(*micros / 1000000);
  struct tm tm_utc {};
  gmtime_r(&t, &tm_utc);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm_utc);
  return buf;
}

}  // namespace custos::testing
