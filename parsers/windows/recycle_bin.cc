// Parser: Windows recycle bin index files. INFO2 (Windows 95 to XP, RECYCLER\<SID>\INFO2) lists every
// file the user deleted; Vista and later keep one $I file per deleted file ($Recycle.Bin\<SID>\$I...).
// Each gives the original path, size and deletion time, and names the file holding the content (Dc<n>, $R...).
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parsers/common/byte_reader.h"
#include "parsers/common/field_values.h"
#include "parsers/common/windows_time.h"
#include "parsers/parser.h"

namespace custos {
namespace {

// INFO2: a 20-byte header (version, ..., record size at 12), then fixed-size records: the ANSI path
// (260 bytes), the record number, the drive number (0 = A:), the deletion FILETIME, the size, and from
// Windows 2000 on (800-byte records) the path again in UTF-16 (520 bytes).
constexpr size_t kInfo2HeaderSize = 20;
constexpr size_t kInfo2AnsiRecord = 280;
constexpr size_t kInfo2UnicodeRecord = 800;
constexpr size_t kMaxPath = 260;
// $I: version (8 bytes: 1 before Windows 10, 2 after), size (8), deletion FILETIME (8), then the path:
// v1 a fixed 520-byte UTF-16 field; v2 a 4-byte length in characters (with the NUL) and the path.
constexpr size_t kIHeaderSize = 24;
constexpr size_t kIv1Size = kIHeaderSize + 2 * kMaxPath;
constexpr uint32_t kIv2MaxChars = 32768;  // the longest Windows path

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool InRecycleBin(const FileRecord& file) {
  const std::string path = Lower(file.path);
  return path.find("/$recycle.bin/") != std::string::npos || path.find("/recycler/") != std::string::npos ||
         path.find("/recycled/") != std::string::npos;
}

bool LooksLikeInfo2(std::string_view head) {
  const ByteReader r(head);
  const auto version = r.U32(0);
  const auto record_size = r.U32(12);
  return version && (*version == 4 || *version == 5) && record_size &&
         (*record_size == kInfo2AnsiRecord || *record_size == kInfo2UnicodeRecord);
}

std::optional<uint64_t> IVersion(std::string_view head) {
  const auto version = ByteReader(head).U64(0);
  if (head.size() < kIHeaderSize || !version || (*version != 1 && *version != 2)) return std::nullopt;
  return version;
}

bool IsIName(const std::string& name) {
  return name.size() >= 8 && (name[0] == '$') && (name[1] == 'I' || name[1] == 'i');
}

// The folder of the index file, where Windows keeps the recycled content beside it.
std::string Folder(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// ".exe" from "C:\dir\setup.exe"; "" when the name has no extension.
std::string Extension(const std::string& windows_path) {
  const size_t dot = windows_path.rfind('.');
  const size_t sep = windows_path.find_last_of("\\/");
  if (dot == std::string::npos || (sep != std::string::npos && dot < sep)) return "";
  return windows_path.substr(dot);
}

std::vector<FieldDecl> RecycledFields() {
  return {
      {"original_path", FieldType::kText, "where the file was before it was deleted"},
      {"size", FieldType::kInteger, "the deleted file's size in bytes"},
      {"deleted_time", FieldType::kTime, "when it was moved to the recycle bin (UTC)"},
      {"format", FieldType::kText, "INFO2 (Windows 95-XP), $I v1 (Vista-8) or $I v2 (Windows 10+)"},
      {"record_index", FieldType::kInteger, "INFO2 only: the record number (the n in Dc<n>)"},
      {"drive_number", FieldType::kInteger, "INFO2 only: the drive the file was on (0 = A:, 2 = C:)"},
      {"index_file", FieldType::kText, "the index file's name (INFO2 or $I...)"},
      {"recycled_name", FieldType::kText, "the name of the file holding the content in the bin ($R..., Dc<n>.ext)"},
      {"recovered_file_path", FieldType::kText, "where that content file should be: beside the index file"},
      {"removed_from_bin", FieldType::kInteger,
       "INFO2 only: 1 when the entry was blanked because the file was restored or the bin emptied of it"},
  };
}

ArtefactRow RecycledRow(const std::string& path, std::optional<int64_t> size, std::optional<UtcMicros> deleted) {
  ArtefactRow row;
  row.kind = "windows.recycled";
  row.time = deleted;
  row.summary = "deleted to the recycle bin: " + (path.empty() ? std::string("(no path recorded)") : path);
  if (size) row.summary += " (" + std::to_string(*size) + " bytes)";
  return row;
}

void ParseInfo2(const ParserInput& input, ParseOutput& out, Status& status) {
  const ByteReader r(input.bytes);
  const auto record_size = r.U32(12);
  if (input.bytes.size() < kInfo2HeaderSize || !LooksLikeInfo2(input.bytes) || !record_size) {
    status = Status::Corruption("not an INFO2 file: the header's version or record size is not one Windows writes");
    return;
  }
  const size_t stride = *record_size;
  const std::string folder = Folder(input.file.path);
  size_t offset = kInfo2HeaderSize;
  for (; offset + stride <= input.bytes.size(); offset += stride) {
    const auto ansi_first = r.Bytes(offset, 1);
    const bool blanked = ansi_first && (*ansi_first)[0] == '\0';
    const auto index = r.U32(offset + kMaxPath);
    const auto drive = r.U32(offset + kMaxPath + 4);
    const auto filetime = r.U64(offset + kMaxPath + 8);
    const auto size = r.U32(offset + kMaxPath + 16);
    std::string path;
    if (stride >= kInfo2UnicodeRecord) path = r.Utf16Z(offset + kInfo2AnsiRecord, kMaxPath).value_or("");
    // Windows blanks the first byte of the ANSI path when the file leaves the bin; the rest remains.
    if (path.empty() && !blanked) path = r.AnsiZ(offset, kMaxPath).value_or("");
    if (path.empty() && blanked) {
      const std::string rest = r.AnsiZ(offset + 1, kMaxPath - 1).value_or("");
      if (!rest.empty() && drive && *drive < 26) path = std::string(1, static_cast<char>('A' + *drive)) + rest;
    }
    if (path.empty() && index.value_or(0) == 0 && filetime.value_or(0) == 0) continue;  // an unused slot

    const std::optional<UtcMicros> deleted = filetime ? FromFiletime(*filetime) : std::nullopt;
    const std::optional<int64_t> size_value = size ? std::optional<int64_t>(*size) : std::nullopt;
    std::optional<std::string> recycled;
    if (index && drive && *drive < 26) {
      recycled = "D" + std::string(1, static_cast<char>('a' + *drive)) + std::to_string(*index) + Extension(path);
    }
    ArtefactRow row = RecycledRow(path, size_value, deleted);
    row.location = "record " + std::to_string(index.value_or(0)) + " at offset " + std::to_string(offset);
    if (blanked) row.summary += ", since restored or purged";
    row.values = {TextOrNull(path.empty() ? std::nullopt : std::optional<std::string>(path)),
                  IntOrNull(size_value),
                  IntOrNull(deleted),
                  TextOrNull("INFO2"),
                  IntOrNull(index ? std::optional<int64_t>(*index) : std::nullopt),
                  IntOrNull(drive ? std::optional<int64_t>(*drive) : std::nullopt),
                  TextOrNull(input.file.name),
                  TextOrNull(recycled),
                  TextOrNull(recycled ? std::optional<std::string>(folder + "/" + *recycled) : std::nullopt),
                  IntOrNull(blanked ? 1 : 0)};
    out.rows.push_back(std::move(row));
  }
  if (offset < input.bytes.size()) {
    out.problems.push_back("INFO2 ends " + std::to_string(input.bytes.size() - offset) +
                           " bytes into the record at offset " + std::to_string(offset) +
                           " (cut short): that entry is lost");
  }
}

void ParseDollarI(const ParserInput& input, ParseOutput& out, Status& status) {
  const ByteReader r(input.bytes);
  const auto version = IVersion(input.bytes);
  if (!version) {
    status = Status::Corruption("not a $I file: it is shorter than its 24-byte header or its version is not 1 or 2");
    return;
  }
  const auto size = r.U64(8);
  const auto filetime = r.U64(16);
  std::string path;
  if (*version == 1) {
    path = r.Utf16Z(kIHeaderSize, kMaxPath).value_or("");
    if (input.bytes.size() < kIv1Size) {
      out.problems.push_back("$I file is " + std::to_string(input.bytes.size()) +
                             " bytes, not 544 (cut short): the path may be incomplete");
    }
  } else {
    const auto chars = r.U32(kIHeaderSize);
    if (!chars || *chars > kIv2MaxChars) {
      out.problems.push_back("$I file gives no usable path length: the original path is lost");
    } else {
      path = r.Utf16Z(kIHeaderSize + 4, *chars).value_or("");
      if (input.bytes.size() < kIHeaderSize + 4 + 2 * size_t{*chars}) {
        out.problems.push_back("$I file ends inside its path (cut short): the path may be incomplete");
      }
    }
  }
  const std::optional<UtcMicros> deleted = filetime ? FromFiletime(*filetime) : std::nullopt;
  const std::optional<int64_t> size_value = size && *size <= static_cast<uint64_t>(INT64_MAX)
                                                ? std::optional<int64_t>(static_cast<int64_t>(*size))
                                                : std::nullopt;
  std::optional<std::string> recycled;
  if (IsIName(input.file.name)) recycled = "$R" + input.file.name.substr(2);
  ArtefactRow row = RecycledRow(path, size_value, deleted);
  row.values = {
      TextOrNull(path.empty() ? std::nullopt : std::optional<std::string>(path)),
      IntOrNull(size_value),
      IntOrNull(deleted),
      TextOrNull(*version == 1 ? "$I v1 (Vista-8)" : "$I v2 (Windows 10+)"),
      IntOrNull(std::nullopt),
      IntOrNull(std::nullopt),
      TextOrNull(input.file.name),
      TextOrNull(recycled),
      TextOrNull(recycled ? std::optional<std::string>(Folder(input.file.path) + "/" + *recycled) : std::nullopt),
      IntOrNull(std::nullopt)};
  out.rows.push_back(std::move(row));
}

class RecycleBinParser : public Parser {
 public:
  std::string name() const override { return "windows.recycle_bin"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {{"windows.recycled", "a file the user deleted to the recycle bin: from where, when, and how big",
             RecycledFields()}};
  }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    if (Lower(file.name) == "info2") return InRecycleBin(file) || LooksLikeInfo2(head);
    if (IsIName(file.name)) return InRecycleBin(file) || IVersion(head).has_value();
    return false;
  }
  int64_t max_bytes() const override { return 16LL << 20; }  // INFO2 grows 800 bytes a file: 20,000 files is 16 MB
  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    Status status;
    if (Lower(input.file.name) == "info2" || (!IsIName(input.file.name) && LooksLikeInfo2(input.bytes))) {
      ParseInfo2(input, out, status);
    } else {
      ParseDollarI(input, out, status);
    }
    return status;
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(RecycleBinParser);

}  // namespace custos
