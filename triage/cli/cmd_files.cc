// `custos files`: list and filter the files of a case (deleted, by extension, type, path, hash).
#include <nlohmann/json.hpp>

#include "triage/base/format.h"
#include "triage/cli/commands.h"
#include "triage/store/case_store.h"
#include "triage/store/hash_hits.h"

namespace custos::cli {
namespace {

using json = nlohmann::json;

json OptTime(const std::optional<UtcMicros>& t) { return t ? json(*t) : json(nullptr); }
json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json HitsJson(const std::vector<HashHitRow>& hits) {
  json a = json::array();
  for (const auto& h : hits) {
    a.push_back({{"set", h.set_name},
                 {"kind", h.set_kind},
                 {"category", h.category},
                 {"algorithm", h.algorithm},
                 {"hash", h.hash}});
  }
  return a;
}

json RowJson(const FileRow& row) {
  const FileRecord& f = row.record;
  const ContentResult& c = row.content;
  return {{"id", row.id},
          {"exhibit", row.exhibit_reference},
          {"filesystem_id", f.filesystem_id},
          {"path", f.path},
          {"name", f.name},
          {"extension", f.extension},
          {"kind", f.kind},
          {"meta_addr", f.meta_addr},
          {"stream", OrNull(f.stream_name)},
          {"allocated", f.allocated},
          {"deleted", f.deleted},
          {"orphan", f.orphan},
          {"size", f.size},
          {"mtime_us", OptTime(f.mtime)},
          {"atime_us", OptTime(f.atime)},
          {"ctime_us", OptTime(f.ctime)},
          {"crtime_us", OptTime(f.crtime)},
          {"fn_mtime_us", OptTime(f.fn_mtime)},
          {"fn_atime_us", OptTime(f.fn_atime)},
          {"fn_ctime_us", OptTime(f.fn_ctime)},
          {"fn_crtime_us", OptTime(f.fn_crtime)},
          {"md5", OrNull(c.md5)},
          {"sha1", OrNull(c.sha1)},
          {"sha256", OrNull(c.sha256)},
          {"mime", OrNull(c.mime)},
          {"type", OrNull(c.type_description)},
          {"extension_mismatch", c.extension_mismatch},
          {"content_state", OrNull(c.content_state)}};
}

struct FilesArgs {
  std::string path;
  FileQuery query;
  bool json = false, known_bad = false, known_good = false, hide_known_good = false;
};

}  // namespace

void AddFilesCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<FilesArgs>();
  CLI::App* cmd = app.add_subcommand("files", "List the files of a case, with filters");
  cmd->add_option("case", a->path, "Case file (*.custos)")->required();
  cmd->add_flag("--deleted", a->query.deleted_only, "Only deleted files (including orphans)");
  cmd->add_flag("--allocated", a->query.allocated_only, "Only allocated (not deleted) files");
  cmd->add_option("--ext", a->query.extension, "Only this extension (without the dot, any case)");
  cmd->add_option("--type", a->query.mime, "Only content types starting with this, e.g. image/ or application/pdf");
  cmd->add_option("--path", a->query.path_glob, "Only paths matching this glob, e.g. '/Users/*/Pictures/*'");
  cmd->add_option("--hash", a->query.hash, "Only files with this MD5, SHA-1 or SHA-256");
  cmd->add_option("--exhibit", a->query.exhibit, "Only this exhibit reference");
  cmd->add_option("--kind", a->query.kind, "Only this kind: file, dir, link, ads, virtual, carved, slack");
  cmd->add_flag("--mismatch", a->query.mismatch_only, "Only files whose content does not match their extension");
  cmd->add_flag("--known-bad", a->known_bad, "Only files in a known-bad hash set, with the set and category");
  cmd->add_flag("--known-good", a->known_good, "Only files in a known-good hash set (NSRL)");
  cmd->add_flag("--hide-known-good", a->hide_known_good,
                "Leave out files that only known-good hash sets hold (a known-bad hit still shows)");
  cmd->add_option("--limit", a->query.limit, "At most this many rows");
  cmd->add_flag("--json", a->json, "One JSON object per line");
  cmd->callback([a, exit_code] {
    auto store = CaseStore::Open(a->path, CaseStore::OpenMode::kReadOnly);
    if (!store.ok()) {
      std::fprintf(stderr, "custos files: %s\n", store.status().ToString().c_str());
      *exit_code = ExitFor(store.status());
      return;
    }
    if (a->known_bad + a->known_good + a->hide_known_good > 1) {
      std::fprintf(stderr, "custos files: use one of --known-bad, --known-good and --hide-known-good\n");
      *exit_code = kExitUsage;
      return;
    }
    if (a->known_bad) a->query.known = FileQuery::Known::kKnownBad;
    if (a->known_good) a->query.known = FileQuery::Known::kKnownGood;
    if (a->hide_known_good) a->query.known = FileQuery::Known::kHideKnownGood;
    const bool with_hits = a->known_bad || a->known_good;
    for (char& ch : a->query.extension) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!a->query.extension.empty() && a->query.extension[0] == '.') a->query.extension.erase(0, 1);
    for (char& ch : a->query.hash) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    int64_t n = 0;
    if (!a->json) {
      std::printf("%-8s %-4s %12s  %-32s  %-24s  %s%s\n", "EXHIBIT", "FLAG", "SIZE", "MD5", "TYPE",
                  with_hits ? "SET/CATEGORY  " : "", "PATH");
    }
    Status hit_error;
    Status st = (*store)->ForEachFile(a->query, [&](const FileRow& row) {
      ++n;
      std::vector<HashHitRow> hits;
      if (a->json || with_hits) {
        auto h = HashHitsOf(**store, row.id);
        if (!h.ok()) {
          hit_error = h.status();
          return false;
        }
        hits = std::move(*h);
      }
      if (a->json) {
        json j = RowJson(row);
        j["hash_hits"] = HitsJson(hits);
        std::printf("%s\n", j.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
      } else {
        const FileRecord& f = row.record;
        std::string flags;
        flags += f.deleted ? 'D' : '-';
        flags += f.orphan ? 'O' : '-';
        flags += f.kind == "ads"      ? 'S'
                 : f.kind == "dir"    ? 'd'
                 : f.kind == "carved" ? 'c'
                 : f.kind == "slack"  ? 's'
                                      : '-';
        flags += row.content.extension_mismatch ? 'M' : '-';
        // The hits of the kind asked for, one "set/category" each (known-bad sets first).
        std::string sets;
        for (const auto& h : hits) {
          if (h.set_kind != (a->known_bad ? "known_bad" : "known_good")) continue;
          const std::string one = h.set_name + (h.category.empty() ? "" : "/" + h.category);
          if (sets.find(one) == std::string::npos) sets += (sets.empty() ? "" : ",") + one;
        }
        if (with_hits) sets += "  ";
        std::printf("%-8s %-4s %12lld  %-32s  %-24.24s  %s%s\n", row.exhibit_reference.c_str(), flags.c_str(),
                    static_cast<long long>(f.size), row.content.md5.empty() ? "-" : row.content.md5.c_str(),
                    row.content.mime.empty() ? "-" : row.content.mime.c_str(), sets.c_str(), f.path.c_str());
      }
      return true;
    });
    if (st.ok()) st = hit_error;
    if (!st.ok()) {
      std::fprintf(stderr, "custos files: %s\n", st.ToString().c_str());
      *exit_code = ExitFor(st);
      return;
    }
    if (!a->json)
      std::fprintf(
          stderr,
          "%lld file(s). Flags: D deleted, O orphan, S stream, d directory, c carved, s slack, M type/extension "
          "mismatch\n",
          static_cast<long long>(n));
    *exit_code = kExitOk;
  });
}

}  // namespace custos::cli
