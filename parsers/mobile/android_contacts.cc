// Parser: Android's contacts and call log: contacts2.db (raw_contacts with their names and the phone
// numbers and e-mails in `data`) and the `calls` table, which lives in contacts2.db up to Android 6 and in
// calllog.db after. Every call made, received, missed or rejected, and every address book entry.
#include <optional>

#include "parsers/common/sqlite_image.h"
#include "parsers/mobile/communication_kinds.h"
#include "parsers/parser.h"
#include "triage/sqlite/sql.h"

namespace custos {
namespace {

// CallLog.Calls.TYPE.
std::string CallDirection(int64_t type) {
  switch (type) {
    case 1:
      return "incoming";
    case 2:
      return "outgoing";
    case 3:
      return "missed";
    case 4:
      return "voicemail";
    case 5:
      return "rejected";
    case 6:
      return "blocked";
    case 7:
      return "answered externally";
    default:
      return "type " + std::to_string(type);
  }
}

// Reads `calls`: the columns every Android version has, and name/geocoded_location where present.
void ReadCalls(const SqliteImage& img, ParseOutput& out) {
  for (const char* column : {"number", "date", "duration", "type"}) {
    if (!img.HasColumn("calls", column)) {
      out.problems.push_back(std::string("calls table without column ") + column + ": calls not read");
      return;
    }
  }
  const bool has_name = img.HasColumn("calls", "name");
  const bool has_place = img.HasColumn("calls", "geocoded_location");
  sql::Statement st(img.db(), std::string("SELECT _id, substr(number, 1, 256), date, duration, type, ") +
                                  (has_name ? "substr(name, 1, 1024)" : "NULL") + ", " +
                                  (has_place ? "substr(geocoded_location, 1, 1024)" : "NULL") +
                                  " FROM calls ORDER BY _id");
  if (!st.ok()) {
    out.problems.push_back("calls not read: " + st.prepare_error().message());
    return;
  }
  Status status;
  while (st.Step(&status)) {
    mobile::CallRecord c;
    c.app = "Phone";
    c.direction = CallDirection(st.Int(4));
    c.number = OptText(st, 1);
    c.contact_name = OptText(st, 5);
    c.start_time = mobile::FromUnixMillis(st.OptInt(2));
    c.duration_seconds = st.OptInt(3);
    c.place = OptText(st, 6);
    c.call_id = std::to_string(st.Int(0));
    out.rows.push_back(c.ToRow("calls _id " + c.call_id));
  }
  if (!status.ok()) out.problems.push_back("the calls table could not be read to the end: " + status.message());
}

// Reads raw_contacts, each with its phone numbers and e-mails from `data` (indexed on raw_contact_id).
void ReadContacts(const SqliteImage& img, ParseOutput& out) {
  if (!img.HasTable("data") || !img.HasTable("mimetypes") || !img.HasColumn("data", "raw_contact_id") ||
      !img.HasColumn("raw_contacts", "display_name")) {
    out.problems.push_back("raw_contacts without data, mimetypes or display_name: contacts not read");
    return;
  }
  const bool has_deleted = img.HasColumn("raw_contacts", "deleted");
  const auto values_of = [](const char* mimetype) {
    return std::string(
               "(SELECT substr(group_concat(d.data1, '; '), 1, 4096) FROM data d WHERE d.raw_contact_id = r._id "
               "AND d.mimetype_id = (SELECT _id FROM mimetypes WHERE mimetype = '") +
           mimetype + "'))";
  };
  sql::Statement st(img.db(), "SELECT r._id, substr(r.display_name, 1, 1024), " +
                                  values_of("vnd.android.cursor.item/phone_v2") + ", " +
                                  values_of("vnd.android.cursor.item/email_v2") + ", " +
                                  (has_deleted ? "r.deleted" : "NULL") + " FROM raw_contacts r ORDER BY r._id");
  if (!st.ok()) {
    out.problems.push_back("contacts not read: " + st.prepare_error().message());
    return;
  }
  Status status;
  while (st.Step(&status)) {
    mobile::ContactEntry c;
    c.app = "Android contacts";
    c.name = OptText(st, 1);
    c.phone_numbers = OptText(st, 2);
    c.emails = OptText(st, 3);
    c.deleted = st.OptInt(4);
    c.contact_id = std::to_string(st.Int(0));
    out.rows.push_back(c.ToRow("raw_contacts _id " + c.contact_id));
  }
  if (!status.ok()) out.problems.push_back("raw_contacts could not be read to the end: " + status.message());
}

class AndroidContactsParser : public Parser {
 public:
  std::string name() const override { return "mobile.android.contacts"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {mobile::ContactEntryKind(), mobile::CallRecordKind()}; }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    const std::string name = mobile::LowerAscii(file.name);
    return (name == "contacts2.db" || name == "calllog.db") && LooksLikeSqlite(head);
  }
  std::vector<std::string> companion_suffixes() const override { return {"-wal"}; }
  int64_t max_bytes() const override { return 1LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    const SqliteImage& img = **image;
    const bool has_calls = img.HasTable("calls"), has_contacts = img.HasTable("raw_contacts");
    if (!has_calls && !has_contacts) {
      return Status::Corruption("neither calls nor raw_contacts: not an Android contacts or call log database");
    }
    if (has_contacts) ReadContacts(img, out);
    if (has_calls) ReadCalls(img, out);
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(AndroidContactsParser);

}  // namespace custos
