#include "parsers/common/libyal.h"

#include <algorithm>
#include <cstring>

namespace custos {
namespace {

// The bytes a libbfio handle reads, with its own read position. libbfio's own memory range handle
// (20170123) copies as many bytes as asked even past the end of the range, returning the right count:
// a read beyond the buffer. These callbacks copy only what is there.
struct Span {
  const char* data = nullptr;
  size_t size = 0;
  size_t offset = 0;
  bool open = false;
};

Span* AsSpan(intptr_t* io) { return reinterpret_cast<Span*>(io); }

int FreeSpan(intptr_t** io, libbfio_error_t**) {
  delete AsSpan(*io);
  *io = nullptr;
  return 1;
}
int CloneSpan(intptr_t** destination, intptr_t* source, libbfio_error_t**) {
  auto* copy = new Span(*AsSpan(source));
  copy->offset = 0;
  copy->open = false;
  *destination = reinterpret_cast<intptr_t*>(copy);
  return 1;
}
int OpenSpan(intptr_t* io, int access_flags, libbfio_error_t**) {
  if ((access_flags & LIBBFIO_ACCESS_FLAG_WRITE) != 0) return -1;  // evidence is never written
  AsSpan(io)->open = true;
  AsSpan(io)->offset = 0;
  return 1;
}
int CloseSpan(intptr_t* io, libbfio_error_t**) {
  AsSpan(io)->open = false;
  return 0;
}
ssize_t ReadSpan(intptr_t* io, uint8_t* buffer, size_t size, libbfio_error_t**) {
  Span* s = AsSpan(io);
  if (buffer == nullptr || !s->open) return -1;
  if (s->offset >= s->size) return 0;
  const size_t n = std::min(size, s->size - s->offset);
  std::memcpy(buffer, s->data + s->offset, n);
  s->offset += n;
  return static_cast<ssize_t>(n);
}
ssize_t WriteSpan(intptr_t*, const uint8_t*, size_t, libbfio_error_t**) { return -1; }
off64_t SeekSpan(intptr_t* io, off64_t offset, int whence, libbfio_error_t**) {
  Span* s = AsSpan(io);
  off64_t base = 0;
  if (whence == SEEK_CUR)
    base = static_cast<off64_t>(s->offset);
  else if (whence == SEEK_END)
    base = static_cast<off64_t>(s->size);
  else if (whence != SEEK_SET)
    return -1;
  if (offset < -base) return -1;
  s->offset = static_cast<size_t>(base + offset);
  return static_cast<off64_t>(s->offset);
}
int SpanExists(intptr_t*, libbfio_error_t**) { return 1; }
int SpanIsOpen(intptr_t* io, libbfio_error_t**) { return AsSpan(io)->open ? 1 : 0; }
int SpanSize(intptr_t* io, size64_t* size, libbfio_error_t**) {
  *size = AsSpan(io)->size;
  return 1;
}

}  // namespace

Result<std::unique_ptr<MemoryBfio>> MemoryBfio::Over(std::string_view bytes, const BfioFunctions& bfio) {
  std::unique_ptr<MemoryBfio> io(new MemoryBfio());
  io->free_ = bfio.handle_free;
  auto* span = new Span{bytes.data(), bytes.size(), 0, false};
  libbfio_error_t* error = nullptr;
  if (bfio.handle_initialize(&io->handle_, reinterpret_cast<intptr_t*>(span), FreeSpan, CloneSpan, OpenSpan, CloseSpan,
                             ReadSpan, WriteSpan, SeekSpan, SpanExists, SpanIsOpen, SpanSize,
                             LIBBFIO_FLAG_IO_HANDLE_MANAGED | LIBBFIO_FLAG_IO_HANDLE_CLONE_BY_FUNCTION, &error) != 1) {
    delete span;
    return Status::Internal("libbfio: " + TakeLibyalError(error, bfio.error_backtrace_sprint, bfio.error_free));
  }
  return io;
}

MemoryBfio::~MemoryBfio() {
  if (handle_ != nullptr) free_(&handle_, nullptr);
}

}  // namespace custos
