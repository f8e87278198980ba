// Internal to samrad_index: dictionary forms of Swedish words from Hunspell.
//
// Snowball stemming removes one suffix and knows no exceptions, so
// "klubbstugan" (stem "klubbstugan") never meets "klubbstuga" (stem
// "klubbstug"), nor "gymnasierna" "gymnasium". Hunspell's Swedish dictionary
// knows the inflections: the index adds the Snowball stem of each dictionary
// form as an extra term, so a query in the base form finds every inflection.
#ifndef SAMRAD_INDEX_LEMMAS_H_
#define SAMRAD_INDEX_LEMMAS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/string_ids.h"

class Hunspell;

namespace samrad::index::internal {

class Lemmatizer {
 public:
  // Loads <dictionary>.aff and <dictionary>.dic; without them Lemmas()
  // returns nothing (the index is still built, with less recall).
  explicit Lemmatizer(const std::string& dictionary = "/usr/share/hunspell/sv_SE");
  ~Lemmatizer();
  bool loaded() const { return hunspell_ != nullptr; }

  // Lower-case dictionary forms of a lower-case word, without the word
  // itself. Thread-safe; results are memoised. Hunspell is loaded without
  // its compounding rules (lemmas.cc says why), so a compound that the
  // dictionary does not list as a whole gets none here: the index builds
  // its lemmas from its head's (index/builder.cc, StemTerms). The same word
  // gets the same answer in every run, whatever the load.
  std::vector<std::string> Lemmas(const std::string& word);

 private:
  // The memo of Lemmas(): the words with dense ids (base/string_ids.h) and,
  // by id, where the word's lemmas are in lemma_bytes_ (each a length byte
  // and its bytes, after a 2-byte total), or kNoLemmas. ~35 bytes a word
  // against ~90 for a map of strings to vectors of strings (#11: at
  // N=100,000 the memo held ~500,000 words, most with no lemma, and grew
  // through the whole build).
  static constexpr std::uint32_t kNoLemmas = 0xFFFFFFFFu;
  // `hash` is StringIds::Hash(word), computed once by Lemmas().
  void Memoise(const std::string& word, std::size_t hash, const std::vector<std::string>& lemmas);

  std::unique_ptr<Hunspell> hunspell_;
  std::mutex hunspell_mutex_;  // Hunspell objects are not thread-safe
  std::shared_mutex cache_mutex_;  // guards the memo
  StringIds words_;
  std::vector<std::uint32_t> lemmas_at_;  // by id of words_
  std::string lemma_bytes_;
};

}  // namespace samrad::index::internal

#endif  // SAMRAD_INDEX_LEMMAS_H_
