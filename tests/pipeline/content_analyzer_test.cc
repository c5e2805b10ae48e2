// Hashing and type recognition. Hash expectations are the published test vectors (RFC 1321 for MD5,
// FIPS 180 examples for SHA-1/SHA-256) and, for a larger input, the coreutils md5sum/sha1sum programs.
#include "triage/pipeline/content_analyzer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "tests/support/test_support.h"

namespace custos {
namespace {

ContentResult Analyze(ContentAnalyzer& a, const std::string& bytes, const std::string& ext, size_t chunk = 7) {
  FileRecord f;
  f.extension = ext;
  a.Begin();
  for (size_t i = 0; i < bytes.size(); i += chunk) a.Update(bytes.data() + i, std::min(chunk, bytes.size() - i));
  return a.Finish(f);
}

TEST(ContentAnalyzer, PublishedTestVectors) {
  auto a = ContentAnalyzer::Create(true);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ContentResult r = Analyze(**a, "abc", "txt");
  EXPECT_EQ(r.md5, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(r.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(r.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Reused for the next file: nothing carries over.
  ContentResult empty = Analyze(**a, "", "");
  EXPECT_EQ(empty.md5, "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(ContentAnalyzer, LargeInputAgreesWithCoreutils) {
  testing::TempDir dir;
  std::string bytes(3 * 1024 * 1024 + 17, '\0');
  std::mt19937 rng(42);
  for (char& c : bytes) c = static_cast<char>(rng());
  const std::string path = dir.File("blob.bin");
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  auto a = ContentAnalyzer::Create(false);
  ASSERT_TRUE(a.ok());
  ContentResult r = Analyze(**a, bytes, "bin", 65536 + 3);
  EXPECT_EQ(r.md5, testing::Shell("md5sum " + path).out.substr(0, 32));
  EXPECT_EQ(r.sha1, testing::Shell("sha1sum " + path).out.substr(0, 40));
  EXPECT_TRUE(r.sha256.empty());
}

TEST(ContentAnalyzer, TypeFromSignatureAndExtensionMismatch) {
  auto a = ContentAnalyzer::Create(false);
  ASSERT_TRUE(a.ok());
  // The 8-byte PNG signature and an IHDR chunk (PNG specification, section 5.2).
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde", 33);
  ContentResult as_txt = Analyze(**a, png, "txt");
  EXPECT_EQ(as_txt.mime, "image/png");
  EXPECT_TRUE(as_txt.extension_mismatch);
  ContentResult as_png = Analyze(**a, png, "png");
  EXPECT_FALSE(as_png.extension_mismatch);
  ContentResult plain = Analyze(**a, "just some words\n", "jpg");
  EXPECT_EQ(plain.mime, "text/plain");
  EXPECT_FALSE(plain.extension_mismatch);  // text is too generic to contradict an extension
}

TEST(ContentAnalyzer, TextInAnyCharsetIsTextAndBinaryIsNot) {
  auto a = ContentAnalyzer::Create(false);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(Analyze(**a, "<html><body>hello</body></html>\n", "html").mime, "text/plain");
  EXPECT_EQ(Analyze(**a, "h\xc3\xa9llo w\xc3\xb6rld\n", "txt").mime, "text/plain");                        // UTF-8
  EXPECT_EQ(Analyze(**a, std::string("\xff\xfeh\0i\0 \0t\0h\0e\0r\0e\0", 18), "txt").mime, "text/plain");  // UTF-16LE
  EXPECT_EQ(Analyze(**a, "a,b,c\n1,2,3\n4,5,6\n", "csv").mime, "text/csv");  // libmagic's own CSV check
  std::string noise(4096, '\0');
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 2654435761u) >> 13);
  EXPECT_EQ(Analyze(**a, noise, "bin").mime, "application/octet-stream");
}

TEST(ContentAnalyzer, AMismatchCarriesLibmagicsDescription) {
  auto a = ContentAnalyzer::Create(false);
  ASSERT_TRUE(a.ok());
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde", 33);
  testing::TempDir dir;
  std::ofstream(dir.File("p.txt"), std::ios::binary).write(png.data(), static_cast<std::streamsize>(png.size()));
  // file(1) on the same bytes gives the expected description.
  const std::string expected = testing::SplitLines(testing::Shell("file -b " + dir.File("p.txt")).out).at(0);
  EXPECT_EQ(Analyze(**a, png, "txt").type_description, expected);
  EXPECT_EQ(Analyze(**a, png, "png").type_description, "");  // no mismatch: not worth a second libmagic pass
}

TEST(MimeFromTypeAndCharset, OctetStreamInATextCharsetIsText) {
  EXPECT_EQ(MimeFromTypeAndCharset("image/jpeg; charset=binary"), "image/jpeg");
  EXPECT_EQ(MimeFromTypeAndCharset("application/octet-stream; charset=us-ascii"), "text/plain");
  EXPECT_EQ(MimeFromTypeAndCharset("application/octet-stream; charset=utf-16le"), "text/plain");
  EXPECT_EQ(MimeFromTypeAndCharset("application/octet-stream; charset=binary"), "application/octet-stream");
  EXPECT_EQ(MimeFromTypeAndCharset("application/octet-stream; charset=unknown-8bit"), "application/octet-stream");
  EXPECT_EQ(MimeFromTypeAndCharset("text/csv; charset=us-ascii"), "text/csv");
  EXPECT_EQ(MimeFromTypeAndCharset(""), "");
}

TEST(MimeExtensions, TableRules) {
  MimeExtensions t = MimeExtensions::FromText("# comment\nimage/jpeg jpeg jpg jpe\napplication/zip zip\n");
  EXPECT_FALSE(t.Mismatch("image/jpeg", "jpg"));
  EXPECT_TRUE(t.Mismatch("image/jpeg", "doc"));
  EXPECT_FALSE(t.Mismatch("image/jpeg", ""));           // no extension: nothing to contradict
  EXPECT_FALSE(t.Mismatch("image/x-unknown", "doc"));   // type not in the table: no opinion
  EXPECT_FALSE(t.Mismatch("application/zip", "docx"));  // a .docx is a zip container
  EXPECT_TRUE(t.Mismatch("application/zip", "jpg"));
}

}  // namespace
}  // namespace custos
