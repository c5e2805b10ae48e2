// Parser: Apple Notes (NoteStore.sqlite, iOS 9 and later and macOS 10.11 and later: the
// ICCloudSyncingObject Core Data store of group.com.apple.notes). One note.entry per note: title, folder,
// account, created and modified (Mac absolute time), locked and deleted flags, the preview snippet Notes
// keeps, and the whole text. The text lives in ZICNOTEDATA.ZDATA as a gzip stream (inflated with zlib, at
// most 16 MiB) of a protobuf message whose field 2 (the document) holds field 3 (the note) holding field 2
// (its text); libprotobuf reads the wire format without Apple's schema (UnknownFieldSet). A locked note's
// data is encrypted with the user's note password and is not read (its title stays readable).
// The older NoteStore of iOS 8 and before (ZNOTE / ZNOTEBODY, HTML bodies) is not read.
#include <google/protobuf/unknown_field_set.h>
#include <zlib.h>

#include <optional>
#include <string>

#include "parsers/browser/browser_kinds.h"
#include "parsers/common/sqlite_image.h"
#include "parsers/mobile/communication_kinds.h"
#include "parsers/parser.h"
#include "triage/sqlite/sql.h"

namespace custos {
namespace {

constexpr const char* kNoteEntry = "note.entry";
constexpr size_t kMaxInflated = 16u << 20;

KindDecl NoteEntryKind() {
  return {kNoteEntry,
          "a note the user wrote in a notes app",
          {
              {"app", FieldType::kText, "the application: Apple Notes"},
              {"title", FieldType::kText, "the note's title (its first line)"},
              {"text", FieldType::kText, "the whole text of the note; NULL when locked or unreadable"},
              {"snippet", FieldType::kText, "the preview Notes keeps beside the title"},
              {"folder", FieldType::kText, "the folder it is in (Notes, Recently Deleted, the user's own)"},
              {"account", FieldType::kText, "the account it syncs with (iCloud, On My iPhone, a mail account)"},
              {"created", FieldType::kTime, "when it was created"},
              {"modified", FieldType::kTime, "when it was last changed"},
              {"locked", FieldType::kInteger, "1 when protected with the notes password (the text is encrypted)"},
              {"deleted", FieldType::kInteger,
               "1 when marked for deletion or in the Recently Deleted folder (kept 30 days)"},
              {"note_id", FieldType::kText, "the note's Z_PK in ZICCLOUDSYNCINGOBJECT"},
          }};
}

// A gzip (or zlib) stream inflated; nullopt when damaged or larger than kMaxInflated.
std::optional<std::string> Inflate(const std::string& in) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 32) != Z_OK) return std::nullopt;  // 32: gzip or zlib header, detected
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > kMaxInflated || (rc == Z_BUF_ERROR && z.avail_in == 0)) break;
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

// The first length-delimited field `number` of a protobuf message, or nullopt.
std::optional<std::string> Field(const std::string& message, int number) {
  google::protobuf::UnknownFieldSet fields;
  if (message.size() > kMaxInflated || !fields.ParseFromArray(message.data(), static_cast<int>(message.size())))
    return std::nullopt;
  for (int i = 0; i < fields.field_count(); ++i) {
    const auto& f = fields.field(i);
    if (f.number() == number && f.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED)
      return f.length_delimited();
  }
  return std::nullopt;
}

// NoteStoreProto.document(2).note(3).note_text(2).
std::optional<std::string> NoteText(const std::string& zdata) {
  auto proto = Inflate(zdata);
  if (!proto) return std::nullopt;
  auto document = Field(*proto, 2);
  if (!document) return std::nullopt;
  auto note = Field(*document, 3);
  if (!note) return std::nullopt;
  return Field(*note, 2);
}

std::optional<UtcMicros> MacTime(const sql::Statement& st, int col) {
  if (st.IsNull(col)) return std::nullopt;
  return browser::FromMacAbsoluteSeconds(st.Real(col));
}

class IosNotesParser : public Parser {
 public:
  std::string name() const override { return "mobile.ios.notes"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {NoteEntryKind()}; }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return LooksLikeSqlite(head) && mobile::LowerAscii(file.name) == "notestore.sqlite";
  }
  std::vector<std::string> companion_suffixes() const override { return {"-wal"}; }
  int64_t max_bytes() const override { return 2LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    const SqliteImage& img = **image;
    constexpr const char* kObjects = "ZICCLOUDSYNCINGOBJECT";
    if (!img.HasColumn(kObjects, "ZTITLE1") || !img.HasColumn("Z_PRIMARYKEY", "Z_NAME"))
      return Status::Corruption("no ZICCLOUDSYNCINGOBJECT with ZTITLE1: not an Apple Notes store (iOS 9 or later)");
    // The same fields sit in differently numbered columns from one iOS version to the next.
    const auto first_of = [&](std::initializer_list<const char*> columns, const char* alias) {
      std::string list;
      for (const char* c : columns) {
        if (img.HasColumn(kObjects, c)) list += (list.empty() ? "" : ", ") + std::string(alias) + "." + c;
      }
      if (list.empty()) return std::string("NULL");
      return list.find(',') == std::string::npos ? list : "coalesce(" + list + ")";
    };
    const auto col = [&](const char* column, const char* alias) {
      return ColumnOrNull(img, kObjects, column, std::string(alias) + "." + column);
    };
    const bool note_data = img.HasColumn("ZICNOTEDATA", "ZDATA") && img.HasColumn(kObjects, "ZNOTEDATA");
    const std::string account =
        first_of({"ZOWNER"}, "f") == "NULL" && first_of({"ZACCOUNT4", "ZACCOUNT3", "ZACCOUNT2"}, "n") == "NULL"
            ? "NULL"
            : "(SELECT substr(a.ZNAME, 1, 1024) FROM ZICCLOUDSYNCINGOBJECT a WHERE a.Z_PK = coalesce(" +
                  first_of({"ZOWNER"}, "f") + ", " + first_of({"ZACCOUNT4", "ZACCOUNT3", "ZACCOUNT2"}, "n") + "))";
    const std::string sql =
        "SELECT n.Z_PK, substr(n.ZTITLE1, 1, 4096), substr(" + col("ZSNIPPET", "n") + ", 1, 4096), " +
        first_of({"ZCREATIONDATE3", "ZCREATIONDATE1", "ZCREATIONDATE"}, "n") + ", " +
        first_of({"ZMODIFICATIONDATE1", "ZMODIFICATIONDATE"}, "n") + ", substr(" +
        first_of({"ZTITLE2", "ZTITLE"}, "f") + ", 1, 1024), " + account + ", " + col("ZISPASSWORDPROTECTED", "n") +
        ", " + col("ZMARKEDFORDELETION", "n") + ", " + col("ZFOLDERTYPE", "f") + ", " +
        (note_data ? "(SELECT d.ZDATA FROM ZICNOTEDATA d WHERE d.Z_PK = n.ZNOTEDATA)" : std::string("NULL")) +
        " FROM ZICCLOUDSYNCINGOBJECT n " +
        (img.HasColumn(kObjects, "ZFOLDER") ? "LEFT JOIN ZICCLOUDSYNCINGOBJECT f ON f.Z_PK = n.ZFOLDER "
                                            : "LEFT JOIN ZICCLOUDSYNCINGOBJECT f ON 0 ") +
        "WHERE n.Z_ENT = (SELECT Z_ENT FROM Z_PRIMARYKEY WHERE Z_NAME = 'ICNote') ORDER BY n.Z_PK";
    sql::Statement st(img.db(), sql);
    if (!st.ok()) return Status::Corruption("notes not read: " + st.prepare_error().message());
    Status status;
    size_t unreadable = 0;
    while (st.Step(&status)) {
      const std::string id = std::to_string(st.Int(0));
      const auto title = OptText(st, 1);
      const bool locked = st.OptInt(7).value_or(0) == 1;
      const bool deleted = st.OptInt(8).value_or(0) == 1 || st.OptInt(9).value_or(0) == 1;  // 1: the trash folder
      std::optional<std::string> text;
      if (!locked && !st.IsNull(10)) {
        text = NoteText(st.Blob(10));
        if (!text) ++unreadable;
      }
      ArtefactRow row;
      row.kind = kNoteEntry;
      const auto created = MacTime(st, 3), modified = MacTime(st, 4);
      row.time = modified ? modified : created;
      row.location = std::string(kObjects) + " Z_PK " + id;
      row.summary = std::string("note") + (locked ? " (locked)" : "") + (deleted ? " (deleted)" : "") + ": " +
                    title.value_or("(untitled)");
      row.values = {FieldValue(std::string("Apple Notes")),
                    mobile::NonEmptyText(title),
                    mobile::NonEmptyText(text),
                    mobile::NonEmptyText(OptText(st, 2)),
                    mobile::NonEmptyText(OptText(st, 5)),
                    mobile::NonEmptyText(OptText(st, 6)),
                    IntOrNull(created),
                    IntOrNull(modified),
                    FieldValue(int64_t{locked ? 1 : 0}),
                    FieldValue(int64_t{deleted ? 1 : 0}),
                    FieldValue(id)};
      out.rows.push_back(std::move(row));
    }
    if (unreadable > 0)
      out.problems.push_back(std::to_string(unreadable) +
                             " note(s) whose ZICNOTEDATA is not a readable gzip protobuf: "
                             "their text is missing");
    if (!status.ok()) out.problems.push_back("ZICCLOUDSYNCINGOBJECT could not be read to the end: " + status.message());
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(IosNotesParser);

}  // namespace custos
