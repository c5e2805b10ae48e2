// The case store and its writer thread: case-file identity and refusals, idempotent upserts, file queries,
// the audit chain, typed artefact tables and the writer. Expected values come from the test's own inputs, read
// back with the sqlite3 shell or raw sqlite3 calls (never through CaseStore); damage is raw SQL on copies.
#include "triage/store/case_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "tests/store/store_fixtures.h"
#include "tests/support/test_support.h"
#include "triage/store/schema.h"
#include "triage/store/store_writer.h"

namespace custos {
namespace {

namespace fs = std::filesystem;
using testing::Shell;
using testing::ShellQuote;
using Mode = CaseStore::OpenMode;

// The 4 big-endian bytes at `offset` of a file's SQLite header (user_version at 60, application_id at 68).
uint32_t HeaderWord(const std::string& path, int offset) {
  std::ifstream in(path, std::ios::binary);
  unsigned char b[4] = {};
  in.seekg(offset);
  in.read(reinterpret_cast<char*>(b), 4);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

// ---------------------------------------------------------------------------------------------------
// Identity of a case file

TEST(CaseStore, NewCaseHasSchemaVersionWalAndApplicationId) {
  testing::TempDir dir;
  const std::string path = MakeCase(dir, "new.custos");
  // The sqlite3 shell reads the pragmas; the file header (bytes 60 and 68, sqlite.org/fileformat.html)
  // says the same without SQLite at all. 0x43555354 is "CUST" in ASCII.
  EXPECT_EQ(SqlOne(path, "PRAGMA user_version"), std::to_string(CaseStore::kSchemaVersion));
  EXPECT_EQ(SqlOne(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(SqlOne(path, "PRAGMA application_id"), std::to_string(0x43555354));
  EXPECT_EQ(HeaderWord(path, 60), static_cast<uint32_t>(CaseStore::kSchemaVersion));
  EXPECT_EQ(HeaderWord(path, 68), 0x43555354u);
  std::ifstream in(path, std::ios::binary);
  std::string header(100, '\0');
  in.read(header.data(), 100);
  EXPECT_EQ(header.substr(68, 4), "CUST");
  // The tables the README lists are there.
  for (const char* table :
       {"case_info", "exhibit", "volume", "filesystem", "file", "error", "run", "audit", "artefact_kind", "artefact"}) {
    EXPECT_EQ(
        SqlOne(path, std::string("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='") + table + "'"),
        "1")
        << table;
  }
  // Reopening in every mode works and changes nothing in the schema.
  const std::string schema = SqlOne(path, "SELECT group_concat(sql, ';') FROM sqlite_master");
  for (Mode mode : {Mode::kCreateOrOpen, Mode::kReadWrite, Mode::kReadOnly}) {
    auto again = CaseStore::Open(path, mode);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
  }
  EXPECT_EQ(SqlOne(path, "SELECT group_concat(sql, ';') FROM sqlite_master"), schema);
}

TEST(CaseStore, SchemaOneCaseIsUpgradedInPlaceAndKeepsItsRows) {
  testing::TempDir dir;
  const std::string path = dir.File("v1.custos");
  // A case as the first release made it: only migration 1, with one exhibit row.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string v1 = std::string(SchemaMigrations().front());
  ASSERT_EQ(sqlite3_exec(db, v1.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
  ASSERT_EQ(RawExec(path,
                    "PRAGMA application_id=1129665364; PRAGMA user_version=1; "
                    "INSERT INTO exhibit VALUES (1,'JD/1','raw','[]',512,512,'{}',NULL,NULL,NULL,NULL,"
                    "'no stored hash','complete',0)"),
            "");
  // Read-only opening refuses an older case and leaves it as it was.
  auto ro = CaseStore::Open(path, Mode::kReadOnly);
  ASSERT_FALSE(ro.ok());
  EXPECT_EQ(SqlOne(path, "PRAGMA user_version"), "1");
  // Opening it to write upgrades it; the exhibit is still there and the new tables exist.
  ASSERT_TRUE(CaseStore::Open(path, Mode::kReadWrite).ok());
  EXPECT_EQ(SqlOne(path, "PRAGMA user_version"), std::to_string(CaseStore::kSchemaVersion));
  EXPECT_EQ(SqlOne(path, "SELECT reference FROM exhibit"), "JD/1");
  for (const char* table : {"tag", "picture_grade", "hash_hit", "keyword_hit", "thumbnail"}) {
    EXPECT_EQ(
        SqlOne(path, std::string("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='") + table + "'"),
        "1")
        << table;
  }
}

TEST(CaseStore, KeywordHitInUnallocatedSpaceIsKeptOnceAndTagLabelsAreChecked) {
  testing::TempDir dir;
  const std::string path = MakeCase(dir, "hits.custos");
  // file_id is NULL in unallocated space; a plain UNIQUE would let a resumed run add the hit again.
  const std::string hit =
      "INSERT OR IGNORE INTO keyword_hit(term, term_kind, file_id, volume_id, offset_bytes, encoding, match, context,"
      " created) VALUES ('heroin', 'keyword', NULL, 3, 4096, 'ascii', 'heroin', '..heroin..', 0);";
  ASSERT_EQ(RawExec(path, hit + hit), "");
  EXPECT_EQ(SqlOne(path, "SELECT count(*) FROM keyword_hit"), "1");
  EXPECT_NE(RawExec(path,
                    "INSERT INTO tag(target, target_id, label, author, created, modified)"
                    " VALUES ('file', 1, 'interesting', 'DC 1', 0, 0)"),
            "");
  EXPECT_NE(RawExec(path, "INSERT INTO picture_grade VALUES (1, 'D', 'DC 1', 0)"), "");
}

TEST(CaseStore, NewerSchemaIsRefusedInEveryModeAndLeftAlone) {
  testing::TempDir dir;
  const std::string original = MakeCase(dir, "case.custos");
  const std::string newer = Copy(original, dir, "newer.custos");
  const int future = CaseStore::kSchemaVersion + 1;
  ASSERT_EQ(RawExec(newer, "PRAGMA user_version=" + std::to_string(future)), "");
  const std::string before = testing::Sha256OfFile(newer);
  for (Mode mode : {Mode::kCreateOrOpen, Mode::kReadWrite, Mode::kReadOnly}) {
    SCOPED_TRACE(static_cast<int>(mode));
    auto store = CaseStore::Open(newer, mode);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), Status::Code::kNotSupported) << store.status().ToString();
    EXPECT_NE(store.status().message().find(newer), std::string::npos) << store.status().ToString();
  }
  EXPECT_EQ(testing::Sha256OfFile(newer), before);
  EXPECT_EQ(SqlOne(newer, "PRAGMA user_version"), std::to_string(future));
}

TEST(CaseStore, SomeoneElsesSqliteDatabaseIsRefused) {
  testing::TempDir dir;
  const std::string other = dir.File("places.sqlite");
  ASSERT_EQ(RawExec(other,
                    "CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url TEXT); "
                    "INSERT INTO moz_places(url) VALUES ('https://example.org/'); PRAGMA application_id=1234;"),
            "");
  // The same with application_id left at 0, as most programs do.
  const std::string plain = dir.File("plain.db");
  ASSERT_EQ(RawExec(plain, "CREATE TABLE t(x); INSERT INTO t VALUES (1);"), "");
  for (const std::string& path : {other, plain}) {
    const std::string before = testing::Sha256OfFile(path);
    for (Mode mode : {Mode::kCreateOrOpen, Mode::kReadWrite, Mode::kReadOnly}) {
      SCOPED_TRACE(path + " mode " + std::to_string(static_cast<int>(mode)));
      auto store = CaseStore::Open(path, mode);
      ASSERT_FALSE(store.ok());
      EXPECT_EQ(store.status().code(), Status::Code::kInvalidArgument) << store.status().ToString();
      EXPECT_NE(store.status().message().find(path), std::string::npos) << store.status().ToString();
    }
    // Not migrated, not switched to WAL: the bytes are what the other program left.
    EXPECT_EQ(testing::Sha256OfFile(path), before) << path;
  }
  EXPECT_EQ(SqlOne(other, "SELECT url FROM moz_places"), "https://example.org/");
}

TEST(CaseStore, RandomBytesAreRefusedWithAClearStatus) {
  testing::TempDir dir;
  const std::string path = dir.File("noise.custos");
  std::mt19937 rng(42);
  std::string bytes(64 * 1024, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  for (Mode mode : {Mode::kCreateOrOpen, Mode::kReadWrite, Mode::kReadOnly}) {
    SCOPED_TRACE(static_cast<int>(mode));
    auto store = CaseStore::Open(path, mode);
    ASSERT_FALSE(store.ok());
    const Status::Code code = store.status().code();
    EXPECT_TRUE(code == Status::Code::kInvalidArgument || code == Status::Code::kCorruption)
        << store.status().ToString();
    EXPECT_NE(store.status().message().find(path), std::string::npos) << store.status().ToString();
  }
  std::ifstream in(path, std::ios::binary);
  std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(after, bytes);
}

TEST(CaseStore, ACaseLockedByAnotherProgramSaysSoAndIsNotCalledForeign) {
  testing::TempDir dir;
  const std::string path = dir.File("locked.custos");
  { ASSERT_TRUE(CaseStore::Open(path, Mode::kCreateOrOpen).ok()); }
  // Another program holding the file in exclusive locking mode (as an interrupted tool or a hex editor
  // might): raw SQLite, not CaseStore.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE held(x);", nullptr,
                         nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(other);
  for (Mode mode : {Mode::kReadOnly, Mode::kReadWrite}) {
    auto store = CaseStore::Open(path, mode);  // waits out the store's busy timeout, then gives up
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), Status::Code::kBusy) << store.status().ToString();
    EXPECT_NE(store.status().message().find("in use by another program"), std::string::npos)
        << store.status().ToString();
    EXPECT_EQ(store.status().message().find("not a Custos case file"), std::string::npos) << store.status().ToString();
  }
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_TRUE(CaseStore::Open(path, Mode::kReadWrite).ok());  // once released, it opens as before
}

TEST(CaseStore, MissingCaseIsNotFoundAndNothingIsCreated) {
  testing::TempDir dir;
  const std::string path = dir.File("missing.custos");
  for (Mode mode : {Mode::kReadOnly, Mode::kReadWrite}) {
    auto store = CaseStore::Open(path, mode);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), Status::Code::kNotFound) << store.status().ToString();
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));  // no case file, no -wal or -shm either
}

// ---------------------------------------------------------------------------------------------------
// Idempotence on natural keys

TEST(CaseStore, UpsertsAndInsertsAreIdempotentOnNaturalKeys) {
  testing::TempDir dir;
  const std::string path = dir.File("case.custos");
  auto opened = CaseStore::Open(path, Mode::kCreateOrOpen);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  CaseStore& store = **opened;

  ExhibitRecord e;
  e.reference = "JD/1";
  e.sources = {"/evidence/laptop.E01", "/evidence/laptop.E02"};
  e.format = "ewf";
  auto first = store.UpsertExhibit(e);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = store.UpsertExhibit(e);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*second, *first);
  ExhibitRecord other = e;
  other.sources = {"/evidence/phone.zip"};
  auto clash = store.UpsertExhibit(other);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.status().code(), Status::Code::kInvalidArgument) << clash.status().ToString();
  EXPECT_NE(clash.status().message().find("JD/1"), std::string::npos) << clash.status().ToString();
  EXPECT_EQ(SqlOne(path, "SELECT count(*), sources FROM exhibit"),
            "1|[\"/evidence/laptop.E01\",\"/evidence/laptop.E02\"]");

  VolumeRecord v;
  v.exhibit_id = *first;
  v.index = 2;
  v.kind = "partition";
  v.scheme = "dos";
  v.offset_bytes = 1048576;
  v.length_bytes = 4096;
  auto v1 = store.UpsertVolume(v);
  auto v2 = store.UpsertVolume(v);
  ASSERT_TRUE(v1.ok() && v2.ok());
  EXPECT_EQ(*v1, *v2);
  VolumeRecord v_other = v;
  v_other.index = 3;
  v_other.offset_bytes = 2097152;
  auto v3 = store.UpsertVolume(v_other);
  ASSERT_TRUE(v3.ok());
  EXPECT_NE(*v3, *v1);
  EXPECT_EQ(SqlOne(path, "SELECT count(*) FROM volume"), "2");

  FileSystemRecord f;
  f.volume_id = *v1;
  f.offset_bytes = 1048576;
  f.type = "ntfs";
  auto f1 = store.UpsertFileSystem(f);
  auto f2 = store.UpsertFileSystem(f);
  ASSERT_TRUE(f1.ok() && f2.ok());
  EXPECT_EQ(*f1, *f2);
  EXPECT_EQ(SqlOne(path, "SELECT count(*) FROM filesystem"), "1");

  std::vector<FileRecord> files = {MakeFile(*f1, "/a.txt"), MakeFile(*f1, "/b.jpg"), MakeFile(*f1, "/c.doc")};
  ASSERT_TRUE(store.InsertFiles(files).ok());
  // A re-walk offers the same keys again, one of them with a changed path: nothing is added or changed.
  files[0].path = "/changed.txt";
  ASSERT_TRUE(store.InsertFiles(files).ok());
  EXPECT_EQ(Sql(path, "SELECT file_key, path FROM file ORDER BY file_key"),
            (std::vector<std::string>{"/a.txt|/a.txt", "/b.jpg|/b.jpg", "/c.doc|/c.doc"}));

  ErrorRecord err;
  err.exhibit_id = *first;
  err.filesystem_id = *f1;
  err.stage = "read";
  err.source = "/b.jpg";
  err.location = "offset 4096";
  err.message = "short read";
  err.advice = "nothing";
  ASSERT_TRUE(store.InsertErrors({err}).ok());
  ASSERT_TRUE(store.InsertErrors({err}).ok());
  EXPECT_EQ(SqlOne(path, "SELECT count(*), stage, source, location, message FROM error"),
            "1|read|/b.jpg|offset 4096|short read");

  // Content for two of the three files.
  ContentResult a;
  a.filesystem_id = *f1;
  a.file_key = "/a.txt";
  a.md5 = "0cc175b9c0f1b6a831c399e269772661";  // md5 of "a" (md5sum)
  a.sha1 = "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8";
  a.mime = "text/plain";
  a.content_state = "complete";
  a.bytes_read = 1;
  ContentResult c = a;
  c.file_key = "/c.doc";
  c.md5 = "4a8a08f09d37b73795649038408b5f33";  // md5 of "c"
  c.sha1 = "84a516841ba77a5b4648de2cd0dfcb30ea46dbb4";
  c.mime = "text/plain";
  c.extension_mismatch = true;
  c.content_state = "recovered";
  ASSERT_TRUE(store.ApplyContent({a, c}).ok());
  EXPECT_EQ(Sql(path,
                "SELECT file_key, ifnull(md5,'-'), ifnull(sha1,'-'), ifnull(mime,'-'), extension_mismatch, "
                "ifnull(content_state,'-'), ifnull(bytes_read,'-') FROM file ORDER BY file_key"),
            (std::vector<std::string>{
                "/a.txt|0cc175b9c0f1b6a831c399e269772661|86f7e437faa5a7fce15d1ddcb9eaeaea377667b8|text/plain|0|"
                "complete|1",
                "/b.jpg|-|-|-|0|-|-",
                "/c.doc|4a8a08f09d37b73795649038408b5f33|84a516841ba77a5b4648de2cd0dfcb30ea46dbb4|text/plain|1|"
                "recovered|1"}));
  auto done = store.ContentDoneKeys(*f1);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(*done, (std::unordered_set<std::string>{"/a.txt", "/c.doc"}));
  auto none = store.ContentDoneKeys(*f1 + 100);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(CaseStore, FileRecordRoundTripsEveryColumn) {
  testing::TempDir dir;
  const std::string path = dir.File("case.custos");
  auto opened = CaseStore::Open(path, Mode::kCreateOrOpen);
  ASSERT_TRUE(opened.ok());
  CaseStore& store = **opened;
  const Layout l = AddLayout(store, "JD/1", "/evidence/disk.raw");
  FileRecord f = MakeFile(l.filesystem, "/Users/bob/report.docx:Zone.Identifier", "ads");
  f.file_key = "1234-128-5:/Users/bob/report.docx";
  f.extension = "docx";
  f.meta_addr = 1234;
  f.meta_seq = 7;
  f.attr_type = 128;
  f.attr_id = 5;
  f.stream_name = "Zone.Identifier";
  f.allocated = false;
  f.deleted = true;
  f.orphan = true;
  f.size = 26;
  f.mtime = 1700000000000001;
  f.atime = 1700000000000002;
  f.ctime = 1700000000000003;
  f.crtime = -86400000000;  // before 1970: negative microseconds
  f.fn_mtime = 1600000000000001;
  f.priority = 3;
  f.disk_offset = 987654;
  f.wants_content = true;
  ASSERT_TRUE(store.InsertFiles({f}).ok());
  EXPECT_EQ(SqlOne(path,
                   "SELECT filesystem_id, file_key, path, name, extension, kind, meta_addr, meta_seq, "
                   "attr_type, attr_id, stream_name, allocated, deleted, orphan, size, mtime, atime, ctime, "
                   "crtime, fn_mtime, ifnull(fn_atime,'null'), priority, disk_offset, wants_content FROM file"),
            std::to_string(l.filesystem) +
                "|1234-128-5:/Users/bob/report.docx|/Users/bob/report.docx:Zone.Identifier|"
                "report.docx:Zone.Identifier|docx|ads|1234|7|128|5|Zone.Identifier|0|1|1|26|1700000000000001|"
                "1700000000000002|1700000000000003|-86400000000|1600000000000001|null|3|987654|1");
  // And ForEachFile gives back the record it was given.
  int rows = 0;
  ASSERT_TRUE(store
                  .ForEachFile({},
                               [&](const FileRow& row) {
                                 ++rows;
                                 EXPECT_EQ(row.exhibit_reference, "JD/1");
                                 EXPECT_EQ(row.exhibit_id, l.exhibit);
                                 EXPECT_EQ(row.record.file_key, f.file_key);
                                 EXPECT_EQ(row.record.stream_name, f.stream_name);
                                 EXPECT_EQ(row.record.crtime, f.crtime);
                                 EXPECT_EQ(row.record.fn_atime, std::nullopt);
                                 EXPECT_EQ(row.record.disk_offset, f.disk_offset);
                                 EXPECT_TRUE(row.content.content_state.empty());
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(rows, 1);
}

// ---------------------------------------------------------------------------------------------------
// File queries

class CaseStoreFileQuery : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("case.custos");
    auto opened = CaseStore::Open(path_, Mode::kCreateOrOpen);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    const Layout a = AddLayout(*store_, "A/1", "/evidence/laptop.E01");
    const Layout b = AddLayout(*store_, "B/1", "/evidence/phone.zip");
    struct Spec {
      int64_t fs;
      const char* path;
      const char* kind;
      bool deleted;
      const char* mime;
      bool mismatch;
      std::string md5, sha1, sha256;
    };
    const std::vector<Spec> specs = {
        {a.filesystem, "/Users", "dir", false, "", false, "", "", ""},
        {a.filesystem, "/Users/bob/Pictures/cat.jpg", "file", false, "image/jpeg", false, kCatMd5, kCatSha1,
         kCatSha256},
        {a.filesystem, "/Users/bob/Pictures/dog.txt", "file", true, "image/png", true, std::string(32, '1'),
         std::string(40, '1'), std::string(64, '1')},
        {a.filesystem, "/Users/bob/notes.txt", "file", true, "text/plain", false, std::string(32, '2'), kNotesSha1,
         std::string(64, '2')},
        {a.filesystem, "/Windows/notepad.exe", "file", false, "application/x-dosexec", false, std::string(32, '3'),
         std::string(40, '3'), std::string(64, '3')},
        // The same picture on the phone: same hashes as cat.jpg.
        {b.filesystem, "/DCIM/IMG_0001.JPG", "file", false, "image/jpeg", false, kCatMd5, kCatSha1, kCatSha256},
        {b.filesystem, "/DCIM/clip.mp4", "file", false, "video/mp4", false, std::string(32, '4'), std::string(40, '4'),
         kClipSha256},
        {b.filesystem, "/imagery.dat", "file", false, "application/octet-stream", false, "", "", ""},
    };
    for (const Spec& s : specs) {
      FileRecord f = MakeFile(s.fs, s.path, s.kind);
      f.deleted = s.deleted;
      f.allocated = !s.deleted;
      ASSERT_TRUE(store_->InsertFiles({f}).ok());
      if (s.md5.empty()) continue;
      ContentResult c;
      c.filesystem_id = s.fs;
      c.file_key = s.path;
      c.md5 = s.md5;
      c.sha1 = s.sha1;
      c.sha256 = s.sha256;
      c.mime = s.mime;
      c.extension_mismatch = s.mismatch;
      c.content_state = "complete";
      ASSERT_TRUE(store_->ApplyContent({c}).ok());
    }
  }

  // Paths ForEachFile gives, in its order; also checks CountFiles agrees when there is no limit.
  std::vector<std::string> Paths(const FileQuery& q) {
    std::vector<std::string> out;
    Status st = store_->ForEachFile(q, [&](const FileRow& row) {
      out.push_back(row.record.path);
      return true;
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    if (q.limit < 0 && q.offset == 0) {
      auto n = store_->CountFiles(q);
      EXPECT_TRUE(n.ok()) << n.status().ToString();
      if (n.ok()) {
        EXPECT_EQ(*n, static_cast<int64_t>(out.size()));
      }
    }
    return out;
  }

  static std::set<std::string> AsSet(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

  static inline const std::string kCatMd5 = "8f8ad1b0b5fdb4a5a1fc1cd39d49b2d8";
  static inline const std::string kCatSha1 = "1d5a0b7e8e6c0ec8a4a9b0f8ff5f8c9fa3e2d111";
  static inline const std::string kCatSha256 = "5f0c6b2e" + std::string(56, 'a');
  static inline const std::string kNotesSha1 = "9e" + std::string(38, 'b');
  static inline const std::string kClipSha256 = "c1" + std::string(62, 'c');

  testing::TempDir dir_;
  std::string path_;
  std::unique_ptr<CaseStore> store_;
};

TEST_F(CaseStoreFileQuery, EachFilterSelectsWhatItsInputsSay) {
  using Set = std::set<std::string>;
  // Every expected set below is read off the eight rows made in SetUp.
  EXPECT_EQ(Paths({}).size(), 8u);
  FileQuery q;
  q.deleted_only = true;
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/Users/bob/Pictures/dog.txt", "/Users/bob/notes.txt"}));
  q = {};
  q.allocated_only = true;
  EXPECT_EQ(Paths(q).size(), 6u);
  q = {};
  q.extension = "txt";
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/Users/bob/Pictures/dog.txt", "/Users/bob/notes.txt"}));
  q.extension = "jpg";  // IMG_0001.JPG's extension is stored lowercased
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/Users/bob/Pictures/cat.jpg", "/DCIM/IMG_0001.JPG"}));
  q = {};
  q.mime = "image/";
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/Users/bob/Pictures/cat.jpg", "/Users/bob/Pictures/dog.txt", "/DCIM/IMG_0001.JPG"}));
  q.mime = "image/jpeg";
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/Users/bob/Pictures/cat.jpg", "/DCIM/IMG_0001.JPG"}));
  q.mime = "image/%";  // a prefix, not a LIKE pattern
  EXPECT_TRUE(Paths(q).empty());
  q.mime = "application/";
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/Windows/notepad.exe"}));  // imagery.dat has no content, so no type
  q = {};
  q.path_glob = "/Users/*/Pictures/*";
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/Users/bob/Pictures/cat.jpg", "/Users/bob/Pictures/dog.txt"}));
  q.path_glob = "/Users/*";  // GLOB's '*' crosses '/'
  EXPECT_EQ(AsSet(Paths(q)),
            (Set{"/Users/bob/Pictures/cat.jpg", "/Users/bob/Pictures/dog.txt", "/Users/bob/notes.txt"}));
  q.path_glob = "/DCIM/[A-Z]*";  // GLOB is case sensitive
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/DCIM/IMG_0001.JPG"}));
  q = {};
  q.hash = kCatMd5;  // 32 hex digits: MD5, on both exhibits
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/Users/bob/Pictures/cat.jpg", "/DCIM/IMG_0001.JPG"}));
  q.hash = kNotesSha1;  // 40: SHA-1
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/Users/bob/notes.txt"}));
  q.hash = kClipSha256;  // 64: SHA-256
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/DCIM/clip.mp4"}));
  q.hash = std::string(40, '2');  // notes.txt's MD5 digit, at SHA-1 length: matches nothing
  EXPECT_TRUE(Paths(q).empty());
  q = {};
  q.exhibit = "B/1";
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/DCIM/IMG_0001.JPG", "/DCIM/clip.mp4", "/imagery.dat"}));
  q.mime = "image/";
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/DCIM/IMG_0001.JPG"}));
  q.exhibit = "C/9";
  EXPECT_TRUE(Paths(q).empty());
  q = {};
  q.mismatch_only = true;
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/Users/bob/Pictures/dog.txt"}));
  q = {};
  q.kind = "dir";
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/Users"}));
  q = {};
  q.deleted_only = true;
  q.extension = "txt";
  q.mime = "image/";
  q.exhibit = "A/1";
  EXPECT_EQ(AsSet(Paths(q)), (Set{"/Users/bob/Pictures/dog.txt"}));
}

TEST_F(CaseStoreFileQuery, OrderLimitAndOffset) {
  // Order by exhibit reference, then path (byte order: 'P' < 'n', 'I' < 'c'), from the SetUp rows.
  const std::vector<std::string> all = {"/Users",
                                        "/Users/bob/Pictures/cat.jpg",
                                        "/Users/bob/Pictures/dog.txt",
                                        "/Users/bob/notes.txt",
                                        "/Windows/notepad.exe",
                                        "/DCIM/IMG_0001.JPG",
                                        "/DCIM/clip.mp4",
                                        "/imagery.dat"};
  EXPECT_EQ(Paths({}), all);
  FileQuery q;
  q.limit = 3;
  EXPECT_EQ(Paths(q), std::vector<std::string>(all.begin(), all.begin() + 3));
  q.offset = 2;
  EXPECT_EQ(Paths(q), std::vector<std::string>(all.begin() + 2, all.begin() + 5));
  q.limit = 0;
  EXPECT_TRUE(Paths(q).empty());
  q.limit = -1;  // no limit, but still an offset
  q.offset = 6;
  EXPECT_EQ(Paths(q), std::vector<std::string>(all.begin() + 6, all.end()));
  q = {};
  q.exhibit = "A/1";
  q.limit = 2;
  q.offset = 3;
  EXPECT_EQ(Paths(q), (std::vector<std::string>{"/Users/bob/notes.txt", "/Windows/notepad.exe"}));
  // The visitor stops the walk by returning false.
  int seen = 0;
  ASSERT_TRUE(store_->ForEachFile({}, [&](const FileRow&) { return ++seen < 2; }).ok());
  EXPECT_EQ(seen, 2);
  // CountFiles agrees with the sqlite3 shell on the unfiltered and a filtered count.
  auto n = store_->CountFiles({});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::to_string(*n), SqlOne(path_, "SELECT count(*) FROM file"));
  q = {};
  q.deleted_only = true;
  n = store_->CountFiles(q);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::to_string(*n), SqlOne(path_, "SELECT count(*) FROM file WHERE deleted=1"));
}

// ---------------------------------------------------------------------------------------------------
// The audit chain

// The number in the first "row N" of a message, or -1.
int64_t RowNamed(const std::string& message) {
  static const std::regex re(R"(row (\d+))");
  std::smatch m;
  return std::regex_search(message, m, re) ? std::stoll(m[1]) : -1;
}

TEST(CaseStore, ViewerIndexesAndProgressCountersFollowEveryWrite) {
  // Migration 5: the per-file-system counters must equal counts over the file table after inserts, repeated
  // inserts (ignored) and content results recorded twice; the trigram index of artefact summaries must find
  // what LIKE over the table finds. The expected values are the sqlite3 shell's own counts over the tables.
  testing::TempDir dir;
  const std::string path = dir.File("case.custos");
  {
    auto opened = CaseStore::Open(path, Mode::kCreateOrOpen);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    CaseStore& store = **opened;
    const Layout a = AddLayout(store, "JD/1", "/evidence/a.img");
    const Layout b = AddLayout(store, "JD/2", "/evidence/b.img");
    std::vector<FileRecord> files;
    for (int i = 0; i < 40; ++i) {
      FileRecord f = MakeFile(i % 3 == 0 ? b.filesystem : a.filesystem,
                              "/Users/jdoe/" + std::string(i % 2 ? "Pictures/IMG_" : "Documents/Note_") +
                                  std::to_string(i) + (i % 2 ? ".jpg" : ".txt"));
      f.wants_content = i % 4 != 0;
      files.push_back(f);
    }
    ASSERT_TRUE(store.InsertFiles(files).ok());
    ASSERT_TRUE(store.InsertFiles(files).ok());  // a resumed run: every row exists, nothing is counted twice
    std::vector<ContentResult> done;
    for (int i = 0; i < 40; i += 3) {
      ContentResult r;
      r.filesystem_id = files[static_cast<size_t>(i)].filesystem_id;
      r.file_key = files[static_cast<size_t>(i)].file_key;
      r.content_state = "complete";
      done.push_back(r);
    }
    ASSERT_TRUE(store.ApplyContent(done).ok());
    ASSERT_TRUE(store.ApplyContent(done).ok());  // recorded again (a rerun): counted once
    KindDecl kind;
    kind.kind = "test.note";
    kind.description = "a note";
    ASSERT_TRUE(store.EnsureArtefactKind(kind, "test", "1").ok());
    std::vector<ArtefactRow> rows;
    for (int i = 0; i < 30; ++i) {
      ArtefactRow r;
      r.kind = "test.note";
      r.summary = std::string(i % 2 ? "Visited harbour page " : "Called number ") + std::to_string(i);
      r.location = "row " + std::to_string(i);
      r.parser = "test";
      r.parser_version = "1";
      r.filesystem_id = files[0].filesystem_id;
      r.file_key = files[0].file_key;
      rows.push_back(r);
    }
    ASSERT_TRUE(store.InsertArtefacts(rows).ok());
  }
  const std::string counted =
      "SELECT filesystem_id, count(*), sum(wants_content = 1), sum(wants_content = 1 AND content_state IS NOT NULL)"
      " FROM file GROUP BY filesystem_id ORDER BY filesystem_id";
  const auto expected = Sql(path, counted);
  ASSERT_EQ(expected.size(), 2u);
  EXPECT_EQ(Sql(path, "SELECT filesystem_id, files, wanted, done FROM file_progress ORDER BY filesystem_id"), expected);
  EXPECT_EQ(SqlOne(path, "SELECT sum(done) FROM file_progress"), "10");  // wanted among rows 0, 3, ... 39
  for (const char* text : {"harbour page 1", "CALLED", "_3", "page 2", "number 28"}) {
    SCOPED_TRACE(text);
    const std::string like = std::string("'%") + text + "%'";
    const auto expect = Sql(path, "SELECT id FROM artefact WHERE summary LIKE " + like + " ORDER BY 1");
    EXPECT_FALSE(expect.empty());
    EXPECT_EQ(Sql(path, "SELECT rowid FROM artefact_summary_fts WHERE summary LIKE " + like + " ORDER BY 1"), expect);
  }
}

TEST(CaseStore, AuditChainShowsAnEditADeletionAndASwap) {
  testing::TempDir dir;
  const std::string path = dir.File("case.custos");
  {
    auto store = CaseStore::Open(path, Mode::kCreateOrOpen);
    ASSERT_TRUE(store.ok());
    for (int i = 1; i <= 5; ++i) {
      ASSERT_TRUE(
          (*store)->AppendAudit("DC 4127 Smith", "action " + std::to_string(i), "detail " + std::to_string(i)).ok());
    }
    Status ok = (*store)->VerifyAuditChain();
    EXPECT_TRUE(ok.ok()) << ok.ToString();
  }
  // The chain as the sqlite3 shell sees it: ids 1..5, each row's prev_hash is the hash of the row before.
  const auto rows = Sql(path, "SELECT id, prev_hash, hash, action FROM audit ORDER BY id");
  ASSERT_EQ(rows.size(), 5u);
  for (size_t i = 0; i < rows.size(); ++i) {
    auto cols = rows[i];
    EXPECT_EQ(cols.substr(0, cols.find('|')), std::to_string(i + 1));
    EXPECT_NE(cols.find("|action " + std::to_string(i + 1)), std::string::npos);
    if (i > 0) {
      const std::string prev_hash = cols.substr(cols.find('|') + 1, 64);
      const std::string& before = rows[i - 1];
      const size_t h = before.find('|', before.find('|') + 1) + 1;
      EXPECT_EQ(prev_hash, before.substr(h, 64)) << "row " << i + 1;
    }
  }
  struct Damage {
    const char* name;
    const char* sql;
    int64_t row;  // the row the Corruption must name
  };
  const Damage damages[] = {
      {"edit", "UPDATE audit SET detail = 'nothing to see' WHERE id = 3", 3},
      {"delete", "DELETE FROM audit WHERE id = 3", 3},
      {"swap",
       "UPDATE audit SET id = -2 WHERE id = 2; UPDATE audit SET id = 2 WHERE id = 4; "
       "UPDATE audit SET id = 4 WHERE id = -2",
       2},
  };
  for (const Damage& d : damages) {
    SCOPED_TRACE(d.name);
    const std::string copy = Copy(path, dir, std::string(d.name) + ".custos");
    ASSERT_EQ(RawExec(copy, d.sql), "");
    for (Mode mode : {Mode::kReadOnly, Mode::kReadWrite}) {
      auto store = CaseStore::Open(copy, mode);
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      Status st = (*store)->VerifyAuditChain();
      ASSERT_EQ(st.code(), Status::Code::kCorruption) << st.ToString();
      EXPECT_EQ(RowNamed(st.message()), d.row) << st.ToString();
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Artefact kinds

KindDecl ThingKind() {
  return KindDecl{"test.thing",
                  "a thing found by the test parser",
                  {{"label", FieldType::kText, "what it says"},
                   {"count", FieldType::kInteger, "how many"},
                   {"seen", FieldType::kTime, "when it was seen"},
                   {"score", FieldType::kReal, "how sure"},
                   {"raw", FieldType::kBlob, "its bytes"}}};
}

TEST(CaseStore, ArtefactKindMakesATypedTableAndGrowsIt) {
  testing::TempDir dir;
  const std::string path = dir.File("case.custos");
  auto opened = CaseStore::Open(path, Mode::kCreateOrOpen);
  ASSERT_TRUE(opened.ok());
  CaseStore& store = **opened;
  ASSERT_TRUE(store.EnsureArtefactKind(ThingKind(), "test_parser", "1.0").ok());
  // Times are integer microseconds (artefact.h), so a time field is an INTEGER column.
  const std::string columns = "SELECT name, type FROM pragma_table_info('art_test_thing') ORDER BY cid";
  EXPECT_EQ(Sql(path, columns), (std::vector<std::string>{"artefact_id|INTEGER", "label|TEXT", "count|INTEGER",
                                                          "seen|INTEGER", "score|REAL", "raw|BLOB"}));
  EXPECT_EQ(SqlOne(path,
                   "SELECT kind, parser, parser_version, description, json_array_length(fields), "
                   "json_extract(fields, '$[2].type') FROM artefact_kind"),
            "test.thing|test_parser|1.0|a thing found by the test parser|5|time");
  // Declaring it again changes nothing; one more field adds one column.
  ASSERT_TRUE(store.EnsureArtefactKind(ThingKind(), "test_parser", "1.0").ok());
  EXPECT_EQ(Sql(path, columns).size(), 6u);
  KindDecl grown = ThingKind();
  grown.fields.push_back({"extra", FieldType::kText, "added in version 1.1"});
  ASSERT_TRUE(store.EnsureArtefactKind(grown, "test_parser", "1.1").ok());
  EXPECT_EQ(Sql(path, columns), (std::vector<std::string>{"artefact_id|INTEGER", "label|TEXT", "count|INTEGER",
                                                          "seen|INTEGER", "score|REAL", "raw|BLOB", "extra|TEXT"}));
  EXPECT_EQ(SqlOne(path, "SELECT parser_version, json_array_length(fields) FROM artefact_kind"), "1.1|6");

  // Field names that are SQL keywords or start with a digit are valid by the rule (lowercase letters,
  // digits, '_') and must work: a chat message has a "from" and a "to".
  KindDecl chat{"chat.message",
                "",
                {{"from", FieldType::kText, ""},
                 {"to", FieldType::kText, ""},
                 {"order", FieldType::kInteger, ""},
                 {"2fa", FieldType::kInteger, ""}}};
  Status st = store.EnsureArtefactKind(chat, "test_parser", "1.0");
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(Sql(path, "SELECT name FROM pragma_table_info('art_chat_message') ORDER BY cid"),
            (std::vector<std::string>{"artefact_id", "from", "to", "order", "2fa"}));
}

TEST(CaseStore, BadArtefactKindsAndFieldsAreRefused) {
  testing::TempDir dir;
  const std::string path = dir.File("case.custos");
  auto opened = CaseStore::Open(path, Mode::kCreateOrOpen);
  ASSERT_TRUE(opened.ok());
  CaseStore& store = **opened;
  const std::string tables = "SELECT group_concat(name) FROM sqlite_master WHERE type='table'";
  const std::string before = SqlOne(path, tables);
  for (const char* kind : {"Bad Kind", "x;drop", "", "Upper.case", "a-b.c", "x\"y", "test.thing;DROP TABLE file"}) {
    KindDecl decl = ThingKind();
    decl.kind = kind;
    Status st = store.EnsureArtefactKind(decl, "p", "1");
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << "kind '" << kind << "': " << st.ToString();
  }
  for (const char* field : {"Label", "two words", "x;drop", "", "artefact_id", "a-b", "x\"y"}) {
    KindDecl decl = ThingKind();
    decl.kind = "test.fields";
    decl.fields.push_back({field, FieldType::kText, ""});
    Status st = store.EnsureArtefactKind(decl, "p", "1");
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << "field '" << field << "': " << st.ToString();
  }
  // The same field twice in one declaration.
  KindDecl twice = ThingKind();
  twice.kind = "test.twice";
  twice.fields.push_back({"label", FieldType::kInteger, ""});
  Status st = store.EnsureArtefactKind(twice, "p", "1");
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << st.ToString();
  // Nothing was created or recorded by the refused declarations.
  EXPECT_EQ(SqlOne(path, tables), before);
  EXPECT_EQ(SqlOne(path, "SELECT count(*) FROM artefact_kind"), "0");

  // Two kinds whose table names would be the same ("art_test_thing") must not share one table.
  ASSERT_TRUE(store.EnsureArtefactKind(ThingKind(), "p", "1").ok());
  KindDecl lookalike{"test_thing", "", {{"other", FieldType::kText, ""}}};
  st = store.EnsureArtefactKind(lookalike, "p", "1");
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << st.ToString();
  EXPECT_EQ(Sql(path, "SELECT name FROM pragma_table_info('art_test_thing') WHERE name = 'other'").size(), 0u);
}

TEST(CaseStore, InsertArtefactsWritesCommonAndTypedRowsOnce) {
  testing::TempDir dir;
  const std::string path = dir.File("case.custos");
  auto opened = CaseStore::Open(path, Mode::kCreateOrOpen);
  ASSERT_TRUE(opened.ok());
  CaseStore& store = **opened;
  const Layout l = AddLayout(store, "JD/1", "/evidence/disk.raw");
  ASSERT_TRUE(store.InsertFiles({MakeFile(l.filesystem, "/Users/bob/NTUSER.DAT")}).ok());
  ASSERT_TRUE(store.EnsureArtefactKind(ThingKind(), "test_parser", "1.0").ok());
  ASSERT_TRUE(store.EnsureArtefactKind(KindDecl{"test.empty", "never found", {}}, "test_parser", "1.0").ok());

  ArtefactRow r;
  r.kind = "test.thing";
  r.time = 1700000000000000;
  r.time_zone_note = "UTC+01:00";
  r.summary = "thing one";
  r.location = "record 1";
  r.values = {std::string("hello"), int64_t{42}, int64_t{1600000000000000}, 2.5, std::vector<uint8_t>{0, 1, 2, 255}};
  r.filesystem_id = l.filesystem;
  r.file_key = "/Users/bob/NTUSER.DAT";
  r.parser = "test_parser";
  r.parser_version = "1.0";
  ArtefactRow r2 = r;
  r2.summary = "thing two";
  r2.location = "record 2";
  r2.time.reset();
  r2.time_zone_note.clear();
  r2.values = {std::monostate{}, int64_t{-7}, std::monostate{}, 0.125, std::monostate{}};
  ASSERT_TRUE(store.InsertArtefacts({r, r2}).ok());
  ASSERT_TRUE(store.InsertArtefacts({r, r2}).ok());  // a resumed run: nothing twice

  const std::string joined =
      "SELECT a.kind, f.path, ifnull(a.time,'null'), ifnull(a.time_zone_note,'null'), a.summary, a.location, "
      "a.parser, a.parser_version, ifnull(t.label,'null'), t.count, ifnull(t.seen,'null'), t.score, hex(t.raw), "
      "typeof(t.label), typeof(t.count), typeof(t.score), typeof(t.raw) "
      "FROM artefact a JOIN art_test_thing t ON t.artefact_id = a.id JOIN file f ON f.id = a.file_id ORDER BY a.id";
  EXPECT_EQ(
      Sql(path, joined),
      (std::vector<std::string>{
          "test.thing|/Users/bob/NTUSER.DAT|1700000000000000|UTC+01:00|thing one|record 1|test_parser|1.0|hello|"
          "42|1600000000000000|2.5|000102FF|text|integer|real|blob",
          "test.thing|/Users/bob/NTUSER.DAT|null|null|thing two|record 2|test_parser|1.0|null|-7|null|0.125||null|"
          "integer|real|null"}));
  EXPECT_EQ(SqlOne(path, "SELECT (SELECT count(*) FROM artefact), (SELECT count(*) FROM art_test_thing)"), "2|2");

  // A wrong number of values is refused and writes nothing.
  ArtefactRow bad = r;
  bad.summary = "short";
  bad.values.pop_back();
  Status st = store.InsertArtefacts({bad});
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << st.ToString();
  // An undeclared kind too.
  ArtefactRow unknown = r;
  unknown.kind = "test.undeclared";
  st = store.InsertArtefacts({unknown});
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << st.ToString();
  EXPECT_EQ(SqlOne(path, "SELECT count(*) FROM artefact"), "2");

  // The kind grows a field: rows now need six values, and the old rows keep NULL in the new column.
  KindDecl grown = ThingKind();
  grown.fields.push_back({"extra", FieldType::kText, ""});
  ASSERT_TRUE(store.EnsureArtefactKind(grown, "test_parser", "1.1").ok());
  st = store.InsertArtefacts({bad});  // five values for six fields now
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << st.ToString();
  ArtefactRow r3 = r;
  r3.summary = "thing three";
  r3.values.emplace_back(std::in_place_type<std::string>, "more");
  st = store.InsertArtefacts({r3});
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(Sql(path,
                "SELECT a.summary, ifnull(t.extra,'null') FROM artefact a JOIN art_test_thing t "
                "ON t.artefact_id = a.id ORDER BY a.id"),
            (std::vector<std::string>{"thing one|null", "thing two|null", "thing three|more"}));

  // Counts for every declared kind, zero included (three rows of test.thing were inserted above).
  auto counts = store.ArtefactCounts();
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  std::map<std::string, int64_t> got(counts->begin(), counts->end());
  EXPECT_EQ(got, (std::map<std::string, int64_t>{{"test.empty", 0}, {"test.thing", 3}}));
}

// ---------------------------------------------------------------------------------------------------
// The writer thread

// A case with one exhibit, volume and file system made through the writer; returns the file system id.
int64_t LayoutThroughWriter(StoreWriter& writer) {
  int64_t fs_id = 0;
  Status st = writer.Call([&](CaseStore& store) {
    fs_id = AddLayout(store, "JD/1", "/evidence/disk.raw").filesystem;
    return fs_id > 0 ? Status::Ok() : Status::Internal("no layout");
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return fs_id;
}

TEST(StoreWriter, EveryRowFromFourThreadsLandsExactlyOnce) {
  testing::TempDir dir;
  const std::string path = dir.File("case.custos");
  auto store = CaseStore::Open(path, Mode::kCreateOrOpen);
  ASSERT_TRUE(store.ok());
  StoreWriter::Options options;
  options.batch_rows = 700;  // many batches...
  options.max_latency_ms = 20;
  options.queue_capacity = 300;  // ...and producers that block on a full queue
  StoreWriter writer(std::move(*store), options);
  const int64_t fs_id = LayoutThroughWriter(writer);
  constexpr int kThreads = 4, kPerThread = 5000;
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        writer.Add(MakeFile(fs_id, "/t" + std::to_string(t) + "/f" + std::to_string(i)));
        if (i % 1000 == 0) {
          ErrorRecord e;
          e.stage = "read";
          e.source = "/t" + std::to_string(t) + "/f" + std::to_string(i);
          e.location = "offset 0";
          e.message = "test";
          e.advice = "none";
          writer.Add(e);
        }
      }
    });
  }
  for (auto& p : producers) p.join();
  Status st = writer.Close();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(writer.rows_written(), kThreads * kPerThread + kThreads * 5);
  EXPECT_EQ(SqlOne(path, "SELECT count(*), count(DISTINCT file_key) FROM file"),
            std::to_string(kThreads * kPerThread) + "|" + std::to_string(kThreads * kPerThread));
  std::set<std::string> expected, got;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) expected.insert("/t" + std::to_string(t) + "/f" + std::to_string(i));
  }
  for (const auto& key : Sql(path, "SELECT file_key FROM file")) got.insert(key);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(SqlOne(path, "SELECT count(*) FROM error"), std::to_string(kThreads * 5));
  EXPECT_EQ(SqlOne(path, "PRAGMA integrity_check"), "ok");
  EXPECT_TRUE(writer.Close().ok());  // idempotent
}

TEST(StoreWriter, CallRunsAfterWhatWasQueuedBeforeIt) {
  testing::TempDir dir;
  const std::string path = dir.File("case.custos");
  auto store = CaseStore::Open(path, Mode::kCreateOrOpen);
  ASSERT_TRUE(store.ok());
  StoreWriter::Options options;
  options.batch_rows = 1000000;    // no batch would be committed on its own within the test...
  options.max_latency_ms = 60000;  // ...nor by age
  StoreWriter writer(std::move(*store), options);
  const int64_t fs_id = LayoutThroughWriter(writer);
  for (int i = 0; i < 250; ++i) writer.Add(MakeFile(fs_id, "/f" + std::to_string(i)));
  // Count with raw sqlite3 on the writer's own connection, inside the Call.
  int64_t seen = -1;
  Status st = writer.Call([&](CaseStore& s) {
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(s.raw_handle(), "SELECT count(*) FROM file", -1, &q, nullptr);
    if (sqlite3_step(q) == SQLITE_ROW) seen = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(seen, 250);
  // And they are committed: another connection sees them.
  EXPECT_EQ(SqlOne(path, "SELECT count(*) FROM file"), "250");

  // A Call runs in its own transaction: its Status comes back, and a failing one leaves nothing.
  st = writer.Call([](CaseStore& s) {
    Status audit = s.AppendAudit("test", "half-done", "rolled back");
    return audit.ok() ? Status::NotFound("the step failed") : audit;
  });
  EXPECT_EQ(st.code(), Status::Code::kNotFound) << st.ToString();
  EXPECT_EQ(SqlOne(path, "SELECT count(*) FROM audit WHERE action = 'half-done'"), "0");
  EXPECT_TRUE(writer.Close().ok());
}

TEST(StoreWriter, AWriteFailureIsReportedByErrorAndClose) {
  testing::TempDir dir;
  const std::string path = dir.File("case.custos");
  auto store = CaseStore::Open(path, Mode::kCreateOrOpen);
  ASSERT_TRUE(store.ok());
  StoreWriter writer(std::move(*store));
  const int64_t fs_id = LayoutThroughWriter(writer);
  EXPECT_TRUE(writer.error().ok());
  writer.Add(MakeFile(fs_id, "/ok.txt"));
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_TRUE(writer.error().ok());
  // An artefact of a kind nobody declared: the batch holding it cannot be written.
  ArtefactRow r;
  r.kind = "test.undeclared";
  r.summary = "x";
  r.filesystem_id = fs_id;
  r.file_key = "/ok.txt";
  r.parser = "p";
  r.parser_version = "1";
  writer.Add(MakeFile(fs_id, "/in-the-failed-batch.txt"));
  writer.Add(r);
  const Status flushed = writer.Flush();
  EXPECT_FALSE(flushed.ok());  // Flush reports the failed batch it waited for
  const Status err = writer.error();
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(flushed.message(), err.message());
  EXPECT_EQ(err.code(), Status::Code::kInvalidArgument) << err.ToString();
  EXPECT_NE(err.message().find("test.undeclared"), std::string::npos) << err.ToString();
  writer.Add(MakeFile(fs_id, "/after-the-failure.txt"));  // dropped: the writer has stopped writing
  const Status closed = writer.Close();
  EXPECT_EQ(closed.code(), err.code());
  EXPECT_EQ(closed.message(), err.message());
  EXPECT_EQ(writer.Close().message(), err.message());
  // The failed batch was rolled back whole; the case file is intact and holds what came before.
  EXPECT_EQ(Sql(path, "SELECT path FROM file ORDER BY path"), (std::vector<std::string>{"/ok.txt"}));
  EXPECT_EQ(SqlOne(path, "PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace custos
