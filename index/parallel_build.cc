#include "index/parallel_build.h"

namespace samrad::index::internal {

void SpellingCounts::Add(std::string_view word) {
  // The shard by the hash's top bits: StringIds probes from its low bits,
  // which must not be the same for every word of a shard.
  const std::size_t hash = StringIds::Hash(word);
  Shard& s = shards_[(hash >> 32) % kShards];
  std::lock_guard<std::mutex> lock(s.mutex);
  const std::uint32_t id = s.words.Intern(word, hash);
  if (id == s.counts.size()) {
    s.counts.push_back(1);
  } else {
    ++s.counts[id];
  }
}

size_t SpellingCounts::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) n += s.words.size();
  return n;
}

void SpellingCounts::Clear() {
  for (Shard& s : shards_) {
    s.words = StringIds();
    std::vector<Xapian::termcount>().swap(s.counts);
  }
}

}  // namespace samrad::index::internal
