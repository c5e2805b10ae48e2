// StoredFileReader: reads back the content of any file row of a case, from the evidence, the way triage read
// it: files of a TSK file system by inode and attribute (APFS volumes through their pool), the free blocks of
// "/$Unallocated" as the runs TSK's block map lists, files of a logical collection (a folder, or a zip/tar
// through libarchive), archive members through libarchive from their archive's bytes, and carved objects as
// the range of their parent they were carved from. Reads are ranged, so a preview of a 4 GB file reads its
// 64 KiB page, never the whole file (a member of a compressed archive is decompressed up to the page).
// Files inside an encrypted volume triage unlocked are read through the volume unlocked again, as the content
// workers do (OpenFileSystem, UnlockedVolume), with the keys the reader is given: the case file records which
// volume was unlocked, never the key.
// The evidence is opened read-only; an archive's bytes are copied to a private scratch folder for libarchive
// (which needs a file to read) and removed when another archive is read or the reader is destroyed.
//
// Contract:
//  - Read() returns up to `length` bytes (at most kMaxRead) from `offset` and the file's size; short only at
//    its end. A folder, a file inside an encrypted volume no key given unlocks, or evidence that is not
//    reachable gives a Status saying so.
//  - Images and file systems stay open between calls (one per exhibit / file system); an encrypted volume the
//    keys do not unlock is tried once.
// Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "triage/base/status.h"
#include "triage/evidence/disk_image.h"
#include "triage/store/case_store.h"
#include "triage/walk/filesystem_opener.h"
#include "triage/walk/unlock_keys.h"

namespace custos {

struct ContentPage {
  std::string bytes;
  int64_t offset = 0;
  int64_t file_size = 0;
};

struct ReadbackOptions {
  std::string scratch_parent;                       // where the scratch folder is made ("" = the system's temp)
  std::string scratch_prefix = "custos-readback-";  // it is named <prefix><pid>-XXXXXX
  std::shared_ptr<const UnlockKeys> keys;           // for files inside encrypted volumes triage unlocked
};

class StoredFileReader {
 public:
  static constexpr size_t kMaxRead = 32 * 1024 * 1024;  // pictures are read whole up to this size

  explicit StoredFileReader(ReadbackOptions options = {});
  ~StoredFileReader();
  // Removes the scratch folders <prefix><pid>-* in `parent` whose process is no longer running (a reader
  // killed before its destructor ran); returns how many.
  static int RemoveStaleScratch(const std::string& parent, const std::string& prefix);
  StoredFileReader(const StoredFileReader&) = delete;
  StoredFileReader& operator=(const StoredFileReader&) = delete;

  Result<ContentPage> Read(CaseStore& store, int64_t file_id, int64_t offset, size_t length);

  // What a file row says about where its bytes are (filled from the case file).
  struct Row;
  using Chunk = std::function<void(const char*, size_t)>;

 private:
  Status Stream(CaseStore& store, const Row& row, int64_t offset, int64_t length, const Chunk& chunk, int depth);
  Status StreamTsk(const Row& row, int64_t offset, int64_t length, const Chunk& chunk);
  Result<std::vector<std::pair<int64_t, int64_t>>> FileSystemFreeRuns(const Row& row);
  Result<std::vector<std::pair<int64_t, int64_t>>> FreeRegionRuns(const Row& row);
  Status StreamRuns(const Row& row, const std::vector<std::pair<int64_t, int64_t>>& runs, int64_t offset,
                    int64_t length, const Chunk& chunk);
  Status StreamLogical(const Row& row, int64_t offset, int64_t length, const Chunk& chunk);
  Status StreamMember(CaseStore& store, const Row& row, int64_t offset, int64_t length, const Chunk& chunk, int depth);
  Result<DiskImage*> Image(const Row& row);
  Result<OpenedFileSystem*> FileSystem(const Row& row);

  ReadbackOptions options_;
  std::string scratch_dir_;
  std::map<int64_t, std::unique_ptr<DiskImage>> images_;              // by exhibit id
  std::map<int64_t, std::unique_ptr<OpenedFileSystem>> filesystems_;  // by filesystem id
  std::map<int64_t, Status> locked_;  // by filesystem id: in an encrypted volume the keys did not unlock
  int64_t copy_of_ = 0;               // the archive file row copied
  std::string copy_path_;
};

}  // namespace custos
