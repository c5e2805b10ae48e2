// Exams: the requests for a full examination by a forensic supplier (see README "Examination requests").
// The list with status and deadline (overdue in red), the selected request in full with its history, and
// the keys that act on it: N a new draft (pre-filled by reports::DraftExamRequest, as `custos exam
// request` does), E edit a draft, S move it to its next state, W withdraw it (closed, with a note), X
// export the open requests (reports::ExportExamRequests, as `custos exam export`). Every change goes
// through ExamRequestStore on the read-write connection, so it is timed and audited exactly as the CLI's.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <functional>
#include <sstream>

#include "gui/views/views.h"
#include "gui/widgets.h"
#include "reports/exam_request_export.h"
#include "reports/report_model.h"
#include "triage/base/format.h"
#include "triage/store/exam_requests.h"

namespace custos::viewer {

namespace {

const ImVec4 kRed(0.85f, 0.15f, 0.15f, 1.0f);

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

struct ExamsView : View {
  enum class Action { kNone, kNew, kEdit, kStatus, kWithdraw, kExport };

  // The form for a new or edited draft: what the officer types.
  struct Form {
    int64_t id = 0;  // 0: a new draft
    std::string exhibit, supplier, priority = "normal", authority, deadline, deadline_kind, examine, questions;
    bool suggestions = true;
    std::string error;
  };

  struct State {
    uint64_t generation = UINT64_MAX;
    bool loading = false;
    std::string error;
    std::vector<ExamRequest> requests;
    std::vector<std::string> exhibits;
    int64_t selected = 0;
    int64_t events_for = -1;
    std::vector<ExamEvent> events;
    Action pending = Action::kNone;  // asked for by a key or the menu, opened in Draw
    Form form;
    std::string next_status, note, out;
  } state;

  const char* name() const override { return "exams"; }
  const char* title() const override { return "Exams"; }
  const char* shortcuts() const override {
    return "Up/Down rows, N new draft, E edit draft (Ctrl+S saves, Esc cancels), S next status, W withdraw, X "
           "export";
  }
  bool has_menu() const override { return true; }

  const ExamRequest* Selected() const {
    if (state.selected < 0 || state.selected >= static_cast<int64_t>(state.requests.size())) return nullptr;
    return &state.requests[state.selected];
  }

  void Menu(ViewContext& /*ctx*/) override {
    const ExamRequest* r = Selected();
    const bool draft = r && r->status == "draft";
    const bool open = r && r->status != "closed";
    if (ImGui::MenuItem("New draft request...", "N")) state.pending = Action::kNew;
    if (ImGui::MenuItem("Edit the draft...", "E", false, draft)) state.pending = Action::kEdit;
    if (ImGui::MenuItem("Move to the next status...", "S", false, open)) state.pending = Action::kStatus;
    if (ImGui::MenuItem("Withdraw (close with a note)...", "W", false, open)) state.pending = Action::kWithdraw;
    if (ImGui::MenuItem("Export the open requests...", "X")) state.pending = Action::kExport;
  }

  void Load(ViewContext& ctx) {
    state.generation = ctx.generation;
    state.loading = true;
    ctx.reads->Submit([this](CaseStore& store) -> QueryWorker::Apply {
      auto list = ExamRequestStore(store).List();
      auto exhibits = store.Exhibits();
      return [this, list = std::move(list), exhibits = std::move(exhibits)]() {
        state.loading = false;
        state.error = list.ok() ? "" : list.status().message();
        state.requests = list.ok() ? *list : std::vector<ExamRequest>();
        state.exhibits.clear();
        if (exhibits.ok()) {
          for (const auto& e : *exhibits) state.exhibits.push_back(e.record.reference);
        }
        state.selected = std::clamp<int64_t>(state.selected, 0, std::max<int64_t>(0, state.requests.size() - 1));
        state.events_for = -1;  // re-read the history of the selection
      };
    });
  }

  void LoadEvents(ViewContext& ctx, int64_t id) {
    state.events_for = id;
    ctx.reads->Submit([this, id](CaseStore& store) -> QueryWorker::Apply {
      auto events = ExamRequestStore(store).Events(id);
      return [this, id, events = std::move(events)]() {
        if (state.events_for == id) state.events = events.ok() ? *events : std::vector<ExamEvent>();
      };
    });
  }

  // Runs `change` on the read-write connection, then says how it went and re-reads every view.
  void Write(ViewContext& ctx, std::function<Status(CaseStore&)> change, std::string done) {
    if (!ctx.writes) {
      ctx.notify("the case file is open read-only: nothing was changed");
      return;
    }
    ctx.writes->Submit([change = std::move(change), done = std::move(done), &ctx](CaseStore& store) {
      Status st = change(store);
      return QueryWorker::Apply([st, done, &ctx]() {
        ctx.notify(st.ok() ? done : "not done: " + st.message());
        if (st.ok()) ctx.changed();
      });
    });
  }

  void OpenAction(ViewContext& ctx, Action action) {
    const ExamRequest* r = Selected();
    switch (action) {
      case Action::kNew:
        state.form = Form();
        if (!state.exhibits.empty()) state.form.exhibit = r ? r->exhibit : state.exhibits.front();
        ImGui::OpenPopup("Examination request");
        break;
      case Action::kEdit:
        if (!r || r->status != "draft") {
          ctx.notify("only a draft can be edited: select one (Up/Down) or make one with N");
          return;
        }
        state.form = Form();
        state.form.id = r->id;
        state.form.exhibit = r->exhibit, state.form.supplier = r->supplier, state.form.priority = r->priority;
        state.form.authority = r->legal_authority, state.form.examine = r->examine;
        state.form.questions = Joined(r->questions);
        state.form.deadline = r->deadline ? IsoDeadline(*r->deadline) : "";
        state.form.deadline_kind = r->deadline_kind;
        ImGui::OpenPopup("Examination request");
        break;
      case Action::kStatus:
      case Action::kWithdraw: {
        if (!r || r->status == "closed") {
          ctx.notify("select an open request first (Up/Down)");
          return;
        }
        const auto next = ExamRequestStore::NextStatuses(r->status);
        state.next_status = action == Action::kWithdraw || next.empty() ? "closed" : next.front();
        state.note.clear();
        ImGui::OpenPopup("Change status");
        break;
      }
      case Action::kExport:
        state.out = DefaultExportFolder(ctx);
        ImGui::OpenPopup("Export requests");
        break;
      case Action::kNone:
        break;
    }
  }

  static std::string IsoDeadline(UtcMicros t) {
    std::string s = FormatUtc(t);  // "2026-11-22 08:30:00 UTC"
    if (s.size() > 4 && s.compare(s.size() - 4, 4, " UTC") == 0) s.resize(s.size() - 4);
    return s;
  }

  std::string DefaultExportFolder(ViewContext& ctx) const {
    std::string base = ctx.case_path;
    if (base.size() > 7 && base.compare(base.size() - 7, 7, ".custos") == 0) base.resize(base.size() - 7);
    std::string stamp = FormatUtc(NowUtcMicros());  // "2026-11-22 08:30:00 UTC"
    stamp = stamp.substr(0, 10) + "T" + stamp.substr(11, 2) + stamp.substr(14, 2) + stamp.substr(17, 2);
    return base + "-exam-requests-" + stamp;
  }

  void SaveForm(ViewContext& ctx) {
    Form f = state.form;
    std::optional<UtcMicros> deadline;
    if (!f.deadline.empty()) {
      deadline = ParseUtc(f.deadline);
      if (!deadline) {
        state.form.error = "the deadline '" + f.deadline + "' is not a UTC time like 2026-11-24 08:30";
        return;
      }
    }
    if (f.supplier.empty()) {
      state.form.error = "give the supplier";
      return;
    }
    if (!ExamRequestStore::IsPriority(f.priority)) {
      state.form.error = "priority: urgent, high, normal or low";
      return;
    }
    const std::string officer = ctx.officer;
    if (f.id == 0) {
      Write(
          ctx,
          [f, deadline, officer](CaseStore& store) -> Status {
            auto model = reports::BuildReportModel(store, "");
            if (!model.ok()) return model.status();
            reports::ExamDraftInput input{f.exhibit,          f.supplier,    f.priority, f.examine,      f.authority,
                                          Lines(f.questions), f.suggestions, deadline,   f.deadline_kind};
            return ExamRequestStore(store).Create(reports::DraftExamRequest(*model, input), officer).status();
          },
          "draft request made for " + f.supplier);
    } else {
      Write(
          ctx,
          [f, deadline, officer](CaseStore& store) -> Status {
            ExamRequestStore exams(store);
            auto r = exams.Get(f.id);
            if (!r.ok()) return r.status();
            r->supplier = f.supplier, r->priority = f.priority, r->legal_authority = f.authority;
            r->examine = f.examine, r->questions = Lines(f.questions);
            r->deadline = deadline;
            r->deadline_kind = deadline ? (f.deadline_kind.empty() ? "other" : f.deadline_kind) : "";
            return exams.Edit(*r, officer);
          },
          "request " + std::to_string(f.id) + " saved");
    }
    ImGui::CloseCurrentPopup();
  }

  void DrawForm(ViewContext& ctx) {
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 46, 0), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal("Examination request", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    Form& f = state.form;
    if (f.id == 0) {
      ImGui::TextWrapped(
          "New draft. What to examine, the deadline (the custody limit) and the questions drawn from the triage "
          "and the tags are filled in when it is saved; edit them afterwards with E.");
    } else {
      ImGui::Text("Edit draft request %lld (exhibit %s)", static_cast<long long>(f.id), f.exhibit.c_str());
    }
    ImGui::TextDisabled("Tab next field, Ctrl+S saves, Esc cancels");
    ImGui::Separator();
    const float w = ImGui::GetFontSize() * 30;
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    if (f.id == 0) {
      ImGui::SetNextItemWidth(w);
      ImGui::InputText("exhibit", &f.exhibit);
      ImGui::SameLine();
      std::string list;
      for (const auto& e : state.exhibits) list += (list.empty() ? "" : ", ") + e;
      ImGui::TextDisabled("(%s)", list.c_str());
    }
    ImGui::SetNextItemWidth(w);
    ImGui::InputTextWithHint("supplier", "e.g. Acme Forensics", &f.supplier);
    ImGui::SetNextItemWidth(w);
    ImGui::InputTextWithHint("priority", "urgent, high, normal or low", &f.priority);
    ImGui::SetNextItemWidth(w);
    ImGui::InputTextWithHint("legal authority", "e.g. PACE s.19; warrant 2026/123", &f.authority);
    ImGui::SetNextItemWidth(w);
    ImGui::InputTextWithHint("deadline (UTC)", f.id == 0 ? "empty: the custody limit" : "2026-11-24 08:30",
                             &f.deadline);
    ImGui::SetNextItemWidth(w);
    ImGui::InputTextWithHint("deadline kind", "court, custody or other", &f.deadline_kind);
    ImGui::InputTextMultiline("what to examine", &f.examine, ImVec2(w, ImGui::GetTextLineHeight() * 3));
    ImGui::InputTextMultiline(f.id == 0 ? "your questions, one a line" : "questions, one a line", &f.questions,
                              ImVec2(w, ImGui::GetTextLineHeight() * (f.id == 0 ? 4 : 10)));
    if (f.id == 0) ImGui::Checkbox("add the questions drawn from the case", &f.suggestions);
    if (!f.error.empty()) ImGui::TextColored(kRed, "%s", f.error.c_str());
    ImGuiIO& io = ImGui::GetIO();
    bool save = ImGui::Button("Save (Ctrl+S)") || (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S, false));
    ImGui::SameLine();
    if (ImGui::Button("Cancel (Esc)") || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) {
      ImGui::CloseCurrentPopup();
      save = false;
    }
    if (save) SaveForm(ctx);
    ImGui::EndPopup();
  }

  void DrawStatusDialog(ViewContext& ctx) {
    if (!ImGui::BeginPopupModal("Change status", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    const ExamRequest* r = Selected();
    if (!r) {
      ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
      return;
    }
    ImGui::Text("Request %lld (%s, %s): %s -> %s", static_cast<long long>(r->id), r->exhibit.c_str(),
                r->supplier.c_str(), r->status.c_str(), state.next_status.c_str());
    const bool withdraw = state.next_status == "closed" && r->status != "results_received";
    ImGui::TextUnformatted(withdraw ? "Why is it withdrawn? (a note is needed; Enter saves, Esc cancels)"
                                    : "Note (optional; Enter saves, Esc cancels):");
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 32);
    bool save = ImGui::InputText("##note", &state.note, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::Button("Save (Enter)")) save = true;
    ImGui::SameLine();
    const bool cancel = ImGui::Button("Cancel (Esc)") || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false);
    if (save) {
      const int64_t id = r->id;
      const std::string to = state.next_status, note = state.note, officer = ctx.officer;
      Write(
          ctx,
          [id, to, note, officer](CaseStore& store) {
            return ExamRequestStore(store).SetStatus(id, to, note, officer);
          },
          "request " + std::to_string(id) + " is now " + to);
    }
    if (save || cancel) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }

  void DrawExportDialog(ViewContext& ctx) {
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 46, 0), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal("Export requests", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    ImGui::TextWrapped(
        "Every request not closed is written as a package per supplier (request JSON and PDF, manifest.json, "
        "split under 10 MB), into a new folder (Enter exports, Esc cancels):");
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 44);
    bool save = ImGui::InputText("##out", &state.out, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::Button("Export (Enter)")) save = true;
    ImGui::SameLine();
    const bool cancel = ImGui::Button("Cancel (Esc)") || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false);
    if (save) {
      const std::string out = state.out, officer = ctx.officer;
      Write(
          ctx,
          [out, officer](CaseStore& store) -> Status {
            auto model = reports::BuildReportModel(store, "");
            if (!model.ok()) return model.status();
            reports::ExamExportOptions options;
            options.out = out;
            options.actor = officer;
            return reports::ExportExamRequests(store, *model, options).status();
          },
          "exported to " + out + " (custos package verify checks each supplier's folder)");
    }
    if (save || cancel) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }

  void DrawDetail(const ExamRequest& r) {
    ImGui::Text("Request %lld: exhibit %s, %s, priority %s, %s", static_cast<long long>(r.id), r.exhibit.c_str(),
                r.supplier.c_str(), r.priority.c_str(), r.status.c_str());
    ImGui::Text("Deadline: %s", r.deadline ? (FormatUtc(r.deadline) + " (" + r.deadline_kind + ")").c_str() : "none");
    if (ExamRequestStore::Overdue(r, NowUtcMicros())) {
      ImGui::SameLine();
      ImGui::TextColored(kRed, "OVERDUE: past the deadline, results not received");
    }
    ImGui::Text("Image hashes when requested: MD5 %s  SHA-1 %s", r.image_md5.empty() ? "-" : r.image_md5.c_str(),
                r.image_sha1.empty() ? "-" : r.image_sha1.c_str());
    ImGui::Text("Legal authority: %s", r.legal_authority.empty() ? "(none given)" : r.legal_authority.c_str());
    ImGui::Text("Made by %s, %s; changed %s", r.author.c_str(), FormatUtc(r.created).c_str(),
                FormatUtc(r.modified).c_str());
    ImGui::Separator();
    ImGui::TextUnformatted("What to examine:");
    ImGui::TextWrapped("%s", r.examine.c_str());
    ImGui::Text("Questions (%zu):", r.questions.size());
    for (size_t i = 0; i < r.questions.size(); ++i) ImGui::TextWrapped("%zu. %s", i + 1, r.questions[i].c_str());
    ImGui::Separator();
    ImGui::TextUnformatted("History:");
    for (const ExamEvent& e : state.events) {
      ImGui::Text("%s  %s -> %s  by %s%s%s", FormatUtc(e.at).c_str(),
                  e.from_status.empty() ? "-" : e.from_status.c_str(), e.to_status.c_str(), e.actor.c_str(),
                  e.note.empty() ? "" : ": ", e.note.c_str());
    }
  }

  void Draw(ViewContext& ctx) override {
    if (state.generation != ctx.generation) Load(ctx);
    const bool dialog = ImGui::IsPopupOpen("Examination request") || ImGui::IsPopupOpen("Change status") ||
                        ImGui::IsPopupOpen("Export requests");
    if (!dialog && !ctx.typing && !ImGui::GetIO().KeyCtrl && state.pending == Action::kNone) {
      if (ImGui::IsKeyPressed(GLFW_KEY_N, false)) state.pending = Action::kNew;
      if (ImGui::IsKeyPressed(GLFW_KEY_E, false)) state.pending = Action::kEdit;
      if (ImGui::IsKeyPressed(GLFW_KEY_S, false)) state.pending = Action::kStatus;
      if (ImGui::IsKeyPressed(GLFW_KEY_W, false)) state.pending = Action::kWithdraw;
      if (ImGui::IsKeyPressed(GLFW_KEY_X, false)) state.pending = Action::kExport;
    }
    if (!dialog) MoveSelection(ctx, static_cast<int64_t>(state.requests.size()), 10, &state.selected);
    if (state.pending != Action::kNone) {
      const Action a = state.pending;
      state.pending = Action::kNone;
      OpenAction(ctx, a);
    }

    const UtcMicros now = NowUtcMicros();
    int overdue = 0;
    for (const auto& r : state.requests) overdue += ExamRequestStore::Overdue(r, now);
    ImGui::Text("%zu examination request(s)", state.requests.size());
    if (overdue > 0) {
      ImGui::SameLine();
      ImGui::TextColored(kRed, "%d overdue", overdue);
    }
    if (state.loading) {
      ImGui::SameLine();
      Spinner("exams");
    }
    ImGui::SameLine();
    ImGui::TextDisabled("   N new draft, E edit, S next status, W withdraw, X export");
    if (!state.error.empty()) ImGui::TextColored(kRed, "%s", state.error.c_str());
    if (state.requests.empty() && !state.loading) {
      ImGui::TextWrapped(
          "No examination request yet. Press N to draft one for an exhibit: it is pre-filled from the "
          "triage findings and the tags.");
    }

    const float list_h =
        std::min(ImGui::GetContentRegionAvail().y * 0.4f,
                 ImGui::GetFrameHeightWithSpacing() * (static_cast<float>(state.requests.size()) + 1.5f));
    if (!state.requests.empty() && ImGui::BeginTable("requests", 7,
                                                     ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                                         ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable,
                                                     ImVec2(0, list_h))) {
      ImGui::TableSetupScrollFreeze(0, 1);
      const float em = ImGui::GetFontSize();
      ImGui::TableSetupColumn("id", ImGuiTableColumnFlags_WidthFixed, em * 2.5f);
      ImGui::TableSetupColumn("exhibit", ImGuiTableColumnFlags_WidthFixed, em * 6);
      ImGui::TableSetupColumn("supplier", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableSetupColumn("priority", ImGuiTableColumnFlags_WidthFixed, em * 5);
      ImGui::TableSetupColumn("status", ImGuiTableColumnFlags_WidthFixed, em * 8);
      ImGui::TableSetupColumn("deadline (UTC)", ImGuiTableColumnFlags_WidthFixed, em * 16);
      ImGui::TableSetupColumn("questions", ImGuiTableColumnFlags_WidthFixed, em * 5);
      ImGui::TableHeadersRow();
      for (size_t i = 0; i < state.requests.size(); ++i) {
        const ExamRequest& r = state.requests[i];
        const bool late = ExamRequestStore::Overdue(r, now);
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::Selectable(std::to_string(r.id).c_str(), state.selected == static_cast<int64_t>(i),
                              ImGuiSelectableFlags_SpanAllColumns)) {
          state.selected = static_cast<int64_t>(i);
        }
        ImGui::PopID();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.exhibit.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.supplier.c_str());
        ImGui::TableNextColumn();
        if (r.priority == "urgent") {
          ImGui::TextColored(kRed, "urgent");
        } else {
          ImGui::TextUnformatted(r.priority.c_str());
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.status.c_str());
        ImGui::TableNextColumn();
        const std::string when = r.deadline ? FormatUtc(r.deadline).substr(0, 16) + " " + r.deadline_kind : "-";
        if (late) {
          ImGui::TextColored(kRed, "%s OVERDUE", when.c_str());
        } else {
          ImGui::TextUnformatted(when.c_str());
        }
        ImGui::TableNextColumn();
        ImGui::Text("%zu", r.questions.size());
      }
      ImGui::EndTable();
    }

    if (const ExamRequest* r = Selected()) {
      if (state.events_for != r->id) LoadEvents(ctx, r->id);
      ImGui::BeginChild("detail", ImVec2(0, 0), true);
      DrawDetail(*r);
      ImGui::EndChild();
    }
    DrawForm(ctx);
    DrawStatusDialog(ctx);
    DrawExportDialog(ctx);
  }
};

}  // namespace

std::unique_ptr<View> MakeExamsView() { return std::make_unique<ExamsView>(); }

}  // namespace custos::viewer
