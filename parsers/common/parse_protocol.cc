#include "parsers/common/parse_protocol.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace custos {
namespace {

class Writer {
 public:
  void U64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_ += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  void Str(std::string_view s) {
    U64(s.size());
    out_.append(s);
  }
  std::string Framed() {
    std::string framed;
    const uint64_t n = out_.size();
    for (int i = 0; i < 8; ++i) framed += static_cast<char>((n >> (8 * i)) & 0xff);
    return framed + out_;
  }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool U64(uint64_t& v) {
    if (in_.size() - at_ < 8) return false;
    v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(in_[at_ + i])) << (8 * i);
    at_ += 8;
    return true;
  }
  bool I64(int64_t& v) {
    uint64_t u = 0;
    if (!U64(u)) return false;
    v = static_cast<int64_t>(u);
    return true;
  }
  bool Str(std::string& s) {
    uint64_t n = 0;
    if (!U64(n) || n > in_.size() - at_) return false;
    s.assign(in_.substr(at_, n));
    at_ += n;
    return true;
  }

 private:
  std::string_view in_;
  size_t at_ = 0;
};

bool ReadFrame(int fd, std::string& body) {
  std::string len;
  if (!ReadExact(fd, 8, len)) return false;
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(static_cast<unsigned char>(len[i])) << (8 * i);
  if (n > (8ULL << 30)) return false;
  body.clear();
  return ReadExact(fd, n, body);
}

enum ValueTag : uint64_t { kNull = 0, kInt = 1, kReal = 2, kText = 3, kBlob = 4 };

}  // namespace

bool ReadExact(int fd, size_t n, std::string& out) {
  const size_t start = out.size();
  out.resize(start + n);
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, out.data() + start + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      out.resize(start + got);
      return false;
    }
    got += static_cast<size_t>(r);
  }
  return true;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t w = ::write(fd, data.data(), data.size());
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data.remove_prefix(static_cast<size_t>(w));
  }
  return true;
}

std::string EncodeRequest(const std::string& parser, const FileRecord& file, std::string_view bytes,
                          const std::map<std::string, std::string>& companions) {
  Writer w;
  w.Str(parser);
  w.Str(file.path);
  w.Str(file.name);
  w.Str(file.extension);
  w.Str(file.kind);
  w.U64(static_cast<uint64_t>(file.size));
  w.Str(bytes);
  w.U64(companions.size());
  for (const auto& [suffix, content] : companions) {
    w.Str(suffix);
    w.Str(content);
  }
  return w.Framed();
}

bool ReadRequest(int fd, ParseRequest& request) {
  std::string body;
  if (!ReadFrame(fd, body)) return false;
  Reader r(body);
  if (!r.Str(request.parser) || !r.Str(request.file.path) || !r.Str(request.file.name) ||
      !r.Str(request.file.extension) || !r.Str(request.file.kind) || !r.I64(request.file.size)) {
    return false;
  }
  uint64_t n = 0;
  if (!r.Str(request.bytes) || !r.U64(n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    std::string suffix, content;
    if (!r.Str(suffix) || !r.Str(content)) return false;
    request.companions[suffix] = std::move(content);
  }
  return true;
}

std::string EncodeReply(const Status& status, const ParseOutput& output) {
  Writer w;
  w.U64(static_cast<uint64_t>(status.code()));
  w.Str(status.message());
  w.U64(output.problems.size());
  for (const auto& p : output.problems) w.Str(p);
  w.U64(output.rows.size());
  for (const auto& row : output.rows) {
    w.Str(row.kind);
    w.U64(row.time ? 1 : 0);
    w.U64(static_cast<uint64_t>(row.time.value_or(0)));
    w.Str(row.time_zone_note);
    w.Str(row.summary);
    w.Str(row.location);
    w.U64(row.values.size());
    for (const auto& v : row.values) {
      if (const auto* n = std::get_if<int64_t>(&v)) {
        w.U64(kInt);
        w.U64(static_cast<uint64_t>(*n));
      } else if (const auto* d = std::get_if<double>(&v)) {
        uint64_t bits = 0;
        std::memcpy(&bits, d, sizeof bits);
        w.U64(kReal);
        w.U64(bits);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        w.U64(kText);
        w.Str(*s);
      } else if (const auto* b = std::get_if<std::vector<uint8_t>>(&v)) {
        w.U64(kBlob);
        w.Str(std::string_view(reinterpret_cast<const char*>(b->data()), b->size()));
      } else {
        w.U64(kNull);
      }
    }
  }
  return w.Framed();
}

bool DecodeReply(std::string_view body, ParseReply& reply) {
  Reader r(body);
  uint64_t code = 0, count = 0;
  std::string message;
  if (!r.U64(code) || !r.Str(message) || code > static_cast<uint64_t>(Status::Code::kInternal)) return false;
  switch (static_cast<Status::Code>(code)) {
    case Status::Code::kOk:
      reply.status = Status::Ok();
      break;
    case Status::Code::kNotFound:
      reply.status = Status::NotFound(message);
      break;
    case Status::Code::kCorruption:
      reply.status = Status::Corruption(message);
      break;
    case Status::Code::kNotSupported:
      reply.status = Status::NotSupported(message);
      break;
    case Status::Code::kInvalidArgument:
      reply.status = Status::InvalidArgument(message);
      break;
    case Status::Code::kIOError:
      reply.status = Status::IOError(message);
      break;
    case Status::Code::kBusy:
      reply.status = Status::Busy(message);
      break;
    case Status::Code::kInternal:
      reply.status = Status::Internal(message);
      break;
  }
  if (!r.U64(count)) return false;
  for (uint64_t i = 0; i < count; ++i) {
    std::string p;
    if (!r.Str(p)) return false;
    reply.output.problems.push_back(std::move(p));
  }
  if (!r.U64(count)) return false;
  for (uint64_t i = 0; i < count; ++i) {
    ArtefactRow row;
    uint64_t has_time = 0, nvalues = 0;
    int64_t time = 0;
    if (!r.Str(row.kind) || !r.U64(has_time) || !r.I64(time) || !r.Str(row.time_zone_note) || !r.Str(row.summary) ||
        !r.Str(row.location) || !r.U64(nvalues) || nvalues > body.size()) {
      return false;
    }
    if (has_time) row.time = time;
    for (uint64_t j = 0; j < nvalues; ++j) {
      uint64_t tag = 0;
      if (!r.U64(tag)) return false;
      FieldValue v;
      if (tag == kInt) {
        int64_t n = 0;
        if (!r.I64(n)) return false;
        v = n;
      } else if (tag == kReal) {
        uint64_t bits = 0;
        if (!r.U64(bits)) return false;
        double d = 0;
        std::memcpy(&d, &bits, sizeof d);
        v = d;
      } else if (tag == kText) {
        std::string s;
        if (!r.Str(s)) return false;
        v = std::move(s);
      } else if (tag == kBlob) {
        std::string s;
        if (!r.Str(s)) return false;
        v = std::vector<uint8_t>(s.begin(), s.end());
      } else if (tag != kNull) {
        return false;
      }
      row.values.push_back(std::move(v));
    }
    reply.output.rows.push_back(std::move(row));
  }
  return true;
}

}  // namespace custos
