// Internal to samrad_analysis: a compact table of analysed words (WordInfo
// by normalised word), the part of the analyzer's memo that the threads
// share and that lives from one stage to the next.
//
// Why packed (#11). Decompounding a word is the slow part of tokenising it
// (~30 µs a new word, several lexicon probes per split point), and `samrad run`
// tokenises the same texts in three stages: analyze, index and the reports'
// term index. The memo used to be a std::unordered_map of std::string keys
// and WordInfo values (strings and vectors of strings), ~250 bytes a word
// with its allocations scattered over the threads' arenas, so each stage
// freed it when done (or its pages stayed pinned into the next stage) and
// the next stage decompounded every word again: 12 % of the CPU time of a
// full run at N=20,000. Packed, a word costs its bytes plus ~20, in 256 KiB
// chunks that are freed whole, and the memo can be kept from the analysis
// through the index into the reports.
//
// A record (lengths as LEB128 varints):
//
//   word-len word  stem-len stem  flags  head_part  n-parts (len part)*n
//   n-surfaces (len surface)*n
//
// `flags` bit 0 is WordInfo::stop. Records are packed into 256 KiB chunks;
// the table is open addressing with linear probing over 8-byte slots (the
// upper 32 bits of the word's hash, and where its record is: chunk and
// offset), so most probes are decided without reading the record.
//
// Not thread-safe: the analyzer's SharedWordMemo holds one per shard, each
// behind its own mutex.
#ifndef SAMRAD_ANALYSIS_WORD_MEMO_H_
#define SAMRAD_ANALYSIS_WORD_MEMO_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace samrad::analysis::internal {

// What Tokenize needs to know about a kWord norm; memoised per thread and
// in the analyzer's shared memo.
struct WordInfo {
  std::string stem;
  std::vector<std::string> parts;  // Token::parts
  // The same split as substrings of the word (SplitCompoundSurface); filled
  // with `parts`, from the same decomposition.
  std::vector<std::string> surface_parts;
  bool stop = false;
  uint32_t head_part = 0;  // index in parts where the top-level head begins

  bool operator==(const WordInfo&) const = default;
};

class PackedWordMemo {
 public:
  PackedWordMemo() = default;
  PackedWordMemo(PackedWordMemo&&) = default;
  PackedWordMemo& operator=(PackedWordMemo&&) = default;

  // Copies the info of `word` into *out and returns true, or returns false
  // when the word is not held. `hash` is std::hash<std::string_view> of
  // `word` (the caller has it: it picked the shard with it).
  bool Find(std::string_view word, size_t hash, WordInfo* out) const;
  // Adds `word` unless it is held already (a word's info never changes).
  void Insert(std::string_view word, size_t hash, const WordInfo& info);
  size_t size() const { return size_; }
  // Heap bytes: the records' chunks and the slots.
  size_t MemoryBytes() const;

 private:
  static constexpr int kOffsetBits = 18;
  static constexpr size_t kChunkBytes = size_t{1} << kOffsetBits;
  // Slot locations are 32 bits: chunk << kOffsetBits | offset, plus one (0
  // is an empty slot). Past this many chunks (4 GiB) nothing more is added.
  static constexpr size_t kMaxChunks = (size_t{1} << (32 - kOffsetBits)) - 1;

  const char* Record(uint64_t slot) const {
    const uint32_t at = static_cast<uint32_t>(slot) - 1;
    return chunks_[at >> kOffsetBits].get() + (at & (kChunkBytes - 1));
  }
  // The slot holding `word`, or the empty slot where it would go.
  size_t Probe(std::string_view word, size_t hash) const;
  void Grow();

  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t used_ = 0;           // bytes used in the last chunk
  std::vector<uint64_t> slots_;  // a power of two of them, at most 70 % full
  size_t size_ = 0;
};

}  // namespace samrad::analysis::internal

#endif  // SAMRAD_ANALYSIS_WORD_MEMO_H_
