// A triage run: evidence in, case file out. Probes every evidence item first (failing fast, before
// anything is written), then for each exhibit: records it, verifies the media hash beside the walk,
// walks volumes and file systems, and feeds the content workers (hash, type, parsers) through the
// priority queue; one StoreWriter commits everything in batches. Re-running the same command resumes:
// nothing is added twice and files already read are not read again.
// Thread-safety: Run() is called once, from one thread; `cancel` may be set from a signal handler.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "triage/base/status.h"
#include "triage/pipeline/progress.h"
#include "triage/search/content_search.h"
#include "triage/store/case_store.h"
#include "triage/walk/unlock_keys.h"

namespace custos {

struct TriageOptions {
  std::string case_path;
  std::vector<std::string> evidence;      // paths as given (segments of one exhibit are grouped)
  std::vector<std::string> exhibit_refs;  // one per exhibit, in order; empty = derived from file names
  int threads = 0;                        // content workers; 0 = every core
  bool sha256 = false;
  bool verify_media = true;  // hash the whole media (and check an E01's stored hash)
  // Keywords, expressions and entities to find in every byte read (null: no search). Compiled before the
  // run, so a bad expression stops it before anything is written.
  std::shared_ptr<const SearchPatterns> search;
  // What `search` was made from, for the run record (so a report can say what was searched even when
  // nothing matched): each term file as given, its kind ("keyword", "regex"), SHA-256 and term count.
  struct TermList {
    std::string path, kind, sha256;
    int64_t terms = 0;
  };
  std::vector<TermList> search_lists;
  bool search_entities = false, search_case_sensitive = false;
  // Also read each file system's unallocated blocks, the media outside any file system and file slack
  // (searched, not hashed).
  bool unallocated = false;
  // Carve JPEG, PNG, GIF, PDF and ZIP objects out of file content and unallocated space into child rows.
  bool carve = false;
  CaseInfo case_info;        // fields given on the command line (empty ones are left alone)
  std::string command_line;  // recorded in the run row
  // Keys for encrypted volumes; only their labels reach the case file (see triage/walk/unlock_keys.h).
  std::shared_ptr<const UnlockKeys> unlock_keys;
  const std::atomic<bool>* cancel = nullptr;
  // Hash sets to match every hashed file against: the library folder and the set names (empty = every
  // set in the library; a library with no sets matches nothing).
  std::string hashset_library;
  std::vector<std::string> hashsets;
  bool match_hashsets = true;
  // A file that only known-good sets hold (NSRL) is not typed with libmagic: its type is known to be
  // ordinary, and typing costs more than hashing. Its `mime` stays empty.
  bool skip_known_good_typing = true;
};

struct TriageOutcome {
  int exhibits = 0;
  int64_t entries = 0;     // files, directories and streams listed in this run
  int64_t files_read = 0;  // files whose content was read in this run
  int64_t errors = 0;      // error rows recorded in this run
  bool interrupted = false;
  std::vector<std::string> verification;  // per exhibit: "JD/1: verified"
};

// Checks the evidence before any work: every item exists, is readable and is a supported format.
// Returns the grouped probes; the Status names the file and says what to do.
Status CheckEvidence(const TriageOptions& options);

// Runs triage. A non-ok Status means the run could not proceed at all (case file unusable, evidence
// unreadable, disk full); damage inside the evidence is recorded as error rows and counted instead.
Result<TriageOutcome> RunTriage(const TriageOptions& options, ProgressReporter& progress);

}  // namespace custos
