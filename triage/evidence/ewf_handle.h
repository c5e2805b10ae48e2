// RAII access to an E01 set through libewf, read-only. Used for probing, acquisition metadata and
// whole-media verification; file-system reads go through The Sleuth Kit, which opens libewf itself.
// Thread-safety: one EwfHandle per thread.
#pragma once

#include <libewf.h>

#include <memory>
#include <string>
#include <vector>

#include "triage/base/status.h"

namespace custos {

class EwfHandle {
 public:
  // Opens every segment read-only. Corruption names the set and says what is wrong (missing or
  // truncated segment, damaged header).
  static Result<std::unique_ptr<EwfHandle>> Open(const std::vector<std::string>& segments);
  // Finds the segments of a set from its first one (libewf_glob), in order.
  static Result<std::vector<std::string>> Glob(const std::string& first_segment);
  ~EwfHandle();
  EwfHandle(const EwfHandle&) = delete;
  EwfHandle& operator=(const EwfHandle&) = delete;

  libewf_handle_t* get() const { return handle_; }

  // libewf's error text (every line joined), then frees the error.
  static std::string TakeError(libewf_error_t** error);

 private:
  explicit EwfHandle(libewf_handle_t* h) : handle_(h) {}
  libewf_handle_t* handle_;
};

}  // namespace custos
