#!/usr/bin/env bash
# Renders the README's screenshots of the viewer (docs/screenshots/): a case made from the viewer's test evidence
# (tests/fixtures/make-viewer-evidence.sh, exhibit VW/1) and the read-back test evidence
# (tests/fixtures/make-readback-evidence.sh, exhibit VW/2, carved, with its unallocated space), a few grades and
# tags made with `custos grade` and `custos tag`, and one known-bad hash hit written with the sqlite3 shell (as a
# hash-set import would). Needs xvfb-run.
# Usage: scripts/viewer-screenshots.sh BUILD_DIR [OUT_DIR] [CORPUS_DIR]
set -euo pipefail
build=${1:?usage: viewer-screenshots.sh BUILD_DIR [OUT_DIR] [CORPUS_DIR]}
src=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$src/docs/screenshots}
corpus=${3:-$src/../shared/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
custos="$build/triage/custos"
viewer="$build/gui/custos-viewer"
"$src/tests/fixtures/make-viewer-evidence.sh" "$corpus" "$work/viewer.img"
"$src/tests/fixtures/make-readback-evidence.sh" "$work/rb" >/dev/null
case="$work/OP-ELM.custos"
"$custos" triage --quiet --case "$case" --exhibit VW/1 --case-ref OP-ELM-2026-0042 --operation ELM \
  --officer "DC 4127 Smith" --custody-start "$(date -u -d '-9 hours' +%Y-%m-%dT%H:%M:%SZ)" "$work/viewer.img"
"$custos" triage --quiet --carve --unallocated --case "$case" --exhibit VW/2 "$work/rb/volume.img"
id() { sqlite3 "$case" "SELECT id FROM file WHERE path = '$1' ORDER BY id LIMIT 1"; }
"$custos" grade "$case" --file "$(id /Users/jdoe/Pictures/IMG_0001.jpg)" --grade B --by "DC 4127 Smith" >/dev/null
"$custos" grade "$case" --file "$(id /Users/jdoe/Pictures/IMG_0003.jpg)" --grade not_relevant --by "DC 4127 Smith" >/dev/null
"$custos" grade "$case" --file "$(id /Users/jdoe/Pictures/Holiday/deleted-later.jpg)" --grade needs_review \
  --by "DC 4127 Smith" >/dev/null
"$custos" tag "$case" --file "$(id /Users/jdoe/Documents/notes.txt)" --label evidential \
  --note "meeting at the harbour, matches the phone call" --by "DC 4127 Smith" >/dev/null
"$custos" tag "$case" --file "$(id /docs/bundle.zip/inner/photo.jpg)" --label relevant \
  --note "picture hidden in an archive" --by "DC 4127 Smith" >/dev/null
sqlite3 "$case" "INSERT INTO hash_hit (file_id, set_name, set_kind, category, algorithm, hash)
  SELECT id, 'CAID sample', 'known_bad', 'CAID category 1', 'md5', md5 FROM file
  WHERE path = '/Users/jdoe/Pictures/diagram.png'"
shot() {  # NAME VIEW [VIEW_ARG] [SCRIPT_LINES...]
  local name=$1 view=$2 arg=${3:-}
  shift 3 || shift $#
  local args=(--view "$view" --officer "DC 4127 Smith")
  [ -n "$arg" ] && args+=(--view-arg "$arg")
  if [ $# -gt 0 ]; then
    printf '%s\n' "$@" "screenshot $out/$name.png" > "$work/$name.keys"
    xvfb-run -a -s '-screen 0 1400x900x24' "$viewer" "$case" "${args[@]}" --script "$work/$name.keys"
  else
    xvfb-run -a -s '-screen 0 1400x900x24' "$viewer" "$case" "${args[@]}" --screenshot "$out/$name.png"
  fi
  echo "$out/$name.png"
}
mkdir -p "$out"
shot dashboard dashboard ""
shot artefacts artefacts browser.download wait "key down" wait
shot files files /Users/jdoe/Documents wait "key down" wait "key x" wait
shot files-archive-member files inside=/docs/bundle.zip wait "key down" wait "key v" wait
shot files-carved files inside=/\$Unallocated wait "key down" wait "key h" wait
shot gallery gallery "" wait "key right" wait
shot timeline timeline ""
shot hits hits search wait "key ctrl+f" "type photo" "key enter" wait
shot tags tags ""
