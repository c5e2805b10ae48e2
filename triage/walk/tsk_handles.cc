// TSK error text and type names.
#include "triage/walk/tsk_handles.h"

#include <algorithm>

namespace custos::tsk {

std::string TakeError() {
  std::string msg;
  if (tsk_error_get_errno() != 0) {
    const char* text = tsk_error_get();
    if (text) msg = text;
  }
  tsk_error_reset();
  // TSK messages can span lines and carry trailing spaces; one line reads better in an error row.
  std::replace(msg.begin(), msg.end(), '\n', ' ');
  while (!msg.empty() && (msg.back() == ' ' || msg.back() == '\r')) msg.pop_back();
  return msg;
}

std::string FsTypeName(TSK_FS_TYPE_ENUM type) {
  if (type == TSK_FS_TYPE_HFS || type == TSK_FS_TYPE_HFS_DETECT) return "hfs+";
  const char* name = tsk_fs_type_toname(type);
  std::string s = name ? name : "unknown";
  return s;
}

}  // namespace custos::tsk
