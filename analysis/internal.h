// Internal to samrad_analysis: shared helper types.
#ifndef SAMRAD_ANALYSIS_INTERNAL_H_
#define SAMRAD_ANALYSIS_INTERNAL_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace samrad::analysis::internal {

// Lets unordered containers keyed by std::string be searched with a
// std::string_view without building a temporary string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

template <typename C>
bool Contains(const C& c, std::string_view key) {
  return c.find(key) != c.end();
}

}  // namespace samrad::analysis::internal

#endif  // SAMRAD_ANALYSIS_INTERNAL_H_
