// Analyzer: loading, the word memos, stems, stop words, compounds.
#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <utility>

#include "analysis/analysis.h"
#include "analysis/analyzer_impl.h"
#include "analysis/lexicon.h"
#include "analysis/swedish.h"
#include "analysis/text.h"
#include "analysis/utf8.h"
#include "base/files.h"

namespace samrad::analysis {
namespace {

using internal::Contains;

std::atomic<uint64_t> g_next_generation{1};

// Xapian objects must not be used by two threads at once, and copies of a
// Xapian::Stem share their implementation: each thread builds its own.
// Xapian reports errors as exceptions; they are caught here and in Create.
Xapian::Stem& ThreadStemmer() {
  thread_local Xapian::Stem stemmer = [] {
    try {
      return Xapian::Stem("swedish");
    } catch (const Xapian::Error&) {
      return Xapian::Stem();  // Create() has already verified "swedish" exists
    }
  }();
  return stemmer;
}

// Per-thread memo of analysed words for the few analyzers a thread uses.
struct WordCache {
  uint64_t generation = 0;
  internal::StringMap<internal::WordInfo> words;
};

// This thread's memos, one per analyzer it used lately.
std::vector<WordCache>& ThreadCaches() {
  thread_local std::vector<WordCache> caches;
  return caches;
}

WordCache& ThreadCache(uint64_t generation) {
  constexpr size_t kAnalyzersPerThread = 4;
  std::vector<WordCache>& caches = ThreadCaches();
  for (WordCache& c : caches) {
    if (c.generation == generation) return c;
  }
  if (caches.size() < kAnalyzersPerThread) {
    caches.emplace_back();
  } else {
    // Replace the oldest: cheap, and a thread rarely alternates between many.
    std::rotate(caches.begin(), caches.begin() + 1, caches.end());
    caches.back().words.clear();
  }
  caches.back().generation = generation;
  return caches.back();
}

Result<internal::StringSet> ReadStopWords(const std::string& path) {
  internal::StringSet words;
  if (path.empty()) {
    for (std::string_view w : internal::SnowballSwedishStopWords()) words.emplace(w);
    return words;
  }
  Result<std::string> text = internal::ReadDictionaryFile(path);
  if (!text.ok()) return text.status();
  if (!internal::IsValidUtf8(*text)) return Status::DataError(path + ": not valid UTF-8");
  std::string_view rest = *text;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    // Snowball format: the word starts the line; "|" starts a comment.
    line = line.substr(0, line.find('|'));
    size_t end = line.find_first_of(" \t\r");
    line = line.substr(0, end);
    if (line.empty()) continue;
    std::string norm;
    internal::AppendNormalised(line, &norm);
    if (!norm.empty()) words.insert(std::move(norm));
  }
  return words;
}

}  // namespace

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kWord:
      return "word";
    case TokenKind::kNumber:
      return "number";
    case TokenKind::kAbbreviation:
      return "abbreviation";
    case TokenKind::kAlphanumeric:
      return "alphanumeric";
    case TokenKind::kEmail:
      return "email";
    case TokenKind::kUrl:
      return "url";
  }
  return "word";
}

void CorpusFrequencies::AddDocument(const std::vector<Token>& tokens) {
  ++documents;
  internal::StringSet seen;
  for (const Token& t : tokens) {
    if (t.kind != TokenKind::kWord || t.norm.empty()) continue;
    Count& c = words[t.norm];
    ++c.count;
    if (seen.insert(t.norm).second) ++c.doc_count;
  }
}

Analyzer::Analyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Analyzer::~Analyzer() = default;

const AnalyzerOptions& Analyzer::options() const { return impl_->options; }

namespace {

std::string FileStamp(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) return path + ":-";
  return path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtime);
}

}  // namespace

std::string Analyzer::Fingerprint() const {
  const AnalyzerOptions& o = impl_->options;
  std::string fp = FileStamp(o.lexicon_path) + "|" + FileStamp(o.hunspell_path + ".dic") + "|" +
                   FileStamp(o.hunspell_path + ".aff") + "|" + FileStamp(o.stopwords_path) + "|" +
                   std::to_string(o.split_compounds) + " " + std::to_string(o.min_compound_chars) + " " +
                   std::to_string(o.min_part_chars) + " " + std::to_string(o.min_short_part_productivity) +
                   " " + std::to_string(o.free_part_chars) + " " + std::to_string(o.min_part_productivity) +
                   " " + std::to_string(o.corpus_stop_doc_ratio) + " " +
                   std::to_string(o.corpus_stop_min_documents);
  // Corpus frequencies change splits and stop flags; an analyzer without
  // them (the pipeline's) keeps the fingerprint it always had.
  if (impl_->documents > 0) {
    fp += "|corpus " + std::to_string(impl_->documents) + " " + std::to_string(impl_->frequencies.size()) + " " +
          std::to_string(impl_->corpus_stop_words.size());
  }
  return ContentHash(fp);
}

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const AnalyzerOptions& options) {
  if (options.min_compound_chars < 2 || options.min_part_chars < 1 ||
      options.free_part_chars < options.min_part_chars || options.corpus_stop_doc_ratio < 0 ||
      options.corpus_stop_doc_ratio > 1) {
    return Status::InvalidArgument(
        "analysis: need min_compound_chars >= 2, min_part_chars >= 1, free_part_chars >= "
        "min_part_chars and 0 <= corpus_stop_doc_ratio <= 1");
  }
  SAMRAD_RETURN_IF_ERROR(internal::CheckIcu());
  try {
    Xapian::Stem probe("swedish");
  } catch (const Xapian::Error& e) {
    return Status::Internal("Xapian: no Swedish stemmer: " + e.get_msg());
  }

  auto impl = std::make_unique<Impl>();
  impl->options = options;
  Result<internal::StringSet> stop = ReadStopWords(options.stopwords_path);
  if (!stop.ok()) return stop.status();
  impl->list_stop_words = std::move(*stop);
  Result<internal::Lexicon> lexicon = internal::Lexicon::Load(
      options.lexicon_path, options.hunspell_path, internal::DerivationalSuffixes());
  if (!lexicon.ok()) return lexicon.status();
  impl->lexicon = std::move(*lexicon);
  internal::DecompounderOptions d;
  d.min_part_chars = options.min_part_chars;
  d.min_short_part_productivity = options.min_short_part_productivity;
  d.free_part_chars = options.free_part_chars;
  d.min_part_productivity = options.min_part_productivity;
  impl->decompounder = std::make_unique<internal::Decompounder>(
      &impl->lexicon, &impl->list_stop_words, &impl->frequencies, d);
  impl->generation = g_next_generation.fetch_add(1);
  impl->shared_memo.capacity_per_shard =
      options.shared_word_cache_entries / internal::SharedWordMemo::kShards;
  return std::unique_ptr<Analyzer>(new Analyzer(std::move(impl)));
}

std::string Analyzer::Impl::StemOf(std::string_view norm) const {
  return ThreadStemmer()(std::string(norm));
}

std::vector<std::string> Analyzer::Impl::Parts(std::string_view norm, uint32_t* head_part,
                                               std::vector<std::string>* surfaces) const {
  *head_part = 0;
  if (internal::CountChars(norm) < static_cast<size_t>(options.min_compound_chars)) return {};
  internal::Decompounder::Decomposition d = decompounder->Decompose(norm);
  std::vector<std::string> parts;
  size_t offset = 0;
  for (size_t i = 0; i < d.parts.size(); ++i) {
    if (offset < d.head_offset) *head_part = static_cast<uint32_t>(i + 1);
    offset += d.parts[i].surface.size();
    if (surfaces != nullptr) surfaces->push_back(d.parts[i].surface);
    // The last part keeps its inflection; the others stand for their lemma.
    parts.push_back(i + 1 == d.parts.size() ? d.parts[i].surface : d.parts[i].lemma);
  }
  return parts;
}

Analyzer::Impl::WordInfo Analyzer::Impl::ComputeWordInfo(std::string_view norm) const {
  WordInfo info;
  info.stem = StemOf(norm);
  info.stop = IsStop(norm);
  if (options.split_compounds) info.parts = Parts(norm, &info.head_part, &info.surface_parts);
  return info;
}

Analyzer::Impl::WordInfo Analyzer::Impl::SharedWordInfo(std::string_view norm) const {
  const size_t hash = internal::StringHash{}(norm);
  internal::SharedWordMemo::Shard& shard = shared_memo.shards[hash % internal::SharedWordMemo::kShards];
  WordInfo info;
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    if (shard.words.Find(norm, hash, &info)) return info;
  }
  info = ComputeWordInfo(norm);  // outside the lock: this is the slow part
  std::lock_guard<std::mutex> lock(shard.mu);
  if (shard.words.size() < shared_memo.capacity_per_shard) shard.words.Insert(norm, hash, info);
  return info;
}

const Analyzer::Impl::WordInfo& Analyzer::Impl::AnalyseWord(std::string_view norm) const {
  WordCache& cache = ThreadCache(generation);
  if (auto it = cache.words.find(norm); it != cache.words.end()) return it->second;
  if (cache.words.size() >= options.word_cache_entries) cache.words.clear();
  return cache.words.emplace(std::string(norm), SharedWordInfo(norm)).first->second;
}

std::vector<std::string> Analyzer::SplitCompound(std::string_view norm_word) const {
  uint32_t head_part = 0;
  return impl_->Parts(norm_word, &head_part);
}

std::vector<std::string> Analyzer::SplitCompoundSurface(std::string_view norm_word) const {
  if (internal::CountChars(norm_word) < static_cast<size_t>(impl_->options.min_compound_chars)) {
    return {};
  }
  // With compounds split, the memo has this split already (the same
  // decomposition that gave Token::parts).
  if (impl_->options.split_compounds) return impl_->AnalyseWord(norm_word).surface_parts;
  std::vector<std::string> out;
  for (internal::CompoundPart& p : impl_->decompounder->Decompose(norm_word).parts) {
    out.push_back(std::move(p.surface));
  }
  return out;
}

bool Analyzer::IsStopWord(std::string_view norm) const { return impl_->IsStop(norm); }

std::string Analyzer::Stem(std::string_view norm) const { return impl_->StemOf(norm); }

void Analyzer::AddCorpusFrequencies(const CorpusFrequencies& frequencies) {
  Impl& m = *impl_;
  m.documents += frequencies.documents;
  for (const auto& [word, c] : frequencies.words) {
    m.frequencies[word] += c.count;
    m.doc_counts[word] += c.doc_count;
  }
  m.corpus_stop_words.clear();
  if (m.options.corpus_stop_doc_ratio > 0 && m.documents >= m.options.corpus_stop_min_documents) {
    for (const auto& [word, docs] : m.doc_counts) {
      if (static_cast<double>(docs) >=
          m.options.corpus_stop_doc_ratio * static_cast<double>(m.documents)) {
        m.corpus_stop_words.insert(word);
      }
    }
  }
  // Cached stems are still right, but parts and stop flags may change.
  m.generation = g_next_generation.fetch_add(1);
  for (internal::SharedWordMemo::Shard& shard : m.shared_memo.shards) shard.words = internal::PackedWordMemo();
}

void Analyzer::ReleaseThreadMemo() const {
  std::vector<WordCache>& mine = ThreadCaches();
  for (WordCache& c : mine) {
    if (c.generation == impl_->generation) decltype(c.words)().swap(c.words);
  }
}

void Analyzer::ReleaseSharedMemo() const {
  ReleaseThreadMemo();
  for (internal::SharedWordMemo::Shard& shard : impl_->shared_memo.shards) {
    internal::PackedWordMemo released;
    std::lock_guard<std::mutex> lock(shard.mu);
    std::swap(released, shard.words);
  }
}

Analyzer::MemoStats Analyzer::SharedMemoStats() const {
  MemoStats stats;
  for (internal::SharedWordMemo::Shard& shard : impl_->shared_memo.shards) {
    std::lock_guard<std::mutex> lock(shard.mu);
    stats.words += shard.words.size();
    stats.bytes += shard.words.MemoryBytes();
  }
  return stats;
}

}  // namespace samrad::analysis
