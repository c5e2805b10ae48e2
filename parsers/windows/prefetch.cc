// Parser: Windows prefetch files (C:\Windows\Prefetch\*.pf) through libscca, including the compressed
// ("MAM") files of Windows 10. A prefetch file shows that a program ran, how often, its last run times
// (one before Windows 8, up to eight after), the volumes it ran from and the files it loaded.
#include <libscca.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/common/byte_reader.h"
#include "parsers/common/field_values.h"
#include "parsers/common/libyal.h"
#include "parsers/common/windows_time.h"
#include "parsers/parser.h"
#include "triage/base/format.h"

namespace custos {
namespace {

constexpr std::string_view kSccaSignature = "SCCA";  // at offset 4 of an uncompressed file
constexpr std::string_view kMamSignature("MAM\x04", 4);
// A decompressed prefetch file is well under a megabyte; a MAM header claiming more is damaged, and
// libscca would otherwise allocate whatever it says.
constexpr uint32_t kMaxDecompressed = 16u << 20;
constexpr int kMaxLastRuns = 8;
// Keeps a damaged file list from growing without bound (real files list a few hundred).
constexpr int kMaxFileNames = 8192;

struct SccaFile {
  libscca_file_t* file = nullptr;
  ~SccaFile() {
    if (file != nullptr) {
      libscca_file_close(file, nullptr);
      libscca_file_free(&file, nullptr);
    }
  }
};

struct SccaVolume {
  libscca_volume_information_t* volume = nullptr;
  ~SccaVolume() {
    if (volume != nullptr) libscca_volume_information_free(&volume, nullptr);
  }
};

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

bool LooksLikePrefetch(std::string_view head) {
  return head.substr(0, kMamSignature.size()) == kMamSignature ||
         (head.size() >= 8 && head.substr(4, kSccaSignature.size()) == kSccaSignature);
}

std::vector<FieldDecl> PrefetchFields() {
  std::vector<FieldDecl> fields = {
      {"executable", FieldType::kText,
       "the program's file name (the prefetch file is named after it and its path hash)"},
      {"prefetch_hash", FieldType::kText, "hash of the program's path (a different hash means a different location)"},
      {"format_version", FieldType::kInteger, "17 Windows XP, 23 Vista/7, 26 Windows 8.1, 30 Windows 10/11"},
      {"run_count", FieldType::kInteger, "how many times the program ran"},
  };
  for (int i = 1; i <= kMaxLastRuns; ++i) {
    fields.push_back({"last_run_" + std::to_string(i), FieldType::kTime,
                      i == 1 ? "the last time the program ran (UTC)"
                             : "an earlier run (Windows 8 and later keep eight), newest first"});
  }
  fields.push_back({"volumes", FieldType::kText, "the volumes the program used: device path and serial, one a line"});
  fields.push_back({"file_count", FieldType::kInteger, "how many files the program loaded in its first seconds"});
  fields.push_back({"files", FieldType::kText, "the files it loaded (libraries, documents, ...), one a line"});
  return fields;
}

std::vector<FieldDecl> VolumeFields() {
  return {
      {"executable", FieldType::kText, "the program whose prefetch file lists the volume"},
      {"prefetch_hash", FieldType::kText, "the prefetch file's path hash"},
      {"device_path", FieldType::kText, "the volume's device path (\\DEVICE\\HARDDISKVOLUME1, \\VOLUME{...})"},
      {"serial", FieldType::kText, "the volume serial number (ties the run to a disk or USB stick)"},
      {"created", FieldType::kTime, "when the volume was created (formatted)"},
  };
}

class PrefetchParser : public Parser {
 public:
  std::string name() const override { return "windows.prefetch"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {
        {"windows.prefetch", "a program that ran: how often, when, and the files it loaded", PrefetchFields()},
        {"windows.prefetch_volume", "a volume a program ran from, as its prefetch file records it", VolumeFields()}};
  }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return file.extension == "pf" || LooksLikePrefetch(head);
  }
  int64_t max_bytes() const override { return 16LL << 20; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    const ByteReader header(input.bytes);
    if (!LooksLikePrefetch(input.bytes)) {
      return Status::Corruption("not a prefetch file: neither the SCCA nor the MAM signature is there");
    }
    if (input.bytes.substr(0, kMamSignature.size()) == kMamSignature) {
      const auto declared = header.U32(4);
      if (!declared || *declared > kMaxDecompressed) {
        return Status::Corruption("compressed prefetch header gives an impossible decompressed size");
      }
    }
    auto io = MemoryBfio::Over(input.bytes);
    if (!io.ok()) return io.status();
    SccaFile scca;
    libscca_error_t* error = nullptr;
    if (libscca_file_initialize(&scca.file, &error) != 1 ||
        libscca_file_open_file_io_handle(scca.file, (*io)->get(), LIBSCCA_OPEN_READ, &error) != 1) {
      return Status::Corruption("libscca cannot open the prefetch file: " +
                                TakeLibyalError(error, libscca_error_backtrace_sprint, libscca_error_free));
    }
    libscca_file_t* f = scca.file;

    const auto executable =
        LibyalUtf8<libscca_file_t, libscca_error_t>(f, libscca_file_get_utf8_executable_filename_size,
                                                    libscca_file_get_utf8_executable_filename, libscca_error_free);
    std::optional<std::string> hash;
    std::optional<int64_t> format, runs;
    uint32_t n = 0;
    if (libscca_file_get_prefetch_hash(f, &n, &error) == 1) hash = Hex32(n);
    if (error) libscca_error_free(&error);
    if (libscca_file_get_format_version(f, &n, &error) == 1) format = n;
    if (error) libscca_error_free(&error);
    if (libscca_file_get_run_count(f, &n, &error) == 1) runs = n;
    if (error) libscca_error_free(&error);
    // Files before Windows 8 (format 26) hold one last run time; asking for the second is an error.
    std::optional<UtcMicros> last_runs[kMaxLastRuns];
    const int run_slots = format && *format >= 26 ? kMaxLastRuns : 1;
    for (int i = 0; i < run_slots; ++i) {
      uint64_t ft = 0;
      if (libscca_file_get_last_run_time(f, i, &ft, &error) == 1) last_runs[i] = FromFiletime(ft);
      if (error) libscca_error_free(&error);
    }

    const std::string exe = executable.value_or("(unknown program)");
    std::string volumes_text;
    std::vector<ArtefactRow> volume_rows;
    int volume_count = 0;
    if (libscca_file_get_number_of_volumes(f, &volume_count, &error) != 1) {
      out.problems.push_back("cannot count the volumes: " +
                             TakeLibyalError(error, libscca_error_backtrace_sprint, libscca_error_free));
      volume_count = 0;
    }
    for (int i = 0; i < volume_count && i < 64; ++i) {
      SccaVolume volume;
      if (libscca_file_get_volume_information(f, i, &volume.volume, &error) != 1) {
        out.problems.push_back("volume " + std::to_string(i + 1) + ": " +
                               TakeLibyalError(error, libscca_error_backtrace_sprint, libscca_error_free));
        continue;
      }
      const auto device = LibyalUtf8<libscca_volume_information_t, libscca_error_t>(
          volume.volume, libscca_volume_information_get_utf8_device_path_size,
          libscca_volume_information_get_utf8_device_path, libscca_error_free);
      std::optional<std::string> serial;
      std::optional<UtcMicros> created;
      uint32_t sn = 0;
      if (libscca_volume_information_get_serial_number(volume.volume, &sn, &error) == 1) serial = Hex32(sn);
      if (error) libscca_error_free(&error);
      uint64_t ft = 0;
      if (libscca_volume_information_get_creation_time(volume.volume, &ft, &error) == 1) created = FromFiletime(ft);
      if (error) libscca_error_free(&error);

      if (!volumes_text.empty()) volumes_text += "\n";
      volumes_text += device.value_or("(no device path)") + " serial " + serial.value_or("?");
      ArtefactRow row;
      row.kind = "windows.prefetch_volume";
      row.time = created;
      row.location = "volume " + std::to_string(i + 1);
      row.summary = "volume " + device.value_or("(no device path)") + " (serial " + serial.value_or("?") +
                    ", created " + FormatUtc(created) + ") used by " + exe;
      row.values = {TextOrNull(executable), TextOrNull(hash), TextOrNull(device), TextOrNull(serial),
                    IntOrNull(created)};
      volume_rows.push_back(std::move(row));
    }

    std::string files;
    int file_count = 0;
    if (libscca_file_get_number_of_filenames(f, &file_count, &error) != 1) {
      out.problems.push_back("cannot count the loaded files: " +
                             TakeLibyalError(error, libscca_error_backtrace_sprint, libscca_error_free));
      file_count = 0;
    }
    if (file_count > kMaxFileNames) {
      out.problems.push_back("the file list claims " + std::to_string(file_count) + " names; only the first " +
                             std::to_string(kMaxFileNames) + " are kept");
      file_count = kMaxFileNames;
    }
    int unreadable = 0;
    for (int i = 0; i < file_count; ++i) {
      auto size_fn = [i](libscca_file_t* file, size_t* size, libscca_error_t** e) {
        return libscca_file_get_utf8_filename_size(file, i, size, e);
      };
      auto get_fn = [i](libscca_file_t* file, uint8_t* buf, size_t size, libscca_error_t** e) {
        return libscca_file_get_utf8_filename(file, i, buf, size, e);
      };
      const auto name = LibyalUtf8<libscca_file_t, libscca_error_t>(f, size_fn, get_fn, libscca_error_free);
      if (!name) {
        ++unreadable;
        continue;
      }
      if (!files.empty()) files += "\n";
      files += *name;
    }
    if (unreadable > 0) out.problems.push_back(std::to_string(unreadable) + " loaded file names could not be read");

    ArtefactRow row;
    row.kind = "windows.prefetch";
    row.time = last_runs[0];
    row.summary = exe + " ran";
    if (runs) row.summary += " " + std::to_string(*runs) + " times";
    row.summary += ", last " + FormatUtc(last_runs[0]);
    auto& v = row.values;
    v.push_back(TextOrNull(executable));
    v.push_back(TextOrNull(hash));
    v.push_back(IntOrNull(format));
    v.push_back(IntOrNull(runs));
    for (const auto& t : last_runs) v.push_back(IntOrNull(t));
    v.push_back(TextOrNull(volumes_text));
    v.push_back(IntOrNull(file_count - unreadable));
    v.push_back(TextOrNull(files));
    out.rows.push_back(std::move(row));
    for (auto& r : volume_rows) out.rows.push_back(std::move(r));
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(PrefetchParser);

}  // namespace custos
