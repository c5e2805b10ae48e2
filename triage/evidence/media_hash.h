// Acquisition metadata and hash verification of the whole media.
// For E01: libewf directly (header values, stored MD5/SHA-1; reading every chunk also checks its CRC).
// For the other formats: the media is read through DiskImage and hashed; there is no stored hash.
// Thread-safety: each call opens its own handles; safe to run beside triage in another thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "triage/base/status.h"
#include "triage/evidence/evidence_probe.h"

namespace custos {

struct AcquisitionInfo {
  std::map<std::string, std::string> values;  // libewf header identifiers: case_number, examiner_name, ...
  std::string stored_md5, stored_sha1;        // lowercase hex; empty when the image stores none
  int64_t media_size = 0;
  int64_t bytes_per_sector = 512;
};

// E01 only; other formats give an empty AcquisitionInfo with media_size from DiskImage.
Result<AcquisitionInfo> ReadAcquisitionInfo(const EvidenceProbe& probe);

struct MediaHashes {
  std::string md5, sha1;  // lowercase hex of every byte of the media
  int64_t bytes_hashed = 0;
  std::vector<std::string> read_errors;  // "offset N: message" for each chunk that failed (CRC, short read)
};

// Reads the whole media once, computing MD5 and SHA-1. `progress(bytes_done, bytes_total)` is called
// now and then; `cancel` stops early (returns Busy). Read errors are listed and the hash goes on with
// zeros in their place (like ewfverify), so the verdict becomes "mismatch" or "failed".
Result<MediaHashes> HashMedia(const EvidenceProbe& probe, const std::function<void(int64_t, int64_t)>& progress,
                              const std::atomic<bool>* cancel);

// "verified" (every stored hash equals the computed one), "mismatch", "no stored hash", or
// "failed" (read errors), from the stored and computed values.
std::string VerificationVerdict(const AcquisitionInfo& stored, const MediaHashes& computed);

}  // namespace custos
