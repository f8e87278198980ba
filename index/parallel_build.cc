#include "index/parallel_build.h"

#include <functional>

namespace samrad::index::internal {
namespace {

size_t HashOf(std::string_view word) { return std::hash<std::string_view>{}(word); }

}  // namespace

size_t SpellingCounts::Shard::Slot(std::string_view word, size_t h) const {
  const size_t mask = slots.size() - 1;
  // The low bits chose the shard: probe from the others.
  size_t i = (h >> 6) & mask;
  while (slots[i] != kEmpty && Word(entries[slots[i]]) != word) i = (i + 1) & mask;
  return i;
}

void SpellingCounts::Shard::Grow() {
  size_t n = 16;
  while (n < 4 * (entries.size() + 1)) n *= 2;
  slots.assign(n, kEmpty);
  for (std::uint32_t k = 0; k < entries.size(); ++k) {
    const std::string_view w = Word(entries[k]);
    slots[Slot(w, HashOf(w))] = k;
  }
}

void SpellingCounts::Add(std::string_view word) {
  const size_t h = HashOf(word);
  Shard& s = shards_[h % kShards];
  std::lock_guard<std::mutex> lock(s.mutex);
  if (2 * (s.entries.size() + 1) > s.slots.size()) s.Grow();
  const size_t i = s.Slot(word, h);
  if (s.slots[i] != kEmpty) {
    ++s.entries[s.slots[i]].count;
    return;
  }
  s.slots[i] = static_cast<std::uint32_t>(s.entries.size());
  s.entries.push_back({static_cast<std::uint32_t>(s.bytes.size()), static_cast<std::uint32_t>(word.size()), 1});
  s.bytes.append(word);
}

size_t SpellingCounts::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) n += s.entries.size();
  return n;
}

void SpellingCounts::Clear() {
  for (Shard& s : shards_) {
    std::string().swap(s.bytes);
    std::vector<Entry>().swap(s.entries);
    std::vector<std::uint32_t>().swap(s.slots);
  }
}

}  // namespace samrad::index::internal
