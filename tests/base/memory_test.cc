#include "base/memory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

namespace samrad {
namespace {

// Resident pages of the process, from /proc/self/statm (second field).
[[maybe_unused]] long ResidentBytes() {  // unused under AddressSanitizer
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return -1;
  long size = 0, resident = 0;
  const int n = std::fscanf(f, "%ld %ld", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * sysconf(_SC_PAGESIZE) : -1;
}

TEST(Memory, AllocatorIsTheOneTheBuildLinked) {
  const std::string name = AllocatorName();
  if (SAMRAD_JEMALLOC_FOR_TEST) {
    EXPECT_EQ(name.rfind("jemalloc ", 0), 0u) << name;
  } else {
    EXPECT_EQ(name, "system");
  }
}

// base/jemalloc_config.cc's options reach jemalloc: a misspelt option or a
// symbol the program does not export would leave jemalloc's defaults (4
// arenas a core, pages kept 10 s), which peaked ~140 MB higher at N=20,000.
TEST(Memory, JemallocReadsSamradsOptions) {
  if (!SAMRAD_JEMALLOC_FOR_TEST) GTEST_SKIP() << "built without jemalloc";
  ASSERT_NE(mallctl, nullptr);
  const char* percpu = nullptr;
  size_t size = sizeof(percpu);
  ASSERT_EQ(mallctl("opt.percpu_arena", &percpu, &size, nullptr, 0), 0);
  EXPECT_STREQ(percpu, "percpu");
  ssize_t dirty = 0;
  size = sizeof(dirty);
  ASSERT_EQ(mallctl("opt.dirty_decay_ms", &dirty, &size, nullptr, 0), 0);
  EXPECT_EQ(dirty, 1000);
  ssize_t muzzy = -2;
  size = sizeof(muzzy);
  ASSERT_EQ(mallctl("opt.muzzy_decay_ms", &muzzy, &size, nullptr, 0), 0);
  EXPECT_EQ(muzzy, 0);
}

// Many small blocks freed stay with the allocator until handed back; after
// ReturnFreeMemory most of their pages are no longer resident.
TEST(Memory, FreedSmallBlocksAreHandedBack) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer keeps freed memory in quarantine";
#else
  constexpr size_t kBlocks = 256 * 1024;
  constexpr size_t kBlockBytes = 256;  // 64 MB in all
  std::vector<std::unique_ptr<char[]>> blocks(kBlocks);
  for (auto& b : blocks) {
    b.reset(new char[kBlockBytes]);
    std::memset(b.get(), 1, kBlockBytes);
  }
  const long full = ResidentBytes();
  ASSERT_GT(full, 0);
  std::vector<std::unique_ptr<char[]>>().swap(blocks);
  ReturnFreeMemory();
  const long after = ResidentBytes();
  EXPECT_LT(after, full - 48L * 1024 * 1024) << "resident " << full << " -> " << after << " bytes";
#endif
}

}  // namespace
}  // namespace samrad
