// Sharded indexes: the passages split over N Xapian databases ("shards"),
// built in parallel, searched as one through Xapian's multi-database search,
// local or remote (xapian-tcpsrv). docs/scaling.md says how to run them.
//
// Building (`samrad index --shards N`, `samrad run --shards N`):
//   - every passage goes to shard ShardOf(doc_id, N): a stable hash of its
//     document id, so all passages of a document share a shard (collapsing
//     per document and the passage view stay within one shard) and a
//     document stays in its shard from one night to the next;
//   - the shards are built in parallel, each exactly as the single index is
//     built (index.h), each incrementally from the same shard of the live
//     generation when the shard count is unchanged;
//   - they live in the generation beside the reports and are published with
//     it (base/publish.h), all at once, by the one rename of `published`:
//
//       STATE/gen-000042/index-shards/shard-0/     a Xapian database
//       STATE/gen-000042/index-shards/shard-1/
//       STATE/gen-000042/index-shards/shards.json  the shard list
//
// The shard list (JSON, one object; paths relative to the file's folder):
//
//   {
//     "format": "samrad-shards-1",
//     "shards": [
//       {"name": "shard-0", "path": "shard-0"},
//       {"name": "shard-1", "remote": "10.1.2.3:33301"}
//     ],
//     "timeout_ms": 10000,          optional: each remote operation
//     "connect_timeout_ms": 3000,   optional: connecting to a remote shard
//     "allow_partial": false        optional: answer without shards that fail
//   }
//
// Searching: Searcher::Open (index.h) accepts a shard list file, or a state
// directory whose published generation holds one, or a state directory with
// an operator's STATE/shards.json (which then takes precedence: that is how
// `samrad serve` is pointed at remote shards). Xapian combines the term
// statistics of all shards, so weights and ranking are those of one database
// holding every passage; facets (match spies) and collapsing are merged
// across shards too. Remote shards give no spelling suggestions and no
// synonyms (Xapian's remote protocol does not carry them); the query parser
// takes both from the local shards of the list.
#ifndef SAMRAD_INDEX_SHARDS_H_
#define SAMRAD_INDEX_SHARDS_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analysis.h"
#include "base/status.h"
#include "index/index.h"

namespace samrad::index {

// The folder of a generation that holds the shards and their list.
inline constexpr char kShardsDirName[] = "index-shards";
// The shard list inside it, and the operator's list in a state directory.
inline constexpr char kShardListName[] = "shards.json";
// The most shards a build makes.
inline constexpr int kMaxShards = 1024;

// The shard (0..shards-1) of a document: FNV-1a (64 bit) of its id modulo
// `shards`. Stable across machines, builds and releases: changing it moves
// documents between shards, so it never changes.
int ShardOf(std::string_view doc_id, int shards);

// One entry of a shard list.
struct ShardEntry {
  std::string name;            // for messages: "shard-2"
  std::filesystem::path path;  // a local database (absolute), or
  std::string host;            // a remote one served by xapian-tcpsrv
  int port = 0;
  // "shard-2 (10.1.2.3:33301)" or "shard-2 (/var/lib/samrad/.../shard-2)".
  std::string Describe() const;
};

struct ShardList {
  std::vector<ShardEntry> shards;
  // From the file; absent: SearcherOptions or their defaults decide.
  std::optional<int> timeout_ms, connect_timeout_ms;
  std::optional<bool> allow_partial;
};

// Reads a shard list file (format above). Relative paths are made absolute
// against the file's folder. DataError names the file and what is wrong.
Result<ShardList> ReadShardList(const std::filesystem::path& file);
// The JSON text of a list (local paths are written as given).
std::string ShardListJson(const ShardList& list);

// Builds `shards` databases into options.db_dir (created; must not exist),
// shard K into db_dir/shard-K, and writes db_dir/shards.json.
// options.base_db, when given, is the index-shards folder of the live
// generation: a shard starts from its namesake there when that list has the
// same number of shards, else from scratch. On failure nothing is left at
// db_dir and the error names the shard. The summary adds up the shards'.
Result<IndexSummary> BuildShardedIndex(const IndexOptions& options, int shards,
                                       const analysis::Analyzer& analyzer);

// `samrad index --shards N`: like IndexAndPublish, with the index sharded.
Result<IndexSummary> IndexAndPublishSharded(const std::filesystem::path& state_dir,
                                            const std::filesystem::path& synonyms_path, int shards,
                                            const analysis::Analyzer& analyzer);

// STATE/published/index-shards/shards.json.
std::filesystem::path PublishedShardListPath(const std::filesystem::path& state_dir);

}  // namespace samrad::index

#endif  // SAMRAD_INDEX_SHARDS_H_
