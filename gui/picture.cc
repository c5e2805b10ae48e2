// Picture textures (see picture.h).
#include "gui/picture.h"

#include <GL/gl.h>

namespace custos::viewer {

Texture::~Texture() {
  if (id_) glDeleteTextures(1, &id_);
}

Texture& Texture::operator=(Texture&& o) noexcept {
  if (this != &o) {
    if (id_) glDeleteTextures(1, &id_);
    id_ = o.id_;
    width_ = o.width_;
    height_ = o.height_;
    o.id_ = 0;
  }
  return *this;
}

void Texture::Upload(const Rgba& image) {
  if (!id_) glGenTextures(1, &id_);
  glBindTexture(GL_TEXTURE_2D, id_);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, image.width, image.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, image.pixels.data());
  width_ = image.width;
  height_ = image.height;
}

}  // namespace custos::viewer
