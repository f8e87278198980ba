// WriteReports: the stage's edges. Reads the state, builds the content once
// and renders it in every requested format.
#include "reports/reports.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <system_error>

#include "base/files.h"
#include "reports/build.h"
#include "reports/render.h"

namespace samrad::reports {
namespace {

namespace fs = std::filesystem;
using internal::Built;
using internal::TopicReport;

Status CheckFormats(const std::vector<std::string>& formats) {
  if (formats.empty()) return Status::InvalidArgument("no report format given; use md, html or json");
  std::set<std::string> seen;
  for (const std::string& f : formats) {
    if (f != "md" && f != "html" && f != "json") {
      return Status::InvalidArgument("unknown report format \"" + f + "\"; use md, html or json");
    }
    if (!seen.insert(f).second) return Status::InvalidArgument("report format \"" + f + "\" given twice");
  }
  return Status::Ok();
}

// Removes omrade-*.<format> files that this run did not write: the reports
// of areas that the framework no longer has.
Status RemoveStale(const fs::path& dir, const std::set<std::string>& formats, const std::set<fs::path>& written) {
  std::error_code ec;
  std::vector<fs::path> stale;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path p = it->path();
    const std::string name = p.filename().string();
    const std::string ext = p.extension().string();
    if (name.rfind("omrade-", 0) != 0 || ext.size() < 2 || !formats.count(ext.substr(1))) continue;
    if (!written.count(p)) stale.push_back(p);
  }
  if (ec) return Status::IOError(dir.string() + ": cannot list: " + ec.message());
  std::sort(stale.begin(), stale.end());
  for (const fs::path& p : stale) {
    if (!fs::remove(p, ec) && ec) return Status::IOError(p.string() + ": cannot remove: " + ec.message());
  }
  return Status::Ok();
}

}  // namespace

Result<ReportSummary> WriteReports(const ReportOptions& options, const analysis::Analyzer& analyzer) {
  SAMRAD_RETURN_IF_ERROR(CheckFormats(options.formats));
  if (options.out_dir.empty()) return Status::InvalidArgument("no output folder given for the reports");
  if (options.framework_path.empty()) return Status::InvalidArgument("no framework file given for the reports");

  // The inputs (every passage's text) are freed before rendering: the
  // content holds copies of what it shows.
  Result<Built> built = [&]() -> Result<Built> {
    Result<internal::Inputs> inputs = internal::LoadInputs(options.state_dir, options.framework_path);
    if (!inputs.ok()) return inputs.status();
    const fs::path scan_cache = options.use_scan_cache ? options.state_dir / "reports" / "scan.cache" : fs::path();
    return internal::BuildReports(*inputs, analyzer, options.area, options.as_of, internal::MethodOptions{},
                                  scan_cache);
  }();
  if (!built.ok()) return built.status();
  const internal::Overview& ov = built->overview;

  // name -> how to render it; std::map so files are written (and listed) in
  // order. Each file is rendered just before it is written, so that only one
  // file's bytes are held at a time (#11: every area's files list all its
  // passage ids).
  std::map<fs::path, std::function<std::string()>> files;
  const std::set<std::string> formats(options.formats.begin(), options.formats.end());
  auto add = [&](const std::string& base, auto md, auto html, auto json) {
    if (formats.count("md")) files[options.out_dir / (base + ".md")] = md;
    if (formats.count("html")) files[options.out_dir / (base + ".html")] = html;
    if (formats.count("json")) files[options.out_dir / (base + ".json")] = json;
  };
  add(internal::kOverviewFile, [&] { return internal::OverviewMarkdown(ov); },
      [&] { return internal::OverviewHtml(ov); }, [&] { return internal::OverviewJson(ov); });
  ReportSummary summary;
  summary.passages_tokenised = built->scan.scanned;
  summary.passages_cached = built->scan.reused;
  if (!built->scan.written.ok()) {
    summary.warning = "the scan cache was not written (" + built->scan.written.ToString() +
                      "); the next run tokenises every passage again";
  }
  for (const TopicReport& t : built->areas) {
    const TopicReport* topic = &t;
    add(internal::AreaFile(t.id), [topic, &ov] { return internal::AreaMarkdown(*topic, ov); },
        [topic, &ov] { return internal::AreaHtml(*topic, ov); }, [topic, &ov] { return internal::AreaJson(*topic, ov); });
    summary.quotes += static_cast<int>(t.quotes.size());
  }
  add(internal::kThemesFile, [&] { return internal::ThemesMarkdown(built->themes, ov); },
      [&] { return internal::ThemesHtml(built->themes, ov); }, [&] { return internal::ThemesJson(built->themes, ov); });
  for (const TopicReport& t : built->themes) summary.quotes += static_cast<int>(t.quotes.size());

  std::set<fs::path> written;
  for (const auto& [path, render] : files) {
    SAMRAD_RETURN_IF_ERROR(WriteFileAtomically(path, render()));
    written.insert(path);
    summary.files.push_back(path);
  }
  if (options.area.empty()) SAMRAD_RETURN_IF_ERROR(RemoveStale(options.out_dir, formats, written));
  summary.areas = static_cast<int>(built->areas.size());
  summary.themes = static_cast<int>(built->themes.size());
  return summary;
}

}  // namespace samrad::reports
