// Re-opening a file system found by the walk.
#include "triage/walk/filesystem_opener.h"

#include <string>

namespace custos {

Result<std::unique_ptr<OpenedFileSystem>> OpenFileSystem(TSK_IMG_INFO* img, const FsLocator& where,
                                                         const UnlockKeys* keys) {
  auto opened = std::unique_ptr<OpenedFileSystem>(new OpenedFileSystem());
  if (where.in_unlocked) {
    if (keys == nullptr || keys->empty() || static_cast<size_t>(where.unlock_key + 1) > keys->keys.size()) {
      return Status::Internal("the key that unlocked the volume at offset " + std::to_string(where.unlocked_offset) +
                              " is not at hand");
    }
    auto unlocked = UnlockedVolume::Open(img, where.unlocked_offset, where.unlocked_length, *keys, where.unlock_key);
    if (!unlocked.ok()) return unlocked.status();
    opened->unlocked_ = std::move(*unlocked);
    img = opened->unlocked_->tsk();
  }
  TSK_IMG_INFO* target = img;
  if (where.in_pool) {
    opened->pool_.reset(tsk_pool_open_img_sing(img, where.pool_offset, TSK_POOL_TYPE_DETECT));
    if (!opened->pool_) {
      return Status::Corruption("cannot open the pool container at offset " + std::to_string(where.pool_offset) + ": " +
                                tsk::TakeError());
    }
    opened->pool_img_.reset(opened->pool_->get_img_info(opened->pool_.get(), where.pool_block));
    if (!opened->pool_img_) {
      return Status::Corruption("cannot open pool volume at block " + std::to_string(where.pool_block) + ": " +
                                tsk::TakeError());
    }
    target = opened->pool_img_.get();
  }
  opened->fs_.reset(tsk_fs_open_img(target, where.offset_bytes, where.type));
  if (!opened->fs_) {
    return Status::Corruption("cannot open the " + tsk::FsTypeName(where.type) + " file system at offset " +
                              std::to_string(where.offset_bytes) + ": " + tsk::TakeError());
  }
  return opened;
}

}  // namespace custos
