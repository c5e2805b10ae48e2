// Keyword hits in the case file (see keyword_hits.h).
#include "triage/store/keyword_hits.h"

#include "triage/base/format.h"
#include "triage/sqlite/sql.h"

namespace custos {

using sql::Statement;

Status InsertKeywordHits(CaseStore& store, const std::vector<KeywordHitRecord>& hits) {
  if (hits.empty()) return Status::Ok();
  Statement st(store.raw_handle(),
               "INSERT OR IGNORE INTO keyword_hit(term, term_kind, file_id, volume_id, offset_bytes, encoding, match, "
               "context, created) VALUES (?1, ?2, (SELECT id FROM file WHERE filesystem_id = ?3 AND file_key = ?4), "
               "CASE WHEN ?5 != 0 THEN ?5 ELSE ifnull((SELECT volume_id FROM filesystem WHERE id = ?3), 0) END, "
               "?6, ?7, ?8, ?9, ?10)");
  if (!st.ok()) return st.prepare_error();
  const int64_t now = NowUtcMicros();
  for (const auto& h : hits) {
    st.Bind(1, h.term)
        .Bind(2, h.term_kind)
        .Bind(3, h.filesystem_id)
        .Bind(4, h.file_key)
        .Bind(5, h.volume_id)
        .Bind(6, h.offset)
        .Bind(7, h.encoding)
        .Bind(8, h.match)
        .Bind(9, h.context)
        .Bind(10, now);
    CUSTOS_RETURN_IF_ERROR(st.Run());
  }
  return Status::Ok();
}

Status ForEachKeywordHit(CaseStore& store, const KeywordHitQuery& query,
                         const std::function<bool(const KeywordHitRow&)>& row) {
  std::string text =
      "SELECT k.id, k.term, k.term_kind, k.encoding, k.match, k.context, k.file_id, f.path, k.volume_id, "
      "ifnull(v.offset_bytes, 0), k.offset_bytes, ifnull(x.reference, ''), "
      "CASE WHEN k.file_id IS NULL THEN ifnull(v.offset_bytes, 0) + k.offset_bytes "
      "WHEN f.kind = 'slack' AND f.disk_offset >= 0 THEN f.disk_offset + k.offset_bytes END FROM keyword_hit k "
      "LEFT JOIN file f ON f.id = k.file_id LEFT JOIN volume v ON v.id = k.volume_id "
      "LEFT JOIN exhibit x ON x.id = v.exhibit_id WHERE 1";
  std::vector<std::string> binds;
  if (!query.term.empty()) {
    text += " AND k.term = ?" + std::to_string(binds.size() + 1);
    binds.push_back(query.term);
  }
  if (!query.kind.empty()) {
    text += " AND k.term_kind = ?" + std::to_string(binds.size() + 1);
    binds.push_back(query.kind);
  }
  if (!query.exhibit.empty()) {
    text += " AND x.reference = ?" + std::to_string(binds.size() + 1);
    binds.push_back(query.exhibit);
  }
  text += " ORDER BY x.reference, f.path IS NULL, f.path, k.volume_id, k.offset_bytes, k.id";
  if (query.limit >= 0) text += " LIMIT " + std::to_string(query.limit);
  Statement st(store.raw_handle(), text);
  if (!st.ok()) return st.prepare_error();
  for (size_t i = 0; i < binds.size(); ++i) st.Bind(static_cast<int>(i + 1), binds[i]);
  Status status;
  while (st.Step(&status)) {
    KeywordHitRow r;
    r.id = st.Int(0);
    r.term = st.Text(1);
    r.term_kind = st.Text(2);
    r.encoding = st.Text(3);
    r.match = st.Text(4);
    r.context = st.Text(5);
    r.file_id = st.OptInt(6);
    if (!st.IsNull(7)) r.path = st.Text(7);
    r.volume_id = st.Int(8);
    r.volume_offset = st.Int(9);
    r.offset = st.Int(10);
    r.exhibit = st.Text(11);
    r.media_offset = st.OptInt(12);
    if (!row(r)) break;
  }
  return status;
}

Result<std::vector<KeywordHitCount>> CountKeywordHits(CaseStore& store) {
  Statement st(store.raw_handle(),
               "SELECT term_kind, term, count(*), count(DISTINCT file_id), sum(file_id IS NULL) FROM keyword_hit "
               "GROUP BY term_kind, term ORDER BY term_kind, count(*) DESC, term");
  if (!st.ok()) return st.prepare_error();
  std::vector<KeywordHitCount> out;
  Status status;
  while (st.Step(&status)) out.push_back({st.Text(0), st.Text(1), st.Int(2), st.Int(3), st.Int(4)});
  if (!status.ok()) return status;
  return out;
}

}  // namespace custos
