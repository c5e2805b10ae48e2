// Files: the file-system tree per exhibit and volume (folders fetched as they are opened), the table of the
// selected folder (deleted and orphan entries marked; sortable, filtered, paged), and the content preview
// (hex, text, picture) read back from the evidence (StoredFileReader). Opened with "deleted", it lists every
// deleted file instead. F6 moves the keyboard between the tree and the table; in the tree, Up/Down move
// through the folders shown (and list each), Right opens a folder or goes into it, Left closes it or goes to
// its parent, Enter goes to the table.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <map>
#include <set>

#include "gui/case_queries.h"
#include "gui/paged_rows.h"
#include "gui/preview.h"
#include "gui/views/views.h"
#include "gui/widgets.h"

namespace custos::viewer {

namespace {

struct FileSystemNode {
  int64_t id = 0;
  std::string label;
};

struct Folder {
  std::string path, name;
};

// A folder of the tree as drawn: its file system and path.
struct TreeNode {
  int64_t fs_id = 0;
  std::string path;
  bool operator==(const TreeNode& o) const { return fs_id == o.fs_id && path == o.path; }
};

std::string NodeKey(int64_t fs_id, const std::string& path) { return std::to_string(fs_id) + ":" + path; }

std::string ParentOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

// The range of paths under a folder: "/a" -> ["/a/", "/a0"), which the path index answers.
std::pair<std::string, std::string> Below(const std::string& folder) {
  const std::string prefix = folder == "/" ? "/" : folder + "/";
  std::string upper = prefix;
  upper.back() = static_cast<char>('/' + 1);
  return {prefix, upper};
}

struct FilesView : View {
  struct State {
    uint64_t generation = UINT64_MAX;
    std::vector<FileSystemNode> filesystems;
    std::map<std::string, std::vector<Folder>> children;  // "fs:path" -> subfolders
    std::set<std::string> requested;
    int64_t fs_id = 0;
    std::string folder = "/";
    bool deleted_mode = false;
    int64_t inside = 0;  // a file whose contents (archive members, carved objects) are listed; 0 = none
    std::string inside_path;
    bool need_query = false;  // the first file system arrived: show its root
    std::string filter;
    TableSort sort;
    PagedRows rows;
    int64_t selected_row = -1;
    ContentPreview preview;
    bool tree_keys = false;   // the keyboard is in the tree (F6 switches)
    bool focus_tree = false;  // give the tree (or the table) the focus next frame
    bool focus_table = false;
    bool scroll_tree = false;       // bring the current folder into the tree's view
    std::set<std::string> opened;   // "fs:path" of the folders open in the tree
    std::vector<TreeNode> shown;    // the tree's folders in drawing order, last frame
    std::vector<TreeNode> drawing;  // the same, being collected this frame
  } state;

  const char* name() const override { return "files"; }
  const char* title() const override { return "Files"; }
  const char* shortcuts() const override {
    return "F6 tree/table; tree: Up/Down folders, Right open, Left close or parent, Enter to the table; table: "
           "Up/Down rows, Enter opens a folder or lists what is inside a file (archive members, carved objects), "
           "Backspace goes up; H/X/V hex/text/picture, ',' '.' pages, Ctrl+T tag";
  }

  // "deleted": every deleted file; "/a/b": that folder of the first file system.
  void Open(ViewContext& ctx, const std::string& arg) override {
    state.inside = 0;
    if (arg.rfind("inside=", 0) == 0) {  // "inside=/a/b.zip": what was found inside that file
      const std::string path = arg.substr(7);
      ctx.reads->Submit([this, path, &ctx](CaseStore& store) -> QueryWorker::Apply {
        auto id = QueryInt(store, "SELECT id FROM file WHERE path = ?1 ORDER BY id LIMIT 1", {path});
        return [this, id, path, &ctx]() {
          if (id.ok() && *id != 0) OpenInside(ctx, *id, path);
        };
      });
      return;
    }
    state.deleted_mode = arg == "deleted";
    if (!arg.empty() && arg[0] == '/') state.folder = arg;
    if (state.fs_id != 0 || state.deleted_mode) Query(ctx);
  }

  void Load(ViewContext& ctx) {
    state.generation = ctx.generation;
    state.children.clear();
    state.requested.clear();
    ctx.reads->Submit([this](CaseStore& store) -> QueryWorker::Apply {
      auto rows = QueryRows(store,
                            "SELECT fs.id, x.reference, v.description, fs.type, fs.offset_bytes"
                            " FROM filesystem fs JOIN volume v ON v.id = fs.volume_id"
                            " JOIN exhibit x ON x.id = v.exhibit_id ORDER BY x.id, fs.offset_bytes",
                            {});
      return [this, rows = std::move(rows)]() {
        if (!rows.ok()) return;
        state.filesystems.clear();
        for (const auto& r : *rows) {
          state.filesystems.push_back({std::stoll(r[0]), r[1] + "  " + r[3] + " @ " + r[4] + " (" + r[2] + ")"});
        }
        if (state.fs_id == 0 && !state.filesystems.empty()) {
          state.fs_id = state.filesystems.front().id;
          state.need_query = !state.deleted_mode;
        }
      };
    });
    if (state.fs_id != 0 || state.deleted_mode) {
      state.rows.Refresh(*ctx.reads);
    }
  }

  void RequestChildren(ViewContext& ctx, int64_t fs_id, const std::string& folder) {
    const std::string key = std::to_string(fs_id) + ":" + folder;
    if (state.requested.count(key)) return;
    state.requested.insert(key);
    const auto [lo, hi] = Below(folder);
    ctx.reads->Submit([this, key, fs_id, lo, hi](CaseStore& store) -> QueryWorker::Apply {
      auto rows = QueryRows(store,
                            "SELECT path, name FROM file WHERE filesystem_id = ?1 AND kind = 'dir' AND path > ?2"
                            " AND path < ?3 AND instr(substr(path, length(?2) + 1), '/') = 0 ORDER BY name",
                            {std::to_string(fs_id), lo, hi}, 20000);
      return [this, key, rows = std::move(rows)]() {
        auto& list = state.children[key];
        list.clear();
        if (rows.ok()) {
          for (const auto& r : *rows) list.push_back({r[0], r[1]});
        }
      };
    });
  }

  void Query(ViewContext& ctx) {
    state.selected_row = -1;
    const bool by_path = state.deleted_mode || state.inside != 0;
    const std::string cols =
        std::string("f.id, ") + (by_path ? "f.path" : "f.name") +
        " || CASE WHEN f.kind = 'dir' THEN '/' ELSE '' END, f.size, " + SqlTime("f.mtime") +
        ", ifnull(f.mime, ''), CASE WHEN f.deleted THEN 'DELETED' WHEN f.orphan THEN 'orphan' WHEN f.allocated"
        " THEN '' ELSE 'unallocated' END || CASE WHEN f.extension_mismatch THEN ' type mismatch' ELSE '' END,"
        " ifnull(f.md5, ''), f.path, f.kind";
    std::string where;
    std::vector<std::string> binds;
    if (state.inside != 0) {
      where = " WHERE f.container_file_id = ?1";  // index file_container (schema migration 5)
      binds = {std::to_string(state.inside)};
    } else if (state.deleted_mode) {
      where = " WHERE f.deleted = 1";
    } else {
      const auto [lo, hi] = Below(state.folder);
      where =
          " WHERE f.filesystem_id = ?1 AND f.path > ?2 AND f.path < ?3 AND instr(substr(f.path, length(?2) + 1), '/') "
          "= 0";
      binds = {std::to_string(state.fs_id), lo, hi};
    }
    if (!state.filter.empty()) {
      binds.push_back("%" + state.filter + "%");
      where += " AND f.name LIKE ?" + std::to_string(binds.size());
    }
    const char* order_cols[] = {"f.name", "f.size", "f.mtime", "f.mime", "f.deleted", "f.md5"};
    const std::string order =
        by_path && state.sort.column == 0 ? "f.path" : order_cols[std::clamp(state.sort.column, 0, 5)];
    const std::string dir = state.sort.descending ? " DESC" : "";
    state.rows.SetQuery(*ctx.reads, "SELECT count(*) FROM file f" + where,
                        "SELECT " + cols + " FROM file f" + where + " ORDER BY " +
                            (by_path ? "" : "f.kind <> 'dir', ") + order + dir + ", f.id",
                        binds);
  }

  // Enter on a file: list what was found inside it (an archive's members, objects carved out of it), if anything.
  void OpenInside(ViewContext& ctx, int64_t file_id, const std::string& path) {
    ctx.reads->Submit([this, file_id, path, &ctx](CaseStore& store) -> QueryWorker::Apply {
      auto n = QueryInt(store, "SELECT count(*) FROM file WHERE container_file_id = ?1", {std::to_string(file_id)});
      return [this, file_id, path, n, &ctx]() {
        if (!n.ok() || *n == 0) {
          ctx.notify("nothing was found inside " + path + " (not an archive, nothing carved out of it)");
          return;
        }
        state.inside = file_id;
        state.inside_path = path;
        Query(ctx);
      };
    });
  }

  void OpenFolder(ViewContext& ctx, int64_t fs_id, const std::string& folder) {
    state.inside = 0;
    state.deleted_mode = false;
    state.fs_id = fs_id;
    state.folder = folder;
    Query(ctx);
  }

  void DrawFolder(ViewContext& ctx, int64_t fs_id, const std::string& path, const std::string& label) {
    const std::string key = std::to_string(fs_id) + ":" + path;
    const bool current = !state.deleted_mode && state.fs_id == fs_id && state.folder == path;
    ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_OpenOnArrow | ImGuiTreeNodeFlags_SpanAvailWidth;
    if (current) flags |= ImGuiTreeNodeFlags_Selected;
    auto it = state.children.find(key);
    if (it != state.children.end() && it->second.empty()) flags |= ImGuiTreeNodeFlags_Leaf;
    if (!state.deleted_mode && state.fs_id == fs_id && state.folder.rfind(path == "/" ? "/" : path + "/", 0) == 0 &&
        state.folder != path) {
      ImGui::SetNextItemOpen(true, ImGuiCond_Always);  // keep the way to the current folder open
    }
    if (state.opened.count(key)) ImGui::SetNextItemOpen(true, ImGuiCond_Always);
    const bool open = ImGui::TreeNodeEx(key.c_str(), flags, "%s", label.c_str());
    state.drawing.push_back({fs_id, path});
    if (ImGui::IsItemToggledOpen()) {
      if (open) {
        state.opened.insert(key);
      } else {
        state.opened.erase(key);
      }
    } else if (open) {
      state.opened.insert(key);  // opened on the way to the current folder
    }
    if (current && state.scroll_tree) {
      ImGui::SetScrollHereY(0.5f);
      state.scroll_tree = false;
    }
    if (ImGui::IsItemClicked() && !ImGui::IsItemToggledOpen()) OpenFolder(ctx, fs_id, path);
    if (open) {
      RequestChildren(ctx, fs_id, path);
      if (it != state.children.end()) {
        for (const auto& child : it->second) DrawFolder(ctx, fs_id, child.path, child.name);
      }
      ImGui::TreePop();
    }
  }

  // The tree's keys, on the folders drawn in the last frame; the current folder is the cursor.
  void TreeKeys(ViewContext& ctx) {
    if (ctx.typing || ImGui::GetIO().KeyCtrl) return;
    if (ImGui::IsKeyPressed(GLFW_KEY_F6, false)) {
      (state.tree_keys ? state.focus_table : state.focus_tree) = true;
      return;
    }
    if (!state.tree_keys || state.shown.empty()) return;
    const TreeNode here{state.fs_id, state.folder};
    auto at = std::find(state.shown.begin(), state.shown.end(), here);
    const bool known = !state.deleted_mode && at != state.shown.end();
    const std::string key = NodeKey(here.fs_id, here.path);
    const auto go = [&](const TreeNode& n) {
      OpenFolder(ctx, n.fs_id, n.path);
      state.scroll_tree = true;
    };
    if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) {
      if (!known) {
        go(state.shown.front());
      } else if (at + 1 != state.shown.end()) {
        go(*(at + 1));
      }
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_UP)) {
      if (!known) {
        go(state.shown.front());
      } else if (at != state.shown.begin()) {
        go(*(at - 1));
      }
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_HOME, false)) go(state.shown.front());
    if (ImGui::IsKeyPressed(GLFW_KEY_END, false)) go(state.shown.back());
    if (!known) return;
    if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) {
      if (!state.opened.count(key)) {
        state.opened.insert(key);
      } else if (at + 1 != state.shown.end() && at[1].fs_id == here.fs_id &&
                 at[1].path.rfind(here.path == "/" ? "/" : here.path + "/", 0) == 0 && at[1].path != here.path) {
        go(*(at + 1));  // the first subfolder
      }
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_LEFT)) {
      if (state.opened.count(key) && state.children.count(key) && !state.children[key].empty()) {
        state.opened.erase(key);
      } else if (here.path != "/") {
        go({here.fs_id, ParentOf(here.path)});
      }
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false)) state.focus_table = true;
  }

  void Draw(ViewContext& ctx) override {
    if (state.generation != ctx.generation) Load(ctx);
    if (state.need_query) {
      state.need_query = false;
      Query(ctx);
    }

    const float avail_w = ImGui::GetContentRegionAvail().x;
    TreeKeys(ctx);
    if (state.focus_tree) ImGui::SetNextWindowFocus();
    state.focus_tree = false;
    ImGui::BeginChild("tree", ImVec2(avail_w * 0.25f, 0), true);
    state.tree_keys = ImGui::IsWindowFocused();
    state.drawing.clear();
    if (ImGui::Selectable("All deleted files", state.deleted_mode)) {
      state.deleted_mode = true;
      state.inside = 0;
      Query(ctx);
    }
    for (const auto& fs : state.filesystems) DrawFolder(ctx, fs.id, "/", fs.label);
    if (state.filesystems.empty()) ImGui::TextDisabled("No file system yet.");
    state.shown = state.drawing;
    ImGui::EndChild();
    ImGui::SameLine();
    if (state.focus_table) ImGui::SetNextWindowFocus();
    state.focus_table = false;
    ImGui::BeginChild("folder", ImVec2(0, 0));
    if (state.inside != 0) {
      ImGui::Text("Inside %s (Backspace: back)", state.inside_path.c_str());
    } else {
      ImGui::Text("%s", state.deleted_mode ? "Every deleted file" : state.folder.c_str());
    }
    ImGui::SameLine();
    if (FilterField(ctx, "##filter", &state.filter, "filter names as you type (Ctrl+F)")) Query(ctx);
    ImGui::SameLine();
    if (state.rows.count() >= 0) ImGui::Text("%s entries", Thousands(state.rows.count()).c_str());
    if (state.rows.loading()) {
      ImGui::SameLine();
      Spinner("files");
    }
    std::vector<TableColumn> columns = {{state.deleted_mode || state.inside != 0 ? "path" : "name", 0},
                                        {"size", 6},
                                        {"modified (UTC)", 10},
                                        {"type", 9},
                                        {"state", 7},
                                        {"MD5", 16}};
    const float table_h = ImGui::GetContentRegionAvail().y * 0.5f;
    // While the tree has the arrows, the table must not move with them (its focus test spans the whole window).
    const bool typing = ctx.typing;
    ctx.typing = typing || state.tree_keys;
    const bool resorted = PagedTable(ctx, "files", columns, state.rows, 1, &state.selected_row, &state.sort, table_h);
    ctx.typing = typing;
    if (resorted) Query(ctx);
    const TextRow* row = state.selected_row >= 0 ? state.rows.Row(*ctx.reads, state.selected_row) : nullptr;
    if (row) {
      const int64_t id = std::stoll((*row)[0]);
      ctx.selection = {"file", id, (*row)[7]};
      state.preview.SetFile(ctx, (*row)[8] == "dir" ? 0 : id, (*row)[7], (*row)[4]);
      if (!ctx.typing && !state.tree_keys && ImGui::IsKeyPressed(GLFW_KEY_ENTER, false)) {
        if ((*row)[8] == "dir") {
          OpenFolder(ctx, state.fs_id, (*row)[7]);
        } else {
          OpenInside(ctx, id, (*row)[7]);
        }
      }
    }
    if (!ctx.typing && ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE, false) && state.inside != 0) {
      state.inside = 0;
      Query(ctx);
    } else if (!ctx.typing && ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE, false) && !state.deleted_mode &&
               state.folder != "/") {
      OpenFolder(ctx, state.fs_id, ParentOf(state.folder));
    }
    state.preview.Draw(ctx);
    ImGui::EndChild();
  }
};

}  // namespace

std::unique_ptr<View> MakeFilesView() { return std::make_unique<FilesView>(); }

}  // namespace custos::viewer
