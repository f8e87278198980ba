// `samrad run`: the nightly job. ingest -> analyze -> index -> report as one
// job over a corpus folder that planners keep adding to.
//
//  1. Take the state directory's lock (a second run exits at once; a lock
//     left by a killed run is taken over: it is an flock(2), which dies with
//     its process).
//  2. Ingest incrementally: only new and changed files are parsed.
//  3. If no file changed and the framework, overrides and synonyms are the
//     ones the published generation was built from, stop: "no changes".
//  4. Analyze: incrementally with the model of the last full fit while the
//     passages changed since that fit are few (new and changed passages are
//     placed with it, the others keep their output), else a full fit over
//     all passages (docs/themes.md); `refit` forces the full fit.
//  5. Build a new generation beside the published one: the index starts from
//     a copy of the live index and rewrites only passages whose content
//     changed; the reports are written anew.
//  6. Publish the generation with one rename (base/publish.h), prune old
//     generations, and write the run summary to STATE/runs/<timestamp>.json.
// A failure or a kill at any point before step 6's rename leaves the
// published index and reports exactly as they were.
#ifndef SAMRAD_PIPELINE_PIPELINE_H_
#define SAMRAD_PIPELINE_PIPELINE_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/themes/themes.h"
#include "base/status.h"

namespace samrad::pipeline {

struct RunOptions {
  std::filesystem::path corpus_dir;
  std::filesystem::path state_dir;
  std::filesystem::path framework_path;
  std::filesystem::path overrides_path;  // optional
  std::filesystem::path synonyms_path;   // optional
  // 0: one index (STATE/gen-N/index). N > 0: N shards built in parallel
  // (STATE/gen-N/index-shards, index/shards.h).
  int shards = 0;
  bool quiet = false;
  // Fit the analysis model anew instead of placing new passages with the
  // saved one (`samrad run --refit`; docs/nightly.md: weekly, for example).
  // Runs also when no input changed.
  bool refit = false;
  // Test hook: called at named points of the run ("ingest-file",
  // "after-ingest", "after-analyze", "index-batch", "after-index",
  // "before-publish") so tests can kill the process there.
  std::function<void(std::string_view point)> checkpoint;
};

struct StageTime {
  std::string stage;
  double seconds = 0;
  // The process' peak resident memory so far, at the end of the stage
  // (getrusage's ru_maxrss): the first stage whose figure is the run's peak
  // is the one that set it.
  double peak_rss_mb = 0;
  // CPU seconds of every thread of the process during the stage (user +
  // system): against `seconds`, how many cores the stage kept busy.
  double cpu_seconds = 0;
};

struct RunSummary {
  std::string started;   // ISO 8601 UTC
  std::string finished;
  // "ok", "ok_with_failures" (some input files failed), "no_changes", "failed"
  std::string status;
  int exit_code = 0;     // as documented in docs/nightly.md
  std::string error;     // for "failed"
  int files_new = 0, files_changed = 0, files_removed = 0, files_unchanged = 0;
  int files_failed = 0, files_skipped = 0;
  int passages = 0;
  // What the analyze stage did (themes.h): full or incremental, why, the
  // passages tokenised, reused, kept and placed, and the drift since the
  // saved model's fit. Default (mode "") when the run stopped before it.
  themes::AnalyzeSummary analysis;
  int index_added = 0, index_replaced = 0, index_deleted = 0;
  std::uintmax_t index_bytes = 0;
  // The report stage: passages tokenised, and read from its scan cache.
  std::size_t report_tokenised = 0, report_cached = 0;
  std::vector<std::string> warnings;  // what went wrong without failing the run
  std::string generation;   // the published generation after the run
  bool stale_lock_taken_over = false;
  std::vector<StageTime> stages;
  std::filesystem::path summary_path;

  // The one line printed on stdout.
  std::string OneLine() const;
};

// Runs the whole job. Returns the summary also when the run failed (status
// "failed", exit_code 4) or the lock was busy (exit_code 3); an error Result
// only when not even a summary could be written.
RunSummary Run(const RunOptions& options, const analysis::Analyzer& analyzer);

// Exit codes of `samrad run`, for cron and systemd.
inline constexpr int kRunOk = 0;
inline constexpr int kRunSomeFilesFailed = 1;
inline constexpr int kRunBusy = 3;
inline constexpr int kRunFailed = 4;

}  // namespace samrad::pipeline

#endif  // SAMRAD_PIPELINE_PIPELINE_H_
