// Parser: Tango for Android's profile cache (tango_profile.db): every Tango user the app knows (friends,
// people met through its discovery and friend requests) from `profiletable`, as contact.entry rows; the
// device's own account is named by `profiles`.keyCurrentUserId. Tango stores names, status texts and
// friend-request messages base64-encoded; they are decoded (OpenSSL), and kept as stored when they are not
// valid base64. Times are Unix milliseconds. Tango's messages live in another database (tc.db), which
// the corpus does not hold, so they are not read.
#include <openssl/evp.h>

#include <optional>

#include "parsers/common/sqlite_image.h"
#include "parsers/mobile/communication_kinds.h"
#include "parsers/parser.h"
#include "triage/base/format.h"
#include "triage/sqlite/sql.h"

namespace custos {
namespace {

// Standard base64 (with padding) to bytes; nullopt when the text is not that.
std::optional<std::string> FromBase64(const std::string& text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > (1u << 20)) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t size = static_cast<size_t>(n);
  // EVP_DecodeBlock counts the padding as zero bytes.
  for (size_t i = text.size(); i > 0 && text[i - 1] == '=' && size > 0; --i) --size;
  out.resize(size);
  return out;
}

// A Tango text column: decoded, or as stored when it is not base64; nullopt when empty.
std::optional<std::string> TangoText(const sql::Statement& st, int col) {
  if (st.IsNull(col)) return std::nullopt;
  const std::string stored = st.Text(col);
  if (stored.empty()) return std::nullopt;
  auto decoded = FromBase64(stored);
  return decoded && !decoded->empty() ? decoded : stored;
}

class TangoParser : public Parser {
 public:
  std::string name() const override { return "mobile.tango"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {mobile::ContactEntryKind()}; }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return LooksLikeSqlite(head) && mobile::LowerAscii(file.name).starts_with("tango_profile");
  }
  std::vector<std::string> companion_suffixes() const override { return {"-wal"}; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    const SqliteImage& img = **image;
    if (!img.HasColumn("profiletable", "itemUserId") || !img.HasColumn("profiletable", "itemFirstName"))
      return Status::Corruption("no profiletable with itemUserId and itemFirstName: not a Tango profile database");
    std::optional<std::string> own_id;
    if (img.HasColumn("profiles", "key") && img.HasColumn("profiles", "value")) {
      sql::Statement own(img.db(), "SELECT substr(value, 1, 256) FROM profiles WHERE key = 'keyCurrentUserId'");
      Status status;
      if (own.ok() && own.Step(&status)) own_id = OptText(own, 0);
    }
    const auto col = [&](const char* column) {
      return ColumnOrNull(img, "profiletable", column, "substr(" + std::string(column) + ", 1, 4096)");
    };
    sql::Statement st(img.db(), "SELECT substr(itemUserId, 1, 256), substr(itemFirstName, 1, 4096), " +
                                    col("itemLastName") + ", " + col("itemGender") + ", " + col("itemBirthday") + ", " +
                                    col("itemStatus") + ", " + col("itemCity") + ", " + col("itemGeoCountryCode") +
                                    ", " + col("itemIsFriend") + ", " + col("itemIsBlocked") + ", " +
                                    col("itemFriendRequestType") + ", " + col("itemFriendRequestMessage") + ", " +
                                    col("itemLastActiveTime") + " FROM profiletable ORDER BY rowid");
    if (!st.ok()) return Status::Corruption("profiles not read: " + st.prepare_error().message());
    Status status;
    while (st.Step(&status)) {
      mobile::ContactEntry c;
      c.app = "Tango";
      c.contact_id = st.Text(0);
      c.handle = c.contact_id;
      std::string name = TangoText(st, 1).value_or("");
      if (auto last = TangoText(st, 2)) name += (name.empty() ? "" : " ") + *last;
      if (!name.empty()) c.name = name;
      std::vector<std::string> notes;
      if (own_id && *own_id == c.contact_id) notes.push_back("the device's own Tango account");
      const auto add = [&](const char* label, std::optional<std::string> v) {
        if (v && !v->empty()) notes.push_back(std::string(label) + *v);
      };
      add("gender: ", OptText(st, 3));
      add("birthday: ", OptText(st, 4));
      add("status: ", TangoText(st, 5));
      add("city: ", OptText(st, 6));
      add("country: ", OptText(st, 7));
      if (st.OptInt(8).value_or(0) == 1) notes.push_back("friend");
      if (st.OptInt(9).value_or(0) == 1) notes.push_back("blocked");
      if (auto request = OptText(st, 10); request && *request != "noRequest")
        notes.push_back("friend request: " + *request);
      add("request message: ", TangoText(st, 11));
      if (const auto active = mobile::FromUnixMillis(st.OptInt(12)))
        notes.push_back("last active " + FormatUtc(active));
      std::string note;
      for (const std::string& n : notes) note += (note.empty() ? "" : "; ") + n;
      if (!note.empty()) c.note = note;
      out.rows.push_back(c.ToRow("profiletable itemUserId " + c.contact_id));
    }
    if (!status.ok()) out.problems.push_back("profiletable could not be read to the end: " + status.message());
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(TangoParser);

}  // namespace custos
