// index_bench: the index stage alone, over an existing state directory.
//
//   index_bench STATE OUT_DIR [--base DB] [--shards N] [--parts N]
//
// Runs index::BuildIndex (or BuildShardedIndex with --shards) on the ingested
// and analysed passages of STATE (made by `samrad run`), writing a new
// database at OUT_DIR (must not exist). With --base the build is incremental
// from that index, as the nightly run does. --parts sets IndexOptions::parts
// (how many databases a build from scratch writes at once before merging
// them). Nothing is published.
//
// Prints one JSON object: wall and CPU seconds (the machine is shared, so CPU
// seconds are the steadier figure), what the build did and the size on disk.
// Analyzer::Create is timed apart and not part of "wall".
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "analysis/analysis.h"
#include "index/index.h"
#include "index/shards.h"

namespace {

using Clock = std::chrono::steady_clock;

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: index_bench STATE OUT_DIR [--base DB] [--shards N] [--parts N]\n");
    return 2;
  }
  samrad::index::IndexOptions o;
  o.state_dir = argv[1];
  o.db_dir = argv[2];
  int shards = 0;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--base") {
      o.base_db = argv[i + 1];
    } else if (flag == "--shards") {
      shards = std::atoi(argv[i + 1]);
    } else if (flag == "--parts") {
      o.parts = std::atoi(argv[i + 1]);
    } else {
      std::fprintf(stderr, "index_bench: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  auto t = Clock::now();
  auto analyzer = samrad::analysis::Analyzer::Create(samrad::analysis::AnalyzerOptions{});
  if (!analyzer.ok()) {
    std::fprintf(stderr, "index_bench: %s\n", analyzer.status().ToString().c_str());
    return 1;
  }
  const double create_s = std::chrono::duration<double>(Clock::now() - t).count();
  const double cpu0 = CpuSeconds();
  t = Clock::now();
  auto r = shards > 0 ? samrad::index::BuildShardedIndex(o, shards, **analyzer)
                      : samrad::index::BuildIndex(o, **analyzer);
  const double wall = std::chrono::duration<double>(Clock::now() - t).count();
  const double cpu = CpuSeconds() - cpu0;
  if (!r.ok()) {
    std::fprintf(stderr, "index_bench: %s\n", r.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "{\"analyzer_create\": %.3f, \"wall\": %.3f, \"cpu\": %.3f, \"passages\": %d, \"added\": %d, "
      "\"replaced\": %d, \"rethemed\": %d, \"deleted\": %d, \"unchanged\": %d, \"bytes\": %ju}\n",
      create_s, wall, cpu, r->passages, r->added, r->replaced, r->rethemed, r->deleted, r->unchanged,
      static_cast<std::uintmax_t>(r->bytes));
  return 0;
}
