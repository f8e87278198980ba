#include "reports/scan_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "base/binary.h"

namespace samrad::reports::internal {
namespace fs = std::filesystem;

namespace {

// Bump when Scan (method.cc) or the record format changes: old caches are
// then ignored.
constexpr const char* kScanCacheFormat = "samrad-report-scan 2";

// The copy of a base file and the records between flushes go out in pieces
// of about this size.
constexpr size_t kFlushBytes = size_t{1} << 20;

}  // namespace

std::string ScanCacheHeader(const std::string& analyzer_fingerprint) {
  return std::string(kScanCacheFormat) + " " + analyzer_fingerprint + "\n";
}

ScanCache::~ScanCache() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
}

std::unique_ptr<ScanCache> ScanCache::Load(const fs::path& path, const std::string& header) {
  auto c = std::make_unique<ScanCache>();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return c;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<size_t>(st.st_size) < header.size()) {
    ::close(fd);
    return c;
  }
  void* m = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) return c;
  c->data_ = static_cast<const char*>(m);
  c->size_ = static_cast<size_t>(st.st_size);
  ::madvise(m, c->size_, MADV_SEQUENTIAL);
  const std::string_view b = c->bytes();
  if (b.compare(0, header.size(), header) != 0) return c;

  // One pass to learn the strings and where each record starts; a torn or
  // corrupt tail just ends the cache there.
  size_t pos = header.size();
  c->valid_end_ = pos;
  std::vector<std::string_view>& strings = c->strings_;
  auto ref = [&] {
    std::uint64_t id = 0;
    if (!GetVarint(b, &pos, &id)) return false;
    if (id == strings.size()) {
      std::uint64_t len = 0;
      if (!GetVarint(b, &pos, &len) || len > b.size() - pos) return false;
      strings.push_back(b.substr(pos, len));
      pos += len;
    }
    return id < strings.size();
  };
  auto varints = [&](int k) {
    std::uint64_t v = 0;
    for (int i = 0; i < k; ++i) {
      if (!GetVarint(b, &pos, &v)) return false;
    }
    return true;
  };
  // The pages read are handed back every 16 MiB (#11: the file is ~0.2 KB a
  // passage, and held whole it would count against the stage's memory).
  constexpr size_t kReleaseBytes = size_t{16} << 20;
  size_t release_at = pos + kReleaseBytes;
  while (pos < b.size()) {
    if (pos >= release_at) {
      c->ReleasePages();
      release_at = pos + kReleaseBytes;
    }
    const size_t start = pos;
    const size_t strings_before = strings.size();
    std::uint64_t hash = 0, length = 0, n = 0;
    if (!GetU64(b, &pos, &hash) || !GetVarint(b, &pos, &length)) break;
    bool ok = GetVarint(b, &pos, &n);
    for (std::uint64_t i = 0; ok && i < n; ++i) ok = varints(1) && ref() && ref();
    ok = ok && GetVarint(b, &pos, &n);
    for (std::uint64_t i = 0; ok && i < n; ++i) {
      std::uint64_t x = 0;
      ok = GetVarint(b, &pos, &x) && ((x & 15) == 0 || (ref() && ref()));
    }
    ok = ok && GetVarint(b, &pos, &n);
    for (std::uint64_t i = 0; ok && i < n; ++i) ok = varints(1);
    ok = ok && GetVarint(b, &pos, &n);
    for (std::uint64_t i = 0; ok && i < n; ++i) ok = varints(2);
    if (!ok) {
      strings.resize(strings_before);
      break;
    }
    c->records_.try_emplace(hash, Record{length, start, strings_before});
    c->valid_end_ = pos;
  }
  c->ReleasePages();
  return c;
}

void ScanCache::ReleasePages() const {
  if (data_ != nullptr) ::madvise(const_cast<char*>(data_), size_, MADV_DONTNEED);
}

bool ScanCache::Has(std::uint64_t hash, std::uint64_t length) const {
  auto it = records_.find(hash);
  return it != records_.end() && it->second.length == length;
}

bool ScanCache::Find(std::uint64_t hash, std::uint64_t length, CachedPassage* out) const {
  auto it = records_.find(hash);
  if (it == records_.end() || it->second.length != length || length > 0xFFFFFFFFu) return false;
  const std::string_view b = bytes();
  size_t pos = it->second.offset + 8;
  std::uint64_t v = 0, n = 0, x = 0;
  GetVarint(b, &pos, &v);  // the length, checked above
  // Load has checked the record's structure and learnt its strings: a ref
  // to the next new string is followed by the string itself, skipped here.
  std::uint64_t next = it->second.strings_before;
  auto ref = [&]() -> std::uint32_t {
    std::uint64_t id = 0;
    GetVarint(b, &pos, &id);
    if (id == next) {
      std::uint64_t len = 0;
      GetVarint(b, &pos, &len);
      pos += len;
      ++next;
    }
    return static_cast<std::uint32_t>(id);
  };
  // Every offset must fall inside the text: a record that does not is from
  // a damaged file (or another text with the same hash) and is not used.
  CachedPassage& r = *out;
  r.terms.clear();
  r.phrase_tokens.clear();
  r.stance.clear();
  r.sentences.clear();
  std::uint64_t byte = 0;
  GetVarint(b, &pos, &n);
  r.terms.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    GetVarint(b, &pos, &x);
    byte += x >> 1;
    if (byte >= length) return false;
    const std::uint32_t stem = ref();
    const std::uint32_t surface = ref();
    r.terms.push_back({static_cast<std::uint32_t>(byte), stem, surface, (x & 1) != 0});
  }
  GetVarint(b, &pos, &n);
  r.phrase_tokens.resize(n);
  for (CachedToken& t : r.phrase_tokens) {
    GetVarint(b, &pos, &x);
    if ((x >> 4) > length) return false;
    t.chars = static_cast<std::uint32_t>(x >> 4);
    t.flags = static_cast<std::uint8_t>(x & 15);
    t.norm = t.stem = 0;
    if (t.flags != 0) {
      t.norm = ref();
      t.stem = ref();
    }
  }
  byte = 0;
  GetVarint(b, &pos, &n);
  r.stance.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    GetVarint(b, &pos, &x);
    byte += x >> 1;
    if (byte >= length) return false;
    r.stance.push_back({static_cast<std::uint32_t>(byte), (x & 1) ? 1 : -1});
  }
  std::uint64_t end = 0;
  GetVarint(b, &pos, &n);
  r.sentences.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t gap = 0, len = 0;
    GetVarint(b, &pos, &gap);
    GetVarint(b, &pos, &len);
    const std::uint64_t start = end + gap;
    if (start > length || len > length - start) return false;
    end = start + len;
    r.sentences.emplace_back(static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end));
  }
  return true;
}

ScanCacheWriter::ScanCacheWriter(std::unique_ptr<AtomicFileWriter> out, const std::string& header,
                                 const ScanCache* base, const Tables& tables)
    : out_(std::move(out)), tables_(tables) {
  if (base == nullptr || base->valid_end_ <= header.size() || base->bytes().compare(0, header.size(), header) != 0) {
    buf_ = header;
    return;
  }
  // New strings continue the file's numbering.
  next_id_ = static_cast<std::uint32_t>(base->strings_.size());
  const std::string_view copy = base->bytes().substr(0, base->valid_end_);
  for (size_t at = 0; at < copy.size(); at += kFlushBytes) {
    out_->Write(copy.substr(at, kFlushBytes));
    if ((at / kFlushBytes) % 16 == 15) base->ReleasePages();
  }
  base->ReleasePages();
}

void ScanCacheWriter::Ref(int table, std::uint32_t id) {
  std::vector<std::uint32_t>& file_id = file_ids_[table];
  if (id >= file_id.size()) file_id.resize(std::max<size_t>(id + 1, file_id.size() * 2), kNoId);
  if (file_id[id] == kNoId) {
    // First use of this string in the run: the file's next id, followed by
    // the string.
    file_id[id] = next_id_++;
    PutVarint(file_id[id], &buf_);
    PutString((*tables_[table])[id], &buf_);
    return;
  }
  PutVarint(file_id[id], &buf_);
}

namespace {

// Whether the record can be delta-encoded: terms and stance marks by byte,
// sentences in order and not overlapping. Scan gives nothing else; anything
// else is not cached (and so tokenised again next time) rather than garbled.
bool Encodable(const CachedPassage& r) {
  auto by_byte = [](const auto& a, const auto& b) { return a.byte_start < b.byte_start; };
  if (!std::is_sorted(r.terms.begin(), r.terms.end(), by_byte)) return false;
  if (!std::is_sorted(r.stance.begin(), r.stance.end(), by_byte)) return false;
  std::uint32_t end = 0;
  for (const auto& [start, stop] : r.sentences) {
    if (start < end || stop < start) return false;
    end = stop;
  }
  for (const CachedToken& t : r.phrase_tokens) {
    if (t.flags > 15) return false;
  }
  return true;
}

}  // namespace

void ScanCacheWriter::Add(std::uint64_t hash, std::uint64_t length, const CachedPassage& r) {
  if (!Encodable(r)) return;
  PutU64(hash, &buf_);
  PutVarint(length, &buf_);
  std::uint64_t byte = 0;
  PutVarint(r.terms.size(), &buf_);
  for (const CachedTerm& t : r.terms) {
    PutVarint(((std::uint64_t{t.byte_start} - byte) << 1) | (t.part ? 1u : 0u), &buf_);
    byte = t.byte_start;
    Ref(kStems, t.stem);
    Ref(kSurfaces, t.surface);
  }
  PutVarint(r.phrase_tokens.size(), &buf_);
  for (const CachedToken& t : r.phrase_tokens) {
    PutVarint((std::uint64_t{t.chars} << 4) | t.flags, &buf_);
    if (t.flags == 0) continue;  // a break has no strings
    Ref(kPhraseStrings, t.norm);
    Ref(kPhraseStrings, t.stem);
  }
  byte = 0;
  PutVarint(r.stance.size(), &buf_);
  for (const StanceMark& m : r.stance) {
    PutVarint(((std::uint64_t{m.byte_start} - byte) << 1) | (m.sign > 0 ? 1u : 0u), &buf_);
    byte = m.byte_start;
  }
  std::uint64_t end = 0;
  PutVarint(r.sentences.size(), &buf_);
  for (const auto& [start, stop] : r.sentences) {
    PutVarint(start - end, &buf_);
    PutVarint(stop - start, &buf_);
    end = stop;
  }
  if (buf_.size() > kFlushBytes) Flush();
}

void ScanCacheWriter::Flush() {
  out_->Write(buf_);
  buf_.clear();
}

Status ScanCacheWriter::Commit() {
  Flush();
  return out_->Commit();
}

}  // namespace samrad::reports::internal
