// `samrad analyze-text` end to end.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/testing.h"

namespace samrad {
namespace {

using testing::RunCommand;

const std::string kSamrad = SAMRAD_BIN;

// ordered_json keeps the key order, which is part of the output contract.
std::vector<nlohmann::ordered_json> Lines(const std::string& out) {
  std::vector<nlohmann::ordered_json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(nlohmann::ordered_json::parse(line));
  }
  return lines;
}

TEST(AnalyzeTextCli, PrintsTokensSentencesAndPhrasesAsJsonLines) {
  auto r = RunCommand(kSamrad +
                      " analyze-text --text 'Kunskapsregionen satsar bl.a. på VG2020. "
                      "Fullföljda studier. Fullföljda studier!'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<nlohmann::ordered_json> lines = Lines(r.out);
  ASSERT_GE(lines.size(), 10u);
  const nlohmann::ordered_json& first = lines[0];
  EXPECT_EQ(first.dump(), R"({"type":"token","text":"Kunskapsregionen","norm":"kunskapsregionen",)"
                          R"("stem":"kunskapsregion","kind":"word","stop":false,)"
                          R"("parts":["kunskap","regionen"],"start":0,"end":16})");
  EXPECT_EQ(lines[2]["kind"], "abbreviation");
  EXPECT_EQ(lines[2]["stop"], true);
  EXPECT_EQ(lines[4]["kind"], "alphanumeric");
  int sentences = 0, phrases = 0;
  for (const nlohmann::ordered_json& j : lines) {
    sentences += j["type"] == "sentence";
    phrases += j["type"] == "phrase";
  }
  EXPECT_EQ(sentences, 3);
  ASSERT_GE(phrases, 1);
  EXPECT_EQ(lines.back()["phrase"], "fullföljda studier");
}

TEST(AnalyzeTextCli, ReadsStdin) {
  auto r = RunCommand("printf 'EU:s t.ex.' | " + kSamrad + " analyze-text");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<nlohmann::ordered_json> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u);  // two tokens, one sentence
  EXPECT_EQ(lines[0]["norm"], "eu:s");
  EXPECT_EQ(lines[0]["stem"], "eu");
  EXPECT_EQ(lines[1]["norm"], "t.ex.");
  EXPECT_EQ(lines[2]["type"], "sentence");
}

TEST(AnalyzeTextCli, BadDictionaryExitsWithDataError) {
  auto r = RunCommand(kSamrad + " analyze-text --text x --lexicon /nonexistent/words");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/words"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace samrad
