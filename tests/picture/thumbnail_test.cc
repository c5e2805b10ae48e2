// Thumbnails of pictures made by cjpeg (from pixels Python writes) and by Python's zlib (PNG, chunk by chunk
// as the PNG specification lays them out); GIF, BMP and TIFF made by ImageMagick's convert, WebP by cwebp and
// img2webp, HEIC and AVIF by heif-enc (libheif's encoders, x265 and libaom). Sizes are checked with exiftool on the
// inputs and on the thumbnails; colours by decoding the thumbnail with djpeg. Hostile headers (huge dimensions, with a
// valid PNG CRC; patched GIF, BMP, TIFF, WebP and HEIC headers that exiftool reads back) must be refused
// without a large allocation, and damaged pictures give an error or the part that is there, never a crash.
#include "triage/picture/thumbnail.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}
std::string Exif(const std::string& path, const std::string& tag) {
  const auto r = Shell("exiftool -s3 -" + tag + " " + ShellQuote(path));
  return r.out.substr(0, r.out.find('\n'));
}

class ThumbnailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The fixtures' tools come from scripts/install-deps.sh: without them the test fails, never skips.
    ASSERT_EQ(Shell("command -v cjpeg && command -v djpeg && command -v exiftool && command -v python3").exit_code, 0)
        << "cjpeg/djpeg (libjpeg-turbo-progs), exiftool or python3 missing: run scripts/install-deps.sh";
  }
  TempDir dir;
  void Py(const std::string& script) {
    WriteFile(dir.File("gen.py"), script);
    ASSERT_EQ(Shell("cd " + ShellQuote(dir.path().string()) + " && python3 gen.py").exit_code, 0) << script;
  }
};

TEST_F(ThumbnailTest, JpegScaledToTheLongestSideWithItsSize) {
  Py(R"py(
w, h = 640, 480
open("red.ppm", "wb").write(b"P6 %d %d 255\n" % (w, h) + bytes([230, 20, 20]) * (w * h))
)py");
  ASSERT_EQ(Shell("cd " + ShellQuote(dir.path().string()) + " && cjpeg -quality 95 red.ppm > red.jpg").exit_code, 0);
  const std::string src = dir.File("red.jpg");
  const Thumbnail t = MakeThumbnail(ReadFile(src));
  ASSERT_TRUE(t.error.empty()) << t.error;
  EXPECT_EQ(std::to_string(t.width), Exif(src, "ImageWidth"));
  EXPECT_EQ(std::to_string(t.height), Exif(src, "ImageHeight"));
  WriteFile(dir.File("thumb.jpg"), t.jpeg);
  EXPECT_EQ(Exif(dir.File("thumb.jpg"), "ImageWidth"), "160");
  EXPECT_EQ(Exif(dir.File("thumb.jpg"), "ImageHeight"), "120");
  // The colour survives: djpeg decodes the thumbnail, Python reads a pixel of the PPM.
  const auto px = Shell("djpeg -pnm " + ShellQuote(dir.File("thumb.jpg")) +
                        " | python3 -c \"import sys; d = sys.stdin.buffer.read(); i = d.index(b'255\\n') + 4; "
                        "print(d[i], d[i+1], d[i+2])\"");
  int r = 0, g = 0, b = 0;
  ASSERT_EQ(std::sscanf(px.out.c_str(), "%d %d %d", &r, &g, &b), 3) << px.out;
  EXPECT_NEAR(r, 230, 12);
  EXPECT_NEAR(g, 20, 12);
  EXPECT_NEAR(b, 20, 12);
}

TEST_F(ThumbnailTest, PortraitAndTinyPictures) {
  Py(R"py(
import random
random.seed(3)
open("tall.ppm", "wb").write(b"P6 90 300 255\n" + bytes(random.getrandbits(8) for _ in range(90 * 300 * 3)))
open("tiny.ppm", "wb").write(b"P6 7 5 255\n" + bytes(random.getrandbits(8) for _ in range(7 * 5 * 3)))
)py");
  ASSERT_EQ(
      Shell("cd " + ShellQuote(dir.path().string()) + " && cjpeg tall.ppm > tall.jpg && cjpeg tiny.ppm > tiny.jpg")
          .exit_code,
      0);
  const Thumbnail tall = MakeThumbnail(ReadFile(dir.File("tall.jpg")));
  ASSERT_TRUE(tall.error.empty()) << tall.error;
  EXPECT_EQ(tall.width, 90);
  EXPECT_EQ(tall.height, 300);
  WriteFile(dir.File("t1.jpg"), tall.jpeg);
  EXPECT_EQ(Exif(dir.File("t1.jpg"), "ImageHeight"), "160");
  EXPECT_EQ(Exif(dir.File("t1.jpg"), "ImageWidth"), "48");  // 90 * 160 / 300
  const Thumbnail tiny = MakeThumbnail(ReadFile(dir.File("tiny.jpg")));
  ASSERT_TRUE(tiny.error.empty()) << tiny.error;
  WriteFile(dir.File("t2.jpg"), tiny.jpeg);
  EXPECT_EQ(Exif(dir.File("t2.jpg"), "ImageWidth"), "7");  // never enlarged
  EXPECT_EQ(Exif(dir.File("t2.jpg"), "ImageHeight"), "5");
}

// PNGs written chunk by chunk (signature, IHDR, IDAT, IEND with their CRCs), RGB and RGBA.
const char* kPngWriter = R"py(
import struct, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
def png(w, h, color_type, pixel, ihdr_size=None):
    channels = 3 if color_type == 2 else 4
    raw = b"".join(b"\x00" + pixel * w for _ in range(h))
    iw, ih = ihdr_size or (w, h)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", iw, ih, 8, color_type, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
)py";

TEST_F(ThumbnailTest, PngRgbAndRgba) {
  Py(std::string(kPngWriter) + R"py(
open("wide.png", "wb").write(png(300, 200, 2, bytes([10, 200, 30])))
open("alpha.png", "wb").write(png(50, 80, 6, bytes([0, 0, 255, 255])))
)py");
  EXPECT_NE(Shell("file " + ShellQuote(dir.File("wide.png"))).out.find("300 x 200"), std::string::npos);
  const Thumbnail wide = MakeThumbnail(ReadFile(dir.File("wide.png")));
  ASSERT_TRUE(wide.error.empty()) << wide.error;
  EXPECT_EQ(wide.width, 300);
  EXPECT_EQ(wide.height, 200);
  WriteFile(dir.File("w.jpg"), wide.jpeg);
  EXPECT_EQ(Exif(dir.File("w.jpg"), "ImageWidth"), "160");
  EXPECT_EQ(Exif(dir.File("w.jpg"), "ImageHeight"), "107");  // 200 * 160 / 300, rounded
  const Thumbnail alpha = MakeThumbnail(ReadFile(dir.File("alpha.png")));
  ASSERT_TRUE(alpha.error.empty()) << alpha.error;
  EXPECT_EQ(alpha.width, 50);
  EXPECT_EQ(alpha.height, 80);
}

TEST_F(ThumbnailTest, HostileHeadersAreRefusedWithoutDecoding) {
  // A PNG whose IHDR claims 100000 x 100000 (a valid CRC): 10 gigapixels.
  Py(std::string(kPngWriter) + R"py(
open("huge.png", "wb").write(png(4, 4, 2, bytes([1, 2, 3]), ihdr_size=(100000, 100000)))
)py");
  EXPECT_NE(Shell("file " + ShellQuote(dir.File("huge.png"))).out.find("100000 x 100000"), std::string::npos);
  const Thumbnail png = MakeThumbnail(ReadFile(dir.File("huge.png")));
  EXPECT_TRUE(png.jpeg.empty());
  EXPECT_EQ(png.width, 100000);
  EXPECT_NE(png.error.find("refused"), std::string::npos) << png.error;

  // A JPEG whose SOF0 says 65000 x 65000: its dimension bytes patched after cjpeg made it.
  Py(R"py(
open("s.ppm", "wb").write(b"P6 16 16 255\n" + bytes(16 * 16 * 3))
)py");
  ASSERT_EQ(Shell("cd " + ShellQuote(dir.path().string()) + " && cjpeg -baseline s.ppm > s.jpg").exit_code, 0);
  std::string jpeg = ReadFile(dir.File("s.jpg"));
  const size_t sof = jpeg.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  jpeg[sof + 5] = jpeg[sof + 7] = static_cast<char>(0xFD);  // height and width 0xFDE8 = 65000
  jpeg[sof + 6] = jpeg[sof + 8] = static_cast<char>(0xE8);
  WriteFile(dir.File("huge.jpg"), jpeg);
  EXPECT_EQ(Exif(dir.File("huge.jpg"), "ImageWidth"), "65000");
  const Thumbnail big = MakeThumbnail(jpeg);
  EXPECT_TRUE(big.jpeg.empty());
  EXPECT_EQ(big.height, 65000);
  EXPECT_NE(big.error.find("refused"), std::string::npos) << big.error;
}

TEST_F(ThumbnailTest, DamagedPicturesGiveAnErrorOrWhatIsThere) {
  Py(R"py(
import random
random.seed(9)
open("p.ppm", "wb").write(b"P6 200 100 255\n" + bytes(random.getrandbits(8) for _ in range(200 * 100 * 3)))
)py");
  ASSERT_EQ(Shell("cd " + ShellQuote(dir.path().string()) + " && cjpeg p.ppm > p.jpg").exit_code, 0);
  const std::string jpeg = ReadFile(dir.File("p.jpg"));
  const Thumbnail half = MakeThumbnail(jpeg.substr(0, jpeg.size() / 2));  // a truncated photo: still shown
  EXPECT_EQ(half.width, 200);
  EXPECT_TRUE(half.error.empty()) << half.error;  // libjpeg's "premature end" is a warning, not fatal
  EXPECT_FALSE(half.jpeg.empty());
  const Thumbnail junk = MakeThumbnail(std::string("\xFF\xD8\xFF\xE0") + std::string(100, 'x'));
  EXPECT_TRUE(junk.jpeg.empty());
  EXPECT_FALSE(junk.error.empty());
  const Thumbnail png = MakeThumbnail(std::string("\x89PNG\r\n\x1a\n", 8) + "garbage");
  EXPECT_TRUE(png.jpeg.empty());
  EXPECT_FALSE(png.error.empty());
  EXPECT_EQ(PictureFormat("%PDF-1.4 not a picture"), "");
}

// The pixel at (x, y) of a JPEG as djpeg decodes it (Python reads the PPM).
std::tuple<int, int, int> JpegPixel(const std::string& jpeg_path, int x, int y) {
  const auto r = Shell("djpeg -pnm " + ShellQuote(jpeg_path) +
                       " | python3 -c \"import re, sys; d = sys.stdin.buffer.read(); "
                       "m = re.match(rb'P6\\s+(\\d+)\\s+(\\d+)\\s+255\\s', d); w = int(m.group(1)); "
                       "i = m.end() + (" +
                       std::to_string(y) + " * w + " + std::to_string(x) + ") * 3; print(d[i], d[i+1], d[i+2])\"");
  int rr = -1, g = -1, b = -1;
  std::sscanf(r.out.c_str(), "%d %d %d", &rr, &g, &b);
  return {rr, g, b};
}

#define EXPECT_COLOUR(pixel, r, g, b, tolerance) \
  do {                                           \
    const auto [pr, pg, pb] = (pixel);           \
    EXPECT_NEAR(pr, r, tolerance) << "red";      \
    EXPECT_NEAR(pg, g, tolerance) << "green";    \
    EXPECT_NEAR(pb, b, tolerance) << "blue";     \
  } while (0)

class PictureFormatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The encoders are part of the test tools scripts/install-deps.sh installs: missing, the test fails.
    ASSERT_EQ(Shell("command -v convert && command -v identify && command -v cwebp && command -v img2webp && "
                    "command -v heif-enc && command -v exiftool && command -v djpeg && command -v python3")
                  .exit_code,
              0)
        << "imagemagick, webp, libheif-examples, libimage-exiftool-perl, libjpeg-turbo-progs: run "
           "scripts/install-deps.sh";
  }
  TempDir dir;
  void Run(const std::string& commands) {
    const auto r = Shell("set -e; cd " + ShellQuote(dir.path().string()) + "; (\n" + commands + "\n) 2>&1");
    ASSERT_EQ(r.exit_code, 0) << commands << "\n" << r.out;
  }
  // A 300 x 200 picture, red on its top half and blue on its bottom half (so a picture decoded upside down,
  // as a BMP's bottom-up rows could be, shows), in each format; HEIC and WebP from a truecolour PNG that
  // convert writes (heif-enc 1.15 turns a palette PNG's colours to mush).
  void MakeRedOverBlue() {
    Run("convert -size 300x100 xc:'rgb(220,30,30)' -size 300x100 xc:'rgb(30,30,220)' -append PNG24:rb.png\n"
        "convert rb.png rb.gif\n"
        "convert rb.png rb.bmp\n"
        "convert rb.png -compress lzw rb.tiff\n"
        "cwebp -quiet -q 90 rb.png -o rb.webp\n"
        "heif-enc -q 90 rb.png -o rb.heic\n"
        "heif-enc --avif -q 60 rb.png -o rb.avif");
  }
};

TEST_F(PictureFormatsTest, EachFormatGetsAThumbnailOfItsOwnSizeTheRightWayUp) {
  MakeRedOverBlue();
  for (const char* name : {"rb.gif", "rb.bmp", "rb.tiff", "rb.webp", "rb.heic", "rb.avif"}) {
    SCOPED_TRACE(name);
    const std::string src = dir.File(name);
    const std::string bytes = ReadFile(src);
    EXPECT_FALSE(PictureFormat(bytes.substr(0, 32)).empty());
    const Thumbnail t = MakeThumbnail(bytes);
    ASSERT_TRUE(t.error.empty()) << t.error;
    EXPECT_EQ(std::to_string(t.width), Exif(src, "ImageWidth"));  // 300, as exiftool reads the header
    EXPECT_EQ(std::to_string(t.height), Exif(src, "ImageHeight"));
    const std::string thumb = dir.File(std::string(name) + ".thumb.jpg");
    WriteFile(thumb, t.jpeg);
    EXPECT_EQ(Exif(thumb, "ImageWidth"), "160");
    EXPECT_EQ(Exif(thumb, "ImageHeight"), "107");  // 200 * 160 / 300, rounded
    // Lossy HEVC and VP8 with 4:2:0 chroma, then the thumbnail's JPEG: a generous tolerance, still far from
    // the other colour.
    EXPECT_COLOUR(JpegPixel(thumb, 80, 20), 220, 30, 30, 40);
    EXPECT_COLOUR(JpegPixel(thumb, 80, 90), 30, 30, 220, 40);

    // The viewer's path: the same decoder to RGBA at another size, opaque.
    PictureSize size;
    Result<Rgba> rgba = DecodePicture(bytes, 64, &size);
    ASSERT_TRUE(rgba.ok()) << rgba.status().message();
    EXPECT_EQ(size.width, 300);
    EXPECT_EQ(rgba->width, 64);
    EXPECT_EQ(rgba->height, 43);  // 200 * 64 / 300, rounded
    ASSERT_EQ(rgba->pixels.size(), 64u * 43u * 4u);
    EXPECT_NEAR(rgba->pixels[(2 * 64 + 32) * 4 + 0], 220, 40);   // row 2: red
    EXPECT_NEAR(rgba->pixels[(40 * 64 + 32) * 4 + 2], 220, 40);  // row 40: blue
    EXPECT_EQ(rgba->pixels[3], 255);
  }
}

TEST_F(PictureFormatsTest, AnAnimationOrAMultiPageFileGivesItsFirstFrame) {
  // Two frames or pages: green first, then magenta. identify counts them.
  Run("convert -size 64x48 xc:'rgb(20,200,20)' xc:'rgb(200,20,200)' -loop 0 two.gif\n"
      "convert -size 64x48 xc:'rgb(20,200,20)' xc:'rgb(200,20,200)' two.tiff\n"
      "convert -size 64x48 xc:'rgb(20,200,20)' f1.png; convert -size 64x48 xc:'rgb(200,20,200)' f2.png\n"
      "img2webp -lossless f1.png f2.png -o two.webp >/dev/null");
  for (const char* name : {"two.gif", "two.tiff", "two.webp"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(Shell("identify " + ShellQuote(dir.File(name)) + " | wc -l").out, "2\n");
    const Thumbnail t = MakeThumbnail(ReadFile(dir.File(name)));
    ASSERT_TRUE(t.error.empty()) << t.error;
    EXPECT_EQ(t.width, 64);
    EXPECT_EQ(t.height, 48);
    WriteFile(dir.File("t.jpg"), t.jpeg);
    EXPECT_COLOUR(JpegPixel(dir.File("t.jpg"), 32, 24), 20, 200, 20, 25);
  }
}

TEST_F(PictureFormatsTest, InterlacedAndTransparentGifs) {
  // Interlaced rows arrive in four passes; transparency is composed onto black, as for a PNG's alpha.
  Run("convert -size 40x40 xc:'rgb(220,30,30)' -size 40x40 xc:'rgb(30,30,220)' -append -interlace GIF il.gif\n"
      "convert -size 20x20 xc:none -size 20x20 xc:'rgb(220,30,30)' +append tr.gif");
  EXPECT_NE(Shell("identify -verbose " + ShellQuote(dir.File("il.gif"))).out.find("Interlace: GIF"), std::string::npos);
  const Thumbnail il = MakeThumbnail(ReadFile(dir.File("il.gif")));
  ASSERT_TRUE(il.error.empty()) << il.error;
  EXPECT_EQ(il.height, 80);
  WriteFile(dir.File("il.jpg"), il.jpeg);
  for (int y : {1, 10, 21, 38, 42, 55, 63, 78}) {
    SCOPED_TRACE("row " + std::to_string(y));
    if (y < 40) {
      EXPECT_COLOUR(JpegPixel(dir.File("il.jpg"), 20, y), 220, 30, 30, 25);
    } else {
      EXPECT_COLOUR(JpegPixel(dir.File("il.jpg"), 20, y), 30, 30, 220, 25);
    }
  }
  const Thumbnail tr = MakeThumbnail(ReadFile(dir.File("tr.gif")));
  ASSERT_TRUE(tr.error.empty()) << tr.error;
  WriteFile(dir.File("tr.jpg"), tr.jpeg);
  EXPECT_COLOUR(JpegPixel(dir.File("tr.jpg"), 5, 10), 0, 0, 0, 15);
  EXPECT_COLOUR(JpegPixel(dir.File("tr.jpg"), 35, 10), 220, 30, 30, 25);
}

TEST_F(PictureFormatsTest, HostileHeadersAreRefusedBeforeDecoding) {
  MakeRedOverBlue();
  Run("cwebp -quiet -lossless rb.png -o lossless.webp");
  // Each header patched to claim a huge picture; exiftool reads the claim back from the patched file.
  Run(R"(python3 - <<'PY'
import struct
def patch(src, dst, f):
    d = bytearray(open(src, "rb").read()); f(d); open(dst, "wb").write(d)
def gif(d): d[6:10] = b"\xff\xff\xff\xff"                      # logical screen 65535 x 65535
def gif_frame(d):                                              # the screen stays, the frame claims 65535 x 65535
    at = 13 + (3 * 2 ** ((d[10] & 7) + 1) if d[10] & 0x80 else 0)
    while d[at] == 0x21:                                       # extensions: label, then sub-blocks
        at += 2
        while d[at]: at += d[at] + 1
        at += 1
    assert d[at] == 0x2C
    d[at + 5:at + 9] = b"\xff\xff\xff\xff"
def bmp(d): d[18:26] = struct.pack("<ii", 60000, 60000)
def tiff(d):
    bo = "<" if d[:2] == b"II" else ">"
    ifd = struct.unpack(bo + "I", d[4:8])[0]
    for i in range(struct.unpack(bo + "H", d[ifd:ifd + 2])[0]):
        e = ifd + 2 + 12 * i
        tag, kind = struct.unpack(bo + "HH", d[e:e + 4])
        if tag in (256, 257):
            d[e + 8:e + 12] = struct.pack(bo + "H", 65535) + b"\0\0" if kind == 3 else struct.pack(bo + "I", 65535)
def webp(d):                                                   # VP8L: 14 bits of width - 1, 14 of height - 1
    v = int.from_bytes(d[21:25], "little")
    d[21:25] = ((v & ~((1 << 28) - 1)) | 16383 | 16383 << 14).to_bytes(4, "little")
def heic(d):
    at = d.index(b"ispe") + 8                                  # after the version and flags
    d[at:at + 8] = struct.pack(">II", 60000, 60000)
patch("rb.gif", "huge.gif", gif)
patch("rb.gif", "huge-frame.gif", gif_frame)
patch("rb.bmp", "huge.bmp", bmp)
patch("rb.tiff", "huge.tiff", tiff)
patch("lossless.webp", "huge.webp", webp)
patch("rb.heic", "huge.heic", heic)
PY)");
  const struct {
    const char* name;
    const char* claimed;  // what exiftool reads from the patched header
  } cases[] = {{"huge.gif", "65535"},
               {"huge.bmp", "60000"},
               {"huge.tiff", "65535"},
               {"huge.webp", "16384"},
               {"huge.heic", "60000"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Exif(dir.File(c.name), "ImageWidth"), c.claimed);
    const Thumbnail t = MakeThumbnail(ReadFile(dir.File(c.name)));
    EXPECT_TRUE(t.jpeg.empty());
    EXPECT_EQ(std::to_string(t.width), c.claimed);
    EXPECT_NE(t.error.find("refused"), std::string::npos) << t.error;
  }
  // The frame inside a GIF of a sane screen: its descriptor's size is what the patch wrote.
  const Thumbnail frame = MakeThumbnail(ReadFile(dir.File("huge-frame.gif")));
  EXPECT_TRUE(frame.jpeg.empty());
  EXPECT_EQ(frame.width, 300);  // the screen's, which exiftool reads
  EXPECT_EQ(Exif(dir.File("huge-frame.gif"), "ImageWidth"), "300");
  EXPECT_NE(frame.error.find("refused: the GIF frame claims 65535 x 65535"), std::string::npos) << frame.error;
}

TEST_F(PictureFormatsTest, DamagedPicturesGiveAnErrorOrTheRowsThatAreThere) {
  MakeRedOverBlue();
  for (const char* name : {"rb.gif", "rb.bmp", "rb.tiff", "rb.webp", "rb.heic"}) {
    SCOPED_TRACE(name);
    const std::string bytes = ReadFile(dir.File(name));
    // The header alone, and the signature followed by noise: an error, no thumbnail.
    for (const std::string& damaged : {bytes.substr(0, 40), bytes.substr(0, 12) + std::string(3000, '\x5a')}) {
      const Thumbnail t = MakeThumbnail(damaged);
      EXPECT_TRUE(t.jpeg.empty());
      EXPECT_FALSE(t.error.empty());
    }
  }
  // Cut short: a GIF keeps the rows it has (a deleted picture partly overwritten still shows its top). A red
  // top over noise, so that most of the compressed bytes are the noise's and a cut at 60% falls below the red
  // rows.
  Run("convert -size 300x100 xc:'rgb(220,30,30)' \\( -size 300x100 xc: +noise Random \\) -append noisy.png\n"
      "convert noisy.png noisy.gif\n"
      "convert noisy.png -compress lzw noisy.tiff");
  const std::string gif = ReadFile(dir.File("noisy.gif"));
  const Thumbnail part = MakeThumbnail(gif.substr(0, gif.size() * 6 / 10));
  ASSERT_TRUE(part.error.empty()) << part.error;
  EXPECT_EQ(part.width, 300);
  WriteFile(dir.File("part.jpg"), part.jpeg);
  EXPECT_COLOUR(JpegPixel(dir.File("part.jpg"), 80, 5), 220, 30, 30, 40);
  // BMP, WebP and HEIC cut short give an error, and so does this TIFF: convert writes its directory last.
  for (const char* name : {"rb.bmp", "rb.webp", "rb.heic", "noisy.tiff"}) {
    SCOPED_TRACE(name);
    const std::string bytes = ReadFile(dir.File(name));
    const Thumbnail half = MakeThumbnail(bytes.substr(0, bytes.size() * 6 / 10));
    EXPECT_TRUE(half.jpeg.empty());
    EXPECT_FALSE(half.error.empty());
  }
  // Text that merely starts with "BM" is not taken for a bitmap.
  EXPECT_EQ(PictureFormat("BMW 320d, reg. AB12 CDE, seen at the harbour"), "");
}

// Inputs the picture fuzz target found (tests/fuzz/run-fuzz.sh), kept in tests/fuzz/regressions-picture/:
// each is a damaged picture, and must now give an error from the thumbnailer and the viewer's decoder alike.
TEST(PictureFuzzRegressions, EveryKeptInputGivesAnError) {
  int inputs = 0;
  for (const auto& input :
       std::filesystem::directory_iterator(std::string(CUSTOS_SOURCE_DIR) + "/tests/fuzz/regressions-picture")) {
    SCOPED_TRACE(input.path().filename().string());
    const std::string bytes = ReadFile(input.path().string());
    const Thumbnail t = MakeThumbnail(bytes);
    EXPECT_TRUE(t.jpeg.empty());
    EXPECT_FALSE(t.error.empty());
    EXPECT_FALSE(DecodePicture(bytes, 1024).ok());
    ++inputs;
  }
  EXPECT_GT(inputs, 0);
}

}  // namespace
}  // namespace custos::testing
