// End-to-end checks of the samrad binary's command-line contract.
#include <gtest/gtest.h>

#include <string>

#include "tests/testing.h"

namespace samrad {
namespace {

using testing::RunCommand;

const std::string kSamrad = SAMRAD_BIN;

TEST(Cli, HelpExitsZeroAndListsExitCodes) {
  auto r = RunCommand(kSamrad + " --help");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Usage:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Exit codes"), std::string::npos) << r.out;
}

TEST(Cli, VersionPrintsProjectVersion) {
  auto r = RunCommand(kSamrad + " --version");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // The allocator the executable was linked with (base/memory.h): jemalloc
  // unless the build turned it off, as sanitizer builds do.
  const std::string allocator = SAMRAD_JEMALLOC_FOR_TEST ? "jemalloc " : "system)";
  EXPECT_EQ(r.out.rfind(std::string("samrad ") + SAMRAD_VERSION_FOR_TEST + " (allocator: " + allocator, 0), 0u)
      << r.out;
  EXPECT_EQ(r.out.back(), '\n');
}

TEST(Cli, BadFlagExitsTwoWithMessageOnStderr) {
  auto r = RunCommand(kSamrad + " --no-such-flag");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--no-such-flag"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(Cli, UnknownSubcommandExitsTwo) {
  auto r = RunCommand(kSamrad + " frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
}

TEST(Cli, MissingSubcommandExitsTwo) {
  auto r = RunCommand(kSamrad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(r.err.empty());
}

}  // namespace
}  // namespace samrad
