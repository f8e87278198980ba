// Internal to samrad_index: building several databases at once, for a build
// in parts (builder.cc, IndexOptions::parts) and a sharded build (shards.cc).
#ifndef SAMRAD_INDEX_PARALLEL_BUILD_H_
#define SAMRAD_INDEX_PARALLEL_BUILD_H_

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "analysis/analysis.h"
#include "base/status.h"
#include "index/index.h"

namespace samrad::index::internal {

// Spelling data: each content word of four letters or more, counted.
using SpellingCounts = std::unordered_map<std::string, Xapian::termcount>;

// Why a base index cannot be updated in place: its format (kFormatKey) is
// not this samrad's, so every passage would be rewritten; "" when it can.
// An IOError when it cannot be opened.
Result<std::string> BaseIndexMismatch(const std::filesystem::path& base_db);

// Builds `count` databases, database k with the passages of the documents
// ShardOf(doc_id, count) gives k (shards.h), as BuildIndex would with the
// options `options_of(k)` returns (its db_dir and base_db differ; one writer
// each), on up to one thread per core. The documents, theme table,
// lemmatizer and term memo are read once from options.state_dir and shared.
// options.batch_written, when set, is called under a mutex. Returns each
// database's result, in order; a failed one has removed its db_dir.
// `spelling`: when given, the databases write no spelling data; the words of
// all of them are summed into it instead (for one table over all parts).
std::vector<Result<IndexSummary>> BuildDatabasesAtOnce(const IndexOptions& options, int count,
                                                       const std::function<IndexOptions(int)>& options_of,
                                                       const analysis::Analyzer& analyzer,
                                                       SpellingCounts* spelling = nullptr);

}  // namespace samrad::index::internal

#endif  // SAMRAD_INDEX_PARALLEL_BUILD_H_
