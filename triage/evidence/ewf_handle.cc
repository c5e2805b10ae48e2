// libewf handle ownership and error text (see ewf_handle.h).
#include "triage/evidence/ewf_handle.h"

#include <algorithm>
#include <memory>

namespace custos {

std::string EwfHandle::TakeError(libewf_error_t** error) {
  if (!error || !*error) return "";
  char buf[4096];
  std::string text;
  if (libewf_error_sprint(*error, buf, sizeof buf) > 0) text = buf;
  libewf_error_free(error);
  // libewf stacks one line per call level; the last line is the root cause, the first the context.
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

Result<std::vector<std::string>> EwfHandle::Glob(const std::string& first_segment) {
  libewf_error_t* error = nullptr;
  char** names = nullptr;
  int count = 0;
  if (libewf_glob(first_segment.c_str(), first_segment.size(), LIBEWF_FORMAT_UNKNOWN, &names, &count, &error) != 1) {
    return Status::Corruption(first_segment + ": cannot find the segments of this E01 set: " + TakeError(&error));
  }
  std::vector<std::string> out(names, names + count);
  libewf_glob_free(names, count, nullptr);
  return out;
}

Result<std::unique_ptr<EwfHandle>> EwfHandle::Open(const std::vector<std::string>& segments) {
  libewf_error_t* error = nullptr;
  libewf_handle_t* handle = nullptr;
  if (libewf_handle_initialize(&handle, &error) != 1) {
    return Status::Internal("libewf could not start: " + TakeError(&error));
  }
  auto owner = std::unique_ptr<EwfHandle>(new EwfHandle(handle));
  std::vector<char*> names;
  for (const auto& s : segments) names.push_back(const_cast<char*>(s.c_str()));
  if (libewf_handle_open(handle, names.data(), static_cast<int>(names.size()), LIBEWF_OPEN_READ, &error) != 1) {
    return Status::Corruption(segments.front() + ": the E01 set cannot be opened (" + TakeError(&error) +
                              "). A segment is missing, truncated or damaged: copy every segment (.E01, .E02, ...) "
                              "from the original acquisition next to the first one");
  }
  return owner;
}

EwfHandle::~EwfHandle() {
  libewf_handle_close(handle_, nullptr);
  libewf_handle_free(&handle_, nullptr);
}

}  // namespace custos
