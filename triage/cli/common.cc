// What the subcommands share: the recorded command line and the exit-code mapping.
#include <string>

#include "triage/cli/commands.h"

namespace custos::cli {

std::string& CommandLineStorage() {
  static std::string line;
  return line;
}

void SetCommandLine(int argc, char** argv) {
  std::string& line = CommandLineStorage();
  line.clear();
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
}

const std::string& CommandLine() { return CommandLineStorage(); }

int ExitFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk:
      return kExitOk;
    case Status::Code::kInvalidArgument:
    case Status::Code::kNotFound:
    case Status::Code::kNotSupported:
      return kExitUsage;
    default:
      return kExitFailure;
  }
}

}  // namespace custos::cli
