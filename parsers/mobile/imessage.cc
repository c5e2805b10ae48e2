// Parser: Apple Messages: iOS sms.db and macOS chat.db (iMessage and SMS/MMS relayed through the phone):
// each message with its handle (phone number or Apple ID), conversation and attachment paths. Times are
// Mac absolute time (since 2001-01-01 UTC), in seconds before iOS 11 / macOS 10.13, nanoseconds after.
// A message whose `text` is empty (macOS 13 / iOS 16 and later) gets its text from attributedBody
// (parsers/mobile/typedstream.h).
#include <optional>

#include "parsers/common/sqlite_image.h"
#include "parsers/mobile/communication_kinds.h"
#include "parsers/mobile/typedstream.h"
#include "parsers/parser.h"
#include "triage/sqlite/sql.h"

namespace custos {
namespace {

constexpr int64_t kMacEpochSeconds = 978307200;  // 2001-01-01 00:00:00 UTC as Unix seconds

// Seconds or nanoseconds since 2001: a seconds count would need 3000 years to pass 1e11.
std::optional<UtcMicros> FromMacAbsolute(std::optional<int64_t> value) {
  if (!value || *value == 0) return std::nullopt;
  const int64_t micros = (*value > 100000000000LL || *value < -100000000000LL) ? *value / 1000 : *value * 1000000;
  return micros + kMacEpochSeconds * 1000000;
}

class IMessageParser : public Parser {
 public:
  std::string name() const override { return "mobile.imessage"; }
  std::string version() const override { return "2"; }  // 2: text from attributedBody
  std::vector<KindDecl> kinds() const override { return {mobile::ChatMessageKind()}; }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    const std::string name = mobile::LowerAscii(file.name);
    return (name == "sms.db" || name == "chat.db" || name.find("imessage") != std::string::npos) &&
           LooksLikeSqlite(head);
  }
  std::vector<std::string> companion_suffixes() const override { return {"-wal"}; }
  int64_t max_bytes() const override { return 2LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    const SqliteImage& img = **image;
    if (!img.HasTable("message")) return Status::Corruption("no message table: not a Messages database");
    for (const char* column : {"guid", "text", "handle_id", "date", "is_from_me"}) {
      if (!img.HasColumn("message", column)) {
        // iOS 5 and earlier kept an `address` column and flags instead; not read.
        return Status::NotSupported(std::string("message table without column ") + column +
                                    ": a Messages schema this parser does not read");
      }
    }
    const auto column_or_null = [&](const char* column) {
      return ColumnOrNull(img, "message", column, "m." + std::string(column));
    };
    const bool has_handle = img.HasTable("handle") && img.HasColumn("handle", "id");
    const bool has_chat = img.HasTable("chat_message_join") && img.HasColumn("chat", "chat_identifier");
    const bool has_attachments = img.HasTable("message_attachment_join") && img.HasColumn("attachment", "filename");
    const std::string sql =
        "SELECT m.ROWID, m.guid, substr(m.text, 1, 65536), " + column_or_null("service") + ", m.date, " +
        column_or_null("date_read") + ", m.is_from_me, " + column_or_null("is_read") + ", " +
        (has_handle ? "(SELECT substr(h.id, 1, 256) FROM handle h WHERE h.ROWID = m.handle_id)" : std::string("NULL")) +
        ", " +
        (has_chat ? "(SELECT substr(c.chat_identifier, 1, 256) || coalesce(' (' || nullif(c.display_name, '') || ')', "
                    "'') FROM chat c WHERE c.ROWID = (SELECT j.chat_id FROM chat_message_join j WHERE j.message_id = "
                    "m.ROWID LIMIT 1))"
                  : std::string("NULL")) +
        ", " +
        (has_attachments ? "(SELECT substr(group_concat(coalesce(a.filename, a.transfer_name), '; '), 1, 4096) FROM "
                           "message_attachment_join x JOIN attachment a ON a.ROWID = x.attachment_id WHERE "
                           "x.message_id = m.ROWID)"
                         : std::string("NULL")) +
        ", " + column_or_null("item_type") + ", " +
        ColumnOrNull(img, "message", "attributedBody", "substr(m.attributedBody, 1, 4194400)") +
        " FROM message m ORDER BY m.ROWID";
    sql::Statement st(img.db(), sql);
    if (!st.ok()) return st.prepare_error();
    Status status;
    size_t undecoded = 0;
    while (st.Step(&status)) {
      mobile::ChatMessage m;
      const std::string service = st.Text(3);
      m.app = service.empty() ? "iMessage" : service;
      m.direction = st.Int(6) != 0 ? "outgoing" : "incoming";
      m.body = OptText(st, 2);
      // macOS 13 / iOS 16 and later often leave `text` empty: the archived attributed string holds it.
      if ((!m.body || m.body->empty()) && !st.IsNull(12)) {
        m.body = mobile::TypedstreamText(st.Blob(12));
        if (!m.body) ++undecoded;
      }
      m.time = FromMacAbsolute(st.OptInt(4));
      m.read_time = FromMacAbsolute(st.OptInt(5));
      m.read = st.OptInt(7);
      m.handle = OptText(st, 8);
      m.thread = OptText(st, 9);
      m.attachments = OptText(st, 10);
      m.message_type = (st.IsNull(11) || st.Int(11) == 0) ? "text" : "system (item_type " + st.Text(11) + ")";
      m.message_id = st.Text(1);
      out.rows.push_back(m.ToRow("message ROWID " + std::to_string(st.Int(0))));
    }
    if (undecoded > 0)
      out.problems.push_back(std::to_string(undecoded) +
                             " message(s) without text whose attributedBody is not a typedstream NSString archive: "
                             "their text is missing");
    if (!status.ok()) out.problems.push_back("the message table could not be read to the end: " + status.message());
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(IMessageParser);

}  // namespace custos
