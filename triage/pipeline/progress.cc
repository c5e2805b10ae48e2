// Terminal and JSON progress (see progress.h).
#include "triage/pipeline/progress.h"

#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "triage/base/format.h"

namespace custos {
namespace {

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Duration(double s) {
  if (s < 0) return "--:--";
  long t = static_cast<long>(s + 0.5);
  char buf[32];
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

constexpr int64_t kMaxErrorsEchoed = 25;

}  // namespace

ProgressReporter::ProgressReporter(FILE* out, bool json, bool quiet)
    : out_(out), json_(json), quiet_(quiet), tty_(isatty(fileno(out)) != 0) {}

ProgressReporter::~ProgressReporter() { Stop(); }

void ProgressReporter::Start(const std::string& exhibit) {
  Stop();
  exhibit_ = exhibit;
  start_us_ = NowUs();
  counters_.entries_walked = 0;
  counters_.files_queued = 0;
  counters_.bytes_queued = 0;
  counters_.files_done = 0;
  counters_.bytes_done = 0;
  counters_.verify_done = 0;
  counters_.verify_total = 0;
  counters_.walk_finished = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = true;
  }
  thread_ = std::thread([this] { Loop(); });
}

void ProgressReporter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) return;
    running_ = false;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  Print(true);
}

void ProgressReporter::Loop() {
  // A terminal gets a line that redraws every second; a log file gets a line every 5 seconds.
  const auto period = std::chrono::milliseconds(tty_ || json_ ? 1000 : 5000);
  std::unique_lock<std::mutex> lock(mu_);
  while (running_) {
    wake_.wait_for(lock, period, [&] { return !running_; });
    if (!running_) break;
    lock.unlock();
    Print(false);
    lock.lock();
  }
}

void ProgressReporter::Print(bool final) {
  if (quiet_ && !final) return;
  const double elapsed = (NowUs() - start_us_) / 1e6;
  const int64_t walked = counters_.entries_walked, fq = counters_.files_queued, fd = counters_.files_done;
  const int64_t bq = counters_.bytes_queued, bd = counters_.bytes_done;
  const int64_t vd = counters_.verify_done, vt = counters_.verify_total;
  const bool walk_done = counters_.walk_finished;
  const double rate = elapsed > 0 ? bd / elapsed : 0;
  // ETA from bytes: the remaining content plus, when it is the longer job, the media verification.
  double eta = -1;
  if (rate > 0 && walk_done) eta = (bq - bd) / rate;
  if (vt > 0 && vd > 0 && vd < vt) {
    const double vrate = vd / elapsed;
    eta = std::max(eta, (vt - vd) / vrate);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (json_) {
    nlohmann::json j = {{"event", final ? "exhibit_done" : "progress"},
                        {"exhibit", exhibit_},
                        {"phase", walk_done ? "content" : "walk"},
                        {"entries_walked", walked},
                        {"files_done", fd},
                        {"files_total", fq},
                        {"bytes_done", bd},
                        {"bytes_total", bq},
                        {"verify_bytes_done", vd},
                        {"verify_bytes_total", vt},
                        {"errors", counters_.errors.load()},
                        {"elapsed_s", elapsed},
                        {"rate_bytes_per_s", rate},
                        {"eta_s", eta < 0 ? nlohmann::json(nullptr) : nlohmann::json(eta)},
                        {"total_is_final", walk_done}};
    std::fprintf(out_, "%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    std::string line = exhibit_ + ": listed " + std::to_string(walked) + (walk_done ? "" : "+") + " | content " +
                       std::to_string(fd) + "/" + std::to_string(fq) + (walk_done ? "" : "+") + " files, " +
                       FormatBytes(bd) + "/" + FormatBytes(bq) + " | " + FormatBytes(static_cast<int64_t>(rate)) +
                       "/s | ";
    if (vt > 0) line += "verify " + std::to_string(vt ? (100 * vd / vt) : 0) + "% | ";
    line += final ? "done in " + Duration(elapsed) : "ETA " + (walk_done ? "" : std::string(">")) + Duration(eta);
    if (counters_.errors > 0) line += " | " + std::to_string(counters_.errors.load()) + " errors";
    if (tty_ && !final)
      std::fprintf(out_, "\r\033[K%s", line.c_str());
    else
      std::fprintf(out_, "%s%s\n", tty_ ? "\r\033[K" : "", line.c_str());
  }
  std::fflush(out_);
}

void ProgressReporter::Error(const ErrorRecord& e) {
  ++counters_.errors;
  std::lock_guard<std::mutex> lock(mu_);
  if (json_) {
    nlohmann::json j = {{"event", "error"},       {"stage", e.stage},     {"source", e.source},
                        {"location", e.location}, {"message", e.message}, {"advice", e.advice}};
    std::fprintf(out_, "%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else if (errors_printed_ < kMaxErrorsEchoed) {
    std::fprintf(out_, "%serror: %s%s%s: %s\n  what to do: %s\n", tty_ ? "\r\033[K" : "", e.source.c_str(),
                 e.location.empty() ? "" : " at ", e.location.c_str(), e.message.c_str(), e.advice.c_str());
  } else if (errors_printed_ == kMaxErrorsEchoed) {
    std::fprintf(out_, "%s(further errors are recorded in the case file: see `custos info`)\n", tty_ ? "\r\033[K" : "");
  }
  ++errors_printed_;
  std::fflush(out_);
}

void ProgressReporter::Event(const std::string& event, const std::string& message) {
  std::lock_guard<std::mutex> lock(mu_);
  if (json_) {
    nlohmann::json j = {{"event", event}, {"message", message}};
    std::fprintf(out_, "%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else if (!quiet_) {
    std::fprintf(out_, "%s%s\n", tty_ ? "\r\033[K" : "", message.c_str());
  }
  std::fflush(out_);
}

}  // namespace custos
