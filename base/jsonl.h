// Reading JSON Lines files (gold data, overrides, pipeline state) the same
// way everywhere: blank lines skipped, every other line one JSON object, and
// every error naming "file:line".
#ifndef SAMRAD_BASE_JSONL_H_
#define SAMRAD_BASE_JSONL_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/parallel.h"
#include "base/status.h"

namespace samrad {

struct JsonLine {
  nlohmann::ordered_json object;
  int number = 0;     // 1-based line number
  std::string where;  // "<source name>:<number>", for the caller's messages
};

// Calls `fn` for each non-blank line of `in`. A line that is not valid JSON
// or not an object is a DataError naming it; an error from `fn` stops the
// reading and is returned as it is.
Status ForEachJsonLine(std::istream& in, const std::string& source_name,
                       const std::function<Status(const JsonLine& line)>& fn);

// Reads `path` line by line (without the newline) and calls parse(line,
// number, &value) for each on several threads, a batch of lines at a time,
// then consume(std::move(value), number) for each in file order on the
// calling thread. For the large JSON Lines files of the state, which every
// later stage reads (#11: parsed on one thread, they were several seconds
// of each stage at N=20,000). The first error in file order, from parse or
// consume, stops the reading and is returned; a file that cannot be opened
// is a NotFound naming it. `parse` must be safe to call concurrently.
template <typename T, typename Parse, typename Consume>
Status ForEachLineInParallel(const std::filesystem::path& path, const Parse& parse, const Consume& consume) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path.string() + ": cannot read");
  constexpr size_t kBatchLines = 2048;
  const size_t workers = WorkerCount(kBatchLines, 4);
  std::vector<std::string> lines(kBatchLines);
  std::vector<T> values;
  std::vector<Status> errors;
  for (int first = 1;; ) {
    size_t n = 0;
    while (n < kBatchLines && std::getline(in, lines[n])) ++n;
    if (n == 0) break;
    values.assign(n, T());
    errors.assign(n, Status::Ok());
    ParallelFor(0, n, workers, [&](size_t i, size_t) {
      errors[i] = parse(std::string_view(lines[i]), first + static_cast<int>(i), &values[i]);
    });
    for (size_t i = 0; i < n; ++i) {
      if (!errors[i].ok()) return errors[i];
      SAMRAD_RETURN_IF_ERROR(consume(std::move(values[i]), first + static_cast<int>(i)));
    }
    first += static_cast<int>(n);
    if (n < kBatchLines) break;
  }
  return Status::Ok();
}

// Collapses runs of white space to one space and trims, so a quoted text
// matches a passage whatever the line breaks were in the source.
std::string CollapseSpace(std::string_view s);

}  // namespace samrad

#endif  // SAMRAD_BASE_JSONL_H_
