// Parser: WhatsApp for Android: msgstore.db (messages), in the current schema (message, chat, jid,
// message_media; 2021 and later) and the legacy one (messages keyed by key_remote_jid), and wa.db
// (wa_contacts, the address book WhatsApp keeps). Encrypted backups (msgstore.db.crypt14) are not read.
#include <optional>

#include "parsers/common/sqlite_image.h"
#include "parsers/mobile/communication_kinds.h"
#include "parsers/parser.h"
#include "triage/sqlite/sql.h"

namespace custos {
namespace {

using mobile::ChatMessage;

// message.message_type / messages.media_wa_type.
std::string MessageType(int64_t type) {
  switch (type) {
    case 0:
      return "text";
    case 1:
      return "image";
    case 2:
      return "audio";
    case 3:
      return "video";
    case 4:
      return "contact card";
    case 5:
      return "location";
    case 7:
      return "system";
    case 9:
      return "document";
    case 13:
      return "animated gif";
    case 15:
      return "deleted";
    case 16:
      return "live location";
    case 20:
      return "sticker";
    default:
      return "type " + std::to_string(type);
  }
}

// Fills direction and times: incoming messages are dated when the phone received them, when recorded.
void SetDirectionAndTimes(ChatMessage& m, bool from_me, std::optional<int64_t> timestamp,
                          std::optional<int64_t> received) {
  m.direction = from_me ? "outgoing" : "incoming";
  m.sent_time = mobile::FromUnixMillis(timestamp);
  m.time = from_me ? m.sent_time : mobile::FromUnixMillis(received);
  if (!m.time) m.time = m.sent_time;
}

void ReadCurrentMessages(const SqliteImage& img, ParseOutput& out) {
  for (const char* column : {"chat_row_id", "from_me", "key_id", "timestamp", "text_data"}) {
    if (!img.HasColumn("message", column)) {
      out.problems.push_back(std::string("message table without column ") + column + ": messages not read");
      return;
    }
  }
  const std::string jid = img.HasColumn("jid", "raw_string") ? "coalesce(j.raw_string, j.user || '@' || j.server)"
                                                             : "j.user || '@' || j.server";
  const bool has_jid = img.HasTable("jid") && img.HasColumn("jid", "user") && img.HasColumn("jid", "server");
  const bool has_chat = img.HasTable("chat") && img.HasColumn("chat", "jid_row_id") && has_jid;
  const bool has_media = img.HasTable("message_media") && img.HasColumn("message_media", "message_row_id") &&
                         img.HasColumn("message_media", "file_path");
  const std::string sql =
      "SELECT m._id, m.from_me, m.key_id, m.timestamp, " +
      std::string(img.HasColumn("message", "received_timestamp") ? "m.received_timestamp" : "NULL") + ", " +
      (img.HasColumn("message", "message_type") ? "m.message_type" : "0") + ", substr(m.text_data, 1, 65536), " +
      (has_chat ? "(SELECT substr(" + jid +
                      ", 1, 256) FROM chat c JOIN jid j ON j._id = c.jid_row_id WHERE c._id = "
                      "m.chat_row_id), (SELECT substr(c.subject, 1, 1024) FROM chat c WHERE c._id = m.chat_row_id)"
                : std::string("NULL, NULL")) +
      ", " +
      (has_jid && img.HasColumn("message", "sender_jid_row_id")
           ? "(SELECT substr(" + jid + ", 1, 256) FROM jid j WHERE j._id = m.sender_jid_row_id)"
           : std::string("NULL")) +
      ", " +
      (has_media ? "(SELECT substr(coalesce(mm.file_path, mm.media_name), 1, 4096) FROM message_media mm WHERE "
                   "mm.message_row_id = m._id), (SELECT substr(mm.media_caption, 1, 65536) FROM message_media mm "
                   "WHERE mm.message_row_id = m._id)"
                 : std::string("NULL, NULL")) +
      " FROM message m ORDER BY m._id";
  sql::Statement st(img.db(), sql);
  if (!st.ok()) {
    out.problems.push_back("messages not read: " + st.prepare_error().message());
    return;
  }
  Status status;
  while (st.Step(&status)) {
    ChatMessage m;
    m.app = "WhatsApp";
    SetDirectionAndTimes(m, st.Int(1) != 0, st.OptInt(3), st.OptInt(4));
    m.message_type = MessageType(st.Int(5));
    m.body = OptText(st, 6);
    if (!m.body) m.body = OptText(st, 11);
    m.handle = OptText(st, 7);
    m.contact_name = OptText(st, 8);
    if (st.Int(1) == 0) m.sender = OptText(st, 9);
    m.thread = m.handle;
    m.attachments = OptText(st, 10);
    m.message_id = std::to_string(st.Int(0));
    out.rows.push_back(m.ToRow("message _id " + m.message_id));
  }
  if (!status.ok()) out.problems.push_back("the message table could not be read to the end: " + status.message());
}

void ReadLegacyMessages(const SqliteImage& img, ParseOutput& out) {
  for (const char* column : {"key_remote_jid", "key_from_me", "data", "timestamp"}) {
    if (!img.HasColumn("messages", column)) {
      out.problems.push_back(std::string("messages table without column ") + column + ": messages not read");
      return;
    }
  }
  const auto column_or_null = [&](const char* column, const std::string& expr) {
    return ColumnOrNull(img, "messages", column, expr);
  };
  sql::Statement st(
      img.db(), "SELECT _id, key_from_me, timestamp, " + column_or_null("received_timestamp", "received_timestamp") +
                    ", " + column_or_null("media_wa_type", "CAST(media_wa_type AS INTEGER)") +
                    ", substr(data, 1, 65536), substr(key_remote_jid, 1, 256), " +
                    column_or_null("remote_resource", "substr(remote_resource, 1, 256)") + ", " +
                    column_or_null("media_name", "substr(media_name, 1, 4096)") + ", " +
                    column_or_null("media_caption", "substr(media_caption, 1, 65536)") + ", " +
                    column_or_null("read_device_timestamp", "read_device_timestamp") + " FROM messages ORDER BY _id");
  if (!st.ok()) {
    out.problems.push_back("messages not read: " + st.prepare_error().message());
    return;
  }
  Status status;
  while (st.Step(&status)) {
    if (st.Text(6) == "-1") continue;  // the placeholder row WhatsApp keeps at _id 1
    ChatMessage m;
    m.app = "WhatsApp";
    SetDirectionAndTimes(m, st.Int(1) != 0, st.OptInt(2), st.OptInt(3));
    m.message_type = MessageType(st.IsNull(4) ? 0 : st.Int(4));
    m.body = OptText(st, 5);
    if (!m.body || m.body->empty()) m.body = OptText(st, 9);
    m.handle = OptText(st, 6);
    m.thread = m.handle;
    if (st.Int(1) == 0) m.sender = OptText(st, 7);
    m.attachments = OptText(st, 8);
    m.read_time = mobile::FromUnixMillis(st.OptInt(10));
    m.message_id = std::to_string(st.Int(0));
    out.rows.push_back(m.ToRow("messages _id " + m.message_id));
  }
  if (!status.ok()) out.problems.push_back("the messages table could not be read to the end: " + status.message());
}

void ReadContacts(const SqliteImage& img, ParseOutput& out) {
  if (!img.HasColumn("wa_contacts", "jid")) {
    out.problems.push_back("wa_contacts without jid: contacts not read");
    return;
  }
  const auto column_or_null = [&](const char* column) {
    return ColumnOrNull(img, "wa_contacts", column, "substr(" + std::string(column) + ", 1, 1024)");
  };
  sql::Statement st(img.db(), "SELECT _id, substr(jid, 1, 256), " + column_or_null("display_name") + ", " +
                                  column_or_null("wa_name") + ", " + column_or_null("number") + ", " +
                                  column_or_null("status") + " FROM wa_contacts ORDER BY _id");
  if (!st.ok()) {
    out.problems.push_back("contacts not read: " + st.prepare_error().message());
    return;
  }
  Status status;
  while (st.Step(&status)) {
    mobile::ContactEntry c;
    c.app = "WhatsApp";
    c.handle = OptText(st, 1);
    c.name = OptText(st, 2);
    if (!c.name || c.name->empty()) c.name = OptText(st, 3);
    c.phone_numbers = OptText(st, 4);
    std::string note;
    if (auto wa_name = OptText(st, 3); wa_name && !wa_name->empty()) note = "WhatsApp name: " + *wa_name;
    if (auto text = OptText(st, 5); text && !text->empty()) note += (note.empty() ? "" : "; ") + ("status: " + *text);
    c.note = note;
    c.contact_id = std::to_string(st.Int(0));
    out.rows.push_back(c.ToRow("wa_contacts _id " + c.contact_id));
  }
  if (!status.ok()) out.problems.push_back("wa_contacts could not be read to the end: " + status.message());
}

class WhatsAppParser : public Parser {
 public:
  std::string name() const override { return "mobile.whatsapp"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {mobile::ChatMessageKind(), mobile::ContactEntryKind()}; }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    const std::string name = mobile::LowerAscii(file.name);
    return (name == "msgstore.db" || name == "wa.db") && LooksLikeSqlite(head);
  }
  std::vector<std::string> companion_suffixes() const override { return {"-wal"}; }
  int64_t max_bytes() const override { return 2LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    const SqliteImage& img = **image;
    const bool current = img.HasTable("message"), legacy = img.HasTable("messages"),
               contacts = img.HasTable("wa_contacts");
    if (!current && !legacy && !contacts) {
      return Status::Corruption("no message, messages or wa_contacts table: not a WhatsApp database");
    }
    // Databases migrated in 2021 may keep the old table beside the new one; the new one is complete.
    if (current) {
      ReadCurrentMessages(img, out);
    } else if (legacy) {
      ReadLegacyMessages(img, out);
    }
    if (contacts) ReadContacts(img, out);
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(WhatsAppParser);

}  // namespace custos
