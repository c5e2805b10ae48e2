// Parser: the Windows Timeline database (ActivitiesCache.db, Windows 10 1803+, in
// AppData\Local\ConnectedDevicesPlatform\<account>): which application the user had open or in focus,
// and when, with the document or page where the application reported one. SQLite, read from memory.
#include <nlohmann/json.hpp>
#include <optional>

#include "parsers/common/field_values.h"
#include "parsers/common/sqlite_image.h"
#include "parsers/parser.h"
#include "triage/sqlite/sql.h"

namespace custos {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// AppId is a JSON list of {application, platform}: the Win32 path or the packaged app's name.
std::string ApplicationOf(const std::string& app_id_json) {
  const auto j = nlohmann::json::parse(app_id_json, nullptr, false);
  if (!j.is_array()) return app_id_json;
  std::string fallback;
  for (const auto& entry : j) {
    if (!entry.is_object() || !entry.contains("application") || !entry["application"].is_string()) continue;
    const std::string app = entry["application"].get<std::string>();
    const std::string platform = entry.value("platform", "");
    if (app.empty()) continue;
    if (platform == "windows_win32" || platform == "x_exe_path") return app;
    if (fallback.empty()) fallback = app;
  }
  return fallback;
}

std::optional<std::string> PayloadText(const nlohmann::json& payload, const char* key) {
  if (!payload.is_object() || !payload.contains(key) || !payload[key].is_string()) return std::nullopt;
  return payload[key].get<std::string>();
}

std::optional<int64_t> PayloadInt(const nlohmann::json& payload, const char* key) {
  if (!payload.is_object() || !payload.contains(key) || !payload[key].is_number_integer()) return std::nullopt;
  return payload[key].get<int64_t>();
}

std::optional<int64_t> Seconds(const sql::Statement& st, int col) {
  if (st.IsNull(col) || st.Int(col) <= 0) return std::nullopt;
  return st.Int(col) * 1000000;
}

std::string ActivityTypeName(int64_t t) {
  switch (t) {
    case 2:
      return "notification";
    case 3:
      return "backup";
    case 5:
      return "opened";
    case 6:
      return "in use";
    case 10:
      return "clipboard";
    case 16:
      return "copy/paste";
    default:
      return "type " + std::to_string(t);
  }
}

class ActivitiesCacheParser : public Parser {
 public:
  std::string name() const override { return "windows.activities_cache"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {{"windows.timeline_activity",
             "Windows Timeline: an application the user opened or used, and when (ActivitiesCache.db)",
             {
                 {"application", FieldType::kText, "the program (Win32 path or packaged app name)"},
                 {"display_name", FieldType::kText, "the name the application showed (payload appDisplayName)"},
                 {"activity_type", FieldType::kText, "opened (5), in use (6, with a duration), clipboard, copy/paste"},
                 {"content", FieldType::kText, "the document, page or item, where the application reported one"},
                 {"start_time", FieldType::kTime, "when the activity started"},
                 {"end_time", FieldType::kTime, "when it ended (in-use activities)"},
                 {"active_seconds", FieldType::kInteger,
                  "seconds the user was active in it (payload activeDurationSeconds)"},
                 {"last_modified", FieldType::kTime, "when Windows last updated the record"},
                 {"expires", FieldType::kTime, "when Windows would have deleted the record"},
                 {"user_timezone", FieldType::kText, "the user's time zone at the time, from the payload"},
                 {"device_id", FieldType::kText, "the device the activity came from (PlatformDeviceId)"},
                 {"local_only", FieldType::kInteger, "1 when the activity was not synchronised to the cloud"},
                 {"activity_id", FieldType::kText, "the record's Id (hex)"},
             }}};
  }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return Lower(file.name) == "activitiescache.db" && LooksLikeSqlite(head);
  }
  std::vector<std::string> companion_suffixes() const override { return {"-wal"}; }
  int64_t max_bytes() const override { return 1LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    auto image = SqliteImage::OpenInput(input);
    if (!image.ok()) return image.status();
    sqlite3* db = (*image)->db();
    if (!(*image)->HasTable("Activity")) return Status::Corruption("no Activity table: not a Timeline database");
    sql::Statement st(db,
                      "SELECT hex(Id), AppId, ActivityType, StartTime, EndTime, LastModifiedTime, ExpirationTime, "
                      "CAST(Payload AS TEXT), PlatformDeviceId, IsLocalOnly FROM Activity ORDER BY StartTime, Id");
    if (!st.ok()) return st.prepare_error();
    Status status;
    while (st.Step(&status)) {
      const std::string id = st.Text(0);
      const std::string application = ApplicationOf(st.Text(1));
      const int64_t type = st.Int(2);
      const auto payload = nlohmann::json::parse(st.Text(7), nullptr, false);
      auto display = PayloadText(payload, "appDisplayName");
      auto content = PayloadText(payload, "displayText");
      if (auto description = PayloadText(payload, "description")) content = description;
      if (auto uri = PayloadText(payload, "contentUri")) content = uri;
      ArtefactRow row;
      row.kind = "windows.timeline_activity";
      row.time = Seconds(st, 3);
      row.location = "Activity Id " + id;
      row.summary = application + " " + ActivityTypeName(type);
      if (content && *content != display.value_or("")) row.summary += ": " + *content;
      auto& v = row.values;
      v.emplace_back(application);
      v.push_back(TextOrNull(display));
      v.emplace_back(ActivityTypeName(type));
      v.push_back(TextOrNull(content));
      v.push_back(IntOrNull(Seconds(st, 3)));
      v.push_back(IntOrNull(Seconds(st, 4)));
      v.push_back(IntOrNull(PayloadInt(payload, "activeDurationSeconds")));
      v.push_back(IntOrNull(Seconds(st, 5)));
      v.push_back(IntOrNull(Seconds(st, 6)));
      v.push_back(TextOrNull(PayloadText(payload, "userTimezone")));
      v.push_back(TextOrNull(st.IsNull(8) ? std::nullopt : std::optional<std::string>(st.Text(8))));
      v.push_back(IntOrNull(st.OptInt(9)));
      v.emplace_back(id);
      out.rows.push_back(std::move(row));
    }
    if (!status.ok()) {
      out.problems.push_back("the Activity table could not be read to the end: " + status.message());
    }
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(ActivitiesCacheParser);

}  // namespace custos
