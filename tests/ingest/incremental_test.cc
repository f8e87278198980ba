// The nightly (incremental) ingest against a from-scratch ingest of the same
// corpus, and what it does with a damaged previous output (issue #11: the
// previous passages are copied as raw lines, not parsed).
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/ingest.h"
#include "ingest/passage_lines.h"
#include "tests/ingest/ingest_testing.h"
#include "tests/testing.h"

namespace samrad::ingest {
namespace {

namespace fs = std::filesystem;
using samrad::testing::TempDir;
using testing::Find;
using testing::ReadBytes;
using testing::Sidecar;
using testing::WriteBytes;

// A document of `paragraphs` paragraphs whose text depends on `seed`.
std::string Text(int seed, int paragraphs) {
  std::string text = "# Yttrande " + std::to_string(seed) + "\n\n";
  for (int i = 0; i < paragraphs; ++i) {
    text += "Stycke " + std::to_string(i) + " om kollektivtrafik i Skaraborg, variant " +
            std::to_string(seed * 31 + i) + ". Kontakt: anna.berg@example.se.\n\n";
  }
  return text;
}

class IncrementalTest : public ::testing::Test {
 protected:
  fs::path corpus() const { return dir_.path() / "corpus"; }
  fs::path state() const { return dir_.path() / "state"; }
  fs::path passages() const { return state() / "ingest/passages.jsonl"; }

  IngestReport Run(const fs::path& state_dir) {
    IngestOptions o;
    o.corpus_dir = corpus();
    o.state_dir = state_dir;
    Result<IngestReport> r = Ingest(o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : IngestReport();
  }
  IngestReport Run() { return Run(state()); }

  // documents.jsonl and passages.jsonl equal those a from-scratch ingest of
  // the corpus writes.
  void ExpectSameAsFromScratch() {
    const fs::path scratch = dir_.path() / ("scratch" + std::to_string(++scratch_runs_));
    Run(scratch);
    for (const char* name : {"documents.jsonl", "passages.jsonl"}) {
      EXPECT_EQ(ReadBytes(state() / "ingest" / name), ReadBytes(scratch / "ingest" / name))
          << name;
    }
  }

  TempDir dir_;
  int scratch_runs_ = 0;
};

TEST_F(IncrementalTest, UnchangedChangedRemovedAndNewFilesGiveTheFromScratchOutput) {
  for (int i = 0; i < 6; ++i) {
    WriteBytes(corpus() / ("remiss/r" + std::to_string(i) + ".md"), Text(i, 2 + i));
  }
  WriteBytes(corpus() / "remiss/r1.md.meta.json", Sidecar("remiss"));
  // Paths JSON escapes, and an empty document (no passages).
  WriteBytes(corpus() / "odd/citat \"x\".md", Text(40, 2));
  WriteBytes(corpus() / "odd/back\\slash.txt", Text(41, 2));
  WriteBytes(corpus() / "odd/tom.md", "# Bara en rubrik\n");
  Run();

  WriteBytes(corpus() / "remiss/r2.md", Text(102, 3));                    // changed
  fs::remove(corpus() / "remiss/r4.md");                                  // removed
  WriteBytes(corpus() / "remiss/r9.md", Text(9, 4));                      // new
  WriteBytes(corpus() / "remiss/r1.md.meta.json", Sidecar("remiss", "Ny"));  // metadata
  WriteBytes(corpus() / "odd/citat \"x\".md", Text(140, 3));              // changed
  const IngestReport second = Run();
  EXPECT_EQ(Find(second, "remiss/r0.md")->status, "unchanged");
  EXPECT_EQ(Find(second, "remiss/r1.md")->reason, "metadata changed since the last run");
  EXPECT_EQ(Find(second, "remiss/r2.md")->reason, "content changed since the last run");
  EXPECT_EQ(Find(second, "remiss/r4.md")->status, "removed");
  EXPECT_EQ(Find(second, "remiss/r9.md")->reason, "new file");
  EXPECT_EQ(Find(second, "odd/back\\slash.txt")->status, "unchanged");
  EXPECT_EQ(Find(second, "odd/tom.md")->status, "unchanged");
  ExpectSameAsFromScratch();
}

// The fast path (raw lines copied) against the obvious one (everything parsed
// from scratch), over seeded rounds of random edits.
TEST_F(IncrementalTest, SeededRoundsOfEditsMatchFromScratch) {
  std::mt19937 rng(11);
  const int kFiles = 30;
  std::vector<int> version(kFiles, 0);
  auto write = [&](int i) {
    WriteBytes(corpus() / ("d" + std::to_string(i / 10) + "/f" + std::to_string(i) + ".txt"),
               Text(i * 1000 + version[i], 1 + (i + version[i]) % 5));
  };
  for (int i = 0; i < kFiles; ++i) write(i);
  Run();
  for (int round = 0; round < 4; ++round) {
    for (int k = 0; k < 5; ++k) {
      const int i = static_cast<int>(rng() % kFiles);
      const fs::path path =
          corpus() / ("d" + std::to_string(i / 10) + "/f" + std::to_string(i) + ".txt");
      if (rng() % 4 == 0 && fs::exists(path)) {
        fs::remove(path);
      } else {
        ++version[i];
        write(i);
      }
    }
    Run();
    SCOPED_TRACE("round " + std::to_string(round));
    ExpectSameAsFromScratch();
  }
}

class DamagedPreviousTest : public IncrementalTest {
 protected:
  void SetUp() override {
    WriteBytes(corpus() / "a.md", Text(1, 3));
    WriteBytes(corpus() / "b.md", Text(2, 4));
    WriteBytes(corpus() / "c.md", Text(3, 2));
    Run();
  }
};

TEST_F(DamagedPreviousTest, TruncatedLineMeansThatDocumentIsParsedAgain) {
  std::string bytes = ReadBytes(passages());
  // Cut the file in the middle of b.md's last line.
  const size_t c_start = bytes.find("{\"id\":\"c.md#0000\"");
  ASSERT_NE(c_start, std::string::npos);
  WriteBytes(passages(), bytes.substr(0, c_start - 20));
  const IngestReport second = Run();
  EXPECT_EQ(Find(second, "a.md")->status, "unchanged");
  EXPECT_EQ(Find(second, "b.md")->status, "ingested");
  EXPECT_NE(Find(second, "b.md")->reason.find("damaged or missing; parsed again"),
            std::string::npos)
      << Find(second, "b.md")->reason;
  EXPECT_EQ(Find(second, "c.md")->status, "ingested");
  ExpectSameAsFromScratch();
}

TEST_F(DamagedPreviousTest, BrokenJsonInsideALineMeansThatDocumentIsParsedAgain) {
  std::string bytes = ReadBytes(passages());
  const size_t text = bytes.find("\"text\":", bytes.find("{\"id\":\"b.md#0001\""));
  ASSERT_NE(text, std::string::npos);
  bytes[text + 8] = '"';  // the text string now ends early: not JSON
  bytes[text + 9] = '\x01';
  WriteBytes(passages(), bytes);
  const IngestReport second = Run();
  EXPECT_EQ(Find(second, "a.md")->status, "unchanged");
  EXPECT_EQ(Find(second, "b.md")->status, "ingested");
  EXPECT_EQ(Find(second, "c.md")->status, "unchanged");
  ExpectSameAsFromScratch();
}

TEST_F(DamagedPreviousTest, MissingLineMeansThatDocumentIsParsedAgain) {
  std::string bytes = ReadBytes(passages());
  const size_t start = bytes.find("{\"id\":\"b.md#0002\"");
  const size_t end = bytes.find('\n', start) + 1;
  WriteBytes(passages(), bytes.erase(start, end - start));
  const IngestReport second = Run();
  EXPECT_EQ(Find(second, "b.md")->status, "ingested");
  EXPECT_EQ(second.unchanged, 2);
  ExpectSameAsFromScratch();
}

TEST_F(DamagedPreviousTest, GarbageMeansEverythingIsParsedAgain) {
  std::mt19937 rng(7);
  std::string garbage(5000, '\0');
  for (char& c : garbage) c = static_cast<char>(rng());
  WriteBytes(passages(), garbage);
  const IngestReport second = Run();
  EXPECT_EQ(second.ingested, 3);
  EXPECT_NE(Find(second, "a.md")->reason.find("damaged or missing"), std::string::npos);
  ExpectSameAsFromScratch();
}

TEST_F(DamagedPreviousTest, MissingFileMeansEverythingIsParsedAgain) {
  fs::remove(passages());
  const IngestReport second = Run();
  EXPECT_EQ(second.ingested, 3);
  ExpectSameAsFromScratch();
}

TEST_F(DamagedPreviousTest, FailedFileWithDamagedPreviousPassagesSaysSo) {
  std::string bytes = ReadBytes(passages());
  const size_t start = bytes.find("{\"id\":\"b.md#0000\"");
  bytes[start + 30] = '\x02';  // a raw control character inside a string
  WriteBytes(passages(), bytes);
  WriteBytes(corpus() / "b.md", "");  // and b.md now fails
  const IngestReport second = Run();
  const FileReport* b = Find(second, "b.md");
  EXPECT_EQ(b->status, "failed");
  ASSERT_EQ(b->warnings.size(), 1u);
  EXPECT_NE(b->warnings[0].find("could not keep the passages of the previous version"),
            std::string::npos);
  EXPECT_EQ(Find(second, "a.md")->status, "unchanged");
}

// Random damage to the previous passages file: never a crash, and every
// document either carried over intact or parsed again.
TEST_F(DamagedPreviousTest, SeededRandomDamageNeverCrashesOrCopiesBrokenLines) {
  const std::string good = ReadBytes(passages());
  std::mt19937 rng(2026);
  for (int round = 0; round < 40; ++round) {
    std::string bytes = good;
    for (int k = 0; k < 3; ++k) {
      const size_t at = rng() % bytes.size();
      switch (rng() % 4) {
        case 0: bytes[at] = static_cast<char>(rng()); break;
        case 1: bytes.erase(at, rng() % 40); break;
        case 2: bytes.insert(at, 1, '\n'); break;
        default: bytes.resize(at); break;
      }
      if (bytes.empty()) bytes = "x";
    }
    fs::remove_all(state());
    Run();
    WriteBytes(passages(), bytes);
    Run();
    // Every written line is valid JSON: damaged lines were not copied.
    const std::string out = ReadBytes(passages());
    size_t begin = 0;
    for (size_t nl; (nl = out.find('\n', begin)) != std::string::npos; begin = nl + 1) {
      EXPECT_TRUE(nlohmann::json::accept(out.substr(begin, nl - begin))) << "round " << round;
    }
  }
}

TEST(IsJsonText, AgreesWithNlohmannOnSeededMutationsOfPassageLines) {
  const std::string line =
      "{\"id\":\"a/b.md#0001\",\"doc_id\":\"a/b.md\",\"ordinal\":1,\"type\":\"paragraph\","
      "\"section\":\"Rubrik\",\"speaker_role\":\"\",\"speaker_org\":\"\",\"question\":\"\","
      "\"text\":\"Vi vill se fler åtgärder – \\\"snart\\\" [e-post].\",\"locator\":{"
      "\"line_start\":3,\"line_end\":3,\"page\":0,\"byte_start\":-12,\"byte_end\":1.5e3}}";
  ASSERT_TRUE(IsJsonText(line));
  EXPECT_TRUE(IsJsonText("\"\\u00e5\""));
  EXPECT_FALSE(IsJsonText("\"\\u00g5\""));
  std::mt19937 rng(5);
  const std::string alphabet = "{}[]\":,\\u0e-+.Eatrfnl \x01\x7f\xc3\xa5\xe2\x80\x93\xf0\xed\xc0";
  for (int i = 0; i < 20000; ++i) {
    std::string s = line;
    for (int k = 0, n = 1 + static_cast<int>(rng() % 3); k < n; ++k) {
      const size_t at = rng() % s.size();
      if (rng() % 2) {
        s[at] = alphabet[rng() % alphabet.size()];
      } else {
        s.erase(at, 1 + rng() % 3);
        if (s.empty()) s = "{";
      }
    }
    if (s.find("\\u") != std::string::npos) continue;  // surrogates: see the header
    EXPECT_EQ(IsJsonText(s), nlohmann::json::accept(s)) << s;
  }
}

TEST(ReadPassageHead, ReadsEscapedDocIdsAndTheOrdinal) {
  std::string doc_id;
  long ordinal = 0;
  ASSERT_TRUE(ReadPassageHead("{\"id\":\"x\\\"y#0002\",\"doc_id\":\"x\\\"y\",\"ordinal\":2,\"a\":1}",
                              doc_id, ordinal));
  EXPECT_EQ(doc_id, "x\"y");
  EXPECT_EQ(ordinal, 2);
  ASSERT_TRUE(ReadPassageHead("{\"id\":\"a#0002\",\"doc_id\":\"a\",\"ordinal\":2,\"a\":1", doc_id,
                              ordinal));
  EXPECT_EQ(ordinal, -1);  // no closing brace
  EXPECT_FALSE(ReadPassageHead("{\"doc_id\":\"a\",\"id\":\"a#0000\"}", doc_id, ordinal));
  EXPECT_FALSE(ReadPassageHead("{\"id\":\"a#0000", doc_id, ordinal));
}

}  // namespace
}  // namespace samrad::ingest
