// Key phrases: stop-word-bounded 1-3-grams, scored by frequency and
// association, deterministic.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "tests/analysis/analysis_testing.h"

namespace samrad::analysis {
namespace {

using testing::DefaultAnalyzer;

std::vector<std::vector<Token>> Docs(const std::vector<std::string>& texts) {
  std::vector<std::vector<Token>> docs;
  for (const std::string& t : texts) docs.push_back(DefaultAnalyzer().Tokenize(t));
  return docs;
}

const std::vector<std::string> kTexts = {
    "Fullföljda studier är viktigt. Kollektivtrafik på landsbygden behövs för fullföljda studier.",
    "Vi vill se mer kollektivtrafik på landsbygden. Fullföljda studier kräver elevhälsa.",
    "Elevhälsa och fullföljda studier, sa rektorn. Kollektivtrafik på landsbygden, sa politikern.",
    "Fullföljda studier.",
};

std::vector<std::string> Phrases(const std::vector<KeyPhrase>& k) {
  std::vector<std::string> out;
  for (const KeyPhrase& p : k) out.push_back(p.phrase);
  return out;
}

TEST(KeyPhrases, FindsMultiWordTerms) {
  std::vector<KeyPhrase> k = ExtractKeyPhrases(Docs(kTexts), KeyPhraseOptions{});
  std::vector<std::string> p = Phrases(k);
  ASSERT_GE(p.size(), 3u);
  EXPECT_EQ(p[0], "fullföljda studier");
  EXPECT_EQ(k[0].count, 5);
  EXPECT_EQ(k[0].doc_count, 4);
  EXPECT_EQ(p[1], "kollektivtrafik på landsbygden");
  EXPECT_EQ(k[1].count, 3);
  // Neither word alone: they are no compounds, and occur only in the phrase.
  EXPECT_EQ(std::count(p.begin(), p.end(), "fullföljda"), 0);
  EXPECT_EQ(std::count(p.begin(), p.end(), "studier"), 0);
  // Never a stop word at either end, never across punctuation.
  for (const std::string& s : p) {
    EXPECT_NE(s.rfind("på ", 0), 0u) << s;
    EXPECT_EQ(s.find("studier kollektivtrafik"), std::string::npos) << s;
  }
  EXPECT_NE(std::find(p.begin(), p.end(), "elevhälsa"), p.end());
}

TEST(KeyPhrases, SubsumedPhrasesAreDropped) {
  KeyPhraseOptions o;
  o.single_words_must_be_compounds = false;
  std::vector<std::string> p = Phrases(ExtractKeyPhrases(Docs(kTexts), o));
  // "fullföljda" and "studier" occur only inside "fullföljda studier";
  // "kollektivtrafik" only inside "kollektivtrafik på landsbygden".
  EXPECT_EQ(std::count(p.begin(), p.end(), "fullföljda"), 0);
  EXPECT_EQ(std::count(p.begin(), p.end(), "studier"), 0);
  EXPECT_EQ(std::count(p.begin(), p.end(), "kollektivtrafik"), 0);
  EXPECT_NE(std::find(p.begin(), p.end(), "fullföljda studier"), p.end());
  // "sa" is too short; "rektorn" occurs once.
  EXPECT_EQ(std::count(p.begin(), p.end(), "rektorn"), 0);
}

TEST(KeyPhrases, InflectionsCountTogether) {
  // regionala/regional and planer/plan share their stems; the spelling
  // shown is the commonest, ties broken by byte order.
  std::vector<KeyPhrase> k =
      ExtractKeyPhrases(Docs({"Regionala planer.", "Regional plan."}), KeyPhraseOptions{});
  ASSERT_FALSE(k.empty());
  EXPECT_EQ(k[0].phrase, "regional plan");
  EXPECT_EQ(k[0].count, 2);
  EXPECT_EQ(k[0].doc_count, 2);
}

TEST(KeyPhrases, AreDeterministic) {
  std::vector<std::vector<Token>> docs = Docs(kTexts);
  KeyPhraseOptions o;
  o.min_count = 1;
  std::vector<KeyPhrase> a = ExtractKeyPhrases(docs, o);
  for (int run = 0; run < 5; ++run) {
    std::vector<KeyPhrase> b = ExtractKeyPhrases(docs, o);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].phrase, b[i].phrase);
      EXPECT_EQ(a[i].score, b[i].score);
      EXPECT_EQ(a[i].count, b[i].count);
    }
  }
  // Sorted by score, then count, then phrase.
  for (size_t i = 1; i < a.size(); ++i) {
    bool ordered = a[i - 1].score > a[i].score ||
                   (a[i - 1].score == a[i].score &&
                    (a[i - 1].count > a[i].count ||
                     (a[i - 1].count == a[i].count && a[i - 1].phrase < a[i].phrase)));
    EXPECT_TRUE(ordered) << a[i - 1].phrase << " / " << a[i].phrase;
  }
}

TEST(KeyPhrases, OptionsLimitTheResult) {
  KeyPhraseOptions o;
  o.max_phrases = 1;
  EXPECT_EQ(ExtractKeyPhrases(Docs(kTexts), o).size(), 1u);
  o.max_phrases = 20;
  o.min_words = 2;
  for (const KeyPhrase& p : ExtractKeyPhrases(Docs(kTexts), o)) {
    EXPECT_NE(p.phrase.find(' '), std::string::npos) << p.phrase;
  }
  o.min_words = 1;
  o.max_words = 1;
  for (const KeyPhrase& p : ExtractKeyPhrases(Docs(kTexts), o)) {
    EXPECT_EQ(p.phrase.find(' '), std::string::npos) << p.phrase;
  }
  o.max_words = 3;
  o.min_doc_count = 5;
  EXPECT_TRUE(ExtractKeyPhrases(Docs(kTexts), o).empty());
  EXPECT_TRUE(ExtractKeyPhrases({}, KeyPhraseOptions{}).empty());
}

}  // namespace
}  // namespace samrad::analysis
