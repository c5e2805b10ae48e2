// The Sleuth Kit's image layer, read-only (see disk_image.h).
#include "triage/evidence/disk_image.h"

#include <tsk/libtsk.h>

#include <algorithm>
#include <cstring>
#include <list>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace custos {
namespace {

std::string TskError() {
  const char* text = tsk_error_get_errno() ? tsk_error_get() : nullptr;
  std::string msg = text ? text : "unknown error";
  tsk_error_reset();
  std::replace(msg.begin(), msg.end(), '\n', ' ');
  return msg;
}

TSK_IMG_TYPE_ENUM TskType(EvidenceFormat format) {
  switch (format) {
    case EvidenceFormat::kEwf:
      return TSK_IMG_TYPE_EWF_EWF;
    case EvidenceFormat::kVhd:
      return TSK_IMG_TYPE_VHD_VHD;
    case EvidenceFormat::kVmdk:
      return TSK_IMG_TYPE_VMDK_VMDK;
    default:
      return TSK_IMG_TYPE_RAW;  // raw, split raw, block devices (TSK opens them O_RDONLY)
  }
}

// An image of our own in front of TSK's (tsk_img_open_external): reads are served from an LRU cache of
// large blocks. TSK treats a pointer to `info` as its TSK_IMG_INFO, so it must stay the first member.
struct CachedImage {
  struct Cache {
    TSK_IMG_INFO* inner = nullptr;
    size_t block_bytes = 0;
    size_t max_blocks = 0;
    std::list<int64_t> recent;  // block numbers, most recent first
    std::unordered_map<int64_t, std::pair<std::vector<char>, std::list<int64_t>::iterator>> blocks;
  };
  TSK_IMG_INFO info;
  Cache* cache;
};
static_assert(std::is_standard_layout_v<CachedImage>, "TSK casts CachedImage* to TSK_IMG_INFO*");

// The cached bytes of one block, loading it (and evicting the oldest) on a miss; nullptr on a read error.
const std::vector<char>* CachedBlock(CachedImage::Cache& c, int64_t block) {
  auto it = c.blocks.find(block);
  if (it != c.blocks.end()) {
    c.recent.splice(c.recent.begin(), c.recent, it->second.second);
    return &it->second.first;
  }
  std::vector<char> bytes;
  if (c.blocks.size() >= c.max_blocks) {  // reuse the evicted block's memory
    auto oldest = c.blocks.find(c.recent.back());
    bytes = std::move(oldest->second.first);
    c.blocks.erase(oldest);
    c.recent.pop_back();
  }
  const int64_t start = block * static_cast<int64_t>(c.block_bytes);
  bytes.resize(static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(c.block_bytes), c.inner->size - start)));
  const ssize_t n = tsk_img_read(c.inner, start, bytes.data(), bytes.size());
  if (n < 0) return nullptr;
  bytes.resize(static_cast<size_t>(n));
  c.recent.push_front(block);
  auto& slot = c.blocks[block];
  slot.first = std::move(bytes);
  slot.second = c.recent.begin();
  return &slot.first;
}

ssize_t CachedRead(TSK_IMG_INFO* img, TSK_OFF_T off, char* buf, size_t len) {
  CachedImage::Cache& c = *reinterpret_cast<CachedImage*>(img)->cache;
  size_t done = 0;
  while (done < len) {
    const int64_t at = off + static_cast<int64_t>(done);
    const int64_t block = at / static_cast<int64_t>(c.block_bytes);
    const std::vector<char>* bytes = CachedBlock(c, block);
    if (!bytes) return done > 0 ? static_cast<ssize_t>(done) : -1;
    const size_t in_block = static_cast<size_t>(at - block * static_cast<int64_t>(c.block_bytes));
    if (in_block >= bytes->size()) break;  // the end of the media
    const size_t n = std::min(len - done, bytes->size() - in_block);
    std::memcpy(buf + done, bytes->data() + in_block, n);
    done += n;
  }
  return static_cast<ssize_t>(done);
}

void CachedClose(TSK_IMG_INFO* img) {
  auto* cached = reinterpret_cast<CachedImage*>(img);
  tsk_img_close(cached->cache->inner);
  delete cached->cache;
  delete cached;
}

void CachedStat(TSK_IMG_INFO* img, FILE* out) {
  TSK_IMG_INFO* inner = reinterpret_cast<CachedImage*>(img)->cache->inner;
  inner->imgstat(inner, out);
}

}  // namespace

Result<std::unique_ptr<DiskImage>> DiskImage::Open(const EvidenceProbe& probe, size_t cache_bytes) {
  if (probe.format == EvidenceFormat::kFolder || probe.format == EvidenceFormat::kArchive) {
    return Status::InvalidArgument("a " + std::string(EvidenceFormatName(probe.format)) +
                                   " is a logical collection, not a disk image");
  }
  if (probe.segments.empty()) return Status::InvalidArgument("no image files");
  std::vector<const char*> names;
  for (const auto& s : probe.segments) names.push_back(s.c_str());
  tsk_error_reset();
  TSK_IMG_INFO* img = tsk_img_open_utf8(static_cast<int>(names.size()), names.data(), TskType(probe.format), 0);
  if (!img) {
    return Status::Corruption(probe.segments.front() + ": The Sleuth Kit cannot open this " +
                              EvidenceFormatName(probe.format) + " image: " + TskError());
  }
  if (cache_bytes == 0) return std::unique_ptr<DiskImage>(new DiskImage(img));
  auto* cached = new CachedImage{};
  cached->cache = new CachedImage::Cache;
  cached->cache->inner = img;
  // Two 32 KiB E01 chunks, and The Sleuth Kit's own cache line (TSK_IMG_INFO_CACHE_LEN). NTFS's directory
  // indexes are 4 KiB records scattered over the volume: with 256 KiB blocks each of them had libewf inflate
  // and checksum eight chunks, 3.4 of the walk's 7 CPU-seconds on the benchmark E01 (README, Performance).
  cached->cache->block_bytes = 64 * 1024;
  cached->cache->max_blocks = std::max<size_t>(1, cache_bytes / cached->cache->block_bytes);
  TSK_IMG_INFO* outer = tsk_img_open_external(cached, img->size, img->sector_size, CachedRead, CachedClose, CachedStat);
  if (!outer) {
    const std::string why = TskError();
    CachedClose(&cached->info);
    return Status::Internal("cannot set up the image cache: " + why);
  }
  return std::unique_ptr<DiskImage>(new DiskImage(outer));
}

DiskImage::~DiskImage() { tsk_img_close(img_); }

int64_t DiskImage::size() const { return static_cast<int64_t>(img_->size); }

int DiskImage::sector_size() const { return static_cast<int>(img_->sector_size); }

Result<size_t> DiskImage::Read(int64_t offset, char* buf, size_t len) const {
  if (offset >= size()) return static_cast<size_t>(0);
  len = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(len), size() - offset));
  const ssize_t n = tsk_img_read(img_, offset, buf, len);
  if (n < 0)
    return Status::IOError("read of " + std::to_string(len) + " bytes at offset " + std::to_string(offset) +
                           " failed: " + TskError());
  return static_cast<size_t>(n);
}

}  // namespace custos
