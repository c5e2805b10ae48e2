#!/usr/bin/env bash
# Times `custos triage` against The Sleuth Kit's own loader (`tsk_loaddb -h`: single-threaded, MD5 only) on
# the benchmark images from bench/make-bench-image.sh, raw and E01, with a warm page cache.
# Prints files/s, MB/s, peak memory, CPU seconds (user + sys, children included) and the speed ratio, with the
# load average before each image: on a shared machine wall times are only comparable at the same load, CPU
# seconds more nearly so. Figures, not pass/fail: see "Performance" in README.md.
# Usage: [SKIP_VERIFY=1] bench/run-bench.sh IMAGE_DIR [THREADS]   (SKIP_VERIFY: leave out the row that also
# hashes or verifies the whole image, the longest run)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: run-bench.sh IMAGE_DIR [THREADS]}
threads=${2:-$(nproc)}
custos=${CUSTOS:-$repo/build/triage/custos}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

timed() {  # timed NAME CMD... -> "seconds peak_kib cpu_seconds" in $scratch/NAME.time
  local name=$1
  shift
  /usr/bin/time -f '%e %M %U %S' -o "$scratch/$name.time" "$@" >/dev/null 2>"$scratch/$name.err" || {
    local rc=$?
    if [ "$rc" -ne 3 ]; then echo "error: $name failed ($rc):" >&2; tail -5 "$scratch/$name.err" >&2; exit 1; fi
  }
  # GNU time puts "Command exited with non-zero status 3" before the figures: the last line holds them.
  tail -1 "$scratch/$name.time" | awk '{ printf "%s %s %.1f\n", $1, $2, $3 + $4 }'
}

printf '%s, %s cores, %s content threads, %s\n' "$(uname -m)" "$(nproc)" "$threads" "$(date -u +%Y-%m-%d)"
printf '%-6s %-30s %8s %10s %9s %9s %8s %10s\n' image tool seconds files/s MB/s 'peak MB' 'CPU s' 'vs loaddb'
for kind in raw E01; do
  image="$dir/bench.$kind"
  [ -f "$image" ] || continue
  cat "$dir"/bench.${kind:0:1}* >/dev/null  # warm the page cache for every tool alike
  echo "$kind: load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"
  read -r t_tsk m_tsk c_tsk < <(timed "tsk-$kind" tsk_loaddb -h -d "$scratch/tsk-$kind.db" "$image")
  read -r t_cus m_cus c_cus < <(timed "custos-$kind" "$custos" triage --quiet --no-verify --threads "$threads" \
    --case "$scratch/bench-$kind.custos" "$image")
  read -r t_ne m_ne c_ne < <(timed "noent-$kind" "$custos" triage --quiet --no-verify --no-entities \
    --threads "$threads" --case "$scratch/noent-$kind.custos" "$image")
  if [ -z "${SKIP_VERIFY:-}" ]; then
    read -r t_ver m_ver c_ver < <(timed "verify-$kind" "$custos" triage --quiet --threads "$threads" \
      --case "$scratch/verify-$kind.custos" "$image")
  fi
  read -r files bytes < <(sqlite3 -separator ' ' "$scratch/bench-$kind.custos" \
    "SELECT count(*), sum(bytes_read) FROM file WHERE content_state IS NOT NULL")
  tsk_files=$(sqlite3 "$scratch/tsk-$kind.db" "SELECT count(*) FROM tsk_files WHERE md5 IS NOT NULL")
  row() {  # row TOOL SECONDS PEAK_KIB CPU_SECONDS FILES BYTES
    awk -v k="$kind" -v tool="$1" -v t="$2" -v m="$3" -v c="$4" -v f="$5" -v b="$6" -v base="$t_tsk" 'BEGIN {
      printf "%-6s %-30s %8.1f %10.0f %9.1f %9.0f %8.1f %9.2fx\n", k, tool, t, f / t, b / t / 1e6, m / 1024, c, base / t }'
  }
  row "tsk_loaddb -h (MD5)" "$t_tsk" "$m_tsk" "$c_tsk" "$tsk_files" "$bytes"
  row "custos --no-verify (MD5+SHA1)" "$t_cus" "$m_cus" "$c_cus" "$files" "$bytes"
  row "custos --no-verify --no-entities" "$t_ne" "$m_ne" "$c_ne" "$files" "$bytes"
  [ -n "${SKIP_VERIFY:-}" ] || row "custos (+ image verification)" "$t_ver" "$m_ver" "$c_ver" "$files" "$bytes"
done
