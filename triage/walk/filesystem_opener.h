// Where a file system lives in an image, precisely enough to open it again from another handle:
// content workers each re-open the file systems the walk found, on their own DiskImage.
// Thread-safety: OpenFileSystem is re-entrant; an OpenedFileSystem belongs to one thread.
#pragma once

#include <tsk/libtsk.h>

#include <cstdint>
#include <memory>

#include "triage/base/status.h"
#include "triage/walk/tsk_handles.h"
#include "triage/walk/unlock_keys.h"
#include "triage/walk/unlocked_volume.h"

namespace custos {

struct FsLocator {
  int64_t offset_bytes = 0;                    // offset passed to tsk_fs_open_img
  TSK_FS_TYPE_ENUM type = TSK_FS_TYPE_DETECT;  // the exact type that opened (never DETECT once found)
  bool in_pool = false;                        // APFS volume inside a pool container
  int64_t pool_offset = 0;                     // container offset in the media
  uint64_t pool_block = 0;                     // volume superblock in the container
  // Inside an unlocked encrypted volume: offset_bytes (and pool_offset) are then from the start of its
  // decrypted bytes, and the volume is unlocked again with the key the walk found (never the key itself).
  bool in_unlocked = false;
  int64_t unlocked_offset = 0;  // the encrypted volume in the media
  int64_t unlocked_length = 0;
  int unlock_key = -1;  // index into the run's UnlockKeys; -1: try each (read back later, with the keys given then)
};

// Owns the file system and, for pool volumes, the pool and its image view, and for unlocked volumes the
// decrypted view, in the right close order.
class OpenedFileSystem {
 public:
  TSK_FS_INFO* fs() const { return fs_.get(); }
  // The decrypted bytes the file system lies in, for a file system inside an unlocked volume; else nullptr
  // (it lies in the media). The walk's extents for its files are offsets in this view.
  TSK_IMG_INFO* decrypted_view() const { return unlocked_ ? unlocked_->tsk() : nullptr; }
  ~OpenedFileSystem() {
    fs_.reset();
    pool_img_.reset();
    pool_.reset();
    unlocked_.reset();
  }

 private:
  friend Result<std::unique_ptr<OpenedFileSystem>> OpenFileSystem(TSK_IMG_INFO* img, const FsLocator& where,
                                                                  const UnlockKeys* keys);
  std::unique_ptr<UnlockedVolume> unlocked_;
  tsk::PoolPtr pool_;
  tsk::ImgPtr pool_img_;
  tsk::FsPtr fs_;
};

// `keys` must hold the key the locator names when it is inside an unlocked volume (or, when it names none,
// at least one key; UnlockedVolume::Open's errors then say that none of them unlocks it).
Result<std::unique_ptr<OpenedFileSystem>> OpenFileSystem(TSK_IMG_INFO* img, const FsLocator& where,
                                                         const UnlockKeys* keys = nullptr);

}  // namespace custos
