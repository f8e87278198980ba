// Internal to samrad_reports: key phrases from a compact copy of the
// passages' tokens, so that no topic tokenises its passages again (#11).
//
// analysis::ExtractKeyPhrases reads whole analysis::Token vectors. Keeping
// those for every passage costs hundreds of bytes a token; tokenising each
// topic's passages again (every passage is in two or three topics) was most
// of the report stage. Here:
//
//  1. Each distinct word is stored once (PhraseWord: norm, stem, flags), its
//     strings interned in StringIds; each passage keeps 4 bytes a token: the
//     word id and whether a clause starts there, or kBreak for a token that
//     can be no part of a phrase (number, abbreviation, e-mail, URL, a stop
//     word that is not a word). Consecutive breaks are kept as one: a break
//     only ends phrases.
//  2. PhraseExtractor::Extract is analysis::ExtractKeyPhrases step by step
//     over these ids: the same candidates (1-3 tokens, stop-word bounded, no
//     clause boundary inside), grouped by stem sequence, the same counts,
//     association scores, subsumption, most frequent spelling (ties: the
//     smallest in byte order) and result order. tests/reports checks the two
//     against each other on the bundled corpus.
//  3. A phrase's key (method.cc's PhraseKey: the Snowball stem of each word
//     of the phrase as shown) is a PhraseKey tuple of per-norm stems, so that
//     the whole corpus can be searched for a few phrases without strings.
#ifndef SAMRAD_REPORTS_PHRASES_H_
#define SAMRAD_REPORTS_PHRASES_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analysis/analysis.h"
#include "reports/ragged.h"
#include "reports/strings.h"

namespace samrad::reports::internal {

class PassageStore;

// One distinct word as ExtractKeyPhrases sees it.
struct PhraseWord {
  std::uint32_t norm = kNoId;  // id in PhraseTokens::strings
  std::uint32_t stem = kNoId;  // Token::stem, id in PhraseTokens::strings
  std::uint32_t chars = 0;     // code points of the norm
  bool nonstop = false;        // a non-stop kWord or kAlphanumeric (content when long enough)
  bool inner = false;          // a stop kWord: may sit inside a three-word phrase
  bool compound = false;       // Token::parts is not empty
};

// Up to three ids; unused places are kNoId.
using IdTuple = std::array<std::uint32_t, 3>;
struct IdTupleHash {
  std::size_t operator()(const IdTuple& t) const;
};

struct PhraseTokens {
  static constexpr std::uint32_t kClauseStart = 0x80000000u;
  static constexpr std::uint32_t kBreak = 0x7FFFFFFFu;

  StringIds strings;                  // norms and stems
  std::vector<PhraseWord> words;
  std::vector<std::uint32_t> norm_key;  // string id of a norm -> id of its stem for phrase keys
  RaggedArray<std::uint32_t> passages;  // per passage: word id | kClauseStart, or kBreak

  // Appends one passage (call in passage order: ids are assigned in order).
  void Add(const std::vector<analysis::Token>& tokens, const analysis::Analyzer& analyzer);
  // The same from tokens reduced by Reduce() (which may run on any thread).
  struct ReducedToken {
    std::string norm, stem;
    std::uint32_t chars = 0;
    std::uint8_t flags = 0;  // 1 nonstop, 2 inner, 4 compound, 8 clause start; 0: a break
  };
  static std::vector<ReducedToken> Reduce(const std::vector<analysis::Token>& tokens);
  void Add(const std::vector<ReducedToken>& tokens, const analysis::Analyzer& analyzer);
  // Add in two steps, for callers that know a token's id without its
  // strings (the scan cache): the id of one reduced token (kBreak for a
  // break), then a passage of them.
  std::uint32_t TokenId(std::string_view norm, std::string_view stem, std::uint32_t chars, std::uint8_t flags,
                        const analysis::Analyzer& analyzer);
  void AppendPassage(std::span<const std::uint32_t> token_ids);

  // Frees the lookups only Add needs (word and string ids; ~35 MB at
  // N=20,000) once every passage is added; a later Add builds them again.
  void ReleaseLookups();

  std::size_t MemoryBytes() const;

 private:
  // Per word id: norm \x1f stem \x1f flags; one per word unless released.
  StringIds word_keys_;
  std::string key_;  // TokenId's, reused
};

// One phrase group of a set of passages (a key of ExtractKeyPhrases).
struct PhraseGroup {
  IdTuple stems{kNoId, kNoId, kNoId};    // the key: the tokens' stems
  IdTuple surface{kNoId, kNoId, kNoId};  // the most frequent norm sequence (norm ids)
  int words = 0;
  int count = 0;
  int doc_count = 0;
  double score = 0;
};

// Reusable scratch for extraction; one per thread.
class PhraseExtractor {
 public:
  explicit PhraseExtractor(const PhraseTokens& tokens);

  // Sets of passages with at least this many tokens are first counted in a
  // sketch, so that candidates occurring once, which are most of them and
  // never returned, are not held (#11; phrases.cc, Collect step 0). The
  // result is the same either way; tests set 0 to check that.
  std::size_t prefilter_tokens = std::size_t{1} << 16;
  // Extract with a finite max_phrases over that many tokens first looks
  // only at candidates counted at least tokens / this many times, and falls
  // back to fewer when that cannot prove the result (phrases.cc, Extract).
  // The result is the same either way; tests set small values to check it.
  std::size_t tokens_per_first_floor = std::size_t{1} << 14;
  // Its spill file's pages are handed back as passages are read (PagePacer).
  const PassageStore* pages = nullptr;
  // How many times the last Extract collected the candidates (1 when its
  // first floor proved the result), and the floor that did (the options'
  // own floor when none could); tests read them.
  int last_attempts = 0;
  int last_floor = 0;

  // The groups ExtractKeyPhrases would return for documents = the passages'
  // tokens (in this order), before sorting and cutting to max_phrases;
  // with at_least, only those counted at least that many times, and a
  // phrase inside a longer one seen fewer times than that is not dropped
  // for it (Extract proves when that does not matter).
  void Collect(const std::vector<std::size_t>& passages, const analysis::KeyPhraseOptions& options,
               std::vector<PhraseGroup>* out, int at_least = 0);
  // analysis::ExtractKeyPhrases(tokens of `passages`, options), and the
  // groups of the phrases returned (same order) when `groups` is given.
  std::vector<analysis::KeyPhrase> Extract(const std::vector<std::size_t>& passages,
                                           const analysis::KeyPhraseOptions& options,
                                           std::vector<PhraseGroup>* groups = nullptr);
  // The norms of a surface joined by single spaces.
  std::string Text(const IdTuple& surface) const;
  // The phrase key of a surface: the per-norm stems (method.cc's PhraseKey).
  IdTuple Key(const IdTuple& surface) const;

 private:
  // A candidate's counts. Its key is keys_[i] for candidate cands_[i].
  struct Candidate {
    int count = 0;
    int doc_count = 0;
    std::uint32_t last_doc = kNoMore;  // index into the passages of the Collect
    int words = 0;
    std::uint8_t content_mask = 0;  // which of the first occurrence's tokens were content words
    IdTuple surface{kNoId, kNoId, kNoId};  // the first spelling, and how often
    int surface_count = 0;
    std::uint32_t more = kNoMore;  // other spellings: a list from spellings_[more], if any
  };
  // One more spelling of a candidate, in a list through `next` (#11: a
  // vector per candidate was ~100 MB of the reports' peak at N=100,000,
  // two large topics at once, most of it allocation overhead).
  struct Spelling {
    IdTuple surface;
    int count = 0;
    std::uint32_t next;
  };
  static constexpr std::uint32_t kNoMore = 0xFFFFFFFFu;
  static constexpr std::uint32_t kEmptySlot = 0xFFFFFFFFu;
  // The candidate of `key`, added (zeroed) when it is new.
  Candidate& CandidateOf(const IdTuple& key);
  // The tokens of these passages, breaks included.
  std::size_t TokensOf(const std::vector<std::size_t>& passages) const;
  // Forgets every candidate; a large table's memory is freed.
  void ClearCandidates();
  bool Content(const PhraseWord& w, const analysis::KeyPhraseOptions& o) const {
    return w.nonstop && w.chars >= static_cast<std::uint32_t>(o.min_word_chars);
  }
  // Text(a) against Text(b), as std::string::compare: < 0 when a sorts first.
  int CompareText(const IdTuple& a, const IdTuple& b) const;
  // Text(surface) into `out` (cleared first).
  void AppendText(const IdTuple& surface, std::string* out) const;

  const PhraseTokens& t_;
  // The candidates of one Collect in the order first seen, found through an
  // open-addressing table of their indexes (#11: a node-based map of them
  // was ~170 MB of the reports' peak at N=100,000, two topics at once).
  std::vector<IdTuple> keys_;
  std::vector<Candidate> cands_;
  std::vector<std::uint32_t> slots_;  // a power of two, at most half full
  std::vector<Spelling> spellings_;
  std::unordered_map<IdTuple, std::size_t, IdTupleHash> scored_index_;
  std::vector<int> word_counts_;  // per string id (stems)
  std::vector<std::uint32_t> touched_;
  mutable std::string text_a_, text_b_;  // CompareText()'s
};

}  // namespace samrad::reports::internal

#endif  // SAMRAD_REPORTS_PHRASES_H_
