#include "pipeline/pipeline.h"

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis/themes/themes.h"
#include "base/files.h"
#include "base/memory.h"
#include "base/publish.h"
#include "index/index.h"
#include "index/shards.h"
#include "ingest/ingest.h"
#include "pipeline/lock.h"
#include "reports/reports.h"

namespace samrad::pipeline {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

std::string UtcNow(const char* format) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

// Hash of everything a published generation is built from besides code: the
// ingested documents (their source hashes and metadata), the framework, the
// overrides and the synonyms; and the shard count when sharded.
Result<std::string> InputsHash(const RunOptions& o) {
  std::string all;
  for (const fs::path& p : {o.state_dir / "ingest" / "documents.jsonl", o.framework_path,
                            o.overrides_path, o.synonyms_path}) {
    if (p.empty()) {
      all += "-\n";
      continue;
    }
    Result<std::string> bytes = ReadFile(p);
    if (!bytes.ok()) return bytes.status();
    all += ContentHash(*bytes) + "\n";
  }
  if (o.shards > 0) all += "shards " + std::to_string(o.shards) + "\n";
  return ContentHash(all);
}

std::string PublishedInputsHash(const fs::path& state_dir) {
  const fs::path gen = CurrentGeneration(state_dir);
  if (gen.empty()) return "";
  Result<std::string> text = ReadFile(gen / "generation.json");
  if (!text.ok()) return "";
  const Json j = Json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.contains("inputs_hash")) return "";
  return j["inputs_hash"].get<std::string>();
}

Json SummaryJson(const RunSummary& s) {
  Json j;
  j["started"] = s.started;
  j["finished"] = s.finished;
  j["status"] = s.status;
  j["exit_code"] = s.exit_code;
  j["error"] = s.error;
  j["files"] = {{"new", s.files_new},         {"changed", s.files_changed},
                {"removed", s.files_removed}, {"unchanged", s.files_unchanged},
                {"failed", s.files_failed},   {"skipped", s.files_skipped}};
  j["passages"] = s.passages;
  j["analysis"] = {{"mode", s.analysis.mode},
                   {"reason", s.analysis.reason},
                   {"kept", s.analysis.kept},
                   {"placed", s.analysis.placed},
                   {"tokenised", s.analysis.tokenised},
                   {"reused", s.analysis.reused},
                   {"drift",
                    {{"fitted", s.analysis.fitted},
                     {"added", s.analysis.drift_added},
                     {"changed", s.analysis.drift_changed},
                     {"removed", s.analysis.drift_removed}}}};
  j["index"] = {{"added", s.index_added},
                {"replaced", s.index_replaced},
                {"deleted", s.index_deleted},
                {"bytes", s.index_bytes}};
  j["report"] = {{"tokenised", s.report_tokenised}, {"cached", s.report_cached}};
  j["warnings"] = s.warnings;
  j["generation"] = s.generation;
  j["stale_lock_taken_over"] = s.stale_lock_taken_over;
  Json stages = Json::array();
  for (const StageTime& t : s.stages) {
    // MB to one decimal: the figure, not the rounding noise of a double.
    stages.push_back({{"stage", t.stage},
                      {"seconds", t.seconds},
                      {"cpu_seconds", t.cpu_seconds},
                      {"peak_rss_mb", std::round(t.peak_rss_mb * 10) / 10}});
  }
  j["stages"] = std::move(stages);
  return j;
}

void WriteSummary(const RunOptions& o, RunSummary* s) {
  const fs::path dir = o.state_dir / "runs";
  std::string name = UtcNow("%Y%m%dT%H%M%SZ");
  fs::path path = dir / (name + ".json");
  std::error_code ec;
  for (int i = 2; fs::exists(path, ec); ++i) path = dir / (name + "-" + std::to_string(i) + ".json");
  s->summary_path = path;
  // A summary that cannot be written is reported on stderr; the run's own
  // outcome stands.
  Status w = WriteFileAtomically(path, SummaryJson(*s).dump(2) + "\n");
  if (!w.ok()) std::cerr << "samrad: run summary not written: " << w.message() << "\n";
}

// What the process has used so far: its peak resident memory in MB
// (ru_maxrss is in KiB on Linux) and the CPU seconds (user + system) of all
// its threads. Zeros when getrusage fails.
struct Usage {
  double peak_rss_mb = 0;
  double cpu_seconds = 0;
};
Usage ProcessUsage() {
  struct rusage u {};
  if (::getrusage(RUSAGE_SELF, &u) != 0) return {};
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return {static_cast<double>(u.ru_maxrss) / 1024.0, seconds(u.ru_utime) + seconds(u.ru_stime)};
}

// Wall and CPU time from its construction; Elapsed() adds the peak memory so far.
class StageClock {
 public:
  StageClock() : start_(Clock::now()), cpu_start_(ProcessUsage().cpu_seconds) {}
  StageTime Elapsed(std::string name) const {
    const Usage u = ProcessUsage();
    return {std::move(name), std::chrono::duration<double>(Clock::now() - start_).count(), u.peak_rss_mb,
            u.cpu_seconds - cpu_start_};
  }

 private:
  Clock::time_point start_;
  double cpu_start_;
};

// Adds the stage's StageTime to the summary when it goes out of scope.
class Stage {
 public:
  Stage(RunSummary* s, std::string name) : summary_(s), name_(std::move(name)) {}
  ~Stage() { summary_->stages.push_back(clock_.Elapsed(name_)); }

 private:
  RunSummary* summary_;
  std::string name_;
  StageClock clock_;
};

void Checkpoint(const RunOptions& o, std::string_view point) {
  if (o.checkpoint) o.checkpoint(point);
}

RunSummary Failed(const RunOptions& o, RunSummary s, const Status& status) {
  s.status = "failed";
  s.exit_code = status.code() == Status::Code::kBusy ? kRunBusy : kRunFailed;
  s.error = status.message();
  s.finished = UtcNow("%Y-%m-%dT%H:%M:%SZ");
  // A busy run must not touch the state it does not own, not even runs/.
  if (status.code() != Status::Code::kBusy) WriteSummary(o, &s);
  return s;
}

}  // namespace

std::string RunSummary::OneLine() const {
  std::ostringstream out;
  out << "samrad run: " << status;
  if (status == "no_changes") out << " (inga ändringar)";
  out << "; files new " << files_new << ", changed " << files_changed << ", removed " << files_removed
      << ", failed " << files_failed << ", unchanged " << files_unchanged << "; passages " << passages;
  if (!analysis.mode.empty()) out << "; analysis " << analysis.mode;
  if (!stages.empty()) {
    out << "; seconds";
    for (const StageTime& t : stages) {
      char buf[64];
      std::snprintf(buf, sizeof buf, " %s %.2f", t.stage.c_str(), t.seconds);
      out << buf;
    }
  }
  out << "; index " << index_bytes / 1024 << " KiB";
  if (!error.empty()) out << "; error: " << error;
  return out.str();
}

RunSummary Run(const RunOptions& o, const analysis::Analyzer& analyzer) {
  RunSummary s;
  s.started = UtcNow("%Y-%m-%dT%H:%M:%SZ");
  const StageClock total;
  Result<std::unique_ptr<StateLock>> lock = StateLock::Acquire(o.state_dir);
  if (!lock.ok()) return Failed(o, s, lock.status());
  s.stale_lock_taken_over = (*lock)->took_over_stale();

  // 2. Ingest.
  {
    Stage stage(&s, "ingest");
    std::set<std::string> before;
    if (Result<std::vector<Document>> prev = ingest::LoadDocuments(o.state_dir); prev.ok()) {
      for (const Document& d : *prev) before.insert(d.id);
    }
    ingest::IngestOptions io;
    io.corpus_dir = o.corpus_dir;
    io.state_dir = o.state_dir;
    if (o.checkpoint) io.progress = [&](size_t, size_t) { Checkpoint(o, "ingest-file"); };
    Result<ingest::IngestReport> r = ingest::Ingest(io);
    if (!r.ok()) return Failed(o, s, r.status());
    for (const ingest::FileReport& f : r->files) {
      if (f.status == "ingested") ++(before.count(f.path) ? s.files_changed : s.files_new);
      if (f.status == "unchanged") ++s.files_unchanged;
      if (f.status == "removed") ++s.files_removed;
      if (f.status == "failed") ++s.files_failed;
      if (f.status == "skipped") ++s.files_skipped;
    }
    s.passages = r->passages;
  }
  Checkpoint(o, "after-ingest");

  // 3. Nothing to do?
  Result<std::string> inputs = InputsHash(o);
  if (!inputs.ok()) return Failed(o, s, inputs.status());
  const fs::path current = CurrentGeneration(o.state_dir);
  if (!o.refit && !current.empty() && *inputs == PublishedInputsHash(o.state_dir)) {
    s.status = "no_changes";
    s.exit_code = s.files_failed > 0 ? kRunSomeFilesFailed : kRunOk;
    s.generation = current.filename().string();
    s.index_bytes = 0;
    s.finished = UtcNow("%Y-%m-%dT%H:%M:%SZ");
    s.stages.push_back(total.Elapsed("total"));
    WriteSummary(o, &s);
    return s;
  }

  // 4. Analyze.
  {
    Stage stage(&s, "analyze");
    themes::AnalyzeOptions ao;
    ao.state_dir = o.state_dir;
    ao.framework_path = o.framework_path;
    ao.overrides_path = o.overrides_path;
    ao.refit = o.refit;
    Result<themes::AnalyzeSummary> r = themes::Analyze(ao, analyzer);
    if (!r.ok()) return Failed(o, s, r.status());
    s.analysis = std::move(*r);
  }
  Checkpoint(o, "after-analyze");

  // 5. A new generation: index and reports.
  Result<fs::path> gen = NewGeneration(o.state_dir);
  if (!gen.ok()) return Failed(o, s, gen.status());
  auto abandon = [&](const Status& st) {
    std::error_code ec;
    fs::remove_all(*gen, ec);
    return Failed(o, s, st);
  };
  {
    Stage stage(&s, "index");
    index::IndexOptions io;
    io.state_dir = o.state_dir;
    io.db_dir = *gen / "index";
    io.synonyms_path = o.synonyms_path;
    std::error_code ec;
    if (!current.empty() && fs::is_directory(current / "index", ec)) io.base_db = current / "index";
    if (o.checkpoint) io.batch_written = [&] { Checkpoint(o, "index-batch"); };
    if (o.shards > 0) {
      io.db_dir = *gen / index::kShardsDirName;
      io.base_db.clear();
      if (!current.empty() && fs::is_directory(current / index::kShardsDirName, ec)) {
        io.base_db = current / index::kShardsDirName;
      }
    }
    Result<index::IndexSummary> r =
        o.shards > 0 ? index::BuildShardedIndex(io, o.shards, analyzer) : index::BuildIndex(io, analyzer);
    if (!r.ok()) return abandon(r.status());
    s.index_added = r->added;
    s.index_replaced = r->replaced;
    s.index_deleted = r->deleted;
    s.index_bytes = r->bytes;
    if (!r->rebuilt.empty()) s.warnings.push_back("index: built from scratch: " + r->rebuilt);
  }
  Checkpoint(o, "after-index");
  // The index stage's memory is freed but kept by the allocator (two
  // writers' threads, each with its own arena); hand it back before the
  // reports allocate theirs, so the run's peak is the larger stage, not
  // their sum.
  ReturnFreeMemory();
  // The reports after the index, not beside it (#11): the index build keeps
  // both cores busy (two writers, docs/index.md), so overlapping the two
  // saved no wall time at N=20,000 (index 90 s beside the reports' 57 s,
  // against ~68 + ~21 s one after the other) and the run's peak memory was
  // the sum of both stages' peaks.
  {
    Stage stage(&s, "report");
    reports::ReportOptions ro;
    ro.state_dir = o.state_dir;
    ro.out_dir = *gen / "reports";
    ro.framework_path = o.framework_path;
    Result<reports::ReportSummary> r = reports::WriteReports(ro, analyzer);
    if (!r.ok()) return abandon(r.status());
    s.report_tokenised = r->passages_tokenised;
    s.report_cached = r->passages_cached;
    if (!r->warning.empty()) s.warnings.push_back("report: " + r->warning);
  }
  Json manifest;
  manifest["inputs_hash"] = *inputs;
  manifest["built"] = s.started;
  if (Status w = WriteFileAtomically(*gen / "generation.json", manifest.dump(2) + "\n"); !w.ok()) {
    return abandon(w);
  }
  Checkpoint(o, "before-publish");

  // 6. Publish.
  {
    Stage stage(&s, "publish");
    Status p = PublishGeneration(o.state_dir, *gen);
    if (!p.ok()) return abandon(p);
    PruneGenerations(o.state_dir, 2);
  }
  s.generation = gen->filename().string();
  s.status = s.files_failed > 0 ? "ok_with_failures" : "ok";
  s.exit_code = s.files_failed > 0 ? kRunSomeFilesFailed : kRunOk;
  s.stages.push_back(total.Elapsed("total"));
  s.finished = UtcNow("%Y-%m-%dT%H:%M:%SZ");
  WriteSummary(o, &s);
  return s;
}

}  // namespace samrad::pipeline
