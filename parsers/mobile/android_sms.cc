// Parser: Android's SMS store (mmssms.db, com.android.providers.telephony): every text message in the
// `sms` table, with its direction, number, body, times and read state. MMS (pdu/part/addr) is not read:
// part has no index on its message id, so joining it would scan; MMS rows are counted in a problem.
#include <optional>

#include "parsers/common/sqlite_image.h"
#include "parsers/mobile/communication_kinds.h"
#include "parsers/parser.h"
#include "triage/sqlite/sql.h"

namespace custos {
namespace {

using mobile::ChatMessage;

// Telephony.TextBasedSmsColumns.TYPE.
std::string SmsDirection(int64_t type) {
  switch (type) {
    case 1:
      return "incoming";
    case 2:
      return "outgoing";
    case 3:
      return "draft";
    case 4:
      return "outbox";
    case 5:
      return "failed";
    case 6:
      return "queued";
    default:
      return "type " + std::to_string(type);
  }
}

class AndroidSmsParser : public Parser {
 public:
  std::string name() const override { return "mobile.android.sms"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {mobile::ChatMessageKind()}; }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return mobile::LowerAscii(file.name) == "mmssms.db" && LooksLikeSqlite(head);
  }
  std::vector<std::string> companion_suffixes() const override { return {"-wal"}; }
  int64_t max_bytes() const override { return 1LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    const SqliteImage& img = **image;
    if (!img.HasTable("sms")) return Status::Corruption("no sms table: not an Android SMS database");
    for (const char* column : {"address", "date", "type", "body"}) {
      if (!img.HasColumn("sms", column)) return Status::Corruption(std::string("sms table without column ") + column);
    }
    const bool has_date_sent = img.HasColumn("sms", "date_sent");
    const bool has_read = img.HasColumn("sms", "read");
    const bool has_thread = img.HasColumn("sms", "thread_id");
    const bool has_subject = img.HasColumn("sms", "subject");
    sql::Statement st(img.db(), std::string("SELECT _id, substr(address, 1, 256), date, ") +
                                    (has_date_sent ? "date_sent" : "NULL") + ", " + (has_read ? "read" : "NULL") +
                                    ", type, substr(body, 1, 65536), " + (has_thread ? "thread_id" : "NULL") + ", " +
                                    (has_subject ? "substr(subject, 1, 1024)" : "NULL") + " FROM sms ORDER BY _id");
    if (!st.ok()) return st.prepare_error();
    Status status;
    while (st.Step(&status)) {
      ChatMessage m;
      m.app = "SMS";
      m.direction = SmsDirection(st.Int(5));
      m.handle = OptText(st, 1);
      m.body = OptText(st, 6);
      if (auto subject = OptText(st, 8); subject && !subject->empty()) {
        m.body = "[" + *subject + "] " + m.body.value_or("");
      }
      m.message_type = "SMS";
      m.time = mobile::FromUnixMillis(st.OptInt(2));
      m.sent_time = mobile::FromUnixMillis(st.OptInt(3));
      m.read = st.OptInt(4);
      if (auto thread = st.OptInt(7)) m.thread = std::to_string(*thread);
      m.message_id = std::to_string(st.Int(0));
      out.rows.push_back(m.ToRow("sms _id " + m.message_id));
    }
    if (!status.ok()) out.problems.push_back("the sms table could not be read to the end: " + status.message());
    if (img.HasTable("pdu")) {
      sql::Statement pdu(img.db(), "SELECT count(*) FROM pdu");
      Status pdu_status;
      if (pdu.ok() && pdu.Step(&pdu_status) && pdu.Int(0) > 0) {
        out.problems.push_back(std::to_string(pdu.Int(0)) + " MMS messages (pdu table) are not read by this parser");
      }
    }
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(AndroidSmsParser);

}  // namespace custos
