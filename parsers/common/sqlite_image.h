// A SQLite database a parser was handed as bytes, opened read-only without touching the evidence:
// in memory through sqlite3_deserialize, or, when its -wal companion holds committed changes (recent
// activity often lives only there), from a private copy of both in a temporary folder that SQLite itself
// reads the WAL from. The copy is removed when the image is destroyed.
// Thread-safety: one image per Parse() call.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "parsers/parser.h"
#include "triage/base/status.h"
#include "triage/sqlite/sql.h"

namespace custos {

class SqliteImage {
 public:
  static Result<std::unique_ptr<SqliteImage>> Open(std::string_view db_bytes, std::string_view wal_bytes = {});
  // The parser's file, with its "-wal" companion when the pipeline found one.
  static Result<std::unique_ptr<SqliteImage>> OpenInput(const ParserInput& input);
  ~SqliteImage();
  SqliteImage(const SqliteImage&) = delete;
  SqliteImage& operator=(const SqliteImage&) = delete;

  sqlite3* db() const { return db_; }
  bool HasTable(std::string_view name) const;
  bool HasColumn(std::string_view table, std::string_view column) const;
  bool used_wal() const { return !temp_dir_.empty(); }

 private:
  SqliteImage() = default;
  sqlite3* db_ = nullptr;
  std::string temp_dir_;
};

// True when the bytes start with the SQLite 3 header string.
bool LooksLikeSqlite(std::string_view head);

// A text column, or nullopt when it is NULL.
inline std::optional<std::string> OptText(const sql::Statement& st, int col) {
  if (st.IsNull(col)) return std::nullopt;
  return st.Text(col);
}

// `expr` when the table has `column`, else NULL: one query for every schema version of an app's database.
inline std::string ColumnOrNull(const SqliteImage& db, std::string_view table, std::string_view column,
                                std::string_view expr) {
  return db.HasColumn(table, column) ? std::string(expr) : std::string("NULL");
}

}  // namespace custos
