// Internal to samrad_ingest: listing the corpus folder.
#ifndef SAMRAD_INGEST_WALK_H_
#define SAMRAD_INGEST_WALK_H_

#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"

namespace samrad::ingest {

// One entry found under the corpus folder.
struct CorpusEntry {
  std::string rel_path;        // '/'-separated, relative to the corpus folder
  std::filesystem::path path;  // as found (through symbolic links)
  enum class Kind { kFile, kSkipped, kFailed } kind = Kind::kFile;
  std::string reason;  // kSkipped / kFailed
};

// Walks `root` recursively, entries sorted by rel_path:
//  - regular files (and symbolic links to them) are kFile;
//  - hidden files and folders (name starting with '.') are kSkipped, as are
//    FIFOs, sockets and devices;
//  - symbolic links are followed; a link that loops (ELOOP, or a folder link
//    pointing at a folder that contains it) or points nowhere is kFailed;
//  - a folder that cannot be opened is one kFailed entry ("dir/").
// Fails only when `root` itself cannot be read.
Result<std::vector<CorpusEntry>> WalkCorpus(const std::filesystem::path& root);

}  // namespace samrad::ingest

#endif  // SAMRAD_INGEST_WALK_H_
