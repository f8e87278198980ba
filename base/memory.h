// Handing freed heap memory back to the system, whichever allocator the
// program was linked with.
//
// The samrad executable and the benchmarks are linked with jemalloc (Debian's
// libjemalloc2; cmake/Dependencies.cmake, SAMRAD_JEMALLOC): Xapian's writer
// and the analysis allocate and free many small strings, and glibc's malloc
// spent ~15 % of the index stage's CPU in malloc_consolidate, _int_malloc
// and unlink_chunk (#11, perf at N=20,000). Sanitizer builds and the unit
// tests keep the system allocator, so this must work with either.
#ifndef SAMRAD_BASE_MEMORY_H_
#define SAMRAD_BASE_MEMORY_H_

#include <cstddef>
#include <string>

namespace samrad {

// Returns the pages of freed heap memory to the system: jemalloc's arenas
// are purged, glibc's malloc is trimmed. Called between phases whose
// memory does not overlap, so a run's peak is the larger phase, not the sum.
void ReturnFreeMemory();

// The most resident memory (heap, code and mapped files) this process has
// held so far, in bytes (getrusage's ru_maxrss); 0 when it cannot be read.
std::size_t PeakResidentBytes();

// "jemalloc 5.3.0-…" or "system": which allocator this process runs on
// (`samrad --version` prints it).
std::string AllocatorName();

}  // namespace samrad

#endif  // SAMRAD_BASE_MEMORY_H_
