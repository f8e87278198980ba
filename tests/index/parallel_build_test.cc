// SpellingCounts: the spelling table every thread of an index build counts
// its words into (index/parallel_build.h).
#include "index/parallel_build.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

namespace samrad::index::internal {
namespace {

std::map<std::string, Xapian::termcount> Contents(const SpellingCounts& counts) {
  std::map<std::string, Xapian::termcount> out;
  counts.ForEach([&](std::string_view word, Xapian::termcount n) {
    EXPECT_TRUE(out.emplace(std::string(word), n).second) << "listed twice: " << word;
  });
  return out;
}

// Words counted from four threads at once come out once each, with their
// counts, through the table's growth (20,000 words in 64 shards).
TEST(SpellingCounts, Issue11ThreadsCountEachWordOnce) {
  std::vector<std::string> words;
  std::map<std::string, Xapian::termcount> expected;
  for (int i = 0; i < 20000; ++i) {
    std::string w = "ord" + std::to_string(i * 7919 % 20011);
    if (i % 5 == 0) w += "ändelseförlängning";  // beyond the small-string size
    words.push_back(w);
  }
  SpellingCounts counts;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      // Thread t adds word i (i % 4 + 1) times when i % 4 <= t.
      for (size_t i = 0; i < words.size(); ++i) {
        if (static_cast<int>(i % 4) <= t) counts.Add(words[i]);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < words.size(); ++i) expected[words[i]] += static_cast<Xapian::termcount>(4 - i % 4);
  EXPECT_EQ(counts.size(), expected.size());
  EXPECT_EQ(Contents(counts), expected);
}

TEST(SpellingCounts, Issue11ClearEmptiesTheTableAndItCountsAgain) {
  SpellingCounts counts;
  counts.Add("regionen");
  counts.Add("regionen");
  counts.Add("kommunerna");
  EXPECT_EQ(counts.size(), 2u);
  counts.Clear();
  EXPECT_EQ(counts.size(), 0u);
  EXPECT_TRUE(Contents(counts).empty());
  counts.Add("regionen");
  counts.Add("");  // the empty word is a word like any other here
  const std::map<std::string, Xapian::termcount> expected{{"", 1}, {"regionen", 1}};
  EXPECT_EQ(Contents(counts), expected);
}

}  // namespace
}  // namespace samrad::index::internal
