// Key phrases over compact token ids; phrases.h lists the steps. Each step
// below names the step of analysis::ExtractKeyPhrases (analysis/keyphrases.cc)
// it mirrors: a change there must be made here too (the reference test in
// tests/reports fails otherwise).
#include "reports/phrases.h"

#include "reports/passage_store.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace samrad::reports::internal {
namespace {

std::uint32_t CountChars(std::string_view s) {
  std::uint32_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// method.cc's PhraseKey of one norm: the stem of each space-separated piece.
std::string NormKey(const std::string& norm, const analysis::Analyzer& analyzer) {
  std::string key;
  size_t start = 0;
  while (start <= norm.size()) {
    size_t end = norm.find(' ', start);
    if (end == std::string::npos) end = norm.size();
    if (end > start) {
      if (!key.empty()) key += ' ';
      key += analyzer.Stem(std::string_view(norm).substr(start, end - start));
    }
    start = end + 1;
  }
  return key;
}

// The key of a word in PhraseTokens::word_keys_: flags 1 nonstop, 2 inner, 4 compound.
void WordKey(std::string_view norm, std::string_view stem, int flags, std::string* key) {
  key->assign(norm).append(1, '\x1f').append(stem).append(1, '\x1f').append(1, static_cast<char>('0' + flags));
}

}  // namespace

std::size_t IdTupleHash::operator()(const IdTuple& t) const {
  std::uint64_t h = 0x9E3779B97F4A7C15ull;
  for (std::uint32_t x : t) {
    h ^= x;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  return static_cast<std::size_t>(h);
}

std::vector<PhraseTokens::ReducedToken> PhraseTokens::Reduce(const std::vector<analysis::Token>& tokens) {
  std::vector<ReducedToken> out;
  out.reserve(tokens.size());
  for (const analysis::Token& t : tokens) {
    // ExtractKeyPhrases' IsContent without the length, and IsInner.
    const bool word = t.kind == analysis::TokenKind::kWord;
    const bool nonstop = !t.stop && (word || t.kind == analysis::TokenKind::kAlphanumeric);
    const bool inner = word && t.stop;
    if (!nonstop && !inner) {
      if (out.empty() || out.back().flags != 0) out.emplace_back();  // one break for a run of them
      continue;
    }
    ReducedToken r;
    r.norm = t.norm;
    r.stem = t.stem;
    r.chars = CountChars(t.norm);
    r.flags = static_cast<std::uint8_t>((nonstop ? 1 : 0) | (inner ? 2 : 0) | (t.parts.empty() ? 0 : 4) |
                                        (t.clause_start ? 8 : 0));
    out.push_back(std::move(r));
  }
  return out;
}

void PhraseTokens::Add(const std::vector<analysis::Token>& tokens, const analysis::Analyzer& analyzer) {
  Add(Reduce(tokens), analyzer);
}

void PhraseTokens::Add(const std::vector<ReducedToken>& tokens, const analysis::Analyzer& analyzer) {
  std::vector<std::uint32_t> ids;
  ids.reserve(tokens.size());
  for (const ReducedToken& r : tokens) ids.push_back(TokenId(r.norm, r.stem, r.chars, r.flags, analyzer));
  AppendPassage(ids);
}

std::uint32_t PhraseTokens::TokenId(std::string_view norm, std::string_view stem, std::uint32_t chars,
                                    std::uint8_t flags, const analysis::Analyzer& analyzer) {
  if (flags == 0) return kBreak;
  if (word_keys_.size() != words.size()) {  // released
    std::string key;
    for (const PhraseWord& w : words) {
      WordKey(strings[w.norm], strings[w.stem], (w.nonstop ? 1 : 0) | (w.inner ? 2 : 0) | (w.compound ? 4 : 0), &key);
      word_keys_.Intern(key);
    }
  }
  const std::uint8_t word_flags = flags & 7;
  WordKey(norm, stem, word_flags, &key_);
  const std::uint32_t id = word_keys_.Intern(key_);
  if (id == words.size()) {  // a new word
    PhraseWord w;
    w.norm = strings.Intern(norm);
    w.stem = strings.Intern(stem);
    w.chars = chars;
    w.nonstop = (word_flags & 1) != 0;
    w.inner = (word_flags & 2) != 0;
    w.compound = (word_flags & 4) != 0;
    if (norm_key.size() < strings.size()) norm_key.resize(strings.size(), kNoId);
    if (norm_key[w.norm] == kNoId) {
      const std::uint32_t k = strings.Intern(NormKey(std::string(norm), analyzer));
      if (norm_key.size() < strings.size()) norm_key.resize(strings.size(), kNoId);
      norm_key[w.norm] = k;
    }
    words.push_back(w);
  }
  return id | ((flags & 8) != 0 ? kClauseStart : 0u);
}

void PhraseTokens::AppendPassage(std::span<const std::uint32_t> token_ids) {
  passages.Append(token_ids.begin(), token_ids.end());
}

void PhraseTokens::ReleaseLookups() {
  word_keys_ = StringIds();
  strings.ReleaseLookup();
}

std::size_t PhraseTokens::MemoryBytes() const {
  std::size_t n = words.capacity() * sizeof(PhraseWord) + norm_key.capacity() * 4;
  n += passages.MemoryBytes();
  n += strings.MemoryBytes() + word_keys_.MemoryBytes();
  return n;
}

PhraseExtractor::PhraseExtractor(const PhraseTokens& tokens) : t_(tokens) {}

std::size_t PhraseExtractor::TokensOf(const std::vector<std::size_t>& passages) const {
  std::size_t tokens = 0;
  for (std::size_t p : passages) tokens += t_.passages[p].size();
  return tokens;
}

std::string PhraseExtractor::Text(const IdTuple& surface) const {
  std::string s;
  AppendText(surface, &s);
  return s;
}

IdTuple PhraseExtractor::Key(const IdTuple& surface) const {
  IdTuple k{kNoId, kNoId, kNoId};
  for (size_t i = 0; i < 3 && surface[i] != kNoId; ++i) k[i] = t_.norm_key[surface[i]];
  return k;
}

int PhraseExtractor::CompareText(const IdTuple& a, const IdTuple& b) const {
  // In two buffers reused from call to call: sorting a large topic's groups
  // compares many.
  AppendText(a, &text_a_);
  AppendText(b, &text_b_);
  return text_a_.compare(text_b_);
}

void PhraseExtractor::AppendText(const IdTuple& surface, std::string* out) const {
  out->clear();
  for (std::uint32_t id : surface) {
    if (id == kNoId) break;
    if (!out->empty()) out->push_back(' ');
    out->append(t_.strings[id]);
  }
}

PhraseExtractor::Candidate& PhraseExtractor::CandidateOf(const IdTuple& key) {
  if ((keys_.size() + 1) * 2 > slots_.size()) {
    slots_.assign(std::max<std::size_t>(64, slots_.size() * 2), kEmptySlot);
    const std::size_t mask = slots_.size() - 1;
    for (std::uint32_t c = 0; c < keys_.size(); ++c) {
      std::size_t i = IdTupleHash{}(keys_[c]) & mask;
      while (slots_[i] != kEmptySlot) i = (i + 1) & mask;
      slots_[i] = c;
    }
  }
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = IdTupleHash{}(key) & mask;; i = (i + 1) & mask) {
    const std::uint32_t c = slots_[i];
    if (c == kEmptySlot) {
      slots_[i] = static_cast<std::uint32_t>(keys_.size());
      keys_.push_back(key);
      return cands_.emplace_back();
    }
    if (keys_[c] == key) return cands_[c];
  }
}

void PhraseExtractor::ClearCandidates() {
  // Small tables are kept for the next call (one call per passage in
  // FindPhrases); a topic's are freed, or each thread would keep the largest.
  if (slots_.size() > (std::size_t{1} << 14)) {
    std::vector<IdTuple>().swap(keys_);
    std::vector<Candidate>().swap(cands_);
    std::vector<std::uint32_t>().swap(slots_);
    std::vector<Spelling>().swap(spellings_);
  } else {
    keys_.clear();
    cands_.clear();
    std::fill(slots_.begin(), slots_.end(), kEmptySlot);
    spellings_.clear();
  }
}

void PhraseExtractor::Collect(const std::vector<std::size_t>& passages, const analysis::KeyPhraseOptions& o,
                              std::vector<PhraseGroup>* out, int at_least) {
  out->clear();
  const int max_words = std::clamp(o.max_words, 1, 3);
  const int min_words = std::clamp(o.min_words, 1, max_words);
  ClearCandidates();
  if (word_counts_.size() < t_.strings.size()) word_counts_.resize(t_.strings.size(), 0);
  for (std::uint32_t s : touched_) word_counts_[s] = 0;
  touched_.clear();

  // Every candidate occurrence in passage order: fn(d, key, surface, words,
  // content mask). `first(w)` is called for each content word a candidate
  // may start at.
  auto walk = [&](auto&& first, auto&& fn) {
    PagePacer pacer(pages);
    for (size_t d = 0; d < passages.size(); ++d) {
      pacer.Next(passages[d]);
      const std::span<const std::uint32_t> toks = t_.passages[passages[d]];
      for (size_t i = 0; i < toks.size(); ++i) {
        if (toks[i] == PhraseTokens::kBreak) continue;
        const PhraseWord& w0 = t_.words[toks[i] & ~PhraseTokens::kClauseStart];
        if (!Content(w0, o)) continue;
        first(w0);
        IdTuple key{kNoId, kNoId, kNoId}, surface{kNoId, kNoId, kNoId};
        std::uint8_t mask = 0;
        for (int n = 1; n <= max_words && i + static_cast<size_t>(n) <= toks.size(); ++n) {
          const std::uint32_t tok = toks[i + static_cast<size_t>(n) - 1];
          if (tok == PhraseTokens::kBreak) break;
          if (n > 1 && (tok & PhraseTokens::kClauseStart) != 0) break;
          const PhraseWord& w = t_.words[tok & ~PhraseTokens::kClauseStart];
          const bool is_content = Content(w, o);
          if (!is_content && !(w.inner && n < max_words)) break;
          key[static_cast<size_t>(n - 1)] = w.stem;
          surface[static_cast<size_t>(n - 1)] = w.norm;
          if (is_content) mask = static_cast<std::uint8_t>(mask | (1u << (n - 1)));
          if (!is_content || n < min_words) continue;
          if (n == 1 && o.single_words_must_be_compounds && !w.compound) continue;
          fn(d, key, surface, n, mask);
        }
      }
    }
  };

  // Step 0 (#11): over many passages most candidates occur once, and one
  // that occurs fewer than max(min_count, min_doc_count, at_least) times is
  // never scored. When that is 2 or more, every key is first counted in a
  // sketch (two rows of saturating counters, a key counted in one cell of
  // each; a cell's count is at least that of each key in it), and only keys
  // that both rows count that often become candidates. What is scored and
  // returned is the same; the candidates map holds a fraction of the keys.
  // Up to 3 a counter takes 2 bits, four to a byte (the sketch of the
  // largest topic at N=20,000 was 16 MB with a byte each); above, a byte
  // saturating at 255 (more is not needed: the exact counts decide), in
  // rows a quarter as long, since a high floor is rarely reached by keys
  // that only share a cell.
  const std::size_t tokens = TokensOf(passages);
  const int least = std::max({o.min_count, o.min_doc_count, at_least});
  const bool prefilter = least >= 2 && tokens >= prefilter_tokens;
  const unsigned cap = static_cast<unsigned>(std::min(least, 255));
  const bool bytes = cap > 3;
  std::vector<std::uint8_t> sketch;
  auto count_of = [&](std::size_t cell) -> unsigned {
    if (bytes) return sketch[cell];
    return (sketch[cell >> 2] >> ((cell & 3) * 2)) & 3;
  };
  auto count = [&](std::size_t cell) {
    if (count_of(cell) >= cap) return;
    if (bytes) {
      ++sketch[cell];
    } else {
      sketch[cell >> 2] = static_cast<std::uint8_t>(sketch[cell >> 2] + (1u << ((cell & 3) * 2)));
    }
  };
  std::size_t mask_bits = 0;
  auto cells = [&](const IdTuple& key) {
    const std::size_t h = IdTupleHash{}(key);
    const std::size_t row = mask_bits + 1;
    return std::pair<std::size_t, std::size_t>(h & mask_bits, row + (((h >> 32) ^ (h >> 7)) & mask_bits));
  };
  if (prefilter) {
    std::size_t row = 64;
    while (row < (bytes ? tokens / 2 : 2 * tokens)) row <<= 1;
    mask_bits = row - 1;
    sketch.assign(bytes ? 2 * row : (2 * row + 3) / 4, 0);
    walk([](const PhraseWord&) {},
         [&](size_t, const IdTuple& key, const IdTuple&, int, std::uint8_t) {
           const auto [a, b] = cells(key);
           count(a);
           count(b);
         });
  }

  // Step 1 and 2: candidates by stem sequence, their counts and spellings.
  walk([&](const PhraseWord& w0) {
         if (word_counts_[w0.stem]++ == 0) touched_.push_back(w0.stem);
       },
       [&](size_t d, const IdTuple& key, const IdTuple& surface, int n, std::uint8_t mask) {
         if (prefilter) {
           const auto [a, b] = cells(key);
           if (count_of(a) < cap || count_of(b) < cap) return;
         }
         Candidate& c = CandidateOf(key);
         ++c.count;
         if (c.last_doc != static_cast<std::uint32_t>(d)) {
           c.last_doc = static_cast<std::uint32_t>(d);
           ++c.doc_count;
         }
         if (c.words == 0) {
           c.words = n;
           c.content_mask = mask;
         }
         if (c.surface_count == 0 || c.surface == surface) {
           c.surface = surface;
           ++c.surface_count;
         } else {
           // The list's order does not matter: the most frequent spelling
           // wins, ties by byte order (below).
           std::uint32_t m = c.more;
           while (m != kNoMore && spellings_[m].surface != surface) m = spellings_[m].next;
           if (m == kNoMore) {
             spellings_.push_back({surface, 1, c.more});
             c.more = static_cast<std::uint32_t>(spellings_.size() - 1);
           } else {
             ++spellings_[m].count;
           }
         }
       });
  std::vector<std::uint8_t>().swap(sketch);

  // Step 3: score the candidates that are frequent enough.
  struct Scored {
    const IdTuple* key;
    const Candidate* c;
    double score;
  };
  std::vector<Scored> scored;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const IdTuple& k = keys_[i];
    const Candidate& c = cands_[i];
    if (c.count < least || c.doc_count < o.min_doc_count) continue;
    double association = 1.0;
    int content = 0;
    for (int b = 0; b < c.words; ++b) content += (c.content_mask >> b) & 1;
    if (content > 1) {
      double sum = 0;
      for (int b = 0; b < c.words; ++b) {
        if ((c.content_mask >> b) & 1) sum += word_counts_[k[static_cast<size_t>(b)]];
      }
      association = static_cast<double>(content) * c.count / sum;
    }
    scored.push_back({&k, &c, c.count * c.words * association});
  }

  // Step 4: a phrase mostly seen inside a longer one goes.
  scored_index_.clear();
  for (size_t a = 0; a < scored.size(); ++a) scored_index_.emplace(*scored[a].key, a);
  std::vector<bool> dropped(scored.size(), false);
  for (const Scored& longer : scored) {
    const int n = longer.c->words;
    if (n < 2) continue;
    for (int b = 0; b < n; ++b) {
      for (int e = b + 1; e <= n; ++e) {
        if (e - b == n) continue;
        IdTuple sub{kNoId, kNoId, kNoId};
        for (int i = b; i < e; ++i) sub[static_cast<size_t>(i - b)] = (*longer.key)[static_cast<size_t>(i)];
        auto it = scored_index_.find(sub);
        if (it == scored_index_.end()) continue;
        if (longer.c->count >= o.subsumed_share * scored[it->second].c->count) dropped[it->second] = true;
      }
    }
  }

  for (size_t a = 0; a < scored.size(); ++a) {
    if (dropped[a]) continue;
    const Candidate& c = *scored[a].c;
    // The most frequent spelling; ties go to the smallest in byte order.
    IdTuple best = c.surface;
    int best_count = c.surface_count;
    for (std::uint32_t m = c.more; m != kNoMore; m = spellings_[m].next) {
      const Spelling& sp = spellings_[m];
      if (sp.count > best_count || (sp.count == best_count && CompareText(sp.surface, best) < 0)) {
        best = sp.surface;
        best_count = sp.count;
      }
    }
    PhraseGroup g;
    g.stems = *scored[a].key;
    g.surface = best;
    g.words = c.words;
    g.count = c.count;
    g.doc_count = c.doc_count;
    g.score = scored[a].score;
    out->push_back(g);
  }
  if (slots_.size() > (std::size_t{1} << 14)) ClearCandidates();
}

std::vector<analysis::KeyPhrase> PhraseExtractor::Extract(const std::vector<std::size_t>& passages,
                                                          const analysis::KeyPhraseOptions& options,
                                                          std::vector<PhraseGroup>* groups) {
  // ExtractKeyPhrases' order: score, then count, descending, then the
  // phrase's text. Only the phrases kept get their text: a large topic has
  // hundreds of thousands of groups, and a string each for all of them set
  // the reports' peak at N=100,000 (#11). Groups equal in all three keep
  // the order they were found in.
  std::vector<PhraseGroup> all;
  const auto before = [&](std::uint32_t a, std::uint32_t b) {
    const PhraseGroup& x = all[a];
    const PhraseGroup& y = all[b];
    if (x.score != y.score) return x.score > y.score;
    if (x.count != y.count) return x.count > y.count;
    if (x.surface != y.surface) {
      if (const int c = CompareText(x.surface, y.surface); c != 0) return c < 0;
    }
    return a < b;
  };

  // A floor on the count (#11). A large topic has hundreds of thousands of
  // candidates seen twice or more (490,000 in the largest at N=100,000,
  // ~100 MB of tables), and returns the best 80, seen thousands of times.
  // A phrase's score is count x words x association, and association is at
  // most 1 (each content word is seen at least as often as the phrase), so
  // one seen fewer than C times scores at most max_words x (C - 1). So:
  //  - collect only candidates seen at least share x C times (Collect's
  //    at_least), the least a longer phrase needs to drop one seen C times;
  //  - keep the groups seen at least C times: whether each is dropped is
  //    exact, and their order among themselves is;
  //  - when max_phrases of them score above max_words x (C - 1), no phrase
  //    seen less often can rank among them: that is the result.
  //  - Else, with max_phrases of them the true last score is at least the
  //    last score S found (the true set holds these), so C = S / max_words
  //    proves it the next time; with fewer, count from the options' floor.
  // The first C is a share of the tokens: the phrases that rank grow with
  // the topic (at N=100,000 the 80th scored about tokens / 1,600).
  const int max_words = std::clamp(options.max_words, 1, 3);
  const int base = std::max({options.min_count, options.min_doc_count, 1});
  constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();
  const std::size_t want = options.max_phrases >= 0 ? static_cast<std::size_t>(options.max_phrases) : kAll;
  int floor_count = base;
  if (want > 0 && want < kAll && base >= 2 && options.subsumed_share > 0 && tokens_per_first_floor > 0) {
    const std::size_t tokens = TokensOf(passages);
    if (tokens >= prefilter_tokens) {
      floor_count = static_cast<int>(std::min<std::size_t>(tokens / tokens_per_first_floor, 1u << 30));
    }
  }
  std::vector<std::uint32_t> order;
  std::size_t keep = 0;
  last_attempts = 0;
  for (;;) {
    ++last_attempts;
    floor_count = std::max(floor_count, base);
    const bool floored = floor_count > base;
    int at_least = base;
    if (floored) {
      const double least = std::floor(std::min(options.subsumed_share, 1.0) * floor_count);
      at_least = std::max(base, static_cast<int>(least));
    }
    Collect(passages, options, &all, at_least);
    if (floored) {
      std::erase_if(all, [&](const PhraseGroup& g) { return g.count < floor_count; });
    }
    order.resize(all.size());
    for (std::size_t g = 0; g < order.size(); ++g) order[g] = static_cast<std::uint32_t>(g);
    keep = std::min(order.size(), want);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(), before);
    if (!floored) break;
    if (keep < want) {
      floor_count = base;
      continue;
    }
    const double last = all[order[keep - 1]].score;
    if (last > static_cast<double>(max_words) * (floor_count - 1)) break;
    int next = static_cast<int>(std::ceil(last / max_words));
    while (next > base && static_cast<double>(max_words) * (next - 1) >= last) --next;
    floor_count = std::min(next, floor_count - 1);
  }
  last_floor = floor_count;
  std::vector<analysis::KeyPhrase> phrases;
  phrases.reserve(keep);
  if (groups != nullptr) groups->clear();
  for (std::size_t k = 0; k < keep; ++k) {
    const PhraseGroup& g = all[order[k]];
    phrases.push_back({Text(g.surface), g.score, g.count, g.doc_count});
    if (groups != nullptr) groups->push_back(g);
  }
  return phrases;
}

}  // namespace samrad::reports::internal
