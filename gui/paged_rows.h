// PagedRows: a virtual table of text rows over a query, fetched in pages of kPageRows off the UI thread, so
// that a view shows a million rows with ImGuiListClipper while holding only the pages near what is on
// screen.
//
// Contract:
//  - SetQuery() starts over (new filter, sort or case generation): the row count is fetched first, then
//    each page the first time Row() asks for one of its rows. Results of an older query are dropped.
//  - PagedRows appends " LIMIT <n> OFFSET <m>" to `page_sql`, or puts it where `page_sql` says kLimitHere (to
//    page inside a subquery, e.g. an index-only merge whose page of ids the outer query then looks up).
//  - At most kKeptPages pages are kept; the farthest from the last one asked for are dropped.
// Thread-safety: UI thread only (the jobs it submits copy what they need).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gui/case_queries.h"
#include "gui/query_worker.h"

namespace custos::viewer {

class PagedRows {
 public:
  static constexpr int64_t kPageRows = 256;
  static constexpr size_t kKeptPages = 24;
  static constexpr const char* kLimitHere = "/*LIMIT*/";

  // count_sql: "SELECT count(*) FROM ... WHERE ...", page_sql: "SELECT ... ORDER BY ..." (no LIMIT).
  void SetQuery(QueryWorker& worker, std::string count_sql, std::string page_sql, std::vector<std::string> binds);
  // Keeps the rows on screen while a refreshed copy of the same query loads (live refresh without blinking).
  void Refresh(QueryWorker& worker);
  // Rows in the result; -1 while the count is loading.
  int64_t count() const { return count_; }
  // The row, or nullptr while its page loads (the page is requested).
  const TextRow* Row(QueryWorker& worker, int64_t index);
  bool loading() const { return !requested_.empty() || count_ < 0; }
  const std::string& error() const { return error_; }

 private:
  void RequestCount(QueryWorker& worker);
  void RequestPage(QueryWorker& worker, int64_t page);

  std::string count_sql_, page_sql_;
  std::vector<std::string> binds_;
  uint64_t query_id_ = 0;  // bumps on SetQuery/Refresh; older results are dropped
  int64_t count_ = -1;
  std::map<int64_t, std::vector<TextRow>> pages_;
  std::set<int64_t> requested_;
  std::string error_;
};

}  // namespace custos::viewer
