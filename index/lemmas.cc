#include "index/lemmas.h"

#include <hunspell/hunspell.hxx>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <functional>

namespace samrad::index::internal {

Lemmatizer::Lemmatizer(const std::string& dictionary) {
  const std::string aff = dictionary + ".aff", dic = dictionary + ".dic";
  std::error_code ec;
  if (std::filesystem::exists(aff, ec) && std::filesystem::exists(dic, ec)) {
    hunspell_ = std::make_unique<Hunspell>(aff.c_str(), dic.c_str());
  }
}

Lemmatizer::~Lemmatizer() = default;

std::size_t Lemmatizer::Slot(std::string_view word, std::size_t h) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = h & mask;
  while (slots_[i] != kEmpty && WordOf(entries_[slots_[i]]) != word) i = (i + 1) & mask;
  return i;
}

std::vector<std::string> Lemmatizer::Lemmas(const std::string& word) {
  if (!hunspell_ || word.size() < 3 || word.size() > 100) return {};
  const std::size_t h = std::hash<std::string_view>{}(word);
  {
    std::shared_lock lock(cache_mutex_);
    if (!slots_.empty()) {
      if (const std::uint32_t k = slots_[Slot(word, h)]; k != kEmpty) {
        std::vector<std::string> out;
        const Entry& e = entries_[k];
        const std::string_view packed = std::string_view(bytes_).substr(e.offset + e.word_bytes, e.lemma_bytes);
        for (std::size_t i = 0; i < packed.size();) {
          const std::size_t n = static_cast<unsigned char>(packed[i]);
          out.emplace_back(packed.substr(i + 1, n));
          i += 1 + n;
        }
        return out;
      }
    }
  }
  std::vector<std::string> stems;
  {
    std::lock_guard lock(hunspell_mutex_);
    stems = hunspell_->stem(word);
  }
  std::vector<std::string> out;
  for (std::string& s : stems) {
    s = Xapian::Unicode::tolower(s);
    if (s != word && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end());  // Hunspell's order is not part of our output
  Memoise(word, out);
  return out;
}

void Lemmatizer::Memoise(const std::string& word, const std::vector<std::string>& lemmas) {
  std::string packed;
  for (const std::string& l : lemmas) {
    if (l.size() > 255) return;  // not memoised: asked of Hunspell again
    packed.push_back(static_cast<char>(l.size()));
    packed += l;
  }
  if (packed.size() > 0xFFFF) return;
  const std::size_t h = std::hash<std::string_view>{}(word);
  std::unique_lock lock(cache_mutex_);
  // A bounded memo: the vocabulary of a large corpus must not grow it forever.
  if (entries_.size() >= (std::size_t{1} << 20)) {
    std::string().swap(bytes_);
    std::vector<Entry>().swap(entries_);
    std::vector<std::uint32_t>().swap(slots_);
  }
  if (2 * (entries_.size() + 1) > slots_.size()) {
    std::size_t n = 1024;
    while (n < 4 * (entries_.size() + 1)) n *= 2;
    slots_.assign(n, kEmpty);
    for (std::uint32_t k = 0; k < entries_.size(); ++k) {
      const std::string_view w = WordOf(entries_[k]);
      slots_[Slot(w, std::hash<std::string_view>{}(w))] = k;
    }
  }
  const std::size_t i = Slot(word, h);
  if (slots_[i] != kEmpty) return;  // another thread memoised it first
  slots_[i] = static_cast<std::uint32_t>(entries_.size());
  entries_.push_back({static_cast<std::uint32_t>(bytes_.size()), static_cast<std::uint8_t>(word.size()),
                      static_cast<std::uint16_t>(packed.size())});
  bytes_ += word;
  bytes_ += packed;
}

}  // namespace samrad::index::internal
