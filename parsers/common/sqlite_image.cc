#include "parsers/common/sqlite_image.h"

#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "triage/sqlite/sql.h"

namespace custos {
namespace {

constexpr std::string_view kHeader("SQLite format 3\0", 16);

Status WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out)
    return Status::IOError("cannot write the private copy " + path.string() + " (is the temporary folder full?)");
  return Status::Ok();
}

// Every query must fail rather than change anything, even in the private copy.
Status LockDown(sqlite3* db) { return sql::Exec(db, "PRAGMA query_only = 1"); }

}  // namespace

bool LooksLikeSqlite(std::string_view head) { return head.substr(0, kHeader.size()) == kHeader; }

Result<std::unique_ptr<SqliteImage>> SqliteImage::Open(std::string_view db_bytes, std::string_view wal_bytes) {
  if (!LooksLikeSqlite(db_bytes)) return Status::Corruption("not a SQLite 3 database: the header is missing");
  std::unique_ptr<SqliteImage> image(new SqliteImage());
  // A WAL holds committed changes only when it has at least one frame after its 32-byte header.
  if (wal_bytes.size() > 32) {
    std::string base = "/tmp";
    if (const char* t = std::getenv("TMPDIR"); t != nullptr && *t != '\0') base = t;
    std::string templ = base + "/custos-sqlite-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) {
      return Status::IOError("cannot make a private folder for the database copy in " + base + ": " +
                             std::strerror(errno));
    }
    image->temp_dir_ = templ;
    const std::filesystem::path db_path = std::filesystem::path(templ) / "copy.db";
    CUSTOS_RETURN_IF_ERROR(WriteFile(db_path, db_bytes));
    CUSTOS_RETURN_IF_ERROR(WriteFile(db_path.string() + "-wal", wal_bytes));
    // Read-write on the private copy only: SQLite needs a -shm file to read a WAL.
    const int rc = sqlite3_open_v2(db_path.c_str(), &image->db_, SQLITE_OPEN_READWRITE, nullptr);
    if (rc != SQLITE_OK) return sql::ErrorStatus(image->db_, rc, "opening the database copy with its WAL");
    CUSTOS_RETURN_IF_ERROR(LockDown(image->db_));
    return image;
  }
  int rc = sqlite3_open_v2(":memory:", &image->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr);
  if (rc != SQLITE_OK) return sql::ErrorStatus(image->db_, rc, "opening an in-memory database");
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(db_bytes.size()));
  if (copy == nullptr) return Status::Internal("out of memory copying the database");
  std::memcpy(copy, db_bytes.data(), db_bytes.size());
  // Bytes 18 and 19 say WAL mode (2); an in-memory database cannot have a WAL, so the copy says rollback
  // journal (1) instead. With no committed WAL frames the content is the same.
  if (db_bytes.size() > 19 && copy[18] == 2 && copy[19] == 2) copy[18] = copy[19] = 1;
  rc = sqlite3_deserialize(image->db_, "main", copy, static_cast<sqlite3_int64>(db_bytes.size()),
                           static_cast<sqlite3_int64>(db_bytes.size()),
                           SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
  if (rc != SQLITE_OK) return sql::ErrorStatus(image->db_, rc, "loading the database into memory");
  CUSTOS_RETURN_IF_ERROR(LockDown(image->db_));
  // Reading the schema is where a damaged file first shows.
  sql::Statement probe(image->db_, "SELECT count(*) FROM sqlite_master");
  if (!probe.ok()) return probe.prepare_error();
  Status st;
  probe.Step(&st);
  if (!st.ok()) return Status::Corruption("the database's schema cannot be read: " + st.message());
  return image;
}

Result<std::unique_ptr<SqliteImage>> SqliteImage::OpenInput(const ParserInput& input) {
  const auto wal = input.companions.find("-wal");
  return Open(input.bytes, wal == input.companions.end() ? std::string_view() : std::string_view(wal->second));
}

SqliteImage::~SqliteImage() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
  if (!temp_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);
  }
}

bool SqliteImage::HasTable(std::string_view name) const {
  sql::Statement st(db_, "SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?1 COLLATE NOCASE");
  if (!st.ok()) return false;
  st.Bind(1, name);
  Status status;
  return st.Step(&status);
}

bool SqliteImage::HasColumn(std::string_view table, std::string_view column) const {
  sql::Statement st(db_, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2 COLLATE NOCASE");
  if (!st.ok()) return false;
  st.Bind(1, table).Bind(2, column);
  Status status;
  return st.Step(&status);
}

}  // namespace custos
