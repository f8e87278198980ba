#include "base/string_ids.h"

namespace samrad {

std::size_t StringIds::Slot(std::string_view s, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i] != kNoId && strings_[slots_[i]] != s) i = (i + 1) & mask;
  return i;
}

void StringIds::Rehash(std::size_t slots) {
  slots_.assign(slots, kNoId);
  for (std::uint32_t id = 0; id < strings_.size(); ++id) slots_[Slot(strings_[id], Hash(strings_[id]))] = id;
}

std::uint32_t StringIds::Intern(std::string_view s, std::size_t hash) {
  // At most half full, so probes stay short; also rebuilds a released table.
  if (2 * (strings_.size() + 1) > slots_.size()) {
    std::size_t slots = 16;
    while (slots < 2 * (strings_.size() + 1)) slots *= 2;
    Rehash(slots);
  }
  const std::size_t i = Slot(s, hash);
  if (slots_[i] != kNoId) return slots_[i];
  const auto id = static_cast<std::uint32_t>(strings_.size());
  strings_.push_back(bytes_.Store(s));
  slots_[i] = id;
  return id;
}

std::uint32_t StringIds::Find(std::string_view s, std::size_t hash) const {
  if (slots_.empty()) {  // released (or empty)
    for (std::uint32_t id = 0; id < strings_.size(); ++id) {
      if (strings_[id] == s) return id;
    }
    return kNoId;
  }
  return slots_[Slot(s, hash)];
}

void StringIds::ReleaseLookup() { std::vector<std::uint32_t>().swap(slots_); }

std::size_t StringIds::MemoryBytes() const {
  return bytes_.MemoryBytes() + strings_.size() * sizeof(std::string_view) + slots_.capacity() * sizeof(std::uint32_t);
}

}  // namespace samrad
