// Parser: Skype's main.db (classic Skype 3 to 7 on Windows and macOS, and Skype for Android before 8):
// chat messages (Messages), the contact list (Contacts) and calls (Calls, with the other party from
// CallMembers). Times are Unix seconds. Skype 8 keeps its data elsewhere (s4l-*.db) and is not read here.
#include <optional>

#include "parsers/common/sqlite_image.h"
#include "parsers/common/windows_time.h"
#include "parsers/mobile/communication_kinds.h"
#include "parsers/parser.h"
#include "triage/sqlite/sql.h"

namespace custos {
namespace {

// Messages.type.
std::string MessageType(int64_t type) {
  switch (type) {
    case 61:
      return "text";
    case 60:
      return "emote";
    case 50:
      return "contact request";
    case 51:
      return "contact added";
    case 30:
      return "call started";
    case 39:
      return "call ended";
    case 63:
      return "contacts sent";
    case 64:
      return "SMS";
    case 68:
      return "file transfer";
    case 201:
      return "picture";
    default:
      return "type " + std::to_string(type);
  }
}

// body_xml escapes the five XML entities; links and formatting stay as markup.
std::string UnescapeXml(const std::string& s) {
  static const std::pair<std::string_view, char> kEntities[] = {
      {"&apos;", '\''}, {"&quot;", '"'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}};
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    bool matched = false;
    if (s[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (s.compare(i, entity.size(), entity) == 0) {
          out += c;
          i += entity.size();
          matched = true;
          break;
        }
      }
    }
    if (!matched) out += s[i++];
  }
  return out;
}

void ReadMessages(const SqliteImage& img, const std::string& account, ParseOutput& out) {
  for (const char* column : {"author", "timestamp", "body_xml"}) {
    if (!img.HasColumn("Messages", column)) {
      out.problems.push_back(std::string("Messages without column ") + column + ": messages not read");
      return;
    }
  }
  const std::string partner =
      img.HasColumn("Messages", "dialog_partner") ? "nullif(m.dialog_partner, '')" : std::string("NULL");
  const std::string conversation =
      img.HasColumn("Conversations", "identity") && img.HasColumn("Messages", "convo_id")
          ? "(SELECT substr(c.identity, 1, 256) FROM Conversations c WHERE c.id = m.convo_id)"
          : std::string("NULL");
  sql::Statement st(img.db(), "SELECT m.id, substr(m.author, 1, 256), " +
                                  ColumnOrNull(img, "Messages", "from_dispname", "substr(m.from_dispname, 1, 1024)") +
                                  ", substr(coalesce(" + partner + ", " + conversation + "), 1, 256), m.timestamp, " +
                                  ColumnOrNull(img, "Messages", "type", "m.type") + ", substr(m.body_xml, 1, 65536), " +
                                  ColumnOrNull(img, "Messages", "chatname", "substr(m.chatname, 1, 1024)") +
                                  " FROM Messages m ORDER BY m.id");
  if (!st.ok()) {
    out.problems.push_back("messages not read: " + st.prepare_error().message());
    return;
  }
  Status status;
  while (st.Step(&status)) {
    mobile::ChatMessage m;
    m.app = "Skype";
    const std::string author = st.Text(1);
    const bool outgoing = !account.empty() && author == account;
    m.direction = account.empty() ? "unknown" : (outgoing ? "outgoing" : "incoming");
    m.sender = OptText(st, 1);
    m.handle = outgoing ? OptText(st, 3) : (author.empty() ? OptText(st, 3) : m.sender);
    if (!outgoing) m.contact_name = OptText(st, 2);
    m.time = FromUnixSeconds(st.Int(4));
    m.message_type = st.IsNull(5) ? std::string("text") : MessageType(st.Int(5));
    if (auto body = OptText(st, 6)) m.body = UnescapeXml(*body);
    m.thread = OptText(st, 7);
    m.message_id = std::to_string(st.Int(0));
    out.rows.push_back(m.ToRow("Messages id " + m.message_id));
  }
  if (!status.ok()) out.problems.push_back("Messages could not be read to the end: " + status.message());
}

void ReadContacts(const SqliteImage& img, ParseOutput& out) {
  if (!img.HasColumn("Contacts", "skypename")) {
    out.problems.push_back("Contacts without skypename: contacts not read");
    return;
  }
  const auto col = [&](const char* column) {
    return ColumnOrNull(img, "Contacts", column, "nullif(substr(" + std::string(column) + ", 1, 1024), '')");
  };
  sql::Statement st(img.db(), "SELECT id, substr(skypename, 1, 256), coalesce(" + col("fullname") + ", " +
                                  col("displayname") + "), " + col("phone_home") + ", " + col("phone_office") + ", " +
                                  col("phone_mobile") + ", " + col("pstnnumber") + ", " + col("emails") + ", " +
                                  col("mood_text") + " FROM Contacts ORDER BY id");
  if (!st.ok()) {
    out.problems.push_back("contacts not read: " + st.prepare_error().message());
    return;
  }
  Status status;
  while (st.Step(&status)) {
    mobile::ContactEntry c;
    c.app = "Skype";
    c.handle = OptText(st, 1);
    c.name = OptText(st, 2);
    std::string phones;
    for (int col_index = 3; col_index <= 6; ++col_index) {
      if (auto phone = OptText(st, col_index)) phones += (phones.empty() ? "" : "; ") + *phone;
    }
    c.phone_numbers = phones;
    c.emails = OptText(st, 7);
    if (auto mood = OptText(st, 8)) c.note = "mood: " + *mood;
    c.contact_id = std::to_string(st.Int(0));
    out.rows.push_back(c.ToRow("Contacts id " + c.contact_id));
  }
  if (!status.ok()) out.problems.push_back("Contacts could not be read to the end: " + status.message());
}

void ReadCalls(const SqliteImage& img, ParseOutput& out) {
  if (!img.HasColumn("Calls", "begin_timestamp")) {
    out.problems.push_back("Calls without begin_timestamp: calls not read");
    return;
  }
  const bool members = img.HasColumn("CallMembers", "call_name") && img.HasColumn("CallMembers", "identity") &&
                       img.HasColumn("Calls", "name");
  const auto member = [&](const char* column) {
    return members && img.HasColumn("CallMembers", column)
               ? "(SELECT substr(cm." + std::string(column) +
                     ", 1, 256) FROM CallMembers cm WHERE cm.call_name = c.name ORDER BY cm.id LIMIT 1)"
               : std::string("NULL");
  };
  sql::Statement st(
      img.db(), "SELECT c.id, c.begin_timestamp, coalesce(" + ColumnOrNull(img, "Calls", "duration", "c.duration") +
                    ", " + member("call_duration") + "), " +
                    ColumnOrNull(img, "Calls", "is_incoming", "c.is_incoming") + ", coalesce(" +
                    ColumnOrNull(img, "Calls", "partner_handle", "nullif(substr(c.partner_handle, 1, 256), '')") +
                    ", " + member("identity") + "), coalesce(" +
                    ColumnOrNull(img, "Calls", "partner_dispname", "nullif(substr(c.partner_dispname, 1, 1024), '')") +
                    ", " + member("dispname") + ") FROM Calls c ORDER BY c.id");
  if (!st.ok()) {
    out.problems.push_back("calls not read: " + st.prepare_error().message());
    return;
  }
  Status status;
  while (st.Step(&status)) {
    mobile::CallRecord c;
    c.app = "Skype";
    c.direction = st.IsNull(3) ? "unknown" : (st.Int(3) != 0 ? "incoming" : "outgoing");
    c.start_time = FromUnixSeconds(st.Int(1));
    c.duration_seconds = st.OptInt(2);
    c.number = OptText(st, 4);
    c.contact_name = OptText(st, 5);
    c.call_id = std::to_string(st.Int(0));
    out.rows.push_back(c.ToRow("Calls id " + c.call_id));
  }
  if (!status.ok()) out.problems.push_back("Calls could not be read to the end: " + status.message());
}

class SkypeParser : public Parser {
 public:
  std::string name() const override { return "mobile.skype"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {mobile::ChatMessageKind(), mobile::ContactEntryKind(), mobile::CallRecordKind()};
  }
  // main.db is a common name: only in a Skype folder (AppData\Roaming\Skype\<account>\main.db).
  bool Wants(const FileRecord& file, std::string_view head) const override {
    const std::string name = mobile::LowerAscii(file.name);
    return name.ends_with("main.db") && mobile::LowerAscii(file.path).find("skype") != std::string::npos &&
           LooksLikeSqlite(head);
  }
  std::vector<std::string> companion_suffixes() const override { return {"-wal"}; }
  int64_t max_bytes() const override { return 2LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    const SqliteImage& img = **image;
    const bool messages = img.HasTable("Messages"), contacts = img.HasTable("Contacts"), calls = img.HasTable("Calls");
    if (!messages && !contacts && !calls)
      return Status::Corruption("no Messages, Contacts or Calls: not a Skype main.db");
    std::string account;
    if (img.HasColumn("Accounts", "skypename")) {
      sql::Statement st(img.db(), "SELECT substr(skypename, 1, 256) FROM Accounts ORDER BY id LIMIT 1");
      Status status;
      if (st.ok() && st.Step(&status)) account = st.Text(0);
    }
    if (account.empty()) out.problems.push_back("no account in Accounts: message directions unknown");
    if (messages) ReadMessages(img, account, out);
    if (contacts) ReadContacts(img, out);
    if (calls) ReadCalls(img, out);
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(SkypeParser);

}  // namespace custos
