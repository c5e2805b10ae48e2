// libFuzzer target for the picture decoders (triage/picture/decode.h): the input is a picture's bytes, as
// triage hands them to MakeThumbnail and the viewer to DecodePicture. JPEG, PNG, GIF, BMP, TIFF, WebP and
// HEIF all start from their signatures, so the seeds (one small picture of each, made by run-fuzz.sh with
// convert, cwebp and heif-enc) are what lets the fuzzer reach each decoder. Findings are crashes, hangs,
// leaks and allocations past the limits; an error Status is expected.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "triage/picture/thumbnail.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  custos::MakeThumbnail(bytes);        // the thumbnailer: decode to 160 pixels, encode a JPEG
  custos::DecodePicture(bytes, 1024);  // the viewer's picture preview
  return 0;
}
