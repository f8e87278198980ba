// Internal to samrad_index: term prefixes, value slots and the normalisation
// of filter values, shared by the builder and the searcher so both agree.
#ifndef SAMRAD_INDEX_TERMS_H_
#define SAMRAD_INDEX_TERMS_H_

#include <xapian.h>

#include <string>
#include <string_view>

namespace samrad::index::internal {

inline constexpr char kKind[] = "XK";
inline constexpr char kOrganisation[] = "XO";
inline constexpr char kActor[] = "XA";
inline constexpr char kRegion[] = "XR";
inline constexpr char kForum[] = "XF";
inline constexpr char kArea[] = "XT";
inline constexpr char kOverridden[] = "XV";
inline constexpr char kTheme[] = "XE";
inline constexpr char kDocument[] = "XD";
inline constexpr char kPassageId[] = "Q";
inline constexpr char kStemmed[] = "Z";

enum Slot : Xapian::valueno {
  kSlotDate = 0,
  kSlotDocument = 1,
  kSlotActor = 2,
  kSlotRegion = 3,
  kSlotKind = 4,
  kSlotAreas = 5,
  kSlotTheme = 6,
  kSlotHash = 7,
};

// Separates the values of a multi-valued slot (areas).
inline constexpr char kValueSeparator = '\x1f';

// Filter values are matched case-insensitively: "Skaraborg", "skaraborg" and
// " SKARABORG " are one value. å/ä/ö are kept (they are different letters).
inline std::string NormaliseValue(std::string_view v) {
  size_t b = 0, e = v.size();
  while (b < e && (v[b] == ' ' || v[b] == '\t')) ++b;
  while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t')) --e;
  return Xapian::Unicode::tolower(std::string(v.substr(b, e - b)));
}

// Bumped whenever what a passage's Xapian document holds changes, so an
// incremental update rewrites every passage after an upgrade.
inline constexpr char kIndexFormat[] = "samrad-index-2";

// Xapian refuses terms over 245 bytes; such a token is not worth indexing.
inline constexpr size_t kMaxTermBytes = 240;

}  // namespace samrad::index::internal

#endif  // SAMRAD_INDEX_TERMS_H_
