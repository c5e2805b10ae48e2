// Keyword, expression and entity search over content, one pass, with Hyperscan in streaming mode, so a
// hit that straddles two reads (a block or fragment boundary, two chunks of a file) is found.
//
// What is matched: the officer's literal keywords (case-insensitive unless asked otherwise), regular
// expressions (Hyperscan's PCRE subset, POSIX classes such as [[:alpha:]] included) and the built-in
// entities of entity_validators.h, each confirmed by its validator.
//
// Encodings: the bytes are scanned as they are (ASCII and UTF-8 text), and as UTF-16LE through two decoded
// views, one for text starting at an even offset and one for an odd offset: each view turns a 16-bit unit
// that holds a printable ASCII character into that byte and any other unit into NUL. Scanning decoded
// views rather than compiling UTF-16LE variants of every pattern keeps expressions and entities working
// (an expression cannot be rewritten to UTF-16 in general) at the cost of scanning each byte twice more
// at half length. Those views hold ASCII only; a keyword with characters outside ASCII ("Straße", "Ελένη")
// is compiled instead as its own UTF-8, UTF-16LE and UTF-16BE bytes (case-insensitively as alternations of
// each character's lower and upper case) and matched in the raw bytes. Expressions and entities outside
// ASCII, and big-endian UTF-16 of ASCII keywords, are matched only as the views allow (see README).
//
// Overlapping hits of one term are reported once: the leftmost, extended to the longest match that starts
// there (as `grep -o` does), up to kMaxMatchBytes. Context is kContextChars characters each side, made
// printable ('.' for anything else).
//
// Thread-safety: SearchPatterns is immutable after Compile and shared by every worker; a ContentSearch
// (its Hyperscan scratch space and streams) belongs to one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "triage/base/status.h"

struct hs_database;
struct hs_scratch;
struct hs_stream;

namespace custos {

enum class TermKind { kKeyword, kRegex, kEntity };
const char* TermKindName(TermKind kind);  // "keyword", "regex", "entity"

struct SearchTerm {
  std::string text;  // the keyword or expression as written; for an entity its name ("iban")
  TermKind kind = TermKind::kKeyword;
  std::string origin;  // where it came from, for error messages: "terms.txt line 3"
};

// One term per line (a trailing CR is dropped; blank lines are skipped). An unreadable file, or one with
// no terms, is an InvalidArgument naming it.
Result<std::vector<SearchTerm>> LoadTermFile(const std::string& path, TermKind kind);

struct SearchOptions {
  bool case_sensitive = false;  // keywords and expressions
  bool entities = true;         // the built-in validated entities
};

struct SearchHit {
  std::string term;
  TermKind kind = TermKind::kKeyword;
  std::string encoding;  // "utf-8" (ASCII/UTF-8 bytes as they are), "utf-16le", or for keywords outside
                         // ASCII also "utf-16be"
  int64_t offset = 0;    // of the match's first byte, from the start of the stream
  int64_t length = 0;    // bytes in the stream
  std::string match;     // the matched text, printable
  std::string context;   // the match with its surroundings, printable
};

class SearchPatterns {
 public:
  static constexpr size_t kMaxMatchBytes = 512;

  // Compiles every term (and the entities unless turned off) into one streaming database. A pattern that
  // Hyperscan rejects is an InvalidArgument naming the pattern, its origin and Hyperscan's reason.
  static Result<std::shared_ptr<const SearchPatterns>> Compile(const std::vector<SearchTerm>& terms,
                                                               const SearchOptions& options);
  ~SearchPatterns();
  SearchPatterns(const SearchPatterns&) = delete;
  SearchPatterns& operator=(const SearchPatterns&) = delete;

  size_t size() const { return patterns_.size(); }
  // "keyword:heroin", "regex:...", "entity:iban": what was searched for, for the run record.
  std::vector<std::string> Describe() const;

 private:
  friend class ContentSearch;
  struct Pattern {
    SearchTerm term;
    size_t entity = SIZE_MAX;  // index into BuiltInEntities() for entities
    // For a keyword outside ASCII, compiled once per encoding and matched in the raw bytes: "utf-8",
    // "utf-16le" or "utf-16be". Null for the others (their encoding is the view's).
    const char* encoding = nullptr;
  };
  SearchPatterns() = default;
  hs_database* db_ = nullptr;
  std::vector<Pattern> patterns_;
};

class ContentSearch {
 public:
  static constexpr size_t kContextChars = 64;
  static constexpr int64_t kMaxHitsPerTerm = 1000;  // in one stream; the rest are counted, not recorded

  static Result<std::unique_ptr<ContentSearch>> Create(std::shared_ptr<const SearchPatterns> patterns);
  ~ContentSearch();
  ContentSearch(const ContentSearch&) = delete;
  ContentSearch& operator=(const ContentSearch&) = delete;

  // Starts a stream (a file's content, an unallocated area). Hits go to `hit` as they are confirmed,
  // during Feed and Finish.
  void Begin(std::function<void(const SearchHit&)> hit);
  void Feed(const char* data, size_t len);
  void Finish();
  const std::shared_ptr<const SearchPatterns>& patterns() const { return patterns_; }
  // After Finish: terms that had more than kMaxHitsPerTerm hits in the stream, with how many were dropped.
  const std::vector<std::pair<std::string, int64_t>>& dropped() const { return dropped_; }

 private:
  struct Pending {
    bool active = false;
    bool listed = false;       // in active_
    int64_t from = 0, to = 0;  // stream offsets (raw bytes)
  };
  static constexpr int kViews = 3;  // raw bytes, UTF-16LE at even offsets, UTF-16LE at odd offsets
  struct ViewContext {
    ContentSearch* self;
    int view;
  };

  ContentSearch() = default;
  static int OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
                     void* context);
  void Match(int view, unsigned id, int64_t from, int64_t to);
  int CharAt(int view, int64_t at) const;
  int64_t EmailStart(int view, int64_t to) const;
  void Settle(int view, unsigned id);  // the pending match of (view, id) is final
  void Emit(int view, unsigned id, int64_t from, int64_t to);
  void EmitReady(bool at_end);
  void ScanViews(const char* data, size_t len);
  std::string_view Window(int64_t from, int64_t to) const;
  bool Utf16Reading(bool big_endian, int64_t from, int64_t to) const;

  std::shared_ptr<const SearchPatterns> patterns_;
  hs_scratch* scratch_ = nullptr;
  hs_stream* streams_[kViews] = {nullptr, nullptr, nullptr};
  ViewContext contexts_[kViews];
  std::function<void(const SearchHit&)> hit_;
  std::vector<Pending> pending_;   // per view and pattern
  std::vector<int64_t> last_end_;  // per view and pattern: the end of the last hit, to drop overlaps
  std::vector<int64_t> hits_;      // per pattern: hits recorded in this stream
  std::vector<size_t> active_;     // indexes of pending_ that are active
  struct Ready {
    int view;
    unsigned id;
    int64_t from, to;
  };
  std::vector<Ready> ready_;  // final matches waiting for the context after them
  std::string window_;        // the last bytes of the stream (and all of the current chunk)
  int64_t window_start_ = 0;  // stream offset of window_[0]
  int64_t end_ = 0;           // stream offset after the last byte fed
  unsigned char lo_[2] = {0, 0};
  std::string narrow_[2];
  std::vector<std::pair<std::string, int64_t>> dropped_;
};

}  // namespace custos
