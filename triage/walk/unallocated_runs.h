// The unallocated blocks of a file system as runs of bytes, in block order: what triage reads as the virtual
// file "/$Unallocated" (searched and carved), and what the viewer reads back to preview it or a carved object.
// Both use this one function, so an offset in that stream means the same bytes to both.
// Thread-safety: re-entrant (the file system handle belongs to the caller's thread).
#pragma once

#include <tsk/libtsk.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "triage/base/status.h"

namespace custos {

// True for the file systems whose block maps TSK reads reliably and whose blocks lie one after the other from
// the file system's start (NTFS, FAT, exFAT, ext2/3/4, HFS+). APFS blocks are its container's: see the walker.
bool HasUnallocatedBlockMap(const TSK_FS_INFO* fs);

// (offset, length) runs in the image the file system lies in (`base` + block address x block size: the file
// system's own offset, or for APFS its container's), cut at `image_end` (a truncated image keeps what it
// holds). IOError with TSK's message when the block map cannot be read.
Result<std::vector<std::pair<int64_t, int64_t>>> UnallocatedRuns(TSK_FS_INFO* fs, int64_t base, int64_t image_end);

}  // namespace custos
