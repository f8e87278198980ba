// StringIds (reports/strings.h).
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

}  // namespace
}  // namespace samrad::reports::internal
