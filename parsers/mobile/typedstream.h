// The text of an NSAttributedString archived by NSArchiver in Apple's "typedstream" format, as Messages
// keeps it in chat.db's message.attributedBody. From macOS 13 and iOS 16 the plain `text` column is often
// empty and this archive is the only copy of what was written. No Debian library reads typedstream, so
// this decodes just enough of it, bounds-checked: the header (version 4, "streamtyped", system version),
// then the first NSString (or NSMutableString) class record, its version, its superclass reference, the
// type encoding "+" (UTF-8 bytes) and the length-prefixed bytes that follow. Everything else in the
// archive (attribute runs, mentions, links) is skipped. Any byte that does not fit gives nullopt.
// Thread-safety: a pure function.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace custos::mobile {

// The text of the first NSString in a typedstream archive, or nullopt when the bytes are not one.
std::optional<std::string> TypedstreamText(std::string_view archive);

}  // namespace custos::mobile
