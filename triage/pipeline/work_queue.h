// A bounded priority queue between the metadata walk (one producer) and the content workers: the most
// urgent class first and, within a class, in disk order so reads stay mostly sequential. When it is full
// the producer waits (back-pressure), so memory stays bounded whatever the image size.
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <queue>
#include <vector>

namespace custos {

template <typename T, typename Before>
class BoundedPriorityQueue {
 public:
  explicit BoundedPriorityQueue(size_t capacity) : capacity_(capacity) {}

  // Blocks while full. Returns false if the queue was closed (the item is dropped).
  bool Push(T item) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return heap_.size() < capacity_ || closed_; });
    if (closed_) return false;
    heap_.push(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  // Blocks until an item is there or the queue is closed and drained (then nullopt).
  std::optional<T> Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return !heap_.empty() || closed_ || finished_; });
    if (heap_.empty()) return std::nullopt;
    T item = std::move(const_cast<T&>(heap_.top()));
    heap_.pop();
    not_full_.notify_one();
    return item;
  }

  // Like Pop(), then keeps taking the next items while `adjacent(previous, next)` holds, up to max_items:
  // a worker that reads neighbouring files in one go decompresses each E01 chunk once, where workers
  // taking turns would each decompress the chunks their files share. Empty when closed and drained.
  template <typename Adjacent>
  std::vector<T> PopRun(size_t max_items, Adjacent adjacent) {
    std::vector<T> run;
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return !heap_.empty() || closed_ || finished_; });
    while (!heap_.empty() && run.size() < max_items && (run.empty() || adjacent(run.back(), heap_.top()))) {
      run.push_back(std::move(const_cast<T&>(heap_.top())));
      heap_.pop();
    }
    if (!run.empty()) not_full_.notify_all();
    return run;
  }

  // No more items will come: consumers drain what is left, then Pop() returns nullopt.
  void Finish() {
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = true;
    not_empty_.notify_all();
  }

  // Stop now: pending items are dropped and producers and consumers are released.
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    heap_ = Heap();
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return heap_.size();
  }

 private:
  // std::priority_queue pops the largest; invert so the item that goes Before comes out first.
  struct After {
    bool operator()(const T& a, const T& b) const { return Before()(b, a); }
  };
  using Heap = std::priority_queue<T, std::vector<T>, After>;

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  Heap heap_;              // GUARDED_BY(mu_)
  bool closed_ = false;    // GUARDED_BY(mu_)
  bool finished_ = false;  // GUARDED_BY(mu_)
};

}  // namespace custos
