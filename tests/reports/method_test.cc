// ForEachTopic (reports/method.h): every topic once, and the weight budget.
#include "reports/method.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace samrad::reports::internal {
namespace {

TEST(ForEachTopic, EveryTopicRunsOnce) {
  std::mutex mu;
  std::vector<int> runs(200, 0);
  ForEachTopic(runs.size(), [&](size_t i) {
    std::lock_guard<std::mutex> lock(mu);
    ++runs[i];
  });
  for (size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i], 1) << i;
}

// Topics whose weights add up to more than the budget are never run at
// once; one over the budget on its own still runs (alone). Each body sleeps,
// so that without the budget the largest would overlap on two cores.
TEST(ForEachTopic, TopicsOverTheBudgetTogetherDoNotRunAtOnce) {
  const std::vector<size_t> weights = {12, 6, 5, 4, 3, 3, 2, 2, 1, 1, 1, 1};
  const size_t budget = 10;
  std::mutex mu;
  size_t weight_now = 0, bodies_now = 0, most_bodies = 0;
  bool over = false;
  std::vector<int> runs(weights.size(), 0);
  ForEachTopic(weights.size(), [&](size_t i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      ++runs[i];
      weight_now += weights[i];
      ++bodies_now;
      most_bodies = std::max(most_bodies, bodies_now);
      if (bodies_now > 1 && weight_now > budget) over = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard<std::mutex> lock(mu);
    weight_now -= weights[i];
    --bodies_now;
  }, weights, budget);
  EXPECT_FALSE(over);
  for (size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i], 1) << i;
  // The small ones still share the cores.
  if (std::thread::hardware_concurrency() > 1) {
    EXPECT_GT(most_bodies, 1u);
  }
}

}  // namespace
}  // namespace samrad::reports::internal
