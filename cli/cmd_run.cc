// `samrad run`: the nightly job (pipeline/pipeline.h).
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "analysis/analysis.h"
#include "cli/commands.h"
#include "pipeline/pipeline.h"

namespace samrad::cli {
namespace {

namespace fs = std::filesystem;

struct RunFlags {
  std::string corpus;
  std::string state;
  std::string framework;
  std::string overrides;
  std::string synonyms;
  int shards = 0;
  bool quiet = false;
  bool refit = false;
};

int RunRun(const RunFlags& f) {
  auto analyzer = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
  if (!analyzer.ok()) return ReportFailure(analyzer.status());
  pipeline::RunOptions o;
  o.corpus_dir = f.corpus.empty() ? BundledCorpusDir() : fs::path(f.corpus);
  o.state_dir = f.state;
  o.framework_path =
      f.framework.empty() ? BundledCorpusDir().parent_path() / "framework" / "vg2030.json" : fs::path(f.framework);
  o.overrides_path = f.overrides;
  o.synonyms_path = f.synonyms;
  o.shards = f.shards;
  o.quiet = f.quiet;
  o.refit = f.refit;
  // Test hook for the kill tests (tests/pipeline): SAMRAD_TEST_KILL_AT=<point>
  // makes the run SIGKILL itself at that checkpoint. Not for production use.
  if (const char* at = std::getenv("SAMRAD_TEST_KILL_AT"); at != nullptr && *at != '\0') {
    const std::string point = at;
    o.checkpoint = [point](std::string_view p) {
      if (p == point) std::raise(SIGKILL);
    };
  }
  pipeline::RunSummary s = pipeline::Run(o, **analyzer);
  if (s.exit_code == pipeline::kRunBusy || s.exit_code == pipeline::kRunFailed) {
    std::cerr << "samrad: " << s.error << "\n";
  }
  for (const std::string& w : s.warnings) std::cerr << "samrad: warning: " << w << "\n";
  std::cout << s.OneLine() << "\n";
  if (!f.quiet && s.exit_code <= pipeline::kRunSomeFilesFailed) {
    const fs::path pub = fs::path(f.state) / "published";
    const fs::path index = f.shards > 0 ? pub / "index-shards" / "shards.json" : pub / "index";
    std::cout << "index:   " << index.string() << "\n"
              << "reports: " << (pub / "reports" / "index.html").string() << "\n"
              << "summary: " << s.summary_path.string() << "\n";
  }
  return s.exit_code;
}

void RegisterRun(CLI::App& app, Action* action) {
  auto f = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "The whole job: ingest (new and changed files only) -> analyze -> index -> report, published\n"
      "atomically as STATE/published. Safe to kill; a second run on the same state exits with 3.\n"
      "Exit codes: 0 ok (or no changes); 1 done, some input files failed; 3 another run holds the\n"
      "lock; 4 the run failed and the published index and reports are unchanged. See docs/nightly.md.");
  cmd->add_option("corpus", f->corpus, "Corpus folder (default: the bundled corpus/documents)");
  AddStateOption(cmd, &f->state);
  cmd->add_option("--framework", f->framework, "Strategy framework JSON (default: bundled)");
  cmd->add_option("--overrides", f->overrides, "Analyst overrides (JSON Lines), see `samrad analyze --help`");
  cmd->add_option("--synonyms", f->synonyms, "Synonyms JSON for search");
  cmd->add_option("--shards", f->shards,
                  "Split the index into N shards built in parallel (STATE/published/index-shards;\n"
                  "see docs/scaling.md). Default: one index")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--quiet", f->quiet, "Only the one-line summary");
  cmd->add_flag("--refit", f->refit,
                "Fit the analysis anew over all passages instead of placing new and changed ones\n"
                "with the saved model (docs/nightly.md: e.g. weekly)");
  cmd->callback([f, action] { *action = [f] { return RunRun(*f); }; });
}

}  // namespace

SAMRAD_REGISTER_COMMAND(70, RegisterRun);

}  // namespace samrad::cli
