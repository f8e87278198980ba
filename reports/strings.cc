#include "reports/strings.h"

#include <cstring>

namespace samrad::reports::internal {

std::uint32_t StringIds::Intern(std::string_view s) {
  if (ids_.size() != strings_.size()) {  // released: the strings are distinct, so one entry each
    for (std::uint32_t id = 0; id < strings_.size(); ++id) ids_.emplace(std::string_view(strings_[id]), id);
  }
  if (auto it = ids_.find(s); it != ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(strings_.size());
  strings_.emplace_back(s);
  ids_.emplace(std::string_view(strings_.back()), id);
  return id;
}

std::uint32_t StringIds::Find(std::string_view s) const {
  if (ids_.size() != strings_.size()) {
    for (std::uint32_t id = 0; id < strings_.size(); ++id) {
      if (strings_[id] == s) return id;
    }
    return kNoId;
  }
  auto it = ids_.find(s);
  return it == ids_.end() ? kNoId : it->second;
}

void StringIds::ReleaseLookup() { std::unordered_map<std::string_view, std::uint32_t>().swap(ids_); }

std::string_view StringArena::Store(std::string_view s) {
  if (s.empty()) return {};
  // A string of more than a quarter chunk gets an allocation of its own, so
  // that at most a quarter of a chunk is left unused when a new one starts.
  if (s.size() > kChunkBytes / 4) {
    auto own = std::make_unique_for_overwrite<char[]>(s.size());
    std::memcpy(own.get(), s.data(), s.size());
    allocated_ += s.size();
    chunks_.push_back(std::move(own));
    return {chunks_.back().get(), s.size()};
  }
  if (left_ < s.size()) {
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(kChunkBytes));
    allocated_ += kChunkBytes;
    free_ = chunks_.back().get();
    left_ = kChunkBytes;
  }
  std::memcpy(free_, s.data(), s.size());
  const std::string_view stored(free_, s.size());
  free_ += s.size();
  left_ -= s.size();
  return stored;
}

}  // namespace samrad::reports::internal
