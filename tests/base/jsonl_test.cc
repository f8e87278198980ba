#include "base/jsonl.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/testing.h"

namespace samrad {
namespace {

namespace fs = std::filesystem;

// Parses "<number>" lines; "bad" is a parse error, "stop" a consume error.
struct Parsed {
  std::vector<int> values, numbers;
  Status status;
};

Parsed Read(const fs::path& path) {
  Parsed out;
  out.status = ForEachLineInParallel<std::string>(
      path,
      [](std::string_view line, int number, std::string* value) -> Status {
        if (line == "bad") return Status::DataError("line " + std::to_string(number) + " is bad");
        *value = std::string(line);
        return Status::Ok();
      },
      [&](std::string&& value, int number) -> Status {
        if (value == "stop") return Status::InvalidArgument("stopped at " + std::to_string(number));
        out.values.push_back(std::stoi(value));
        out.numbers.push_back(number);
        return Status::Ok();
      });
  return out;
}

fs::path WriteLines(const fs::path& dir, int count, const std::string& last_end = "\n") {
  const fs::path p = dir / "lines.jsonl";
  std::ofstream f(p);
  for (int i = 0; i < count; ++i) f << i << (i + 1 < count ? "\n" : last_end);
  return p;
}

TEST(ForEachLineInParallel, EveryLineInFileOrderOverManyBatches) {
  testing::TempDir dir;
  for (int count : {0, 1, 2047, 2048, 2049, 10000}) {
    for (const char* end : {"\n", ""}) {
      const Parsed r = Read(WriteLines(dir.path(), count, end));
      ASSERT_OK(r.status);
      ASSERT_EQ(r.values.size(), static_cast<size_t>(count)) << count << " lines, last end \"" << end << "\"";
      for (int i = 0; i < count; ++i) {
        ASSERT_EQ(r.values[i], i);
        ASSERT_EQ(r.numbers[i], i + 1);
      }
    }
  }
}

TEST(ForEachLineInParallel, TheFirstErrorInFileOrderStopsTheReading) {
  testing::TempDir dir;
  const fs::path p = dir.path() / "lines.jsonl";
  {
    std::ofstream f(p);
    for (int i = 0; i < 5000; ++i) f << (i == 3001 || i == 4500 || i == 3003 ? "bad" : std::to_string(i)) << "\n";
  }
  Parsed r = Read(p);
  EXPECT_EQ(r.status.code(), Status::Code::kDataError);
  EXPECT_EQ(r.status.message(), "line 3002 is bad");
  EXPECT_EQ(r.values.size(), 3001u);  // every line before it was consumed, none after

  {
    std::ofstream f(p);
    for (int i = 0; i < 3000; ++i) f << (i == 2500 ? "stop" : (i == 2600 ? "bad" : std::to_string(i))) << "\n";
  }
  r = Read(p);
  EXPECT_EQ(r.status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.status.message(), "stopped at 2501");
  EXPECT_EQ(r.values.size(), 2500u);
}

TEST(ForEachLineInParallel, AMissingFileIsNotFoundAndNamed) {
  testing::TempDir dir;
  const Parsed r = Read(dir.path() / "nowhere.jsonl");
  EXPECT_EQ(r.status.code(), Status::Code::kNotFound);
  EXPECT_NE(r.status.message().find("nowhere.jsonl"), std::string::npos);
}

}  // namespace
}  // namespace samrad
