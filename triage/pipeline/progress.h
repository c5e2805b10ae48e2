// Progress of a triage run for the officer at the terminal (stderr): files and bytes done, rate and
// ETA, once a second; or, with --json, one JSON object per line for scripts. Errors are echoed as they
// are recorded, so a damaged exhibit is noticed at once.
// Thread-safety: counters are atomics updated by any thread; output comes from the reporter's thread
// (and from Event(), under a mutex).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "triage/model/records.h"

namespace custos {

struct ProgressCounters {
  std::atomic<int64_t> entries_walked{0};  // files, directories, streams listed
  std::atomic<int64_t> files_queued{0};    // files whose content is to be read
  std::atomic<int64_t> bytes_queued{0};
  std::atomic<int64_t> files_done{0};
  std::atomic<int64_t> bytes_done{0};
  std::atomic<int64_t> errors{0};
  std::atomic<int64_t> verify_done{0};  // bytes of the media hashed for verification
  std::atomic<int64_t> verify_total{0};
  std::atomic<bool> walk_finished{false};
};

class ProgressReporter {
 public:
  ProgressReporter(FILE* out, bool json, bool quiet);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  // Starts the once-a-second report for one exhibit; Stop() prints the final line.
  void Start(const std::string& exhibit);
  void Stop();
  ProgressCounters& counters() { return counters_; }

  void Error(const ErrorRecord& error);
  // A one-off message: text line, or {"event": event, "message": ...} with --json.
  void Event(const std::string& event, const std::string& message);

 private:
  void Loop();
  void Print(bool final);

  FILE* out_;
  bool json_, quiet_, tty_;
  std::string exhibit_;
  ProgressCounters counters_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool running_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
  int64_t start_us_ = 0;
  int64_t errors_printed_ = 0;
};

}  // namespace custos
