// DiskImage: a read-only, RAII handle on a disk or volume image through The Sleuth Kit's image layer
// (raw, split raw, E01 via libewf, VHD via libvhdi, VMDK via libvmdk, block devices).
// Thread-safety: Read() may be called from several threads; TSK serialises reads on one handle with
// its own lock, so content workers each open their own DiskImage for parallel reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "triage/base/status.h"
#include "triage/evidence/evidence_probe.h"

struct TSK_IMG_INFO;

namespace custos {

class DiskImage {
 public:
  // cache_bytes > 0 puts an LRU block cache of that size in front of TSK's image layer, for a handle
  // whose reads are small and scattered (the metadata walk): TSK's own cache is 2 MiB, and on an E01
  // every miss decompresses whole chunks again. Such a handle is for one thread.
  static Result<std::unique_ptr<DiskImage>> Open(const EvidenceProbe& probe, size_t cache_bytes = 0);
  ~DiskImage();
  DiskImage(const DiskImage&) = delete;
  DiskImage& operator=(const DiskImage&) = delete;

  TSK_IMG_INFO* tsk() const { return img_; }
  int64_t size() const;  // media size in bytes
  int sector_size() const;
  // Reads up to len bytes at offset; a short count only at the end of the media. IOError names the offset.
  Result<size_t> Read(int64_t offset, char* buf, size_t len) const;

 private:
  explicit DiskImage(TSK_IMG_INFO* img) : img_(img) {}
  TSK_IMG_INFO* img_;
};

}  // namespace custos
