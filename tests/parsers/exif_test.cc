// media.exif on pictures the test makes (the corpus holds no picture with EXIF GPS): a plain JPEG from
// cjpeg, EXIF tags written by exiftool, and every expected value read back with `exiftool -n`, so the
// parser is compared with an independent reader, not with itself. Plus a minimal TIFF from python3.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A 16x8 JPEG without EXIF, from a PPM through cjpeg (libjpeg-turbo-progs).
std::string MakeJpeg(const TempDir& dir) {
  const std::string ppm = dir.File("plain.ppm");
  const std::string jpg = dir.File("plain.jpg");
  {
    std::ofstream out(ppm, std::ios::binary);
    out << "P6\n16 8\n255\n";
    for (int i = 0; i < 16 * 8; ++i) out << '\x80' << '\x40' << '\x20';
  }
  EXPECT_EQ(Shell("cjpeg " + ShellQuote(ppm) + " > " + ShellQuote(jpg)).exit_code, 0);
  return jpg;
}

// One tag's value as exiftool prints it with -n (numbers unconverted, signed GPS composites).
std::string Exiftool(const std::string& file, const std::string& tag) {
  std::string v = Shell("exiftool -n -s3 -" + tag + " " + ShellQuote(file)).out;
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
  return v;
}

TEST(ExifParser, CameraTimeAndSouthernHemisphereGpsMatchExiftool) {
  TempDir dir;
  const std::string jpg = MakeJpeg(dir);
  const std::string cmd =
      "exiftool -q -overwrite_original -Make=Canon '-Model=Canon EOS 5D' -SerialNumber=0123456789 "
      "'-OwnerName=J Doe' '-DateTimeOriginal=2021:06:15 14:30:45' -SubSecTimeOriginal=25 "
      "-OffsetTimeOriginal=+02:00 '-Software=GIMP 2.10' -Orientation#=6 -GPSLatitude=33.8568 -GPSLatitudeRef=S "
      "-GPSLongitude=151.2153 -GPSLongitudeRef=W -GPSAltitude=12.5 -GPSAltitudeRef#=1 -ExifImageWidth=16 "
      "-ExifImageHeight=8 " +
      ShellQuote(jpg);
  ASSERT_EQ(Shell(cmd).exit_code, 0) << "exiftool could not write the tags";

  const Parsed p = ParseFile("media.exif", jpg, "/DCIM/IMG_0001.JPG");
  EXPECT_TRUE(p.wanted);
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.Rows("picture.exif").size(), 1u);
  const ArtefactRow& r = *p.Rows("picture.exif")[0];
  EXPECT_EQ(p.Text(r, "make"), Exiftool(jpg, "Make"));
  EXPECT_EQ(p.Text(r, "model"), Exiftool(jpg, "Model"));
  EXPECT_EQ(p.Text(r, "body_serial"), Exiftool(jpg, "SerialNumber"));
  EXPECT_EQ(p.Text(r, "owner_name"), Exiftool(jpg, "OwnerName"));
  EXPECT_EQ(p.Text(r, "software"), Exiftool(jpg, "Software"));
  EXPECT_EQ(p.Text(r, "offset_taken"), Exiftool(jpg, "OffsetTimeOriginal"));
  EXPECT_EQ(std::to_string(*p.Int(r, "orientation")), Exiftool(jpg, "Orientation"));
  EXPECT_EQ(std::to_string(*p.Int(r, "width")), Exiftool(jpg, "ExifImageWidth"));
  EXPECT_EQ(std::to_string(*p.Int(r, "height")), Exiftool(jpg, "ExifImageHeight"));
  // exiftool: "2021:06:15 14:30:45" and sub-seconds "25": the local clock, kept as if UTC.
  EXPECT_EQ(Exiftool(jpg, "DateTimeOriginal"), "2021:06:15 14:30:45");
  EXPECT_EQ(Exiftool(jpg, "SubSecTimeOriginal"), "25");
  EXPECT_EQ(UtcText(p.Int(r, "date_taken")), "2021-06-15 14:30:45.250000");
  EXPECT_EQ(UtcText(r.time), "2021-06-15 14:30:45.250000");
  EXPECT_NE(r.time_zone_note.find("UTC+02:00"), std::string::npos) << r.time_zone_note;
  // The composite GPS tags are signed by their refs: S and W negative, altitude ref 1 below sea level.
  const size_t lat = 7, lon = 8, alt = 9;
  ASSERT_TRUE(std::holds_alternative<double>(r.values[lat]));
  EXPECT_NEAR(std::get<double>(r.values[lat]), std::atof(Exiftool(jpg, "Composite:GPSLatitude").c_str()), 1e-6);
  EXPECT_NEAR(std::get<double>(r.values[lon]), std::atof(Exiftool(jpg, "Composite:GPSLongitude").c_str()), 1e-6);
  EXPECT_NEAR(std::get<double>(r.values[alt]), std::atof(Exiftool(jpg, "Composite:GPSAltitude").c_str()), 1e-6);
  EXPECT_NEAR(std::get<double>(r.values[lat]), -33.8568, 1e-6);
  EXPECT_NEAR(std::get<double>(r.values[lon]), -151.2153, 1e-6);
  EXPECT_NEAR(std::get<double>(r.values[alt]), -12.5, 1e-6);
  ASSERT_EQ(p.kinds[0].fields[lat].name, "latitude");
  ASSERT_EQ(p.kinds[0].fields[alt].name, "altitude");

  // Cut copies keep at most the one row and never crash.
  const std::string bytes = Slurp(jpg);
  for (size_t cut : {size_t{3}, size_t{20}, size_t{100}, size_t{300}, bytes.size() / 2}) {
    EXPECT_LE(ParseBytes("media.exif", bytes.substr(0, cut), "/cut.jpg").out.rows.size(), 1u);
  }
}

TEST(ExifParser, NorthEastWithoutOffsetSaysTheZoneIsUnknown) {
  TempDir dir;
  const std::string jpg = MakeJpeg(dir);
  ASSERT_EQ(Shell("exiftool -q -overwrite_original -Make=Apple '-DateTimeOriginal=2019:01:02 03:04:05' "
                  "-GPSLatitude=51.5 -GPSLatitudeRef=N -GPSLongitude=0.25 -GPSLongitudeRef=E " +
                  ShellQuote(jpg))
                .exit_code,
            0);
  const Parsed p = ParseFile("media.exif", jpg, "/a.jpg");
  ASSERT_EQ(p.Rows("picture.exif").size(), 1u);
  const ArtefactRow& r = *p.Rows("picture.exif")[0];
  EXPECT_EQ(p.Text(r, "make"), "Apple");
  EXPECT_TRUE(p.IsNull(r, "offset_taken"));
  EXPECT_TRUE(p.IsNull(r, "altitude"));
  EXPECT_TRUE(p.IsNull(r, "body_serial"));
  EXPECT_NE(r.time_zone_note.find("zone unknown"), std::string::npos);
  EXPECT_EQ(UtcText(p.Int(r, "date_taken")), "2019-01-02 03:04:05.000000");
  EXPECT_NEAR(std::get<double>(r.values[7]), std::atof(Exiftool(jpg, "Composite:GPSLatitude").c_str()), 1e-6);
  EXPECT_NEAR(std::get<double>(r.values[8]), std::atof(Exiftool(jpg, "Composite:GPSLongitude").c_str()), 1e-6);
  EXPECT_NEAR(std::get<double>(r.values[7]), 51.5, 1e-6);
}

TEST(ExifParser, TiffFileIsReadToo) {
  TempDir dir;
  const std::string tif = dir.File("a.tif");
  // A 1x1 grey uncompressed little-endian TIFF (9 IFD entries), written by python3.
  const std::string py =
      "import struct,sys\n"
      "e=[(256,3,1,1),(257,3,1,1),(258,3,1,8),(259,3,1,1),(262,3,1,1),(273,4,1,8+2+9*12+4),(277,3,1,1),"
      "(278,3,1,1),(279,4,1,1)]\n"
      "b=b'II*\\x00'+struct.pack('<I',8)+struct.pack('<H',len(e))\n"
      "for t,f,c,v in e: b+=struct.pack('<HHI',t,f,c)+(struct.pack('<HH',v,0) if f==3 else struct.pack('<I',v))\n"
      "b+=struct.pack('<I',0)+b'\\x80'\n"
      "open(sys.argv[1],'wb').write(b)\n";
  ASSERT_EQ(Shell("python3 -c " + ShellQuote(py) + " " + ShellQuote(tif)).exit_code, 0);
  ASSERT_EQ(Shell("exiftool -q -overwrite_original -Make=Nikon -Model=D850 " + ShellQuote(tif)).exit_code, 0);
  ASSERT_EQ(Exiftool(tif, "Model"), "D850");
  const Parsed p = ParseFile("media.exif", tif, "/scan.tif");
  EXPECT_TRUE(p.wanted);
  ASSERT_EQ(p.Rows("picture.exif").size(), 1u);
  const ArtefactRow& r = *p.Rows("picture.exif")[0];
  EXPECT_EQ(p.Text(r, "make"), "Nikon");
  EXPECT_EQ(p.Text(r, "model"), "D850");
  EXPECT_EQ(p.Int(r, "width"), 1);  // ImageWidth, as exiftool -ImageWidth says
  EXPECT_EQ(Exiftool(tif, "ImageWidth"), "1");
}

TEST(ExifParser, PlainJpegAndOtherBytesGiveNoRows) {
  TempDir dir;
  const std::string jpg = MakeJpeg(dir);
  ASSERT_EQ(Exiftool(jpg, "Make"), "");  // cjpeg writes no EXIF
  const Parsed plain = ParseFile("media.exif", jpg, "/plain.jpg");
  EXPECT_TRUE(plain.wanted);
  EXPECT_TRUE(plain.status.ok());
  EXPECT_TRUE(plain.out.rows.empty());
  const Parsed text = ParseBytes("media.exif", "hello", "/x.jpg");
  EXPECT_FALSE(text.wanted);
  EXPECT_TRUE(text.out.rows.empty());
}

}  // namespace
}  // namespace custos::testing
