// The pipeline's side of `custos-parse` (parsers/common/parse_protocol.h says why parsers run out of
// process). One ParserProcess per content worker thread; the child starts on first use and is started
// again after it dies. A crash, a hang past the time limit or a broken reply kills that child and comes
// back as an error for that file only; the run goes on.
// Thread-safety: one instance per thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "parsers/common/parse_protocol.h"
#include "triage/base/status.h"

namespace custos {

class ParserProcess {
 public:
  ParserProcess() = default;
  ~ParserProcess();
  ParserProcess(const ParserProcess&) = delete;
  ParserProcess& operator=(const ParserProcess&) = delete;

  Result<ParseReply> Parse(const std::string& parser, const FileRecord& file, std::string_view bytes,
                           const std::map<std::string, std::string>& companions, std::chrono::milliseconds time_limit);
  // The time a parser gets for a file of this size: two minutes, plus a second per MiB.
  static std::chrono::milliseconds TimeLimitFor(size_t bytes);

 private:
  Status Start();
  void Stop(bool kill);
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
};

// Where custos-parse is: $CUSTOS_PARSE if set, else beside the running program, else where it was built.
std::string ParserProcessPath();

}  // namespace custos
