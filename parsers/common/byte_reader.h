// A bounds-checked little-endian reader over a byte span, for the few small records no Debian library
// decodes (recycle bin INFO2 and $I files, the registry header's sequence numbers). Every read either
// succeeds or leaves the value empty; nothing is ever cast onto the buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace custos {

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  size_t size() const { return bytes_.size(); }

  std::optional<uint16_t> U16(size_t offset) const { return Le<uint16_t>(offset); }
  std::optional<uint32_t> U32(size_t offset) const { return Le<uint32_t>(offset); }
  std::optional<uint64_t> U64(size_t offset) const { return Le<uint64_t>(offset); }
  // `length` bytes at `offset`, or nullopt when they run past the end.
  std::optional<std::string_view> Bytes(size_t offset, size_t length) const {
    if (offset > bytes_.size() || length > bytes_.size() - offset) return std::nullopt;
    return bytes_.substr(offset, length);
  }
  // A NUL-terminated single-byte string within [offset, offset+max_len), decoded as Windows-1252 to UTF-8.
  std::optional<std::string> AnsiZ(size_t offset, size_t max_len) const;
  // A NUL-terminated UTF-16LE string of at most max_chars code units, as UTF-8.
  std::optional<std::string> Utf16Z(size_t offset, size_t max_chars) const;

 private:
  template <typename T>
  std::optional<T> Le(size_t offset) const {
    if (offset > bytes_.size() || sizeof(T) > bytes_.size() - offset) return std::nullopt;
    T v = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
      v |= static_cast<T>(static_cast<unsigned char>(bytes_[offset + i])) << (8 * i);
    return v;
  }
  std::string_view bytes_;
};

// UTF-16LE code units to UTF-8; unpaired surrogates become U+FFFD.
std::string Utf16LeToUtf8(std::string_view bytes);

// A GUID from its 16 stored bytes (first three groups little-endian, as Windows stores them), as
// "6d809377-6af0-444b-8957-a3773f02200e" (or upper case); "" when fewer than 16 bytes are given.
std::string GuidText(std::string_view bytes, bool upper_case = false);

}  // namespace custos
