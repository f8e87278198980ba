// Internal to samrad_index: dictionary forms of Swedish words from Hunspell.
//
// Snowball stemming removes one suffix and knows no exceptions, so
// "klubbstugan" (stem "klubbstugan") never meets "klubbstuga" (stem
// "klubbstug"), nor "gymnasierna" "gymnasium". Hunspell's Swedish dictionary
// knows the inflections: the index adds the Snowball stem of each dictionary
// form as an extra term, so a query in the base form finds every inflection.
#ifndef SAMRAD_INDEX_LEMMAS_H_
#define SAMRAD_INDEX_LEMMAS_H_

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

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
  // itself. Thread-safe; results are memoised.
  std::vector<std::string> Lemmas(const std::string& word);

 private:
  std::unique_ptr<Hunspell> hunspell_;
  std::mutex hunspell_mutex_;  // Hunspell objects are not thread-safe
  std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, std::vector<std::string>> cache_;
};

}  // namespace samrad::index::internal

#endif  // SAMRAD_INDEX_LEMMAS_H_
