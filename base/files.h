// Small file-system helpers shared by every stage.
//
// All writes of pipeline state go through WriteFileAtomically: the bytes are
// written to a temporary file in the same directory, flushed to disk and then
// renamed over the target, so a reader (or a killed run) sees either the old
// file or the new one, never a torn one.
#ifndef SAMRAD_BASE_FILES_H_
#define SAMRAD_BASE_FILES_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/status.h"

namespace samrad {

// Reads a whole regular file. Refuses files larger than `max_bytes` with a
// DataError naming the file, so a runaway input cannot exhaust memory.
Result<std::string> ReadFile(const std::filesystem::path& path,
                             std::uintmax_t max_bytes = std::uintmax_t{1} << 30);

// Replaces `path` with `contents` atomically (temp file + fsync + rename).
// Creates missing parent directories. On failure the old file is untouched
// and no temporary file is left behind.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view contents);

// Hex-encoded 64-bit FNV-1a of `bytes`: a stable content fingerprint for
// change detection (not a cryptographic hash).
std::string ContentHash(std::string_view bytes);

}  // namespace samrad

#endif  // SAMRAD_BASE_FILES_H_
