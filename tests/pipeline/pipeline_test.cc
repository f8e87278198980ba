// The nightly job: incremental runs, kills at every stage, searches during a
// run, and the lock.
#include "pipeline/pipeline.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/publish.h"
#include "index/index.h"
#include "pipeline/lock.h"
#include "tests/testing.h"

namespace samrad::pipeline {
namespace {

namespace fs = std::filesystem;
const std::string kSamrad = SAMRAD_BIN;

// A small corpus (a dozen bundled documents) copied into a temp dir, so each
// test can change it.
class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
    ASSERT_OK(a.status());
    analyzer_ = std::move(*a);
    corpus_ = dir_.path() / "corpus";
    state_ = dir_.path() / "state";
    const fs::path src = testing::SourceDir() / "corpus/documents";
    int n = 0;
    for (const char* sub : {"seminar", "remiss"}) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(src / sub)) files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (const fs::path& f : files) {
        const std::string name = f.filename().string();
        if (name.find(".meta.json") != std::string::npos) continue;
        if (++n > 14 && name.find("r05") == std::string::npos) continue;
        fs::create_directories(corpus_ / sub);
        fs::copy_file(f, corpus_ / sub / name);
        fs::copy_file(fs::path(f.string() + ".meta.json"), corpus_ / sub / (name + ".meta.json"));
      }
    }
  }

  RunSummary RunInProcess() {
    RunOptions o;
    o.corpus_dir = corpus_;
    o.state_dir = state_;
    o.framework_path = testing::SourceDir() / "corpus/framework/vg2030.json";
    o.quiet = true;
    return pipeline::Run(o, *analyzer_);
  }

  std::string RunCommandLine(const std::string& env = "") const {
    return env + " '" + kSamrad + "' run '" + corpus_.string() + "' --state '" + state_.string() +
           "' --quiet";
  }

  std::uint64_t Count(const std::string& query) {
    auto s = index::Searcher::Open(state_, *analyzer_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return 0;
    index::SearchRequest req;
    req.query = query;
    auto r = (*s)->Search(req);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->total_estimate : 0;
  }

  // Replaces `from` by `to` in a corpus file (which must contain it).
  void Edit(const std::string& rel, const std::string& from, const std::string& to) {
    const fs::path p = corpus_ / rel;
    std::string text = *ReadFile(p);
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    ASSERT_OK(WriteFileAtomically(p, text));
  }

  std::string FirstSeminar() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(corpus_ / "seminar")) {
      if (e.path().extension() == ".md") names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return "seminar/" + names.front();
  }

  testing::TempDir dir_;
  fs::path corpus_, state_;
  std::unique_ptr<analysis::Analyzer> analyzer_;
};

TEST_F(PipelineTest, SecondRunWithNothingChangedSaysSo) {
  RunSummary first = RunInProcess();
  ASSERT_EQ(first.status, "ok") << first.error;
  EXPECT_GT(first.files_new, 10);
  EXPECT_TRUE(fs::exists(state_ / "published" / "index"));
  EXPECT_TRUE(fs::exists(state_ / "published" / "reports" / "index.html"));
  EXPECT_TRUE(fs::exists(first.summary_path));
  RunSummary second = RunInProcess();
  EXPECT_EQ(second.status, "no_changes");
  EXPECT_EQ(second.files_new + second.files_changed + second.files_removed, 0);
  EXPECT_EQ(second.generation, first.generation);
  EXPECT_NE(second.OneLine().find("inga ändringar"), std::string::npos);
}

// (#11) The analysis, the index and the reports' term index tokenise the
// same texts: the words the analysis memoised stay in the analyzer's shared
// memo through the index into the reports (decompounding is the slow part
// of tokenising), and the reports free it once they tokenise no more.
TEST_F(PipelineTest, Issue11TheStagesShareOneWordMemo) {
  RunOptions o;
  o.corpus_dir = corpus_;
  o.state_dir = state_;
  o.framework_path = testing::SourceDir() / "corpus/framework/vg2030.json";
  o.quiet = true;
  size_t after_analyze = 0, index_least = SIZE_MAX, after_index = 0, before_publish = SIZE_MAX;
  int index_batches = 0;
  o.checkpoint = [&](std::string_view point) {
    const size_t words = analyzer_->SharedMemoStats().words;
    if (point == "after-analyze") after_analyze = words;
    if (point == "index-batch") {
      ++index_batches;
      index_least = std::min(index_least, words);
    }
    if (point == "after-index") after_index = words;
    if (point == "before-publish") before_publish = words;
  };
  RunSummary s = pipeline::Run(o, *analyzer_);
  ASSERT_EQ(s.status, "ok") << s.error;
  EXPECT_GT(after_analyze, 1000u);
  ASSERT_GT(index_batches, 0);
  EXPECT_GE(index_least, after_analyze);  // never freed between the stages
  EXPECT_GE(after_index, after_analyze);
  EXPECT_EQ(before_publish, 0u);
}

TEST_F(PipelineTest, ChangedFileIsReplacedInTheIndexAndOthersUntouched) {
  // The document's last paragraph carries a made-up word before the first run
  // and is replaced by another before the second: the old word must leave the
  // index and the new one arrive.
  const std::string doc = FirstSeminar();
  std::string text = *ReadFile(corpus_ / doc);
  const size_t cut = text.rfind("\n\n");
  ASSERT_NE(cut, std::string::npos);
  ASSERT_OK(WriteFileAtomically(
      corpus_ / doc, text.substr(0, cut) + "\n\nModerator: Kvarnhjulsödlorna i Tidaholm sover.\n"));
  RunSummary first = RunInProcess();
  ASSERT_EQ(first.status, "ok") << first.error;
  EXPECT_EQ(Count("kvarnhjulsödlorna"), 1u);
  const std::uint64_t bredband_before = Count("bredband");
  ASSERT_GT(bredband_before, 0u);

  text = text.substr(0, cut) + "\n\nModerator: Zebrafinkarna i Vänersborg sjunger om kvällarna.\n";
  ASSERT_OK(WriteFileAtomically(corpus_ / doc, text));
  EXPECT_EQ(Count("zebrafinkarna"), 0u);

  RunSummary second = RunInProcess();
  ASSERT_EQ(second.status, "ok") << second.error;
  EXPECT_EQ(second.files_changed, 1);
  EXPECT_EQ(second.files_new, 0);
  EXPECT_EQ(second.files_unchanged, first.files_new - 1);
  EXPECT_EQ(Count("zebrafinkarna"), 1u);
  EXPECT_EQ(Count("kvarnhjulsödlorna"), 0u);
  // Passages of the other documents answer as before.
  EXPECT_EQ(Count("bredband"), bredband_before);
  // The index was updated, not rebuilt: most passages were left alone.
  EXPECT_GT(second.index_added + second.index_replaced + second.index_deleted, 0);
  EXPECT_LT(second.index_added + second.index_replaced + second.index_deleted, second.passages / 2);
  EXPECT_GT(second.passages, 100);
}

TEST_F(PipelineTest, RemovedFileLeavesTheIndex) {
  ASSERT_EQ(RunInProcess().status, "ok");
  const std::string doc = FirstSeminar();
  auto s = index::Searcher::Open(state_, *analyzer_);
  ASSERT_OK(s.status());
  index::SearchRequest req;
  req.query = "dokument:" + doc;
  auto before = (*s)->Search(req);
  ASSERT_OK(before.status());
  ASSERT_GT(before->total_estimate, 0u);
  fs::remove(corpus_ / doc);
  fs::remove(corpus_ / (doc + ".meta.json"));
  RunSummary r = RunInProcess();
  ASSERT_EQ(r.status, "ok") << r.error;
  EXPECT_EQ(r.files_removed, 1);
  EXPECT_EQ(r.index_deleted, static_cast<int>(before->total_estimate));
  ASSERT_OK((*s)->Reopen());
  auto after = (*s)->Search(req);
  ASSERT_OK(after.status());
  EXPECT_EQ(after->total_estimate, 0u);
}

TEST_F(PipelineTest, KilledRunLeavesThePublishedIndexAndTheNextRunCompletes) {
  ASSERT_EQ(RunInProcess().status, "ok");
  const fs::path published = CurrentGeneration(state_);
  const std::uint64_t before = Count("bredband");
  ASSERT_GT(before, 0u);
  const std::string doc = FirstSeminar();
  int round = 0;
  for (const char* point :
       {"ingest-file", "after-ingest", "after-analyze", "index-batch", "after-index", "before-publish"}) {
    SCOPED_TRACE(point);
    // Each round changes the corpus, so the run has work to do.
    Edit(doc, round == 0 ? "Moderator:" : "Bredbandsflodhästar" + std::to_string(round - 1),
         "Moderator: Bredbandsflodhästar" + std::to_string(round) + " är nya.\n\nModerator:");
    ++round;
    auto r = testing::RunCommand(RunCommandLine("SAMRAD_TEST_KILL_AT=" + std::string(point)));
    EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r.out << r.err;
    EXPECT_EQ(CurrentGeneration(state_), published);
    EXPECT_EQ(Count("bredband"), before);
    EXPECT_EQ(Count("bredbandsflodhästar0"), 0u);
  }
  auto r = testing::RunCommand(RunCommandLine());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(CurrentGeneration(state_), published);
  EXPECT_EQ(Count("bredbandsflodhästar" + std::to_string(round - 1)), 1u);  // the last round's word
  // The leftovers of the killed runs are gone: only published + kept generations.
  int gens = 0;
  for (const auto& e : fs::directory_iterator(state_)) {
    gens += e.path().filename().string().rfind("gen-", 0) == 0;
  }
  EXPECT_LE(gens, 3);
}

TEST_F(PipelineTest, SearchesDuringARunNeverFailAndNeverSeeAMix) {
  ASSERT_EQ(RunInProcess().status, "ok");
  const std::string doc = FirstSeminar();
  Edit(doc, "Moderator:", "Moderator: Kvarnstensgrodor finns här.\n\nModerator:");
  std::uint64_t old_total = 0;
  {
    auto s = index::Searcher::Open(state_, *analyzer_);
    ASSERT_OK(s.status());
    old_total = (*s)->PassageCount();
  }
  std::atomic<bool> done{false};
  std::atomic<int> searches{0}, failures{0}, mixed{0}, saw_new{0};
  std::thread reader([&] {
    auto s = index::Searcher::Open(state_, *analyzer_);
    if (!s.ok()) {
      ++failures;
      return;
    }
    index::SearchRequest req;
    req.query = "kvarnstensgrodor";
    while (!done) {
      if (!(*s)->Reopen().ok()) ++failures;
      auto a = (*s)->Search(req);
      const std::uint64_t passages = (*s)->PassageCount();
      if (!a.ok()) {
        ++failures;
        continue;
      }
      ++searches;
      // Old generation: no frog and the old passage count; new: one frog in
      // one more passage (the edit adds a speaker turn).
      const bool is_old = a->total_estimate == 0 && passages == old_total;
      const bool is_new = a->total_estimate == 1 && passages == old_total + 1;
      if (!is_old && !is_new) ++mixed;
      if (is_new) ++saw_new;
    }
  });
  auto r = testing::RunCommand(RunCommandLine());
  // Keep searching a moment after the switch.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  done = true;
  reader.join();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(searches.load(), 3);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(mixed.load(), 0);
  EXPECT_GT(saw_new.load(), 0);
}

// #11: a nightly run places the new and changed passages with the saved
// model; the other passages' analysis output, and so their index documents,
// stay as they were.
TEST_F(PipelineTest, NightlyRunIsIncrementalAndLeavesUnchangedPassagesAlone) {
  RunSummary first = RunInProcess();
  ASSERT_EQ(first.status, "ok") << first.error;
  EXPECT_EQ(first.analysis.mode, "full");
  EXPECT_EQ(first.analysis.reason, "no saved model");
  EXPECT_EQ(first.report_tokenised, static_cast<size_t>(first.passages));
  EXPECT_EQ(first.report_cached, 0u);
  const std::string doc = FirstSeminar();
  Edit(doc, "Moderator:", "Moderator: Kvarnstensgrodor finns här.\n\nModerator:");
  RunSummary second = RunInProcess();
  ASSERT_EQ(second.status, "ok") << second.error;
  EXPECT_EQ(second.analysis.mode, "incremental") << second.analysis.reason;
  EXPECT_GE(second.analysis.placed, 1);
  EXPECT_EQ(second.analysis.kept + second.analysis.placed, second.passages);
  EXPECT_GT(second.analysis.kept, second.passages / 2);
  // Only passages placed anew reach the index.
  EXPECT_GT(second.index_added + second.index_replaced, 0);
  EXPECT_LE(second.index_added + second.index_replaced, second.analysis.placed);
  EXPECT_EQ(Count("kvarnstensgrodor"), 1u);
  const auto j = nlohmann::json::parse(*ReadFile(second.summary_path));
  EXPECT_EQ(j["analysis"]["mode"], "incremental");
  EXPECT_EQ(j["analysis"]["placed"], second.analysis.placed);
  EXPECT_EQ(j["analysis"]["drift"]["fitted"], first.passages);
  // The reports tokenise only the new passage; the rest come from the scan
  // cache the first run left.
  EXPECT_GE(second.report_tokenised, 1u);
  EXPECT_LE(second.report_tokenised, static_cast<size_t>(second.analysis.placed));
  EXPECT_EQ(second.report_tokenised + second.report_cached, static_cast<size_t>(second.passages));
  EXPECT_EQ(j["report"]["cached"], second.report_cached);
  EXPECT_TRUE(j["warnings"].empty());
  // Each stage, in order, with the process' peak memory so far: positive,
  // never falling, and the total's is the last. Its CPU seconds are the
  // stage's own: the stages' add up to no more than the total's.
  std::vector<std::string> names;
  double last_peak = 0;
  double stages_cpu = 0;
  for (const auto& stage : j["stages"]) {
    names.push_back(stage["stage"].get<std::string>());
    const double peak = stage["peak_rss_mb"].get<double>();
    EXPECT_GT(peak, 0) << names.back();
    EXPECT_GE(peak, last_peak) << names.back();
    last_peak = peak;
    const double cpu = stage["cpu_seconds"].get<double>();
    EXPECT_GE(cpu, 0) << names.back();
    if (names.back() != "total") stages_cpu += cpu;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"ingest", "analyze", "index", "report", "publish", "total"}));
  const double total_cpu = j["stages"].back()["cpu_seconds"].get<double>();
  EXPECT_GT(total_cpu, 0);
  EXPECT_LE(stages_cpu, total_cpu + 1e-3);
}

TEST_F(PipelineTest, RefitFlagForcesAFullFitEvenWithNothingChanged) {
  ASSERT_EQ(RunInProcess().status, "ok");
  auto r = testing::RunCommand(RunCommandLine() + " --refit");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // Two summaries (names may tie to the second): the first run's and this one.
  int summaries = 0, refits = 0;
  for (const auto& e : fs::directory_iterator(state_ / "runs")) {
    const auto j = nlohmann::json::parse(*ReadFile(e.path()));
    ++summaries;
    EXPECT_EQ(j["status"], "ok");
    EXPECT_EQ(j["analysis"]["mode"], "full");
    refits += j["analysis"]["reason"].get<std::string>().find("--refit") != std::string::npos;
  }
  EXPECT_EQ(summaries, 2);
  EXPECT_EQ(refits, 1);
  // Without the flag and with nothing changed: no run at all.
  EXPECT_EQ(RunInProcess().status, "no_changes");
}

TEST_F(PipelineTest, SecondRunAtOnceRefusesWithItsOwnExitCode) {
  auto lock = StateLock::Acquire(state_);
  ASSERT_OK(lock.status());
  auto r = testing::RunCommand(RunCommandLine());
  EXPECT_EQ(r.exit_code, kRunBusy);
  EXPECT_NE(r.err.find("locked by another samrad run"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(state_ / "published"));
}

TEST_F(PipelineTest, StaleLockFromAKilledRunIsTakenOver) {
  ASSERT_OK(WriteFileAtomically(state_ / "lock", "999999\n"));  // a pid that is not running
  RunSummary r = RunInProcess();
  EXPECT_EQ(r.status, "ok") << r.error;
  EXPECT_TRUE(r.stale_lock_taken_over);
}

}  // namespace
}  // namespace samrad::pipeline
