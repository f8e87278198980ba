#include "analysis/decompounder.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace samrad::analysis::internal {
namespace {

// Linking morphemes: kunskap-s-region, skol-e-chef (from skola), gat-u-kontor
// (gata), kyrk-o-gård (kyrka), and -a- in a few old compounds.
constexpr std::string_view kLinks = "seauo";

// Verb particles and prepositions that form lexicalised particle compounds
// and deverbal nouns ("mottagning", "underhåll", "framgång", "tillgång"):
// these are derivations from particle verbs, not compounds of two words, so
// they never begin a compound. Likewise the prefixes "sam-" ("samarbete",
// "samverkan") and "be-" ("bevattning"). "hem" is missing on purpose: as a
// first part it is the noun ("hembygd", "hemsjukvård").
// clang-format off
constexpr std::array<std::string_view, 40> kParticles = {
    "an", "av", "bak", "be", "bort", "efter", "emot", "fast", "fort", "fram",
    "från", "för", "före", "genom", "i", "igen", "in", "itu", "kvar", "med",
    "mot", "ned", "ner", "om", "omkring", "på", "runt", "sam", "samman", "sönder",
    "till", "tillbaka", "undan", "under", "upp", "ut", "utan", "åt", "åter", "över"};
// clang-format on

// Latinate derivational endings. A known word ending in one is not split
// inside the ending: "kombination" is not kombi + nation, "biologisk" not
// bio + logisk, "politik" not poli + tik.
constexpr std::array<std::string_view, 14> kLatinEndings = {
    "ation", "ition", "tion", "sion", "itet", "logisk", "logi",
    "isk",   "ism",   "ist",  "ell",  "ant",  "ent",    "ik"};

// Inflectional endings stripped to find the lexicon form of an inflected
// word that the lists do not list ("moderatorns" -> "moderator"), longest first.
constexpr std::array<std::string_view, 30> kInflections = {
    "arnas", "ernas", "ornas", "arna", "erna", "orna", "ens", "ets", "nas", "ars",
    "ers",   "ors",   "ade",   "en",   "et",   "na",   "ar",  "er",  "or",  "ns",
    "at",    "ad",    "de",    "te",   "s",    "n",    "t",   "a",   "e",   "r"};

// Derivational endings whose base is a lexicon word: "förtätning" is
// förtäta + -ning, not fört + ätning.
struct Derivation {
  std::string_view suffix, replacement;
};
constexpr std::array<Derivation, 9> kDerivations = {{{"ningarna", "a"},
                                                     {"ningar", "a"},
                                                     {"ningen", "a"},
                                                     {"ning", "a"},
                                                     {"erade", "era"},
                                                     {"erad", "era"},
                                                     {"erat", "era"},
                                                     {"ande", "a"},
                                                     {"are", "a"}}};

template <size_t N>
bool In(const std::array<std::string_view, N>& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsLink(char c) { return kLinks.find(c) != std::string_view::npos; }

size_t CommonPrefix(std::string_view a, std::string_view b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

// The strength a split needs (step 3 of the header comment).
constexpr int kNeedListed = 4;
constexpr int kNeedKnown = 3;
constexpr int kNeedUnknown = 2;

// Score weights (step 4).
constexpr double kFrequencyWeight = 0.3;
constexpr double kLinkBonus = 0.5;
constexpr double kNestedPenalty = 0.5;

}  // namespace

Decompounder::Decompounder(const Lexicon* lexicon, const StringSet* stop_words,
                           const StringMap<uint64_t>* frequencies, DecompounderOptions options)
    : lex_(lexicon), stop_(stop_words), freq_(frequencies), options_(options) {}

bool Decompounder::IsWord(std::string_view w) const {
  return (lex_->Flags(w) & (Lexicon::kStemWord | Lexicon::kListed)) != 0;
}

uint64_t Decompounder::Frequency(std::string_view w) const {
  if (freq_ == nullptr) return 0;
  auto it = freq_->find(w);
  return it == freq_->end() ? 0 : it->second;
}

int Decompounder::LexLevel(std::string_view w) const {
  uint16_t fl = lex_->Flags(w);
  if (fl & Lexicon::kListed) return kNeedListed;
  if (fl & (Lexicon::kStemWord | Lexicon::kHunspellWord)) return kNeedKnown;
  return 0;
}

int Decompounder::Need(std::string_view w) const {
  int best = LexLevel(w);
  if (best == kNeedListed) return best;
  // An inflection or derivation of a listed word counts as listed: Hunspell
  // may know "samarbeten" only as a form, the word list has "samarbete".
  std::string candidate;
  size_t chars = CountChars(w);
  for (std::string_view e : kInflections) {
    if (!EndsWith(w, e) || chars < e.size() + 4) continue;
    std::string_view base = w.substr(0, w.size() - e.size());
    for (std::string_view tail : {"", "a", "e", "um", "o"}) {
      candidate.assign(base);
      candidate += tail;
      best = std::max(best, LexLevel(candidate));
    }
  }
  for (const Derivation& d : kDerivations) {
    if (!EndsWith(w, d.suffix) || chars < d.suffix.size() + 3) continue;
    candidate.assign(w.substr(0, w.size() - d.suffix.size()));
    candidate += d.replacement;
    best = std::max(best, LexLevel(candidate));
  }
  return best != 0 ? best : kNeedUnknown;
}

int Decompounder::HeadStrength(std::string_view h) const {
  size_t chars = CountChars(h);
  if (chars < static_cast<size_t>(options_.min_part_chars)) return 0;
  if (Contains(*stop_, h)) return 0;
  const Lexicon::Entry* e = lex_->Find(h);
  if (e == nullptr || (e->flags & Lexicon::kSuffixLike)) return 0;
  if (e->flags & Lexicon::kEnd) return 2;
  if (!(e->flags & (Lexicon::kStemWord | Lexicon::kListed))) return 0;
  if (chars >= static_cast<size_t>(options_.free_part_chars)) return 1;
  if (e->head_productivity >= options_.min_part_productivity || Frequency(h) > 0) return 1;
  return 0;
}

bool Decompounder::WeakFirst(std::string_view a, std::string_view key) const {
  size_t chars = CountChars(a);
  if (chars < 2 || Contains(*stop_, a) || In(kParticles, a)) return false;
  uint16_t fl = lex_->Flags(a);
  // A dictionary stem, or a listed word that Hunspell does not know as an
  // inflected form: "sköter" (present tense of sköta) is no first part.
  bool inflected = (fl & Lexicon::kForm) && !(fl & Lexicon::kStem);
  if (!(fl & Lexicon::kStemWord) && !((fl & Lexicon::kListed) && !inflected)) return false;
  const Lexicon::Entry* ke = lex_->Find(key);
  int productivity = ke == nullptr ? 0 : ke->first_productivity;
  if (chars < static_cast<size_t>(options_.min_part_chars)) {
    return productivity >= options_.min_short_part_productivity && Frequency(a) > 0;
  }
  if (chars >= static_cast<size_t>(options_.free_part_chars)) return true;
  return productivity >= options_.min_part_productivity || Frequency(a) > 0;
}

std::string Decompounder::LemmaOfCompoundingForm(std::string_view form) const {
  std::string s;
  if (CountChars(form) > 2 && IsLink(form.back()) && IsWord(form.substr(0, form.size() - 1))) {
    return std::string(form.substr(0, form.size() - 1));  // kunskaps -> kunskap
  }
  if (IsWord(form)) return std::string(form);
  if (const Lexicon::Entry* e = lex_->Find(form); e != nullptr && e->lemma != Lexicon::kNoLemma) {
    std::string_view lemma = lex_->Key(lex_->At(e->lemma));
    size_t keep = form.size() > 2 ? form.size() - 2 : 0;
    if (lemma.substr(0, keep) == form.substr(0, keep)) return std::string(lemma);
  }
  for (char v : {'a', 'e'}) {  // skol -> skola, lärar -> lärare
    s.assign(form);
    s.push_back(v);
    if (IsWord(s)) return s;
  }
  if (IsLink(form.back())) {  // gatu -> gata, arbets -> arbete
    for (char v : {'a', 'e'}) {
      s.assign(form.substr(0, form.size() - 1));
      s.push_back(v);
      if (IsWord(s)) return s;
    }
  }
  return std::string(form);
}

void Decompounder::FirstCandidates(std::string_view prefix, std::vector<Candidate>* out) const {
  out->clear();
  if (In(kParticles, prefix) || Contains(*stop_, prefix)) return;
  size_t chars = CountChars(prefix);
  uint16_t fl = lex_->Flags(prefix);
  if ((fl & (Lexicon::kBegin | Lexicon::kMiddle)) &&
      (chars >= static_cast<size_t>(options_.min_part_chars) || WeakFirst(prefix, prefix))) {
    out->push_back({LemmaOfCompoundingForm(prefix), 2});
  }
  if (WeakFirst(prefix, prefix)) out->push_back({std::string(prefix), 1});
  if (chars > 2) {
    std::string_view stem = prefix.substr(0, prefix.size() - 1);
    char last = prefix.back();
    // A linking -s- after a word (not after s or x: "gods", "lax").
    if (last == 's' && stem.back() != 's' && stem.back() != 'x' && WeakFirst(stem, stem)) {
      out->push_back({std::string(stem), 1});
    }
    // -e/-u/-o replacing a final -a: skole-, gatu-, kyrko-.
    if (last == 'e' || last == 'u' || last == 'o') {
      std::string lemma = std::string(stem) + "a";
      if (WeakFirst(lemma, stem)) out->push_back({std::move(lemma), 1});
    }
    // -s replacing a final -e: arbets- (arbete).
    if (last == 's') {
      std::string lemma = std::string(stem) + "e";
      if (WeakFirst(lemma, stem)) out->push_back({std::move(lemma), 1});
    }
  }
  if (chars >= 3) {  // a dropped final vowel: läx- (läxa), ladd- (ladda)
    for (char v : {'a', 'e'}) {
      std::string lemma = std::string(prefix) + v;
      if (WeakFirst(lemma, prefix)) out->push_back({std::move(lemma), 1});
    }
  }
}

bool Decompounder::LatinBlock(std::string_view word, std::string_view head) const {
  size_t head_chars = CountChars(head);
  auto check = [&](std::string_view base, size_t ending_chars) {
    for (std::string_view s : kLatinEndings) {
      if (EndsWith(base, s) && head_chars >= ending_chars &&
          head_chars - ending_chars < s.size() + 2) {
        return true;
      }
    }
    return false;
  };
  if (check(word, 0)) return true;
  for (std::string_view e : kInflections) {
    if (EndsWith(word, e) && check(word.substr(0, word.size() - e.size()), e.size())) return true;
  }
  return false;
}

const std::optional<Decompounder::Split>& Decompounder::DecomposeMemo(std::string_view w,
                                                                      Memo* memo) const {
  if (auto it = memo->find(w); it != memo->end()) return it->second;
  std::optional<Split> result;

  const int need = Need(w);
  const bool unknown = need == kNeedUnknown;
  // Byte offset of every character.
  std::vector<size_t> starts;
  for (size_t i = 0; i < w.size(); ++i) {
    if ((static_cast<unsigned char>(w[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  struct Best {
    double score = 0;
    size_t cut = 0;
    std::string lemma;
  };
  std::optional<Best> best;
  std::vector<Candidate> candidates;
  for (size_t k = 1; k + 3 <= starts.size(); ++k) {
    std::string_view prefix = w.substr(0, starts[k]);
    std::string_view head = w.substr(starts[k]);
    int head_strength = HeadStrength(head);
    bool nested_head = false;
    // In an unknown word the head may itself be an unlisted compound
    // ("hundra" + "årsregn").
    if (head_strength == 0 && unknown && !IsWord(head) && DecomposeMemo(head, memo).has_value()) {
      head_strength = 1;
      nested_head = true;
    }
    if (head_strength == 0) continue;
    if (!unknown && LatinBlock(w, head)) continue;
    FirstCandidates(prefix, &candidates);
    if (candidates.empty() && unknown && !In(kParticles, prefix)) {
      // Likewise the first part, with or without a linking letter ("läxhjälps").
      std::vector<std::string_view> lemmas = {prefix};
      if (IsLink(prefix.back())) lemmas.push_back(prefix.substr(0, prefix.size() - 1));
      for (std::string_view lemma : lemmas) {
        if (!IsWord(lemma) && CountChars(lemma) >= 4 && DecomposeMemo(lemma, memo).has_value()) {
          candidates.push_back({std::string(lemma), 1});
        }
      }
    }
    for (const Candidate& c : candidates) {
      if (c.strength + head_strength < need) continue;
      bool link = prefix.size() > CommonPrefix(prefix, c.lemma) && IsLink(prefix.back());
      double score = c.strength + head_strength +
                     kFrequencyWeight * (std::log1p(static_cast<double>(Frequency(head))) +
                                         std::log1p(static_cast<double>(Frequency(c.lemma)))) +
                     (link ? kLinkBonus : 0.0) - (nested_head ? kNestedPenalty : 0.0);
      if (!best || score > best->score) best = Best{score, starts[k], c.lemma};
    }
  }

  if (best) {
    std::string_view prefix = w.substr(0, best->cut);
    std::string_view head = w.substr(best->cut);
    Parts parts;
    // Decompose the first part's lemma and map its parts back onto the
    // surface: "lastbils" -> lemma "lastbil" -> last + bil -> "last", "bils".
    const std::optional<Split>* left =
        best->lemma != w ? &DecomposeMemo(best->lemma, memo) : nullptr;
    if (left != nullptr && left->has_value()) {
      size_t common = CommonPrefix(prefix, best->lemma);
      size_t pos = 0;
      const Parts& lp = (*left)->parts;
      for (size_t k = 0; k < lp.size(); ++k) {
        if (pos + lp[k].surface.size() <= common && k + 1 < lp.size()) {
          parts.push_back(lp[k]);
          pos += lp[k].surface.size();
        } else {
          parts.push_back({std::string(prefix.substr(pos)), lp[k].lemma});
          pos = prefix.size();
          break;
        }
      }
      bool ok = pos == prefix.size();
      for (const CompoundPart& p : parts) ok = ok && !p.surface.empty();
      if (!ok) parts = {{std::string(prefix), best->lemma}};
    } else {
      parts.push_back({std::string(prefix), best->lemma});
    }
    const std::optional<Split>& right = DecomposeMemo(head, memo);
    if (right.has_value()) {
      parts.insert(parts.end(), right->parts.begin(), right->parts.end());
    } else {
      parts.push_back({std::string(head), std::string(head)});
    }
    result = Split{std::move(parts), best->cut};
  }
  return memo->emplace(std::string(w), std::move(result)).first->second;
}

Decompounder::Decomposition Decompounder::Decompose(std::string_view word) const {
  Memo memo;
  const std::optional<Split>& split = DecomposeMemo(word, &memo);
  if (!split.has_value()) return {};
  return {split->parts, split->cut};
}

}  // namespace samrad::analysis::internal
