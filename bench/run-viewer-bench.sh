#!/usr/bin/env bash
# The viewer's frame time while scrolling a million file rows: makes the case with custos-bench-viewer-case,
# then, under xvfb-run (Mesa's software OpenGL), opens the Files view on the folder of a million files and
# presses Page Down every other frame for N frames, printing the frame times (CPU + glFinish).
# Usage: bench/run-viewer-bench.sh BUILD_DIR [FILES] [FRAMES] [CASE]  (CASE: an existing bench case to reuse,
# e.g. the one bench/viewer-queries.sh kept, with its artefacts)
set -euo pipefail
build=${1:?usage: run-viewer-bench.sh BUILD_DIR [FILES] [FRAMES] [CASE]}
files=${2:-1000000}
frames=${3:-600}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case=${4:-$work/bench.custos}
if [ ! -s "$case" ]; then
  /usr/bin/time -f "case made in %e s, peak %M KB" "$build/bench/custos-bench-viewer-case" "$case" "$files"
fi
for view in "files --view-arg /bench" "timeline" "dashboard" "tags"; do
  echo "== view ${view%% *}"
  # shellcheck disable=SC2086
  /usr/bin/time -f "viewer: %e s wall, peak %M KB" xvfb-run -a -s '-screen 0 1400x900x24' \
    "$build/gui/custos-viewer" "$case" --view $view --bench-scroll "$frames"
done
