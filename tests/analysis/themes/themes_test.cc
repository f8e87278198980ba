// Area sorting and emergent themes: unit behaviour on small inputs, and the
// quality floors on the bundled corpus against its gold labels.
#include "analysis/themes/themes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "base/files.h"
#include "ingest/ingest.h"
#include "tests/analysis/analysis_testing.h"
#include "tests/testing.h"

namespace samrad::themes {
namespace {

namespace fs = std::filesystem;

using analysis::testing::DefaultAnalyzer;

Framework ThreeAreas() {
  auto fw = LoadFramework(testing::SourceDir() / "tests/analysis/themes/testdata/tre-omraden.json");
  EXPECT_TRUE(fw.ok()) << fw.status().ToString();
  return *fw;
}

std::vector<PassageInput> SmallCorpus() {
  const char* texts[] = {
      "Bostadsbristen är akut: unga och nyanlända hittar inga hyresrätter, och bostadsbyggandet har stannat av.",
      "Vi behöver fler bostäder för studenter och fler hyresrätter i de mindre orterna.",
      "Kommunen bygger trygghetsboende och nya bostäder i centrum, men köerna till hyresrätter växer.",
      "Vårdcentralen i Gullspång har stängt och ambulansen har långt att köra till akutsjukhuset.",
      "Vårdköerna växer och sjukvården på landsbygden behöver fler vårdcentraler och läkare.",
      "Ambulansens körtid och avståndet till sjukvård oroar de äldre i glesbygden.",
      "Skyfallet orsakade översvämning i Borås och dricksvattnet hotades av föroreningar.",
      "Torkan 2018 visade att dricksvatten och vattenförsörjning måste säkras; översvämning hotar också.",
      "Havsnivåhöjning och skyfall kräver klimatanpassning av dricksvattnet och avloppen.",
      "Tack för ordet.",
  };
  std::vector<PassageInput> out;
  int i = 0;
  for (const char* t : texts) {
    PassageInput p;
    p.id = "doc" + std::to_string(i / 3) + ".md#" + std::to_string(1000 + i);
    p.doc_id = "doc" + std::to_string(i / 3) + ".md";
    p.text = t;
    p.actor_group = i % 2 ? "kommun" : "civilsamhälle";
    p.subregion = "Skaraborg";
    out.push_back(p);
    ++i;
  }
  return out;
}

// Ten passages are too few for the data-driven floor (mean + 1 sd of the
// scores): these tests fix the floor, as `--min-score` does.
SortOptions FixedFloor() {
  SortOptions o;
  o.min_score = 0.05;
  return o;
}

TEST(Themes, SecondFrameworkWorksWithoutCodeChange) {
  const Framework fw = ThreeAreas();
  auto m = SortAndCluster(SmallCorpus(), fw, DefaultAnalyzer(), FixedFloor(), ClusterOptions{});
  ASSERT_OK(m.status());
  ASSERT_EQ(m->passages.size(), 10u);
  const char* expected[] = {"boende", "boende", "boende", "vard", "vard", "vard", "vatten", "vatten", "vatten"};
  for (int i = 0; i < 9; ++i) {
    EXPECT_NE(std::find(m->passages[i].areas.begin(), m->passages[i].areas.end(), expected[i]),
              m->passages[i].areas.end())
        << i << ": " << ::testing::PrintToString(m->passages[i].areas);
  }
  EXPECT_TRUE(m->passages[9].areas.empty()) << "a courtesy has no area";
  EXPECT_EQ(m->no_area, 1);
}

TEST(Themes, EveryAssignmentCarriesItsReasonTerms) {
  const Framework fw = ThreeAreas();
  auto m = SortAndCluster(SmallCorpus(), fw, DefaultAnalyzer(), FixedFloor(), ClusterOptions{});
  ASSERT_OK(m.status());
  for (const PassageThemes& p : m->passages) {
    ASSERT_EQ(p.scores.size(), fw.areas.size());
    // No area has parents here: the reasons are exactly the areas, in order.
    std::vector<std::string> with_reasons;
    for (const AreaReasons& r : p.reasons) {
      EXPECT_FALSE(r.terms.empty()) << p.passage_id << " " << r.area;
      with_reasons.push_back(fw.areas[static_cast<size_t>(r.area)].id);
    }
    EXPECT_EQ(with_reasons, p.areas) << p.passage_id;
  }
  // The reasons are words of the passage.
  ASSERT_FALSE(m->passages[0].reasons.empty());
  const auto& first = m->passages[0].reasons[0].terms;
  EXPECT_NE(SmallCorpus()[0].text.find(first[0].substr(0, 5)), std::string::npos) << first[0];
}

TEST(Themes, SameInputSameOutput) {
  auto a = SortAndCluster(SmallCorpus(), ThreeAreas(), DefaultAnalyzer(), FixedFloor(), ClusterOptions{});
  auto b = SortAndCluster(SmallCorpus(), ThreeAreas(), DefaultAnalyzer(), FixedFloor(), ClusterOptions{});
  ASSERT_OK(a.status());
  ASSERT_OK(b.status());
  for (size_t i = 0; i < a->passages.size(); ++i) {
    EXPECT_EQ(a->passages[i].areas, b->passages[i].areas);
    EXPECT_EQ(a->passages[i].scores, b->passages[i].scores);
  }
}

TEST(Themes, OverridesWinAndAreMarked) {
  const Framework fw = ThreeAreas();
  const auto passages = SmallCorpus();
  testing::TempDir dir;
  const fs::path path = dir.path() / "overrides.jsonl";
  ASSERT_OK(WriteFileAtomically(
      path, "{\"passage\": \"" + passages[0].id + "\", \"areas\": [\"vatten\"]}\n"
            "\n"
            "{\"doc\": \"doc3.md\", \"quote\": \"Tack för\", \"areas\": [\"vard\"]}\n"));
  auto o = LoadOverrides(path, fw, passages);
  ASSERT_OK(o.status());
  ASSERT_EQ(o->size(), 2u);
  auto m = SortAndCluster(passages, fw, DefaultAnalyzer(), FixedFloor(), ClusterOptions{});
  ASSERT_OK(m.status());
  const int none_before = m->no_area;
  ApplyOverrides(*o, fw, &*m);
  EXPECT_EQ(m->passages[0].areas, std::vector<std::string>{"vatten"});
  EXPECT_TRUE(m->passages[0].overridden);
  EXPECT_EQ(m->passages[9].areas, std::vector<std::string>{"vard"});
  EXPECT_EQ(m->no_area, none_before - 1);
  EXPECT_FALSE(m->passages[1].overridden);
}

TEST(Themes, BadOverridesNameTheLine) {
  const Framework fw = ThreeAreas();
  const auto passages = SmallCorpus();
  testing::TempDir dir;
  const fs::path path = dir.path() / "o.jsonl";
  struct Case {
    std::string line, expected;
  };
  for (const Case& c : {Case{"{\"passage\": \"nope#1\", \"areas\": []}", "no passage"},
                        Case{"{\"passage\": \"" + passages[0].id + "\", \"areas\": [\"zz\"]}", "unknown area"},
                        Case{"{\"doc\": \"doc0.md\", \"quote\": \"finns inte\", \"areas\": []}", "in no passage"},
                        Case{"not json", "not valid JSON"},
                        Case{"{\"areas\": []}", "needs \"passage\""}}) {
    ASSERT_OK(WriteFileAtomically(path, "\n" + c.line + "\n"));
    auto o = LoadOverrides(path, fw, passages);
    ASSERT_FALSE(o.ok()) << c.line;
    EXPECT_NE(o.status().message().find("o.jsonl:2"), std::string::npos) << o.status().message();
    EXPECT_NE(o.status().message().find(c.expected), std::string::npos) << o.status().message();
  }
}

// ---- The bundled corpus ------------------------------------------------------

class BundledCorpus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    state_ = dir_->path() / "state";
    ingest::IngestOptions io;
    io.corpus_dir = testing::SourceDir() / "corpus/documents";
    io.state_dir = state_;
    auto r = ingest::Ingest(io);
    ASSERT_OK(r.status());
    AnalyzeOptions ao;
    ao.state_dir = state_;
    ao.framework_path = testing::SourceDir() / "corpus/framework/vg2030.json";
    ASSERT_OK(Analyze(ao, DefaultAnalyzer()).status());
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static testing::TempDir* dir_;
  static fs::path state_;
};
testing::TempDir* BundledCorpus::dir_ = nullptr;
fs::path BundledCorpus::state_;

TEST_F(BundledCorpus, SortingBeatsFloorsAndKeywordBaseline) {
  auto fw = LoadFramework(testing::SourceDir() / "corpus/framework/vg2030.json");
  ASSERT_OK(fw.status());
  auto passages = LoadPassageInputs(state_);
  ASSERT_OK(passages.status());
  auto model = LoadThemeModel(state_);
  ASSERT_OK(model.status());
  auto r = EvaluateAreas(testing::SourceDir() / "corpus/gold/labels.jsonl", *passages, *model, *fw,
                         DefaultAnalyzer());
  ASSERT_OK(r.status());
  std::printf("gold %d matched %d; method micro-F1 %.3f macro-F1 %.3f; baseline micro-F1 %.3f macro-F1 %.3f\n",
              r->gold_items, r->matched, r->method.micro_f1, r->method.macro_f1, r->baseline.micro_f1,
              r->baseline.macro_f1);
  EXPECT_EQ(r->matched, r->gold_items) << ::testing::PrintToString(r->unmatched);
  EXPECT_GE(r->method.micro_f1, 0.70);
  EXPECT_GE(r->method.macro_f1, 0.60);
  EXPECT_GT(r->method.micro_f1, r->baseline.micro_f1);
  EXPECT_GT(r->method.macro_f1, r->baseline.macro_f1);
}

TEST_F(BundledCorpus, PlantedOutOfFrameworkThemesAreFound) {
  auto model = LoadThemeModel(state_);
  ASSERT_OK(model.status());
  // corpus/README.md lists the planted themes and the words a planner would
  // recognise them by; each must label some emergent theme of >= 3 passages
  // from >= 2 documents.
  const std::vector<std::vector<std::string>> planted = {
      {"bostad", "bostäder", "bostadsbrist", "hyresrätter", "studentbostäder", "bostadsbyggande"},
      {"bredband", "fiber", "mobiltäckning", "uppkoppling"},
      {"vårdcentral", "vårdcentralen", "ambulans", "akutsjukhus", "vårdköer", "hyrläkare", "sjukvård", "vård"},
      {"översvämning", "skyfall", "skred", "dricksvatten", "havsnivå", "torka", "klimatanpassning",
       "vatten", "dricksvattnet", "översvämningar"}};
  for (const EmergentTheme& t : model->themes) {
    std::printf("theme %d (%zu passages, %d documents): %s\n", t.id, t.passage_ids.size(), t.documents,
                ::testing::PrintToString(t.terms).c_str());
  }
  for (const auto& words : planted) {
    bool found = false;
    for (const EmergentTheme& t : model->themes) {
      if (t.passage_ids.size() < 3 || t.documents < 2) continue;
      for (size_t i = 0; i < t.terms.size() && i < 3; ++i) {
        found = found || std::find(words.begin(), words.end(), t.terms[i]) != words.end();
      }
    }
    EXPECT_TRUE(found) << "no emergent theme labelled with any of " << ::testing::PrintToString(words);
  }
}

TEST_F(BundledCorpus, LoadedModelHasScoresAndReasonsOnlyWhenAsked) {
  auto bare = LoadThemeModel(state_);
  ASSERT_OK(bare.status());
  auto full = LoadThemeModel(state_, /*with_scores=*/true);
  ASSERT_OK(full.status());
  ASSERT_EQ(bare->passages.size(), full->passages.size());
  size_t with_reasons = 0;
  for (size_t i = 0; i < full->passages.size(); ++i) {
    EXPECT_TRUE(bare->passages[i].scores.empty());
    EXPECT_TRUE(bare->passages[i].reasons.empty());
    EXPECT_EQ(bare->passages[i].areas, full->passages[i].areas);
    EXPECT_EQ(full->passages[i].scores.size(), 9u);
    with_reasons += !full->passages[i].reasons.empty();
  }
  EXPECT_GT(with_reasons, 0u);
}

TEST_F(BundledCorpus, AnalyzeIsByteIdenticalOnRerun) {
  const std::string first = *ReadFile(state_ / "analysis/passages.jsonl");
  const std::string first_themes = *ReadFile(state_ / "analysis/themes.json");
  AnalyzeOptions ao;
  ao.state_dir = state_;
  ao.framework_path = testing::SourceDir() / "corpus/framework/vg2030.json";
  ASSERT_OK(Analyze(ao, DefaultAnalyzer()).status());  // incremental, nothing changed
  EXPECT_EQ(*ReadFile(state_ / "analysis/passages.jsonl"), first);
  EXPECT_EQ(*ReadFile(state_ / "analysis/themes.json"), first_themes);
  ao.refit = true;  // a full fit again
  ASSERT_OK(Analyze(ao, DefaultAnalyzer()).status());
  EXPECT_EQ(*ReadFile(state_ / "analysis/passages.jsonl"), first);
  EXPECT_EQ(*ReadFile(state_ / "analysis/themes.json"), first_themes);
}

}  // namespace
}  // namespace samrad::themes
