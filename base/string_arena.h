// Strings copied into large chunks (#11: data kept per passage, such as
// the ids of every passage, costs its bytes rather than a std::string and a
// heap allocation each).
#ifndef SAMRAD_BASE_STRING_ARENA_H_
#define SAMRAD_BASE_STRING_ARENA_H_

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "base/spill.h"

namespace samrad {

// Copies of strings, packed into large chunks: a stored string costs its
// bytes, not a std::string (32 bytes) and a heap allocation, and nothing
// stored ever moves, so the views Store returns stay valid as long as the
// arena. Growing never copies what is stored (unlike one big std::string,
// which needs twice its size while it reallocates).
class StringArena {
 public:
  StringArena() = default;
  StringArena(StringArena&&) = default;
  StringArena& operator=(StringArena&&) = default;

  std::string_view Store(std::string_view s);
  // Bytes allocated on the heap, including what is left free at the end of
  // each chunk.
  std::size_t MemoryBytes() const { return allocated_; }
  // New chunks come from `file` (base/spill.h) from now on, while it can
  // give them; null: from the heap (#11).
  void SpillTo(std::shared_ptr<SpillFile> file) { spill_ = std::move(file); }
  const std::shared_ptr<SpillFile>& spill() const { return spill_; }

 private:
  // `bytes` for strings: from the spill file, else from the heap.
  char* NewChunk(std::size_t bytes);
  static constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* free_ = nullptr;  // the free part of the last chunk
  std::size_t left_ = 0;  // its size
  std::size_t allocated_ = 0;
  std::shared_ptr<SpillFile> spill_;
};

}  // namespace samrad

#endif  // SAMRAD_BASE_STRING_ARENA_H_
