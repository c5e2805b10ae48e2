// The parser interface. A parser is one .cpp file: its declaration (name, version, which files it
// wants, the kinds and fields it produces), its code, and one line registering it:
//   CUSTOS_REGISTER_PARSER(ChromeHistoryParser);
// Parsers are pure: they never touch the store or the evidence. They get the file's bytes (bounded by
// max_bytes()) and the bytes of companion files they asked for (e.g. a SQLite "-wal"), and return rows.
// Expected failures are a Status plus whatever rows could be read; the pipeline wraps every call so an
// exception becomes an error row naming the parser and the file.
// Thread-safety: one Parser instance is shared by all content workers: Parse() must be const and
// re-entrant (no mutable members).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "triage/base/status.h"
#include "triage/model/artefact.h"
#include "triage/model/records.h"

namespace custos {

struct ParserInput {
  const FileRecord& file;
  std::string_view bytes;                         // the content, up to max_bytes()
  std::map<std::string, std::string> companions;  // suffix ("-wal", "-journal") -> bytes, when present
};

struct ParseOutput {
  std::vector<ArtefactRow> rows;
  std::vector<std::string> problems;  // each becomes an error row ("record 17: bad length") beside the rows
};

class Parser {
 public:
  virtual ~Parser() = default;
  virtual std::string name() const = 0;     // "windows.registry.sam"
  virtual std::string version() const = 0;  // bumped when output changes
  virtual std::vector<KindDecl> kinds() const = 0;
  // Quick test on metadata and the first bytes (up to 4 KiB) of content.
  virtual bool Wants(const FileRecord& file, std::string_view head) const = 0;
  virtual std::vector<std::string> companion_suffixes() const { return {}; }
  virtual int64_t max_bytes() const { return 512LL << 20; }
  // Fills `out` with what could be read; a non-ok Status says why the rest could not.
  virtual Status Parse(const ParserInput& input, ParseOutput& out) const = 0;
};

class ParserRegistry {
 public:
  static ParserRegistry& Global();
  void Register(std::unique_ptr<Parser> parser);
  const std::vector<std::unique_ptr<Parser>>& parsers() const { return parsers_; }
  std::vector<std::string> names() const;
  // Parsers that want this file, in registration order.
  std::vector<const Parser*> Matching(const FileRecord& file, std::string_view head) const;

 private:
  std::vector<std::unique_ptr<Parser>> parsers_;
};

template <typename T>
struct ParserRegistration {
  ParserRegistration() { ParserRegistry::Global().Register(std::make_unique<T>()); }
};

}  // namespace custos

#define CUSTOS_REGISTER_PARSER(Type) static ::custos::ParserRegistration<Type> custos_registration_##Type
