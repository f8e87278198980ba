// Internal to samrad_pipeline: the state directory's run lock.
#ifndef SAMRAD_PIPELINE_LOCK_H_
#define SAMRAD_PIPELINE_LOCK_H_

#include <filesystem>
#include <memory>

#include "base/status.h"

namespace samrad::pipeline {

// An exclusive flock(2) on STATE/lock, holding the owner's pid. The kernel
// drops the lock when its process dies, so a kill -9 never leaves the state
// locked; a lock file naming a dead pid is reported as taken over.
class StateLock {
 public:
  // Busy (with the holder's pid) when another process holds it.
  static Result<std::unique_ptr<StateLock>> Acquire(const std::filesystem::path& state_dir);
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;
  bool took_over_stale() const { return took_over_stale_; }

 private:
  StateLock(int fd, bool stale) : fd_(fd), took_over_stale_(stale) {}
  int fd_;
  bool took_over_stale_;
};

}  // namespace samrad::pipeline

#endif  // SAMRAD_PIPELINE_LOCK_H_
