// The case store (see case_store.h). All SQL of Custos lives in triage/store.
#include "triage/store/case_store.h"

#include <openssl/evp.h>
#include <sqlite3.h>

#include <array>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "triage/base/format.h"
#include "triage/sqlite/sql.h"
#include "triage/store/schema.h"

namespace custos {
namespace {

using json = nlohmann::json;
using sql::Statement;

constexpr int kApplicationId = 0x43555354;  // "CUST"

std::string Sha256Hex(const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return HexLower(out, len);
}

Result<int64_t> PragmaInt(sqlite3* db, const char* pragma) {
  Statement st(db, std::string("PRAGMA ") + pragma);
  Status status;
  if (!st.Step(&status)) return status.ok() ? Status::Corruption(std::string("no value for ") + pragma) : status;
  return st.Int(0);
}

std::string JsonText(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// "browser.visit" -> "art_browser_visit"; only [a-z0-9_.] are accepted, so the name is safe in SQL.
Result<std::string> ArtefactTable(const std::string& kind) {
  if (kind.empty() || kind.size() > 64) return Status::InvalidArgument("bad artefact kind '" + kind + "'");
  std::string table = "art_";
  for (char c : kind) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
      table += c;
    else if (c == '.')
      table += '_';
    else
      return Status::InvalidArgument("bad artefact kind '" + kind + "': use lowercase letters, digits, '_' and '.'");
  }
  return table;
}

Status CheckColumnName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name == "artefact_id") {
    return Status::InvalidArgument("bad field name '" + name + "'");
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return Status::InvalidArgument("bad field name '" + name + "': use lowercase letters, digits and '_'");
    }
  }
  return Status::Ok();
}

// Field names are checked by CheckColumnName ([a-z0-9_]), so quoting cannot be escaped; it is needed because
// valid names can be SQL keywords ("from", "to", "order") or start with a digit.
std::string QuotedColumn(const std::string& name) { return "\"" + name + "\""; }

const char* SqlType(FieldType t) {
  switch (t) {
    case FieldType::kInteger:
    case FieldType::kTime:
      return "INTEGER";
    case FieldType::kReal:
      return "REAL";
    case FieldType::kBlob:
      return "BLOB";
    default:
      return "TEXT";
  }
}

const char* FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kInteger:
      return "integer";
    case FieldType::kTime:
      return "time";
    case FieldType::kReal:
      return "real";
    case FieldType::kBlob:
      return "blob";
    default:
      return "text";
  }
}

void BindValue(Statement& st, int index, const FieldValue& v) {
  if (std::holds_alternative<int64_t>(v))
    st.Bind(index, std::get<int64_t>(v));
  else if (std::holds_alternative<double>(v))
    st.Bind(index, std::get<double>(v));
  else if (std::holds_alternative<std::string>(v))
    st.Bind(index, std::get<std::string>(v));
  else if (std::holds_alternative<std::vector<uint8_t>>(v)) {
    const auto& b = std::get<std::vector<uint8_t>>(v);
    st.BindBlob(index, b.data(), b.size());
  } else {
    st.BindNull(index);
  }
}

// The columns FileRow reads, joined to the exhibit through volume and filesystem.
constexpr const char* kFileColumns =
    "f.id, v.exhibit_id, x.reference, f.filesystem_id, f.file_key, f.path, f.name, f.extension, f.kind, f.meta_addr, "
    "f.meta_seq, f.attr_type, f.attr_id, ifnull(f.stream_name,''), f.allocated, f.deleted, f.orphan, f.size, "
    "f.mtime, f.atime, f.ctime, f.crtime, f.fn_mtime, f.fn_atime, f.fn_ctime, f.fn_crtime, f.priority, "
    "f.disk_offset, f.wants_content, ifnull(f.md5,''), ifnull(f.sha1,''), ifnull(f.sha256,''), ifnull(f.mime,''), "
    "ifnull(f.type_description,''), f.extension_mismatch, ifnull(f.content_state,''), ifnull(f.bytes_read,0), f.mode, "
    "f.uid, f.gid, "
    "ifnull(f.mode_text,'') "
    "FROM file f JOIN filesystem s ON s.id = f.filesystem_id JOIN volume v ON v.id = s.volume_id "
    "JOIN exhibit x ON x.id = v.exhibit_id";

FileRow ReadFileRow(const Statement& st) {
  FileRow row;
  row.id = st.Int(0);
  row.exhibit_id = st.Int(1);
  row.exhibit_reference = st.Text(2);
  FileRecord& f = row.record;
  f.filesystem_id = st.Int(3);
  f.file_key = st.Text(4);
  f.path = st.Text(5);
  f.name = st.Text(6);
  f.extension = st.Text(7);
  f.kind = st.Text(8);
  f.meta_addr = static_cast<uint64_t>(st.Int(9));
  f.meta_seq = static_cast<uint32_t>(st.Int(10));
  f.attr_type = static_cast<uint32_t>(st.Int(11));
  f.attr_id = static_cast<uint32_t>(st.Int(12));
  f.stream_name = st.Text(13);
  f.allocated = st.Int(14) != 0;
  f.deleted = st.Int(15) != 0;
  f.orphan = st.Int(16) != 0;
  f.size = st.Int(17);
  f.mtime = st.OptInt(18);
  f.atime = st.OptInt(19);
  f.ctime = st.OptInt(20);
  f.crtime = st.OptInt(21);
  f.fn_mtime = st.OptInt(22);
  f.fn_atime = st.OptInt(23);
  f.fn_ctime = st.OptInt(24);
  f.fn_crtime = st.OptInt(25);
  f.priority = static_cast<int>(st.Int(26));
  f.disk_offset = st.Int(27);
  f.wants_content = st.Int(28) != 0;
  f.mode = st.OptInt(37);
  f.uid = st.OptInt(38);
  f.gid = st.OptInt(39);
  f.mode_text = st.Text(40);
  ContentResult& c = row.content;
  c.filesystem_id = f.filesystem_id;
  c.file_key = f.file_key;
  c.md5 = st.Text(29);
  c.sha1 = st.Text(30);
  c.sha256 = st.Text(31);
  c.mime = st.Text(32);
  c.type_description = st.Text(33);
  c.extension_mismatch = st.Int(34) != 0;
  c.content_state = st.Text(35);
  c.bytes_read = st.Int(36);
  return row;
}

// WHERE clause and its binds for a FileQuery.
struct Where {
  std::string sql;
  std::vector<std::string> text;  // bound in order as ?1, ?2, ...
};

Where BuildWhere(const FileQuery& q) {
  Where w;
  std::vector<std::string> conds;
  auto add = [&](const std::string& cond, const std::string& value) {
    w.text.push_back(value);
    std::string c = cond;
    const std::string n = "?" + std::to_string(w.text.size());
    for (size_t at = c.find("?"); at != std::string::npos; at = c.find("?", at + n.size())) c.replace(at, 1, n);
    conds.push_back(c);
  };
  if (q.deleted_only) conds.push_back("f.deleted = 1");
  if (q.allocated_only) conds.push_back("f.allocated = 1");
  if (q.mismatch_only) conds.push_back("f.extension_mismatch = 1");
  constexpr const char* kBad = "EXISTS (SELECT 1 FROM hash_hit h WHERE h.file_id = f.id AND h.set_kind = 'known_bad')";
  constexpr const char* kGood =
      "EXISTS (SELECT 1 FROM hash_hit h WHERE h.file_id = f.id AND h.set_kind = 'known_good')";
  if (q.known == FileQuery::Known::kKnownBad) conds.push_back(kBad);
  if (q.known == FileQuery::Known::kKnownGood) conds.push_back(kGood);
  if (q.known == FileQuery::Known::kHideKnownGood) conds.push_back(std::string("(NOT ") + kGood + " OR " + kBad + ")");
  if (!q.extension.empty()) add("f.extension = ?", q.extension);
  if (!q.kind.empty()) add("f.kind = ?", q.kind);
  if (!q.mime.empty()) add("substr(f.mime, 1, length(?)) = ?", q.mime);
  if (!q.path_glob.empty()) add("f.path GLOB ?", q.path_glob);
  if (!q.exhibit.empty()) add("x.reference = ?", q.exhibit);
  if (!q.hash.empty()) {
    const char* col = q.hash.size() == 32 ? "f.md5" : q.hash.size() == 40 ? "f.sha1" : "f.sha256";
    add(std::string(col) + " = ?", q.hash);
  }
  for (size_t i = 0; i < conds.size(); ++i) w.sql += (i == 0 ? " WHERE " : " AND ") + conds[i];
  return w;
}

}  // namespace

Result<std::unique_ptr<CaseStore>> CaseStore::Open(const std::string& path, OpenMode mode) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!exists && mode != OpenMode::kCreateOrOpen) {
    return Status::NotFound(path + ": no such case file; check the path, or create it with `custos triage`");
  }
  int flags = SQLITE_OPEN_FULLMUTEX;
  flags |= mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (mode == OpenMode::kCreateOrOpen) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  auto store = std::unique_ptr<CaseStore>(new CaseStore(db, path));
  if (rc != SQLITE_OK) return sql::ErrorStatus(db, rc, "opening the case file " + path);
  sqlite3_busy_timeout(db, 10000);
  sqlite3_extended_result_codes(db, 1);

  // Is it a SQLite database at all, and ours?
  auto app_id = PragmaInt(db, "application_id");
  if (!app_id.ok()) {
    // Only "file is not a database" means the file is not ours; a lock held by another process (or an I/O
    // error) says so itself, with what to do.
    if (app_id.status().code() == Status::Code::kBusy) {
      return Status::Busy(path + ": the case file is in use by another program, which holds it locked (" +
                          app_id.status().message() + "); wait for it to finish, or close it, then try again");
    }
    if (app_id.status().code() != Status::Code::kCorruption) return app_id.status();
    return Status::InvalidArgument(path + ": not a Custos case file (" + app_id.status().message() + ")");
  }
  auto version = PragmaInt(db, "user_version");
  if (!version.ok()) return version.status();
  auto tables = PragmaInt(db, "schema_version");  // 0 for an empty database
  if (!tables.ok()) return tables.status();
  const bool empty = *tables == 0;
  if (!empty && *app_id != kApplicationId) {
    return Status::InvalidArgument(path + ": this SQLite database is not a Custos case file; choose another name");
  }
  if (*version > kSchemaVersion) {
    return Status::NotSupported(path + ": made by a newer Custos (schema " + std::to_string(*version) +
                                ", this one reads up to " + std::to_string(kSchemaVersion) + "); update Custos");
  }
  if (mode == OpenMode::kReadOnly) {
    if (empty || *version < kSchemaVersion) {
      return Status::NotSupported(path + ": the case file is empty or older (schema " + std::to_string(*version) +
                                  "); open it once with `custos triage` to upgrade it");
    }
    return store;
  }
  CUSTOS_RETURN_IF_ERROR(sql::Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"));
  // A 64 MiB page cache (SQLite's default is 2 MiB, allocated as pages are used): the file table's thirteen
  // indexes outgrow 2 MiB after a few thousand files, and then every batch reads its index pages back from
  // the OS. On the benchmark image this took the triage writer from 9.5 to 6 CPU-seconds (README, Performance).
  CUSTOS_RETURN_IF_ERROR(sql::Exec(db, "PRAGMA cache_size=-65536"));
  const auto& migrations = SchemaMigrations();
  for (int64_t v = *version; v < static_cast<int64_t>(migrations.size()); ++v) {
    CUSTOS_RETURN_IF_ERROR(sql::Exec(db, "BEGIN IMMEDIATE"));
    Status st = sql::Exec(db, migrations[static_cast<size_t>(v)]);
    if (st.ok())
      st = sql::Exec(db, "PRAGMA application_id=" + std::to_string(kApplicationId) +
                             "; PRAGMA user_version=" + std::to_string(v + 1));
    if (st.ok()) st = sql::Exec(db, "COMMIT");
    if (!st.ok()) {
      sql::Exec(db, "ROLLBACK");
      return Status::Corruption(path + ": schema migration " + std::to_string(v + 1) + " failed: " + st.message());
    }
  }
  return store;
}

CaseStore::CaseStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

CaseStore::KindInsert::KindInsert() = default;
CaseStore::KindInsert::KindInsert(KindInsert&&) noexcept = default;
CaseStore::KindInsert::~KindInsert() = default;

CaseStore::~CaseStore() {
  stmts_.clear();
  sqlite3_close_v2(db_);
}

Statement& CaseStore::Cached(const char* key_sql) {
  auto it = stmts_.find(key_sql);
  if (it == stmts_.end()) it = stmts_.emplace(key_sql, std::make_unique<Statement>(db_, key_sql)).first;
  return *it->second;
}

Status CaseStore::Begin() { return sql::Exec(db_, "BEGIN IMMEDIATE"); }
Status CaseStore::Commit() { return sql::Exec(db_, "COMMIT"); }
Status CaseStore::Rollback() { return sql::Exec(db_, "ROLLBACK"); }

Status CaseStore::UpdateCaseInfo(const CaseInfo& info) {
  Statement ins(db_, "INSERT OR IGNORE INTO case_info(id, created, tool_version) VALUES (1, ?1, ?2)");
  ins.Bind(1, info.created ? info.created : NowUtcMicros())
      .Bind(2, info.tool_version.empty() ? "unknown" : info.tool_version);
  CUSTOS_RETURN_IF_ERROR(ins.Run());
  Statement up(
      db_,
      "UPDATE case_info SET case_reference = coalesce(?1, case_reference), operation = coalesce(?2, operation), "
      "officer = coalesce(?3, officer), custody_start = coalesce(?4, custody_start), "
      "custody_limit = coalesce(?5, custody_limit), tool_version = coalesce(?6, tool_version) WHERE id = 1");
  up.BindTextOrNull(1, info.case_reference)
      .BindTextOrNull(2, info.operation)
      .BindTextOrNull(3, info.officer)
      .Bind(4, info.custody_start)
      .Bind(5, info.custody_limit)
      .BindTextOrNull(6, info.tool_version);
  return up.Run();
}

Result<int64_t> CaseStore::BeginRun(const std::string& command_line, const std::string& parameters_json) {
  Statement st(db_,
               "INSERT INTO run(started, tool_version, command_line, parameters, outcome) "
               "VALUES (?1, ?2, ?3, ?4, 'running')");
  st.Bind(1, NowUtcMicros()).Bind(2, CUSTOS_VERSION).Bind(3, command_line).Bind(4, parameters_json);
  CUSTOS_RETURN_IF_ERROR(st.Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Status CaseStore::FinishRun(int64_t run_id, const std::string& outcome) {
  Statement st(db_, "UPDATE run SET finished = ?1, outcome = ?2 WHERE id = ?3");
  st.Bind(1, NowUtcMicros()).Bind(2, outcome).Bind(3, run_id);
  return st.Run();
}

Result<int64_t> CaseStore::UpsertExhibit(const ExhibitRecord& e) {
  Statement find(db_, "SELECT id, sources FROM exhibit WHERE reference = ?1");
  find.Bind(1, e.reference);
  Status status;
  if (find.Step(&status)) {
    const int64_t id = find.Int(0);
    json existing = json::parse(find.Text(1), nullptr, false);
    if (existing != json(e.sources)) {
      return Status::InvalidArgument("exhibit " + e.reference + " already holds other evidence (" +
                                     (existing.is_array() && !existing.empty() ? existing[0].get<std::string>() : "?") +
                                     "); give this evidence its own --exhibit reference");
    }
    return id;
  }
  CUSTOS_RETURN_IF_ERROR(status);
  Statement ins(db_,
                "INSERT INTO exhibit(reference, format, sources, size_bytes, sector_size, acquisition, stored_md5, "
                "stored_sha1, computed_md5, computed_sha1, verification, state, added) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'new', ?12)");
  ins.Bind(1, e.reference)
      .Bind(2, e.format)
      .Bind(3, JsonText(json(e.sources)))
      .Bind(4, e.size_bytes)
      .Bind(5, e.sector_size)
      .Bind(6, JsonText(json(e.acquisition)))
      .BindTextOrNull(7, e.stored_md5)
      .BindTextOrNull(8, e.stored_sha1)
      .BindTextOrNull(9, e.computed_md5)
      .BindTextOrNull(10, e.computed_sha1)
      .Bind(11, e.verification)
      .Bind(12, NowUtcMicros());
  CUSTOS_RETURN_IF_ERROR(ins.Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Status CaseStore::UpdateExhibitHashes(int64_t exhibit_id, const std::string& md5, const std::string& sha1,
                                      const std::string& verification) {
  Statement st(db_, "UPDATE exhibit SET computed_md5 = ?1, computed_sha1 = ?2, verification = ?3 WHERE id = ?4");
  st.BindTextOrNull(1, md5).BindTextOrNull(2, sha1).Bind(3, verification).Bind(4, exhibit_id);
  return st.Run();
}

Status CaseStore::SetExhibitState(int64_t exhibit_id, const std::string& state) {
  Statement st(db_, "UPDATE exhibit SET state = ?1 WHERE id = ?2");
  st.Bind(1, state).Bind(2, exhibit_id);
  return st.Run();
}

Result<int64_t> CaseStore::UpsertVolume(const VolumeRecord& v) {
  Statement ins(db_,
                "INSERT OR IGNORE INTO volume(exhibit_id, parent_volume_id, idx, kind, scheme, offset_bytes, "
                "length_bytes, description) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  ins.Bind(1, v.exhibit_id)
      .Bind(2, v.parent_volume_id)
      .Bind(3, v.index)
      .Bind(4, v.kind)
      .Bind(5, v.scheme)
      .Bind(6, v.offset_bytes)
      .Bind(7, v.length_bytes)
      .Bind(8, v.description);
  CUSTOS_RETURN_IF_ERROR(ins.Run());
  Statement find(db_,
                 "SELECT id FROM volume WHERE exhibit_id=?1 AND parent_volume_id=?2 AND kind=?3 AND idx=?4 "
                 "AND offset_bytes=?5");
  find.Bind(1, v.exhibit_id).Bind(2, v.parent_volume_id).Bind(3, v.kind).Bind(4, v.index).Bind(5, v.offset_bytes);
  Status status;
  if (find.Step(&status)) return find.Int(0);
  return status.ok() ? Status::Internal("volume row vanished") : status;
}

Result<int64_t> CaseStore::UpsertFileSystem(const FileSystemRecord& f) {
  Statement ins(db_,
                "INSERT OR IGNORE INTO filesystem(volume_id, offset_bytes, type, label, serial, block_size, "
                "block_count, root_inum, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  ins.Bind(1, f.volume_id)
      .Bind(2, f.offset_bytes)
      .Bind(3, f.type)
      .BindTextOrNull(4, f.label)
      .BindTextOrNull(5, f.serial)
      .Bind(6, f.block_size)
      .Bind(7, f.block_count)
      .Bind(8, f.root_inum)
      .BindTextOrNull(9, f.note);
  CUSTOS_RETURN_IF_ERROR(ins.Run());
  Statement find(db_, "SELECT id FROM filesystem WHERE volume_id=?1 AND offset_bytes=?2 AND type=?3");
  find.Bind(1, f.volume_id).Bind(2, f.offset_bytes).Bind(3, f.type);
  Status status;
  if (find.Step(&status)) return find.Int(0);
  return status.ok() ? Status::Internal("filesystem row vanished") : status;
}

Status CaseStore::SetFileSystemWalkComplete(int64_t filesystem_id) {
  Statement st(db_, "UPDATE filesystem SET walk_complete = 1 WHERE id = ?1");
  st.Bind(1, filesystem_id);
  return st.Run();
}

Status CaseStore::InsertFiles(const std::vector<FileRecord>& files) {
  Statement& st = Cached(
      "INSERT OR IGNORE INTO file(filesystem_id, file_key, path, name, extension, kind, meta_addr, meta_seq, "
      "attr_type, attr_id, stream_name, allocated, deleted, orphan, size, mtime, atime, ctime, crtime, fn_mtime, "
      "fn_atime, fn_ctime, fn_crtime, priority, disk_offset, wants_content, container_file_id, mode, uid, gid, "
      "mode_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
      "?21, ?22, ?23, ?24, ?25, ?26, (SELECT id FROM file WHERE filesystem_id = ?1 AND file_key = ?27), ?28, ?29, ?30, "
      "?31)");
  std::map<int64_t, std::array<int64_t, 3>> progress;  // per file system: files, wanted, done
  for (const auto& f : files) {
    st.Bind(1, f.filesystem_id)
        .Bind(2, f.file_key)
        .Bind(3, f.path)
        .Bind(4, f.name)
        .Bind(5, f.extension)
        .Bind(6, f.kind)
        .Bind(7, static_cast<int64_t>(f.meta_addr))
        .Bind(8, static_cast<int64_t>(f.meta_seq))
        .Bind(9, static_cast<int64_t>(f.attr_type))
        .Bind(10, static_cast<int64_t>(f.attr_id))
        .BindTextOrNull(11, f.stream_name)
        .Bind(12, f.allocated)
        .Bind(13, f.deleted)
        .Bind(14, f.orphan)
        .Bind(15, f.size)
        .Bind(16, f.mtime)
        .Bind(17, f.atime)
        .Bind(18, f.ctime)
        .Bind(19, f.crtime)
        .Bind(20, f.fn_mtime)
        .Bind(21, f.fn_atime)
        .Bind(22, f.fn_ctime)
        .Bind(23, f.fn_crtime)
        .Bind(24, f.priority)
        .Bind(25, f.disk_offset)
        .Bind(26, f.wants_content)
        .BindTextOrNull(27, f.container_key)
        .Bind(28, f.mode)
        .Bind(29, f.uid)
        .Bind(30, f.gid)
        .BindTextOrNull(31, f.mode_text);
    CUSTOS_RETURN_IF_ERROR(st.Run());
    if (sqlite3_changes(db_) == 1) {  // not a row a resumed run had already
      auto& p = progress[f.filesystem_id];
      ++p[0];
      p[1] += f.wants_content ? 1 : 0;
    }
  }
  return AddFileProgress(progress);
}

// The dashboard's counters (file_progress), kept in the caller's transaction. Triggers did the same, but
// cost the writer more per file than all the rest of its insert.
Status CaseStore::AddFileProgress(const std::map<int64_t, std::array<int64_t, 3>>& progress) {
  Statement& add = Cached("INSERT OR IGNORE INTO file_progress(filesystem_id) VALUES (?1)");
  Statement& update = Cached(
      "UPDATE file_progress SET files = files + ?2, wanted = wanted + ?3, done = done + ?4 WHERE filesystem_id = ?1");
  for (const auto& [fs, counts] : progress) {
    CUSTOS_RETURN_IF_ERROR(add.Bind(1, fs).Run());
    CUSTOS_RETURN_IF_ERROR(update.Bind(1, fs).Bind(2, counts[0]).Bind(3, counts[1]).Bind(4, counts[2]).Run());
  }
  return Status::Ok();
}

Status CaseStore::ApplyContent(const std::vector<ContentResult>& results) {
  Statement& st = Cached(
      "UPDATE file SET md5 = ?1, sha1 = ?2, sha256 = ?3, mime = ?4, type_description = ?5, extension_mismatch = ?6, "
      "content_state = ?7, bytes_read = ?8 WHERE filesystem_id = ?9 AND file_key = ?10");
  // A wanted file whose content is recorded for the first time counts as done (a rerun may record it again).
  Statement& first = Cached(
      "SELECT 1 FROM file WHERE filesystem_id = ?1 AND file_key = ?2 AND wants_content = 1 AND content_state IS NULL");
  std::map<int64_t, std::array<int64_t, 3>> progress;
  for (const auto& r : results) {
    first.Bind(1, r.filesystem_id).Bind(2, r.file_key);
    Status found;
    const bool counts = first.Step(&found);
    first.Reset();
    CUSTOS_RETURN_IF_ERROR(found);
    if (counts) ++progress[r.filesystem_id][2];
    st.BindTextOrNull(1, r.md5)
        .BindTextOrNull(2, r.sha1)
        .BindTextOrNull(3, r.sha256)
        .BindTextOrNull(4, r.mime)
        .BindTextOrNull(5, r.type_description)
        .Bind(6, r.extension_mismatch)
        .Bind(7, r.content_state.empty() ? "complete" : r.content_state)
        .Bind(8, r.bytes_read)
        .Bind(9, r.filesystem_id)
        .Bind(10, r.file_key);
    CUSTOS_RETURN_IF_ERROR(st.Run());
  }
  return AddFileProgress(progress);
}

Status CaseStore::InsertErrors(const std::vector<ErrorRecord>& errors) {
  Statement& st = Cached(
      "INSERT OR IGNORE INTO error(exhibit_id, filesystem_id, stage, source, location, message, advice, created) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  for (const auto& e : errors) {
    st.Bind(1, e.exhibit_id)
        .Bind(2, e.filesystem_id)
        .Bind(3, e.stage)
        .Bind(4, e.source)
        .Bind(5, e.location)
        .Bind(6, e.message)
        .Bind(7, e.advice)
        .Bind(8, e.when ? e.when : NowUtcMicros());
    CUSTOS_RETURN_IF_ERROR(st.Run());
  }
  return Status::Ok();
}

namespace {
std::string AuditHash(const std::string& prev, int64_t at, const std::string& actor, const std::string& action,
                      const std::string& detail) {
  // Length-prefixed fields: no choice of field text can make two different rows hash alike.
  std::string material;
  for (const std::string& part : {prev, std::to_string(at), actor, action, detail}) {
    material += std::to_string(part.size()) + ":" + part + "|";
  }
  return Sha256Hex(material);
}
}  // namespace

Status CaseStore::AppendAudit(const std::string& actor, const std::string& action, const std::string& detail) {
  std::string prev(64, '0');
  {
    Statement last(db_, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1");
    Status status;
    if (last.Step(&status)) prev = last.Text(0);
    CUSTOS_RETURN_IF_ERROR(status);
  }
  const int64_t at = NowUtcMicros();
  Statement st(db_, "INSERT INTO audit(at, actor, action, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  st.Bind(1, at).Bind(2, actor).Bind(3, action).Bind(4, detail).Bind(5, prev).Bind(
      6, AuditHash(prev, at, actor, action, detail));
  return st.Run();
}

Status CaseStore::VerifyAuditChain() {
  Statement st(db_, "SELECT id, at, actor, action, detail, prev_hash, hash FROM audit ORDER BY id");
  std::string prev(64, '0');
  Status status;
  int64_t expected_id = 0;
  while (st.Step(&status)) {
    const int64_t id = st.Int(0);
    if (expected_id != 0 && id != expected_id) {
      return Status::Corruption("audit row " + std::to_string(expected_id) + " is missing");
    }
    if (st.Text(5) != prev) {
      return Status::Corruption("audit row " + std::to_string(id) + " does not follow the row before it");
    }
    const std::string hash = AuditHash(prev, st.Int(1), st.Text(2), st.Text(3), st.Text(4));
    if (hash != st.Text(6)) return Status::Corruption("audit row " + std::to_string(id) + " was altered");
    prev = hash;
    expected_id = id + 1;
  }
  return status;
}

Status CaseStore::EnsureArtefactKind(const KindDecl& decl, const std::string& parser, const std::string& version) {
  auto table = ArtefactTable(decl.kind);
  if (!table.ok()) return table.status();
  // Everything is checked before anything is written, so a refused declaration leaves no trace.
  json fields = json::array();
  std::set<std::string> names;
  for (const auto& f : decl.fields) {
    CUSTOS_RETURN_IF_ERROR(CheckColumnName(f.name));
    if (!names.insert(f.name).second) {
      return Status::InvalidArgument("artefact kind " + decl.kind + " declares the field '" + f.name + "' twice");
    }
    fields.push_back({{"name", f.name}, {"type", FieldTypeName(f.type)}, {"description", f.description}});
  }
  {
    // "a_b.c" and "a.b_c" would both map to art_a_b_c: two kinds must never share one typed table.
    Statement clash(db_, "SELECT kind FROM artefact_kind WHERE 'art_' || replace(kind, '.', '_') = ?1 AND kind <> ?2");
    clash.Bind(1, *table).Bind(2, decl.kind);
    Status status;
    if (clash.Step(&status)) {
      return Status::InvalidArgument("artefact kind " + decl.kind + " would share the table " + *table +
                                     " with the kind " + clash.Text(0) + "; choose another name");
    }
    CUSTOS_RETURN_IF_ERROR(status);
  }
  Statement up(db_,
               "INSERT INTO artefact_kind(kind, parser, parser_version, description, fields) "
               "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(kind) DO UPDATE SET parser = excluded.parser, "
               "parser_version = excluded.parser_version, description = excluded.description, "
               "fields = excluded.fields");
  up.Bind(1, decl.kind).Bind(2, parser).Bind(3, version).Bind(4, decl.description).Bind(5, JsonText(fields));
  CUSTOS_RETURN_IF_ERROR(up.Run());
  CUSTOS_RETURN_IF_ERROR(sql::Exec(
      db_, "CREATE TABLE IF NOT EXISTS " + *table + " (artefact_id INTEGER PRIMARY KEY REFERENCES artefact(id))"));
  std::set<std::string> have;
  {
    Statement info(db_, "SELECT name FROM pragma_table_info(?1)");
    info.Bind(1, *table);
    Status status;
    while (info.Step(&status)) have.insert(info.Text(0));
    CUSTOS_RETURN_IF_ERROR(status);
  }
  for (const auto& f : decl.fields) {
    if (have.count(f.name)) continue;
    CUSTOS_RETURN_IF_ERROR(
        sql::Exec(db_, "ALTER TABLE " + *table + " ADD COLUMN " + QuotedColumn(f.name) + " " + SqlType(f.type)));
  }
  kinds_.erase(decl.kind);  // the column list changed: rebuild the insert statement
  return Status::Ok();
}

Status CaseStore::InsertArtefacts(const std::vector<ArtefactRow>& rows) {
  Statement& common = Cached(
      "INSERT OR IGNORE INTO artefact(kind, file_id, time, time_zone_note, summary, location, parser, "
      "parser_version) VALUES (?1, (SELECT id FROM file WHERE filesystem_id = ?2 AND file_key = ?3), ?4, ?5, ?6, "
      "?7, ?8, ?9)");
  for (const auto& r : rows) {
    auto kind_it = kinds_.find(r.kind);
    if (kind_it == kinds_.end()) {
      Statement decl(db_, "SELECT fields FROM artefact_kind WHERE kind = ?1");
      decl.Bind(1, r.kind);
      Status status;
      if (!decl.Step(&status)) {
        return status.ok() ? Status::InvalidArgument("artefact kind '" + r.kind + "' was never declared") : status;
      }
      json fields = json::parse(decl.Text(0), nullptr, false);
      auto table = ArtefactTable(r.kind);
      if (!table.ok()) return table.status();
      std::string cols = "artefact_id", params = "?1";
      int n = 1;
      for (const auto& f : fields) {
        cols += ", " + QuotedColumn(f["name"].get<std::string>());
        params += ", ?" + std::to_string(++n);
      }
      KindInsert ki;
      ki.fields = fields.size();
      ki.insert = std::make_unique<Statement>(db_, "INSERT INTO " + *table + "(" + cols + ") VALUES (" + params + ")");
      if (!ki.insert->ok()) return ki.insert->prepare_error();
      kind_it = kinds_.emplace(r.kind, std::move(ki)).first;
    }
    if (r.values.size() != kind_it->second.fields) {
      return Status::InvalidArgument("artefact of kind " + r.kind + " has " + std::to_string(r.values.size()) +
                                     " values for " + std::to_string(kind_it->second.fields) + " fields");
    }
    common.Bind(1, r.kind)
        .Bind(2, r.filesystem_id)
        .Bind(3, r.file_key)
        .Bind(4, r.time)
        .BindTextOrNull(5, r.time_zone_note)
        .Bind(6, r.summary)
        .Bind(7, r.location)
        .Bind(8, r.parser)
        .Bind(9, r.parser_version);
    CUSTOS_RETURN_IF_ERROR(common.Run());
    if (sqlite3_changes(db_) == 0) continue;  // already there: a resumed run
    Statement& typed = *kind_it->second.insert;
    typed.Bind(1, static_cast<int64_t>(sqlite3_last_insert_rowid(db_)));
    for (size_t i = 0; i < r.values.size(); ++i) BindValue(typed, static_cast<int>(i + 2), r.values[i]);
    CUSTOS_RETURN_IF_ERROR(typed.Run());
  }
  return Status::Ok();
}

Result<std::vector<std::pair<std::string, int64_t>>> CaseStore::ArtefactCounts() {
  Statement st(db_,
               "SELECT k.kind, (SELECT count(*) FROM artefact a WHERE a.kind = k.kind) FROM artefact_kind k "
               "ORDER BY k.kind");
  std::vector<std::pair<std::string, int64_t>> out;
  Status status;
  while (st.Step(&status)) out.emplace_back(st.Text(0), st.Int(1));
  CUSTOS_RETURN_IF_ERROR(status);
  return out;
}

Result<std::unordered_set<std::string>> CaseStore::ContentDoneKeys(int64_t filesystem_id) {
  Statement st(db_, "SELECT file_key FROM file WHERE filesystem_id = ?1 AND content_state IS NOT NULL");
  st.Bind(1, filesystem_id);
  std::unordered_set<std::string> out;
  Status status;
  while (st.Step(&status)) out.insert(st.Text(0));
  CUSTOS_RETURN_IF_ERROR(status);
  return out;
}

Result<std::vector<ExhibitRow>> CaseStore::Exhibits() {
  Statement st(db_,
               "SELECT id, reference, format, sources, size_bytes, sector_size, acquisition, ifnull(stored_md5,''), "
               "ifnull(stored_sha1,''), ifnull(computed_md5,''), ifnull(computed_sha1,''), verification, state "
               "FROM exhibit ORDER BY id");
  std::vector<ExhibitRow> out;
  Status status;
  while (st.Step(&status)) {
    ExhibitRow row;
    row.id = st.Int(0);
    ExhibitRecord& r = row.record;
    r.reference = st.Text(1);
    r.format = st.Text(2);
    json sources = json::parse(st.Text(3), nullptr, false);
    if (sources.is_array()) {
      for (const auto& s : sources) {
        if (s.is_string()) r.sources.push_back(s.get<std::string>());
      }
    }
    r.size_bytes = st.Int(4);
    r.sector_size = st.Int(5);
    json acq = json::parse(st.Text(6), nullptr, false);
    if (acq.is_object()) {
      for (const auto& [k, v] : acq.items()) {
        if (v.is_string()) r.acquisition[k] = v.get<std::string>();
      }
    }
    r.stored_md5 = st.Text(7);
    r.stored_sha1 = st.Text(8);
    r.computed_md5 = st.Text(9);
    r.computed_sha1 = st.Text(10);
    r.verification = st.Text(11);
    row.state = st.Text(12);
    out.push_back(std::move(row));
  }
  CUSTOS_RETURN_IF_ERROR(status);
  return out;
}

Result<CaseInfo> CaseStore::ReadCaseInfo() {
  CaseInfo info;
  Status status;
  Statement st(db_,
               "SELECT ifnull(case_reference,''), ifnull(operation,''), ifnull(officer,''), custody_start, "
               "custody_limit, created, tool_version FROM case_info WHERE id = 1");
  if (st.Step(&status)) {
    info.case_reference = st.Text(0);
    info.operation = st.Text(1);
    info.officer = st.Text(2);
    info.custody_start = st.OptInt(3);
    info.custody_limit = st.OptInt(4);
    info.created = st.Int(5);
    info.tool_version = st.Text(6);
  }
  if (!status.ok()) return status;
  return info;
}

Result<CaseSummary> CaseStore::Summarize() {
  CaseSummary s;
  Status status;
  {
    auto info = ReadCaseInfo();
    if (!info.ok()) return info.status();
    s.info = std::move(*info);
  }
  auto exhibits = Exhibits();
  if (!exhibits.ok()) return exhibits.status();
  s.exhibits = std::move(*exhibits);
  {
    Statement st(db_,
                 "SELECT id, exhibit_id, parent_volume_id, idx, kind, scheme, offset_bytes, length_bytes, "
                 "description FROM volume ORDER BY exhibit_id, offset_bytes, id");
    while (st.Step(&status)) {
      VolumeRow v;
      v.id = st.Int(0);
      v.record.exhibit_id = st.Int(1);
      v.record.parent_volume_id = st.Int(2);
      v.record.index = static_cast<int>(st.Int(3));
      v.record.kind = st.Text(4);
      v.record.scheme = st.Text(5);
      v.record.offset_bytes = st.Int(6);
      v.record.length_bytes = st.Int(7);
      v.record.description = st.Text(8);
      s.volumes.push_back(std::move(v));
    }
    CUSTOS_RETURN_IF_ERROR(status);
  }
  {
    Statement st(db_,
                 "SELECT s.id, v.exhibit_id, s.volume_id, s.offset_bytes, s.type, ifnull(s.label,''), "
                 "ifnull(s.serial,''), ifnull(s.block_size,0), ifnull(s.block_count,0), ifnull(s.root_inum,0), "
                 "ifnull(s.note,''), s.walk_complete FROM filesystem s JOIN volume v ON v.id = s.volume_id "
                 "ORDER BY s.id");
    while (st.Step(&status)) {
      FileSystemRow f;
      f.id = st.Int(0);
      f.exhibit_id = st.Int(1);
      f.record.volume_id = st.Int(2);
      f.record.offset_bytes = st.Int(3);
      f.record.type = st.Text(4);
      f.record.label = st.Text(5);
      f.record.serial = st.Text(6);
      f.record.block_size = st.Int(7);
      f.record.block_count = st.Int(8);
      f.record.root_inum = st.Int(9);
      f.record.note = st.Text(10);
      f.walk_complete = st.Int(11) != 0;
      s.filesystems.push_back(std::move(f));
    }
    CUSTOS_RETURN_IF_ERROR(status);
  }
  {
    Statement st(db_,
                 "SELECT id, started, finished, tool_version, command_line, parameters, outcome FROM run "
                 "ORDER BY id");
    while (st.Step(&status)) {
      RunRow r;
      r.id = st.Int(0);
      r.started = st.Int(1);
      r.finished = st.OptInt(2);
      r.tool_version = st.Text(3);
      r.command_line = st.Text(4);
      r.parameters_json = st.Text(5);
      r.outcome = st.Text(6);
      s.runs.push_back(std::move(r));
    }
    CUSTOS_RETURN_IF_ERROR(status);
  }
  {
    Statement st(db_,
                 "SELECT ifnull(sum(kind = 'file'), 0), ifnull(sum(kind = 'dir'), 0), ifnull(sum(deleted), 0), "
                 "ifnull(sum(orphan), 0), ifnull(sum(kind = 'ads'), 0), "
                 "ifnull(sum(wants_content = 1 AND content_state IS NULL), 0), ifnull(sum(md5 IS NOT NULL), 0), "
                 "ifnull(sum(content_state = 'unrecoverable'), 0), ifnull(sum(extension_mismatch), 0), "
                 "ifnull(sum(CASE WHEN kind = 'file' THEN size ELSE 0 END), 0) FROM file");
    if (st.Step(&status)) {
      s.files = st.Int(0);
      s.directories = st.Int(1);
      s.deleted = st.Int(2);
      s.orphans = st.Int(3);
      s.streams = st.Int(4);
      s.content_pending = st.Int(5);
      s.hashed = st.Int(6);
      s.unrecoverable = st.Int(7);
      s.mismatches = st.Int(8);
      s.bytes_total = st.Int(9);
    }
    CUSTOS_RETURN_IF_ERROR(status);
  }
  {
    Statement st(db_, "SELECT count(*) FROM error");
    if (st.Step(&status)) s.errors = st.Int(0);
    CUSTOS_RETURN_IF_ERROR(status);
  }
  return s;
}

Status CaseStore::ForEachFile(const FileQuery& query, const std::function<bool(const FileRow&)>& row) {
  Where w = BuildWhere(query);
  std::string text = std::string("SELECT ") + kFileColumns + w.sql + " ORDER BY x.reference, f.path, f.id";
  if (query.limit >= 0 || query.offset > 0) {  // SQLite needs a LIMIT for an OFFSET; -1 means none
    text += " LIMIT " + std::to_string(query.limit >= 0 ? query.limit : -1) + " OFFSET " + std::to_string(query.offset);
  }
  Statement st(db_, text);
  for (size_t i = 0; i < w.text.size(); ++i) st.Bind(static_cast<int>(i + 1), w.text[i]);
  Status status;
  while (st.Step(&status)) {
    if (!row(ReadFileRow(st))) break;
  }
  return status;
}

Result<int64_t> CaseStore::CountFiles(const FileQuery& query) {
  Where w = BuildWhere(query);
  std::string text =
      "SELECT count(*) FROM file f JOIN filesystem s ON s.id = f.filesystem_id JOIN volume v ON "
      "v.id = s.volume_id JOIN exhibit x ON x.id = v.exhibit_id" +
      w.sql;
  Statement st(db_, text);
  for (size_t i = 0; i < w.text.size(); ++i) st.Bind(static_cast<int>(i + 1), w.text[i]);
  Status status;
  if (st.Step(&status)) return st.Int(0);
  return status;
}

Status CaseStore::ForEachError(const std::function<bool(const ErrorRow&)>& row) {
  Statement st(db_,
               "SELECT id, exhibit_id, filesystem_id, stage, source, location, message, advice, created FROM "
               "error ORDER BY id");
  Status status;
  while (st.Step(&status)) {
    ErrorRow e;
    e.id = st.Int(0);
    e.record.exhibit_id = st.Int(1);
    e.record.filesystem_id = st.Int(2);
    e.record.stage = st.Text(3);
    e.record.source = st.Text(4);
    e.record.location = st.Text(5);
    e.record.message = st.Text(6);
    e.record.advice = st.Text(7);
    e.record.when = st.Int(8);
    if (!row(e)) break;
  }
  return status;
}

Status CaseStore::ForEachAudit(const std::function<bool(const AuditRow&)>& row) {
  Statement st(db_, "SELECT id, at, actor, action, detail, prev_hash, hash FROM audit ORDER BY id");
  Status status;
  while (st.Step(&status)) {
    AuditRow a;
    a.id = st.Int(0);
    a.at = st.Int(1);
    a.actor = st.Text(2);
    a.action = st.Text(3);
    a.detail = st.Text(4);
    a.prev_hash = st.Text(5);
    a.hash = st.Text(6);
    if (!row(a)) break;
  }
  return status;
}

}  // namespace custos
