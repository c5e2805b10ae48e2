#include "parsers/common/libyal.h"

namespace custos {

Result<std::unique_ptr<MemoryBfio>> MemoryBfio::Over(std::string_view bytes) {
  std::unique_ptr<MemoryBfio> io(new MemoryBfio());
  libbfio_error_t* error = nullptr;
  // libbfio's signature takes a non-const pointer; the handle is opened for reading only.
  auto* start = reinterpret_cast<uint8_t*>(const_cast<char*>(bytes.data()));
  static uint8_t empty = 0;
  if (bytes.empty()) start = &empty;
  if (libbfio_memory_range_initialize(&io->handle_, &error) != 1 ||
      libbfio_memory_range_set(io->handle_, start, bytes.size(), &error) != 1 ||
      libbfio_handle_set_access_flags(io->handle_, LIBBFIO_ACCESS_FLAG_READ, &error) != 1) {
    return Status::Internal("libbfio: " + TakeLibyalError(error, libbfio_error_sprint, libbfio_error_free));
  }
  return io;
}

MemoryBfio::~MemoryBfio() {
  if (handle_ != nullptr) libbfio_handle_free(&handle_, nullptr);
}

}  // namespace custos
