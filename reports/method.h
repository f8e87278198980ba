// Internal to samrad_reports: the text methods behind a report (docs/reports.md
// explains them for users).
//
//  1. Every passage becomes an L2-normalised TF-IDF vector over the Snowball
//     stems of its content words and, at half weight, the stems of their
//     compound parts (sublinear tf, smoothed idf over all passages).
//  2. A topic (an area or an emergent theme) is a set of passages; its centroid
//     is the normalised sum of their vectors, and a passage's relevance is its
//     cosine to that centroid.
//  3. Sub-topics: spherical k-means over the topic's passages, k from the
//     topic's size, seeded deterministically (most central passage first,
//     then farthest-first); clusters smaller than a floor are dissolved.
//     Each is labelled by the terms that are most over-represented in it.
//  4. Quotes: maximal marginal relevance over the topic's passages, with a
//     bonus for an actor group, a sub-topic or a document not yet quoted.
//     A long passage is cut to the run of whole sentences that best matches
//     the centroid; the quote is always a verbatim substring.
//  5. Disagreement (disagreement.cc): for every pair of actor groups in the
//     whole topic and in each sub-topic, (a) contested words: subject words
//     both groups use in sentences that carry stance words (supportive vs
//     critical, with negation), where one group's sentences lean supportive
//     and the other's critical; (b) share: how much of each group's input in
//     the topic falls in the sub-topic. Each side's distinctive words come
//     from log-odds ratios with an informative Dirichlet prior.
#ifndef SAMRAD_REPORTS_METHOD_H_
#define SAMRAD_REPORTS_METHOD_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analysis/analysis.h"
#include "base/model.h"
#include "base/status.h"
#include "reports/content.h"
#include "reports/passage_store.h"
#include "reports/phrases.h"
#include "reports/ragged.h"
#include "reports/scan_cache.h"

namespace samrad::reports::internal {

// The method's parameters; defaults are what docs/reports.md documents.
struct MethodOptions {
  int quotes_per_area = 6;
  int quotes_per_theme = 4;
  int quotes_per_side = 2;
  // A passage needs this many distinct content terms to be quoted.
  int min_quote_terms = 6;
  // Longer passages are cut to whole sentences of at most this many bytes.
  std::size_t max_quote_bytes = 360;
  // MMR: weight of relevance against redundancy, and the bonuses.
  double mmr_lambda = 0.7;
  double new_group_bonus = 0.05;
  double new_subtopic_bonus = 0.05;
  double same_document_penalty = 0.10;
  // Sub-topics: k = clamp(floor(sqrt(n / passages_per_k)), 1, max_subtopics).
  int max_subtopics = 6;
  double passages_per_k = 6.0;
  int min_subtopic_passages = 3;
  int kmeans_iterations = 25;
  int subtopic_label_terms = 3;
  int key_phrases = 12;
  // Phrases taken from ExtractKeyPhrases before contrasting with the corpus.
  int key_phrase_candidates = 80;
  // Disagreement: each side needs this many passages from this many
  // documents in the unit (for share: the side with the larger share).
  int min_side_passages = 3;
  int min_side_documents = 2;
  // Contested words: a word both sides use in stance-bearing sentences, each
  // side with at least min_stance_words stance words in those sentences,
  // stances (support - objection) / (support + objection) of opposite sign
  // and at least min_stance_gap apart. Words in more than max_anchor_df of
  // all passages ("regionen", "strategin") are too general to be contested,
  // and only the unit's subject_words heaviest terms count.
  int min_stance_words = 3;
  double min_stance_gap = 1.0;
  double max_anchor_df = 0.05;
  int subject_words = 40;  // the unit's heaviest terms that can be contested
  int contested_words = 3;
  // Share: the sub-topic needs this many passages, and both groups this
  // many passages in the whole topic.
  int min_unit_passages_for_share = 8;
  int min_topic_passages_for_share = 8;
  double min_share_ratio = 2.0;
  int min_share_gap_permille = 150;
  int max_disagreements = 3;
  int distinctive_words = 5;
  double distinctive_min_z = 1.0;
  // Actor groups that stand for a mixed audience ("blandat" in the bundled
  // corpus): counted everywhere, but never one side of a disagreement.
  std::vector<std::string> mixed_actor_groups = {"blandat"};
};

// A sparse vector: (term id, weight), sorted by term id; SparseView is one
// held elsewhere (a row of TermIndex::vectors).
using SparseEntry = std::pair<std::uint32_t, float>;
using SparseVector = std::vector<SparseEntry>;
using SparseView = std::span<const SparseEntry>;

// One occurrence of a term in a passage's text: 8 bytes (#11: there is one
// per content word and compound part of every passage).
struct Occurrence {
  Occurrence(std::uint32_t byte, std::uint32_t term_id, float w)
      : byte_start(byte), term(term_id & 0x7FFFFFFFu), half(w < 1.0f ? 1u : 0u) {}
  std::uint32_t byte_start;
  std::uint32_t term : 31;
  std::uint32_t half : 1;  // a compound part
  float weight() const { return half ? 0.5f : 1.0f; }  // 1 for a word, 0.5 for a compound part
};

// Everything the methods need to know of the passages, computed once. What
// is per passage is a RaggedArray, a row per passage (#11).
struct TermIndex {
  std::vector<std::string> terms;    // id -> stem
  std::vector<std::string> surface;  // id -> most frequent word form
  std::vector<float> idf;
  RaggedArray<SparseEntry> vectors;   // per passage: its SparseVector
  RaggedArray<Occurrence> occurrences;  // per passage, by byte_start
  std::vector<int> df;                // id -> passages containing it
  std::vector<int> distinct_terms;    // per passage
  RaggedArray<StanceMark> stance;     // per passage, by byte_start
  RaggedArray<std::pair<std::uint32_t, std::uint32_t>> sentences;  // per passage: byte spans
  // The passages' tokens as key phrases need them (phrases.h): 4 bytes a
  // token, so that no topic tokenises its passages again.
  PhraseTokens phrase_tokens;
};

// Tokenises every passage once (in parallel, block by block so that only a
// block's raw tokens are held at a time; the result does not depend on the
// number of threads) and builds the index.
//
// With `cache` (and a path in it), the scan of a passage whose text the
// cache file holds is read from it rather than tokenised again, and the file
// is rewritten for this run's passages (scan_cache.h). The index is the same
// with or without it.
struct ScanCacheUse {
  std::filesystem::path path;  // in: the cache file; empty: no cache
  size_t reused = 0;           // out: passages read from the cache
  size_t scanned = 0;          // out: passages tokenised
  Status written;              // out: why the file could not be written, if so
};
TermIndex BuildTermIndex(const PassageStore& passages, const analysis::Analyzer& analyzer,
                         ScanCacheUse* cache = nullptr);

// Calls body(i) for every i in [0, n), on several threads, each taking the
// next i in order when it is done with one (so put the largest first).
// With `weights` (one per i), the next i starts only while the weights of
// the bodies running, its own included, stay within `budget`, or when no
// other is running: what a topic works with grows with its passages, and
// the two largest at once set the reports' peak (#11). body(i) may write
// only what belongs to i: the result does not depend on the threads.
void ForEachTopic(size_t n, const std::function<void(size_t)>& body, const std::vector<size_t>& weights = {},
                  size_t budget = 0);

// The supportive and critical words, as Snowball stems, and the negations.
struct StanceLexicon {
  std::set<std::string> support, objection, negation;
};
StanceLexicon MakeStanceLexicon(const analysis::Analyzer& analyzer);
// The stance words of a tokenised text, a negation among the two tokens
// before or after (same clause) flipping the sign.
std::vector<StanceMark> FindStanceMarks(const std::vector<analysis::Token>& tokens, const StanceLexicon& lexicon);

struct Corpus {
  const PassageStore* passages = nullptr;  // same order as TermIndex
  TermIndex index;
  const analysis::Analyzer* analyzer = nullptr;
  // Per passage: its actor group ("" when unknown) and document, as dense
  // ids into `groups` and `doc_ids`, so that topics count and compare ints.
  std::vector<std::uint32_t> group_of, doc_of;
  std::vector<std::string> groups, doc_ids;
  // Per entry of doc_ids: the document; nullptr when it is unknown. Per
  // document rather than per passage (#11: 8 bytes a passage, 11 MB at
  // N=100,000, held through the stage).
  std::vector<const Document*> doc_document;
  const Document* document(std::size_t p) const { return doc_document[doc_of[p]]; }
  std::size_t size() const { return doc_of.size(); }
  // Fills passages, group_of, doc_of, groups, doc_ids and doc_document (not
  // the index); `passages` and `documents` must outlive the corpus.
  void SetPassages(const PassageStore& passages, const std::vector<Document>& documents);
};

// A dense vector over all terms (O(1) lookups for dot products) that lists
// its nonzero terms, ascending, so that it can be refilled and summed over
// without touching every term.
struct DenseVector {
  std::vector<double> w;
  std::vector<std::uint32_t> nz;
  double operator[](std::uint32_t id) const { return w[id]; }
};

// A vector's nonzero weights, term ids ascending: what a DenseVector holds,
// without its table over every term, so that a topic can keep its
// sub-topics' centroids for later (FindDisagreements).
struct CompactVector {
  std::vector<std::uint32_t> ids;
  std::vector<double> w;
};
CompactVector Compact(const DenseVector& v);
// `v` into `out` over `terms` terms (reused: only the terms it held are
// cleared). The same weights, to the bit, as the DenseVector compacted.
void Expand(const CompactVector& v, size_t terms, DenseVector* out);

// Per-term sums over a set of passages, reused from one set to the next:
// Reset() clears only the terms the last set touched.
struct Accumulator {
  std::vector<double> value;        // per term
  std::vector<std::uint8_t> seen;   // per term: added since Reset()
  std::vector<std::uint32_t> ids;   // the terms added, in first-added order
  void Reset(size_t terms);
  void Add(std::uint32_t id, double x) {
    if (!seen[id]) {
      seen[id] = 1;
      ids.push_back(id);
    }
    value[id] += x;
  }
  bool Has(std::uint32_t id) const { return seen[id] != 0; }
};

// The citation of a passage.
Citation Cite(const Corpus& c, size_t passage);

// Helpers shared by method.cc and disagreement.cc.
double Dot(SparseView a, SparseView b);
double Dot(SparseView a, const DenseVector& dense);
// The normalised sum of the members' vectors, into `out` (reused: only the
// terms it held are cleared).
void Centroid(const Corpus& c, const std::vector<size_t>& members, DenseVector* out);
DenseVector Centroid(const Corpus& c, const std::vector<size_t>& members);
const std::string& GroupOf(const Corpus& c, size_t passage);
const std::string& DocOf(const Corpus& c, size_t passage);
// [begin, end) without surrounding white space.
std::pair<size_t, size_t> Trim(std::string_view text, size_t begin, size_t end);
// The quote shown for a passage: the whole passage when short enough, else
// the run of whole sentences that best matches `centroid` (method.cc).
Quote MakeQuote(const Corpus& c, size_t passage, const DenseVector& centroid, const MethodOptions& o);
// The quote [begin, end) of a passage, trimmed.
Quote MakeSpanQuote(const Corpus& c, size_t passage, size_t begin, size_t end, const DenseVector& centroid);
// Stance words counted in sentences (disagreement.cc).
struct StanceTally {
  int support = 0, objection = 0;
  int Words() const { return support + objection; }
  double Stance() const { return Words() > 0 ? static_cast<double>(support - objection) / Words() : 0.0; }
  void Add(const StanceTally& t) {
    support += t.support;
    objection += t.objection;
  }
};

// A topic as FindDisagreements judges it: the whole topic and, with two or
// more sub-topics, each of them (the units). `centroid` is Centroid(c,
// members); sub-topic j's members partition `members` with the others, and
// subtopic_centroids[j] is Compact(Centroid(c, subtopic_members[j])).
// AnalyseTopic has the centroids at hand (#11: computed again, they were a
// fifth of FindDisagreements' time).
struct TopicUnits {
  const std::vector<size_t>& members;
  const DenseVector& centroid;
  const std::vector<std::vector<size_t>>& subtopic_members;  // empty, or two or more
  const std::vector<CompactVector>& subtopic_centroids;
  size_t size() const { return subtopic_members.size() + 1; }
  // Unit v's passages: v = 0 the whole topic, v = j + 1 sub-topic j.
  const std::vector<size_t>& unit(size_t v) const { return v == 0 ? members : subtopic_members[v - 1]; }
};

// A unit's subject words, ascending: the words it is about, which alone can
// be contested (disagreement.cc, Subjects()).
using SubjectWords = std::vector<std::uint32_t>;
// Every unit's subject words, in one pass over the topic.
std::vector<SubjectWords> UnitSubjects(const Corpus& c, const TopicUnits& units, const MethodOptions& o);

// Per unit, per actor group id (Corpus::group_of) for which tally[v][id] is
// set: for each of the unit's subject words, the stance words of the group's
// sentences in the unit that contain it (not counting the stance words
// themselves), in one pass over the topic.
using WordStances = std::map<std::uint32_t, StanceTally>;
std::vector<std::map<std::uint32_t, WordStances>> UnitStances(const Corpus& c, const TopicUnits& units,
                                                              const std::vector<SubjectWords>& subjects,
                                                              const std::vector<std::vector<bool>>& tally);

// Up to max_disagreements disagreements of a topic; `subtopics` label the
// units' sub-topics.
std::vector<Disagreement> FindDisagreements(const Corpus& c, const TopicUnits& units,
                                            const std::vector<SubTopic>& subtopics, const MethodOptions& o);

// Fills subtopics, quotes and disagreements of `topic` from its passages
// (`members`: indexes into the corpus, ascending).
void AnalyseTopic(const Corpus& corpus, const std::vector<size_t>& members, int quotes,
                  const MethodOptions& options, TopicReport* topic);

// The key phrases of a topic: analysis::ExtractKeyPhrases over the topic's
// passages (each passage one document, a phrase in at least two of them),
// re-scored by how much more often a phrase occurs in the topic's passages
// than in the other passages: score * ln(rate in topic / rate outside), with
// rates (passages + 0.5) / (n + 1); phrases not more frequent in the topic
// are dropped. A passage "contains" a phrase when the phrase's key (the stems
// of its words) is the key of one of the passage's own candidate phrases.
//
// In three steps, so that the corpus is read once for all topics:
// candidates per topic, then one pass over the corpus for the keys of all
// candidates, then each topic's phrases.
struct PhraseCandidates {
  std::vector<analysis::KeyPhrase> phrases;  // ExtractKeyPhrases' result
  std::vector<IdTuple> keys;                 // their phrase keys
};
PhraseCandidates KeyPhraseCandidates(const Corpus& corpus, const std::vector<size_t>& members,
                                     const MethodOptions& options);

struct PhraseOccurrences {
  std::unordered_map<IdTuple, std::uint32_t, IdTupleHash> ids;  // key -> id
  std::vector<int> passages;                // per id: passages of the corpus that contain it
  RaggedArray<std::uint32_t> in_passage;    // per passage: the ids it contains, ascending
};
PhraseOccurrences FindPhrases(const Corpus& corpus, const std::vector<const PhraseCandidates*>& topics);

std::vector<Phrase> KeyPhrases(const Corpus& corpus, const std::vector<size_t>& members,
                               const PhraseCandidates& candidates, const PhraseOccurrences& occurrences,
                               const MethodOptions& options);
// The three steps for one topic.
std::vector<Phrase> KeyPhrases(const Corpus& corpus, const std::vector<size_t>& members,
                               const MethodOptions& options);

}  // namespace samrad::reports::internal

#endif  // SAMRAD_REPORTS_METHOD_H_
