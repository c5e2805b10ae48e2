// ReportModel: everything a report or export says about a case, read once from a case file: the case
// and exhibit references, the officer, the device and image details with the image hashes and their
// verification, the runs (tool, version, what was done), the items the officer tagged with their
// source and times, the graded pictures counted by grade and by whether the user could reach them
// (allocated) or not (deleted), headline counts, what was not examined and why, and the declaration.
//
// Contract:
//  - Reads only (the CaseStore may be opened read-only). Text is kept as the case holds it (evidence
//    text may be invalid UTF-8 or hold NULs); renderers make it safe (reports/evidence_text.h).
//  - Files matching a known-good hash set (hash_hit.set_kind = 'known_good') are never listed as
//    findings: they are counted once, in the limits, so their absence is explained.
//  - Large listings (every file, for the disclosure schedule and the bodyfile) are not held here: the
//    exporters stream them from the store.
// Thread-safety: a plain value once built; Build uses the store from the calling thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "triage/base/status.h"
#include "triage/store/case_store.h"

namespace custos::reports {

// One tagged file, artefact or keyword hit, with where it came from.
struct TaggedItem {
  int64_t tag_id = 0;
  std::string target;  // "file", "artefact", "keyword_hit"
  int64_t target_id = 0;
  std::string label;  // evidential, relevant, exculpatory, disclosure_review
  std::string note, author;
  UtcMicros tagged = 0;
  std::string exhibit;            // exhibit reference
  std::string kind;               // "file", the artefact kind ("chat.message"), or "keyword hit"
  std::string description;        // file name, artefact summary, or the keyword and its match
  std::string detail;             // artefact location in its source, keyword context
  std::string source_path;        // the file it came from ("" for unallocated space)
  std::optional<UtcMicros> time;  // the artefact's time, or the file's modified time
  std::string time_note;          // e.g. the original zone, or "modified"
  std::optional<int64_t> file_id;
  bool deleted = false;  // the source file is deleted
  int64_t size = 0;
  std::string md5, sha1, sha256;
  std::string parser;                                   // parser and version for artefacts
  std::optional<UtcMicros> created, accessed, changed;  // file times (for files)
};

// A picture the officer graded.
struct GradedPicture {
  int64_t file_id = 0;
  std::string exhibit, path, name, grade, author, mime;
  bool deleted = false;
  int64_t size = 0;
  std::string md5, sha1, sha256;
  std::optional<UtcMicros> mtime, atime, crtime;
  UtcMicros graded = 0;
};

struct GradeCount {
  std::string grade;  // A, B, C, not_relevant, needs_review
  int64_t allocated = 0;
  int64_t deleted = 0;
};

struct KnownBadCount {
  std::string category;  // as the hash set names it ("" when it has none)
  std::string sets;      // the hash sets that matched, comma-separated
  int64_t allocated = 0;
  int64_t deleted = 0;
};

struct HeadlineCount {
  std::string label;  // "USB storage devices"
  int64_t count = 0;
  std::string source;  // "windows.usb_device artefacts"
};

// Something not examined or only partly examined, said plainly.
struct Limitation {
  std::string area;    // "Encrypted volume", "Read errors", "Not parsed"...
  std::string detail;  // what, how many, and what it means
};

// What one triage run, or one later `custos hashset match`, searched, from its record in the case (the
// run's parameters, the hashset.match audit row), with what it found, so a search that found nothing is
// still reported. Texts are whole sentences for the renderers.
struct SearchScope {
  std::string run;  // "Run 3 (triage)", "Hash set match (audit row 41)"
  UtcMicros when = 0;
  std::vector<std::string> hash_sets;   // "NAME (known-bad, 1,234 MD5 / 0 SHA-1 / 0 SHA-256): 2 files matched"
  std::vector<std::string> term_lists;  // "Keywords terms.txt (12 terms, SHA-256 ...)"
  std::string terms;                    // "14 terms and entities searched, 3 found (17 hits)"; "" if none
  int64_t keyword_terms = 0;  // keywords and expressions among them (known also for runs that predate the lists)
  std::string entities, unallocated, carving, case_sensitive;  // "yes", "no", "" when not recorded
  bool is_triage = true;
};

struct ReportModel {
  CaseSummary summary;  // case info, exhibits, volumes, file systems, runs, counts
  std::vector<std::pair<std::string, int64_t>> artefact_counts;
  std::vector<std::pair<std::string, std::string>> parsers;  // parser name -> version(s) that produced rows
  std::vector<TaggedItem> tagged;                            // evidential first, then by time
  std::vector<GradeCount> grades;                            // A, B, C, not_relevant, needs_review
  std::vector<GradedPicture> graded_pictures;
  std::vector<KnownBadCount> known_bad;
  int64_t known_good_files = 0;
  int64_t keyword_hits = 0, keyword_terms = 0;
  int64_t pictures = 0, videos = 0;  // files typed image/ or video/
  std::vector<HeadlineCount> headline;
  std::vector<Limitation> limitations;
  std::vector<SearchScope> searches;  // per run, in time order
  UtcMicros generated = 0;
  std::string tool_version;  // of the program writing the report
  std::string examiner;      // who signs the declaration (the case's officer unless given)
};

// Reads the model from an open case. `examiner` may be empty (the case's officer is used).
Result<ReportModel> BuildReportModel(CaseStore& store, const std::string& examiner);

// Words for a grade ("Category A") and an exhibit's verification result, for every renderer.
std::string GradeName(const std::string& grade);
std::string VerificationText(const ExhibitRecord& exhibit);
// The tag labels in the order reports list them, and their words ("Evidential").
const std::vector<std::string>& TagLabels();
std::string LabelName(const std::string& label);

}  // namespace custos::reports
