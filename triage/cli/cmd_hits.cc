// `custos hits`: the keyword, expression and entity hits of a case, in files and in unallocated space.
#include <nlohmann/json.hpp>

#include "triage/cli/commands.h"
#include "triage/store/case_store.h"
#include "triage/store/keyword_hits.h"

namespace custos::cli {
namespace {

using json = nlohmann::json;

// Entity names given as a kind ("--kind iban") mean the entity kind and that term.
const char* const kEntityNames[] = {"email", "url", "phone", "payment_card", "iban", "bitcoin", "ethereum", "ipv4"};

json HitJson(const KeywordHitRow& h) {
  return {{"id", h.id},
          {"exhibit", h.exhibit},
          {"term", h.term},
          {"kind", h.term_kind},
          {"path", h.path ? json(*h.path) : json(nullptr)},
          {"file_id", h.file_id ? json(*h.file_id) : json(nullptr)},
          {"volume", h.volume_id},
          {"volume_offset", h.volume_offset},
          {"offset", h.offset},
          {"media_offset", h.media_offset ? json(*h.media_offset) : json(nullptr)},
          {"encoding", h.encoding},
          {"match", h.match},
          {"context", h.context}};
}

struct HitsArgs {
  std::string path;
  KeywordHitQuery query;
  bool json = false;
};

}  // namespace

void AddHitsCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<HitsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "hits",
      "List keyword, expression and entity hits (offset: in the file, or from the volume start in unallocated "
      "space, where path is null)");
  cmd->add_option("case", a->path, "Case file (*.custos)")->required();
  cmd->add_option("--term", a->query.term, "Only this term (exactly as in the keyword file, or an entity name)");
  cmd->add_option("--kind", a->query.kind,
                  "Only this kind: keyword, regex, entity, or one entity (email, url, phone, payment_card, iban, "
                  "bitcoin, ethereum, ipv4)");
  cmd->add_option("--exhibit", a->query.exhibit, "Only this exhibit reference");
  cmd->add_option("--limit", a->query.limit, "At most this many rows");
  cmd->add_flag("--json", a->json, "One JSON object per line");
  cmd->callback([a, exit_code] {
    for (const char* entity : kEntityNames) {
      if (a->query.kind == entity) {
        if (!a->query.term.empty() && a->query.term != entity) {
          std::fprintf(stderr, "custos hits: --kind %s and --term %s cannot both hold\n", entity,
                       a->query.term.c_str());
          *exit_code = kExitUsage;
          return;
        }
        a->query.term = entity;
        a->query.kind = "entity";
      }
    }
    if (!a->query.kind.empty() && a->query.kind != "keyword" && a->query.kind != "regex" && a->query.kind != "entity") {
      std::fprintf(stderr, "custos hits: unknown --kind '%s': use keyword, regex, entity or an entity name\n",
                   a->query.kind.c_str());
      *exit_code = kExitUsage;
      return;
    }
    auto store = CaseStore::Open(a->path, CaseStore::OpenMode::kReadOnly);
    if (!store.ok()) {
      std::fprintf(stderr, "custos hits: %s\n", store.status().ToString().c_str());
      *exit_code = ExitFor(store.status());
      return;
    }
    int64_t n = 0;
    if (!a->json)
      std::printf("%-8s %-8s %-20s %12s  %-8s  %-40s  %s\n", "EXHIBIT", "KIND", "TERM", "OFFSET", "ENCODING", "WHERE",
                  "MATCH");
    const Status st = ForEachKeywordHit(**store, a->query, [&](const KeywordHitRow& h) {
      ++n;
      if (a->json) {
        std::printf("%s\n", HitJson(h).dump(-1, ' ', false, json::error_handler_t::replace).c_str());
      } else {
        const std::string where = h.path ? *h.path : "unallocated, volume " + std::to_string(h.volume_id);
        std::printf("%-8s %-8s %-20.20s %12lld  %-8s  %-40s  %s\n", h.exhibit.c_str(), h.term_kind.c_str(),
                    h.term.c_str(), static_cast<long long>(h.offset), h.encoding.c_str(), where.c_str(),
                    h.match.c_str());
      }
      return true;
    });
    if (!st.ok()) {
      std::fprintf(stderr, "custos hits: %s\n", st.ToString().c_str());
      *exit_code = ExitFor(st);
      return;
    }
    if (!a->json) {
      std::fprintf(stderr,
                   "%lld hit(s). OFFSET is from the start of the file (of a file's slack for <path>/$Slack), or "
                   "of the volume in unallocated space; --json adds the context and the offset on the media\n",
                   static_cast<long long>(n));
    }
    *exit_code = kExitOk;
  });
}

}  // namespace custos::cli
