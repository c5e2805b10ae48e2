// `custos triage`: create or extend a case file from evidence.
#include <csignal>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/package.h"
#include "triage/cli/commands.h"
#include "triage/cli/unlock_options.h"
#include "triage/pipeline/triage_job.h"

namespace custos::cli {
namespace {

std::atomic<bool> g_cancel{false};

extern "C" void OnSignal(int) {
  g_cancel = true;
  // A second Ctrl-C ends the process at once; the case file stays valid (WAL) and the next run resumes.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

struct TriageArgs {
  TriageOptions options;
  bool json = false, quiet = false, no_verify = false, no_hashsets = false, type_known_good = false;
  std::vector<std::string> keyword_files, regex_files;
  bool case_sensitive = false, no_entities = false, no_unallocated = false;
  std::string custody_start;
  int custody_hours = 24;
  UnlockKeyFiles unlock;  // paths only: the secrets stay in the files
};

// Reads the keys for encrypted volumes before anything is written, so a missing file is a usage error.
Status ReadUnlockKeys(TriageArgs& args) {
  auto keys = custos::ReadUnlockKeys(args.unlock);
  if (!keys.ok()) return keys.status();
  args.options.unlock_keys = std::move(*keys);
  return Status::Ok();
}

int RunCommand(TriageArgs& args, const std::string& command_line) {
  TriageOptions& o = args.options;
  o.verify_media = !args.no_verify;
  o.match_hashsets = !args.no_hashsets;
  o.skip_known_good_typing = !args.type_known_good;
  o.command_line = command_line;
  o.cancel = &g_cancel;
  if (!args.custody_start.empty()) {
    auto start = ParseUtc(args.custody_start);
    if (!start) {
      std::fprintf(stderr, "custos triage: --custody-start '%s' is not a UTC time like 2026-11-22T08:30:00Z\n",
                   args.custody_start.c_str());
      return kExitUsage;
    }
    o.case_info.custody_start = *start;
    o.case_info.custody_limit = *start + static_cast<UtcMicros>(args.custody_hours) * 3600 * 1000000;
  }
  if (Status st = ReadUnlockKeys(args); !st.ok()) {
    std::fprintf(stderr, "custos triage: %s\n", st.message().c_str());
    return kExitUsage;
  }
  // The search terms are read and compiled before anything else: a bad expression stops here, naming its line.
  std::vector<SearchTerm> terms;
  for (const auto& [files, kind] :
       {std::pair{&args.keyword_files, TermKind::kKeyword}, {&args.regex_files, TermKind::kRegex}}) {
    for (const auto& path : *files) {
      auto loaded = LoadTermFile(path, kind);
      if (!loaded.ok()) {
        std::fprintf(stderr, "custos triage: %s\n", loaded.status().message().c_str());
        return kExitUsage;
      }
      auto sha = reports::Sha256File(path);  // recorded in the run, so the report can name the list
      if (!sha.ok()) {
        std::fprintf(stderr, "custos triage: %s\n", sha.status().message().c_str());
        return kExitUsage;
      }
      o.search_lists.push_back({path, TermKindName(kind), *sha, static_cast<int64_t>(loaded->size())});
      terms.insert(terms.end(), loaded->begin(), loaded->end());
    }
  }
  if (!terms.empty() || !args.no_entities) {
    auto compiled = SearchPatterns::Compile(terms, {args.case_sensitive, !args.no_entities});
    if (!compiled.ok()) {
      std::fprintf(stderr, "custos triage: %s\n", compiled.status().message().c_str());
      return ExitFor(compiled.status());
    }
    o.search = *compiled;
    o.search_entities = !args.no_entities;
    o.search_case_sensitive = args.case_sensitive;
  }
  // Unallocated space is read when the officer gave terms to look for, unless told not to.
  o.unallocated = (o.unallocated || !terms.empty()) && !args.no_unallocated;
  ProgressReporter progress(stderr, args.json, args.quiet);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  auto outcome = RunTriage(o, progress);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (!outcome.ok()) {
    if (args.json) {
      nlohmann::json j = {{"event", "failed"}, {"message", outcome.status().ToString()}};
      std::fprintf(stderr, "%s\n", j.dump().c_str());
    } else {
      std::fprintf(stderr, "custos triage: %s\n", outcome.status().ToString().c_str());
    }
    return ExitFor(outcome.status());
  }
  const TriageOutcome& r = *outcome;
  if (args.json) {
    nlohmann::json j = {{"event", "finished"},          {"case", o.case_path},           {"exhibits", r.exhibits},
                        {"entries", r.entries},         {"files_read", r.files_read},    {"errors", r.errors},
                        {"interrupted", r.interrupted}, {"verification", r.verification}};
    std::fprintf(stderr, "%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    std::fprintf(stderr, "%s: %d exhibit(s), %lld entries listed, %lld files read, %lld errors\n",
                 r.interrupted ? "Interrupted" : "Triage complete", r.exhibits, static_cast<long long>(r.entries),
                 static_cast<long long>(r.files_read), static_cast<long long>(r.errors));
    for (const auto& v : r.verification) std::fprintf(stderr, "  image hash %s\n", v.c_str());
    if (r.interrupted) {
      std::fprintf(stderr, "The case file is intact. Run the same command again to resume.\n");
    } else {
      std::fprintf(stderr, "See the findings with: custos info %s\n", o.case_path.c_str());
    }
  }
  if (r.interrupted) return kExitInterrupted;
  return r.errors > 0 ? kExitWithErrors : kExitOk;
}

}  // namespace

void AddTriageCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<TriageArgs>();
  CLI::App* cmd = app.add_subcommand("triage",
                                     "Triage evidence into a case file (creates it, or adds to it and "
                                     "resumes an interrupted run)");
  cmd->add_option("--case", args->options.case_path, "Case file to create or extend (e.g. OP-ELM.custos)")->required();
  cmd->add_option("--exhibit", args->options.exhibit_refs,
                  "Exhibit reference, e.g. JD/1 (once per evidence item, in order; default: the file name)")
      ->allow_extra_args(false);  // each --exhibit takes one value: the evidence paths after it stay positional
  cmd->add_option("--threads", args->options.threads, "Content workers (default: every core)")
      ->check(CLI::Range(1, 256));
  cmd->add_flag("--sha256", args->options.sha256, "Also compute SHA-256 of every file (MD5 and SHA-1 always)");
  cmd->add_flag("--no-verify", args->no_verify, "Do not hash the whole image (saves a full read of the media)");
  cmd->add_flag("--json", args->json, "Progress and errors as one JSON object per line on stderr");
  cmd->add_flag("-q,--quiet", args->quiet, "Only errors and the final summary");
  cmd->add_option("--keywords", args->keyword_files,
                  "File of keywords, one literal term per line, matched case-insensitively in ASCII/UTF-8 and "
                  "UTF-16LE text (repeatable)")
      ->allow_extra_args(false)  // one file each time: the evidence paths after it stay positional
      ->check(CLI::ExistingFile);
  cmd->add_option("--regex", args->regex_files,
                  "File of regular expressions, one per line (Hyperscan syntax; POSIX classes like [[:alpha:]])")
      ->allow_extra_args(false)
      ->check(CLI::ExistingFile);
  cmd->add_flag("--case-sensitive", args->case_sensitive, "Match keywords and expressions case-sensitively");
  cmd->add_flag("--no-entities", args->no_entities,
                "Do not look for e-mail addresses, URLs, phone numbers, cards, IBANs, Bitcoin/Ethereum addresses "
                "and IPv4 addresses");
  cmd->add_flag("--unallocated", args->options.unallocated,
                "Also search each file system's unallocated space, the media outside any file system and file "
                "slack (on by default with --keywords or --regex)");
  cmd->add_flag("--no-unallocated", args->no_unallocated, "Do not read unallocated space");
  cmd->add_flag("--carve", args->options.carve,
                "Carve JPEG, PNG, GIF, PDF and ZIP objects out of file content (a picture appended to another "
                "file, embedded in a document) and out of unallocated space when it is read");
  cmd->add_option("--case-ref", args->options.case_info.case_reference, "Case reference, e.g. OP-ELM-2026-0042");
  cmd->add_option("--operation", args->options.case_info.operation, "Operation name");
  cmd->add_option("--officer", args->options.case_info.officer, "Officer in the case (recorded in the audit trail)");
  cmd->add_option("--custody-start", args->custody_start,
                  "Detention clock start (PACE relevant time), UTC, e.g. 2026-11-22T08:30:00Z");
  cmd->add_option("--custody-hours", args->custody_hours, "Current detention limit in hours (24, 36 or 96)")
      ->check(CLI::IsMember({24, 36, 96}));
  AddUnlockOptions(cmd, &args->unlock);
  cmd->add_option("--hashsets", args->options.hashsets,
                  "Match files only against these hash sets (names, comma-separated; default: every set in the "
                  "library)")
      ->delimiter(',');
  cmd->add_option("--library", args->options.hashset_library,
                  "Hash-set library folder (default: $CUSTOS_HASHSETS, else $XDG_DATA_HOME/custos/hashsets, else "
                  "~/.local/share/custos/hashsets)");
  cmd->add_flag("--no-hashsets", args->no_hashsets, "Do not match files against hash sets");
  cmd->add_flag("--type-known-good", args->type_known_good,
                "Type files that only known-good sets hold too (by default libmagic is skipped for them)");
  cmd->add_option("evidence", args->options.evidence,
                  "Evidence: E01 (first segment), raw/dd or split raw (first part), VHD, VMDK, a block device, a "
                  "folder, or a zip/tar")
      ->required();
  cmd->callback([args, exit_code] { *exit_code = RunCommand(*args, CommandLine()); });
}

}  // namespace custos::cli
