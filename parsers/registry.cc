// The global parser registry, filled by static CUSTOS_REGISTER_PARSER objects before main().
#include "parsers/parser.h"

namespace custos {

ParserRegistry& ParserRegistry::Global() {
  static ParserRegistry registry;  // constructed on first use, so registration order does not matter
  return registry;
}

void ParserRegistry::Register(std::unique_ptr<Parser> parser) { parsers_.push_back(std::move(parser)); }

std::vector<std::string> ParserRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& p : parsers_) out.push_back(p->name());
  return out;
}

std::vector<const Parser*> ParserRegistry::Matching(const FileRecord& file, std::string_view head) const {
  std::vector<const Parser*> out;
  for (const auto& p : parsers_) {
    if (p->Wants(file, head)) out.push_back(p.get());
  }
  return out;
}

}  // namespace custos
