#!/usr/bin/env bash
# The viewer's heavy queries on a case with a million file rows (and 200,000 artefacts added here), timed with
# the sqlite3 shell: the timeline's count, histogram and a deep page; "search everything"; the dashboard's
# per-exhibit progress. Each is shown with its EXPLAIN QUERY PLAN, and beside it the query as the viewer ran it
# before schema migration 5 (a scan of the tables), for comparison.
# Usage: bench/viewer-queries.sh BUILD_DIR [FILES] [KEEP.custos]  (KEEP: keep the case there, or reuse it)
set -euo pipefail
build=${1:?usage: viewer-queries.sh BUILD_DIR [FILES] [KEEP.custos]}
files=${2:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=${3:-$work/bench.custos}
if [ -s "$db" ]; then
  echo "reusing $db"
else
/usr/bin/time -f "case made in %e s (with migration 5's indexes, counters and artefact summary index)" \
  "$build/bench/custos-bench-viewer-case" "$db" "$files"
# 200,000 timed artefacts with one-line summaries, inserted by SQL (the triggers index their summaries).
sqlite3 "$db" "INSERT INTO artefact_kind VALUES ('bench.event', 'bench', '1', 'generated', '[]');
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
  INSERT INTO artefact (kind, file_id, time, summary, location, parser, parser_version)
  SELECT 'bench.event', i, (1550000000 + i * 331) * 1000000, 'visit https://example.org/page' || i || ' by user' || (i % 50),
         'row ' || i, 'bench', '1' FROM n;"
fi
ls -l "$db" | awk '{print "case file: " $5 " bytes"}'
# The timeline's events (artefacts, file modified, file created) as the viewer builds them now, and before.
events="SELECT time AS t, 0 AS src, id FROM artefact WHERE time IS NOT NULL
  UNION ALL SELECT mtime, 1, id FROM file WHERE mtime IS NOT NULL
  UNION ALL SELECT crtime, 4, id FROM file WHERE crtime IS NOT NULL"
old_events="SELECT time AS t, 'artefact' AS source, kind, summary AS what, 'artefact' AS target, id FROM artefact
  WHERE time IS NOT NULL UNION ALL SELECT mtime, 'file', 'file modified', path, 'file', id FROM file WHERE mtime IS NOT NULL
  UNION ALL SELECT crtime, 'file', 'file created', path, 'file', id FROM file WHERE crtime IS NOT NULL"
run() {  # LABEL SQL
  echo "== $1"
  sqlite3 "$db" "EXPLAIN QUERY PLAN $2" | sed 's/^/   plan: /'
  printf '.timer on\n%s;\n' "$2" | sqlite3 "$db" | { grep -E '^Run Time' || true; } | tail -1 | sed 's/^/   /'
}
run "timeline count (now)" "SELECT count(*) FROM ($events)"
run "timeline count (before: the same union over the tables)" "SELECT count(*) FROM ($old_events)"
run "timeline histogram (now)" "SELECT (t - 1500000000000000) * 120 / 200000000000000 AS bar, count(*) FROM ($events) GROUP BY bar"
run "timeline page at row 1,000,000 (now)" "SELECT e.id, CASE e.src WHEN 0 THEN (SELECT summary FROM artefact WHERE id = e.id)
  ELSE (SELECT path FROM file WHERE id = e.id) END FROM ($events ORDER BY 1, 3 LIMIT 256 OFFSET 1000000) e ORDER BY e.t, e.id"
run "timeline page at row 1,000,000 (before)" "SELECT id, t, source, kind, what FROM ($old_events) ORDER BY t, id LIMIT 256 OFFSET 1000000"
run "timeline, text filter 'file09999' (now)" "SELECT count(*) FROM (SELECT time AS t, 0 AS src, id FROM artefact WHERE time IS NOT NULL
  AND id IN (SELECT rowid FROM artefact_summary_fts WHERE summary LIKE '%file09999%') UNION ALL SELECT mtime, 1, id FROM file
  WHERE mtime IS NOT NULL AND path LIKE '%file09999%')"
search="SELECT 'file', id, path FROM file WHERE path LIKE '%0123456%'
  UNION ALL SELECT 'artefact', id, summary FROM artefact WHERE id IN (SELECT rowid FROM artefact_summary_fts WHERE summary LIKE '%page12345 %')"
run "search everything, files and artefacts (now)" "SELECT count(*) FROM ($search)"
run "search everything (before: LIKE over the tables)" "SELECT count(*) FROM (SELECT id FROM file WHERE path LIKE '%0123456%'
  UNION ALL SELECT id FROM artefact WHERE summary LIKE '%page12345 %')"
run "dashboard progress per exhibit (now)" "SELECT e.reference, ifnull(p.files, 0), ifnull(p.wanted, 0), ifnull(p.done, 0) FROM exhibit e
  LEFT JOIN (SELECT v.exhibit_id, sum(c.files) AS files, sum(c.wanted) AS wanted, sum(c.done) AS done FROM file_progress c
  JOIN filesystem fs ON fs.id = c.filesystem_id JOIN volume v ON v.id = fs.volume_id GROUP BY v.exhibit_id) p ON p.exhibit_id = e.id"
run "dashboard progress per exhibit (before)" "SELECT e.reference, (SELECT count(*) FROM file f JOIN filesystem fs ON fs.id = f.filesystem_id
  JOIN volume v ON v.id = fs.volume_id WHERE v.exhibit_id = e.id), (SELECT count(*) FROM file f JOIN filesystem fs ON
  fs.id = f.filesystem_id JOIN volume v ON v.id = fs.volume_id WHERE v.exhibit_id = e.id AND f.wants_content = 1 AND
  f.content_state IS NOT NULL) FROM exhibit e"
