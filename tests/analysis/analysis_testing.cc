#include "tests/analysis/analysis_testing.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

namespace samrad::analysis::testing {

const Analyzer& DefaultAnalyzer() {
  static const std::unique_ptr<Analyzer> analyzer = [] {
    Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(AnalyzerOptions{});
    if (!a.ok()) {
      // Nothing in this binary can run without it; say why and stop.
      ADD_FAILURE() << a.status().ToString();
      std::abort();
    }
    return std::move(*a);
  }();
  return *analyzer;
}

std::string Dump(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t.norm;
    switch (t.kind) {
      case TokenKind::kWord:
        break;
      case TokenKind::kNumber:
        out += "/num";
        break;
      case TokenKind::kAbbreviation:
        out += "/abbr";
        break;
      case TokenKind::kAlphanumeric:
        out += "/alnum";
        break;
      case TokenKind::kEmail:
        out += "/email";
        break;
      case TokenKind::kUrl:
        out += "/url";
        break;
    }
    if (!t.parts.empty()) {
      out += '[';
      for (size_t i = 0; i < t.parts.size(); ++i) {
        if (i > 0) out += '+';
        out += t.parts[i];
      }
      out += ']';
    }
  }
  return out;
}

std::string DumpTokens(std::string_view text) { return Dump(DefaultAnalyzer().Tokenize(text)); }

}  // namespace samrad::analysis::testing
