// StringArena (base/string_arena.h).
#include "base/string_arena.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace samrad {
namespace {

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
}  // namespace samrad
