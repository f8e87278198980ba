// The report's text methods; method.h lists the steps.
//
// Cost (#11): the passages are tokenised once, in BuildTermIndex; everything
// per topic is linear in the topic's passages (dense per-term arrays are
// reused, never re-allocated per step), except the one pass over the corpus
// that finds the key phrases of all topics together (FindPhrases).
#include "reports/method.h"

#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "base/files.h"
#include "base/parallel.h"
#include "reports/text.h"

namespace samrad::reports::internal {
namespace {

bool IsContent(const analysis::Token& t) {
  return !t.stop && (t.kind == analysis::TokenKind::kWord || t.kind == analysis::TokenKind::kAlphanumeric) &&
         t.norm.size() >= 3;
}

RawPassage Scan(std::string_view text, const analysis::Analyzer& analyzer, const StanceLexicon& lexicon) {
  RawPassage r;
  const std::vector<analysis::Token> tokens = analyzer.Tokenize(text);
  r.phrase_tokens = PhraseTokens::Reduce(tokens);
  r.stance = FindStanceMarks(tokens, lexicon);
  for (const analysis::Sentence& sentence : analyzer.Sentences(text)) {
    r.sentences.emplace_back(sentence.byte_start, sentence.byte_end);
  }
  for (const analysis::Token& t : tokens) {
    const auto at = static_cast<std::uint32_t>(t.byte_start);
    if (!IsContent(t)) continue;
    r.terms.push_back({at, t.stem, 1.0f, t.norm});
    // A compound also speaks of its parts; they count half, as in the
    // theme sorting, so the whole word stays the stronger cue.
    for (const std::string& part : t.parts) {
      if (part.size() < 3 || analyzer.IsStopWord(part)) continue;
      std::string part_stem = analyzer.Stem(part);
      if (part_stem == t.stem) continue;
      r.terms.push_back({at, std::move(part_stem), 0.5f, part});
    }
  }
  return r;
}

// Sublinear tf times idf, L2-normalised, in place: `v` holds (term, raw
// count) pairs, sorted by term.
void Weigh(std::span<SparseEntry> v, const std::vector<float>& idf) {
  double norm = 0;
  for (auto& [id, c] : v) {
    const double tf = c >= 1.0f ? 1.0 + std::log(static_cast<double>(c)) : static_cast<double>(c);
    c = static_cast<float>(tf * idf[id]);
    norm += static_cast<double>(c) * c;
  }
  if (norm > 0) {
    const double inv = 1.0 / std::sqrt(norm);
    for (auto& e : v) e.second = static_cast<float>(e.second * inv);
  }
}

}  // namespace

void ForEachTopic(size_t n, const std::function<void(size_t)>& body, const std::vector<size_t>& weights,
                  size_t budget) {
  const size_t workers = WorkerCount(n);
  std::mutex mu;
  std::condition_variable done;
  size_t next = 0, running = 0, weight_running = 0;
  // A topic done, or failed: then no other starts, and no thread waits for
  // room that the failed one would never give back.
  auto finish = [&](size_t weight, bool failed) {
    {
      std::lock_guard<std::mutex> lock(mu);
      --running;
      weight_running -= weight;
      if (failed) next = n;
    }
    done.notify_all();
  };
  auto run = [&] {
    for (;;) {
      size_t i = 0, weight = 0;
      {
        std::unique_lock<std::mutex> lock(mu);
        done.wait(lock, [&] {
          return next >= n || running == 0 || weights.empty() || weight_running + weights[next] <= budget;
        });
        if (next >= n) return;
        i = next++;
        weight = weights.empty() ? 0 : weights[i];
        ++running;
        weight_running += weight;
      }
      try {
        body(i);
      } catch (...) {
        finish(weight, /*failed=*/true);
        throw;  // RunOnWorkers hands it to the caller
      }
      finish(weight, /*failed=*/false);
    }
  };
  RunOnWorkers(workers, [&](size_t) { run(); });
}

double Dot(SparseView a, SparseView b) {
  double s = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first == b[j].first) {
      s += static_cast<double>(a[i].second) * b[j].second;
      ++i;
      ++j;
    } else if (a[i].first < b[j].first) {
      ++i;
    } else {
      ++j;
    }
  }
  return s;
}

double Dot(SparseView a, const DenseVector& dense) {
  double s = 0;
  for (const auto& [id, w] : a) s += static_cast<double>(w) * dense.w[id];
  return s;
}

namespace {

// The normalised sum of rows(i) for i in `which`, in that order, over
// `terms` terms, into `out` (its storage reused). With `universe` (sorted
// terms that hold every term of the rows: the topic's), the nonzero terms
// are read off it in order rather than collected and sorted (#11: k-means
// sums its centroids every round).
template <typename Rows>
void CentroidOfRows(size_t terms, const std::vector<size_t>& which, const Rows& rows, DenseVector* out,
                    const std::vector<std::uint32_t>* universe = nullptr) {
  if (out->w.size() != terms) {
    out->w.assign(terms, 0.0);
  } else {
    for (std::uint32_t id : out->nz) out->w[id] = 0.0;
  }
  out->nz.clear();
  if (universe != nullptr) {
    for (size_t i : which) {
      for (const auto& [id, w] : rows(i)) out->w[id] += w;
    }
    // Weights are positive: a term is nonzero when a row has it.
    for (std::uint32_t id : *universe) {
      if (out->w[id] != 0.0) out->nz.push_back(id);
    }
  } else {
    for (size_t i : which) {
      for (const auto& [id, w] : rows(i)) {
        if (out->w[id] == 0.0) out->nz.push_back(id);
        out->w[id] += w;
      }
    }
    std::sort(out->nz.begin(), out->nz.end());
    out->nz.erase(std::unique(out->nz.begin(), out->nz.end()), out->nz.end());
  }
  // Summed in term order, as over the whole dense vector: every other term
  // is 0 and adds nothing, so the norm is the same to the bit.
  double norm = 0;
  for (std::uint32_t id : out->nz) norm += out->w[id] * out->w[id];
  if (norm > 0) {
    const double inv = 1.0 / std::sqrt(norm);
    for (std::uint32_t id : out->nz) out->w[id] *= inv;
  }
}

}  // namespace

void Centroid(const Corpus& c, const std::vector<size_t>& members, DenseVector* out) {
  PagePacer pacer(c.passages);
  CentroidOfRows(c.index.terms.size(), members,
                 [&](size_t m) {
                   pacer.Next(m);
                   return c.index.vectors[m];
                 },
                 out);
}

DenseVector Centroid(const Corpus& c, const std::vector<size_t>& members) {
  DenseVector v;
  Centroid(c, members, &v);
  return v;
}

CompactVector Compact(const DenseVector& v) {
  CompactVector out;
  out.ids = v.nz;
  out.w.reserve(v.nz.size());
  for (std::uint32_t id : v.nz) out.w.push_back(v.w[id]);
  return out;
}

void Expand(const CompactVector& v, size_t terms, DenseVector* out) {
  if (out->w.size() != terms) {
    out->w.assign(terms, 0.0);
  } else {
    for (std::uint32_t id : out->nz) out->w[id] = 0.0;
  }
  out->nz = v.ids;
  for (size_t i = 0; i < v.ids.size(); ++i) out->w[v.ids[i]] = v.w[i];
}

void Accumulator::Reset(size_t terms) {
  if (value.size() != terms) {
    value.assign(terms, 0.0);
    seen.assign(terms, 0);
  } else {
    for (std::uint32_t id : ids) {
      value[id] = 0.0;
      seen[id] = 0;
    }
  }
  ids.clear();
}

const std::string& GroupOf(const Corpus& c, size_t i) { return c.groups[c.group_of[i]]; }
const std::string& DocOf(const Corpus& c, size_t i) { return c.doc_ids[c.doc_of[i]]; }

void Corpus::SetPassages(const PassageStore& store, const std::vector<Document>& documents) {
  std::unordered_map<std::string_view, const Document*> docs;
  for (const Document& d : documents) docs.emplace(d.id, &d);
  std::unordered_map<std::string_view, std::uint32_t> group_ids, doc_index;
  passages = &store;
  group_of.clear();
  doc_of.clear();
  groups.clear();
  doc_ids.clear();
  doc_document.clear();
  group_of.reserve(store.size());
  doc_of.reserve(store.size());
  for (size_t i = 0; i < store.size(); ++i) {
    const std::string_view doc_id = store.doc_id(i);
    auto it = docs.find(doc_id);
    const Document* d = it == docs.end() ? nullptr : it->second;
    const std::string_view group = d ? std::string_view(d->meta.actor_group) : std::string_view();
    auto [g, new_group] = group_ids.try_emplace(group, static_cast<std::uint32_t>(groups.size()));
    if (new_group) groups.emplace_back(group);
    group_of.push_back(g->second);
    auto [k, new_doc] = doc_index.try_emplace(doc_id, static_cast<std::uint32_t>(doc_ids.size()));
    if (new_doc) {
      doc_ids.emplace_back(doc_id);
      doc_document.push_back(d);
    }
    doc_of.push_back(k->second);
  }
}

// ---- Quotes ---------------------------------------------------------------

static bool IsSpace(char ch) { return ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r'; }

std::pair<size_t, size_t> Trim(std::string_view text, size_t begin, size_t end) {
  while (begin < end && IsSpace(text[begin])) ++begin;
  while (end > begin && IsSpace(text[end - 1])) --end;
  return {begin, end};
}

// The cosine of the terms occurring in [begin, end) of passage `i` to `centroid`.
static double SpanScore(const Corpus& c, size_t i, size_t begin, size_t end, const DenseVector& centroid) {
  std::map<std::uint32_t, float> counts;
  for (const Occurrence& o : c.index.occurrences[i]) {
    if (o.byte_start >= begin && o.byte_start < end) counts[o.term] += o.weight();
  }
  SparseVector v(counts.begin(), counts.end());
  Weigh(v, c.index.idf);
  return Dot(v, centroid);
}

// The quote shown for passage `i`: the whole passage when short enough, else
// the run of whole sentences (at most max_quote_bytes, or the single best
// sentence when every sentence is longer) that best matches `centroid`;
// ties go to the earliest run.
Quote MakeQuote(const Corpus& c, size_t i, const DenseVector& centroid, const MethodOptions& o) {
  const std::string_view text = c.passages->text(i);
  auto [b, e] = Trim(text, 0, text.size());
  if (e - b > o.max_quote_bytes) {
    std::vector<std::pair<size_t, size_t>> sentences;
    for (const auto& [sentence_start, sentence_end] : c.index.sentences[i]) {  // Analyzer::Sentences
      auto [sb, se] = Trim(text, sentence_start, std::min<size_t>(sentence_end, text.size()));
      if (se > sb) sentences.emplace_back(sb, se);
    }
    double best = -1;
    std::pair<size_t, size_t> best_span{b, e};
    for (size_t first = 0; first < sentences.size(); ++first) {
      for (size_t last = first; last < sentences.size(); ++last) {
        const size_t sb = sentences[first].first, se = sentences[last].second;
        if (last > first && se - sb > o.max_quote_bytes) break;
        const double score = SpanScore(c, i, sb, se, centroid);
        if (score > best + 1e-12) {
          best = score;
          best_span = {sb, se};
        }
        if (se - sb > o.max_quote_bytes) break;  // a single over-long sentence
      }
    }
    b = best_span.first;
    e = best_span.second;
  }
  return MakeSpanQuote(c, i, b, e, centroid);
}

Quote MakeSpanQuote(const Corpus& c, size_t i, size_t begin, size_t end, const DenseVector& centroid) {
  const std::string_view text = c.passages->text(i);
  const auto [b, e] = Trim(text, begin, std::min(end, text.size()));
  Quote q;
  q.cite = Cite(c, i);
  q.relevance = Dot(c.index.vectors[i], centroid);
  q.byte_start = b;
  q.byte_end = e;
  q.text = std::string(text.substr(b, e - b));
  q.whole_passage = Trim(text, 0, text.size()) == std::pair<size_t, size_t>{b, e};
  return q;
}

namespace {

// ---- Sub-topics -------------------------------------------------------------

struct Clustering {
  std::vector<int> assignment;  // per member
  int k = 1;
};

// A topic's members' rows (their TF-IDF vectors), copied once into one
// buffer (#11). The topic's passes read them again and again: k-means up to
// max_subtopics + 2 × kmeans_iterations times, the sub-topic labels once per
// sub-topic. Read from the spill file, each pass faulted its pages in again
// after the hand-backs between (at N=100,000 most of the reports' time). The
// copy is ~8 bytes a term a member (N=20,000: ~11 MB for the largest area),
// held while the topic is analysed.
//
// The copy is a block of the spill file when there is one (#11: the two
// largest topics' copies, ~110 MB at N=100,000, were on the heap at the
// reports' peak). Being one stretch read in order, its pages cost little to
// fault in again after a hand-back (the passes call ReleaseEvery), unlike
// the rows in place, scattered over the corpus.
class MemberRows {
 public:
  MemberRows(const Corpus& c, const std::vector<size_t>& members) : n_(members.size()) {
    // Row sizes come from the row ends (in the spill file beside their
    // rows, 4 bytes a row, read in order of the members).
    size_t total = 0;
    for (size_t p : members) total += c.index.vectors[p].size();
    bytes_ = (n_ + 1) * sizeof(size_t) + total * sizeof(SparseEntry);
    void* block = nullptr;
    if (c.passages->spill() != nullptr) {
      spill_ = c.passages->spill();
      block = spill_->Allocate(bytes_);
      if (block == nullptr) spill_.reset();
    }
    if (block == nullptr) {
      // One block from the kernel, handed back whole when freed (munmap):
      // from malloc, the buffers of the topics after one another stayed in
      // the threads' arenas, and `samrad run` at N=100,000 peaked ~250 MB
      // above the reports alone.
      block = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (block == MAP_FAILED) throw std::bad_alloc();
    }
    start_ = static_cast<size_t*>(block);
    entries_ = reinterpret_cast<SparseEntry*>(start_ + n_ + 1);
    PagePacer pacer(c.passages);
    size_t at = 0;
    for (size_t m = 0; m < n_; ++m) {
      pacer.Next(members[m]);
      const SparseView v = c.index.vectors[members[m]];
      start_[m] = at;
      std::copy(v.begin(), v.end(), entries_ + at);
      at += v.size();
    }
    start_[n_] = at;
  }
  ~MemberRows() {
    if (spill_ == nullptr || !spill_->Free(start_)) ::munmap(start_, bytes_);
  }
  MemberRows(const MemberRows&) = delete;
  MemberRows& operator=(const MemberRows&) = delete;

  size_t size() const { return n_; }
  // Member m's row (m: a position in the members).
  SparseView operator()(size_t m) const { return SparseView(entries_ + start_[m], start_[m + 1] - start_[m]); }
  // A pass over the rows calls this with each position it reads: every
  // kRowsPerRelease rows, the spill file's pages are handed back if it is
  // over its budget.
  void ReleaseEvery(size_t m) const {
    if (spill_ != nullptr && (m + 1) % kRowsPerRelease == 0) spill_->ReleasePages();
  }

 private:
  static constexpr size_t kRowsPerRelease = 16384;
  std::shared_ptr<SpillFile> spill_;
  size_t n_ = 0;
  size_t bytes_ = 0;
  size_t* start_ = nullptr;  // n_ + 1 row starts, then the entries
  SparseEntry* entries_ = nullptr;
};

// Maximal marginal relevance over `candidates` (ascending corpus indexes);
// candidate k's row is rows(at[k]).
std::vector<size_t> Mmr(const Corpus& c, const MemberRows& rows, const std::vector<size_t>& candidates,
                        const std::vector<size_t>& at, const std::vector<double>& relevance,
                        const std::vector<int>& subtopic, size_t count, const MethodOptions& o) {
  std::vector<size_t> chosen;
  std::vector<bool> group_quoted(c.groups.size(), false);
  std::set<std::uint32_t> docs;
  std::set<int> subtopics;
  std::vector<bool> used(candidates.size(), false);
  // Per candidate: its largest similarity to a quote chosen so far, updated
  // with each new quote only (max does not depend on the order, so this is
  // the same value as taken over all of them each round, a round's cost
  // without the quotes' number as a factor).
  std::vector<double> redundancy(candidates.size(), 0.0);
  // The last quote's row, dense: each candidate's similarity to it is a
  // lookup per term of the candidate's row rather than a merge of the two
  // rows. The same products summed in the same order, the terms the quote
  // lacks adding 0: the same bits as Dot() of the two rows.
  DenseVector last;
  last.w.assign(c.index.terms.size(), 0.0);
  while (chosen.size() < count) {
    double best = -1e9;
    size_t best_k = candidates.size();
    for (size_t k = 0; k < candidates.size(); ++k) {
      if (used[k]) continue;
      rows.ReleaseEvery(k);
      const size_t p = candidates[k];
      if (!chosen.empty()) redundancy[k] = std::max(redundancy[k], Dot(rows(at[k]), last));
      double score = o.mmr_lambda * relevance[k] - (1 - o.mmr_lambda) * redundancy[k];
      if (!group_quoted[c.group_of[p]]) score += o.new_group_bonus;
      if (subtopic[k] >= 0 && !subtopics.count(subtopic[k])) score += o.new_subtopic_bonus;
      if (docs.count(c.doc_of[p])) score -= o.same_document_penalty;
      if (score > best + 1e-12) {
        best = score;
        best_k = k;
      }
    }
    if (best_k == candidates.size()) break;
    used[best_k] = true;
    const size_t p = candidates[best_k];
    chosen.push_back(best_k);  // a position in `candidates`, not a corpus index
    group_quoted[c.group_of[p]] = true;
    docs.insert(c.doc_of[p]);
    subtopics.insert(subtopic[best_k]);
    for (std::uint32_t id : last.nz) last.w[id] = 0.0;
    last.nz.clear();
    for (const auto& [id, w] : rows(at[best_k])) {
      last.w[id] = w;
      last.nz.push_back(id);
    }
  }
  return chosen;  // positions in `candidates`
}

// Sub-topics by k-means over the members' rows; `relevance`: per member.
// `topic_terms`: every term of the members' rows (their centroid's nonzero
// terms).
Clustering KMeans(const Corpus& c, const MemberRows& member_row, const std::vector<double>& relevance,
                  const std::vector<std::uint32_t>& topic_terms, const MethodOptions& o) {
  const size_t n = member_row.size();
  Clustering r;
  r.assignment.assign(n, 0);
  const int k = std::clamp(static_cast<int>(std::floor(std::sqrt(n / o.passages_per_k))), 1,
                           o.max_subtopics);
  if (k <= 1) return r;
  const size_t terms = c.index.terms.size();
  // Seeds: the most central passage, then farthest-first.
  std::vector<size_t> seeds;
  size_t first = 0;
  for (size_t m = 1; m < n; ++m) {
    if (relevance[m] > relevance[first] + 1e-12) first = m;
  }
  seeds.push_back(first);
  std::vector<double> closest(n, -1e9);
  while (static_cast<int>(seeds.size()) < k) {
    const SparseView last = member_row(seeds.back());
    double best = 1e9;
    size_t best_m = n;
    for (size_t m = 0; m < n; ++m) {
      member_row.ReleaseEvery(m);
      if (member_row(m).empty()) continue;
      closest[m] = std::max(closest[m], Dot(member_row(m), last));
      if (std::find(seeds.begin(), seeds.end(), m) != seeds.end()) continue;
      if (closest[m] < best - 1e-12) {
        best = closest[m];
        best_m = m;
      }
    }
    if (best_m == n) break;
    seeds.push_back(best_m);
  }
  // The centroids' weights term-major: the k weights of a term side by
  // side, so that a passage's k dot products read one cache line a term
  // rather than k (#11: the assignment step was most of k-means over the
  // large areas). Each dot product sums the same terms in the same order as
  // Dot(): same bits. Only the topic's own terms have a place (#11: at
  // N=100,000 the largest area has half the corpus' 414,085 terms, the next
  // two a third, and six weights for every term were ~20 MB per area). A
  // centroid is summed in one dense scratch vector and kept as its nonzero
  // terms (#11: a dense vector per centroid, six per large area with two at
  // once, was ~50 MB of the reports' peak at N=100,000).
  std::vector<std::uint32_t> place(terms, 0);  // term id -> its row in by_term
  for (size_t i = 0; i < topic_terms.size(); ++i) place[topic_terms[i]] = static_cast<std::uint32_t>(i);
  struct SparseCentroid {
    std::vector<std::uint32_t> places;
    std::vector<double> w;
  };
  std::vector<SparseCentroid> centroids(seeds.size());
  DenseVector scratch;
  auto refill = [&](size_t j, const std::vector<size_t>& which) {
    CentroidOfRows(terms, which, member_row, &scratch, &topic_terms);
    centroids[j].places.resize(scratch.nz.size());
    centroids[j].w.resize(scratch.nz.size());
    for (size_t i = 0; i < scratch.nz.size(); ++i) {
      centroids[j].places[i] = place[scratch.nz[i]];
      centroids[j].w[i] = scratch.w[scratch.nz[i]];
    }
  };
  for (size_t j = 0; j < seeds.size(); ++j) refill(j, {seeds[j]});
  const size_t stride = centroids.size();
  std::vector<double> by_term(topic_terms.size() * stride, 0.0);
  auto fill_by_term = [&] {
    // Every term a centroid now holds was set; the rest are still 0, as
    // terms leave a centroid only when it is refilled below.
    for (size_t j = 0; j < centroids.size(); ++j) {
      const SparseCentroid& cj = centroids[j];
      for (size_t i = 0; i < cj.places.size(); ++i) by_term[cj.places[i] * stride + j] = cj.w[i];
    }
  };
  auto clear_by_term = [&] {
    for (size_t j = 0; j < centroids.size(); ++j) {
      for (std::uint32_t at : centroids[j].places) by_term[at * stride + j] = 0.0;
    }
  };
  fill_by_term();
  std::vector<double> scores(stride);
  std::vector<int> assignment(n, -1);
  for (int iteration = 0; iteration < o.kmeans_iterations; ++iteration) {
    bool changed = false;
    for (size_t m = 0; m < n; ++m) {
      member_row.ReleaseEvery(m);
      std::fill(scores.begin(), scores.end(), 0.0);
      for (const auto& [id, w] : member_row(m)) {
        const double* row = &by_term[place[id] * stride];
        for (size_t j = 0; j < centroids.size(); ++j) scores[j] += static_cast<double>(w) * row[j];
      }
      int best_j = 0;
      double best = -1;
      for (size_t j = 0; j < centroids.size(); ++j) {
        const double s = scores[j];
        if (s > best + 1e-12) {
          best = s;
          best_j = static_cast<int>(j);
        }
      }
      changed = changed || assignment[m] != best_j;
      assignment[m] = best_j;
    }
    // Dissolve the smallest cluster under the floor, then re-assign.
    // (Groups hold positions in `members`, in member order.)
    std::vector<std::vector<size_t>> groups(centroids.size());
    for (size_t m = 0; m < n; ++m) groups[static_cast<size_t>(assignment[m])].push_back(m);
    size_t smallest = 0;
    for (size_t j = 1; j < groups.size(); ++j) {
      if (groups[j].size() < groups[smallest].size()) smallest = j;
    }
    if (centroids.size() > 1 && static_cast<int>(groups[smallest].size()) < o.min_subtopic_passages) {
      clear_by_term();
      centroids.erase(centroids.begin() + static_cast<std::ptrdiff_t>(smallest));
      groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(smallest));
      for (size_t j = 0; j < groups.size(); ++j) refill(j, groups[j]);
      fill_by_term();
      std::fill(assignment.begin(), assignment.end(), -1);
      iteration = -1;  // start the rounds again with one cluster less
      continue;
    }
    if (!changed && iteration > 0) break;
    clear_by_term();
    for (size_t j = 0; j < groups.size(); ++j) refill(j, groups[j]);
    fill_by_term();
  }
  r.k = static_cast<int>(centroids.size());
  for (size_t m = 0; m < n; ++m) r.assignment[m] = std::max(0, assignment[m]);
  if (r.k <= 1) std::fill(r.assignment.begin(), r.assignment.end(), 0);
  return r;
}

// Terms most over-represented in `inside` compared with `outside` (by mean
// TF-IDF weight); when `outside` is empty, the heaviest terms of `inside`.
// `score` is scratch.
// `inside` and `outside` are positions in the members whose rows `rows` holds.
std::vector<std::string> LabelTerms(const Corpus& c, const MemberRows& rows, const std::vector<size_t>& inside,
                                    const std::vector<size_t>& outside, int count, Accumulator* score) {
  score->Reset(c.index.terms.size());
  for (size_t k = 0; k < inside.size(); ++k) {
    rows.ReleaseEvery(k);
    for (const auto& [id, w] : rows(inside[k])) score->Add(id, w / static_cast<double>(inside.size()));
  }
  for (size_t k = 0; k < outside.size(); ++k) {
    rows.ReleaseEvery(k);
    for (const auto& [id, w] : rows(outside[k])) {
      if (score->Has(id)) score->value[id] -= w / static_cast<double>(outside.size());
    }
  }
  std::vector<std::pair<double, std::uint32_t>> ranked;
  for (std::uint32_t id : score->ids) {
    if (score->value[id] > 0) ranked.emplace_back(score->value[id], id);
  }
  // A total order (score, then the term), so the order of `ids` is no matter.
  std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return c.index.terms[a.second] < c.index.terms[b.second];
  });
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& [s, id] : ranked) {
    if (static_cast<int>(out.size()) >= count) break;
    if (seen.insert(c.index.surface[id]).second) out.push_back(c.index.surface[id]);
  }
  return out;
}

std::vector<CountRow> GroupRows(const Corpus& c, const std::vector<size_t>& passages) {
  std::vector<int> count(c.groups.size(), 0);
  std::vector<std::vector<std::uint32_t>> docs(c.groups.size());
  for (size_t p : passages) {
    ++count[c.group_of[p]];
    docs[c.group_of[p]].push_back(c.doc_of[p]);
  }
  std::map<std::string, std::pair<int, int>> m;  // group -> passages, documents: in group order
  for (size_t g = 0; g < c.groups.size(); ++g) {
    if (count[g] == 0) continue;
    std::sort(docs[g].begin(), docs[g].end());
    const auto distinct = std::unique(docs[g].begin(), docs[g].end()) - docs[g].begin();
    m[c.groups[g]] = {count[g], static_cast<int>(distinct)};
  }
  std::vector<CountRow> rows;
  for (const auto& [g, e] : m) rows.push_back({g, g.empty() ? "(okänd)" : g, e.first, e.second});
  std::stable_sort(rows.begin(), rows.end(), [](const CountRow& a, const CountRow& b) { return a.passages > b.passages; });
  return rows;
}

// What ExtractKeyPhrases is asked for a topic's candidates, and for one
// passage's own phrases (every phrase, none dropped as part of a longer one).
analysis::KeyPhraseOptions TopicPhraseOptions(const MethodOptions& o) {
  analysis::KeyPhraseOptions kpo;
  kpo.min_doc_count = 2;
  kpo.max_phrases = o.key_phrase_candidates;
  return kpo;
}

analysis::KeyPhraseOptions PassagePhraseOptions() {
  analysis::KeyPhraseOptions every;
  every.min_count = 1;
  every.max_phrases = std::numeric_limits<int>::max();
  every.subsumed_share = 2.0;  // never drop a phrase inside a longer one
  return every;
}

}  // namespace

namespace {

// The scan cache of a BuildTermIndex run: last run's records to read and
// this run's file to write.
struct ScanCacheRun {
  std::string header;
  std::unique_ptr<ScanCache> previous;
  std::unique_ptr<AtomicFileWriter> out;  // null when it cannot be written
  bool keep = false;                      // copy the previous file's records
  std::vector<std::uint64_t> hashes;      // per passage: FNV-1a of its text
  std::vector<char> write;                // per passage: its record goes into the new file
};

ScanCacheRun OpenScanCache(const PassageStore& passages, const analysis::Analyzer& analyzer, ScanCacheUse* use) {
  ScanCacheRun run;
  run.header = ScanCacheHeader(analyzer.Fingerprint());
  run.previous = ScanCache::Load(use->path, run.header);
  run.hashes.resize(passages.size());
  // A stretch of texts at a time, each handed back before the next (#11).
  constexpr size_t kStretch = 65536;
  for (size_t start = 0; start < passages.size(); start += kStretch) {
    const size_t end = std::min(passages.size(), start + kStretch);
    ParallelFor(start, end, WorkerCount(end - start),
                [&](size_t i, size_t) { run.hashes[i] = Fnv1a64(passages.text(i)); });
    passages.ReleasePages();
  }
  // Each distinct text once: its first passage (by hash, then position).
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order(passages.size());
  for (size_t i = 0; i < passages.size(); ++i) order[i] = {run.hashes[i], static_cast<std::uint32_t>(i)};
  std::sort(order.begin(), order.end());
  std::vector<std::uint32_t> first;
  for (size_t k = 0; k < order.size(); ++k) {
    if (k == 0 || order[k].first != order[k - 1].first) first.push_back(order[k].second);
  }
  order = decltype(order)();
  // Last run's records are copied as they are while most of them are still
  // in use; otherwise the file is written afresh, so that the texts of
  // changed passages do not pile up night after night.
  // run.write first marks each distinct text the file does not hold, then
  // (when the file is written afresh) every distinct text.
  run.write.assign(passages.size(), 0);
  size_t live = 0;
  for (std::uint32_t i : first) {
    const bool held = run.previous->Has(run.hashes[i], passages.text(i).size());
    live += held ? 1 : 0;
    run.write[i] = held ? 0 : 1;
  }
  run.keep = run.previous->size() > 0 && live * 5 >= run.previous->size() * 4;
  if (!run.keep) {
    for (std::uint32_t i : first) run.write[i] = 1;
  }
  Result<std::unique_ptr<AtomicFileWriter>> out = AtomicFileWriter::Open(use->path);
  if (!out.ok()) {
    use->written = out.status();
    return run;
  }
  run.out = std::move(*out);
  return run;
}

}  // namespace

TermIndex BuildTermIndex(const PassageStore& passages, const analysis::Analyzer& analyzer, ScanCacheUse* cache) {
  const StanceLexicon lexicon = MakeStanceLexicon(analyzer);
  ScanCacheRun scan_cache;
  if (cache != nullptr && !cache->path.empty()) scan_cache = OpenScanCache(passages, analyzer, cache);
  TermIndex x;
  // The rows go into the passages' spill file as each block is filled (#11).
  if (const std::shared_ptr<SpillFile>& spill = passages.spill()) {
    x.vectors.SpillTo(spill);
    x.occurrences.SpillTo(spill);
    x.stance.SpillTo(spill);
    x.sentences.SpillTo(spill);
    x.phrase_tokens.passages.SpillTo(spill);
  }
  // Ids in first-seen order over passages in their fixed order.
  StringIds stems;
  StringIds surface_strings;
  std::vector<std::vector<std::pair<std::uint32_t, int>>> surfaces;  // per term: (surface, occurrences)
  std::vector<int> df;
  x.distinct_terms.resize(passages.size());
  SparseVector counts;  // a passage's raw counts, reused
  std::vector<Occurrence> occurrences;  // a passage's, reused

  // A term occurrence, its ids known.
  auto add_term = [&](std::uint32_t byte, std::uint32_t id, std::uint32_t surface, float weight) {
    if (id == df.size()) {  // a new term
      surfaces.emplace_back();
      df.push_back(0);
    }
    auto& forms = surfaces[id];
    auto form = std::find_if(forms.begin(), forms.end(), [&](const auto& f) { return f.first == surface; });
    if (form == forms.end()) {
      forms.emplace_back(surface, 1);
    } else {
      ++form->second;
    }
    counts.emplace_back(id, weight);
    occurrences.emplace_back(byte, id, weight);
  };
  // For passages read from the scan cache: the cache's string index -> id
  // in stems, in surface_strings, and the phrase token of a (norm, stem,
  // flags), so that each string is hashed once a run rather than once an
  // occurrence (#11). Ids are still assigned in first-seen order.
  const ScanCache* previous = scan_cache.previous.get();
  struct TokenMemo {
    std::uint32_t stem = kNoId;
    std::uint8_t flags = 0;
    std::uint32_t id = kNoId;
  };
  std::vector<std::uint32_t> stem_of, surface_of;
  std::vector<TokenMemo> token_of;  // by the norm's string index
  if (previous != nullptr) {
    stem_of.assign(previous->strings(), kNoId);
    surface_of.assign(previous->strings(), kNoId);
    token_of.resize(previous->strings());
  }
  std::vector<std::uint32_t> token_ids;  // a passage's phrase tokens, reused
  std::unique_ptr<ScanCacheWriter> writer;
  if (scan_cache.out) {
    writer = std::make_unique<ScanCacheWriter>(
        std::move(scan_cache.out), scan_cache.header, scan_cache.keep ? previous : nullptr,
        ScanCacheWriter::Tables{&stems, &surface_strings, &x.phrase_tokens.strings});
  }
  // The passage as the writer takes it: ids of the tables above.
  CachedPassage record;
  auto record_token = [&](std::uint32_t token) {
    if (token == PhraseTokens::kBreak) {
      record.phrase_tokens.push_back({0, 0, 0, 0});
      return;
    }
    const PhraseWord& w = x.phrase_tokens.words[token & ~PhraseTokens::kClauseStart];
    const auto flags = static_cast<std::uint8_t>((w.nonstop ? 1 : 0) | (w.inner ? 2 : 0) | (w.compound ? 4 : 0) |
                                                 ((token & PhraseTokens::kClauseStart) != 0 ? 8 : 0));
    record.phrase_tokens.push_back({w.norm, w.stem, w.chars, flags});
  };

  // Block by block: the block's passages are scanned (or read from the
  // cache) in parallel, then given ids in passage order; only two blocks'
  // raw strings live at a time. The next block is scanned on other threads
  // while this thread gives the block before its ids (#11: that serial pass
  // left the other core idle).
  constexpr size_t kBlock = 4096;
  struct ScannedBlock {
    std::vector<RawPassage> raw;
    std::vector<CachedPassage> cached;
    std::vector<char> reused;  // per passage of the block: read from the scan cache
  };
  auto scan = [&](size_t start, ScannedBlock* b) {
    const size_t end = std::min(passages.size(), start + kBlock);
    b->raw.assign(end - start, RawPassage());
    if (previous != nullptr) b->cached.resize(end - start);
    b->reused.assign(end - start, 0);
    ParallelFor(start, end, WorkerCount(end - start), [&](size_t i, size_t) {
      const std::string_view text = passages.text(i);
      if (previous != nullptr && previous->Find(scan_cache.hashes[i], text.size(), &b->cached[i - start])) {
        b->reused[i - start] = 1;
      } else {
        b->raw[i - start] = Scan(text, analyzer, lexicon);
      }
    });
    if (previous != nullptr) previous->ReleasePages();
    passages.ReleasePages();
  };
  ScannedBlock blocks[2];
  std::thread scanning;
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join_on_exit{scanning};
  if (passages.size() > 0) scan(0, &blocks[0]);
  for (size_t start = 0, turn = 0; start < passages.size(); start += kBlock, ++turn) {
    const size_t end = std::min(passages.size(), start + kBlock);
    if (scanning.joinable()) scanning.join();
    if (end < passages.size()) scanning = std::thread(scan, end, &blocks[(turn + 1) % 2]);
    std::vector<RawPassage>& raw = blocks[turn % 2].raw;
    std::vector<CachedPassage>& cached = blocks[turn % 2].cached;
    const std::vector<char>& reused = blocks[turn % 2].reused;
    if (cache != nullptr) {
      for (char r : reused) (r ? cache->reused : cache->scanned) += 1;
    }
    // The block's rows are a block of each RaggedArray: sized at once.
    static_assert(kBlock == RaggedArray<Occurrence>::kRowsPerBlock);
    size_t terms = 0, tokens = 0, marks = 0, sentences = 0;
    auto count = [&](const auto& r) {  // a CachedPassage or a RawPassage
      terms += r.terms.size();
      tokens += r.phrase_tokens.size();
      marks += r.stance.size();
      sentences += r.sentences.size();
    };
    for (size_t k = 0; k < raw.size(); ++k) {
      if (reused[k]) {
        count(cached[k]);
      } else {
        count(raw[k]);
      }
    }
    x.occurrences.Reserve(terms);
    x.vectors.Reserve(terms);  // at most: a term that occurs twice is one entry
    x.phrase_tokens.passages.Reserve(tokens);
    x.stance.Reserve(marks);
    x.sentences.Reserve(sentences);
    for (size_t i = start; i < end; ++i) {
      counts.clear();
      occurrences.clear();
      token_ids.clear();
      record.terms.clear();
      record.phrase_tokens.clear();
      const std::uint64_t length = passages.text(i).size();
      const bool write = writer && scan_cache.write[i];
      if (reused[i - start]) {
        CachedPassage& r = cached[i - start];
        for (const CachedTerm& t : r.terms) {
          std::uint32_t& id = stem_of[t.stem];
          if (id == kNoId) id = stems.Intern(previous->String(t.stem));
          std::uint32_t& surface = surface_of[t.surface];
          if (surface == kNoId) surface = surface_strings.Intern(previous->String(t.surface));
          add_term(t.byte_start, id, surface, t.part ? 0.5f : 1.0f);
          if (write) record.terms.push_back({t.byte_start, id, surface, t.part});
        }
        for (const CachedToken& t : r.phrase_tokens) {
          if (t.flags == 0) {
            token_ids.push_back(PhraseTokens::kBreak);
            continue;
          }
          const auto word_flags = static_cast<std::uint8_t>(t.flags & 7);
          TokenMemo& memo = token_of[t.norm];
          if (memo.id == kNoId || memo.stem != t.stem || memo.flags != word_flags) {
            memo = {t.stem, word_flags,
                    x.phrase_tokens.TokenId(previous->String(t.norm), previous->String(t.stem), t.chars, word_flags,
                                            analyzer)};
          }
          token_ids.push_back(memo.id | ((t.flags & 8) != 0 ? PhraseTokens::kClauseStart : 0u));
        }
        record.stance.swap(r.stance);
        record.sentences.swap(r.sentences);
      } else {
        RawPassage& r = raw[i - start];
        for (const RawTerm& t : r.terms) {
          const std::uint32_t id = stems.Intern(t.stem);
          const std::uint32_t surface = surface_strings.Intern(t.surface);
          add_term(t.byte_start, id, surface, t.weight);
          if (write) record.terms.push_back({t.byte_start, id, surface, t.weight < 1.0f});
        }
        for (const PhraseTokens::ReducedToken& t : r.phrase_tokens) {
          token_ids.push_back(x.phrase_tokens.TokenId(t.norm, t.stem, t.chars, t.flags, analyzer));
        }
        record.stance.swap(r.stance);
        record.sentences.swap(r.sentences);
        r = RawPassage();
      }
      x.phrase_tokens.AppendPassage(token_ids);
      x.stance.Append(record.stance.begin(), record.stance.end());
      x.sentences.Append(record.sentences.begin(), record.sentences.end());
      if (write) {
        for (std::uint32_t token : token_ids) record_token(token);
        writer->Add(scan_cache.hashes[i], length, record);
      }
      // Merge the counts by term. Weights are 1 and 0.5, so the float sums
      // are exact whatever the order.
      std::sort(counts.begin(), counts.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      size_t out = 0;
      for (size_t k = 0; k < counts.size(); ++k) {
        if (out > 0 && counts[out - 1].first == counts[k].first) {
          counts[out - 1].second += counts[k].second;
        } else {
          counts[out++] = counts[k];
        }
      }
      counts.resize(out);
      for (const auto& [id, c] : counts) ++df[id];
      x.distinct_terms[i] = static_cast<int>(counts.size());
      x.vectors.Append(counts.begin(), counts.end());  // raw counts until the idf is known
      x.occurrences.Append(occurrences.begin(), occurrences.end());
    }
  }
  x.vectors.Seal();
  x.occurrences.Seal();
  x.stance.Seal();
  x.sentences.Seal();
  x.phrase_tokens.passages.Seal();
  passages.ReleasePages();
  x.phrase_tokens.ReleaseLookups();
  if (writer) cache->written = writer->Commit();
  writer.reset();
  scan_cache = ScanCacheRun();
  const double n = static_cast<double>(passages.size());
  x.df = df;
  x.terms.reserve(stems.size());
  for (std::uint32_t id = 0; id < stems.size(); ++id) x.terms.emplace_back(stems[id]);
  for (size_t id = 0; id < x.terms.size(); ++id) {
    x.idf.push_back(static_cast<float>(std::log((1.0 + n) / (1.0 + df[id])) + 1.0));
    // The most frequent form; ties keep the smallest string.
    std::string_view best;
    int best_count = -1;
    for (const auto& [s, c] : surfaces[id]) {
      if (c > best_count || (c == best_count && surface_strings[s] < best)) {
        best = surface_strings[s];
        best_count = c;
      }
    }
    x.surface.emplace_back(best);
  }
  for (size_t i = 0; i < x.vectors.size(); ++i) {
    Weigh(x.vectors[i], x.idf);
    if ((i + 1) % RaggedArray<SparseEntry>::kRowsPerBlock == 0) passages.ReleasePages();
  }
  passages.ReleasePages();
  return x;
}

Citation Cite(const Corpus& corpus, size_t i) {
  const PassageStore& p = *corpus.passages;
  Citation c;
  c.passage_id = p.id(i);
  c.doc_id = p.doc_id(i);
  if (const Document* d = corpus.document(i)) {
    const DocumentMeta& m = d->meta;
    c.organisation = m.organisation;
    c.actor_group = m.actor_group;
    c.subregion = m.subregion;
    c.kind = m.kind;
    c.title = m.title;
    c.date = m.date;
  }
  const std::string_view role = p.speaker_role(i);
  const std::string_view org = p.speaker_org(i);
  if (!role.empty() || !org.empty()) {
    c.speaker = role;
    if (!org.empty()) {
      if (!c.speaker.empty()) c.speaker += ", ";
      c.speaker += org;
    }
  }
  c.section = p.section(i);
  c.line_start = p.line_start(i);
  c.line_end = p.line_end(i);
  c.page = p.page(i);
  c.ordinal = p.ordinal(i);
  if (c.line_start > 0) {
    c.where = c.line_end > c.line_start
                  ? "rad " + std::to_string(c.line_start) + "\u2013" + std::to_string(c.line_end)
                  : "rad " + std::to_string(c.line_start);
  } else if (c.page > 0) {
    c.where = "sida " + std::to_string(c.page) + ", stycke " + std::to_string(c.ordinal + 1);
  } else {
    c.where = "stycke " + std::to_string(c.ordinal + 1);
  }
  return c;
}

void AnalyseTopic(const Corpus& c, const std::vector<size_t>& members, int quotes, const MethodOptions& o,
                  TopicReport* topic) {
  if (members.empty()) return;
  // Freed once the quotes are chosen (each round of MMR reads every
  // candidate's row).
  auto member_rows = std::make_unique<MemberRows>(c, members);
  const MemberRows& rows = *member_rows;
  std::vector<size_t> positions(members.size());  // 0, 1, ...: every member, in order
  for (size_t m = 0; m < positions.size(); ++m) positions[m] = m;
  DenseVector centroid;
  CentroidOfRows(c.index.terms.size(), positions, rows, &centroid);
  std::vector<double> relevance(members.size());
  for (size_t m = 0; m < members.size(); ++m) {
    rows.ReleaseEvery(m);
    relevance[m] = Dot(rows(m), centroid);
  }

  // Sub-topics, largest first.
  const Clustering clusters = KMeans(c, rows, relevance, centroid.nz, o);
  std::vector<std::vector<size_t>> groups(static_cast<size_t>(clusters.k));  // passages
  std::vector<std::vector<size_t>> group_positions(groups.size());         // positions in members
  for (size_t m = 0; m < members.size(); ++m) {
    groups[static_cast<size_t>(clusters.assignment[m])].push_back(members[m]);
    group_positions[static_cast<size_t>(clusters.assignment[m])].push_back(m);
  }
  positions = decltype(positions)();
  std::vector<SubTopic> subtopics;
  // Each sub-topic's centroid, from the rows at hand: the same sums in the
  // same order as Centroid() over its passages, which FindDisagreements
  // would otherwise compute from the term index.
  std::vector<CompactVector> group_centroids;
  if (groups.size() > 1) {
    DenseVector scratch_centroid;
    for (const std::vector<size_t>& inside : group_positions) {
      CentroidOfRows(c.index.terms.size(), inside, rows, &scratch_centroid, &centroid.nz);
      group_centroids.push_back(Compact(scratch_centroid));
    }
  }
  Accumulator scratch;
  for (size_t j = 0; j < groups.size(); ++j) {
    std::vector<size_t> outside;
    for (size_t m = 0; m < members.size(); ++m) {
      if (clusters.assignment[m] != static_cast<int>(j)) outside.push_back(m);
    }
    SubTopic s;
    s.terms = LabelTerms(c, rows, group_positions[j], outside, o.subtopic_label_terms, &scratch);
    for (const std::string& t : s.terms) s.label += (s.label.empty() ? "" : ", ") + t;
    if (s.label.empty()) s.label = "övrigt";
    s.id = static_cast<int>(j);  // renumbered below
    subtopics.push_back(std::move(s));
  }
  group_positions = decltype(group_positions)();
  std::vector<size_t> order(groups.size());
  for (size_t j = 0; j < order.size(); ++j) order[j] = j;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    if (groups[x].size() != groups[y].size()) return groups[x].size() > groups[y].size();
    return subtopics[x].label < subtopics[y].label;
  });
  std::vector<int> rank(groups.size());
  PagePacer pacer(c.passages);
  std::vector<SubTopic> sorted;
  std::vector<std::vector<size_t>> sorted_members;
  std::vector<CompactVector> sorted_centroids;
  for (size_t r = 0; r < order.size(); ++r) {
    rank[order[r]] = static_cast<int>(r);
    SubTopic s = subtopics[order[r]];
    s.id = static_cast<int>(r);
    s.actor_groups = GroupRows(c, groups[order[r]]);
    std::vector<std::string_view> ids;
    ids.reserve(groups[order[r]].size());
    for (size_t p : groups[order[r]]) {
      pacer.Next(p);
      ids.push_back(c.passages->id(p));
    }
    s.passage_ids = IdList::From(std::move(ids));
    sorted.push_back(std::move(s));
    sorted_members.push_back(groups[order[r]]);
    if (!group_centroids.empty()) sorted_centroids.push_back(std::move(group_centroids[order[r]]));
  }
  const bool has_subtopics = sorted.size() > 1;
  if (!has_subtopics) sorted_members.clear();  // the topic is the only unit

  // Quotes.
  std::vector<size_t> candidates;
  std::vector<double> cand_relevance;
  std::vector<int> cand_subtopic;
  std::vector<size_t> cand_at;  // positions in `members`
  for (size_t m = 0; m < members.size(); ++m) {
    if (c.index.distinct_terms[members[m]] < o.min_quote_terms) continue;
    candidates.push_back(members[m]);
    cand_at.push_back(m);
    cand_relevance.push_back(relevance[m]);
    cand_subtopic.push_back(has_subtopics ? rank[static_cast<size_t>(clusters.assignment[m])] : -1);
  }
  const std::vector<size_t> quoted =
      Mmr(c, rows, candidates, cand_at, cand_relevance, cand_subtopic, static_cast<size_t>(std::max(0, quotes)), o);
  // The disagreements read few rows, each once.
  member_rows.reset();
  for (size_t k : quoted) {
    Quote q = MakeQuote(c, candidates[k], centroid, o);
    q.subtopic = cand_subtopic[k];
    q.relevance = Rounded(q.relevance, 4);
    topic->quotes.push_back(std::move(q));
  }
  for (Disagreement& d : FindDisagreements(c, {members, centroid, sorted_members, sorted_centroids}, sorted, o)) {
    for (Side* s : {&d.a, &d.b}) {
      for (Quote& q : s->quotes) {
        q.subtopic = d.subtopic;
        q.relevance = Rounded(q.relevance, 4);
      }
    }
    topic->disagreements.push_back(std::move(d));
  }
  if (has_subtopics) topic->subtopics = std::move(sorted);
}

// ---- Key phrases ------------------------------------------------------------

PhraseCandidates KeyPhraseCandidates(const Corpus& c, const std::vector<size_t>& members, const MethodOptions& o) {
  PhraseCandidates r;
  if (members.empty()) return r;
  PhraseExtractor extractor(c.index.phrase_tokens);
  extractor.pages = c.passages;
  std::vector<PhraseGroup> groups;
  r.phrases = extractor.Extract(members, TopicPhraseOptions(o), &groups);
  for (const PhraseGroup& g : groups) r.keys.push_back(extractor.Key(g.surface));
  return r;
}

PhraseOccurrences FindPhrases(const Corpus& c, const std::vector<const PhraseCandidates*>& topics) {
  PhraseOccurrences r;
  for (const PhraseCandidates* t : topics) {
    for (const IdTuple& key : t->keys) r.ids.try_emplace(key, static_cast<std::uint32_t>(r.ids.size()));
  }
  const size_t n = c.index.phrase_tokens.passages.size();
  r.in_passage.SpillTo(c.passages->spill());
  r.passages.assign(r.ids.size(), 0);
  if (r.ids.empty()) {
    for (size_t i = 0; i < n; ++i) r.in_passage.Append(std::span<const std::uint32_t>());
    return r;
  }
  const analysis::KeyPhraseOptions every = PassagePhraseOptions();
  const size_t workers = WorkerCount(n);
  std::vector<PhraseExtractor> extractors(workers, PhraseExtractor(c.index.phrase_tokens));
  std::vector<std::vector<PhraseGroup>> groups(workers);
  std::vector<std::vector<size_t>> one(workers, std::vector<size_t>(1));
  // A block of passages at a time, in parallel, then appended in order.
  constexpr size_t kBlock = 4096;
  std::vector<std::vector<std::uint32_t>> block(kBlock);
  for (size_t start = 0; start < n; start += kBlock) {
    const size_t end = std::min(n, start + kBlock);
    ParallelFor(start, end, workers, [&](size_t i, size_t w) {
      one[w][0] = i;
      extractors[w].Collect(one[w], every, &groups[w]);
      std::vector<std::uint32_t>& found = block[i - start];
      found.clear();
      for (const PhraseGroup& g : groups[w]) {
        auto it = r.ids.find(extractors[w].Key(g.surface));
        if (it != r.ids.end()) found.push_back(it->second);
      }
      std::sort(found.begin(), found.end());
      found.erase(std::unique(found.begin(), found.end()), found.end());
    });
    size_t found_total = 0;
    for (size_t i = start; i < end; ++i) found_total += block[i - start].size();
    r.in_passage.Reserve(found_total);
    for (size_t i = start; i < end; ++i) {
      const std::vector<std::uint32_t>& found = block[i - start];
      for (std::uint32_t id : found) ++r.passages[id];
      r.in_passage.Append(found.begin(), found.end());
    }
    c.passages->ReleasePages();
  }
  r.in_passage.Seal();
  return r;
}

std::vector<Phrase> KeyPhrases(const Corpus& c, const std::vector<size_t>& members, const PhraseCandidates& candidates,
                               const PhraseOccurrences& occurrences, const MethodOptions& o) {
  if (members.empty()) return {};
  // The topic's passages that contain each candidate's key.
  std::vector<std::uint32_t> id_of(candidates.keys.size(), kNoId);
  std::unordered_map<std::uint32_t, std::pair<int, std::set<std::uint32_t>>> in;  // id -> passages, documents
  for (size_t k = 0; k < candidates.keys.size(); ++k) {
    auto it = occurrences.ids.find(candidates.keys[k]);
    if (it == occurrences.ids.end()) continue;
    id_of[k] = it->second;
    in.try_emplace(it->second);
  }
  PagePacer pacer(c.passages);
  for (size_t p : members) {
    pacer.Next(p);
    for (std::uint32_t id : occurrences.in_passage[p]) {
      auto it = in.find(id);
      if (it == in.end()) continue;
      ++it->second.first;
      it->second.second.insert(c.doc_of[p]);
    }
  }

  const double n_in = static_cast<double>(members.size());
  const double n_out = static_cast<double>(c.size()) - n_in;
  std::vector<Phrase> out;
  for (size_t k = 0; k < candidates.phrases.size(); ++k) {
    const analysis::KeyPhrase& phrase = candidates.phrases[k];
    const bool seen = id_of[k] != kNoId && occurrences.passages[id_of[k]] > 0;
    int in_topic = seen ? in[id_of[k]].first : 0;
    const int documents = seen ? static_cast<int>(in[id_of[k]].second.size()) : 0;
    const int all = seen ? occurrences.passages[id_of[k]] : phrase.doc_count;
    if (in_topic == 0) in_topic = phrase.doc_count;  // a key the per-passage pass did not see
    const double rate_in = (in_topic + 0.5) / (n_in + 1.0);
    const double rate_out = (std::max(0, all - in_topic) + 0.5) / (n_out + 1.0);
    const double contrast = std::log(rate_in / rate_out);
    if (contrast <= 0) continue;
    Phrase p;
    p.phrase = phrase.phrase;
    p.passages = in_topic;
    p.documents = documents;
    p.score = Rounded(phrase.score * contrast, 4);
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const Phrase& a, const Phrase& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.phrase < b.phrase;
  });
  if (static_cast<int>(out.size()) > o.key_phrases) out.resize(static_cast<size_t>(o.key_phrases));
  return out;
}

std::vector<Phrase> KeyPhrases(const Corpus& c, const std::vector<size_t>& members, const MethodOptions& o) {
  const PhraseCandidates candidates = KeyPhraseCandidates(c, members, o);
  const PhraseOccurrences occurrences = FindPhrases(c, {&candidates});
  return KeyPhrases(c, members, candidates, occurrences, o);
}

}  // namespace samrad::reports::internal
