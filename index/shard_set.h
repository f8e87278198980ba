// Internal to samrad_index: opening a shard list as one Xapian database, for
// the Searcher. Public side: shards.h.
#ifndef SAMRAD_INDEX_SHARD_SET_H_
#define SAMRAD_INDEX_SHARD_SET_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "base/status.h"
#include "index/index.h"
#include "index/shards.h"

namespace samrad::index::internal {

// The options of a shard set once SearcherOptions, the list file and the
// defaults are combined.
struct ShardSetOptions {
  int timeout_ms = 10000;
  int connect_timeout_ms = 3000;
  bool allow_partial = false;
};
ShardSetOptions ResolveShardSetOptions(const ShardList& list, const SearcherOptions& options);

struct OpenedShards {
  Xapian::Database all;              // every shard that opened, in list order
  Xapian::Database lexicon;          // the local ones: spelling and synonyms
  std::vector<Xapian::Database> each;  // the ones in `all`, in its order
  std::vector<std::string> missing;  // Describe() of shards that did not open
};

// Opens every shard of the list (in parallel: a host that is down costs one
// connect timeout, not one per shard) and checks each answers. A shard that
// fails: an IOError naming it, or with allow_partial, listed in `missing`
// (an IOError still when none opens).
Result<OpenedShards> OpenShardSet(const ShardList& list, const ShardSetOptions& options);

}  // namespace samrad::index::internal

#endif  // SAMRAD_INDEX_SHARD_SET_H_
