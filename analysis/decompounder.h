// Internal to samrad_analysis: the lexicon-driven decompounder.
//
// Decompose(word) finds the best binary split "first part + head" and then
// decomposes both sides again, so the result is the full decomposition
// ("lastbilstrafik" -> last + bil(s) + trafik). docs/analysis.md gives the
// method with examples; in short:
//
//   1. Evidence for a first part: a Hunspell compounding form (strength 2;
//      "kunskaps", "skol", "arbets"), or a word from the lists (strength 1)
//      alone, with a linking -s-, with -e/-u/-o replacing a final -a
//      ("gatu"), or with a final -a/-e dropped ("läx" from "läxa"). Words of
//      the stop list and verb particles ("till", "mot", "under") never begin
//      a compound; parts that are only in a word list must be long, productive
//      in the dictionary, or seen in the corpus.
//   2. Evidence for a head: a Hunspell compound-final form (2) or a word of at
//      least 3 letters from the lists (1), never a stop word or a derivational
//      suffix that happens to be a word ("skap", "dom", "het").
//   3. The more the lists already know the whole word, the more evidence a
//      split needs: a word of the plain word list (or an inflection or
//      derivation of one) needs 2 + 2, a word known only to Hunspell 3,
//      an unknown word 2. Known words ending in a Latinate suffix are not
//      split inside it ("kombi|nation", "bio|logisk").
//   4. Among the splits with enough evidence the one with the highest
//      score = first + head evidence + 0.3 * (ln(1 + f(head)) + ln(1 + f(first)))
//              + 0.5 if the first part carries a linking morpheme
//      wins, f being corpus frequencies; ties go to the shorter first part.
#ifndef SAMRAD_ANALYSIS_DECOMPOUNDER_H_
#define SAMRAD_ANALYSIS_DECOMPOUNDER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/internal.h"
#include "analysis/lexicon.h"

namespace samrad::analysis::internal {

struct CompoundPart {
  std::string surface;  // the word's own substring, with its linking morpheme
  std::string lemma;    // the word the part stands for: "kunskap", "skola"
};

struct DecompounderOptions {
  int min_part_chars = 3;
  int min_short_part_productivity = 10;
  int free_part_chars = 6;
  int min_part_productivity = 3;
};

class Decompounder {
 public:
  // All pointers must outlive the Decompounder; `frequencies` may be empty.
  Decompounder(const Lexicon* lexicon, const StringSet* stop_words,
               const StringMap<uint64_t>* frequencies, DecompounderOptions options);

  struct Decomposition {
    std::vector<CompoundPart> parts;  // empty when not a compound
    size_t head_offset = 0;           // byte offset of the top-level head ("vätgas|bilar")
  };
  // The parts of `word` (lower-case letters).
  Decomposition Decompose(std::string_view word) const;

 private:
  struct Candidate {
    std::string lemma;
    int strength = 0;
  };
  using Parts = std::vector<CompoundPart>;
  struct Split {
    Parts parts;
    size_t cut = 0;
  };
  using Memo = StringMap<std::optional<Split>>;

  const std::optional<Split>& DecomposeMemo(std::string_view word, Memo* memo) const;
  int Need(std::string_view word) const;
  int LexLevel(std::string_view word) const;
  int HeadStrength(std::string_view head) const;
  bool WeakFirst(std::string_view part, std::string_view productivity_key) const;
  void FirstCandidates(std::string_view prefix, std::vector<Candidate>* out) const;
  std::string LemmaOfCompoundingForm(std::string_view form) const;
  bool LatinBlock(std::string_view word, std::string_view head) const;
  bool IsWord(std::string_view w) const;
  uint64_t Frequency(std::string_view w) const;

  const Lexicon* lex_;
  const StringSet* stop_;
  const StringMap<uint64_t>* freq_;
  DecompounderOptions options_;
};

}  // namespace samrad::analysis::internal

#endif  // SAMRAD_ANALYSIS_DECOMPOUNDER_H_
