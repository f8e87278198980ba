#include "analysis/text.h"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/utext.h>
#include <unicode/utypes.h>

#include <mutex>

#include "analysis/utf8.h"

namespace samrad::analysis::internal {
namespace {

Status IcuError(UErrorCode code, std::string_view what) {
  return Status::Internal("ICU: " + std::string(what) + ": " + u_errorName(code));
}

// Removed from norms: they change nothing about the word.
bool IsIgnorable(char32_t cp) {
  return cp == 0x00AD      // soft hyphen
         || cp == 0x200B   // zero width space
         || cp == 0x200C   // zero width non-joiner
         || cp == 0x200D   // zero width joiner
         || cp == 0x2060   // word joiner
         || cp == 0xFEFF;  // zero width no-break space (BOM)
}

bool IsApostrophe(char32_t cp) { return cp == 0x2019 || cp == 0x02BC; }

// The fast path: ASCII and the Latin-1 letters U+00C0..U+00FF except ß (whose
// full case folding is "ss") are folded by arithmetic and are already NFC as
// long as no combining mark follows (a combining mark is not in this range).
bool TryFastNormalise(std::string_view w, std::string* out) {
  size_t start = out->size();
  for (size_t i = 0; i < w.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(w[i]);
    if (c < 0x80) {
      out->push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      continue;
    }
    if (c == 0xC3 && i + 1 < w.size()) {
      unsigned char d = static_cast<unsigned char>(w[i + 1]);
      if (d >= 0x80 && d <= 0xBF && d != 0x9F) {
        out->push_back(static_cast<char>(c));
        out->push_back(static_cast<char>(d <= 0x9E && d != 0x97 ? d + 0x20 : d));
        ++i;
        continue;
      }
    }
    if (c == 0xC2 && i + 1 < w.size() && static_cast<unsigned char>(w[i + 1]) == 0xAD) {
      ++i;  // soft hyphen
      continue;
    }
    if (c == 0xE2 && i + 2 < w.size() && static_cast<unsigned char>(w[i + 1]) == 0x80 &&
        static_cast<unsigned char>(w[i + 2]) == 0x99) {
      out->push_back('\'');  // U+2019
      i += 2;
      continue;
    }
    out->resize(start);
    return false;
  }
  return true;
}

}  // namespace

void AppendNormalised(std::string_view word, std::string* out) {
  if (TryFastNormalise(word, out)) return;
  // Clean first (drop ignorables and invalid bytes, unify apostrophes), then
  // fold, then compose: case folding does not preserve NFC.
  std::string clean;
  clean.reserve(word.size());
  for (size_t i = 0; i < word.size();) {
    size_t before = i;
    char32_t cp = NextCodePoint(word, &i);
    if (cp == 0xFFFD && i - before == 1) continue;  // an invalid byte
    if (IsIgnorable(cp)) continue;
    AppendUtf8(IsApostrophe(cp) ? U'\'' : cp, &clean);
  }
  UErrorCode status = U_ZERO_ERROR;
  std::string folded;
  icu::StringByteSink<std::string> fold_sink(&folded, static_cast<int32_t>(clean.size()));
  icu::CaseMap::utf8Fold(U_FOLD_CASE_DEFAULT, icu::StringPiece(clean.data(), clean.size()),
                         fold_sink, nullptr, status);
  if (U_FAILURE(status)) {
    folded = clean;  // still a usable (if not folded) norm
  }
  status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::StringPiece piece(folded.data(), static_cast<int32_t>(folded.size()));
  if (U_SUCCESS(status) && !nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) {
    std::string composed;
    icu::StringByteSink<std::string> nfc_sink(&composed, static_cast<int32_t>(folded.size()));
    nfc->normalizeUTF8(0, piece, nfc_sink, nullptr, status);
    if (U_SUCCESS(status)) folded = std::move(composed);
  }
  out->append(folded);
}

namespace {

// Process-wide prototypes; each thread clones its own (below).
struct Prototypes {
  std::unique_ptr<icu::BreakIterator> word, sentence;
  UErrorCode status = U_ZERO_ERROR;
  std::mutex mu;  // guards clone(): the prototypes are shared
};

Prototypes& GetPrototypes() {
  static Prototypes* p = [] {
    auto* proto = new Prototypes;
    icu::Locale sv("sv");
    proto->word.reset(icu::BreakIterator::createWordInstance(sv, proto->status));
    if (U_SUCCESS(proto->status)) {
      proto->sentence.reset(icu::BreakIterator::createSentenceInstance(sv, proto->status));
    }
    return proto;
  }();
  return *p;
}

struct ThreadIterators {
  std::unique_ptr<icu::BreakIterator> word, sentence;
  UText word_text = UTEXT_INITIALIZER;
  UText sentence_text = UTEXT_INITIALIZER;
  ~ThreadIterators() {
    utext_close(&word_text);
    utext_close(&sentence_text);
  }
};

}  // namespace

icu::BreakIterator* ThreadBreakIterator(BreakKind kind, std::string_view text) {
  thread_local ThreadIterators t;
  std::unique_ptr<icu::BreakIterator>& it = kind == BreakKind::kWord ? t.word : t.sentence;
  UText* ut = kind == BreakKind::kWord ? &t.word_text : &t.sentence_text;
  if (!it) {
    Prototypes& p = GetPrototypes();
    if (U_FAILURE(p.status)) return nullptr;
    std::lock_guard<std::mutex> lock(p.mu);
    it.reset((kind == BreakKind::kWord ? p.word : p.sentence)->clone());
    if (!it) return nullptr;
  }
  UErrorCode status = U_ZERO_ERROR;
  // Reuses *ut: no allocation per call. Offsets reported by the iterator are
  // then byte offsets into `text`.
  utext_openUTF8(ut, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return nullptr;
  it->setText(ut, status);
  if (U_FAILURE(status)) return nullptr;
  return it.get();
}

Status CheckIcu() {
  Prototypes& p = GetPrototypes();
  if (U_FAILURE(p.status)) return IcuError(p.status, "Swedish break iterators");
  UErrorCode status = U_ZERO_ERROR;
  icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return IcuError(status, "NFC normaliser");
  if (ThreadBreakIterator(BreakKind::kWord, "test") == nullptr ||
      ThreadBreakIterator(BreakKind::kSentence, "test") == nullptr) {
    return Status::Internal("ICU: cannot set up a break iterator over UTF-8 text");
  }
  return Status::Ok();
}

}  // namespace samrad::analysis::internal
