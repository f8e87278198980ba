#include "index/lemmas.h"

#include <hunspell/hunspell.hxx>
#include <xapian.h>

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace samrad::index::internal {

namespace {

// The affix file without its compounding rules (every line that starts with
// "COMPOUND": COMPOUNDRULE, COMPOUNDBEGIN/MIDDLE/END, COMPOUNDMIN,
// COMPOUNDPERMITFLAG). ONLYINCOMPOUND stays, so a form that only occurs
// inside compounds is still not a word of its own.
//
// Why: Hunspell's compound check gives up after 1/20 s of process CPU time
// (clock(), which counts every thread of the process), so under load the
// same compound got a lemma in one build and none in the next (#11: an
// incremental index differed from a full build). Its compound stems are
// poor besides: "livsmedelsavfall" -> "livs", "vindkraftsetableringar" ->
// "vindetablering". Without compounding every answer is a dictionary lookup
// plus suffix rules, which has no time limit.
std::string AffixRulesWithoutCompounding(const std::string& aff_path) {
  std::ifstream in(aff_path, std::ios::binary);
  std::string out, line;
  while (std::getline(in, line)) {
    if (line.rfind("COMPOUND", 0) == 0) continue;
    out += line;
    out += '\n';
  }
  return out;
}

// Hunspell reads its affix file by path. The filtered rules go to an
// anonymous in-memory file (/proc/self/fd/N), or where that is not
// available to a temporary file; either is gone once Hunspell has read it.
std::unique_ptr<Hunspell> LoadWithoutCompounding(const std::string& aff_path, const std::string& dic_path) {
  const std::string rules = AffixRulesWithoutCompounding(aff_path);
  if (rules.empty()) return nullptr;
  auto write_all = [&](int fd) {
    for (size_t done = 0; done < rules.size();) {
      const ssize_t n = ::write(fd, rules.data() + done, rules.size() - done);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  };
  std::unique_ptr<Hunspell> hunspell;
  if (const int fd = ::memfd_create("samrad-aff", MFD_CLOEXEC); fd >= 0) {
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    std::error_code ec;
    if (write_all(fd) && std::filesystem::exists(path, ec)) {
      hunspell = std::make_unique<Hunspell>(path.c_str(), dic_path.c_str());
    }
    ::close(fd);
    if (hunspell) return hunspell;
  }
  std::error_code ec;
  std::string path = (std::filesystem::temp_directory_path(ec) / "samrad-aff-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return nullptr;
  if (write_all(fd)) hunspell = std::make_unique<Hunspell>(path.c_str(), dic_path.c_str());
  ::close(fd);
  std::filesystem::remove(path, ec);
  return hunspell;
}

// Swedish nouns whose plural changes the vowel (städer, länder, bönder,
// män): Snowball leaves "städer" as "städ", so the query "stad" missed them,
// and hunspell-sv lists some plurals as words of their own ("bostäder" ->
// "bostäder") or as another word's ("städerna" -> "städa"). On the bundled
// corpus, "bostad" missed 34 of the 55 passages saying "bostäder". Left
// out: plurals that are also common verb forms ("stänger", closes), and
// those hunspell-sv relates already ("händer" -> "hand", "tänder" ->
// "tand").
struct UmlautPlural {
  std::string_view lemma, plural;
};
constexpr UmlautPlural kUmlautPlurals[] = {
    {"stad", "städer"},       {"bostad", "bostäder"}, {"land", "länder"},     {"strand", "stränder"},
    {"brand", "bränder"},     {"rand", "ränder"},     {"and", "änder"},       {"fot", "fötter"},
    {"rot", "rötter"},        {"bok", "böcker"},      {"natt", "nätter"},     {"son", "söner"},
    {"bonde", "bönder"},      {"ledamot", "ledamöter"}, {"fader", "fäder"},  {"far", "fäder"},
    {"broder", "bröder"},     {"bror", "bröder"},     {"moder", "mödrar"},    {"mor", "mödrar"},
    {"dotter", "döttrar"},    {"man", "män"},         {"gås", "gäss"},        {"mus", "möss"},
};

// The lemmas of `word` if it is one of those plurals: the plural itself and
// its definite and genitive forms ("städer", "städerna", "städernas",
// "städers"; "män", "männen", "männens", "mäns").
void AddUmlautPluralLemmas(std::string_view word, std::vector<std::string>* out) {
  for (const UmlautPlural& u : kUmlautPlurals) {
    if (!word.starts_with(u.plural)) continue;
    const std::string_view ending = word.substr(u.plural.size());
    const bool er_or_ar = u.plural.ends_with("er") || u.plural.ends_with("ar");
    const bool ok = ending.empty() || ending == "s" ||
                    (er_or_ar ? ending == "na" || ending == "nas" : ending == "nen" || ending == "nens" ||
                                                                         ending == "en" || ending == "ens");
    if (ok) out->emplace_back(u.lemma);
  }
}

}  // namespace

Lemmatizer::Lemmatizer(const std::string& dictionary) {
  const std::string aff = dictionary + ".aff", dic = dictionary + ".dic";
  std::error_code ec;
  if (std::filesystem::exists(aff, ec) && std::filesystem::exists(dic, ec)) {
    hunspell_ = LoadWithoutCompounding(aff, dic);
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
  AddUmlautPluralLemmas(word, &stems);
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
