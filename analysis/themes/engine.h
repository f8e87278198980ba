// Internal to samrad_themes: sorting and clustering over a built Corpus, with
// the per-passage results in flat arrays. SortAndCluster (themes.h) wraps it
// for small inputs; the analyze stage streams its output from it.
#ifndef SAMRAD_ANALYSIS_THEMES_ENGINE_H_
#define SAMRAD_ANALYSIS_THEMES_ENGINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/themes/corpus.h"
#include "analysis/themes/themes.h"

namespace samrad::themes::internal {

struct DocInfo {
  std::string id;
  std::string actor_group;
  std::string subregion;
};

// The passages besides their vectors: ids, and their documents.
struct PassageKeys {
  std::vector<std::string> ids;
  std::vector<std::uint32_t> doc;  // index into docs
  std::vector<DocInfo> docs;
};

struct SortResult {
  size_t n_areas = 0;
  double min_score = 0;
  double silhouette = 0;
  int no_area = 0;
  std::vector<double> scores;  // passage-major: passage i, area a at i * n_areas + a
  // Per (passage, area): kChosen (the rule chose it; it has reasons),
  // kImplied (an ancestor of a chosen area), or 0.
  static constexpr std::uint8_t kChosen = 1, kImplied = 2;
  std::vector<std::uint8_t> state;
  std::vector<std::vector<float>> protos;  // the final prototypes, framework order
  std::vector<int> theme;                  // per passage: emergent theme id, or -1
  std::vector<EmergentTheme> themes;       // by size, largest first
};

Result<SortResult> Sort(const Corpus& corpus, const PassageKeys& keys, const Framework& framework,
                        const analysis::Analyzer& analyzer, const SortOptions& sort_options,
                        const ClusterOptions& cluster_options);

// The `n` terms that contributed most to passage i's cosine with `proto`,
// in their most frequent surface forms.
std::vector<std::string> Reasons(const Corpus& corpus, size_t i, const std::vector<float>& proto,
                                 int n);

}  // namespace samrad::themes::internal

#endif  // SAMRAD_ANALYSIS_THEMES_ENGINE_H_
