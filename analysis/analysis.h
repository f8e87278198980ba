// Swedish text analysis: tokens, stems, stop words, compounds, sentences and
// key phrases. Search (index/) and theme sorting (analysis/themes/) both stand
// on it; docs/analysis.md describes every rule below with examples and the
// measured quality.
//
// Usage:
//
//   Result<std::unique_ptr<Analyzer>> a = Analyzer::Create(AnalyzerOptions{});
//   if (!a.ok()) return a.status();
//   for (const Token& t : (*a)->Tokenize("Kunskapsregionen satsar bl.a. på VG2020.")) {
//     // t.text  "Kunskapsregionen"   t.norm "kunskapsregionen"
//     // t.stem  "kunskapsregion"     t.parts {"kunskap", "regionen"}
//     // ...     "bl.a." (kAbbreviation, stop)   "vg2020" (kAlphanumeric)
//   }
//
// An Analyzer is immutable after Create() and AddCorpusFrequencies(): all
// const methods may be called from many threads at once. Input text is UTF-8
// (ingest guarantees valid UTF-8 in NFC; anything else is analysed without
// crashing, invalid bytes never become part of a token's norm). Offsets are
// byte offsets into the text passed in; texts longer than 2 GiB (ICU's
// int32_t indexes) are analysed up to the first 2 GiB.
#ifndef SAMRAD_ANALYSIS_ANALYSIS_H_
#define SAMRAD_ANALYSIS_ANALYSIS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace samrad::analysis {

// What a token is. Only kWord tokens are stemmed and split into compound
// parts (a hyphenated kAlphanumeric lists its pieces: "covid-19" -> covid, 19).
enum class TokenKind {
  kWord,          // letters, possibly with inner hyphens, apostrophes or a colon:
                  // "kommunen", "fou-satsning", "mcdonald's", "eu:s"
  kNumber,        // digits with decimal comma/point and thousands spaces: "12000", "3,5"
  kAbbreviation,  // from the built-in list, kept whole with its dots: "t.ex.", "bl.a.", "ca"
  kAlphanumeric,  // letters and digits together: "vg2020", "e20", "5g", "klimat2030"
  kEmail,         // "anna@vgregion.se"
  kUrl,           // "https://www.vgregion.se/x", "www.vgregion.se"
};

// "word", "number", "abbreviation", "alphanumeric", "email", "url".
std::string_view TokenKindName(TokenKind kind);

struct Token {
  // The surface form exactly as in the input (including a soft hyphen or the
  // thousands space of "12 000").
  std::string text;
  // Normalised form: NFC, ICU full case folding (å, ä, ö are letters of their
  // own and are never folded to a, o), soft hyphens removed, U+2019 as "'",
  // thousands spaces removed ("12000"), abbreviations in their listed form
  // ("t.ex."). A hyphen-suspended first conjunct is completed from the word it
  // shares its head with: in "el- och vätgasbilar" the token "el-" has norm
  // "elbilar" (see docs/analysis.md).
  std::string norm;
  // Snowball Swedish stem of norm (Xapian::Stem("swedish")). For a word with
  // a colon ending ("eu:s", "gr:s") the stem is the part before the colon
  // ("eu"). For every other kind, stem == norm.
  std::string stem;
  // Compound parts of a kWord token, full decomposition, each part
  // normalised with its linking morpheme removed and, where the part was a
  // truncated compounding form, restored to its word-list form:
  // "kunskapsregionen" -> {"kunskap", "regionen"}, "skolbussarna" -> {"skola",
  // "bussarna"}, "lastbilstrafik" -> {"last", "bil", "trafik"}. The last part
  // keeps its inflection. Hyphenated words list their hyphen-separated pieces
  // (each decomposed): "fou-satsning" -> {"fou", "satsning"}. Empty when the
  // token is not a compound.
  std::vector<std::string> parts;
  TokenKind kind = TokenKind::kWord;
  // A stop word (Analyzer::IsStopWord of norm), or an abbreviation that is a
  // function word ("t.ex.", "bl.a.", "osv.").
  bool stop = false;
  // Byte span [byte_start, byte_end) of `text` in the analysed text.
  uint32_t byte_start = 0, byte_end = 0;
  // True for the first token and for every token separated from the previous
  // one by anything but spaces and tabs: punctuation, a dash, a quote, a line
  // break. Key phrases never span such a boundary.
  bool clause_start = false;
};

// A sentence: a byte span without leading or trailing white space.
struct Sentence {
  uint32_t byte_start = 0, byte_end = 0;
};

// How an Analyzer is built. Every field has a working default on a machine set
// up with scripts/setup.
struct AnalyzerOptions {
  // A plain word list, one word per line, UTF-8 or ISO-8859-1 (detected:
  // a file that is not valid UTF-8 is read as ISO-8859-1). The default is
  // Debian's wswedish list (ISO-8859-1, about 120 000 full forms). The
  // decompounder uses it to know which words exist; a word that is in this
  // list needs stronger evidence before it is split (see docs/analysis.md).
  std::string lexicon_path = "/usr/share/dict/swedish";
  // A Hunspell dictionary, given without extension: "<path>.dic" and
  // "<path>.aff" are read. Debian's hunspell-sv marks which stems may begin,
  // continue or end a compound and derives their compounding forms
  // ("kunskap" -> "kunskaps"); the decompounder uses these flags as its
  // strongest evidence. "" = do not use (the decompounder then relies on
  // lexicon_path alone and finds fewer compounds).
  std::string hunspell_path = "/usr/share/hunspell/sv_SE";
  // A stop word file in Snowball format (UTF-8, one word at the start of each
  // line, "|" starts a comment). "" = the built-in list: the Snowball project's
  // Swedish stop list, https://snowballstem.org/algorithms/swedish/stop.txt
  // (114 words, BSD licence).
  std::string stopwords_path;
  // Whether Tokenize fills Token::parts (SplitCompound works regardless).
  bool split_compounds = true;
  // Words shorter than this many characters are never split.
  int min_compound_chars = 5;
  // Compound parts shorter than this many characters must be lexicon stems
  // that begin at least `min_short_part_productivity` compounds in the
  // Hunspell dictionary and occur in the corpus frequencies ("el" in
  // "elbilar"); last parts are never shorter.
  int min_part_chars = 3;
  int min_short_part_productivity = 10;
  // A part that is only in a word list (no Hunspell compound flag) is
  // accepted if it is at least `free_part_chars` long, or begins/ends at least
  // `min_part_productivity` compounds in the Hunspell dictionary, or occurs in
  // the corpus frequencies.
  int free_part_chars = 6;
  int min_part_productivity = 3;
  // Corpus-frequency stop words (see AddCorpusFrequencies): a word that occurs
  // in at least this share of the corpus's documents becomes a stop word,
  // provided the corpus has at least `corpus_stop_min_documents` documents.
  // 0 disables.
  double corpus_stop_doc_ratio = 0.5;
  uint64_t corpus_stop_min_documents = 100;
  // Per-thread memo of analysed words (stem, parts, stop flag); cleared when
  // it grows past this many entries.
  size_t word_cache_entries = 1 << 17;
  // Memo of analysed words shared by all threads (and so by the stages of a
  // run that share one Analyzer): words are added until it holds this many;
  // 0 disables it. Packed (word_memo.h): ~65 bytes a word.
  size_t shared_word_cache_entries = 1 << 18;
};

// Word statistics of a corpus, keyed by norm: build it with AddDocument over
// each document's tokens (Tokenize works before any frequencies are added),
// then pass it to Analyzer::AddCorpusFrequencies.
struct CorpusFrequencies {
  struct Count {
    uint64_t count = 0;      // occurrences
    uint64_t doc_count = 0;  // documents containing the word
  };
  uint64_t documents = 0;
  std::unordered_map<std::string, Count> words;

  // Counts the kWord tokens of one document (each norm once towards doc_count).
  void AddDocument(const std::vector<Token>& tokens);
};

class Analyzer {
 public:
  // Loads the word lists and stop words. Fails with NotFound or DataError
  // naming the file when one is missing or unreadable, with InvalidArgument
  // for a bad option, and with Internal when ICU or Xapian cannot provide the
  // Swedish break iterators or stemmer.
  static Result<std::unique_ptr<Analyzer>> Create(const AnalyzerOptions& options);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  const AnalyzerOptions& options() const;

  // A short string that changes whenever what Tokenize() returns for a text
  // may change: the options, the sizes and modification times of the word
  // lists, and the corpus frequencies added. Caches of tokenised text (the
  // analysis' term cache, the reports' scan cache) are valid only under the
  // fingerprint they were written with. Bump kTokenizerVersion in
  // analyzer.cc when the code changes what tokens come out.
  std::string Fingerprint() const;

  // Splits UTF-8 text into tokens, in text order. Uses ICU's word
  // BreakIterator for the Swedish locale over the UTF-8 bytes, then applies
  // the Swedish rules of docs/analysis.md: abbreviations kept whole, names
  // with digits kept whole, hyphenated words joined, e-mail addresses and URLs
  // as one token, "12 000" and "3,5" as one number, the colon of "EU:s" inside
  // the word; punctuation, quotes and dashes produce no tokens.
  std::vector<Token> Tokenize(std::string_view utf8_text) const;

  // Splits text into sentences with ICU's sentence BreakIterator (Swedish
  // locale), except after an abbreviation that does not end sentences
  // ("t.ex. Göteborg", "bl.a. GR") or an initial ("Anna K. Svensson").
  std::vector<Sentence> Sentences(std::string_view utf8_text) const;

  // The compound parts of a normalised word (as in Token::parts), or {} when
  // it is not a compound: "kunskapsregion" -> {"kunskap", "region"},
  // "region" -> {}, "kommunen" -> {}.
  std::vector<std::string> SplitCompound(std::string_view norm_word) const;

  // The same split as the word's own substrings, each part keeping the
  // linking morpheme after it, so that joining them gives the word back:
  // "kunskapsregion" -> {"kunskaps", "region"}, "skolbussarna" -> {"skol",
  // "bussarna"}. {} when not a compound.
  std::vector<std::string> SplitCompoundSurface(std::string_view norm_word) const;

  // True for words of the stop list and corpus-frequency stop words.
  bool IsStopWord(std::string_view norm) const;

  // Snowball Swedish stem of a normalised word.
  std::string Stem(std::string_view norm) const;

  // Adds corpus word frequencies. They (1) rank competing compound splits
  // (a part that occurs in the corpus is preferred, a short or word-list-only
  // part is accepted when it occurs in the corpus) and (2) add stop words per
  // corpus_stop_doc_ratio. Calls accumulate. Not thread-safe: call before the
  // Analyzer is shared; memoised results are discarded.
  void AddCorpusFrequencies(const CorpusFrequencies& frequencies);

  // Frees the calling thread's own memo of analysed words (up to
  // word_cache_entries words), for a caller that has done its tokenising
  // for now (#11: the main thread's memo, ~22 MB at N=20,000, outlived the
  // analyze stage into the reports). Other threads' memos go when those
  // threads end. The memo the threads share is kept: a later stage that
  // tokenises the same texts finds their words analysed (`samrad run`:
  // analyze, index, reports). Results never change. Thread-safe.
  void ReleaseThreadMemo() const;
  // ReleaseThreadMemo, and frees the memo the threads share too (up to
  // shared_word_cache_entries words, ~65 bytes each), for a caller after
  // whom nothing is tokenised. Words are analysed again, and memoised
  // again, when next seen. Thread-safe.
  void ReleaseSharedMemo() const;
  // What the shared memo holds (tests, benchmarks): words, and heap bytes.
  struct MemoStats {
    size_t words = 0;
    size_t bytes = 0;
  };
  MemoStats SharedMemoStats() const;

 private:
  struct Impl;
  explicit Analyzer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A key phrase of a set of documents.
struct KeyPhrase {
  std::string phrase;  // norms joined by single spaces: "fullföljda studier"
  double score = 0;
  int count = 0;      // occurrences in all documents
  int doc_count = 0;  // documents in which it occurs
};

struct KeyPhraseOptions {
  int min_words = 1;       // shortest phrase, in tokens
  int max_words = 3;       // longest phrase, in tokens (at most 3)
  int min_count = 2;       // fewer occurrences are not phrases
  int min_doc_count = 1;   // occurring in fewer documents are not phrases
  int min_word_chars = 3;  // content words shorter than this never start or end a phrase
  // A one-word phrase must be a compound ("kompetensförsörjning"): Swedish
  // writes as one word what English writes as a multi-word term, while a
  // simple frequent word ("vill", "behöver", "kommun") is rarely a key phrase.
  bool single_words_must_be_compounds = true;
  int max_phrases = 20;  // length of the result
  // A phrase is dropped when a longer phrase that contains it accounts for at
  // least this share of its occurrences.
  double subsumed_share = 0.8;
};

// Deterministic, stop-word-bounded n-grams (n = 1..3) scored by frequency and
// association:
//   1. Candidates are runs of 1-3 consecutive tokens that do not cross a
//      clause boundary (Token::clause_start), whose first and last tokens are
//      non-stop kWord or kAlphanumeric tokens of at least min_word_chars, and
//      whose middle token (n = 3) may be a stop word: "kollektivtrafik på
//      landsbygden". A single token qualifies only if it is a compound
//      (unless single_words_must_be_compounds is false).
//   2. Occurrences are grouped by stem sequence, so inflections count
//      together; the phrase shown is the group's most frequent norm sequence
//      (ties: the smallest in byte order).
//   3. score = count * n * A, where A = 1 for one word and, for more, the
//      generalised Dice coefficient of the content words: k * count /
//      (sum of the content words' counts), k = number of content words.
//   4. Phrases below min_count or min_doc_count, or subsumed by a longer
//      phrase, are dropped; the rest are sorted by score, then count, then
//      phrase, and the first max_phrases returned.
std::vector<KeyPhrase> ExtractKeyPhrases(const std::vector<std::vector<Token>>& documents,
                                         const KeyPhraseOptions& options);

}  // namespace samrad::analysis

#endif  // SAMRAD_ANALYSIS_ANALYSIS_H_
