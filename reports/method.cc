// The report's text methods; method.h lists the steps.
#include "reports/method.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "reports/text.h"

namespace samrad::reports::internal {
namespace {

// One passage's terms before ids are assigned: (byte, stem, weight, surface).
struct RawTerm {
  std::uint32_t byte_start;
  std::string stem;
  float weight;
  std::string surface;
};

struct RawPassage {
  std::vector<RawTerm> terms;
  std::vector<std::string> phrases;  // stem keys
  std::vector<StanceMark> stance;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sentences;
};

// "fullföljda studier" -> "fullföljd studi": phrases that differ only in
// inflection share a key, as in ExtractKeyPhrases' own grouping.
std::string PhraseKey(const std::string& phrase, const analysis::Analyzer& analyzer) {
  std::string key;
  size_t start = 0;
  while (start <= phrase.size()) {
    size_t end = phrase.find(' ', start);
    if (end == std::string::npos) end = phrase.size();
    if (end > start) key += (key.empty() ? "" : " ") + analyzer.Stem(std::string_view(phrase).substr(start, end - start));
    start = end + 1;
  }
  return key;
}

bool IsContent(const analysis::Token& t) {
  return !t.stop && (t.kind == analysis::TokenKind::kWord || t.kind == analysis::TokenKind::kAlphanumeric) &&
         t.norm.size() >= 3;
}

RawPassage Scan(const std::string& text, const analysis::Analyzer& analyzer, const StanceLexicon& lexicon) {
  RawPassage r;
  std::vector<std::vector<analysis::Token>> one(1, analyzer.Tokenize(text));
  const std::vector<analysis::Token>& tokens = one[0];
  analysis::KeyPhraseOptions every;
  every.min_count = 1;
  every.max_phrases = std::numeric_limits<int>::max();
  every.subsumed_share = 2.0;  // never drop a phrase inside a longer one
  for (const analysis::KeyPhrase& k : analysis::ExtractKeyPhrases(one, every)) {
    r.phrases.push_back(PhraseKey(k.phrase, analyzer));
  }
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

}  // namespace

double Dot(const SparseVector& a, const SparseVector& b) {
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

double Dot(const SparseVector& a, const std::vector<double>& dense) {
  double s = 0;
  for (const auto& [id, w] : a) s += static_cast<double>(w) * dense[id];
  return s;
}

// Sublinear tf times idf, L2-normalised, from (term, raw count) pairs.
static SparseVector Weigh(const std::map<std::uint32_t, float>& counts, const std::vector<float>& idf) {
  SparseVector v;
  v.reserve(counts.size());
  double norm = 0;
  for (const auto& [id, c] : counts) {
    const double tf = c >= 1.0f ? 1.0 + std::log(static_cast<double>(c)) : static_cast<double>(c);
    const auto w = static_cast<float>(tf * idf[id]);
    v.emplace_back(id, w);
    norm += static_cast<double>(w) * w;
  }
  if (norm > 0) {
    const double inv = 1.0 / std::sqrt(norm);
    for (auto& e : v) e.second = static_cast<float>(e.second * inv);
  }
  return v;
}

std::vector<double> Centroid(const Corpus& c, const std::vector<size_t>& members) {
  std::vector<double> sum(c.index.terms.size(), 0.0);
  for (size_t m : members) {
    for (const auto& [id, w] : c.index.vectors[m]) sum[id] += w;
  }
  double norm = 0;
  for (double x : sum) norm += x * x;
  if (norm > 0) {
    const double inv = 1.0 / std::sqrt(norm);
    for (double& x : sum) x *= inv;
  }
  return sum;
}

std::string GroupOf(const Corpus& c, size_t i) {
  return c.info[i].document ? c.info[i].document->meta.actor_group : std::string();
}
std::string DocOf(const Corpus& c, size_t i) { return c.info[i].passage->doc_id; }

// ---- Quotes ---------------------------------------------------------------

static bool IsSpace(char ch) { return ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r'; }

std::pair<size_t, size_t> Trim(const std::string& text, size_t begin, size_t end) {
  while (begin < end && IsSpace(text[begin])) ++begin;
  while (end > begin && IsSpace(text[end - 1])) --end;
  return {begin, end};
}

// The cosine of the terms occurring in [begin, end) of passage `i` to `centroid`.
static double SpanScore(const Corpus& c, size_t i, size_t begin, size_t end, const std::vector<double>& centroid) {
  std::map<std::uint32_t, float> counts;
  for (const Occurrence& o : c.index.occurrences[i]) {
    if (o.byte_start >= begin && o.byte_start < end) counts[o.term] += o.weight;
  }
  return Dot(Weigh(counts, c.index.idf), centroid);
}

// The quote shown for passage `i`: the whole passage when short enough, else
// the run of whole sentences (at most max_quote_bytes, or the single best
// sentence when every sentence is longer) that best matches `centroid`;
// ties go to the earliest run.
Quote MakeQuote(const Corpus& c, size_t i, const std::vector<double>& centroid, const MethodOptions& o) {
  const std::string& text = c.info[i].passage->text;
  auto [b, e] = Trim(text, 0, text.size());
  if (e - b > o.max_quote_bytes) {
    std::vector<std::pair<size_t, size_t>> sentences;
    for (const analysis::Sentence& s : c.analyzer->Sentences(text)) {
      auto [sb, se] = Trim(text, s.byte_start, std::min<size_t>(s.byte_end, text.size()));
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

Quote MakeSpanQuote(const Corpus& c, size_t i, size_t begin, size_t end, const std::vector<double>& centroid) {
  const std::string& text = c.info[i].passage->text;
  const auto [b, e] = Trim(text, begin, std::min(end, text.size()));
  Quote q;
  q.cite = Cite(c.info[i]);
  q.relevance = Dot(c.index.vectors[i], centroid);
  q.byte_start = b;
  q.byte_end = e;
  q.text = text.substr(b, e - b);
  q.whole_passage = Trim(text, 0, text.size()) == std::pair<size_t, size_t>{b, e};
  return q;
}

namespace {

// Maximal marginal relevance over `candidates` (ascending corpus indexes).
std::vector<size_t> Mmr(const Corpus& c, const std::vector<size_t>& candidates, const std::vector<double>& relevance,
                        const std::vector<int>& subtopic, size_t count, const MethodOptions& o) {
  std::vector<size_t> chosen;
  std::set<std::string> groups, docs;
  std::set<int> subtopics;
  std::vector<bool> used(candidates.size(), false);
  while (chosen.size() < count) {
    double best = -1e9;
    size_t best_k = candidates.size();
    for (size_t k = 0; k < candidates.size(); ++k) {
      if (used[k]) continue;
      const size_t p = candidates[k];
      double redundancy = 0;
      for (size_t q : chosen) redundancy = std::max(redundancy, Dot(c.index.vectors[p], c.index.vectors[q]));
      double score = o.mmr_lambda * relevance[k] - (1 - o.mmr_lambda) * redundancy;
      if (!groups.count(GroupOf(c, p))) score += o.new_group_bonus;
      if (subtopic[k] >= 0 && !subtopics.count(subtopic[k])) score += o.new_subtopic_bonus;
      if (docs.count(DocOf(c, p))) score -= o.same_document_penalty;
      if (score > best + 1e-12) {
        best = score;
        best_k = k;
      }
    }
    if (best_k == candidates.size()) break;
    used[best_k] = true;
    const size_t p = candidates[best_k];
    chosen.push_back(best_k);
    groups.insert(GroupOf(c, p));
    docs.insert(DocOf(c, p));
    subtopics.insert(subtopic[best_k]);
  }
  return chosen;  // positions in `candidates`
}

// ---- Sub-topics -------------------------------------------------------------

struct Clustering {
  std::vector<int> assignment;  // per member
  int k = 1;
};

Clustering KMeans(const Corpus& c, const std::vector<size_t>& members, const std::vector<double>& relevance,
                  const MethodOptions& o) {
  Clustering r;
  r.assignment.assign(members.size(), 0);
  const int k = std::clamp(static_cast<int>(std::floor(std::sqrt(members.size() / o.passages_per_k))), 1,
                           o.max_subtopics);
  if (k <= 1) return r;
  // Seeds: the most central passage, then farthest-first.
  std::vector<size_t> seeds;
  size_t first = 0;
  for (size_t m = 1; m < members.size(); ++m) {
    if (relevance[m] > relevance[first] + 1e-12) first = m;
  }
  seeds.push_back(first);
  std::vector<double> closest(members.size(), -1e9);
  while (static_cast<int>(seeds.size()) < k) {
    const SparseVector& last = c.index.vectors[members[seeds.back()]];
    double best = 1e9;
    size_t best_m = members.size();
    for (size_t m = 0; m < members.size(); ++m) {
      if (c.index.vectors[members[m]].empty()) continue;
      closest[m] = std::max(closest[m], Dot(c.index.vectors[members[m]], last));
      if (std::find(seeds.begin(), seeds.end(), m) != seeds.end()) continue;
      if (closest[m] < best - 1e-12) {
        best = closest[m];
        best_m = m;
      }
    }
    if (best_m == members.size()) break;
    seeds.push_back(best_m);
  }
  std::vector<std::vector<double>> centroids;
  for (size_t s : seeds) centroids.push_back(Centroid(c, {members[s]}));
  std::vector<int> assignment(members.size(), -1);
  for (int iteration = 0; iteration < o.kmeans_iterations; ++iteration) {
    bool changed = false;
    for (size_t m = 0; m < members.size(); ++m) {
      int best_j = 0;
      double best = -1;
      for (size_t j = 0; j < centroids.size(); ++j) {
        const double s = Dot(c.index.vectors[members[m]], centroids[j]);
        if (s > best + 1e-12) {
          best = s;
          best_j = static_cast<int>(j);
        }
      }
      changed = changed || assignment[m] != best_j;
      assignment[m] = best_j;
    }
    // Dissolve the smallest cluster under the floor, then re-assign.
    std::vector<std::vector<size_t>> groups(centroids.size());
    for (size_t m = 0; m < members.size(); ++m) groups[static_cast<size_t>(assignment[m])].push_back(members[m]);
    size_t smallest = 0;
    for (size_t j = 1; j < groups.size(); ++j) {
      if (groups[j].size() < groups[smallest].size()) smallest = j;
    }
    if (centroids.size() > 1 && static_cast<int>(groups[smallest].size()) < o.min_subtopic_passages) {
      centroids.erase(centroids.begin() + static_cast<std::ptrdiff_t>(smallest));
      groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(smallest));
      for (size_t j = 0; j < groups.size(); ++j) centroids[j] = Centroid(c, groups[j]);
      std::fill(assignment.begin(), assignment.end(), -1);
      iteration = -1;  // start the rounds again with one cluster less
      continue;
    }
    if (!changed && iteration > 0) break;
    for (size_t j = 0; j < groups.size(); ++j) centroids[j] = Centroid(c, groups[j]);
  }
  r.k = static_cast<int>(centroids.size());
  for (size_t m = 0; m < members.size(); ++m) r.assignment[m] = std::max(0, assignment[m]);
  if (r.k <= 1) std::fill(r.assignment.begin(), r.assignment.end(), 0);
  return r;
}

// Terms most over-represented in `inside` compared with `outside` (by mean
// TF-IDF weight); when `outside` is empty, the heaviest terms of `inside`.
std::vector<std::string> LabelTerms(const Corpus& c, const std::vector<size_t>& inside,
                                    const std::vector<size_t>& outside, int count) {
  std::map<std::uint32_t, double> score;
  for (size_t p : inside) {
    for (const auto& [id, w] : c.index.vectors[p]) score[id] += w / static_cast<double>(inside.size());
  }
  for (size_t p : outside) {
    for (const auto& [id, w] : c.index.vectors[p]) {
      if (auto it = score.find(id); it != score.end()) it->second -= w / static_cast<double>(outside.size());
    }
  }
  std::vector<std::pair<double, std::uint32_t>> ranked;
  for (const auto& [id, s] : score) {
    if (s > 0) ranked.emplace_back(s, id);
  }
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
  std::map<std::string, std::pair<int, std::set<std::string>>> m;
  for (size_t p : passages) {
    auto& e = m[GroupOf(c, p)];
    ++e.first;
    e.second.insert(DocOf(c, p));
  }
  std::vector<CountRow> rows;
  for (const auto& [g, e] : m) {
    rows.push_back({g, g.empty() ? "(okänd)" : g, e.first, static_cast<int>(e.second.size())});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const CountRow& a, const CountRow& b) { return a.passages > b.passages; });
  return rows;
}

}  // namespace

TermIndex BuildTermIndex(const std::vector<Passage>& passages, const analysis::Analyzer& analyzer) {
  const StanceLexicon lexicon = MakeStanceLexicon(analyzer);
  std::vector<RawPassage> raw(passages.size());
  const size_t workers =
      std::max<size_t>(1, std::min<size_t>({std::thread::hardware_concurrency(), 8, passages.size()}));
  std::vector<std::thread> threads;
  for (size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (size_t i = w; i < passages.size(); i += workers) raw[i] = Scan(passages[i].text, analyzer, lexicon);
    });
  }
  for (auto& t : threads) t.join();

  // Ids in first-seen order over passages in their fixed order.
  TermIndex x;
  std::unordered_map<std::string, std::uint32_t> ids;
  std::vector<std::map<std::string, int>> surfaces;
  std::vector<int> df;
  std::vector<std::map<std::uint32_t, float>> counts(passages.size());
  x.occurrences.resize(passages.size());
  for (size_t i = 0; i < passages.size(); ++i) {
    for (RawTerm& t : raw[i].terms) {
      auto [it, inserted] = ids.try_emplace(t.stem, static_cast<std::uint32_t>(x.terms.size()));
      if (inserted) {
        x.terms.push_back(t.stem);
        surfaces.emplace_back();
        df.push_back(0);
      }
      ++surfaces[it->second][t.surface];
      counts[i][it->second] += t.weight;
      x.occurrences[i].push_back({t.byte_start, it->second, t.weight});
    }
    for (const auto& [id, c] : counts[i]) ++df[id];
    std::vector<std::uint32_t> phrase_ids;
    for (const std::string& key : raw[i].phrases) {
      auto [it, inserted] = x.phrase_ids.try_emplace(key, static_cast<std::uint32_t>(x.phrase_passages.size()));
      if (inserted) x.phrase_passages.push_back(0);
      phrase_ids.push_back(it->second);
    }
    std::sort(phrase_ids.begin(), phrase_ids.end());
    phrase_ids.erase(std::unique(phrase_ids.begin(), phrase_ids.end()), phrase_ids.end());
    for (std::uint32_t id : phrase_ids) ++x.phrase_passages[id];
    x.phrases.push_back(std::move(phrase_ids));
    x.stance.push_back(std::move(raw[i].stance));
    x.sentences.push_back(std::move(raw[i].sentences));
    x.distinct_terms.push_back(static_cast<int>(counts[i].size()));
    raw[i] = RawPassage();
  }
  const double n = static_cast<double>(passages.size());
  x.df = df;
  for (size_t id = 0; id < x.terms.size(); ++id) {
    x.idf.push_back(static_cast<float>(std::log((1.0 + n) / (1.0 + df[id])) + 1.0));
    std::string best;
    int best_count = -1;
    for (const auto& [s, c] : surfaces[id]) {  // ties keep the smallest string
      if (c > best_count) {
        best = s;
        best_count = c;
      }
    }
    x.surface.push_back(best);
  }
  for (size_t i = 0; i < passages.size(); ++i) x.vectors.push_back(Weigh(counts[i], x.idf));
  return x;
}

Citation Cite(const PassageInfo& info) {
  const Passage& p = *info.passage;
  Citation c;
  c.passage_id = p.id;
  c.doc_id = p.doc_id;
  if (info.document) {
    const DocumentMeta& m = info.document->meta;
    c.organisation = m.organisation;
    c.actor_group = m.actor_group;
    c.subregion = m.subregion;
    c.kind = m.kind;
    c.title = m.title;
    c.date = m.date;
  }
  if (!p.speaker_role.empty() || !p.speaker_org.empty()) {
    c.speaker = p.speaker_role;
    if (!p.speaker_org.empty()) c.speaker += (c.speaker.empty() ? "" : ", ") + p.speaker_org;
  }
  c.section = p.section;
  c.line_start = p.locator.line_start;
  c.line_end = p.locator.line_end;
  c.page = p.locator.page;
  c.ordinal = p.ordinal;
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
  const std::vector<double> centroid = Centroid(c, members);
  std::vector<double> relevance(members.size());
  for (size_t m = 0; m < members.size(); ++m) relevance[m] = Dot(c.index.vectors[members[m]], centroid);

  // Sub-topics, largest first.
  const Clustering clusters = KMeans(c, members, relevance, o);
  std::vector<std::vector<size_t>> groups(static_cast<size_t>(clusters.k));
  for (size_t m = 0; m < members.size(); ++m) groups[static_cast<size_t>(clusters.assignment[m])].push_back(members[m]);
  std::vector<SubTopic> subtopics;
  for (size_t j = 0; j < groups.size(); ++j) {
    std::vector<size_t> outside;
    for (size_t m = 0; m < members.size(); ++m) {
      if (clusters.assignment[m] != static_cast<int>(j)) outside.push_back(members[m]);
    }
    SubTopic s;
    s.terms = LabelTerms(c, groups[j], outside, o.subtopic_label_terms);
    for (const std::string& t : s.terms) s.label += (s.label.empty() ? "" : ", ") + t;
    if (s.label.empty()) s.label = "övrigt";
    s.id = static_cast<int>(j);  // renumbered below
    subtopics.push_back(std::move(s));
  }
  std::vector<size_t> order(groups.size());
  for (size_t j = 0; j < order.size(); ++j) order[j] = j;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    if (groups[x].size() != groups[y].size()) return groups[x].size() > groups[y].size();
    return subtopics[x].label < subtopics[y].label;
  });
  std::vector<int> rank(groups.size());
  std::vector<SubTopic> sorted;
  std::vector<std::vector<size_t>> sorted_members;
  for (size_t r = 0; r < order.size(); ++r) {
    rank[order[r]] = static_cast<int>(r);
    SubTopic s = subtopics[order[r]];
    s.id = static_cast<int>(r);
    s.actor_groups = GroupRows(c, groups[order[r]]);
    for (size_t p : groups[order[r]]) s.passage_ids.push_back(c.info[p].passage->id);
    std::sort(s.passage_ids.begin(), s.passage_ids.end());
    sorted.push_back(std::move(s));
    sorted_members.push_back(groups[order[r]]);
  }
  const bool has_subtopics = sorted.size() > 1;

  // Quotes.
  std::vector<size_t> candidates;
  std::vector<double> cand_relevance;
  std::vector<int> cand_subtopic;
  for (size_t m = 0; m < members.size(); ++m) {
    if (c.index.distinct_terms[members[m]] < o.min_quote_terms) continue;
    candidates.push_back(members[m]);
    cand_relevance.push_back(relevance[m]);
    cand_subtopic.push_back(has_subtopics ? rank[static_cast<size_t>(clusters.assignment[m])] : -1);
  }
  for (size_t k : Mmr(c, candidates, cand_relevance, cand_subtopic, static_cast<size_t>(std::max(0, quotes)), o)) {
    Quote q = MakeQuote(c, candidates[k], centroid, o);
    q.subtopic = cand_subtopic[k];
    q.relevance = Rounded(q.relevance, 4);
    topic->quotes.push_back(std::move(q));
  }
  for (Disagreement& d : FindDisagreements(c, members, sorted, sorted_members, o)) {
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

std::vector<Phrase> KeyPhrases(const Corpus& c, const std::vector<size_t>& members, const MethodOptions& o) {
  if (members.empty()) return {};
  std::vector<std::vector<analysis::Token>> docs;
  docs.reserve(members.size());
  for (size_t p : members) docs.push_back(c.analyzer->Tokenize(c.info[p].passage->text));
  analysis::KeyPhraseOptions kpo;
  kpo.min_doc_count = 2;
  kpo.max_phrases = o.key_phrase_candidates;
  const std::vector<analysis::KeyPhrase> candidates = analysis::ExtractKeyPhrases(docs, kpo);
  docs.clear();

  const double n_in = static_cast<double>(members.size());
  const double n_out = static_cast<double>(c.info.size()) - n_in;
  std::vector<Phrase> out;
  for (const analysis::KeyPhrase& k : candidates) {
    auto it = c.index.phrase_ids.find(PhraseKey(k.phrase, *c.analyzer));
    std::set<std::string> documents;
    int in = 0;
    if (it != c.index.phrase_ids.end()) {
      for (size_t p : members) {
        if (std::binary_search(c.index.phrases[p].begin(), c.index.phrases[p].end(), it->second)) {
          ++in;
          documents.insert(DocOf(c, p));
        }
      }
    }
    const int all = it == c.index.phrase_ids.end() ? k.doc_count : c.index.phrase_passages[it->second];
    if (in == 0) in = k.doc_count;  // a key the per-passage pass did not see
    const double rate_in = (in + 0.5) / (n_in + 1.0);
    const double rate_out = (std::max(0, all - in) + 0.5) / (n_out + 1.0);
    const double contrast = std::log(rate_in / rate_out);
    if (contrast <= 0) continue;
    Phrase p;
    p.phrase = k.phrase;
    p.passages = in;
    p.documents = static_cast<int>(documents.size());
    p.score = Rounded(k.score * contrast, 4);
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const Phrase& a, const Phrase& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.phrase < b.phrase;
  });
  if (static_cast<int>(out.size()) > o.key_phrases) out.resize(static_cast<size_t>(o.key_phrases));
  return out;
}

}  // namespace samrad::reports::internal
