// The search index over the bundled corpus: filters, facets, phrases,
// collapsing, snippets, spelling, compounds, bad queries, gold recall.
#include "index/index.h"

#include <gtest/gtest.h>

#include <set>

#include "analysis/themes/themes.h"
#include "base/publish.h"
#include "ingest/ingest.h"
#include "tests/testing.h"

namespace samrad::index {
namespace {

namespace fs = std::filesystem;

// One ingested, analysed and indexed copy of the bundled corpus for the suite.
class IndexedCorpus : public ::testing::Environment {
 public:
  static IndexedCorpus* instance;
  void SetUp() override {
    instance = this;
    dir_ = std::make_unique<testing::TempDir>();
    state = dir_->path() / "state";
    auto a = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
    ASSERT_OK(a.status());
    analyzer = std::move(*a);
    ingest::IngestOptions io;
    io.corpus_dir = testing::SourceDir() / "corpus/documents";
    io.state_dir = state;
    auto r = ingest::Ingest(io);
    ASSERT_OK(r.status());
    themes::AnalyzeOptions ao;
    ao.state_dir = state;
    ao.framework_path = testing::SourceDir() / "corpus/framework/vg2030.json";
    ASSERT_OK(themes::Analyze(ao, *analyzer).status());
    auto s = IndexAndPublish(state, "", *analyzer);
    ASSERT_OK(s.status());
    summary = *s;
  }
  void TearDown() override { dir_.reset(); }

  fs::path state;
  std::unique_ptr<analysis::Analyzer> analyzer;
  IndexSummary summary;

 private:
  std::unique_ptr<testing::TempDir> dir_;
};
IndexedCorpus* IndexedCorpus::instance = nullptr;
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new IndexedCorpus);

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Searcher::Open(IndexedCorpus::instance->state, *IndexedCorpus::instance->analyzer);
    ASSERT_OK(s.status());
    searcher = std::move(*s);
  }
  SearchResponse Search(SearchRequest req) {
    auto r = searcher->Search(req);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SearchResponse{};
  }
  SearchResponse Search(const std::string& q, int limit = 10) {
    SearchRequest req;
    req.query = q;
    req.limit = limit;
    return Search(req);
  }
  std::unique_ptr<Searcher> searcher;
};

TEST_F(IndexTest, OneDocumentPerPassage) {
  EXPECT_EQ(searcher->PassageCount(), static_cast<std::uint64_t>(IndexedCorpus::instance->summary.passages));
  EXPECT_GT(IndexedCorpus::instance->summary.passages, 1000);
  EXPECT_EQ(IndexedCorpus::instance->summary.documents, 65);
}

TEST_F(IndexTest, RegionFilterKeepsOnlyThatRegionAndFacetsAddUp) {
  SearchRequest req;
  req.query = "bostäder";
  req.regions = {"skaraborg"};  // case-insensitive
  req.limit = 100;
  SearchResponse r = Search(req);
  ASSERT_GT(r.hits.size(), 0u);
  for (const Hit& h : r.hits) EXPECT_EQ(h.subregion, "Skaraborg") << h.passage_id;
  // Facets count the whole match set: per region they sum to the total.
  std::uint64_t sum = 0;
  for (const auto& [v, n] : r.facets["region"]) sum += n;
  EXPECT_EQ(sum, r.total_estimate);
  EXPECT_EQ(r.facets["region"].size(), 1u);
  std::uint64_t kinds = 0;
  for (const auto& [v, n] : r.facets["kind"]) kinds += n;
  EXPECT_EQ(kinds, r.total_estimate);
}

TEST_F(IndexTest, EachFilterRestrictsToItsValue) {
  SearchRequest req;
  req.query = "kollektivtrafik";
  req.limit = 200;
  const SearchResponse all = Search(req);
  ASSERT_GT(all.total_estimate, 5u);
  req.kinds = {"remiss"};
  SearchResponse r = Search(req);
  EXPECT_LT(r.total_estimate, all.total_estimate);
  for (const Hit& h : r.hits) EXPECT_EQ(h.citation.kind, "remiss");
  req.kinds.clear();
  req.actors = {"näringsliv"};
  r = Search(req);
  for (const Hit& h : r.hits) EXPECT_EQ(h.actor_group, "näringsliv");
  req.actors.clear();
  req.from = "2020-01-01";
  r = Search(req);
  ASSERT_GT(r.hits.size(), 0u);
  for (const Hit& h : r.hits) EXPECT_GE(h.citation.date, "2020-01-01");
  req.from.clear();
  // The query syntax gives the same as the flags.
  SearchRequest typed;
  typed.query = "kollektivtrafik typ:remiss";
  typed.limit = 200;
  SearchRequest flagged;
  flagged.query = "kollektivtrafik";
  flagged.kinds = {"remiss"};
  flagged.limit = 200;
  EXPECT_EQ(Search(typed).total_estimate, Search(flagged).total_estimate);
  SearchRequest ranged;
  ranged.query = "kollektivtrafik 2019-01-01..2019-06-30";
  ranged.limit = 200;
  r = Search(ranged);
  ASSERT_GT(r.hits.size(), 0u);
  for (const Hit& h : r.hits) EXPECT_LE(h.citation.date, "2019-06-30");
}

TEST_F(IndexTest, AreaFilterMatchesAreaFacet) {
  SearchRequest req;
  req.areas = {"fornybar-energi"};
  req.limit = 500;
  SearchResponse r = Search(req);
  ASSERT_GT(r.total_estimate, 0u);
  for (const Hit& h : r.hits) {
    EXPECT_NE(std::find(h.areas.begin(), h.areas.end(), "fornybar-energi"), h.areas.end());
  }
  EXPECT_EQ(r.facets["area"]["fornybar-energi"], r.total_estimate);
}

TEST_F(IndexTest, PhraseQueryNeedsTheWordsInOrder) {
  SearchResponse r = Search("\"fullföljda studier\"", 50);
  ASSERT_GT(r.hits.size(), 0u);
  for (const Hit& h : r.hits) {
    std::string lower = h.text;
    EXPECT_NE(h.snippet_html.find("<mark>"), std::string::npos) << h.passage_id;
  }
  SearchResponse reversed = Search("\"studier fullföljda\"", 50);
  EXPECT_LT(reversed.total_estimate, r.total_estimate);
}

TEST_F(IndexTest, PerDocumentCollapsesToOneHitPerDocument) {
  SearchRequest req;
  req.query = "kompetensförsörjning";
  req.limit = 50;
  req.per_document = true;
  SearchResponse r = Search(req);
  ASSERT_GT(r.hits.size(), 2u);
  std::set<std::string> docs;
  int collapsed = 0;
  for (const Hit& h : r.hits) {
    EXPECT_TRUE(docs.insert(h.citation.doc_id).second) << h.citation.doc_id;
    collapsed += h.collapsed;
  }
  EXPECT_GT(collapsed, 0);
}

TEST_F(IndexTest, SnippetHighlightsInflectedMatches) {
  SearchResponse r = Search("vårdcentral");
  ASSERT_GT(r.hits.size(), 0u);
  EXPECT_NE(r.hits[0].snippet_html.find("<mark>vårdcentral"), std::string::npos) << r.hits[0].snippet_html;
  EXPECT_NE(r.hits[0].snippet.find("»"), std::string::npos);
  EXPECT_FALSE(r.hits[0].citation.title.empty());
  EXPECT_FALSE(r.hits[0].citation.where.empty());
}

TEST_F(IndexTest, CompoundPartsAreFound) {
  // "skola" occurs in the corpus mostly inside compounds (grundskolan,
  // gymnasieskolan): the parts are indexed, so they are found.
  SearchResponse r = Search("skola", 100);
  bool only_compound = false;
  for (const Hit& h : r.hits) {
    if (h.text.find("grundskola") != std::string::npos || h.text.find("gymnasieskola") != std::string::npos) {
      only_compound = true;
    }
  }
  EXPECT_TRUE(only_compound);
}

TEST_F(IndexTest, SpellingSuggestionForMisspeltCorpusWord) {
  SearchResponse r = Search("kollektivtrafikk");
  EXPECT_EQ(r.corrected_query, "kollektivtrafik");
}

TEST_F(IndexTest, BadQueriesAreInvalidArgument) {
  for (const std::string& q : {std::string("\"unbalanced"), std::string("färg:röd"),
                              std::string("2019-13-01..2019-06-30"), std::string(10000, 'a')}) {
    SearchRequest req;
    req.query = q;
    auto r = searcher->Search(req);
    ASSERT_FALSE(r.ok()) << q.substr(0, 40);
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << r.status().ToString();
  }
  // Swedish text with colons is not a field.
  SearchRequest ok;
  ok.query = "EU:s regionalfond";
  EXPECT_TRUE(searcher->Search(ok).ok());
}

TEST_F(IndexTest, PassageViewShowsTheWholeDocument) {
  SearchResponse r = Search("vårdcentral");
  ASSERT_GT(r.hits.size(), 0u);
  auto v = searcher->GetPassage(r.hits[0].passage_id);
  ASSERT_OK(v.status());
  EXPECT_EQ(v->passage.passage_id, r.hits[0].passage_id);
  ASSERT_GT(v->document_passages.size(), 1u);
  bool found = false;
  for (const Hit& h : v->document_passages) found = found || h.passage_id == r.hits[0].passage_id;
  EXPECT_TRUE(found);
  EXPECT_EQ(searcher->GetPassage("no/such#0000").status().code(), Status::Code::kNotFound);
}

TEST_F(IndexTest, GoldQueriesRecallAtTen) {
  auto r = EvaluateQueries(testing::SourceDir() / "corpus/gold/queries.jsonl", IndexedCorpus::instance->state,
                           *searcher);
  ASSERT_OK(r.status());
  for (const auto& item : r->items) {
    if (item.found < item.relevant) {
      std::printf("  missed %d/%d  %s\n", item.relevant - item.found, item.relevant, item.query.c_str());
    }
  }
  std::printf("recall@10 overall %.3f, inflected %.3f, compound %.3f, unmatched quotes %d\n", r->recall,
              r->recall_by_tag["inflected"], r->recall_by_tag["compound"], r->unmatched_quotes);
  EXPECT_EQ(r->unmatched_quotes, 0);
  EXPECT_GE(r->recall, 0.90);
  EXPECT_GE(r->recall_by_tag["inflected"], 0.90);
  EXPECT_GE(r->recall_by_tag["compound"], 0.90);
}

TEST_F(IndexTest, RebuildFromBaseRewritesNothingWhenNothingChanged) {
  testing::TempDir out;
  IndexOptions o;
  o.state_dir = IndexedCorpus::instance->state;
  o.db_dir = out.path() / "db";
  o.base_db = PublishedIndexPath(IndexedCorpus::instance->state);
  auto s = BuildIndex(o, *IndexedCorpus::instance->analyzer);
  ASSERT_OK(s.status());
  EXPECT_EQ(s->added + s->replaced + s->deleted, 0);
  EXPECT_EQ(s->unchanged, IndexedCorpus::instance->summary.passages);
}

}  // namespace
}  // namespace samrad::index
