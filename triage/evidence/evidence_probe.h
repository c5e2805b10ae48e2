// Evidence probing: what is this evidence, and which files make it up? Detection is by content
// (signatures), never by extension. Probing opens files read-only, reads a few bytes and writes
// nothing anywhere.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "triage/base/status.h"

namespace custos {

enum class EvidenceFormat {
  kEwf,       // EnCase E01 / Ex01 set (libewf through The Sleuth Kit)
  kRaw,       // a single raw / dd file
  kSplitRaw,  // raw split in parts: .000/.001…, .001/.002…, aa/ab…
  kVhd,       // Microsoft VHD (fixed or dynamic)
  kVmdk,      // VMware VMDK (monolithic sparse or descriptor)
  kDevice,    // a block device such as /dev/sdb (read-only, behind a write blocker)
  kFolder,    // a folder: a logical collection (unpacked phone extraction, targeted collection)
  kArchive,   // a zip or tar (optionally compressed) of such a folder
};

const char* EvidenceFormatName(EvidenceFormat format);  // "ewf", "raw", "split-raw", ...

struct EvidenceProbe {
  EvidenceFormat format = EvidenceFormat::kRaw;
  std::vector<std::string> segments;  // absolute paths, in order (all E01 segments, all split parts)
  int64_t total_bytes = 0;            // sum of segment file sizes (not the media size for E01/VHD/VMDK)
  std::string note;                   // anything worth telling the officer (e.g. "3 split parts found")
};

// Probes the evidence an officer named on the command line. `paths` is usually one path (the first
// segment; the others are found beside it) or every segment explicitly.
// Fails fast, before any work, with a Status that names the file and says what to do:
//   NotFound: the path does not exist;  IOError: it cannot be opened for reading (permissions);
//   NotSupported: a known but unsupported format (QCOW2, AFF, encrypted containers, compressed images...);
//   content that no probe recognises is taken as raw: a disk with an unknown layout is still a raw disk,
//   and the walk then reports what it could not find in it;
//   Corruption: a split raw set or E01 set with a missing part (a gap in the numbering), an E01 whose
//               segment is truncated or whose header is damaged.
Result<EvidenceProbe> ProbeEvidence(const std::vector<std::string>& paths);

}  // namespace custos
