// `samrad ingest`: arguments, output streams and exit codes.
#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/ingest/ingest_testing.h"
#include "tests/testing.h"

namespace samrad::ingest {
namespace {

namespace fs = std::filesystem;
using samrad::testing::RunCommand;
using samrad::testing::TempDir;
using testing::WriteBytes;

const std::string kSamrad = SAMRAD_BIN;

std::string Quote(const fs::path& p) {
  std::string quoted = "'";  // (not "'" + ...: GCC 12 -Wrestrict false positive at -O3)
  quoted += p.string();
  quoted += "'";
  return quoted;
}

TEST(IngestCli, IngestsAndPrintsASummary) {
  TempDir dir;
  WriteBytes(dir.path() / "corpus/a.md", "# A\n\nEtt stycke.\n");
  const auto r = RunCommand(kSamrad + " ingest " + Quote(dir.path() / "corpus") + " --state " +
                            Quote(dir.path() / "state"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ingest: 1 files: 1 ingested, 0 unchanged, 0 skipped, 0 failed, 0 removed; "
            "1 passages in " +
                (dir.path() / "state/ingest").string() + "\n");
  EXPECT_EQ(r.err, "") << "no progress bar when stderr is not a terminal";
  EXPECT_TRUE(fs::exists(dir.path() / "state/ingest/passages.jsonl"));
}

TEST(IngestCli, FailedFilesExitOneAndAreNamedOnStderr) {
  TempDir dir;
  WriteBytes(dir.path() / "corpus/a.md", "Text.\n");
  WriteBytes(dir.path() / "corpus/empty.txt", "");
  const auto r = RunCommand(kSamrad + " ingest " + Quote(dir.path() / "corpus") + " --state " +
                            Quote(dir.path() / "state") + " --quiet");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "") << "--quiet prints no summary";
  EXPECT_EQ(r.err, "samrad: empty.txt: failed: empty file (0 bytes)\n");
}

TEST(IngestCli, StateFromTheEnvironment) {
  TempDir dir;
  WriteBytes(dir.path() / "corpus/a.md", "Text.\n");
  const auto r = RunCommand("SAMRAD_STATE=" + Quote(dir.path() / "envstate") + " " + kSamrad +
                            " ingest -q " + Quote(dir.path() / "corpus"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.path() / "envstate/ingest/documents.jsonl"));
}

TEST(IngestCli, MissingCorpusIsBadUsage) {
  TempDir dir;
  const auto r = RunCommand(kSamrad + " ingest " + Quote(dir.path() / "nowhere") + " --state " +
                            Quote(dir.path() / "state"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("corpus folder does not exist"), std::string::npos) << r.err;
}

TEST(IngestCli, UnreadableFileAsAnotherUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to switch to the 'nobody' user";
  if (RunCommand("command -v setpriv").exit_code != 0) GTEST_SKIP() << "setpriv not installed";
  TempDir dir;
  WriteBytes(dir.path() / "corpus/good.md", "Text.\n");
  WriteBytes(dir.path() / "corpus/locked.md", "Hemligt.\n");
  fs::create_directories(dir.path() / "state");
  fs::permissions(dir.path(), fs::perms::all);
  fs::permissions(dir.path() / "state", fs::perms::all);
  fs::permissions(dir.path() / "corpus", fs::perms::all);
  fs::permissions(dir.path() / "corpus/good.md", fs::perms::owner_read | fs::perms::others_read);
  fs::permissions(dir.path() / "corpus/locked.md", fs::perms::none);
  const auto r =
      RunCommand("setpriv --reuid=65534 --regid=65534 --clear-groups " + kSamrad + " ingest -q " +
                 Quote(dir.path() / "corpus") + " --state " + Quote(dir.path() / "state"));
  if (r.exit_code == 4 || r.err.find("Permission denied") == std::string::npos) {
    // The binary or the temporary folder is out of nobody's reach here.
    if (r.exit_code != 1) GTEST_SKIP() << "cannot run samrad as nobody: " << r.err;
  }
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "samrad: locked.md: failed: cannot open: Permission denied\n");
}

}  // namespace
}  // namespace samrad::ingest
