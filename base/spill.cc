#include "base/spill.h"

#include "base/files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>

namespace samrad {
namespace {

// Address space set aside for a file's mappings, so that they are one range
// (one madvise() hands back all their pages) and the kernel can keep them as
// one mapping. Only what is allocated uses memory or disk.
constexpr std::size_t kReservedBytes = std::size_t{1} << 38;  // 256 GiB

std::size_t PageSize() {
  static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return page;
}

struct ResidentBytes {
  std::size_t process;  // all of it
  std::size_t mapped_files;
};

// The process' resident bytes, all and of mapped files: the second and third
// fields of /proc/self/statm (the third is RssFile + RssShmem), in pages;
// SIZE_MAX when they cannot be read, so that pages are then handed back as
// without a budget. One open and read, ~10 us: cheap beside the faults a
// needless hand-back costs.
ResidentBytes ReadResidentBytes() {
  constexpr std::size_t kUnknown = static_cast<std::size_t>(-1);
  const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {kUnknown, kUnknown};
  char buf[256];
  const ssize_t n = ::read(fd, buf, sizeof(buf) - 1);
  ::close(fd);
  if (n <= 0) return {kUnknown, kUnknown};
  buf[n] = '\0';
  unsigned long size = 0, resident = 0, shared = 0;
  if (std::sscanf(buf, "%lu %lu %lu", &size, &resident, &shared) != 3) return {kUnknown, kUnknown};
  return {static_cast<std::size_t>(resident) * PageSize(), static_cast<std::size_t>(shared) * PageSize()};
}

}  // namespace

std::shared_ptr<SpillFile> SpillFile::Create(const std::filesystem::path& dir, std::size_t resident_bytes) {
  const int fd = OpenUnnamedFile(dir);
  if (fd < 0) return nullptr;
  void* base = ::mmap(nullptr, kReservedBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) {
    ::close(fd);
    return nullptr;
  }
  return std::shared_ptr<SpillFile>(new SpillFile(fd, static_cast<char*>(base), resident_bytes));
}

SpillFile::~SpillFile() {
  ::munmap(base_, kReservedBytes);
  ::close(fd_);
}

void* SpillFile::Allocate(std::size_t bytes) {
  if (bytes == 0) return nullptr;
  bytes = (bytes + PageSize() - 1) / PageSize() * PageSize();
  std::lock_guard<std::mutex> lock(mu_);
  if (bytes > kReservedBytes - size_) return nullptr;
  // Reserve the blocks now: a store into a mapped hole of a full disk would
  // end the process with SIGBUS.
  if (::posix_fallocate(fd_, static_cast<off_t>(size_), static_cast<off_t>(bytes)) != 0) return nullptr;
  char* address = base_ + size_;
  if (::mmap(address, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd_, static_cast<off_t>(size_)) ==
      MAP_FAILED) {
    return nullptr;
  }
  // Readers jump from passage to passage: without this, a read fault maps
  // the whole large folio around the page (~240 KB measured on Linux 6.18)
  // rather than the 64 KB of fault-around.
  ::madvise(address, bytes, MADV_RANDOM);
  maps_.push_back({address, bytes});
  size_ += bytes;
  return address;
}

bool SpillFile::Free(void* address) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < maps_.size(); ++i) {
    if (maps_[i].address != address) continue;
    const Map m = maps_[i];
    maps_[i] = maps_.back();
    maps_.pop_back();
    // Back to reserved address space (not unmapped: nothing else may be
    // mapped inside the range), and the blocks back to the file system.
    ::mmap(m.address, m.bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    ::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<char*>(m.address) - base_,
                static_cast<off_t>(m.bytes));
    return true;
  }
  return false;
}

void SpillFile::AllowResidentUpTo(std::size_t process_bytes) {
  std::size_t now = process_bytes_.load();
  while (process_bytes > now && !process_bytes_.compare_exchange_weak(now, process_bytes)) {
  }
}

void SpillFile::ReleasePages() const {
  if (resident_bytes_ > 0) {
    const ResidentBytes r = ReadResidentBytes();
    if (r.mapped_files <= resident_bytes_ || r.process <= process_bytes_.load()) return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  // For a shared file mapping MADV_DONTNEED only unmaps the pages: what was
  // written stays in the page cache and the file. One call for the range:
  // its cost is the pages mapped, not the number of allocations.
  if (size_ > 0) ::madvise(base_, size_, MADV_DONTNEED);
}

SpillBudgetWatch::SpillBudgetWatch(std::shared_ptr<const SpillFile> file, std::chrono::milliseconds period)
    : file_(std::move(file)) {
  if (file_ == nullptr) return;
  thread_ = std::thread([this, period] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!wake_.wait_for(lock, period, [this] { return stop_; })) {
      lock.unlock();
      file_->ReleasePages();
      lock.lock();
      ++checks_;
    }
  });
}

SpillBudgetWatch::~SpillBudgetWatch() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

std::size_t SpillBudgetWatch::checks() const {
  std::lock_guard<std::mutex> lock(mu_);
  return checks_;
}

std::size_t SpillFile::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return size_;
}

}  // namespace samrad
