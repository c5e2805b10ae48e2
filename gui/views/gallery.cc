// Gallery: every picture as a thumbnail, known-bad hash hits first, filtered by hash-set category, folder and
// deleted state, and graded from the keyboard for the charging decision (A, B, C, N not relevant, R needs
// review; Delete clears) through ReviewStore on the viewer's read-write connection. Thumbnails come from the
// `thumbnail` table, or are decoded from the evidence where triage made none, on the viewer's content thread
// (never the query thread); a thumbnail whose cell has scrolled out of sight before its turn is skipped, so a
// fast scroll through thousands of pictures decodes only what stays on screen.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <list>
#include <map>
#include <mutex>
#include <set>

#include "gui/case_queries.h"
#include "gui/paged_rows.h"
#include "gui/picture.h"
#include "gui/views/views.h"
#include "gui/widgets.h"
#include "triage/readback/stored_file_reader.h"
#include "triage/store/review_store.h"

namespace custos::viewer {

namespace {

constexpr int kThumbPixels = 160;
constexpr size_t kKeptThumbs = 600;

// Cells of a row of the gallery query.
enum Cell { kId = 0, kName, kPath, kDeleted, kGrade, kBadCategories, kThumbError };

// The file ids whose cells were on screen in the last frame: written by the UI thread, read by the content
// thread before it decodes a thumbnail.
class OnScreen {
 public:
  void Publish(std::set<int64_t> ids) {
    std::lock_guard<std::mutex> lock(mu_);
    ids_ = std::move(ids);
  }
  bool Contains(int64_t id) const {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_.count(id) > 0;
  }

 private:
  mutable std::mutex mu_;
  std::set<int64_t> ids_;  // GUARDED_BY(mu_)
};

struct Thumb {
  Texture texture;
  std::string error;
  bool done = false;
};

const char* GradeText(const std::string& g) {
  if (g == "not_relevant") return "N";
  if (g == "needs_review") return "R";
  return g.c_str();
}

struct GalleryView : View {
  struct State {
    uint64_t generation = UINT64_MAX;
    std::string category;  // "" all, "known_bad" any known-bad, else a category
    std::string folder;    // path contains
    int deleted = 0;       // 0 all, 1 only deleted, 2 only allocated
    std::vector<std::string> categories;
    PagedRows rows;
    int64_t selected = 0;
    std::map<int64_t, Thumb> thumbs;  // by file id
    std::list<int64_t> thumb_order;   // oldest first, for eviction
    bool scroll_to_selected = false;
    std::shared_ptr<OnScreen> on_screen = std::make_shared<OnScreen>();
    std::set<int64_t> drawn;  // cells drawn this frame
  } state;

  const char* name() const override { return "gallery"; }
  const char* title() const override { return "Gallery"; }
  const char* shortcuts() const override {
    return "arrows move, A/B/C grade, N not relevant, R needs review, Delete clears the grade, Ctrl+T tag, Ctrl+F "
           "folder, K / Shift+K next / previous hash-set category, D deleted or not";
  }

  void Open(ViewContext& ctx, const std::string& arg) override {
    if (arg == "known_bad") state.category = "known_bad";
    if (arg.rfind("category=", 0) == 0) state.category = arg.substr(9);
    if (arg.empty()) state.category.clear();
    Query(ctx);
  }

  void Query(ViewContext& ctx) {
    std::string where = " WHERE f.mime >= 'image/' AND f.mime < 'image0'";
    std::vector<std::string> binds;
    const std::string bad = "EXISTS (SELECT 1 FROM hash_hit h WHERE h.file_id = f.id AND h.set_kind = 'known_bad'";
    if (state.category == "known_bad") {
      where += " AND " + bad + ")";
    } else if (!state.category.empty()) {
      binds.push_back(state.category);
      where += " AND " + bad + " AND h.category = ?" + std::to_string(binds.size()) + ")";
    }
    if (!state.folder.empty()) {
      binds.push_back("%" + state.folder + "%");
      where += " AND f.path LIKE ?" + std::to_string(binds.size());
    }
    if (state.deleted == 1) where += " AND f.deleted = 1";
    if (state.deleted == 2) where += " AND f.deleted = 0";
    const std::string cols =
        "f.id, f.name, f.path, f.deleted, ifnull(g.grade, ''),"
        " ifnull((SELECT group_concat(DISTINCT h.category) FROM hash_hit h WHERE h.file_id = f.id"
        " AND h.set_kind = 'known_bad'), ''), ifnull(t.error, '')";
    const std::string from =
        " FROM file f LEFT JOIN picture_grade g ON g.file_id = f.id LEFT JOIN thumbnail t ON t.file_id = f.id";
    state.rows.SetQuery(*ctx.reads, "SELECT count(*) FROM file f" + where,
                        "SELECT " + cols + from + where + " ORDER BY " + bad + ") DESC, f.path, f.id", binds);
    state.selected = 0;
  }

  void Load(ViewContext& ctx) {
    const bool first = state.generation == UINT64_MAX;
    state.generation = ctx.generation;
    if (first) {
      Query(ctx);
    } else {
      state.rows.Refresh(*ctx.reads);
    }
    ctx.reads->Submit([this](CaseStore& store) -> QueryWorker::Apply {
      auto cats =
          QueryRows(store, "SELECT DISTINCT category FROM hash_hit WHERE set_kind = 'known_bad' ORDER BY 1", {});
      return [this, cats = std::move(cats)]() {
        state.categories.clear();
        if (cats.ok()) {
          for (const auto& r : *cats) state.categories.push_back(r[0]);
        }
      };
    });
  }

  Thumb& RequestThumb(ViewContext& ctx, int64_t file_id) {
    auto it = state.thumbs.find(file_id);
    if (it != state.thumbs.end()) return it->second;
    Thumb& t = state.thumbs[file_id];
    state.thumb_order.push_back(file_id);
    while (state.thumbs.size() > kKeptThumbs) {
      state.thumbs.erase(state.thumb_order.front());
      state.thumb_order.pop_front();
    }
    ctx.content->Submit([this, file_id, pager = ctx.evidence,
                         on_screen = state.on_screen](CaseStore& store) -> QueryWorker::Apply {
      if (!on_screen->Contains(file_id)) {
        // Scrolled past before its turn: forget it, so it is asked for again if it comes back into view.
        return [this, file_id]() {
          auto it = state.thumbs.find(file_id);
          if (it == state.thumbs.end() || it->second.done) return;
          state.thumbs.erase(it);
          state.thumb_order.remove(file_id);
        };
      }
      Result<Rgba> image = Status::NotFound("");
      auto stored = QueryRows(store, "SELECT jpeg, error FROM thumbnail WHERE file_id = ?1", {std::to_string(file_id)});
      if (stored.ok() && !stored->empty() && !stored->front()[0].empty()) {
        image = DecodePicture(stored->front()[0], kThumbPixels);
      } else {
        // No thumbnail from triage (yet): decode the picture itself from the evidence.
        auto whole = pager->Read(store, file_id, 0, StoredFileReader::kMaxRead);
        image = whole.ok() ? DecodePicture(whole->bytes, kThumbPixels) : Result<Rgba>(whole.status());
      }
      return [this, file_id, image = std::move(image)]() {
        auto it = state.thumbs.find(file_id);
        if (it == state.thumbs.end()) return;
        it->second.done = true;
        if (image.ok()) {
          it->second.texture.Upload(*image);
        } else {
          it->second.error = image.status().message();
        }
      };
    });
    return t;
  }

  void Grade(ViewContext& ctx, int64_t file_id, const std::string& grade, const std::string& path) {
    if (!ctx.writes) return;
    const std::string author = ctx.officer;
    ctx.writes->Submit([file_id, grade, author, path, &ctx](CaseStore& store) -> QueryWorker::Apply {
      ReviewStore review(store);
      Status st = grade.empty() ? review.ClearGrade(file_id, author) : review.SetGrade(file_id, grade, author);
      return [st, grade, path, &ctx]() {
        if (st.ok()) {
          ctx.notify((grade.empty() ? std::string("grade cleared: ") : "graded " + grade + ": ") + path);
          ctx.changed();
        } else {
          ctx.notify("grade not saved: " + st.message());
        }
      };
    });
  }

  // K / Shift+K step through "every picture", "any known-bad set" and each category; D through the deleted states.
  void FilterKeys(ViewContext& ctx) {
    if (ctx.typing || ImGui::GetIO().KeyCtrl) return;
    if (ImGui::IsKeyPressed(GLFW_KEY_K, false)) {
      std::vector<std::string> order = {"", "known_bad"};
      order.insert(order.end(), state.categories.begin(), state.categories.end());
      auto it = std::find(order.begin(), order.end(), state.category);
      size_t at = it == order.end() ? 0 : static_cast<size_t>(it - order.begin());
      at = ImGui::GetIO().KeyShift ? (at + order.size() - 1) % order.size() : (at + 1) % order.size();
      state.category = order[at];
      Query(ctx);
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_D, false)) {
      state.deleted = (state.deleted + 1) % 3;
      Query(ctx);
    }
  }

  void DrawFilters(ViewContext& ctx) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
    const std::string shown = state.category.empty()          ? "every picture"
                              : state.category == "known_bad" ? "any known-bad set"
                                                              : state.category;
    ImGui::TextUnformatted("(K)");
    ImGui::SameLine();
    if (ImGui::BeginCombo("hash set", shown.c_str())) {
      if (ImGui::Selectable("every picture", state.category.empty())) {
        state.category.clear();
        Query(ctx);
      }
      if (ImGui::Selectable("any known-bad set", state.category == "known_bad")) {
        state.category = "known_bad";
        Query(ctx);
      }
      for (const auto& c : state.categories) {
        if (ImGui::Selectable(c.empty() ? "(no category)" : c.c_str(), state.category == c)) {
          state.category = c;
          Query(ctx);
        }
      }
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (FilterField(ctx, "##folder", &state.folder, "folder contains (Ctrl+F)")) Query(ctx);
    ImGui::SameLine();
    const char* deleted[] = {"deleted and not (D)", "only deleted (D)", "only not deleted (D)"};
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    if (ImGui::Combo("##deleted", &state.deleted, deleted, 3)) Query(ctx);
    ImGui::SameLine();
    if (state.rows.count() >= 0) ImGui::Text("%s pictures", Thousands(state.rows.count()).c_str());
    if (state.rows.loading()) {
      ImGui::SameLine();
      Spinner("gallery");
    }
  }

  void Draw(ViewContext& ctx) override {
    if (state.generation != ctx.generation) Load(ctx);
    FilterKeys(ctx);
    DrawFilters(ctx);
    const int64_t count = std::max<int64_t>(0, state.rows.count());
    const float cell = ImGui::GetFontSize() * 9.5f;
    const float thumb = cell - ImGui::GetStyle().ItemSpacing.x * 2;
    const int columns = std::max(1, static_cast<int>((ImGui::GetContentRegionAvail().x - 20) / cell));
    // Keyboard: arrows move, grades on the selected picture.
    if (!ctx.typing && !ImGui::GetIO().KeyCtrl && count > 0) {
      int64_t s = state.selected;
      if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) ++s;
      if (ImGui::IsKeyPressed(GLFW_KEY_LEFT)) --s;
      if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) s += columns;
      if (ImGui::IsKeyPressed(GLFW_KEY_UP)) s -= columns;
      if (ImGui::IsKeyPressed(GLFW_KEY_HOME, false)) s = 0;
      if (ImGui::IsKeyPressed(GLFW_KEY_END, false)) s = count - 1;
      s = std::clamp<int64_t>(s, 0, count - 1);
      if (s != state.selected) {
        state.selected = s;
        state.scroll_to_selected = true;
      }
      if (const TextRow* row = state.rows.Row(*ctx.reads, state.selected)) {
        const int64_t id = std::stoll((*row)[kId]);
        const struct {
          int key;
          const char* grade;
        } keys[] = {{GLFW_KEY_A, "A"},
                    {GLFW_KEY_B, "B"},
                    {GLFW_KEY_C, "C"},
                    {GLFW_KEY_N, "not_relevant"},
                    {GLFW_KEY_R, "needs_review"},
                    {GLFW_KEY_DELETE, ""}};
        for (const auto& k : keys) {
          if (ImGui::IsKeyPressed(k.key, false)) Grade(ctx, id, k.grade, (*row)[kPath]);
        }
      }
    }
    const float detail_h = ImGui::GetTextLineHeightWithSpacing() * 3;
    ImGui::BeginChild("grid", ImVec2(0, -detail_h), true);
    const int64_t lines = (count + columns - 1) / columns;
    const float line_h = cell + ImGui::GetTextLineHeightWithSpacing() * 2;
    if (state.scroll_to_selected) {
      const float y = static_cast<float>(state.selected / columns) * line_h;
      if (y < ImGui::GetScrollY()) ImGui::SetScrollY(y);
      if (y + line_h > ImGui::GetScrollY() + ImGui::GetWindowHeight())
        ImGui::SetScrollY(y + line_h - ImGui::GetWindowHeight());
      state.scroll_to_selected = false;
    }
    state.drawn.clear();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(lines), line_h);
    while (clipper.Step()) {
      for (int line = clipper.DisplayStart; line < clipper.DisplayEnd; ++line) {
        for (int c = 0; c < columns; ++c) {
          const int64_t index = static_cast<int64_t>(line) * columns + c;
          if (index >= count) break;
          if (c > 0) ImGui::SameLine();
          DrawCell(ctx, index, cell, thumb, line_h);
        }
      }
    }
    ImGui::EndChild();
    state.on_screen->Publish(state.drawn);
    if (const TextRow* row = state.rows.Row(*ctx.reads, state.selected)) {
      ImGui::Text("%s", (*row)[kPath].c_str());
      ImGui::Text("grade: %s   %s%s%s", (*row)[kGrade].empty() ? "none" : (*row)[kGrade].c_str(),
                  (*row)[kDeleted] == "1" ? "DELETED   " : "",
                  (*row)[kBadCategories].empty() ? "" : "KNOWN-BAD: ", (*row)[kBadCategories].c_str());
      ctx.selection = {"file", std::stoll((*row)[kId]), (*row)[kPath]};
      auto thumb = state.thumbs.find(std::stoll((*row)[kId]));
      if (thumb != state.thumbs.end() && !thumb->second.error.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "   cannot show it: %s", thumb->second.error.c_str());
      }
    }
  }

  void DrawCell(ViewContext& ctx, int64_t index, float cell, float thumb, float line_h) {
    ImGui::BeginGroup();
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const TextRow* row = state.rows.Row(*ctx.reads, index);
    ImGui::PushID(static_cast<int>(index));
    if (ImGui::InvisibleButton("cell", ImVec2(cell - ImGui::GetStyle().ItemSpacing.x, line_h - 4))) {
      state.selected = index;
    }
    ImGui::PopID();
    const bool selected = index == state.selected;
    if (row) {
      const int64_t id = std::stoll((*row)[kId]);
      state.drawn.insert(id);
      Thumb& t = RequestThumb(ctx, id);
      const ImVec2 box(pos.x + 4, pos.y + 4);
      if (t.texture.id()) {
        const float f =
            std::min(thumb / static_cast<float>(t.texture.width()), thumb / static_cast<float>(t.texture.height()));
        const float w = static_cast<float>(t.texture.width()) * f, h = static_cast<float>(t.texture.height()) * f;
        const ImVec2 a(box.x + (thumb - w) / 2, box.y + (thumb - h) / 2);
        draw->AddImage(reinterpret_cast<ImTextureID>(static_cast<uintptr_t>(t.texture.id())), a,
                       ImVec2(a.x + w, a.y + h));
      } else {
        // Placeholder: a grey square, with the reason when the picture does not decode.
        draw->AddRectFilled(box, ImVec2(box.x + thumb, box.y + thumb), IM_COL32(60, 60, 66, 255));
        const char* text = t.done ? "cannot decode" : "...";
        draw->AddText(ImVec2(box.x + 6, box.y + thumb / 2 - 8), IM_COL32(200, 200, 200, 255), text);
        if (t.done && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.error.c_str());
      }
      const bool bad = !(*row)[kBadCategories].empty();
      const bool deleted = (*row)[kDeleted] == "1";
      if (bad) draw->AddRect(box, ImVec2(box.x + thumb, box.y + thumb), IM_COL32(230, 60, 60, 255), 0, 0, 3);
      if (!(*row)[kGrade].empty()) {
        const char* g = GradeText((*row)[kGrade]);
        draw->AddRectFilled(ImVec2(box.x, box.y), ImVec2(box.x + 26, box.y + 22), IM_COL32(240, 200, 40, 255));
        draw->AddText(ImVec2(box.x + 8, box.y + 3), IM_COL32(0, 0, 0, 255), g);
      }
      std::string label = (*row)[kName];
      if (deleted) label = "[del] " + label;
      ImGui::PushClipRect(ImVec2(pos.x, pos.y), ImVec2(pos.x + cell - 8, pos.y + line_h), true);
      draw->AddText(ImVec2(box.x, box.y + thumb + 4),
                    deleted ? IM_COL32(255, 120, 100, 255) : IM_COL32(220, 220, 220, 255), label.c_str());
      ImGui::PopClipRect();
    }
    if (selected) {
      draw->AddRect(pos, ImVec2(pos.x + cell - ImGui::GetStyle().ItemSpacing.x, pos.y + line_h - 4),
                    IM_COL32(80, 160, 255, 255), 4, 0, 3);
    }
    ImGui::EndGroup();
  }
};

}  // namespace

std::unique_ptr<View> MakeGalleryView() { return std::make_unique<GalleryView>(); }

}  // namespace custos::viewer
