// Parsers: the profile databases of Chromium browsers (Chrome, Edge, Brave, Opera, Vivaldi...), one per
// database: History (visits, downloads, searches), Cookies, Login Data (saved user names, never
// passwords), Web Data (form autofill entries) and the Bookmarks JSON file. SQLite read from memory.
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "parsers/browser/browser_kinds.h"
#include "parsers/parser.h"

namespace custos {
namespace {

using namespace browser;

bool IsProfileFolder(const std::string& name) {
  if (name == "Default" || name == "Guest Profile" || name == "System Profile") return true;
  if (name.rfind("Profile ", 0) != 0 || name.size() == 8) return false;
  for (size_t i = 8; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return false;
  }
  return true;
}

// The browser from the vendor folders of its user data directory (Windows, macOS, Linux, Android), and the
// profile from the folder holding the database (Cookies sits one level lower, in Network, since Chrome 96).
// nullopt when the path does not look like a Chromium profile at all.
std::optional<Origin> ChromiumOrigin(const std::string& path) {
  const std::string lower = LowerAscii(path);
  auto has = [&](std::string_view s) { return lower.find(s) != std::string::npos; };
  std::string browser;
  if (has("/microsoft/edge") || has("microsoft-edge") || has("com.microsoft.emmx")) {
    browser = "Edge";
  } else if (has("bravesoftware") || has("com.brave.browser")) {
    browser = "Brave";
  } else if (has("opera gx")) {
    browser = "Opera GX";
  } else if (has("opera software") || has("/.config/opera") || has("com.opera.")) {
    browser = "Opera";
  } else if (has("vivaldi")) {
    browser = "Vivaldi";
  } else if (has("yandexbrowser") || has("yandex-browser")) {
    browser = "Yandex";
  } else if (has("google/chrome") || has("google-chrome") || has("com.android.chrome")) {
    browser = "Chrome";
  } else if (has("/chromium/") || has("/.config/chromium")) {
    browser = "Chromium";
  }
  std::vector<std::string> parts = PathElements(path);
  if (!parts.empty()) parts.pop_back();  // the file
  if (!parts.empty() && parts.back() == "Network") parts.pop_back();
  Origin origin;
  if (!parts.empty()) origin.profile = parts.back();
  if (browser.empty()) {
    if (!has("/user data/") && !(origin.profile && IsProfileFolder(*origin.profile))) return std::nullopt;
    browser = "Chromium-based";
  }
  origin.browser = browser;
  return origin;
}

std::optional<UtcMicros> WebkitCol(const sql::Statement& st, int col) { return FromWebkitMicros(st.OptInt(col)); }

// Login Data's date_created was seconds since 1970 in early versions and µs since 1601 later: a WebKit
// value below 1e11 would be in 1601, so the two cannot be confused.
std::optional<UtcMicros> EitherEpoch(std::optional<int64_t> v) {
  if (!v || *v <= 0) return std::nullopt;
  if (*v < 100000000000LL) return FromUnixSecondsOpt(v);
  return FromWebkitMicros(v);
}

std::string CodeName(int64_t code, std::initializer_list<const char*> names, const char* what) {
  if (code >= 0 && code < static_cast<int64_t>(names.size())) return *(names.begin() + code);
  return std::string(what) + " " + std::to_string(code);
}

std::string TransitionName(int64_t transition) {
  return CodeName(transition & 0xFF,
                  {"link", "typed", "auto_bookmark", "auto_subframe", "manual_subframe", "generated", "auto_toplevel",
                   "form_submit", "reload", "keyword", "keyword_generated"},
                  "transition");
}

std::optional<std::string> TransitionQualifiers(int64_t transition) {
  static constexpr std::pair<uint32_t, const char*> kBits[] = {
      {0x00800000u, "blocked"},   {0x01000000u, "forward_back"},    {0x02000000u, "from_address_bar"},
      {0x04000000u, "home_page"}, {0x08000000u, "from_api"},        {0x10000000u, "chain_start"},
      {0x20000000u, "chain_end"}, {0x40000000u, "client_redirect"}, {0x80000000u, "server_redirect"}};
  std::string out;
  const auto bits = static_cast<uint32_t>(transition);
  for (const auto& [bit, name] : kBits) {
    if ((bits & bit) == 0) continue;
    if (!out.empty()) out += "|";
    out += name;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> VisitSourceName(std::optional<int64_t> source) {
  if (!source) return std::nullopt;
  return CodeName(*source, {"synced", "browsed", "extension", "imported_firefox", "imported_ie", "imported_safari"},
                  "source");
}

// History's DownloadState: 3 was written for interrupted downloads by a bug (crbug 140687) and migrated to 4.
std::string DownloadState(int64_t state) {
  return CodeName(state, {"in_progress", "complete", "cancelled", "interrupted", "interrupted"}, "state");
}

std::string DangerType(int64_t danger) {
  return CodeName(danger,
                  {"not_dangerous", "dangerous_file", "dangerous_url", "dangerous_content", "maybe_dangerous_content",
                   "uncommon_content", "user_validated", "dangerous_host", "potentially_unwanted",
                   "allowlisted_by_policy", "async_scanning"},
                  "danger_type");
}

std::optional<std::string> SameSite(std::optional<int64_t> v) {
  if (!v) return std::nullopt;
  if (*v == -1) return "unspecified";
  return CodeName(*v, {"none", "lax", "strict"}, "same_site");
}

// What every Chromium database parser shares: which files (by name, under a Chromium profile, with the
// right header) and opening the SQLite image with its WAL.
class ChromiumParser : public Parser {
 public:
  std::string version() const override { return "1"; }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    const std::string name = LowerAscii(file.name);
    bool named = false;
    for (const auto& n : file_names()) named = named || name == n;
    if (!named || !ChromiumOrigin(file.path)) return false;
    if (!is_json()) return LooksLikeSqlite(head);
    const size_t first = head.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && head[first] == '{';
  }
  std::vector<std::string> companion_suffixes() const override {
    if (is_json()) return {};
    return {"-wal"};
  }
  int64_t max_bytes() const override { return 1LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    Origin origin = ChromiumOrigin(input.file.path).value_or(Origin{"Chromium-based", std::nullopt});
    if (is_json()) return ParseJson(input.bytes, origin, out);
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    return ParseDb(**image, origin, out);
  }

 protected:
  virtual std::vector<std::string> file_names() const = 0;  // lowercase
  virtual bool is_json() const { return false; }
  virtual Status ParseDb(const SqliteImage&, const Origin&, ParseOutput&) const { return Status::Ok(); }
  virtual Status ParseJson(std::string_view, const Origin&, ParseOutput&) const { return Status::Ok(); }
};

class ChromiumHistoryParser : public ChromiumParser {
 public:
  std::string name() const override { return "browser.chromium.history"; }
  std::vector<KindDecl> kinds() const override { return {VisitKind(), DownloadKind(), SearchKind()}; }

 protected:
  std::vector<std::string> file_names() const override { return {"history", "archived history"}; }

  Status ParseDb(const SqliteImage& db, const Origin& origin, ParseOutput& out) const override {
    if (!db.HasTable("urls") || !db.HasTable("visits")) {
      return Status::Corruption("no urls and visits tables: not a Chromium History database");
    }
    ReadVisits(db, origin, out);
    if (db.HasTable("downloads")) ReadDownloads(db, origin, out);
    if (db.HasTable("keyword_search_terms")) ReadSearches(db, origin, out);
    return Status::Ok();
  }

 private:
  static void ReadVisits(const SqliteImage& db, const Origin& origin, ParseOutput& out) {
    const bool sources = db.HasTable("visit_source");
    const std::string query =
        "SELECT v.id, " + CappedText("u.url") + ", " + CappedText("u.title") + ", v.visit_time, v.transition, " +
        ColumnOrNull(db, "visits", "visit_duration", "v.visit_duration") + ", " + CappedText("fu.url") +
        ", u.visit_count, u.typed_count, " + (sources ? "s.source" : "NULL") +
        " FROM visits v LEFT JOIN urls u ON u.id = v.url"
        " LEFT JOIN visits fv ON fv.id = v.from_visit AND v.from_visit > 0 LEFT JOIN urls fu ON fu.id = fv.url" +
        (sources ? " LEFT JOIN visit_source s ON s.id = v.id" : "") + " ORDER BY v.id";
    ForEachRow(db.db(), query, "the visits table", out.problems, [&](const sql::Statement& st) {
      Visit visit;
      visit.url = st.Text(1);
      visit.title = OptText(st, 2);
      visit.visit_time = WebkitCol(st, 3);
      const int64_t transition = st.Int(4);
      visit.transition = TransitionName(transition);
      visit.transition_qualifiers = TransitionQualifiers(transition);
      visit.transition_code = transition;
      visit.visit_duration_us = st.OptInt(5);
      visit.from_url = OptText(st, 6);
      visit.visit_count = st.OptInt(7);
      visit.typed_count = st.OptInt(8);
      // Chromium writes a visit_source row only for visits it did not browse itself.
      visit.source = sources ? VisitSourceName(st.IsNull(9) ? 1 : st.Int(9)) : std::nullopt;
      out.rows.push_back(visit.ToRow(origin, "visits id " + std::to_string(st.Int(0))));
    });
  }

  static void ReadDownloads(const SqliteImage& db, const Origin& origin, ParseOutput& out) {
    auto col = [&](const char* c) { return ColumnOrNull(db, "downloads", c, std::string("d.") + c); };
    if (db.HasColumn("downloads", "target_path")) {
      // History 24 and later: the URL chain in its own table, times in µs since 1601.
      const std::string url = db.HasTable("downloads_url_chains")
                                  ? "(SELECT " + CappedText("c.url") +
                                        " FROM downloads_url_chains c WHERE c.id = d.id ORDER BY c.chain_index DESC "
                                        "LIMIT 1)"
                                  : "NULL";
      const std::string query = "SELECT d.id, " + url + ", d.target_path, " + CappedText(col("referrer")) + ", " +
                                CappedText(col("tab_url")) + ", " + col("mime_type") +
                                ", d.total_bytes, d.received_bytes, d.start_time, " + col("end_time") + ", d.state, " +
                                col("danger_type") + ", " + col("opened") + " FROM downloads d ORDER BY d.id";
      ForEachRow(db.db(), query, "the downloads table", out.problems, [&](const sql::Statement& st) {
        Download d;
        d.url = OptText(st, 1);
        d.target_path = OptText(st, 2);
        d.referrer = OptText(st, 3);
        d.tab_url = OptText(st, 4);
        d.mime_type = OptText(st, 5);
        d.total_bytes = st.OptInt(6);
        d.received_bytes = st.OptInt(7);
        d.start_time = WebkitCol(st, 8);
        d.end_time = WebkitCol(st, 9);
        if (!st.IsNull(10)) d.state = DownloadState(st.Int(10));
        if (!st.IsNull(11)) d.danger_type = DangerType(st.Int(11));
        d.opened = st.OptInt(12);
        out.rows.push_back(d.ToRow(origin, "downloads id " + std::to_string(st.Int(0))));
      });
    } else if (db.HasColumn("downloads", "full_path")) {
      // Before History 24: one URL and path, start_time in seconds since 1970.
      const std::string query =
          "SELECT d.id, " + CappedText("d.url") +
          ", d.full_path, d.total_bytes, d.received_bytes, d.start_time, d.state FROM downloads d "
          "ORDER BY d.id";
      ForEachRow(db.db(), query, "the downloads table", out.problems, [&](const sql::Statement& st) {
        Download d;
        d.url = OptText(st, 1);
        d.target_path = OptText(st, 2);
        d.total_bytes = st.OptInt(3);
        d.received_bytes = st.OptInt(4);
        d.start_time = FromUnixSecondsOpt(st.OptInt(5));
        if (!st.IsNull(6)) d.state = DownloadState(st.Int(6));
        out.rows.push_back(d.ToRow(origin, "downloads id " + std::to_string(st.Int(0))));
      });
    } else {
      out.problems.push_back("the downloads table has neither target_path nor full_path: downloads not read");
    }
  }

  static void ReadSearches(const SqliteImage& db, const Origin& origin, ParseOutput& out) {
    const std::string query = "SELECT k.rowid, " + CappedText("k.term") + ", " + CappedText("u.url") +
                              ", u.last_visit_time FROM keyword_search_terms k LEFT JOIN urls u ON u.id = k.url_id "
                              "ORDER BY k.rowid";
    ForEachRow(db.db(), query, "the keyword_search_terms table", out.problems, [&](const sql::Statement& st) {
      Search s;
      s.term = st.Text(1);
      s.url = OptText(st, 2);
      s.last_visit_time = WebkitCol(st, 3);
      out.rows.push_back(s.ToRow(origin, "keyword_search_terms rowid " + std::to_string(st.Int(0))));
    });
  }
};

class ChromiumCookiesParser : public ChromiumParser {
 public:
  std::string name() const override { return "browser.chromium.cookies"; }
  std::vector<KindDecl> kinds() const override { return {CookieKind()}; }

 protected:
  std::vector<std::string> file_names() const override { return {"cookies"}; }

  Status ParseDb(const SqliteImage& db, const Origin& origin, ParseOutput& out) const override {
    if (!db.HasTable("cookies")) return Status::Corruption("no cookies table: not a Chromium Cookies database");
    // Column names changed over the versions: secure/httponly became is_secure/is_httponly, firstpartyonly
    // became samesite, persistent became is_persistent.
    auto either = [&](const char* a, const char* b) {
      if (db.HasColumn("cookies", a)) return std::string(a);
      return ColumnOrNull(db, "cookies", b, b);
    };
    const std::string query = "SELECT rowid, " + CappedText("host_key") + ", " + CappedText("name") + ", " +
                              CappedText("path") + ", creation_utc, " +
                              ColumnOrNull(db, "cookies", "last_access_utc", "last_access_utc") + ", expires_utc, " +
                              either("is_secure", "secure") + ", " + either("is_httponly", "httponly") + ", " +
                              either("samesite", "firstpartyonly") + ", " + either("is_persistent", "persistent") +
                              " FROM cookies ORDER BY rowid";
    ForEachRow(db.db(), query, "the cookies table", out.problems, [&](const sql::Statement& st) {
      Cookie c;
      c.host = st.Text(1);
      c.name = OptText(st, 2);
      c.path = OptText(st, 3);
      c.created = WebkitCol(st, 4);
      c.last_accessed = WebkitCol(st, 5);
      c.expires = WebkitCol(st, 6);
      c.secure = st.OptInt(7);
      c.http_only = st.OptInt(8);
      c.same_site = SameSite(st.OptInt(9));
      c.persistent = st.OptInt(10);
      out.rows.push_back(c.ToRow(origin, "cookies rowid " + std::to_string(st.Int(0))));
    });
    return Status::Ok();
  }
};

class ChromiumLoginDataParser : public ChromiumParser {
 public:
  std::string name() const override { return "browser.chromium.login_data"; }
  std::vector<KindDecl> kinds() const override { return {SavedLoginKind()}; }

 protected:
  std::vector<std::string> file_names() const override { return {"login data", "login data for account"}; }

  Status ParseDb(const SqliteImage& db, const Origin& origin, ParseOutput& out) const override {
    if (!db.HasTable("logins")) return Status::Corruption("no logins table: not a Chromium Login Data database");
    auto col = [&](const char* c) { return ColumnOrNull(db, "logins", c, c); };
    // password_value is never selected.
    const std::string query = "SELECT rowid, " + CappedText(col("origin_url")) + ", " + CappedText(col("action_url")) +
                              ", " + CappedText(col("signon_realm")) + ", " + CappedText(col("username_value")) + ", " +
                              col("date_created") + ", " + col("date_last_used") + ", " + col("times_used") + ", " +
                              col("blacklisted_by_user") + " FROM logins ORDER BY rowid";
    ForEachRow(db.db(), query, "the logins table", out.problems, [&](const sql::Statement& st) {
      SavedLogin l;
      l.origin_url = OptText(st, 1);
      l.action_url = OptText(st, 2);
      l.signon_realm = OptText(st, 3);
      l.username = OptText(st, 4);
      l.created = EitherEpoch(st.OptInt(5));
      l.last_used = WebkitCol(st, 6);
      l.times_used = st.OptInt(7);
      l.never_save = st.OptInt(8);
      out.rows.push_back(l.ToRow(origin, "logins rowid " + std::to_string(st.Int(0))));
    });
    return Status::Ok();
  }
};

// --- Web Data: address profiles and payment cards; Top Sites -------------------------------------------

KindDecl AutofillProfileKind() {
  return {"browser.autofill_profile",
          "a name and address the user saved in the browser for filling in forms (Chromium Web Data "
          "autofill_profiles): who the user says they are",
          {
              {"full_name", FieldType::kText, "the name, as entered or as first, middle and last joined"},
              {"company", FieldType::kText, "the company name"},
              {"street_address", FieldType::kText, "the street address (lines joined by newlines)"},
              {"city", FieldType::kText, "the city"},
              {"state", FieldType::kText, "the state, county or region"},
              {"postcode", FieldType::kText, "the postal code"},
              {"country_code", FieldType::kText, "the country (two-letter code)"},
              {"emails", FieldType::kText, "e-mail addresses, '; '-separated"},
              {"phone_numbers", FieldType::kText, "phone numbers, '; '-separated"},
              {"modified", FieldType::kTime, "when the profile was last changed (s since 1970)"},
              {"last_used", FieldType::kTime, "when it last filled a form"},
              {"times_used", FieldType::kInteger, "how often it filled a form"},
              {"source", FieldType::kText, "where it came from: a web site's address, 'settings', or empty"},
              BrowserField(),
              ProfileField(),
          }};
}

KindDecl CreditCardKind() {
  return {"browser.credit_card",
          "a payment card saved in the browser (Chromium Web Data credit_cards): the name on it and its expiry; "
          "the card number is encrypted by the browser and is never read",
          {
              {"name_on_card", FieldType::kText, "the card holder's name"},
              {"expiry_month", FieldType::kInteger, "the month it expires (1-12)"},
              {"expiry_year", FieldType::kInteger, "the year it expires"},
              {"nickname", FieldType::kText, "the name the user gave the card"},
              {"modified", FieldType::kTime, "when it was saved or last changed (s since 1970)"},
              {"last_used", FieldType::kTime, "when it last filled a payment form"},
              {"times_used", FieldType::kInteger, "how often it was used"},
              {"source", FieldType::kText, "where it came from: a web site's address, 'settings', or empty"},
              BrowserField(),
              ProfileField(),
          }};
}

KindDecl TopSiteKind() {
  return {"browser.top_site",
          "a site among the user's most visited, as the browser's new-tab page lists them (Chromium Top Sites)",
          {
              {"url", FieldType::kText, "the site's address"},
              {"title", FieldType::kText, "its title"},
              {"rank", FieldType::kInteger, "its place in the list, 0 the most visited"},
              {"last_updated", FieldType::kTime, "when the entry was last refreshed (older versions only)"},
              BrowserField(),
              ProfileField(),
          }};
}

// Chromium writes 0 for "never" and times in seconds since 1970 in these tables.
std::optional<UtcMicros> UnixCol(const sql::Statement& st, int col) { return FromUnixSecondsOpt(st.OptInt(col)); }

FieldValue TextCol(const sql::Statement& st, int col) { return NonEmpty(OptText(st, col)); }

void ReadAutofillProfiles(const SqliteImage& db, const Origin& origin, ParseOutput& out) {
  if (!db.HasColumn("autofill_profiles", "guid")) return;
  const auto p = [&](const char* column) {
    return ColumnOrNull(db, "autofill_profiles", column, "substr(p." + std::string(column) + ", 1, 4096)");
  };
  const auto joined = [&](const char* table, const char* expr) {
    if (!db.HasColumn(table, "guid")) return std::string("NULL");
    return "(SELECT group_concat(v, '; ') FROM (SELECT DISTINCT substr(" + std::string(expr) + ", 1, 1024) AS v FROM " +
           table + " WHERE guid = p.guid AND " + expr + " <> '' LIMIT 100))";
  };
  const std::string name =
      db.HasColumn("autofill_profile_names", "full_name")
          ? joined("autofill_profile_names",
                   "coalesce(nullif(full_name, ''), trim(trim(coalesce(first_name, '') || ' ' || "
                   "coalesce(middle_name, '')) || ' ' || coalesce(last_name, '')))")
      : db.HasColumn("autofill_profile_names", "first_name")
          ? joined("autofill_profile_names",
                   "trim(trim(coalesce(first_name, '') || ' ' || coalesce(middle_name, '')) || ' ' || "
                   "coalesce(last_name, ''))")
          : std::string("NULL");
  const std::string query =
      "SELECT p.rowid, " + name + ", " + p("company_name") + ", " + p("street_address") + ", " + p("city") + ", " +
      p("state") + ", " + p("zipcode") + ", " + p("country_code") + ", " +
      (db.HasColumn("autofill_profile_emails", "email") ? joined("autofill_profile_emails", "email")
                                                        : std::string("NULL")) +
      ", " +
      (db.HasColumn("autofill_profile_phones", "number") ? joined("autofill_profile_phones", "number")
                                                         : std::string("NULL")) +
      ", " + ColumnOrNull(db, "autofill_profiles", "date_modified", "p.date_modified") + ", " +
      ColumnOrNull(db, "autofill_profiles", "use_date", "p.use_date") + ", " +
      ColumnOrNull(db, "autofill_profiles", "use_count", "p.use_count") + ", " + p("origin") +
      " FROM autofill_profiles p ORDER BY p.rowid";
  ForEachRow(db.db(), query, "the autofill_profiles table", out.problems, [&](const sql::Statement& st) {
    ArtefactRow row;
    row.kind = "browser.autofill_profile";
    row.location = "autofill_profiles rowid " + std::to_string(st.Int(0));
    const auto modified = UnixCol(st, 10), used = UnixCol(st, 11);
    row.time = used ? used : modified;
    const auto full = OptText(st, 1);
    row.summary = "autofill profile: " + full.value_or("(no name)");
    if (auto email = OptText(st, 8)) row.summary += " " + *email;
    if (auto city = OptText(st, 4); city && !city->empty()) row.summary += ", " + *city;
    row.values = {TextCol(st, 1),  TextCol(st, 2),           TextCol(st, 3), TextCol(st, 4), TextCol(st, 5),
                  TextCol(st, 6),  TextCol(st, 7),           TextCol(st, 8), TextCol(st, 9), IntOrNull(modified),
                  IntOrNull(used), IntOrNull(st.OptInt(12)), TextCol(st, 13)};
    AppendOrigin(row.values, origin);
    out.rows.push_back(std::move(row));
  });
}

void ReadCreditCards(const SqliteImage& db, const Origin& origin, ParseOutput& out) {
  if (!db.HasColumn("credit_cards", "name_on_card")) return;
  const auto c = [&](const char* column) { return ColumnOrNull(db, "credit_cards", column, column); };
  // card_number_encrypted is never selected.
  const std::string query = "SELECT rowid, substr(name_on_card, 1, 1024), " + c("expiration_month") + ", " +
                            c("expiration_year") + ", substr(" + c("nickname") + ", 1, 1024), " + c("date_modified") +
                            ", " + c("use_date") + ", " + c("use_count") + ", substr(" + c("origin") +
                            ", 1, 4096) FROM credit_cards ORDER BY rowid";
  ForEachRow(db.db(), query, "the credit_cards table", out.problems, [&](const sql::Statement& st) {
    ArtefactRow row;
    row.kind = "browser.credit_card";
    row.location = "credit_cards rowid " + std::to_string(st.Int(0));
    const auto modified = UnixCol(st, 5), used = UnixCol(st, 6);
    row.time = used ? used : modified;
    const auto month = st.OptInt(2), year = st.OptInt(3);
    row.summary = "saved payment card of " + OptText(st, 1).value_or("?");
    if (month && year) row.summary += ", expires " + std::to_string(*month) + "/" + std::to_string(*year);
    row.values = {TextCol(st, 1),      IntOrNull(month), IntOrNull(year),         TextCol(st, 4),
                  IntOrNull(modified), IntOrNull(used),  IntOrNull(st.OptInt(7)), TextCol(st, 8)};
    AppendOrigin(row.values, origin);
    out.rows.push_back(std::move(row));
  });
}

class ChromiumWebDataParser : public ChromiumParser {
 public:
  std::string name() const override { return "browser.chromium.web_data"; }
  std::vector<KindDecl> kinds() const override { return {AutofillKind(), AutofillProfileKind(), CreditCardKind()}; }

 protected:
  std::vector<std::string> file_names() const override { return {"web data"}; }

  Status ParseDb(const SqliteImage& db, const Origin& origin, ParseOutput& out) const override {
    if (!db.HasTable("autofill") && !db.HasTable("autofill_profiles") && !db.HasTable("credit_cards"))
      return Status::Corruption(
          "no autofill, autofill_profiles or credit_cards table: not a Chromium Web Data database");
    ReadAutofillProfiles(db, origin, out);
    ReadCreditCards(db, origin, out);
    if (!db.HasTable("autofill")) return Status::Ok();
    std::string query;
    if (db.HasColumn("autofill", "date_created")) {
      query = "SELECT rowid, " + CappedText("name") + ", " + CappedText("value") +
              ", count, date_created, date_last_used FROM autofill ORDER BY rowid";
    } else if (db.HasTable("autofill_dates") && db.HasColumn("autofill", "pair_id")) {
      // Before 2013 each use had its own row in autofill_dates.
      query = "SELECT a.rowid, " + CappedText("a.name") + ", " + CappedText("a.value") +
              ", a.count, d.first, d.last FROM autofill a LEFT JOIN (SELECT pair_id, min(date_created) AS first, "
              "max(date_created) AS last FROM autofill_dates GROUP BY pair_id) d ON d.pair_id = a.pair_id "
              "ORDER BY a.rowid";
    } else {
      query = "SELECT rowid, " + CappedText("name") + ", " + CappedText("value") + ", " +
              ColumnOrNull(db, "autofill", "count", "count") + ", NULL, NULL FROM autofill ORDER BY rowid";
    }
    ForEachRow(db.db(), query, "the autofill table", out.problems, [&](const sql::Statement& st) {
      Autofill a;
      a.field_name = st.Text(1);
      a.value = OptText(st, 2);
      a.times_used = st.OptInt(3);
      a.first_used = FromUnixSecondsOpt(st.OptInt(4));
      a.last_used = FromUnixSecondsOpt(st.OptInt(5));
      out.rows.push_back(a.ToRow(origin, "autofill rowid " + std::to_string(st.Int(0))));
    });
    return Status::Ok();
  }
};

// Top Sites: the most visited sites the new-tab page shows (top_sites since 2019; thumbnails before).
class ChromiumTopSitesParser : public ChromiumParser {
 public:
  std::string name() const override { return "browser.chromium.top_sites"; }
  std::vector<KindDecl> kinds() const override { return {TopSiteKind()}; }

 protected:
  std::vector<std::string> file_names() const override { return {"top sites"}; }

  Status ParseDb(const SqliteImage& db, const Origin& origin, ParseOutput& out) const override {
    const char* table = db.HasColumn("top_sites", "url")    ? "top_sites"
                        : db.HasColumn("thumbnails", "url") ? "thumbnails"
                                                            : nullptr;
    if (table == nullptr)
      return Status::Corruption("no top_sites or thumbnails table: not a Chromium Top Sites database");
    const std::string query = "SELECT rowid, " + CappedText("url") + ", " + CappedText("title") + ", " +
                              ColumnOrNull(db, table, "url_rank", "url_rank") + ", " +
                              ColumnOrNull(db, table, "last_updated", "last_updated") + " FROM " + table +
                              " ORDER BY url_rank, rowid";
    ForEachRow(db.db(), query, std::string("the ") + table + " table", out.problems, [&](const sql::Statement& st) {
      ArtefactRow row;
      row.kind = "browser.top_site";
      row.location = std::string(table) + " rowid " + std::to_string(st.Int(0));
      row.time = WebkitCol(st, 4);
      const auto rank = st.OptInt(3);
      row.summary = "top site" + (rank ? " #" + std::to_string(*rank + 1) : std::string()) + ": " + st.Text(1);
      row.values = {TextCol(st, 1), TextCol(st, 2), IntOrNull(rank), IntOrNull(row.time)};
      AppendOrigin(row.values, origin);
      out.rows.push_back(std::move(row));
    });
    return Status::Ok();
  }
};

std::optional<int64_t> DigitsValue(const nlohmann::json& node, const char* key) {
  if (!node.contains(key) || !node[key].is_string()) return std::nullopt;
  const std::string& s = node[key].get_ref<const std::string&>();
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::string> StringValue(const nlohmann::json& node, const char* key) {
  if (!node.contains(key) || !node[key].is_string()) return std::nullopt;
  return node[key].get<std::string>();
}

class ChromiumBookmarksParser : public ChromiumParser {
 public:
  std::string name() const override { return "browser.chromium.bookmarks"; }
  std::vector<KindDecl> kinds() const override { return {BookmarkKind()}; }
  int64_t max_bytes() const override { return 256LL << 20; }

 protected:
  std::vector<std::string> file_names() const override { return {"bookmarks"}; }
  bool is_json() const override { return true; }

  Status ParseJson(std::string_view bytes, const Origin& origin, ParseOutput& out) const override {
    const auto doc = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (doc.is_discarded()) return Status::Corruption("the Bookmarks file is not valid JSON (cut or damaged)");
    if (!doc.is_object() || !doc.contains("roots") || !doc["roots"].is_object()) {
      return Status::Corruption("no \"roots\" object: not a Chromium Bookmarks file");
    }
    constexpr size_t kMaxDepth = 64;
    struct Pending {
      const nlohmann::json* node;
      std::string folder;
      size_t depth;
    };
    std::vector<Pending> stack;
    // Roots in reverse so that the bar comes out first; children likewise keep their order.
    std::vector<Pending> roots;
    for (const auto& [key, root] : doc["roots"].items()) {
      if (root.is_object()) roots.push_back({&root, "", 0});
    }
    stack.assign(roots.rbegin(), roots.rend());
    bool too_deep = false;
    while (!stack.empty()) {
      Pending p = std::move(stack.back());
      stack.pop_back();
      const nlohmann::json& node = *p.node;
      const std::string type = StringValue(node, "type").value_or("");
      if (type == "url") {
        Bookmark b;
        b.name = StringValue(node, "name");
        b.url = StringValue(node, "url");
        b.folder = p.folder;
        b.added = FromWebkitMicros(DigitsValue(node, "date_added"));
        b.last_used = FromWebkitMicros(DigitsValue(node, "date_last_used"));
        out.rows.push_back(b.ToRow(origin, "bookmark id " + StringValue(node, "id").value_or("?")));
        continue;
      }
      if (!node.contains("children") || !node["children"].is_array()) continue;
      if (p.depth >= kMaxDepth) {
        too_deep = true;
        continue;
      }
      const std::string name = StringValue(node, "name").value_or("");
      const std::string folder = p.folder.empty() ? name : p.folder + "/" + name;
      const auto& children = node["children"];
      for (auto it = children.rbegin(); it != children.rend(); ++it) {
        if (it->is_object()) stack.push_back({&*it, folder, p.depth + 1});
      }
    }
    if (too_deep) out.problems.push_back("folders nested deeper than 64 levels were not read");
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(ChromiumHistoryParser);
CUSTOS_REGISTER_PARSER(ChromiumCookiesParser);
CUSTOS_REGISTER_PARSER(ChromiumLoginDataParser);
CUSTOS_REGISTER_PARSER(ChromiumWebDataParser);
CUSTOS_REGISTER_PARSER(ChromiumTopSitesParser);
CUSTOS_REGISTER_PARSER(ChromiumBookmarksParser);

}  // namespace custos
