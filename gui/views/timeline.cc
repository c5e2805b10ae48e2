// Timeline: every timed artefact and every file time (modified, accessed, changed, created) merged in time
// order, with a histogram of the period shown: click a bar (or press Z on the selected row's bar) to zoom
// into it, Backspace to zoom out; filtered by source and by kind as you type.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <ctime>

#include "gui/case_queries.h"
#include "gui/paged_rows.h"
#include "gui/views/views.h"
#include "gui/widgets.h"
#include "triage/base/format.h"

namespace custos::viewer {

namespace {

constexpr int kBars = 120;

struct TimelineView : View {
  struct State {
    uint64_t generation = UINT64_MAX;
    bool sources[5] = {true, true, false, false, true};  // artefacts, modified, accessed, changed, created
    std::string filter;
    std::string kind;                               // one artefact kind only ("" = every kind and the file times)
    std::vector<std::string> kinds;                 // the declared kinds, for the menu
    std::vector<std::pair<int64_t, int64_t>> zoom;  // stack of [from, to) ranges; empty = everything
    int64_t lo = 0, hi = 0;                         // the range the histogram covers
    std::vector<int64_t> bars;
    uint64_t histogram_id = 0;
    TableSort sort;
    PagedRows rows;
    int64_t selected = -1;
  } state;

  const char* name() const override { return "timeline"; }
  const char* title() const override { return "Timeline"; }
  const char* shortcuts() const override {
    return "click a bar to zoom in, Backspace zooms out, 1-5 toggle sources, K / Shift+K next / previous kind, "
           "Ctrl+F filter kind or text, Up/Down rows";
  }

  // The merged events as one SQL source of (t, src, id): src 0 is an artefact, 1-4 a file's modified, accessed,
  // changed and created time. Each part reads only an index (artefact(kind, time) or artefact(time), and
  // file(mtime)... from schema migration 5) and SQLite merges them in time order, so a page at any depth of
  // two million events, the count and the histogram never read the tables themselves; the text filter goes
  // through the trigram index of summaries (paths are matched by LIKE).
  std::string Events(std::vector<std::string>* binds) const {
    std::string range;
    if (!state.zoom.empty()) {
      binds->push_back(std::to_string(state.zoom.back().first));
      binds->push_back(std::to_string(state.zoom.back().second));
      range = " AND %1 >= ?1 AND %1 < ?2";
    }
    auto with = [&range](const std::string& col) {
      std::string r = range;
      for (size_t at; (at = r.find("%1")) != std::string::npos;) r.replace(at, 2, col);
      return r;
    };
    std::string text;
    if (!state.filter.empty()) {
      binds->push_back("%" + state.filter + "%");
      text = "?" + std::to_string(binds->size());
    }
    std::vector<std::string> parts;
    if (state.sources[0]) {
      std::string where = "time IS NOT NULL" + with("time");
      if (!state.kind.empty()) {
        binds->push_back(state.kind);
        where += " AND kind = ?" + std::to_string(binds->size());
      }
      if (!text.empty()) {
        where += " AND (kind LIKE " + text + " OR id IN (SELECT rowid FROM artefact_summary_fts WHERE summary LIKE " +
                 text + "))";
      }
      parts.push_back("SELECT time AS t, 0 AS src, id FROM artefact WHERE " + where);
    }
    const char* cols[] = {"mtime", "atime", "ctime", "crtime"};
    for (int i = 0; i < 4; ++i) {
      if (!state.sources[i + 1] || !state.kind.empty()) continue;  // a chosen artefact kind: artefacts only
      std::string where = std::string(cols[i]) + " IS NOT NULL" + with(cols[i]);
      if (!text.empty()) where += " AND path LIKE " + text;
      parts.push_back(std::string("SELECT ") + cols[i] + ", " + std::to_string(i + 1) + ", id FROM file WHERE " +
                      where);
    }
    if (parts.empty()) return "SELECT 0 AS t, 0 AS src, 0 AS id WHERE 0";
    std::string all;
    for (const auto& p : parts) all += (all.empty() ? "" : " UNION ALL ") + p;
    return all;
  }

  void Query(ViewContext& ctx) {
    state.selected = -1;
    std::vector<std::string> binds;
    const std::string events = Events(&binds);
    const std::string dir = state.sort.descending ? " DESC" : "";
    // Time order pages inside the index-only merge, then looks up the page's own rows; the other orders sort.
    const std::string source = "CASE e.src WHEN 0 THEN 'artefact' ELSE 'file' END";
    const std::string kind =
        "CASE e.src WHEN 0 THEN (SELECT kind FROM artefact WHERE id = e.id) WHEN 1 THEN 'file modified'"
        " WHEN 2 THEN 'file accessed' WHEN 3 THEN 'file changed' ELSE 'file created' END";
    const std::string what =
        "CASE e.src WHEN 0 THEN (SELECT summary FROM artefact WHERE id = e.id) ELSE (SELECT path FROM file WHERE id ="
        " e.id) END";
    const std::string cols = "e.id, " + SqlTime("e.t") + ", " + source + ", " + kind + ", " + what + ", " + source;
    if (state.sort.column == 0) {
      // The page is cut inside the merge of the indexes (no sort of every event, no table read for the rows
      // skipped), then its 256 rows are looked up.
      state.rows.SetQuery(*ctx.reads, "SELECT count(*) FROM (" + events + ")",
                          "SELECT " + cols + " FROM (" + events + " ORDER BY 1" + dir + ", 3" + dir +
                              std::string(PagedRows::kLimitHere) + ") e ORDER BY e.t" + dir + ", e.id" + dir,
                          binds);
    } else {
      const char* order[] = {"2", "3", "4", "5"};
      state.rows.SetQuery(*ctx.reads, "SELECT count(*) FROM (" + events + ")",
                          "SELECT " + cols + " FROM (" + events + ") e ORDER BY " +
                              order[std::clamp(state.sort.column, 0, 3)] + dir + ", e.t, e.id",
                          binds);
    }
    // The histogram of the same events over their own span (or the zoomed range).
    const uint64_t id = ++state.histogram_id;
    ctx.reads->Submit([this, id, events, binds](CaseStore& store) -> QueryWorker::Apply {
      auto span = QueryRows(store, "SELECT min(t), max(t) FROM (" + events + ")", binds);
      int64_t lo = 0, hi = 0;
      std::vector<int64_t> bars(kBars, 0);
      if (span.ok() && !span->empty() && !span->front()[0].empty()) {
        lo = std::stoll(span->front()[0]);
        hi = std::stoll(span->front()[1]) + 1;
        std::vector<std::string> b = binds;
        b.push_back(std::to_string(lo));
        b.push_back(std::to_string(hi - lo));
        const std::string lo_at = "?" + std::to_string(b.size() - 1), width_at = "?" + std::to_string(b.size());
        auto counts = QueryRows(store,
                                "SELECT (t - " + lo_at + ") * " + std::to_string(kBars) + " / " + width_at +
                                    " AS bar, count(*) FROM (" + events + ") GROUP BY bar",
                                b);
        if (counts.ok()) {
          for (const auto& r : *counts) {
            const int64_t bar = std::stoll(r[0]);
            if (bar >= 0 && bar < kBars) bars[static_cast<size_t>(bar)] = std::stoll(r[1]);
          }
        }
      }
      return [this, id, lo, hi, bars = std::move(bars)]() mutable {
        if (id != state.histogram_id) return;
        state.lo = lo;
        state.hi = hi;
        state.bars = std::move(bars);
      };
    });
  }

  // The artefact kinds that have timed rows, for the kind filter.
  void LoadKinds(ViewContext& ctx) {
    ctx.reads->Submit([this](CaseStore& store) -> QueryWorker::Apply {
      // From the index artefact_kind_time: only the kinds that have timed rows.
      auto rows = QueryRows(store, "SELECT DISTINCT kind FROM artefact WHERE time IS NOT NULL ORDER BY kind", {});
      return [this, rows = std::move(rows)]() {
        if (!rows.ok()) return;
        state.kinds.clear();
        for (const auto& r : *rows) state.kinds.push_back(r[0]);
      };
    });
  }

  void DrawHistogram(ViewContext& ctx) {
    const float height = ImGui::GetFontSize() * 5;
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::InvisibleButton("histogram", ImVec2(width, height));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + height), IM_COL32(30, 32, 38, 255));
    int64_t peak = 1;
    for (int64_t v : state.bars) peak = std::max(peak, v);
    const float bar_w = width / kBars;
    for (size_t i = 0; i < state.bars.size(); ++i) {
      if (state.bars[i] == 0) continue;
      const float h = std::max(2.0f, height * static_cast<float>(state.bars[i]) / static_cast<float>(peak));
      const float x = pos.x + static_cast<float>(i) * bar_w;
      draw->AddRectFilled(ImVec2(x + 1, pos.y + height - h), ImVec2(x + bar_w - 1, pos.y + height),
                          IM_COL32(90, 150, 230, 255));
    }
    if (ImGui::IsItemHovered() && state.hi > state.lo) {
      const int bar = std::clamp(static_cast<int>((ImGui::GetIO().MousePos.x - pos.x) / bar_w), 0, kBars - 1);
      const int64_t from = state.lo + (state.hi - state.lo) * bar / kBars;
      const int64_t to = state.lo + (state.hi - state.lo) * (bar + 1) / kBars;
      ImGui::SetTooltip("%s\nto %s\n%s events (click to zoom in)", FormatUtc(from).c_str(), FormatUtc(to).c_str(),
                        Thousands(state.bars.empty() ? 0 : state.bars[static_cast<size_t>(bar)]).c_str());
      if (ImGui::IsItemClicked() && to > from) {
        state.zoom.push_back({from, to});
        Query(ctx);
      }
    }
    ImGui::TextDisabled("%s", state.hi > state.lo ? FormatUtc(state.lo).c_str() : "");
    ImGui::SameLine(std::max(0.0f, width - ImGui::GetFontSize() * 13));
    ImGui::TextDisabled("%s", state.hi > state.lo ? FormatUtc(state.hi).c_str() : "");
  }

  void Draw(ViewContext& ctx) override {
    if (state.generation != ctx.generation) {
      const bool first = state.generation == UINT64_MAX;
      state.generation = ctx.generation;
      if (first) {
        Query(ctx);
      } else {
        state.rows.Refresh(*ctx.reads);
      }
      LoadKinds(ctx);
    }
    const char* labels[] = {"artefacts (1)", "modified (2)", "accessed (3)", "changed (4)", "created (5)"};
    bool changed = false;
    for (int i = 0; i < 5; ++i) {
      if (i > 0) ImGui::SameLine();
      changed |= ImGui::Checkbox(labels[i], &state.sources[i]);
      if (!ctx.typing && !ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_1 + i, false)) {
        state.sources[i] = !state.sources[i];
        changed = true;
      }
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
    if (ImGui::BeginCombo("##kind", state.kind.empty() ? "every kind (K)" : state.kind.c_str())) {
      if (ImGui::Selectable("every kind", state.kind.empty())) {
        state.kind.clear();
        changed = true;
      }
      for (const auto& k : state.kinds) {
        if (ImGui::Selectable(k.c_str(), state.kind == k)) {
          state.kind = k;
          changed = true;
        }
      }
      ImGui::EndCombo();
    }
    // K and Shift+K step through the kinds (one kind shows its artefacts only).
    if (!ctx.typing && !ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_K, false) && !state.kinds.empty()) {
      auto it = std::find(state.kinds.begin(), state.kinds.end(), state.kind);
      const bool back = ImGui::GetIO().KeyShift;
      if (it == state.kinds.end()) {
        state.kind = back ? state.kinds.back() : state.kinds.front();
      } else if (back) {
        state.kind = it == state.kinds.begin() ? "" : *(it - 1);
      } else {
        state.kind = it + 1 == state.kinds.end() ? "" : *(it + 1);
      }
      changed = true;
    }
    ImGui::SameLine();
    changed |= FilterField(ctx, "##filter", &state.filter, "kind or text (Ctrl+F)");
    if (!ctx.typing && ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE, false) && !state.zoom.empty()) {
      state.zoom.pop_back();
      changed = true;
    }
    if (changed) Query(ctx);
    if (!state.zoom.empty()) {
      ImGui::Text("Zoomed: %s to %s", FormatUtc(state.zoom.back().first).c_str(),
                  FormatUtc(state.zoom.back().second).c_str());
      ImGui::SameLine();
      if (ImGui::SmallButton("zoom out (Backspace)")) {
        state.zoom.pop_back();
        Query(ctx);
      }
    }
    DrawHistogram(ctx);
    if (state.rows.count() >= 0) ImGui::Text("%s events", Thousands(state.rows.count()).c_str());
    if (state.rows.loading()) {
      ImGui::SameLine();
      Spinner("timeline");
    }
    const std::vector<TableColumn> columns = {{"time (UTC)", 10}, {"source", 5}, {"kind", 10}, {"what", 0}};
    if (PagedTable(ctx, "events", columns, state.rows, 1, &state.selected, &state.sort,
                   ImGui::GetContentRegionAvail().y)) {
      Query(ctx);
    }
    if (const TextRow* row = state.selected >= 0 ? state.rows.Row(*ctx.reads, state.selected) : nullptr) {
      ctx.selection = {(*row)[5], std::stoll((*row)[0]), (*row)[3] + ": " + (*row)[4]};
    }
  }
};

}  // namespace

std::unique_ptr<View> MakeTimelineView() { return std::make_unique<TimelineView>(); }

}  // namespace custos::viewer
