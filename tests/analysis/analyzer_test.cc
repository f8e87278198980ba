// Analyzer as a whole: creation errors, word list formats, thread safety and
// robustness against arbitrary bytes.
#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/swedish.h"
#include "analysis/utf8.h"
#include "tests/analysis/analysis_testing.h"
#include "tests/testing.h"

namespace samrad::analysis {
namespace {

using testing::DefaultAnalyzer;
using testing::Dump;

TEST(Analyzer, MissingWordListIsAnErrorNamingIt) {
  AnalyzerOptions o;
  o.lexicon_path = "/nonexistent/words";
  Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(o);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("/nonexistent/words"), std::string::npos)
      << a.status().ToString();
}

TEST(Analyzer, MissingHunspellDictionaryIsAnErrorNamingIt) {
  AnalyzerOptions o;
  o.hunspell_path = "/nonexistent/sv_SE";
  Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(o);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("/nonexistent/sv_SE.aff"), std::string::npos)
      << a.status().ToString();
}

TEST(Analyzer, BadOptionsAreInvalidArgument) {
  AnalyzerOptions o;
  o.corpus_stop_doc_ratio = 1.5;
  Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(o);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), Status::Code::kInvalidArgument);
}

// A word list in ISO-8859-1 (like wswedish) and one in UTF-8 give the same
// lexicon.
TEST(Analyzer, WordListEncodingIsDetected) {
  samrad::testing::TempDir dir;
  const std::string words = "kunskap\nregion\nkompetens\nförsörjning\nskola\n";
  std::string latin1;
  for (char32_t cp : internal::DecodeUtf8(words)) latin1.push_back(static_cast<char>(cp));
  std::ofstream(dir.path() / "utf8.txt", std::ios::binary) << words;
  std::ofstream(dir.path() / "latin1.txt", std::ios::binary) << latin1;
  for (const char* name : {"utf8.txt", "latin1.txt"}) {
    AnalyzerOptions o;
    o.hunspell_path = "";
    o.lexicon_path = (dir.path() / name).string();
    o.free_part_chars = 3;  // a tiny list gives no productivity counts
    Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(o);
    ASSERT_OK(a.status());
    EXPECT_EQ((*a)->SplitCompound("kompetensförsörjning"),
              (std::vector<std::string>{"kompetens", "försörjning"}))
        << name;
  }
}

TEST(Analyzer, AbbreviationTableIsSortedAndFindable) {
  EXPECT_NE(internal::FindAbbreviation("t.ex"), nullptr);
  EXPECT_NE(internal::FindAbbreviation("bl.a"), nullptr);
  EXPECT_NE(internal::FindAbbreviation("s:t"), nullptr);
  EXPECT_NE(internal::FindAbbreviation("f.ö"), nullptr);
  EXPECT_EQ(internal::FindAbbreviation("region"), nullptr);
  for (const char* key : {"ang", "ca", "dvs", "etc", "m.fl", "osv", "tkr", "tf", "tel", "st"}) {
    const internal::Abbreviation* a = internal::FindAbbreviation(key);
    ASSERT_NE(a, nullptr) << key;
    EXPECT_EQ(a->key, key);
  }
}

std::vector<std::string> CorpusTexts() {
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::recursive_directory_iterator(samrad::testing::SourceDir() /
                                                                     "corpus/documents")) {
    std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".md" || ext == ".txt")) paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> texts;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    texts.push_back(s.str());
  }
  return texts;
}

// The tokens of each text, dumped, on the calling thread.
std::vector<std::string> DumpEach(const Analyzer& a, const std::vector<std::string>& texts) {
  std::vector<std::string> dumps;
  for (const std::string& t : texts) dumps.push_back(Dump(a.Tokenize(t)));
  return dumps;
}

TEST(Analyzer, ParallelTokenizeEqualsSerial) {
  const Analyzer& a = DefaultAnalyzer();
  std::vector<std::string> texts = CorpusTexts();
  ASSERT_FALSE(texts.empty());
  const std::vector<std::string> serial = DumpEach(a, texts);
  std::vector<std::string> parallel(texts.size());
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (size_t i = static_cast<size_t>(k); i < texts.size(); i += 4) {
        parallel[i] = Dump(a.Tokenize(texts[i]));
        a.Sentences(texts[i]);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(serial, parallel);
}

// (#11) The shared word memo can be freed while other threads tokenise
// (new threads start with empty memos of their own, so they read the shared
// one): the tokens stay the same.
TEST(Analyzer, ReleasingTheSharedMemoWhileTokenisingChangesNothing) {
  const Analyzer& a = DefaultAnalyzer();
  std::vector<std::string> texts = CorpusTexts();
  ASSERT_FALSE(texts.empty());
  const std::vector<std::string> serial = DumpEach(a, texts);
  std::vector<std::string> parallel(texts.size());
  std::atomic<bool> done{false};
  std::thread releaser([&] {
    while (!done.load()) a.ReleaseSharedMemo();
  });
  std::vector<std::thread> threads;
  for (int k = 0; k < 3; ++k) {
    threads.emplace_back([&, k] {
      for (size_t i = static_cast<size_t>(k); i < texts.size(); i += 3) parallel[i] = Dump(a.Tokenize(texts[i]));
    });
  }
  for (std::thread& t : threads) t.join();
  done = true;
  releaser.join();
  EXPECT_EQ(serial, parallel);
  a.ReleaseSharedMemo();
  std::vector<std::string> after;
  std::thread fresh([&] { after = DumpEach(a, texts); });
  fresh.join();
  EXPECT_EQ(serial, after);
}

// (#11) ReleaseSharedMemo also frees the memo of the thread that calls it:
// the main thread's memo of the analyze stage had outlived it into the
// index and the reports (~22 MB at N=20,000). The words are memoised on this
// thread; the shared memo is released from another thread, which cannot
// free this thread's; then this thread's release frees what is left.
TEST(Analyzer, Issue11ReleasingTheMemoFreesTheCallingThreadsOwn) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's allocator does not report heap use through mallinfo2";
#else
  const Analyzer& a = DefaultAnalyzer();
  constexpr int kWords = 20000;
  std::string text;
  for (int i = 0; i < kWords; ++i) {
    std::string word = "zq";
    for (int n = i, k = 0; k < 4; ++k, n /= 26) word.push_back(static_cast<char>('a' + n % 26));
    text += word + "xyz ";
  }
  const std::string before_release = Dump(a.Tokenize(text));
  std::thread other([&] { a.ReleaseSharedMemo(); });
  other.join();
  const size_t held = mallinfo2().uordblks;
  a.ReleaseSharedMemo();
  const size_t released = mallinfo2().uordblks;
  ASSERT_LT(released, held);
  // At least 32 bytes a word: its key alone is a std::string.
  EXPECT_GT(held - released, size_t{32} * kWords) << held << " -> " << released << " bytes in use";
  EXPECT_EQ(Dump(a.Tokenize(text)), before_release);
#endif
}

// A dump of everything Tokenize gives, stems and spans included.
std::string FullDump(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    out += t.text + "|" + t.norm + "|" + t.stem + "|" + std::to_string(static_cast<int>(t.kind)) + "|" +
           (t.stop ? "s" : "-") + "|" + std::to_string(t.byte_start) + "-" + std::to_string(t.byte_end);
    for (const std::string& p : t.parts) out += "+" + p;
    out += "\n";
  }
  return out;
}

// (#11) The stages of `samrad run` share one Analyzer: a stage releases its
// own thread's memo when done, and the shared memo stays for the next
// stage, whose threads then read every word from it. Those tokens (and the
// compound surfaces) equal an analyzer's with no shared memo at all.
TEST(Analyzer, Issue11TheSharedMemoOutlivesAStageAndGivesTheSameTokens) {
  const std::vector<std::string> texts = CorpusTexts();
  ASSERT_FALSE(texts.empty());
  AnalyzerOptions no_shared;
  no_shared.shared_word_cache_entries = 0;
  Result<std::unique_ptr<Analyzer>> reference = Analyzer::Create(no_shared);
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  Result<std::unique_ptr<Analyzer>> shared = Analyzer::Create(AnalyzerOptions{});
  ASSERT_TRUE(shared.ok()) << shared.status().ToString();
  const Analyzer& a = **shared;

  auto dump_all = [&](const Analyzer& an) {
    std::string out;
    for (const std::string& t : texts) {
      const std::vector<Token> tokens = an.Tokenize(t);
      out += FullDump(tokens);
      for (const Token& tok : tokens) {
        if (tok.kind != TokenKind::kWord) continue;
        for (const std::string& s : an.SplitCompoundSurface(tok.norm)) out += "/" + s;
      }
    }
    return out;
  };
  std::string expected;
  std::thread([&] { expected = dump_all(**reference); }).join();
  EXPECT_EQ((*reference)->SharedMemoStats().words, 0u);

  // "Stage 1" on its own thread fills the shared memo.
  std::string first;
  std::thread([&] {
    first = dump_all(a);
    a.ReleaseThreadMemo();
  }).join();
  const size_t words = a.SharedMemoStats().words;
  EXPECT_GT(words, 1000u);
  a.ReleaseThreadMemo();  // the calling thread's: the shared memo stays
  EXPECT_EQ(a.SharedMemoStats().words, words);

  // "Stage 2" on a new thread, whose own memo starts empty.
  std::string second;
  std::thread([&] { second = dump_all(a); }).join();
  EXPECT_EQ(a.SharedMemoStats().words, words);  // nothing was missing
  EXPECT_EQ(first, expected);
  EXPECT_EQ(second, expected);

  a.ReleaseSharedMemo();
  EXPECT_EQ(a.SharedMemoStats().words, 0u);
}

// Any byte sequence is analysed without crashing; spans stay in bounds and
// norms are valid UTF-8.
TEST(Analyzer, ArbitraryBytesAreSafe) {
  const Analyzer& a = DefaultAnalyzer();
  std::mt19937 rng(20240601);
  const std::string alphabet = "aåä öE:.-@/ 1,\xc3\xe2\x80\x99\xad\xc2\n\"'www.http://";
  for (int round = 0; round < 300; ++round) {
    std::string text;
    size_t len = rng() % 200;
    for (size_t i = 0; i < len; ++i) {
      text.push_back(round % 2 == 0 ? static_cast<char>(rng() & 0xFF)
                                    : alphabet[rng() % alphabet.size()]);
    }
    for (const Token& t : a.Tokenize(text)) {
      ASSERT_LT(t.byte_start, t.byte_end);
      ASSERT_LE(t.byte_end, text.size());
      EXPECT_TRUE(internal::IsValidUtf8(t.norm)) << round;
    }
    for (const Sentence& s : a.Sentences(text)) {
      ASSERT_LT(s.byte_start, s.byte_end);
      ASSERT_LE(s.byte_end, text.size());
    }
  }
}

}  // namespace
}  // namespace samrad::analysis
