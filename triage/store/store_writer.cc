// The single writer thread of a case file (see store_writer.h).
#include "triage/store/store_writer.h"

#include <chrono>
#include <vector>

#include "triage/store/hash_hits.h"
#include "triage/store/keyword_hits.h"
#include "triage/store/thumbnails.h"

namespace custos {

struct StoreWriter::Task {
  std::function<Status(CaseStore&)> fn;
  Status result;
  bool done = false;
};

StoreWriter::StoreWriter(std::unique_ptr<CaseStore> store, Options options)
    : store_(std::move(store)), options_(options) {
  thread_ = std::thread([this] { Run(); });
}

StoreWriter::~StoreWriter() { Close(); }

void StoreWriter::Push(Item item) {
  std::unique_lock<std::mutex> lock(mu_);
  not_full_.wait(lock, [&] { return queue_.size() < options_.queue_capacity || closing_; });
  if (closing_) return;  // Close() was called: nothing more is accepted
  queue_.push_back(std::move(item));
  if (queue_.size() >= options_.batch_rows) not_empty_.notify_one();
}

void StoreWriter::Add(FileRecord file) { Push(std::move(file)); }
void StoreWriter::Add(ContentResult content) { Push(std::move(content)); }
void StoreWriter::Add(ErrorRecord error) { Push(std::move(error)); }
void StoreWriter::Add(ArtefactRow artefact) { Push(std::move(artefact)); }
void StoreWriter::Add(KeywordHitRecord hit) { Push(std::move(hit)); }
void StoreWriter::Add(HashHitRecord hit) { Push(std::move(hit)); }
void StoreWriter::Add(ThumbnailRecord thumbnail) { Push(std::move(thumbnail)); }

Status StoreWriter::Call(const std::function<Status(CaseStore&)>& fn) {
  auto task = std::make_shared<Task>();
  task->fn = fn;
  std::unique_lock<std::mutex> lock(mu_);
  if (closing_) return Status::Internal("the case file writer is closed");
  calls_.push_back(task);
  not_empty_.notify_one();
  done_.wait(lock, [&] { return task->done; });
  return task->result;
}

Status StoreWriter::Flush() {
  const Status called = Call([](CaseStore&) { return Status::Ok(); });
  return called.ok() ? error() : called;  // a batch that failed before the call is reported too
}

Status StoreWriter::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!closing_) {
      closing_ = true;
      not_empty_.notify_all();
      not_full_.notify_all();
    }
  }
  if (thread_.joinable()) thread_.join();
  return error();
}

Status StoreWriter::error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

int64_t StoreWriter::rows_written() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rows_written_;
}

void StoreWriter::Run() {
  const auto latency = std::chrono::milliseconds(options_.max_latency_ms);
  std::vector<FileRecord> files;
  std::vector<ContentResult> contents;
  std::vector<ErrorRecord> errors;
  std::vector<ArtefactRow> artefacts;
  std::vector<KeywordHitRecord> keyword_hits;
  std::vector<HashHitRecord> hash_hits;
  std::vector<ThumbnailRecord> thumbnails;
  while (true) {
    std::deque<Item> batch;
    std::deque<std::shared_ptr<Task>> calls;
    bool stop = false;
    Status failed;
    {
      std::unique_lock<std::mutex> lock(mu_);
      not_empty_.wait_for(lock, latency,
                          [&] { return queue_.size() >= options_.batch_rows || !calls_.empty() || closing_; });
      batch.swap(queue_);
      calls.swap(calls_);
      stop = closing_ && batch.empty() && calls.empty();
      failed = error_;
      not_full_.notify_all();
    }
    if (stop) return;

    if (!batch.empty() && failed.ok()) {
      files.clear();
      contents.clear();
      errors.clear();
      artefacts.clear();
      keyword_hits.clear();
      hash_hits.clear();
      thumbnails.clear();
      for (auto& item : batch) {
        if (auto* f = std::get_if<FileRecord>(&item))
          files.push_back(std::move(*f));
        else if (auto* c = std::get_if<ContentResult>(&item))
          contents.push_back(std::move(*c));
        else if (auto* e = std::get_if<ErrorRecord>(&item))
          errors.push_back(std::move(*e));
        else if (auto* a = std::get_if<ArtefactRow>(&item))
          artefacts.push_back(std::move(*a));
        else if (auto* h = std::get_if<HashHitRecord>(&item))
          hash_hits.push_back(std::move(*h));
        else if (auto* t = std::get_if<ThumbnailRecord>(&item))
          thumbnails.push_back(std::move(*t));
        else
          keyword_hits.push_back(std::move(std::get<KeywordHitRecord>(item)));
      }
      // Files before their content and artefacts: every reference in the batch resolves.
      Status st = store_->Begin();
      if (st.ok()) st = store_->InsertFiles(files);
      if (st.ok()) st = store_->ApplyContent(contents);
      if (st.ok()) st = store_->InsertErrors(errors);
      if (st.ok()) st = store_->InsertArtefacts(artefacts);
      if (st.ok()) st = InsertKeywordHits(*store_, keyword_hits);
      if (st.ok()) st = InsertHashHits(*store_, hash_hits);
      if (st.ok()) st = InsertThumbnails(*store_, thumbnails);
      if (st.ok()) st = store_->Commit();
      std::lock_guard<std::mutex> lock(mu_);
      if (st.ok()) {
        rows_written_ += static_cast<int64_t>(batch.size());
      } else {
        store_->Rollback();
        if (error_.ok()) error_ = st;  // later writes are dropped; producers see error() and stop
      }
    }
    for (auto& task : calls) {
      Status st = store_->Begin();
      if (st.ok()) st = task->fn(*store_);
      if (st.ok())
        st = store_->Commit();
      else
        store_->Rollback();
      std::lock_guard<std::mutex> lock(mu_);
      task->result = st;
      task->done = true;
    }
    if (!calls.empty()) {
      std::lock_guard<std::mutex> lock(mu_);
      done_.notify_all();
    }
  }
}

}  // namespace custos
