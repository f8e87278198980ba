// ExtractKeyPhrases: the method is documented in analysis.h and
// docs/analysis.md. Everything is keyed by strings and sorted before output,
// so the result depends only on the input, never on hash order.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/internal.h"
#include "analysis/lexicon.h"

namespace samrad::analysis {
namespace {

// Separates the words of a phrase key; cannot occur inside a norm or stem.
constexpr char kSep = '\x1f';

struct Candidate {
  int count = 0;
  int doc_count = 0;
  int last_doc = -1;
  int words = 0;
  std::vector<std::string> content_stems;  // the non-stop words' stems
  std::map<std::string, int> surfaces;     // norm sequence -> occurrences
};

bool IsContent(const Token& t, const KeyPhraseOptions& o) {
  return !t.stop && (t.kind == TokenKind::kWord || t.kind == TokenKind::kAlphanumeric) &&
         internal::CountChars(t.norm) >= static_cast<size_t>(o.min_word_chars);
}

bool IsInner(const Token& t) {
  return t.kind == TokenKind::kWord && t.stop;  // "på" in "kollektivtrafik på landsbygden"
}

}  // namespace

std::vector<KeyPhrase> ExtractKeyPhrases(const std::vector<std::vector<Token>>& documents,
                                         const KeyPhraseOptions& options) {
  const int max_words = std::clamp(options.max_words, 1, 3);
  const int min_words = std::clamp(options.min_words, 1, max_words);
  internal::StringMap<Candidate> candidates;
  internal::StringMap<int> word_counts;  // content stem -> occurrences

  std::string key, surface;
  for (size_t d = 0; d < documents.size(); ++d) {
    const std::vector<Token>& toks = documents[d];
    for (size_t i = 0; i < toks.size(); ++i) {
      if (!IsContent(toks[i], options)) continue;
      ++word_counts[toks[i].stem];
      key.clear();
      surface.clear();
      int content = 0;
      for (int n = 1; n <= max_words && i + n <= toks.size(); ++n) {
        const Token& t = toks[i + n - 1];
        if (n > 1 && t.clause_start) break;
        bool is_content = IsContent(t, options);
        if (!is_content && !(IsInner(t) && n < max_words)) break;
        if (n > 1) {
          key.push_back(kSep);
          surface.push_back(' ');
        }
        key += t.stem;
        surface += t.norm;
        if (is_content) ++content;
        // A phrase ends on a content word; a stop word only ever sits inside.
        if (!is_content || n < min_words) continue;
        if (n == 1 && options.single_words_must_be_compounds && t.parts.empty()) continue;
        Candidate& c = candidates[key];
        ++c.count;
        if (c.last_doc != static_cast<int>(d)) {
          c.last_doc = static_cast<int>(d);
          ++c.doc_count;
        }
        if (c.words == 0) {
          c.words = n;
          for (int k = 0; k < n; ++k) {
            const Token& w = toks[i + k];
            if (IsContent(w, options)) c.content_stems.push_back(w.stem);
          }
        }
        ++c.surfaces[surface];
      }
    }
  }

  // Score (step 3) the candidates that are frequent enough.
  struct Scored {
    std::string key;
    const Candidate* c;
    double score;
  };
  std::vector<Scored> scored;
  for (const auto& [k, c] : candidates) {
    if (c.count < options.min_count || c.doc_count < options.min_doc_count) continue;
    double association = 1.0;
    if (c.content_stems.size() > 1) {
      double sum = 0;
      for (const std::string& s : c.content_stems) sum += word_counts[s];
      association = static_cast<double>(c.content_stems.size()) * c.count / sum;
    }
    scored.push_back({k, &c, c.count * c.words * association});
  }

  // Subsumption (step 4): a phrase mostly seen inside a longer one goes.
  internal::StringMap<size_t> index;
  for (size_t a = 0; a < scored.size(); ++a) index.emplace(scored[a].key, a);
  std::vector<bool> dropped(scored.size(), false);
  std::vector<std::string_view> words;
  for (const Scored& longer : scored) {
    if (longer.c->words < 2) continue;
    words.clear();
    std::string_view rest = longer.key;
    while (true) {
      size_t p = rest.find(kSep);
      words.push_back(rest.substr(0, p));
      if (p == std::string_view::npos) break;
      rest.remove_prefix(p + 1);
    }
    for (size_t b = 0; b < words.size(); ++b) {
      for (size_t e = b + 1; e <= words.size(); ++e) {
        if (e - b == words.size()) continue;
        size_t from = static_cast<size_t>(words[b].data() - longer.key.data());
        size_t to =
            static_cast<size_t>(words[e - 1].data() - longer.key.data()) + words[e - 1].size();
        auto it = index.find(std::string_view(longer.key).substr(from, to - from));
        if (it == index.end()) continue;
        if (longer.c->count >= options.subsumed_share * scored[it->second].c->count) {
          dropped[it->second] = true;
        }
      }
    }
  }

  std::vector<KeyPhrase> out;
  for (size_t a = 0; a < scored.size(); ++a) {
    if (dropped[a]) continue;
    const Candidate& c = *scored[a].c;
    // The most frequent spelling; std::map order breaks ties by bytes.
    const std::string* best = nullptr;
    int best_count = 0;
    for (const auto& [s, n] : c.surfaces) {
      if (n > best_count) {
        best = &s;
        best_count = n;
      }
    }
    out.push_back({*best, scored[a].score, c.count, c.doc_count});
  }
  std::sort(out.begin(), out.end(), [](const KeyPhrase& x, const KeyPhrase& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.count != y.count) return x.count > y.count;
    return x.phrase < y.phrase;
  });
  if (options.max_phrases >= 0 && out.size() > static_cast<size_t>(options.max_phrases)) {
    out.resize(static_cast<size_t>(options.max_phrases));
  }
  return out;
}

}  // namespace samrad::analysis
