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
  {
    std::shared_lock lock(cache_mutex_);
    auto it = cache_.find(word);
    if (it != cache_.end()) return it->second;
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
  std::unique_lock lock(cache_mutex_);
  // A bounded memo: the vocabulary of a large corpus must not grow it forever.
  if (cache_.size() > (1u << 20)) cache_.clear();
  cache_.emplace(word, out);
  return out;
}

}  // namespace samrad::index::internal
