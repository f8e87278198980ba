// Reading JSON Lines files (gold data, overrides, pipeline state) the same
// way everywhere: blank lines skipped, every other line one JSON object, and
// every error naming "file:line".
#ifndef SAMRAD_BASE_JSONL_H_
#define SAMRAD_BASE_JSONL_H_

#include <functional>
#include <istream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace samrad {

struct JsonLine {
  nlohmann::ordered_json object;
  int number = 0;     // 1-based line number
  std::string where;  // "<source name>:<number>", for the caller's messages
};

// Calls `fn` for each non-blank line of `in`. A line that is not valid JSON
// or not an object is a DataError naming it; an error from `fn` stops the
// reading and is returned as it is.
Status ForEachJsonLine(std::istream& in, const std::string& source_name,
                       const std::function<Status(const JsonLine& line)>& fn);

// Collapses runs of white space to one space and trims, so a quoted text
// matches a passage whatever the line breaks were in the source.
std::string CollapseSpace(std::string_view s);

}  // namespace samrad

#endif  // SAMRAD_BASE_JSONL_H_
