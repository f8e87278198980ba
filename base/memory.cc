#include "base/memory.h"

#include <malloc.h>
#include <sys/resource.h>

#include <cstddef>

// jemalloc's control interface, declared weak: it is null unless the
// program is linked with jemalloc. base/ does not include jemalloc.h, as the
// unit tests and sanitizer builds do not link it.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

namespace samrad {

void ReturnFreeMemory() {
  if (mallctl != nullptr) {
    // 4096 is MALLCTL_ARENAS_ALL: every arena.
    mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
    return;
  }
  malloc_trim(0);
}

std::size_t PeakResidentBytes() {
  struct rusage u {};
  if (::getrusage(RUSAGE_SELF, &u) != 0 || u.ru_maxrss < 0) return 0;
  return static_cast<std::size_t>(u.ru_maxrss) * 1024;  // KiB on Linux
}

std::string AllocatorName() {
  if (mallctl == nullptr) return "system";
  const char* version = nullptr;
  size_t size = sizeof(version);
  if (mallctl("version", &version, &size, nullptr, 0) != 0 || version == nullptr) return "jemalloc";
  return std::string("jemalloc ") + version;
}

}  // namespace samrad
