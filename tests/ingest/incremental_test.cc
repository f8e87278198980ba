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
  auto name = [](int i) {
    return fs::path("d" + std::to_string(i / 10)) / ("f" + std::to_string(i) + ".txt");
  };
  auto write = [&](int i) {
    WriteBytes(corpus() / name(i), Text(i * 1000 + version[i], 1 + (i + version[i]) % 5));
  };
  for (int i = 0; i < kFiles; ++i) write(i);
  Run();
  for (int round = 0; round < 4; ++round) {
    for (int k = 0; k < 5; ++k) {
      const int i = static_cast<int>(rng() % kFiles);
      const fs::path path = corpus() / name(i);
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
  const size_t text = bytes.find("\"text\":\"", start);
  ASSERT_NE(text, std::string::npos);
  bytes[text + 9] = '\x02';  // a raw control character inside the passage's text
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
      if (bytes.empty()) bytes.assign(1, 'x');
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

// ReportToJson as it was written before #11: through an nlohmann tree. The
// direct writer must give the same bytes.
std::string ReferenceReportToJson(const IngestReport& report) {
  using OrderedJson = nlohmann::ordered_json;
  OrderedJson j;
  j["format_version"] = kIngestFormatVersion;
  OrderedJson limits = OrderedJson::object();
  for (const auto& [k, v] : report.limits) limits[k] = v;
  j["limits"] = std::move(limits);
  OrderedJson summary;
  summary["files"] = report.files.size();
  summary["ingested"] = report.ingested;
  summary["unchanged"] = report.unchanged;
  summary["skipped"] = report.skipped;
  summary["failed"] = report.failed;
  summary["removed"] = report.removed;
  summary["passages"] = report.passages;
  j["summary"] = std::move(summary);
  OrderedJson files = OrderedJson::array();
  for (const FileReport& f : report.files) {
    OrderedJson fj;
    fj["path"] = f.path;
    fj["status"] = f.status;
    fj["reason"] = f.reason;
    fj["format"] = f.format;
    fj["encoding"] = f.encoding;
    fj["passages"] = f.passages;
    OrderedJson red = OrderedJson::object();
    for (const auto& [k, v] : f.redactions) red[k] = v;
    fj["redactions"] = std::move(red);
    fj["warnings"] = f.warnings;
    files.push_back(std::move(fj));
  }
  j["files"] = std::move(files);
  return j.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

TEST(ReportToJson, SameBytesAsTheJsonTreeVersion) {
  IngestReport report;
  EXPECT_EQ(ReportToJson(report), ReferenceReportToJson(report));  // empty everything
  report.limits = {{"max_file_bytes", 67108864}, {"max_passage_bytes", 8192}};
  report.ingested = 2;
  report.failed = 1;
  report.passages = 12;
  FileReport a;
  a.path = "remiss/r\"1\\.txt";
  a.status = "ingested";
  a.reason = "new file";
  a.format = "txt";
  a.encoding = "windows-1252";
  a.passages = 12;
  a.redactions = {{"e-post", 2}, {"namn", 1}};
  a.warnings = {"invalid UTF-8: 2 sequences replaced", "tab\there, newline\n, \x01 and \x7f",
                "åäö – ”citat”", "broken \xC3 byte"};
  FileReport b;
  b.path = "seminar/s01.md";
  b.status = "failed";
  b.reason = "empty file (0 bytes)";
  b.warnings = {"kept the 3 passages of the previous version"};
  FileReport c;
  c.path = "x/\xFF.md";
  c.status = "skipped";
  report.files = {a, b, c};
  EXPECT_EQ(ReportToJson(report), ReferenceReportToJson(report));
}

TEST_F(IncrementalTest, ReportIsReadBackForTheWarningsOfUnchangedFiles) {
  WriteBytes(corpus() / "a.md", Text(1, 2));  // no metadata: a warning
  const IngestReport first = Run();
  const IngestReport second = Run();
  ASSERT_EQ(Find(second, "a.md")->status, "unchanged");
  EXPECT_EQ(Find(second, "a.md")->warnings, Find(first, "a.md")->warnings);
  EXPECT_FALSE(Find(second, "a.md")->warnings.empty());
  // A report that is not what Ingest() writes: every file is new again.
  WriteBytes(state() / "ingest/ingest-report.json", R"({"format_version": 1, "files": [{"path": 7}]})");
  EXPECT_EQ(Find(Run(), "a.md")->reason, "new file");
  WriteBytes(state() / "ingest/ingest-report.json", "[1, 2]");
  EXPECT_EQ(Find(Run(), "a.md")->reason, "new file");
  WriteBytes(state() / "ingest/ingest-report.json", "{\"files\": [");
  EXPECT_EQ(Find(Run(), "a.md")->reason, "new file");
  WriteBytes(state() / "ingest/ingest-report.json", R"({"format_version": 1e400})");
  EXPECT_EQ(Find(Run(), "a.md")->reason, "new file");
}

TEST(ReadPassageLine, ReadsEscapedDocIdsAndTheOrdinal) {
  std::string doc_id;
  long ordinal = 0;
  bool valid = false;
  ASSERT_TRUE(ReadPassageLine("{\"id\":\"x\\\"y#0002\",\"doc_id\":\"x\\\"y\",\"ordinal\":2,\"a\":[1,{\"b\":null}]}",
                              doc_id, ordinal, valid));
  EXPECT_EQ(doc_id, "x\"y");
  EXPECT_EQ(ordinal, 2);
  EXPECT_TRUE(valid);
  ASSERT_TRUE(ReadPassageLine("{\"id\":\"a#0002\",\"doc_id\":\"a\",\"ordinal\":\"2\"}", doc_id, ordinal, valid));
  EXPECT_EQ(ordinal, -1);  // not a number
  EXPECT_FALSE(valid);
  ASSERT_TRUE(ReadPassageLine("{\"id\":\"a#0002\",\"doc_id\":\"a\",\"type\":2}", doc_id, ordinal, valid));
  EXPECT_EQ(ordinal, -1);  // not the ordinal
  ASSERT_TRUE(ReadPassageLine("{\"id\":\"a#0002\",\"doc_id\":\"a\",\"ordinal\":-2}", doc_id, ordinal, valid));
  EXPECT_FALSE(valid);  // an ordinal is not negative
  EXPECT_FALSE(ReadPassageLine("{\"doc_id\":\"a\",\"id\":\"a#0000\"}", doc_id, ordinal, valid));
  EXPECT_FALSE(ReadPassageLine("{\"id\":\"a#0000", doc_id, ordinal, valid));
}

TEST(ReadPassageLine, ChecksTheWholeLine) {
  std::string doc_id;
  long ordinal = 0;
  bool valid = true;
  // The head is whole; what follows it is not JSON.
  for (const char* line : {"{\"id\":\"a#0001\",\"doc_id\":\"a\",\"ordinal\":1,\"text\":\"cut",
                           "{\"id\":\"a#0001\",\"doc_id\":\"a\",\"ordinal\":1,\"x\":tru}",
                           "{\"id\":\"a#0001\",\"doc_id\":\"a\",\"ordinal\":1} {}",
                           "{\"id\":\"a#0001\",\"doc_id\":\"a\",\"ordinal\":1,\"x\":\"\\q\"}",
                           "{\"id\":\"a#0001\",\"doc_id\":\"a\",\"ordinal\":1,\"text\":\"\xff\"}",
                           "{\"id\":\"a#0001\",\"doc_id\":\"a\",\"ordinal\":1,\"x\":1e400}"}) {
    valid = true;
    ASSERT_TRUE(ReadPassageLine(line, doc_id, ordinal, valid)) << line;
    EXPECT_EQ(doc_id, "a") << line;
    EXPECT_EQ(ordinal, 1) << line;
    EXPECT_FALSE(valid) << line;
  }
  ASSERT_TRUE(ReadPassageLine("{\"id\":\"a#0001\",\"doc_id\":\"a\",\"ordinal\":1,\"x\":{\"y\":[true,false,1.5,-3]}}",
                              doc_id, ordinal, valid));
  EXPECT_TRUE(valid);
}

}  // namespace
}  // namespace samrad::ingest
