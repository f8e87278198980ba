// Helpers shared by the analysis tests.
#ifndef SAMRAD_TESTS_ANALYSIS_ANALYSIS_TESTING_H_
#define SAMRAD_TESTS_ANALYSIS_ANALYSIS_TESTING_H_

#include <string>
#include <string_view>
#include <vector>

#include "analysis/analysis.h"

namespace samrad::analysis::testing {

// One Analyzer with default options for the whole test binary: loading the
// word lists takes a while, and an Analyzer is immutable and thread-safe.
const Analyzer& DefaultAnalyzer();

// The canonical one-line dump of a token sequence, for table-driven tests:
// tokens separated by single spaces, each its norm, then "/kind" unless it
// is a word ("t.ex./abbr", "12000/num", "vg2020/alnum", "a@b.se/email",
// "www.x.se/url"), then "[part+part]" when it has compound parts:
//   "kunskapsregionen[kunskap+regionen] satsar bl.a./abbr på vg2020/alnum"
std::string Dump(const std::vector<Token>& tokens);

// Dump(DefaultAnalyzer().Tokenize(text)).
std::string DumpTokens(std::string_view text);

}  // namespace samrad::analysis::testing

#endif  // SAMRAD_TESTS_ANALYSIS_ANALYSIS_TESTING_H_
