// Internal to samrad_themes: sparse TF-IDF vectors and the term space.
#ifndef SAMRAD_ANALYSIS_THEMES_VECTORS_H_
#define SAMRAD_ANALYSIS_THEMES_VECTORS_H_

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/analysis.h"
#include "base/string_ids.h"

namespace samrad::themes::internal {

// A sparse vector: (term id, weight), sorted by term id.
using SparseVector = std::vector<std::pair<std::uint32_t, float>>;

// Term ids are handed out in first-seen order; since inputs arrive in a fixed
// order, ids (and so every float sum over them) are deterministic.
class TermSpace {
 public:
  std::uint32_t Id(std::string_view term);
  // -1 when the term has never been seen.
  std::int64_t Find(std::string_view term) const;
  size_t size() const { return terms_.size(); }
  std::string_view Term(std::uint32_t id) const { return terms_[id]; }
  // Records a surface form seen for a term; Surface() returns the most
  // frequent one (ties: the smallest string), which is what labels show.
  void SeeSurface(std::uint32_t id, std::string_view surface, int times = 1);
  std::string Surface(std::uint32_t id) const;
  // Whether the term was ever seen as a whole word (not only as a compound
  // part): only such terms label themes ("skar" of "Skaraborg" never does).
  bool SeenWhole(std::uint32_t id) const {
    return sealed_ ? !best_surface_[id].empty() : !surfaces_[id].empty();
  }

  // Keeps of each term's surface forms only the one Surface() returns: the
  // counts of every spelling matter only while passages are added. Call
  // when no more SeeSurface() will come; Id() may.
  void SealSurfaces();
  // The terms by id and, per id, Surface() for a term seen whole and "" for
  // one that was not; the space is left empty.
  std::vector<std::string> TakeTerms();
  std::vector<std::string> TakeSurfaces();

 private:
  // #11: the terms and the surface forms are each held once, packed, with
  // dense ids (base/string_ids.h), and a term's surfaces are a few (id,
  // count) pairs. A map of std::string to ids and a std::map of surface
  // strings per term were ~120 MB of the analysis at N=100,000.
  using SurfaceCounts = std::vector<std::pair<std::uint32_t, int>>;  // (id in surface_strings_, count)
  StringIds terms_;
  StringIds surface_strings_;           // until sealed
  std::vector<SurfaceCounts> surfaces_;  // by term id, until sealed
  bool sealed_ = false;
  std::vector<std::string> best_surface_;  // once sealed: "" when not seen whole
};

// Term counts of one text: the stems of its content words plus the stems of
// the parts of its compounds. `surfaces` receives (stem, normalised word) for
// whole words only.
using TermCounts = std::map<std::string, float>;
TermCounts CountTerms(const std::vector<analysis::Token>& tokens,
                      const analysis::Analyzer& analyzer,
                      std::vector<std::pair<std::string, std::string>>* surfaces);

inline double Dot(const SparseVector& a, const std::vector<float>& dense) {
  double s = 0;
  for (const auto& [id, w] : a) s += static_cast<double>(w) * dense[id];
  return s;
}

inline double Dot(const SparseVector& a, const SparseVector& b) {
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

inline void NormaliseDense(std::vector<float>* v) {
  double n = 0;
  for (float x : *v) n += static_cast<double>(x) * x;
  if (n <= 0) return;
  const double inv = 1.0 / std::sqrt(n);
  for (float& x : *v) x = static_cast<float>(x * inv);
}

// splitmix64: a tiny, portable, seeded generator (std:: distributions differ
// between standard libraries, which would break byte-identical output).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }

 private:
  std::uint64_t state_;
};

}  // namespace samrad::themes::internal

#endif  // SAMRAD_ANALYSIS_THEMES_VECTORS_H_
