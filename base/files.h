// Small file-system helpers shared by every stage.
//
// All writes of pipeline state go through WriteFileAtomically: the bytes are
// written to a temporary file in the same directory, flushed to disk and then
// renamed over the target, so a reader (or a killed run) sees either the old
// file or the new one, never a torn one.
#ifndef SAMRAD_BASE_FILES_H_
#define SAMRAD_BASE_FILES_H_

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace samrad {

// Reads a whole regular file. Refuses files larger than `max_bytes` with a
// DataError naming the file, so a runaway input cannot exhaust memory.
Result<std::string> ReadFile(const std::filesystem::path& path,
                             std::uintmax_t max_bytes = std::uintmax_t{1} << 30);

// A new file in `dir` that has no name (O_TMPFILE; on a file system without
// it, a name removed at once), open for reading and writing: it goes with
// the descriptor, even from a process that is killed. -1 (errno set) when
// none can be made.
int OpenUnnamedFile(const std::filesystem::path& dir);

// Replaces `path` with `contents` atomically (temp file + fsync + rename).
// Creates missing parent directories. On failure the old file is untouched
// and no temporary file is left behind.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view contents);

// WriteFileAtomically for output too large to hold in memory: bytes are
// streamed to a temporary beside `path`, and Commit() flushes, syncs and
// renames it over `path`. Without a successful Commit() the temporary is
// removed and `path` keeps its old contents.
class AtomicFileWriter {
 public:
  // Creates missing parent directories and the temporary file.
  static Result<std::unique_ptr<AtomicFileWriter>> Open(const std::filesystem::path& path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  // A failed write is remembered and reported by Commit().
  void Write(std::string_view bytes);
  Status Commit();

 private:
  AtomicFileWriter(std::filesystem::path path, std::filesystem::path tmp, std::FILE* f)
      : path_(std::move(path)), tmp_(std::move(tmp)), file_(f) {}
  std::filesystem::path path_, tmp_;
  std::FILE* file_ = nullptr;
  bool failed_ = false;
};

// 64-bit FNV-1a of `bytes` (not a cryptographic hash).
std::uint64_t Fnv1a64(std::string_view bytes);
// The same hash over bytes that arrive in pieces: start from kFnv1a64Offset
// and feed each piece in order; Fnv1a64(a + b) ==
// Fnv1a64Continue(Fnv1a64Continue(kFnv1a64Offset, a), b).
inline constexpr std::uint64_t kFnv1a64Offset = 14695981039346656037ULL;
std::uint64_t Fnv1a64Continue(std::uint64_t h, std::string_view bytes);

// Fnv1a64 hex-encoded: a stable content fingerprint for change detection.
std::string ContentHash(std::string_view bytes);

}  // namespace samrad

#endif  // SAMRAD_BASE_FILES_H_
