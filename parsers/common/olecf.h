// RAII handles for libolecf (OLE compound files: jump lists, Office 97-2003 documents) and its error text.
// Thread-safety: each handle belongs to one Parse() call.
#pragma once

#include <libolecf.h>

#include <string>

#include "parsers/common/libyal.h"

namespace custos {

struct OleFile {
  libolecf_file_t* file = nullptr;
  OleFile() = default;
  OleFile(const OleFile&) = delete;
  OleFile& operator=(const OleFile&) = delete;
  ~OleFile() {
    if (file != nullptr) {
      libolecf_file_close(file, nullptr);
      libolecf_file_free(&file, nullptr);
    }
  }
};

struct OleItem {
  libolecf_item_t* item = nullptr;
  OleItem() = default;
  OleItem(const OleItem&) = delete;
  OleItem& operator=(const OleItem&) = delete;
  ~OleItem() {
    if (item != nullptr) libolecf_item_free(&item, nullptr);
  }
};

inline std::string OleError(libolecf_error_t*& error) {
  return TakeLibyalError(error, libolecf_error_backtrace_sprint, libolecf_error_free);
}

}  // namespace custos
