// Parser: ShellBags, the folders a user browsed in Explorer (also on USB sticks, network shares and in zip
// files, and folders since deleted), from the BagMRU tree of UsrClass.dat (Windows 7 and later) and of
// NTUSER.DAT (XP's Shell and ShellNoRoam). Each BagMRU key's numbered values are shell items whose
// names, joined from the root down, give the folder's path.
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "parsers/common/field_values.h"
#include "parsers/parser.h"
#include "parsers/windows/mru_list.h"
#include "parsers/windows/registry_hive.h"
#include "parsers/windows/shell_items.h"

namespace custos {
namespace {

// Where the trees are: UsrClass.dat (Vista and later), then NTUSER.DAT (XP, and Vista+ network folders).
constexpr const char* kBagRoots[] = {
    "Local Settings\\Software\\Microsoft\\Windows\\Shell\\BagMRU",
    "Software\\Microsoft\\Windows\\Shell\\BagMRU",
    "Software\\Microsoft\\Windows\\ShellNoRoam\\BagMRU",
};
// Explorer nests a few levels per folder; a deeper tree is damage (or a loop in a corrupt hive).
constexpr int kMaxDepth = 64;
constexpr size_t kMaxRows = 200000;

bool IsNumber(const std::string& s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

class UsrclassParser : public Parser {
 public:
  std::string name() const override { return "windows.registry.usrclass"; }
  std::string version() const override { return "1"; }

  std::vector<KindDecl> kinds() const override {
    return {{"windows.shellbag",
             "a folder the user browsed in Explorer (or opened in a dialog), even if it is gone or was on a "
             "removable drive or a share",
             {{"path", FieldType::kText, "the folder as Explorer names it, e.g. My Computer\\E:\\Evidence"},
              {"item_name", FieldType::kText, "the last element's name ([type] when the shell item carries none)"},
              {"item_type", FieldType::kText,
               "the last element's shell item type: root folder, volume, file entry, "
               "network location..."},
              {"modified", FieldType::kTime,
               "the folder's modification time when the shell item was written (FAT "
               "resolution, 2 s)"},
              {"created", FieldType::kTime, "the folder's creation time when the shell item was written"},
              {"accessed", FieldType::kTime, "the folder's last access time when the shell item was written"},
              {"mru_position", FieldType::kInteger, "place in its parent's most-recently-used list, 0 = most recent"},
              {"mru_time", FieldType::kTime,
               "for the parent's most recent entry only: the parent BagMRU key's last "
               "written time, when this folder was last opened"},
              {"key_written", FieldType::kTime,
               "the folder's own BagMRU key's last written time (changes when a "
               "subfolder was first opened or reordered)"}}}};
  }

  bool Wants(const FileRecord& file, std::string_view head) const override {
    return MayBeHiveOfType(HiveType::kUsrClass, file, head) || MayBeHiveOfType(HiveType::kNtuser, file, head);
  }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto hive = RegistryHive::Open(input.bytes);
    if (!hive.ok()) return hive.status();
    const RegistryHive& h = **hive;
    if (!h.Root()) return Status::Corruption("the hive has no readable root key");
    bool any = false;
    for (const char* root : kBagRoots) {
      auto key = h.Key(root);
      if (!key) continue;
      any = true;
      Walk(*key, root, "", 0, out);
    }
    if (any) NoteHiveProblems(h, input.bytes, out.problems);
    return Status::Ok();
  }

 private:
  void Walk(const RegistryKey& key, const std::string& key_path, const std::string& parent_path, int depth,
            ParseOutput& out) const {
    if (depth >= kMaxDepth) {
      out.problems.push_back(key_path + ": BagMRU nested deeper than " + std::to_string(kMaxDepth) +
                             " levels; the rest was not read");
      return;
    }
    const MruOrder order(key);
    const auto parent_written = key.last_written();
    for (const auto& v : key.Values()) {
      if (out.rows.size() >= kMaxRows) return;
      const std::string value_name = v.name();
      if (!IsNumber(value_name)) continue;  // MRUListEx, NodeSlot
      const std::string child_path = key_path + "\\" + value_name;
      auto item = DecodeShellItem(v.Data());
      if (!item) {
        out.problems.push_back(child_path +
                               ": libfwsi cannot read the shell item; its subfolders show under "
                               "[unreadable shell item]");
        item = ShellItem{"[unreadable shell item]", "unknown", {}, {}, {}};
      }
      const std::string path = AppendShellPath(parent_path, item->name);
      auto child = key.Subkey(value_name);
      const auto position = order.Position(value_name);
      std::optional<UtcMicros> mru_time;
      if (position && *position == 0) mru_time = parent_written;
      std::optional<UtcMicros> written;
      if (child) written = child->last_written();

      ArtefactRow row;
      row.kind = "windows.shellbag";
      row.location = child_path;
      row.time = mru_time;
      row.summary = "folder browsed: " + path;
      auto& val = row.values;
      val.push_back(path);
      val.push_back(item->name);
      val.push_back(item->type);
      val.push_back(IntOrNull(item->modified));
      val.push_back(IntOrNull(item->created));
      val.push_back(IntOrNull(item->accessed));
      val.push_back(IntOrNull(position));
      val.push_back(IntOrNull(mru_time));
      val.push_back(IntOrNull(written));
      out.rows.push_back(std::move(row));
      if (child) Walk(*child, child_path, path, depth + 1, out);
    }
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(UsrclassParser);

}  // namespace custos
