// Pictures to pixels: the one place that turns a picture's bytes into RGBA, used by the thumbnailer (triage)
// and by the viewer's gallery and picture preview. Each format goes through its own Debian library: JPEG
// libturbojpeg (decoded at the smallest of its scales that still covers the size asked for), PNG libpng, GIF
// giflib (the first frame only), TIFF libtiff (the first page), WebP libwebp (the first frame of an
// animation through libwebpdemux), HEIF/HEIC and AVIF libheif (its primary image), BMP gdk-pixbuf's loader.
// Hostile headers are refused before any pixel buffer exists: every decoder reads the size first, and a
// picture of more than kMaxJpegPixels (JPEG, decoded scaled) or kMaxDecodedPixels (the others, decoded
// whole) gives an error. A decoder's failure is an error Status, never an exception or a crash.
// Thread-safety: DecodePicture is re-entrant (each call has its own decoder handles).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "triage/base/status.h"

namespace custos {

constexpr int64_t kMaxJpegPixels = 400LL * 1000 * 1000;    // a scaled decode keeps its buffer a 64th of this
constexpr int64_t kMaxDecodedPixels = 64LL * 1000 * 1000;  // decoded whole: 256 MB of RGBA at most (a 48 MP photo fits)
constexpr int64_t kMaxPictureBytes = 64LL << 20;           // larger files are not buffered for a picture

struct Rgba {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // width * height * 4, rows top to bottom, R G B A (straight alpha)
};

// The picture's own size, as its header gives it (0 x 0 when the header could not be read).
struct PictureSize {
  int width = 0, height = 0;
};

// Which decoder a picture needs, from its first bytes (32 are enough): "jpeg", "png", "gif", "bmp", "tiff",
// "webp", "heif", or "" when it is none of them (no thumbnail is made).
std::string_view PictureFormat(std::string_view head);

// Decodes a picture (recognised by PictureFormat) to at most max_side pixels on its longer side (never
// enlarged; box-filtered down). `size`, when given, receives the picture's own size as soon as its header is
// read, also when the decode is then refused or fails. NotSupported for a format none of the decoders reads.
Result<Rgba> DecodePicture(std::string_view bytes, int max_side, PictureSize* size = nullptr);

}  // namespace custos
