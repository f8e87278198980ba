// Sentence splitting: ICU's sentence breaks, not fooled by Swedish
// abbreviations or initials.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "tests/analysis/analysis_testing.h"

namespace samrad::analysis {
namespace {

using testing::DefaultAnalyzer;

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> out;
  for (const Sentence& s : DefaultAnalyzer().Sentences(text)) {
    out.push_back(text.substr(s.byte_start, s.byte_end - s.byte_start));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(Sentences, SplitsPlainText) {
  EXPECT_EQ(Split("Vi behöver fler lärare. Vem ska betala? Regionen!"),
            (V{"Vi behöver fler lärare.", "Vem ska betala?", "Regionen!"}));
}

TEST(Sentences, AbbreviationsThatNeverEndASentence) {
  EXPECT_EQ(Split("Vi träffade bl.a. GR och t.ex. Skövde kommun. Sedan åkte vi hem."),
            (V{"Vi träffade bl.a. GR och t.ex. Skövde kommun.", "Sedan åkte vi hem."}));
  EXPECT_EQ(Split("Det finns ca. 55 platser, dvs. Alingsås har flest."),
            (V{"Det finns ca. 55 platser, dvs. Alingsås har flest."}));
  EXPECT_EQ(Split("Det s.k. Västsvenska paketet."), (V{"Det s.k. Västsvenska paketet."}));
}

TEST(Sentences, AbbreviationsThatMayEndASentence) {
  EXPECT_EQ(Split("Det gäller kommuner, regioner m.fl. Nästa fråga gäller tåget."),
            (V{"Det gäller kommuner, regioner m.fl.", "Nästa fråga gäller tåget."}));
  EXPECT_EQ(Split("Buss, tåg osv. 2021 kom beslutet."), (V{"Buss, tåg osv. 2021 kom beslutet."}));
}

TEST(Sentences, Initials) {
  EXPECT_EQ(Split("Anna K. Svensson talade. Sedan frågor."),
            (V{"Anna K. Svensson talade.", "Sedan frågor."}));
}

TEST(Sentences, LineBreaksAndHeadings) {
  EXPECT_EQ(Split("## Inledning\n\nModerator: Välkomna hit.\nT.ex.\nNästa rad"),
            (V{"## Inledning", "Moderator: Välkomna hit.", "T.ex.", "Nästa rad"}));
}

TEST(Sentences, NeverInsideAUrl) {
  EXPECT_EQ(Split("Se https://www.vgregion.se/x?y=1 nu. Tack!"),
            (V{"Se https://www.vgregion.se/x?y=1 nu.", "Tack!"}));
}

TEST(Sentences, SpansAreTrimmedAndEmptyTextHasNone) {
  EXPECT_TRUE(Split("").empty());
  EXPECT_TRUE(Split(" \n\t ").empty());
  EXPECT_EQ(Split("  Ja.  Nej.  "), (V{"Ja.", "Nej."}));
}

}  // namespace
}  // namespace samrad::analysis
