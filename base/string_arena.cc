#include "base/string_arena.h"

#include <cstring>

namespace samrad {

char* StringArena::NewChunk(std::size_t bytes) {
  if (spill_ != nullptr) {
    if (void* memory = spill_->Allocate(bytes)) return static_cast<char*>(memory);
  }
  chunks_.push_back(std::make_unique_for_overwrite<char[]>(bytes));
  allocated_ += bytes;
  return chunks_.back().get();
}

std::string_view StringArena::Store(std::string_view s) {
  if (s.empty()) return {};
  // A string of more than a quarter chunk gets an allocation of its own, so
  // that at most a quarter of a chunk is left unused when a new one starts.
  if (s.size() > kChunkBytes / 4) {
    char* own = NewChunk(s.size());
    std::memcpy(own, s.data(), s.size());
    return {own, s.size()};
  }
  if (left_ < s.size()) {
    free_ = NewChunk(kChunkBytes);
    left_ = kChunkBytes;
  }
  std::memcpy(free_, s.data(), s.size());
  const std::string_view stored(free_, s.size());
  free_ += s.size();
  left_ -= s.size();
  return stored;
}

}  // namespace samrad
