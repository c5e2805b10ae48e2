// Keyword hits in the case file: written by the StoreWriter's thread (InsertKeywordHits, inside its batch
// transaction) and read by `custos hits` and `custos info` over a read-only CaseStore.
// Contract: a hit is keyed by (term, term_kind, file or none, volume, offset, encoding), so a resumed run
// that scans a file or an unallocated area again adds nothing twice.
// Thread-safety: as CaseStore (one thread at a time per store).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "triage/base/status.h"
#include "triage/model/records.h"
#include "triage/store/case_store.h"

namespace custos {

// Resolves each hit's file from (filesystem_id, file_key) and, for hits in files, its volume from the file
// system; INSERT OR IGNORE on the unique key.
Status InsertKeywordHits(CaseStore& store, const std::vector<KeywordHitRecord>& hits);

struct KeywordHitQuery {
  std::string term;     // exact; empty = all
  std::string kind;     // "keyword", "regex", "entity"; empty = all
  std::string exhibit;  // exhibit reference; empty = all
  int64_t limit = -1;
};

struct KeywordHitRow {
  int64_t id = 0;
  std::string term, term_kind, encoding, match, context;
  std::optional<int64_t> file_id;
  std::optional<std::string> path;  // null in unallocated space
  int64_t volume_id = 0;
  int64_t volume_offset = 0;  // of the volume from the start of the media
  int64_t offset = 0;         // in the file, or from the volume start in unallocated space
  // Where the hit lies in the media, in unallocated space and in a file's slack (one run of bytes); null in
  // files, whose content may be fragmented.
  std::optional<int64_t> media_offset;
  std::string exhibit;
};

// In exhibit, path (unallocated last), offset order.
Status ForEachKeywordHit(CaseStore& store, const KeywordHitQuery& query,
                         const std::function<bool(const KeywordHitRow&)>& row);

struct KeywordHitCount {
  std::string term_kind, term;
  int64_t hits = 0, files = 0, unallocated = 0;
};
Result<std::vector<KeywordHitCount>> CountKeywordHits(CaseStore& store);

}  // namespace custos
