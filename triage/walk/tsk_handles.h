// RAII owners for The Sleuth Kit's C handles, and the one place that turns TSK's thread-local error
// state into a message. TSK objects are never freed by hand anywhere else.
// Thread-safety: TSK's error state is per thread; handles are not shared between threads.
#pragma once

#include <tsk/libtsk.h>

#include <memory>
#include <optional>
#include <string>

namespace custos::tsk {

struct VsCloser {
  void operator()(TSK_VS_INFO* p) const { tsk_vs_close(p); }
};
struct FsCloser {
  void operator()(TSK_FS_INFO* p) const { tsk_fs_close(p); }
};
struct FileCloser {
  void operator()(TSK_FS_FILE* p) const { tsk_fs_file_close(p); }
};
struct DirCloser {
  void operator()(TSK_FS_DIR* p) const { tsk_fs_dir_close(p); }
};
struct PoolCloser {
  void operator()(const TSK_POOL_INFO* p) const { tsk_pool_close(p); }
};
struct ImgCloser {
  void operator()(TSK_IMG_INFO* p) const { tsk_img_close(p); }
};

using VsPtr = std::unique_ptr<TSK_VS_INFO, VsCloser>;
using FsPtr = std::unique_ptr<TSK_FS_INFO, FsCloser>;
using FilePtr = std::unique_ptr<TSK_FS_FILE, FileCloser>;
using DirPtr = std::unique_ptr<TSK_FS_DIR, DirCloser>;
using PoolPtr = std::unique_ptr<const TSK_POOL_INFO, PoolCloser>;
using ImgPtr = std::unique_ptr<TSK_IMG_INFO, ImgCloser>;

// TSK's last error on this thread as one line (empty if none), then resets it.
std::string TakeError();

// "ntfs", "fat32", "ext4", "hfs+", "iso9660", "apfs", "exfat", "ufs2"... for a TSK file-system type.
std::string FsTypeName(TSK_FS_TYPE_ENUM type);

// Seconds + nanoseconds since the epoch to microseconds; nullopt for 0 (TSK's "not set").
inline std::optional<int64_t> ToMicros(time_t secs, uint64_t nanos) {
  if (secs == 0 && nanos == 0) return std::nullopt;
  return static_cast<int64_t>(secs) * 1000000 + static_cast<int64_t>(nanos / 1000);
}

}  // namespace custos::tsk
