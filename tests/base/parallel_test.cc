// base/parallel.h: worker counts, running bodies on threads, and what a
// thread throws.
#include "base/parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace samrad {
namespace {

TEST(Parallel, WorkerCountIsAtLeastOneAndAtMostTheJobsAndTheCap) {
  EXPECT_EQ(WorkerCount(0), 1u);
  EXPECT_EQ(WorkerCount(1), 1u);
  EXPECT_LE(WorkerCount(1000, 3), 3u);
  EXPECT_GE(WorkerCount(1000, 3), 1u);
  EXPECT_LE(WorkerCount(2, 8), 2u);
}

TEST(Parallel, RunOnWorkersRunsEachWorkerOnceAndWorkerZeroHere) {
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::atomic<int>> runs(5);
  std::vector<std::thread::id> where(5);
  RunOnWorkers(5, [&](size_t w) {
    ++runs[w];
    where[w] = std::this_thread::get_id();
  });
  for (size_t w = 0; w < 5; ++w) EXPECT_EQ(runs[w].load(), 1) << w;
  EXPECT_EQ(where[0], caller);
  for (size_t w = 1; w < 5; ++w) EXPECT_NE(where[w], caller) << w;
}

TEST(Parallel, AThrownExceptionReachesTheCallerAfterEveryWorkerFinished) {
  std::atomic<int> finished{0};
  std::string what;
  try {
    RunOnWorkers(4, [&](size_t w) {
      if (w == 3) throw std::runtime_error("worker 3");
      if (w == 1) throw std::runtime_error("worker 1");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ++finished;
    });
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  EXPECT_EQ(what, "worker 1") << "the lowest-numbered worker's exception";
  EXPECT_EQ(finished.load(), 2) << "workers 0 and 2 ran to the end before the rethrow";
}

TEST(Parallel, ParallelForVisitsEveryIndexOnceStridedOverTheWorkers) {
  for (size_t n : {0u, 1u, 7u, 1000u}) {
    std::vector<std::atomic<int>> seen(n + 10);
    std::atomic<size_t> max_worker{0};
    ParallelFor(10, 10 + n, 4, [&](size_t i, size_t w) {
      ++seen[i];
      size_t m = max_worker.load();
      while (w > m && !max_worker.compare_exchange_weak(m, w)) {
      }
    });
    for (size_t i = 0; i < 10; ++i) EXPECT_EQ(seen[i].load(), 0);
    for (size_t i = 10; i < 10 + n; ++i) EXPECT_EQ(seen[i].load(), 1) << i;
    EXPECT_LT(max_worker.load(), WorkerCount(n, 4));
  }
}

TEST(Parallel, SharesCoverTheRangeInOrderAndDifferByAtMostOne) {
  for (size_t n : {0u, 1u, 5u, 1001u}) {
    for (size_t workers : {1u, 2u, 3u, 8u}) {
      size_t next = 0, smallest = n, largest = 0;
      for (size_t w = 0; w < workers; ++w) {
        const auto [first, last] = ShareOf(n, w, workers);
        EXPECT_EQ(first, next) << n << " " << workers;
        EXPECT_LE(first, last);
        smallest = std::min(smallest, last - first);
        largest = std::max(largest, last - first);
        next = last;
      }
      EXPECT_EQ(next, n);
      EXPECT_LE(largest - smallest, 1u);
    }
  }
}

}  // namespace
}  // namespace samrad
