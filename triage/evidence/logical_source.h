// LogicalSource: a logical collection as evidence: a folder (an unpacked phone extraction, a targeted
// collection of Windows artefacts), or a zip/tar of one read through libarchive. Its files are
// triaged like those of a file system, keeping their relative paths ("/" = the collection root).
// Nothing is written: folders are read with O_RDONLY|O_NOFOLLOW and symlinks are recorded, not followed.
// Thread-safety: ForEach() is single-threaded; for folders OpenFile() may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "triage/base/status.h"
#include "triage/evidence/evidence_probe.h"
#include "triage/model/records.h"

namespace custos {

// A forward-only stream of a file's bytes.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Returns 0 at the end; IOError on a read failure.
  virtual Result<size_t> Read(char* buf, size_t len) = 0;
  // Moves `n` bytes on without handing them out (a page of a file read back for a preview). Returns how far
  // it moved: less than `n` only at the end. By default reads and drops them; a file of a folder seeks.
  virtual Result<int64_t> Skip(int64_t n);
};

// The file_key of an archive member: the `index`-th regular file (1-based, in archive order) of the archive
// whose own key is `archive_key`, at `member_path` inside it. Triage names members so; the viewer finds a
// member again by it.
std::string ArchiveMemberKey(const std::string& archive_key, int64_t index, const std::string& member_path);

class LogicalSource {
 public:
  static Result<std::unique_ptr<LogicalSource>> Open(const EvidenceProbe& probe);
  virtual ~LogicalSource() = default;

  // True for folders: files can be opened in any order from any thread (OpenFile). False for
  // archives: content is only available inside ForEach, in archive order.
  virtual bool random_access() const = 0;

  // Calls visit(record, content) for every entry, directories first-seen order. `record` has path,
  // name, extension, kind ("file", "dir", "link", "other"), size, mtime/atime/ctime/crtime where known,
  // file_key = path, allocated = true; filesystem_id = 0 (the caller sets it). `content` is non-null for
  // regular files of an archive (valid only during the call); null for folders (use OpenFile) and for
  // non-files. A damaged archive entry is reported through `error` and the walk goes on with the next.
  // Stops early and returns visit's Status if it is not ok.
  virtual Status ForEach(const std::function<Status(const FileRecord&, ByteStream*)>& visit,
                         const std::function<void(const ErrorRecord&)>& error) = 0;

  // Folders only: opens the file at a relative path ("/" + relative) for reading.
  virtual Result<std::unique_ptr<ByteStream>> OpenFile(const std::string& path) const = 0;
};

}  // namespace custos
