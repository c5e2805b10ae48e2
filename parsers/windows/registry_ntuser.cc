// Parser: a user's NTUSER.DAT hive. What the user ran (UserAssist, RunMRU), opened (RecentDocs, the
// Open/Save dialog MRUs), typed (TypedURLs, TypedPaths) and searched for (WordWheelQuery), and what starts
// when they log on (Run, RunOnce). Most of these lists carry no time per entry: the key's last written
// time dates only the most recent entry (MRU position 0), and only that row gets it.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "parsers/common/byte_reader.h"
#include "parsers/common/field_values.h"
#include "parsers/common/windows_time.h"
#include "parsers/parser.h"
#include "parsers/windows/mru_list.h"
#include "parsers/windows/registry_hive.h"
#include "parsers/windows/shell_items.h"

namespace custos {
namespace {

const std::string kExplorer = "Software\\Microsoft\\Windows\\CurrentVersion\\Explorer";
const std::string kUserAssist = kExplorer + "\\UserAssist";
const std::string kRecentDocs = kExplorer + "\\RecentDocs";
const std::string kTypedPaths = kExplorer + "\\TypedPaths";
const std::string kWordWheelQuery = kExplorer + "\\WordWheelQuery";
const std::string kRunMru = kExplorer + "\\RunMRU";
const std::string kComDlg32 = kExplorer + "\\ComDlg32";
const std::string kTypedUrls = "Software\\Microsoft\\Internet Explorer\\TypedURLs";
const std::string kTypedUrlsTime = "Software\\Microsoft\\Internet Explorer\\TypedURLsTime";
const std::string kRun = "Software\\Microsoft\\Windows\\CurrentVersion\\Run";
const std::string kRunOnce = "Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce";

constexpr size_t kXpUserAssistSize = 16;
constexpr size_t kWin7UserAssistSize = 72;
constexpr uint32_t kXpRunCountBase = 5;  // XP and Vista start each counter at 5

std::string Rot13(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>('a' + (c - 'a' + 13) % 26);
    else if (c >= 'A' && c <= 'Z')
      c = static_cast<char>('A' + (c - 'A' + 13) % 26);
  }
  return s;
}

// "{6D809377-6AF0-444B-8957-A3773F02200E}\\Microsoft Office\\x.exe" -> "Program Files (64-bit)\\Microsoft
// Office\\x.exe".
std::string ResolveKnownFolder(const std::string& path) {
  if (path.size() < 38 || path[0] != '{' || path[37] != '}') return path;
  auto name = KnownFolderName(path.substr(0, 38));
  return name ? *name + path.substr(38) : path;
}

std::string Utf16Text(std::string_view data) { return ByteReader(data).Utf16Z(0, data.size() / 2).value_or(""); }

std::optional<std::string> Nonempty(std::string s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::optional<UtcMicros> TimeIfFirst(std::optional<int64_t> position, std::optional<UtcMicros> key_written) {
  if (position && *position == 0) return key_written;
  return std::nullopt;
}

// Numbered values ("url1", "url12"; "0", "17") in numeric order.
std::vector<RegistryValue> ValuesInNumberOrder(const RegistryKey& key, std::string_view prefix) {
  std::vector<std::pair<long, RegistryValue>> numbered;
  for (auto& v : key.Values()) {
    const std::string name = v.name();
    if (name.size() <= prefix.size() || name.size() > prefix.size() + 9) continue;
    bool digits = true;
    for (size_t i = 0; i < name.size(); ++i) {
      const char c = name[i];
      if (i < prefix.size() ? std::tolower(static_cast<unsigned char>(c)) != prefix[i]
                            : !std::isdigit(static_cast<unsigned char>(c))) {
        digits = false;
      }
    }
    if (digits) numbered.emplace_back(std::stol(name.substr(prefix.size())), std::move(v));
  }
  std::stable_sort(numbered.begin(), numbered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<RegistryValue> out;
  for (auto& [n, v] : numbered) out.push_back(std::move(v));
  return out;
}

// Puts out.rows[first...] in MRU order by their value `field` (unlisted entries last), so lists read as
// Windows shows them.
void SortByPosition(ParseOutput& out, size_t first, size_t field) {
  std::stable_sort(out.rows.begin() + static_cast<std::ptrdiff_t>(first), out.rows.end(),
                   [field](const ArtefactRow& a, const ArtefactRow& b) {
                     const auto* pa = std::get_if<int64_t>(&a.values[field]);
                     const auto* pb = std::get_if<int64_t>(&b.values[field]);
                     if (pa && pb) return *pa < *pb;
                     return pa != nullptr && pb == nullptr;
                   });
}

class NtuserParser : public Parser {
 public:
  std::string name() const override { return "windows.registry.ntuser"; }
  std::string version() const override { return "1"; }

  std::vector<KindDecl> kinds() const override {
    const FieldDecl key_written{"key_written", FieldType::kTime,
                                "the key's last written time: when the most recent entry (MRU position 0) was added or "
                                "used; it says nothing about older entries"};
    const FieldDecl mru_position{"mru_position", FieldType::kInteger,
                                 "place in the key's most-recently-used list, 0 = most recent; empty when not listed"};
    return {
        {"windows.userassist",
         "a program or shortcut the user started from Explorer or the Start menu, with how often and when last",
         {{"program", FieldType::kText, "what was run, known folder GUIDs replaced by the folder's name"},
          {"value_name", FieldType::kText, "the value name, ROT13-decoded, as Windows stored it"},
          {"userassist_guid", FieldType::kText,
           "the UserAssist subkey: {CEBFF5CD...} programs, {F4E57C4B...} shortcuts"},
          {"run_count", FieldType::kInteger, "times run (XP's stored count less its starting value of 5)"},
          {"focus_count", FieldType::kInteger, "times the program's window got the focus (Windows 7 and later)"},
          {"focus_time_ms", FieldType::kInteger, "total time its window had the focus, in milliseconds (Windows 7+)"},
          {"last_run", FieldType::kTime, "when it was last run"},
          {"format", FieldType::kText,
           "record layout: xp (16 bytes, XP/Vista) or win7 (72 bytes, Windows 7 and later)"}}},
        {"windows.recent_doc",
         "a file or folder the user opened recently (Explorer's RecentDocs)",
         {{"name", FieldType::kText, "the file or folder name"},
          {"extension", FieldType::kText,
           "the per-extension subkey the entry is in (\".docx\", \"Folder\"); empty for the main list"},
          {"value_name", FieldType::kText, "the value holding the entry"},
          mru_position,
          key_written}},
        {"windows.typed_url",
         "an address the user typed into Internet Explorer's (or Explorer's) address bar",
         {{"url", FieldType::kText, "what was typed"},
          {"value_name", FieldType::kText, "url1 is the most recent"},
          {"typed_time", FieldType::kTime, "when it was typed (TypedURLsTime, Windows 8 and later)"},
          key_written}},
        {"windows.typed_path",
         "a path the user typed into Explorer's address bar",
         {{"path", FieldType::kText, "what was typed"},
          {"value_name", FieldType::kText, "url1 is the most recent"},
          key_written}},
        {"windows.explorer_search",
         "terms the user searched for in Explorer (WordWheelQuery)",
         {{"term", FieldType::kText, "the search terms"},
          {"value_name", FieldType::kText, "the value holding them"},
          mru_position,
          key_written}},
        {"windows.run_mru",
         "a command the user typed into the Run dialog (Win+R)",
         {{"command", FieldType::kText, "the command line"},
          {"value_name", FieldType::kText, "the value holding it (a, b, c...)"},
          mru_position,
          key_written}},
        {"windows.opensave_mru",
         "a file the user opened or saved through a program's Open/Save dialog, or the folder that dialog last "
         "showed for a program",
         {{"list", FieldType::kText,
           "OpenSavePidlMRU / OpenSaveMRU (files) or LastVisitedPidlMRU / LastVisitedMRU (program and folder)"},
          {"extension", FieldType::kText, "the per-extension subkey (\"*\" = any extension); empty for LastVisited"},
          {"path", FieldType::kText,
           "the file or folder, as Explorer names it (\"My Computer\\\\C:\\\\Users\\\\...\")"},
          {"program", FieldType::kText, "the program that showed the dialog (LastVisited lists)"},
          {"value_name", FieldType::kText, "the value holding the entry"},
          mru_position,
          key_written}},
        {"windows.autorun",
         "a program Windows starts each time (Run) or once (RunOnce) when this user logs on",
         {{"run_key", FieldType::kText, "Run or RunOnce"},
          {"name", FieldType::kText, "the entry's name"},
          {"command", FieldType::kText, "the command line started"},
          {"key_written", FieldType::kTime, "when the key last changed (an entry added, changed or removed)"}}},
    };
  }

  bool Wants(const FileRecord& file, std::string_view head) const override {
    return MayBeHiveOfType(HiveType::kNtuser, file, head);
  }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto hive = RegistryHive::Open(input.bytes);
    if (!hive.ok()) return hive.status();
    const RegistryHive& h = **hive;
    if (!h.Root()) return Status::Corruption("the hive has no readable root key");
    if (!h.Key(kExplorer)) return Status::Ok();  // not a user's hive
    NoteHiveProblems(h, input.bytes, out.problems);
    UserAssist(h, out);
    RecentDocs(h, out);
    TypedUrls(h, out);
    TypedPaths(h, out);
    WordWheelQuery(h, out);
    RunMru(h, out);
    OpenSave(h, out);
    Autorun(h, out);
    return Status::Ok();
  }

 private:
  static ArtefactRow Row(const char* kind, const std::string& location) {
    ArtefactRow row;
    row.kind = kind;
    row.location = location;
    return row;
  }

  void UserAssist(const RegistryHive& h, ParseOutput& out) const {
    auto ua = h.Key(kUserAssist);
    if (!ua) return;
    for (const auto& guid_key : ua->Subkeys()) {
      const std::string guid = guid_key.name();
      auto count = guid_key.Subkey("Count");
      if (!count) continue;
      const std::string location = kUserAssist + "\\" + guid + "\\Count";
      for (const auto& v : count->Values()) {
        const std::string value_name = Rot13(v.name());
        // UEME_CTL* values are Explorer's own session counters, and a bare UEME_RUNPATH / UEME_RUNPIDL
        // counts all runs of that kind: neither is a program.
        if (value_name.rfind("UEME_", 0) == 0 &&
            (value_name.rfind("UEME_CTL", 0) == 0 || value_name.find(':') == std::string::npos)) {
          continue;
        }
        const std::string data = v.Data();
        const ByteReader r(data);
        std::optional<int64_t> run_count, focus_count, focus_time;
        std::optional<UtcMicros> last_run;
        std::string format;
        if (data.size() == kXpUserAssistSize) {
          format = "xp";
          const uint32_t stored = *r.U32(4);
          run_count = stored >= kXpRunCountBase ? stored - kXpRunCountBase : stored;
          last_run = FromFiletime(*r.U64(8));
        } else if (data.size() == kWin7UserAssistSize) {
          format = "win7";
          run_count = *r.U32(4);
          focus_count = *r.U32(8);
          focus_time = *r.U32(12);
          last_run = FromFiletime(*r.U64(60));
        } else {
          continue;  // not a run record (XP's UEME_CTLSESSION and the like)
        }
        // XP names are "UEME_RUNPATH:C:\\...", "UEME_RUNPIDL:%csidl2%\\..."; later ones are the path itself.
        std::string program = value_name;
        if (program.rfind("UEME_", 0) == 0) program = program.substr(program.find(':') + 1);
        program = ResolveKnownFolder(program);

        ArtefactRow row = Row("windows.userassist", location);
        row.time = last_run;
        row.summary = "ran " + program;
        if (run_count) row.summary += " (" + std::to_string(*run_count) + (*run_count == 1 ? " time)" : " times)");
        auto& val = row.values;
        val.push_back(program);
        val.push_back(value_name);
        val.push_back(guid);
        val.push_back(IntOrNull(run_count));
        val.push_back(IntOrNull(focus_count));
        val.push_back(IntOrNull(focus_time));
        val.push_back(IntOrNull(last_run));
        val.push_back(format);
        out.rows.push_back(std::move(row));
      }
    }
  }

  void RecentDocsKey(const RegistryKey& key, const std::string& location, const std::optional<std::string>& extension,
                     ParseOutput& out) const {
    const MruOrder order(key);
    const auto written = key.last_written();
    const size_t first = out.rows.size();
    for (const auto& v : ValuesInNumberOrder(key, "")) {
      const std::string value_name = v.name();
      const std::string name = Utf16Text(v.Data());
      const auto position = order.Position(value_name);
      ArtefactRow row = Row("windows.recent_doc", location);
      row.time = TimeIfFirst(position, written);
      row.summary = "recently opened: " + name;
      auto& val = row.values;
      val.push_back(name);
      val.push_back(TextOrNull(extension));
      val.push_back(value_name);
      val.push_back(IntOrNull(position));
      val.push_back(IntOrNull(written));
      out.rows.push_back(std::move(row));
    }
    SortByPosition(out, first, 3);
  }

  void RecentDocs(const RegistryHive& h, ParseOutput& out) const {
    auto key = h.Key(kRecentDocs);
    if (!key) return;
    RecentDocsKey(*key, kRecentDocs, std::nullopt, out);
    for (const auto& sub : key->Subkeys()) {
      const std::string ext = sub.name();
      RecentDocsKey(sub, kRecentDocs + "\\" + ext, ext, out);
    }
  }

  void TypedUrls(const RegistryHive& h, ParseOutput& out) const {
    auto key = h.Key(kTypedUrls);
    if (!key) return;
    auto times = h.Key(kTypedUrlsTime);
    const auto written = key->last_written();
    for (const auto& v : ValuesInNumberOrder(*key, "url")) {
      const std::string value_name = v.name();
      const std::string url = v.Text().value_or("");
      std::optional<UtcMicros> typed;
      if (times) {
        if (auto ft = times->Data(value_name); ft && ft->size() >= 8) typed = FromFiletime(*ByteReader(*ft).U64(0));
      }
      ArtefactRow row = Row("windows.typed_url", kTypedUrls);
      row.time = typed ? typed : (value_name == "url1" ? written : std::nullopt);
      row.summary = "typed address: " + url;
      auto& val = row.values;
      val.push_back(url);
      val.push_back(value_name);
      val.push_back(IntOrNull(typed));
      val.push_back(IntOrNull(written));
      out.rows.push_back(std::move(row));
    }
  }

  void TypedPaths(const RegistryHive& h, ParseOutput& out) const {
    auto key = h.Key(kTypedPaths);
    if (!key) return;
    const auto written = key->last_written();
    for (const auto& v : ValuesInNumberOrder(*key, "url")) {
      const std::string value_name = v.name();
      const std::string path = v.Text().value_or("");
      ArtefactRow row = Row("windows.typed_path", kTypedPaths);
      row.time = value_name == "url1" ? written : std::nullopt;
      row.summary = "typed path: " + path;
      auto& val = row.values;
      val.push_back(path);
      val.push_back(value_name);
      val.push_back(IntOrNull(written));
      out.rows.push_back(std::move(row));
    }
  }

  void WordWheelQuery(const RegistryHive& h, ParseOutput& out) const {
    auto key = h.Key(kWordWheelQuery);
    if (!key) return;
    const MruOrder order(*key);
    const auto written = key->last_written();
    const size_t first = out.rows.size();
    for (const auto& v : ValuesInNumberOrder(*key, "")) {
      const std::string value_name = v.name();
      const std::string term = Utf16Text(v.Data());
      const auto position = order.Position(value_name);
      ArtefactRow row = Row("windows.explorer_search", kWordWheelQuery);
      row.time = TimeIfFirst(position, written);
      row.summary = "searched Explorer for: " + term;
      auto& val = row.values;
      val.push_back(term);
      val.push_back(value_name);
      val.push_back(IntOrNull(position));
      val.push_back(IntOrNull(written));
      out.rows.push_back(std::move(row));
    }
    SortByPosition(out, first, 2);
  }

  void RunMru(const RegistryHive& h, ParseOutput& out) const {
    auto key = h.Key(kRunMru);
    if (!key) return;
    const MruOrder order(*key);
    const auto written = key->last_written();
    const size_t first = out.rows.size();
    for (const auto& v : key->Values()) {
      const std::string value_name = v.name();
      if (value_name.size() != 1) continue;  // MRUList and the like
      std::string command = v.Text().value_or("");
      // Windows ends each command with "\\1".
      if (command.size() >= 2 && command.compare(command.size() - 2, 2, "\\1") == 0) command.resize(command.size() - 2);
      const auto position = order.Position(value_name);
      ArtefactRow row = Row("windows.run_mru", kRunMru);
      row.time = TimeIfFirst(position, written);
      row.summary = "typed in Run: " + command;
      auto& val = row.values;
      val.push_back(command);
      val.push_back(value_name);
      val.push_back(IntOrNull(position));
      val.push_back(IntOrNull(written));
      out.rows.push_back(std::move(row));
    }
    SortByPosition(out, first, 2);
  }

  void OpenSaveRow(const std::string& list, const std::string& location, const std::optional<std::string>& extension,
                   std::optional<std::string> path, std::optional<std::string> program, const std::string& value_name,
                   std::optional<int64_t> position, std::optional<UtcMicros> written, ParseOutput& out) const {
    ArtefactRow row = Row("windows.opensave_mru", location);
    row.time = TimeIfFirst(position, written);
    row.summary = (list.rfind("OpenSave", 0) == 0 ? "opened or saved through a dialog: " : "dialog last showed: ") +
                  path.value_or("(no path)");
    if (program) row.summary += " (" + *program + ")";
    auto& val = row.values;
    val.push_back(list);
    val.push_back(TextOrNull(extension));
    val.push_back(TextOrNull(std::move(path)));
    val.push_back(TextOrNull(std::move(program)));
    val.push_back(value_name);
    val.push_back(IntOrNull(position));
    val.push_back(IntOrNull(written));
    out.rows.push_back(std::move(row));
  }

  void OpenSave(const RegistryHive& h, ParseOutput& out) const {
    // Vista and later: shell item lists; per-extension subkeys.
    for (const std::string list : {"OpenSavePidlMRU", "OpenSaveMRU"}) {
      auto key = h.Key(kComDlg32 + "\\" + list);
      if (!key) continue;
      const bool pidl = list == "OpenSavePidlMRU";
      for (const auto& sub : key->Subkeys()) {
        const std::string ext = sub.name();
        const std::string location = kComDlg32 + "\\" + list + "\\" + ext;
        const MruOrder order(sub);
        const auto written = sub.last_written();
        const size_t first = out.rows.size();
        for (const auto& v : sub.Values()) {
          const std::string value_name = v.name();
          if (value_name.rfind("MRUList", 0) == 0) continue;
          std::optional<std::string> path;
          if (pidl) {
            path = Nonempty(JoinShellPath(DecodeShellItemList(v.Data())));
            if (!path) out.problems.push_back("cannot read the shell items of " + location + "\\" + value_name);
          } else {
            path = v.Text();
          }
          OpenSaveRow(list, location, ext, std::move(path), std::nullopt, value_name, order.Position(value_name),
                      written, out);
        }
        SortByPosition(out, first, 5);
      }
    }
    // The program that showed the dialog and the folder it showed last.
    for (const std::string list : {"LastVisitedPidlMRU", "LastVisitedPidlMRULegacy", "LastVisitedMRU"}) {
      auto key = h.Key(kComDlg32 + "\\" + list);
      if (!key) continue;
      const std::string location = kComDlg32 + "\\" + list;
      const MruOrder order(*key);
      const auto written = key->last_written();
      const size_t first = out.rows.size();
      for (const auto& v : key->Values()) {
        const std::string value_name = v.name();
        if (value_name.rfind("MRUList", 0) == 0) continue;
        const std::string data = v.Data();
        const ByteReader r(data);
        const std::string program = r.Utf16Z(0, data.size() / 2).value_or("");
        const size_t after = (Utf16Units(data, 0) + 1) * 2;  // past the program's terminating NUL
        std::optional<std::string> path;
        if (list == "LastVisitedMRU") {
          path = r.Utf16Z(after, data.size() / 2);
        } else if (after < data.size()) {
          path = Nonempty(JoinShellPath(DecodeShellItemList(std::string_view(data).substr(after))));
          if (!path) out.problems.push_back("cannot read the shell items of " + location + "\\" + value_name);
        }
        OpenSaveRow(list, location, std::nullopt, std::move(path), Nonempty(program), value_name,
                    order.Position(value_name), written, out);
      }
      SortByPosition(out, first, 5);
    }
  }

  // The number of UTF-16 code units before the first NUL from `offset` (or to the end).
  static size_t Utf16Units(std::string_view data, size_t offset) {
    const ByteReader r(data);
    size_t n = 0;
    while (true) {
      const auto u = r.U16(offset + 2 * n);
      if (!u || *u == 0) return n;
      ++n;
    }
  }

  void Autorun(const RegistryHive& h, ParseOutput& out) const {
    for (const auto& [path, label] : {std::pair{kRun, "Run"}, std::pair{kRunOnce, "RunOnce"}}) {
      auto key = h.Key(path);
      if (!key) continue;
      const auto written = key->last_written();
      for (const auto& v : key->Values()) {
        const std::string name = v.name();
        const std::string command = v.Text().value_or("");
        ArtefactRow row = Row("windows.autorun", path);
        row.summary = std::string("starts at logon (") + label + "): " + command;
        auto& val = row.values;
        val.push_back(std::string(label));
        val.push_back(name);
        val.push_back(command);
        val.push_back(IntOrNull(written));
        out.rows.push_back(std::move(row));
      }
    }
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(NtuserParser);

}  // namespace custos
