// Picture thumbnails (see thumbnail.h).
#include "triage/picture/thumbnail.h"

#include <turbojpeg.h>

#include <memory>
#include <vector>

namespace custos {
namespace {

// RGBA pixels, composed onto black, to the thumbnail JPEG.
bool Encode(const Rgba& image, std::string* jpeg, std::string* error) {
  std::vector<unsigned char> rgb(static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 3);
  for (size_t i = 0, n = rgb.size() / 3; i < n; ++i) {
    const uint8_t* p = &image.pixels[i * 4];
    for (int c = 0; c < 3; ++c) rgb[i * 3 + static_cast<size_t>(c)] = static_cast<unsigned char>(p[c] * p[3] / 255);
  }
  std::unique_ptr<void, int (*)(tjhandle)> enc(tjInitCompress(), &tjDestroy);
  if (!enc) {
    *error = "cannot start the JPEG encoder";
    return false;
  }
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  if (tjCompress2(enc.get(), rgb.data(), image.width, 0, image.height, TJPF_RGB, &buf, &size, TJSAMP_420, 80,
                  TJFLAG_FASTDCT) != 0) {
    *error = std::string("thumbnail encoding failed: ") + tjGetErrorStr2(enc.get());
    tjFree(buf);
    return false;
  }
  jpeg->assign(reinterpret_cast<const char*>(buf), size);
  tjFree(buf);
  return true;
}

}  // namespace

Thumbnail MakeThumbnail(std::string_view bytes) {
  Thumbnail t;
  PictureSize size;
  Result<Rgba> image = DecodePicture(bytes, kThumbnailSide, &size);
  t.width = size.width;
  t.height = size.height;
  if (!image.ok()) {
    t.error = image.status().message();
    return t;
  }
  Encode(*image, &t.jpeg, &t.error);
  return t;
}

}  // namespace custos
