// What the XML-based document readers share (Office Open XML parts, PDF XMP packets): libxml2 parsing
// with no network, no DTD loading and no entity substitution (a hostile document cannot read files or
// expand entities), an RAII document, element tests by namespace, text and W3C dates.
// Thread-safety: pure functions; libxml2 is initialised once.
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <optional>
#include <string>

#include "triage/model/records.h"

namespace custos {

struct XmlDoc {
  xmlDoc* doc = nullptr;
  XmlDoc() = default;
  XmlDoc(const XmlDoc&) = delete;
  XmlDoc& operator=(const XmlDoc&) = delete;
  ~XmlDoc() {
    if (doc != nullptr) xmlFreeDoc(doc);
  }
};

// Parses XML safely (see above); false when it is not well-formed or has no root element.
bool ParseXml(const std::string& xml, XmlDoc& doc);
// The element's own text (text and CDATA children only: entity references are never followed), trimmed.
std::optional<std::string> OwnText(const xmlNode* n);
// True when n is the element {ns}local.
bool Is(const xmlNode* n, const char* ns, const char* local);
// W3CDTF / ISO 8601: "2012-11-07T23:29:00Z", "2012-11-07T23:29:00.12+01:00", "2012-11-07", as UTC. Times
// without a zone are taken as UTC.
std::optional<UtcMicros> W3cdtf(const std::optional<std::string>& text);

}  // namespace custos
