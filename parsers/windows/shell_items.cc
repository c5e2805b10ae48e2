// Shell items through libfwsi: names, types and a file entry's FAT times, and the few known-folder GUIDs
// that libfwsi 20181227 does not name.
#include "parsers/windows/shell_items.h"

#include <libfwsi.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>

#include "parsers/common/byte_reader.h"
#include "parsers/common/libyal.h"

namespace custos {
namespace {

constexpr int kAsciiCodepage = 1252;  // names of 8.3 entries on Western Windows
constexpr size_t kMaxItemBytes = 64u << 10;
constexpr uint32_t kFileEntryExtensionSignature = 0xbeef0004;

struct KnownFolder {
  const char* guid;  // upper case, no braces
  const char* name;
};

// KNOWNFOLDERIDs met in UserAssist and CLSIDs of shell folders met in BagMRU that libfwsi leaves "Unknown".
// Folders whose path depends on the Windows edition say so ("32-bit" is SysWOW64 / Program Files (x86) on
// 64-bit Windows, and System32 / Program Files on 32-bit Windows).
constexpr KnownFolder kKnownFolders[] = {
    {"6D809377-6AF0-444B-8957-A3773F02200E", "Program Files (64-bit)"},
    {"7C5A40EF-A0FB-4BFC-874A-C0F2E0B9FA8E", "Program Files (32-bit)"},
    {"905E63B6-C1BF-494E-B29C-65B732D3D21A", "Program Files"},
    {"F7F1ED05-9F6D-47A2-AAAE-29D317C6F066", "Program Files\\Common Files"},
    {"DE974D24-D9C6-4D3E-BF91-F4455120B917", "Program Files (32-bit)\\Common Files"},
    {"1AC14E77-02E7-4E5D-B744-2EB1AE5198B7", "System32"},
    {"D65231B0-B2F1-4857-A4CE-A8E7C6EA7D27", "System32 (32-bit)"},
    {"F38BF404-1D43-42F2-9305-67DE0B28FC23", "Windows"},
    {"A77F5D77-2E2B-44C3-A6A2-ABA601054A51", "Start Menu\\Programs"},
    {"0139D44E-6AFE-49F2-8690-3DAFCAE6FFB8", "Start Menu\\Programs (all users)"},
    {"9E3995AB-1F9C-4F13-B827-48B24B6C7174", "User Pinned"},
    {"B4BFCC3A-DB2C-424C-B029-7FE99A87C641", "Desktop"},
    {"FDD39AD0-238F-46AF-ADB4-6C85480369C7", "Documents"},
    {"D3162B92-9365-467A-956B-92703ACA08AF", "Documents"},
    {"374DE290-123F-4565-9164-39C4925E467B", "Downloads"},
    {"088E3905-0323-4B02-9826-5D99428E115F", "Downloads"},
    {"33E28130-4E1E-4676-835A-98395C3BC3BB", "Pictures"},
    {"24AD3AD4-A569-4530-98E1-AB02F9417AA8", "Pictures"},
    {"4BD8D571-6D19-48D3-BE97-422220080E43", "Music"},
    {"18989B1D-99B5-455B-841C-AB7C74E4DDFC", "Videos"},
    {"5E6C858F-0E22-4760-9AFE-EA3317B67173", "User profile"},
    {"F1B32785-6FBA-4FCF-9D55-7B8E7F157091", "AppData\\Local"},
    {"3EB685DB-65F9-4CF6-A03A-E3EF65729F3D", "AppData\\Roaming"},
    {"62AB5D82-FDC1-4DC3-A9DD-070D1D495D97", "ProgramData"},
    {"031E4825-7B94-4DC3-B131-E946B44C8DD5", "Libraries"},
    {"679F85CB-0220-4080-B29B-5540CC05AAB6", "Quick access"},
    {"018D5C66-4533-4307-9B53-224DE2ED1FE6", "OneDrive"},
    {"3ADD1653-EB32-4CB0-BBD7-DFA0ABB5ACCA", "Pictures"},
    {"A0953C92-50DC-43BF-BE83-3742FED03C9C", "Videos"},
    {"1CF1260C-4DD0-4EBB-811F-33C572699FDE", "Music"},
    {"A8CDFF1C-4878-43BE-B5FD-F8091C1C60D0", "Documents"},
    {"0DB7E03F-FC29-4DC6-9020-FF41B59E513A", "3D Objects"},
};

struct Item {
  libfwsi_item_t* item = nullptr;
  ~Item() {
    if (item != nullptr) libfwsi_item_free(&item, nullptr);
  }
};
struct ItemList {
  libfwsi_item_list_t* list = nullptr;
  ~ItemList() {
    if (list != nullptr) libfwsi_item_list_free(&list, nullptr);
  }
};

void Drop(libfwsi_error_t*& error) {
  if (error != nullptr) libfwsi_error_free(&error);
  error = nullptr;
}

bool IsZero(const uint8_t g[16]) {
  for (int i = 0; i < 16; ++i) {
    if (g[i] != 0) return false;
  }
  return true;
}

// A shell folder GUID as a name: libfwsi's table, then ours, then the GUID itself in braces.
std::string FolderName(const uint8_t g[16]) {
  const char* libfwsi_name = libfwsi_shell_folder_identifier_get_name(g);
  if (libfwsi_name != nullptr && std::strcmp(libfwsi_name, "Unknown") != 0) return libfwsi_name;
  const std::string guid = GuidText(std::string_view(reinterpret_cast<const char*>(g), 16), /*upper_case=*/true);
  if (auto known = KnownFolderName(guid)) return *known;
  return "{" + guid + "}";
}

// A 32-bit FAT date and time as libfwsi returns it (date in the low 16 bits, time in the high 16) to UTC
// micros. Shell items store these in UTC. 0 and impossible dates mean "not set".
std::optional<UtcMicros> FromFatDateTime(uint32_t value) {
  const uint32_t date = value & 0xffff, time = value >> 16;
  const int year = 1980 + static_cast<int>(date >> 9), month = static_cast<int>((date >> 5) & 0xf),
            day = static_cast<int>(date & 0x1f);
  const int hour = static_cast<int>(time >> 11), minute = static_cast<int>((time >> 5) & 0x3f),
            second = static_cast<int>(time & 0x1f) * 2;
  if (date == 0 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  struct tm tm {};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<UtcMicros>(timegm(&tm)) * 1000000;
}

std::string TypeName(int type) {
  switch (type) {
    case LIBFWSI_ITEM_TYPE_CDBURN:
      return "cd burn";
    case LIBFWSI_ITEM_TYPE_COMPRESSED_FOLDER:
      return "compressed folder";
    case LIBFWSI_ITEM_TYPE_CONTROL_PANEL:
      return "control panel";
    case LIBFWSI_ITEM_TYPE_CONTROL_PANEL_CATEGORY:
      return "control panel category";
    case LIBFWSI_ITEM_TYPE_CONTROL_PANEL_CPL_FILE:
      return "control panel applet";
    case LIBFWSI_ITEM_TYPE_DELEGATE:
      return "delegate";
    case LIBFWSI_ITEM_TYPE_FILE_ENTRY:
      return "file entry";
    case LIBFWSI_ITEM_TYPE_GAME_FOLDER:
      return "game folder";
    case LIBFWSI_ITEM_TYPE_MTP_FILE_ENTRY:
      return "mtp file entry";
    case LIBFWSI_ITEM_TYPE_MTP_VOLUME:
      return "mtp volume";
    case LIBFWSI_ITEM_TYPE_NETWORK_LOCATION:
      return "network location";
    case LIBFWSI_ITEM_TYPE_ROOT_FOLDER:
      return "root folder";
    case LIBFWSI_ITEM_TYPE_URI:
      return "uri";
    case LIBFWSI_ITEM_TYPE_URI_SUB_VALUES:
      return "uri sub values";
    case LIBFWSI_ITEM_TYPE_USERS_PROPERTY_VIEW:
      return "users property view";
    case LIBFWSI_ITEM_TYPE_VOLUME:
      return "volume";
    case LIBFWSI_ITEM_TYPE_UNKNOWN_0x74:
      return "users files folder";
    default:
      return "unknown";
  }
}

// A FAT time from a libfwsi getter (items and extension blocks are both opaque handles).
template <typename Handle>
std::optional<UtcMicros> FatTime(Handle* handle, int (*get)(Handle*, uint32_t*, libfwsi_error_t**)) {
  uint32_t v = 0;
  libfwsi_error_t* error = nullptr;
  if (get(handle, &v, &error) != 1) {
    Drop(error);
    return std::nullopt;
  }
  return FromFatDateTime(v);
}

// The file entry extension block (0xbeef0004) holds the long name and the created and accessed times; file
// entries and the "users files" (0x74) items carry one.
void ReadFileEntryExtension(libfwsi_item_t* item, ShellItem& out, std::optional<std::string>& long_name) {
  int n = 0;
  libfwsi_error_t* error = nullptr;
  if (libfwsi_item_get_number_of_extension_blocks(item, &n, &error) != 1) {
    Drop(error);
    return;
  }
  for (int i = 0; i < n; ++i) {
    libfwsi_extension_block_t* block = nullptr;  // borrowed: the item owns its extension blocks
    uint32_t signature = 0;
    if (libfwsi_item_get_extension_block(item, i, &block, &error) != 1 || block == nullptr ||
        libfwsi_extension_block_get_signature(block, &signature, &error) != 1) {
      Drop(error);
      continue;
    }
    if (signature != kFileEntryExtensionSignature) continue;
    long_name = LibyalUtf8<libfwsi_extension_block_t, libfwsi_error_t>(
        block, libfwsi_file_entry_extension_get_utf8_long_name_size, libfwsi_file_entry_extension_get_utf8_long_name,
        libfwsi_error_free);
    out.created = FatTime(block, libfwsi_file_entry_extension_get_creation_time);
    out.accessed = FatTime(block, libfwsi_file_entry_extension_get_access_time);
    return;
  }
}

ShellItem Describe(libfwsi_item_t* item, std::string_view raw) {
  ShellItem out;
  int type = LIBFWSI_ITEM_TYPE_UNKNOWN;
  libfwsi_error_t* error = nullptr;
  if (libfwsi_item_get_type(item, &type, &error) != 1) Drop(error);
  out.type = TypeName(type);
  std::optional<std::string> name;
  uint8_t guid[16] = {};
  switch (type) {
    case LIBFWSI_ITEM_TYPE_ROOT_FOLDER:
      if (libfwsi_root_folder_get_shell_folder_identifier(item, guid, sizeof guid, &error) == 1)
        name = FolderName(guid);
      break;
    case LIBFWSI_ITEM_TYPE_VOLUME:
      name = LibyalUtf8<libfwsi_item_t, libfwsi_error_t>(item, libfwsi_volume_get_utf8_name_size,
                                                         libfwsi_volume_get_utf8_name, libfwsi_error_free);
      if (!name && libfwsi_volume_get_shell_folder_identifier(item, guid, sizeof guid, &error) == 1) {
        // libfwsi 20181227 reads the class 0x2e items Windows 10 puts under My Computer (Desktop, Downloads...)
        // as volumes without their GUID; it sits right after the 4-byte item header.
        if (IsZero(guid)) {
          if (auto stored = ByteReader(raw).Bytes(4, 16)) std::memcpy(guid, stored->data(), 16);
        }
        if (!IsZero(guid)) name = FolderName(guid);
      }
      break;
    case LIBFWSI_ITEM_TYPE_FILE_ENTRY: {
      name = LibyalUtf8<libfwsi_item_t, libfwsi_error_t>(item, libfwsi_file_entry_get_utf8_name_size,
                                                         libfwsi_file_entry_get_utf8_name, libfwsi_error_free);
      out.modified = FatTime(item, libfwsi_file_entry_get_modification_time);
      std::optional<std::string> long_name;
      ReadFileEntryExtension(item, out, long_name);
      if (long_name && !long_name->empty()) name = long_name;  // the 8.3 name otherwise
      break;
    }
    case LIBFWSI_ITEM_TYPE_UNKNOWN_0x74:
    case LIBFWSI_ITEM_TYPE_DELEGATE: {
      std::optional<std::string> long_name;
      ReadFileEntryExtension(item, out, long_name);
      if (long_name && !long_name->empty()) name = long_name;
      break;
    }
    case LIBFWSI_ITEM_TYPE_NETWORK_LOCATION:
      name =
          LibyalUtf8<libfwsi_item_t, libfwsi_error_t>(item, libfwsi_network_location_get_utf8_location_size,
                                                      libfwsi_network_location_get_utf8_location, libfwsi_error_free);
      break;
    default:
      break;
  }
  Drop(error);
  // libfwsi gives no name for the other types (control panel categories, property views...): say what it is.
  out.name = name && !name->empty() ? *name : "[" + out.type + "]";
  return out;
}

}  // namespace

std::optional<ShellItem> DecodeShellItem(std::string_view bytes) {
  if (bytes.size() < 3 || bytes.size() > kMaxItemBytes) return std::nullopt;
  Item item;
  libfwsi_error_t* error = nullptr;
  if (libfwsi_item_initialize(&item.item, &error) != 1 ||
      libfwsi_item_copy_from_byte_stream(item.item, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                         kAsciiCodepage, &error) != 1) {
    Drop(error);
    return std::nullopt;
  }
  return Describe(item.item, bytes);
}

std::vector<ShellItem> DecodeShellItemList(std::string_view bytes) {
  std::vector<ShellItem> out;
  if (bytes.size() < 2 || bytes.size() > kMaxItemBytes) return out;
  ItemList list;
  libfwsi_error_t* error = nullptr;
  if (libfwsi_item_list_initialize(&list.list, &error) != 1 ||
      libfwsi_item_list_copy_from_byte_stream(list.list, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                              kAsciiCodepage, &error) != 1) {
    Drop(error);
    return out;
  }
  int n = 0;
  if (libfwsi_item_list_get_number_of_items(list.list, &n, &error) != 1) Drop(error);
  // The raw bytes of item i, for the one workaround in Describe(): items follow each other, each led by its size.
  size_t offset = 0;
  for (int i = 0; i < n; ++i) {
    const auto size = ByteReader(bytes).U16(offset);
    const std::string_view raw = size ? bytes.substr(offset, *size) : std::string_view();
    offset += size ? *size : bytes.size();
    libfwsi_item_t* item = nullptr;  // borrowed: the list owns its items
    if (libfwsi_item_list_get_item(list.list, i, &item, &error) != 1 || item == nullptr) {
      Drop(error);
      continue;
    }
    out.push_back(Describe(item, raw));
  }
  return out;
}

std::string AppendShellPath(const std::string& parent, const std::string& name) {
  if (parent.empty()) return name;
  if (parent.back() == '\\') return parent + name;
  return parent + "\\" + name;
}

std::string JoinShellPath(const std::vector<ShellItem>& items) {
  std::string path;
  for (const auto& item : items) path = AppendShellPath(path, item.name);
  return path;
}

std::optional<std::string> KnownFolderName(std::string_view guid) {
  if (!guid.empty() && guid.front() == '{') guid.remove_prefix(1);
  if (!guid.empty() && guid.back() == '}') guid.remove_suffix(1);
  if (guid.size() != 36) return std::nullopt;
  std::string upper(guid);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const auto& k : kKnownFolders) {
    if (upper == k.guid) return std::string(k.name);
  }
  return std::nullopt;
}

}  // namespace custos
