// PagedRows (see paged_rows.h).
#include "gui/paged_rows.h"

#include <cstdlib>

namespace custos::viewer {

void PagedRows::SetQuery(QueryWorker& worker, std::string count_sql, std::string page_sql,
                         std::vector<std::string> binds) {
  count_sql_ = std::move(count_sql);
  page_sql_ = std::move(page_sql);
  binds_ = std::move(binds);
  ++query_id_;
  count_ = -1;
  pages_.clear();
  requested_.clear();
  error_.clear();
  RequestCount(worker);
}

void PagedRows::Refresh(QueryWorker& worker) {
  if (count_sql_.empty()) return;
  ++query_id_;
  requested_.clear();
  RequestCount(worker);
  // Pages on screen are fetched again; until they arrive the old rows stay visible.
  std::vector<int64_t> kept;
  for (const auto& [page, rows] : pages_) kept.push_back(page);
  for (int64_t page : kept) RequestPage(worker, page);
}

void PagedRows::RequestCount(QueryWorker& worker) {
  const uint64_t id = query_id_;
  worker.Submit([this, id, sql = count_sql_, binds = binds_](CaseStore& store) -> QueryWorker::Apply {
    auto n = QueryInt(store, sql, binds);
    return [this, id, n]() {
      if (id != query_id_) return;
      if (n.ok()) {
        count_ = *n;
      } else {
        count_ = 0;
        error_ = n.status().message();
      }
    };
  });
}

void PagedRows::RequestPage(QueryWorker& worker, int64_t page) {
  requested_.insert(page);
  const uint64_t id = query_id_;
  const std::string limit = " LIMIT " + std::to_string(kPageRows) + " OFFSET " + std::to_string(page * kPageRows);
  std::string sql = page_sql_;
  if (const size_t at = sql.find(kLimitHere); at != std::string::npos) {
    sql.replace(at, std::string_view(kLimitHere).size(), limit);
  } else {
    sql += limit;
  }
  worker.Submit([this, id, page, sql, binds = binds_](CaseStore& store) -> QueryWorker::Apply {
    auto rows = QueryRows(store, sql, binds, static_cast<size_t>(kPageRows));
    return [this, id, page, rows = std::move(rows)]() mutable {
      if (id != query_id_) return;
      requested_.erase(page);
      if (!rows.ok()) {
        error_ = rows.status().message();
        return;
      }
      pages_[page] = std::move(rows.value());
    };
  });
}

const TextRow* PagedRows::Row(QueryWorker& worker, int64_t index) {
  if (index < 0 || (count_ >= 0 && index >= count_)) return nullptr;
  const int64_t page = index / kPageRows;
  auto it = pages_.find(page);
  if (it == pages_.end()) {
    if (!requested_.count(page)) {
      RequestPage(worker, page);
      while (pages_.size() > kKeptPages) {  // drop the page farthest from this one
        auto far = pages_.begin();
        for (auto p = pages_.begin(); p != pages_.end(); ++p) {
          if (std::llabs(p->first - page) > std::llabs(far->first - page)) far = p;
        }
        pages_.erase(far);
      }
    }
    return nullptr;
  }
  const size_t at = static_cast<size_t>(index - page * kPageRows);
  return at < it->second.size() ? &it->second[at] : nullptr;
}

}  // namespace custos::viewer
