// Memory backed by an unnamed temporary file (#11: streaming, so that what a
// stage holds per passage does not have to stay in RAM as the corpus grows).
//
// A stage that fills large arrays once and then reads them topic by topic
// allocates them here instead of on the heap. The memory is an ordinary
// shared mapping of a file in the state folder: the kernel writes it back
// and drops it when RAM is short, and ReleasePages() hands the pages a stage
// has touched back to the page cache between passes, so the process' memory
// holds only what the current pass reads. The file has no name (O_TMPFILE):
// it goes with the process, even one that is killed.
//
// Blocks are reserved on disk when allocated (posix_fallocate), so writing to
// them cannot fail later for a full disk; Allocate() returns nullptr instead,
// and the caller keeps that block on the heap.
#ifndef SAMRAD_BASE_SPILL_H_
#define SAMRAD_BASE_SPILL_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace samrad {

class SpillFile {
 public:
  // What ReleasePages() lets the process keep resident of its mapped files
  // by default. Measured at N=20,000 (bench/report_bench): handing pages
  // back whatever the amount took the reports' topics from 5 s to 11 s, all
  // of it page faults reading the same pages again; with 96 MB kept, 5.9 s
  // and 43 MB more at the peak (128 MB: 5.1 s, but `samrad run`'s peak went
  // from 445 to ~490 MB, near the 500 MB target of #11).
  static constexpr std::size_t kDefaultResidentBytes = std::size_t{96} << 20;

  // A file in `dir`; nullptr when none can be created there (read-only
  // folder, no space): callers then keep their data on the heap.
  // `resident_bytes`: see ReleasePages(); 0 hands pages back every time.
  static std::shared_ptr<SpillFile> Create(const std::filesystem::path& dir,
                                           std::size_t resident_bytes = kDefaultResidentBytes);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // `bytes` of zero-filled, writable memory in the file, valid as long as
  // the SpillFile; nullptr when the file cannot grow. Thread-safe.
  void* Allocate(std::size_t bytes);

  // Hands every page of the file that this process has mapped back to the
  // page cache (the data stays; a page touched again is read back), when
  // the process' resident memory of mapped files (RssFile + RssShmem: this
  // file's pages, and others such as its own code) is above the budget
  // given to Create(); below it, does nothing: memory stays bounded by the
  // budget, and a corpus whose data fits is not read back page by page.
  // Thread-safe; other threads may be reading the memory meanwhile.
  void ReleasePages() const;

  // Lets the pages stay resident above the budget while the whole process
  // (heap, code and mapped files: /proc/self/statm's resident size) holds
  // at most `process_bytes`: ReleasePages() then hands pages back only when
  // both are exceeded. Meant for memory the process has already held once
  // (PeakResidentBytes(), less a margin for what the heap can grow between
  // two checks): filling it with the file's pages does not raise the
  // process' peak, and every page kept is one not read back. In `samrad run`
  // the index stage sets the peak, and at N=20,000 the reports' pages handed
  // back under their 64 MB budget and read again made them ~1.6 times slower
  // (#11). Only raises the allowance; 0, the default, allows nothing beyond
  // the budget, and a budget of 0 hands pages back every time. Thread-safe.
  void AllowResidentUpTo(std::size_t process_bytes);

  // Gives back memory Allocate() returned: unmapped, and its blocks on disk
  // freed. False when `address` is not such memory. Thread-safe.
  bool Free(void* address);

  // Bytes allocated so far (freed ones included).
  std::size_t size() const;

 private:
  SpillFile(int fd, char* base, std::size_t resident_bytes) : fd_(fd), base_(base), resident_bytes_(resident_bytes) {}
  struct Map {
    void* address;  // base_ + its offset in the file
    std::size_t bytes;
  };
  int fd_ = -1;
  char* base_ = nullptr;  // the address space the file is mapped into
  std::size_t resident_bytes_ = 0;
  std::atomic<std::size_t> process_bytes_{0};  // AllowResidentUpTo()
  mutable std::mutex mu_;
  std::size_t size_ = 0;
  std::vector<Map> maps_;
};

// Holds a spill file to its budget while it lives: a thread calls
// ReleasePages() every `period`, so the pages of the file a process maps are
// handed back whichever code reads them. The passes that read a file pace
// themselves (reports' PagePacer), but not every reader does: at N=100,000
// the reports' file had 264 MB resident against a 96 MB budget (#11, sampled
// from /proc/PID/smaps). A check reads /proc/self/statm (microseconds); the
// file's pages are handed back only above the budget.
class SpillBudgetWatch {
 public:
  static constexpr std::chrono::milliseconds kDefaultPeriod{20};
  // Does nothing for a null file.
  explicit SpillBudgetWatch(std::shared_ptr<const SpillFile> file,
                            std::chrono::milliseconds period = kDefaultPeriod);
  ~SpillBudgetWatch();
  SpillBudgetWatch(const SpillBudgetWatch&) = delete;
  SpillBudgetWatch& operator=(const SpillBudgetWatch&) = delete;

  // How many checks have run (for tests).
  std::size_t checks() const;

 private:
  std::shared_ptr<const SpillFile> file_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::size_t checks_ = 0;
  std::thread thread_;
};

// A std::allocator for a std::vector that can grow large: its storage comes
// from a SpillFile when it has one and the block is at least kMinBytes
// (smaller ones, and any the file cannot give, from the heap). Vectors keep
// their allocator when moved, so the storage follows them.
template <typename T>
class SpillAllocator {
 public:
  using value_type = T;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_copy_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  static constexpr std::size_t kMinBytes = std::size_t{1} << 20;

  SpillAllocator() = default;
  explicit SpillAllocator(std::shared_ptr<SpillFile> file) : file_(std::move(file)) {}
  template <typename U>
  SpillAllocator(const SpillAllocator<U>& other) : file_(other.file()) {}  // NOLINT: rebinding

  T* allocate(std::size_t n) {
    if (file_ != nullptr && n * sizeof(T) >= kMinBytes) {
      if (void* p = file_->Allocate(n * sizeof(T))) return static_cast<T*>(p);
    }
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) {
    if (file_ != nullptr && n * sizeof(T) >= kMinBytes && file_->Free(p)) return;
    std::allocator<T>().deallocate(p, n);
  }
  const std::shared_ptr<SpillFile>& file() const { return file_; }
  // Pages of the file handed back (SpillFile::ReleasePages); nothing without one.
  void ReleasePages() const {
    if (file_ != nullptr) file_->ReleasePages();
  }

  template <typename U>
  bool operator==(const SpillAllocator<U>& other) const {
    return file_ == other.file();
  }

 private:
  std::shared_ptr<SpillFile> file_;
};

template <typename T>
using SpillVector = std::vector<T, SpillAllocator<T>>;

}  // namespace samrad

#endif  // SAMRAD_BASE_SPILL_H_
