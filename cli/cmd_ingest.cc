// samrad ingest [CORPUS_DIR] --state DIR [--quiet]
//
// Runs samrad::ingest::Ingest. Progress goes to stderr only when stderr is a
// terminal (and not --quiet); each failed file gets one line on stderr naming
// it and the reason; a summary line goes to stdout at the end (not --quiet).
// Exit: 0 when no file failed, 1 when some did (the rest is ingested), else
// the codes of ReportFailure (2 bad usage, 3 state busy, 4 run failed).
#include <unistd.h>

#include <iostream>
#include <string>

#include "cli/commands.h"
#include "ingest/ingest.h"

namespace samrad::cli {
namespace {

struct IngestFlags {
  std::string corpus_dir;
  std::string state_dir;
  bool quiet = false;
};

void DrawProgress(size_t done, size_t total) {
  constexpr size_t kWidth = 30;
  const size_t filled = total == 0 ? kWidth : done * kWidth / total;
  std::cerr << "\ringest [" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] "
            << done << "/" << total << std::flush;
}

int RunIngest(const IngestFlags& flags) {
  ingest::IngestOptions options;
  options.corpus_dir =
      flags.corpus_dir.empty() ? BundledCorpusDir() : std::filesystem::path(flags.corpus_dir);
  options.state_dir = flags.state_dir;
  const bool progress = !flags.quiet && ::isatty(STDERR_FILENO) == 1;
  if (progress) options.progress = DrawProgress;

  Result<ingest::IngestReport> report = ingest::Ingest(options);
  if (progress) std::cerr << "\r" << std::string(60, ' ') << "\r" << std::flush;
  if (!report.ok()) return ReportFailure(report.status());

  for (const ingest::FileReport& f : report->files) {
    if (f.status == "failed") std::cerr << "samrad: " << f.path << ": failed: " << f.reason << "\n";
  }
  if (!flags.quiet) {
    std::cout << "ingest: " << report->files.size() << " files: " << report->ingested
              << " ingested, " << report->unchanged << " unchanged, " << report->skipped
              << " skipped, " << report->failed << " failed, " << report->removed << " removed; "
              << report->passages << " passages in " << (options.state_dir / "ingest").string()
              << "\n";
  }
  return report->failed > 0 ? kExitDataFailure : kExitOk;
}

void RegisterIngest(CLI::App& app, Action* action) {
  auto flags = std::make_shared<IngestFlags>();
  CLI::App* cmd = app.add_subcommand(
      "ingest",
      "Read the corpus (.txt .md .html .docx .pdf .json) into documents and passages\n"
      "in STATE/ingest/, with personal data redacted and a report of every file.");
  cmd->add_option("corpus_dir", flags->corpus_dir,
                  "Corpus folder, walked recursively (default: the bundled corpus)");
  AddStateOption(cmd, &flags->state_dir);
  cmd->add_flag("-q,--quiet", flags->quiet, "No progress bar and no summary line");
  cmd->callback([flags, action] { *action = [flags] { return RunIngest(*flags); }; });
}

}  // namespace

SAMRAD_REGISTER_COMMAND(10, RegisterIngest);

}  // namespace samrad::cli
