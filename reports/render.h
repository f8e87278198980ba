// Internal to samrad_reports: the three renderings of the same content.
//
// Each function is pure: content in, the file's bytes out. Every string that
// comes from a document, its metadata or the framework goes through
// HtmlEscape (HTML, SVG) or MarkdownEscape (Markdown); JSON strings are
// escaped by nlohmann::json.
#ifndef SAMRAD_REPORTS_RENDER_H_
#define SAMRAD_REPORTS_RENDER_H_

#include <string>
#include <utility>
#include <vector>

#include "reports/content.h"

namespace samrad::reports::internal {

// File names (without extension) of the pages, shared by all formats.
inline constexpr const char* kOverviewFile = "index";
inline constexpr const char* kThemesFile = "tema-emergenta";
std::string AreaFile(const std::string& area_id);  // "omrade-<id>"

std::string OverviewMarkdown(const Overview& overview);
std::string AreaMarkdown(const TopicReport& area, const Overview& overview);
std::string ThemesMarkdown(const std::vector<TopicReport>& themes, const Overview& overview);

std::string OverviewHtml(const Overview& overview);
std::string AreaHtml(const TopicReport& area, const Overview& overview);
std::string ThemesHtml(const std::vector<TopicReport>& themes, const Overview& overview);

std::string OverviewJson(const Overview& overview);
std::string AreaJson(const TopicReport& area, const Overview& overview);
std::string ThemesJson(const std::vector<TopicReport>& themes, const Overview& overview);

// Planner-facing sentences shared by the Markdown and HTML renderings, as
// plain text (each renderer escapes them).
// The key figures of the whole input, as (Swedish label, count) rows.
std::vector<std::pair<std::string, int>> OverviewFigures(const Overview& overview);
std::vector<std::string> MethodParagraphs();
std::string DisagreementSummary(const Disagreement& d);
std::string StanceLabel(const Side& side);  // "+0,60 (4 stödjande, 1 kritiska ord)"
std::string JoinWords(const std::vector<std::string>& words);  // "a, b, c", "–" when empty
std::string UnitLabel(const Disagreement& d, const std::string& topic_kind);
std::string NoDisagreementText();
// What follows the organisation in a citation: "kommun, Sjuhärad", or for a
// seminar (whose organisation is the organiser) "arrangör; blandat, Fyrbodal".
std::string OrganisationNote(const Citation& c);
std::string HeatMapExplanation();

}  // namespace samrad::reports::internal

#endif  // SAMRAD_REPORTS_RENDER_H_
