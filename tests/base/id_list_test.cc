// IdList (base/id_list.h): front-coded passage ids read back as stored,
// in order, and smaller than the strings.
#include "base/id_list.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace samrad {
namespace {

TEST(IdList, FromSortsAndReadsBackEveryId) {
  std::vector<std::string> ids;
  for (int d = 40; d >= 0; --d) {
    for (int k = 0; k < 30; ++k) {
      ids.push_back("dokument-" + std::to_string(d) + ".md#" + std::string(k < 10 ? "000" : "00") + std::to_string(k));
    }
  }
  ids.push_back("");                      // an empty id
  ids.push_back("a");                     // shorter than the one before it
  ids.push_back("dokument-1.md#0001");    // a duplicate
  ids.push_back(std::string("x\0y", 3));  // a NUL byte
  const IdList list = IdList::From(std::vector<std::string_view>(ids.begin(), ids.end()));
  std::vector<std::string> want = ids;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(list.size(), want.size());
  EXPECT_EQ(list.ToVector(), want);
  std::vector<std::string> read;
  IdList::Reader reader(list);
  for (std::string_view id; reader.Next(&id);) read.emplace_back(id);
  EXPECT_EQ(read, want);
  // Ids of one document share all but their ordinal: a few bytes an id.
  size_t bytes = 0;
  for (const std::string& id : want) bytes += id.size();
  EXPECT_LT(list.MemoryBytes(), bytes / 3);
}

TEST(IdList, AppendKeepsAnyOrder) {
  IdList list;
  const std::vector<std::string> ids = {"b#0002", "b#0001", "a#0009", "b#0010", "b#0010"};
  for (const std::string& id : ids) list.Append(id);
  EXPECT_EQ(list.size(), ids.size());
  EXPECT_EQ(list.ToVector(), ids);
  EXPECT_TRUE(IdList().empty());
  EXPECT_TRUE(IdList().ToVector().empty());
}

TEST(IdPositions, InOrderOutOfOrderAndMissingIds) {
  IdList list;
  for (int i = 0; i < 50; ++i) list.Append("doc.md#" + std::to_string(1000 + i));
  const IdPositions positions(list);
  // In the list's order: each found as the next one.
  IdPositions::Cursor in_order(positions);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(in_order.Next("doc.md#" + std::to_string(1000 + i)), static_cast<size_t>(i));
  // Another order: the first ten in order, then backwards, and ids the list
  // does not hold.
  IdPositions::Cursor other(positions);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(other.Next("doc.md#" + std::to_string(1000 + i)), static_cast<size_t>(i));
  for (int i = 49; i >= 10; --i) EXPECT_EQ(other.Next("doc.md#" + std::to_string(1000 + i)), static_cast<size_t>(i));
  EXPECT_EQ(other.Next("doc.md#0999"), IdPositions::npos);
  EXPECT_EQ(positions.Find("doc.md#1049"), 49u);
  EXPECT_EQ(positions.Find("saknas"), IdPositions::npos);
}

}  // namespace
}  // namespace samrad
