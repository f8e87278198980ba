// Strings held once, with dense ids: the vocabularies that the analysis and
// the reports keep for the whole corpus (#11).
#ifndef SAMRAD_BASE_STRING_IDS_H_
#define SAMRAD_BASE_STRING_IDS_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "base/string_arena.h"

namespace samrad {

// Strings to dense ids, in first-seen order. The strings are copied into a
// StringArena and viewed (#11: a std::string each, 32 bytes and often an
// allocation, and a lookup table 4 to 8 times the strings, made the
// reports' vocabulary tables ~120 MB at N=100,000). The lookup is an
// open-addressing table of ids (4 bytes a slot, a quarter to half full)
// rather than a node-based hash map: no allocation per string, and nothing
// left scattered over the heap when it is released.
class StringIds {
 public:
  static constexpr std::uint32_t kNoId = 0xFFFFFFFFu;

  std::uint32_t Intern(std::string_view s) { return Intern(s, Hash(s)); }
  // kNoId when absent.
  std::uint32_t Find(std::string_view s) const { return Find(s, Hash(s)); }
  // The same with `hash` == Hash(s), for a caller that hashed `s` already
  // (to pick one of several tables): a string is hashed once, not twice.
  std::uint32_t Intern(std::string_view s, std::size_t hash);
  std::uint32_t Find(std::string_view s, std::size_t hash) const;
  static std::size_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }
  // Valid as long as the table, moves included.
  std::string_view operator[](std::uint32_t id) const { return strings_[id]; }
  std::size_t size() const { return strings_.size(); }
  // Frees the lookup table when no more strings are to be interned. Intern
  // still works (it builds the table again) and so does Find (by a linear
  // search).
  void ReleaseLookup();
  // Heap bytes held: the strings, their views and the lookup table.
  std::size_t MemoryBytes() const;

 private:
  // The slot of `s` (whose Hash() is `hash`): its id, or kNoId where it would go.
  std::size_t Slot(std::string_view s, std::size_t hash) const;
  void Rehash(std::size_t slots);

  StringArena bytes_;
  std::deque<std::string_view> strings_;  // into bytes_
  std::vector<std::uint32_t> slots_;      // kNoId or an id; a power of two of them
};

}  // namespace samrad

#endif  // SAMRAD_BASE_STRING_IDS_H_
