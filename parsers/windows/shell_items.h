// Windows shell items (the "PIDL" lists Explorer stores for folders and files) through libfwsi, shared
// by the ShellBags parser (UsrClass.dat / NTUSER.DAT BagMRU) and the NTUSER parser (ComDlg32 MRUs), so a
// path reads the same wherever it was found. Also the names of the known-folder GUIDs both meet.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "triage/model/records.h"

namespace custos {

struct ShellItem {
  std::string name;  // what Explorer shows: "My Computer", "C:\\", "Evidence", "\\\\server\\share", "{guid}"
  std::string type;  // "root folder", "volume", "file entry", "network location", ...
  // A file entry's FAT times (2-second resolution, UTC), when the item records them.
  std::optional<UtcMicros> modified, created, accessed;
};

// One shell item (the bytes of one BagMRU value); nullopt when libfwsi cannot read it.
std::optional<ShellItem> DecodeShellItem(std::string_view bytes);
// A whole item list (an ID list ending with a 0 size, as in OpenSavePidlMRU); the items that could be
// read, in order.
std::vector<ShellItem> DecodeShellItemList(std::string_view bytes);
// The items' names joined with backslashes, as Explorer's address bar shows them ("My Computer\\C:\\Users").
std::string JoinShellPath(const std::vector<ShellItem>& items);
// Appends one name to a shell path ("My Computer" + "C:\\" -> "My Computer\\C:\\", "C:\\" + "Users" -> "C:\\Users").
std::string AppendShellPath(const std::string& parent, const std::string& name);

// A shell or known folder GUID ("{6D809377-6AF0-444B-8957-A3773F02200E}", braces optional, any case) as a
// folder name ("Program Files (64-bit)"); nullopt when it is not one of the common ones.
std::optional<std::string> KnownFolderName(std::string_view guid);

}  // namespace custos
