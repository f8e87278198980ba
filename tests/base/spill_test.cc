// SpillFile (base/spill.h): memory backed by an unnamed file, kept when its
// pages are handed back, and off the process' resident memory once they are.
#include "base/spill.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "base/memory.h"
#include "tests/testing.h"

namespace samrad {
namespace {

namespace fs = std::filesystem;

// A line of /proc/self/status ("RssFile", "RssShmem"), in KiB.
long StatusKb(const std::string& key) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + ":", 0) == 0) return std::strtol(line.c_str() + key.size() + 1, nullptr, 10);
  }
  return -1;
}

long MappedFileKb() { return StatusKb("RssFile") + StatusKb("RssShmem"); }

TEST(SpillFile, MemoryIsZeroedWritableAndKeptWhenItsPagesAreHandedBack) {
  testing::TempDir dir;
  std::shared_ptr<SpillFile> file = SpillFile::Create(dir.path(), 0);
  ASSERT_NE(file, nullptr);
  std::vector<std::pair<std::uint8_t*, size_t>> blocks;
  for (size_t bytes : {size_t{1}, size_t{5000}, size_t{1} << 20, size_t{12345}}) {
    auto* p = static_cast<std::uint8_t*>(file->Allocate(bytes));
    ASSERT_NE(p, nullptr) << bytes;
    for (size_t k = 0; k < bytes; ++k) ASSERT_EQ(p[k], 0) << bytes << " at " << k;
    for (size_t k = 0; k < bytes; ++k) p[k] = static_cast<std::uint8_t>((k * 7 + bytes) & 0xFF);
    blocks.emplace_back(p, bytes);
  }
  EXPECT_GE(file->size(), (size_t{1} << 20) + 5000 + 12345 + 1);
  EXPECT_EQ(file->Allocate(0), nullptr);
  file->ReleasePages();
  for (const auto& [p, bytes] : blocks) {
    for (size_t k = 0; k < bytes; ++k) {
      ASSERT_EQ(p[k], static_cast<std::uint8_t>((k * 7 + bytes) & 0xFF)) << bytes << " at " << k;
    }
  }
  // The file has no name: the folder stays empty.
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(SpillFile, HandedBackPagesLeaveTheProcessMemory) {
  testing::TempDir dir;
  std::shared_ptr<SpillFile> file = SpillFile::Create(dir.path(), 0);
  ASSERT_NE(file, nullptr);
  constexpr size_t kBytes = size_t{64} << 20;
  auto* p = static_cast<char*>(file->Allocate(kBytes));
  ASSERT_NE(p, nullptr);
  const long before = MappedFileKb();
  std::memset(p, 'x', kBytes);
  const long touched = MappedFileKb();
  EXPECT_GT(touched - before, 48 * 1024) << "64 MB written should be resident";
  file->ReleasePages();
  const long released = MappedFileKb();
  EXPECT_LT(released - before, 16 * 1024) << "handed back: " << touched << " -> " << released << " KiB";
  EXPECT_EQ(p[kBytes - 1], 'x');
}

// `bytes` of `file`, every byte written with `fill` so that its pages are
// resident; nullptr when the file cannot give them.
char* FilledBlock(SpillFile* file, size_t bytes, char fill) {
  auto* p = static_cast<char*>(file->Allocate(bytes));
  if (p != nullptr) std::memset(p, fill, bytes);
  return p;
}

// A file whose budget is a quarter of kOverBudgetBytes above what the
// process maps now, with one block of kOverBudgetBytes written with `fill`:
// its pages resident, over the budget. `block` is nullptr when the file
// cannot be made or grown.
constexpr size_t kOverBudgetBytes = size_t{64} << 20;
struct OverBudget {
  std::shared_ptr<SpillFile> file;
  char* block = nullptr;
  long touched_kb = 0;  // MappedFileKb() once the block is written
};
OverBudget FileOverItsBudget(const fs::path& dir, char fill) {
  OverBudget o;
  const size_t base = static_cast<size_t>(MappedFileKb()) << 10;
  o.file = SpillFile::Create(dir, base + kOverBudgetBytes / 4);
  if (o.file != nullptr) o.block = FilledBlock(o.file.get(), kOverBudgetBytes, fill);
  o.touched_kb = MappedFileKb();
  return o;
}

// With a budget, pages are handed back only while the process holds more of
// its mapped files than the budget: 64 MB stays under a budget well above
// what the process maps, and goes under one below it.
TEST(SpillFile, PagesAreHandedBackOnlyAboveTheResidentBudget) {
  testing::TempDir dir;
  constexpr size_t kBytes = size_t{64} << 20;
  const size_t base = static_cast<size_t>(MappedFileKb()) << 10;
  std::shared_ptr<SpillFile> roomy = SpillFile::Create(dir.path(), base + 2 * kBytes);
  ASSERT_NE(roomy, nullptr);
  char* p = FilledBlock(roomy.get(), kBytes, 'x');
  ASSERT_NE(p, nullptr);
  const long touched = MappedFileKb();
  roomy->ReleasePages();
  EXPECT_GT(MappedFileKb(), touched - 8 * 1024) << "under the budget: kept";

  std::shared_ptr<SpillFile> tight = SpillFile::Create(dir.path(), base + kBytes / 4);
  ASSERT_NE(tight, nullptr);
  char* q = FilledBlock(tight.get(), kBytes, 'y');
  ASSERT_NE(q, nullptr);
  const long both = MappedFileKb();
  tight->ReleasePages();
  const long after = MappedFileKb();
  EXPECT_LT(after, both - 48 * 1024) << "over the budget: handed back, " << both << " -> " << after << " KiB";
  EXPECT_EQ(q[kBytes - 1], 'y');
  EXPECT_EQ(p[0], 'x');
}

// Above the budget, pages stay while the whole process holds no more than
// what AllowResidentUpTo() allows (the process' peak so far, in the reports),
// and are handed back once it holds more. The allowance only rises.
TEST(SpillFile, PagesStayAboveTheBudgetWhileTheProcessIsUnderItsAllowance) {
  testing::TempDir dir;
  constexpr size_t kBytes = kOverBudgetBytes;
  const OverBudget over = FileOverItsBudget(dir.path(), 'x');
  ASSERT_NE(over.block, nullptr);
  const size_t process = static_cast<size_t>(StatusKb("VmRSS")) << 10;
  // The peak so far includes now (to the kernel's counters' batching).
  EXPECT_GE(PeakResidentBytes() + (size_t{1} << 20), process);
  over.file->AllowResidentUpTo(process + kBytes);
  over.file->AllowResidentUpTo(0);  // does not lower it
  over.file->ReleasePages();
  EXPECT_GT(MappedFileKb(), over.touched_kb - 8 * 1024) << "over the budget, under the allowance: kept";

  char* q = FilledBlock(over.file.get(), 2 * kBytes, 'y');
  ASSERT_NE(q, nullptr);
  const long both = MappedFileKb();
  over.file->ReleasePages();
  const long after = MappedFileKb();
  EXPECT_LT(after, both - 96 * 1024) << "over both: handed back, " << both << " -> " << after << " KiB";
  EXPECT_EQ(over.block[0], 'x');
  EXPECT_EQ(q[2 * kBytes - 1], 'y');
}

// A watch hands the pages of a file over its budget back without any call
// from the code that touched them, and stops with its scope.
TEST(SpillBudgetWatch, HandsBackPagesNobodyReleased) {
  testing::TempDir dir;
  constexpr size_t kBytes = kOverBudgetBytes;
  const OverBudget over = FileOverItsBudget(dir.path(), 'y');
  ASSERT_NE(over.block, nullptr);
  size_t checks = 0;
  {
    SpillBudgetWatch watch(over.file, std::chrono::milliseconds(2));
    for (int i = 0; i < 2000 && (MappedFileKb() > over.touched_kb - 48 * 1024 || watch.checks() == 0); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_LT(MappedFileKb(), over.touched_kb - 48 * 1024)
        << "nothing handed back from " << over.touched_kb << " KiB";
    checks = watch.checks();
    EXPECT_GE(checks, 1u);
  }
  EXPECT_EQ(over.block[kBytes - 1], 'y');
  // Touched again after the watch ended: nothing hands these pages back.
  std::memset(over.block, 'z', kBytes);
  const long again = MappedFileKb();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GT(MappedFileKb(), again - 8 * 1024);
  SpillBudgetWatch none(nullptr);
  EXPECT_EQ(none.checks(), 0u);
}

TEST(SpillFile, PagesHandedBackWhileAnotherThreadReads) {
  testing::TempDir dir;
  std::shared_ptr<SpillFile> file = SpillFile::Create(dir.path(), 0);
  ASSERT_NE(file, nullptr);
  constexpr size_t kWords = 1 << 20;
  auto* words = static_cast<std::uint32_t*>(file->Allocate(kWords * sizeof(std::uint32_t)));
  ASSERT_NE(words, nullptr);
  for (size_t i = 0; i < kWords; ++i) words[i] = static_cast<std::uint32_t>(i * 2654435761u);
  std::uint64_t sum = 0, want = 0;
  for (size_t i = 0; i < kWords; ++i) want += words[i];
  std::thread reader([&] {
    for (int round = 0; round < 20; ++round) {
      std::uint64_t s = 0;
      for (size_t i = 0; i < kWords; ++i) s += words[i];
      sum = s;
      if (s != want) return;
    }
  });
  for (int round = 0; round < 200; ++round) file->ReleasePages();
  reader.join();
  EXPECT_EQ(sum, want);
}

// A SpillVector grows into the file once its storage is large (small ones
// stay on the heap), keeps its elements through growth and page release,
// takes its storage along when moved, and gives it back when cleared.
TEST(SpillVector, LargeStorageLivesInTheFileAndFollowsTheVector) {
  testing::TempDir dir;
  std::shared_ptr<SpillFile> file = SpillFile::Create(dir.path());
  ASSERT_NE(file, nullptr);
  SpillVector<std::uint32_t> v{SpillAllocator<std::uint32_t>(file)};
  for (std::uint32_t i = 0; i < 1000; ++i) v.push_back(i * 3);
  EXPECT_EQ(file->size(), 0u) << "4 KB stays on the heap";
  for (std::uint32_t i = 1000; i < 3'000'000; ++i) v.push_back(i * 3);
  EXPECT_GE(file->size(), v.size() * sizeof(std::uint32_t));
  file->ReleasePages();
  SpillVector<std::uint32_t> moved = std::move(v);
  EXPECT_EQ(moved.get_allocator(), SpillAllocator<std::uint32_t>(file));
  for (std::uint32_t i = 0; i < 3'000'000; ++i) ASSERT_EQ(moved[i], i * 3) << i;
  moved = SpillVector<std::uint32_t>();
  EXPECT_EQ(moved.get_allocator(), SpillAllocator<std::uint32_t>()) << "cleared: back to the heap";
  SpillVector<double> heap;  // no file
  heap.assign(1 << 20, 1.5);
  EXPECT_EQ(heap[12345], 1.5);
}

TEST(SpillFile, NoFileInAFolderThatDoesNotExist) {
  testing::TempDir dir;
  EXPECT_EQ(SpillFile::Create(dir.path() / "missing"), nullptr);
}

}  // namespace
}  // namespace samrad
