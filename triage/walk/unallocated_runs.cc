// Unallocated runs (see unallocated_runs.h).
#include "triage/walk/unallocated_runs.h"

#include <algorithm>

#include "triage/walk/tsk_handles.h"

namespace custos {

bool HasUnallocatedBlockMap(const TSK_FS_INFO* fs) {
  return (TSK_FS_TYPE_ISNTFS(fs->ftype) || TSK_FS_TYPE_ISFAT(fs->ftype) || TSK_FS_TYPE_ISEXT(fs->ftype) ||
          TSK_FS_TYPE_ISHFS(fs->ftype)) &&
         fs->block_count != 0;
}

Result<std::vector<std::pair<int64_t, int64_t>>> UnallocatedRuns(TSK_FS_INFO* fs, int64_t base, int64_t image_end) {
  struct Runs {
    const TSK_FS_INFO* fs;
    int64_t base;
    std::vector<std::pair<int64_t, int64_t>> extents;
  } runs{fs, base, {}};
  const auto on_block = [](const TSK_FS_BLOCK* block, void* ptr) -> TSK_WALK_RET_ENUM {
    auto* r = static_cast<Runs*>(ptr);
    const int64_t at = r->base + static_cast<int64_t>(block->addr) * r->fs->block_size;
    if (!r->extents.empty() && r->extents.back().first + r->extents.back().second == at) {
      r->extents.back().second += r->fs->block_size;
    } else {
      r->extents.emplace_back(at, r->fs->block_size);
    }
    return TSK_WALK_CONT;
  };
  tsk_error_reset();
  const auto flags =
      static_cast<TSK_FS_BLOCK_WALK_FLAG_ENUM>(TSK_FS_BLOCK_WALK_FLAG_UNALLOC | TSK_FS_BLOCK_WALK_FLAG_AONLY);
  if (tsk_fs_block_walk(fs, fs->first_block, fs->last_block, flags, on_block, &runs) != 0) {
    return Status::IOError(tsk::TakeError());
  }
  std::vector<std::pair<int64_t, int64_t>> extents;
  for (auto [at, length] : runs.extents) {
    if (at >= image_end) break;
    length = std::min(length, image_end - at);
    extents.emplace_back(at, length);
  }
  return extents;
}

}  // namespace custos
