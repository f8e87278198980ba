// Internal to samrad_reports: strings held once, for data kept per passage
// (#11: the reports hold every passage of the corpus at once).
#ifndef SAMRAD_REPORTS_STRINGS_H_
#define SAMRAD_REPORTS_STRINGS_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/spill.h"
#include "base/string_arena.h"

namespace samrad::reports::internal {

constexpr std::uint32_t kNoId = 0xFFFFFFFFu;

// Strings to dense ids, in first-seen order. The lookup is an open-addressing
// table of ids (4 bytes a slot, at most half full) rather than a node-based
// hash map: no allocation per string, and nothing left scattered over the
// heap when it is released (#11).
class StringIds {
 public:
  std::uint32_t Intern(std::string_view s);
  // kNoId when absent.
  std::uint32_t Find(std::string_view s) const;
  const std::string& operator[](std::uint32_t id) const { return strings_[id]; }
  std::size_t size() const { return strings_.size(); }
  // Frees the lookup table when no more strings are to be interned. Intern
  // still works (it builds the table again) and so does Find (by a linear
  // search).
  void ReleaseLookup();

 private:
  // The slot of `s`: its id, or kNoId where it would go.
  std::size_t Slot(std::string_view s) const;
  void Rehash(std::size_t slots);

  std::deque<std::string> strings_;
  std::vector<std::uint32_t> slots_;  // kNoId or an id; a power of two of them
};

}  // namespace samrad::reports::internal

#endif  // SAMRAD_REPORTS_STRINGS_H_
