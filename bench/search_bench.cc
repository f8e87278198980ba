// search_bench: query latency of samrad's searcher over a fixed query set.
//
//   search_bench INDEX_OR_STATE_DIR [--queries FILE] [--rounds N] [--json]
//                [--facet-exact-limit N] [--facet-sample N]
//
// Opens the index with index::Searcher (a state directory means its published
// index) and runs a fixed set of queries, the way `samrad search` and the
// search page do: facets on (every search counts the five facets, exactly up
// to --facet-exact-limit matches, and from a sample of about --facet-sample
// matches above it; defaults: SearcherOptions'), the first page of 10 hits
// with snippets and citations.
//
// The query set, built from FILE (default: the bundled corpus's gold queries,
// corpus/gold/queries.jsonl), in five groups:
//   gold      each gold query as it is;
//   filtered  each gold query with one filter from the command-line flags
//             (--region, --actor, --kind, --from/--to), the filter cycling
//             over the query set;
//   fielded   each gold query with a field typed in the query text
//             ("typ:remiss", "delregion:Skaraborg", "aktör:kommun", a date
//             range), cycling likewise;
//   collapse  each gold query with --per-document;
//   broad     single common words and empty queries with a filter (all
//             passages of a sub-region): the most matches, so the most work
//             for the facet counts.
// Steps:
//   1. one untimed warm-up round over the whole set (the operating system's
//      page cache and Xapian's block cache: what a server that has been up a
//      while sees);
//   2. N timed rounds (default 5); each query's latency is the wall time of
//      one Searcher::Search call;
//   3. prints count, mean, p50, p90, p99 and max in milliseconds for each
//      group and for all queries together (--json: one JSON object);
//   4. lists the queries whose facets were approximate, each with its
//      matches, the sample its counts came from, and how far the counts are
//      from exact ones (a second, untimed search with no limit): the largest
//      error of a count, relative to the number of matches, and of a count
//      of at least 1 % of the matches, relative to that count.
// No timing is asserted anywhere: the figures are for bench/README.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "base/files.h"
#include "index/index.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using samrad::index::SearchRequest;

struct Query {
  std::string group;
  SearchRequest request;
};

std::string Describe(const SearchRequest& r) {
  std::string s = "\"" + r.query + "\"";
  for (const auto& x : r.regions) s += " --region " + x;
  for (const auto& x : r.actors) s += " --actor " + x;
  for (const auto& x : r.kinds) s += " --kind " + x;
  if (!r.from.empty()) s += " --from " + r.from;
  if (!r.to.empty()) s += " --to " + r.to;
  if (r.per_document) s += " --per-document";
  return s;
}

std::vector<Query> BuildQueries(const std::vector<std::string>& gold) {
  std::vector<Query> out;
  for (const std::string& q : gold) {
    SearchRequest r;
    r.query = q;
    out.push_back({"gold", r});
  }
  for (size_t i = 0; i < gold.size(); ++i) {
    SearchRequest r;
    r.query = gold[i];
    switch (i % 4) {
      case 0: r.regions = {"Skaraborg"}; break;
      case 1: r.actors = {"kommun"}; break;
      case 2: r.kinds = {"remiss"}; break;
      default: r.from = "2019-03-01"; r.to = "2019-12-31"; break;
    }
    out.push_back({"filtered", r});
  }
  const char* fields[] = {"typ:remiss", "delregion:Skaraborg", "aktör:kommun", "2019-01-01..2019-06-30"};
  for (size_t i = 0; i < gold.size(); ++i) {
    SearchRequest r;
    r.query = gold[i] + " " + fields[i % 4];
    out.push_back({"fielded", r});
  }
  for (const std::string& q : gold) {
    SearchRequest r;
    r.query = q;
    r.per_document = true;
    out.push_back({"collapse", r});
  }
  for (const char* w : {"regionen", "kompetens", "bostäder", "kollektivtrafik", "samverkan", "klimat",
                        "utbildning", "näringsliv"}) {
    SearchRequest r;
    r.query = w;
    out.push_back({"broad", r});
  }
  for (const char* region : {"Skaraborg", "Fyrbodal"}) {
    SearchRequest r;
    r.regions = {region};
    out.push_back({"broad", r});
  }
  return out;
}

struct Stats {
  size_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
};

// Nearest-rank percentiles of the sorted sample.
Stats Summarise(std::vector<double> ms) {
  Stats s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  auto rank = [&](double p) {
    size_t k = static_cast<size_t>(p * static_cast<double>(ms.size()) + 0.999999);
    return ms[std::clamp<size_t>(k, 1, ms.size()) - 1];
  };
  s.count = ms.size();
  double sum = 0;
  for (double x : ms) sum += x;
  s.mean = sum / static_cast<double>(ms.size());
  s.p50 = rank(0.50);
  s.p90 = rank(0.90);
  s.p99 = rank(0.99);
  s.max = ms.back();
  return s;
}

using FacetCounts = std::map<std::string, std::map<std::string, std::uint64_t>>;

// A query whose facets were counted from a sample, and how far off they were.
struct Approximate {
  std::string group;
  std::string query;
  std::uint64_t matches = 0;
  std::uint64_t sample = 0;
  double max_error_of_matches = 0;  // max |estimate - exact| / matches
  double max_error_of_count = 0;    // max |estimate - exact| / exact, over exact >= 1 % of matches
  FacetCounts estimate;
  SearchRequest request;
};

void CompareFacets(const FacetCounts& estimate, const FacetCounts& exact, std::uint64_t matches, Approximate* a) {
  auto count = [](const FacetCounts& f, const std::string& facet, const std::string& value) -> double {
    auto it = f.find(facet);
    if (it == f.end()) return 0;
    auto v = it->second.find(value);
    return v == it->second.end() ? 0 : static_cast<double>(v->second);
  };
  const double m = static_cast<double>(std::max<std::uint64_t>(matches, 1));
  for (const FacetCounts* side : {&estimate, &exact}) {
    for (const auto& [facet, values] : *side) {
      for (const auto& [value, n] : values) {
        const double est = count(estimate, facet, value), ex = count(exact, facet, value);
        const double err = est > ex ? est - ex : ex - est;
        a->max_error_of_matches = std::max(a->max_error_of_matches, err / m);
        if (ex >= 0.01 * m) a->max_error_of_count = std::max(a->max_error_of_count, err / ex);
      }
    }
  }
}

int Usage() {
  std::fprintf(stderr,
               "usage: search_bench INDEX_OR_STATE_DIR [--queries FILE] [--rounds N] [--json] "
               "[--facet-exact-limit N] [--facet-sample N] [--slowest K] [--spelling-below N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path db;
  fs::path queries_path = fs::path(SAMRAD_SOURCE_DIR) / "corpus" / "gold" / "queries.jsonl";
  int rounds = 5;
  bool json = false;
  int show_slowest = 0;  // --slowest K: the K queries with the highest median, with their matches
  samrad::index::SearcherOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--queries" && i + 1 < argc) {
      queries_path = argv[++i];
    } else if (a == "--rounds" && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
      if (rounds < 1) return Usage();
    } else if (a == "--json") {
      json = true;
    } else if (a == "--slowest" && i + 1 < argc) {
      show_slowest = std::atoi(argv[++i]);
      if (show_slowest < 0) return Usage();
    } else if (a == "--facet-exact-limit" && i + 1 < argc) {
      options.facet_exact_limit = std::atoi(argv[++i]);
      if (options.facet_exact_limit < 1) return Usage();
    } else if (a == "--spelling-below" && i + 1 < argc) {
      options.spelling_below = std::atoi(argv[++i]);
      if (options.spelling_below < 0) return Usage();
    } else if (a == "--facet-sample" && i + 1 < argc) {
      options.facet_sample = std::atoi(argv[++i]);
      if (options.facet_sample < 1) return Usage();
    } else if (!a.empty() && a[0] != '-' && db.empty()) {
      db = a;
    } else {
      return Usage();
    }
  }
  if (db.empty()) return Usage();

  samrad::Result<std::string> text = samrad::ReadFile(queries_path);
  if (!text.ok()) {
    std::fprintf(stderr, "search_bench: %s\n", text.status().message().c_str());
    return 1;
  }
  std::vector<std::string> gold;
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("query") && j["query"].is_string()) gold.push_back(j["query"]);
  }
  const std::vector<Query> queries = BuildQueries(gold);

  auto analyzer = samrad::analysis::Analyzer::Create(samrad::analysis::AnalyzerOptions{});
  if (!analyzer.ok()) {
    std::fprintf(stderr, "search_bench: %s\n", analyzer.status().message().c_str());
    return 1;
  }
  auto searcher = samrad::index::Searcher::Open(db, **analyzer, options);
  if (!searcher.ok()) {
    std::fprintf(stderr, "search_bench: %s\n", searcher.status().message().c_str());
    return 1;
  }

  // 1. Warm-up; also checks that every query is accepted, and notes which
  // queries got approximate facets.
  std::uint64_t matches = 0;
  std::vector<std::uint64_t> matches_of(queries.size());
  std::vector<Approximate> approximate;
  for (size_t qi = 0; qi < queries.size(); ++qi) {
    const Query& q = queries[qi];
    auto r = (*searcher)->Search(q.request);
    if (!r.ok()) {
      std::fprintf(stderr, "search_bench: %s: %s\n", Describe(q.request).c_str(),
                   r.status().message().c_str());
      return 1;
    }
    matches += r->total_estimate;
    matches_of[qi] = r->total_estimate;
    if (r->facets_approximate) {
      Approximate a;
      a.group = q.group;
      a.query = Describe(q.request);
      a.matches = r->total_estimate;
      a.sample = r->facet_sample;
      a.estimate = r->facets;
      a.request = q.request;
      approximate.push_back(std::move(a));
    }
  }
  // 4. (untimed, before the timed rounds so that they are not disturbed by
  // it) the exact counts of those queries.
  if (!approximate.empty()) {
    samrad::index::SearcherOptions exact_options = options;
    exact_options.facet_exact_limit = std::numeric_limits<int>::max();
    auto exact = samrad::index::Searcher::Open(db, **analyzer, exact_options);
    if (!exact.ok()) {
      std::fprintf(stderr, "search_bench: %s\n", exact.status().message().c_str());
      return 1;
    }
    for (Approximate& a : approximate) {
      auto r = (*exact)->Search(a.request);
      if (!r.ok()) return 1;
      CompareFacets(a.estimate, r->facets, r->total_estimate, &a);
    }
  }

  // 2. Timed rounds.
  std::map<std::string, std::vector<double>> by_group;
  std::vector<double> all;
  std::vector<std::vector<double>> ms_of(queries.size());
  double slowest = 0;
  std::string slowest_query;
  for (int round = 0; round < rounds; ++round) {
    for (size_t qi = 0; qi < queries.size(); ++qi) {
      const Query& q = queries[qi];
      const auto t = Clock::now();
      auto r = (*searcher)->Search(q.request);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
      if (!r.ok()) return 1;
      ms_of[qi].push_back(ms);
      by_group[q.group].push_back(ms);
      all.push_back(ms);
      if (ms > slowest) {
        slowest = ms;
        slowest_query = Describe(q.request);
      }
    }
  }

  // 3. Report.
  const std::uint64_t passages = (*searcher)->PassageCount();
  std::vector<std::pair<std::string, Stats>> rows;
  for (const char* g : {"gold", "filtered", "fielded", "collapse", "broad"}) {
    rows.emplace_back(g, Summarise(by_group[g]));
  }
  rows.emplace_back("all", Summarise(all));
  if (json) {
    nlohmann::ordered_json j;
    j["index"] = db.string();
    j["passages"] = passages;
    j["queries"] = queries.size();
    j["rounds"] = rounds;
    j["mean_matches"] = queries.empty() ? 0.0 : static_cast<double>(matches) / static_cast<double>(queries.size());
    for (const auto& [name, s] : rows) {
      j["latency_ms"][name] = {{"count", s.count}, {"mean", s.mean}, {"p50", s.p50},
                               {"p90", s.p90},     {"p99", s.p99},   {"max", s.max}};
    }
    j["slowest"] = slowest_query;
    j["facet_exact_limit"] = options.facet_exact_limit;
    j["facet_sample"] = options.facet_sample;
    nlohmann::ordered_json approx = nlohmann::ordered_json::array();
    for (const Approximate& a : approximate) {
      approx.push_back({{"group", a.group},
                        {"query", a.query},
                        {"matches", a.matches},
                        {"sample", a.sample},
                        {"max_error_of_matches", a.max_error_of_matches},
                        {"max_error_of_count", a.max_error_of_count}});
    }
    j["approximate_facets"] = std::move(approx);
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  std::printf("index %s: %llu passages; %zu queries x %d rounds (after one warm-up round); "
              "mean matches per query %.0f\n",
              db.c_str(), static_cast<unsigned long long>(passages), queries.size(), rounds,
              queries.empty() ? 0.0 : static_cast<double>(matches) / static_cast<double>(queries.size()));
  std::printf("%-9s %6s %9s %9s %9s %9s %9s\n", "group", "n", "mean ms", "p50 ms", "p90 ms", "p99 ms", "max ms");
  for (const auto& [name, s] : rows) {
    std::printf("%-9s %6zu %9.2f %9.2f %9.2f %9.2f %9.2f\n", name.c_str(), s.count, s.mean, s.p50, s.p90,
                s.p99, s.max);
  }
  std::printf("slowest: %s (%.2f ms)\n", slowest_query.c_str(), slowest);
  if (show_slowest > 0) {
    std::vector<std::pair<double, size_t>> by_median;
    for (size_t qi = 0; qi < queries.size(); ++qi) by_median.emplace_back(Summarise(ms_of[qi]).p50, qi);
    std::sort(by_median.begin(), by_median.end(), std::greater<>());
    by_median.resize(std::min(by_median.size(), static_cast<size_t>(show_slowest)));
    std::printf("slowest %zu by median:\n", by_median.size());
    for (const auto& [ms, qi] : by_median) {
      std::printf("  %8.2f ms  %-9s %-50s matches %llu\n", ms, queries[qi].group.c_str(),
                  Describe(queries[qi].request).c_str(), static_cast<unsigned long long>(matches_of[qi]));
    }
  }
  std::printf("approximate facets (more than %d matches; sample about %d): %zu of %zu queries\n",
              options.facet_exact_limit, options.facet_sample, approximate.size(), queries.size());
  for (const Approximate& a : approximate) {
    std::printf("  %-9s %-40s matches %8llu, sample %7llu, largest error %.2f %% of matches, "
                "%.1f %% of a count >= 1 %% of matches\n",
                a.group.c_str(), a.query.c_str(), static_cast<unsigned long long>(a.matches),
                static_cast<unsigned long long>(a.sample), 100 * a.max_error_of_matches,
                100 * a.max_error_of_count);
  }
  return 0;
}
