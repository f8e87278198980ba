// Internal to samrad_analysis: the word lists the decompounder consults.
//
// A Lexicon holds every word form of a plain word list (wswedish) and of a
// Hunspell dictionary expanded through its suffix rules (hunspell-sv), each
// with flags saying what the lists know about it, plus two productivity
// counts computed from the Hunspell stems themselves. Loading:
//
//   1. Read the .aff file: suffix groups (SFX) and the compound flags
//      (COMPOUNDBEGIN, COMPOUNDMIDDLE, COMPOUNDEND, ONLYINCOMPOUND,
//      NEEDAFFIX, FORBIDDENWORD). Prefix rules are ignored (sv_SE has none).
//   2. Read the .dic file: every single-word, letters-only entry is a stem;
//      apply each of its suffix flags whose condition matches to generate its
//      forms. A form inherits "may begin / continue a compound" from the
//      rule's continuation flags (that is how "kunskap" gets the compounding
//      form "kunskaps") and "may end a compound" from its stem.
//   3. Read the plain word list (UTF-8, or ISO-8859-1 when not valid UTF-8).
//   4. Productivity: for every stem that splits into a first-part-like
//      prefix and another stem, count one for the prefix ("as a first part")
//      and one for the rest ("as a head"). Forms inherit the head count of
//      their stems. These counts tell a real compound part ("råd", 197 heads)
//      from a chance substring ("ens", 0).
//
// Everything is lower-cased (ASCII and Latin-1 letters) and stored in one
// open-addressing table over a string arena: about 0.83 million keys in
// roughly 45 MB, looked up without allocating.
#ifndef SAMRAD_ANALYSIS_LEXICON_H_
#define SAMRAD_ANALYSIS_LEXICON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace samrad::analysis::internal {

class Lexicon {
 public:
  enum Flag : uint16_t {
    kBegin = 1 << 0,         // Hunspell: may begin a compound
    kMiddle = 1 << 1,        // Hunspell: may stand inside a compound
    kEnd = 1 << 2,           // Hunspell: may end a compound
    kHunspellWord = 1 << 3,  // Hunspell: a word on its own (not only-in-compound)
    kForm = 1 << 4,          // any Hunspell form (stem or generated)
    kStem = 1 << 5,          // a Hunspell dictionary entry
    kStemWord = 1 << 6,      // a dictionary entry that is a word on its own
    kListed = 1 << 7,        // in the plain word list
    kSuffixLike = 1 << 8,    // the form or one of its stems is a derivational suffix ("skap")
  };
  static constexpr uint32_t kNoLemma = UINT32_MAX;

  struct Entry {
    uint32_t key_offset = 0;
    uint16_t key_size = 0;
    uint16_t flags = 0;
    uint16_t first_productivity = 0;  // stems this string begins as a first part
    uint16_t head_productivity = 0;   // stems this string (or its stem) ends as a head
    uint32_t lemma = kNoLemma;        // compounding forms: entry index of the stem
  };

  // Loads the word list and, unless hunspell_path is "", "<hunspell_path>.dic"
  // and ".aff". `suffixes` are the derivational suffixes marked kSuffixLike.
  static Result<Lexicon> Load(const std::string& word_list_path, const std::string& hunspell_path,
                              const std::vector<std::string_view>& suffixes);

  // The entry for `word` (lower-case UTF-8), or nullptr.
  const Entry* Find(std::string_view word) const;
  uint16_t Flags(std::string_view word) const {
    const Entry* e = Find(word);
    return e == nullptr ? 0 : e->flags;
  }
  std::string_view Key(const Entry& e) const {
    return std::string_view(arena_).substr(e.key_offset, e.key_size);
  }
  const Entry& At(uint32_t index) const { return entries_[index]; }
  size_t size() const { return entries_.size(); }
  bool has_hunspell() const { return has_hunspell_; }

 private:
  uint32_t Intern(std::string_view word);  // index of the entry, created if missing
  int64_t Lookup(std::string_view word, uint64_t hash) const;
  void Reserve(size_t entries);

  std::string arena_;
  std::vector<Entry> entries_;
  // Open addressing with linear probing. A slot holds the upper 32 bits of
  // the key's hash and the entry index + 1 (0 = empty), so that most probes
  // are decided without touching the entry or the arena.
  std::vector<uint64_t> slots_;
  bool has_hunspell_ = false;

  friend class LexiconBuilder;
};

// Lower-cases ASCII and Latin-1 letters (the letters of Swedish words lists)
// in place; other characters are left alone.
void LowerLatin(std::string* s);

// Reads a word list or dictionary file; NotFound (with an installation hint)
// when it does not exist.
Result<std::string> ReadDictionaryFile(const std::string& path);

// Number of UTF-8 characters (lead bytes) in s.
size_t CountChars(std::string_view s);

}  // namespace samrad::analysis::internal

#endif  // SAMRAD_ANALYSIS_LEXICON_H_
