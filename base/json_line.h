// One line of a large JSON Lines file, parsed with simdjson (Debian:
// libsimdjson-dev). Every stage reads the state's passage files
// (STATE/ingest/passages.jsonl, STATE/analysis/passages.jsonl; ~110 MB each
// at N=20,000), and nlohmann's DOM, which builds a map node and a string per
// field, was the largest single cost of a nightly run's reading (#11).
// simdjson's DOM parser checks the whole line (syntax, UTF-8, escapes,
// nothing after the value) with SIMD instructions chosen at run time for
// the CPU, and leaves the values in one reused buffer.
//
// Readers use it for the exact form samrad writes and, for anything else,
// fall back to their nlohmann reader, which says what is wrong: so the
// result, and every error message, is what the nlohmann reader alone gives.
#ifndef SAMRAD_BASE_JSON_LINE_H_
#define SAMRAD_BASE_JSON_LINE_H_

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace samrad {

// The value `line` holds; an error when it is not exactly one JSON value.
// Valid until the next call on the same thread (each thread has its parser).
simdjson::simdjson_result<simdjson::dom::element> ParseJsonLine(std::string_view line);

// The fast readers' field reads: true, with the value in *out, only when `v`
// has exactly that type and the value fits. nlohmann's get<> converts more
// (1.0 to an int, a negative number to an unsigned one), so a line with
// such a value takes its reader's nlohmann path.
bool JsonString(simdjson::dom::element v, std::string* out);
bool JsonInt(simdjson::dom::element v, int* out);
bool JsonUint64(simdjson::dom::element v, std::uint64_t* out);
// An array of strings, appended to *out.
bool JsonStrings(simdjson::dom::element v, std::vector<std::string>* out);

}  // namespace samrad

#endif  // SAMRAD_BASE_JSON_LINE_H_
