// The kinds every browser parser shares (browser.visit, browser.download, browser.cookie...): declared
// once here, so that Chromium, Firefox and Safari rows land in the same tables with the same fields. A
// parser fills one of the structs below and turns it into a row with ToRow(), which keeps field order.
// Also the time conversions and the schema-tolerant SQLite helpers the three browser parsers share.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parsers/common/field_values.h"
#include "parsers/common/sqlite_image.h"
#include "triage/model/artefact.h"
#include "triage/sqlite/sql.h"

namespace custos::browser {

inline constexpr const char* kVisit = "browser.visit";
inline constexpr const char* kDownload = "browser.download";
inline constexpr const char* kSearch = "browser.search";
inline constexpr const char* kCookie = "browser.cookie";
inline constexpr const char* kSavedLogin = "browser.saved_login";
inline constexpr const char* kAutofill = "browser.autofill";
inline constexpr const char* kBookmark = "browser.bookmark";

inline FieldDecl BrowserField() {
  return {"browser", FieldType::kText, "the browser: Chrome, Edge, Brave, Opera, Firefox, Safari..., from the path"};
}
inline FieldDecl ProfileField() {
  return {"profile", FieldType::kText, "the browser profile folder (Default, Profile 1, xxxxxxxx.default-release)"};
}

inline KindDecl VisitKind() {
  return {
      kVisit,
      "a web page the browser recorded as visited",
      {
          {"url", FieldType::kText, "the address visited"},
          {"title", FieldType::kText, "the page title the browser recorded"},
          {"visit_time", FieldType::kTime,
           "when it was visited (Chromium: µs since 1601; Firefox: PRTime, µs since 1970; Safari: Mac "
           "absolute time, s since 2001)"},
          {"transition", FieldType::kText,
           "how the user got there: link, typed, auto_bookmark, auto_subframe, manual_subframe, generated, "
           "auto_toplevel, form_submit, reload, keyword, keyword_generated (Chromium: transition & 0xFF); "
           "link, typed, bookmark, embed, redirect_permanent, redirect_temporary, download, framed_link, reload "
           "(Firefox visit_type)"},
          {"transition_qualifiers", FieldType::kText,
           "Chromium's qualifier bits, '|'-separated: forward_back, from_address_bar, home_page, from_api, "
           "chain_start, chain_end, client_redirect, server_redirect, blocked"},
          {"transition_code", FieldType::kInteger, "the raw value stored (Chromium transition, Firefox visit_type)"},
          {"visit_duration_us", FieldType::kInteger, "how long the page stayed open, µs (Chromium visit_duration)"},
          {"from_url", FieldType::kText, "the page this visit came from (referring visit, or redirect source)"},
          {"visit_count", FieldType::kInteger, "visits the browser counts for this URL in all"},
          {"typed_count", FieldType::kInteger,
           "times the URL was typed in the address bar (Chromium typed_count; Firefox: 1 if ever typed)"},
          {"source", FieldType::kText,
           "Chromium visit_source: browsed (on this device), synced (from another device of the account), "
           "extension, imported_firefox, imported_ie, imported_safari"},
          BrowserField(),
          ProfileField(),
      }};
}

inline KindDecl DownloadKind() {
  return {kDownload,
          "a file the browser downloaded, or started to",
          {
              {"url", FieldType::kText, "where it was downloaded from (the last URL of a redirect chain)"},
              {"target_path", FieldType::kText, "where it was saved"},
              {"referrer", FieldType::kText, "the referring page"},
              {"tab_url", FieldType::kText, "the page the tab showed when the download started (Chromium)"},
              {"mime_type", FieldType::kText, "the MIME type the server gave"},
              {"total_bytes", FieldType::kInteger, "the expected size"},
              {"received_bytes", FieldType::kInteger, "the bytes received"},
              {"start_time", FieldType::kTime,
               "when it started (Chromium: µs since 1601, or s since 1970 before History version 24; Firefox: "
               "PRTime)"},
              {"end_time", FieldType::kTime, "when it ended (Firefox annotations: ms since 1970)"},
              {"state", FieldType::kText, "in_progress, complete, cancelled, interrupted, failed, paused, blocked..."},
              {"danger_type", FieldType::kText,
               "Chromium's verdict: not_dangerous, dangerous_file, dangerous_url, dangerous_content, "
               "maybe_dangerous_content, uncommon_content, user_validated, dangerous_host, potentially_unwanted..."},
              {"opened", FieldType::kInteger, "1 when the user opened the file from the browser (Chromium)"},
              BrowserField(),
              ProfileField(),
          }};
}

inline KindDecl SearchKind() {
  return {kSearch,
          "words the user searched for with a search engine from the address bar (Chromium "
          "keyword_search_terms)",
          {
              {"term", FieldType::kText, "the words searched for, as typed"},
              {"url", FieldType::kText, "the results page"},
              {"last_visit_time", FieldType::kTime,
               "when the results page was last visited (µs since 1601); Chromium keeps no time of its own for the "
               "search"},
              BrowserField(),
              ProfileField(),
          }};
}

inline KindDecl CookieKind() {
  return {kCookie,
          "a cookie a web site set in the browser (the value is never read)",
          {
              {"host", FieldType::kText, "the site's host or domain (.example.com covers its subdomains)"},
              {"name", FieldType::kText, "the cookie's name"},
              {"path", FieldType::kText, "the path it applies to"},
              {"created", FieldType::kTime,
               "when the site set it (Chromium: µs since 1601; Firefox: PRTime), i.e. the site was visited then"},
              {"last_accessed", FieldType::kTime, "when the browser last sent or read it"},
              {"expires", FieldType::kTime, "when it expires (Firefox: s since 1970)"},
              {"secure", FieldType::kInteger, "1 when only sent over HTTPS"},
              {"http_only", FieldType::kInteger, "1 when hidden from the page's scripts"},
              {"same_site", FieldType::kText, "unspecified, none, lax or strict"},
              {"persistent", FieldType::kInteger, "1 when kept across browser restarts (Chromium)"},
              BrowserField(),
              ProfileField(),
          }};
}

inline KindDecl SavedLoginKind() {
  return {kSavedLogin,
          "a site where the browser saved a user name (the password is never read)",
          {
              {"origin_url", FieldType::kText, "the page of the login form"},
              {"action_url", FieldType::kText, "where the form was sent"},
              {"signon_realm", FieldType::kText, "the site the login is for"},
              {"username", FieldType::kText, "the user name or e-mail address saved"},
              {"created", FieldType::kTime, "when it was saved (µs since 1601)"},
              {"last_used", FieldType::kTime, "when it was last filled in (µs since 1601)"},
              {"times_used", FieldType::kInteger, "how often it was filled in"},
              {"never_save", FieldType::kInteger,
               "1 when the user told the browser never to save a password for the site (blacklisted_by_user): the "
               "site was still visited"},
              BrowserField(),
              ProfileField(),
          }};
}

inline KindDecl AutofillKind() {
  return {kAutofill,
          "a value the user typed into a web form field, kept for autocompletion",
          {
              {"field_name", FieldType::kText, "the form field's name (email, q, name...)"},
              {"value", FieldType::kText, "what the user typed"},
              {"times_used", FieldType::kInteger, "how often it was entered"},
              {"first_used", FieldType::kTime, "when it was first entered (Chromium: s since 1970; Firefox: PRTime)"},
              {"last_used", FieldType::kTime, "when it was last entered"},
              BrowserField(),
              ProfileField(),
          }};
}

inline KindDecl BookmarkKind() {
  return {kBookmark,
          "a page the user bookmarked",
          {
              {"name", FieldType::kText, "the bookmark's name"},
              {"url", FieldType::kText, "the address"},
              {"folder", FieldType::kText, "the folders it sits in, '/'-separated (Bookmarks bar/News)"},
              {"added", FieldType::kTime, "when it was added (Chromium: µs since 1601; Firefox: PRTime)"},
              {"last_modified", FieldType::kTime, "when it was last changed (Firefox)"},
              {"last_used", FieldType::kTime, "when it was last opened (Chromium date_last_used)"},
              BrowserField(),
              ProfileField(),
          }};
}

// Empty text is NULL, as absent.
inline FieldValue NonEmpty(std::optional<std::string> s) {
  if (s && s->empty()) s.reset();
  return TextOrNull(std::move(s));
}

// Where a database came from: the browser and the profile, named from its path.
struct Origin {
  std::string browser;
  std::optional<std::string> profile;
};

inline void AppendOrigin(std::vector<FieldValue>& v, const Origin& o) {
  v.emplace_back(o.browser);
  v.push_back(NonEmpty(o.profile));
}

struct Visit {
  std::string url;
  std::optional<std::string> title;
  std::optional<UtcMicros> visit_time;
  std::optional<std::string> transition, transition_qualifiers;
  std::optional<int64_t> transition_code, visit_duration_us;
  std::optional<std::string> from_url;
  std::optional<int64_t> visit_count, typed_count;
  std::optional<std::string> source;

  ArtefactRow ToRow(const Origin& origin, std::string location) const {
    ArtefactRow row;
    row.kind = kVisit;
    row.time = visit_time;
    row.location = std::move(location);
    row.summary = origin.browser + " visit " + url;
    if (title && !title->empty()) row.summary += " (" + *title + ")";
    auto& v = row.values;
    v = {FieldValue(url),
         NonEmpty(title),
         IntOrNull(visit_time),
         NonEmpty(transition),
         NonEmpty(transition_qualifiers),
         IntOrNull(transition_code),
         IntOrNull(visit_duration_us),
         NonEmpty(from_url),
         IntOrNull(visit_count),
         IntOrNull(typed_count),
         NonEmpty(source)};
    AppendOrigin(v, origin);
    return row;
  }
};

struct Download {
  std::optional<std::string> url, target_path, referrer, tab_url, mime_type;
  std::optional<int64_t> total_bytes, received_bytes;
  std::optional<UtcMicros> start_time, end_time;
  std::optional<std::string> state, danger_type;
  std::optional<int64_t> opened;

  ArtefactRow ToRow(const Origin& origin, std::string location) const {
    ArtefactRow row;
    row.kind = kDownload;
    row.time = start_time;
    row.location = std::move(location);
    row.summary = origin.browser + " download " + target_path.value_or("?") + " from " + url.value_or("?");
    if (state) row.summary += " (" + *state + ")";
    auto& v = row.values;
    v = {NonEmpty(url),       NonEmpty(target_path),  NonEmpty(referrer),        NonEmpty(tab_url),
         NonEmpty(mime_type), IntOrNull(total_bytes), IntOrNull(received_bytes), IntOrNull(start_time),
         IntOrNull(end_time), NonEmpty(state),        NonEmpty(danger_type),     IntOrNull(opened)};
    AppendOrigin(v, origin);
    return row;
  }
};

struct Search {
  std::string term;
  std::optional<std::string> url;
  std::optional<UtcMicros> last_visit_time;

  ArtefactRow ToRow(const Origin& origin, std::string location) const {
    ArtefactRow row;
    row.kind = kSearch;
    row.time = last_visit_time;
    row.location = std::move(location);
    row.summary = origin.browser + " search \"" + term + "\"";
    row.values = {FieldValue(term), NonEmpty(url), IntOrNull(last_visit_time)};
    AppendOrigin(row.values, origin);
    return row;
  }
};

struct Cookie {
  std::string host;
  std::optional<std::string> name, path;
  std::optional<UtcMicros> created, last_accessed, expires;
  std::optional<int64_t> secure, http_only;
  std::optional<std::string> same_site;
  std::optional<int64_t> persistent;

  ArtefactRow ToRow(const Origin& origin, std::string location) const {
    ArtefactRow row;
    row.kind = kCookie;
    row.time = created;
    row.location = std::move(location);
    row.summary = origin.browser + " cookie " + name.value_or("") + " from " + host;
    auto& v = row.values;
    v = {FieldValue(host),   NonEmpty(name),    NonEmpty(path),       IntOrNull(created),  IntOrNull(last_accessed),
         IntOrNull(expires), IntOrNull(secure), IntOrNull(http_only), NonEmpty(same_site), IntOrNull(persistent)};
    AppendOrigin(v, origin);
    return row;
  }
};

struct SavedLogin {
  std::optional<std::string> origin_url, action_url, signon_realm, username;
  std::optional<UtcMicros> created, last_used;
  std::optional<int64_t> times_used, never_save;

  ArtefactRow ToRow(const Origin& origin, std::string location) const {
    ArtefactRow row;
    row.kind = kSavedLogin;
    row.time = created;
    row.location = std::move(location);
    row.summary = origin.browser + " saved login " + username.value_or("(no user name)") + " for " +
                  signon_realm.value_or(origin_url.value_or("?"));
    auto& v = row.values;
    v = {NonEmpty(origin_url), NonEmpty(action_url), NonEmpty(signon_realm), NonEmpty(username),
         IntOrNull(created),   IntOrNull(last_used), IntOrNull(times_used),  IntOrNull(never_save)};
    AppendOrigin(v, origin);
    return row;
  }
};

struct Autofill {
  std::string field_name;
  std::optional<std::string> value;
  std::optional<int64_t> times_used;
  std::optional<UtcMicros> first_used, last_used;

  ArtefactRow ToRow(const Origin& origin, std::string location) const {
    ArtefactRow row;
    row.kind = kAutofill;
    row.time = last_used ? last_used : first_used;
    row.location = std::move(location);
    row.summary = origin.browser + " form entry " + field_name + " = " + value.value_or("").substr(0, 120);
    auto& v = row.values;
    v = {FieldValue(field_name), NonEmpty(value), IntOrNull(times_used), IntOrNull(first_used), IntOrNull(last_used)};
    AppendOrigin(v, origin);
    return row;
  }
};

struct Bookmark {
  std::optional<std::string> name, url, folder;
  std::optional<UtcMicros> added, last_modified, last_used;

  ArtefactRow ToRow(const Origin& origin, std::string location) const {
    ArtefactRow row;
    row.kind = kBookmark;
    row.time = added;
    row.location = std::move(location);
    row.summary = origin.browser + " bookmark " + url.value_or("?");
    if (name && !name->empty()) row.summary += " (" + *name + ")";
    auto& v = row.values;
    v = {NonEmpty(name),           NonEmpty(url),       NonEmpty(folder), IntOrNull(added),
         IntOrNull(last_modified), IntOrNull(last_used)};
    AppendOrigin(v, origin);
    return row;
  }
};

// --- times ---------------------------------------------------------------------------------------------

// Chromium (WebKit) time: µs since 1601-01-01 UTC; 0 means not set.
inline std::optional<UtcMicros> FromWebkitMicros(std::optional<int64_t> us) {
  constexpr int64_t k1601To1970 = 11644473600LL * 1000000;
  if (!us || *us <= 0) return std::nullopt;
  return *us - k1601To1970;
}

// Mozilla PRTime: µs since 1970 UTC; 0 means not set.
inline std::optional<UtcMicros> FromPrTime(std::optional<int64_t> us) {
  if (!us || *us <= 0) return std::nullopt;
  return *us;
}

// Seconds since 1970 UTC; 0 means not set.
inline std::optional<UtcMicros> FromUnixSecondsOpt(std::optional<int64_t> s) {
  constexpr int64_t kMax = 253402300799LL;  // 9999-12-31
  if (!s || *s <= 0 || *s > kMax) return std::nullopt;
  return *s * 1000000;
}

// Mac absolute time: seconds (a double) since 2001-01-01 UTC.
inline std::optional<UtcMicros> FromMacAbsoluteSeconds(double s) {
  constexpr int64_t k1970To2001 = 978307200LL * 1000000;
  if (!std::isfinite(s) || s == 0 || std::fabs(s) > 1e11) return std::nullopt;
  return static_cast<int64_t>(std::llround(s * 1e6)) + k1970To2001;
}

// --- paths ---------------------------------------------------------------------------------------------

inline std::string LowerAscii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// The '/'-separated elements of a path.
inline std::vector<std::string> PathElements(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// "file:///C:/Users/x/a%20b.zip" -> "C:/Users/x/a b.zip"; "file:///home/x" -> "/home/x"; other text unchanged.
inline std::string FileUriToPath(const std::string& uri) {
  if (LowerAscii(uri.substr(0, 7)) != "file://") return uri;
  std::string rest = uri.substr(7);
  if (rest.size() >= 3 && rest[0] == '/' && rest[2] == ':') rest.erase(0, 1);  // a drive letter
  std::string out;
  for (size_t i = 0; i < rest.size(); ++i) {
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (rest[i] == '%' && i + 2 < rest.size() && hex(rest[i + 1]) >= 0 && hex(rest[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(rest[i + 1]) * 16 + hex(rest[i + 2])));
      i += 2;
    } else {
      out.push_back(rest[i]);
    }
  }
  return out;
}

// --- SQLite --------------------------------------------------------------------------------------------

// A text expression capped in SQL: a data: URL can be megabytes.
inline std::string CappedText(const std::string& expr) { return "substr(" + expr + ", 1, 65536)"; }

// Runs `query` and hands each row to `on_row`; a statement that cannot be prepared or read to the end
// becomes a problem naming `what`. Returns the number of rows read.
template <typename OnRow>
size_t ForEachRow(sqlite3* db, const std::string& query, const std::string& what, std::vector<std::string>& problems,
                  OnRow on_row) {
  sql::Statement st(db, query);
  if (!st.ok()) {
    problems.push_back(what + " could not be read: " + st.prepare_error().message());
    return 0;
  }
  Status status;
  size_t n = 0;
  while (st.Step(&status)) {
    on_row(st);
    ++n;
  }
  if (!status.ok()) problems.push_back(what + " could not be read to the end: " + status.message());
  return n;
}

}  // namespace custos::browser
