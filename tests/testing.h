// Helpers shared by samrad's GoogleTest suites.
#ifndef SAMRAD_TESTS_TESTING_H_
#define SAMRAD_TESTS_TESTING_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>

#include "base/status.h"

// The Status is copied, not bound by reference: `expr` is often
// `SomeCall().status()`, a reference into a temporary that dies at the `;`.
#define ASSERT_OK(expr)                                             \
  do {                                                              \
    const ::samrad::Status samrad_s_ = (expr);                      \
    ASSERT_TRUE(samrad_s_.ok()) << samrad_s_.ToString();            \
  } while (0)

#define EXPECT_OK(expr)                                             \
  do {                                                              \
    const ::samrad::Status samrad_s_ = (expr);                      \
    EXPECT_TRUE(samrad_s_.ok()) << samrad_s_.ToString();            \
  } while (0)

namespace samrad::testing {

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("samrad-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The outcome of running a shell command line.
struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `command` through /bin/sh, capturing stdout and stderr separately.
CommandResult RunCommand(const std::string& command);

inline std::filesystem::path SourceDir() { return SAMRAD_SOURCE_DIR; }
inline std::filesystem::path BinaryDir() { return SAMRAD_BINARY_DIR; }

}  // namespace samrad::testing

#endif  // SAMRAD_TESTS_TESTING_H_
