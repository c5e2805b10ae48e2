// Parser: Twitter's own app databases. Android (com.twitter.android/databases/<user id>-*.db: `statuses`
// with `users`, `search_queries`) and iOS (the app's twitter.db / <user id>.sqlite: `Statuses` with
// `Users`). Every tweet the app cached (the user's own, replies, what their timeline showed) becomes a
// social.post; every cached account a contact.entry; searches typed into the app a browser.search.
// Direct messages are kept by these versions as serialized blobs (Android conversation_entries.data) and
// are not read. Times: Android Unix milliseconds; iOS Unix seconds as a real (not Mac absolute time).
#include <cmath>
#include <cstdlib>
#include <optional>

#include "parsers/browser/browser_kinds.h"
#include "parsers/common/sqlite_image.h"
#include "parsers/mobile/communication_kinds.h"
#include "parsers/parser.h"
#include "triage/sqlite/sql.h"

namespace custos {
namespace {

constexpr const char* kSocialPost = "social.post";

KindDecl SocialPostKind() {
  return {kSocialPost,
          "a post a social network app cached on the device: the user's own, a reply, or one their timeline "
          "showed",
          {
              {"app", FieldType::kText, "the application: Twitter"},
              {"author", FieldType::kText, "the author's account name (screen name, without @)"},
              {"author_name", FieldType::kText, "the author's display name"},
              {"text", FieldType::kText, "what the post says"},
              {"time", FieldType::kTime, "when it was posted (Twitter's own time, UTC)"},
              {"reply_to", FieldType::kText, "the account it replies to"},
              {"reply_to_post", FieldType::kText, "the id of the post it replies to"},
              {"retweet_count", FieldType::kInteger, "how often it was reposted, when cached"},
              {"favorite_count", FieldType::kInteger, "how often it was liked, when cached"},
              {"favorited", FieldType::kInteger, "1 when the device's account liked it"},
              {"latitude", FieldType::kReal, "where it was posted from (decimal degrees), when geotagged"},
              {"longitude", FieldType::kReal, "the longitude of the same place"},
              {"source", FieldType::kText, "the program it was posted with (Twitter for iPhone, a web client)"},
              {"post_id", FieldType::kText, "the post's id (also in its address twitter.com/<author>/status/<id>)"},
          }};
}

struct SocialPost {
  std::optional<std::string> author, author_name, text, reply_to, reply_to_post, source;
  std::optional<UtcMicros> time;
  std::optional<int64_t> retweets, favorites, favorited;
  std::optional<double> latitude, longitude;
  std::string post_id;

  ArtefactRow ToRow(std::string location) const {
    ArtefactRow row;
    row.kind = kSocialPost;
    row.time = time;
    row.location = std::move(location);
    row.summary = "Twitter post by @" + author.value_or("?");
    if (text) row.summary += ": " + text->substr(0, 120);
    const auto real = [](std::optional<double> v) { return v ? FieldValue(*v) : FieldValue(); };
    row.values = {FieldValue(std::string("Twitter")),
                  mobile::NonEmptyText(author),
                  mobile::NonEmptyText(author_name),
                  mobile::NonEmptyText(text),
                  IntOrNull(time),
                  mobile::NonEmptyText(reply_to),
                  mobile::NonEmptyText(reply_to_post),
                  IntOrNull(retweets),
                  IntOrNull(favorites),
                  IntOrNull(favorited),
                  real(latitude),
                  real(longitude),
                  mobile::NonEmptyText(source),
                  FieldValue(post_id)};
    return row;
  }
};

// Twitter's `source` is an HTML anchor: <a href="..." rel="nofollow">Twitter for iPhone</a>. Its text.
std::optional<std::string> SourceName(std::optional<std::string> source) {
  if (!source) return source;
  const size_t open = source->find('>');
  const size_t close = source->rfind("</a>");
  if (source->starts_with("<a ") && open != std::string::npos && close != std::string::npos && close > open)
    return source->substr(open + 1, close - open - 1);
  return source;
}

// A coordinate kept as text (Android); nullopt when empty, not a number or out of range.
std::optional<double> Coordinate(const sql::Statement& st, int col, double limit) {
  if (st.IsNull(col)) return std::nullopt;
  const std::string text = st.Text(col);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v) || std::fabs(v) > limit)
    return std::nullopt;
  return v;
}

// Unix seconds as a real (iOS), to microseconds.
std::optional<UtcMicros> FromUnixSecondsReal(const sql::Statement& st, int col) {
  if (st.IsNull(col)) return std::nullopt;
  const double s = st.Real(col);
  if (!std::isfinite(s) || s <= 0 || s > 253402300799.0) return std::nullopt;
  return static_cast<UtcMicros>(std::llround(s * 1e6));
}

std::optional<std::string> IdText(const sql::Statement& st, int col) {
  const auto id = st.OptInt(col);
  if (!id || *id <= 0) return std::nullopt;  // Android writes -1 for "none"
  return std::to_string(*id);
}

void Unreadable(const sql::Statement& st, const char* what, ParseOutput& out) {
  out.problems.push_back(std::string(what) + " not read: " + st.prepare_error().message());
}

void Finished(const Status& status, const char* table, ParseOutput& out) {
  if (!status.ok()) out.problems.push_back(std::string(table) + " could not be read to the end: " + status.message());
}

// --- Android ---------------------------------------------------------------------------------------------

void ReadAndroidStatuses(const SqliteImage& img, ParseOutput& out) {
  const auto s = [&](const char* column) { return ColumnOrNull(img, "statuses", column, "s." + std::string(column)); };
  const bool users = img.HasColumn("users", "user_id") && img.HasColumn("users", "username");
  sql::Statement st(
      img.db(), "SELECT s.status_id, " +
                    std::string(users ? "substr(a.username, 1, 256), substr(a.name, 1, 1024), " : "NULL, NULL, ") +
                    "substr(s.content, 1, 65536), s.created, " +
                    (users && img.HasColumn("statuses", "in_r_user_id")
                         ? "(SELECT substr(r.username, 1, 256) FROM users r WHERE r.user_id = s.in_r_user_id LIMIT 1)"
                         : std::string("NULL")) +
                    ", " + s("in_r_status_id") + ", " + s("retweet_count") + ", " + s("favorite_count") + ", " +
                    s("favorited") + ", " + s("latitude") + ", " + s("longitude") + ", substr(" + s("source") +
                    ", 1, 1024) FROM statuses s " + (users ? "LEFT JOIN users a ON a.user_id = s.author_id " : "") +
                    "ORDER BY s._id");
  if (!st.ok()) return Unreadable(st, "tweets (statuses)", out);
  Status status;
  while (st.Step(&status)) {
    SocialPost p;
    p.post_id = std::to_string(st.Int(0));
    p.author = OptText(st, 1);
    p.author_name = OptText(st, 2);
    p.text = OptText(st, 3);
    p.time = mobile::FromUnixMillis(st.OptInt(4));
    p.reply_to = OptText(st, 5);
    p.reply_to_post = IdText(st, 6);
    p.retweets = st.OptInt(7);
    p.favorites = st.OptInt(8);
    p.favorited = st.OptInt(9);
    p.latitude = Coordinate(st, 10, 90);
    p.longitude = Coordinate(st, 11, 180);
    if (!p.latitude || !p.longitude) p.latitude = p.longitude = std::nullopt;
    p.source = SourceName(OptText(st, 12));
    out.rows.push_back(p.ToRow("statuses status_id " + p.post_id));
  }
  Finished(status, "statuses", out);
}

// The accounts the app cached, as contacts: Android `users` (user_id, username, web_url) and iOS `Users`
// (id, screenName, url) keep the same facts under other names.
struct UsersTable {
  const char* table;
  const char* id;
  const char* handle;
  const char* url;
  const char* order;
};
constexpr UsersTable kAndroidUsers{"users", "user_id", "username", "web_url", "_id"};
constexpr UsersTable kIosUsers{"Users", "id", "screenName", "url", "id"};

void ReadUsers(const SqliteImage& img, const UsersTable& t, ParseOutput& out) {
  const auto col = [&](const char* column) {
    return ColumnOrNull(img, t.table, column, "nullif(substr(" + std::string(column) + ", 1, 1024), '')");
  };
  sql::Statement st(img.db(), "SELECT " + std::string(t.id) + ", " + col(t.handle) + ", " + col("name") + ", " +
                                  col("description") + ", " + col("location") + ", " + col(t.url) + " FROM " + t.table +
                                  " ORDER BY " + t.order);
  if (!st.ok()) return Unreadable(st, "accounts", out);
  Status status;
  while (st.Step(&status)) {
    mobile::ContactEntry c;
    c.app = "Twitter";
    c.handle = OptText(st, 1);
    c.name = OptText(st, 2);
    std::string note;
    for (const auto& [col, label] : {std::pair{3, "bio: "}, std::pair{4, "location: "}, std::pair{5, "web: "}}) {
      if (auto v = OptText(st, col)) note += (note.empty() ? "" : "; ") + std::string(label) + *v;
    }
    if (!note.empty()) c.note = note;
    c.contact_id = std::to_string(st.Int(0));
    out.rows.push_back(c.ToRow(std::string(t.table) + " " + t.id + " " + c.contact_id));
  }
  Finished(status, t.table, out);
}

void ReadAndroidSearches(const SqliteImage& img, ParseOutput& out) {
  if (!img.HasColumn("search_queries", "query") || !img.HasColumn("search_queries", "time")) return;
  sql::Statement st(img.db(), "SELECT _id, substr(query, 1, 4096), time FROM search_queries ORDER BY _id");
  if (!st.ok()) return Unreadable(st, "searches (search_queries)", out);
  Status status;
  while (st.Step(&status)) {
    ArtefactRow row;
    row.kind = browser::kSearch;
    row.time = mobile::FromUnixMillis(st.OptInt(2));
    row.location = "search_queries _id " + std::to_string(st.Int(0));
    const auto term = OptText(st, 1);
    row.summary = "Twitter search: " + term.value_or("?");
    row.values = {mobile::NonEmptyText(term), FieldValue(), IntOrNull(row.time), FieldValue(std::string("Twitter")),
                  FieldValue()};
    out.rows.push_back(std::move(row));
  }
  Finished(status, "search_queries", out);
}

// --- iOS -------------------------------------------------------------------------------------------------

void ReadIosStatuses(const SqliteImage& img, ParseOutput& out) {
  const auto s = [&](const char* column) { return ColumnOrNull(img, "Statuses", column, "s." + std::string(column)); };
  const bool users = img.HasColumn("Users", "screenName") && img.HasColumn("Users", "name");
  sql::Statement st(
      img.db(), "SELECT s.id, " +
                    std::string(users ? "substr(u.screenName, 1, 256), substr(u.name, 1, 1024), " : "NULL, NULL, ") +
                    "substr(s.text, 1, 65536), s.date, substr(" + s("inReplyToUsername") + ", 1, 256), " +
                    s("inReplyToStatusId") + ", " + s("retweetCount") + ", " + s("favoriteCount") + ", " +
                    s("favorited") + ", substr(" + s("source") + ", 1, 1024) FROM Statuses s " +
                    (users ? "LEFT JOIN Users u ON u.id = s.userId " : "") + "ORDER BY s.id");
  if (!st.ok()) return Unreadable(st, "tweets (Statuses)", out);
  Status status;
  while (st.Step(&status)) {
    SocialPost p;
    p.post_id = std::to_string(st.Int(0));
    p.author = OptText(st, 1);
    p.author_name = OptText(st, 2);
    p.text = OptText(st, 3);
    p.time = FromUnixSecondsReal(st, 4);
    p.reply_to = OptText(st, 5);
    p.reply_to_post = IdText(st, 6);
    p.retweets = st.OptInt(7);
    p.favorites = st.OptInt(8);
    p.favorited = st.OptInt(9);
    p.source = SourceName(OptText(st, 10));
    out.rows.push_back(p.ToRow("Statuses id " + p.post_id));
  }
  Finished(status, "Statuses", out);
}

class TwitterParser : public Parser {
 public:
  std::string name() const override { return "mobile.twitter"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {SocialPostKind(), mobile::ContactEntryKind(), browser::SearchKind()};
  }
  // Android keeps one database per signed-in account, named by the account's id, in the app's folder; the
  // iOS app names its cache twitter.db (the corpus copies of both are named so).
  bool Wants(const FileRecord& file, std::string_view head) const override {
    if (!LooksLikeSqlite(head)) return false;
    const std::string path = mobile::LowerAscii(file.path);
    return path.find("/com.twitter.android/databases/") != std::string::npos ||
           path.find("/com.atebits.tweetie2/") != std::string::npos ||
           mobile::LowerAscii(file.name).find("twitter") != std::string::npos;
  }
  std::vector<std::string> companion_suffixes() const override { return {"-wal"}; }
  int64_t max_bytes() const override { return 2LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    const SqliteImage& img = **image;
    // SQLite matches table names without regard to case: the column test tells the layouts apart.
    const bool android = img.HasColumn("statuses", "status_id") && img.HasColumn("statuses", "content");
    const bool ios = img.HasColumn("Statuses", "text") && img.HasColumn("Statuses", "date");
    if (android) {
      ReadAndroidStatuses(img, out);
      if (img.HasColumn("users", "user_id")) ReadUsers(img, kAndroidUsers, out);
      ReadAndroidSearches(img, out);
    } else if (ios) {
      ReadIosStatuses(img, out);
      if (img.HasColumn("Users", "screenName")) ReadUsers(img, kIosUsers, out);
    } else {
      return Status::Corruption("no statuses table of Twitter for Android or iOS: not a Twitter database");
    }
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(TwitterParser);

}  // namespace custos
