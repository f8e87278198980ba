// Internal to samrad_index: building several databases at once, for a build
// in parts (builder.cc, IndexOptions::parts) and a sharded build (shards.cc).
#ifndef SAMRAD_INDEX_PARALLEL_BUILD_H_
#define SAMRAD_INDEX_PARALLEL_BUILD_H_

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "analysis/analysis.h"
#include "base/status.h"
#include "base/string_ids.h"
#include "index/index.h"

namespace samrad::index::internal {

// Spelling data: each content word of four letters or more, counted; one
// table for every thread of a build, in shards that lock apart (#11: a
// table per worker thread held the frequent words once per worker, and grew
// with the corpus through the whole build).
class SpellingCounts {
 public:
  void Add(std::string_view word);
  // fn(word, count) for every word, in no order; not beside Add(). The view
  // lives as long as the table, until Clear().
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const Shard& s : shards_) {
      for (std::uint32_t id = 0; id < s.words.size(); ++id) fn(s.words[id], s.counts[id]);
    }
  }
  size_t size() const;
  // Frees every word.
  void Clear();

 private:
  // Packed words with dense ids (base/string_ids.h) and a count per id:
  // ~40 bytes a word against ~90 for a node-based map of std::string (#11:
  // 494,831 words at N=100,000, where the table grew through the whole
  // build).
  struct Shard {
    std::mutex mutex;
    StringIds words;
    std::vector<Xapian::termcount> counts;  // by id
  };
  static constexpr size_t kShards = 64;
  std::array<Shard, kShards> shards_;
};

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
// all of them are counted into it instead (for one table over all parts).
std::vector<Result<IndexSummary>> BuildDatabasesAtOnce(const IndexOptions& options, int count,
                                                       const std::function<IndexOptions(int)>& options_of,
                                                       const analysis::Analyzer& analyzer,
                                                       SpellingCounts* spelling = nullptr);

}  // namespace samrad::index::internal

#endif  // SAMRAD_INDEX_PARALLEL_BUILD_H_
