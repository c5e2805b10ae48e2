// Dashboard: the custody clock, each exhibit with its verification and triage progress, and the headline
// findings, each of which opens its list (a click, or the key shown beside it).
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <ctime>
#include <map>
#include <optional>

#include "gui/case_queries.h"
#include "gui/views/views.h"
#include "gui/widgets.h"
#include "triage/base/format.h"

namespace custos::viewer {

namespace {

constexpr int64_t kHour = 3600LL * 1000000;
constexpr int kLimitHours[] = {24, 36, 96};  // PACE: the relevant time plus 24 h, 36 h (superintendent), 96 h (warrant)

struct ExhibitLine {
  std::string reference, format, verification, state;
  int64_t wanted = 0, done = 0, files = 0;
};

struct Headline {
  std::string label;
  int64_t count = 0;
  std::string view, arg;  // the list it opens
  int key = 0;            // GLFW key that opens it
  bool alarm = false;     // known-bad: drawn in red when non-zero
};

struct Snapshot {
  std::string case_reference, operation, officer;
  std::optional<int64_t> custody_start, custody_limit;
  std::vector<ExhibitLine> exhibits;
  std::vector<Headline> headlines;
  std::map<std::string, int64_t> grades;
  int64_t tags = 0;
  std::vector<TextRow> errors;  // latest first
  std::string error;            // the query's own failure
};

std::optional<int64_t> OptInt(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return std::stoll(s);
}

int64_t Int(const std::string& s) { return s.empty() ? 0 : std::stoll(s); }

// Sum of the artefact counts of the kinds matching any of the SQL LIKE patterns.
std::string KindCount(const std::vector<std::string>& patterns) {
  std::string where;
  for (const auto& p : patterns) where += (where.empty() ? "" : " OR ") + std::string("kind LIKE '") + p + "'";
  return "SELECT count(*) FROM artefact WHERE " + where;
}

Snapshot Load(CaseStore& store) {
  Snapshot s;
  auto fail = [&s](const Status& st) {
    s.error = st.message();
    return s;
  };
  auto info =
      QueryRows(store, "SELECT case_reference, operation, officer, custody_start, custody_limit FROM case_info", {});
  if (!info.ok()) return fail(info.status());
  if (!info->empty()) {
    const TextRow& r = info->front();
    s.case_reference = r[0];
    s.operation = r[1];
    s.officer = r[2];
    s.custody_start = OptInt(r[3]);
    s.custody_limit = OptInt(r[4]);
  }
  auto ex = QueryRows(store,
                      "SELECT e.reference, e.format, e.verification, e.state,"
                      " ifnull(p.files, 0), ifnull(p.wanted, 0), ifnull(p.done, 0)"
                      " FROM exhibit e LEFT JOIN (SELECT v.exhibit_id, sum(c.files) AS files, sum(c.wanted) AS wanted,"
                      "   sum(c.done) AS done FROM file_progress c JOIN filesystem fs ON fs.id = c.filesystem_id"
                      "   JOIN volume v ON v.id = fs.volume_id GROUP BY v.exhibit_id) p ON p.exhibit_id = e.id"
                      " ORDER BY e.id",
                      {});
  if (!ex.ok()) return fail(ex.status());
  for (const auto& r : *ex) {
    s.exhibits.push_back({r[0], r[1], r[2], r[3], Int(r[5]), Int(r[6]), Int(r[4])});
  }
  auto bad = QueryRows(store,
                       "SELECT category, count(DISTINCT file_id) FROM hash_hit WHERE set_kind = 'known_bad'"
                       " GROUP BY category ORDER BY 2 DESC",
                       {});
  if (!bad.ok()) return fail(bad.status());
  if (bad->empty()) {
    s.headlines.push_back({"Known-bad hash hits", 0, "gallery", "known_bad", GLFW_KEY_H, true});
  }
  for (const auto& r : *bad) {
    const std::string cat = r[0].empty() ? "uncategorised" : r[0];
    s.headlines.push_back({"Known-bad: " + cat, Int(r[1]), "gallery", "category=" + r[0], GLFW_KEY_H, true});
  }
  struct Count {
    const char* label;
    std::string sql;
    const char* view;
    std::string arg;
    int key;
  };
  const std::vector<Count> counts = {
      {"Keyword hits", "SELECT count(*) FROM keyword_hit", "hits", "", GLFW_KEY_K},
      {"User accounts", KindCount({"%user_account%"}), "artefacts", "%user_account%", GLFW_KEY_U},
      {"USB devices", KindCount({"%usb%"}), "artefacts", "%usb%", GLFW_KEY_S},
      {"Searches", KindCount({"%search%", "%typed_url%", "%typed_path%"}), "artefacts", "%search%", GLFW_KEY_E},
      {"Messages", KindCount({"%message%", "%sms%", "chat.%", "mobile.%"}), "artefacts", "%message%", GLFW_KEY_M},
      {"Pictures", "SELECT count(*) FROM file WHERE mime >= 'image/' AND mime < 'image0'", "gallery", "", GLFW_KEY_P},
      {"Deleted files", "SELECT count(*) FROM file WHERE deleted = 1", "files", "deleted", GLFW_KEY_D},
      {"Errors", "SELECT count(*) FROM error", "dashboard", "errors", GLFW_KEY_R},
  };
  for (const auto& c : counts) {
    auto n = QueryInt(store, c.sql);
    if (!n.ok()) return fail(n.status());
    s.headlines.push_back({c.label, *n, c.view, c.arg, c.key, false});
  }
  auto grades = QueryRows(store, "SELECT grade, count(*) FROM picture_grade GROUP BY grade", {});
  if (!grades.ok()) return fail(grades.status());
  for (const auto& r : *grades) s.grades[r[0]] = Int(r[1]);
  auto tags = QueryInt(store, "SELECT count(*) FROM tag");
  if (!tags.ok()) return fail(tags.status());
  s.tags = *tags;
  auto errors =
      QueryRows(store, "SELECT stage, source, location, message, advice FROM error ORDER BY id DESC LIMIT 200", {});
  if (!errors.ok()) return fail(errors.status());
  s.errors = std::move(errors.value());
  return s;
}

std::string Duration(int64_t micros) {
  const bool neg = micros < 0;
  int64_t minutes = (neg ? -micros : micros) / 60000000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%lldh %02lldm", neg ? "-" : "", static_cast<long long>(minutes / 60),
                static_cast<long long>(minutes % 60));
  return buf;
}

struct DashboardView : View {
  struct State {
    uint64_t generation = UINT64_MAX;
    bool loading = false;
    bool loaded = false;
    Snapshot snapshot;
    bool show_errors = false;
  } state;

  const char* name() const override { return "dashboard"; }
  const char* title() const override { return "Dashboard"; }
  const char* shortcuts() const override {
    return "H known-bad, K keyword hits, U users, S USB, E searches, M messages, P pictures, D deleted, R errors";
  }

  void Open(ViewContext& /*ctx*/, const std::string& arg) override {
    if (arg == "errors") state.show_errors = true;
  }

  void Request(ViewContext& ctx) {
    state.generation = ctx.generation;
    state.loading = true;
    ctx.reads->Submit([this](CaseStore& store) -> QueryWorker::Apply {
      Snapshot s = Load(store);
      return [this, s = std::move(s)]() mutable {
        state.snapshot = std::move(s);
        state.loading = false;
        state.loaded = true;
      };
    });
  }

  void DrawClock() {
    const Snapshot& s = state.snapshot;
    ImGui::TextDisabled("CUSTODY CLOCK");
    if (!s.custody_start) {
      ImGui::TextWrapped("No detention start recorded (custos triage --custody-start).");
      return;
    }
    const int64_t now = static_cast<int64_t>(std::time(nullptr)) * 1000000;
    ImGui::Text("Relevant time   %s", FormatUtc(*s.custody_start).c_str());
    ImGui::Text("Elapsed         %s", Duration(now - *s.custody_start).c_str());
    if (s.custody_limit) ImGui::Text("Current limit   %s", FormatUtc(*s.custody_limit).c_str());
    if (ImGui::BeginTable("clock", 3, ImGuiTableFlags_BordersInnerH)) {
      ImGui::TableSetupColumn("limit", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 3);
      ImGui::TableSetupColumn("at", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 13);
      ImGui::TableSetupColumn("left", ImGuiTableColumnFlags_WidthStretch);
      for (int hours : kLimitHours) {
        const int64_t limit = *s.custody_start + hours * kHour;
        const int64_t left = limit - now;
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::Text("%d h", hours);
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(FormatUtc(limit).c_str());
        ImGui::TableSetColumnIndex(2);
        ImVec4 colour(0.45f, 0.85f, 0.45f, 1);
        std::string text = Duration(left) + " left";
        if (left <= 0) {
          colour = ImVec4(1.0f, 0.35f, 0.35f, 1);
          text = "PASSED " + Duration(-left) + " ago";
        } else if (left < 2 * kHour) {
          colour = ImVec4(1.0f, 0.45f, 0.3f, 1);
          text = "WARNING: " + text;
        } else if (left < 6 * kHour) {
          colour = ImVec4(1.0f, 0.8f, 0.3f, 1);
        }
        ImGui::TextColored(colour, "%s", text.c_str());
      }
      ImGui::EndTable();
    }
  }

  void DrawExhibits() {
    ImGui::TextDisabled("EXHIBITS");
    if (state.snapshot.exhibits.empty()) ImGui::TextUnformatted("none yet");
    for (const auto& e : state.snapshot.exhibits) {
      ImGui::Text("%s  (%s, %s files)", e.reference.c_str(), e.format.c_str(), Thousands(e.files).c_str());
      const bool good = e.verification == "verified";
      const bool bad = e.verification == "mismatch" || e.verification == "failed";
      ImGui::SameLine();
      ImGui::TextColored(good  ? ImVec4(0.45f, 0.85f, 0.45f, 1)
                         : bad ? ImVec4(1.0f, 0.35f, 0.35f, 1)
                               : ImVec4(0.85f, 0.85f, 0.5f, 1),
                         "[%s]", e.verification.c_str());
      const float fraction = e.wanted > 0 ? static_cast<float>(e.done) / static_cast<float>(e.wanted) : 1.0f;
      const std::string overlay = e.state + ": " + Thousands(e.done) + " / " + Thousands(e.wanted) + " files read";
      ImGui::ProgressBar(e.state == "complete" ? 1.0f : fraction, ImVec2(-1, 0), overlay.c_str());
    }
  }

  void DrawHeadlines(ViewContext& ctx) {
    ImGui::TextDisabled("HEADLINE FINDINGS (click or press the key)");
    if (ImGui::BeginTable("headlines", 3, ImGuiTableFlags_RowBg)) {
      ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 2);
      ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableSetupColumn("count", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 6);
      for (const auto& h : state.snapshot.headlines) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextDisabled("%c", 'A' + (h.key - GLFW_KEY_A));
        ImGui::TableSetColumnIndex(1);
        const bool alarm = h.alarm && h.count > 0;
        if (alarm) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.4f, 0.4f, 1));
        bool open = ImGui::Selectable(h.label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns);
        if (alarm) ImGui::PopStyleColor();
        ImGui::TableSetColumnIndex(2);
        ImGui::TextUnformatted(Thousands(h.count).c_str());
        if (!ctx.typing && ImGui::IsKeyPressed(h.key, false) && !ImGui::GetIO().KeyCtrl) open = true;
        if (open) {
          if (h.view == "dashboard") {
            state.show_errors = !state.show_errors;
          } else {
            ctx.show(h.view, h.arg);
          }
        }
      }
      ImGui::EndTable();
    }
    ImGui::Spacing();
    ImGui::TextDisabled("REVIEW");
    const Snapshot& s = state.snapshot;
    auto grade = [&s](const char* g) {
      auto it = s.grades.find(g);
      return Thousands(it == s.grades.end() ? 0 : it->second);
    };
    ImGui::Text("Pictures graded: A %s   B %s   C %s   not relevant %s   needs review %s", grade("A").c_str(),
                grade("B").c_str(), grade("C").c_str(), grade("not_relevant").c_str(), grade("needs_review").c_str());
    ImGui::Text("Tags: %s", Thousands(s.tags).c_str());
  }

  void DrawErrors() {
    ImGui::TextDisabled("ERRORS (latest first; R hides)");
    const float height = ImGui::GetContentRegionAvail().y;
    if (ImGui::BeginTable(
            "errors", 4,
            ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersV,
            ImVec2(0, height))) {
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableSetupColumn("stage", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 6);
      ImGui::TableSetupColumn("where", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableSetupColumn("what went wrong", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableSetupColumn("what to do", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableHeadersRow();
      for (const auto& r : state.snapshot.errors) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(r[0].c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted((r[1] + (r[2].empty() ? "" : " @ " + r[2])).c_str());
        ImGui::TableSetColumnIndex(2);
        ImGui::TextWrapped("%s", r[3].c_str());
        ImGui::TableSetColumnIndex(3);
        ImGui::TextWrapped("%s", r[4].c_str());
      }
      ImGui::EndTable();
    }
  }

  void Draw(ViewContext& ctx) override {
    if (state.generation != ctx.generation && !state.loading) Request(ctx);
    if (!state.loaded) {
      Spinner("dash");
      ImGui::SameLine();
      ImGui::TextUnformatted("Loading the case...");
      return;
    }
    const Snapshot& s = state.snapshot;
    ImGui::Text("Case %s", s.case_reference.empty() ? "(no reference)" : s.case_reference.c_str());
    if (!s.operation.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("operation %s", s.operation.c_str());
    }
    if (!s.officer.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("officer %s", s.officer.c_str());
    }
    if (state.loading) {
      ImGui::SameLine();
      Spinner("dash-refresh");
    }
    if (!s.error.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", s.error.c_str());
    ImGui::Separator();
    const float half = ImGui::GetContentRegionAvail().x * 0.5f;
    const float top = state.show_errors ? ImGui::GetContentRegionAvail().y * 0.55f : 0;
    ImGui::BeginChild("left", ImVec2(half, top));
    DrawClock();
    ImGui::Spacing();
    DrawExhibits();
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("right", ImVec2(0, top));
    DrawHeadlines(ctx);
    ImGui::EndChild();
    if (state.show_errors) DrawErrors();
  }
};

}  // namespace

std::unique_ptr<View> MakeDashboardView() { return std::make_unique<DashboardView>(); }

}  // namespace custos::viewer
