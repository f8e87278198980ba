// shard_latency_bench: query latency over a shard set against one index
// holding the same passages (issue #12, docs/scaling.md).
//
//   shard_latency_bench [--passages N] [--shards K] [--rounds R] [--work DIR] [--json]
//
// Steps:
//   1. Ingests and analyses the bundled corpus once into WORK/base (reused
//      when it is there).
//   2. Replicates it into WORK/state-N: copy c of every document and passage
//      gets ids prefixed "cNNN/", until at least N passages (default
//      100,000); the analysis (areas, themes) is copied along, so each copy
//      indexes exactly as the original.
//   3. Builds, timed, the single index (WORK/single-N) and K shards
//      (WORK/shards-N-K, default K = 3), reused when they are there.
//   4. Starts one xapian-tcpsrv per shard on 127.0.0.1 (free ports).
//   5. Runs the query set — the gold queries (corpus/gold/queries.jsonl),
//      each also with a sub-region filter and collapsed per document, and
//      broad queries (a common word; all passages of a sub-region) — over:
//        single   the single index, local;
//        local    the shard list of the K local shards;
//        remote   the K shards through xapian-tcpsrv on loopback;
//        shard-0  one shard alone, local (the per-shard figure scaling
//                 estimates start from).
//      One untimed warm-up round, then R timed rounds (default 5); facets on,
//      first page of 10 hits, as the search page asks.
//   6. Prints p50, p90, p99, mean and max in milliseconds per setup, build
//      times and index sizes (--json: one JSON object).
// No timing is asserted anywhere.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "analysis/themes/themes.h"
#include "base/files.h"
#include "index/index.h"
#include "index/shards.h"
#include "ingest/ingest.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;
using namespace samrad;

double Seconds(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "shard_latency_bench: %s\n", what.c_str());
  return 1;
}

std::uintmax_t DirBytes(const fs::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

// Writes `copies` copies of a JSON Lines file, prefixing the id fields.
Status Replicate(const fs::path& in, const fs::path& out, int copies,
                 const std::vector<const char*>& fields) {
  Result<std::string> text = ReadFile(in);
  if (!text.ok()) return text.status();
  std::vector<Json> lines;
  size_t start = 0;
  while (start < text->size()) {
    size_t end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    if (end > start) lines.push_back(Json::parse(text->substr(start, end - start)));
    start = end + 1;
  }
  std::string all;
  for (int c = 0; c < copies; ++c) {
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "c%03d/", c);
    for (Json j : lines) {
      for (const char* f : fields) {
        if (j.contains(f) && j[f].is_string()) j[f] = prefix + j[f].get<std::string>();
      }
      all += j.dump() + "\n";
    }
  }
  return WriteFileAtomically(out, all);
}

int PassagesIn(const fs::path& state) {
  Result<std::string> text = ReadFile(state / "ingest" / "passages.jsonl");
  return text.ok() ? static_cast<int>(std::count(text->begin(), text->end(), '\n')) : 0;
}

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  ::close(fd);
  return port;
}

bool Accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// xapian-tcpsrv over one database, in its own process group.
struct Server {
  pid_t pid = -1;
  int port = 0;
  ~Server() {
    if (pid > 0) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  bool Start(const fs::path& db) {
    for (int attempt = 0; attempt < 5; ++attempt) {
      port = FreePort();
      pid = ::fork();
      if (pid == 0) {
        ::setpgid(0, 0);
        const std::string p = std::to_string(port);
        ::freopen("/dev/null", "w", stdout);
        ::freopen("/dev/null", "w", stderr);
        ::execlp("xapian-tcpsrv", "xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port",
                 p.c_str(), db.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
      }
      ::setpgid(pid, pid);
      for (int i = 0; i < 500; ++i) {
        if (Accepts(port)) return true;
        if (::waitpid(pid, nullptr, WNOHANG) == pid) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      pid = -1;
    }
    return false;
  }
};

struct Stats {
  size_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
};

// Nearest-rank percentiles.
Stats Summarise(std::vector<double> ms) {
  Stats s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  auto rank = [&](double p) {
    size_t r = static_cast<size_t>(p * static_cast<double>(ms.size()) + 0.999999);
    return ms[std::min(ms.size(), std::max<size_t>(r, 1)) - 1];
  };
  s.count = ms.size();
  for (double v : ms) s.mean += v;
  s.mean /= static_cast<double>(ms.size());
  s.p50 = rank(0.50);
  s.p90 = rank(0.90);
  s.p99 = rank(0.99);
  s.max = ms.back();
  return s;
}

std::vector<index::SearchRequest> QuerySet() {
  std::vector<index::SearchRequest> out;
  std::ifstream in(fs::path(SAMRAD_SOURCE_DIR) / "corpus/gold/queries.jsonl");
  std::string line;
  const char* kRegions[] = {"Skaraborg", "Fyrbodal", "Sjuhärad", "Göteborgsregionen"};
  size_t i = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    index::SearchRequest r;
    r.query = nlohmann::json::parse(line)["query"].get<std::string>();
    out.push_back(r);
    index::SearchRequest filtered = r;
    filtered.regions = {kRegions[i++ % 4]};
    out.push_back(filtered);
    index::SearchRequest collapsed = r;
    collapsed.per_document = true;
    out.push_back(collapsed);
  }
  for (const char* q : {"kollektivtrafik", "kompetens", "bostäder", "klimat"}) {
    index::SearchRequest r;
    r.query = q;
    out.push_back(r);
  }
  for (const char* region : kRegions) {
    index::SearchRequest r;
    r.regions = {region};
    out.push_back(r);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int passages = 100000, shards = 3, rounds = 5;
  fs::path work = fs::temp_directory_path() / "samrad-shard-bench";
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--passages") {
      passages = std::atoi(next().c_str());
    } else if (a == "--shards") {
      shards = std::atoi(next().c_str());
    } else if (a == "--rounds") {
      rounds = std::atoi(next().c_str());
    } else if (a == "--work") {
      work = next();
    } else if (a == "--json") {
      json = true;
    } else {
      std::fprintf(stderr,
                   "usage: shard_latency_bench [--passages N] [--shards K] [--rounds R] [--work "
                   "DIR] [--json]\n");
      return 2;
    }
  }
  if (passages < 1 || shards < 1 || shards > index::kMaxShards || rounds < 1)
    return Fail("bad arguments");
  auto analyzer = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
  if (!analyzer.ok()) return Fail(analyzer.status().ToString());

  // 1. The bundled corpus, ingested and analysed.
  const fs::path base = work / "base";
  if (!fs::exists(base / "analysis" / "themes.json")) {
    ingest::IngestOptions io;
    io.corpus_dir = fs::path(SAMRAD_SOURCE_DIR) / "corpus/documents";
    io.state_dir = base;
    if (auto r = ingest::Ingest(io); !r.ok()) return Fail(r.status().ToString());
    themes::AnalyzeOptions ao;
    ao.state_dir = base;
    ao.framework_path = fs::path(SAMRAD_SOURCE_DIR) / "corpus/framework/vg2030.json";
    if (auto r = themes::Analyze(ao, **analyzer); !r.ok()) return Fail(r.status().ToString());
  }
  // 2. Replicated to N passages.
  const int per_copy = PassagesIn(base);
  if (per_copy == 0) return Fail("no passages in " + base.string());
  const int copies = (passages + per_copy - 1) / per_copy;
  const std::string n = std::to_string(copies * per_copy);
  const fs::path state = work / ("state-" + n);
  if (!fs::exists(state / "analysis" / "themes.json")) {
    fs::create_directories(state / "ingest");
    fs::create_directories(state / "analysis");
    for (const Status& s :
         {Replicate(base / "ingest/documents.jsonl", state / "ingest/documents.jsonl", copies,
                    {"id"}),
          Replicate(base / "ingest/passages.jsonl", state / "ingest/passages.jsonl", copies,
                    {"id", "doc_id"}),
          Replicate(base / "analysis/passages.jsonl", state / "analysis/passages.jsonl", copies,
                    {"id", "doc_id"})}) {
      if (!s.ok()) return Fail(s.ToString());
    }
    fs::copy_file(base / "analysis/themes.json", state / "analysis/themes.json",
                  fs::copy_options::overwrite_existing);
  }
  // 3. The single index and the shards.
  const fs::path single = work / ("single-" + n);
  const fs::path sharded = work / ("shards-" + n + "-" + std::to_string(shards));
  double single_build = 0, sharded_build = 0;
  if (!fs::exists(single)) {
    index::IndexOptions o;
    o.state_dir = state;
    o.db_dir = single;
    const auto t0 = Clock::now();
    if (auto r = index::BuildIndex(o, **analyzer); !r.ok()) return Fail(r.status().ToString());
    single_build = Seconds(t0);
  }
  if (!fs::exists(sharded)) {
    index::IndexOptions o;
    o.state_dir = state;
    o.db_dir = sharded;
    const auto t0 = Clock::now();
    if (auto r = index::BuildShardedIndex(o, shards, **analyzer); !r.ok())
      return Fail(r.status().ToString());
    sharded_build = Seconds(t0);
  }
  // 4. One server per shard, and the list naming them.
  std::vector<std::unique_ptr<Server>> servers;
  index::ShardList remote;
  for (int k = 0; k < shards; ++k) {
    auto s = std::make_unique<Server>();
    if (!s->Start(sharded / ("shard-" + std::to_string(k))))
      return Fail("cannot start xapian-tcpsrv");
    index::ShardEntry e;
    e.name = "shard-" + std::to_string(k);
    e.host = "127.0.0.1";
    e.port = s->port;
    remote.shards.push_back(e);
    servers.push_back(std::move(s));
  }
  const fs::path remote_list = work / ("remote-" + n + "-" + std::to_string(shards) + ".json");
  if (Status s = WriteFileAtomically(remote_list, index::ShardListJson(remote)); !s.ok())
    return Fail(s.ToString());

  // 5. The query set over each setup.
  const std::vector<index::SearchRequest> queries = QuerySet();
  const std::vector<std::pair<std::string, fs::path>> setups = {
      {"single", single},
      {"local", sharded / index::kShardListName},
      {"remote", remote_list},
      {"shard-0", sharded / "shard-0"},
  };
  Json out;
  out["passages"] = copies * per_copy;
  out["shards"] = shards;
  out["queries"] = queries.size();
  out["rounds"] = rounds;
  out["build_seconds"] = {{"single", single_build}, {"sharded", sharded_build}};
  out["bytes"] = {{"single", DirBytes(single)},
                  {"sharded", DirBytes(sharded)},
                  {"shard-0", DirBytes(sharded / "shard-0")}};
  Json lat = Json::object();
  for (const auto& [name, path] : setups) {
    auto searcher = index::Searcher::Open(path, **analyzer);
    if (!searcher.ok()) return Fail(name + ": " + searcher.status().ToString());
    for (const auto& q : queries) {
      if (auto r = (*searcher)->Search(q); !r.ok())
        return Fail(name + ": " + r.status().ToString());
    }
    std::vector<double> ms;
    for (int round = 0; round < rounds; ++round) {
      for (const auto& q : queries) {
        const auto t0 = Clock::now();
        auto r = (*searcher)->Search(q);
        ms.push_back(Seconds(t0) * 1000);
        if (!r.ok()) return Fail(name + ": " + r.status().ToString());
      }
    }
    const Stats s = Summarise(ms);
    lat[name] = {{"count", s.count}, {"mean", s.mean}, {"p50", s.p50},
                 {"p90", s.p90},     {"p99", s.p99},   {"max", s.max}};
  }
  out["latency_ms"] = lat;
  if (json) {
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("%d passages, %d shards, %zu queries x %d rounds (facets on, 10 hits)\n",
              copies * per_copy, shards, queries.size(), rounds);
  if (single_build > 0 || sharded_build > 0) {
    std::printf("build: single %.1f s, %d shards in parallel %.1f s\n", single_build, shards,
                sharded_build);
  }
  std::printf("size: single %.1f MiB, shards %.1f MiB, shard-0 %.1f MiB\n",
              static_cast<double>(DirBytes(single)) / (1 << 20),
              static_cast<double>(DirBytes(sharded)) / (1 << 20),
              static_cast<double>(DirBytes(sharded / "shard-0")) / (1 << 20));
  std::printf("%-8s %8s %8s %8s %8s %8s\n", "setup", "p50", "p90", "p99", "mean", "max");
  for (const auto& [name, path] : setups) {
    const Json& s = lat[name];
    std::printf("%-8s %8.2f %8.2f %8.2f %8.2f %8.2f\n", name.c_str(), s["p50"].get<double>(),
                s["p90"].get<double>(), s["p99"].get<double>(), s["mean"].get<double>(),
                s["max"].get<double>());
  }
  return 0;
}
