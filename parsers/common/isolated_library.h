// A libyal library loaded with dlmopen(LM_ID_NEWLM) into a link namespace of its own, and called through
// function pointers. Debian's libyal libraries each export the copies of libcdata, libcerror, libfdata,
// libfcache, libfvalue and libuna bundled into them, of different versions. Linked normally, the first
// library loaded (libregf, libevtx) serves every later library's calls to those helpers, so libpff,
// libesedb and libmsiecf ran on libregf's libfdata (symbol interposition). In its own namespace each
// library binds to its own copies and to its own libbfio (triage/walk/unlocked_volume.cc does the same for
// libluksde). Only opaque handles, plain buffers and our libbfio callbacks cross between namespaces;
// memory one side allocates is freed by the same side (each namespace has its own libc).
//
// The namespace is made on first use and lives as long as the process (glibc allows 16; custos-parse
// uses one per isolated library).
// Thread-safety: Load() is called once per library from a function-local static; the loaded value is
// read-only and its pointers may be called from any thread the library itself allows.
#pragma once

#include <libbfio.h>

#include <string>

// A parser lists the functions it calls once, as an X-macro, and gets a struct of pointers named like them:
//   #define CUSTOS_LIBPFF_FUNCTIONS(X) X(libpff_file_initialize) X(libpff_file_free) ...
//   struct PffApi : IsolatedLibrary { CUSTOS_LIBPFF_FUNCTIONS(CUSTOS_ISOLATED_DECLARE) };
//   const PffApi& Pff() {  // loaded once
//     static const PffApi loaded = [] { PffApi api; api.Load("libpff.so.1", "libpff1");
//                                       CUSTOS_LIBPFF_FUNCTIONS(CUSTOS_ISOLATED_RESOLVE) return api; }();
//     return loaded;
//   }
// then calls Pff().libpff_file_initialize(...) after checking Pff().ok(). (RESOLVE names `api`.)
#define CUSTOS_ISOLATED_DECLARE(fn) decltype(&::fn) fn = nullptr;
#define CUSTOS_ISOLATED_RESOLVE(fn) api.Resolve(#fn, api.fn);

namespace custos {

// The libbfio calls a memory handle needs, from the libbfio of one namespace (MemoryBfio takes them).
struct BfioFunctions {
  decltype(&::libbfio_handle_initialize) handle_initialize = &::libbfio_handle_initialize;
  decltype(&::libbfio_handle_free) handle_free = &::libbfio_handle_free;
  decltype(&::libbfio_error_backtrace_sprint) error_backtrace_sprint = &::libbfio_error_backtrace_sprint;
  decltype(&::libbfio_error_free) error_free = &::libbfio_error_free;
};

class IsolatedLibrary {
 public:
  // dlmopen()s `soname` ("libpff.so.1") into a new namespace and resolves that namespace's libbfio.
  // `package` names the Debian package to install when it cannot be loaded.
  void Load(const char* soname, const char* package);
  // Resolves `name` in the library's namespace (the library first, then what it links), or records it
  // as missing.
  template <typename Fn>
  void Resolve(const char* name, Fn& fn) {
    fn = reinterpret_cast<Fn>(Symbol(name));
  }

  bool ok() const { return load_error_.empty(); }
  // Why the library cannot be used, with what to install; empty when ok().
  const std::string& load_error() const { return load_error_; }
  const BfioFunctions& bfio() const { return bfio_; }
  void* handle() const { return handle_; }

 private:
  void* Symbol(const char* name);
  void* handle_ = nullptr;
  std::string soname_;
  std::string package_;
  std::string load_error_;
  BfioFunctions bfio_;
};

}  // namespace custos
