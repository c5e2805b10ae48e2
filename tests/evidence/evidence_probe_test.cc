// The evidence layer against independent tools: formats as file(1) names them, split sets made with split(1)
// and ewfacquire, acquisition details as ewfinfo prints them, media hashes as md5sum/sha1sum/img_cat/ewfexport
// give them, collections as find(1) and md5sum see them, and evidence left byte for byte as it was.
#include "triage/evidence/evidence_probe.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "tests/support/test_support.h"
#include "triage/evidence/disk_image.h"
#include "triage/evidence/logical_source.h"
#include "triage/evidence/media_hash.h"

namespace custos {
namespace {

namespace fs = std::filesystem;
using testing::EwfinfoValue;
using testing::Shell;
using testing::ShellQuote;

// The first word a tool prints on stdout (md5sum, sha1sum).
std::string FirstWord(const std::string& command_line) {
  const std::string out = Shell(command_line).out;
  return out.substr(0, out.find_first_of(" \t\n"));
}

std::string Md5sum(const std::string& path) { return FirstWord("md5sum " + ShellQuote(path)); }
std::string Sha1sum(const std::string& path) { return FirstWord("sha1sum " + ShellQuote(path)); }

int64_t SumOfSizes(const std::vector<std::string>& files) {
  int64_t total = 0;
  for (const auto& f : files) total += static_cast<int64_t>(fs::file_size(f));
  return total;
}

// Every file of a folder, sorted by name (as `ls` orders same-width part names), absolute.
std::vector<std::string> Listing(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(fs::absolute(e.path()).string());
  std::sort(out.begin(), out.end());
  return out;
}

// A small ext2 image (mke2fs -d, as the project's fixtures are made) of `megabytes` MiB with a few files.
std::string MakeExt2Image(const testing::TempDir& dir, const std::string& name, int megabytes) {
  const fs::path tree = dir.path() / (name + ".tree");
  fs::create_directories(tree / "docs");
  std::ofstream(tree / "docs" / "letter.txt") << "Dear Sir,\nthe goods arrive on Tuesday.\n";
  std::string bytes(300000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 2654435761u) >> 13);
  std::ofstream(tree / "blob.bin", std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  const std::string image = dir.File(name);
  const auto r = Shell("mke2fs -q -F -t ext2 -d " + ShellQuote(tree.string()) + " " + ShellQuote(image) + " " +
                       std::to_string(megabytes) + "M >&2");
  EXPECT_EQ(r.exit_code, 0) << "mke2fs failed";
  return image;
}

// Flips one bit of a file in place.
void FlipBit(const std::string& path, int64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(offset);
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x10);
  f.seekp(offset);
  f.write(&c, 1);
}

// ---------------------------------------------------------------------------------------------------
// Format detection

TEST(EvidenceProbe, CorpusFormatsAreDetectedFromContent) {
  struct Case {
    const char* rel;
    EvidenceFormat format;
    std::vector<const char*> segments;  // relative to the corpus; the file itself when empty
  };
  // Expected formats as `file -b` names them: "EWF/Expert Witness/EnCase image file format" (E01),
  // "Microsoft Disk Image, Virtual Server or Virtual PC" (VHD), "VMware4 disk image" (VMDK), "Linux rev 1.0
  // ext2 filesystem data" (raw). The split sets are every file of the name in `ls images/dfvfs images/plaso`.
  const std::vector<Case> cases = {
      {"images/dfvfs/ext2.E01", EvidenceFormat::kEwf, {}},
      {"images/dfvfs/ext2.split.E01",
       EvidenceFormat::kEwf,
       {"images/dfvfs/ext2.split.E01", "images/dfvfs/ext2.split.E02"}},
      {"images/plaso/image-split.E01",
       EvidenceFormat::kEwf,
       {"images/plaso/image-split.E01", "images/plaso/image-split.E02"}},
      {"images/dfvfs/ext2.splitraw.000",
       EvidenceFormat::kSplitRaw,
       {"images/dfvfs/ext2.splitraw.000", "images/dfvfs/ext2.splitraw.001"}},
      {"images/dfvfs/ext2.vhd", EvidenceFormat::kVhd, {}},
      {"images/dfvfs/ext2.vmdk", EvidenceFormat::kVmdk, {}},
      {"images/dfvfs/imynd.dd", EvidenceFormat::kRaw, {}},
      {"images/dfvfs/hfsplus.raw", EvidenceFormat::kRaw, {}},
      {"images/plaso/tsk_volume_system.raw", EvidenceFormat::kRaw, {}},
      {"images/dftt/6-undel-fat.zip", EvidenceFormat::kArchive, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.rel);
    std::string path = testing::CorpusFile(c.rel);
    if (path.empty()) GTEST_SKIP() << "corpus file absent: ../shared/corpus/" << c.rel;
    auto probe = ProbeEvidence({path});
    ASSERT_TRUE(probe.ok()) << probe.status().ToString();
    EXPECT_EQ(EvidenceFormatName(probe->format), std::string(EvidenceFormatName(c.format)));
    std::vector<std::string> expected;
    for (const char* s : c.segments) expected.push_back(testing::CorpusFile(s));
    if (expected.empty()) expected.push_back(path);
    EXPECT_EQ(probe->segments, expected);
    EXPECT_EQ(probe->total_bytes, SumOfSizes(expected));
  }
}

TEST(EvidenceProbe, Qcow2IsNotSupportedWithAdvice) {
  for (const char* rel : {"images/dfvfs/ext2.qcow2", "images/plaso/vsstest.qcow2"}) {
    SCOPED_TRACE(rel);
    std::string path = testing::CorpusFile(rel);
    if (path.empty()) GTEST_SKIP() << "corpus file absent: ../shared/corpus/" << rel;
    // `file -b`: "QEMU QCOW Image (v3)".
    auto probe = ProbeEvidence({path});
    ASSERT_FALSE(probe.ok());
    EXPECT_EQ(probe.status().code(), Status::Code::kNotSupported) << probe.status().ToString();
    EXPECT_NE(probe.status().message().find(path), std::string::npos) << probe.status().ToString();
    EXPECT_NE(probe.status().message().find("qemu-img convert"), std::string::npos) << probe.status().ToString();
  }
}

TEST(EvidenceProbe, TheExtensionDoesNotDecideTheFormat) {
  CUSTOS_REQUIRE_CORPUS(e01, "images/dfvfs/ext2.E01");
  CUSTOS_REQUIRE_CORPUS(vhd, "images/dfvfs/ext2.vhd");
  testing::TempDir dir;
  // An E01 under another name.
  const std::string bin = dir.File("evidence.bin");
  fs::copy_file(e01, bin);
  auto probe = ProbeEvidence({bin});
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  EXPECT_EQ(probe->format, EvidenceFormat::kEwf);
  EXPECT_EQ(probe->segments, std::vector<std::string>{bin});
  // A raw image named like an E01.
  const std::string fake_e01 = dir.File("disk.E01");
  fs::copy_file(MakeExt2Image(dir, "disk.img", 2), fake_e01);
  probe = ProbeEvidence({fake_e01});
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  EXPECT_EQ(probe->format, EvidenceFormat::kRaw);
  EXPECT_EQ(probe->segments, std::vector<std::string>{fake_e01});
  // A VHD named like a raw image.
  const std::string dd = dir.File("disk.dd");
  fs::copy_file(vhd, dd);
  probe = ProbeEvidence({dd});
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  EXPECT_EQ(probe->format, EvidenceFormat::kVhd);
}

TEST(EvidenceProbe, MissingEmptyAndCompressedEvidenceIsRefusedClearly) {
  testing::TempDir dir;
  const std::string missing = dir.File("no-such.E01");
  auto probe = ProbeEvidence({missing});
  ASSERT_FALSE(probe.ok());
  EXPECT_EQ(probe.status().code(), Status::Code::kNotFound);
  EXPECT_NE(probe.status().message().find(missing), std::string::npos) << probe.status().ToString();
  const std::string empty = dir.File("empty.dd");
  std::ofstream(empty).close();
  probe = ProbeEvidence({empty});
  ASSERT_FALSE(probe.ok());
  EXPECT_EQ(probe.status().code(), Status::Code::kNotSupported) << probe.status().ToString();
  // A gzip-compressed image is not an archive of files: it must be decompressed first.
  const std::string image = MakeExt2Image(dir, "disk.raw", 1);
  ASSERT_EQ(Shell("gzip -k " + ShellQuote(image)).exit_code, 0);
  probe = ProbeEvidence({image + ".gz"});
  ASSERT_FALSE(probe.ok());
  EXPECT_EQ(probe.status().code(), Status::Code::kNotSupported) << probe.status().ToString();
  EXPECT_NE(probe.status().message().find("gunzip"), std::string::npos) << probe.status().ToString();
  EXPECT_EQ(ProbeEvidence({}).status().code(), Status::Code::kInvalidArgument);
}

// ---------------------------------------------------------------------------------------------------
// Split raw sets

struct SplitScheme {
  const char* name;
  const char* split_args;  // options to split(1); the prefix is "<dir>/disk."
  const char* first;       // the first part's suffix
  const char* gap;         // the part the gap test removes
};

const SplitScheme kSchemes[] = {
    {"000", "-d -a 3", "000", "002"},
    {"001", "-a 3 --numeric-suffixes=1", "001", "003"},
    {"two digits", "-d", "00", "01"},
    {"letters", "", "aa", "ab"},
};

// Splits `image` into `dir` with the scheme; returns the parts in order (split(1) names them so).
std::vector<std::string> SplitInto(const std::string& image, const fs::path& dir, const SplitScheme& s) {
  fs::create_directories(dir);
  // 1,000,000-byte parts: the last one is shorter, so the sizes are not all alike.
  const auto r = Shell(std::string("split -b 1000000 ") + s.split_args + " " + ShellQuote(image) + " " +
                       ShellQuote((dir / "disk.").string()));
  EXPECT_EQ(r.exit_code, 0);
  return Listing(dir);
}

TEST(EvidenceProbe, SplitRawSchemesAreGroupedInOrder) {
  testing::TempDir dir;
  const std::string image = MakeExt2Image(dir, "disk.raw", 4);
  const std::string md5 = Md5sum(image);
  for (const SplitScheme& s : kSchemes) {
    SCOPED_TRACE(s.name);
    const fs::path sub = dir.path() / s.name;
    const auto parts = SplitInto(image, sub, s);
    ASSERT_EQ(parts.size(), 5u);  // 4 MiB in 1,000,000-byte parts
    EXPECT_EQ(fs::path(parts.front()).filename().string(), std::string("disk.") + s.first);
    std::ofstream(sub / "notes.txt") << "not a part\n";  // an unrelated file beside the set
    auto probe = ProbeEvidence({parts.front()});
    ASSERT_TRUE(probe.ok()) << probe.status().ToString();
    EXPECT_EQ(probe->format, EvidenceFormat::kSplitRaw);
    EXPECT_EQ(probe->segments, parts);
    EXPECT_EQ(probe->total_bytes, static_cast<int64_t>(fs::file_size(image)));
    EXPECT_EQ(probe->total_bytes, SumOfSizes(parts));
    // Read in that order, the parts are the image again (md5sum of the unsplit image).
    auto hashes = HashMedia(*probe, nullptr, nullptr);
    ASSERT_TRUE(hashes.ok()) << hashes.status().ToString();
    EXPECT_EQ(hashes->md5, md5);
  }
}

TEST(EvidenceProbe, AGapInASplitSetIsReportedByName) {
  testing::TempDir dir;
  const std::string image = MakeExt2Image(dir, "disk.raw", 4);
  for (const SplitScheme& s : kSchemes) {
    SCOPED_TRACE(s.name);
    const fs::path sub = dir.path() / s.name;
    const auto parts = SplitInto(image, sub, s);
    const std::string gone = (sub / (std::string("disk.") + s.gap)).string();
    ASSERT_TRUE(fs::remove(gone));
    auto probe = ProbeEvidence({parts.front()});
    ASSERT_FALSE(probe.ok()) << "the set was accepted without " << gone;
    EXPECT_EQ(probe.status().code(), Status::Code::kCorruption) << probe.status().ToString();
    EXPECT_NE(probe.status().message().find(std::string("disk.") + s.gap), std::string::npos)
        << probe.status().ToString();
  }
  // Without its first part, a ".001" set starts at part 2: also refused.
  const fs::path sub = dir.path() / "no-first";
  const auto parts = SplitInto(image, sub, kSchemes[1]);
  ASSERT_TRUE(fs::remove(parts.front()));
  auto probe = ProbeEvidence({parts[1]});
  ASSERT_FALSE(probe.ok());
  EXPECT_EQ(probe.status().code(), Status::Code::kCorruption) << probe.status().ToString();
}

// ---------------------------------------------------------------------------------------------------
// E01 sets made by ewfacquire

struct Acquired {
  std::string raw;                    // the generated image
  std::vector<std::string> segments;  // the E01 set, in order
};

// An uncompressed E01 set in 1 MiB segments of a generated 4 MiB image, with known acquisition details.
// The media is an ext2 file system, or pseudo-random bytes (so that no chunk is all zeros).
Acquired AcquireE01(const testing::TempDir& dir, const std::string& sub, bool random_media = false) {
  Acquired a;
  if (random_media) {
    a.raw = dir.File(sub + ".raw");
    std::mt19937 rng(1234);
    std::string bytes(4 << 20, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    std::ofstream(a.raw, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  } else {
    a.raw = MakeExt2Image(dir, sub + ".raw", 4);
  }
  const fs::path out = dir.path() / sub;
  fs::create_directories(out);
  const auto r = Shell(
      "ewfacquire -u -q -c none -S 1048576 -d sha1 -C 'OP-ELM-42' -D 'test media' "
      "-e 'DC 4127 Smith' -E 'JD/1' -N 'made by the test' -t " +
      ShellQuote((out / "seized").string()) + " " + ShellQuote(a.raw) + " >&2");
  EXPECT_EQ(r.exit_code, 0) << "ewfacquire failed";
  a.segments = Listing(out);
  return a;
}

TEST(EvidenceProbe, MultiSegmentE01IsGroupedAndAMissingSegmentReported) {
  testing::TempDir dir;
  const Acquired a = AcquireE01(dir, "ewf");
  ASSERT_GE(a.segments.size(), 4u);  // 4 MiB uncompressed in 1 MiB segments
  EXPECT_EQ(fs::path(a.segments[0]).extension(), ".E01");
  EXPECT_EQ(fs::path(a.segments[1]).extension(), ".E02");
  auto probe = ProbeEvidence({a.segments.front()});
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  EXPECT_EQ(probe->format, EvidenceFormat::kEwf);
  EXPECT_EQ(probe->segments, a.segments);
  EXPECT_EQ(probe->total_bytes, SumOfSizes(a.segments));

  // A middle segment missing: libewf would open E01 and E02 alone, so the gap must be noticed.
  const std::string third = a.segments[2];
  const std::string aside = dir.File("aside.E03");
  fs::rename(third, aside);
  probe = ProbeEvidence({a.segments.front()});
  ASSERT_FALSE(probe.ok()) << "an E01 set without " << third << " was accepted";
  EXPECT_EQ(probe.status().code(), Status::Code::kCorruption) << probe.status().ToString();
  EXPECT_NE(probe.status().message().find(fs::path(third).filename().string()), std::string::npos)
      << probe.status().ToString();
  fs::rename(aside, third);

  // The last segment missing.
  const std::string last = a.segments.back();
  fs::rename(last, aside);
  probe = ProbeEvidence({a.segments.front()});
  ASSERT_FALSE(probe.ok()) << "an E01 set without " << last << " was accepted";
  EXPECT_EQ(probe.status().code(), Status::Code::kCorruption) << probe.status().ToString();
  fs::rename(aside, last);

  // The first segment truncated (the e2e suite checks what triage then records).
  const std::string cut = dir.File("cut.E01");
  ASSERT_EQ(Shell("head -c 2000 " + ShellQuote(a.segments.front()) + " > " + ShellQuote(cut)).exit_code, 0);
  probe = ProbeEvidence({cut});
  ASSERT_FALSE(probe.ok());
  EXPECT_EQ(probe.status().code(), Status::Code::kCorruption) << probe.status().ToString();
  EXPECT_NE(probe.status().message().find(cut), std::string::npos) << probe.status().ToString();
}

// ---------------------------------------------------------------------------------------------------
// Acquisition details and media hashes

TEST(MediaHash, AcquisitionInfoIsWhatEwfinfoPrints) {
  for (const char* rel : {"images/dfvfs/ext2.E01", "images/dfvfs/ext2.split.E01", "images/plaso/image.E01"}) {
    SCOPED_TRACE(rel);
    std::string path = testing::CorpusFile(rel);
    if (path.empty()) GTEST_SKIP() << "corpus file absent: ../shared/corpus/" << rel;
    auto probe = ProbeEvidence({path});
    ASSERT_TRUE(probe.ok()) << probe.status().ToString();
    auto info = ReadAcquisitionInfo(*probe);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    auto value = [&](const char* id) { return info->values.count(id) ? info->values.at(id) : std::string(); };
    EXPECT_EQ(value("case_number"), EwfinfoValue(path, "Case number"));
    EXPECT_EQ(value("examiner_name"), EwfinfoValue(path, "Examiner name"));
    EXPECT_EQ(value("evidence_number"), EwfinfoValue(path, "Evidence number"));
    EXPECT_EQ(value("description"), EwfinfoValue(path, "Description"));
    EXPECT_EQ(value("notes"), EwfinfoValue(path, "Notes"));
    // ewfinfo prints "MD5: <hex>" under "Digest hash information", or nothing when none is stored.
    const std::string stored = EwfinfoValue(path, "MD5");
    EXPECT_EQ(info->stored_md5, stored == "N/A" ? "" : stored);
    EXPECT_EQ(std::to_string(info->bytes_per_sector), EwfinfoValue(path, "Bytes per sector"));
    // "Media size: 4.0 MiB (4194304 bytes)".
    const std::string media = EwfinfoValue(path, "Media size");
    const size_t open = media.find('(');
    ASSERT_NE(open, std::string::npos) << media;
    EXPECT_EQ(std::to_string(info->media_size), media.substr(open + 1, media.find(' ', open) - open - 1));
  }
  // The corpus ext2.E01's values, checked by hand against ewfinfo.
  CUSTOS_REQUIRE_CORPUS(e01, "images/dfvfs/ext2.E01");
  auto probe = ProbeEvidence({e01});
  ASSERT_TRUE(probe.ok());
  auto info = ReadAcquisitionInfo(*probe);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->values["case_number"], "case");
  EXPECT_EQ(info->values["examiner_name"], "examiner");
  EXPECT_EQ(info->values["evidence_number"], "evidence");
  EXPECT_EQ(info->stored_md5, "196066add11fb71c4c49cf1bb50d6d24");
}

TEST(MediaHash, GeneratedE01CarriesTheAcquisitionDetailsGivenToEwfacquire) {
  testing::TempDir dir;
  const Acquired a = AcquireE01(dir, "ewf");
  auto probe = ProbeEvidence({a.segments.front()});
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  auto info = ReadAcquisitionInfo(*probe);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  // The values passed to ewfacquire -C -D -e -E -N.
  EXPECT_EQ(info->values["case_number"], "OP-ELM-42");
  EXPECT_EQ(info->values["description"], "test media");
  EXPECT_EQ(info->values["examiner_name"], "DC 4127 Smith");
  EXPECT_EQ(info->values["evidence_number"], "JD/1");
  EXPECT_EQ(info->values["notes"], "made by the test");
  // ewfacquire stored the MD5 and (-d sha1) SHA-1 of the image it read: md5sum and sha1sum of it.
  EXPECT_EQ(info->stored_md5, Md5sum(a.raw));
  EXPECT_EQ(info->stored_sha1, Sha1sum(a.raw));
  EXPECT_EQ(info->media_size, static_cast<int64_t>(fs::file_size(a.raw)));
  auto hashes = HashMedia(*probe, nullptr, nullptr);
  ASSERT_TRUE(hashes.ok()) << hashes.status().ToString();
  EXPECT_EQ(hashes->md5, Md5sum(a.raw));
  EXPECT_EQ(hashes->sha1, Sha1sum(a.raw));
  EXPECT_EQ(hashes->bytes_hashed, static_cast<int64_t>(fs::file_size(a.raw)));
  EXPECT_TRUE(hashes->read_errors.empty());
  EXPECT_EQ(VerificationVerdict(*info, *hashes), "verified");
}

TEST(MediaHash, RawMediaHashesAreWhatMd5sumAndSha1sumGive) {
  testing::TempDir dir;
  std::vector<std::string> images = {MakeExt2Image(dir, "disk.raw", 3)};
  for (const char* rel : {"images/dfvfs/imynd.dd", "images/plaso/tsk_volume_system.raw"}) {
    const std::string p = testing::CorpusFile(rel);
    if (!p.empty()) images.push_back(p);
  }
  for (const std::string& image : images) {
    SCOPED_TRACE(image);
    auto probe = ProbeEvidence({image});
    ASSERT_TRUE(probe.ok()) << probe.status().ToString();
    ASSERT_EQ(probe->format, EvidenceFormat::kRaw);
    int64_t last_done = -1, last_total = -1;
    auto hashes = HashMedia(
        *probe,
        [&](int64_t done, int64_t total) {
          last_done = done;
          last_total = total;
        },
        nullptr);
    ASSERT_TRUE(hashes.ok()) << hashes.status().ToString();
    EXPECT_EQ(hashes->md5, Md5sum(image));
    EXPECT_EQ(hashes->sha1, Sha1sum(image));
    EXPECT_EQ(hashes->bytes_hashed, static_cast<int64_t>(fs::file_size(image)));
    EXPECT_TRUE(hashes->read_errors.empty());
    EXPECT_EQ(last_done, last_total);  // the last progress call reports the end
    // A raw image stores no hash to compare with.
    auto info = ReadAcquisitionInfo(*probe);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_TRUE(info->stored_md5.empty());
    EXPECT_EQ(info->media_size, static_cast<int64_t>(fs::file_size(image)));
    EXPECT_EQ(VerificationVerdict(*info, *hashes), "no stored hash");
  }
}

TEST(MediaHash, E01HashIsTheStoredOneAndVerified) {
  for (const char* rel : {"images/dfvfs/ext2.E01", "images/dfvfs/ext2.split.E01", "images/plaso/image-split.E01"}) {
    SCOPED_TRACE(rel);
    std::string path = testing::CorpusFile(rel);
    if (path.empty()) GTEST_SKIP() << "corpus file absent: ../shared/corpus/" << rel;
    auto probe = ProbeEvidence({path});
    ASSERT_TRUE(probe.ok()) << probe.status().ToString();
    auto hashes = HashMedia(*probe, nullptr, nullptr);
    ASSERT_TRUE(hashes.ok()) << hashes.status().ToString();
    const std::string stored = EwfinfoValue(path, "MD5");
    ASSERT_EQ(stored.size(), 32u) << "ewfinfo shows no stored MD5 for " << rel;
    EXPECT_EQ(hashes->md5, stored);
    // The media exported to raw by libewf's own ewfexport hashes the same (MD5 and SHA-1).
    testing::TempDir out;
    ASSERT_EQ(
        Shell("ewfexport -q -u -f raw -t " + ShellQuote(out.File("media")) + " " + ShellQuote(path) + " >&2").exit_code,
        0);
    EXPECT_EQ(hashes->md5, Md5sum(out.File("media.raw")));
    EXPECT_EQ(hashes->sha1, Sha1sum(out.File("media.raw")));
    auto info = ReadAcquisitionInfo(*probe);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_EQ(VerificationVerdict(*info, *hashes), "verified");
  }
}

TEST(MediaHash, VirtualDiskMediaHashIsWhatImgCatGives) {
  // img_cat (sleuthkit) writes the media of a VHD or VMDK to stdout.
  for (const char* rel : {"images/dfvfs/ext2.vhd", "images/dfvfs/ext2.vmdk"}) {
    SCOPED_TRACE(rel);
    std::string path = testing::CorpusFile(rel);
    if (path.empty()) GTEST_SKIP() << "corpus file absent: ../shared/corpus/" << rel;
    auto probe = ProbeEvidence({path});
    ASSERT_TRUE(probe.ok()) << probe.status().ToString();
    auto hashes = HashMedia(*probe, nullptr, nullptr);
    ASSERT_TRUE(hashes.ok()) << hashes.status().ToString();
    EXPECT_EQ(hashes->md5, FirstWord("img_cat " + ShellQuote(path) + " | md5sum"));
    EXPECT_EQ(std::to_string(hashes->bytes_hashed), FirstWord("img_cat " + ShellQuote(path) + " | wc -c"));
  }
}

TEST(MediaHash, FlippedBitsShowAsMismatchOrFailure) {
  testing::TempDir dir;
  // Raw: one flipped bit changes the hash. Raw images store no hash, so the verdict compares against the
  // MD5/SHA-1 an officer has from the acquisition notes (here: md5sum/sha1sum of the original).
  const std::string image = MakeExt2Image(dir, "disk.raw", 2);
  const std::string flipped = dir.File("flipped.raw");
  fs::copy_file(image, flipped);
  FlipBit(flipped, 1048576 + 7);
  AcquisitionInfo notes;
  notes.stored_md5 = Md5sum(image);
  notes.stored_sha1 = Sha1sum(image);
  auto probe = ProbeEvidence({flipped});
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  auto hashes = HashMedia(*probe, nullptr, nullptr);
  ASSERT_TRUE(hashes.ok()) << hashes.status().ToString();
  EXPECT_NE(hashes->md5, notes.stored_md5);
  EXPECT_EQ(hashes->md5, Md5sum(flipped));
  EXPECT_TRUE(hashes->read_errors.empty());
  EXPECT_EQ(VerificationVerdict(notes, *hashes), "mismatch");
  AcquisitionInfo md5_only;  // either stored hash alone is enough to see the change
  md5_only.stored_md5 = notes.stored_md5;
  EXPECT_EQ(VerificationVerdict(md5_only, *hashes), "mismatch");
  AcquisitionInfo sha1_only;
  sha1_only.stored_sha1 = notes.stored_sha1;
  EXPECT_EQ(VerificationVerdict(sha1_only, *hashes), "mismatch");
  EXPECT_EQ(VerificationVerdict(AcquisitionInfo{}, *hashes), "no stored hash");
  // The unflipped image verifies against the same notes.
  auto probe_ok = ProbeEvidence({image});
  ASSERT_TRUE(probe_ok.ok());
  auto good = HashMedia(*probe_ok, nullptr, nullptr);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(VerificationVerdict(notes, *good), "verified");
  // Read errors outweigh everything.
  MediaHashes with_errors = *good;
  with_errors.read_errors.push_back("offset 0: test");
  EXPECT_EQ(VerificationVerdict(notes, with_errors), "failed");

  // E01: a flipped byte inside an uncompressed chunk breaks its checksum. `ewfverify -w` (zero sectors on
  // checksum error, as HashMedia reads them) reports a "sector validation error" and a calculated MD5 that
  // differs from the stored one; HashMedia must list the error and compute that same MD5. The media is
  // random so that the zeroed chunk cannot happen to equal the original.
  const Acquired a = AcquireE01(dir, "ewf", true);
  const std::string third = a.segments.at(2);
  FlipBit(third, static_cast<int64_t>(fs::file_size(third) / 2));
  const auto verify = Shell("ewfverify -q -w " + ShellQuote(a.segments.front()) + " 2>&1");
  EXPECT_NE(verify.exit_code, 0);
  EXPECT_NE(verify.out.find("validation error"), std::string::npos) << verify.out;
  auto e01 = ProbeEvidence({a.segments.front()});
  ASSERT_TRUE(e01.ok()) << e01.status().ToString();
  auto info = ReadAcquisitionInfo(*e01);
  ASSERT_TRUE(info.ok());
  auto damaged = HashMedia(*e01, nullptr, nullptr);
  ASSERT_TRUE(damaged.ok()) << damaged.status().ToString();
  EXPECT_FALSE(damaged->read_errors.empty());
  EXPECT_NE(damaged->md5, info->stored_md5);
  // ewfverify's "MD5 hash calculated over data" (damaged chunk read as zeros, as libewf does).
  std::string calculated;
  for (const auto& line : testing::SplitLines(verify.out)) {
    const size_t at = line.find("MD5 hash calculated over data:");
    if (at != std::string::npos) calculated = line.substr(line.find_last_of(" \t") + 1);
  }
  EXPECT_EQ(damaged->md5, calculated);
  EXPECT_EQ(VerificationVerdict(*info, *damaged), "failed");
}

// ---------------------------------------------------------------------------------------------------
// Logical collections

struct Entry {
  char type;  // 'f' or 'd', as find -printf %y
  int64_t size;
};

// find(1)'s view of a folder: relative path ("/a/b") -> type and size.
std::map<std::string, Entry> FindListing(const std::string& root) {
  std::map<std::string, Entry> out;
  const auto r = Shell("cd " + ShellQuote(root) + " && find . -mindepth 1 -printf '%y\\t%s\\t%P\\n'");
  for (const auto& line : testing::SplitLines(r.out)) {
    const size_t a = line.find('\t'), b = line.find('\t', a + 1);
    out["/" + line.substr(b + 1)] = Entry{line[0], std::stoll(line.substr(a + 1, b - a - 1))};
  }
  return out;
}

// md5sum's view: relative path -> MD5.
std::map<std::string, std::string> Md5sums(const std::string& root) {
  std::map<std::string, std::string> out;
  const auto r = Shell("cd " + ShellQuote(root) + " && find . -type f -print0 | xargs -0 md5sum");
  // Lines are "<32 hex>  ./<path>": the path with its leading '/' starts at column 35.
  for (const auto& line : testing::SplitLines(r.out)) out[line.substr(35)] = line.substr(0, 32);
  return out;
}

struct Collected {
  std::map<std::string, Entry> entries;
  std::map<std::string, std::string> md5;
  std::vector<ErrorRecord> errors;
};

std::string ReadAll(ByteStream& s) {
  std::string bytes;
  char buf[65536];
  while (true) {
    auto n = s.Read(buf, sizeof buf);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    if (!n.ok() || *n == 0) break;
    bytes.append(buf, *n);
  }
  return bytes;
}

Collected Collect(const EvidenceProbe& probe) {
  Collected c;
  auto source = LogicalSource::Open(probe);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  if (!source.ok()) return c;
  LogicalSource& src = **source;
  std::vector<std::string> files;
  Status st = src.ForEach(
      [&](const FileRecord& r, ByteStream* content) {
        EXPECT_EQ(r.file_key, r.path);
        EXPECT_EQ(r.name, r.path.substr(r.path.rfind('/') + 1));
        c.entries[r.path] = Entry{r.kind == "dir" ? 'd' : r.kind == "file" ? 'f' : '?', r.size};
        if (r.kind != "file") return Status::Ok();
        if (content) {
          c.md5[r.path] = testing::Md5OfBytes(ReadAll(*content));
        } else {
          files.push_back(r.path);
        }
        return Status::Ok();
      },
      [&](const ErrorRecord& e) { c.errors.push_back(e); });
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(src.random_access(), probe.format == EvidenceFormat::kFolder);
  for (const auto& path : files) {
    auto stream = src.OpenFile(path);
    EXPECT_TRUE(stream.ok()) << path << ": " << stream.status().ToString();
    if (stream.ok()) c.md5[path] = testing::Md5OfBytes(ReadAll(**stream));
  }
  return c;
}

// A folder such as an unpacked phone extraction: nested folders, an empty file and folder, a space and a
// non-ASCII letter in names, and files larger than one read.
std::string MakeCollection(const testing::TempDir& dir) {
  const fs::path root = dir.path() / "collection";
  fs::create_directories(root / "data" / "com.whatsapp" / "databases");
  fs::create_directories(root / "media" / "DCIM" / "Camera");
  fs::create_directories(root / "empty folder");
  std::ofstream(root / "data" / "com.whatsapp" / "databases" / "msgstore.db") << "SQLite format 3 (not really)\n";
  std::ofstream(root / "media" / "DCIM" / "Camera" / "empty.jpg").close();
  std::ofstream(root / "media" / "ímynd.txt") << "non-ASCII name\n";
  std::string big(700000, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 7919u) >> 5);
  std::ofstream(root / "media" / "DCIM" / "Camera" / "IMG 0001.JPG", std::ios::binary)
      .write(big.data(), static_cast<std::streamsize>(big.size()));
  return root.string();
}

TEST(LogicalSource, FolderZipAndTarListWhatFindListsWithTheSameContent) {
  testing::TempDir dir;
  const std::string root = MakeCollection(dir);
  const auto expected = FindListing(root);
  const auto expected_md5 = Md5sums(root);
  ASSERT_EQ(expected.size(), 11u);  // the 7 folders and 4 files made above
  ASSERT_EQ(expected_md5.size(), 4u);
  const std::string zip = dir.File("collection.zip");
  const std::string tar = dir.File("collection.tar");
  const std::string tgz = dir.File("collection.tgz");
  ASSERT_EQ(Shell("cd " + ShellQuote(root) + " && zip -q -r " + ShellQuote(zip) + " .").exit_code, 0);
  ASSERT_EQ(Shell("tar -C " + ShellQuote(root) + " -cf " + ShellQuote(tar) + " .").exit_code, 0);
  ASSERT_EQ(Shell("tar -C " + ShellQuote(root) + " -czf " + ShellQuote(tgz) + " .").exit_code, 0);
  for (const std::string& evidence : {root, zip, tar, tgz}) {
    SCOPED_TRACE(evidence);
    auto probe = ProbeEvidence({evidence});
    ASSERT_TRUE(probe.ok()) << probe.status().ToString();
    EXPECT_EQ(probe->format, evidence == root ? EvidenceFormat::kFolder : EvidenceFormat::kArchive);
    const Collected c = Collect(*probe);
    EXPECT_TRUE(c.errors.empty()) << c.errors.front().message;
    EXPECT_EQ(c.entries.size(), expected.size());
    for (const auto& [path, e] : expected) {
      auto it = c.entries.find(path);
      if (it == c.entries.end()) {
        ADD_FAILURE() << path << " is missing";
        continue;
      }
      EXPECT_EQ(it->second.type, e.type) << path;
      if (e.type == 'f') {
        EXPECT_EQ(it->second.size, e.size) << path;
      }
    }
    EXPECT_EQ(c.md5, expected_md5);
  }
}

TEST(LogicalSource, ImageFormatsAreNotLogicalCollections) {
  testing::TempDir dir;
  EvidenceProbe probe;
  probe.format = EvidenceFormat::kRaw;
  probe.segments = {MakeExt2Image(dir, "disk.raw", 1)};
  auto source = LogicalSource::Open(probe);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), Status::Code::kInvalidArgument);
  // And a folder is no disk image.
  probe.format = EvidenceFormat::kFolder;
  probe.segments = {dir.path().string()};
  EXPECT_EQ(DiskImage::Open(probe).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(HashMedia(probe, nullptr, nullptr).status().code(), Status::Code::kInvalidArgument);
}

// ---------------------------------------------------------------------------------------------------
// Evidence is only read

// Every file under a folder with its size, modification time and SHA-256.
std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    struct stat st {};
    lstat(e.path().c_str(), &st);
    std::string v = std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
                    std::to_string(st.st_mtim.tv_nsec) + " " + std::to_string(st.st_mode);
    if (e.is_regular_file()) v += " " + testing::Sha256OfFile(e.path().string());
    out[fs::relative(e.path(), dir).string()] = v;
  }
  return out;
}

// The walk's cached handle returns the media's bytes exactly: compared with img_cat's output (TSK's own
// tool) for reads of odd sizes and offsets, through a cache of two blocks so that blocks are evicted.
TEST(DiskImage, CachedHandleReadsWhatImgCatReads) {
  CUSTOS_REQUIRE_CORPUS(e01, "images/dfvfs/ext2.E01");
  testing::TempDir dir;
  const std::string media = dir.File("media.raw");
  ASSERT_EQ(testing::Shell("img_cat " + testing::ShellQuote(e01) + " > " + testing::ShellQuote(media)).exit_code, 0);
  std::ifstream in(media, std::ios::binary);
  const std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(expected.size(), 1u << 20);
  auto probe = ProbeEvidence({e01});
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  auto image = DiskImage::Open(*probe, 512 * 1024);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(static_cast<size_t>((*image)->size()), expected.size());

  std::string whole;
  std::vector<char> buf(7919);  // a prime: reads straddle every block boundary
  for (int64_t at = 0; at < (*image)->size();) {
    auto n = (*image)->Read(at, buf.data(), buf.size());
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    ASSERT_GT(*n, 0u);
    whole.append(buf.data(), *n);
    at += static_cast<int64_t>(*n);
  }
  EXPECT_TRUE(whole == expected);
  std::mt19937 rng(11);
  for (int i = 0; i < 500; ++i) {
    const size_t len = 1 + rng() % 70000;
    const size_t at = rng() % expected.size();
    std::vector<char> got(len);
    auto n = (*image)->Read(static_cast<int64_t>(at), got.data(), len);
    ASSERT_TRUE(n.ok());
    ASSERT_EQ(*n, std::min(len, expected.size() - at));
    ASSERT_EQ(std::string(got.data(), *n), expected.substr(at, *n)) << "offset " << at << " length " << len;
  }
}

TEST(EvidenceProbe, EvidenceIsLeftExactlyAsItWas) {
  CUSTOS_REQUIRE_CORPUS(e01, "images/dfvfs/ext2.E01");
  CUSTOS_REQUIRE_CORPUS(split_e01, "images/dfvfs/ext2.split.E01");
  CUSTOS_REQUIRE_CORPUS(split_e02, "images/dfvfs/ext2.split.E02");
  CUSTOS_REQUIRE_CORPUS(vhd, "images/dfvfs/ext2.vhd");
  testing::TempDir dir;
  // Writable copies, so that any write or any file created beside the evidence would be possible and show.
  const fs::path evidence = dir.path() / "evidence";
  fs::create_directories(evidence / "split");
  fs::copy_file(e01, evidence / "ext2.E01");
  fs::copy_file(split_e01, evidence / "ext2.split.E01");
  fs::copy_file(split_e02, evidence / "ext2.split.E02");
  fs::copy_file(vhd, evidence / "ext2.vhd");
  const std::string raw = MakeExt2Image(dir, "disk.raw", 2);
  SplitInto(raw, evidence / "split", kSchemes[0]);
  const fs::path collection = evidence / "collection";
  fs::rename(MakeCollection(dir), collection);
  ASSERT_EQ(Shell("cd " + ShellQuote(collection.string()) + " && zip -q -r ../collection.zip .").exit_code, 0);
  const auto before = Snapshot(evidence);

  for (const fs::path& p : {evidence / "ext2.E01", evidence / "ext2.split.E01", evidence / "ext2.vhd",
                            evidence / "split" / "disk.000", collection, evidence / "collection.zip"}) {
    SCOPED_TRACE(p.string());
    auto probe = ProbeEvidence({p.string()});
    ASSERT_TRUE(probe.ok()) << probe.status().ToString();
    if (probe->format == EvidenceFormat::kFolder || probe->format == EvidenceFormat::kArchive) {
      Collect(*probe);
    } else {
      auto image = DiskImage::Open(*probe);
      ASSERT_TRUE(image.ok()) << image.status().ToString();
      char buf[4096];
      EXPECT_TRUE((*image)->Read(1024, buf, sizeof buf).ok());
    }
    EXPECT_TRUE(ReadAcquisitionInfo(*probe).ok());
    if (probe->format != EvidenceFormat::kFolder) {
      EXPECT_TRUE(HashMedia(*probe, nullptr, nullptr).ok());
    }
  }
  EXPECT_EQ(Snapshot(evidence), before);
}

}  // namespace
}  // namespace custos
