// Folders and zip/tar archives as evidence (see logical_source.h).
#include "triage/evidence/logical_source.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "triage/base/format.h"

namespace custos {
namespace {

namespace fs = std::filesystem;

std::optional<UtcMicros> Micros(int64_t secs, int64_t nanos) {
  if (secs == 0 && nanos == 0) return std::nullopt;
  return secs * 1000000 + nanos / 1000;
}

// "/a/b" from "./a/b", "a/b/", "/a/b"; empty when the name climbs out of the collection ("..").
std::string NormalisePath(const std::string& raw) {
  std::string out;
  size_t i = 0;
  while (i <= raw.size()) {
    size_t j = raw.find('/', i);
    if (j == std::string::npos) j = raw.size();
    const std::string part = raw.substr(i, j - i);
    if (part == "..") return "";
    if (!part.empty() && part != ".") out += "/" + part;
    i = j + 1;
  }
  return out.empty() ? "/" : out;
}

FileRecord BaseRecord(const std::string& path) {
  FileRecord r;
  r.path = path;
  r.file_key = path;
  r.name = path.substr(path.rfind('/') + 1);
  r.extension = LowerExtension(r.name);
  return r;
}

ErrorRecord EntryError(const std::string& source, const std::string& message, const std::string& advice) {
  ErrorRecord e;
  e.stage = "walk";
  e.source = source;
  e.message = message;
  e.advice = advice;
  e.when = NowUtcMicros();
  return e;
}

class FdStream : public ByteStream {
 public:
  explicit FdStream(int fd) : fd_(fd) {}
  ~FdStream() override { close(fd_); }
  Result<size_t> Read(char* buf, size_t len) override {
    while (true) {
      const ssize_t n = read(fd_, buf, len);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return Status::IOError(std::string("read failed: ") + std::strerror(errno));
    }
  }
  Result<int64_t> Skip(int64_t n) override {
    struct stat st {};
    const off_t at = lseek(fd_, 0, SEEK_CUR);
    if (at < 0 || fstat(fd_, &st) != 0) return ByteStream::Skip(n);
    const int64_t moved = std::clamp<int64_t>(static_cast<int64_t>(st.st_size) - at, 0, n);
    if (lseek(fd_, at + moved, SEEK_SET) < 0)
      return Status::IOError(std::string("seek failed: ") + std::strerror(errno));
    return moved;
  }

 private:
  int fd_;
};

class FolderSource : public LogicalSource {
 public:
  explicit FolderSource(fs::path root) : root_(std::move(root)) {}
  bool random_access() const override { return true; }

  Status ForEach(const std::function<Status(const FileRecord&, ByteStream*)>& visit,
                 const std::function<void(const ErrorRecord&)>& error) override {
    std::error_code ec;
    fs::recursive_directory_iterator it(root_, fs::directory_options::skip_permission_denied, ec);
    if (ec) return Status::IOError(root_.string() + ": cannot list the folder: " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        error(EntryError(root_.string(), "a folder could not be listed: " + ec.message(),
                         "check the permissions of the collection"));
        ec.clear();
        continue;
      }
      const fs::path& p = it->path();
      const std::string rel = "/" + fs::relative(p, root_, ec).generic_string();
      struct statx sx {};
      if (statx(AT_FDCWD, p.c_str(), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME, &sx) != 0) {
        error(EntryError(rel, std::string("cannot read its metadata: ") + std::strerror(errno),
                         "check the permissions of the collection"));
        continue;
      }
      FileRecord r = BaseRecord(rel);
      const mode_t mode = sx.stx_mode;
      r.kind = S_ISREG(mode) ? "file" : S_ISDIR(mode) ? "dir" : S_ISLNK(mode) ? "link" : "other";
      r.size = S_ISREG(mode) ? static_cast<int64_t>(sx.stx_size) : 0;
      r.meta_addr = sx.stx_ino;
      r.mtime = Micros(sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec);
      r.atime = Micros(sx.stx_atime.tv_sec, sx.stx_atime.tv_nsec);
      r.ctime = Micros(sx.stx_ctime.tv_sec, sx.stx_ctime.tv_nsec);
      if (sx.stx_mask & STATX_BTIME) r.crtime = Micros(sx.stx_btime.tv_sec, sx.stx_btime.tv_nsec);
      if (S_ISLNK(mode)) it.disable_recursion_pending();
      CUSTOS_RETURN_IF_ERROR(visit(r, nullptr));
    }
    return Status::Ok();
  }

  Result<std::unique_ptr<ByteStream>> OpenFile(const std::string& path) const override {
    const std::string clean = NormalisePath(path);
    if (clean.empty() || clean == "/") return Status::InvalidArgument(path + ": not a file inside the collection");
    const fs::path full = root_ / clean.substr(1);
    int fd = open(full.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOATIME);
    if (fd < 0 && errno == EPERM) fd = open(full.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);  // O_NOATIME: owner only
    if (fd < 0) return Status::IOError(full.string() + ": cannot be opened (" + std::strerror(errno) + ")");
    return std::unique_ptr<ByteStream>(new FdStream(fd));
  }

 private:
  fs::path root_;
};

class ArchiveStream : public ByteStream {
 public:
  explicit ArchiveStream(archive* a) : a_(a) {}
  Result<size_t> Read(char* buf, size_t len) override {
    const la_ssize_t n = archive_read_data(a_, buf, len);
    if (n < 0) return Status::IOError(std::string("archive member unreadable: ") + archive_error_string(a_));
    return static_cast<size_t>(n);
  }

 private:
  archive* a_;
};

class ArchiveSource : public LogicalSource {
 public:
  explicit ArchiveSource(std::string path) : path_(std::move(path)) {}
  bool random_access() const override { return false; }

  Status ForEach(const std::function<Status(const FileRecord&, ByteStream*)>& visit,
                 const std::function<void(const ErrorRecord&)>& error) override {
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
    archive_read_support_filter_all(a.get());
    archive_read_support_format_zip(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_7zip(a.get());
    archive_read_support_format_cpio(a.get());
    archive_read_support_format_rar(a.get());
    archive_read_support_format_rar5(a.get());
    // A lone compressed stream (notes.txt.gz): one member named "data". Bids last, so real formats win.
    archive_read_support_format_raw(a.get());
    if (archive_read_open_filename(a.get(), path_.c_str(), 1 << 20) != ARCHIVE_OK) {
      return Status::Corruption(path_ + ": the archive cannot be opened: " + archive_error_string(a.get()));
    }
    archive_entry* entry = nullptr;
    while (true) {
      const int r = archive_read_next_header(a.get(), &entry);
      if (r == ARCHIVE_EOF) break;
      if (r == ARCHIVE_FATAL) {
        error(EntryError(
            path_,
            std::string("the archive is damaged; members after this point are lost: ") + archive_error_string(a.get()),
            "ask for a fresh copy of the collection"));
        return Status::Ok();
      }
      if (r == ARCHIVE_RETRY) continue;
      const char* raw_name = archive_entry_pathname(entry);
      const std::string raw = raw_name ? raw_name : "";
      const std::string path = NormalisePath(raw);
      if (path.empty()) {
        error(EntryError(path_ + ":" + raw, "member name climbs out of the collection (\"..\"); skipped",
                         "examine this archive by hand: the name may be an attempt to hide or overwrite files"));
        continue;
      }
      if (path == "/") continue;
      FileRecord rec = BaseRecord(path);
      const mode_t type = archive_entry_filetype(entry);
      rec.kind = type == AE_IFREG ? "file" : type == AE_IFDIR ? "dir" : type == AE_IFLNK ? "link" : "other";
      rec.size = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : 0;
      if (archive_entry_mtime_is_set(entry))
        rec.mtime = Micros(archive_entry_mtime(entry), archive_entry_mtime_nsec(entry));
      if (archive_entry_atime_is_set(entry))
        rec.atime = Micros(archive_entry_atime(entry), archive_entry_atime_nsec(entry));
      if (archive_entry_ctime_is_set(entry))
        rec.ctime = Micros(archive_entry_ctime(entry), archive_entry_ctime_nsec(entry));
      if (archive_entry_birthtime_is_set(entry)) {
        rec.crtime = Micros(archive_entry_birthtime(entry), archive_entry_birthtime_nsec(entry));
      }
      if (archive_entry_is_encrypted(entry)) {
        error(EntryError(path, "the member is encrypted; its content was not read",
                         "ask the owner or the collection's examiner for the password"));
        rec.size = rec.kind == "file" ? rec.size : 0;
        CUSTOS_RETURN_IF_ERROR(visit(rec, nullptr));
        continue;
      }
      ArchiveStream stream(a.get());
      CUSTOS_RETURN_IF_ERROR(visit(rec, rec.kind == "file" ? &stream : nullptr));
    }
    return Status::Ok();
  }

  Result<std::unique_ptr<ByteStream>> OpenFile(const std::string& path) const override {
    return Status::NotSupported(path + ": archive members can only be read in archive order");
  }

 private:
  std::string path_;
};

}  // namespace

Result<int64_t> ByteStream::Skip(int64_t n) {
  std::vector<char> buf(static_cast<size_t>(std::min<int64_t>(n, 1 << 20)));
  int64_t moved = 0;
  while (moved < n) {
    auto got = Read(buf.data(), static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(buf.size()), n - moved)));
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    moved += static_cast<int64_t>(*got);
  }
  return moved;
}

std::string ArchiveMemberKey(const std::string& archive_key, int64_t index, const std::string& member_path) {
  return archive_key + "!" + std::to_string(index) + ":" + member_path;
}

Result<std::unique_ptr<LogicalSource>> LogicalSource::Open(const EvidenceProbe& probe) {
  if (probe.segments.empty()) return Status::InvalidArgument("no evidence path");
  if (probe.format == EvidenceFormat::kFolder) {
    return std::unique_ptr<LogicalSource>(new FolderSource(probe.segments.front()));
  }
  if (probe.format == EvidenceFormat::kArchive) {
    return std::unique_ptr<LogicalSource>(new ArchiveSource(probe.segments.front()));
  }
  return Status::InvalidArgument(std::string("a ") + EvidenceFormatName(probe.format) +
                                 " image is not a logical collection");
}

}  // namespace custos
