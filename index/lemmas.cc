#include "index/lemmas.h"

#include <hunspell/hunspell.hxx>
#include <xapian.h>

#include <algorithm>
#include <filesystem>

namespace samrad::index::internal {

Lemmatizer::Lemmatizer(const std::string& dictionary) {
  const std::string aff = dictionary + ".aff", dic = dictionary + ".dic";
  std::error_code ec;
  if (std::filesystem::exists(aff, ec) && std::filesystem::exists(dic, ec)) {
    hunspell_ = std::make_unique<Hunspell>(aff.c_str(), dic.c_str());
  }
}

Lemmatizer::~Lemmatizer() = default;

std::vector<std::string> Lemmatizer::Lemmas(const std::string& word) {
  if (!hunspell_ || word.size() < 3 || word.size() > 100) return {};
  const std::size_t hash = StringIds::Hash(word);  // for the memo's lookup and, on a miss, its insert
  {
    std::shared_lock lock(cache_mutex_);
    if (const std::uint32_t id = words_.Find(word, hash); id != StringIds::kNoId) {
      std::vector<std::string> out;
      const std::uint32_t at = lemmas_at_[id];
      if (at == kNoLemmas) return out;
      const std::size_t size = static_cast<unsigned char>(lemma_bytes_[at]) |
                               static_cast<std::size_t>(static_cast<unsigned char>(lemma_bytes_[at + 1])) << 8;
      const std::string_view packed = std::string_view(lemma_bytes_).substr(at + 2, size);
      for (std::size_t i = 0; i < packed.size();) {
        const std::size_t n = static_cast<unsigned char>(packed[i]);
        out.emplace_back(packed.substr(i + 1, n));
        i += 1 + n;
      }
      return out;
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
  Memoise(word, hash, out);
  return out;
}

void Lemmatizer::Memoise(const std::string& word, std::size_t hash, const std::vector<std::string>& lemmas) {
  std::string packed;
  for (const std::string& l : lemmas) {
    if (l.size() > 255) return;  // not memoised: asked of Hunspell again
    packed.push_back(static_cast<char>(l.size()));
    packed += l;
  }
  if (packed.size() > 0xFFFF) return;
  std::unique_lock lock(cache_mutex_);
  // A bounded memo: the vocabulary of a large corpus must not grow it forever.
  if (words_.size() >= (std::size_t{1} << 20)) {
    words_ = StringIds();
    std::vector<std::uint32_t>().swap(lemmas_at_);
    std::string().swap(lemma_bytes_);
  }
  const std::uint32_t id = words_.Intern(word, hash);
  if (id < lemmas_at_.size()) return;  // another thread memoised it first
  if (packed.empty()) {
    lemmas_at_.push_back(kNoLemmas);
    return;
  }
  lemmas_at_.push_back(static_cast<std::uint32_t>(lemma_bytes_.size()));
  lemma_bytes_.push_back(static_cast<char>(packed.size() & 0xFF));
  lemma_bytes_.push_back(static_cast<char>(packed.size() >> 8));
  lemma_bytes_ += packed;
}

}  // namespace samrad::index::internal
