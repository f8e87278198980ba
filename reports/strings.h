// Internal to samrad_reports: the string tables of data kept per passage
// (base/string_ids.h; #11: the reports hold every passage of the corpus at
// once).
#ifndef SAMRAD_REPORTS_STRINGS_H_
#define SAMRAD_REPORTS_STRINGS_H_

#include <cstdint>

#include "base/string_ids.h"

namespace samrad::reports::internal {

using samrad::StringIds;
// No id: what StringIds::Find returns for an absent string, and what the
// reports' id arrays hold where there is none.
constexpr std::uint32_t kNoId = StringIds::kNoId;

}  // namespace samrad::reports::internal

#endif  // SAMRAD_REPORTS_STRINGS_H_
