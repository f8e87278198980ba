// Internal to samrad_reports: what tokenising a passage gives the reports,
// and a file that keeps it from one run to the next, so that a nightly run
// tokenises only the passages whose text it has not seen before (#11:
// tokenising every passage was ~9 s of the 18 s report stage of a nightly
// run at N=20,000).
//
// The file, STATE/reports/scan.cache: a header line (the format and the
// analyzer's Fingerprint()), then one record per distinct passage text:
//   u64 FNV-1a of the text (little endian), varint text length,
//   varint n, n x (varint (byte delta << 1 | compound part), ref stem, ref surface)
//   varint n, n x (varint (chars << 4 | flags), and unless flags is 0 (a
//                  break): ref norm, ref stem)
//   varint n, n x (varint (byte delta << 1 | supportive))
//   varint n, n x (varint start delta from the last end, varint length)
// Byte deltas are from the previous entry's byte (terms and stance marks
// come in text order). A ref is a varint index into the strings seen so far
// in the file; the next new index is followed by the string itself (varint
// length, bytes), as in the analysis' term cache.
//
// A missing file, another header or a torn or corrupt tail gives the records
// before it, or none; never an error: the cache only saves time. A record
// whose offsets do not fit its text is not used.
#ifndef SAMRAD_REPORTS_SCAN_CACHE_H_
#define SAMRAD_REPORTS_SCAN_CACHE_H_

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/files.h"
#include "base/status.h"
#include "reports/phrases.h"
#include "reports/strings.h"

namespace samrad::reports::internal {

// A stance word in a passage: +1 supportive, -1 critical (after negation).
struct StanceMark {
  std::uint32_t byte_start;
  int sign;
};

// One content word of a passage, or one part of a compound word, before the
// term index gives its stem an id.
struct RawTerm {
  std::uint32_t byte_start;
  std::string stem;
  float weight;  // 1 for a word, 0.5 for a compound part
  std::string surface;
};

// What the reports take from tokenising one passage.
struct RawPassage {
  std::vector<RawTerm> terms;  // by byte_start
  std::vector<PhraseTokens::ReducedToken> phrase_tokens;
  std::vector<StanceMark> stance;  // by byte_start
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sentences;  // byte spans, in order
};

// A RawPassage with its strings as ids: read from the cache (Find), ids of
// the cache's strings (ScanCache::String), so that a reader maps each to
// its own id once rather than hashing every occurrence (#11); written to it
// (ScanCacheWriter::Add), ids of the term index's string tables.
struct CachedTerm {
  std::uint32_t byte_start;
  std::uint32_t stem, surface;
  bool part;  // a compound part (weight 0.5)
};
struct CachedToken {
  std::uint32_t norm, stem;
  std::uint32_t chars;
  std::uint8_t flags;
};
struct CachedPassage {
  std::vector<CachedTerm> terms;
  std::vector<CachedToken> phrase_tokens;
  std::vector<StanceMark> stance;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sentences;
};

std::string ScanCacheHeader(const std::string& analyzer_fingerprint);

class ScanCache {
 public:
  ScanCache() = default;
  ~ScanCache();
  ScanCache(const ScanCache&) = delete;
  ScanCache& operator=(const ScanCache&) = delete;

  // Maps the file and learns where each record starts; empty when the file
  // is missing, unreadable or has another header.
  static std::unique_ptr<ScanCache> Load(const std::filesystem::path& path, const std::string& header);

  // The record of the text with this FNV-1a and length, decoded; false when
  // there is none or it does not fit a text of that length. Thread-safe.
  bool Find(std::uint64_t hash, std::uint64_t length, CachedPassage* out) const;
  // The strings the records refer to.
  std::string_view String(std::uint32_t i) const { return strings_[i]; }
  size_t strings() const { return strings_.size(); }
  bool Has(std::uint64_t hash, std::uint64_t length) const;
  size_t size() const { return records_.size(); }

  // Hands the pages read so far back to the page cache (#11: the file is
  // mapped, and pages once read would otherwise count towards the stage's
  // memory until the end). Views into the file stay valid.
  void ReleasePages() const;

 private:
  friend class ScanCacheWriter;
  const char* data_ = nullptr;
  size_t size_ = 0;
  std::string_view bytes() const { return {data_, size_}; }
  std::vector<std::string_view> strings_;  // views into the mapping
  struct Record {
    std::uint64_t length = 0;    // of the text
    size_t offset = 0;           // of the record, in the file
    size_t strings_before = 0;   // strings defined before the record
  };
  std::unordered_map<std::uint64_t, Record> records_;  // by FNV-1a of the text
  size_t valid_end_ = 0;  // bytes up to here are whole records
};

class ScanCacheWriter {
 public:
  // The string tables the records' ids refer to (those of the term index
  // being built): each distinct string is looked up once a run, not at each
  // of its occurrences (#11).
  enum Table { kStems = 0, kSurfaces = 1, kPhraseStrings = 2 };
  using Tables = std::array<const StringIds*, 3>;

  // With `base` (loaded with the same header), its records are copied first,
  // as they are, and Add() appends to them: what a nightly run does with the
  // few texts it has not seen. Without, the file starts empty.
  ScanCacheWriter(std::unique_ptr<AtomicFileWriter> out, const std::string& header, const ScanCache* base,
                  const Tables& tables);
  // A passage's record: its term stems and surfaces and its phrase tokens'
  // norms and stems as ids in `tables`. Add each text once, and none that
  // `base` holds: the writer keeps no set of what it wrote (#11: memory).
  void Add(std::uint64_t hash, std::uint64_t length, const CachedPassage& record);
  Status Commit();

 private:
  void Ref(int table, std::uint32_t id);
  void Flush();
  std::unique_ptr<AtomicFileWriter> out_;
  Tables tables_;
  // Per table: id -> the string's id in the file. A string in two tables
  // (a stem that is also a surface form) is written once for each: no
  // lookup table of all the file's strings is held (#11: memory).
  std::array<std::vector<std::uint32_t>, 3> file_ids_;
  std::uint32_t next_id_ = 0;  // the file's next string id
  std::string buf_;
};

}  // namespace samrad::reports::internal

#endif  // SAMRAD_REPORTS_SCAN_CACHE_H_
