// StringIds and StringArena (reports/strings.h).
#include "reports/strings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace samrad::reports::internal {
namespace {

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

// Every view stays valid and unchanged while more is stored: small strings
// over many chunks, strings that do not fit what is left of a chunk, and
// strings large enough for an allocation of their own.
TEST(StringArena, ViewsStayValidAsItGrows) {
  StringArena arena;
  std::vector<std::string> want;
  std::vector<std::string_view> got;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    if (i % 997 == 0) {
      s.assign(400000 + static_cast<size_t>(i), static_cast<char>('a' + i % 26));  // own allocation
    } else if (i % 101 == 0) {
      s.assign(200000, 'x');  // fits a chunk, often not what is left of one
    } else {
      s = "passage " + std::to_string(i) + " åäö";
    }
    want.push_back(s);
    got.push_back(arena.Store(s));
  }
  for (size_t i = 0; i < want.size(); ++i) ASSERT_EQ(got[i], want[i]) << i;
  EXPECT_GE(arena.MemoryBytes(), 20000u);
  EXPECT_TRUE(arena.Store("").empty());
}

}  // namespace
}  // namespace samrad::reports::internal
