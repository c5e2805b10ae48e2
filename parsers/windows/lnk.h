// Windows shortcut (LNK) decoding through liblnk, shared by the .lnk parser and the jump-list parser
// (jump lists hold LNK streams). The kind's fields and the row built from one shortcut live here so a
// shortcut looks the same wherever it was found.
#pragma once

#include <string>
#include <string_view>

#include "triage/base/status.h"
#include "triage/model/artefact.h"

namespace custos {

// The fields every shortcut row starts with, in order (a kind that embeds shortcuts appends its own).
std::vector<FieldDecl> LnkFields();
// Decodes one shortcut into `row` (values appended in LnkFields() order; time and summary set).
Status DecodeLnk(std::string_view bytes, ArtefactRow& row);
// The LNK header: its size (0x4C) and the shell link CLSID. Custom jump lists are found by it.
inline constexpr std::string_view kLnkHeader(
    "\x4c\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46", 20);
inline bool LooksLikeLnk(std::string_view head) { return head.substr(0, kLnkHeader.size()) == kLnkHeader; }

}  // namespace custos
