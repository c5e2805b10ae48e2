#!/usr/bin/env python3
"""Prints a case file's findings in a canonical, id-free form, one sorted line per row, so that two runs of
the same triage can be compared: row ids are replaced by the natural keys they stand for, and what differs
by design between runs (run and audit rows, creation times) is left out. Independent of Custos: it reads
the case with Python's own sqlite3 module, read-only."""
import sqlite3
import sys


def main(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    q = db.execute
    volume = {vid: f"{ex}/{parent}/{kind}/{idx}/{off}" for vid, ex, parent, kind, idx, off in q(
        "SELECT v.id, e.reference, v.parent_volume_id, v.kind, v.idx, v.offset_bytes FROM volume v "
        "JOIN exhibit e ON e.id = v.exhibit_id")}
    fsys = {fid: f"{volume[vid]}@{off}:{typ}" for fid, vid, off, typ in q(
        "SELECT id, volume_id, offset_bytes, type FROM filesystem")}
    files = {fid: f"{fsys[fs]}#{key}" for fid, fs, key in q("SELECT id, filesystem_id, file_key FROM file")}
    lines = []

    def rows(table, skip, rename=None):
        cur = q(f"SELECT * FROM {table}")
        cols = [d[0] for d in cur.description]
        for row in cur:
            out = []
            for c, v in zip(cols, row):
                if c in skip:
                    continue
                if rename and c in rename and v not in (None, 0):
                    v = rename[c].get(v, f"<dangling {v}>")
                out.append(f"{c}={v!r}")
            lines.append(f"{table}: " + " ".join(out))

    rows("case_info", {"created"})
    rows("exhibit", {"id", "added"})
    rows("volume", {"id", "exhibit_id", "parent_volume_id"})
    rows("filesystem", {"id"}, {"volume_id": volume})
    rows("file", {"id"}, {"filesystem_id": fsys, "container_file_id": files})
    rows("error", {"id", "created"}, {"filesystem_id": fsys})
    rows("artefact_kind", set())
    artefacts = {}
    for aid, kind, fid, loc, summary in q("SELECT id, kind, file_id, location, summary FROM artefact"):
        artefacts[aid] = f"{kind}|{files.get(fid, fid)}|{loc}|{summary}"
    rows("artefact", {"id"}, {"file_id": files})
    for (table,) in q("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'art\\_%' ESCAPE '\\'"):
        rows(table, set(), {"artefact_id": artefacts})
    for table, ref in (("hash_hit", {"file_id": files}), ("keyword_hit", {"file_id": files, "volume_id": volume}),
                       ("thumbnail", {"file_id": files}), ("file_progress", {"filesystem_id": fsys})):
        if q("SELECT count(*) FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]:
            rows(table, {"id", "created"}, ref)
    for line in sorted(lines):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1])
