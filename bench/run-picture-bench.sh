#!/usr/bin/env bash
# Thumbnail time per picture format: one photo-sized picture (4032 x 3024, a camera's 12 megapixels; an
# ImageMagick plasma fractal, which compresses like a photo more than a flat field does) written by the
# independent encoders in each format the thumbnailer reads, then custos-bench-picture times MakeThumbnail
# on each (decode, shrink to 160 pixels, JPEG encode). Figures, not pass/fail: see "Performance" in README.md.
# Usage: bench/run-picture-bench.sh [REPEAT=5] [WORKDIR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
repeat=${1:-5}
work=${2:-$(mktemp -d)}
bench=${CUSTOS_BENCH_PICTURE:-$repo/build/bench/custos-bench-picture}
mkdir -p "$work"
cd "$work"
if [ ! -f photo.heic ]; then
  convert -seed 7 -size 4032x3024 plasma:fractal -blur 0x1 PNG24:photo.png
  convert photo.png ppm:- | cjpeg -quality 90 >photo.jpg
  convert photo.png photo.gif
  convert photo.png photo.bmp
  convert photo.png -compress lzw photo.tiff
  cwebp -quiet -q 80 photo.png -o photo.webp
  heif-enc -q 50 photo.png -o photo.heic >/dev/null
fi
ls -l photo.* >&2
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
"$bench" "$repeat" photo.jpg photo.png photo.gif photo.bmp photo.tiff photo.webp photo.heic
