// `samrad report`: theme reports per strategy area, in Swedish (docs/reports.md).
#include <iostream>
#include <memory>
#include <sstream>

#include "analysis/analysis.h"
#include "cli/commands.h"
#include "reports/reports.h"

namespace samrad::cli {
namespace {

namespace fs = std::filesystem;

struct ReportFlags {
  std::string state;
  std::string out;
  std::string formats = "md,html,json";
  std::string area;
  std::string framework;
  std::string as_of;
};

int RunReport(const ReportFlags& f) {
  reports::ReportOptions o;
  o.state_dir = f.state;
  o.out_dir = f.out;
  o.framework_path = f.framework.empty() ? BundledCorpusDir().parent_path() / "framework" / "vg2030.json"
                                         : fs::path(f.framework);
  o.area = f.area;
  o.as_of = f.as_of;
  o.formats.clear();
  std::stringstream list(f.formats);
  for (std::string item; std::getline(list, item, ',');) {
    if (!item.empty()) o.formats.push_back(item);
  }
  auto analyzer = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
  if (!analyzer.ok()) return ReportFailure(analyzer.status());
  Result<reports::ReportSummary> r = reports::WriteReports(o, **analyzer);
  if (!r.ok()) return ReportFailure(r.status());
  std::cout << "report: " << r->files.size() << " files (" << r->areas << " area reports, " << r->themes
            << " emergent themes, " << r->quotes << " quotes; " << r->passages_tokenised << " passages tokenised, "
            << r->passages_cached << " from the scan cache) -> " << f.out << "\n";
  if (!r->warning.empty()) std::cerr << "samrad report: warning: " << r->warning << "\n";
  return kExitOk;
}

void RegisterReport(CLI::App& app, Action* action) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write theme reports in Swedish for drafting: an overview (index), one report per strategy\n"
      "area (omrade-<id>) and the emergent themes (tema-emergenta), as Markdown, self-contained\n"
      "HTML and JSON. Needs `samrad ingest` and `samrad analyze` first (docs/reports.md).");
  AddStateOption(cmd, &flags->state);
  cmd->add_option("--out", flags->out, "Folder to write the reports to (created if missing)")->required();
  cmd->add_option("--format", flags->formats, "Comma-separated formats: md, html, json")->capture_default_str();
  cmd->add_option("--area", flags->area, "Only this area's report (and the overview)");
  cmd->add_option("--framework", flags->framework,
                  "Strategy framework JSON the analysis used (default: the bundled corpus/framework/vg2030.json)");
  cmd->add_option("--as-of", flags->as_of, "A date to print as \"underlag per DATE\" (default: none)");
  cmd->callback([flags, action] { *action = [flags] { return RunReport(*flags); }; });
}

}  // namespace

SAMRAD_REGISTER_COMMAND(60, RegisterReport);

}  // namespace samrad::cli
