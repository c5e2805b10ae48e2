// Parser: Safari's History.db (macOS ~/Library/Safari, iOS Library/Safari): every visit from
// history_visits with its page from history_items. Times are Mac absolute time, seconds since
// 2001-01-01 UTC as a double. SQLite read from memory.
#include <optional>

#include "parsers/browser/browser_kinds.h"
#include "parsers/parser.h"

namespace custos {
namespace {

using namespace browser;

class SafariHistoryParser : public Parser {
 public:
  std::string name() const override { return "browser.safari.history"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {VisitKind()}; }
  // History.db is a common name: only under a Safari folder.
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return LowerAscii(file.name) == "history.db" && LowerAscii(file.path).find("/safari/") != std::string::npos &&
           LooksLikeSqlite(head);
  }
  std::vector<std::string> companion_suffixes() const override { return {"-wal"}; }
  int64_t max_bytes() const override { return 1LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    const SqliteImage& db = **image;
    if (!db.HasTable("history_items") || !db.HasTable("history_visits")) {
      return Status::Corruption("no history_items and history_visits tables: not a Safari History.db");
    }
    // Safari 17 profiles keep their own History.db under Safari/Profiles/<id>.
    Origin origin{"Safari", std::nullopt};
    const std::vector<std::string> parts = PathElements(input.file.path);
    if (parts.size() >= 3 && parts[parts.size() - 3] == "Profiles") origin.profile = parts[parts.size() - 2];
    const std::string query = "SELECT v.id, " + CappedText("i.url") + ", " + CappedText("v.title") +
                              ", v.visit_time, " + CappedText("si.url") +
                              ", i.visit_count FROM history_visits v LEFT JOIN history_items i ON i.id = v.history_item"
                              " LEFT JOIN history_visits sv ON sv.id = v.redirect_source"
                              " LEFT JOIN history_items si ON si.id = sv.history_item ORDER BY v.id";
    ForEachRow(db.db(), query, "the history_visits table", out.problems, [&](const sql::Statement& st) {
      Visit visit;
      visit.url = st.Text(1);
      visit.title = OptText(st, 2);
      if (!st.IsNull(3)) visit.visit_time = FromMacAbsoluteSeconds(st.Real(3));
      visit.from_url = OptText(st, 4);  // the visit that redirected here
      visit.visit_count = st.OptInt(5);
      out.rows.push_back(visit.ToRow(origin, "history_visits id " + std::to_string(st.Int(0))));
    });
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(SafariHistoryParser);

}  // namespace custos
