// `samrad index` and `samrad search`.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "cli/commands.h"
#include "index/index.h"
#include "index/shards.h"

namespace samrad::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

struct IndexFlags {
  std::string state;
  std::string synonyms;
  int shards = 0;
};

int RunIndex(const IndexFlags& f) {
  auto analyzer = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
  if (!analyzer.ok()) return ReportFailure(analyzer.status());
  auto s = f.shards > 0 ? index::IndexAndPublishSharded(f.state, f.synonyms, f.shards, **analyzer)
                        : index::IndexAndPublish(f.state, f.synonyms, **analyzer);
  if (!s.ok()) return ReportFailure(s.status());
  std::cout << "index: " << s->passages << " passages from " << s->documents << " documents ("
            << s->added << " added, " << s->replaced << " replaced, " << s->deleted << " deleted, "
            << s->unchanged << " unchanged), " << s->bytes / 1024 << " KiB, published "
            << (f.shards > 0 ? index::PublishedShardListPath(f.state)
                             : index::PublishedIndexPath(f.state))
                   .string()
            << "\n";
  return kExitOk;
}

struct SearchFlags {
  std::string state;
  std::string index;  // a database or shard list instead of the state's
  int timeout_ms = 0, connect_timeout_ms = 0;  // 0: the shard list's, else the defaults
  bool allow_partial = false;
  std::string query;
  index::SearchRequest req;
  bool json = false;
};

Json HitJson(const index::Hit& h) {
  Json j;
  j["rank"] = h.rank;
  j["weight"] = h.weight;
  j["passage_id"] = h.passage_id;
  j["snippet"] = h.snippet;
  j["snippet_html"] = h.snippet_html;
  j["text"] = h.text;
  j["speaker"] = h.speaker;
  j["section"] = h.section;
  j["actor_group"] = h.actor_group;
  j["subregion"] = h.subregion;
  j["areas"] = h.areas;
  j["theme"] = h.theme;
  j["collapsed"] = h.collapsed;
  j["citation"] = {{"doc_id", h.citation.doc_id},       {"title", h.citation.title},
                   {"organisation", h.citation.organisation}, {"date", h.citation.date},
                   {"kind", h.citation.kind},           {"where", h.citation.where}};
  return j;
}

int RunSearch(SearchFlags& f) {
  auto analyzer = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
  if (!analyzer.ok()) return ReportFailure(analyzer.status());
  index::SearcherOptions options;
  if (f.timeout_ms > 0) options.timeout_ms = f.timeout_ms;
  if (f.connect_timeout_ms > 0) options.connect_timeout_ms = f.connect_timeout_ms;
  if (f.allow_partial) options.allow_partial = true;
  auto searcher =
      index::Searcher::Open(f.index.empty() ? fs::path(f.state) : fs::path(f.index), **analyzer, options);
  if (!searcher.ok()) return ReportFailure(searcher.status());
  f.req.query = f.query;
  auto r = (*searcher)->Search(f.req);
  if (!r.ok()) return ReportFailure(r.status());
  if (f.json) {
    Json j;
    j["query"] = f.query;
    j["total_estimate"] = r->total_estimate;
    j["total_approximate"] = r->total_lower != r->total_upper;
    j["corrected_query"] = r->corrected_query;
    Json hits = Json::array();
    for (const auto& h : r->hits) hits.push_back(HitJson(h));
    j["hits"] = std::move(hits);
    j["facets_approximate"] = r->facets_approximate;
    j["facets"] = r->facets;
    if (r->partial) {
      j["partial"] = true;
      j["missing_shards"] = r->missing_shards;
    }
    std::cout << j.dump(2) << "\n";
    return r->partial ? kExitDataFailure : kExitOk;
  }
  // Planners read this: Swedish labels.
  std::cout << "Träffar: " << (r->total_lower != r->total_upper ? "ca. " : "") << r->total_estimate;
  if (!r->hits.empty()) {
    std::cout << " (visar " << r->hits.front().rank << "–" << r->hits.back().rank << ")";
  }
  std::cout << "\n";
  if (!r->corrected_query.empty()) std::cout << "Menade du: " << r->corrected_query << "?\n";
  for (const std::string& m : r->missing_shards) {
    std::cerr << "samrad: partial result: shard " << m << " did not answer\n";
    std::cout << "Ofullständigt resultat: delindex " << m << " svarar inte.\n";
  }
  for (const auto& h : r->hits) {
    std::cout << "\n" << h.rank << ". " << h.citation.organisation << ", " << h.citation.date << ", «"
              << h.citation.title << "», " << h.citation.where << "  [" << h.passage_id << "]\n";
    if (!h.speaker.empty()) std::cout << "   " << h.speaker << ":\n";
    std::cout << "   " << h.snippet << "\n";
    if (!h.areas.empty()) {
      std::cout << "   Områden:";
      for (const auto& a : h.areas) std::cout << " " << a;
      std::cout << "\n";
    }
    if (h.collapsed > 0) std::cout << "   (+" << h.collapsed << " fler träffar i dokumentet)\n";
  }
  if (r->facets_approximate) {
    std::cout << "\nMånga träffar: antalen med ca. är uppskattade från " << r->facet_sample << " av dem.\n";
  }
  static const std::pair<const char*, const char*> kFacetNames[] = {
      {"area", "Område"}, {"actor", "Aktörsgrupp"}, {"region", "Delregion"}, {"kind", "Typ"}, {"theme", "Tema"}};
  std::cout << "\n";
  for (const auto& [key, label] : kFacetNames) {
    auto it = r->facets.find(key);
    if (it == r->facets.end() || it->second.empty()) continue;
    std::cout << label << ":";
    for (const auto& [v, n] : it->second) {
      std::cout << " " << v << " (" << (r->facets_approximate ? "ca. " : "") << n << ")";
    }
    std::cout << "\n";
  }
  return r->partial ? kExitDataFailure : kExitOk;
}

void RegisterSearch(CLI::App& app, Action* action) {
  auto iflags = std::make_shared<IndexFlags>();
  CLI::App* idx = app.add_subcommand(
      "index", "Build the Xapian index from the analysed passages and publish it atomically\n"
               "(STATE/index/current). See docs/index.md.");
  AddStateOption(idx, &iflags->state);
  idx->add_option("--synonyms", iflags->synonyms,
                  "Synonyms JSON: {\"synonyms\": {\"word\": [\"synonym\", ...]}}")
      ->check(CLI::ExistingFile);
  idx->add_option("--shards", iflags->shards,
                  "Split the index into N shards built in parallel (STATE/published/index-shards;\n"
                  "see docs/scaling.md). Default: one index")
      ->check(CLI::Range(1, 1024));
  idx->callback([iflags, action] { *action = [iflags] { return RunIndex(*iflags); }; });

  auto f = std::make_shared<SearchFlags>();
  CLI::App* s = app.add_subcommand("search", "Search the published index.\n\n" + index::QuerySyntaxHelp());
  AddStateOption(s, &f->state);
  s->add_option("query", f->query, "The query (may be empty when filters are given)");
  s->add_option("--area", f->req.areas, "Only passages in this strategy area (repeatable)");
  s->add_option("--actor", f->req.actors, "Only this actor group (repeatable)");
  s->add_option("--region", f->req.regions, "Only this sub-region (repeatable)");
  s->add_option("--kind", f->req.kinds, "Only this kind: seminar, remiss, other (repeatable)");
  s->add_option("--theme", f->req.themes, "Only this emergent theme number (repeatable)");
  s->add_option("--from", f->req.from, "Earliest date, YYYY-MM-DD");
  s->add_option("--to", f->req.to, "Latest date, YYYY-MM-DD");
  s->add_flag("--per-document", f->req.per_document, "One hit per document (the best passage)");
  s->add_option("--limit", f->req.limit, "Hits per page")->check(CLI::Range(0, 1000))->capture_default_str();
  s->add_option("--offset", f->req.offset, "Skip this many hits")->check(CLI::NonNegativeNumber);
  s->add_flag("--json", f->json, "JSON output (schema in docs/index.md)");
  s->add_option("--index", f->index,
                "Search this index directory or shard list file (docs/scaling.md) instead of the\n"
                "state directory's published index");
  s->add_option("--timeout-ms", f->timeout_ms,
                "Remote shards: the longest wait for one operation (default 10000)")
      ->check(CLI::Range(1, 3600000));
  s->add_option("--connect-timeout-ms", f->connect_timeout_ms,
                "Remote shards: the longest wait to connect (default 3000)")
      ->check(CLI::Range(1, 3600000));
  s->add_flag("--allow-partial", f->allow_partial,
              "Shard set: answer from the shards that respond when some do not; the result\n"
              "says which are missing, and the exit code is 1");
  s->callback([f, action] { *action = [f] { return RunSearch(*f); }; });
}

}  // namespace

SAMRAD_REGISTER_COMMAND(40, RegisterSearch);

}  // namespace samrad::cli
