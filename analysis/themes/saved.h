// Internal to samrad_themes: what a full fit leaves behind so that later runs
// can place new passages with the same model (docs/themes.md, "Incremental
// runs"), and the record of the last output that tells which passages.jsonl
// lines can be kept as they are.
//
// Both are binary files written atomically: a header line naming the format,
// the payload (binary.h), and the 64-bit FNV-1a of everything before it. A
// file whose checksum or structure is wrong is refused with a DataError that
// names it; the caller then does a full fit.
//
//   STATE/analysis/model.bin      written by a full fit only
//   STATE/analysis/output.index   written by every run
#ifndef SAMRAD_ANALYSIS_THEMES_SAVED_H_
#define SAMRAD_ANALYSIS_THEMES_SAVED_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/themes/themes.h"
#include "analysis/themes/vectors.h"
#include "base/spill.h"
#include "base/status.h"
#include "base/string_arena.h"

namespace samrad::themes::internal {

inline constexpr const char* kModelFile = "model.bin";
inline constexpr const char* kOutputIndexFile = "output.index";

// A passage as the fit or the last run saw it: its id and its text (FNV-1a
// and length). The id's bytes are held elsewhere: in the StringArena of the
// SavedModel or OutputIndex read from a file, else in the PassageKeys the
// key was made from.
struct PassageKey {
  std::string_view id;
  std::uint64_t text_hash = 0;
  std::uint64_t text_length = 0;
};

// What a fit depends on besides the passages: the framework and overrides
// (their bytes), the analyzer (TermCacheHeader) and every sort and cluster
// option. A saved model with another fingerprint is not used.
std::string FitFingerprint(const std::string& framework_bytes, const std::string& overrides_bytes,
                           const analysis::Analyzer& analyzer, const SortOptions& so,
                           const ClusterOptions& co);

struct SavedTheme {
  int id = 0;
  std::string label;
  std::vector<std::string> terms;
  SparseVector centre;  // unit length, over the fit's term ids
};

struct SavedModel {
  // The file's checksum, set by ReadSavedModel: output.index names the
  // model its lines were written with.
  std::uint64_t seal = 0;
  std::string fingerprint;
  // The vocabulary of the fit, in term id order: the term, its idf, and its
  // most frequent surface form ("" when only ever seen as a compound part).
  std::vector<std::string> terms;
  std::vector<float> idf;
  std::vector<std::string> surfaces;
  std::vector<std::uint8_t> generic;      // per term: generic (not clustered)
  std::vector<SparseVector> prototypes;   // final, framework order
  double min_score = 0;                   // the assignment floor of the fit
  double silhouette = 0;
  std::vector<SavedTheme> themes;         // id order
  std::vector<PassageKey> passages;       // what the fit was fitted on, in order
  StringArena id_bytes;                   // the passages' ids (read from the file, or moved from the PassageKeys)
};

// Returns the seal of the file written.
Result<std::uint64_t> WriteSavedModel(const std::filesystem::path& path, const SavedModel& model);
// NotFound when the file does not exist; DataError naming the file when it
// is corrupt, truncated or of another format.
Result<SavedModel> ReadSavedModel(const std::filesystem::path& path, size_t n_areas);

// One line of the last passages.jsonl, besides the passage it was written
// for: where it is, and what it says (for the counts of themes.json and the
// summary, without parsing it again).
struct OutputRecord {
  std::uint64_t override_hash = 0;  // 0: no override; else of its areas
  std::uint64_t offset = 0;         // of the line in passages.jsonl
  std::uint64_t length = 0;         // with its newline
  int theme = -1;
  bool overridden = false;
  std::vector<std::uint32_t> areas;  // framework indexes, with ancestors
};

// Output records held as the bytes output.index stores them (a fixed 64-bit
// override hash, then varints): ~20 bytes a passage where the struct with its
// area vector takes 104 (#11: 145 MB of the analyze stage's peak at
// N=100,000).
class PackedOutputRecords {
 public:
  PackedOutputRecords() = default;
  // The records go into `spill` (base/spill.h) when it is given (#11: ~40 MB
  // at N=100,000, filled in the analyze stage's output loop, where it peaks).
  explicit PackedOutputRecords(const std::shared_ptr<SpillFile>& spill)
      : bytes_(SpillAllocator<char>(spill)), starts_(SpillAllocator<std::uint64_t>(spill)) {}
  void reserve(size_t n) { starts_.reserve(n); }
  size_t size() const { return starts_.size(); }
  void Add(const OutputRecord& rec);
  OutputRecord Get(size_t i) const;
  // Record i as stored in the file.
  std::string_view Bytes(size_t i) const;
  // Appends a record already in the stored form (read from a file, checked).
  void AddBytes(std::string_view bytes);

 private:
  SpillVector<char> bytes_;
  SpillVector<std::uint64_t> starts_;
};

struct OutputIndex {
  std::uint64_t model_seal = 0;  // the model the lines were written with
  std::uint64_t file_size = 0;   // of the passages.jsonl it describes
  // Line i of passages.jsonl: the passage it was written for, and the record.
  std::vector<PassageKey> keys;
  PackedOutputRecords records;
  StringArena id_bytes;  // the keys' ids, when read from a file or moved here
};

Status WriteOutputIndex(const std::filesystem::path& path, const OutputIndex& index);
Result<OutputIndex> ReadOutputIndex(const std::filesystem::path& path, size_t n_areas);

// The override hash of a passage whose areas an override sets (framework
// indexes with ancestors, ascending); never 0.
std::uint64_t OverrideHash(const std::vector<std::uint32_t>& areas);

}  // namespace samrad::themes::internal

#endif  // SAMRAD_ANALYSIS_THEMES_SAVED_H_
