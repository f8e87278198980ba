// Internal to samrad_analysis: the state behind an Analyzer, shared by
// analyzer.cc, tokenizer.cc and sentences.cc.
#ifndef SAMRAD_ANALYSIS_ANALYZER_IMPL_H_
#define SAMRAD_ANALYSIS_ANALYZER_IMPL_H_

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/decompounder.h"
#include "analysis/internal.h"
#include "analysis/lexicon.h"
#include "analysis/word_memo.h"

namespace samrad::analysis {
namespace internal {

// The analyzer's memo shared by all threads, behind the per-thread ones:
// threads come and go (each stage starts its own workers) and a thread's memo
// dies with it, while decompounding a word costs far more than copying its
// WordInfo. Insert-only up to `capacity` words, in shards with a lock each
// so that workers rarely wait for each other. Packed (word_memo.h), so that
// it is kept from one stage to the next. A word's WordInfo is a pure
// function of the word and the analyzer's state, so where it comes from
// never changes a result.
struct SharedWordMemo {
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mu;
    PackedWordMemo words;
  };
  std::array<Shard, kShards> shards;
  size_t capacity_per_shard = 0;
};

}  // namespace internal

struct Analyzer::Impl {
  using WordInfo = internal::WordInfo;

  AnalyzerOptions options;
  internal::Lexicon lexicon;
  internal::StringSet list_stop_words;        // the published (or configured) list
  internal::StringSet corpus_stop_words;      // added by corpus frequencies
  internal::StringMap<uint64_t> frequencies;  // norm -> occurrences
  internal::StringMap<uint64_t> doc_counts;   // norm -> documents
  uint64_t documents = 0;
  std::unique_ptr<internal::Decompounder> decompounder;
  // Identifies this analyzer's state in per-thread memos; a new value after
  // every change (AddCorpusFrequencies) invalidates them.
  uint64_t generation = 0;
  // Cleared by AddCorpusFrequencies (which must not run during Tokenize).
  mutable internal::SharedWordMemo shared_memo;

  // The cached analysis of a kWord norm without colon or hyphen.
  const WordInfo& AnalyseWord(std::string_view norm) const;
  WordInfo ComputeWordInfo(std::string_view norm) const;
  // From the shared memo, else computed (and added to it while there is room).
  WordInfo SharedWordInfo(std::string_view norm) const;
  // Compound parts as lemmas (Token::parts) and the index where the top-level
  // head begins; {} when not a compound or decompounding is not possible.
  // `surfaces`, when given, receives the parts as substrings of the word.
  std::vector<std::string> Parts(std::string_view norm, uint32_t* head_part,
                                 std::vector<std::string>* surfaces = nullptr) const;
  bool IsStop(std::string_view norm) const {
    return internal::Contains(list_stop_words, norm) || internal::Contains(corpus_stop_words, norm);
  }
  std::string StemOf(std::string_view norm) const;
};

}  // namespace samrad::analysis

#endif  // SAMRAD_ANALYSIS_ANALYZER_IMPL_H_
