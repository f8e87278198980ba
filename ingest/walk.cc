#include "ingest/walk.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace samrad::ingest {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxDepth = 64;

struct DirId {
  dev_t dev;
  ino_t ino;
  bool operator==(const DirId& o) const { return dev == o.dev && ino == o.ino; }
};

class Walker {
 public:
  explicit Walker(std::vector<CorpusEntry>* out) : out_(out) {}

  // Lists `dir` (rel: its relative path with a trailing '/', "" for the root).
  Status Walk(const fs::path& dir, const std::string& rel, int depth) {
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0)
      return Status::IOError(dir.string() + ": " + std::strerror(errno));
    const DirId id{st.st_dev, st.st_ino};
    if (depth > kMaxDepth) {
      Fail(rel, "folders nested deeper than " + std::to_string(kMaxDepth));
      return Status::Ok();
    }
    DIR* handle = ::opendir(dir.c_str());
    if (handle == nullptr) {
      const std::string why = std::strerror(errno);
      if (rel.empty()) return Status::IOError(dir.string() + ": cannot open folder: " + why);
      Fail(rel, "cannot open folder: " + why);
      return Status::Ok();
    }
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* e = ::readdir(handle)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(handle);
    std::sort(names.begin(), names.end());

    ancestors_.push_back(id);
    for (const std::string& name : names) {
      const fs::path path = dir / name;
      const std::string child_rel = rel + name;
      struct stat lst;
      if (::lstat(path.c_str(), &lst) != 0) {
        Fail(child_rel, std::string("cannot read: ") + std::strerror(errno));
        continue;
      }
      const bool is_link = S_ISLNK(lst.st_mode);
      struct stat target = lst;
      if (is_link && ::stat(path.c_str(), &target) != 0) {
        if (errno == ELOOP) {
          Fail(child_rel, "symbolic link loop (too many levels of symbolic links)");
        } else if (errno == ENOENT) {
          Fail(child_rel, "broken symbolic link (its target does not exist)");
        } else {
          Fail(child_rel, std::string("cannot follow symbolic link: ") + std::strerror(errno));
        }
        continue;
      }
      if (name[0] == '.') {
        Skip(child_rel + (S_ISDIR(target.st_mode) ? "/" : ""),
             S_ISDIR(target.st_mode) ? "hidden folder" : "hidden file");
        continue;
      }
      if (S_ISDIR(target.st_mode)) {
        const DirId child{target.st_dev, target.st_ino};
        if (std::find(ancestors_.begin(), ancestors_.end(), child) != ancestors_.end()) {
          Fail(child_rel + "/", "symbolic link loop: the link points to a folder that contains it");
          continue;
        }
        SAMRAD_RETURN_IF_ERROR(Walk(path, child_rel + "/", depth + 1));
        continue;
      }
      if (!S_ISREG(target.st_mode)) {
        Skip(child_rel, "not a regular file");
        continue;
      }
      CorpusEntry entry;
      entry.rel_path = child_rel;
      entry.path = path;
      out_->push_back(std::move(entry));
    }
    ancestors_.pop_back();
    return Status::Ok();
  }

 private:
  void Fail(const std::string& rel, std::string reason) {
    out_->push_back({rel, {}, CorpusEntry::Kind::kFailed, std::move(reason)});
  }
  void Skip(const std::string& rel, std::string reason) {
    out_->push_back({rel, {}, CorpusEntry::Kind::kSkipped, std::move(reason)});
  }

  std::vector<CorpusEntry>* out_;
  std::vector<DirId> ancestors_;
};

}  // namespace

Result<std::vector<CorpusEntry>> WalkCorpus(const fs::path& root) {
  std::error_code ec;
  if (!fs::exists(root, ec)) {
    return Status::InvalidArgument(root.string() + ": corpus folder does not exist");
  }
  if (!fs::is_directory(root, ec)) {
    return Status::InvalidArgument(root.string() + ": corpus path is not a folder");
  }
  std::vector<CorpusEntry> entries;
  Walker walker(&entries);
  SAMRAD_RETURN_IF_ERROR(walker.Walk(root, "", 0));
  std::sort(entries.begin(), entries.end(),
            [](const CorpusEntry& a, const CorpusEntry& b) { return a.rel_path < b.rel_path; });
  return entries;
}

}  // namespace samrad::ingest
