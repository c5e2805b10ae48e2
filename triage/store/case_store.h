// CaseStore: the case file (one SQLite database per case, "*.custos") and the only code that writes SQL.
//
// Contract:
//  - WAL mode, synchronous=NORMAL, foreign keys on. A killed process leaves a valid file: every write
//    happens inside a transaction and SQLite's WAL makes it atomic.
//  - The schema is versioned with PRAGMA user_version and PRAGMA application_id (0x43555354, "CUST").
//    Migrations are numbered, forward-only, each in its own transaction. Opening a file whose version
//    is newer than this program, or that is not a Custos case, fails with a clear Status.
//  - Times are integer microseconds since the Unix epoch, UTC.
//  - Upserts are idempotent on natural keys, so re-running the same triage resumes without duplicates.
//  - The hash-chained audit trail records every run and every change an officer makes.
// Thread-safety: a CaseStore is used by one thread at a time (the StoreWriter's thread for writes).
// Readers (viewer, reports, `custos info`) open their own read-only CaseStore.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "triage/base/status.h"
#include "triage/model/artefact.h"
#include "triage/model/records.h"

struct sqlite3;

namespace custos {
namespace sql {
class Statement;
}

struct CaseInfo {
  std::string case_reference;  // e.g. "OP-ELM-2026-0042"
  std::string operation;
  std::string officer;
  std::optional<UtcMicros> custody_start;  // detention clock start (PACE "relevant time")
  std::optional<UtcMicros> custody_limit;  // when the current detention limit runs out
  UtcMicros created = 0;
  std::string tool_version;
};

// A file row as read back: the walk's record, the content result and the row ids.
struct FileRow {
  int64_t id = 0;
  int64_t exhibit_id = 0;
  std::string exhibit_reference;
  FileRecord record;
  ContentResult content;  // content.content_state empty = not read yet
};

struct FileQuery {
  bool deleted_only = false;
  bool allocated_only = false;
  std::string extension;       // exact, lowercase, without dot
  std::string mime;            // prefix match on the detected MIME type, e.g. "image/"
  std::string path_glob;       // SQLite GLOB on the full path, e.g. "/Users/*/Pictures/*"
  std::string hash;            // md5, sha1 or sha256 (matched on the column its length implies)
  std::string exhibit;         // exhibit reference; empty = all
  bool mismatch_only = false;  // only files whose content type disagrees with the extension
  std::string kind;            // "file", "dir", ... ; empty = all
  // Hash-set hits (see hash_hits.h): kKnownBad = in a known_bad set; kKnownGood = in a known_good set;
  // kHideKnownGood = all but the files only known-good sets hold (what the viewer and reports show).
  enum class Known { kAll, kKnownBad, kKnownGood, kHideKnownGood };
  Known known = Known::kAll;
  int64_t limit = -1;  // -1 = no limit
  int64_t offset = 0;
};

struct ExhibitRow {
  int64_t id = 0;
  ExhibitRecord record;
  std::string state;  // "new", "walking", "content", "complete"
};

struct VolumeRow {
  int64_t id = 0;
  VolumeRecord record;
};

struct FileSystemRow {
  int64_t id = 0;
  int64_t exhibit_id = 0;
  FileSystemRecord record;
  bool walk_complete = false;
};

struct RunRow {
  int64_t id = 0;
  UtcMicros started = 0;
  std::optional<UtcMicros> finished;
  std::string tool_version, command_line, parameters_json, outcome;
};

struct CaseSummary {
  CaseInfo info;
  std::vector<ExhibitRow> exhibits;
  std::vector<VolumeRow> volumes;
  std::vector<FileSystemRow> filesystems;
  std::vector<RunRow> runs;
  int64_t files = 0, directories = 0, deleted = 0, orphans = 0, streams = 0;
  int64_t content_pending = 0, hashed = 0, unrecoverable = 0, mismatches = 0;
  int64_t bytes_total = 0;  // sum of sizes of regular files
  int64_t errors = 0;
};

struct ErrorRow {
  int64_t id = 0;
  ErrorRecord record;
};

struct AuditRow {
  int64_t id = 0;
  UtcMicros at = 0;
  std::string actor, action, detail, prev_hash, hash;
};

class CaseStore {
 public:
  enum class OpenMode { kCreateOrOpen, kReadWrite, kReadOnly };
  static constexpr int kSchemaVersion = 4;

  // Opens (and in write modes migrates) a case file. kReadOnly never writes, never migrates, and
  // fails on a case newer or older than kSchemaVersion with a message saying which tool to use.
  static Result<std::unique_ptr<CaseStore>> Open(const std::string& path, OpenMode mode);
  ~CaseStore();
  CaseStore(const CaseStore&) = delete;
  CaseStore& operator=(const CaseStore&) = delete;

  // --- writes -----------------------------------------------------------------------------------
  Status Begin();  // BEGIN IMMEDIATE
  Status Commit();
  Status Rollback();

  // Sets the fields given (non-empty / has_value) and keeps the others; creates the row the first time.
  Status UpdateCaseInfo(const CaseInfo& info);

  Result<int64_t> BeginRun(const std::string& command_line, const std::string& parameters_json);
  Status FinishRun(int64_t run_id, const std::string& outcome);  // "complete", "interrupted", "failed: ..."

  // Keyed by reference. An existing exhibit with the same sources returns its id; one with other
  // sources fails with InvalidArgument (the officer must choose another reference).
  Result<int64_t> UpsertExhibit(const ExhibitRecord& exhibit);
  Status UpdateExhibitHashes(int64_t exhibit_id, const std::string& computed_md5, const std::string& computed_sha1,
                             const std::string& verification);
  Status SetExhibitState(int64_t exhibit_id, const std::string& state);

  // Keyed by (exhibit_id, parent_volume_id, kind, index, offset_bytes).
  Result<int64_t> UpsertVolume(const VolumeRecord& volume);
  // Keyed by (volume_id, offset_bytes, type).
  Result<int64_t> UpsertFileSystem(const FileSystemRecord& fs);
  Status SetFileSystemWalkComplete(int64_t filesystem_id);

  // INSERT OR IGNORE on (filesystem_id, file_key): re-walking a file system adds nothing twice.
  Status InsertFiles(const std::vector<FileRecord>& files);
  // UPDATE by (filesystem_id, file_key).
  Status ApplyContent(const std::vector<ContentResult>& results);
  // Deduplicated on (exhibit_id, filesystem_id, stage, source, location, message).
  Status InsertErrors(const std::vector<ErrorRecord>& errors);
  // Appends to the hash-chained audit trail: hash = SHA-256(prev_hash | at | actor | action | detail).
  Status AppendAudit(const std::string& actor, const std::string& action, const std::string& detail);

  // Creates the typed table art_<kind with '.' -> '_'> (artefact_id plus one column per declared field,
  // SQL types from FieldType) and records the declaration in `artefact_kind`; idempotent. A later
  // declaration with more fields adds the missing columns.
  Status EnsureArtefactKind(const KindDecl& decl, const std::string& parser, const std::string& parser_version);
  // One `artefact` row (id, kind, file_id resolved from (filesystem_id, file_key), time, zone note,
  // summary, location, parser, version) plus its typed row, per ArtefactRow. Deduplicated on
  // (file_id, parser, kind, location, summary) so a resumed run adds nothing twice. The kind must have
  // been declared.
  Status InsertArtefacts(const std::vector<ArtefactRow>& rows);
  // (kind, count) for every declared kind, including zero counts.
  Result<std::vector<std::pair<std::string, int64_t>>> ArtefactCounts();

  // Keys of files whose content has already been processed (content_state set), for resume.
  Result<std::unordered_set<std::string>> ContentDoneKeys(int64_t filesystem_id);

  // --- reads ------------------------------------------------------------------------------------
  // The case details (empty fields when never set).
  Result<CaseInfo> ReadCaseInfo();
  Result<CaseSummary> Summarize();
  Result<std::vector<ExhibitRow>> Exhibits();
  // Calls `row` for each match in path order; stop early by returning false.
  Status ForEachFile(const FileQuery& query, const std::function<bool(const FileRow&)>& row);
  Result<int64_t> CountFiles(const FileQuery& query);
  Status ForEachError(const std::function<bool(const ErrorRow&)>& row);
  Status ForEachAudit(const std::function<bool(const AuditRow&)>& row);
  // Recomputes the audit chain; Corruption names the first row that does not match.
  Status VerifyAuditChain();

  const std::string& path() const { return path_; }
  // The connection, for the other classes of triage/store/ that keep their SQL in their own files
  // (tags and grades, hash sets, keyword hits...) and for tests. Nothing outside triage/store/ writes SQL.
  sqlite3* raw_handle() { return db_; }

 private:
  CaseStore(sqlite3* db, std::string path);
  // Statements of the hot paths, prepared once per connection (keyed by their text).
  sql::Statement& Cached(const char* sql_text);
  struct KindInsert {
    KindInsert();
    KindInsert(KindInsert&&) noexcept;
    ~KindInsert();
    size_t fields = 0;
    std::unique_ptr<sql::Statement> insert;  // INSERT INTO art_<kind>
  };

  sqlite3* db_;
  std::string path_;
  std::map<std::string, std::unique_ptr<sql::Statement>> stmts_;
  std::map<std::string, KindInsert> kinds_;
};

}  // namespace custos
