// Text formatters (see format.h).
#include "triage/base/format.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>

namespace custos {

UtcMicros NowUtcMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "2026-11-22T08:30:00Z" or "2026-11-22 08:30" (UTC) to microseconds.
std::optional<UtcMicros> ParseUtc(const std::string& text) {
  for (const char* fmt :
       {"%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"}) {
    std::tm tm{};
    const char* end = strptime(text.c_str(), fmt, &tm);
    if (end && *end == '\0') return static_cast<UtcMicros>(timegm(&tm)) * 1000000;
  }
  return std::nullopt;
}

std::string FormatUtc(std::optional<UtcMicros> t) {
  if (!t) return "-";
  std::time_t secs = static_cast<std::time_t>(*t / 1000000);
  if (*t < 0 && *t % 1000000 != 0) --secs;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string FormatBytes(int64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double b = static_cast<double>(bytes);
  int u = 0;
  while (b >= 1000 && u < 4) {
    b /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  return buf;
}

std::string HexLower(const unsigned char* data, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  s.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    s += kDigits[data[i] >> 4];
    s += kDigits[data[i] & 15];
  }
  return s;
}

std::string LowerExtension(const std::string& name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 >= name.size() || name.size() - dot > 17) return "";
  std::string ext = name.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

}  // namespace custos
