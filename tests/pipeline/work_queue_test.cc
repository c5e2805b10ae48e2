// The bounded priority queue between the walk and the content workers.
#include "triage/pipeline/work_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace custos {
namespace {

struct Item {
  int priority;
  long offset;
};
struct Before {
  bool operator()(const Item& a, const Item& b) const {
    return a.priority != b.priority ? a.priority < b.priority : a.offset < b.offset;
  }
};

TEST(WorkQueue, PopsUrgentFirstThenInDiskOrder) {
  BoundedPriorityQueue<Item, Before> q(10);
  for (Item i : {Item{3, 50}, Item{0, 900}, Item{3, 10}, Item{1, 5}, Item{0, 100}}) ASSERT_TRUE(q.Push(i));
  q.Finish();
  std::vector<std::pair<int, long>> order;
  while (auto i = q.Pop()) order.push_back({i->priority, i->offset});
  EXPECT_EQ(order, (std::vector<std::pair<int, long>>{{0, 100}, {0, 900}, {1, 5}, {3, 10}, {3, 50}}));
}

TEST(WorkQueue, ProducerWaitsWhileFull) {
  BoundedPriorityQueue<Item, Before> q(2);
  ASSERT_TRUE(q.Push({0, 1}));
  ASSERT_TRUE(q.Push({0, 2}));
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    q.Push({0, 3});
    pushed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(pushed.load());  // still blocked: the queue is full
  EXPECT_TRUE(q.Pop().has_value());
  producer.join();
  EXPECT_TRUE(pushed.load());
  EXPECT_EQ(q.size(), 2u);
}

TEST(WorkQueue, CloseReleasesEveryoneAndDropsItems) {
  BoundedPriorityQueue<Item, Before> q(1);
  ASSERT_TRUE(q.Push({0, 1}));
  std::thread producer([&] { EXPECT_FALSE(q.Push({0, 2})); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  q.Close();
  producer.join();
  EXPECT_FALSE(q.Pop().has_value());
}

TEST(WorkQueue, ConsumersDrainAfterFinish) {
  BoundedPriorityQueue<Item, Before> q(100);
  std::atomic<int> consumed{0};
  std::vector<std::thread> consumers;
  for (int t = 0; t < 3; ++t) {
    consumers.emplace_back([&] {
      while (q.Pop()) ++consumed;
    });
  }
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(q.Push({i % 5, i}));
  q.Finish();
  for (auto& t : consumers) t.join();
  EXPECT_EQ(consumed.load(), 1000);
}

TEST(WorkQueue, PopRunTakesNeighboursOnlyWhileTheyAreAdjacent) {
  BoundedPriorityQueue<int, std::less<int>> q(100);
  for (int v : {1, 2, 3, 7, 8, 20}) q.Push(v);
  const auto next_one = [](int a, int b) { return b == a + 1; };
  EXPECT_EQ(q.PopRun(10, next_one), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(q.PopRun(1, next_one), (std::vector<int>{7}));  // capped
  EXPECT_EQ(q.PopRun(10, next_one), (std::vector<int>{8}));
  q.Finish();
  EXPECT_EQ(q.PopRun(10, next_one), (std::vector<int>{20}));
  EXPECT_TRUE(q.PopRun(10, next_one).empty());  // drained and finished
}

}  // namespace
}  // namespace custos
