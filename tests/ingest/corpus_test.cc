// The bundled corpus (corpus/documents) against issue 4's "must show" list.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "ingest/encoding.h"
#include "ingest/ingest.h"
#include "ingest/redact.h"
#include "ingest/segment.h"
#include "tests/ingest/ingest_testing.h"
#include "tests/testing.h"

namespace samrad::ingest {
namespace {

namespace fs = std::filesystem;
using samrad::testing::SourceDir;
using samrad::testing::TempDir;

// One ingest of the bundled corpus shared by the tests below.
class BundledCorpus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    state_ = new TempDir();
    IngestOptions options;
    options.corpus_dir = SourceDir() / "corpus/documents";
    options.state_dir = state_->path();
    const auto start = std::chrono::steady_clock::now();
    Result<IngestReport> r = Ingest(options);
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    report_ = new IngestReport(*r);
    std::ifstream in(state_->path() / "ingest/passages.jsonl");
    passages_ = new std::vector<Passage>();
    ASSERT_OK(ForEachPassage(state_->path(), [](const Passage& p) {
      passages_->push_back(p);
      return Status::Ok();
    }));
  }
  static void TearDownTestSuite() {
    delete report_;
    delete passages_;
    delete state_;
  }
  static std::vector<nlohmann::json> GoldRows(const char* name) {
    std::vector<nlohmann::json> rows;
    std::ifstream in(SourceDir() / "corpus/gold" / name);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find_first_not_of(" \t\r") != std::string::npos)
        rows.push_back(nlohmann::json::parse(line));
    }
    return rows;
  }

  static TempDir* state_;
  static IngestReport* report_;
  static std::vector<Passage>* passages_;
  static double seconds_;
};

TempDir* BundledCorpus::state_ = nullptr;
IngestReport* BundledCorpus::report_ = nullptr;
std::vector<Passage>* BundledCorpus::passages_ = nullptr;
double BundledCorpus::seconds_ = 0;

TEST_F(BundledCorpus, IngestsWithoutFailures) {
  ASSERT_NE(report_, nullptr);
  std::string failures;
  for (const FileReport& f : report_->files) {
    if (f.status == "failed") failures += "\n  " + f.path + ": " + f.reason;
  }
  EXPECT_EQ(report_->failed, 0) << failures;
  EXPECT_GT(report_->ingested, 0);
  std::cout << "[ bundled  ] " << report_->files.size() << " files, " << report_->passages
            << " passages, ingested in " << seconds_ << " s\n";
}

TEST_F(BundledCorpus, EveryFileIsInTheReport) {
  ASSERT_NE(report_, nullptr);
  std::set<std::string> reported;
  for (const FileReport& f : report_->files) reported.insert(f.path);
  const fs::path root = SourceDir() / "corpus/documents";
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), root).generic_string();
    if (rel.size() > 10 && rel.substr(rel.size() - 10) == ".meta.json") continue;
    if (rel == "samrad-manifest.json") continue;
    EXPECT_EQ(reported.count(rel), 1u) << rel << " is not in the report";
  }
}

TEST_F(BundledCorpus, NothingRedactableIsLeft) {
  ASSERT_NE(passages_, nullptr);
  for (const Passage& p : *passages_) {
    RedactionCounts counts;
    EXPECT_EQ(RedactPatterns(p.text, &counts), p.text) << p.id;
    EXPECT_EQ(p.text.find('@'), std::string::npos) << p.id;
  }
}

TEST_F(BundledCorpus, NoGoldPersonalDataIsWrittenAnywhere) {
  const std::vector<nlohmann::json> pii = GoldRows("pii.jsonl");
  if (pii.empty()) GTEST_SKIP() << "corpus/gold/pii.jsonl does not exist yet";
  ASSERT_NE(state_, nullptr);
  const std::string written = testing::AllBytesUnder(state_->path());
  for (const nlohmann::json& row : pii) {
    const std::string text = row.at("text").get<std::string>();
    for (const std::string& form : {text, CollapseWhitespace(ToNfc(text))}) {
      EXPECT_EQ(written.find(form), std::string::npos)
          << row.at("type") << " from " << row.at("doc") << " is in the state directory";
    }
  }
}

TEST_F(BundledCorpus, EveryGoldQuoteIsInsideExactlyOnePassage) {
  const std::vector<nlohmann::json> labels = GoldRows("labels.jsonl");
  if (labels.empty()) GTEST_SKIP() << "corpus/gold/labels.jsonl does not exist yet";
  ASSERT_NE(passages_, nullptr);
  std::map<std::string, std::vector<const Passage*>> by_doc;
  for (const Passage& p : *passages_) by_doc[p.doc_id].push_back(&p);
  int bad = 0;
  for (const nlohmann::json& row : labels) {
    const std::string doc = row.at("doc").get<std::string>();
    const std::string quote = CollapseWhitespace(ToNfc(row.at("quote").get<std::string>()));
    int found = 0;
    for (const Passage* p : by_doc[doc]) found += p->text.find(quote) != std::string::npos;
    if (found != 1) {
      ++bad;
      ADD_FAILURE() << doc << ": quote found in " << found << " passages: " << quote;
    }
  }
  std::cout << "[ gold     ] " << labels.size() - static_cast<size_t>(bad) << "/" << labels.size()
            << " quotes inside exactly one passage\n";
}

}  // namespace
}  // namespace samrad::ingest
