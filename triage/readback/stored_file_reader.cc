// StoredFileReader (see stored_file_reader.h).
#include "triage/readback/stored_file_reader.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "triage/evidence/evidence_probe.h"
#include "triage/evidence/logical_source.h"
#include "triage/sqlite/sql.h"
#include "triage/walk/tsk_handles.h"
#include "triage/walk/unallocated_runs.h"

namespace custos {

struct StoredFileReader::Row {
  int64_t id = 0, filesystem_id = 0, container_id = 0;
  std::string file_key, path, kind;
  uint64_t meta_addr = 0;
  int attr_type = 0, attr_id = 0;
  int64_t size = 0, disk_offset = -1;
  std::string fs_type;
  int64_t fs_offset = 0;
  std::string volume_kind, parent_volume_kind;
  int64_t parent_volume_offset = 0, parent_volume_length = 0;
  int64_t exhibit_id = 0;
  std::string sources;
};

namespace {

constexpr int kMaxDepth = 8;  // a carved object in a member of an archive in an archive...
constexpr size_t kStep = 1 << 20;

Result<StoredFileReader::Row> LoadRow(CaseStore& store, int64_t file_id) {
  sql::Statement st(store.raw_handle(),
                    "SELECT f.id, f.filesystem_id, ifnull(f.container_file_id, 0), f.file_key, f.path, f.kind,"
                    " f.meta_addr, f.attr_type, f.attr_id, f.size, fs.type, fs.offset_bytes, v.kind,"
                    " ifnull(pv.kind, ''), ifnull(pv.offset_bytes, 0), x.id, x.sources, ifnull(f.disk_offset, -1),"
                    " ifnull(pv.length_bytes, 0)"
                    " FROM file f JOIN filesystem fs ON fs.id = f.filesystem_id JOIN volume v ON v.id = fs.volume_id"
                    " LEFT JOIN volume pv ON pv.id = v.parent_volume_id JOIN exhibit x ON x.id = v.exhibit_id"
                    " WHERE f.id = ?1");
  if (!st.ok()) return st.prepare_error();
  st.Bind(1, file_id);
  Status status;
  if (!st.Step(&status)) {
    if (!status.ok()) return status;
    return Status::NotFound("no file row " + std::to_string(file_id) + " in the case file");
  }
  StoredFileReader::Row r;
  r.id = st.Int(0);
  r.filesystem_id = st.Int(1);
  r.container_id = st.Int(2);
  r.file_key = st.Text(3);
  r.path = st.Text(4);
  r.kind = st.Text(5);
  r.meta_addr = static_cast<uint64_t>(st.Int(6));
  r.attr_type = static_cast<int>(st.Int(7));
  r.attr_id = static_cast<int>(st.Int(8));
  r.size = st.Int(9);
  r.fs_type = st.Text(10);
  r.fs_offset = st.Int(11);
  r.volume_kind = st.Text(12);
  r.parent_volume_kind = st.Text(13);
  r.parent_volume_offset = st.Int(14);
  r.exhibit_id = st.Int(15);
  r.sources = st.Text(16);
  r.disk_offset = st.Int(17);
  r.parent_volume_length = st.Int(18);
  return r;
}

Result<EvidenceProbe> Probe(const std::string& sources_json) {
  auto sources = nlohmann::json::parse(sources_json, nullptr, false);
  std::vector<std::string> paths;
  if (sources.is_array()) {
    for (const auto& s : sources) {
      if (s.is_string()) paths.push_back(s.get<std::string>());
    }
  }
  if (paths.empty()) return Status::NotFound("the exhibit names no evidence file");
  auto probe = ProbeEvidence(paths);
  if (!probe.ok()) {
    return Status::NotFound("the evidence is not reachable from here (" + probe.status().message() +
                            "); put it back where triage read it");
  }
  return probe;
}

// A carved object's offset in its parent: triage names it "<parent key>!carved@<offset>" (ProcessCarved in
// triage/pipeline/triage_job.cc).
Result<int64_t> CarvedOffset(const std::string& key) {
  const size_t at = key.rfind("!carved@");
  if (at == std::string::npos) return Status::Corruption("a carved object whose key names no offset: " + key);
  try {
    return std::stoll(key.substr(at + 8));
  } catch (const std::exception&) {
    return Status::Corruption("a carved object whose key names no offset: " + key);
  }
}

// Hands out bytes [offset, offset + length) of a stream read from its start.
Status FromStream(ByteStream& stream, int64_t offset, int64_t length, const StoredFileReader::Chunk& chunk) {
  if (offset > 0) {
    auto moved = stream.Skip(offset);
    if (!moved.ok()) return moved.status();
    if (*moved < offset) return Status::Ok();
  }
  std::vector<char> buf(static_cast<size_t>(std::min<int64_t>(length, kStep)));
  for (int64_t done = 0; done < length;) {
    auto n = stream.Read(buf.data(),
                         static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(buf.size()), length - done)));
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    chunk(buf.data(), *n);
    done += static_cast<int64_t>(*n);
  }
  return Status::Ok();
}

}  // namespace

StoredFileReader::StoredFileReader(ReadbackOptions options) : options_(std::move(options)) {}

int StoredFileReader::RemoveStaleScratch(const std::string& parent, const std::string& prefix) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(parent.empty() ? "." : parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0 || !entry.is_directory(ec) || entry.is_symlink(ec)) continue;
    // <prefix><pid>-XXXXXX, as StreamMember names it.
    const size_t dash = name.find('-', prefix.size());
    const std::string pid_text = name.substr(prefix.size(), dash == std::string::npos ? 0 : dash - prefix.size());
    if (pid_text.empty() || pid_text.size() > 9 ||
        !std::all_of(pid_text.begin(), pid_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH) continue;  // running (or not ours to tell): keep it
    if (std::filesystem::remove_all(entry.path(), ec) != static_cast<std::uintmax_t>(-1) && !ec) ++removed;
  }
  return removed;
}

StoredFileReader::~StoredFileReader() {
  filesystems_.clear();
  images_.clear();
  if (!scratch_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(scratch_dir_, ec);
  }
}

Result<ContentPage> StoredFileReader::Read(CaseStore& store, int64_t file_id, int64_t offset, size_t length) {
  auto row = LoadRow(store, file_id);
  if (!row.ok()) return row.status();
  if (row->kind == "dir") return Status::NotSupported("a folder has no content to preview");
  ContentPage page;
  page.file_size = row->size;
  page.offset = offset;
  if (offset < 0 || offset >= row->size) return page;
  const int64_t want = std::min<int64_t>(static_cast<int64_t>(std::min(length, kMaxRead)), row->size - offset);
  page.bytes.reserve(static_cast<size_t>(want));
  const Status st = Stream(
      store, *row, offset, want, [&page](const char* d, size_t n) { page.bytes.append(d, n); }, 0);
  if (!st.ok()) return st;
  return page;
}

Status StoredFileReader::Stream(CaseStore& store, const Row& row, int64_t offset, int64_t length, const Chunk& chunk,
                                int depth) {
  if (depth > kMaxDepth) return Status::NotSupported("nested more than " + std::to_string(kMaxDepth) + " levels deep");
  length = std::min(length, row.size - offset);
  if (length <= 0) return Status::Ok();
  if (row.kind == "carved") {
    auto at = CarvedOffset(row.file_key);
    if (!at.ok()) return at.status();
    auto parent = LoadRow(store, row.container_id);
    if (!parent.ok()) return parent.status();
    return Stream(store, *parent, *at + offset, length, chunk, depth + 1);
  }
  if (row.kind == "slack") {
    // The bytes from a file's end to the end of its last cluster, one run on the media from disk_offset.
    if (row.disk_offset < 0 && row.volume_kind == "unlocked") {
      return Status::NotSupported(
          "the slack of a file inside an encrypted volume is not read back: triage recorded no place for it on the "
          "media (it lies in the decrypted bytes); the keyword hit's context shows what matched there");
    }
    if (row.disk_offset < 0) return Status::NotFound("the slack row records no place on the media");
    return StreamRuns(row, {{row.disk_offset, row.size}}, offset, length, chunk);
  }
  if (row.container_id != 0) return StreamMember(store, row, offset, length, chunk, depth);
  if (row.fs_type == "logical") return StreamLogical(row, offset, length, chunk);
  if (row.parent_volume_kind == "unlocked") {
    return Status::NotSupported(
        "this file lies in an APFS volume inside an encrypted volume triage unlocked, which the viewer does not "
        "read back; extract it on a forensic workstation");
  }
  if (row.kind == "virtual" && row.file_key == "unallocated") {
    auto runs = row.fs_type == "none" ? FreeRegionRuns(row) : FileSystemFreeRuns(row);
    if (!runs.ok()) return runs.status();
    return StreamRuns(row, *runs, offset, length, chunk);
  }
  return StreamTsk(row, offset, length, chunk);
}

Result<DiskImage*> StoredFileReader::Image(const Row& row) {
  auto it = images_.find(row.exhibit_id);
  if (it != images_.end()) return it->second.get();
  auto probe = Probe(row.sources);
  if (!probe.ok()) return probe.status();
  auto image = DiskImage::Open(*probe);
  if (!image.ok()) return image.status();
  return (images_[row.exhibit_id] = std::move(image.value())).get();
}

Result<OpenedFileSystem*> StoredFileReader::FileSystem(const Row& row) {
  auto it = filesystems_.find(row.filesystem_id);
  if (it != filesystems_.end()) return it->second.get();
  auto image = Image(row);
  if (!image.ok()) return image.status();
  FsLocator where;
  where.offset_bytes = row.fs_offset;
  if (row.volume_kind == "unlocked") {
    // Unlocked again as the content workers do: the encrypted volume is the unlocked volume's parent, and the
    // file system's offset is in its decrypted bytes. The case does not say which key opened it: each is tried.
    if (auto failed = locked_.find(row.filesystem_id); failed != locked_.end()) return failed->second;
    if (!options_.keys || options_.keys->empty()) {
      return Status::NotSupported(
          "this file lies inside an encrypted volume triage unlocked with a key, which the viewer was not given: "
          "start it with the same key, --unlock-file FILE (the passphrase) or --luks-key-file FILE (the volume "
          "key), as `custos triage` took it");
    }
    where.in_unlocked = true;
    where.unlocked_offset = row.parent_volume_offset;
    where.unlocked_length = row.parent_volume_length;
    where.unlock_key = -1;
  }
  if (row.volume_kind == "pool-volume") {
    // An APFS volume: the walk recorded the container's volume as the parent and the volume's superblock as
    // the file system's offset (pool offset + block * block size); the pool is opened again to find it.
    tsk::PoolPtr pool(tsk_pool_open_img_sing((*image)->tsk(), row.parent_volume_offset, TSK_POOL_TYPE_DETECT));
    if (!pool) {
      return Status::Corruption("cannot open the APFS container at byte " + std::to_string(row.parent_volume_offset) +
                                ": " + tsk::TakeError());
    }
    where.in_pool = true;
    where.pool_offset = row.parent_volume_offset;
    where.type = TSK_FS_TYPE_APFS;
    bool found = false;
    for (const TSK_POOL_VOLUME_INFO* pv = pool->vol_list; pv; pv = pv->next) {
      if (row.parent_volume_offset + static_cast<int64_t>(pv->block) * pool->block_size == row.fs_offset) {
        where.pool_block = pv->block;
        found = true;
      }
    }
    if (!found)
      return Status::NotFound("no APFS volume at byte " + std::to_string(row.fs_offset) + " of its container");
  } else {
    where.type = row.fs_type == "hfs+" ? TSK_FS_TYPE_HFS_DETECT : tsk_fs_type_toid(row.fs_type.c_str());
    if (where.type == TSK_FS_TYPE_UNSUPP) where.type = TSK_FS_TYPE_DETECT;
  }
  auto fs = OpenFileSystem((*image)->tsk(), where, options_.keys.get());
  if (!fs.ok()) {
    if (!where.in_unlocked) return fs.status();
    // Another key is needed, not another try: remember it, so that a folder of pictures does not derive the
    // passphrase again for each one.
    const Status::Code code = fs.status().code();
    const Status locked =
        code == Status::Code::kNotFound || code == Status::Code::kInvalidArgument
            ? Status::NotFound("this file lies inside an encrypted volume: " + fs.status().message() +
                               "; start the viewer again with the key triage was given (--unlock-file or "
                               "--luks-key-file)")
            : fs.status();
    return locked_[row.filesystem_id] = locked;
  }
  return (filesystems_[row.filesystem_id] = std::move(fs.value())).get();
}

// As the content workers read (TskContentReader::Read): the file's default data attribute, or the one the row
// names (an alternate data stream), through tsk_fs_attr_read; deleted files are read back as TSK recovers them.
Status StoredFileReader::StreamTsk(const Row& row, int64_t offset, int64_t length, const Chunk& chunk) {
  auto opened = FileSystem(row);
  if (!opened.ok()) return opened.status();
  tsk_error_reset();
  tsk::FilePtr f(tsk_fs_file_open_meta((*opened)->fs(), nullptr, row.meta_addr));
  if (!f) {
    return Status::IOError("The Sleuth Kit cannot open metadata entry " + std::to_string(row.meta_addr) + ": " +
                           tsk::TakeError());
  }
  const TSK_FS_ATTR* attr = row.attr_type != 0
                                ? tsk_fs_file_attr_get_type(f.get(), static_cast<TSK_FS_ATTR_TYPE_ENUM>(row.attr_type),
                                                            static_cast<uint16_t>(row.attr_id), 1)
                                : tsk_fs_file_attr_get(f.get());
  if (!attr) return Status::NotFound("metadata entry " + std::to_string(row.meta_addr) + " has no data attribute");
  std::vector<char> buf(static_cast<size_t>(std::min<int64_t>(length, kStep)));
  for (int64_t done = 0; done < length && offset + done < attr->size;) {
    const size_t want = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(buf.size()), length - done));
    const ssize_t n = tsk_fs_attr_read(attr, offset + done, buf.data(), want, TSK_FS_FILE_READ_FLAG_NONE);
    if (n <= 0) {
      return Status::IOError("reading metadata entry " + std::to_string(row.meta_addr) + " at byte " +
                             std::to_string(offset + done) + " failed: " + tsk::TakeError());
    }
    chunk(buf.data(), static_cast<size_t>(n));
    done += n;
  }
  return Status::Ok();
}

// The runs TSK's block walk lists as free: the same function the walk used (UnallocatedRuns).
Result<std::vector<std::pair<int64_t, int64_t>>> StoredFileReader::FileSystemFreeRuns(const Row& row) {
  auto opened = FileSystem(row);
  if (!opened.ok()) return opened.status();
  auto image = Image(row);
  if (!image.ok()) return image.status();
  auto runs = UnallocatedRuns((*opened)->fs(), (*opened)->fs()->offset, (*image)->size());
  if (!runs.ok()) return Status::IOError("the unallocated blocks could not be listed: " + runs.status().message());
  return runs;
}

// A file system row of type "none": either the free blocks of the APFS container at its offset (the walk lists
// them through a volume of the container, with the container's offset as base), or a region no file system
// claims (a partition-table gap, a partition TSK reads no file system in), read as it lies.
Result<std::vector<std::pair<int64_t, int64_t>>> StoredFileReader::FreeRegionRuns(const Row& row) {
  auto image = Image(row);
  if (!image.ok()) return image.status();
  tsk::PoolPtr pool(tsk_pool_open_img_sing((*image)->tsk(), row.fs_offset, TSK_POOL_TYPE_DETECT));
  tsk_error_reset();
  if (!pool || !pool->vol_list) return std::vector<std::pair<int64_t, int64_t>>{{row.fs_offset, row.size}};
  FsLocator where;
  where.offset_bytes = row.fs_offset + static_cast<int64_t>(pool->vol_list->block) * pool->block_size;
  where.in_pool = true;
  where.pool_offset = row.fs_offset;
  where.pool_block = pool->vol_list->block;
  where.type = TSK_FS_TYPE_APFS;
  auto fs = OpenFileSystem((*image)->tsk(), where);
  if (!fs.ok()) return fs.status();
  auto runs = UnallocatedRuns((*fs)->fs(), row.fs_offset, (*image)->size());
  if (!runs.ok()) return Status::IOError("the container's free blocks could not be listed: " + runs.status().message());
  return runs;
}

// `length` bytes from `offset` of the stream made of `runs` (media offset, length) one after the other.
Status StoredFileReader::StreamRuns(const Row& row, const std::vector<std::pair<int64_t, int64_t>>& runs,
                                    int64_t offset, int64_t length, const Chunk& chunk) {
  auto image_or = Image(row);
  if (!image_or.ok()) return image_or.status();
  DiskImage* image = *image_or;
  std::vector<char> buf(static_cast<size_t>(std::min<int64_t>(length, kStep)));
  int64_t stream = 0, done = 0;
  for (const auto& [start, run] : runs) {
    if (done >= length) break;
    if (offset + done >= stream + run) {
      stream += run;
      continue;
    }
    int64_t in_run = offset + done - stream;
    while (in_run < run && done < length) {
      const size_t want =
          static_cast<size_t>(std::min({static_cast<int64_t>(buf.size()), run - in_run, length - done}));
      auto n = image->Read(start + in_run, buf.data(), want);
      if (!n.ok()) return n.status();
      if (*n == 0) return Status::IOError("the image ends at byte " + std::to_string(start + in_run));
      chunk(buf.data(), *n);
      in_run += static_cast<int64_t>(*n);
      done += static_cast<int64_t>(*n);
    }
    stream += run;
  }
  return Status::Ok();
}

Status StoredFileReader::StreamLogical(const Row& row, int64_t offset, int64_t length, const Chunk& chunk) {
  auto probe = Probe(row.sources);
  if (!probe.ok()) return probe.status();
  auto source = LogicalSource::Open(*probe);
  if (!source.ok()) return source.status();
  if ((*source)->random_access()) {
    auto stream = (*source)->OpenFile(row.path);
    if (!stream.ok()) return stream.status();
    return FromStream(**stream, offset, length, chunk);
  }
  // An archive as evidence: its entries only stream in archive order.
  Status found = Status::NotFound("no entry " + row.path + " in the archive any more; is it the same evidence?");
  const Status done = Status::Busy("found");
  const Status walked = (*source)->ForEach(
      [&](const FileRecord& rec, ByteStream* content) -> Status {
        if ((rec.file_key.empty() ? rec.path : rec.file_key) != row.file_key || content == nullptr) {
          return Status::Ok();
        }
        found = FromStream(*content, offset, length, chunk);
        return done;
      },
      [](const ErrorRecord&) {});
  if (!walked.ok() && walked.message() != done.message()) return walked;
  return found;
}

Status StoredFileReader::StreamMember(CaseStore& store, const Row& row, int64_t offset, int64_t length,
                                      const Chunk& chunk, int depth) {
  auto archive = LoadRow(store, row.container_id);
  if (!archive.ok()) return archive.status();
  if (copy_of_ != archive->id) {
    // libarchive reads the archive from a file: copy its bytes, read back the same way, to the scratch folder.
    if (scratch_dir_.empty()) {
      std::error_code ec;
      const std::filesystem::path parent = options_.scratch_parent.empty()
                                               ? std::filesystem::temp_directory_path(ec)
                                               : std::filesystem::path(options_.scratch_parent);
      std::string dir = (parent / (options_.scratch_prefix + std::to_string(getpid()) + "-XXXXXX")).string();
      if (mkdtemp(dir.data()) == nullptr) {
        return Status::IOError("cannot make a scratch folder in " + parent.string() + " to read the archive");
      }
      scratch_dir_ = dir;
    }
    if (!copy_path_.empty()) std::remove(copy_path_.c_str());
    copy_of_ = 0;
    copy_path_ = scratch_dir_ + "/archive";
    std::FILE* out = std::fopen(copy_path_.c_str(), "wb");
    if (out == nullptr) return Status::IOError("cannot write the scratch copy " + copy_path_);
    bool write_ok = true;
    Status st = Stream(
        store, *archive, 0, archive->size,
        [&](const char* d, size_t n) { write_ok = write_ok && std::fwrite(d, 1, n, out) == n; }, depth + 1);
    write_ok = std::fclose(out) == 0 && write_ok;
    if (st.ok() && !write_ok) st = Status::IOError("cannot write the scratch copy " + copy_path_ + " (disk full?)");
    if (!st.ok()) {
      std::remove(copy_path_.c_str());
      return Status::IOError("reading its archive " + archive->path + ": " + st.message());
    }
    copy_of_ = archive->id;
  }
  EvidenceProbe probe;
  probe.format = EvidenceFormat::kArchive;
  probe.segments = {copy_path_};
  auto source = LogicalSource::Open(probe);
  if (!source.ok()) return source.status();
  Status found = Status::NotFound("no member " + row.path + " in its archive any more");
  const Status done = Status::Busy("found");
  int64_t members = 0;
  const Status walked = (*source)->ForEach(
      [&](const FileRecord& rec, ByteStream* content) -> Status {
        if (rec.kind != "file") return Status::Ok();  // members are counted as triage counts them
        if (ArchiveMemberKey(archive->file_key, ++members, rec.path) != row.file_key) return Status::Ok();
        if (content == nullptr) {
          found = Status::NotSupported("the member cannot be read (encrypted, or a format libarchive cannot expand)");
        } else {
          found = FromStream(*content, offset, length, chunk);
        }
        return done;
      },
      [](const ErrorRecord&) {});
  if (!walked.ok() && walked.message() != done.message()) return walked;
  return found;
}

}  // namespace custos
