// Theme reports for the autumn drafting, in Swedish: Markdown, self-contained
// HTML with inline SVG charts, and JSON, byte-identical for the same input.
//
// WriteReports() reads what ingest and analyze left in the state directory
// and writes, into out_dir:
//
//   index.{md,html,json}            the overview: counts, the area × actor-group
//                                   heat map, the areas with least input, the
//                                   emergent themes, the passages in no area
//   omrade-<area id>.{md,html,json} one report per area of the framework
//   tema-emergenta.{md,html,json}   the emergent themes outside every area
//
// Each area and theme report has: passage, document and organisation counts;
// the breakdown by actor group, sub-region (table and chart) and kind; key
// phrases; sub-topics; representative quotes chosen by maximal marginal
// relevance, each a verbatim substring of the redacted passage, cited with
// organisation, actor group, title, date, passage id and place in the source;
// and, where the data supports it, where actor groups disagree, side by side.
// docs/reports.md describes the method and the JSON schema.
//
// Example:
//
//   samrad::reports::ReportOptions options;
//   options.state_dir = "samrad-data";
//   options.out_dir = "rapporter";
//   options.framework_path = "corpus/framework/vg2030.json";
//   Result<ReportSummary> written = samrad::reports::WriteReports(options, *analyzer);
//   if (!written.ok()) return written.status();
//
// Guarantees:
//   - Same state, options and framework -> the same bytes (no timestamps; a
//     date appears only when passed in as_of).
//   - Every string that comes from a document, its metadata or the framework
//     is escaped for the format it is written in; the HTML loads nothing from
//     anywhere and runs no script.
//   - Nothing in the code names an area: names and descriptions come from the
//     framework file.
//   - Each file is replaced atomically. A run that writes every area also
//     removes omrade-*.<format> files of areas the framework no longer has.
#ifndef SAMRAD_REPORTS_REPORTS_H_
#define SAMRAD_REPORTS_REPORTS_H_

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "base/status.h"

namespace samrad::reports {

struct ReportOptions {
  // Reads STATE/ingest (documents, passages) and STATE/analysis (areas, themes).
  std::filesystem::path state_dir;
  // Where the reports are written (created if missing; files replaced atomically).
  std::filesystem::path out_dir;
  // The framework the analysis used (names and descriptions of the areas).
  std::filesystem::path framework_path;
  // Any of "md", "html", "json".
  std::vector<std::string> formats = {"md", "html", "json"};
  // Only this area's report (plus the overview); empty: every area.
  std::string area;
  // Printed as "underlag per <as_of>" when not empty (e.g. "2020-06-01");
  // reports carry no other date, so that reruns are byte-identical.
  std::string as_of;
  // Keep what tokenising each passage gave in STATE/reports/scan.cache, and
  // tokenise only passages whose text it does not hold: a nightly run then
  // tokenises just the new and changed passages. The reports are the same
  // bytes either way.
  bool use_scan_cache = true;
};

struct ReportSummary {
  std::vector<std::filesystem::path> files;  // written, sorted
  int areas = 0;    // area reports written
  int themes = 0;   // emergent themes reported
  int quotes = 0;   // quotes across all reports written
  size_t passages_tokenised = 0;  // passages tokenised in this run
  size_t passages_cached = 0;     // passages whose tokens came from the scan cache
  // Not empty when the scan cache could not be written: the reports are
  // complete, the next run just tokenises everything again.
  std::string warning;
};

Result<ReportSummary> WriteReports(const ReportOptions& options, const analysis::Analyzer& analyzer);

}  // namespace samrad::reports

#endif  // SAMRAD_REPORTS_REPORTS_H_
