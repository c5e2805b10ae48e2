// View: one panel of the viewer (dashboard, artefacts, files, gallery, timeline, hits, tags, exams). Each view is
// a struct in its own file under gui/views/ that keeps what it shows in its own State and draws it in
// Draw(); the list of views is in gui/views/views.cc.
//
// Contract:
//  - Draw() runs on the UI thread, once per frame while the view is shown, and never queries the case
//    file itself: it submits jobs to ctx.reads (or ctx.writes, or ctx.content for the evidence and pictures)
//    and their results land in the State in a later frame.
//  - A view re-queries when ctx.generation changes (the case file was written by a running triage, or by
//    the viewer's own grades and tags).
// Thread-safety: UI thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gui/query_worker.h"

struct ImFont;

namespace custos {
class StoredFileReader;
}

namespace custos::viewer {

// What a tag is put on: a file, an artefact or a keyword hit, with a line saying which.
struct TagTarget {
  std::string target;  // "file", "artefact", "keyword_hit"; empty = nothing selected
  int64_t id = 0;
  std::string description;
};

struct ViewContext {
  QueryWorker* reads = nullptr;   // the read-only connection
  QueryWorker* writes = nullptr;  // the read-write connection for tags and grades
  // Its own read-only connection and thread for reading the evidence (previews) and decoding pictures.
  QueryWorker* content = nullptr;
  // The one reader of the evidence (previews, thumbnails decoded from the evidence), used only inside
  // ctx.content's jobs: images, file systems and unlocked volumes stay open for every view.
  std::shared_ptr<StoredFileReader> evidence;
  uint64_t generation = 0;  // changes when the case file changed
  std::string officer;      // author of tags and grades
  std::string case_path;    // the case file, as given on the command line
  ImFont* mono = nullptr;   // hex and text previews
  TagTarget selection;      // what Ctrl+T tags
  // Switches to a view, with an argument it understands (an artefact kind, a filter...).
  std::function<void(const std::string& view, const std::string& arg)> show;
  // A line in the status bar (errors of writes, confirmations).
  std::function<void(const std::string& message)> notify;
  // Marks the case as changed after a write of our own, so every view re-queries.
  std::function<void()> changed;
  // True while a text field has the keyboard: single-key shortcuts must not fire then.
  bool typing = false;
  // True when the view should put the keyboard on its filter field this frame (Ctrl+F).
  bool focus_filter = false;
};

class View {
 public:
  virtual ~View() = default;
  virtual const char* name() const = 0;   // command-line name: "dashboard"
  virtual const char* title() const = 0;  // menu title: "Dashboard"
  virtual void Draw(ViewContext& ctx) = 0;
  // Called when the view is opened from elsewhere with an argument (see ViewContext::show).
  virtual void Open(ViewContext& /*ctx*/, const std::string& /*arg*/) {}
  // One line of the view's own shortcuts, shown in the Help menu.
  virtual const char* shortcuts() const { return ""; }
  // A view with actions of its own has a menu, named by its title, in the menu bar while it is shown.
  virtual bool has_menu() const { return false; }
  virtual void Menu(ViewContext& /*ctx*/) {}
};

// Every view, in menu order (gui/views/views.cc).
std::vector<std::unique_ptr<View>> MakeViews();

}  // namespace custos::viewer
