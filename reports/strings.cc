#include "reports/strings.h"

#include <cstring>
#include <functional>

namespace samrad::reports::internal {

std::size_t StringIds::Slot(std::string_view s) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = std::hash<std::string_view>{}(s) & mask;
  while (slots_[i] != kNoId && strings_[slots_[i]] != s) i = (i + 1) & mask;
  return i;
}

void StringIds::Rehash(std::size_t slots) {
  slots_.assign(slots, kNoId);
  for (std::uint32_t id = 0; id < strings_.size(); ++id) slots_[Slot(strings_[id])] = id;
}

std::uint32_t StringIds::Intern(std::string_view s) {
  // At most half full, so probes stay short; also rebuilds a released table.
  if (2 * (strings_.size() + 1) > slots_.size()) {
    std::size_t slots = 16;
    while (slots < 4 * (strings_.size() + 1)) slots *= 2;
    Rehash(slots);
  }
  const std::size_t i = Slot(s);
  if (slots_[i] != kNoId) return slots_[i];
  const auto id = static_cast<std::uint32_t>(strings_.size());
  strings_.emplace_back(s);
  slots_[i] = id;
  return id;
}

std::uint32_t StringIds::Find(std::string_view s) const {
  if (slots_.empty()) {  // released (or empty)
    for (std::uint32_t id = 0; id < strings_.size(); ++id) {
      if (strings_[id] == s) return id;
    }
    return kNoId;
  }
  return slots_[Slot(s)];
}

void StringIds::ReleaseLookup() { std::vector<std::uint32_t>().swap(slots_); }

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

}  // namespace samrad::reports::internal
