// Internal to samrad_reports: from the pipeline's state to report content.
#ifndef SAMRAD_REPORTS_BUILD_H_
#define SAMRAD_REPORTS_BUILD_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/themes/framework.h"
#include "base/model.h"
#include "base/status.h"
#include "reports/content.h"
#include "reports/method.h"
#include "reports/passage_store.h"
#include "reports/ragged.h"

namespace samrad::reports::internal {

// An emergent theme of the analysis, as the reports read it.
struct ThemeInput {
  std::string label;               // "bostäder, hyresrätter, bostadsbrist"
  std::vector<std::string> terms;  // top c-TF-IDF terms (surface forms)
  std::vector<size_t> members;     // indexes into Inputs::passages, ascending, each once
};

// What a report is made from, joined: the passages in the analysis' order,
// and per passage what the analysis said of it. Only what the reports read
// is kept (#11: whole Passages and the ThemeModel took ~240 MB at N=20,000,
// this ~125 MB).
struct Inputs {
  themes::Framework framework;
  // Sorted by id; only their DisplayFields (base/model.h).
  std::vector<Document> documents;
  PassageStore passages;
  // Per passage: the areas assigned, with ancestors, as indexes into
  // framework.areas in framework order; whether they come from the
  // analyst's overrides; whether the passage is in an emergent theme.
  RaggedArray<std::uint16_t> areas;
  std::vector<bool> overridden, in_theme;
  std::vector<ThemeInput> themes;  // largest first
};

// Reads STATE/ingest, STATE/analysis and the framework. A DataError when the
// analysis does not match the ingested passages (run `samrad analyze` again)
// or names an area the framework does not define. With `spill`, the
// passages' texts and the term index's rows are kept in an unnamed file in
// the state folder rather than on the heap (base/spill.h; the reports are
// the same either way).
Result<Inputs> LoadInputs(const std::filesystem::path& state_dir, const std::filesystem::path& framework_path,
                          bool spill = true);

struct Built {
  ScanCacheUse scan;  // what the term index took from the scan cache
  Overview overview;
  std::vector<TopicReport> areas;   // the areas to write, framework order
  std::vector<TopicReport> themes;  // every emergent theme, largest first
};

// Computes every report. `area`: only that area's report ("" for all); an
// unknown id is an InvalidArgument naming the ids there are. `scan_cache`:
// the scan cache file to read and rewrite (BuildTermIndex), or empty.
Result<Built> BuildReports(const Inputs& inputs, const analysis::Analyzer& analyzer, const std::string& area,
                           const std::string& as_of, const MethodOptions& options,
                           const std::filesystem::path& scan_cache = {});

}  // namespace samrad::reports::internal

#endif  // SAMRAD_REPORTS_BUILD_H_
