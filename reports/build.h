// Internal to samrad_reports: from the pipeline's state to report content.
#ifndef SAMRAD_REPORTS_BUILD_H_
#define SAMRAD_REPORTS_BUILD_H_

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/themes/framework.h"
#include "analysis/themes/themes.h"
#include "base/model.h"
#include "base/status.h"
#include "reports/content.h"
#include "reports/method.h"

namespace samrad::reports::internal {

// What a report is made from, joined: passages[i] is model.passages[i].
struct Inputs {
  themes::Framework framework;
  std::vector<Document> documents;  // sorted by id
  std::vector<Passage> passages;
  themes::ThemeModel model;
};

// Reads STATE/ingest, STATE/analysis and the framework. A DataError when the
// analysis does not match the ingested passages (run `samrad analyze` again).
Result<Inputs> LoadInputs(const std::filesystem::path& state_dir, const std::filesystem::path& framework_path);

struct Built {
  Overview overview;
  std::vector<TopicReport> areas;   // the areas to write, framework order
  std::vector<TopicReport> themes;  // every emergent theme, largest first
};

// Computes every report. `area`: only that area's report ("" for all); an
// unknown id is an InvalidArgument naming the ids there are.
Result<Built> BuildReports(const Inputs& inputs, const analysis::Analyzer& analyzer, const std::string& area,
                           const std::string& as_of, const MethodOptions& options);

}  // namespace samrad::reports::internal

#endif  // SAMRAD_REPORTS_BUILD_H_
