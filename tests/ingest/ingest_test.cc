// Ingest() end to end on small corpora written by the tests.
#include "ingest/ingest.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

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

const char kNotes[] =
    "# Samtal i Fyrbodal\n\nDatum: 14 mars 2019.\n\n## Samtal\n\n"
    "Moderator: Välkomna.\n\nAnna Berg, planerare, Uddevalla kommun: Vi behöver bostäder.\n";
const char kLetter[] =
    "Yttrande\n\nVi ställer oss bakom förslaget.\n\nKontaktperson: Sofia Björk, 031-345 67 89\n";

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteBytes(corpus() / "seminar/s01.md", kNotes);
    WriteBytes(corpus() / "seminar/s01.md.meta.json", Sidecar("seminar"));
    WriteBytes(corpus() / "remiss/r01.txt", kLetter);
    WriteBytes(corpus() / "remiss/r01.txt.meta.json", Sidecar("remiss", "Yttrande", "2020-04-01"));
    WriteBytes(corpus() / "README.odt", "not a document we read");
  }
  fs::path corpus() const { return dir_.path() / "corpus"; }
  fs::path state() const { return dir_.path() / "state"; }
  IngestOptions Options() const {
    IngestOptions o;
    o.corpus_dir = corpus();
    o.state_dir = state();
    return o;
  }
  IngestReport Run(const IngestOptions& options) {
    Result<IngestReport> r = Ingest(options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : IngestReport();
  }
  IngestReport Run() { return Run(Options()); }

  TempDir dir_;
};

TEST_F(IngestTest, WritesDocumentsPassagesAndAReportOfEveryFile) {
  const IngestReport report = Run();
  EXPECT_EQ(report.ingested, 2);
  EXPECT_EQ(report.skipped, 1);
  EXPECT_EQ(report.failed, 0);
  ASSERT_EQ(report.files.size(), 3u);  // sidecars are metadata, not files of the report
  EXPECT_EQ(report.files[0].path, "README.odt");
  EXPECT_EQ(report.files[0].status, "skipped");
  EXPECT_NE(report.files[0].reason.find("unknown extension .odt"), std::string::npos);
  EXPECT_EQ(report.files[1].path, "remiss/r01.txt");
  EXPECT_EQ(report.files[2].path, "seminar/s01.md");
  EXPECT_EQ(report.files[2].redactions.at("namn"), 1);

  for (const char* name : {"documents.jsonl", "passages.jsonl", "ingest-report.json"}) {
    EXPECT_TRUE(fs::exists(state() / "ingest" / name)) << name;
  }
  Result<std::vector<Document>> docs = LoadDocuments(state());
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].id, "remiss/r01.txt");
  EXPECT_EQ((*docs)[0].meta.kind, "remiss");
  EXPECT_EQ((*docs)[1].meta.forum, "Klimat2030");
  EXPECT_EQ((*docs)[1].passage_count, 3);
  EXPECT_EQ((*docs)[1].source_hash, ContentHash(kNotes));

  std::vector<std::string> ids;
  ASSERT_OK(ForEachPassage(state(), [&](const Passage& p) {
    ids.push_back(p.id);
    return Status::Ok();
  }));
  EXPECT_EQ(ids, (std::vector<std::string>{"remiss/r01.txt#0000", "remiss/r01.txt#0001",
                                           "seminar/s01.md#0000", "seminar/s01.md#0001",
                                           "seminar/s01.md#0002"}));
  const std::string all = testing::AllBytesUnder(state());
  EXPECT_EQ(all.find("Anna Berg"), std::string::npos);
  EXPECT_EQ(all.find("Sofia Björk"), std::string::npos);
  EXPECT_EQ(all.find("345 67 89"), std::string::npos);
}

TEST_F(IngestTest, OutputIsByteIdenticalForTheSameInput) {
  Run();
  IngestOptions other = Options();
  other.state_dir = dir_.path() / "state2";
  Run(other);
  for (const char* name : {"documents.jsonl", "passages.jsonl", "ingest-report.json"}) {
    EXPECT_EQ(ReadBytes(state() / "ingest" / name), ReadBytes(other.state_dir / "ingest" / name))
        << name;
  }
}

TEST_F(IngestTest, SecondRunParsesNothing) {
  Run();
  const std::string passages = ReadBytes(state() / "ingest/passages.jsonl");
  const IngestReport second = Run();
  EXPECT_EQ(second.ingested, 0);
  EXPECT_EQ(second.unchanged, 2);
  EXPECT_EQ(Find(second, "seminar/s01.md")->status, "unchanged");
  EXPECT_NE(Find(second, "seminar/s01.md")->reason.find("not parsed again"), std::string::npos);
  EXPECT_EQ(Find(second, "seminar/s01.md")->redactions.at("namn"), 1);
  EXPECT_EQ(ReadBytes(state() / "ingest/passages.jsonl"), passages);
  EXPECT_EQ(second.passages, 5);
}

TEST_F(IngestTest, ChangedFileIsReadAgainAndRemovedFileIsReported) {
  Run();
  WriteBytes(corpus() / "remiss/r01.txt", std::string(kLetter) + "\nEtt nytt stycke.\n");
  fs::remove(corpus() / "seminar/s01.md");
  fs::remove(corpus() / "seminar/s01.md.meta.json");
  const IngestReport second = Run();
  EXPECT_EQ(Find(second, "remiss/r01.txt")->status, "ingested");
  EXPECT_EQ(Find(second, "remiss/r01.txt")->reason, "content changed since the last run");
  EXPECT_EQ(Find(second, "remiss/r01.txt")->passages, 3);
  EXPECT_EQ(Find(second, "seminar/s01.md")->status, "removed");
  EXPECT_EQ(second.removed, 1);
  Result<std::vector<Document>> docs = LoadDocuments(state());
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ(docs->size(), 1u);
  int passages = 0;
  ASSERT_OK(ForEachPassage(state(), [&](const Passage&) {
    ++passages;
    return Status::Ok();
  }));
  EXPECT_EQ(passages, 3);
}

TEST_F(IngestTest, ChangedMetadataIsReadAgain) {
  Run();
  WriteBytes(corpus() / "seminar/s01.md.meta.json", Sidecar("seminar", "Ny titel"));
  const IngestReport second = Run();
  EXPECT_EQ(Find(second, "seminar/s01.md")->reason, "metadata changed since the last run");
  EXPECT_EQ(Find(second, "remiss/r01.txt")->status, "unchanged");
  Result<std::vector<Document>> docs = LoadDocuments(state());
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ((*docs)[1].meta.title, "Ny titel");
}

TEST_F(IngestTest, OtherLimitsMeanParsingEverythingAgain) {
  Run();
  IngestOptions options = Options();
  options.max_passage_bytes = 4096;
  const IngestReport second = Run(options);
  EXPECT_EQ(second.ingested, 2);
  EXPECT_EQ(Find(second, "remiss/r01.txt")->reason, "ingest format or limits changed");
}

TEST_F(IngestTest, DocumentWithoutMetadataIsInferredAndWarned) {
  WriteBytes(corpus() / "other/notes.md", "# Anteckningar\n\nDatum: 2019-05-03\n\nText här.\n");
  const IngestReport report = Run();
  const FileReport* f = Find(report, "other/notes.md");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->status, "ingested");
  ASSERT_FALSE(f->warnings.empty());
  EXPECT_NE(f->warnings.back().find("no metadata"), std::string::npos);
  Result<std::vector<Document>> docs = LoadDocuments(state());
  ASSERT_TRUE(docs.ok());
  const Document& d = (*docs)[0];
  EXPECT_EQ(d.id, "other/notes.md");
  EXPECT_EQ(d.meta.kind, "other");
  EXPECT_EQ(d.meta.title, "Anteckningar");
  EXPECT_EQ(d.meta.date, "2019-05-03");
  EXPECT_EQ(d.meta.inferred, (std::vector<std::string>{"date", "kind", "title"}));
}

TEST_F(IngestTest, ManifestGivesMetadataAndASidecarWins) {
  WriteBytes(corpus() / "other/a.md", "# A\n\nText.\n");
  WriteBytes(corpus() / "samrad-manifest.json",
             R"({"documents": {"other/a.md": {"kind": "remiss", "subregion": "Sjuhärad"},
                               "seminar/s01.md": {"kind": "other", "title": "Manifestets"}}})");
  const IngestReport report = Run();
  EXPECT_EQ(Find(report, "samrad-manifest.json"), nullptr);  // metadata, and fine
  Result<std::vector<Document>> docs = LoadDocuments(state());
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ((*docs)[0].meta.kind, "remiss");
  EXPECT_EQ((*docs)[0].meta.subregion, "Sjuhärad");
  EXPECT_EQ((*docs)[2].meta.title, "Titel");  // from the sidecar
}

TEST_F(IngestTest, ManifestEntryNamingNoDocumentIsAFailure) {
  WriteBytes(corpus() / "samrad-manifest.json",
             R"({"documents": {"other/gone.md": {"kind": "remiss"}}})");
  const IngestReport report = Run();
  const FileReport* f = Find(report, "samrad-manifest.json");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->status, "failed");
  EXPECT_NE(f->reason.find("other/gone.md"), std::string::npos);
  EXPECT_EQ(report.ingested, 2);
}

TEST_F(IngestTest, BadSidecarFailsItsDocumentNamingFileAndField) {
  WriteBytes(corpus() / "remiss/r01.txt.meta.json", R"({"kind": "remiss", "date": 2020})");
  const IngestReport report = Run();
  const FileReport* f = Find(report, "remiss/r01.txt");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->status, "failed");
  EXPECT_EQ(f->reason, "remiss/r01.txt.meta.json: field \"date\" must be a string, not number");
  EXPECT_EQ(Find(report, "seminar/s01.md")->status, "ingested");
}

TEST_F(IngestTest, FailedFileKeepsThePreviousVersion) {
  Run();
  WriteBytes(corpus() / "remiss/r01.txt", "");
  const IngestReport second = Run();
  const FileReport* f = Find(second, "remiss/r01.txt");
  EXPECT_EQ(f->status, "failed");
  EXPECT_EQ(f->reason, "empty file (0 bytes)");
  ASSERT_FALSE(f->warnings.empty());
  EXPECT_NE(f->warnings[0].find("kept the 2 passages"), std::string::npos);
  Result<std::vector<Document>> docs = LoadDocuments(state());
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ(docs->size(), 2u);
}

TEST_F(IngestTest, ReadErrorsAreReportedPerFile) {
  IngestOptions options = Options();
  options.read_file = [](const fs::path& p, std::uintmax_t max) -> Result<std::string> {
    if (p.filename() == "r01.txt")
      return Status::IOError(p.string() + ": cannot open: Permission denied");
    return ReadFile(p, max);
  };
  const IngestReport report = Run(options);
  const FileReport* f = Find(report, "remiss/r01.txt");
  EXPECT_EQ(f->status, "failed");
  EXPECT_EQ(f->reason, "cannot open: Permission denied");
  EXPECT_EQ(Find(report, "seminar/s01.md")->status, "ingested");
}

TEST_F(IngestTest, AnotherRunHoldingTheLockMeansBusy) {
  fs::create_directories(state());
  const int fd = ::open((state() / "ingest.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  // flock locks are per open file description: a second open in this
  // process conflicts like another process would.
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  Result<IngestReport> r = Ingest(Options());
  ::close(fd);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kBusy);
}

TEST_F(IngestTest, MissingCorpusFolderIsAUsageError) {
  IngestOptions options = Options();
  options.corpus_dir = dir_.path() / "nowhere";
  Result<IngestReport> r = Ingest(options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(fs::exists(state() / "ingest"));
}

TEST_F(IngestTest, ProgressIsReported) {
  IngestOptions options = Options();
  size_t last_done = 0, last_total = 0, calls = 0;
  options.progress = [&](size_t done, size_t total) {
    last_done = done;
    last_total = total;
    ++calls;
  };
  Run(options);
  EXPECT_EQ(last_done, last_total);
  EXPECT_EQ(last_total, 3u);
  EXPECT_GE(calls, 3u);
}

TEST_F(IngestTest, ReportJsonHasSummaryAndFiles) {
  Run();
  const nlohmann::json report =
      nlohmann::json::parse(ReadBytes(state() / "ingest/ingest-report.json"));
  EXPECT_EQ(report["format_version"], kIngestFormatVersion);
  EXPECT_EQ(report["summary"]["ingested"], 2);
  EXPECT_EQ(report["summary"]["files"], 3);
  EXPECT_EQ(report["files"][2]["path"], "seminar/s01.md");
  EXPECT_EQ(report["files"][2]["redactions"]["namn"], 1);
  EXPECT_EQ(report["limits"]["max_unpacked_bytes"], 256u << 20);
}

// (#11) Documents are read and parsed on several threads, a chunk at a
// time, and applied in corpus order; with read_file injected, all on one
// thread. Over more documents than a chunk holds, of every format (the
// bundled corpus' PDFs, DOCX, HTML, JSON), with failures, skipped files and
// sidecars among them, both give the same bytes.
TEST_F(IngestTest, Issue11ThreadsGiveTheSameBytesAsOneThread) {
  fs::copy(samrad::testing::SourceDir() / "corpus/documents", corpus() / "bundled", fs::copy_options::recursive);
  for (int i = 0; i < 600; ++i) {
    const std::string name = "extra/d" + std::to_string(i);
    if (i % 7 == 0) {
      WriteBytes(corpus() / (name + ".pdf"), "inget PDF-huvud " + std::to_string(i));
    } else if (i % 11 == 0) {
      WriteBytes(corpus() / (name + ".odt"), "okänt format");
    } else {
      WriteBytes(corpus() / (name + ".txt"),
                 "Yttrande " + std::to_string(i) + "\n\nVi vill se fler bostäder i kommun " + std::to_string(i) +
                     ".\n\nKontakt: anna.berg" + std::to_string(i) + "@example.se\n");
      if (i % 3 == 0) WriteBytes(corpus() / (name + ".txt.meta.json"), Sidecar("remiss", "Yttrande", "2020-04-01"));
    }
  }
  const IngestReport threads = Run();
  const fs::path one = dir_.path() / "one";
  IngestOptions options = Options();
  options.state_dir = one;
  options.read_file = [](const fs::path& p, std::uintmax_t max) { return ReadFile(p, max); };
  const IngestReport single = Run(options);
  EXPECT_GT(threads.ingested, 600 - 600 / 7 - 600 / 11);
  EXPECT_GT(threads.failed, 80);
  EXPECT_EQ(threads.ingested, single.ingested);
  for (const char* name : {"documents.jsonl", "passages.jsonl", "ingest-report.json"}) {
    EXPECT_EQ(ReadBytes(state() / "ingest" / name), ReadBytes(one / "ingest" / name)) << name;
  }
}

}  // namespace
}  // namespace samrad::ingest
