#include "analysis/themes/corpus.h"


#include <algorithm>
#include <cmath>
#include <map>
#include <thread>

#include "base/binary.h"
#include "base/files.h"
#include "base/parallel.h"
#include "base/model.h"

namespace samrad::themes::internal {
namespace fs = std::filesystem;

namespace {

// Bump when CountTerms or the record format changes: old caches are ignored.
constexpr const char* kCacheFormat = "samrad-terms 2";

// The part of CountTerms that sorting needs per passage, with a memo of the
// stems of compound parts (each costs a Xapian stemmer call otherwise). The
// arithmetic is that of CountTerms: sums of 1 and 0.5, exact in a float.
class PassageCounter {
 public:
  explicit PassageCounter(const analysis::Analyzer& analyzer) : analyzer_(analyzer) {}

  PassageTerms Count(std::string_view text) {
    std::vector<analysis::Token> tokens = analyzer_.Tokenize(text);
    std::unordered_map<std::string, float> counts;
    std::map<std::pair<std::string, std::string>, int> surfaces;
    for (const analysis::Token& t : tokens) {
      if (t.stop) continue;
      if (t.kind != analysis::TokenKind::kWord && t.kind != analysis::TokenKind::kAlphanumeric) {
        continue;
      }
      if (t.norm.size() < 3) continue;
      // Redaction placeholders ("[namn]") are not words anybody said.
      if (IsRedactionPlaceholder(text, t.byte_start, t.byte_end)) continue;
      counts[t.stem] += 1.0f;
      ++surfaces[{t.stem, t.norm}];
      for (const std::string& part : t.parts) {
        const std::string& stem = PartStem(part);
        if (stem.empty() || stem == t.stem) continue;
        counts[stem] += 0.5f;
      }
    }
    PassageTerms out;
    out.counts.assign(counts.begin(), counts.end());
    std::sort(out.counts.begin(), out.counts.end());
    out.surfaces.assign(surfaces.begin(), surfaces.end());
    return out;
  }

 private:
  // "" for a part that does not count (short, or a stop word).
  const std::string& PartStem(const std::string& part) {
    auto it = memo_.find(part);
    if (it != memo_.end()) return it->second;
    if (memo_.size() > (1u << 18)) memo_.clear();
    std::string stem;
    if (part.size() >= 3 && !analyzer_.IsStopWord(part)) stem = analyzer_.Stem(part);
    return memo_.emplace(part, std::move(stem)).first->second;
  }

  const analysis::Analyzer& analyzer_;
  std::unordered_map<std::string, std::string> memo_;
};

}  // namespace

TermCounts CountText(std::string_view text, const analysis::Analyzer& analyzer) {
  return CountTerms(analyzer.Tokenize(text), analyzer, nullptr);
}

// ---- The term cache ------------------------------------------------------------

std::string TermCacheHeader(const analysis::Analyzer& analyzer) {
  return std::string(kCacheFormat) + " " + analyzer.Fingerprint() + "\n";
}

TermCache TermCache::Load(const fs::path& path, const std::string& header) {
  TermCache c;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return c;
  Result<std::string> bytes = ReadFile(path, std::uintmax_t{4} << 30);
  if (!bytes.ok() || bytes->compare(0, header.size(), header) != 0) return c;
  c.bytes_ = std::move(*bytes);
  const std::string_view b = c.bytes_;
  size_t pos = header.size();
  // One pass to learn the strings and where each record starts; a torn or
  // corrupt tail just ends the cache there.
  auto ref = [&](std::uint64_t* id) {
    if (!GetVarint(b, &pos, id)) return false;
    if (*id == c.strings_.size()) {
      std::uint64_t len = 0;
      if (!GetVarint(b, &pos, &len) || pos + len > b.size()) return false;
      c.strings_.push_back(b.substr(pos, len));
      pos += len;
    }
    return *id < c.strings_.size();
  };
  while (pos < b.size()) {
    const size_t start = pos;
    const size_t strings_before = c.strings_.size();
    std::uint64_t hash = 0, length = 0, n = 0, x = 0, y = 0, z = 0;
    if (!GetU64(b, &pos, &hash) || !GetVarint(b, &pos, &length) || !GetVarint(b, &pos, &n)) break;
    bool ok = true;
    for (std::uint64_t i = 0; ok && i < n; ++i) ok = ref(&x) && GetVarint(b, &pos, &y);
    ok = ok && GetVarint(b, &pos, &n);
    for (std::uint64_t i = 0; ok && i < n; ++i) ok = ref(&x) && ref(&y) && GetVarint(b, &pos, &z);
    if (!ok) break;
    c.records_.try_emplace(hash, Record{length, start, strings_before});
    c.valid_end_ = pos;
  }
  return c;
}

bool TermCache::Find(std::uint64_t hash, std::uint64_t length, PassageTerms* out) const {
  auto it = records_.find(hash);
  if (it == records_.end() || it->second.length != length) return false;
  const std::string_view b = bytes_;
  size_t pos = it->second.offset + 8;
  std::uint64_t v = 0, n = 0, x = 0, y = 0, z = 0;
  GetVarint(b, &pos, &v);
  // Load has checked the record and learnt every string: a ref to the next
  // new string is followed by the string itself, which is skipped here.
  std::uint64_t next = it->second.strings_before;
  auto ref = [&](std::uint64_t* id) {
    GetVarint(b, &pos, id);
    if (*id == next) {
      std::uint64_t len = 0;
      GetVarint(b, &pos, &len);
      pos += len;
      ++next;
    }
  };
  out->counts.clear();
  out->surfaces.clear();
  GetVarint(b, &pos, &n);
  out->counts.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    ref(&x);
    GetVarint(b, &pos, &y);
    out->counts.emplace_back(std::string(strings_[x]), static_cast<float>(y) * 0.5f);
  }
  GetVarint(b, &pos, &n);
  out->surfaces.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    ref(&x);
    ref(&y);
    GetVarint(b, &pos, &z);
    out->surfaces.push_back({{std::string(strings_[x]), std::string(strings_[y])}, static_cast<int>(z)});
  }
  return true;
}

TermCacheWriter::TermCacheWriter(std::unique_ptr<AtomicFileWriter> out, const std::string& header,
                                 const TermCache* base)
    : out_(std::move(out)) {
  if (base == nullptr || base->valid_end_ <= header.size() ||
      base->bytes_.compare(0, header.size(), header) != 0) {
    out_->Write(header);
    return;
  }
  // New strings continue the file's numbering (ids are handed out in
  // first-seen order).
  for (std::string_view s : base->strings_) ids_.Intern(s);
  if (ids_.size() != base->strings_.size()) {  // not a file this writer wrote
    ids_ = StringIds();
    out_->Write(header);
    return;
  }
  out_->Write(std::string_view(base->bytes_).substr(0, base->valid_end_));
  for (const auto& [hash, record] : base->records_) written_.insert(hash);
}

std::uint32_t TermCacheWriter::Ref(const std::string& s) {
  const size_t before = ids_.size();
  const std::uint32_t id = ids_.Intern(s);
  PutVarint(id, &buf_);
  if (ids_.size() > before) {  // a new string: its bytes follow its id
    PutVarint(s.size(), &buf_);
    buf_ += s;
  }
  return id;
}

void TermCacheWriter::Add(std::uint64_t hash, std::uint64_t length, const PassageTerms& terms) {
  if (!written_.insert(hash).second) return;  // the same text again
  PutU64(hash, &buf_);
  PutVarint(length, &buf_);
  PutVarint(terms.counts.size(), &buf_);
  for (const auto& [term, c] : terms.counts) {
    Ref(term);
    PutVarint(static_cast<std::uint64_t>(std::lround(c * 2.0f)), &buf_);
  }
  PutVarint(terms.surfaces.size(), &buf_);
  for (const auto& [pair, n] : terms.surfaces) {
    Ref(pair.first);
    Ref(pair.second);
    PutVarint(static_cast<std::uint64_t>(n), &buf_);
  }
  if (buf_.size() > (1u << 20)) {
    out_->Write(buf_);
    buf_.clear();
  }
}

Status TermCacheWriter::Commit() {
  out_->Write(buf_);
  std::string().swap(buf_);
  // Nothing is added after this: the string table and the hashes written go
  // (#11: ~70 MB at N=100,000, held through the sort when committed last).
  ids_ = StringIds();
  std::unordered_set<std::uint64_t>().swap(written_);
  return out_->Commit();
}

// ---- CorpusBuilder -----------------------------------------------------------------

void CountPassages(const std::vector<std::string_view>& texts, const analysis::Analyzer& analyzer,
                   const TermCache* cache, std::vector<PassageTerms>* terms_out,
                   std::vector<std::uint64_t>* hashes_out, std::vector<char>* hit_out) {
  const size_t n = texts.size();
  std::vector<PassageTerms>& terms = *terms_out;
  std::vector<std::uint64_t>& hashes = *hashes_out;
  std::vector<char>& hit = *hit_out;
  terms.assign(n, {});
  hashes.assign(n, 0);
  hit.assign(n, 0);
  const size_t workers = WorkerCount(n);
  // Each result lands in its own slot, so nothing depends on thread timing.
  RunOnWorkers(workers, [&](size_t w) {
    PassageCounter counter(analyzer);
    for (size_t i = w; i < n; i += workers) {
      hashes[i] = Fnv1a64(texts[i]);
      if (cache != nullptr && cache->Find(hashes[i], texts[i].size(), &terms[i])) {
        hit[i] = 1;
      } else {
        terms[i] = counter.Count(texts[i]);
      }
    }
  });
}

void AppendRow(const PassageTerms& terms, Corpus* corpus) {
  Corpus& c = *corpus;
  const size_t begin = c.term.size();
  for (const auto& [t, cnt] : terms.counts) {
    c.term.push_back(c.space.Id(t));
    c.count.push_back(cnt);
  }
  // Ids are first-seen, so a passage's new terms get ascending ids but old
  // ones may be anywhere: sort the passage's entries by id.
  std::vector<std::pair<std::uint32_t, float>> e;
  e.reserve(c.term.size() - begin);
  for (size_t j = begin; j < c.term.size(); ++j) e.emplace_back(c.term[j], c.count[j]);
  std::sort(e.begin(), e.end());
  for (size_t j = 0; j < e.size(); ++j) {
    c.term[begin + j] = e[j].first;
    c.count[begin + j] = e[j].second;
  }
  c.offset.push_back(c.term.size());
}

void CorpusBuilder::SpillTo(std::shared_ptr<SpillFile> file, size_t entries) {
  if (file == nullptr) return;
  corpus_.offset = SpillVector<std::uint64_t>(corpus_.offset.begin(), corpus_.offset.end(),
                                              SpillAllocator<std::uint64_t>(file));
  corpus_.term = SpillVector<std::uint32_t>(corpus_.term.begin(), corpus_.term.end(), SpillAllocator<std::uint32_t>(file));
  corpus_.count = SpillVector<float>(corpus_.count.begin(), corpus_.count.end(), SpillAllocator<float>(file));
  corpus_.weight = SpillVector<float>(SpillAllocator<float>(file));
  corpus_.term.reserve(entries);
  corpus_.count.reserve(entries);
  corpus_.spill = std::move(file);
}

CorpusBuilder::~CorpusBuilder() {
  if (counting_.joinable()) counting_.join();
}

void CorpusBuilder::AddBlock(std::vector<std::string> texts) {
  auto block = std::make_unique<Block>();
  block->texts = std::move(texts);
  // The block before is merged here while this one is counted: merging is
  // serial (ids in passage order) and counting is what the other cores do.
  if (counting_.joinable()) counting_.join();
  std::unique_ptr<Block> counted = std::move(pending_);
  pending_ = std::move(block);
  counting_ = std::thread([this, b = pending_.get()] {
    const std::vector<std::string_view> views(b->texts.begin(), b->texts.end());
    CountPassages(views, analyzer_, cache_, &b->terms, &b->hashes, &b->hit);
  });
  if (counted) Merge(*counted);
}

void CorpusBuilder::MergePending() {
  if (counting_.joinable()) counting_.join();
  if (pending_) Merge(*pending_);
  pending_.reset();
}

void CorpusBuilder::Merge(const Block& b) {
  Corpus& c = corpus_;
  for (size_t i = 0; i < b.texts.size(); ++i) {
    AppendRow(b.terms[i], &c);
    for (const auto& [pair, cnt] : b.terms[i].surfaces) {
      c.space.SeeSurface(static_cast<std::uint32_t>(c.space.Find(pair.first)), pair.second, cnt);
    }
    if (writer_ != nullptr) writer_->Add(b.hashes[i], b.texts[i].size(), b.terms[i]);
    ++(b.hit[i] ? reused_ : analysed_);
    hashes_.push_back(b.hashes[i]);
    lengths_.push_back(b.texts[i].size());
  }
  c.ReleasePages();
}

Corpus CorpusBuilder::Finish() {
  MergePending();
  Corpus c = std::move(corpus_);
  corpus_ = Corpus{};
  // Held to the model's write: without the room they grew into.
  hashes_.shrink_to_fit();
  lengths_.shrink_to_fit();
  std::vector<int> df(c.space.size(), 0);
  for (size_t i = 0; i < c.size(); ++i) {
    for (std::uint64_t j = c.offset[i]; j < c.offset[i + 1]; ++j) ++df[c.term[j]];
    c.ReleaseEvery(i);
  }
  const double n = static_cast<double>(c.size());
  c.idf.resize(df.size());
  for (size_t t = 0; t < df.size(); ++t) {
    c.idf[t] = static_cast<float>(std::log((n + 1.0) / (df[t] + 1.0)) + 1.0);
  }
  Weigh(&c);
  return c;
}

void Weigh(Corpus* corpus) {
  Corpus& c = *corpus;
  // Sublinear tf; a term seen only as a compound part (count 0.5) counts half.
  c.weight.resize(c.term.size());
  for (size_t i = 0; i < c.size(); ++i) {
    double norm = 0;
    for (std::uint64_t j = c.offset[i]; j < c.offset[i + 1]; ++j) {
      const float cnt = c.count[j];
      const float w = static_cast<float>((1.0 + std::log(std::max(1.0f, cnt))) * c.idf[c.term[j]]) *
                      (cnt < 1.0f ? cnt : 1.0f);
      c.weight[j] = w;
      norm += static_cast<double>(w) * w;
    }
    if (norm > 0) {
      const double inv = 1.0 / std::sqrt(norm);
      for (std::uint64_t j = c.offset[i]; j < c.offset[i + 1]; ++j) {
        c.weight[j] = static_cast<float>(c.weight[j] * inv);
      }
    }
    c.ReleaseEvery(i);
  }
  c.ReleasePages();
}

}  // namespace samrad::themes::internal
