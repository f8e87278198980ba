// The decompounder: measured against corpus/gold/compounds.tsv, plus the
// splits it must make and the ones it must refuse.
//
// Gold format: "word<TAB>split", parts joined by "+", a linking morpheme in
// parentheses after the part it follows: "kunskapsregion\tkunskap(s)+region";
// a non-compound as "region\tregion". A prediction is correct when its part
// boundaries (cut positions in the word, a linking morpheme belonging to the
// part before it) equal gold's. Precision is over the gold words the splitter
// split, recall over the gold words that are compounds (docs/analysis.md).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "tests/analysis/analysis_testing.h"
#include "tests/testing.h"

namespace samrad::analysis {
namespace {

using testing::DefaultAnalyzer;
using V = std::vector<std::string>;

// Cut positions (bytes) of a gold split: "kunskap(s)+region" -> {8}.
std::vector<size_t> GoldCuts(const std::string& split) {
  std::vector<size_t> cuts;
  size_t pos = 0;
  for (char c : split) {
    if (c == '+') {
      cuts.push_back(pos);
    } else if (c != '(' && c != ')') {
      ++pos;
    }
  }
  return cuts;
}

std::vector<size_t> PredictedCuts(const V& surface) {
  std::vector<size_t> cuts;
  size_t pos = 0;
  for (size_t i = 0; i + 1 < surface.size(); ++i) cuts.push_back(pos += surface[i].size());
  return cuts;
}

struct Score {
  int words = 0, gold_compounds = 0, predicted = 0, correct = 0;
  double precision() const { return predicted == 0 ? 0 : static_cast<double>(correct) / predicted; }
  double recall() const {
    return gold_compounds == 0 ? 0 : static_cast<double>(correct) / gold_compounds;
  }
};

// Each distinct line once: the gold file merges fragments that repeat words.
Score Evaluate(const Analyzer& a, const std::filesystem::path& gold, std::string* errors) {
  std::ifstream in(gold);
  std::set<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] != '#' && line.find('\t') != std::string::npos) {
      lines.insert(line);
    }
  }
  Score s;
  for (const std::string& line : lines) {
    size_t tab = line.find('\t');
    std::string word = line.substr(0, tab), split = line.substr(tab + 1);
    std::vector<size_t> gold_cuts = GoldCuts(split);
    V surface = a.SplitCompoundSurface(word);
    std::vector<size_t> cuts = PredictedCuts(surface);
    ++s.words;
    if (!gold_cuts.empty()) ++s.gold_compounds;
    if (!cuts.empty()) ++s.predicted;
    if (!cuts.empty() && cuts == gold_cuts) {
      ++s.correct;
    } else if (cuts != gold_cuts) {
      std::string got;
      for (const std::string& p : surface) got += (got.empty() ? "" : "+") + p;
      *errors += "  " + word + ": gold " + split + ", got " + (got.empty() ? "-" : got) + "\n";
    }
  }
  return s;
}

std::filesystem::path GoldPath() {
  return samrad::testing::SourceDir() / "corpus/gold/compounds.tsv";
}

TEST(Compounds, GoldPrecisionAndRecall) {
  if (!std::filesystem::exists(GoldPath())) GTEST_SKIP() << GoldPath() << " does not exist yet";
  std::string errors;
  Score s = Evaluate(DefaultAnalyzer(), GoldPath(), &errors);
  std::printf(
      "compounds (lexicons only): %d words, %d gold compounds, %d split, %d correct: "
      "precision %.3f, recall %.3f\n%s",
      s.words, s.gold_compounds, s.predicted, s.correct, s.precision(), s.recall(), errors.c_str());
  ASSERT_GT(s.words, 0);
  EXPECT_GE(s.precision(), 0.85);
  EXPECT_GE(s.recall(), 0.85);
}

TEST(Compounds, GoldPrecisionAndRecallWithCorpusFrequencies) {
  if (!std::filesystem::exists(GoldPath())) GTEST_SKIP() << GoldPath() << " does not exist yet";
  Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(AnalyzerOptions{});
  ASSERT_OK(a.status());
  CorpusFrequencies f;
  for (const auto& e : std::filesystem::recursive_directory_iterator(samrad::testing::SourceDir() /
                                                                     "corpus/documents")) {
    std::string ext = e.path().extension().string();
    if (!e.is_regular_file() || (ext != ".md" && ext != ".txt")) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    f.AddDocument((*a)->Tokenize(text.str()));
  }
  (*a)->AddCorpusFrequencies(f);
  std::string errors;
  Score s = Evaluate(**a, GoldPath(), &errors);
  std::printf(
      "compounds (with corpus frequencies): %d split, %d correct: precision %.3f, "
      "recall %.3f\n%s",
      s.predicted, s.correct, s.precision(), s.recall(), errors.c_str());
  EXPECT_GE(s.precision(), 0.85);
  EXPECT_GE(s.recall(), 0.85);
}

// The hand-annotated development sample (tests/analysis/testdata): a guard
// against regressions, with a lower floor since it holds debatable cases.
TEST(Compounds, DevelopmentSample) {
  std::string errors;
  Score s =
      Evaluate(DefaultAnalyzer(),
               samrad::testing::SourceDir() / "tests/analysis/testdata/compounds_dev.tsv", &errors);
  std::printf(
      "compounds (development sample): %d words, %d compounds, %d split, %d correct: "
      "precision %.3f, recall %.3f\n",
      s.words, s.gold_compounds, s.predicted, s.correct, s.precision(), s.recall());
  ASSERT_EQ(s.words, 270);
  EXPECT_GE(s.precision(), 0.9);
  EXPECT_GE(s.recall(), 0.8);
}

TEST(Compounds, SplitsWithLinkingMorphemes) {
  const Analyzer& a = DefaultAnalyzer();
  EXPECT_EQ(a.SplitCompoundSurface("kunskapsregion"), (V{"kunskaps", "region"}));
  EXPECT_EQ(a.SplitCompound("kunskapsregion"), (V{"kunskap", "region"}));
  EXPECT_EQ(a.SplitCompound("kompetensförsörjning"), (V{"kompetens", "försörjning"}));
  EXPECT_EQ(a.SplitCompound("grundskolan"), (V{"grund", "skolan"}));
  // -e- after tjänst, a dropped -a (skola), -e replacing -a (kulturskola).
  EXPECT_EQ(a.SplitCompoundSurface("tjänstebilarna"), (V{"tjänste", "bilarna"}));
  EXPECT_EQ(a.SplitCompound("tjänstebilarna"), (V{"tjänst", "bilarna"}));
  EXPECT_EQ(a.SplitCompound("skolbussarna"), (V{"skola", "bussarna"}));
  // Full decomposition; parts stand for their words.
  EXPECT_EQ(a.SplitCompoundSurface("lastbilstrafiken"), (V{"last", "bils", "trafiken"}));
  EXPECT_EQ(a.SplitCompound("handledarutbildning"), (V{"hand", "ledare", "utbildning"}));
}

// Words that look splittable and are not compounds (the examples,
// derivations, Latinate words, particle verbs' nouns).
TEST(Compounds, RefusesNonCompounds) {
  const Analyzer& a = DefaultAnalyzer();
  for (const char* w :
       {"region",      "regionen",      "kommunen",    "kommunerna", "landskapet", "verksamheten",
        "befolkning",  "segregationen", "stationerna", "pension",    "betydelse",  "kapaciteten",
        "kombination", "biologisk",     "politik",     "logistik",   "kultur",     "ungdom",
        "storlek",     "mottagningen",  "tillgång",    "underhåll",  "framgångar", "fortsätter",
        "förtätning",  "samarbeten",    "moderatorns"}) {
    EXPECT_EQ(a.SplitCompound(w), V{}) << w;
  }
}

TEST(Compounds, ShortWordsAreNeverSplit) {
  AnalyzerOptions o;
  o.min_compound_chars = 12;
  Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(o);
  ASSERT_OK(a.status());
  EXPECT_EQ((*a)->SplitCompound("grundskola"), V{});
  EXPECT_EQ((*a)->SplitCompound("kunskapsregion"), (V{"kunskap", "region"}));
}

TEST(Compounds, WorksWithoutHunspell) {
  AnalyzerOptions o;
  o.hunspell_path = "";
  Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(o);
  ASSERT_OK(a.status());
  EXPECT_EQ((*a)->SplitCompound("kompetensförsörjning"), (V{"kompetens", "försörjning"}));
  EXPECT_EQ((*a)->SplitCompound("region"), V{});
}

}  // namespace
}  // namespace samrad::analysis
