// Picture decoding (see decode.h).
#include "triage/picture/decode.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gif_lib.h>
#include <libheif/heif.h>
#include <png.h>
#include <tiffio.h>
#include <turbojpeg.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include <algorithm>
#include <bit>
#include <cstdarg>
#include <cstring>
#include <memory>
#include <string>

namespace custos {
namespace {

template <typename T, auto Free>
struct Deleter {
  void operator()(T* p) const {
    if (p) Free(p);
  }
};

// A little-endian 32-bit field; `s` must hold at + 4 bytes.
uint32_t Le32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[at + static_cast<size_t>(i)]);
  return v;
}

std::string Dimensions(int64_t w, int64_t h) { return std::to_string(w) + " x " + std::to_string(h); }

// The refusal of a hostile (or merely enormous) header, before any pixel buffer is made.
Status Refused(const char* format, int64_t w, int64_t h, int64_t limit) {
  return Status::Corruption(std::string("refused: the ") + format + " claims " + Dimensions(w, h) +
                            " pixels, more than the " + std::to_string(limit / 1000000) +
                            " megapixels a picture may decode to");
}

// Checks a whole-decode size and reports it to the caller; an error when it is empty or too large.
Status CheckSize(const char* format, int64_t w, int64_t h, PictureSize* size, int64_t limit = kMaxDecodedPixels) {
  if (size && w > 0 && h > 0 && w <= INT32_MAX && h <= INT32_MAX) {
    size->width = static_cast<int>(w);
    size->height = static_cast<int>(h);
  }
  if (w <= 0 || h <= 0) {
    return Status::Corruption(std::string("the ") + format + " claims an empty picture (" + Dimensions(w, h) + ")");
  }
  if (w > (1 << 24) || h > (1 << 24) || w * h > limit) return Refused(format, w, h, limit);
  return Status::Ok();
}

// The size a w x h picture takes to fit max_side: the longest side at most max_side, never enlarged, in
// proportion to the original (not to a scaled decode, whose sizes are rounded up).
void TargetSize(int w, int h, int max_side, int* tw, int* th) {
  const double scale = std::min(1.0, static_cast<double>(max_side) / std::max(w, h));
  *tw = std::max(1, static_cast<int>(w * scale + 0.5));
  *th = std::max(1, static_cast<int>(h * scale + 0.5));
}

// Averages the picture down to tw x th (a box filter: every source pixel counts once, which keeps fine detail
// from aliasing into noise).
Rgba Shrink(const Rgba& in, int tw, int th) {
  if (tw >= in.width && th >= in.height) return in;
  Rgba out;
  out.width = tw;
  out.height = th;
  out.pixels.resize(static_cast<size_t>(tw) * static_cast<size_t>(th) * 4);
  const int w = in.width, h = in.height;
  for (int y = 0; y < th; ++y) {
    const int y0 = static_cast<int>(static_cast<int64_t>(y) * h / th);
    const int y1 = std::max(y0 + 1, static_cast<int>(static_cast<int64_t>(y + 1) * h / th));
    for (int x = 0; x < tw; ++x) {
      const int x0 = static_cast<int>(static_cast<int64_t>(x) * w / tw);
      const int x1 = std::max(x0 + 1, static_cast<int>(static_cast<int64_t>(x + 1) * w / tw));
      uint64_t sum[4] = {0, 0, 0, 0};
      for (int yy = y0; yy < y1; ++yy) {
        const uint8_t* p = &in.pixels[(static_cast<size_t>(yy) * static_cast<size_t>(w) + static_cast<size_t>(x0)) * 4];
        for (int xx = x0; xx < x1; ++xx, p += 4) {
          for (int c = 0; c < 4; ++c) sum[c] += p[c];
        }
      }
      const uint64_t n = static_cast<uint64_t>(y1 - y0) * static_cast<uint64_t>(x1 - x0);
      uint8_t* o = &out.pixels[(static_cast<size_t>(y) * static_cast<size_t>(tw) + static_cast<size_t>(x)) * 4];
      for (int c = 0; c < 4; ++c) o[c] = static_cast<uint8_t>(sum[c] / n);
    }
  }
  return out;
}

Rgba Fit(Rgba in, int max_side) {
  int tw = 0, th = 0;
  TargetSize(in.width, in.height, max_side, &tw, &th);
  if (tw >= in.width && th >= in.height) return in;
  return Shrink(in, tw, th);
}

Rgba Blank(int w, int h) {
  Rgba out;
  out.width = w;
  out.height = h;
  out.pixels.assign(static_cast<size_t>(w) * static_cast<size_t>(h) * 4, 0);
  return out;
}

// --- JPEG (libturbojpeg): decoded at the smallest of libjpeg's scales (1/8 ... 1) that still covers max_side.
Result<Rgba> DecodeJpeg(std::string_view bytes, int max_side, PictureSize* size) {
  std::unique_ptr<void, Deleter<void, tjDestroy>> tj(tjInitDecompress());
  if (!tj) return Status::Internal("cannot start the JPEG decoder (libturbojpeg)");
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto length = static_cast<unsigned long>(bytes.size());
  int w = 0, h = 0, subsamp = 0, colorspace = 0;
  if (tjDecompressHeader3(tj.get(), data, length, &w, &h, &subsamp, &colorspace) != 0) {
    return Status::Corruption(std::string("not a decodable JPEG: ") + tjGetErrorStr2(tj.get()));
  }
  if (Status st = CheckSize("JPEG", w, h, size, kMaxJpegPixels); !st.ok()) return st;
  int count = 0;
  tjscalingfactor* factors = tjGetScalingFactors(&count);
  tjscalingfactor best = {1, 1};
  for (int i = 0; i < count; ++i) {
    const tjscalingfactor f = factors[i];
    if (f.num > f.denom) continue;  // enlargements
    const int sw = TJSCALED(w, f), sh = TJSCALED(h, f);
    if (std::max(sw, sh) >= std::min(max_side, std::max(w, h)) &&
        static_cast<int64_t>(sw) * sh < static_cast<int64_t>(TJSCALED(w, best)) * TJSCALED(h, best)) {
      best = f;
    }
  }
  const int sw = TJSCALED(w, best), sh = TJSCALED(h, best);
  if (static_cast<int64_t>(sw) * sh > kMaxDecodedPixels) return Refused("JPEG", w, h, kMaxDecodedPixels);
  Rgba out = Blank(sw, sh);
  // Only a fatal error stops: a truncated or slightly damaged JPEG (a warning) still shows what is there, which
  // is what the officer needs to see. LIMITSCANS stops a progressive JPEG with thousands of scans (a CPU bomb).
  if (tjDecompress2(tj.get(), data, length, out.pixels.data(), sw, 0, sh, TJPF_RGBA,
                    TJFLAG_FASTDCT | TJFLAG_LIMITSCANS) != 0 &&
      tjGetErrorCode(tj.get()) == TJERR_FATAL) {
    return Status::Corruption(std::string("JPEG decoding failed: ") + tjGetErrorStr2(tj.get()));
  }
  int tw = 0, th = 0;
  TargetSize(w, h, max_side, &tw, &th);
  return Shrink(out, std::min(tw, sw), std::min(th, sh));
}

// --- PNG (libpng's simplified API).
Result<Rgba> DecodePng(std::string_view bytes, int max_side, PictureSize* size) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
    return Status::Corruption(std::string("not a decodable PNG: ") + image.message);
  }
  if (Status st = CheckSize("PNG", image.width, image.height, size); !st.ok()) {
    png_image_free(&image);
    return st;
  }
  image.format = PNG_FORMAT_RGBA;
  Rgba out = Blank(static_cast<int>(image.width), static_cast<int>(image.height));
  if (!png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr)) {
    std::string message = image.message;
    png_image_free(&image);
    return Status::Corruption("PNG decoding failed: " + message);
  }
  return Fit(std::move(out), max_side);
}

// --- GIF (giflib): the first frame, read record by record (DGifSlurp would decode every frame of an
// animation), drawn on the logical screen with its transparency.
struct GifSource {
  std::string_view bytes;
  size_t at = 0;
};

int ReadGif(GifFileType* gif, GifByteType* out, int n) {
  auto* src = static_cast<GifSource*>(gif->UserData);
  const size_t k = std::min(static_cast<size_t>(std::max(n, 0)), src->bytes.size() - src->at);
  std::memcpy(out, src->bytes.data() + src->at, k);
  src->at += k;
  return static_cast<int>(k);
}

// giflib's message for an error code; it has none (a null pointer) for 0 and for codes it does not know,
// which a read that merely ran out of bytes can leave.
std::string GifMessage(int code) {
  const char* text = GifErrorString(code);
  return text ? text : "the data ends or is damaged (giflib error " + std::to_string(code) + ")";
}

void CloseGif(GifFileType* gif) {
  int error = 0;
  DGifCloseFile(gif, &error);
}

Result<Rgba> DecodeGif(std::string_view bytes, int max_side, PictureSize* size) {
  GifSource src;
  src.bytes = bytes;
  int error = 0;
  std::unique_ptr<GifFileType, Deleter<GifFileType, CloseGif>> gif(DGifOpen(&src, ReadGif, &error));
  if (!gif) return Status::Corruption("not a decodable GIF: " + GifMessage(error));
  const auto fail = [&](const char* what) {
    return Status::Corruption(std::string(what) + ": " + GifMessage(gif->Error));
  };
  // A screen of 0 x 0 (some writers leave it so) takes the first frame's size.
  if (gif->SWidth > 0 && gif->SHeight > 0) {
    if (Status st = CheckSize("GIF", gif->SWidth, gif->SHeight, size); !st.ok()) return st;
  }
  int transparent = NO_TRANSPARENT_COLOR;
  for (;;) {
    GifRecordType type = UNDEFINED_RECORD_TYPE;
    if (DGifGetRecordType(gif.get(), &type) == GIF_ERROR) return fail("GIF decoding failed");
    if (type == TERMINATE_RECORD_TYPE) return Status::Corruption("the GIF holds no picture");
    if (type == EXTENSION_RECORD_TYPE) {
      int code = 0;
      GifByteType* ext = nullptr;
      if (DGifGetExtension(gif.get(), &code, &ext) == GIF_ERROR) return fail("GIF decoding failed");
      GraphicsControlBlock gcb{};
      if (code == GRAPHICS_EXT_FUNC_CODE && ext && DGifExtensionToGCB(ext[0], ext + 1, &gcb) == GIF_OK) {
        transparent = gcb.TransparentColor;
      }
      while (ext) {
        if (DGifGetExtensionNext(gif.get(), &ext) == GIF_ERROR) return fail("GIF decoding failed");
      }
      continue;
    }
    if (type != IMAGE_DESC_RECORD_TYPE) continue;
    if (DGifGetImageDesc(gif.get()) == GIF_ERROR) return fail("GIF decoding failed");
    break;
  }
  const GifImageDesc& frame = gif->Image;
  const int fw = frame.Width, fh = frame.Height;
  if (Status st = CheckSize("GIF frame", fw, fh, nullptr); !st.ok()) return st;
  const bool screen = gif->SWidth > 0 && gif->SHeight > 0;
  const int cw = screen ? gif->SWidth : fw, ch = screen ? gif->SHeight : fh;
  if (!screen) {
    if (Status st = CheckSize("GIF", cw, ch, size); !st.ok()) return st;
  }
  const ColorMapObject* colours = frame.ColorMap ? frame.ColorMap : gif->SColorMap;
  if (!colours || !colours->Colors) return Status::Corruption("the GIF has no colour table");
  const int left = screen ? frame.Left : 0, top = screen ? frame.Top : 0;
  Rgba out = Blank(cw, ch);
  std::vector<GifPixelType> line(static_cast<size_t>(fw));
  // An interlaced frame comes in four passes: every 8th row from 0, every 8th from 4, every 4th from 2, then
  // every 2nd from 1.
  static constexpr int kStart[] = {0, 4, 2, 1}, kStep[] = {8, 8, 4, 2};
  const int passes = frame.Interlace ? 4 : 1;
  int rows = 0;
  bool truncated = false;
  for (int pass = 0; pass < passes && !truncated; ++pass) {
    const int start = frame.Interlace ? kStart[pass] : 0, step = frame.Interlace ? kStep[pass] : 1;
    for (int y = start; y < fh; y += step) {
      if (DGifGetLine(gif.get(), line.data(), fw) == GIF_ERROR) {
        truncated = true;
        break;
      }
      ++rows;
      const int cy = top + y;
      if (cy < 0 || cy >= ch) continue;
      for (int x = 0; x < fw; ++x) {
        const int cx = left + x;
        if (cx < 0 || cx >= cw) continue;
        const int index = line[static_cast<size_t>(x)];
        if (index == transparent || index >= colours->ColorCount) continue;  // stays transparent
        const GifColorType& c = colours->Colors[index];
        uint8_t* p = &out.pixels[(static_cast<size_t>(cy) * static_cast<size_t>(cw) + static_cast<size_t>(cx)) * 4];
        p[0] = c.Red;
        p[1] = c.Green;
        p[2] = c.Blue;
        p[3] = 255;
      }
    }
  }
  // A truncated GIF (a deleted file partly overwritten, a carved one cut short) shows the rows it has.
  if (rows == 0) return fail("GIF decoding failed");
  return Fit(std::move(out), max_side);
}

// --- TIFF (libtiff): the first page (directory), through TIFFReadRGBAImage, which converts every photometric
// interpretation libtiff knows. Memory is read in place; libtiff's own allocations are capped, and its errors
// are collected for the message instead of going to stderr.
struct TiffSource {
  std::string_view bytes;
  uint64_t at = 0;
  std::string error;
};

tmsize_t ReadTiff(thandle_t h, void* buf, tmsize_t n) {
  auto* src = static_cast<TiffSource*>(h);
  if (n <= 0 || src->at >= src->bytes.size()) return 0;
  const size_t k = std::min(static_cast<size_t>(n), static_cast<size_t>(src->bytes.size() - src->at));
  std::memcpy(buf, src->bytes.data() + src->at, k);
  src->at += k;
  return static_cast<tmsize_t>(k);
}
tmsize_t WriteTiff(thandle_t, void*, tmsize_t) { return 0; }  // evidence is read only
toff_t SeekTiff(thandle_t h, toff_t off, int whence) {
  auto* src = static_cast<TiffSource*>(h);
  uint64_t base = whence == SEEK_CUR ? src->at : whence == SEEK_END ? src->bytes.size() : 0;
  src->at = base + off;  // toff_t is unsigned: libtiff passes a negative offset as its two's complement
  return src->at;
}
int CloseTiff(thandle_t) { return 0; }
toff_t SizeTiff(thandle_t h) { return static_cast<TiffSource*>(h)->bytes.size(); }
int MapTiff(thandle_t, void**, toff_t*) { return 0; }
void UnmapTiff(thandle_t, void*, toff_t) {}
int TiffError(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
  auto* src = static_cast<TiffSource*>(user);
  if (src->error.empty()) {
    char text[512];
    std::vsnprintf(text, sizeof(text), fmt, ap);
    src->error = std::string(module ? module : "libtiff") + ": " + text;
  }
  return 1;  // handled: nothing goes to stderr
}
int TiffWarning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

Result<Rgba> DecodeTiff(std::string_view bytes, int max_side, PictureSize* size) {
  TiffSource src;
  src.bytes = bytes;
  std::unique_ptr<TIFFOpenOptions, Deleter<TIFFOpenOptions, TIFFOpenOptionsFree>> options(TIFFOpenOptionsAlloc());
  if (!options) return Status::Internal("cannot start the TIFF decoder (libtiff)");
  TIFFOpenOptionsSetMaxSingleMemAlloc(options.get(), static_cast<tmsize_t>(kMaxDecodedPixels * 4));
  TIFFOpenOptionsSetErrorHandlerExtR(options.get(), TiffError, &src);
  TIFFOpenOptionsSetWarningHandlerExtR(options.get(), TiffWarning, &src);
  // "m": no memory mapping (the procedures above read the buffer).
  std::unique_ptr<TIFF, Deleter<TIFF, TIFFClose>> tif(TIFFClientOpenExt(
      "picture", "rm", &src, ReadTiff, WriteTiff, SeekTiff, CloseTiff, SizeTiff, MapTiff, UnmapTiff, options.get()));
  if (!tif) return Status::Corruption("not a decodable TIFF: " + src.error);
  uint32_t w = 0, h = 0;
  if (!TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w) || !TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h)) {
    return Status::Corruption("the TIFF has no image width or length");
  }
  if (Status st = CheckSize("TIFF", w, h, size); !st.ok()) return st;
  char why[1024] = "";
  if (!TIFFRGBAImageOK(tif.get(), why)) return Status::NotSupported(std::string("the TIFF cannot be shown: ") + why);
  Rgba out = Blank(static_cast<int>(w), static_cast<int>(h));
  // TIFFReadRGBAImage writes one uint32 per pixel, R in the low byte: on a little-endian machine that is
  // R G B A in memory already. stop_on_error 0: a damaged strip leaves a gap, the rest still shows.
  auto* raster = reinterpret_cast<uint32_t*>(out.pixels.data());
  if (!TIFFReadRGBAImageOriented(tif.get(), w, h, raster, ORIENTATION_TOPLEFT, 0)) {
    return Status::Corruption("TIFF decoding failed: " +
                              (src.error.empty() ? std::string("unknown error") : src.error));
  }
  if constexpr (std::endian::native == std::endian::big) {
    for (size_t i = 0; i < static_cast<size_t>(w) * h; ++i) {
      const uint32_t v = raster[i];
      uint8_t* p = &out.pixels[i * 4];
      p[0] = static_cast<uint8_t>(TIFFGetR(v));
      p[1] = static_cast<uint8_t>(TIFFGetG(v));
      p[2] = static_cast<uint8_t>(TIFFGetB(v));
      p[3] = static_cast<uint8_t>(TIFFGetA(v));
    }
  }
  return Fit(std::move(out), max_side);
}

// --- WebP (libwebp): a still picture decoded straight to the size asked for; an animation's first frame through
// libwebpdemux's animation decoder (WebPDecode refuses animations).
Result<Rgba> DecodeWebp(std::string_view bytes, int max_side, PictureSize* size) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  WebPBitstreamFeatures features{};
  if (WebPGetFeatures(data, bytes.size(), &features) != VP8_STATUS_OK) {
    return Status::Corruption("not a decodable WebP: its header does not read");
  }
  if (Status st = CheckSize("WebP", features.width, features.height, size); !st.ok()) return st;
  if (!features.has_animation) {
    // A still picture is decoded straight to the size asked for: libwebp's rescaler averages the rows as
    // they come, so no whole-size buffer is made.
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) return Status::Internal("cannot start the WebP decoder (libwebp)");
    int tw = 0, th = 0;
    TargetSize(features.width, features.height, max_side, &tw, &th);
    if (tw < features.width || th < features.height) {
      config.options.use_scaling = 1;
      config.options.scaled_width = tw;
      config.options.scaled_height = th;
    }
    Rgba out = Blank(tw, th);
    config.output.colorspace = MODE_RGBA;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = out.pixels.data();
    config.output.u.RGBA.stride = tw * 4;
    config.output.u.RGBA.size = out.pixels.size();
    const VP8StatusCode status = WebPDecode(data, bytes.size(), &config);
    WebPFreeDecBuffer(&config.output);
    if (status != VP8_STATUS_OK) {
      return Status::Corruption("WebP decoding failed: the picture data is damaged or cut short");
    }
    return out;
  }
  WebPAnimDecoderOptions options;
  if (!WebPAnimDecoderOptionsInit(&options)) return Status::Internal("cannot start the WebP animation decoder");
  options.color_mode = MODE_RGBA;
  options.use_threads = 0;
  const WebPData whole = {data, bytes.size()};
  std::unique_ptr<WebPAnimDecoder, Deleter<WebPAnimDecoder, WebPAnimDecoderDelete>> anim(
      WebPAnimDecoderNew(&whole, &options));
  if (!anim) return Status::Corruption("not a decodable animated WebP");
  WebPAnimInfo info{};
  if (!WebPAnimDecoderGetInfo(anim.get(), &info)) return Status::Corruption("not a decodable animated WebP");
  if (Status st = CheckSize("WebP", info.canvas_width, info.canvas_height, size); !st.ok()) return st;
  uint8_t* canvas = nullptr;
  int timestamp = 0;
  if (!WebPAnimDecoderGetNext(anim.get(), &canvas, &timestamp) || !canvas) {
    return Status::Corruption("WebP decoding failed: the first frame of the animation is damaged");
  }
  Rgba out = Blank(static_cast<int>(info.canvas_width), static_cast<int>(info.canvas_height));
  std::memcpy(out.pixels.data(), canvas, out.pixels.size());
  return Fit(std::move(out), max_side);
}

// --- HEIF/HEIC and AVIF (libheif, with libde265 for HEVC): the primary image, its rotation and mirroring
// applied, HDR brought down to 8 bits.
std::string HeifMessage(const heif_error& e) { return e.message ? e.message : "unknown error"; }

Result<Rgba> DecodeHeif(std::string_view bytes, int max_side, PictureSize* size) {
  static const heif_error kInit = heif_init(nullptr);  // once per process, thread-safe (a static's init)
  if (kInit.code != heif_error_Ok) return Status::Internal("cannot start libheif: " + HeifMessage(kInit));
  std::unique_ptr<heif_context, Deleter<heif_context, heif_context_free>> ctx(heif_context_alloc());
  if (!ctx) return Status::Internal("cannot start the HEIF decoder (libheif)");
  heif_context_set_maximum_image_size_limit(ctx.get(), 1 << 16);  // libheif's own check, on each side
  heif_error e = heif_context_read_from_memory_without_copy(ctx.get(), bytes.data(), bytes.size(), nullptr);
  if (e.code != heif_error_Ok) return Status::Corruption("not a decodable HEIF: " + HeifMessage(e));
  heif_image_handle* raw_handle = nullptr;
  e = heif_context_get_primary_image_handle(ctx.get(), &raw_handle);
  std::unique_ptr<heif_image_handle, Deleter<heif_image_handle, heif_image_handle_release>> handle(raw_handle);
  if (e.code != heif_error_Ok || !handle) return Status::Corruption("the HEIF has no primary image: " + HeifMessage(e));
  const int w = heif_image_handle_get_width(handle.get()), h = heif_image_handle_get_height(handle.get());
  if (Status st = CheckSize("HEIF", w, h, size); !st.ok()) return st;
  std::unique_ptr<heif_decoding_options, Deleter<heif_decoding_options, heif_decoding_options_free>> options(
      heif_decoding_options_alloc());
  if (!options) return Status::Internal("cannot start the HEIF decoder (libheif)");
  options->convert_hdr_to_8bit = 1;
  heif_image* raw_image = nullptr;
  e = heif_decode_image(handle.get(), &raw_image, heif_colorspace_RGB, heif_chroma_interleaved_RGBA, options.get());
  std::unique_ptr<heif_image, Deleter<heif_image, heif_image_release>> image(raw_image);
  if (e.code != heif_error_Ok || !image) return Status::Corruption("HEIF decoding failed: " + HeifMessage(e));
  const int iw = heif_image_get_width(image.get(), heif_channel_interleaved);
  const int ih = heif_image_get_height(image.get(), heif_channel_interleaved);
  int stride = 0;
  const uint8_t* plane = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
  if (!plane || iw <= 0 || ih <= 0 || static_cast<int64_t>(iw) * ih > kMaxDecodedPixels || stride < iw * 4) {
    return Status::Corruption("HEIF decoding failed: libheif returned no usable picture");
  }
  Rgba out = Blank(iw, ih);
  for (int y = 0; y < ih; ++y) {
    std::memcpy(&out.pixels[static_cast<size_t>(y) * static_cast<size_t>(iw) * 4],
                plane + static_cast<size_t>(y) * static_cast<size_t>(stride), static_cast<size_t>(iw) * 4);
  }
  return Fit(std::move(out), max_side);
}

// --- BMP (gdk-pixbuf's BMP loader). Its "size-prepared" signal gives the header's size before the loader
// allocates; a size of 0 x 0 set there tells the loader to stop (GdkPixbufModuleSizeFunc's contract, which
// gdk_pixbuf_get_file_info relies on).
struct BmpProbe {
  int width = 0, height = 0;
  bool refused = false;
};

void OnBmpSize(GdkPixbufLoader* loader, int w, int h, gpointer user) {
  auto* probe = static_cast<BmpProbe*>(user);
  probe->width = w;
  probe->height = h;
  if (w <= 0 || h <= 0 || static_cast<int64_t>(w) * h > kMaxDecodedPixels) {
    probe->refused = true;
    gdk_pixbuf_loader_set_size(loader, 0, 0);
  }
}

Result<Rgba> DecodeBmp(std::string_view bytes, int max_side, PictureSize* size) {
  // Two header fields are checked against the bytes before gdk-pixbuf sees them. The loader reports no error
  // for a file cut short and leaves the rows it never got as they were: the file's own size in its header
  // (when it gives one) says whether every byte is there. And it allocates a buffer as large as the offset of
  // the pixel data, whatever that is: the picture fuzz target found a 139-byte file whose offset of 4 GiB
  // kept the loader busy past the fuzzer's 20-second limit.
  const uint32_t declared = Le32(bytes, 2), pixels_at = Le32(bytes, 10);
  if (declared > bytes.size()) {
    return Status::Corruption("the BMP is cut short: its header says " + std::to_string(declared) + " bytes, " +
                              std::to_string(bytes.size()) + " are there");
  }
  if (pixels_at > bytes.size()) {
    return Status::Corruption("not a decodable BMP: its pixels would start at byte " + std::to_string(pixels_at) +
                              ", past its end (" + std::to_string(bytes.size()) + " bytes)");
  }
  GError* error = nullptr;
  const auto message = [&error](const char* what) {
    std::string text = std::string(what) + ": " + (error && error->message ? error->message : "unknown error");
    g_clear_error(&error);
    return text;
  };
  std::unique_ptr<GdkPixbufLoader, Deleter<void, g_object_unref>> loader(
      gdk_pixbuf_loader_new_with_type("bmp", &error));
  if (!loader) return Status::Internal(message("cannot start the BMP decoder (gdk-pixbuf)"));
  BmpProbe probe;
  g_signal_connect(loader.get(), "size-prepared", G_CALLBACK(OnBmpSize), &probe);
  const bool written =
      gdk_pixbuf_loader_write(loader.get(), reinterpret_cast<const guchar*>(bytes.data()), bytes.size(), &error);
  std::string failed = written ? "" : message("BMP decoding failed");
  // Closing reports a picture cut short. gdk-pixbuf does not say what the rows it never wrote hold, so a
  // damaged BMP gives an error rather than the rows it has (unlike JPEG, GIF and TIFF).
  if (!gdk_pixbuf_loader_close(loader.get(), written ? &error : nullptr) && written) {
    failed = message("BMP decoding failed");
  }
  if (probe.width > 0 || probe.height > 0) {
    if (Status st = CheckSize("BMP", probe.width, probe.height, size); !st.ok()) return st;
  }
  if (probe.refused) return Refused("BMP", probe.width, probe.height, kMaxDecodedPixels);
  if (!failed.empty()) return Status::Corruption(failed);
  GdkPixbuf* pixbuf = gdk_pixbuf_loader_get_pixbuf(loader.get());  // owned by the loader
  if (!pixbuf) return Status::Corruption("not a decodable BMP");
  const int w = gdk_pixbuf_get_width(pixbuf), h = gdk_pixbuf_get_height(pixbuf);
  const int channels = gdk_pixbuf_get_n_channels(pixbuf), stride = gdk_pixbuf_get_rowstride(pixbuf);
  if (gdk_pixbuf_get_bits_per_sample(pixbuf) != 8 || (channels != 3 && channels != 4) || w <= 0 || h <= 0 ||
      static_cast<int64_t>(w) * h > kMaxDecodedPixels) {
    return Status::Corruption("BMP decoding failed: gdk-pixbuf returned an unexpected pixel layout");
  }
  const guchar* pixels = gdk_pixbuf_read_pixels(pixbuf);
  Rgba out = Blank(w, h);
  for (int y = 0; y < h; ++y) {
    const guchar* row = pixels + static_cast<size_t>(y) * static_cast<size_t>(stride);
    uint8_t* o = &out.pixels[static_cast<size_t>(y) * static_cast<size_t>(w) * 4];
    for (int x = 0; x < w; ++x, row += channels, o += 4) {
      o[0] = row[0];
      o[1] = row[1];
      o[2] = row[2];
      o[3] = channels == 4 ? row[3] : 255;
    }
  }
  return Fit(std::move(out), max_side);
}

bool HasPrefix(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

std::string_view PictureFormat(std::string_view head) {
  using namespace std::string_view_literals;
  if (HasPrefix(head, "\xFF\xD8\xFF"sv)) return "jpeg";
  if (HasPrefix(head, "\x89PNG\r\n\x1a\n"sv)) return "png";
  if (HasPrefix(head, "GIF87a"sv) || HasPrefix(head, "GIF89a"sv)) return "gif";
  // TIFF and BigTIFF, little- and big-endian.
  if (HasPrefix(head, "II*\0"sv) || HasPrefix(head, "MM\0*"sv) || HasPrefix(head, "II+\0"sv) ||
      HasPrefix(head, "MM\0+"sv)) {
    return "tiff";
  }
  if (head.size() >= 12 && HasPrefix(head, "RIFF"sv) && head.substr(8, 4) == "WEBP"sv) return "webp";
  // ISO base media: a `ftyp` box whose major brand is one of HEIF's (HEVC stills and sequences, the generic
  // image brands) or AVIF's, which libheif also decodes.
  if (head.size() >= 12 && head.substr(4, 4) == "ftyp"sv) {
    static constexpr std::string_view kBrands[] = {"heic", "heix", "heim", "heis", "hevc",
                                                   "hevx", "mif1", "msf1", "avif", "avis"};
    const std::string_view brand = head.substr(8, 4);
    if (std::find(std::begin(kBrands), std::end(kBrands), brand) != std::end(kBrands)) return "heif";
  }
  // "BM" alone is two letters of text: the DIB header's own size (offset 14) must be one of the known ones.
  if (head.size() >= 18 && HasPrefix(head, "BM"sv)) {
    const uint32_t dib = Le32(head, 14);
    if (dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124) return "bmp";
  }
  return "";
}

Result<Rgba> DecodePicture(std::string_view bytes, int max_side, PictureSize* size) {
  if (max_side <= 0) return Status::InvalidArgument("a picture must be decoded to at least one pixel");
  const std::string_view format = PictureFormat(bytes.substr(0, 32));
  if (format == "jpeg") return DecodeJpeg(bytes, max_side, size);
  if (format == "png") return DecodePng(bytes, max_side, size);
  if (format == "gif") return DecodeGif(bytes, max_side, size);
  if (format == "tiff") return DecodeTiff(bytes, max_side, size);
  if (format == "webp") return DecodeWebp(bytes, max_side, size);
  if (format == "heif") return DecodeHeif(bytes, max_side, size);
  if (format == "bmp") return DecodeBmp(bytes, max_side, size);
  return Status::NotSupported("not a picture Custos decodes (JPEG, PNG, GIF, BMP, TIFF, WebP, HEIF/HEIC, AVIF)");
}

}  // namespace custos
