// The subcommands of `custos`. Each Add*Command registers its options on the CLI11 app and returns the
// exit code through *exit_code when it runs. Exit codes are the same for every subcommand:
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "triage/base/format.h"  // ParseUtc, FormatUtc
#include "triage/base/status.h"
#include "triage/model/records.h"

namespace custos::cli {

enum ExitCode : int {
  kExitOk = 0,          // done, nothing to report
  kExitFailure = 1,     // could not complete (or: verification mismatch)
  kExitUsage = 2,       // wrong arguments, missing or unsupported evidence, not a case file
  kExitWithErrors = 3,  // completed, but errors were recorded (triage) / no stored hash to check (verify)
  kExitInterrupted = 130,
};

void AddTriageCommand(CLI::App& app, int* exit_code);
void AddInfoCommand(CLI::App& app, int* exit_code);
void AddFilesCommand(CLI::App& app, int* exit_code);
void AddVerifyCommand(CLI::App& app, int* exit_code);
void AddReportCommand(CLI::App& app, int* exit_code);
void AddPackageCommand(CLI::App& app, int* exit_code);
// exam request|list|update|export
void AddExamCommands(CLI::App& app, int* exit_code);
// tag, tags, grade, audit verify|list
void AddReviewCommands(CLI::App& app, int* exit_code);
void AddHitsCommand(CLI::App& app, int* exit_code);
void AddHashsetCommand(CLI::App& app, int* exit_code);

// The command line as typed, recorded with each run so a result can be reproduced.
void SetCommandLine(int argc, char** argv);
const std::string& CommandLine();

// Who did it, for the audit trail: the name given, else the login name.
std::string Actor(const std::string& given);

// Maps a Status to an exit code: invalid input and missing things are usage errors.
int ExitFor(const Status& status);

}  // namespace custos::cli
