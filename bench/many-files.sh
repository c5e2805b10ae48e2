#!/usr/bin/env bash
# Memory and scratch space on a file system with a very large file count and one very large directory:
# an ext4 volume made with `mke2fs -d` holding FILES small files, a third of them in a single folder.
# Prints the walk's rate, the peak resident memory of `custos triage` (GNU time) and the case file's size,
# and checks that no scratch files are left in the case folder. Figures, not pass/fail: see "Performance".
# FSTYPE=ext2 makes the volume without extents: TSK 4.12 cannot map the extent tree `mke2fs -d` gives a folder
# of tens of thousands of files on ext4, so on ext4 that folder is an error row, not a listing.
# BIG sets the size of the one large folder (default: a third of FILES); `mke2fs -d` slows down quadratically
# with the size of one folder, so a million-file volume is made with BIG=50000 and the rest in folders of 1,000.
# Usage: [FSTYPE=ext4] [BIG=FILES/3] bench/many-files.sh [FILES=1000000] [WORKDIR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-1000000}
work=${2:-$(mktemp -d)}
custos=${CUSTOS:-$repo/build/triage/custos}
mkdir -p "$work"
tree="$work/tree"
if [ ! -f "$work/many.raw" ]; then
  rm -rf "$tree"
  python3 - "$tree" "$files" "${BIG:-$((files / 3))}" <<'PY'
import os, sys
root, n, nbig = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
big = os.path.join(root, "big-folder")
os.makedirs(big)
for i in range(nbig):  # one large folder
    with open(os.path.join(big, "f%07d.txt" % i), "w") as f:
        f.write("%d\n" % i)
rest, per = n - nbig, 1000
for i in range(rest):
    d = os.path.join(root, "d%04d" % (i // per))
    if i % per == 0:
        os.makedirs(d)
    with open(os.path.join(d, "f%07d.txt" % i), "w") as f:
        f.write("%d\n" % i)
PY
  mke2fs -q -F -t "${FSTYPE:-ext4}" -N $((files + 10000)) -d "$tree" "$work/many.raw" $((files * 6 / 1000 + 200))M
  rm -rf "$tree"
fi
rm -f "$work/many.custos"*
/usr/bin/time -f '%e %M' -o "$work/time" "$custos" triage --quiet --no-verify --case "$work/many.custos" \
  "$work/many.raw" 2>"$work/err" || [ $? -eq 3 ]
read -r secs peak_kib <"$work/time"
rows=$(sqlite3 "$work/many.custos" "SELECT count(*) FROM file")
awk -v r="$rows" -v t="$secs" -v m="$peak_kib" -v c="$(stat -c %s "$work/many.custos")" 'BEGIN {
  printf "files in the case: %d; %.1f s (%.0f files/s); peak memory %.0f MB; case file %.0f MB\n", r, t, r / t,
    m / 1024, c / 1048576 }'
leftover=$(find "$work" -maxdepth 1 -name '.*scratch*' | wc -l)
echo "scratch folders left in the case folder: $leftover"
