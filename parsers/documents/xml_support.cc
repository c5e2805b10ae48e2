#include "parsers/documents/xml_support.h"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>

namespace custos {

// The element's own text (text and CDATA children only: entity references are never followed).
std::optional<std::string> OwnText(const xmlNode* n) {
  std::string s;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content != nullptr) {
      s += reinterpret_cast<const char*>(c->content);
    }
  }
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return std::nullopt;
  s = s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
  return s;
}

bool Is(const xmlNode* n, const char* ns, const char* local) {
  return n->type == XML_ELEMENT_NODE && n->ns != nullptr && n->ns->href != nullptr &&
         std::strcmp(reinterpret_cast<const char*>(n->ns->href), ns) == 0 &&
         std::strcmp(reinterpret_cast<const char*>(n->name), local) == 0;
}

// W3CDTF: "2012-11-07T23:29:00Z", "2012-11-07T23:29:00.12+01:00", "2012-11-07". Times without a zone are
// taken as UTC (Office always writes Z).
std::optional<UtcMicros> W3cdtf(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  const char* p = text->c_str();
  const int got = std::sscanf(p, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed);
  if (got != 6) {
    if (std::sscanf(p, "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3) return std::nullopt;
    h = mi = s = 0;
  }
  if (y < 1601 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  int64_t micros = static_cast<int64_t>(timegm(&tm)) * 1000000;
  const char* rest = p + consumed;
  if (*rest == '.') {
    int64_t scale = 100000;
    for (++rest; *rest >= '0' && *rest <= '9'; ++rest) {
      micros += (*rest - '0') * scale;
      scale /= 10;
    }
  }
  int oh = 0, om = 0;
  if ((*rest == '+' || *rest == '-') && std::sscanf(rest + 1, "%2d:%2d", &oh, &om) == 2 && oh < 24 && om < 60) {
    const int64_t offset = (oh * 3600LL + om * 60LL) * 1000000;
    micros += *rest == '+' ? -offset : offset;
  }
  return micros;
}

// Parses XML with no network, no DTD loading and no entity substitution; errors stay quiet.
bool ParseXml(const std::string& xml, XmlDoc& doc) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  doc.doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "part.xml", nullptr,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  return doc.doc != nullptr && xmlDocGetRootElement(doc.doc) != nullptr;
}

}  // namespace custos
