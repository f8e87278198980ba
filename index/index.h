// The search index: one Xapian document per passage, and search over it.
//
// Building (`samrad index`): reads the ingested passages and documents
// (ingest) and the analysis results (areas, emergent themes), and writes the
// index of a new published generation (base/publish.h), starting from a copy
// of the live one and rewriting only passages whose content changed. A reader
// that has the old generation open keeps answering from it; a build that
// fails leaves the published generation as it was.
//
// What a passage's Xapian document holds (docs/index.md has the full table):
//   - its text, positional: every token's case-folded form at its position
//     (phrase queries), and "Z"+Snowball stem of content words, as
//     Xapian's QueryParser expects with STEM_SOME;
//   - the stems of compound parts as extra terms ("skola" finds "grundskolan");
//   - boolean filter terms: XK kind, XO organisation, XA actor group,
//     XR sub-region, XF forum, XT area, XV overridden, XE emergent theme,
//     XD document, Q passage id;
//   - values: 0 date (YYYYMMDD), 1 document id (collapse), 2 actor group,
//     3 sub-region, 4 kind, 5 areas (0x1f-separated), 6 emergent theme,
//     7 content hash (what incremental updates compare);
//   - data: the passage and its citation as JSON, for display.
//
// Searching: Searcher parses a planner's query (Swedish stemmer, AND by
// default, phrases, OR/NOT, field prefixes aktör: delregion: område: typ:
// forum: tema: organisation: dokument:, date ranges 2019-03-01..2019-06-30),
// applies filters, counts facets with match spies, and returns hits with a
// highlighted snippet and a citation.
#ifndef SAMRAD_INDEX_INDEX_H_
#define SAMRAD_INDEX_INDEX_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "base/status.h"

namespace samrad::index {

struct IndexOptions {
  // Reads STATE/ingest and STATE/analysis.
  std::filesystem::path state_dir;
  // The database directory to write. Created; must not exist yet.
  std::filesystem::path db_dir;
  // Optional: an existing index to start from. It is copied to db_dir and
  // only passages whose indexed content changed are rewritten; passages that
  // are gone are deleted. Empty: build from scratch.
  std::filesystem::path base_db;
  // Optional synonyms, JSON: {"synonyms": {"kollektivtrafik": ["buss", "tåg"], ...}}.
  std::filesystem::path synonyms_path;
  // Test hook: called after each batch of documents is written, before the
  // commit (kill tests stop the process here).
  std::function<void()> batch_written;
  // Optional: only passages of documents for which this returns true (the
  // shards of a sharded build, shards.h). Empty: every passage.
  std::function<bool(const std::string& doc_id)> include_document;
  // A build from scratch (no base_db) writes this many databases at once,
  // one writer each, and merges them into db_dir with Xapian's compaction
  // (#11: one writer was the stage's critical path). The index holds the
  // same passages, terms, values and data whatever the count; only the
  // document ids' order differs. A constant rather than the core count, so
  // the same input gives the same index on every machine.
  int parts = 2;
};

struct IndexSummary {
  int passages = 0;    // in the index now
  int documents = 0;
  int added = 0, replaced = 0, deleted = 0, unchanged = 0;
  // Of `replaced`: passages whose text and document were unchanged and only
  // their areas, overridden flag or emergent theme changed (the document is
  // edited in place rather than built again).
  int rethemed = 0;
  // Not empty when a base index was given but not used, and why (an older
  // index format): the index was built from scratch.
  std::string rebuilt;
  std::uintmax_t bytes = 0;  // size of the database on disk
};

// Builds (or incrementally updates a copy of) the index into options.db_dir.
Result<IndexSummary> BuildIndex(const IndexOptions& options, const analysis::Analyzer& analyzer);

// `samrad index`: builds a new generation from the published one (reports
// carried over) and publishes it atomically (base/publish.h).
Result<IndexSummary> IndexAndPublish(const std::filesystem::path& state_dir,
                                     const std::filesystem::path& synonyms_path,
                                     const analysis::Analyzer& analyzer);

// The index readers open: STATE/published/index.
std::filesystem::path PublishedIndexPath(const std::filesystem::path& state_dir);

struct SearchRequest {
  std::string query;  // may be empty when filters are given: then all passages match
  std::vector<std::string> areas, actors, regions, kinds, themes;  // each list ORed, lists ANDed
  std::string from, to;  // YYYY-MM-DD, inclusive; empty: open
  bool per_document = false;  // collapse to the best passage per document
  int limit = 10;
  int offset = 0;
  // false: leave SearchResponse::facets empty (cheaper, for a count only).
  bool facets = true;
};

struct Citation {
  std::string doc_id;
  std::string title;
  std::string organisation;
  std::string date;
  std::string kind;
  std::string where;  // "rad 12–14", "sida 2", "svar 3" — Swedish, for planners
};

struct Hit {
  int rank = 0;
  double weight = 0;
  std::string passage_id;
  std::string snippet_html;  // HTML-escaped text with <mark>…</mark> around matches
  std::string snippet;       // the same as plain text with »…« around matches
  std::string text;          // the whole passage
  std::string speaker;       // "Kommunchef, Lidköping" for speaker turns
  std::string section;
  std::string actor_group;
  std::string subregion;
  std::vector<std::string> areas;
  int theme = -1;
  int collapsed = 0;  // with per_document: how many more passages of the document matched
  Citation citation;
};

struct SearchResponse {
  std::uint64_t total_estimate = 0;
  std::uint64_t total_lower = 0, total_upper = 0;
  std::vector<Hit> hits;
  // facet name ("area", "actor", "region", "kind", "theme") -> value -> count,
  // over the whole match set (not just this page).
  std::map<std::string, std::map<std::string, std::uint64_t>> facets;
  // Whether the facet counts are estimates. A query that matches at most
  // SearcherOptions::facet_exact_limit passages is counted exactly (Xapian
  // looks at every match). Above it, the counts come from a sample of about
  // SearcherOptions::facet_sample matches: pseudo-random blocks of 64
  // neighbouring passages, the same for every query, spread over the whole
  // index (the first matches in index order would be grouped by document
  // path, so by kind and organisation). Each count is the sample's count
  // scaled by the estimated number of matching passages over facet_sample,
  // rounded, at least 1 when the sample saw the value. A value the sample
  // did not see is missing (or 0) though it may match a few passages. Over
  // remote shards the sample is the matches the search looked at first.
  bool facets_approximate = false;
  std::uint64_t facet_sample = 0;  // passages the counts were taken from
  // total_estimate is exact when total_lower == total_upper; above
  // facet_exact_limit matches Xapian may only estimate it (multi-word
  // queries, per_document).
  // A spelling suggestion, "" when none; looked up only when the query
  // matched fewer than SearcherOptions::spelling_below passages.
  std::string corrected_query;
  // Over a shard set opened with allow_partial: true when some shards did
  // not answer, and which ("shard-1 (10.1.2.3:33301)"); the hits and counts
  // are those of the other shards.
  bool partial = false;
  std::vector<std::string> missing_shards;
};

// A passage with its whole document's passages around it, for a context view.
struct PassageView {
  Hit passage;
  std::vector<Hit> document_passages;  // in document order, text only
  bool partial = false;  // as in SearchResponse
  std::vector<std::string> missing_shards;
};

// How a Searcher treats a shard set (shards.h); a single index ignores them.
// Unset: the shard list file's values, else the defaults named here.
struct SearcherOptions {
  std::optional<int> timeout_ms;          // each remote operation; default 10000
  std::optional<int> connect_timeout_ms;  // connecting to a remote shard; default 3000
  // A shard that cannot be opened or fails during a search: false (default)
  // makes the search fail with an error naming the shard; true answers from
  // the other shards and marks the response partial. Missing shards are
  // tried again at most every `retry_seconds`.
  std::optional<bool> allow_partial;
  int retry_seconds = 30;
  // Facet counts (and the total) are exact for queries that match at most
  // facet_exact_limit passages (Xapian's checkatleast). Above it they are
  // estimated from a sample of about facet_sample of the matches, spread
  // over the whole index (SearchResponse::facets_approximate). This bounds
  // the work of a broad query: counting costs a value lookup per passage and
  // facet (bench/README.md has the figures). Tests set them small.
  static constexpr int kDefaultFacetExactLimit = 5000;
  int facet_exact_limit = kDefaultFacetExactLimit;
  int facet_sample = 5000;
  // A spelling suggestion (SearchResponse::corrected_query) is looked up
  // only for queries that match fewer passages than this: a misspelt word
  // finds little, and Xapian's lookup costs more than the search itself.
  int spelling_below = 10;
};

// Not thread-safe (a Xapian::Database is not): use one Searcher per thread.
class Searcher {
 public:
  // Opens the published index of state_dir (or a database path directly, or
  // a shard list file: shards.h says which index a state directory means).
  static Result<std::unique_ptr<Searcher>> Open(const std::filesystem::path& db_path,
                                                const analysis::Analyzer& analyzer,
                                                const SearcherOptions& options = {});
  ~Searcher();

  // Bad queries (unbalanced quotes, unknown field, bad dates, over-long
  // queries) are InvalidArgument with a message for the planner.
  Result<SearchResponse> Search(const SearchRequest& request);
  Result<PassageView> GetPassage(const std::string& passage_id);
  // Picks up a newly published generation; cheap when nothing changed.
  Status Reopen();
  std::uint64_t PassageCount() const;

  // The longest query accepted, in bytes.
  static constexpr size_t kMaxQueryBytes = 1000;

 private:
  struct Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  Result<SearchResponse> SearchOnce(const SearchRequest& request);
  Result<PassageView> GetPassageOnce(const std::string& passage_id);
  std::unique_ptr<Impl> impl_;
};

// Search quality against gold queries (corpus/gold/queries.jsonl:
// {"query", "relevant": [{"doc", "quote"}], "tags": [...]}): a relevant item
// is found when the passage holding its quote is among the top `k` hits.
struct QueryEvalItem {
  std::string query;
  std::vector<std::string> tags;
  int relevant = 0;
  int found = 0;
  std::vector<std::string> missed;  // passage ids not in the top k
};
struct QueryEvalReport {
  int k = 10;
  std::vector<QueryEvalItem> items;
  // Recall@k over all relevant items, and per tag ("compound", "inflected", "plain").
  double recall = 0;
  std::map<std::string, double> recall_by_tag;
  int unmatched_quotes = 0;  // gold quotes found in no (or several) passages
};
Result<QueryEvalReport> EvaluateQueries(const std::filesystem::path& queries_path,
                                        const std::filesystem::path& state_dir, Searcher& searcher,
                                        int k = 10);

// The field prefixes planners can type, with their meaning, for --help.
std::string QuerySyntaxHelp();

}  // namespace samrad::index

#endif  // SAMRAD_INDEX_INDEX_H_
