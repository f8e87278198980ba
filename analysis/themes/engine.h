// Internal to samrad_themes: sorting and clustering over a built Corpus, with
// the per-passage results in flat arrays. SortAndCluster (themes.h) wraps it
// for small inputs; the analyze stage streams its output from it.
#ifndef SAMRAD_ANALYSIS_THEMES_ENGINE_H_
#define SAMRAD_ANALYSIS_THEMES_ENGINE_H_

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/themes/corpus.h"
#include "analysis/themes/themes.h"
#include "base/model.h"
#include "base/string_arena.h"

namespace samrad::themes::internal {

struct DocInfo {
  std::string id;
  std::string actor_group;
  std::string subregion;
};

// The passages besides their vectors: ids, and their documents.
struct PassageKeys {
  // Views of id_bytes (#11: a std::string each, with the vector's spare
  // room, was ~150 MB of the analyze stage at N=100,000; packed, ~55 MB).
  std::vector<std::string_view> ids;
  StringArena id_bytes;
  void AddId(std::string_view id) { ids.push_back(id_bytes.Store(id)); }
  std::vector<std::uint32_t> doc;  // index into docs
  std::vector<DocInfo> docs;
};

struct SortResult {
  size_t n_areas = 0;
  double min_score = 0;
  double silhouette = 0;
  int no_area = 0;
  // Passage-major: passage i, area a at i * n_areas + a. In the corpus'
  // spill file when it has one (#11: 8 bytes a passage and area).
  SpillVector<double> scores;
  // Per (passage, area): kChosen (the rule chose it; it has reasons),
  // kImplied (an ancestor of a chosen area), or 0.
  static constexpr std::uint8_t kChosen = 1, kImplied = 2;
  // In the corpus' spill file too (#11: a byte a passage and area, ~28 MB
  // at N=100,000, read in the analyze stage's output loop, where it peaks).
  SpillVector<std::uint8_t> state;
  std::vector<std::vector<float>> protos;  // the final prototypes, framework order
  std::vector<int> theme;                  // per passage: emergent theme id, or -1
  std::vector<EmergentTheme> themes;       // by size, largest first
  // What a later run needs to place passages with this fit (saved.h): the
  // generic terms, and each theme's centre (themes order) over term ids.
  std::vector<std::uint8_t> generic;
  std::vector<SparseVector> centres;
};

// The assignment rule: every area whose score is at least `min_score` and
// `relative_to_best` of the best gets kChosen in `state`, its ancestors
// kImplied. Returns whether any area was chosen.
bool ChooseAreas(const double* scores, const Framework& framework, double min_score,
                 double relative_to_best, std::uint8_t* state);

Result<SortResult> Sort(const Corpus& corpus, const PassageKeys& keys, const Framework& framework,
                        const analysis::Analyzer& analyzer, const SortOptions& sort_options,
                        const ClusterOptions& cluster_options);

// The `n` terms that contributed most to passage i's cosine with `proto`,
// in their most frequent surface forms.
std::vector<std::string> Reasons(const Corpus& corpus, size_t i, const std::vector<float>& proto,
                                 int n);

// Documents named by quote overrides ({"doc", "quote"}): their passages'
// texts are kept while the others stream past.
std::set<std::string> QuoteDocs(const std::filesystem::path& overrides_path);

// Notes a streamed passage's id and document in `keys` (a document missing
// from documents.jsonl gets an entry without metadata) and, when
// `for_overrides` is given, its ids for LoadOverrides, with its text only
// when an override quotes its document (`quote_docs`, from QuoteDocs).
void NotePassage(const Passage& p, const std::set<std::string>& quote_docs,
                 std::unordered_map<std::string, std::uint32_t>* doc_index, PassageKeys* keys,
                 std::vector<PassageInput>* for_overrides);

// Area ids with their ancestors, as ascending framework indexes.
std::vector<std::uint32_t> ExpandAreas(const std::vector<std::string>& ids, const Framework& framework);

struct SavedModel;
// incremental.cc: the analyze stage with a saved model (its file comment has
// the steps). `keys` and `doc_index` hold the documents only. Returns true
// when done; false, with `why_not`, when a full fit is needed instead (nothing
// has been written then).
Result<bool> AnalyzeIncrementally(const AnalyzeOptions& options, const analysis::Analyzer& analyzer,
                                  const Framework& framework, PassageKeys keys,
                                  std::unordered_map<std::string, std::uint32_t> doc_index,
                                  const SavedModel& model, AnalyzeSummary* summary,
                                  std::string* why_not);

}  // namespace samrad::themes::internal

#endif  // SAMRAD_ANALYSIS_THEMES_ENGINE_H_
