#!/usr/bin/env bash
# Fuzzes every artefact parser, the evidence entry points and the picture decoders with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer, each for a fixed time budget, seeded with the corpus samples.
# Usage: tests/fuzz/run-fuzz.sh [SECONDS_PER_TARGET=60] [BUILD_DIR=build-fuzz] [PARSER...]
# Memory: custos-parse caps a parser's address space at 4 GiB, so an allocation a file asks for beyond that
# fails there cleanly; the fuzz limits are the same (-rss_limit_mb and -malloc_limit_mb 4096).
# Findings (crash-*, timeout-*, leak-*, oom-* inputs) are kept in BUILD_DIR/fuzz-findings/<target>/ and
# listed at the end; exit status 1 when there is any. Each finding, once fixed, belongs in
# tests/fuzz/regressions/<target>/ so that tests/fuzz/regressions_test runs it in every ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
budget=${1:-60}
build=${2:-build-fuzz}
shift $(($# < 2 ? $# : 2))
corpus="$root/../shared/corpus"
cd "$root"
scripts/install-deps.sh
command -v clang++ >/dev/null || { echo "run-fuzz.sh needs clang (apt-get install clang)" >&2; exit 2; }

CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF \
  -DCUSTOS_FUZZ=ON -DCUSTOS_SANITIZE=address,undefined >/dev/null
cmake --build "$build" -j2 --target custos_fuzz_parser custos_fuzz_evidence custos_fuzz_picture custos_fuzz_seeds
fuzz_parser="$build/tests/fuzz/custos_fuzz_parser"
fuzz_evidence="$build/tests/fuzz/custos_fuzz_evidence"
findings="$build/fuzz-findings"
seeds="$build/fuzz-seeds"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$findings"

# Corpus samples at the evidence paths their parsers look for (as tests/parsers/hostile_input_test.cc).
samples="$work/samples.tsv"
: >"$samples"
if [ -d "$corpus" ]; then
  for dir in windows documents mobile; do
    find "$corpus/artefacts/$dir" -type f | while read -r f; do printf '%s\t/%s\n' "$f" "$(basename "$f")"; done
  done >>"$samples"
  while IFS='|' read -r file evidence; do
    [ -f "$corpus/artefacts/browser/$file" ] && printf '%s\t%s\n' "$corpus/artefacts/browser/$file" "$evidence"
  done >>"$samples" <<'LIST'
chrome/History|/Users/x/AppData/Local/Google/Chrome/User Data/Default/History
chrome/Cookies-68.0.3440.106|/Users/x/AppData/Local/Google/Chrome/User Data/Default/Cookies
firefox/places.sqlite|/home/x/.mozilla/firefox/a.default/places.sqlite
firefox/downloads.sqlite|/home/x/.mozilla/firefox/a.default/downloads.sqlite
firefox/firefox_10_cookies.sqlite|/home/x/.mozilla/firefox/a.default/cookies.sqlite
safari/History.db|/Users/x/Library/Safari/History.db
LIST
  for xz in "$corpus"/artefacts/registry/*.xz; do
    plain="$work/$(basename "${xz%.xz}")"
    xz -dc "$xz" >"$plain"
    printf '%s\t/%s\n' "$plain" "$(basename "$plain")" >>"$samples"
  done
else
  echo "run-fuzz.sh: ../shared/corpus is absent: fuzzing from empty seeds" >&2
fi
rm -rf "$seeds"
"$build/tests/fuzz/custos_fuzz_seeds" "$seeds" <"$samples"

run_target() {  # NAME BINARY SEED_DIR [env...]
  local name=$1 binary=$2 seed_dir=$3
  shift 3
  local out="$findings/$name" grown="$work/grown-$name"
  mkdir -p "$out" "$grown"
  echo "== $name: ${budget}s, $(find "$seed_dir" -type f | wc -l) seeds" >&2
  env "$@" ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan-suppressions.txt" \
    "$binary" "$grown" "$seed_dir" -max_total_time="$budget" -timeout=20 -rss_limit_mb=4096 -malloc_limit_mb=4096 \
    -max_len=1048576 -artifact_prefix="$out/" -print_final_stats=1 >"$out/log.txt" 2>&1 || true
  grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$out/log.txt" | tail -1 >&2 || true
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then mapfile -t targets < <("$fuzz_parser"); fi
for parser in "${targets[@]}"; do
  run_target "$parser" "$fuzz_parser" "$seeds/$parser" CUSTOS_FUZZ_PARSER="$parser" \
    CUSTOS_FUZZ_PATH="$(cat "$seeds/$parser.path")"
done
if [ $# -eq 0 ]; then
  ev_seeds="$work/evidence-seeds"
  mkdir -p "$ev_seeds"
  # Small whole images: the file systems and containers TSK and libewf read.
  for f in "$corpus"/images/dfvfs/*; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 4194304 ] && cp "$f" "$ev_seeds/" || true
  done
  run_target evidence "$fuzz_evidence" "$ev_seeds"
  # The picture decoders: one small picture of each format, by the encoders the picture tests use.
  pic_seeds="$work/picture-seeds"
  mkdir -p "$pic_seeds"
  (
    cd "$pic_seeds"
    convert -size 40x30 gradient:red-blue PNG24:seed.png
    cjpeg -quality 80 <(convert seed.png ppm:-) >seed.jpg
    convert seed.png seed.gif
    convert -size 40x30 xc:red xc:blue -loop 0 seed-animated.gif
    convert seed.png -interlace GIF seed-interlaced.gif
    convert seed.png seed.bmp
    convert seed.png -compress lzw seed.tiff
    convert -size 40x30 xc:red xc:blue seed-pages.tiff
    cwebp -quiet seed.png -o seed.webp
    cwebp -quiet -lossless seed.png -o seed-lossless.webp
    convert -size 40x30 xc:blue PNG24:blue.png
    img2webp -lossless seed.png blue.png -o seed-animated.webp >/dev/null
    heif-enc -q 50 seed.png -o seed.heic >/dev/null
  )
  run_target picture "$build/tests/fuzz/custos_fuzz_picture" "$pic_seeds"
fi

found=$(find "$findings" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'leak-*' -o -name 'oom-*' \) | sort)
if [ -n "$found" ]; then
  echo "findings (reproduce: CUSTOS_FUZZ_PARSER=NAME CUSTOS_FUZZ_PATH=... $fuzz_parser FILE):" >&2
  echo "$found" >&2
  exit 1
fi
echo "no findings in ${budget}s per target" >&2
