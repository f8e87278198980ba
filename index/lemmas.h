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
  // The memo of Lemmas(): a word and its lemmas, each a length byte and its
  // bytes, back to back in bytes_; the lookup an open-addressing table of
  // entry numbers, at most half full. ~30 bytes a word against ~90 for a
  // map of strings to vectors of strings (#11: at N=100,000 the memo held
  // ~500,000 words, most with no lemma, and grew through the whole build).
  struct Entry {
    std::uint32_t offset = 0;  // of the word, in bytes_
    std::uint8_t word_bytes = 0;
    std::uint16_t lemma_bytes = 0;  // the packed lemmas after the word
  };
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  std::string_view WordOf(const Entry& e) const { return std::string_view(bytes_).substr(e.offset, e.word_bytes); }
  // The slot of `word` (hash `h`): its entry, or kEmpty where it would go.
  std::size_t Slot(std::string_view word, std::size_t h) const;
  void Memoise(const std::string& word, const std::vector<std::string>& lemmas);

  std::unique_ptr<Hunspell> hunspell_;
  std::mutex hunspell_mutex_;  // Hunspell objects are not thread-safe
  std::shared_mutex cache_mutex_;
  std::string bytes_;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> slots_;  // kEmpty or an entry number; a power of two of them
};

}  // namespace samrad::index::internal

#endif  // SAMRAD_INDEX_LEMMAS_H_
