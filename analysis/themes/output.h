// Internal to samrad_themes: the pieces of passages.jsonl written by hand
// (the analyze stage streams one line per passage instead of building JSON
// objects), each the same bytes nlohmann::json's dump() would give.
#ifndef SAMRAD_ANALYSIS_THEMES_OUTPUT_H_
#define SAMRAD_ANALYSIS_THEMES_OUTPUT_H_

#include <string>
#include <string_view>

namespace samrad::themes::internal {

// A JSON string of valid UTF-8: quotes, backslashes and control characters
// escaped, everything else as it is.
void AppendJsonString(std::string_view s, std::string* out);

// A score rounded to four decimals, written as nlohmann::json writes
// std::stod of "%.4f": "0.1302", "0.13", "0.0", "1.0".
void AppendScore(double x, std::string* out);

}  // namespace samrad::themes::internal

#endif  // SAMRAD_ANALYSIS_THEMES_OUTPUT_H_
