// App: the custos-viewer window. Owns the GLFW window and OpenGL context, Dear ImGui, the two case
// connections (read-only for queries, read-write for tags and grades, each on its own QueryWorker), the
// views, the live refresh, the tag dialog, and the headless modes (screenshot, script, scroll bench).
// Thread-safety: everything runs on the main thread except the workers' jobs.
#pragma once

#include <memory>
#include <string>

#include "triage/walk/unlock_keys.h"

namespace custos::viewer {

struct AppOptions {
  std::string case_path;
  std::string officer;      // author of tags and grades; default: the case's officer, else $USER
  float font_scale = 1.0f;  // also Ctrl+= / Ctrl+-
  std::string view = "dashboard";
  std::string view_arg;    // opens the view with this argument (an artefact kind, a filter)
  std::string screenshot;  // headless: save the view as this PNG and quit
  int frames = 3;          // headless: draw at least this many frames (and until queries are done)
  std::string script;      // scripted keyboard input (gui/script.h)
  int width = 1280, height = 800;
  int bench_scroll = 0;  // frames to scroll the current view's table for, printing frame times
  // Keys for the files inside encrypted volumes triage unlocked (--unlock-file, --luks-key-file); never stored.
  std::shared_ptr<const UnlockKeys> unlock_keys;
};

// Runs the viewer; returns the process exit code (0, or 2 when the case file could not be opened).
int RunViewer(const AppOptions& options);

}  // namespace custos::viewer
