// Fanning independent work out over the cores: how many threads, and
// running a body on each. Every stage uses these rather than spawning and
// joining threads of its own, so that what a thread throws reaches the
// caller (a std::thread that throws ends the process) the same way
// everywhere.
//
// The bodies decide which items each worker takes (strided, contiguous
// ranges, or the next free one); a result that lands in each item's own
// slot does not depend on the number of threads.
#ifndef SAMRAD_BASE_PARALLEL_H_
#define SAMRAD_BASE_PARALLEL_H_

#include <cstddef>
#include <functional>
#include <utility>

namespace samrad {

// One worker per core, at most `max_workers` and at most `jobs`, at least 1.
size_t WorkerCount(size_t jobs, size_t max_workers = 8);

// Runs body(w) for every w in [0, workers): worker 0 on the calling thread,
// each other on a thread of its own, and returns once all are done. If
// bodies throw, the exception of the lowest-numbered worker that threw is
// rethrown here, after all have finished; a body that wants the others to
// stop early must tell them itself.
void RunOnWorkers(size_t workers, const std::function<void(size_t)>& body);

// body(i, w) for every i in [begin, end), strided over up to `max_workers`
// workers (worker w takes begin + w, begin + w + workers, ...). body may
// write only what belongs to i and to w.
template <typename Body>
void ParallelFor(size_t begin, size_t end, size_t max_workers, const Body& body) {
  const size_t n = end > begin ? end - begin : 0;
  const size_t workers = WorkerCount(n, max_workers);
  if (workers <= 1) {
    for (size_t i = begin; i < end; ++i) body(i, size_t{0});
    return;
  }
  RunOnWorkers(workers, [&](size_t w) {
    for (size_t i = begin + w; i < end; i += workers) body(i, w);
  });
}

// The contiguous share [first, second) of worker w of `workers` in [0, n):
// the shares are in order, cover [0, n) and differ in size by at most one.
inline std::pair<size_t, size_t> ShareOf(size_t n, size_t w, size_t workers) {
  return {n * w / workers, n * (w + 1) / workers};
}

}  // namespace samrad

#endif  // SAMRAD_BASE_PARALLEL_H_
