// The reports' scan cache (reports/scan_cache.h): a term index built with it
// is the one built without it, whatever state the file is in, and a nightly
// run tokenises only the passages whose text is new.
#include "reports/scan_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "base/files.h"
#include "base/spill.h"
#include "reports/method.h"
#include "reports/passage_store.h"
#include "tests/testing.h"

namespace samrad::reports::internal {
namespace {

namespace fs = std::filesystem;

const analysis::Analyzer& TestAnalyzer() {
  static std::unique_ptr<analysis::Analyzer> analyzer = [] {
    auto a = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? std::move(*a) : nullptr;
  }();
  return *analyzer;
}

// Texts with compounds, stance words, negation, several sentences, a repeat.
std::vector<std::string> Texts() {
  std::vector<std::string> t = {
      "Kollektivtrafiken i Skaraborg måste bli bättre. Vi stödjer satsningen på pendeltåg.",
      "Bostadsbristen i Göteborgsregionen är inte acceptabel! Kommunerna kritiserar planen.",
      "Vi välkomnar strategin för kompetensförsörjning, men den saknar finansiering.",
      "Näringslivet efterfrågar fler yrkesutbildningar och bättre bredband på landsbygden.",
      "Klimatomställningen kräver investeringar i laddinfrastruktur och vätgas.",
      "Kollektivtrafiken i Skaraborg måste bli bättre. Vi stödjer satsningen på pendeltåg.",
  };
  for (int i = 0; i < 40; ++i) {
    t.push_back("Remissvar " + std::to_string(i) + ": Regionen bör prioritera vårdcentraler och äldreomsorg i " +
                (i % 2 ? "Fyrbodal" : "Sjuhärad") + ". Vi är inte nöjda med förslaget om sjukhusparkeringar.");
  }
  return t;
}

PassageStore Store(const std::vector<std::string>& texts) {
  std::vector<Passage> passages;
  for (size_t i = 0; i < texts.size(); ++i) {
    Passage p;
    // Appended piece by piece: GCC 12 warns (-Wrestrict) on "d" + ... here.
    p.doc_id = "d";
    p.doc_id += std::to_string(i);
    p.doc_id += ".txt";
    p.id = p.doc_id + "#0000";
    p.text = texts[i];
    passages.push_back(p);
  }
  return PassageStore::From(passages);
}

template <typename T, typename Eq>
void ExpectSameRows(const RaggedArray<T>& a, const RaggedArray<T>& b, const char* what, Eq eq) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].size(), b[i].size()) << what << " row " << i;
    for (size_t k = 0; k < a[i].size(); ++k) EXPECT_TRUE(eq(a[i][k], b[i][k])) << what << " row " << i << " at " << k;
  }
}

void ExpectSameIndex(const TermIndex& a, const TermIndex& b) {
  EXPECT_EQ(a.terms, b.terms);
  EXPECT_EQ(a.surface, b.surface);
  EXPECT_EQ(a.idf, b.idf);
  EXPECT_EQ(a.df, b.df);
  EXPECT_EQ(a.distinct_terms, b.distinct_terms);
  ExpectSameRows(a.vectors, b.vectors, "vectors", [](auto x, auto y) { return x == y; });
  ExpectSameRows(a.occurrences, b.occurrences, "occurrences", [](const Occurrence& x, const Occurrence& y) {
    return x.byte_start == y.byte_start && x.term == y.term && x.half == y.half;
  });
  ExpectSameRows(a.stance, b.stance, "stance",
                 [](const StanceMark& x, const StanceMark& y) { return x.byte_start == y.byte_start && x.sign == y.sign; });
  ExpectSameRows(a.sentences, b.sentences, "sentences", [](auto x, auto y) { return x == y; });
  ExpectSameRows(a.phrase_tokens.passages, b.phrase_tokens.passages, "phrase tokens",
                 [](auto x, auto y) { return x == y; });
  ASSERT_EQ(a.phrase_tokens.words.size(), b.phrase_tokens.words.size());
  for (size_t w = 0; w < a.phrase_tokens.words.size(); ++w) {
    const PhraseWord& x = a.phrase_tokens.words[w];
    const PhraseWord& y = b.phrase_tokens.words[w];
    EXPECT_EQ(a.phrase_tokens.strings[x.norm], b.phrase_tokens.strings[y.norm]);
    EXPECT_EQ(a.phrase_tokens.strings[x.stem], b.phrase_tokens.strings[y.stem]);
    EXPECT_EQ(std::tie(x.chars, x.nonstop, x.inner, x.compound), std::tie(y.chars, y.nonstop, y.inner, y.compound));
  }
}

class ScanCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.path();
    path_ = dir_ / "reports" / "scan.cache";
  }

  // Builds with the cache at path_ and returns what it did.
  ScanCacheUse Build(const PassageStore& store, TermIndex* out) {
    ScanCacheUse use;
    use.path = path_;
    *out = BuildTermIndex(store, TestAnalyzer(), &use);
    return use;
  }

  testing::TempDir tmp_;
  fs::path dir_, path_;
};

TEST_F(ScanCacheTest, SecondRunReadsEveryPassageAndBuildsTheSameIndex) {
  const PassageStore store = Store(Texts());
  const TermIndex plain = BuildTermIndex(store, TestAnalyzer());

  TermIndex first, second;
  const ScanCacheUse a = Build(store, &first);
  ASSERT_TRUE(a.written.ok()) << a.written.ToString();
  EXPECT_EQ(a.scanned, store.size());
  EXPECT_EQ(a.reused, 0u);
  ExpectSameIndex(plain, first);

  const ScanCacheUse b = Build(store, &second);
  EXPECT_EQ(b.scanned, 0u);
  EXPECT_EQ(b.reused, store.size());
  ExpectSameIndex(plain, second);
}

// (#11) With a spill file, the passages' texts and the index's rows live in
// the file (base/spill.h), block by block: the same index, read back after
// its pages are handed back, with next to nothing of it on the heap.
TEST_F(ScanCacheTest, AnIndexSpilledToAFileIsTheIndexOnTheHeap) {
  std::vector<std::string> texts;
  const std::vector<std::string> base = Texts();
  for (size_t i = 0; texts.size() < 2 * RaggedArray<Occurrence>::kRowsPerBlock + 100; ++i) {
    texts.push_back(base[i % base.size()] + " Punkt " + std::to_string(i) + ".");
  }
  const PassageStore heap = Store(texts);
  std::shared_ptr<SpillFile> file = SpillFile::Create(dir_, 0);  // every hand-back taken
  ASSERT_NE(file, nullptr);
  PassageStore spilled(texts.size(), file);
  for (size_t i = 0; i < texts.size(); ++i) {
    Passage p;
    p.id = "d" + std::to_string(i) + ".txt#0000";
    p.doc_id = "d" + std::to_string(i) + ".txt";
    p.text = texts[i];
    spilled.Set(i, p);
  }
  spilled.ReleasePages();
  const TermIndex on_heap = BuildTermIndex(heap, TestAnalyzer());
  const TermIndex on_file = BuildTermIndex(spilled, TestAnalyzer());
  ExpectSameIndex(on_heap, on_file);
  EXPECT_GT(file->size(), 0u);
  EXPECT_LT(spilled.MemoryBytes(), heap.MemoryBytes() / 2);
  EXPECT_LT(on_file.vectors.MemoryBytes(), on_heap.vectors.MemoryBytes() / 4);
  EXPECT_LT(on_file.occurrences.MemoryBytes(), on_heap.occurrences.MemoryBytes() / 4);
  spilled.ReleasePages();
  ExpectSameIndex(on_heap, on_file);
  for (size_t i = 0; i < texts.size(); ++i) ASSERT_EQ(spilled.text(i), texts[i]) << i;
}

TEST_F(ScanCacheTest, ANightlyRunTokenisesOnlyChangedTexts) {
  std::vector<std::string> texts = Texts();
  TermIndex x;
  Build(Store(texts), &x);
  texts[2] += " Tillägg efter mötet: fler bostäder.";
  texts.push_back("En helt ny remissinstans vill se cykelvägar mellan tätorterna.");
  const PassageStore changed = Store(texts);
  const ScanCacheUse use = Build(changed, &x);
  EXPECT_EQ(use.scanned, 2u);
  EXPECT_EQ(use.reused, texts.size() - 2);
  ExpectSameIndex(BuildTermIndex(changed, TestAnalyzer()), x);
  // Both the old records and the new ones are kept: a third run reads all.
  EXPECT_EQ(Build(changed, &x).scanned, 0u);
}

TEST_F(ScanCacheTest, StaleRecordsDoNotPileUp) {
  std::vector<std::string> texts = Texts();
  TermIndex x;
  Build(Store(texts), &x);
  const auto size_before = fs::file_size(path_);
  // Every text changes a little, night after night: the file is written
  // afresh once most of its records are stale, so it stays about one
  // night's size.
  for (int night = 0; night < 4; ++night) {
    for (std::string& t : texts) t += " Natt " + std::to_string(night) + ".";
    const ScanCacheUse use = Build(Store(texts), &x);
    EXPECT_EQ(use.reused, 0u);
  }
  EXPECT_LT(fs::file_size(path_), size_before * 3 / 2);
}

TEST_F(ScanCacheTest, AFileMostlyStaleIsWrittenAfreshWithTheTextsStillInUse) {
  std::vector<std::string> texts = Texts();
  TermIndex x;
  Build(Store(texts), &x);
  // Two texts in five change: too few of the old records are still in use
  // to copy them, so the file is written afresh, those still in use from
  // the cache and the rest tokenised.
  for (size_t i = 0; i < texts.size(); i += 5) texts[i] += " Ändrad.";
  for (size_t i = 1; i < texts.size(); i += 5) texts[i] += " Ändrad.";
  const PassageStore changed = Store(texts);
  const ScanCacheUse use = Build(changed, &x);
  EXPECT_GT(use.reused, texts.size() / 2);
  EXPECT_GT(use.scanned, texts.size() / 3);
  ExpectSameIndex(BuildTermIndex(changed, TestAnalyzer()), x);
  // The same bytes as a cache written from nothing for these texts.
  Result<std::string> rewritten = ReadFile(path_);
  ASSERT_TRUE(rewritten.ok());
  fs::remove(path_);
  Build(changed, &x);
  Result<std::string> fresh = ReadFile(path_);
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(*rewritten == *fresh);
  EXPECT_EQ(Build(changed, &x).scanned, 0u);
}

TEST_F(ScanCacheTest, DamagedFilesAreReadAsFarAsTheyGoAndNeverChangeTheIndex) {
  const PassageStore store = Store(Texts());
  const TermIndex plain = BuildTermIndex(store, TestAnalyzer());
  TermIndex x;
  Build(store, &x);
  Result<std::string> good = ReadFile(path_);
  ASSERT_TRUE(good.ok());
  const size_t header = good->find('\n') + 1;
  ASSERT_GT(good->size(), header + 100);

  std::vector<std::string> damaged;
  damaged.push_back(good->substr(0, good->size() / 2));  // torn
  damaged.push_back(good->substr(0, header));            // header only
  damaged.push_back("not a scan cache\n");
  damaged.push_back("");
  for (size_t step : {7u, 13u, 61u}) {  // bytes overwritten all through the records
    std::string d = *good;
    for (size_t i = header; i < d.size(); i += step) d[i] = static_cast<char>(d[i] ^ (0x5a + i));
    damaged.push_back(d);
  }
  for (size_t k = 0; k < damaged.size(); ++k) {
    SCOPED_TRACE("damaged file " + std::to_string(k));
    ASSERT_TRUE(WriteFileAtomically(path_, damaged[k]).ok());
    const ScanCacheUse use = Build(store, &x);
    EXPECT_TRUE(use.written.ok());
    EXPECT_EQ(use.scanned + use.reused, store.size());
    ExpectSameIndex(plain, x);
  }
  // The torn file's whole records were used.
  ASSERT_TRUE(WriteFileAtomically(path_, damaged[0]).ok());
  EXPECT_GT(Build(store, &x).reused, 0u);
}

TEST_F(ScanCacheTest, AnotherAnalyzerFingerprintIsNotUsed) {
  const PassageStore store = Store(Texts());
  TermIndex x;
  Build(store, &x);
  Result<std::string> bytes = ReadFile(path_);
  ASSERT_TRUE(bytes.ok());
  const std::string header = ScanCacheHeader(TestAnalyzer().Fingerprint());
  ASSERT_EQ(bytes->compare(0, header.size(), header), 0);
  // The same records under another fingerprint (another word list, say).
  ASSERT_TRUE(WriteFileAtomically(path_, ScanCacheHeader("0123456789abcdef") + bytes->substr(header.size())).ok());
  const ScanCacheUse use = Build(store, &x);
  EXPECT_EQ(use.reused, 0u);
  EXPECT_EQ(use.scanned, store.size());
}

TEST_F(ScanCacheTest, AnUnwritableCacheIsReportedAndTheIndexIsComplete) {
  const PassageStore store = Store(Texts());
  // The cache's folder is a file: nothing can be written under it.
  fs::create_directories(dir_);
  std::ofstream(dir_ / "reports") << "a file";
  TermIndex x;
  const ScanCacheUse use = Build(store, &x);
  EXPECT_FALSE(use.written.ok());
  EXPECT_NE(use.written.ToString().find("reports"), std::string::npos) << use.written.ToString();
  EXPECT_EQ(use.scanned, store.size());
  ExpectSameIndex(BuildTermIndex(store, TestAnalyzer()), x);
}

}  // namespace
}  // namespace samrad::reports::internal
