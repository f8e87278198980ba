// Analyzer::Sentences: ICU's sentence breaks, minus those after Swedish
// abbreviations and initials.
//
// ICU (like UAX #29) breaks after "t.ex. Göteborg" because a period, a space
// and an upper-case letter look like a sentence end; it knows no Swedish
// abbreviations. A candidate break is therefore dropped when the text before
// it ends with
//   - an abbreviation of the built-in list that does not end sentences
//     ("t.ex.", "bl.a.", "s.k.", "ca", "dvs."), or
//   - a single upper-case letter and a period: an initial ("Anna K. Svensson").
// Abbreviations that often end a sentence ("osv.", "m.fl.", "etc.") keep
// ICU's break, which happens only when an upper-case letter follows.
#include <unicode/brkiter.h>

#include "analysis/analysis.h"
#include "analysis/analyzer_impl.h"
#include "analysis/swedish.h"
#include "analysis/text.h"

namespace samrad::analysis {
namespace {

bool IsSpaceByte(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Length of a Unicode white space character at text[i] that ICU may leave at
// a sentence's edge: U+00A0, U+2028, U+2029 (plus the ASCII ones above).
size_t WideSpaceAt(std::string_view t, size_t i) {
  auto at = [&](size_t k) { return k < t.size() ? static_cast<unsigned char>(t[k]) : 0; };
  if (at(i) == 0xC2 && (at(i + 1) == 0xA0 || at(i + 1) == 0x85)) return 2;
  if (at(i) == 0xE2 && at(i + 1) == 0x80 && (at(i + 2) == 0xA8 || at(i + 2) == 0xA9)) return 3;
  return 0;
}

// Whether a candidate break at `pos` follows an abbreviation that does not
// end sentences, or an initial.
bool BreakSuppressed(std::string_view text, size_t pos) {
  size_t e = pos;
  while (e > 0 && IsSpaceByte(static_cast<unsigned char>(text[e - 1]))) --e;
  if (e == 0 || text[e - 1] != '.') return false;
  size_t s = e;
  while (s > 0 && !IsSpaceByte(static_cast<unsigned char>(text[s - 1]))) --s;
  std::string_view word = text.substr(s, e - s);
  // Opening brackets and quotes before the word: "(t.ex."
  while (!word.empty() && (word[0] == '(' || word[0] == '[' || word[0] == '"'))
    word.remove_prefix(1);
  if (word.size() >= 3 && static_cast<unsigned char>(word[0]) == 0xE2)
    word.remove_prefix(3);                                                // ” “
  if (word.size() == 2 && word[0] >= 'A' && word[0] <= 'Z') return true;  // an initial
  if (word.size() < 2 || word.size() > 9) return false;
  std::string key(word.substr(0, word.size() - 1));
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  const internal::Abbreviation* a = internal::FindAbbreviation(key);
  if (a == nullptr) return false;
  if (!a->can_end_sentence) return true;
  // "osv. 2021" or "m.fl. och": no new sentence starts with a digit or a
  // lower-case letter.
  size_t n = pos;
  while (n < text.size() && IsSpaceByte(static_cast<unsigned char>(text[n]))) ++n;
  unsigned char next = n < text.size() ? static_cast<unsigned char>(text[n]) : 0;
  return (next >= '0' && next <= '9') || (next >= 'a' && next <= 'z');
}

}  // namespace

std::vector<Sentence> Analyzer::Sentences(std::string_view text) const {
  std::vector<Sentence> out;
  if (text.size() > static_cast<size_t>(INT32_MAX)) text = text.substr(0, INT32_MAX);
  if (text.empty()) return out;
  icu::BreakIterator* bi = internal::ThreadBreakIterator(internal::BreakKind::kSentence, text);
  if (bi == nullptr) return out;

  auto emit = [&](size_t s, size_t e) {
    while (s < e) {
      size_t w = WideSpaceAt(text, s);
      if (w != 0) {
        s += w;
      } else if (IsSpaceByte(static_cast<unsigned char>(text[s]))) {
        ++s;
      } else {
        break;
      }
    }
    while (e > s) {
      if (IsSpaceByte(static_cast<unsigned char>(text[e - 1]))) {
        --e;
      } else if (e >= s + 2 && WideSpaceAt(text, e - 2) == 2) {
        e -= 2;
      } else if (e >= s + 3 && WideSpaceAt(text, e - 3) == 3) {
        e -= 3;
      } else {
        break;
      }
    }
    if (e > s) out.push_back({static_cast<uint32_t>(s), static_cast<uint32_t>(e)});
  };

  thread_local std::vector<internal::SpecialSpan> specials;
  internal::FindSpecialSpans(text, &specials);
  size_t sp = 0;

  size_t start = static_cast<size_t>(bi->first());
  for (int32_t q = bi->next(); q != icu::BreakIterator::DONE; q = bi->next()) {
    size_t pos = static_cast<size_t>(q);
    // Never inside a URL or an e-mail address ("...se/x?y=1").
    while (sp < specials.size() && specials[sp].end <= pos) ++sp;
    if (sp < specials.size() && specials[sp].start < pos) continue;
    if (pos < text.size() && BreakSuppressed(text, pos)) {
      // A line break still ends the sentence: ICU breaks there on its own,
      // and a heading or list item never continues on the next line.
      bool newline = false;
      for (size_t k = pos; k > start && IsSpaceByte(static_cast<unsigned char>(text[k - 1])); --k) {
        newline = newline || text[k - 1] == '\n' || text[k - 1] == '\r';
      }
      if (!newline) continue;
    }
    emit(start, pos);
    start = pos;
  }
  if (start < text.size()) emit(start, text.size());
  return out;
}

}  // namespace samrad::analysis
