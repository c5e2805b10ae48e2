// EvidencePager (see evidence_pager.h).
#include "gui/evidence_pager.h"

#include <nlohmann/json.hpp>

#include "gui/case_queries.h"
#include "triage/evidence/evidence_probe.h"

namespace custos::viewer {

Result<ContentPage> EvidencePager::Read(CaseStore& store, int64_t file_id, int64_t offset, size_t length) {
  auto rows = QueryRows(store,
                        "SELECT f.filesystem_id, f.meta_addr, f.attr_type, f.attr_id, f.size, f.kind,"
                        " ifnull(f.container_file_id, 0), fs.offset_bytes, fs.type, x.id, x.sources, x.format,"
                        " f.disk_offset, f.file_key"
                        " FROM file f JOIN filesystem fs ON fs.id = f.filesystem_id"
                        " JOIN volume v ON v.id = fs.volume_id JOIN exhibit x ON x.id = v.exhibit_id WHERE f.id = ?1",
                        {std::to_string(file_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound("no file row " + std::to_string(file_id));
  const TextRow& r = rows->front();
  const int64_t fs_id = std::stoll(r[0]);
  const uint64_t meta_addr = std::stoull(r[1]);
  const int attr_type = std::stoi(r[2]);
  const int attr_id = std::stoi(r[3]);
  ContentPage page;
  page.file_size = std::stoll(r[4]);
  page.offset = offset;
  if (r[5] == "dir") return Status::NotSupported("a folder has no content to preview");
  const bool slack = r[5] == "slack";  // one run of bytes on the media, from disk_offset
  if (r[13] == "unallocated") {
    return Status::NotSupported(
        "unallocated space is not previewed: its keyword hits show their context and "
        "their offset on the media; read it with `blkls` or `dd`");
  }
  if (r[5] == "carved") return Status::NotSupported("a carved object: preview the file or space it was carved from");
  if (r[6] != "0" && !slack) return Status::NotSupported("an archive member: preview its archive, or extract it");
  const std::string fs_type = r[8];
  if (fs_type == "logical" || fs_type.rfind("archive", 0) == 0 || r[11] == "folder" || r[11] == "archive") {
    return Status::NotSupported("files of a logical collection are not previewed yet; open the source folder");
  }
  const int64_t exhibit_id = std::stoll(r[9]);
  if (!images_.count(exhibit_id)) {
    auto sources = nlohmann::json::parse(r[10], nullptr, false);
    std::vector<std::string> paths;
    if (sources.is_array()) {
      for (const auto& s : sources) {
        if (s.is_string()) paths.push_back(s.get<std::string>());
      }
    }
    if (paths.empty()) return Status::NotFound("the exhibit names no evidence file");
    auto probe = ProbeEvidence(paths);
    if (!probe.ok()) return Status::NotFound("the evidence is not reachable from here: " + probe.status().message());
    auto image = DiskImage::Open(*probe);
    if (!image.ok()) return image.status();
    images_[exhibit_id] = std::move(image.value());
  }
  if (slack) {  // the bytes after a file's end, to the end of its cluster: read from the media
    const int64_t at = std::stoll(r[12]);
    if (at < 0 || offset >= page.file_size) return page;
    length = static_cast<size_t>(
        std::min<int64_t>(static_cast<int64_t>(std::min(length, kMaxPage)), page.file_size - offset));
    page.bytes.resize(length);
    auto n = images_[exhibit_id]->Read(at + offset, page.bytes.data(), length);
    if (!n.ok()) return n.status();
    page.bytes.resize(*n);
    return page;
  }
  if (!filesystems_.count(fs_id)) {
    FsLocator where;
    where.offset_bytes = std::stoll(r[7]);
    where.type = fs_type == "hfs+" ? TSK_FS_TYPE_HFS_DETECT : tsk_fs_type_toid(fs_type.c_str());
    if (where.type == TSK_FS_TYPE_UNSUPP) where.type = TSK_FS_TYPE_DETECT;
    if (fs_type == "apfs") return Status::NotSupported("APFS volumes are not previewed yet");
    auto fs = OpenFileSystem(images_[exhibit_id]->tsk(), where);
    if (!fs.ok()) return fs.status();
    filesystems_[fs_id] = std::move(fs.value());
  }
  TSK_FS_INFO* fs = filesystems_[fs_id]->fs();
  std::unique_ptr<TSK_FS_FILE, decltype(&tsk_fs_file_close)> file(tsk_fs_file_open_meta(fs, nullptr, meta_addr),
                                                                  &tsk_fs_file_close);
  if (!file) return Status::IOError("The Sleuth Kit cannot open inode " + std::to_string(meta_addr));
  if (offset >= page.file_size) return page;
  length =
      static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(std::min(length, kMaxPage)), page.file_size - offset));
  page.bytes.resize(length);
  // The default stream (attribute type 0 or 1 in the walk's record) through TSK's plain read.
  const ssize_t n = attr_type <= TSK_FS_ATTR_TYPE_DEFAULT
                        ? tsk_fs_file_read(file.get(), offset, page.bytes.data(), length, TSK_FS_FILE_READ_FLAG_NONE)
                        : tsk_fs_file_read_type(file.get(), static_cast<TSK_FS_ATTR_TYPE_ENUM>(attr_type),
                                                static_cast<uint16_t>(attr_id), offset, page.bytes.data(), length,
                                                TSK_FS_FILE_READ_FLAG_NONE);
  if (n < 0) {
    return Status::IOError("reading inode " + std::to_string(meta_addr) + " at " + std::to_string(offset) +
                           " failed (" + std::string(tsk_error_get() ? tsk_error_get() : "TSK error") + ")");
  }
  page.bytes.resize(static_cast<size_t>(n));
  return page;
}

}  // namespace custos::viewer
