#include "parsers/common/isolated_library.h"

#include <dlfcn.h>

namespace custos {

void IsolatedLibrary::Load(const char* soname, const char* package) {
  soname_ = soname;
  package_ = package;
  // Never closed: unloading a namespace's libc is not supported, and the namespace is reused by every
  // later file.
  handle_ = dlmopen(LM_ID_NEWLM, soname, RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) {
    const char* why = dlerror();
    load_error_ = soname_ + " cannot be loaded (" + (why ? why : "unknown error") + "): install Debian's " + package_ +
                  " (scripts/install-deps.sh does)";
    return;
  }
  Resolve("libbfio_handle_initialize", bfio_.handle_initialize);
  Resolve("libbfio_handle_free", bfio_.handle_free);
  Resolve("libbfio_error_backtrace_sprint", bfio_.error_backtrace_sprint);
  Resolve("libbfio_error_free", bfio_.error_free);
}

void* IsolatedLibrary::Symbol(const char* name) {
  if (handle_ == nullptr) return nullptr;
  void* fn = dlsym(handle_, name);
  if (fn == nullptr && load_error_.empty()) {
    load_error_ = soname_ + " lacks " + name + ": install Debian's " + package_ + " (scripts/install-deps.sh does)";
  } else if (fn == nullptr) {
    load_error_ += std::string(", ") + name;
  }
  return fn;
}

}  // namespace custos
