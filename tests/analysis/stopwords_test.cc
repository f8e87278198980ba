// Stop words: the Snowball list, a configured file, corpus-frequency stop words.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>

#include "analysis/analysis.h"
#include "analysis/swedish.h"
#include "tests/analysis/analysis_testing.h"
#include "tests/testing.h"

namespace samrad::analysis {
namespace {

using testing::DefaultAnalyzer;

TEST(StopWords, BuiltInListIsSnowballSwedish) {
  EXPECT_EQ(internal::SnowballSwedishStopWords().size(), 114u);
  for (const char* w : {"och", "det", "att", "i", "på", "för", "som", "inte", "vilkas"}) {
    EXPECT_TRUE(DefaultAnalyzer().IsStopWord(w)) << w;
  }
  for (const char* w : {"region", "kommun", "skola", "tåg", "och-"}) {
    EXPECT_FALSE(DefaultAnalyzer().IsStopWord(w)) << w;
  }
}

TEST(StopWords, TokensCarryTheFlag) {
  std::vector<Token> t = DefaultAnalyzer().Tokenize("Regionen och kommunerna, bl.a. Lidköping");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_FALSE(t[0].stop);
  EXPECT_TRUE(t[1].stop);
  EXPECT_FALSE(t[2].stop);
  EXPECT_TRUE(t[3].stop);  // bl.a. is a function word
  EXPECT_FALSE(t[4].stop);
}

TEST(StopWords, ConfiguredFileInSnowballFormat) {
  samrad::testing::TempDir dir;
  std::string path = (dir.path() / "stop.txt").string();
  std::ofstream(path) << " | a comment line\nregion  | the region\nKommun\n\n";
  AnalyzerOptions o;
  o.hunspell_path = "";  // not needed here, and slow to load
  o.stopwords_path = path;
  Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(o);
  ASSERT_OK(a.status());
  EXPECT_TRUE((*a)->IsStopWord("region"));
  EXPECT_TRUE((*a)->IsStopWord("kommun"));  // normalised
  EXPECT_FALSE((*a)->IsStopWord("och"));    // replaces the built-in list
}

TEST(StopWords, MissingFileIsAnErrorNamingIt) {
  AnalyzerOptions o;
  o.stopwords_path = "/nonexistent/stop.txt";
  Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(o);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("/nonexistent/stop.txt"), std::string::npos);
}

TEST(StopWords, CorpusFrequencyPruning) {
  AnalyzerOptions o;
  o.hunspell_path = "";
  o.corpus_stop_doc_ratio = 0.5;
  o.corpus_stop_min_documents = 4;
  Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(o);
  ASSERT_OK(a.status());
  CorpusFrequencies f;
  f.AddDocument((*a)->Tokenize("regionen satsar på tåg"));
  f.AddDocument((*a)->Tokenize("regionen satsar på buss"));
  f.AddDocument((*a)->Tokenize("regionen bygger"));
  EXPECT_EQ(f.documents, 3u);
  EXPECT_EQ(f.words["regionen"].count, 3u);
  EXPECT_EQ(f.words["satsar"].doc_count, 2u);
  // Too few documents: nothing is added yet.
  (*a)->AddCorpusFrequencies(f);
  EXPECT_FALSE((*a)->IsStopWord("regionen"));
  CorpusFrequencies more;
  more.AddDocument((*a)->Tokenize("cykel"));
  (*a)->AddCorpusFrequencies(more);           // accumulates: 4 documents
  EXPECT_TRUE((*a)->IsStopWord("regionen"));  // 3 of 4
  EXPECT_TRUE((*a)->IsStopWord("satsar"));    // 2 of 4
  EXPECT_FALSE((*a)->IsStopWord("bygger"));   // 1 of 4
  std::vector<Token> t = (*a)->Tokenize("Regionen");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_TRUE(t[0].stop);  // memoised flags were refreshed
}

TEST(StopWords, CorpusPruningCanBeDisabled) {
  AnalyzerOptions o;
  o.hunspell_path = "";
  o.corpus_stop_doc_ratio = 0;
  o.corpus_stop_min_documents = 1;
  Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(o);
  ASSERT_OK(a.status());
  CorpusFrequencies f;
  f.AddDocument((*a)->Tokenize("regionen"));
  (*a)->AddCorpusFrequencies(f);
  EXPECT_FALSE((*a)->IsStopWord("regionen"));
}

}  // namespace
}  // namespace samrad::analysis
