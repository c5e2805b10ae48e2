#!/usr/bin/env bash
# Generates the benchmark evidence: an MBR disk holding one NTFS volume with a laptop-like tree
# (bench/make_tree.cc), as raw (bench.raw) and as E01 (bench.E01, in 1.4 GiB segments like ewfacquire's
# default), the way a forensic unit would receive it.
# Usage: bench/make-bench-image.sh OUT_DIR [DISK_GIB=6] [FILES=60000] [DATA_MIB=1800]
# Needs root (ntfs-3g mounts the volume through FUSE) and the built tree generator (build/bench).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/tests/fixtures/ntfs-fuse.sh"
out=${1:?usage: make-bench-image.sh OUT_DIR [DISK_GIB] [FILES] [DATA_MIB]}
disk_gib=${2:-6}
files=${3:-60000}
data_mib=${4:-1800}
tree_tool=${CUSTOS_BENCH_TREE:-$repo/build/bench/custos-bench-tree}
[ -x "$tree_tool" ] || { echo "error: $tree_tool is missing: build it with cmake --build build --target custos-bench-tree" >&2; exit 1; }

mkdir -p "$out"
work=$(mktemp -d -p "$out")
trap 'mountpoint -q "$work/mnt" && umount "$work/mnt"; rm -rf "$work"' EXIT

start=2048
disk_bytes=$((disk_gib * 1024 * 1024 * 1024))
part_sectors=$((disk_bytes / 512 - start))
truncate -s $((part_sectors * 512)) "$work/ntfs.img"
mkntfs -q -F -Q -L OS -s 512 -p $start -H 255 -S 63 "$work/ntfs.img" >/dev/null 2>&1
ntfs_mount "$work/ntfs.img" "$work/mnt" 2>/dev/null
echo "writing $files files ($data_mib MiB) into the NTFS volume..." >&2
"$tree_tool" "$work/mnt" "$files" "$data_mib" >&2
ntfs_unmount "$work/mnt" 2>/dev/null

rm -f "$out/bench.raw" "$out"/bench.E??
truncate -s "$disk_bytes" "$out/bench.raw"
sfdisk -q "$out/bench.raw" >/dev/null <<TABLE
label: dos
start=$start, size=$part_sectors, type=7, bootable
TABLE
dd if="$work/ntfs.img" of="$out/bench.raw" bs=4M seek=$((start * 512)) oflag=seek_bytes conv=notrunc,sparse status=none
rm -f "$work/ntfs.img"
echo "imaging to E01..." >&2
ewfacquire -u -q -t "$out/bench" -C BENCH -D "Custos benchmark laptop" -e bench -E BENCH/1 -N generated -m fixed \
  -c deflate:fast "$out/bench.raw" >/dev/null
ls -l "$out"/bench.* >&2
