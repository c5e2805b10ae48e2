// The Sleuth Kit's image layer, read-only (see disk_image.h).
#include "triage/evidence/disk_image.h"

#include <tsk/libtsk.h>

#include <algorithm>
#include <string>
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
    case EvidenceFormat::kEwf: return TSK_IMG_TYPE_EWF_EWF;
    case EvidenceFormat::kVhd: return TSK_IMG_TYPE_VHD_VHD;
    case EvidenceFormat::kVmdk: return TSK_IMG_TYPE_VMDK_VMDK;
    default: return TSK_IMG_TYPE_RAW;  // raw, split raw, block devices (TSK opens them O_RDONLY)
  }
}

}  // namespace

Result<std::unique_ptr<DiskImage>> DiskImage::Open(const EvidenceProbe& probe) {
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
  return std::unique_ptr<DiskImage>(new DiskImage(img));
}

DiskImage::~DiskImage() { tsk_img_close(img_); }

int64_t DiskImage::size() const { return static_cast<int64_t>(img_->size); }

int DiskImage::sector_size() const { return static_cast<int>(img_->sector_size); }

Result<size_t> DiskImage::Read(int64_t offset, char* buf, size_t len) const {
  if (offset >= size()) return static_cast<size_t>(0);
  len = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(len), size() - offset));
  const ssize_t n = tsk_img_read(img_, offset, buf, len);
  if (n < 0) return Status::IOError("read of " + std::to_string(len) + " bytes at offset " + std::to_string(offset) +
                                    " failed: " + TskError());
  return static_cast<size_t>(n);
}

}  // namespace custos
