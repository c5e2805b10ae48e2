// `custos verify`: check an image against the hash its acquisition stored (E01), or compute the media
// hash of a raw image. Reads the evidence only; writes nothing.
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "triage/base/format.h"
#include "triage/cli/commands.h"
#include "triage/evidence/evidence_probe.h"
#include "triage/evidence/media_hash.h"

namespace custos::cli {

void AddVerifyCommand(CLI::App& app, int* exit_code) {
  auto paths = std::make_shared<std::vector<std::string>>();
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("verify", "Verify an image's stored hash (E01) or compute its media hash");
  cmd->add_option("evidence", *paths, "The image (first segment; the others are found beside it)")->required();
  cmd->add_flag("--json", *as_json, "Print the result as one JSON object");
  cmd->callback([=] {
    auto probe = ProbeEvidence(*paths);
    if (!probe.ok()) {
      std::fprintf(stderr, "custos verify: %s\n", probe.status().ToString().c_str());
      *exit_code = ExitFor(probe.status());
      return;
    }
    if (probe->format == EvidenceFormat::kFolder) {
      std::fprintf(stderr, "custos verify: %s is a folder: there is no image hash to verify\n",
                   probe->segments.front().c_str());
      *exit_code = kExitUsage;
      return;
    }
    auto info = ReadAcquisitionInfo(*probe);
    if (!info.ok()) {
      std::fprintf(stderr, "custos verify: %s\n", info.status().ToString().c_str());
      *exit_code = ExitFor(info.status());
      return;
    }
    const bool tty = isatty(fileno(stderr));
    auto hashes = HashMedia(
        *probe,
        [&](int64_t done, int64_t total) {
          if (!*as_json && tty && total > 0) {
            std::fprintf(stderr, "\r\033[Kverifying %s / %s (%lld%%)", FormatBytes(done).c_str(),
                         FormatBytes(total).c_str(), static_cast<long long>(100 * done / total));
          }
        },
        nullptr);
    if (!*as_json && tty) std::fprintf(stderr, "\r\033[K");
    if (!hashes.ok()) {
      std::fprintf(stderr, "custos verify: %s\n", hashes.status().ToString().c_str());
      *exit_code = kExitFailure;
      return;
    }
    const std::string verdict = VerificationVerdict(*info, *hashes);
    if (*as_json) {
      nlohmann::json j = {{"evidence", probe->segments},        {"format", EvidenceFormatName(probe->format)},
                          {"media_size", info->media_size},     {"stored_md5", info->stored_md5},
                          {"stored_sha1", info->stored_sha1},   {"computed_md5", hashes->md5},
                          {"computed_sha1", hashes->sha1},      {"bytes_hashed", hashes->bytes_hashed},
                          {"read_errors", hashes->read_errors}, {"verification", verdict}};
      std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else {
      std::printf("Evidence      %s (%s, %zu file(s))\n", probe->segments.front().c_str(),
                  EvidenceFormatName(probe->format), probe->segments.size());
      std::printf("Media size    %lld bytes\n", static_cast<long long>(hashes->bytes_hashed));
      if (!info->stored_md5.empty()) std::printf("Stored MD5    %s\n", info->stored_md5.c_str());
      std::printf("Computed MD5  %s\n", hashes->md5.c_str());
      if (!info->stored_sha1.empty()) std::printf("Stored SHA1   %s\n", info->stored_sha1.c_str());
      std::printf("Computed SHA1 %s\n", hashes->sha1.c_str());
      for (const auto& e : hashes->read_errors) std::printf("Read error    %s\n", e.c_str());
      std::printf("Result        %s\n", verdict.c_str());
    }
    *exit_code = verdict == "verified" ? kExitOk : verdict == "no stored hash" ? kExitWithErrors : kExitFailure;
  });
}

}  // namespace custos::cli
