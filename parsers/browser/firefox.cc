// Parsers: the profile databases of Firefox and the browsers built on it (Tor Browser, Waterfox,
// LibreWolf; Thunderbird's own places and cookies): places.sqlite (visits, bookmarks, downloads kept as
// annotations), the older downloads.sqlite, cookies.sqlite (never the values) and formhistory.sqlite.
// PRTime, µs since 1970, throughout. SQLite read from memory.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "parsers/browser/browser_kinds.h"
#include "parsers/parser.h"

namespace custos {
namespace {

using namespace browser;

// The browser from the path; the profile is the folder holding the database (xxxxxxxx.default-release).
Origin MozillaOrigin(const std::string& path) {
  const std::string lower = LowerAscii(path);
  auto has = [&](std::string_view s) { return lower.find(s) != std::string::npos; };
  Origin origin;
  if (has("thunderbird")) {
    origin.browser = "Thunderbird";
  } else if (has("tor browser") || has("torbrowser") || has("tor-browser")) {
    origin.browser = "Tor Browser";
  } else if (has("waterfox")) {
    origin.browser = "Waterfox";
  } else if (has("librewolf")) {
    origin.browser = "LibreWolf";
  } else if (has("seamonkey")) {
    origin.browser = "SeaMonkey";
  } else if (has("firefox") || has("mozilla") || has("org.mozilla.")) {
    origin.browser = "Firefox";
  } else {
    origin.browser = "Mozilla-based";
  }
  std::vector<std::string> parts = PathElements(path);
  if (parts.size() >= 2) origin.profile = parts[parts.size() - 2];
  return origin;
}

std::optional<UtcMicros> PrCol(const sql::Statement& st, int col) { return FromPrTime(st.OptInt(col)); }

// nsIDownloadManager states, used by downloads.sqlite and the downloads/metaData annotation.
std::string DownloadState(int64_t state) {
  switch (state) {
    case -1:
      return "not_started";
    case 0:
      return "in_progress";
    case 1:
      return "complete";
    case 2:
      return "failed";
    case 3:
      return "cancelled";
    case 4:
      return "paused";
    case 5:
      return "queued";
    case 6:
      return "blocked_parental";
    case 7:
      return "scanning";
    case 8:
      return "blocked_virus";
    case 9:
      return "blocked_policy";
    default:
      return "state " + std::to_string(state);
  }
}

std::string VisitType(int64_t type) {
  static constexpr const char* kNames[] = {
      "link",     "typed",       "bookmark", "embed", "redirect_permanent", "redirect_temporary",
      "download", "framed_link", "reload"};
  if (type >= 1 && type <= 9) return kNames[type - 1];
  return "visit_type " + std::to_string(type);
}

class MozillaParser : public Parser {
 public:
  std::string version() const override { return "1"; }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return LowerAscii(file.name) == file_name() && LooksLikeSqlite(head);
  }
  std::vector<std::string> companion_suffixes() const override { return {"-wal"}; }
  int64_t max_bytes() const override { return 1LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    return ParseDb(**image, MozillaOrigin(input.file.path), out);
  }

 protected:
  virtual std::string file_name() const = 0;
  virtual Status ParseDb(const SqliteImage& db, const Origin& origin, ParseOutput& out) const = 0;
};

class FirefoxPlacesParser : public MozillaParser {
 public:
  std::string name() const override { return "browser.firefox.places"; }
  std::vector<KindDecl> kinds() const override { return {VisitKind(), BookmarkKind(), DownloadKind()}; }

 protected:
  std::string file_name() const override { return "places.sqlite"; }

  Status ParseDb(const SqliteImage& db, const Origin& origin, ParseOutput& out) const override {
    if (!db.HasTable("moz_places")) return Status::Corruption("no moz_places table: not a Firefox places database");
    if (db.HasTable("moz_historyvisits")) ReadVisits(db, origin, out);
    if (db.HasTable("moz_bookmarks")) ReadBookmarks(db, origin, out);
    if (db.HasTable("moz_annos") && db.HasTable("moz_anno_attributes")) ReadDownloads(db, origin, out);
    return Status::Ok();
  }

 private:
  static void ReadVisits(const SqliteImage& db, const Origin& origin, ParseOutput& out) {
    const std::string query = "SELECT v.id, " + CappedText("p.url") + ", " + CappedText("p.title") +
                              ", v.visit_date, v.visit_type, " + CappedText("fp.url") + ", p.visit_count, " +
                              ColumnOrNull(db, "moz_places", "typed", "p.typed") +
                              " FROM moz_historyvisits v LEFT JOIN moz_places p ON p.id = v.place_id"
                              " LEFT JOIN moz_historyvisits fv ON fv.id = v.from_visit AND v.from_visit > 0"
                              " LEFT JOIN moz_places fp ON fp.id = fv.place_id ORDER BY v.id";
    ForEachRow(db.db(), query, "the moz_historyvisits table", out.problems, [&](const sql::Statement& st) {
      Visit visit;
      visit.url = st.Text(1);
      visit.title = OptText(st, 2);
      visit.visit_time = PrCol(st, 3);
      if (!st.IsNull(4)) {
        visit.transition = VisitType(st.Int(4));
        visit.transition_code = st.Int(4);
      }
      visit.from_url = OptText(st, 5);
      visit.visit_count = st.OptInt(6);
      visit.typed_count = st.OptInt(7);
      out.rows.push_back(visit.ToRow(origin, "moz_historyvisits id " + std::to_string(st.Int(0))));
    });
  }

  // Bookmarks (type 1) with the titles of their folders (type 2) up to the root; the folder path is built
  // from a map of all folders, so a cycle in damaged parent links cannot loop.
  static void ReadBookmarks(const SqliteImage& db, const Origin& origin, ParseOutput& out) {
    std::map<int64_t, std::pair<int64_t, std::string>> folders;  // id -> (parent, title)
    ForEachRow(db.db(), "SELECT id, parent, " + CappedText("title") + " FROM moz_bookmarks WHERE type = 2",
               "the moz_bookmarks folders", out.problems, [&](const sql::Statement& st) {
                 folders[st.Int(0)] = {st.Int(1), st.Text(2)};
               });
    auto folder_path = [&](int64_t parent) {
      std::vector<std::string> names;
      for (int depth = 0; depth < 64; ++depth) {
        auto it = folders.find(parent);
        if (it == folders.end()) break;
        if (!it->second.second.empty()) names.push_back(it->second.second);
        if (it->second.first == parent) break;
        parent = it->second.first;
      }
      std::string path;
      for (auto it = names.rbegin(); it != names.rend(); ++it) path += (path.empty() ? "" : "/") + *it;
      return path;
    };
    const std::string query = "SELECT b.id, " + CappedText("b.title") + ", " + CappedText("p.url") +
                              ", b.parent, b.dateAdded, b.lastModified FROM moz_bookmarks b LEFT JOIN moz_places p ON "
                              "p.id = b.fk WHERE b.type = 1 ORDER BY b.id";
    ForEachRow(db.db(), query, "the moz_bookmarks table", out.problems, [&](const sql::Statement& st) {
      Bookmark b;
      b.name = OptText(st, 1);
      b.url = OptText(st, 2);
      b.folder = folder_path(st.Int(3));
      b.added = PrCol(st, 4);
      b.last_modified = PrCol(st, 5);
      out.rows.push_back(b.ToRow(origin, "moz_bookmarks id " + std::to_string(st.Int(0))));
    });
  }

  // Firefox 26 and later keep downloads as annotations on the source URL's moz_places row: the target file
  // (downloads/destinationFileURI, its dateAdded is when the download started) and a JSON metaData
  // (state, endTime in ms since 1970, fileSize).
  static void ReadDownloads(const SqliteImage& db, const Origin& origin, ParseOutput& out) {
    const std::string query =
        "SELECT d.id, " + CappedText("p.url") + ", " + CappedText("d.content") + ", d.dateAdded, " +
        CappedText("m.content") +
        " FROM moz_annos d JOIN moz_anno_attributes da ON da.id = d.anno_attribute_id"
        " AND da.name = 'downloads/destinationFileURI' LEFT JOIN moz_places p ON p.id = d.place_id"
        " LEFT JOIN moz_anno_attributes ma ON ma.name = 'downloads/metaData'"
        " LEFT JOIN moz_annos m ON m.place_id = d.place_id AND m.anno_attribute_id = ma.id ORDER BY d.id";
    ForEachRow(db.db(), query, "the download annotations", out.problems, [&](const sql::Statement& st) {
      Download d;
      d.url = OptText(st, 1);
      if (auto target = OptText(st, 2)) d.target_path = FileUriToPath(*target);
      d.start_time = PrCol(st, 3);
      const auto meta = nlohmann::json::parse(st.Text(4), nullptr, false);
      if (meta.is_object()) {
        if (meta.contains("state") && meta["state"].is_number_integer()) {
          d.state = DownloadState(meta["state"].get<int64_t>());
        }
        if (meta.contains("endTime") && meta["endTime"].is_number_integer() && meta["endTime"].get<int64_t>() > 0) {
          d.end_time = meta["endTime"].get<int64_t>() * 1000;
        }
        if (meta.contains("fileSize") && meta["fileSize"].is_number_integer()) {
          d.total_bytes = meta["fileSize"].get<int64_t>();
        }
      }
      out.rows.push_back(d.ToRow(origin, "moz_annos id " + std::to_string(st.Int(0))));
    });
  }
};

class FirefoxDownloadsParser : public MozillaParser {
 public:
  std::string name() const override { return "browser.firefox.downloads"; }
  std::vector<KindDecl> kinds() const override { return {DownloadKind()}; }

 protected:
  std::string file_name() const override { return "downloads.sqlite"; }

  Status ParseDb(const SqliteImage& db, const Origin& origin, ParseOutput& out) const override {
    if (!db.HasTable("moz_downloads")) {
      return Status::Corruption("no moz_downloads table: not a Firefox downloads database");
    }
    auto col = [&](const char* c) { return ColumnOrNull(db, "moz_downloads", c, c); };
    const std::string query = "SELECT id, " + CappedText("source") + ", " + CappedText("target") + ", " +
                              CappedText(col("referrer")) + ", " + col("mimeType") + ", " + col("maxBytes") + ", " +
                              col("currBytes") + ", startTime, endTime, state FROM moz_downloads ORDER BY id";
    ForEachRow(db.db(), query, "the moz_downloads table", out.problems, [&](const sql::Statement& st) {
      Download d;
      d.url = OptText(st, 1);
      if (auto target = OptText(st, 2)) d.target_path = FileUriToPath(*target);
      d.referrer = OptText(st, 3);
      d.mime_type = OptText(st, 4);
      if (!st.IsNull(5) && st.Int(5) >= 0) d.total_bytes = st.Int(5);  // -1: unknown
      d.received_bytes = st.OptInt(6);
      d.start_time = PrCol(st, 7);
      d.end_time = PrCol(st, 8);
      if (!st.IsNull(9)) d.state = DownloadState(st.Int(9));
      out.rows.push_back(d.ToRow(origin, "moz_downloads id " + std::to_string(st.Int(0))));
    });
    return Status::Ok();
  }
};

class FirefoxCookiesParser : public MozillaParser {
 public:
  std::string name() const override { return "browser.firefox.cookies"; }
  std::vector<KindDecl> kinds() const override { return {CookieKind()}; }

 protected:
  std::string file_name() const override { return "cookies.sqlite"; }

  Status ParseDb(const SqliteImage& db, const Origin& origin, ParseOutput& out) const override {
    if (!db.HasTable("moz_cookies")) return Status::Corruption("no moz_cookies table: not a Firefox cookie database");
    auto col = [&](const char* c) { return ColumnOrNull(db, "moz_cookies", c, c); };
    // The value column is never selected.
    const std::string query = "SELECT id, " + CappedText("host") + ", " + CappedText("name") + ", " +
                              CappedText("path") + ", " + col("creationTime") + ", " + col("lastAccessed") + ", " +
                              col("expiry") + ", " + col("isSecure") + ", " + col("isHttpOnly") + ", " +
                              col("sameSite") + " FROM moz_cookies ORDER BY id";
    ForEachRow(db.db(), query, "the moz_cookies table", out.problems, [&](const sql::Statement& st) {
      Cookie c;
      c.host = st.Text(1);
      c.name = OptText(st, 2);
      c.path = OptText(st, 3);
      c.created = PrCol(st, 4);
      c.last_accessed = PrCol(st, 5);
      // expiry is seconds since 1970; recent Firefox versions write milliseconds (anything past 1e11 s
      // would be after the year 5000).
      if (auto e = st.OptInt(6); e && *e > 0) {
        c.expires = *e >= 100000000000LL ? FromUnixSecondsOpt(*e / 1000) : FromUnixSecondsOpt(*e);
      }
      c.secure = st.OptInt(7);
      c.http_only = st.OptInt(8);
      if (auto s = st.OptInt(9)) {
        c.same_site = *s == 0 ? "none" : *s == 1 ? "lax" : *s == 2 ? "strict" : "same_site " + std::to_string(*s);
      }
      out.rows.push_back(c.ToRow(origin, "moz_cookies id " + std::to_string(st.Int(0))));
    });
    return Status::Ok();
  }
};

class FirefoxFormHistoryParser : public MozillaParser {
 public:
  std::string name() const override { return "browser.firefox.formhistory"; }
  std::vector<KindDecl> kinds() const override { return {AutofillKind()}; }

 protected:
  std::string file_name() const override { return "formhistory.sqlite"; }

  Status ParseDb(const SqliteImage& db, const Origin& origin, ParseOutput& out) const override {
    if (!db.HasTable("moz_formhistory")) {
      return Status::Corruption("no moz_formhistory table: not a Firefox form history database");
    }
    auto col = [&](const char* c) { return ColumnOrNull(db, "moz_formhistory", c, c); };
    const std::string query = "SELECT id, " + CappedText("fieldname") + ", " + CappedText("value") + ", " +
                              col("timesUsed") + ", " + col("firstUsed") + ", " + col("lastUsed") +
                              " FROM moz_formhistory ORDER BY id";
    ForEachRow(db.db(), query, "the moz_formhistory table", out.problems, [&](const sql::Statement& st) {
      Autofill a;
      a.field_name = st.Text(1);
      a.value = OptText(st, 2);
      a.times_used = st.OptInt(3);
      a.first_used = PrCol(st, 4);
      a.last_used = PrCol(st, 5);
      out.rows.push_back(a.ToRow(origin, "moz_formhistory id " + std::to_string(st.Int(0))));
    });
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(FirefoxPlacesParser);
CUSTOS_REGISTER_PARSER(FirefoxDownloadsParser);
CUSTOS_REGISTER_PARSER(FirefoxCookiesParser);
CUSTOS_REGISTER_PARSER(FirefoxFormHistoryParser);

}  // namespace custos
