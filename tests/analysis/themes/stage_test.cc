// The analyze stage's machinery for large corpora (#11): passages.jsonl
// written by hand must be the bytes nlohmann::json would write, the term
// cache must never change the output, and k chosen on a sample must still
// find the planted themes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "analysis/themes/output.h"
#include "analysis/themes/themes.h"
#include "base/files.h"
#include "ingest/ingest.h"
#include "tests/analysis/analysis_testing.h"
#include "tests/testing.h"

namespace samrad::themes {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

using analysis::testing::DefaultAnalyzer;

// The slow obvious reference: what the stage wrote before (#11).
std::string NlohmannScore(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", x);
  return Json(std::stod(buf)).dump();
}

TEST(AnalyzeOutput, ScoresAreWrittenAsNlohmannWritesThem) {
  for (int i = 0; i <= 10000; ++i) {
    // Each four-decimal value, and values just around it.
    // Negative ones too (a cosine can be), now that std::to_chars formats them.
    for (double x : {i / 10000.0, i / 10000.0 + 4.9e-5, i / 10000.0 - 4.9e-5, i / 10000.0 + 5e-5, -i / 10000.0,
                     -i / 10000.0 - 4.9e-5, -i / 10000.0 - 5e-5}) {
      std::string mine;
      internal::AppendScore(x, &mine);
      ASSERT_EQ(mine, NlohmannScore(x)) << x;
    }
  }
  for (double x : {1.0, 12345.67891, -0.0, 1e-300}) {
    std::string mine;
    internal::AppendScore(x, &mine);
    EXPECT_EQ(mine, NlohmannScore(x)) << x;
  }
  std::string mine;
  internal::AppendScore(1.0, &mine);
  EXPECT_EQ(mine, "1.0");
}

// ForEachPassageThemes reads the lines analyze writes with a fast reader
// and any other line with nlohmann: each line below must give what the
// nlohmann reading defines (scores in key order, reasons of the scored areas
// only, in that order, converted numbers), whichever reader took it.
TEST(AnalyzeOutput, PassageThemesReadTheSameByEitherReader) {
  testing::TempDir state;
  const std::vector<std::string> lines = {
      // as analyze writes it
      R"({"id":"a#0","doc_id":"a","areas":["x","x.1"],"overridden":false,"theme":3,)"
      R"("scores":{"x":0.5,"y":0.0,"z":0.125},"reasons":{"z":["b\u00e5t"],"x":["hus","bostad"]}})",
      // keys in another order, an integer score, reasons of an area not scored
      R"({"theme":-1,"reasons":{"q":["u"]},"scores":{"y":1,"x":0.25},"overridden":true,"areas":[],"doc_id":"b","id":"b#1"})",
      // what only nlohmann reads: a theme given as 2.0, an extra key, a key twice
      R"({"id":"c#2","doc_id":"c","areas":[],"overridden":false,"theme":2.0,"scores":{"x":0.75},"reasons":{}})",
      R"({"id":"d#3","doc_id":"d","areas":["y"],"overridden":false,"theme":1,"scores":{"y":0.5},"reasons":{},"new":1})",
      R"({"id":"e#4","doc_id":"e","areas":[],"areas":["x"],"overridden":false,"theme":0,"scores":{},"reasons":{}})",
  };
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  ASSERT_TRUE(WriteFileAtomically(state.path() / "analysis" / "passages.jsonl", text).ok());
  for (bool with_scores : {false, true}) {
    std::vector<PassageThemes> read;
    Status s = ForEachPassageThemes(state.path(), with_scores, [&](PassageThemes&& p) {
      read.push_back(std::move(p));
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(read.size(), lines.size());
    EXPECT_EQ(read[0].passage_id, "a#0");
    EXPECT_EQ(read[0].areas, (std::vector<std::string>{"x", "x.1"}));
    EXPECT_EQ(read[0].theme, 3);
    EXPECT_EQ(read[1].doc_id, "b");
    EXPECT_TRUE(read[1].overridden);
    EXPECT_EQ(read[1].theme, -1);
    EXPECT_EQ(read[2].theme, 2);
    EXPECT_EQ(read[3].areas, (std::vector<std::string>{"y"}));
    EXPECT_EQ(read[4].areas, (std::vector<std::string>{"x"})) << "nlohmann keeps the last of a key";
    if (!with_scores) {
      for (const PassageThemes& p : read) EXPECT_TRUE(p.scores.empty() && p.reasons.empty()) << p.passage_id;
      continue;
    }
    EXPECT_EQ(read[0].scores, (std::vector<float>{0.5f, 0.0f, 0.125f}));
    ASSERT_EQ(read[0].reasons.size(), 2u);
    EXPECT_EQ(read[0].reasons[0].area, 0);
    EXPECT_EQ(read[0].reasons[0].terms, (std::vector<std::string>{"hus", "bostad"}));
    EXPECT_EQ(read[0].reasons[1].area, 2);
    EXPECT_EQ(read[0].reasons[1].terms, (std::vector<std::string>{"båt"}));
    EXPECT_EQ(read[1].scores, (std::vector<float>{1.0f, 0.25f}));
    EXPECT_TRUE(read[1].reasons.empty());
    EXPECT_EQ(read[2].scores, (std::vector<float>{0.75f}));
  }
  // A line neither reads is an error naming the file and line.
  ASSERT_TRUE(WriteFileAtomically(state.path() / "analysis" / "passages.jsonl",
                                  lines[0] + "\n" + R"({"id":"f#5","doc_id":"f","areas":[],"overridden":false})" + "\n")
                  .ok());
  Status s = ForEachPassageThemes(state.path(), false, [](PassageThemes&&) { return Status::Ok(); });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("passages.jsonl:2"), std::string::npos) << s.ToString();
}

TEST(AnalyzeOutput, StringsAreEscapedAsNlohmannEscapesThem) {
  for (const std::string& s : {std::string("seminar/s01.md#0007"), std::string("bostäder, hyresrätter"),
                              std::string("a\"b\\c"), std::string("tab\there\nnew\rline\b\f"),
                              std::string("\x01\x1f\x7f"), std::string("€ “citat” ’"),
                              std::string()}) {
    std::string mine;
    internal::AppendJsonString(s, &mine);
    EXPECT_EQ(mine, Json(s).dump()) << s;
  }
}

class CachedAnalyze : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    state_ = dir_->path() / "state";
    ingest::IngestOptions io;
    io.corpus_dir = testing::SourceDir() / "corpus/documents";
    io.state_dir = state_;
    ASSERT_OK(ingest::Ingest(io).status());
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static AnalyzeOptions Options() {
    AnalyzeOptions ao;
    ao.state_dir = state_;
    ao.framework_path = testing::SourceDir() / "corpus/framework/vg2030.json";
    return ao;
  }
  // A full fit, the one the term cache serves (an incremental run takes
  // unchanged passages' lines as they are).
  static AnalyzeOptions Refit() {
    AnalyzeOptions ao = Options();
    ao.refit = true;
    return ao;
  }
  static std::string Output() {
    return *ReadFile(state_ / "analysis/passages.jsonl") + *ReadFile(state_ / "analysis/themes.json");
  }
  static testing::TempDir* dir_;
  static fs::path state_;
};
testing::TempDir* CachedAnalyze::dir_ = nullptr;
fs::path CachedAnalyze::state_;

TEST_F(CachedAnalyze, SecondRunReusesEveryPassageAndWritesTheSameBytes) {
  fs::remove(state_ / "analysis/terms.cache");
  auto first = Analyze(Options(), DefaultAnalyzer());
  ASSERT_OK(first.status());
  EXPECT_EQ(first->reused, 0);
  EXPECT_EQ(first->tokenised, first->passages);
  const std::string fresh = Output();
  auto second = Analyze(Refit(), DefaultAnalyzer());
  ASSERT_OK(second.status());
  EXPECT_EQ(second->mode, "full");
  EXPECT_EQ(second->tokenised, 0);
  EXPECT_EQ(second->reused, second->passages);
  EXPECT_EQ(Output(), fresh);
  // Incremental with nothing changed: every line kept, the same bytes.
  auto kept = Analyze(Options(), DefaultAnalyzer());
  ASSERT_OK(kept.status());
  EXPECT_EQ(kept->mode, "incremental") << kept->reason;
  EXPECT_EQ(kept->kept, kept->passages);
  EXPECT_EQ(Output(), fresh);
  // Without the cache, the same bytes again.
  AnalyzeOptions no_cache = Options();
  no_cache.use_cache = false;
  auto third = Analyze(no_cache, DefaultAnalyzer());
  ASSERT_OK(third.status());
  EXPECT_EQ(third->reused, 0);
  EXPECT_EQ(Output(), fresh);
}

TEST_F(CachedAnalyze, TornOrForeignCacheIsIgnored) {
  ASSERT_OK(Analyze(Refit(), DefaultAnalyzer()).status());
  const std::string fresh = Output();
  const fs::path cache = state_ / "analysis/terms.cache";
  const std::string bytes = *ReadFile(cache);
  // Cut in the middle: the records before the cut are used, the rest re-analysed.
  ASSERT_OK(WriteFileAtomically(cache, bytes.substr(0, bytes.size() / 2)));
  auto torn = Analyze(Refit(), DefaultAnalyzer());
  ASSERT_OK(torn.status());
  EXPECT_GT(torn->reused, 0);
  EXPECT_GT(torn->tokenised, 0);
  EXPECT_EQ(Output(), fresh);
  // Another format or analyzer: nothing is used.
  ASSERT_OK(WriteFileAtomically(cache, "samrad-terms 0 0000\n" + bytes.substr(bytes.find('\n') + 1)));
  auto foreign = Analyze(Refit(), DefaultAnalyzer());
  ASSERT_OK(foreign.status());
  EXPECT_EQ(foreign->reused, 0);
  EXPECT_EQ(Output(), fresh);
}

TEST_F(CachedAnalyze, ChangedPassageIsReanalysedAndOthersReused) {
  ASSERT_OK(Analyze(Refit(), DefaultAnalyzer()).status());
  // Append a passage to one document, as an edit would.
  testing::TempDir corpus;
  fs::copy(testing::SourceDir() / "corpus/documents", corpus.path(), fs::copy_options::recursive);
  const fs::path doc = corpus.path() / "seminar" / "s01-klimat2030-fyrbodal.md";
  ASSERT_TRUE(fs::exists(doc)) << doc;
  ASSERT_OK(WriteFileAtomically(doc, *ReadFile(doc) + "\n\nModerator: Zebrafinkarna i Vänersborg sjunger.\n"));
  ingest::IngestOptions io;
  io.corpus_dir = corpus.path();
  io.state_dir = state_;
  ASSERT_OK(ingest::Ingest(io).status());
  auto r = Analyze(Refit(), DefaultAnalyzer());
  ASSERT_OK(r.status());
  EXPECT_GE(r->tokenised, 1);
  EXPECT_LE(r->tokenised, 3);
  EXPECT_EQ(r->reused + r->tokenised, r->passages);
  const std::string cached = Output();
  AnalyzeOptions no_cache = Options();
  no_cache.use_cache = false;
  ASSERT_OK(Analyze(no_cache, DefaultAnalyzer()).status());
  EXPECT_EQ(Output(), cached);
  // Back to the bundled corpus for the other tests.
  io.corpus_dir = testing::SourceDir() / "corpus/documents";
  ASSERT_OK(ingest::Ingest(io).status());
}

// With k chosen on a sample much smaller than the candidates, and the
// clustering refined over all of them, the planted themes are still found.
TEST_F(CachedAnalyze, PlantedThemesAreFoundWhenKIsChosenOnASample) {
  auto fw = LoadFramework(testing::SourceDir() / "corpus/framework/vg2030.json");
  ASSERT_OK(fw.status());
  auto passages = LoadPassageInputs(state_);
  ASSERT_OK(passages.status());
  ClusterOptions co;
  co.k_selection_sample = 150;
  auto m = SortAndCluster(*passages, *fw, DefaultAnalyzer(), SortOptions{}, co);
  ASSERT_OK(m.status());
  const std::vector<std::vector<std::string>> planted = {
      {"bostad", "bostäder", "bostadsbrist", "hyresrätter", "studentbostäder", "bostadsbyggande"},
      {"bredband", "fiber", "mobiltäckning", "uppkoppling"},
      {"vårdcentral", "vårdcentralen", "ambulans", "akutsjukhus", "vårdköer", "hyrläkare", "sjukvård", "vård"},
      {"översvämning", "skyfall", "skred", "dricksvatten", "havsnivå", "torka", "klimatanpassning",
       "vatten", "dricksvattnet", "översvämningar"}};
  size_t clustered = 0;
  for (const EmergentTheme& t : m->themes) {
    clustered += t.passage_ids.size();
    std::printf("theme %d (%zu passages, %d documents): %s\n", t.id, t.passage_ids.size(), t.documents,
                ::testing::PrintToString(t.terms).c_str());
  }
  ASSERT_GT(clustered, 150u) << "the sample must be smaller than the candidates for this test";
  for (const auto& words : planted) {
    bool found = false;
    for (const EmergentTheme& t : m->themes) {
      if (t.passage_ids.size() < 3 || t.documents < 2) continue;
      for (size_t i = 0; i < t.terms.size() && i < 3; ++i) {
        found = found || std::find(words.begin(), words.end(), t.terms[i]) != words.end();
      }
    }
    EXPECT_TRUE(found) << "no emergent theme labelled with any of " << ::testing::PrintToString(words);
  }
  // And deterministic.
  auto again = SortAndCluster(*passages, *fw, DefaultAnalyzer(), SortOptions{}, co);
  ASSERT_OK(again.status());
  ASSERT_EQ(again->themes.size(), m->themes.size());
  for (size_t i = 0; i < m->themes.size(); ++i) EXPECT_EQ(again->themes[i].passage_ids, m->themes[i].passage_ids);
}

}  // namespace
}  // namespace samrad::themes
