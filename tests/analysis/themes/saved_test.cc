// PackedOutputRecords (analysis/themes/saved.h): records read back as they
// were added, whether they live on the heap or in a spill file (#11).
#include "analysis/themes/saved.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "base/spill.h"
#include "tests/testing.h"

namespace samrad::themes::internal {
namespace {

OutputRecord Make(size_t i) {
  OutputRecord r;
  r.offset = i * 397;
  r.length = 100 + i % 300;
  r.theme = static_cast<int>(i % 23) - 1;
  r.overridden = i % 17 == 0;
  r.override_hash = r.overridden ? 0x9E3779B97F4A7C15ull * (i + 1) : 0;
  for (std::uint32_t a = 0; a < i % 4; ++a) r.areas.push_back(static_cast<std::uint32_t>((i + a * 5) % 30));
  return r;
}

TEST(PackedOutputRecords, Issue11SpilledRecordsReadBackAsAdded) {
  // Enough records for the bytes to outgrow the heap threshold (1 MB) and
  // move into the file, whose pages are all handed back before reading.
  const size_t n = 120000;
  testing::TempDir dir;
  std::shared_ptr<SpillFile> file = SpillFile::Create(dir.path(), 0);
  ASSERT_NE(file, nullptr);
  PackedOutputRecords spilled(file), heap;
  spilled.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    spilled.Add(Make(i));
    heap.Add(Make(i));
  }
  EXPECT_GT(file->size(), size_t{1} << 20);
  file->ReleasePages();
  ASSERT_EQ(spilled.size(), n);
  for (size_t i = 0; i < n; ++i) {
    ASSERT_EQ(spilled.Bytes(i), heap.Bytes(i)) << i;
    const OutputRecord want = Make(i), got = spilled.Get(i);
    ASSERT_EQ(got.offset, want.offset) << i;
    ASSERT_EQ(got.length, want.length) << i;
    ASSERT_EQ(got.theme, want.theme) << i;
    ASSERT_EQ(got.overridden, want.overridden) << i;
    ASSERT_EQ(got.override_hash, want.override_hash) << i;
    ASSERT_EQ(got.areas, want.areas) << i;
  }
}

}  // namespace
}  // namespace samrad::themes::internal
