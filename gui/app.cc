// The viewer's window, frame loop and headless modes (see app.h).
#define GLFW_INCLUDE_NONE
#include "gui/app.h"

#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gui/case_queries.h"
#include "gui/png_file.h"
#include "gui/query_worker.h"
#include "gui/script.h"
#include "gui/view.h"
#include "gui/widgets.h"
#include "triage/readback/stored_file_reader.h"
#include "triage/sqlite/sql.h"
#include "triage/store/case_store.h"
#include "triage/store/review_store.h"

namespace custos::viewer {

namespace {

constexpr double kRefreshSeconds = 2.0;  // live refresh while triage writes the case
constexpr double kHeadlessTimeoutSeconds = 120.0;
constexpr float kBaseFontPixels = 16.0f;
// The viewer's scratch copies (archives read back for libarchive) go in the case's folder, in a folder named
// <prefix><pid>-XXXXXX, removed when the viewer ends; one left by a killed viewer is removed at the next start.
constexpr char kScratchPrefix[] = ".custos-viewer-scratch-";
const char* const kLabels[] = {"evidential", "relevant", "exculpatory", "disclosure_review"};

std::string FontDir() {
  if (const char* dir = std::getenv("CUSTOS_FONT_DIR")) return dir;
  return "/usr/share/fonts/truetype/dejavu";
}

using Clock = std::chrono::steady_clock;

class Viewer {
 public:
  Viewer(const AppOptions& options, GLFWwindow* window)
      : options_(options), window_(window), scale_(options.font_scale) {}
  int Run();

 private:
  void LoadFonts();
  void Frame();
  void Shortcuts();
  void DrawMenu();
  void DrawStatusBar();
  void DrawTagDialog();
  void DrawOpenError();
  void PollForChanges();
  void Show(const std::string& name, const std::string& arg);
  void SaveTag();
  bool Idle() const;
  // Feeds the next scripted step; false when the script is over.
  bool StepScript();
  Status Capture(const std::string& path);

  const AppOptions& options_;
  GLFWwindow* window_;
  float scale_;
  bool fonts_dirty_ = true;
  ImFont* mono_ = nullptr;

  std::unique_ptr<QueryWorker> reads_, writes_;
  std::unique_ptr<QueryWorker> content_;  // evidence reads and picture decoding, apart from the queries
  std::vector<std::unique_ptr<View>> views_;
  size_t current_ = 0;
  ViewContext ctx_;

  std::string signature_;
  bool poll_pending_ = false;
  Clock::time_point last_poll_{};
  std::string last_change_;  // "updated 08:30:12"

  bool open_reported_ = false;
  std::string open_error_;
  std::string status_message_;
  bool quit_ = false;

  bool tag_open_request_ = false;
  TagTarget tag_target_;
  int tag_label_ = 0;
  std::string tag_note_;

  std::vector<ScriptStep> script_;
  size_t script_at_ = 0;
  int script_frames_left_ = 0;
  int release_key_ = -1, release_mods_ = 0;
  int idle_frames_ = 0;
  Clock::time_point sleep_until_{};
  int exit_code_ = 0;
};

void Viewer::LoadFonts() {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
  builder.AddRanges(io.Fonts->GetGlyphRangesCyrillic());
  static const ImWchar extra[] = {0x0100, 0x024F, 0x2000, 0x206F, 0x2190, 0x21FF, 0x25A0, 0x25FF, 0};
  builder.AddRanges(extra);
  ImVector<ImWchar> ranges;
  builder.BuildRanges(&ranges);
  const float pixels = std::round(kBaseFontPixels * scale_);
  const std::string dir = FontDir();
  ImFont* ui = nullptr;
  if (std::filesystem::exists(dir + "/DejaVuSans.ttf")) {
    ui = io.Fonts->AddFontFromFileTTF((dir + "/DejaVuSans.ttf").c_str(), pixels, nullptr, ranges.Data);
    mono_ = io.Fonts->AddFontFromFileTTF((dir + "/DejaVuSansMono.ttf").c_str(), pixels, nullptr, ranges.Data);
  }
  if (!ui) {  // no DejaVu: ImGui's own bitmap font, scaled (blurry, but readable)
    ImFontConfig config;
    config.SizePixels = pixels;
    ui = io.Fonts->AddFontDefault(&config);
    mono_ = ui;
  }
  if (!mono_) mono_ = ui;
  io.Fonts->Build();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  ImGui::StyleColorsDark(&style);
  style.FrameRounding = 3;
  style.ScaleAllSizes(scale_);
  ctx_.mono = mono_;
  fonts_dirty_ = false;
}

void Viewer::Show(const std::string& name, const std::string& arg) {
  for (size_t i = 0; i < views_.size(); ++i) {
    if (name == views_[i]->name()) {
      current_ = i;
      views_[i]->Open(ctx_, arg);
      return;
    }
  }
  status_message_ = "no view named '" + name + "'";
}

bool Viewer::Idle() const {
  return reads_->pending() == 0 && content_->pending() == 0 && (!writes_ || writes_->pending() == 0) && !poll_pending_;
}

void Viewer::PollForChanges() {
  if (poll_pending_ || !reads_->open_done() || !reads_->open_status().ok()) return;
  if (Clock::now() - last_poll_ < std::chrono::duration<double>(kRefreshSeconds)) return;
  last_poll_ = Clock::now();
  poll_pending_ = true;
  reads_->Submit([this](CaseStore& store) -> QueryWorker::Apply {
    auto sig = ChangeSignature(store);
    return [this, sig]() {
      poll_pending_ = false;
      if (!sig.ok()) {
        status_message_ = "refresh failed: " + sig.status().message();
        return;
      }
      if (*sig != signature_) {
        const bool first = signature_.empty();
        signature_ = *sig;
        if (!first) {
          ++ctx_.generation;
          const std::time_t now = std::time(nullptr);
          char buf[32];
          std::strftime(buf, sizeof buf, "%H:%M:%S", std::gmtime(&now));
          last_change_ = std::string("case updated ") + buf + " UTC";
        }
      }
    };
  });
}

void Viewer::SaveTag() {
  if (!writes_ || tag_target_.target.empty()) return;
  const TagTarget target = tag_target_;
  const std::string label = kLabels[tag_label_];
  const std::string note = tag_note_;
  const std::string author = ctx_.officer;
  writes_->Submit([this, target, label, note, author](CaseStore& store) -> QueryWorker::Apply {
    ReviewStore review(store);
    Status st = review.SetTag(target.target, target.id, label, note, author);
    return [this, st, target, label]() {
      if (st.ok()) {
        status_message_ = "tagged " + label + ": " + target.description;
        ctx_.changed();
      } else {
        status_message_ = "tag not saved: " + st.message();
      }
    };
  });
}

void Viewer::Shortcuts() {
  ImGuiIO& io = ImGui::GetIO();
  const bool ctrl = io.KeyCtrl;
  if (ImGui::IsPopupOpen("Tag")) return;  // the dialog has its own keys
  if (ctrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) quit_ = true;
  if (ctrl && (ImGui::IsKeyPressed(GLFW_KEY_EQUAL, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD, false))) {
    scale_ = std::min(4.0f, scale_ + 0.125f);
    fonts_dirty_ = true;
  }
  if (ctrl && (ImGui::IsKeyPressed(GLFW_KEY_MINUS, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT, false))) {
    scale_ = std::max(0.5f, scale_ - 0.125f);
    fonts_dirty_ = true;
  }
  if (ctrl && ImGui::IsKeyPressed(GLFW_KEY_0, false)) {
    scale_ = 1.0f;
    fonts_dirty_ = true;
  }
  for (size_t i = 0; i < views_.size() && i < 9; ++i) {
    if (ctrl && ImGui::IsKeyPressed(GLFW_KEY_1 + static_cast<int>(i), false)) Show(views_[i]->name(), "");
  }
  if (ctrl && ImGui::IsKeyPressed(GLFW_KEY_F, false)) ctx_.focus_filter = true;
  if (ImGui::IsKeyPressed(GLFW_KEY_F5, false)) ++ctx_.generation;
  if (ctrl && ImGui::IsKeyPressed(GLFW_KEY_T, false)) {
    if (ctx_.selection.target.empty()) {
      status_message_ = "select a file, artefact or hit first, then Ctrl+T to tag it";
    } else {
      tag_open_request_ = true;
    }
  }
}

void Viewer::DrawMenu() {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("Case")) {
    if (ImGui::MenuItem("Refresh now", "F5")) ++ctx_.generation;
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) quit_ = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    for (size_t i = 0; i < views_.size(); ++i) {
      const std::string key = "Ctrl+" + std::to_string(i + 1);
      if (ImGui::MenuItem(views_[i]->title(), key.c_str(), current_ == i)) Show(views_[i]->name(), "");
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Filter", "Ctrl+F")) ctx_.focus_filter = true;
    if (ImGui::MenuItem("Larger text", "Ctrl+=")) {
      scale_ = std::min(4.0f, scale_ + 0.125f);
      fonts_dirty_ = true;
    }
    if (ImGui::MenuItem("Smaller text", "Ctrl+-")) {
      scale_ = std::max(0.5f, scale_ - 0.125f);
      fonts_dirty_ = true;
    }
    if (ImGui::MenuItem("Normal text", "Ctrl+0")) {
      scale_ = 1.0f;
      fonts_dirty_ = true;
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Review")) {
    if (ImGui::MenuItem("Tag the selection...", "Ctrl+T", false, !ctx_.selection.target.empty())) {
      tag_open_request_ = true;
    }
    ImGui::EndMenu();
  }
  if (views_[current_]->has_menu() && ImGui::BeginMenu(views_[current_]->title())) {
    views_[current_]->Menu(ctx_);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    ImGui::Text("Everywhere: Ctrl+1..%zu views, Ctrl+F filter, Ctrl+T tag, F5 refresh, Ctrl+=/- text size",
                views_.size());
    ImGui::TextUnformatted(
        "Tables: arrows, PageUp/PageDown, Home/End select; Alt+Right/Alt+Left sort by the next/previous "
        "column, Alt+R reverses the order");
    for (const auto& v : views_) {
      if (*v->shortcuts()) ImGui::Text("%s: %s", v->title(), v->shortcuts());
    }
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

void Viewer::DrawStatusBar() {
  ImGui::Separator();
  const bool busy = reads_->pending() > 0 || content_->pending() > 0 || (writes_ && writes_->pending() > 0);
  if (busy) {
    Spinner("busy");
    ImGui::SameLine();
    ImGui::TextUnformatted("working...");
    ImGui::SameLine();
  }
  ImGui::TextDisabled("%s  |  officer: %s", options_.case_path.c_str(), ctx_.officer.c_str());
  if (!last_change_.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("|  %s", last_change_.c_str());
  }
  if (!ctx_.selection.target.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("|  selected: %s (Ctrl+T to tag)", ctx_.selection.description.c_str());
  }
  std::string error = reads_->last_error();
  if (!status_message_.empty() || !error.empty()) {
    ImGui::TextUnformatted(status_message_.empty() ? error.c_str() : status_message_.c_str());
  }
}

void Viewer::DrawTagDialog() {
  if (tag_open_request_) {
    tag_open_request_ = false;
    tag_target_ = ctx_.selection;
    tag_note_.clear();
    tag_label_ = 0;  // evidential unless the officer picks another
    ImGui::OpenPopup("Tag");
  }
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34, 0), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal("Tag", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGuiIO& io = ImGui::GetIO();
  ImGui::Text("Tag %s", tag_target_.description.c_str());
  ImGui::Separator();
  for (int i = 0; i < 4; ++i) {
    const std::string label = std::string(kLabels[i]) + "  (Ctrl+" + std::to_string(i + 1) + ")";
    if (ImGui::RadioButton(label.c_str(), tag_label_ == i)) tag_label_ = i;
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_1 + i, false)) tag_label_ = i;
  }
  ImGui::TextUnformatted("Note (Enter saves, Esc cancels):");
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 32);
  bool save = ImGui::InputText("##note", &tag_note_, ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::Button("Save (Enter)")) save = true;
  ImGui::SameLine();
  const bool cancel = ImGui::Button("Cancel (Esc)") || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false);
  if (save) SaveTag();
  if (save || cancel) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void Viewer::DrawOpenError() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(size.x / 2, size.y / 2), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(size.x * 0.8f, ImGui::GetFontSize() * 44), 0));
  ImGui::Begin("The case file cannot be opened", nullptr,
               ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::TextWrapped("%s", open_error_.c_str());
  ImGui::Spacing();
  ImGui::TextWrapped("custos-viewer opens case files made by `custos triage`; nothing was changed.");
  if (ImGui::Button("Quit (Enter)") || ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) ||
      ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) {
    quit_ = true;
  }
  ImGui::End();
}

void Viewer::Frame() {
  reads_->DrainResults();
  content_->DrainResults();
  if (writes_) writes_->DrainResults();

  const bool open_ok = reads_->open_done() && reads_->open_status().ok();
  if (reads_->open_done() && !open_reported_) {
    open_reported_ = true;
    if (!open_ok) {
      const Status st = reads_->open_status();
      open_error_ = st.message();
      // CaseStore::Open reports a lock met while reading the header as "not a Custos case file (... locked)";
      // say what it is instead.
      if (open_error_.find("database is locked") != std::string::npos || st.code() == Status::Code::kBusy) {
        open_error_ = options_.case_path +
                      ": another program holds the case file locked (waited 10 s); close that program, or wait "
                      "for it to finish, and open the case again";
      }
      std::fprintf(stderr, "custos-viewer: %s\n", open_error_.c_str());
      exit_code_ = 2;
    } else {
      // Tags and grades go through their own read-write connection, opened only for a case that opened.
      const std::string path = options_.case_path;
      writes_ = std::make_unique<QueryWorker>([path] { return CaseStore::Open(path, CaseStore::OpenMode::kReadWrite); },
                                              /*finish_on_close=*/true);
      ctx_.writes = writes_.get();
    }
  }
  if (open_ok) PollForChanges();

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  // After NewFrame: whether a text field held the keyboard in the last frame (not the one before).
  ctx_.typing = ImGui::GetIO().WantTextInput;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("custos-viewer", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_MenuBar |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
  if (open_ok) {
    Shortcuts();
    DrawMenu();
    // The view's tab strip: where you are, and the key to go elsewhere.
    for (size_t i = 0; i < views_.size(); ++i) {
      if (i > 0) ImGui::SameLine();
      const std::string label = std::string(views_[i]->title()) + " (Ctrl+" + std::to_string(i + 1) + ")";
      if (ImGui::Selectable(label.c_str(), current_ == i, 0, ImGui::CalcTextSize(label.c_str()))) {
        Show(views_[i]->name(), "");
      }
    }
    ImGui::Separator();
    const float status_height = ImGui::GetFrameHeightWithSpacing() * 2.2f;
    ImGui::BeginChild("view", ImVec2(0, -status_height), false, ImGuiWindowFlags_NoScrollbar);
    views_[current_]->Draw(ctx_);
    ImGui::EndChild();
    DrawStatusBar();
    DrawTagDialog();
  } else if (!reads_->open_done()) {
    Spinner("opening");
    ImGui::SameLine();
    ImGui::Text("Opening %s ...", options_.case_path.c_str());
  }
  ImGui::End();
  if (reads_->open_done() && !open_ok) DrawOpenError();
  ImGui::Render();
}

bool Viewer::StepScript() {
  if (release_key_ >= 0) {  // the second half of a key press
    ImGui_ImplGlfw_KeyCallback(window_, release_key_, 0, GLFW_RELEASE, release_mods_);
    if (release_mods_ & GLFW_MOD_CONTROL)
      ImGui_ImplGlfw_KeyCallback(window_, GLFW_KEY_LEFT_CONTROL, 0, GLFW_RELEASE, 0);
    if (release_mods_ & GLFW_MOD_SHIFT) ImGui_ImplGlfw_KeyCallback(window_, GLFW_KEY_LEFT_SHIFT, 0, GLFW_RELEASE, 0);
    if (release_mods_ & GLFW_MOD_ALT) ImGui_ImplGlfw_KeyCallback(window_, GLFW_KEY_LEFT_ALT, 0, GLFW_RELEASE, 0);
    release_key_ = -1;
    return true;
  }
  if (script_frames_left_ > 0) {
    --script_frames_left_;
    return true;
  }
  if (script_at_ >= script_.size()) return false;
  const ScriptStep& step = script_[script_at_];
  switch (step.kind) {
    case ScriptStep::Kind::kKey:
      if (step.mods & GLFW_MOD_CONTROL)
        ImGui_ImplGlfw_KeyCallback(window_, GLFW_KEY_LEFT_CONTROL, 0, GLFW_PRESS, step.mods);
      if (step.mods & GLFW_MOD_SHIFT)
        ImGui_ImplGlfw_KeyCallback(window_, GLFW_KEY_LEFT_SHIFT, 0, GLFW_PRESS, step.mods);
      if (step.mods & GLFW_MOD_ALT) ImGui_ImplGlfw_KeyCallback(window_, GLFW_KEY_LEFT_ALT, 0, GLFW_PRESS, step.mods);
      ImGui_ImplGlfw_KeyCallback(window_, step.key, 0, GLFW_PRESS, step.mods);
      release_key_ = step.key;
      release_mods_ = step.mods;
      ++script_at_;
      break;
    case ScriptStep::Kind::kType:
      for (size_t i = 0; i < step.text.size();) {  // UTF-8 to code points, as GLFW's char callback gives them
        const unsigned char c = static_cast<unsigned char>(step.text[i]);
        const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        unsigned int cp = n == 1 ? c : c & (0x3F >> (n - 1));
        for (int k = 1; k < n && i + static_cast<size_t>(k) < step.text.size(); ++k) {
          cp = (cp << 6) | (static_cast<unsigned char>(step.text[i + static_cast<size_t>(k)]) & 0x3F);
        }
        ImGui_ImplGlfw_CharCallback(window_, cp);
        i += static_cast<size_t>(n);
      }
      ++script_at_;
      break;
    case ScriptStep::Kind::kWait:
      if (idle_frames_ >= 3) ++script_at_;
      break;
    case ScriptStep::Kind::kFrames:
      script_frames_left_ = step.frames - 1;
      ++script_at_;
      break;
    case ScriptStep::Kind::kSleep:
      if (sleep_until_ == Clock::time_point{}) {
        sleep_until_ =
            Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(step.seconds));
      } else if (Clock::now() >= sleep_until_) {
        sleep_until_ = {};
        ++script_at_;
      }
      break;
    case ScriptStep::Kind::kScreenshot:
      if (idle_frames_ >= 3) {
        ++script_at_;
        Status st = Capture(step.text);
        if (!st.ok()) {
          std::fprintf(stderr, "custos-viewer: %s\n", st.message().c_str());
          exit_code_ = 1;
        }
      }
      break;
  }
  return true;
}

Status Viewer::Capture(const std::string& path) {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  std::vector<uint8_t> pixels(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  // OpenGL's rows run bottom to top; PNG's top to bottom.
  std::vector<uint8_t> flipped(pixels.size());
  const size_t stride = static_cast<size_t>(w) * 4;
  for (int y = 0; y < h; ++y) {
    std::copy_n(pixels.data() + static_cast<size_t>(h - 1 - y) * stride, stride,
                flipped.data() + static_cast<size_t>(y) * stride);
  }
  for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;  // opaque, whatever the visual's alpha
  return WritePng(path, w, h, flipped);
}

int Viewer::Run() {
  if (!options_.script.empty()) {
    auto script = LoadScript(options_.script);
    if (!script.ok()) {
      std::fprintf(stderr, "custos-viewer: %s\n", script.status().message().c_str());
      return 2;
    }
    script_ = std::move(script.value());
  }
  const std::string path = options_.case_path;
  const QueryWorker::Opener read_only = [path]() -> Result<std::unique_ptr<CaseStore>> {
    auto store = CaseStore::Open(path, CaseStore::OpenMode::kReadOnly);
    if (!store.ok()) return store.status();
    // Belt and braces: this connection can never write, whatever a query says.
    CUSTOS_RETURN_IF_ERROR(sql::Exec((*store)->raw_handle(), "PRAGMA query_only=1"));
    return store;
  };
  reads_ = std::make_unique<QueryWorker>(read_only, /*finish_on_close=*/false);
  // Reading the evidence and decoding pictures take their own thread and connection, so that scrolling
  // through thousands of pictures never holds up a table's page or a count.
  content_ = std::make_unique<QueryWorker>(read_only, /*finish_on_close=*/false);
  // Temporary space stays inside the case folder (beside the case file), never in $TMPDIR.
  std::string case_folder = std::filesystem::path(path).parent_path().string();
  if (case_folder.empty()) case_folder = ".";
  StoredFileReader::RemoveStaleScratch(case_folder, kScratchPrefix);
  ctx_.evidence =
      std::make_shared<StoredFileReader>(ReadbackOptions{case_folder, kScratchPrefix, options_.unlock_keys});
  views_ = MakeViews();
  ctx_.reads = reads_.get();
  ctx_.content = content_.get();
  ctx_.officer = options_.officer;
  if (ctx_.officer.empty()) {
    // As `custos tag` and `custos grade`: the officer recorded in the case, else the login name.
    const char* user = std::getenv("USER");
    ctx_.officer = user && *user ? user : "unknown";
    reads_->Submit([this](CaseStore& store) -> QueryWorker::Apply {
      auto info = store.ReadCaseInfo();
      const std::string officer = info.ok() ? info->officer : "";
      return [this, officer] {
        if (!officer.empty()) ctx_.officer = officer;
      };
    });
  }
  ctx_.case_path = options_.case_path;
  ctx_.show = [this](const std::string& name, const std::string& arg) { Show(name, arg); };
  ctx_.notify = [this](const std::string& message) { status_message_ = message; };
  ctx_.changed = [this] { ++ctx_.generation; };
  Show(options_.view, options_.view_arg);
  if (views_[current_]->name() != options_.view) {
    std::fprintf(
        stderr,
        "custos-viewer: no view named '%s' (dashboard, artefacts, files, gallery, timeline, hits, tags, exams)\n",
        options_.view.c_str());
    return 2;
  }

  const bool headless = !options_.screenshot.empty() || !options_.script.empty() || options_.bench_scroll > 0;
  const Clock::time_point started = Clock::now();
  int frames = 0;
  int bench_left = options_.bench_scroll;
  bool bench_started = false;
  std::vector<double> frame_ms, build_ms;  // whole frame (with OpenGL, glFinish); building it (views + ImGui)
  while (!glfwWindowShouldClose(window_) && !quit_) {
    if (headless) {
      glfwPollEvents();
    } else {
      const bool busy = reads_->pending() > 0 || content_->pending() > 0 || (writes_ && writes_->pending() > 0) ||
                        ImGui::IsPopupOpen("Tag");
      glfwWaitEventsTimeout(busy ? 1.0 / 60 : 0.25);  // idle: wake for the live refresh and the clock
    }
    if (fonts_dirty_) LoadFonts();
    const Clock::time_point frame_start = Clock::now();
    bool script_running = false;
    if (!script_.empty() || script_at_ > 0) script_running = StepScript();
    if (bench_started && bench_left > 0) {
      // Page down every other frame (a press, then its release), as a finger on the key would.
      if (bench_left % 2 == 0) {
        ImGui_ImplGlfw_KeyCallback(window_, GLFW_KEY_PAGE_DOWN, 0, GLFW_PRESS, 0);
      } else {
        ImGui_ImplGlfw_KeyCallback(window_, GLFW_KEY_PAGE_DOWN, 0, GLFW_RELEASE, 0);
      }
    }
    Frame();
    const Clock::time_point built = Clock::now();
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor(0.1f, 0.1f, 0.12f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ++frames;
    idle_frames_ = Idle() ? idle_frames_ + 1 : 0;
    if (bench_started && bench_left > 0) {
      glFinish();
      frame_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - frame_start).count());
      build_ms.push_back(std::chrono::duration<double, std::milli>(built - frame_start).count());
      if (--bench_left == 0) break;
    }
    if (options_.bench_scroll > 0 && !bench_started && idle_frames_ >= 3 && frames >= options_.frames) {
      bench_started = true;
    }
    if (headless && !script_running && options_.bench_scroll == 0 && frames >= options_.frames && idle_frames_ >= 3 &&
        release_key_ < 0) {
      if (!options_.screenshot.empty()) {
        Status st = Capture(options_.screenshot);
        if (!st.ok()) {
          std::fprintf(stderr, "custos-viewer: %s\n", st.message().c_str());
          exit_code_ = 1;
        }
      }
      break;
    }
    if (headless && std::chrono::duration<double>(Clock::now() - started).count() > kHeadlessTimeoutSeconds) {
      std::fprintf(stderr, "custos-viewer: gave up waiting for the queries after %.0f s\n", kHeadlessTimeoutSeconds);
      if (!options_.screenshot.empty()) (void)Capture(options_.screenshot);
      exit_code_ = 1;
      break;
    }
    glfwSwapBuffers(window_);
  }
  const auto report = [](const char* what, std::vector<double> ms) {
    if (ms.empty()) return;
    std::sort(ms.begin(), ms.end());
    double sum = 0;
    for (double v : ms) sum += v;
    std::printf("%s: frames %zu  mean %.2f ms  median %.2f ms  p95 %.2f ms  max %.2f ms\n", what, ms.size(),
                sum / static_cast<double>(ms.size()), ms[ms.size() / 2],
                ms[std::min(ms.size() - 1, ms.size() * 95 / 100)], ms.back());
  };
  report("building the frame (views, queries taken, ImGui)", build_ms);
  report("whole frame (with OpenGL drawing and glFinish)", frame_ms);
  // The writer finishes what was typed before quitting; the reader drops what is left.
  writes_.reset();
  content_.reset();
  reads_.reset();
  return exit_code_;
}

void GlfwError(int code, const char* message) {
  std::fprintf(stderr, "custos-viewer: GLFW error %d: %s\n", code, message);
}

}  // namespace

int RunViewer(const AppOptions& options) {
  glfwSetErrorCallback(GlfwError);
  if (!glfwInit()) {
    std::fprintf(stderr,
                 "custos-viewer: cannot open a window (no display?). Run it in a desktop session, or headless under "
                 "xvfb-run with --screenshot.\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  const bool headless = !options.screenshot.empty() || !options.script.empty() || options.bench_scroll > 0;
  if (headless) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  const std::string title = "Custos viewer - " + options.case_path;
  GLFWwindow* window = glfwCreateWindow(options.width, options.height, title.c_str(), nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "custos-viewer: cannot create an OpenGL 3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(headless ? 0 : 1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // never write beside the case (or anywhere) without being asked
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 130");
  int rc = 0;
  {
    Viewer viewer(options, window);
    rc = viewer.Run();
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}

}  // namespace custos::viewer
