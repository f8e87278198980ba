// Area sorting and emergent-theme clustering (see themes.h for the method).
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <thread>

#include "analysis/themes/themes.h"
#include "analysis/themes/vectors.h"
#include "base/model.h"

namespace samrad::themes {
namespace {

using internal::Dot;
using internal::Rng;
using internal::SparseVector;
using internal::TermCounts;
using internal::TermSpace;

struct Corpus {
  TermSpace space;
  std::vector<SparseVector> tf;      // raw (sub-weighted) counts per passage
  std::vector<SparseVector> vec;     // normalised TF-IDF per passage
  std::vector<float> idf;
};

// Tokenises passages [begin, end), in parallel over the cores. Each result
// lands in its own slot, so what the caller merges does not depend on thread
// timing.
void CountBlock(const std::vector<PassageInput>& passages, size_t begin, size_t end,
                const analysis::Analyzer& analyzer, std::vector<TermCounts>* counts,
                std::vector<std::vector<std::pair<std::string, std::string>>>* surfaces) {
  counts->assign(end - begin, {});
  surfaces->assign(end - begin, {});
  const size_t workers =
      std::max<size_t>(1, std::min<size_t>({std::thread::hardware_concurrency(), 8, end - begin}));
  auto work = [&](size_t w) {
    for (size_t i = begin + w; i < end; i += workers) {
      std::vector<analysis::Token> tokens = analyzer.Tokenize(passages[i].text);
      // Redaction placeholders ("[namn]") are not words anybody said.
      std::erase_if(tokens, [&](const analysis::Token& t) {
        return IsRedactionPlaceholder(passages[i].text, t.byte_start, t.byte_end);
      });
      (*counts)[i - begin] = internal::CountTerms(tokens, analyzer, &(*surfaces)[i - begin]);
    }
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();
}

SparseVector ToSparse(const TermCounts& counts, TermSpace* space) {
  SparseVector v;
  v.reserve(counts.size());
  for (const auto& [term, c] : counts) v.emplace_back(space->Id(term), c);
  std::sort(v.begin(), v.end());
  return v;
}

SparseVector Weight(const SparseVector& tf, const std::vector<float>& idf) {
  SparseVector v;
  v.reserve(tf.size());
  double norm = 0;
  for (const auto& [id, c] : tf) {
    const float w = static_cast<float>((1.0 + std::log(std::max(1.0f, c))) * idf[id]) *
                    (c < 1.0f ? c : 1.0f);
    v.emplace_back(id, w);
    norm += static_cast<double>(w) * w;
  }
  if (norm > 0) {
    const double inv = 1.0 / std::sqrt(norm);
    for (auto& e : v) e.second = static_cast<float>(e.second * inv);
  }
  return v;
}

Corpus BuildCorpus(const std::vector<PassageInput>& passages, const analysis::Analyzer& analyzer) {
  Corpus c;
  // Block by block, so that the string-keyed counts of only one block are in
  // memory at a time; term ids are handed out in passage order whatever the
  // block size.
  constexpr size_t kBlock = 8192;
  std::vector<std::vector<std::pair<std::string, std::string>>> surfaces;
  std::vector<TermCounts> counts;
  c.tf.reserve(passages.size());
  for (size_t begin = 0; begin < passages.size(); begin += kBlock) {
    const size_t end = std::min(passages.size(), begin + kBlock);
    CountBlock(passages, begin, end, analyzer, &counts, &surfaces);
    for (size_t i = 0; i < end - begin; ++i) {
      c.tf.push_back(ToSparse(counts[i], &c.space));
      for (const auto& [stem, surface] : surfaces[i]) {
        c.space.SeeSurface(static_cast<std::uint32_t>(c.space.Find(stem)), surface);
      }
    }
  }
  std::vector<int> df(c.space.size(), 0);
  for (const auto& v : c.tf) {
    for (const auto& e : v) ++df[e.first];
  }
  const double n = static_cast<double>(passages.size());
  c.idf.resize(df.size());
  for (size_t t = 0; t < df.size(); ++t) {
    c.idf[t] = static_cast<float>(std::log((n + 1.0) / (df[t] + 1.0)) + 1.0);
  }
  c.vec.reserve(c.tf.size());
  for (const auto& v : c.tf) c.vec.push_back(Weight(v, c.idf));
  return c;
}

// The prototype of an area before feedback: its name and description once,
// its seed terms `seed_weight` times, TF-IDF weighted with the corpus idf.
// Terms the corpus never uses are dropped: they could only dilute the norm.
std::vector<float> InitialPrototype(const Area& area, const Corpus& corpus,
                                    const analysis::Analyzer& analyzer, double seed_weight) {
  TermCounts counts = internal::CountTerms(analyzer.Tokenize(area.name + ". " + area.description),
                                           analyzer, nullptr);
  for (const std::string& seed : area.seed_terms) {
    for (const auto& [term, c] : internal::CountTerms(analyzer.Tokenize(seed), analyzer, nullptr)) {
      counts[term] += static_cast<float>(c * seed_weight);
    }
  }
  std::vector<float> proto(corpus.space.size(), 0.0f);
  for (const auto& [term, c] : counts) {
    const std::int64_t id = corpus.space.Find(term);
    if (id < 0) continue;
    proto[static_cast<size_t>(id)] =
        static_cast<float>((1.0 + std::log(std::max(1.0f, c))) * corpus.idf[static_cast<size_t>(id)]);
  }
  internal::NormaliseDense(&proto);
  return proto;
}

std::vector<std::vector<double>> ScoreAll(const Corpus& corpus,
                                          const std::vector<std::vector<float>>& protos) {
  std::vector<std::vector<double>> scores(corpus.vec.size(), std::vector<double>(protos.size()));
  for (size_t i = 0; i < corpus.vec.size(); ++i) {
    for (size_t a = 0; a < protos.size(); ++a) scores[i][a] = Dot(corpus.vec[i], protos[a]);
  }
  return scores;
}

std::vector<int> Assign(const std::vector<double>& scores, double min_score, const SortOptions& o) {
  std::vector<int> out;
  if (scores.empty()) return out;
  const double best = *std::max_element(scores.begin(), scores.end());
  for (size_t a = 0; a < scores.size(); ++a) {
    if (scores[a] >= min_score && scores[a] >= o.relative_to_best * best) {
      out.push_back(static_cast<int>(a));
    }
  }
  return out;
}

std::vector<std::string> Reasons(const SparseVector& v, const std::vector<float>& proto,
                                 const TermSpace& space, int n) {
  std::vector<std::pair<double, std::uint32_t>> contrib;
  for (const auto& [id, w] : v) {
    const double c = static_cast<double>(w) * proto[id];
    if (c > 0) contrib.emplace_back(c, id);
  }
  std::sort(contrib.begin(), contrib.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return space.Term(a.second) < space.Term(b.second);
  });
  std::vector<std::string> out;
  for (size_t i = 0; i < contrib.size() && static_cast<int>(i) < n; ++i) {
    out.push_back(space.Surface(contrib[i].second));
  }
  return out;
}

// ---- Clustering ------------------------------------------------------------

struct Clustering {
  std::vector<int> label;  // per member
  int k = 0;
  double inertia = 0;
};

Clustering SphericalKMeans(const std::vector<const SparseVector*>& x, size_t dims, int k,
                           Rng* rng, int max_iterations) {
  const size_t n = x.size();
  std::vector<std::vector<float>> centres;
  // k-means++: each next centre drawn with probability proportional to the
  // cosine distance to the nearest centre chosen so far.
  std::vector<double> nearest(n, 2.0);
  size_t first = static_cast<size_t>(rng->Next() % n);
  for (int c = 0; c < k; ++c) {
    size_t pick = first;
    if (c > 0) {
      double total = 0;
      for (double d : nearest) total += d;
      double r = rng->Uniform() * total;
      pick = n - 1;
      for (size_t i = 0; i < n; ++i) {
        r -= nearest[i];
        if (r <= 0) {
          pick = i;
          break;
        }
      }
    }
    std::vector<float> centre(dims, 0.0f);
    for (const auto& [id, w] : *x[pick]) centre[id] = w;
    for (size_t i = 0; i < n; ++i) nearest[i] = std::min(nearest[i], 1.0 - Dot(*x[i], centre));
    centres.push_back(std::move(centre));
  }
  Clustering result;
  result.k = k;
  result.label.assign(n, -1);
  for (int iter = 0; iter < max_iterations; ++iter) {
    bool changed = false;
    for (size_t i = 0; i < n; ++i) {
      int best = 0;
      double best_sim = -2;
      for (int c = 0; c < k; ++c) {
        const double s = Dot(*x[i], centres[static_cast<size_t>(c)]);
        if (s > best_sim) {
          best_sim = s;
          best = c;
        }
      }
      if (result.label[i] != best) {
        result.label[i] = best;
        changed = true;
      }
    }
    if (!changed) break;
    for (auto& c : centres) std::fill(c.begin(), c.end(), 0.0f);
    for (size_t i = 0; i < n; ++i) {
      auto& c = centres[static_cast<size_t>(result.label[i])];
      for (const auto& [id, w] : *x[i]) c[id] += w;
    }
    for (auto& c : centres) internal::NormaliseDense(&c);
  }
  result.inertia = 0;
  for (size_t i = 0; i < n; ++i) {
    result.inertia += 1.0 - Dot(*x[i], centres[static_cast<size_t>(result.label[i])]);
  }
  return result;
}

// Mean silhouette (cosine distance) over the sample, using a precomputed
// similarity matrix of the sample.
double Silhouette(const std::vector<int>& sample, const std::vector<std::vector<float>>& sim,
                  const std::vector<int>& label, int k) {
  double total = 0;
  int counted = 0;
  for (size_t a = 0; a < sample.size(); ++a) {
    std::vector<double> sum(static_cast<size_t>(k), 0.0);
    std::vector<int> cnt(static_cast<size_t>(k), 0);
    for (size_t b = 0; b < sample.size(); ++b) {
      if (a == b) continue;
      const int lb = label[static_cast<size_t>(sample[b])];
      sum[static_cast<size_t>(lb)] += 1.0 - sim[a][b];
      ++cnt[static_cast<size_t>(lb)];
    }
    const int la = label[static_cast<size_t>(sample[a])];
    if (cnt[static_cast<size_t>(la)] == 0) continue;  // singleton: silhouette 0 by convention
    const double in = sum[static_cast<size_t>(la)] / cnt[static_cast<size_t>(la)];
    double out = 1e9;
    for (int c = 0; c < k; ++c) {
      if (c == la || cnt[static_cast<size_t>(c)] == 0) continue;
      out = std::min(out, sum[static_cast<size_t>(c)] / cnt[static_cast<size_t>(c)]);
    }
    if (out >= 1e9) continue;
    total += (out - in) / std::max(in, out);
    ++counted;
  }
  return counted == 0 ? 0.0 : total / counted;
}

void LabelThemes(const Corpus& corpus, const std::vector<bool>& generic, const std::vector<int>& members,
                 const std::vector<int>& label, int k, int label_terms,
                 std::vector<EmergentTheme>* themes) {
  // c-TF-IDF: a term's frequency in the cluster (as a share of the cluster's
  // terms) times log(1 + A / f), where A is the average number of terms per
  // cluster and f the term's frequency over all clusters.
  std::vector<std::map<std::uint32_t, double>> tf(static_cast<size_t>(k));
  std::vector<std::map<std::uint32_t, int>> df(static_cast<size_t>(k));
  std::vector<double> size(static_cast<size_t>(k), 0.0);
  std::map<std::uint32_t, double> total;
  for (size_t m = 0; m < members.size(); ++m) {
    const size_t c = static_cast<size_t>(label[m]);
    for (const auto& [id, cnt] : corpus.tf[static_cast<size_t>(members[m])]) {
      if (generic[id]) continue;
      tf[c][id] += cnt;
      ++df[c][id];
      size[c] += cnt;
      total[id] += cnt;
    }
  }
  double avg = 0;
  for (double s : size) avg += s;
  avg /= std::max(1, k);
  themes->assign(static_cast<size_t>(k), {});
  for (size_t c = 0; c < static_cast<size_t>(k); ++c) {
    int cluster_size = 0;
    for (int l : label) cluster_size += (l == static_cast<int>(c));
    std::vector<std::pair<double, std::uint32_t>> scored;
    for (const auto& [id, f] : tf[c]) {
      // A label term must recur: in at least two passages of the cluster.
      if (cluster_size >= 3 && df[c][id] < 2) continue;
      if (!corpus.space.SeenWhole(id)) continue;
      scored.emplace_back(f / std::max(1.0, size[c]) * std::log(1.0 + avg / total[id]), id);
    }
    std::sort(scored.begin(), scored.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first > b.first;
      return corpus.space.Term(a.second) < corpus.space.Term(b.second);
    });
    std::set<std::string> seen;
    for (const auto& [s, id] : scored) {
      if (static_cast<int>((*themes)[c].terms.size()) >= label_terms) break;
      std::string surface = corpus.space.Surface(id);
      if (seen.insert(surface).second) (*themes)[c].terms.push_back(surface);
    }
    std::string lbl;
    for (size_t i = 0; i < (*themes)[c].terms.size() && i < 3; ++i) {
      if (i > 0) lbl += ", ";
      lbl += (*themes)[c].terms[i];
    }
    (*themes)[c].label = lbl;
  }
}

}  // namespace

Result<ThemeModel> SortAndCluster(const std::vector<PassageInput>& passages,
                                  const Framework& framework, const analysis::Analyzer& analyzer,
                                  const SortOptions& so, const ClusterOptions& co) {
  if (framework.areas.empty()) return Status::InvalidArgument("the framework has no areas");
  if (co.k_min < 2 || co.k_max < co.k_min) {
    return Status::InvalidArgument("cluster k range must satisfy 2 <= k_min <= k_max");
  }
  ThemeModel model;
  const Corpus corpus = BuildCorpus(passages, analyzer);
  const size_t n_areas = framework.areas.size();

  std::vector<std::vector<float>> initial;
  for (const Area& a : framework.areas) {
    initial.push_back(InitialPrototype(a, corpus, analyzer, so.seed_weight));
  }
  std::vector<std::vector<float>> protos = initial;
  std::vector<std::vector<double>> scores = ScoreAll(corpus, protos);
  // The assignment floor: given, or mean + z sd of the initial scores.
  double min_score = so.min_score;
  if (min_score < 0) {
    double sum = 0, sq = 0, n = 0;
    for (const auto& row : scores) {
      for (double x : row) {
        sum += x;
        sq += x * x;
        n += 1;
      }
    }
    const double mean = n > 0 ? sum / n : 0;
    const double var = n > 0 ? std::max(0.0, sq / n - mean * mean) : 0;
    min_score = mean + so.min_score_sd * std::sqrt(var);
  }
  model.min_score = min_score;

  for (int round = 0; round < so.feedback_rounds; ++round) {
    // Each area takes the passages it wins most clearly: argmax is this area
    // and the score clears the assignment floor.
    std::vector<std::vector<std::pair<double, size_t>>> wins(n_areas);
    for (size_t i = 0; i < scores.size(); ++i) {
      const auto best = std::max_element(scores[i].begin(), scores[i].end());
      if (*best < min_score) continue;
      wins[static_cast<size_t>(best - scores[i].begin())].emplace_back(*best, i);
    }
    for (size_t a = 0; a < n_areas; ++a) {
      auto& w = wins[a];
      std::sort(w.begin(), w.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      });
      if (static_cast<int>(w.size()) > so.feedback_passages) w.resize(static_cast<size_t>(so.feedback_passages));
      std::vector<float> p = initial[a];
      if (!w.empty()) {
        const double scale = so.feedback_weight / static_cast<double>(w.size());
        for (const auto& [s, i] : w) {
          for (const auto& [id, wt] : corpus.vec[i]) p[id] += static_cast<float>(wt * scale);
        }
      }
      internal::NormaliseDense(&p);
      protos[a] = std::move(p);
    }
    scores = ScoreAll(corpus, protos);
  }

  model.passages.resize(passages.size());
  std::vector<int> unassigned;
  for (size_t i = 0; i < passages.size(); ++i) {
    PassageThemes& pt = model.passages[i];
    pt.passage_id = passages[i].id;
    pt.doc_id = passages[i].doc_id;
    const std::vector<int> chosen = Assign(scores[i], min_score, so);
    std::set<int> with_parents(chosen.begin(), chosen.end());
    for (int a : chosen) {
      for (int p : framework.Ancestors(a)) with_parents.insert(p);
    }
    for (size_t a = 0; a < n_areas; ++a) {
      AreaScore s;
      s.area = framework.areas[a].id;
      s.score = scores[i][a];
      if (std::find(chosen.begin(), chosen.end(), static_cast<int>(a)) != chosen.end()) {
        s.reasons = Reasons(corpus.vec[i], protos[a], corpus.space, so.reason_terms);
      }
      pt.scores.push_back(std::move(s));
    }
    for (int a : with_parents) pt.areas.push_back(framework.areas[static_cast<size_t>(a)].id);
    if (pt.areas.empty()) {
      ++model.no_area;
      unassigned.push_back(static_cast<int>(i));
    }
  }

  // Emergent themes among what no area took. Terms used in most documents
  // ("datum", "ska", "regionen", "strategin") say nothing about a theme;
  // they are dropped from the clustering vectors, and a passage left with
  // too few terms is not clustered.
  std::vector<bool> generic(corpus.space.size(), false);
  {
    std::map<std::string, int> doc_index;
    for (const PassageInput& p : passages) doc_index.emplace(p.doc_id, static_cast<int>(doc_index.size()));
    if (static_cast<int>(doc_index.size()) >= co.generic_min_documents) {
      std::vector<std::set<int>> docs_of(corpus.space.size());
      for (size_t i = 0; i < passages.size(); ++i) {
        const int d = doc_index[passages[i].doc_id];
        for (const auto& [id, c] : corpus.tf[i]) docs_of[id].insert(d);
      }
      for (size_t t = 0; t < generic.size(); ++t) {
        generic[t] = static_cast<double>(docs_of[t].size()) >=
                     co.generic_doc_ratio * static_cast<double>(doc_index.size());
      }
    }
  }
  std::vector<SparseVector> cluster_vec;
  std::vector<int> candidates;
  for (int i : unassigned) {
    SparseVector v;
    double norm = 0;
    for (const auto& [id, w] : corpus.vec[static_cast<size_t>(i)]) {
      if (generic[id]) continue;
      v.emplace_back(id, w);
      norm += static_cast<double>(w) * w;
    }
    if (static_cast<int>(v.size()) < co.min_terms || norm <= 0) continue;
    for (auto& e : v) e.second = static_cast<float>(e.second / std::sqrt(norm));
    cluster_vec.push_back(std::move(v));
    candidates.push_back(i);
  }
  unassigned = std::move(candidates);
  const int n = static_cast<int>(unassigned.size());
  if (n >= 2 * co.k_min) {
    std::vector<const SparseVector*> x;
    for (const SparseVector& v : cluster_vec) x.push_back(&v);
    // A fixed, evenly spread sample for the silhouette; its similarity matrix
    // is computed once and shared by every k.
    std::vector<int> sample;
    const int s = std::min(n, co.silhouette_sample);
    for (int j = 0; j < s; ++j) sample.push_back(static_cast<int>(static_cast<long long>(j) * n / s));
    std::vector<std::vector<float>> sim(sample.size(), std::vector<float>(sample.size()));
    for (size_t a = 0; a < sample.size(); ++a) {
      for (size_t b = a; b < sample.size(); ++b) {
        sim[a][b] = sim[b][a] = static_cast<float>(
            Dot(*x[static_cast<size_t>(sample[a])], *x[static_cast<size_t>(sample[b])]));
      }
    }
    Clustering best;
    double best_sil = -2;
    const int k_max = std::min(co.k_max, n / 2);
    // Each k (its restarts and its silhouette) is independent of the others
    // and seeded by (seed, k, restart): the k values are spread over the
    // cores, largest first (they cost most), and the choice below walks them
    // in order, so the result does not depend on the threads.
    const size_t n_k = static_cast<size_t>(std::max(0, k_max - co.k_min + 1));
    std::vector<Clustering> best_of_k(n_k);
    std::vector<double> sil_of_k(n_k, -2);
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t j = next++; j < n_k; j = next++) {
        const int k = k_max - static_cast<int>(j);
        Clustering best_k;
        best_k.inertia = 1e300;
        for (int r = 0; r < co.restarts; ++r) {
          Rng rng(co.seed ^ (static_cast<std::uint64_t>(k) << 32) ^ static_cast<std::uint64_t>(r));
          Clustering c = SphericalKMeans(x, corpus.space.size(), k, &rng, co.max_iterations);
          if (c.inertia < best_k.inertia) best_k = std::move(c);
        }
        const size_t slot = static_cast<size_t>(k - co.k_min);
        sil_of_k[slot] = Silhouette(sample, sim, best_k.label, k);
        best_of_k[slot] = std::move(best_k);
      }
    };
    const size_t workers =
        std::max<size_t>(1, std::min<size_t>({std::thread::hardware_concurrency(), 8, n_k}));
    std::vector<std::thread> threads;
    for (size_t w = 1; w < workers; ++w) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    for (size_t slot = 0; slot < n_k; ++slot) {
      if (sil_of_k[slot] > best_sil + 1e-12) {
        best_sil = sil_of_k[slot];
        best = std::move(best_of_k[slot]);
      }
    }
    model.silhouette = best_sil;
    std::vector<EmergentTheme> themes;
    LabelThemes(corpus, generic, unassigned, best.label, best.k, co.label_terms, &themes);
    for (size_t m = 0; m < unassigned.size(); ++m) {
      const PassageInput& p = passages[static_cast<size_t>(unassigned[m])];
      EmergentTheme& t = themes[static_cast<size_t>(best.label[m])];
      t.passage_ids.push_back(p.id);
      if (!p.actor_group.empty()) ++t.actor_groups[p.actor_group];
      if (!p.subregion.empty()) ++t.subregions[p.subregion];
    }
    for (EmergentTheme& t : themes) {
      std::set<std::string> docs;
      for (const std::string& pid : t.passage_ids) docs.insert(pid.substr(0, pid.rfind('#')));
      t.documents = static_cast<int>(docs.size());
    }
    // Largest first; ties by label. Ids are 1-based in that order.
    std::vector<size_t> order(themes.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      if (themes[a].passage_ids.size() != themes[b].passage_ids.size()) {
        return themes[a].passage_ids.size() > themes[b].passage_ids.size();
      }
      return themes[a].label < themes[b].label;
    });
    std::vector<int> new_id(themes.size());
    for (size_t r = 0; r < order.size(); ++r) {
      new_id[order[r]] = static_cast<int>(r) + 1;
      themes[order[r]].id = static_cast<int>(r) + 1;
      model.themes.push_back(themes[order[r]]);
    }
    for (size_t m = 0; m < unassigned.size(); ++m) {
      model.passages[static_cast<size_t>(unassigned[m])].theme =
          new_id[static_cast<size_t>(best.label[m])];
    }
  }
  return model;
}

std::vector<std::vector<std::string>> KeywordBaseline(const std::vector<PassageInput>& passages,
                                                      const Framework& framework,
                                                      const analysis::Analyzer& analyzer) {
  // Each seed term as a set of stems (multi-word terms need all their stems).
  std::vector<std::vector<std::set<std::string>>> seeds(framework.areas.size());
  for (size_t a = 0; a < framework.areas.size(); ++a) {
    for (const std::string& s : framework.areas[a].seed_terms) {
      std::set<std::string> stems;
      for (const auto& t : analyzer.Tokenize(s)) {
        if (!t.stop) stems.insert(t.stem);
      }
      if (!stems.empty()) seeds[a].push_back(std::move(stems));
    }
  }
  std::vector<std::vector<std::string>> out(passages.size());
  for (size_t i = 0; i < passages.size(); ++i) {
    std::set<std::string> stems;
    for (const auto& t : analyzer.Tokenize(passages[i].text)) stems.insert(t.stem);
    std::set<int> hit;
    for (size_t a = 0; a < seeds.size(); ++a) {
      for (const auto& seed : seeds[a]) {
        if (std::all_of(seed.begin(), seed.end(), [&](const std::string& s) { return stems.count(s); })) {
          hit.insert(static_cast<int>(a));
          for (int p : framework.Ancestors(static_cast<int>(a))) hit.insert(p);
          break;
        }
      }
    }
    for (int a : hit) out[i].push_back(framework.areas[static_cast<size_t>(a)].id);
  }
  return out;
}

}  // namespace samrad::themes
