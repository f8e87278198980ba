// Internal to samrad_themes: the pieces of passages.jsonl written by hand
// (the analyze stage streams one line per passage instead of building JSON
// objects), each the same bytes nlohmann::json's dump() would give.
#ifndef SAMRAD_ANALYSIS_THEMES_OUTPUT_H_
#define SAMRAD_ANALYSIS_THEMES_OUTPUT_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/themes/framework.h"
#include "analysis/themes/themes.h"

namespace samrad::themes::internal {

// A JSON string of valid UTF-8: quotes, backslashes and control characters
// escaped, everything else as it is.
void AppendJsonString(std::string_view s, std::string* out);

// A score rounded to four decimals, written as nlohmann::json writes
// std::stod of "%.4f": "0.1302", "0.13", "0.0", "1.0".
void AppendScore(double x, std::string* out);

// One passages.jsonl line with its newline, appended to `line`. `in_area`:
// the passage's areas (ancestors and overrides applied), framework order;
// `area_json`: the areas' ids as JSON strings; `scores` and `state`: its row
// (SortResult); `reasons(a)`: the reason terms of chosen area a.
void AppendPassageLine(std::string_view id, std::string_view doc_id,
                       const std::vector<std::string>& area_json, const std::vector<bool>& in_area,
                       bool overridden, int theme, const double* scores, const std::uint8_t* state,
                       const std::function<std::vector<std::string>(size_t)>& reasons,
                       std::string* line);

// themes.json, with its newline.
std::string ThemesJson(const Framework& framework, const std::filesystem::path& framework_path,
                       const std::vector<int>& area_count, int no_area, double silhouette,
                       double min_score, const std::vector<EmergentTheme>& themes);

}  // namespace samrad::themes::internal

#endif  // SAMRAD_ANALYSIS_THEMES_OUTPUT_H_
