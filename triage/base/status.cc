// Status formatting.
#include "triage/base/status.h"

namespace custos {

const char* Status::CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "OK";
    case Code::kNotFound:
      return "Not found";
    case Code::kCorruption:
      return "Corruption";
    case Code::kNotSupported:
      return "Not supported";
    case Code::kInvalidArgument:
      return "Invalid argument";
    case Code::kIOError:
      return "I/O error";
    case Code::kBusy:
      return "Busy";
    case Code::kInternal:
      return "Internal error";
  }
  return "Unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(CodeName(code_)) + ": " + message_;
}

}  // namespace custos
