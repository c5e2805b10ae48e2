// Acquisition metadata and whole-media hashing (see media_hash.h). For E01, libewf checks each
// chunk's checksum as it reads; with zero-on-error set, a damaged chunk reads as zeros and is listed
// afterwards, as ewfverify does, so one bad chunk does not stop the verification.
#include "triage/evidence/media_hash.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <vector>

#include "triage/base/format.h"
#include "triage/evidence/disk_image.h"
#include "triage/evidence/ewf_handle.h"

namespace custos {
namespace {

constexpr const char* kHeaderValues[] = {"case_number",
                                         "description",
                                         "examiner_name",
                                         "evidence_number",
                                         "notes",
                                         "acquiry_date",
                                         "system_date",
                                         "acquiry_operating_system",
                                         "acquiry_software_version",
                                         "model",
                                         "serial_number"};

struct Digests {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md5{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> sha1{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  Digests() {
    EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr);
    EVP_DigestInit_ex(sha1.get(), EVP_sha1(), nullptr);
  }
  void Update(const char* d, size_t n) {
    EVP_DigestUpdate(md5.get(), d, n);
    EVP_DigestUpdate(sha1.get(), d, n);
  }
  void Finish(MediaHashes& out) {
    unsigned char buf[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(md5.get(), buf, &len);
    out.md5 = HexLower(buf, len);
    EVP_DigestFinal_ex(sha1.get(), buf, &len);
    out.sha1 = HexLower(buf, len);
  }
};

// Calls progress at most about four times a second, and at the end.
class Throttle {
 public:
  explicit Throttle(const std::function<void(int64_t, int64_t)>& fn) : fn_(fn) {}
  void operator()(int64_t done, int64_t total, bool force = false) {
    if (!fn_) return;
    const auto now = std::chrono::steady_clock::now();
    if (force || now - last_ > std::chrono::milliseconds(250)) {
      last_ = now;
      fn_(done, total);
    }
  }

 private:
  const std::function<void(int64_t, int64_t)>& fn_;
  std::chrono::steady_clock::time_point last_{};
};

constexpr size_t kReadSize = 4 << 20;

Result<MediaHashes> HashEwf(const EvidenceProbe& probe, const std::function<void(int64_t, int64_t)>& progress,
                            const std::atomic<bool>* cancel) {
  auto handle = EwfHandle::Open(probe.segments);
  if (!handle.ok()) return handle.status();
  libewf_handle_t* h = (*handle)->get();
  libewf_error_t* error = nullptr;
  size64_t media_size = 0;
  if (libewf_handle_get_media_size(h, &media_size, &error) != 1) {
    return Status::Corruption("cannot read the media size: " + EwfHandle::TakeError(&error));
  }
  libewf_handle_set_read_zero_chunk_on_error(h, 1, nullptr);
  MediaHashes out;
  Digests digests;
  Throttle tick(progress);
  std::vector<char> buf(kReadSize);
  int64_t offset = 0;
  while (offset < static_cast<int64_t>(media_size)) {
    if (cancel && cancel->load()) return Status::Busy("verification cancelled");
    const size_t want = static_cast<size_t>(std::min<int64_t>(kReadSize, static_cast<int64_t>(media_size) - offset));
    ssize_t n = libewf_handle_read_buffer(h, buf.data(), want, &error);
    if (n <= 0) {
      // Unreadable even as zeros (e.g. a truncated segment): count zeros and carry on past it.
      out.read_errors.push_back("offset " + std::to_string(offset) + ": " +
                                (n < 0 ? EwfHandle::TakeError(&error) : std::string("unexpected end of data")));
      std::fill(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(want), 0);
      n = static_cast<ssize_t>(want);
      if (libewf_handle_seek_offset(h, offset + n, SEEK_SET, &error) < 0) {
        EwfHandle::TakeError(&error);
        return Status::Corruption("cannot continue past offset " + std::to_string(offset));
      }
    }
    digests.Update(buf.data(), static_cast<size_t>(n));
    offset += n;
    tick(offset, static_cast<int64_t>(media_size));
  }
  uint32_t checksum_errors = 0;
  if (libewf_handle_get_number_of_checksum_errors(h, &checksum_errors, nullptr) == 1) {
    uint32_t bps = 512;
    libewf_handle_get_bytes_per_sector(h, &bps, nullptr);
    for (uint32_t i = 0; i < checksum_errors; ++i) {
      uint64_t start = 0, count = 0;
      if (libewf_handle_get_checksum_error(h, i, &start, &count, nullptr) == 1) {
        out.read_errors.push_back("offset " + std::to_string(start * bps) + ": checksum error in " +
                                  std::to_string(count) + " sector(s) (read as zeros)");
      }
    }
  }
  digests.Finish(out);
  out.bytes_hashed = offset;
  tick(offset, static_cast<int64_t>(media_size), true);
  return out;
}

Result<MediaHashes> HashThroughTsk(const EvidenceProbe& probe, const std::function<void(int64_t, int64_t)>& progress,
                                   const std::atomic<bool>* cancel) {
  auto image = DiskImage::Open(probe);
  if (!image.ok()) return image.status();
  MediaHashes out;
  Digests digests;
  Throttle tick(progress);
  std::vector<char> buf(kReadSize);
  const int64_t size = (*image)->size();
  int64_t offset = 0;
  while (offset < size) {
    if (cancel && cancel->load()) return Status::Busy("verification cancelled");
    auto n = (*image)->Read(offset, buf.data(), buf.size());
    size_t got = n.ok() ? *n : 0;
    if (!n.ok() || got == 0) {
      out.read_errors.push_back("offset " + std::to_string(offset) + ": " +
                                (n.ok() ? std::string("unexpected end of data") : n.status().message()));
      got = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(buf.size()), size - offset));
      std::fill(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(got), 0);
    }
    digests.Update(buf.data(), got);
    offset += static_cast<int64_t>(got);
    tick(offset, size);
  }
  digests.Finish(out);
  out.bytes_hashed = offset;
  tick(offset, size, true);
  return out;
}

// An archive is hashed as the file it is.
Result<MediaHashes> HashFile(const std::string& path, const std::function<void(int64_t, int64_t)>& progress,
                             const std::atomic<bool>* cancel) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(path + ": cannot be opened for reading");
  std::unique_ptr<int, void (*)(int*)> closer(new int(fd), [](int* p) {
    close(*p);
    delete p;
  });
  const int64_t size = lseek(fd, 0, SEEK_END);
  MediaHashes out;
  Digests digests;
  Throttle tick(progress);
  std::vector<char> buf(kReadSize);
  int64_t offset = 0;
  while (true) {
    if (cancel && cancel->load()) return Status::Busy("verification cancelled");
    const ssize_t n = pread(fd, buf.data(), buf.size(), offset);
    if (n < 0) return Status::IOError(path + ": read failed at offset " + std::to_string(offset));
    if (n == 0) break;
    digests.Update(buf.data(), static_cast<size_t>(n));
    offset += n;
    tick(offset, size);
  }
  digests.Finish(out);
  out.bytes_hashed = offset;
  tick(offset, size, true);
  return out;
}

}  // namespace

Result<AcquisitionInfo> ReadAcquisitionInfo(const EvidenceProbe& probe) {
  AcquisitionInfo info;
  if (probe.format == EvidenceFormat::kEwf) {
    auto handle = EwfHandle::Open(probe.segments);
    if (!handle.ok()) return handle.status();
    libewf_handle_t* h = (*handle)->get();
    for (const char* id : kHeaderValues) {
      uint8_t value[1024];
      if (libewf_handle_get_utf8_header_value(h, reinterpret_cast<const uint8_t*>(id), std::strlen(id), value,
                                              sizeof value, nullptr) == 1) {
        info.values[id] = reinterpret_cast<const char*>(value);
      }
    }
    uint8_t md5[16], sha1[20];
    if (libewf_handle_get_md5_hash(h, md5, sizeof md5, nullptr) == 1) info.stored_md5 = HexLower(md5, sizeof md5);
    if (libewf_handle_get_sha1_hash(h, sha1, sizeof sha1, nullptr) == 1) info.stored_sha1 = HexLower(sha1, sizeof sha1);
    size64_t media_size = 0;
    uint32_t bps = 512;
    libewf_handle_get_media_size(h, &media_size, nullptr);
    libewf_handle_get_bytes_per_sector(h, &bps, nullptr);
    info.media_size = static_cast<int64_t>(media_size);
    info.bytes_per_sector = bps;
    return info;
  }
  if (probe.format == EvidenceFormat::kFolder || probe.format == EvidenceFormat::kArchive) {
    info.media_size = probe.total_bytes;
    return info;
  }
  auto image = DiskImage::Open(probe);
  if (!image.ok()) return image.status();
  info.media_size = (*image)->size();
  info.bytes_per_sector = (*image)->sector_size();
  return info;
}

Result<MediaHashes> HashMedia(const EvidenceProbe& probe, const std::function<void(int64_t, int64_t)>& progress,
                              const std::atomic<bool>* cancel) {
  switch (probe.format) {
    case EvidenceFormat::kEwf:
      return HashEwf(probe, progress, cancel);
    case EvidenceFormat::kArchive:
      return HashFile(probe.segments.front(), progress, cancel);
    case EvidenceFormat::kFolder:
      return Status::InvalidArgument("a folder has no media to hash");
    default:
      return HashThroughTsk(probe, progress, cancel);
  }
}

std::string VerificationVerdict(const AcquisitionInfo& stored, const MediaHashes& computed) {
  if (!computed.read_errors.empty()) return "failed";
  if (stored.stored_md5.empty() && stored.stored_sha1.empty()) return "no stored hash";
  if (!stored.stored_md5.empty() && stored.stored_md5 != computed.md5) return "mismatch";
  if (!stored.stored_sha1.empty() && stored.stored_sha1 != computed.sha1) return "mismatch";
  return "verified";
}

}  // namespace custos
