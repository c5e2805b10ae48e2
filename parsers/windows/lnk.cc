// Parser: Windows shortcut files (.lnk), which Windows makes in Recent and on the desktop when a file
// or folder is opened. They keep the target's path, its times and size when the link was made, and
// the volume it was on (so a file opened from a USB stick or a network share shows).
#include "parsers/windows/lnk.h"

#include <liblnk.h>

#include <cstdio>
#include <optional>

#include "parsers/common/byte_reader.h"
#include "parsers/common/field_values.h"
#include "parsers/common/libyal.h"
#include "parsers/common/windows_time.h"
#include "parsers/parser.h"

namespace custos {
namespace {

std::string DriveTypeName(uint32_t t) {
  switch (t) {
    case LIBLNK_DRIVE_TYPE_NO_ROOT_DIR:
      return "no root directory";
    case LIBLNK_DRIVE_TYPE_REMOVABLE:
      return "removable";
    case LIBLNK_DRIVE_TYPE_FIXED:
      return "fixed";
    case LIBLNK_DRIVE_TYPE_REMOTE:
      return "network";
    case LIBLNK_DRIVE_TYPE_CDROM:
      return "cd-rom";
    case LIBLNK_DRIVE_TYPE_RAMDISK:
      return "ram disk";
    default:
      return "unknown";
  }
}

struct LnkFile {
  liblnk_file_t* file = nullptr;
  ~LnkFile() {
    if (file != nullptr) {
      liblnk_file_close(file, nullptr);
      liblnk_file_free(&file, nullptr);
    }
  }
};

template <typename SizeFn, typename GetFn>
std::optional<std::string> LnkText(liblnk_file_t* f, SizeFn size_fn, GetFn get_fn) {
  return LibyalUtf8<liblnk_file_t, liblnk_error_t>(f, size_fn, get_fn, liblnk_error_free);
}

std::optional<int64_t> LnkNumber(liblnk_file_t* f, int (*get)(liblnk_file_t*, uint32_t*, liblnk_error_t**)) {
  uint32_t n = 0;
  liblnk_error_t* error = nullptr;
  if (get(f, &n, &error) != 1) {
    if (error) liblnk_error_free(&error);
    return std::nullopt;
  }
  return n;
}

std::optional<UtcMicros> LnkTime(liblnk_file_t* f, int (*get)(liblnk_file_t*, uint64_t*, liblnk_error_t**)) {
  uint64_t ft = 0;
  liblnk_error_t* error = nullptr;
  if (get(f, &ft, &error) != 1) {
    if (error) liblnk_error_free(&error);
    return std::nullopt;
  }
  return FromFiletime(ft);
}

}  // namespace

std::vector<FieldDecl> LnkFields() {
  return {
      {"target_path", FieldType::kText, "the file or folder the shortcut opens (local path, else network path)"},
      {"target_created", FieldType::kTime, "the target's creation time when the shortcut was last updated"},
      {"target_modified", FieldType::kTime, "the target's last modification time, as recorded in the shortcut"},
      {"target_accessed", FieldType::kTime, "the target's last access time, as recorded in the shortcut"},
      {"target_size", FieldType::kInteger, "the target's size in bytes"},
      {"target_attributes", FieldType::kInteger, "the target's Windows file attribute flags"},
      {"drive_type", FieldType::kText, "fixed, removable, network, cd-rom...: where the target was"},
      {"removable_or_network", FieldType::kInteger, "1 when the target was on a removable or network drive"},
      {"volume_label", FieldType::kText, "label of the volume that held the target"},
      {"drive_serial", FieldType::kText, "serial number of that volume (ties the shortcut to a USB stick)"},
      {"network_path", FieldType::kText, "the share, when the target was on a network drive"},
      {"relative_path", FieldType::kText, "the target relative to the shortcut"},
      {"working_directory", FieldType::kText, "the working directory the target starts in"},
      {"arguments", FieldType::kText, "command-line arguments given to the target"},
      {"description", FieldType::kText, "the shortcut's comment"},
      {"machine_id", FieldType::kText, "NetBIOS name of the computer the shortcut was made on"},
      {"droid_volume_id", FieldType::kText, "distributed link tracking volume GUID"},
      {"droid_file_id", FieldType::kText, "distributed link tracking file GUID (its tail is the MAC address)"},
  };
}

Status DecodeLnk(std::string_view bytes, ArtefactRow& row) {
  if (!LooksLikeLnk(bytes)) return Status::Corruption("not a shortcut: the LNK header is missing");
  auto io = MemoryBfio::Over(bytes);
  if (!io.ok()) return io.status();
  LnkFile lnk;
  liblnk_error_t* error = nullptr;
  if (liblnk_file_initialize(&lnk.file, &error) != 1 ||
      liblnk_file_open_file_io_handle(lnk.file, (*io)->get(), LIBLNK_OPEN_READ, &error) != 1) {
    return Status::Corruption("liblnk cannot open the shortcut: " +
                              TakeLibyalError(error, liblnk_error_backtrace_sprint, liblnk_error_free));
  }
  liblnk_file_t* f = lnk.file;
  auto local = LnkText(f, liblnk_file_get_utf8_local_path_size, liblnk_file_get_utf8_local_path);
  auto network = LnkText(f, liblnk_file_get_utf8_network_path_size, liblnk_file_get_utf8_network_path);
  auto relative = LnkText(f, liblnk_file_get_utf8_relative_path_size, liblnk_file_get_utf8_relative_path);
  std::optional<std::string> target = local ? local : network;
  const auto created = LnkTime(f, liblnk_file_get_file_creation_time);
  const auto modified = LnkTime(f, liblnk_file_get_file_modification_time);
  const auto accessed = LnkTime(f, liblnk_file_get_file_access_time);

  const auto size = LnkNumber(f, liblnk_file_get_file_size);
  const auto attributes = LnkNumber(f, liblnk_file_get_file_attribute_flags);
  const auto drive_type = LnkNumber(f, liblnk_file_get_drive_type);
  const auto serial = LnkNumber(f, liblnk_file_get_drive_serial_number);

  std::optional<std::string> machine, droid_volume, droid_file;
  if (liblnk_file_has_distributed_link_tracking_data(f, &error) == 1) {
    machine = LnkText(f, liblnk_file_get_utf8_machine_identifier_size, liblnk_file_get_utf8_machine_identifier);
    char guid[16];
    auto* raw = reinterpret_cast<uint8_t*>(guid);
    if (liblnk_file_get_droid_volume_identifier(f, raw, sizeof guid, &error) == 1) droid_volume = GuidText({guid, 16});
    if (error) liblnk_error_free(&error);
    if (liblnk_file_get_droid_file_identifier(f, raw, sizeof guid, &error) == 1) droid_file = GuidText({guid, 16});
  }
  if (error) liblnk_error_free(&error);

  const bool off_box =
      drive_type && (*drive_type == LIBLNK_DRIVE_TYPE_REMOVABLE || *drive_type == LIBLNK_DRIVE_TYPE_REMOTE);
  std::optional<std::string> drive_name, serial_text;
  std::optional<int64_t> off_box_flag;
  if (drive_type) {
    drive_name = DriveTypeName(static_cast<uint32_t>(*drive_type));
    off_box_flag = off_box ? 1 : 0;
  }
  if (serial) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", static_cast<uint32_t>(*serial));
    serial_text = buf;
  }
  auto& v = row.values;
  v.push_back(TextOrNull(target));
  v.push_back(IntOrNull(created));
  v.push_back(IntOrNull(modified));
  v.push_back(IntOrNull(accessed));
  v.push_back(IntOrNull(size));
  v.push_back(IntOrNull(attributes));
  v.push_back(TextOrNull(drive_name));
  v.push_back(IntOrNull(off_box_flag));
  v.push_back(TextOrNull(LnkText(f, liblnk_file_get_utf8_volume_label_size, liblnk_file_get_utf8_volume_label)));
  v.push_back(TextOrNull(serial_text));
  v.push_back(TextOrNull(network));
  v.push_back(TextOrNull(relative));
  v.push_back(
      TextOrNull(LnkText(f, liblnk_file_get_utf8_working_directory_size, liblnk_file_get_utf8_working_directory)));
  v.push_back(TextOrNull(
      LnkText(f, liblnk_file_get_utf8_command_line_arguments_size, liblnk_file_get_utf8_command_line_arguments)));
  v.push_back(TextOrNull(LnkText(f, liblnk_file_get_utf8_description_size, liblnk_file_get_utf8_description)));
  v.push_back(TextOrNull(machine));
  v.push_back(TextOrNull(droid_volume));
  v.push_back(TextOrNull(droid_file));

  row.time = accessed ? accessed : (modified ? modified : created);
  std::string shown = target ? *target : (relative ? *relative : std::string("(no path recorded)"));
  row.summary = "shortcut to " + shown;
  if (off_box) row.summary += " on a " + *drive_name + " drive";
  return Status::Ok();
}

namespace {

class LnkParser : public Parser {
 public:
  std::string name() const override { return "windows.lnk"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {{"windows.lnk", "a shortcut: a file or folder that was opened, with where it was", LnkFields()}};
  }
  bool Wants(const FileRecord&, std::string_view head) const override { return LooksLikeLnk(head); }
  int64_t max_bytes() const override { return 16LL << 20; }
  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    ArtefactRow row;
    row.kind = "windows.lnk";
    Status st = DecodeLnk(input.bytes, row);
    if (st.ok()) out.rows.push_back(std::move(row));
    return st;
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(LnkParser);

}  // namespace custos
