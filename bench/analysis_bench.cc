// analysis_bench: throughput of samrad's Swedish analysis chain.
//
//   analysis_bench [--min-mb N] [FOLDER]
//
// Reads every *.md and *.txt file under FOLDER (default: the bundled
// corpus/documents), repeats the documents until they add up to at least N
// MB (default 50), then, single-threaded:
//   1. Analyzer::Tokenize over every document: ICU word breaks, the Swedish
//      token rules, normalisation, Snowball stemming, stop words and
//      decompounding (memoised per word, as in production);
//   2. for reference, Xapian's own TermGenerator (Swedish stemmer,
//      STEM_SOME) indexing the same documents into a Xapian::Document,
//      which is what plain Xapian indexing costs per byte.
// It prints bytes, tokens, wall and CPU seconds, and tokens/s and MB/s per
// CPU second (MB = 10^6 bytes): the benchmark is single-threaded, so CPU time
// is the work done even on a busy machine. Figures are in docs/analysis.md.
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "analysis/analysis.h"
#include "base/files.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Wall and CPU time of one measured step.
struct Timer {
  Clock::time_point wall = Clock::now();
  std::clock_t cpu = std::clock();
  double WallSeconds() const { return Seconds(wall, Clock::now()); }
  double CpuSeconds() const { return static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC; }
};

void Report(const char* what, size_t bytes, size_t tokens, const Timer& t) {
  double wall = t.WallSeconds(), cpu = t.CpuSeconds();
  std::printf("%-28s %7.1f MB %10zu tokens %6.2f s wall %6.2f s cpu %9.0f tokens/s %6.1f MB/s\n",
              what, static_cast<double>(bytes) / 1e6, tokens, wall, cpu,
              static_cast<double>(tokens) / cpu, static_cast<double>(bytes) / 1e6 / cpu);
}

}  // namespace

int main(int argc, char** argv) {
  fs::path folder = fs::path(SAMRAD_SOURCE_DIR) / "corpus" / "documents";
  double min_mb = 50;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--min-mb" && i + 1 < argc) {
      min_mb = std::atof(argv[++i]);
    } else if (arg == "-h" || arg == "--help") {
      std::printf("usage: analysis_bench [--min-mb N] [FOLDER]\n");
      return 0;
    } else {
      folder = arg;
    }
  }

  std::vector<fs::path> paths;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string ext = it->path().extension().string();
    if (ext == ".md" || ext == ".txt") paths.push_back(it->path());
  }
  if (ec) {
    std::fprintf(stderr, "analysis_bench: %s: %s\n", folder.c_str(), ec.message().c_str());
    return 1;
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> unique;
  size_t unique_bytes = 0;
  for (const fs::path& p : paths) {
    samrad::Result<std::string> text = samrad::ReadFile(p);
    if (!text.ok()) {
      std::fprintf(stderr, "analysis_bench: %s\n", text.status().ToString().c_str());
      return 1;
    }
    unique_bytes += text->size();
    unique.push_back(std::move(*text));
  }
  if (unique_bytes == 0) {
    std::fprintf(stderr, "analysis_bench: no .md or .txt text under %s\n", folder.c_str());
    return 1;
  }
  // Repeat the documents (pointers, not copies) up to the target size.
  std::vector<const std::string*> docs;
  size_t bytes = 0;
  while (static_cast<double>(bytes) < min_mb * 1e6) {
    for (const std::string& d : unique) {
      docs.push_back(&d);
      bytes += d.size();
    }
  }
  std::printf("corpus: %zu files, %.2f MB, repeated %zu times to %.1f MB\n", unique.size(),
              static_cast<double>(unique_bytes) / 1e6, docs.size() / unique.size(),
              static_cast<double>(bytes) / 1e6);

  Timer load;
  samrad::Result<std::unique_ptr<samrad::analysis::Analyzer>> analyzer =
      samrad::analysis::Analyzer::Create(samrad::analysis::AnalyzerOptions{});
  if (!analyzer.ok()) {
    std::fprintf(stderr, "analysis_bench: %s\n", analyzer.status().ToString().c_str());
    return 1;
  }
  std::printf("Analyzer::Create (word lists): %.2f s wall, %.2f s cpu\n", load.WallSeconds(),
              load.CpuSeconds());

  // 1. samrad's chain.
  size_t tokens = 0, parts = 0;
  Timer chain;
  for (const std::string* d : docs) {
    std::vector<samrad::analysis::Token> t = (*analyzer)->Tokenize(*d);
    tokens += t.size();
    for (const auto& tok : t) parts += tok.parts.size();
  }
  double s1 = chain.CpuSeconds();
  Report("samrad Tokenize (full)", bytes, tokens, chain);
  std::printf("  (%zu compound parts)\n", parts);

  // The first pass over the unique documents, with an empty word memo.
  {
    samrad::analysis::AnalyzerOptions o;
    samrad::Result<std::unique_ptr<samrad::analysis::Analyzer>> cold =
        samrad::analysis::Analyzer::Create(o);
    size_t n = 0;
    Timer first;
    for (const std::string& d : unique) n += (*cold)->Tokenize(d).size();
    Report("samrad Tokenize (cold memo)", unique_bytes, n, first);
    // The same documents on a new thread, whose own memo is empty, with the
    // shared memo as the first pass left it: a later stage of `samrad run`
    // (#11, docs/analysis.md).
    const samrad::analysis::Analyzer::MemoStats memo = (*cold)->SharedMemoStats();
    (*cold)->ReleaseThreadMemo();
    Timer shared;
    std::thread([&] {
      n = 0;
      for (const std::string& d : unique) n += (*cold)->Tokenize(d).size();
    }).join();
    Report("samrad Tokenize (shared memo)", unique_bytes, n, shared);
    std::printf("  (shared memo: %zu words, %.1f MB, %.0f bytes a word)\n", memo.words,
                static_cast<double>(memo.bytes) / 1e6,
                memo.words > 0 ? static_cast<double>(memo.bytes) / static_cast<double>(memo.words) : 0.0);
  }

  // 2. Xapian's TermGenerator, for reference.
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("swedish"));
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  size_t terms = 0;
  Timer xapian;
  for (const std::string* d : docs) {
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(*d);
    terms += doc.termlist_count();
  }
  double s2 = xapian.CpuSeconds();
  // TermGenerator reports no token count; use ours for a comparable rate.
  Report("Xapian TermGenerator", bytes, tokens, xapian);
  std::printf("  (%zu distinct terms per document, summed)\n", terms);
  std::printf("samrad / Xapian CPU time: %.2f\n", s1 / s2);
  return 0;
}
