// Shared drawing helpers (see widgets.h).
#define GLFW_INCLUDE_NONE
#include "gui/widgets.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>  // TableSetColumnSortDirection: the keyboard sorts as a header click does
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>

namespace custos::viewer {

void Spinner(const char* id) {
  ImGui::PushID(id);
  const float size = ImGui::GetTextLineHeight();
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(size, size));
  const float t = static_cast<float>(ImGui::GetTime());
  const ImVec2 centre(pos.x + size / 2, pos.y + size / 2);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->PathClear();
  const float start = t * 6.0f;
  for (int i = 0; i <= 24; ++i) {
    const float a = start + static_cast<float>(i) / 24.0f * 4.5f;
    draw->PathLineTo(ImVec2(centre.x + std::cos(a) * size * 0.4f, centre.y + std::sin(a) * size * 0.4f));
  }
  draw->PathStroke(ImGui::GetColorU32(ImGuiCol_Text), false, std::max(2.0f, size / 8));
  ImGui::PopID();
}

bool FilterField(ViewContext& ctx, const char* id, std::string* text, const char* hint) {
  if (ctx.focus_filter) {
    ImGui::SetKeyboardFocusHere();
    ctx.focus_filter = false;
  }
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 24));
  return ImGui::InputTextWithHint(id, hint, text);
}

bool MoveSelection(ViewContext& ctx, int64_t count, int64_t page, int64_t* selected) {
  if (ctx.typing || count <= 0) return false;
  const int keys[] = {GLFW_KEY_DOWN, GLFW_KEY_UP, GLFW_KEY_PAGE_DOWN, GLFW_KEY_PAGE_UP, GLFW_KEY_HOME, GLFW_KEY_END};
  bool any = false;
  for (int k : keys) any |= ImGui::IsKeyPressed(k);
  if (!any) return false;
  int64_t s = *selected;
  if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) s = s < 0 ? 0 : s + 1;
  if (ImGui::IsKeyPressed(GLFW_KEY_UP)) s = s < 0 ? 0 : s - 1;
  if (ImGui::IsKeyPressed(GLFW_KEY_PAGE_DOWN)) s += page;
  if (ImGui::IsKeyPressed(GLFW_KEY_PAGE_UP)) s -= page;
  if (ImGui::IsKeyPressed(GLFW_KEY_HOME, false)) s = 0;
  if (ImGui::IsKeyPressed(GLFW_KEY_END, false)) s = count - 1;
  s = std::clamp<int64_t>(s, 0, count - 1);
  if (s == *selected) return false;
  *selected = s;
  return true;
}

bool PagedTable(ViewContext& ctx, const char* id, const std::vector<TableColumn>& columns, PagedRows& rows,
                int first_cell, int64_t* selected, TableSort* sort, float height) {
  bool sort_changed = false;
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                                ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersV |
                                ImGuiTableFlags_Resizable | ImGuiTableFlags_Reorderable | ImGuiTableFlags_Hideable;
  if (!ImGui::BeginTable(id, static_cast<int>(columns.size()), flags, ImVec2(0, height))) return false;
  ImGui::TableSetupScrollFreeze(0, 1);
  // With horizontal scrolling every column has a width; a "stretch" column (width 0) gets what the fixed ones
  // leave of the window, and at least 16 ems.
  const float em = ImGui::GetFontSize();
  float fixed = 0;
  size_t stretch = 0;
  for (const auto& c : columns) {
    fixed += c.width * em;
    stretch += c.width <= 0;
  }
  const float spare = ImGui::GetContentRegionAvail().x - fixed - em * static_cast<float>(columns.size());
  const float stretch_width = stretch ? std::max(16 * em, spare / static_cast<float>(stretch)) : 0;
  for (size_t c = 0; c < columns.size(); ++c) {
    ImGuiTableColumnFlags cf = ImGuiTableColumnFlags_WidthFixed;
    if (static_cast<int>(c) == sort->column) cf |= ImGuiTableColumnFlags_DefaultSort;
    ImGui::TableSetupColumn(columns[c].header.c_str(), cf,
                            columns[c].width > 0 ? columns[c].width * em : stretch_width);
  }
  ImGui::TableHeadersRow();
  if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs()) {
    if (specs->SpecsDirty && specs->SpecsCount > 0) {
      const int column = specs->Specs[0].ColumnIndex;
      const bool desc = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
      if (column != sort->column || desc != sort->descending) {
        sort->column = column;
        sort->descending = desc;
        sort_changed = true;
      }
      specs->SpecsDirty = false;
    }
  }
  const bool focused = ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows);
  // The keyboard's way to sort, as a click on a header: Alt+Right / Alt+Left sort by the next / previous
  // column, Alt+R reverses the order. The header shows the arrow as if clicked.
  if (focused && !ctx.typing && ImGui::GetIO().KeyAlt && !columns.empty()) {
    const int n = static_cast<int>(columns.size());
    int column = std::clamp(sort->column, 0, n - 1);
    bool desc = sort->descending;
    if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) column = (column + 1) % n;
    if (ImGui::IsKeyPressed(GLFW_KEY_LEFT)) column = (column + n - 1) % n;
    if (ImGui::IsKeyPressed(GLFW_KEY_R, false)) desc = !desc;
    if (column != sort->column || desc != sort->descending) {
      sort->column = column;
      sort->descending = desc;
      sort_changed = true;
      ImGui::TableSetColumnSortDirection(column, desc ? ImGuiSortDirection_Descending : ImGuiSortDirection_Ascending,
                                         false);
    }
  }
  const int64_t count = std::max<int64_t>(rows.count(), 0);
  const float row_height = ImGui::GetTextLineHeightWithSpacing();
  const int64_t visible = std::max<int64_t>(1, static_cast<int64_t>(height / row_height) - 2);
  bool moved = false;
  if (focused) moved = MoveSelection(ctx, count, visible, selected);
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(std::min<int64_t>(count, INT32_MAX)), row_height);
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      ImGui::TableNextRow(ImGuiTableRowFlags_None, row_height);
      const TextRow* row = rows.Row(*ctx.reads, i);
      ImGui::TableSetColumnIndex(0);
      ImGui::PushID(i);
      const bool is_selected = *selected == i;
      const std::string first = row && static_cast<size_t>(first_cell) < row->size() ? (*row)[first_cell] : "…";
      if (ImGui::Selectable(first.c_str(), is_selected,
                            ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
        *selected = i;
      }
      ImGui::PopID();
      for (size_t c = 1; c < columns.size() && row; ++c) {
        ImGui::TableSetColumnIndex(static_cast<int>(c));
        const size_t at = static_cast<size_t>(first_cell) + c;
        if (at < row->size()) ImGui::TextUnformatted((*row)[at].c_str());
      }
    }
  }
  if (moved) {
    // Keep the selected row on screen: scroll just enough, as a list box does.
    const float y = static_cast<float>(*selected) * row_height;
    const float top = ImGui::GetScrollY();
    const float view = ImGui::GetWindowHeight() - 2 * row_height;
    if (y < top) ImGui::SetScrollY(y);
    if (y > top + view) ImGui::SetScrollY(y - view);
  }
  ImGui::EndTable();
  return sort_changed;
}

std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace custos::viewer
