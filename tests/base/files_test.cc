#include "base/files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "tests/testing.h"

namespace samrad {
namespace {

namespace fs = std::filesystem;

TEST(Files, WriteAtomicallyThenReadBack) {
  testing::TempDir dir;
  const fs::path p = dir.path() / "sub" / "out.json";
  ASSERT_OK(WriteFileAtomically(p, "hej å ä ö\n"));
  Result<std::string> back = ReadFile(p);
  ASSERT_OK(back.status());
  EXPECT_EQ(*back, "hej å ä ö\n");
  // Overwrite leaves exactly one file and no temporaries.
  ASSERT_OK(WriteFileAtomically(p, "ny"));
  EXPECT_EQ(*ReadFile(p), "ny");
  int entries = 0;
  for (const auto& e : fs::directory_iterator(p.parent_path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(Files, FailedWriteKeepsOldFile) {
  testing::TempDir dir;
  const fs::path p = dir.path() / "keep.txt";
  ASSERT_OK(WriteFileAtomically(p, "old"));
  // A directory in the way of the rename makes the write fail.
  const fs::path blocked = dir.path() / "blocked";
  fs::create_directories(blocked / "child");
  Status s = WriteFileAtomically(blocked, "x");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("blocked"), std::string::npos) << s.message();
  EXPECT_EQ(*ReadFile(p), "old");
}

TEST(Files, StreamedWriterReplacesOnlyOnCommit) {
  testing::TempDir dir;
  const fs::path p = dir.path() / "stream.jsonl";
  ASSERT_OK(WriteFileAtomically(p, "old\n"));
  {
    // Abandoned before Commit: the old file stays and the temporary is gone.
    Result<std::unique_ptr<AtomicFileWriter>> w = AtomicFileWriter::Open(p);
    ASSERT_OK(w.status());
    (*w)->Write("half a line");
  }
  EXPECT_EQ(*ReadFile(p), "old\n");
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) entries += e.is_regular_file();
  EXPECT_EQ(entries, 1);
  Result<std::unique_ptr<AtomicFileWriter>> w = AtomicFileWriter::Open(p);
  ASSERT_OK(w.status());
  (*w)->Write("a\n");
  (*w)->Write("");
  (*w)->Write("b\n");
  EXPECT_EQ(*ReadFile(p), "old\n");
  ASSERT_OK((*w)->Commit());
  EXPECT_EQ(*ReadFile(p), "a\nb\n");
  EXPECT_EQ(fs::status(p).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
}

TEST(Files, ReadRefusesOversizeAndMissingAndDirectories) {
  testing::TempDir dir;
  const fs::path p = dir.path() / "big.txt";
  ASSERT_OK(WriteFileAtomically(p, std::string(100, 'x')));
  Result<std::string> r = ReadFile(p, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kDataError);
  EXPECT_NE(r.status().message().find("big.txt"), std::string::npos);
  EXPECT_FALSE(ReadFile(dir.path() / "missing.txt").ok());
  EXPECT_FALSE(ReadFile(dir.path()).ok());
}

TEST(Files, ContentHashIsStableAndSensitive) {
  EXPECT_EQ(ContentHash(""), "cbf29ce484222325");  // FNV-1a offset basis.
  EXPECT_EQ(ContentHash("abc"), ContentHash("abc"));
  EXPECT_NE(ContentHash("abc"), ContentHash("abd"));
  EXPECT_EQ(ContentHash("abc").size(), 16u);
}

TEST(Files, Fnv1a64OverPiecesIsTheHashOfTheWhole) {
  const std::string whole = "samrad-model 1\nbostäder i Skaraborg\x00\xff";
  for (size_t cut = 0; cut <= whole.size(); ++cut) {
    const std::string_view v(whole);
    EXPECT_EQ(Fnv1a64Continue(Fnv1a64Continue(kFnv1a64Offset, v.substr(0, cut)), v.substr(cut)),
              Fnv1a64(whole))
        << cut;
  }
  EXPECT_EQ(Fnv1a64Continue(kFnv1a64Offset, ""), Fnv1a64(""));
  EXPECT_NE(Fnv1a64Continue(Fnv1a64("a"), "b"), Fnv1a64("b"));
}

}  // namespace
}  // namespace samrad
