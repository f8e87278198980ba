// Published generations of pipeline output, switched atomically.
//
// What searches and planners read (the Xapian index and the reports) lives in
// a generation directory STATE/gen-NNNNNN/{index,reports}. STATE/published is
// a symlink to the live generation. A run builds a new generation beside the
// live one and publishes it by renaming a fresh symlink over `published`:
// rename(2) is atomic, so a reader resolves either the old generation or the
// new one, never a mix; a run that fails or is killed before that rename
// leaves `published` exactly as it was (its half-built generation is removed
// by the next run).
#ifndef SAMRAD_BASE_PUBLISH_H_
#define SAMRAD_BASE_PUBLISH_H_

#include <filesystem>

#include "base/status.h"

namespace samrad {

// STATE/published (may not exist yet).
std::filesystem::path PublishedDir(const std::filesystem::path& state_dir);

// The generation `published` points at, or an empty path when none is.
std::filesystem::path CurrentGeneration(const std::filesystem::path& state_dir);

// Creates a new, empty generation directory with a number above every
// existing one, and removes unpublished generations left by killed runs.
Result<std::filesystem::path> NewGeneration(const std::filesystem::path& state_dir);

// Points STATE/published at `generation` atomically.
Status PublishGeneration(const std::filesystem::path& state_dir,
                         const std::filesystem::path& generation);

// Removes all but the `keep` newest generations besides the published one
// (readers that opened an older one a moment ago keep their open files).
void PruneGenerations(const std::filesystem::path& state_dir, int keep);

}  // namespace samrad

#endif  // SAMRAD_BASE_PUBLISH_H_
