// Glue for the libyal libraries (libregf, libevtx, liblnk, libolecf, libscca): a libbfio handle over
// the bytes the pipeline hands a parser (so nothing is written to disk), the text of a libyal error,
// and UTF-8 string getters. Every libyal library takes the same system libbfio handle.
// Thread-safety: each object belongs to one Parse() call.
#pragma once

#include <libbfio.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/common/isolated_library.h"
#include "triage/base/status.h"

namespace custos {

// A read-only libbfio handle over a span of memory the caller keeps alive. Reads never go past its end.
// A library loaded in its own namespace (isolated_library.h) needs a handle made by its own libbfio:
// pass that namespace's functions.
class MemoryBfio {
 public:
  static Result<std::unique_ptr<MemoryBfio>> Over(std::string_view bytes, const BfioFunctions& bfio = {});
  ~MemoryBfio();
  MemoryBfio(const MemoryBfio&) = delete;
  MemoryBfio& operator=(const MemoryBfio&) = delete;
  libbfio_handle_t* get() const { return handle_; }

 private:
  MemoryBfio() = default;
  libbfio_handle_t* handle_ = nullptr;
  decltype(&::libbfio_handle_free) free_ = nullptr;
};

// libyal errors are opaque per library but share one shape: text via *_error_backtrace_sprint (every
// message, innermost cause first; *_error_sprint keeps only the outermost), freed by *_error_free.
// Returns the messages joined with "; " and frees the error.
template <typename Error, typename SprintFn, typename FreeFn>
std::string TakeLibyalError(Error*& error, SprintFn sprint, FreeFn free_fn) {
  if (error == nullptr) return "no detail given";
  std::vector<char> buf(2048, '\0');
  sprint(error, buf.data(), buf.size());
  free_fn(&error);
  error = nullptr;
  std::string text;
  std::string_view rest(buf.data());
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    while (!line.empty() && (line.back() == '.' || line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (!text.empty()) text += "; ";
    text += line;
  }
  return text.empty() ? "no detail given" : text;
}

// Reads a UTF-8 string from a libyal getter pair (f_size(obj, &size, &err), f(obj, buf, size, &err)).
// nullopt when the value is absent (0) or unreadable (-1); the error, if any, is freed.
template <typename Obj, typename Error, typename SizeFn, typename GetFn, typename FreeFn>
std::optional<std::string> LibyalUtf8(Obj* obj, SizeFn size_fn, GetFn get_fn, FreeFn free_fn, Error* = nullptr) {
  Error* error = nullptr;
  size_t size = 0;
  if (size_fn(obj, &size, &error) != 1 || size == 0 || size > (64u << 20)) {
    if (error) free_fn(&error);
    return std::nullopt;
  }
  std::string out(size, '\0');
  if (get_fn(obj, reinterpret_cast<uint8_t*>(out.data()), size, &error) != 1) {
    if (error) free_fn(&error);
    return std::nullopt;
  }
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

}  // namespace custos
