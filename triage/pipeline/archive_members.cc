// Archive members as child file rows (see archive_members.h).
#include "triage/pipeline/archive_members.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "triage/evidence/evidence_probe.h"

namespace custos {
namespace {

bool Starts(std::string_view head, std::string_view magic, size_t at = 0) {
  return head.size() >= at + magic.size() && head.compare(at, magic.size(), magic) == 0;
}

// Counts what a member stream yields and fails it once the archive's budget is spent, so that a bomb
// stops inside the member that blows it up rather than after it.
class BudgetedStream : public ByteStream {
 public:
  BudgetedStream(ByteStream* inner, int64_t* spent, int64_t budget) : inner_(inner), spent_(spent), budget_(budget) {}
  Result<size_t> Read(char* buf, size_t len) override {
    if (*spent_ >= budget_) return Status::Busy("the expansion limit of this archive was reached");
    auto n = inner_->Read(buf, len);
    if (n.ok()) *spent_ += static_cast<int64_t>(*n);
    return n;
  }

 private:
  ByteStream* inner_;
  int64_t* spent_;
  int64_t budget_;
};

ErrorRecord ArchiveError(const FileRecord& parent, std::string location, std::string message, std::string advice) {
  ErrorRecord e;
  e.filesystem_id = parent.filesystem_id;
  e.stage = "archive";
  e.source = parent.path;
  e.location = std::move(location);
  e.message = std::move(message);
  e.advice = std::move(advice);
  return e;
}

}  // namespace

bool LooksLikeArchive(std::string_view head) {
  return Starts(head, "PK\x03\x04") || Starts(head, "7z\xbc\xaf\x27\x1c") || Starts(head, "Rar!\x1a\x07") ||
         Starts(head, "ustar", 257) || Starts(head, "\x1f\x8b") || Starts(head, "BZh") ||
         Starts(head, std::string_view("\xfd"
                                       "7zXZ\0",
                                       6));
}

std::string ScratchDirFor(const std::string& case_path) {
  const std::filesystem::path p(case_path);
  return (p.parent_path() / ("." + p.filename().string() + ".scratch")).string();
}

Result<std::unique_ptr<ScratchFile>> ScratchFile::Create(const std::string& dir) {
  static std::atomic<uint64_t> counter{0};
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot make the scratch folder " + dir + ": " + ec.message());
  const std::string path = dir + "/" + std::to_string(getpid()) + "-" + std::to_string(counter.fetch_add(1)) + ".part";
  FILE* f = std::fopen(path.c_str(), "wbx");
  if (f == nullptr) return Status::IOError("cannot make the scratch file " + path + ": " + std::strerror(errno));
  return std::unique_ptr<ScratchFile>(new ScratchFile(path, f));
}

ScratchFile::~ScratchFile() {
  if (file_ != nullptr) std::fclose(file_);
  std::remove(path_.c_str());
}

Status ScratchFile::Append(const char* data, size_t len) {
  if (!error_.ok()) return error_;
  if (file_ == nullptr || std::fwrite(data, 1, len, file_) != len) {
    error_ = Status::IOError("cannot write the scratch file " + path_ + " (disk full?): " + std::strerror(errno));
  }
  return error_;
}

Status ScratchFile::Close() {
  if (file_ != nullptr && std::fclose(file_) != 0 && error_.ok()) {
    error_ = Status::IOError("cannot write the scratch file " + path_ + ": " + std::strerror(errno));
  }
  file_ = nullptr;
  return error_;
}

void ExpandArchive(const FileRecord& parent, const std::string& copy, const ArchiveLimits& limits,
                   const std::function<void(FileRecord, ByteStream*)>& member,
                   const std::function<void(ErrorRecord)>& error) {
  EvidenceProbe probe;
  probe.format = EvidenceFormat::kArchive;
  probe.segments = {copy};
  auto source = LogicalSource::Open(probe);
  if (!source.ok()) {
    error(ArchiveError(parent, "", source.status().message(), "examine the archive by hand"));
    return;
  }
  const int64_t budget = std::min(limits.max_bytes, std::max(limits.floor_bytes, limits.ratio * parent.size));
  int64_t spent = 0, members = 0;
  const Status stop = Status::Busy("stop");
  const Status walked = (*source)->ForEach(
      [&](const FileRecord& rec, ByteStream* content) -> Status {
        if (rec.kind != "file") return Status::Ok();  // folders are implied by the members' paths
        if (++members > limits.max_members) {
          error(ArchiveError(parent, "member " + std::to_string(members),
                             "more than " + std::to_string(limits.max_members) +
                                 " members: the rest were not expanded (a possible archive bomb)",
                             "examine the archive by hand"));
          return stop;
        }
        FileRecord m = rec;
        m.filesystem_id = parent.filesystem_id;
        m.container_key = parent.file_key;
        m.file_key = ArchiveMemberKey(parent.file_key, members, rec.path);
        m.path = parent.path + rec.path;
        m.name = rec.name;
        m.allocated = parent.allocated;
        m.deleted = parent.deleted;
        m.orphan = parent.orphan;
        m.disk_offset = -1;
        m.wants_content = content != nullptr;
        if (content == nullptr) {
          member(std::move(m), nullptr);
          return Status::Ok();
        }
        BudgetedStream limited(content, &spent, budget);
        member(std::move(m), &limited);
        if (spent >= budget) {
          error(ArchiveError(parent, "member " + rec.path,
                             "expansion stopped after " + std::to_string(spent) + " bytes from a " +
                                 std::to_string(parent.size) +
                                 "-byte archive: it expands without reasonable bound (a possible archive bomb); "
                                 "the members before this one are kept",
                             "examine the archive by hand with care; do not extract it on a workstation"));
          return stop;
        }
        return Status::Ok();
      },
      [&](const ErrorRecord& e) {
        // The archive's own messages name the scratch copy: name the archive in the evidence instead.
        std::string where = e.source;
        if (where.rfind(copy, 0) == 0) where = where.substr(copy.size());
        if (!where.empty() && where[0] == ':') where = where.substr(1);
        error(ArchiveError(parent, where.empty() ? "" : "member " + where, e.message, e.advice));
      });
  if (!walked.ok() && walked.message() != stop.message()) {
    error(ArchiveError(parent, "", walked.message(), "examine the archive by hand"));
  }
}

}  // namespace custos
