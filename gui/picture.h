// Pictures for the gallery and the file preview: decoded by the engine's DecodePicture
// (triage/picture/decode.h, the same decoders and limits as the thumbnails), shown through an OpenGL texture.
// Thread-safety: DecodePicture is a plain function (any thread); a Texture belongs to the UI thread.
#pragma once

#include "triage/picture/decode.h"

namespace custos::viewer {

// An OpenGL texture; 0 until Upload(). UI thread only.
class Texture {
 public:
  Texture() = default;
  ~Texture();
  Texture(Texture&& o) noexcept : id_(o.id_), width_(o.width_), height_(o.height_) { o.id_ = 0; }
  Texture& operator=(Texture&& o) noexcept;
  Texture(const Texture&) = delete;
  Texture& operator=(const Texture&) = delete;

  void Upload(const Rgba& image);
  unsigned id() const { return id_; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  unsigned id_ = 0;
  int width_ = 0, height_ = 0;
};

}  // namespace custos::viewer
