// StoreWriter: the one thread that owns the write connection to a case file. Producers (the walk,
// content workers) enqueue records; the writer commits them in batched transactions, so findings
// land in the case file within a fraction of a second and a kill loses at most the last batch
// (which the next run redoes).
// Thread-safety: every public method may be called from any thread. The queue is bounded: Add()
// blocks while it is full (back-pressure on the producers).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>

#include "triage/base/status.h"
#include "triage/model/artefact.h"
#include "triage/model/records.h"
#include "triage/store/case_store.h"

namespace custos {

class StoreWriter {
 public:
  struct Options {
    size_t batch_rows = 5000;       // commit when this many records are pending...
    int max_latency_ms = 300;       // ...or when the oldest pending record is this old
    size_t queue_capacity = 50000;  // Add() blocks beyond this
  };

  StoreWriter(std::unique_ptr<CaseStore> store, Options options);
  explicit StoreWriter(std::unique_ptr<CaseStore> store) : StoreWriter(std::move(store), Options()) {}
  ~StoreWriter();  // Close()s
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  void Add(FileRecord file);
  void Add(ContentResult content);
  void Add(ErrorRecord error);
  void Add(ArtefactRow artefact);  // its kind must have been declared (EnsureArtefactKind) first
  void Add(KeywordHitRecord hit);
  void Add(HashHitRecord hit);          // its file must have been added before
  void Add(ThumbnailRecord thumbnail);  // likewise

  // Runs fn on the writer thread, after committing everything queued before it, inside its own
  // transaction; waits and returns fn's Status. For the few synchronous steps (exhibit, volume and
  // file-system ids; run records; audit).
  Status Call(const std::function<Status(CaseStore&)>& fn);

  // Commits everything queued so far and waits for it.
  Status Flush();
  // Flushes, stops the thread. Returns the first error the writer met (a full disk, say). Idempotent.
  Status Close();

  // The first write error so far (ok while all is well). Producers may poll it to stop early.
  Status error() const;
  int64_t rows_written() const;

 private:
  using Item = std::variant<FileRecord, ContentResult, ErrorRecord, ArtefactRow, KeywordHitRecord, HashHitRecord,
                            ThumbnailRecord>;
  struct Task;
  void Push(Item item);
  void Run();

  std::unique_ptr<CaseStore> store_;
  Options options_;
  mutable std::mutex mu_;
  std::condition_variable not_empty_, not_full_, done_;
  std::deque<Item> queue_;                   // GUARDED_BY(mu_)
  std::deque<std::shared_ptr<Task>> calls_;  // GUARDED_BY(mu_)
  bool closing_ = false;                     // GUARDED_BY(mu_)
  Status error_;                             // GUARDED_BY(mu_)
  int64_t rows_written_ = 0;                 // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace custos
