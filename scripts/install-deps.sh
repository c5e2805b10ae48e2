#!/usr/bin/env bash
# Installs, from Debian's packages, whatever Custos needs to build, test and run its demo and that is
# missing. Does nothing (and needs no root) when everything is already there.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  # the engine
  libtsk-dev libewf-dev libvhdi-dev libvmdk-dev libsqlite3-dev libssl-dev libmagic-dev libmagic-mgc
  libarchive-dev nlohmann-json3-dev libcli11-dev
  # unlocking LUKS1 volumes (loaded at run time, in a link namespace of its own)
  libluksde-dev
  # hash sets: NSRL v2 and HashKeeper/EnCase CSV exports are read with libcsv
  libcsv-dev
  # Windows artefact parsers (libyal): registry, event logs, shortcuts, jump lists, prefetch, shell items
  libbfio-dev libregf-dev libevtx-dev liblnk-dev libolecf-dev libscca-dev libfwsi-dev
  # browser, mail, picture and document parsers: Internet Explorer caches, ESE databases, PST/OST, EXIF,
  # Office Open XML (libxml2; the zip through libarchive) and PDF metadata (poppler)
  libmsiecf-dev libesedb-dev libpff-dev libexif-dev libxml2-dev libpoppler-cpp-dev
  # mbox and .eml (RFC 5322 and MIME: encoded words, transfer encodings, charsets)
  libgmime-3.0-dev
  # Apple Notes: the note text is a gzip stream (zlib) of a protobuf message (libprotobuf, read without a schema)
  zlib1g-dev libprotobuf-dev
  # Safari's Downloads.plist and Bookmarks.plist (binary or XML property lists)
  libplist-dev
  # keyword and entity search; picture thumbnails and the viewer's pictures (triage/picture/decode.h):
  # JPEG and PNG, GIF (giflib), WebP (libwebp, libwebpdemux for animations), TIFF (libtiff), HEIF/HEIC and
  # AVIF (libheif; Debian's libheif1 decodes HEVC through libde265), BMP (gdk-pixbuf's loader)
  libhyperscan-dev libturbojpeg0-dev libpng-dev libgif-dev libwebp-dev libtiff-dev libheif-dev libgdk-pixbuf-2.0-dev
  # the viewer: Dear ImGui 1.86 with its GLFW and OpenGL 3 backends (libimgui.a also needs FreeType), the
  # DejaVu fonts it scales, libpng for screenshots; Xvfb for headless screenshots
  libimgui-dev libglfw3-dev libgl-dev libfreetype-dev fonts-dejavu-core xvfb xauth
  # reports: PDF through cairo and pango
  libcairo2-dev libpango1.0-dev
  # tests
  libgtest-dev
  # independent tools the tests compare against, and the fixture and benchmark generators
  python3 sleuthkit ewf-tools sqlite3 cryptsetup-bin python3-cryptography ntfs-3g dosfstools mtools e2fsprogs fdisk zip unzip time libjpeg-turbo-progs
  xz-utils libregf-utils libevtx-utils liblnk-utils libscca-utils libolecf-utils
  # registry tests: RegRipper decodes hives independently; hivex writes the SOFTWARE hive fixture
  regripper libhivex-bin
  # browser, mail, picture and document tests: exiftool reads and writes EXIF independently; the libyal
  # tools for IE caches, ESE databases and PST files; pdfinfo for PDF metadata
  libimage-exiftool-perl libmsiecf-utils libesedb-utils pff-tools poppler-utils
  # picture tests: independent encoders of the test pictures (ImageMagick's convert/identify for GIF, BMP and
  # TIFF; cwebp and img2webp; heif-enc)
  imagemagick webp libheif-examples
  # app database tests: protoc --decode_raw reads Apple Notes' protobuf independently
  protobuf-compiler
  # report tests: rdflib parses the CASE/UCO export as JSON-LD, jsonschema checks the exam request JSON
  python3-rdflib python3-jsonschema
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing missing Debian packages: ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then
    sudo_cmd=(sudo)
  else
    echo "error: ${missing[*]} must be installed, and that needs root. Run this script as root or install sudo." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
