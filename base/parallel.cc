#include "base/parallel.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace samrad {

size_t WorkerCount(size_t jobs, size_t max_workers) {
  return std::max<size_t>(1, std::min<size_t>({std::thread::hardware_concurrency(), max_workers, jobs}));
}

void RunOnWorkers(size_t workers, const std::function<void(size_t)>& body) {
  workers = std::max<size_t>(1, workers);
  std::vector<std::exception_ptr> thrown(workers);
  auto run = [&](size_t w) {
    try {
      body(w);
    } catch (...) {
      thrown[w] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers - 1);
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(run, w);
  run(0);
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& e : thrown) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace samrad
