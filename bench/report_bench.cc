// report_bench: the report stage alone, phase by phase (#11).
//
//   report_bench --state DIR [--framework FILE] [--scan-cache FILE]
//
// With --scan-cache, phases 3 and 4 read and rewrite that scan cache
// (reports/scan_cache.h): run twice to time a run whose passages are all in
// it, as a nightly run's nearly all are.
//
// Over a state directory made by `samrad run` (or ingest + analyze), prints
// for each phase its wall and CPU seconds and the process's resident memory
// after it (VmRSS) and at its peak so far (VmHWM), and the phase's own peaks
// of the heap (RssAnon) and of mapped files such as the spill file (RssFile +
// RssShmem), sampled every 20 ms:
//   1. Analyzer::Create (what `samrad report` pays; the pipeline shares the
//      analyze stage's analyzer, its word memo warm);
//   2. LoadInputs: documents, passages and the theme model from the state;
//   3. BuildTermIndex: every passage tokenised once, with what it holds;
//   4. BuildReports: all topics (it builds its own term index again, so
//      this line includes phase 3's work once more);
//   5. rendering Markdown, HTML and JSON (not written).
// Nothing is timed in a test; this program only prints.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "analysis/analysis.h"
#include "reports/build.h"
#include "reports/render.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace r = samrad::reports::internal;

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// A memory line ("VmRSS", "RssAnon", ...) of /proc/self/status, in MB.
double StatusMb(const std::string& key) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + ":", 0) == 0) return std::strtod(line.c_str() + key.size() + 1, nullptr) / 1024.0;
  }
  return 0;
}

// The kernel keeps one peak (VmHWM) for all resident memory; the heap's and
// the mapped files' own peaks are sampled every 20 ms on a thread.
class PeakSampler {
 public:
  PeakSampler() : thread_([this] { Run(); }) {}
  ~PeakSampler() {
    stop_ = true;
    thread_.join();
  }
  // The peaks since the last call, then starts again.
  std::pair<double, double> TakePeaks() {
    std::lock_guard<std::mutex> lock(mu_);
    Sample();
    const std::pair<double, double> peaks = {heap_, file_};
    heap_ = file_ = 0;
    return peaks;
  }

 private:
  void Sample() {
    heap_ = std::max(heap_, StatusMb("RssAnon"));
    file_ = std::max(file_, StatusMb("RssFile") + StatusMb("RssShmem"));
  }
  void Run() {
    while (!stop_) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        Sample();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  std::mutex mu_;
  double heap_ = 0, file_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

PeakSampler* sampler = nullptr;

struct Phase {
  const char* name;
  Clock::time_point wall = Clock::now();
  double cpu = CpuSeconds();
  ~Phase() {
    const auto [heap, file] = sampler->TakePeaks();
    std::printf("%-16s wall %8.2f s  cpu %8.2f s  rss %5.0f MB  peak %5.0f MB (sampled: heap %.0f, files %.0f)\n",
                name, std::chrono::duration<double>(Clock::now() - wall).count(), CpuSeconds() - cpu,
                StatusMb("VmRSS"), StatusMb("VmHWM"), heap, file);
    std::fflush(stdout);
  }
};

int Usage() {
  std::fprintf(stderr, "usage: report_bench --state DIR [--framework FILE] [--scan-cache FILE]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string state, scan_cache, framework = std::string(SAMRAD_SOURCE_DIR) + "/corpus/framework/vg2030.json";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--state" && i + 1 < argc) {
      state = argv[++i];
    } else if (a == "--scan-cache" && i + 1 < argc) {
      scan_cache = argv[++i];
    } else if (a == "--framework" && i + 1 < argc) {
      framework = argv[++i];
    } else {
      return Usage();
    }
  }
  if (state.empty()) return Usage();
  PeakSampler peaks;
  sampler = &peaks;

  std::unique_ptr<samrad::analysis::Analyzer> analyzer;
  {
    Phase p{"analyzer"};
    auto a = samrad::analysis::Analyzer::Create(samrad::analysis::AnalyzerOptions{});
    if (!a.ok()) {
      std::fprintf(stderr, "%s\n", a.status().ToString().c_str());
      return 1;
    }
    analyzer = std::move(*a);
  }
  samrad::Result<r::Inputs> inputs = samrad::Status::Internal("not loaded");
  {
    Phase p{"load"};
    inputs = r::LoadInputs(state, framework);
    if (!inputs.ok()) {
      std::fprintf(stderr, "%s\n", inputs.status().ToString().c_str());
      return 1;
    }
  }
  std::printf("passages %zu (%.0f MB), documents %zu\n", inputs->passages.size(),
              inputs->passages.MemoryBytes() / 1e6, inputs->documents.size());
  {
    Phase p{"term index"};
    r::ScanCacheUse use;
    use.path = scan_cache;
    const r::TermIndex x = r::BuildTermIndex(inputs->passages, *analyzer, &use);
    std::printf("passages tokenised %zu, from the scan cache %zu%s\n", use.scanned, use.reused,
                use.written.ok() ? "" : (", cache not written: " + use.written.ToString()).c_str());
    std::printf("terms %zu, occurrences %zu (%.0f MB), vector entries %zu (%.0f MB), stance marks %.0f MB, "
                "sentences %.0f MB, phrase tokens %zu, phrase words %zu, phrase tokens total ~%.0f MB\n",
                x.terms.size(), x.occurrences.elements(), x.occurrences.MemoryBytes() / 1e6, x.vectors.elements(),
                x.vectors.MemoryBytes() / 1e6, x.stance.MemoryBytes() / 1e6, x.sentences.MemoryBytes() / 1e6,
                x.phrase_tokens.passages.elements(), x.phrase_tokens.words.size(),
                x.phrase_tokens.MemoryBytes() / 1e6);
  }
  samrad::Result<r::Built> built = samrad::Status::Internal("not built");
  {
    Phase p{"build reports"};
    built = r::BuildReports(*inputs, *analyzer, "", "", r::MethodOptions{}, scan_cache);
    if (!built.ok()) {
      std::fprintf(stderr, "%s\n", built.status().ToString().c_str());
      return 1;
    }
  }
  {
    Phase p{"render"};
    size_t bytes = 0;
    const r::Overview& ov = built->overview;
    bytes += r::OverviewMarkdown(ov).size() + r::OverviewHtml(ov).size() + r::OverviewJson(ov).size();
    for (const r::TopicReport& t : built->areas) {
      bytes += r::AreaMarkdown(t, ov).size() + r::AreaHtml(t, ov).size() + r::AreaJson(t, ov).size();
    }
    bytes += r::ThemesMarkdown(built->themes, ov).size() + r::ThemesHtml(built->themes, ov).size() +
             r::ThemesJson(built->themes, ov).size();
    std::printf("rendered %zu bytes\n", bytes);
  }
  return 0;
}
