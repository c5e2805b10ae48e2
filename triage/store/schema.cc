// Schema migrations of the case file (see schema.h). Times are INTEGER microseconds since the Unix
// epoch, UTC; hashes lowercase hex; JSON columns hold arrays or objects as text.
#include "triage/store/schema.h"

namespace custos {

const std::vector<std::string_view>& SchemaMigrations() {
  static const std::vector<std::string_view> migrations = {
      // 1: the triage engine (issue 2).
      R"sql(
CREATE TABLE case_info (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  case_reference TEXT, operation TEXT, officer TEXT,
  custody_start INTEGER, custody_limit INTEGER,
  created INTEGER NOT NULL, tool_version TEXT NOT NULL
);
CREATE TABLE run (
  id INTEGER PRIMARY KEY,
  started INTEGER NOT NULL, finished INTEGER,
  tool_version TEXT NOT NULL, command_line TEXT NOT NULL, parameters TEXT NOT NULL, outcome TEXT NOT NULL
);
CREATE TABLE exhibit (
  id INTEGER PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  format TEXT NOT NULL,
  sources TEXT NOT NULL,
  size_bytes INTEGER NOT NULL, sector_size INTEGER NOT NULL,
  acquisition TEXT NOT NULL,
  stored_md5 TEXT, stored_sha1 TEXT, computed_md5 TEXT, computed_sha1 TEXT,
  verification TEXT NOT NULL,
  state TEXT NOT NULL,
  added INTEGER NOT NULL
);
CREATE TABLE volume (
  id INTEGER PRIMARY KEY,
  exhibit_id INTEGER NOT NULL REFERENCES exhibit(id),
  parent_volume_id INTEGER NOT NULL DEFAULT 0,
  idx INTEGER NOT NULL, kind TEXT NOT NULL, scheme TEXT NOT NULL,
  offset_bytes INTEGER NOT NULL, length_bytes INTEGER NOT NULL, description TEXT NOT NULL,
  UNIQUE (exhibit_id, parent_volume_id, kind, idx, offset_bytes)
);
CREATE TABLE filesystem (
  id INTEGER PRIMARY KEY,
  volume_id INTEGER NOT NULL REFERENCES volume(id),
  offset_bytes INTEGER NOT NULL, type TEXT NOT NULL,
  label TEXT, serial TEXT, block_size INTEGER, block_count INTEGER, root_inum INTEGER, note TEXT,
  walk_complete INTEGER NOT NULL DEFAULT 0,
  UNIQUE (volume_id, offset_bytes, type)
);
CREATE TABLE file (
  id INTEGER PRIMARY KEY,
  filesystem_id INTEGER NOT NULL REFERENCES filesystem(id),
  container_file_id INTEGER REFERENCES file(id),
  file_key TEXT NOT NULL,
  path TEXT NOT NULL, name TEXT NOT NULL, extension TEXT NOT NULL, kind TEXT NOT NULL,
  meta_addr INTEGER NOT NULL, meta_seq INTEGER NOT NULL, attr_type INTEGER NOT NULL, attr_id INTEGER NOT NULL,
  stream_name TEXT,
  allocated INTEGER NOT NULL, deleted INTEGER NOT NULL, orphan INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime INTEGER, atime INTEGER, ctime INTEGER, crtime INTEGER,
  fn_mtime INTEGER, fn_atime INTEGER, fn_ctime INTEGER, fn_crtime INTEGER,
  priority INTEGER NOT NULL, disk_offset INTEGER NOT NULL, wants_content INTEGER NOT NULL,
  md5 TEXT, sha1 TEXT, sha256 TEXT, mime TEXT, type_description TEXT,
  extension_mismatch INTEGER NOT NULL DEFAULT 0,
  content_state TEXT, bytes_read INTEGER,
  UNIQUE (filesystem_id, file_key)
);
CREATE INDEX file_path ON file(path);
CREATE INDEX file_md5 ON file(md5) WHERE md5 IS NOT NULL;
CREATE INDEX file_sha1 ON file(sha1) WHERE sha1 IS NOT NULL;
CREATE INDEX file_sha256 ON file(sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX file_extension ON file(extension);
CREATE INDEX file_mime ON file(mime);
CREATE INDEX file_deleted ON file(deleted) WHERE deleted = 1;
CREATE TABLE error (
  id INTEGER PRIMARY KEY,
  exhibit_id INTEGER NOT NULL DEFAULT 0, filesystem_id INTEGER NOT NULL DEFAULT 0,
  stage TEXT NOT NULL, source TEXT NOT NULL, location TEXT NOT NULL, message TEXT NOT NULL, advice TEXT NOT NULL,
  created INTEGER NOT NULL,
  UNIQUE (exhibit_id, filesystem_id, stage, source, location, message)
);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE artefact_kind (
  kind TEXT PRIMARY KEY, parser TEXT NOT NULL, parser_version TEXT NOT NULL, description TEXT NOT NULL,
  fields TEXT NOT NULL
);
CREATE TABLE artefact (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL REFERENCES artefact_kind(kind),
  file_id INTEGER REFERENCES file(id),
  time INTEGER, time_zone_note TEXT, summary TEXT NOT NULL, location TEXT NOT NULL,
  parser TEXT NOT NULL, parser_version TEXT NOT NULL,
  UNIQUE (file_id, parser, kind, location, summary)
);
CREATE INDEX artefact_kind_time ON artefact(kind, time);
CREATE INDEX artefact_time ON artefact(time);
)sql",
      // 2: what the officer and the searches add to the files and artefacts (issues 5, 6 and 7).
      R"sql(
-- A tag marks any file, artefact or keyword hit for the case; one row per (target, label).
CREATE TABLE tag (
  id INTEGER PRIMARY KEY,
  target TEXT NOT NULL CHECK (target IN ('file', 'artefact', 'keyword_hit')),
  target_id INTEGER NOT NULL,
  label TEXT NOT NULL CHECK (label IN ('evidential', 'relevant', 'exculpatory', 'disclosure_review')),
  note TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL, created INTEGER NOT NULL, modified INTEGER NOT NULL,
  UNIQUE (target, target_id, label)
);
CREATE INDEX tag_label ON tag(label);
-- The officer's grade of a picture for the charging decision (A, B, C), or why it has none.
CREATE TABLE picture_grade (
  file_id INTEGER PRIMARY KEY REFERENCES file(id),
  grade TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C', 'not_relevant', 'needs_review')),
  author TEXT NOT NULL, graded INTEGER NOT NULL
);
-- A file whose hash is in an imported hash set.
CREATE TABLE hash_hit (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES file(id),
  set_name TEXT NOT NULL,
  set_kind TEXT NOT NULL CHECK (set_kind IN ('known_bad', 'known_good')),
  category TEXT NOT NULL DEFAULT '',
  algorithm TEXT NOT NULL CHECK (algorithm IN ('md5', 'sha1', 'sha256')),
  hash TEXT NOT NULL,
  UNIQUE (file_id, set_name, algorithm)
);
CREATE INDEX hash_hit_kind ON hash_hit(set_kind, category);
-- A keyword, regular expression or validated entity (e-mail, card, IBAN...) found in content. file_id is
-- NULL for unallocated space; offset_bytes is then from the start of the volume, else of the file.
CREATE TABLE keyword_hit (
  id INTEGER PRIMARY KEY,
  term TEXT NOT NULL,
  term_kind TEXT NOT NULL,
  file_id INTEGER REFERENCES file(id),
  volume_id INTEGER NOT NULL DEFAULT 0,
  offset_bytes INTEGER NOT NULL,
  encoding TEXT NOT NULL,
  match TEXT NOT NULL,
  context TEXT NOT NULL,
  created INTEGER NOT NULL
);
CREATE UNIQUE INDEX keyword_hit_key ON keyword_hit(term, term_kind, ifnull(file_id, 0), volume_id, offset_bytes, encoding);
CREATE INDEX keyword_hit_file ON keyword_hit(file_id);
-- A small JPEG of each picture for the gallery, with the original's size, or why it could not be made.
CREATE TABLE thumbnail (
  file_id INTEGER PRIMARY KEY REFERENCES file(id),
  width INTEGER, height INTEGER,
  jpeg BLOB,
  error TEXT
);
)sql",
      // 3: requests for a full examination by a forensic supplier, and their status changes (issue 7).
      R"sql(
CREATE TABLE exam_request (
  id INTEGER PRIMARY KEY,
  exhibit_id INTEGER NOT NULL REFERENCES exhibit(id),
  supplier TEXT NOT NULL,
  priority TEXT NOT NULL CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
  examine TEXT NOT NULL,
  questions TEXT NOT NULL,  -- JSON array of strings
  deadline INTEGER,
  deadline_kind TEXT NOT NULL DEFAULT '' CHECK (deadline_kind IN ('', 'custody', 'court', 'other')),
  image_md5 TEXT NOT NULL, image_sha1 TEXT NOT NULL,  -- the exhibit's image hashes when the request was made
  legal_authority TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'accepted', 'in_progress', 'results_received', 'closed')),
  author TEXT NOT NULL, created INTEGER NOT NULL, modified INTEGER NOT NULL
);
CREATE TABLE exam_request_event (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES exam_request(id),
  at INTEGER NOT NULL, actor TEXT NOT NULL,
  from_status TEXT NOT NULL, to_status TEXT NOT NULL, note TEXT NOT NULL
);
CREATE INDEX exam_request_event_request ON exam_request_event(request_id);
)sql",
      // 4: owner and permissions of each file, from its metadata entry, for the bodyfile (issue 7). NULL on
      // rows walked before this migration, and where there is no metadata entry (logical sources, archives).
      R"sql(
ALTER TABLE file ADD COLUMN mode INTEGER;  -- TSK's meta->mode: the permission bits (07777)
ALTER TABLE file ADD COLUMN uid INTEGER;
ALTER TABLE file ADD COLUMN gid INTEGER;
ALTER TABLE file ADD COLUMN mode_text TEXT;  -- as fls -m writes it, e.g. 'r/rrw-r--r--'
)sql",
  };
  return migrations;
}

}  // namespace custos
