#include "base/json_line.h"

#include <climits>
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

bool JsonString(simdjson::dom::element v, std::string* out) {
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return false;
  out->assign(s);
  return true;
}

bool JsonInt(simdjson::dom::element v, int* out) {
  std::int64_t i = 0;
  if (!v.is_int64() || v.get_int64().get(i) != simdjson::SUCCESS || i < INT_MIN || i > INT_MAX) return false;
  *out = static_cast<int>(i);
  return true;
}

bool JsonUint64(simdjson::dom::element v, std::uint64_t* out) {
  if (v.is_int64()) {
    std::int64_t i = 0;
    if (v.get_int64().get(i) != simdjson::SUCCESS || i < 0) return false;
    *out = static_cast<std::uint64_t>(i);
    return true;
  }
  return v.is_uint64() && v.get_uint64().get(*out) == simdjson::SUCCESS;
}

bool JsonStrings(simdjson::dom::element v, std::vector<std::string>* out) {
  simdjson::dom::array array;
  if (v.get_array().get(array) != simdjson::SUCCESS) return false;
  for (simdjson::dom::element e : array) {
    std::string_view s;
    if (e.get_string().get(s) != simdjson::SUCCESS) return false;
    out->emplace_back(s);
  }
  return true;
}

}  // namespace samrad
