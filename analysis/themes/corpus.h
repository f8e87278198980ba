// Internal to samrad_themes: the term vectors of all passages, built block by
// block, and the cache that lets a later run skip tokenising passages whose
// text it has seen before.
//
//  1. Passages arrive in blocks, in passage order. Each passage's terms come
//     from the cache when its text is there (same 64-bit FNV-1a and length),
//     else from the analyzer (tokenised in parallel over the cores). A block
//     is counted on other threads while the caller reads the next one and
//     the block before is merged (step 2), so that neither leaves cores idle.
//  2. Term ids are handed out serially, in passage order and, within a
//     passage, in term order: the same ids whether a passage came from the
//     cache or not, so a cached run gives the same bytes as a fresh one.
//  3. Every passage's terms are written to the new cache as they are added;
//     the new cache holds exactly the passages of this run.
//  4. Finish() computes document frequencies, idf and the TF-IDF weights.
//
// Memory: one entry per (passage, distinct term): a term id, its count and
// its weight (12 bytes), in three flat arrays; no per-passage allocation.
#ifndef SAMRAD_ANALYSIS_THEMES_CORPUS_H_
#define SAMRAD_ANALYSIS_THEMES_CORPUS_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/themes/vectors.h"
#include "base/files.h"
#include "base/spill.h"
#include "base/status.h"
#include "base/string_ids.h"

namespace samrad::themes::internal {

// A read-only view of one passage's vector: term ids ascending, with weights.
struct Row {
  const std::uint32_t* term = nullptr;
  const float* value = nullptr;
  size_t size = 0;
};

inline double Dot(const Row& a, const std::vector<float>& dense) {
  double s = 0;
  for (size_t i = 0; i < a.size; ++i) s += static_cast<double>(a.value[i]) * dense[a.term[i]];
  return s;
}

// The per-entry arrays are SpillVectors (base/spill.h): with a spill file
// (CorpusBuilder::SpillTo) they live in it, and passes over the passages hand
// the pages they read back now and then (ReleasePages), so that the stage's
// memory does not grow with the corpus (#11: they were ~0.4 GB of the
// stage at N=100,000, with the spare room of their growth).
struct Corpus {
  TermSpace space;
  SpillVector<std::uint64_t> offset{0};  // passage i: entries [offset[i], offset[i + 1])
  SpillVector<std::uint32_t> term;       // ascending within a passage
  SpillVector<float> count;              // 1 per word, 0.5 per compound part
  SpillVector<float> weight;             // normalised TF-IDF (after Finish)
  std::vector<float> idf;
  std::shared_ptr<SpillFile> spill;      // null: on the heap
  void ReleasePages() const {
    if (spill != nullptr) spill->ReleasePages();
  }
  // Every kPassagesPerRelease passages, a pass in passage order calls
  // ReleasePages(). A pass that reads passages out of order calls it every
  // kScatteredPerRelease: each read there maps the 64 KB of the file around
  // it (the kernel's fault-around), so 65,536 of them could map the whole
  // file (#11: 248 MB of the analyze stage's 806 MB peak at N=100,000 were
  // its pages, read by the themes' labelling and the feedback rounds).
  static constexpr size_t kPassagesPerRelease = 65536;
  static constexpr size_t kScatteredPerRelease = 256;
  void ReleaseEvery(size_t i, size_t period = kPassagesPerRelease) const {
    if ((i + 1) % period == 0) ReleasePages();
  }

  size_t size() const { return offset.size() - 1; }
  Row Counts(size_t i) const {
    return {term.data() + offset[i], count.data() + offset[i], offset[i + 1] - offset[i]};
  }
  Row Weights(size_t i) const {
    return {term.data() + offset[i], weight.data() + offset[i], offset[i + 1] - offset[i]};
  }
};

// One passage's terms as CountTerms counts them, sorted by term, and the
// surface forms of its whole words with their counts, sorted.
struct PassageTerms {
  std::vector<std::pair<std::string, float>> counts;
  std::vector<std::pair<std::pair<std::string, std::string>, int>> surfaces;  // ((stem, norm), n)
};

// The term cache, STATE/analysis/terms.cache (docs/themes.md): a header line
// naming the format and a fingerprint of what terms depend on besides the
// text (code version, analyzer options, the dictionary files' sizes and
// times), then one record per distinct passage text:
//   u64 FNV-1a of the text (little endian), varint text length,
//   varint n, n x (string ref, varint 2 x count),
//   varint m, m x (string ref stem, string ref norm, varint count)
// A string ref is a varint index into the strings seen so far in the file;
// the next new index is followed by the string itself (varint length, bytes).
// A cache with another header is ignored, never an error.
std::string TermCacheHeader(const analysis::Analyzer& analyzer);

class TermCache {
 public:
  // Empty (finds nothing) when the file is missing, unreadable or has
  // another header.
  static TermCache Load(const std::filesystem::path& path, const std::string& header);
  bool Find(std::uint64_t hash, std::uint64_t length, PassageTerms* out) const;
  size_t size() const { return records_.size(); }

 private:
  std::string bytes_;
  std::vector<std::string_view> strings_;
  struct Record {
    std::uint64_t length = 0;     // of the text
    size_t offset = 0;            // in bytes_
    size_t strings_before = 0;    // strings defined before the record
  };
  std::unordered_map<std::uint64_t, Record> records_;  // by FNV-1a of the text
  size_t valid_end_ = 0;  // bytes_ up to here are whole records
  friend class TermCacheWriter;
};

class TermCacheWriter {
 public:
  // With `base` (loaded with the same header), its records are written
  // first, as they are, and Add() appends to them: what an incremental run
  // does with the few texts it has not seen.
  TermCacheWriter(std::unique_ptr<AtomicFileWriter> out, const std::string& header,
                  const TermCache* base = nullptr);
  void Add(std::uint64_t hash, std::uint64_t length, const PassageTerms& terms);
  // Writes what is left and commits the file; frees the writer's tables, so
  // nothing is added after it.
  Status Commit();

 private:
  std::uint32_t Ref(const std::string& s);
  std::unique_ptr<AtomicFileWriter> out_;
  std::string buf_;
  // The file's strings by id (#11: a map of std::string was ~53 MB of the
  // analyze stage's peak at N=100,000, heap profile).
  StringIds ids_;
  std::unordered_set<std::uint64_t> written_;
};

// Builds a Corpus block by block (see the file comment). `cache` and
// `writer` may be null.
class CorpusBuilder {
 public:
  CorpusBuilder(const analysis::Analyzer& analyzer, const TermCache* cache, TermCacheWriter* writer)
      : analyzer_(analyzer), cache_(cache), writer_(writer) {}
  ~CorpusBuilder();  // waits for a block still being counted
  CorpusBuilder(const CorpusBuilder&) = delete;
  CorpusBuilder& operator=(const CorpusBuilder&) = delete;
  // The corpus' arrays go into `file` (before the first block), with room
  // made for `entries` (passage, term) entries: an estimate, as they grow
  // like vectors beyond it, but growing copies them (#11).
  void SpillTo(std::shared_ptr<SpillFile> file, size_t entries);
  // The texts of the next passages, in order. They are counted on other
  // threads from here on, and merged into the corpus by the next AddBlock()
  // or by Finish(): the caller reads the next block meanwhile (#11: reading
  // and merging on one thread left the other core idle ~30 % of the time).
  // The result does not depend on the timing.
  void AddBlock(std::vector<std::string> texts);
  Corpus Finish();
  size_t reused() const { return reused_; }
  size_t analysed() const { return analysed_; }
  // Per passage added: the FNV-1a and length of its text.
  const std::vector<std::uint64_t>& hashes() const { return hashes_; }
  const std::vector<std::uint64_t>& lengths() const { return lengths_; }

 private:
  // A block of texts and, once counted, their terms.
  struct Block {
    std::vector<std::string> texts;
    std::vector<PassageTerms> terms;
    std::vector<std::uint64_t> hashes;
    std::vector<char> hit;
  };
  // Waits for the block being counted, if any, and merges it.
  void MergePending();
  void Merge(const Block& block);

  const analysis::Analyzer& analyzer_;
  const TermCache* cache_;
  TermCacheWriter* writer_;
  std::unique_ptr<Block> pending_;  // being counted by counting_
  std::thread counting_;
  Corpus corpus_;
  size_t reused_ = 0, analysed_ = 0;
  std::vector<std::uint64_t> hashes_, lengths_;
};

// The terms of each text (in parallel over the cores), from `cache` (may be
// null) when the text is there: terms[i], the text's FNV-1a hashes[i], and
// hit[i] = 1 when it came from the cache.
void CountPassages(const std::vector<std::string_view>& texts, const analysis::Analyzer& analyzer,
                   const TermCache* cache, std::vector<PassageTerms>* terms,
                   std::vector<std::uint64_t>* hashes, std::vector<char>* hit);

// Appends one passage's counts as a row of `corpus` (term ids from its
// space, handed out first-seen), without weights.
void AppendRow(const PassageTerms& terms, Corpus* corpus);

// The normalised TF-IDF weights of every row from corpus->idf.
void Weigh(Corpus* corpus);

// Terms of a text that has nothing to do with the corpus (an area's name,
// a seed term): CountTerms as a map.
TermCounts CountText(std::string_view text, const analysis::Analyzer& analyzer);

}  // namespace samrad::themes::internal

#endif  // SAMRAD_ANALYSIS_THEMES_CORPUS_H_
