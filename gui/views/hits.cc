// Hits: the keyword hits with their context (term, match, where: a file or unallocated space), sortable and
// filtered as you type; and "search everything", one query across file names and paths, artefact summaries,
// keyword-hit context and tag notes.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include "gui/case_queries.h"
#include "gui/paged_rows.h"
#include "gui/views/views.h"
#include "gui/widgets.h"

namespace custos::viewer {

namespace {

struct HitsView : View {
  struct State {
    uint64_t generation = UINT64_MAX;
    int mode = 0;  // 0 keyword hits, 1 search everything
    std::string filter;
    TableSort sort;
    PagedRows rows;
    int64_t selected = -1;
  } state;

  const char* name() const override { return "hits"; }
  const char* title() const override { return "Hits & search"; }
  const char* shortcuts() const override {
    return "F2 keyword hits, F3 search everything, Ctrl+F filter/search, Up/Down rows, Ctrl+T tag the hit";
  }

  void Open(ViewContext& ctx, const std::string& arg) override {
    if (arg == "search") state.mode = 1;
    Query(ctx);
  }

  void Query(ViewContext& ctx) {
    state.selected = -1;
    const std::string dir = state.sort.descending ? " DESC" : "";
    if (state.mode == 0) {
      std::string where;
      std::vector<std::string> binds;
      if (!state.filter.empty()) {
        where = " WHERE (k.term LIKE ?1 OR k.match LIKE ?1 OR k.context LIKE ?1)";
        binds.push_back("%" + state.filter + "%");
      }
      const char* order[] = {"k.term", "k.match", "k.context", "f.path", "k.offset_bytes", "k.encoding"};
      state.rows.SetQuery(
          *ctx.reads, "SELECT count(*) FROM keyword_hit k" + where,
          "SELECT k.id, k.term || ' (' || k.term_kind || ')', k.match, replace(k.context, char(10), ' '),"
          " ifnull(f.path, 'unallocated, volume ' || k.volume_id), k.offset_bytes, k.encoding,"
          " CASE WHEN f.path IS NULL THEN '' ELSE f.path END"
          " FROM keyword_hit k LEFT JOIN file f ON f.id = k.file_id" +
              where + " ORDER BY " + order[std::clamp(state.sort.column, 0, 5)] + dir + ", k.id",
          binds);
      return;
    }
    if (state.filter.size() < 2) {
      state.rows.SetQuery(*ctx.reads, "SELECT 0", "SELECT 1 WHERE 0", {});
      return;
    }
    const std::string all =
        "SELECT 'file' AS what, id, path AS about, ifnull(mime, '') AS detail FROM file WHERE path LIKE ?1"
        " UNION ALL SELECT 'artefact', id, kind, summary FROM artefact"
        "   WHERE id IN (SELECT rowid FROM artefact_summary_fts WHERE summary LIKE ?1)"
        " UNION ALL SELECT 'keyword_hit', id, term, replace(context, char(10), ' ') FROM keyword_hit"
        "   WHERE context LIKE ?1 OR match LIKE ?1"
        " UNION ALL SELECT 'tag', id, label, note FROM tag WHERE note LIKE ?1";
    const char* order[] = {"what", "about", "detail"};
    state.rows.SetQuery(*ctx.reads, "SELECT count(*) FROM (" + all + ")",
                        "SELECT id, what, about, detail FROM (" + all + ") ORDER BY " +
                            order[std::clamp(state.sort.column, 0, 2)] + dir + ", id",
                        {"%" + state.filter + "%"});
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
    }
    const int mode = state.mode;
    if (ImGui::IsKeyPressed(GLFW_KEY_F2, false)) state.mode = 0;
    if (ImGui::IsKeyPressed(GLFW_KEY_F3, false)) {
      state.mode = 1;
      ctx.focus_filter = true;
    }
    ImGui::RadioButton("Keyword hits (F2)", &state.mode, 0);
    ImGui::SameLine();
    ImGui::RadioButton("Search everything (F3)", &state.mode, 1);
    if (mode != state.mode) {
      state.sort = TableSort{};
      Query(ctx);
    }
    ImGui::SameLine();
    if (FilterField(ctx, "##filter", &state.filter,
                    state.mode == 0 ? "filter hits as you type (Ctrl+F)" : "search files, artefacts, hits, tags")) {
      Query(ctx);
    }
    ImGui::SameLine();
    if (state.rows.count() >= 0) ImGui::Text("%s rows", Thousands(state.rows.count()).c_str());
    if (state.rows.loading()) {
      ImGui::SameLine();
      Spinner("hits");
    }
    if (!state.rows.error().empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", state.rows.error().c_str());
    if (state.mode == 1 && state.filter.size() < 2) ImGui::TextDisabled("Type at least two characters to search.");
    if (state.mode == 0 && state.rows.count() == 0 && state.filter.empty()) {
      ImGui::TextDisabled("No keyword hits in this case: keyword search has not run on it, or found nothing.");
    }
    std::vector<TableColumn> columns;
    if (state.mode == 0) {
      columns = {{"term", 10}, {"match", 10}, {"context", 0}, {"where", 14}, {"offset", 6}, {"encoding", 6}};
    } else {
      columns = {{"what", 6}, {"about", 18}, {"detail", 0}};
    }
    const float detail_h = ImGui::GetTextLineHeightWithSpacing() * 5;
    if (PagedTable(ctx, "hits", columns, state.rows, 1, &state.selected, &state.sort,
                   ImGui::GetContentRegionAvail().y - detail_h)) {
      Query(ctx);
    }
    const TextRow* row = state.selected >= 0 ? state.rows.Row(*ctx.reads, state.selected) : nullptr;
    if (!row) return;
    if (state.mode == 0) {
      ctx.selection = {"keyword_hit", std::stoll((*row)[0]), (*row)[1] + " in " + (*row)[4]};
      ImGui::TextWrapped("%s", (*row)[3].c_str());
      ImGui::TextDisabled("%s at offset %s (%s)", (*row)[4].c_str(), (*row)[5].c_str(), (*row)[6].c_str());
    } else {
      const std::string& what = (*row)[1];
      if (what != "tag") ctx.selection = {what, std::stoll((*row)[0]), (*row)[2] + ": " + (*row)[3]};
      ImGui::TextWrapped("%s %s: %s", what.c_str(), (*row)[2].c_str(), (*row)[3].c_str());
    }
  }
};

}  // namespace

std::unique_ptr<View> MakeHitsView() { return std::make_unique<HitsView>(); }

}  // namespace custos::viewer
