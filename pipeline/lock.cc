#include "pipeline/lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace samrad::pipeline {

Result<std::unique_ptr<StateLock>> StateLock::Acquire(const std::filesystem::path& state_dir) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return Status::IOError(state_dir.string() + ": " + ec.message());
  const std::string path = (state_dir / "lock").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(path + ": cannot open: " + std::strerror(errno));
  char buf[32] = {0};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  const long previous = n > 0 ? std::strtol(buf, nullptr, 10) : 0;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status::Busy(state_dir.string() + " is locked by another samrad run (pid " +
                          std::to_string(previous) + "); try again when it has finished");
    }
    return Status::IOError(path + ": cannot lock: " + std::strerror(err));
  }
  // We hold the lock. A pid left in the file belongs to a run that died
  // without cleaning up (its lock died with it).
  const bool stale = previous > 0 && previous != ::getpid() &&
                     (::kill(static_cast<pid_t>(previous), 0) != 0 && errno == ESRCH);
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    ::close(fd);
    return Status::IOError(path + ": cannot write pid: " + std::strerror(errno));
  }
  return std::unique_ptr<StateLock>(new StateLock(fd, stale));
}

StateLock::~StateLock() {
  // Clear the pid first so the next run does not report a stale lock.
  if (::ftruncate(fd_, 0) != 0) {
    // Nothing to do: the lock is released by close() regardless.
  }
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

}  // namespace samrad::pipeline
