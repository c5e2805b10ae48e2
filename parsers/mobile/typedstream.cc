#include "parsers/mobile/typedstream.h"

#include <cstdint>

#include "parsers/common/byte_reader.h"

namespace custos::mobile {
namespace {

// typedstream's tags (libobjc's typedstream.h): a new object or class, nil, end of object; bytes at or
// above kReferenceBase refer back to something already in the stream.
constexpr uint8_t kTagInt16 = 0x81, kTagInt32 = 0x82, kTagNew = 0x84, kTagNil = 0x85;
constexpr uint8_t kReferenceBase = 0x92;
constexpr size_t kSearchLimit = 4096;  // the class records come first
constexpr size_t kMaxText = 4u << 20;  // a message longer than this is not a message
constexpr std::string_view kHeader = "\x04\x0bstreamtyped";

// An integer as typedstream writes it: one signed byte, or a tag and a little-endian int16 or int32.
std::optional<int64_t> ReadInteger(const ByteReader& r, size_t& at) {
  const auto b = r.Bytes(at, 1);
  if (!b) return std::nullopt;
  const uint8_t tag = static_cast<uint8_t>((*b)[0]);
  ++at;
  if (tag == kTagInt16) {
    const auto v = r.U16(at);
    if (!v) return std::nullopt;
    at += 2;
    return static_cast<int16_t>(*v);
  }
  if (tag == kTagInt32) {
    const auto v = r.U32(at);
    if (!v) return std::nullopt;
    at += 4;
    return static_cast<int32_t>(*v);
  }
  if (tag >= 0x80) return std::nullopt;  // other tags are not integers
  return tag;
}

std::optional<uint8_t> Byte(const ByteReader& r, size_t at) {
  const auto b = r.Bytes(at, 1);
  if (!b) return std::nullopt;
  return static_cast<uint8_t>((*b)[0]);
}

}  // namespace

std::optional<std::string> TypedstreamText(std::string_view archive) {
  const ByteReader r(archive);
  if (!archive.starts_with(kHeader)) return std::nullopt;
  size_t at = kHeader.size();
  if (!ReadInteger(r, at)) return std::nullopt;  // the system version (1000)
  // The class record: a length-prefixed class name, "NSString" or "NSMutableString". The first one is
  // the attributed string's own text; both name the same layout.
  const std::string_view window = archive.substr(0, std::min(archive.size(), kSearchLimit));
  size_t name_end = std::string_view::npos;
  for (std::string_view name : {std::string_view("\x08NSString"), std::string_view("\x0fNSMutableString")}) {
    for (size_t pos = window.find(name, at); pos != std::string_view::npos; pos = window.find(name, pos + 1)) {
      if (pos > 0 && static_cast<uint8_t>(window[pos - 1]) == kTagNew) {
        name_end = std::min(name_end, pos + name.size());
        break;
      }
    }
  }
  if (name_end == std::string_view::npos) return std::nullopt;
  at = name_end;
  if (!ReadInteger(r, at)) return std::nullopt;  // the class version
  // NSMutableString names NSString as its superclass, defined right here; NSString names NSObject,
  // defined earlier (a reference) or not at all (nil).
  for (int depth = 0; depth < 4; ++depth) {
    const auto b = Byte(r, at);
    if (!b) return std::nullopt;
    if (*b == kTagNil || *b >= kReferenceBase) {
      ++at;
      break;
    }
    if (*b != kTagNew) return std::nullopt;
    const auto b2 = Byte(r, at + 1);
    if (!b2 || *b2 != kTagNew) return std::nullopt;  // a new class: tag, tag, length, name, version
    at += 2;
    const auto length = ReadInteger(r, at);
    if (!length || *length <= 0 || *length > 256 || !r.Bytes(at, static_cast<size_t>(*length))) return std::nullopt;
    at += static_cast<size_t>(*length);
    if (!ReadInteger(r, at)) return std::nullopt;
  }
  // The value's type encoding: "+" (bytes), new (tag, length 1, '+') or a reference to an earlier one.
  const auto type = Byte(r, at);
  if (!type) return std::nullopt;
  if (*type == kTagNew) {
    const auto encoding = r.Bytes(at + 1, 2);
    if (!encoding || *encoding != std::string_view("\x01+", 2)) return std::nullopt;
    at += 3;
  } else if (*type >= kReferenceBase) {
    ++at;
  } else {
    return std::nullopt;
  }
  const auto length = ReadInteger(r, at);
  if (!length || *length < 0 || static_cast<uint64_t>(*length) > kMaxText) return std::nullopt;
  const auto text = r.Bytes(at, static_cast<size_t>(*length));
  if (!text) return std::nullopt;
  return std::string(*text);
}

}  // namespace custos::mobile
