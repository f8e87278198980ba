// floor_index: the cost no Swedish search pipeline on Xapian can avoid.
//
//   floor_index CORPUS_DIR DB_DIR
//
// The benchmark driver (bench/run-bench) compares samrad's whole pipeline with
// this program. It does only what every such pipeline must do, in one thread,
// with no analysis of its own:
//   1. read: every *.txt file under CORPUS_DIR (sorted by path) into memory,
//      split into passages at blank lines (as samrad and the peer do);
//   2. tokenise: ICU's word BreakIterator (Swedish locale) over each passage's
//      UTF-8 bytes, ICU case folding and Snowball Swedish stemming of every
//      word (Xapian::Stem), counting the tokens;
//   3. index: one Xapian document per passage, the plain text indexed
//      positionally by Xapian's TermGenerator (Swedish stemmer, STEM_SOME,
//      what QueryParser expects), into a new on-disk database, one writer;
//   4. commit.
// It prints one JSON object on stdout: seconds per stage, documents,
// passages, bytes, tokens. DB_DIR must not exist; it is created.
//
// Stages 2 and 3 both tokenise: stage 2 measures what ICU tokenising and
// stemming cost alone, stage 3 is what indexing costs on top of Xapian's own
// tokeniser. The floor's total is the sum.
#include <unicode/brkiter.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Splits text at blank lines (a line holding only white space) into
// paragraphs, each trimmed; empty paragraphs are dropped.
void SplitParagraphs(const std::string& text, std::vector<std::string>* out) {
  std::string current;
  size_t pos = 0;
  auto flush = [&] {
    const size_t b = current.find_first_not_of(" \t\r\n");
    if (b != std::string::npos) {
      const size_t e = current.find_last_not_of(" \t\r\n");
      out->push_back(current.substr(b, e - b + 1));
    }
    current.clear();
  };
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const std::string_view line(text.data() + pos, nl - pos);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      flush();
    } else {
      current.append(line);
      current.push_back('\n');
    }
    pos = nl + 1;
  }
  flush();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: floor_index CORPUS_DIR DB_DIR\n");
    return 2;
  }
  const fs::path corpus = argv[1];
  const fs::path db_dir = argv[2];
  std::error_code ec;
  if (fs::exists(db_dir, ec)) {
    std::fprintf(stderr, "floor_index: %s already exists\n", db_dir.c_str());
    return 2;
  }

  // 1. Read.
  auto t = Clock::now();
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(corpus, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
  }
  if (ec) {
    std::fprintf(stderr, "floor_index: %s: %s\n", corpus.c_str(), ec.message().c_str());
    return 2;
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> passages;
  size_t bytes = 0;
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    const std::string text = s.str();
    bytes += text.size();
    SplitParagraphs(text, &passages);
  }
  const double read_s = Since(t);

  // 2. ICU tokenise, case-fold, stem.
  t = Clock::now();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> words(
      icu::BreakIterator::createWordInstance(icu::Locale("sv", "SE"), status));
  if (U_FAILURE(status)) {
    std::fprintf(stderr, "floor_index: ICU word break iterator: %s\n", u_errorName(status));
    return 1;
  }
  Xapian::Stem stemmer("swedish");
  size_t tokens = 0, stem_bytes = 0;
  std::string folded;
  for (const std::string& p : passages) {
    UText* ut = utext_openUTF8(nullptr, p.data(), static_cast<int64_t>(p.size()), &status);
    words->setText(ut, status);
    int32_t start = words->first();
    for (int32_t end = words->next(); end != icu::BreakIterator::DONE; start = end, end = words->next()) {
      if (words->getRuleStatus() == UBRK_WORD_NONE) continue;
      folded.clear();
      icu::UnicodeString::fromUTF8(icu::StringPiece(p.data() + start, end - start))
          .foldCase()
          .toUTF8String(folded);
      stem_bytes += stemmer(folded).size();
      ++tokens;
    }
    utext_close(ut);
    if (U_FAILURE(status)) {
      std::fprintf(stderr, "floor_index: ICU: %s\n", u_errorName(status));
      return 1;
    }
  }
  const double tokenise_s = Since(t);

  // 3 and 4. TermGenerator into an on-disk database, then commit.
  double index_s = 0, commit_s = 0;
  try {
    t = Clock::now();
    Xapian::WritableDatabase db(db_dir.string(), Xapian::DB_CREATE);
    Xapian::TermGenerator tg;
    tg.set_stemmer(stemmer);
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    for (const std::string& p : passages) {
      Xapian::Document doc;
      tg.set_document(doc);
      tg.index_text(p);
      doc.set_data(p);
      db.add_document(doc);
    }
    index_s = Since(t);
    t = Clock::now();
    db.commit();
    db.close();
    commit_s = Since(t);
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "floor_index: Xapian: %s\n", e.get_description().c_str());
    return 1;
  }
  std::printf(
      "{\"documents\": %zu, \"passages\": %zu, \"bytes\": %zu, \"tokens\": %zu, \"stem_bytes\": %zu, "
      "\"stages\": {\"read\": %.3f, \"tokenise\": %.3f, \"index\": %.3f, \"commit\": %.3f}, "
      "\"total\": %.3f}\n",
      files.size(), passages.size(), bytes, tokens, stem_bytes, read_s, tokenise_s, index_s, commit_s,
      read_s + tokenise_s + index_s + commit_s);
  return 0;
}
