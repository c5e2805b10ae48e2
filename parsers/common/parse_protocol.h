// The messages between the triage pipeline and `custos-parse`, the process parsers run in. Parsers run
// out of process for two reasons: the Debian libyal libraries each export their own bundled copies of
// libcdata/libfdata/libfvalue/libuna, so in one process with libewf (loaded by The Sleuth Kit) the
// first-loaded copies win and libevtx fails on every record; and a parser that crashes, hangs or eats
// memory takes down only its own process. Framing: little-endian u64 lengths; one request, one reply.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "parsers/parser.h"

namespace custos {

// Reads exactly n bytes from fd into out (appending); false on EOF or error.
bool ReadExact(int fd, size_t n, std::string& out);
// Writes everything; false on error (the peer went away).
bool WriteAll(int fd, std::string_view data);

struct ParseRequest {
  std::string parser;  // parser name
  FileRecord file;     // path, name, extension, size and kind travel; the rest stays empty
  std::string bytes;
  std::map<std::string, std::string> companions;  // suffix ("-wal") -> bytes
};

struct ParseReply {
  Status status;
  ParseOutput output;
};

std::string EncodeRequest(const std::string& parser, const FileRecord& file, std::string_view bytes,
                          const std::map<std::string, std::string>& companions);
// Reads one request from fd; false on a clean EOF (the pipeline closed the pipe) or a broken message.
bool ReadRequest(int fd, ParseRequest& request);
std::string EncodeReply(const Status& status, const ParseOutput& output);
// Decodes a reply body (the bytes after its u64 length); false on a malformed message.
bool DecodeReply(std::string_view body, ParseReply& reply);

}  // namespace custos
