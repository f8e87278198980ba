// StringIds (base/string_ids.h).
#include "base/string_ids.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace samrad {
namespace {

constexpr std::uint32_t kNoId = StringIds::kNoId;

TEST(StringIds, GivesIdsInFirstSeenOrder) {
  StringIds ids;
  EXPECT_EQ(ids.Intern("b"), 0u);
  EXPECT_EQ(ids.Intern("a"), 1u);
  EXPECT_EQ(ids.Intern("b"), 0u);
  EXPECT_EQ(ids.Intern(""), 2u);
  EXPECT_EQ(ids.Find("a"), 1u);
  EXPECT_EQ(ids.Find("c"), kNoId);
  EXPECT_EQ(ids[1], "a");
  EXPECT_EQ(ids.size(), 3u);
}

// A caller that hashed a string already (SpellingCounts picks its shard by
// the hash, #11) passes the hash in: the same table either way, across
// growth, and with the lookup table released.
TEST(StringIds, Issue11InternAndFindWithTheCallersHash) {
  StringIds ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string s = "ord" + std::to_string(i);
    EXPECT_EQ(i % 2 ? ids.Intern(s) : ids.Intern(s, StringIds::Hash(s)), static_cast<std::uint32_t>(i));
  }
  for (int i = 0; i < 1000; ++i) {
    const std::string s = "ord" + std::to_string(i);
    EXPECT_EQ(ids.Find(s, StringIds::Hash(s)), static_cast<std::uint32_t>(i));
    EXPECT_EQ(ids.Intern(s, StringIds::Hash(s)), static_cast<std::uint32_t>(i));
  }
  EXPECT_EQ(ids.Find("ord1000", StringIds::Hash("ord1000")), kNoId);
  ids.ReleaseLookup();
  EXPECT_EQ(ids.Find("ord7", StringIds::Hash("ord7")), 7u);
  EXPECT_EQ(ids.Intern("ord1000", StringIds::Hash("ord1000")), 1000u);
  EXPECT_EQ(ids.Find("ord1000"), 1000u);
  EXPECT_EQ(ids.size(), 1001u);
}

// Without its lookup table (#11: freed once a table is complete) a table
// finds and interns as before.
TEST(StringIds, WorksAfterReleaseLookup) {
  StringIds ids;
  for (const char* s : {"stad", "land", "", "å"}) ids.Intern(s);
  ids.ReleaseLookup();
  EXPECT_EQ(ids.Find("land"), 1u);
  EXPECT_EQ(ids.Find(""), 2u);
  EXPECT_EQ(ids.Find("hav"), kNoId);
  EXPECT_EQ(ids.Intern("å"), 3u);
  EXPECT_EQ(ids.Intern("hav"), 4u);
  EXPECT_EQ(ids.Intern("stad"), 0u);
  EXPECT_EQ(ids.Find("hav"), 4u);
  EXPECT_EQ(ids.size(), 5u);
}

// (#11) The strings live in an arena: a view handed out stays valid, and
// at the same address, while the table grows and when it is moved; long
// strings and the empty one intern like any other.
TEST(StringIds, Issue11ViewsStayValidThroughGrowthAndMoves) {
  StringIds ids;
  const std::string first = "samverkansregionen";
  ids.Intern(first);
  const std::string_view view = ids[0];
  const std::string long_one(5000, 'x');
  for (int i = 0; i < 50000; ++i) ids.Intern("ord" + std::to_string(i));
  EXPECT_EQ(ids.Intern(long_one), 50001u);
  EXPECT_EQ(ids.Intern(""), 50002u);
  StringIds moved = std::move(ids);
  EXPECT_EQ(moved[0].data(), view.data());
  EXPECT_EQ(view, first);
  EXPECT_EQ(moved.Find("ord49999"), 50000u);
  EXPECT_EQ(moved[50001], long_one);
  EXPECT_EQ(moved.Find(""), 50002u);
  EXPECT_EQ(moved.size(), 50003u);
  EXPECT_GT(moved.MemoryBytes(), size_t{50000} * 7);
}

}  // namespace
}  // namespace samrad
