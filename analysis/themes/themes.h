// Theme sorting: every passage against the strategy framework's areas, and
// the emergent themes that no area takes.
//
// The method (docs/themes.md has the details and the reasons):
//  1. Each passage becomes a TF-IDF vector over Snowball stems and compound
//     parts of its non-stop words (sublinear tf, smoothed idf, L2 norm).
//  2. Each area gets a prototype vector from its name, description and seed
//     terms (seed terms weighted up), in the same space.
//  3. The prototypes are expanded from the corpus itself by pseudo-relevance
//     feedback (Rocchio): the passages that an area clearly wins are added to
//     its prototype, for a fixed number of rounds.
//  4. A passage's score for an area is the cosine to the final prototype. It
//     gets every area whose score is at least `min_score` and at least
//     `relative_to_best` times its best score; one global rule for all areas.
//     A child area implies its parents. "None" when nothing passes.
//  5. Passages with no area and enough content are clustered with spherical
//     k-means (k-means++ seeding from a fixed seed); k is the one with the
//     best mean silhouette on a fixed sample, and the chosen clustering is
//     refined over all of them. Each cluster is labelled by c-TF-IDF.
//  6. Analyst overrides replace the machine's areas and are marked.
//
// Every assignment carries its reason: the terms that contributed most to the
// cosine. Everything is deterministic: same input, same bytes out.
#ifndef SAMRAD_ANALYSIS_THEMES_THEMES_H_
#define SAMRAD_ANALYSIS_THEMES_THEMES_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/themes/framework.h"
#include "base/status.h"

namespace samrad::themes {

struct SortOptions {
  // An area is assigned when its cosine is at least this... A negative value
  // means "from the data": the mean plus `min_score_sd` standard deviations of
  // all passage-by-area scores of the corpus. Most of those scores are
  // background (a passage is about one or two areas), so a score that far
  // above the corpus-wide mean is a signal; the rule needs no gold labels and
  // adapts to the framework and the corpus.
  double min_score = -1;
  double min_score_sd = 1.0;
  // ...and at least this fraction of the passage's best area score.
  double relative_to_best = 0.75;
  // Seed terms count this many times in an area prototype (name and
  // description count once).
  double seed_weight = 3.0;
  // Pseudo-relevance feedback: rounds, passages taken per area per round, and
  // the weight of their centroid against the original prototype (Rocchio beta).
  int feedback_rounds = 2;
  int feedback_passages = 15;
  double feedback_weight = 0.6;
  // How many contributing terms an assignment reports as its reason.
  int reason_terms = 5;
};

struct ClusterOptions {
  // Passages with fewer distinct content terms (generic terms not counted)
  // are too thin to cluster.
  int min_terms = 6;
  // A term in at least this share of the documents is generic: not used to
  // cluster or label. Applied when the corpus has at least
  // `generic_min_documents` documents (a share of a handful means little).
  double generic_doc_ratio = 0.6;
  int generic_min_documents = 20;
  int k_min = 2;
  int k_max = 20;
  int restarts = 4;
  int max_iterations = 50;
  std::uint64_t seed = 20190503;
  // k is chosen on at most this many passages (a fixed, evenly spread
  // sample); with more, the chosen k's centres are then refined over all.
  int k_selection_sample = 4000;
  // The silhouette is computed on at most this many of those (a fixed sample).
  int silhouette_sample = 1500;
  int label_terms = 5;
};

// Why the method chose an area: the terms that contributed most to the
// cosine, strongest first.
struct AreaReasons {
  int area = 0;  // index in Framework::areas
  std::vector<std::string> terms;
};

struct PassageThemes {
  std::string passage_id;
  std::string doc_id;
  // The cosine to each area's prototype, framework order. Empty when read by
  // LoadThemeModel without `with_scores`.
  std::vector<float> scores;
  // One per area the rule chose (not the parents it implies), framework
  // order. Overrides do not change them. Empty as `scores`.
  std::vector<AreaReasons> reasons;
  std::vector<std::string> areas;  // assigned ids with ancestors, framework order
  bool overridden = false;         // areas come from the analyst's overrides
  int theme = -1;                  // emergent theme id, or -1
};

struct EmergentTheme {
  int id = 0;
  std::string label;                   // "bostäder, hyresrätter, bostadsbrist"
  std::vector<std::string> terms;      // top c-TF-IDF terms (surface forms)
  std::vector<std::string> passage_ids;
  int documents = 0;
  std::map<std::string, int> actor_groups;  // passages per actor group
  std::map<std::string, int> subregions;
};

struct ThemeModel {
  std::vector<PassageThemes> passages;  // in input order
  std::vector<EmergentTheme> themes;    // by size, largest first
  int no_area = 0;                      // passages that fell in no area
  double silhouette = 0;                // mean silhouette of the chosen k
  double min_score = 0;                 // the assignment floor used
};

// What sorting needs to know of one passage.
struct PassageInput {
  std::string id;
  std::string doc_id;
  std::string text;
  std::string actor_group;
  std::string subregion;
};

Result<ThemeModel> SortAndCluster(const std::vector<PassageInput>& passages,
                                  const Framework& framework, const analysis::Analyzer& analyzer,
                                  const SortOptions& sort_options,
                                  const ClusterOptions& cluster_options);

// Analyst overrides, JSON Lines; each line one of
//   {"passage": "<passage id>", "areas": ["id", ...]}
//   {"doc": "<document id>", "quote": "<verbatim text>", "areas": [...]}
// An empty list means "no area". Unknown area ids, unknown passages and
// quotes found in no passage are errors naming the line.
struct Override {
  int line = 0;
  std::string passage_id;  // resolved
  std::vector<std::string> areas;
};
Result<std::vector<Override>> LoadOverrides(const std::filesystem::path& path,
                                            const Framework& framework,
                                            const std::vector<PassageInput>& passages);
void ApplyOverrides(const std::vector<Override>& overrides, const Framework& framework,
                    ThemeModel* model);

// The `analyze` stage: streams the ingested passages from state_dir, sorts,
// clusters, applies overrides and writes
// state_dir/analysis/{passages.jsonl,themes.json}, and the term cache
// state_dir/analysis/terms.cache: the terms of every passage text, so that a
// later run tokenises only passages whose text it has not seen (the output
// is the same bytes with or without it).
//
// Full fit or incremental (docs/themes.md, "Incremental runs"). A full fit
// also saves its model (state_dir/analysis/model.bin: vocabulary and idf,
// final prototypes and floor, generic terms, cluster centres and theme
// labels, the passages it was fitted on). A later run uses that model when
// it was fitted with the same framework, overrides, analyzer and options and
// the passages added, changed and removed since that fit (counted from the
// fit, not from the last run) are at most `max_drift` of the fitted ones:
// unchanged passages keep their passages.jsonl lines byte for byte, new and
// changed ones are placed with the saved model, and themes.json keeps the
// theme ids and labels with their statistics counted anew. Otherwise, with
// `refit`, or when a saved file is unreadable (the summary's `reason` names
// it), a full fit as from a fresh state. A fresh state's output is the same
// bytes as before incremental runs existed.
struct AnalyzeOptions {
  std::filesystem::path state_dir;
  std::filesystem::path framework_path;
  std::filesystem::path overrides_path;  // empty: none
  SortOptions sort;
  ClusterOptions cluster;
  // Read terms.cache and the saved model (they are written either way).
  // false: a full fit that uses nothing saved, as from a fresh state.
  bool use_cache = true;
  // Do a full fit even when the saved model could be used (`--refit`).
  bool refit = false;
  // The largest drift (passages added + changed + removed since the last
  // full fit, as a share of the passages it was fitted on) that is still
  // placed incrementally; above it, a full fit.
  double max_drift = 0.10;
};
struct AnalyzeSummary {
  int passages = 0;
  int assigned = 0;
  int no_area = 0;
  int overridden = 0;
  int themes = 0;
  int tokenised = 0;  // passages analysed from their text
  int reused = 0;     // passages whose terms came from the term cache, or whose line was kept
  // "full" or "incremental"; for "full", why (no saved model, --refit, what
  // changed, the drift, or which saved file was refused).
  std::string mode;
  std::string reason;
  // Incremental: lines kept as they were, and passages placed with the saved model.
  int kept = 0;
  int placed = 0;
  // Since the saved model's fit (when there was one that matched): the
  // passages it was fitted on, and those added, changed and removed since.
  int fitted = 0;
  int drift_added = 0, drift_changed = 0, drift_removed = 0;
};
Result<AnalyzeSummary> Analyze(const AnalyzeOptions& options, const analysis::Analyzer& analyzer);

// Reads what Analyze wrote: the areas, overrides and themes of every
// passage; their scores and reasons only with `with_scores` (the index and
// the reports need none, and they are most of the memory).
Result<ThemeModel> LoadThemeModel(const std::filesystem::path& state_dir, bool with_scores = false);
// The same in two parts, for readers that keep only part of each passage
// (#11: the whole model is ~250 bytes a passage, 0.35 GB at N=100,000): the
// passages one at a time, in file order, and the model without its passages
// (themes.json).
Status ForEachPassageThemes(const std::filesystem::path& state_dir, bool with_scores,
                            const std::function<Status(PassageThemes&&)>& fn);
Result<ThemeModel> LoadThemes(const std::filesystem::path& state_dir);

// Evaluation against hand-written gold labels (corpus/gold/labels.jsonl:
// {"doc", "quote", "areas"}). Both gold and predicted areas are expanded
// with their ancestors before counting.
struct AreaMetrics {
  std::string area;
  int tp = 0, fp = 0, fn = 0;
  double precision = 0, recall = 0, f1 = 0;
};
struct MethodMetrics {
  std::vector<AreaMetrics> areas;  // framework order
  double micro_precision = 0, micro_recall = 0, micro_f1 = 0, macro_f1 = 0;
  // "none" counted as a class too: passages where gold and prediction both say none.
  int none_tp = 0, none_fp = 0, none_fn = 0;
};
struct EvalReport {
  int gold_items = 0;
  int matched = 0;                   // gold quotes found in exactly one passage
  std::vector<std::string> unmatched;  // "doc: quote" for the rest
  MethodMetrics method;
  MethodMetrics baseline;            // seed-term keyword matching
  // confusion[g][p]: gold area g (framework order; last row "none") predicted
  // as area p (last column "none"), counting each pair of label sets.
  std::vector<std::vector<int>> confusion;
};
Result<EvalReport> EvaluateAreas(const std::filesystem::path& gold_path,
                                 const std::vector<PassageInput>& passages,
                                 const ThemeModel& model, const Framework& framework,
                                 const analysis::Analyzer& analyzer);

// Seed-term keyword baseline: a passage gets an area when it contains all
// stems of one of the area's seed terms.
std::vector<std::vector<std::string>> KeywordBaseline(const std::vector<PassageInput>& passages,
                                                      const Framework& framework,
                                                      const analysis::Analyzer& analyzer);

// Reads the ingested passages and their documents' metadata from state_dir.
Result<std::vector<PassageInput>> LoadPassageInputs(const std::filesystem::path& state_dir);

}  // namespace samrad::themes

#endif  // SAMRAD_ANALYSIS_THEMES_THEMES_H_
