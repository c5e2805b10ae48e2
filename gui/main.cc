// custos-viewer: review, grade and tag a Custos case file while the custody clock runs.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gui/app.h"
#include "triage/cli/unlock_options.h"

int main(int argc, char** argv) {
  setenv("TZ", "UTC", 1);  // every time is shown in UTC, as the case file stores it
  custos::viewer::AppOptions o;
  CLI::App app{"custos-viewer " CUSTOS_VERSION
               ": review, grade and tag a Custos case file (opened read-only; tags and grades are\n"
               "written through their own connection and recorded in the audit trail).\n"
               "Exit codes: 0 ok, 1 failed (screenshot or script), 2 bad arguments or the case cannot be opened."};
  app.set_version_flag("--version", std::string("custos-viewer ") + CUSTOS_VERSION);
  app.add_option("case", o.case_path, "the case file (*.custos)")->required();
  app.add_option("--officer", o.officer, "who tags and grades (default: the case's officer, else $USER)");
  app.add_option("--font-scale", o.font_scale, "text size, 0.5 to 4 (Ctrl+= and Ctrl+- change it)")
      ->check(CLI::Range(0.5, 4.0));
  app.add_option("--view", o.view, "view to open: dashboard, artefacts, files, gallery, timeline, hits, tags");
  app.add_option("--view-arg", o.view_arg, "open the view with this (an artefact kind, a filter)");
  app.add_option("--screenshot", o.screenshot, "render the view headless (e.g. under xvfb-run), save a PNG, quit");
  app.add_option("--frames", o.frames, "with --screenshot: draw at least N frames first (default 3)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--script", o.script, "feed keys from FILE, then quit (see README: scripted input)");
  app.add_option("--width", o.width, "window width (default 1280)")->check(CLI::Range(320, 8192));
  app.add_option("--height", o.height, "window height (default 800)")->check(CLI::Range(240, 8192));
  app.add_option("--bench-scroll", o.bench_scroll, "scroll the view's table for N frames and print frame times")
      ->check(CLI::Range(1, 1000000));
  // To preview the files inside an encrypted volume triage unlocked: the key it was given, again.
  custos::UnlockKeyFiles key_files;
  custos::cli::AddUnlockOptions(&app, &key_files);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  auto keys = custos::ReadUnlockKeys(key_files);
  if (!keys.ok()) {
    std::fprintf(stderr, "custos-viewer: %s\n", keys.status().message().c_str());
    return 2;
  }
  o.unlock_keys = std::move(*keys);
  return custos::viewer::RunViewer(o);
}
