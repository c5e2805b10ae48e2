// Parser: EXIF metadata of pictures (JPEG, and TIFF-based files such as camera raw), read through
// libexif. It tells which camera (make, model, body serial, owner) took a picture, when (camera's
// local clock) and where (GPS), and which program last edited it.
#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

#include "parsers/common/field_values.h"
#include "parsers/parser.h"

namespace custos {
namespace {

constexpr std::string_view kJpeg("\xFF\xD8\xFF", 3);
constexpr std::string_view kTiffLittle("II*\0", 4);
constexpr std::string_view kTiffBig("MM\0*", 4);

bool IsJpeg(std::string_view b) { return b.substr(0, 3) == kJpeg; }
bool IsTiff(std::string_view b) { return b.substr(0, 4) == kTiffLittle || b.substr(0, 4) == kTiffBig; }

struct ExifDataHandle {
  ExifData* data = nullptr;
  ExifDataHandle() = default;
  ExifDataHandle(const ExifDataHandle&) = delete;
  ExifDataHandle& operator=(const ExifDataHandle&) = delete;
  ~ExifDataHandle() {
    if (data != nullptr) exif_data_unref(data);
  }
};

std::vector<FieldDecl> ExifFields() {
  return {
      {"make", FieldType::kText, "camera or phone maker (EXIF Make)"},
      {"model", FieldType::kText, "camera or phone model (EXIF Model)"},
      {"body_serial", FieldType::kText,
       "the camera body's serial number (EXIF BodySerialNumber): ties pictures to one device"},
      {"owner_name", FieldType::kText, "the owner name set in the camera (EXIF CameraOwnerName)"},
      {"date_taken", FieldType::kTime,
       "when the picture was taken (EXIF DateTimeOriginal, with SubSecTimeOriginal): the camera's LOCAL clock, no "
       "zone, stored as if it were UTC; offset_taken gives the zone when the camera recorded it"},
      {"offset_taken", FieldType::kText,
       "the camera's UTC offset at date_taken (EXIF OffsetTimeOriginal), e.g. +01:00"},
      {"date_modified", FieldType::kTime,
       "when the file was last changed by the camera or a program (EXIF DateTime): local clock stored as if UTC"},
      {"latitude", FieldType::kReal, "GPS latitude in signed decimal degrees (south negative), WGS-84"},
      {"longitude", FieldType::kReal, "GPS longitude in signed decimal degrees (west negative), WGS-84"},
      {"altitude", FieldType::kReal, "GPS altitude in metres (below sea level negative)"},
      {"orientation", FieldType::kInteger, "EXIF Orientation, 1-8 (1 upright, 6 rotated 90 degrees clockwise...)"},
      {"software", FieldType::kText, "the program or firmware that last wrote the picture (EXIF Software)"},
      {"width", FieldType::kInteger, "image width in pixels as EXIF records it (PixelXDimension, else ImageWidth)"},
      {"height", FieldType::kInteger, "image height in pixels as EXIF records it (PixelYDimension, else ImageLength)"},
  };
}

ExifEntry* Entry(ExifData* d, ExifIfd ifd, ExifTag tag) {
  if (d->ifd[ifd] == nullptr) return nullptr;
  return exif_content_get_entry(d->ifd[ifd], tag);
}

std::optional<std::string> Ascii(ExifData* d, ExifIfd ifd, ExifTag tag) {
  ExifEntry* e = Entry(d, ifd, tag);
  if (e == nullptr || e->data == nullptr || e->size == 0) return std::nullopt;
  if (e->format != EXIF_FORMAT_ASCII && e->format != EXIF_FORMAT_UNDEFINED) return std::nullopt;
  std::string s(reinterpret_cast<const char*>(e->data), e->size);
  s = s.substr(0, s.find('\0'));
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (s.empty()) return std::nullopt;
  return s;
}

// A SHORT or LONG value (both are allowed for dimensions).
std::optional<int64_t> Unsigned(ExifData* d, ExifIfd ifd, ExifTag tag) {
  ExifEntry* e = Entry(d, ifd, tag);
  if (e == nullptr || e->data == nullptr || e->components < 1) return std::nullopt;
  const ExifByteOrder order = exif_data_get_byte_order(d);
  if (e->format == EXIF_FORMAT_SHORT && e->size >= 2) return exif_get_short(e->data, order);
  if (e->format == EXIF_FORMAT_LONG && e->size >= 4) return exif_get_long(e->data, order);
  if (e->format == EXIF_FORMAT_BYTE && e->size >= 1) return e->data[0];
  return std::nullopt;
}

// The i-th RATIONAL of an entry as a double; nullopt when absent or its denominator is 0.
std::optional<double> Rational(ExifData* d, ExifEntry* e, unsigned i) {
  if (e == nullptr || e->data == nullptr || e->format != EXIF_FORMAT_RATIONAL || e->components <= i) {
    return std::nullopt;
  }
  const size_t at = static_cast<size_t>(i) * 8;
  if (e->size < at + 8) return std::nullopt;
  const ExifRational r = exif_get_rational(e->data + at, exif_data_get_byte_order(d));
  if (r.denominator == 0) return std::nullopt;
  return static_cast<double>(r.numerator) / r.denominator;
}

// Degrees, minutes, seconds (three RATIONALs) signed by the reference letter (S or W negative).
std::optional<double> Coordinate(ExifData* d, ExifTag value_tag, ExifTag ref_tag, char negative) {
  ExifEntry* e = Entry(d, EXIF_IFD_GPS, value_tag);
  const auto deg = Rational(d, e, 0);
  if (!deg) return std::nullopt;
  const double min = Rational(d, e, 1).value_or(0);
  const double sec = Rational(d, e, 2).value_or(0);
  double value = *deg + min / 60 + sec / 3600;
  const auto ref = Ascii(d, EXIF_IFD_GPS, ref_tag);
  if (ref && !ref->empty() && (*ref)[0] == negative) value = -value;
  return value;
}

// "YYYY:MM:DD HH:MM:SS" (EXIF's local date and time) read as if UTC; nullopt for blanks and zeros.
std::optional<UtcMicros> ExifDateTime(const std::optional<std::string>& text, const std::optional<std::string>& sub) {
  if (!text) return std::nullopt;
  int y = 0, mo = 0, da = 0, h = 0, mi = 0, s = 0;
  if (std::sscanf(text->c_str(), "%4d:%2d:%2d %2d:%2d:%2d", &y, &mo, &da, &h, &mi, &s) != 6) return std::nullopt;
  if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = da;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  int64_t micros = static_cast<int64_t>(timegm(&tm)) * 1000000;
  if (sub) {  // fractions of a second as decimal digits: "5" is 0.5 s
    int64_t scale = 100000;
    for (char c : *sub) {
      if (c < '0' || c > '9' || scale == 0) break;
      micros += (c - '0') * scale;
      scale /= 10;
    }
  }
  return micros;
}

class ExifParser : public Parser {
 public:
  std::string name() const override { return "media.exif"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {{"picture.exif", "a picture's EXIF metadata: camera, when and where it was taken, editing software",
             ExifFields()}};
  }
  bool Wants(const FileRecord&, std::string_view head) const override { return IsJpeg(head) || IsTiff(head); }
  // A JPEG's EXIF sits in its first segments; TIFF offsets may point anywhere, up to this cap.
  int64_t max_bytes() const override { return 64LL << 20; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    const std::string_view bytes = input.bytes;
    std::string framed;  // libexif takes a JPEG or an "Exif\0\0" block; a TIFF file is the block's body
    const unsigned char* data = nullptr;
    size_t size = 0;
    if (IsJpeg(bytes)) {
      data = reinterpret_cast<const unsigned char*>(bytes.data());
      size = bytes.size();
    } else if (IsTiff(bytes)) {
      framed.reserve(bytes.size() + 6);
      framed.append("Exif\0\0", 6);
      framed.append(bytes);
      data = reinterpret_cast<const unsigned char*>(framed.data());
      size = framed.size();
    } else {
      return Status::Corruption("not a JPEG or TIFF picture");
    }
    ExifDataHandle exif;
    exif.data = exif_data_new();
    if (exif.data == nullptr) return Status::Internal("libexif cannot allocate its data");
    // By default libexif "fixes" the data to the specification, inventing mandatory tags with default
    // values; evidence must show only what the file holds.
    exif_data_unset_option(exif.data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_unset_option(exif.data, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
    exif_data_load_data(exif.data, data, static_cast<unsigned int>(std::min<size_t>(size, 0xFFFFFFFFu)));
    ExifData* d = exif.data;

    const auto make = Ascii(d, EXIF_IFD_0, EXIF_TAG_MAKE);
    const auto model = Ascii(d, EXIF_IFD_0, EXIF_TAG_MODEL);
    const auto serial = Ascii(d, EXIF_IFD_EXIF, EXIF_TAG_BODY_SERIAL_NUMBER);
    const auto owner = Ascii(d, EXIF_IFD_EXIF, EXIF_TAG_CAMERA_OWNER_NAME);
    const auto taken_text = Ascii(d, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL);
    const auto taken = ExifDateTime(taken_text, Ascii(d, EXIF_IFD_EXIF, EXIF_TAG_SUB_SEC_TIME_ORIGINAL));
    const auto offset = Ascii(d, EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL);
    const auto modified = ExifDateTime(Ascii(d, EXIF_IFD_0, EXIF_TAG_DATE_TIME), std::nullopt);
    const auto lat = Coordinate(d, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE),
                                static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE_REF), 'S');
    const auto lon = Coordinate(d, static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE),
                                static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE_REF), 'W');
    auto alt = Rational(d, Entry(d, EXIF_IFD_GPS, static_cast<ExifTag>(EXIF_TAG_GPS_ALTITUDE)), 0);
    const auto alt_ref = Unsigned(d, EXIF_IFD_GPS, static_cast<ExifTag>(EXIF_TAG_GPS_ALTITUDE_REF));
    if (alt && alt_ref == 1) alt = -*alt;
    const auto orientation = Unsigned(d, EXIF_IFD_0, EXIF_TAG_ORIENTATION);
    const auto software = Ascii(d, EXIF_IFD_0, EXIF_TAG_SOFTWARE);
    auto width = Unsigned(d, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_X_DIMENSION);
    auto height = Unsigned(d, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_Y_DIMENSION);
    if (!width) width = Unsigned(d, EXIF_IFD_0, EXIF_TAG_IMAGE_WIDTH);
    if (!height) height = Unsigned(d, EXIF_IFD_0, EXIF_TAG_IMAGE_LENGTH);

    if (!make && !model && !serial && !owner && !taken && !modified && !lat && !lon && !alt && !orientation &&
        !software && !width && !height) {
      return Status::Ok();  // a picture without EXIF (or none we read) is normal, not an error
    }

    ArtefactRow row;
    row.kind = "picture.exif";
    row.time = taken ? taken : modified;
    row.time_zone_note = offset && taken ? "UTC" + *offset + " (OffsetTimeOriginal); time is that local clock"
                                         : "camera's local time, zone unknown, stored as if UTC";
    row.location = IsJpeg(bytes) ? "JPEG APP1 EXIF" : "TIFF IFD0";
    std::string camera = make.value_or("");
    if (model) camera += (camera.empty() ? "" : " ") + *model;
    row.summary = camera.empty() ? "picture" : camera;
    if (taken_text && taken) row.summary += ", taken " + *taken_text + " (local)";
    if (lat && lon) {
      char buf[64];
      std::snprintf(buf, sizeof buf, ", at %.6f, %.6f", *lat, *lon);
      row.summary += buf;
    }
    auto real = [](std::optional<double> x) {
      FieldValue v;
      if (x && std::isfinite(*x)) v = *x;
      return v;
    };
    auto& v = row.values;
    v.push_back(TextOrNull(make));
    v.push_back(TextOrNull(model));
    v.push_back(TextOrNull(serial));
    v.push_back(TextOrNull(owner));
    v.push_back(IntOrNull(taken));
    v.push_back(TextOrNull(offset));
    v.push_back(IntOrNull(modified));
    v.push_back(real(lat));
    v.push_back(real(lon));
    v.push_back(real(alt));
    v.push_back(IntOrNull(orientation));
    v.push_back(TextOrNull(software));
    v.push_back(IntOrNull(width));
    v.push_back(IntOrNull(height));
    out.rows.push_back(std::move(row));
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(ExifParser);

}  // namespace custos
