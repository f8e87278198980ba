// Internal to samrad_analysis: normalisation and ICU plumbing. ICU's error
// model (UErrorCode) is converted to Status here and nowhere else.
#ifndef SAMRAD_ANALYSIS_TEXT_H_
#define SAMRAD_ANALYSIS_TEXT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/uversion.h>

#include "base/status.h"

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace samrad::analysis::internal {

// Appends the normalised form of a word to *out: ICU full case folding, then
// NFC; soft hyphens (U+00AD), zero-width joiners and word joiners removed;
// U+2019 and U+02BC as the ASCII apostrophe; invalid UTF-8 bytes dropped.
// Plain ASCII and Latin-1 letters (the bulk of Swedish text) take a fast path
// that gives the same result without calling ICU.
void AppendNormalised(std::string_view word, std::string* out);

enum class BreakKind { kWord, kSentence };

// A break iterator for the Swedish locale owned by the calling thread,
// positioned over `text` (which must stay alive while it is used). Created
// on first use in each thread by cloning a process-wide prototype and reused
// afterwards: creating ICU break iterators costs far more than using them.
// Returns nullptr only if ICU failed, which CheckIcu() reports up front.
icu::BreakIterator* ThreadBreakIterator(BreakKind kind, std::string_view text);

// The byte spans of URLs ("https://...", "www.") and e-mail addresses in
// text, in order and not overlapping. Tokenize makes each one token and
// Sentences never breaks inside one.
struct SpecialSpan {
  uint32_t start = 0, end = 0;
  bool email = false;
};
void FindSpecialSpans(std::string_view text, std::vector<SpecialSpan>* out);

// Verifies that ICU can provide everything analysis needs (Swedish word and
// sentence break iterators, NFC data); called once by Analyzer::Create.
Status CheckIcu();

}  // namespace samrad::analysis::internal

#endif  // SAMRAD_ANALYSIS_TEXT_H_
