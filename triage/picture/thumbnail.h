// Thumbnails for the viewer's gallery: a small JPEG (longest side at most kThumbnailSide) of a picture, with
// the picture's own width and height, or why none could be made. The picture is decoded by DecodePicture
// (decode.h: JPEG, PNG, GIF, BMP, TIFF, WebP, HEIF/HEIC and AVIF, with its limits on hostile headers), then
// encoded by libturbojpeg; transparent parts are composed onto black.
// Thread-safety: MakeThumbnail is re-entrant (each call has its own decoder handles).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "triage/picture/decode.h"

namespace custos {

constexpr int kThumbnailSide = 160;

struct Thumbnail {
  int width = 0, height = 0;  // the picture's, when its header could be read (0 otherwise)
  std::string jpeg;           // the thumbnail; empty on error
  std::string error;          // why there is no thumbnail; empty on success
};

Thumbnail MakeThumbnail(std::string_view bytes);

}  // namespace custos
