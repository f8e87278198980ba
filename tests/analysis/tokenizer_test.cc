// The tokeniser's hard cases, each as input -> exact token sequence (see
// Dump in analysis_testing.h for the notation), in the style of Xapian's
// api_termgen.cc.
#include <gtest/gtest.h>

#include <string>

#include "analysis/analysis.h"
#include "tests/analysis/analysis_testing.h"
#include "tests/testing.h"

namespace samrad::analysis {
namespace {

using testing::DefaultAnalyzer;
using testing::DumpTokens;

struct Case {
  const char* name;
  const char* text;
  const char* tokens;
};

const Case kCases[] = {
    // Abbreviations keep their dots and their final period.
    {"abbreviations", "Vi samverkar t.ex. med GR, bl.a. inom s.k. kompetensråd m.fl. osv.",
     "vi samverkar t.ex./abbr med gr bl.a./abbr inom s.k./abbr kompetensråd[kompetens+råd] "
     "m.fl./abbr osv./abbr"},
    {"abbreviation at sentence start", "T.ex. Skövde. Dvs. alla.",
     "t.ex./abbr skövde dvs./abbr alla"},
    {"abbreviations without periods", "ca 55 personer, dvs alla, pga vädret",
     "ca/abbr 55/num personer dvs./abbr alla pga./abbr vädret"},
    {"ambiguous abbreviation needs its period", "kl. 10 men kl som ord",
     "kl./abbr 10/num men kl som ord"},
    // Names with digits stay whole.
    {"names with digits", "VG2020 och Klimat2030 längs E20 med 5G",
     "vg2020/alnum och klimat2030/alnum längs e20/alnum med 5g/alnum"},
    // Hyphenated words are one token, their pieces the parts.
    {"hyphenated compound", "FoU-satsningar i Tjörn-Orust",
     "fou-satsningar[fou+satsningar] i tjörn-orust[tjörn+orust]"},
    {"hyphen with digits", "covid-19 och 2020-talet",
     "covid-19/alnum[covid+19] och 2020-talet/alnum[2020+talet]"},
    {"dates and ranges are not joined", "2020-04-28 och 2021-2030",
     "2020/num 04/num 28/num och 2021/num 2030/num"},
    // A suspended first conjunct is completed from the head of the last one.
    {"suspended conjunct", "el- och vätgasbilar",
     "elbilar[el+bilar] och vätgasbilar[vätgas+bilar]"},
    {"suspended conjuncts in a list", "el-, gas- och vätgasbilar",
     "elbilar[el+bilar] gasbilar[gas+bilar] och vätgasbilar[vätgas+bilar]"},
    {"suspended conjunct, top-level head", "studie- och yrkesvägledning",
     "studievägledning[studie+väg+ledning] och yrkesvägledning[yrke+väg+ledning]"},
    {"suspended conjunct without a compound head", "in- och utpendling", "in och utpendling"},
    // E-mail addresses and URLs are single tokens.
    {"email and url", "Mejla anna.berg@vgregion.se eller se https://www.vgregion.se/rus?id=3.",
     "mejla anna.berg@vgregion.se/email eller se https://www.vgregion.se/rus?id=3/url"},
    {"www url", "Läs mer på www.vgregion.se/rus.", "läs mer på www.vgregion.se/rus/url"},
    // Numbers: thousands spaces, decimal commas, ordinals.
    {"numbers", "12 000 invånare, 3,5 procent och 1 500 000,50 kr",
     "12000/num invånare 3,5/num procent och 1500000,50/num kr/abbr"},
    {"no-break thousands space", "12\u00a0000 och 7\u202f500", "12000/num och 7500/num"},
    {"years are not thousands groups", "år 2019 100 personer", "år 2019/num 100/num personer"},
    {"ordinals", "den 1:a och 3:e", "den 1:a/num och 3:e/num"},
    // Quotes, dashes and other punctuation produce no tokens.
    {"quotes and dashes", "”Hela regionen” – inte bara Göteborg — sa hon «ja» \"nej\"",
     "hela regionen inte bara göteborg sa hon ja nej"},
    // U+2019 is an apostrophe inside a word and a quote around one.
    {"apostrophes", "McDonald’s och McDonald's, ’bra’", "mcdonald's och mcdonald's bra"},
    // A soft hyphen is invisible.
    {"soft hyphen", "kompe\u00adtensförsörjning", "kompetensförsörjning[kompetens+försörjning]"},
    // The colon of a Swedish inflected abbreviation stays inside the word.
    {"colon endings", "EU:s och GR:s mål, S:t Eriks", "eu:s och gr:s mål s:t/abbr eriks"},
    {"colon as missing space", "Fråga:Vad gäller", "fråga vad gäller"},
    // Case folding keeps å, ä, ö and composes to NFC.
    {"swedish letters", "ÅRE Älvängen ÖCKERÖ", "åre älvängen öckerö"},
    {"nfc", "a\u0308ldre sa\u030aga", "äldre såga"},
    {"full case folding", "Straße", "strasse"},
    {"empty", "", ""},
    {"only punctuation", " – ”…” ", ""},
};

TEST(Tokenizer, HardCases) {
  for (const Case& c : kCases) {
    EXPECT_EQ(DumpTokens(c.text), c.tokens) << c.name << ": " << c.text;
  }
}

TEST(Tokenizer, TextAndOffsetsPointIntoTheInput) {
  const std::string text = "Kompe\u00adtens, 12 000 kr och el- och vätgasbilar t.ex. här";
  for (const Token& t : DefaultAnalyzer().Tokenize(text)) {
    ASSERT_LT(t.byte_start, t.byte_end);
    ASSERT_LE(t.byte_end, text.size());
    EXPECT_EQ(text.substr(t.byte_start, t.byte_end - t.byte_start), t.text);
  }
  std::vector<Token> tokens = DefaultAnalyzer().Tokenize(text);
  ASSERT_GE(tokens.size(), 6u);
  EXPECT_EQ(tokens[0].text, "Kompe\u00adtens");
  EXPECT_EQ(tokens[1].text, "12 000");
  EXPECT_EQ(tokens[4].text, "el-");
  EXPECT_EQ(tokens[4].norm, "elbilar");
}

TEST(Tokenizer, KindsStemsAndStopFlags) {
  std::vector<Token> t = DefaultAnalyzer().Tokenize("Kommunerna och EU:s t.ex. VG2020 12 000");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0].kind, TokenKind::kWord);
  EXPECT_EQ(t[0].stem, "kommun");
  EXPECT_FALSE(t[0].stop);
  EXPECT_TRUE(t[1].stop);      // och
  EXPECT_EQ(t[2].stem, "eu");  // EU:s finds EU
  EXPECT_EQ(t[3].kind, TokenKind::kAbbreviation);
  EXPECT_TRUE(t[3].stop);
  EXPECT_EQ(t[4].stem, "vg2020");  // names with digits are not stemmed
  EXPECT_EQ(t[5].stem, "12000");
}

TEST(Tokenizer, ClauseStartsAtPunctuationAndLineBreaks) {
  std::vector<Token> t = DefaultAnalyzer().Tokenize("fullföljda studier, kollektivtrafik\nregion");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_TRUE(t[0].clause_start);
  EXPECT_FALSE(t[1].clause_start);
  EXPECT_TRUE(t[2].clause_start);
  EXPECT_TRUE(t[3].clause_start);
}

TEST(Tokenizer, SplitCompoundsCanBeTurnedOff) {
  AnalyzerOptions o;
  o.split_compounds = false;
  Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(o);
  ASSERT_OK(a.status());
  std::vector<Token> t = (*a)->Tokenize("kunskapsregionen");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_TRUE(t[0].parts.empty());
  EXPECT_EQ((*a)->SplitCompound("kunskapsregionen"),
            (std::vector<std::string>{"kunskap", "regionen"}));
}

}  // namespace
}  // namespace samrad::analysis
