// RaggedArray (reports/ragged.h) against a vector of vectors, on seeded rows
// that span several blocks.
#include "reports/ragged.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "base/spill.h"
#include "tests/testing.h"

namespace samrad::reports::internal {
namespace {

// Rows of 0-9 elements, about one in five empty, a distinct value each.
std::vector<std::vector<std::uint32_t>> SeededRows(size_t n) {
  std::vector<std::vector<std::uint32_t>> rows(n);
  std::uint64_t state = 7;
  std::uint32_t value = 0;
  for (auto& row : rows) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const size_t length = (state >> 33) % 5 == 0 ? 0 : (state >> 40) % 10;
    for (size_t k = 0; k < length; ++k) row.push_back(value++);
  }
  return rows;
}

TEST(RaggedArray, ReadsBackEveryRowAcrossBlocks) {
  const size_t n = 3 * RaggedArray<std::uint32_t>::kRowsPerBlock + 17;
  const std::vector<std::vector<std::uint32_t>> want = SeededRows(n);
  RaggedArray<std::uint32_t> got;
  size_t elements = 0;
  for (size_t i = 0; i < n; ++i) {
    // Room made at some rows, the first of a block among them, changes nothing.
    if (i % 1024 == 0) got.Reserve(100 + i % 7);
    got.Append(want[i].begin(), want[i].end());
    elements += want[i].size();
  }
  ASSERT_EQ(got.size(), n);
  EXPECT_EQ(got.elements(), elements);
  for (size_t i = 0; i < n; ++i) {
    const std::span<const std::uint32_t> row = std::as_const(got)[i];
    ASSERT_EQ(std::vector<std::uint32_t>(row.begin(), row.end()), want[i]) << "row " << i;
  }
}

TEST(RaggedArray, RowsAreWritableInPlace) {
  const std::vector<std::vector<std::uint32_t>> rows =
      SeededRows(RaggedArray<std::uint32_t>::kRowsPerBlock + 5);
  RaggedArray<std::uint32_t> a;
  for (const auto& row : rows) a.Append(std::span<const std::uint32_t>(row));
  for (size_t i = 0; i < a.size(); ++i) {
    for (std::uint32_t& x : a[i]) x += static_cast<std::uint32_t>(i);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(a[i].size(), rows[i].size()) << "row " << i;
    for (size_t k = 0; k < rows[i].size(); ++k) EXPECT_EQ(a[i][k], rows[i][k] + i) << "row " << i;
  }
}

TEST(RaggedArray, EmptyRowsAndNoRows) {
  RaggedArray<int> a;
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.elements(), 0u);
  a.Append(std::span<const int>());
  const std::vector<int> one = {4};
  a.Append(one.begin(), one.end());
  a.Append(std::span<const int>());
  ASSERT_EQ(a.size(), 3u);
  EXPECT_TRUE(a[0].empty());
  ASSERT_EQ(a[1].size(), 1u);
  EXPECT_EQ(a[1][0], 4);
  EXPECT_TRUE(a[2].empty());
}

// (#11) Full blocks move into the spill file; the rows read back, can be
// written in place, and survive the pages being handed back. Rows appended
// after Seal() bring the last block back to the heap.
TEST(RaggedArray, SpilledBlocksReadBackAndStayWritable) {
  testing::TempDir dir;
  std::shared_ptr<SpillFile> file = SpillFile::Create(dir.path(), 0);  // every hand-back taken
  ASSERT_NE(file, nullptr);
  const size_t n = 3 * RaggedArray<std::uint32_t>::kRowsPerBlock + 17;
  const std::vector<std::vector<std::uint32_t>> want = SeededRows(n);
  RaggedArray<std::uint32_t> heap, spilled;
  spilled.SpillTo(file);
  for (size_t i = 0; i < n; ++i) {
    heap.Append(want[i].begin(), want[i].end());
    spilled.Append(want[i].begin(), want[i].end());
  }
  spilled.Seal();
  EXPECT_GT(file->size(), spilled.elements() * sizeof(std::uint32_t) - 1);
  EXPECT_LT(spilled.MemoryBytes(), heap.MemoryBytes() / 2);
  EXPECT_EQ(spilled.elements(), heap.elements());
  for (size_t i = 0; i < n; ++i) {
    for (std::uint32_t& x : spilled[i]) x += 3;
  }
  file->ReleasePages();
  for (size_t i = 0; i < n; ++i) {
    const std::span<const std::uint32_t> row = std::as_const(spilled)[i];
    ASSERT_EQ(row.size(), want[i].size()) << "row " << i;
    for (size_t k = 0; k < row.size(); ++k) ASSERT_EQ(row[k], want[i][k] + 3) << "row " << i;
  }
  const std::vector<std::uint32_t> more = {1, 2, 3};
  spilled.Append(more.begin(), more.end());
  ASSERT_EQ(spilled.size(), n + 1);
  EXPECT_EQ(std::vector<std::uint32_t>(spilled[n].begin(), spilled[n].end()), more);
  EXPECT_EQ(spilled[n - 1].size(), want[n - 1].size());
  for (size_t k = 0; k < want[n - 1].size(); ++k) EXPECT_EQ(spilled[n - 1][k], want[n - 1][k] + 3);
}

// (#11) A spilled block's row ends go into the file with its elements, so
// the heap keeps only the block headers; elements of any alignment are read
// back after ends of an odd count (the last block has 17 rows).
template <typename T>
void ExpectSpilledRowsReadBack() {
  testing::TempDir dir;
  std::shared_ptr<SpillFile> file = SpillFile::Create(dir.path(), 0);
  ASSERT_NE(file, nullptr);
  const size_t n = 2 * RaggedArray<T>::kRowsPerBlock + 17;
  const std::vector<std::vector<std::uint32_t>> want = SeededRows(n);
  RaggedArray<T> spilled;
  spilled.SpillTo(file);
  for (const auto& row : want) {
    const std::vector<T> typed(row.begin(), row.end());
    spilled.Append(typed.begin(), typed.end());
  }
  spilled.Seal();
  // The row ends alone would be 4 bytes a row.
  EXPECT_LT(spilled.MemoryBytes(), n * sizeof(std::uint32_t) / 8);
  file->ReleasePages();
  for (size_t i = 0; i < n; ++i) {
    const std::span<const T> row = std::as_const(spilled)[i];
    ASSERT_EQ(row.size(), want[i].size()) << "row " << i;
    ASSERT_EQ(reinterpret_cast<std::uintptr_t>(row.data()) % alignof(T), 0u) << "row " << i;
    for (size_t k = 0; k < row.size(); ++k) ASSERT_EQ(row[k], static_cast<T>(want[i][k])) << "row " << i;
  }
}

TEST(RaggedArray, SpilledRowEndsLeaveTheHeap) {
  ExpectSpilledRowsReadBack<std::uint16_t>();
  ExpectSpilledRowsReadBack<std::uint64_t>();
}

}  // namespace
}  // namespace samrad::reports::internal
