#include "analysis/word_memo.h"

#include <cstring>
#include <functional>

namespace samrad::analysis::internal {
namespace {

void PutLength(size_t n, std::string* out) {
  while (n >= 0x80) {
    out->push_back(static_cast<char>((n & 0x7F) | 0x80));
    n >>= 7;
  }
  out->push_back(static_cast<char>(n));
}

void PutString(std::string_view s, std::string* out) {
  PutLength(s.size(), out);
  out->append(s);
}

// Reads what PutLength wrote at *p and moves past it. Records are written
// by this file only, so they are never truncated.
size_t GetLength(const char** p) {
  size_t n = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(*(*p)++);
    n |= static_cast<size_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return n;
  }
}

std::string_view GetString(const char** p) {
  const size_t n = GetLength(p);
  const std::string_view s(*p, n);
  *p += n;
  return s;
}

void GetStrings(const char** p, std::vector<std::string>* out) {
  const size_t n = GetLength(p);
  out->clear();
  out->reserve(n);
  for (size_t i = 0; i < n; ++i) out->emplace_back(GetString(p));
}

uint32_t Tag(size_t hash) { return static_cast<uint32_t>(static_cast<uint64_t>(hash) >> 32); }

}  // namespace

size_t PackedWordMemo::Probe(std::string_view word, size_t hash) const {
  const size_t mask = slots_.size() - 1;
  const uint64_t tag = static_cast<uint64_t>(Tag(hash)) << 32;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const uint64_t s = slots_[i];
    if (s == 0) return i;
    if ((s & 0xFFFFFFFF00000000u) != tag) continue;
    const char* p = Record(s);
    if (GetString(&p) == word) return i;
  }
}

bool PackedWordMemo::Find(std::string_view word, size_t hash, WordInfo* out) const {
  if (size_ == 0) return false;
  const uint64_t slot = slots_[Probe(word, hash)];
  if (slot == 0) return false;
  const char* p = Record(slot);
  GetString(&p);  // the word
  out->stem.assign(GetString(&p));
  out->stop = (*p++ & 1) != 0;
  out->head_part = static_cast<uint32_t>(GetLength(&p));
  GetStrings(&p, &out->parts);
  GetStrings(&p, &out->surface_parts);
  return true;
}

void PackedWordMemo::Insert(std::string_view word, size_t hash, const WordInfo& info) {
  if ((size_ + 1) * 10 > slots_.size() * 7) Grow();
  const size_t i = Probe(word, hash);
  if (slots_[i] != 0) return;
  thread_local std::string record;
  record.clear();
  PutString(word, &record);
  PutString(info.stem, &record);
  record.push_back(info.stop ? 1 : 0);
  PutLength(info.head_part, &record);
  PutLength(info.parts.size(), &record);
  for (const std::string& s : info.parts) PutString(s, &record);
  PutLength(info.surface_parts.size(), &record);
  for (const std::string& s : info.surface_parts) PutString(s, &record);
  // A record larger than a chunk (a "word" of a megabyte) is not memoised:
  // it is analysed again when seen again, with the same result.
  if (record.size() > kChunkBytes) return;
  if (chunks_.empty() || kChunkBytes - used_ < record.size()) {
    if (chunks_.size() == kMaxChunks) return;
    // Not zeroed: pages past what is written are never touched, so they
    // cost address space, not memory.
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(kChunkBytes));
    used_ = 0;
  }
  std::memcpy(chunks_.back().get() + used_, record.data(), record.size());
  const uint64_t at = ((chunks_.size() - 1) << kOffsetBits | used_) + 1;
  used_ += record.size();
  slots_[i] = static_cast<uint64_t>(Tag(hash)) << 32 | at;
  ++size_;
}

void PackedWordMemo::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
  const size_t mask = slots_.size() - 1;
  for (const uint64_t s : old) {
    if (s == 0) continue;
    const char* p = Record(s);
    const size_t hash = std::hash<std::string_view>{}(GetString(&p));
    size_t i = hash & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

size_t PackedWordMemo::MemoryBytes() const {
  return chunks_.size() * kChunkBytes + slots_.capacity() * sizeof(uint64_t);
}

}  // namespace samrad::analysis::internal
