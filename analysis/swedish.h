// Internal to samrad_analysis: Swedish language data that is small enough to
// live in the code (the large word lists are read from Debian's packages).
#ifndef SAMRAD_ANALYSIS_SWEDISH_H_
#define SAMRAD_ANALYSIS_SWEDISH_H_

#include <string_view>
#include <vector>

namespace samrad::analysis::internal {

// The Snowball project's Swedish stop list, in its own order (commonest
// first): https://snowballstem.org/algorithms/swedish/stop.txt, BSD licence.
const std::vector<std::string_view>& SnowballSwedishStopWords();

struct Abbreviation {
  // The form as written, lower case, without a final period when the
  // abbreviation usually has one ("t.ex", "osv", "s:t", "ca"). The tokeniser
  // matches a word of this form, optionally followed by a period.
  std::string_view key;
  // The normalised form (Token::norm): "t.ex.", "osv.", "s:t", "ca".
  std::string_view norm;
  // A function word that is a stop word ("t.ex.", "bl.a.") rather than
  // content ("kr", "s:t").
  bool stop;
  // Whether the word is an abbreviation even without a following period
  // ("ca", "osv", "kr"); the others ("kl", "tel", "st") are words of their
  // own unless a period follows. Keys with an inner dot or colon always match.
  bool period_optional;
  // Whether the abbreviation often ends a sentence ("osv.", "m.fl.", "etc.").
  // Those that do not ("t.ex.", "bl.a.", "s.k.", "ca") never let the
  // sentence splitter break after them.
  bool can_end_sentence;
};

// The abbreviations the tokeniser keeps whole, or nullptr. `lower_key` is
// the lower-cased word without a final period.
const Abbreviation* FindAbbreviation(std::string_view lower_key);

// Derivational suffixes that are also words ("skap" cupboard, "dom" verdict,
// "het" hot): as the last part of a word they are the suffix, so
// "landskap" is not land + skap and "ungdom" not ung + dom.
const std::vector<std::string_view>& DerivationalSuffixes();

}  // namespace samrad::analysis::internal

#endif  // SAMRAD_ANALYSIS_SWEDISH_H_
