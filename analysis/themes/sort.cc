// Area sorting and emergent-theme clustering (see themes.h for the method).
//
// Clustering, step by step:
//  1. The passages in no area with enough non-generic terms are the
//     candidates; their vectors drop generic terms, are renormalised and use
//     compact term ids (only the terms they use, in the same order, so every
//     sum is the same as over the whole vocabulary).
//  2. k is chosen on a fixed, evenly spread sample of at most
//     `k_selection_sample` candidates (all of them when there are fewer):
//     for each k, `restarts` seeded k-means++ runs, the lowest inertia kept;
//     the k with the best mean silhouette on at most `silhouette_sample` of
//     them wins.
//  3. When the sample was not all candidates, the chosen k's centres are
//     refined by Lloyd iterations over all candidates; the silhouette
//     reported is that of the final clustering on the same silhouette sample.
//  4. Clusters are labelled by c-TF-IDF and numbered by size; their centres
//     are kept (over the corpus' term ids) for later incremental runs.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>
#include <set>

#include "analysis/themes/engine.h"
#include "analysis/themes/themes.h"
#include "analysis/themes/vectors.h"
#include "base/model.h"
#include "base/parallel.h"

namespace samrad::themes {
namespace internal {
namespace {

// The prototype of an area before feedback: its name and description once,
// its seed terms `seed_weight` times, TF-IDF weighted with the corpus idf.
// Terms the corpus never uses are dropped: they could only dilute the norm.
std::vector<float> InitialPrototype(const Area& area, const Corpus& corpus,
                                    const analysis::Analyzer& analyzer, double seed_weight) {
  TermCounts counts = CountText(area.name + ". " + area.description, analyzer);
  for (const std::string& seed : area.seed_terms) {
    for (const auto& [term, c] : CountText(seed, analyzer)) {
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
  NormaliseDense(&proto);
  return proto;
}

void ScoreAll(const Corpus& corpus, const std::vector<std::vector<float>>& protos,
              SpillVector<double>* scores) {
  const size_t n_areas = protos.size();
  scores->resize(corpus.size() * n_areas);
  // Each thread scores a contiguous range of passages (in order, so the
  // pages it reads are handed back as in one pass); each score lands in its
  // own slot, so the result does not depend on the threads.
  const size_t n = corpus.size();
  const size_t workers = WorkerCount(n / 4096 + 1);
  RunOnWorkers(workers, [&](size_t w) {
    const auto [begin, end] = ShareOf(n, w, workers);
    for (size_t i = begin; i < end; ++i) {
      const Row row = corpus.Weights(i);
      for (size_t a = 0; a < n_areas; ++a) (*scores)[i * n_areas + a] = Dot(row, protos[a]);
      corpus.ReleaseEvery(i);
    }
  });
  corpus.ReleasePages();
}

// ---- Clustering ------------------------------------------------------------

struct Clustering {
  std::vector<int> label;  // per member
  // The centres, term-major: centre c's weight of term t at t * k + c, so
  // that one vector entry meets all k centres in one row. Each centre's
  // sums run over the same terms in the same order as a dense dot product
  // would, so the results are those of centre-major vectors.
  std::vector<float> centres;
  int k = 0;
  double inertia = 0;
};

// Similarities of x to the k centres, into sim[0, k).
inline void Similarities(const SparseVector& x, const std::vector<float>& centres, int k, double* sim) {
  std::fill(sim, sim + k, 0.0);
  for (const auto& [id, w] : x) {
    const float* row = centres.data() + static_cast<size_t>(id) * static_cast<size_t>(k);
    for (int c = 0; c < k; ++c) sim[c] += static_cast<double>(w) * row[c];
  }
}

// Runs the assignment step over [0, n) on up to `workers` threads; each
// label lands in its own slot, so the result does not depend on them.
bool Assign(const std::vector<const SparseVector*>& x, const std::vector<float>& centres, int k,
            size_t workers, std::vector<int>* label) {
  const size_t n = x.size();
  std::vector<char> changed(workers, 0);
  RunOnWorkers(workers, [&](size_t w) {
    std::vector<double> sim(static_cast<size_t>(k));
    const auto [begin, end] = ShareOf(n, w, workers);
    for (size_t i = begin; i < end; ++i) {
      Similarities(*x[i], centres, k, sim.data());
      int best = 0;
      double best_sim = -2;
      for (int c = 0; c < k; ++c) {
        if (sim[static_cast<size_t>(c)] > best_sim) {
          best_sim = sim[static_cast<size_t>(c)];
          best = c;
        }
      }
      if ((*label)[i] != best) {
        (*label)[i] = best;
        changed[w] = 1;
      }
    }
  });
  return std::find(changed.begin(), changed.end(), 1) != changed.end();
}

// Lloyd iterations from the given centres (spherical: centres renormalised).
void Lloyd(const std::vector<const SparseVector*>& x, int max_iterations, size_t workers,
           Clustering* r) {
  const size_t n = x.size();
  const size_t k = static_cast<size_t>(r->k);
  const size_t dims = r->centres.size() / k;
  r->label.assign(n, -1);
  for (int iter = 0; iter < max_iterations; ++iter) {
    if (!Assign(x, r->centres, r->k, workers, &r->label)) break;
    std::fill(r->centres.begin(), r->centres.end(), 0.0f);
    for (size_t i = 0; i < n; ++i) {
      const size_t c = static_cast<size_t>(r->label[i]);
      for (const auto& [id, w] : *x[i]) r->centres[id * k + c] += w;
    }
    // NormaliseDense, centre by centre.
    std::vector<double> norm(k, 0.0);
    for (size_t t = 0; t < dims; ++t) {
      for (size_t c = 0; c < k; ++c) norm[c] += static_cast<double>(r->centres[t * k + c]) * r->centres[t * k + c];
    }
    for (size_t c = 0; c < k; ++c) norm[c] = norm[c] > 0 ? 1.0 / std::sqrt(norm[c]) : 0.0;
    for (size_t t = 0; t < dims; ++t) {
      for (size_t c = 0; c < k; ++c) {
        if (norm[c] > 0) r->centres[t * k + c] = static_cast<float>(r->centres[t * k + c] * norm[c]);
      }
    }
  }
  r->inertia = 0;
  std::vector<double> sim(k);
  for (size_t i = 0; i < n; ++i) {
    Similarities(*x[i], r->centres, r->k, sim.data());
    r->inertia += 1.0 - sim[static_cast<size_t>(r->label[i])];
  }
}

Clustering SphericalKMeans(const std::vector<const SparseVector*>& x, size_t dims, int k,
                           Rng* rng, int max_iterations) {
  const size_t n = x.size();
  Clustering result;
  result.k = k;
  result.centres.assign(dims * static_cast<size_t>(k), 0.0f);
  // k-means++: each next centre drawn with probability proportional to the
  // cosine distance to the nearest centre chosen so far.
  std::vector<double> nearest(n, 2.0);
  size_t first = static_cast<size_t>(rng->Next() % n);
  std::vector<float> centre(dims, 0.0f);
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
    for (const auto& [id, w] : *x[pick]) {
      centre[id] = w;
      result.centres[id * static_cast<size_t>(k) + static_cast<size_t>(c)] = w;
    }
    for (size_t i = 0; i < n; ++i) nearest[i] = std::min(nearest[i], 1.0 - Dot(*x[i], centre));
    for (const auto& [id, w] : *x[pick]) centre[id] = 0.0f;
  }
  Lloyd(x, max_iterations, 1, &result);
  return result;
}

// Mean silhouette (cosine distance) over the sample, using a precomputed
// similarity matrix of the sample; sample[a] indexes `label`.
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

// Steps 2 and 3 of the file comment. Returns the clustering of all of `x`,
// with its centres over `x`'s term ids (term-major).
Clustering Cluster(const std::vector<const SparseVector*>& x, size_t dims, const ClusterOptions& co,
                   double* silhouette) {
  const int n = static_cast<int>(x.size());
  // The k-selection sample, evenly spread (all candidates when few).
  const int s = std::min(n, std::max(2 * co.k_min, co.k_selection_sample));
  std::vector<int> in_full;
  for (int j = 0; j < s; ++j) in_full.push_back(static_cast<int>(static_cast<long long>(j) * n / s));
  // The sample's own compact term ids (the terms it uses, in the same
  // order): the centres of the k search are only as wide as the sample's
  // vocabulary. `to_full` maps them back.
  std::vector<std::uint32_t> local(dims, UINT32_MAX), to_full;
  for (int j : in_full) {
    for (const auto& e : *x[static_cast<size_t>(j)]) local[e.first] = 0;
  }
  for (std::uint32_t t = 0; t < dims; ++t) {
    if (local[t] == 0) {
      local[t] = static_cast<std::uint32_t>(to_full.size());
      to_full.push_back(t);
    }
  }
  std::vector<SparseVector> sample_vec;
  sample_vec.reserve(in_full.size());
  for (int j : in_full) {
    SparseVector v = *x[static_cast<size_t>(j)];
    for (auto& e : v) e.first = local[e.first];
    sample_vec.push_back(std::move(v));
  }
  local = decltype(local)();
  std::vector<const SparseVector*> xs;
  for (const SparseVector& v : sample_vec) xs.push_back(&v);
  const size_t sample_dims = to_full.size();
  // A fixed, evenly spread sample of that for the silhouette; its similarity
  // matrix is computed once and shared by every k.
  std::vector<int> sample;
  const int ss = std::min(s, co.silhouette_sample);
  for (int j = 0; j < ss; ++j) sample.push_back(static_cast<int>(static_cast<long long>(j) * s / ss));
  std::vector<std::vector<float>> sim(sample.size(), std::vector<float>(sample.size()));
  for (size_t a = 0; a < sample.size(); ++a) {
    for (size_t b = a; b < sample.size(); ++b) {
      sim[a][b] = sim[b][a] = static_cast<float>(
          Dot(*xs[static_cast<size_t>(sample[a])], *xs[static_cast<size_t>(sample[b])]));
    }
  }
  const int k_max = std::min(co.k_max, s / 2);
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
        Clustering c = SphericalKMeans(xs, sample_dims, k, &rng, co.max_iterations);
        if (c.inertia < best_k.inertia) best_k = std::move(c);
      }
      const size_t slot = static_cast<size_t>(k - co.k_min);
      sil_of_k[slot] = Silhouette(sample, sim, best_k.label, k);
      best_of_k[slot] = std::move(best_k);
    }
  };
  RunOnWorkers(WorkerCount(n_k), [&](size_t) { work(); });
  Clustering best;
  double best_sil = -2;
  for (size_t slot = 0; slot < n_k; ++slot) {
    if (sil_of_k[slot] > best_sil + 1e-12) {
      best_sil = sil_of_k[slot];
      best = std::move(best_of_k[slot]);
    }
  }
  best_of_k = decltype(best_of_k)();
  // The centres over all of x's terms.
  const size_t k = static_cast<size_t>(best.k);
  std::vector<float> wide(dims * k, 0.0f);
  for (size_t t = 0; t < sample_dims; ++t) {
    std::copy_n(best.centres.begin() + static_cast<std::ptrdiff_t>(t * k), k,
                wide.begin() + static_cast<std::ptrdiff_t>(to_full[t] * k));
  }
  best.centres = std::move(wide);
  if (s < n) {
    Lloyd(x, co.max_iterations, WorkerCount(static_cast<size_t>(n) / 4096 + 1), &best);
    for (int& j : sample) j = in_full[static_cast<size_t>(j)];
    best_sil = Silhouette(sample, sim, best.label, best.k);
  } else {
    // The sample was all of x, in x's order: its labels are x's.
  }
  *silhouette = best_sil;
  return best;
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
  std::vector<int> cluster_size(static_cast<size_t>(k), 0);
  std::map<std::uint32_t, double> total;
  for (size_t m = 0; m < members.size(); ++m) {
    const size_t c = static_cast<size_t>(label[m]);
    ++cluster_size[c];
    corpus.ReleaseEvery(m, Corpus::kScatteredPerRelease);
    const Row row = corpus.Counts(static_cast<size_t>(members[m]));
    for (size_t j = 0; j < row.size; ++j) {
      const std::uint32_t id = row.term[j];
      const float cnt = row.value[j];
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
    std::vector<std::pair<double, std::uint32_t>> scored;
    for (const auto& [id, f] : tf[c]) {
      // A label term must recur: in at least two passages of the cluster.
      if (cluster_size[c] >= 3 && df[c][id] < 2) continue;
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

// Terms used in at least `generic_doc_ratio` of the documents (when there
// are at least `generic_min_documents` documents).
std::vector<bool> GenericTerms(const Corpus& corpus, const PassageKeys& keys, const ClusterOptions& co) {
  std::vector<bool> generic(corpus.space.size(), false);
  std::vector<std::uint32_t> by_doc(corpus.size());
  std::iota(by_doc.begin(), by_doc.end(), 0u);
  std::stable_sort(by_doc.begin(), by_doc.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return keys.doc[a] < keys.doc[b]; });
  int documents = 0;
  for (size_t j = 0; j < by_doc.size(); ++j) {
    documents += j == 0 || keys.doc[by_doc[j]] != keys.doc[by_doc[j - 1]];
  }
  if (documents < co.generic_min_documents) return generic;
  // Each term's last document seen: passages are visited document by
  // document, so a term counts once per document.
  std::vector<std::uint32_t> last(corpus.space.size(), UINT32_MAX);
  std::vector<int> df(corpus.space.size(), 0);
  size_t visited = 0;
  for (std::uint32_t i : by_doc) {
    corpus.ReleaseEvery(visited++);
    const Row row = corpus.Counts(i);
    for (size_t j = 0; j < row.size; ++j) {
      if (last[row.term[j]] != keys.doc[i]) {
        last[row.term[j]] = keys.doc[i];
        ++df[row.term[j]];
      }
    }
  }
  for (size_t t = 0; t < generic.size(); ++t) {
    generic[t] = static_cast<double>(df[t]) >= co.generic_doc_ratio * static_cast<double>(documents);
  }
  return generic;
}

}  // namespace

std::vector<std::string> Reasons(const Corpus& corpus, size_t i, const std::vector<float>& proto, int n) {
  const Row v = corpus.Weights(i);
  std::vector<std::pair<double, std::uint32_t>> contrib;
  for (size_t j = 0; j < v.size; ++j) {
    const double c = static_cast<double>(v.value[j]) * proto[v.term[j]];
    if (c > 0) contrib.emplace_back(c, v.term[j]);
  }
  std::sort(contrib.begin(), contrib.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return corpus.space.Term(a.second) < corpus.space.Term(b.second);
  });
  std::vector<std::string> out;
  for (size_t j = 0; j < contrib.size() && static_cast<int>(j) < n; ++j) {
    out.push_back(corpus.space.Surface(contrib[j].second));
  }
  return out;
}

bool ChooseAreas(const double* row, const Framework& framework, double min_score,
                 double relative_to_best, std::uint8_t* st) {
  const size_t n_areas = framework.areas.size();
  const double best = *std::max_element(row, row + n_areas);
  bool any = false;
  for (size_t a = 0; a < n_areas; ++a) {
    if (row[a] >= min_score && row[a] >= relative_to_best * best) {
      st[a] = SortResult::kChosen;
      any = true;
    }
  }
  for (size_t a = 0; a < n_areas; ++a) {
    if (st[a] != SortResult::kChosen) continue;
    for (int p : framework.Ancestors(static_cast<int>(a))) {
      if (st[p] == 0) st[p] = SortResult::kImplied;
    }
  }
  return any;
}

Result<SortResult> Sort(const Corpus& corpus, const PassageKeys& keys, const Framework& framework,
                        const analysis::Analyzer& analyzer, const SortOptions& so,
                        const ClusterOptions& co) {
  if (framework.areas.empty()) return Status::InvalidArgument("the framework has no areas");
  if (co.k_min < 2 || co.k_max < co.k_min) {
    return Status::InvalidArgument("cluster k range must satisfy 2 <= k_min <= k_max");
  }
  SortResult r;
  const size_t n_areas = framework.areas.size();
  const size_t n_passages = corpus.size();
  r.n_areas = n_areas;

  std::vector<std::vector<float>> initial;
  for (const Area& a : framework.areas) {
    initial.push_back(InitialPrototype(a, corpus, analyzer, so.seed_weight));
  }
  r.protos = initial;
  r.scores = SpillVector<double>(SpillAllocator<double>(corpus.spill));
  SpillVector<double>& scores = r.scores;
  ScoreAll(corpus, r.protos, &scores);
  // The assignment floor: given, or mean + z sd of the initial scores.
  double min_score = so.min_score;
  if (min_score < 0) {
    double sum = 0, sq = 0, n = 0;
    for (size_t i = 0; i < n_passages; ++i) {
      for (size_t a = 0; a < n_areas; ++a) {
        const double x = scores[i * n_areas + a];
        sum += x;
        sq += x * x;
        n += 1;
      }
      corpus.ReleaseEvery(i);
    }
    const double mean = n > 0 ? sum / n : 0;
    const double var = n > 0 ? std::max(0.0, sq / n - mean * mean) : 0;
    min_score = mean + so.min_score_sd * std::sqrt(var);
  }
  r.min_score = min_score;

  for (int round = 0; round < so.feedback_rounds; ++round) {
    // Each area takes the passages it wins most clearly: argmax is this area
    // and the score clears the assignment floor.
    std::vector<std::vector<std::pair<double, size_t>>> wins(n_areas);
    for (size_t i = 0; i < n_passages; ++i) {
      corpus.ReleaseEvery(i);
      const double* row = scores.data() + i * n_areas;
      const double* best = std::max_element(row, row + n_areas);
      if (*best < min_score) continue;
      wins[static_cast<size_t>(best - row)].emplace_back(*best, i);
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
        for (size_t k = 0; k < w.size(); ++k) {
          corpus.ReleaseEvery(k, Corpus::kScatteredPerRelease);
          const Row row = corpus.Weights(w[k].second);
          for (size_t j = 0; j < row.size; ++j) {
            p[row.term[j]] += static_cast<float>(row.value[j] * scale);
          }
        }
      }
      NormaliseDense(&p);
      r.protos[a] = std::move(p);
    }
    ScoreAll(corpus, r.protos, &scores);
  }

  // Assignment: every area at least the floor and `relative_to_best` of the
  // best; a chosen area implies its ancestors.
  r.state = SpillVector<std::uint8_t>(SpillAllocator<std::uint8_t>(corpus.spill));
  r.state.assign(n_passages * n_areas, 0);
  r.theme.assign(n_passages, -1);
  std::vector<int> unassigned;
  for (size_t i = 0; i < n_passages; ++i) {
    corpus.ReleaseEvery(i);
    const bool any = ChooseAreas(scores.data() + i * n_areas, framework, min_score,
                                 so.relative_to_best, r.state.data() + i * n_areas);
    if (!any) {
      ++r.no_area;
      unassigned.push_back(static_cast<int>(i));
    }
  }

  // Emergent themes among what no area took. Terms used in most documents
  // ("datum", "ska", "regionen", "strategin") say nothing about a theme;
  // they are dropped from the clustering vectors, and a passage left with
  // too few terms is not clustered.
  const std::vector<bool> generic = GenericTerms(corpus, keys, co);
  r.generic.assign(generic.begin(), generic.end());
  std::vector<SparseVector> cluster_vec;
  std::vector<int> members;
  for (size_t k = 0; k < unassigned.size(); ++k) {
    const int i = unassigned[k];
    corpus.ReleaseEvery(k);
    SparseVector v;
    double norm = 0;
    const Row row = corpus.Weights(static_cast<size_t>(i));
    // Sized once: grown entry by entry, the vectors of the 589k passages
    // clustered at N=100,000 held ~40 % unused capacity at the stage's peak.
    v.reserve(row.size);
    for (size_t j = 0; j < row.size; ++j) {
      if (generic[row.term[j]]) continue;
      v.emplace_back(row.term[j], row.value[j]);
      norm += static_cast<double>(row.value[j]) * row.value[j];
    }
    if (static_cast<int>(v.size()) < co.min_terms || norm <= 0) continue;
    for (auto& e : v) e.second = static_cast<float>(e.second / std::sqrt(norm));
    cluster_vec.push_back(std::move(v));
    members.push_back(i);
  }
  const int n = static_cast<int>(members.size());
  if (n < 2 * co.k_min) return r;

  // Compact term ids: only the terms the members use, in the same order.
  std::vector<std::uint32_t> local(corpus.space.size(), UINT32_MAX);
  for (const SparseVector& v : cluster_vec) {
    for (const auto& e : v) local[e.first] = 0;
  }
  std::uint32_t dims = 0;
  std::vector<std::uint32_t> global;  // compact id -> corpus term id
  for (std::uint32_t t = 0; t < local.size(); ++t) {
    if (local[t] == 0) {
      local[t] = dims++;
      global.push_back(t);
    }
  }
  for (SparseVector& v : cluster_vec) {
    for (auto& e : v) e.first = local[e.first];
  }
  std::vector<const SparseVector*> x;
  for (const SparseVector& v : cluster_vec) x.push_back(&v);
  Clustering best = Cluster(x, dims, co, &r.silhouette);
  cluster_vec = decltype(cluster_vec)();
  x = decltype(x)();

  std::vector<EmergentTheme> themes;
  LabelThemes(corpus, generic, members, best.label, best.k, co.label_terms, &themes);
  for (size_t m = 0; m < members.size(); ++m) {
    const size_t i = static_cast<size_t>(members[m]);
    const DocInfo& d = keys.docs[keys.doc[i]];
    EmergentTheme& t = themes[static_cast<size_t>(best.label[m])];
    t.passage_ids.emplace_back(keys.ids[i]);
    if (!d.actor_group.empty()) ++t.actor_groups[d.actor_group];
    if (!d.subregion.empty()) ++t.subregions[d.subregion];
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
  const size_t k_best = static_cast<size_t>(best.k);
  for (size_t k = 0; k < order.size(); ++k) {
    new_id[order[k]] = static_cast<int>(k) + 1;
    themes[order[k]].id = static_cast<int>(k) + 1;
    r.themes.push_back(std::move(themes[order[k]]));
    SparseVector centre;
    for (std::uint32_t t = 0; t < dims; ++t) {
      const float w = best.centres[t * k_best + order[k]];
      if (w != 0.0f) centre.emplace_back(global[t], w);
    }
    r.centres.push_back(std::move(centre));
  }
  for (size_t m = 0; m < members.size(); ++m) {
    r.theme[static_cast<size_t>(members[m])] = new_id[static_cast<size_t>(best.label[m])];
  }
  return r;
}

}  // namespace internal

Result<ThemeModel> SortAndCluster(const std::vector<PassageInput>& passages,
                                  const Framework& framework, const analysis::Analyzer& analyzer,
                                  const SortOptions& so, const ClusterOptions& co) {
  internal::CorpusBuilder builder(analyzer, nullptr, nullptr);
  internal::PassageKeys keys;
  std::map<std::string, std::uint32_t> doc_index;
  std::vector<std::string> texts;
  for (const PassageInput& p : passages) {
    auto [it, inserted] = doc_index.try_emplace(p.doc_id, static_cast<std::uint32_t>(keys.docs.size()));
    if (inserted) keys.docs.push_back({p.doc_id, p.actor_group, p.subregion});
    keys.AddId(p.id);
    keys.doc.push_back(it->second);
    texts.push_back(p.text);
  }
  builder.AddBlock(std::move(texts));
  const internal::Corpus corpus = builder.Finish();
  Result<internal::SortResult> r = internal::Sort(corpus, keys, framework, analyzer, so, co);
  if (!r.ok()) return r.status();
  ThemeModel model;
  model.no_area = r->no_area;
  model.silhouette = r->silhouette;
  model.min_score = r->min_score;
  model.themes = std::move(r->themes);
  model.passages.resize(passages.size());
  const size_t n_areas = framework.areas.size();
  for (size_t i = 0; i < passages.size(); ++i) {
    PassageThemes& pt = model.passages[i];
    pt.passage_id = passages[i].id;
    pt.doc_id = passages[i].doc_id;
    pt.theme = r->theme[i];
    for (size_t a = 0; a < n_areas; ++a) {
      pt.scores.push_back(static_cast<float>(r->scores[i * n_areas + a]));
      const std::uint8_t st = r->state[i * n_areas + a];
      if (st != 0) pt.areas.push_back(framework.areas[a].id);
      if (st == internal::SortResult::kChosen) {
        pt.reasons.push_back(
            {static_cast<int>(a), internal::Reasons(corpus, i, r->protos[a], so.reason_terms)});
      }
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
