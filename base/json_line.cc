#include "base/json_line.h"

#include <string>

namespace samrad {

simdjson::simdjson_result<simdjson::dom::element> ParseJsonLine(std::string_view line) {
  thread_local simdjson::dom::parser parser;
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: the line is
  // copied into a buffer that has them (a line is ~400 bytes; the copy is
  // noise beside the parse).
  thread_local std::string padded;
  padded.assign(line);
  padded.resize(line.size() + simdjson::SIMDJSON_PADDING);
  return parser.parse(padded.data(), line.size(), /*realloc_if_needed=*/false);
}

}  // namespace samrad
