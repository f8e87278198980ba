// Text decoding: the only place in samrad where bytes of unknown encoding
// become text. ICU's error model (UErrorCode) is converted to Status here.
//
// The steps are listed in encoding.h. Two decisions worth knowing:
//  - A file that is *mostly* valid UTF-8 (at least as many valid multi-byte
//    sequences as invalid ones) is UTF-8 with a few broken bytes, not Latin-1:
//    asking the charset detector would turn every å/ä/ö into mojibake.
//  - ISO-8859-1 as detected by ICU is read as windows-1252: the two differ only
//    in 0x80-0x9F, which are C1 control codes in Latin-1 (never meant as text)
//    and punctuation such as – ” … in windows-1252 (what Swedish Word users
//    actually type).
#include "ingest/encoding.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <climits>
#include <memory>

namespace samrad::ingest {
namespace {

constexpr size_t kMaxReportedOffsets = 10;

// Collects the byte offsets of invalid sequences and words the warning.
class InvalidBytes {
 public:
  explicit InvalidBytes(std::string what) : what_(std::move(what)) {}
  void Add(size_t offset) {
    if (offsets_.size() < kMaxReportedOffsets) offsets_.push_back(offset);
    ++count_;
  }
  void AppendWarning(std::vector<std::string>* warnings) const {
    if (count_ == 0) return;
    std::string w = "invalid " + what_ + ": " + std::to_string(count_) +
                    (count_ == 1 ? " sequence" : " sequences") +
                    " replaced with U+FFFD, at byte offset" + (count_ == 1 ? " " : "s ");
    for (size_t i = 0; i < offsets_.size(); ++i) {
      if (i > 0) w += ", ";
      w += std::to_string(offsets_[i]);
    }
    if (count_ > offsets_.size()) w += ", ...";
    warnings->push_back(std::move(w));
  }

 private:
  std::string what_;
  std::vector<size_t> offsets_;
  size_t count_ = 0;
};

void AppendReplacement(std::string* out) { out->append("\xEF\xBF\xBD"); }

// Copies `bytes` to valid UTF-8, replacing each maximal invalid subpart with
// U+FFFD (the Unicode "best practice" that ICU's U8_NEXT implements).
// `base_offset` is added to reported offsets (for a skipped BOM).
std::string RepairUtf8(std::string_view bytes, size_t base_offset, InvalidBytes* invalid) {
  std::string out;
  out.reserve(bytes.size());
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t length = static_cast<int32_t>(bytes.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    if (s[i] < 0x80) {
      out.push_back(static_cast<char>(s[i]));
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      invalid->Add(base_offset + static_cast<size_t>(start));
      AppendReplacement(&out);
    } else {
      out.append(bytes.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
    }
  }
  return out;
}

struct Utf8Census {
  size_t valid_multibyte = 0;
  size_t invalid = 0;
};

Utf8Census CountUtf8(std::string_view bytes) {
  Utf8Census census;
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t length = static_cast<int32_t>(bytes.size());
  int32_t i = 0;
  while (i < length) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      ++census.invalid;
    } else {
      ++census.valid_multibyte;
    }
  }
  return census;
}

// Steps 7 and 8: line ends, control characters, NFC.
std::string Finish(std::string text) {
  size_t i = 0;
  // A BOM that survived conversion (e.g. UTF-16 input) is not text.
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;
  if (text.find('\r', i) == std::string::npos) {
    // The usual case, without CR: every byte stays or becomes one space, in
    // place (no byte-by-byte copy of a large file).
    for (size_t k = i; k < text.size(); ++k) {
      const auto c = static_cast<unsigned char>(text[k]);
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) text[k] = ' ';
    }
    text.erase(0, i);
    return ToNfc(text);
  }
  std::string out;
  out.reserve(text.size());
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return ToNfc(out);
}

struct ToUContext {
  const char* base;
  size_t base_offset;
  InvalidBytes* invalid;
};

// ICU calls this for each byte sequence it cannot convert: record where and
// write U+FFFD (ICU's own substitute for single-byte charsets is U+001A).
void RecordingToUCallback(const void* context, UConverterToUnicodeArgs* args,
                          const char* /*code_units*/, int32_t length,
                          UConverterCallbackReason reason, UErrorCode* err) {
  if (reason > UCNV_IRREGULAR) return;  // reset, close, clone: nothing to do
  const auto* ctx = static_cast<const ToUContext*>(context);
  const std::ptrdiff_t at = (args->source - ctx->base) - length;
  ctx->invalid->Add(ctx->base_offset + static_cast<size_t>(std::max<std::ptrdiff_t>(at, 0)));
  *err = U_ZERO_ERROR;
  static const UChar kReplacement = 0xFFFD;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, err);
}

Result<std::string> ConvertToUtf8(std::string_view bytes, const char* charset, size_t base_offset,
                                  InvalidBytes* invalid) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, void (*)(UConverter*)> conv(ucnv_open(charset, &status), ucnv_close);
  if (U_FAILURE(status)) {
    return Status::DataError(std::string("no converter for charset ") + charset + ": " +
                             u_errorName(status));
  }
  ToUContext ctx{bytes.data(), base_offset, invalid};
  ucnv_setToUCallBack(conv.get(), RecordingToUCallback, &ctx, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return Status::Internal(std::string("ICU: ") + u_errorName(status));

  icu::UnicodeString text;
  std::vector<UChar> buffer(64 * 1024);
  const char* source = bytes.data();
  const char* source_end = bytes.data() + bytes.size();
  while (true) {
    UChar* target = buffer.data();
    status = U_ZERO_ERROR;
    ucnv_toUnicode(conv.get(), &target, buffer.data() + buffer.size(), &source, source_end, nullptr,
                   /*flush=*/true, &status);
    text.append(buffer.data(), static_cast<int32_t>(target - buffer.data()));
    if (status == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(status)) {
      return Status::DataError(std::string("cannot convert from ") + charset + ": " +
                               u_errorName(status));
    }
    break;
  }
  std::string out;
  text.toUTF8String(out);  // Unpaired surrogates become U+FFFD.
  return out;
}

// Binary data: any NUL byte, or more than 1% C0 control characters other than
// TAB, LF, FF and CR (ESC counts: it is not text).
Status CheckNotBinary(std::string_view bytes) {
  const size_t nul = bytes.find('\0');
  if (nul != std::string_view::npos) {
    return Status::DataError("binary data, not text (NUL byte at offset " + std::to_string(nul) +
                             ")");
  }
  size_t controls = 0;
  for (unsigned char c : bytes) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) ++controls;
  }
  if (controls > 8 && controls * 100 > bytes.size()) {
    return Status::DataError("binary data, not text (" + std::to_string(controls) +
                             " control characters)");
  }
  return Status::Ok();
}

struct Bom {
  const char* bytes;
  size_t size;
  const char* charset;
};

}  // namespace

std::string ToNfc(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(utf8);
  const icu::StringPiece piece(utf8.data(), static_cast<int32_t>(utf8.size()));
  if (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return std::string(utf8);
  status = U_ZERO_ERROR;
  std::string out;
  icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(utf8.size()));
  nfc->normalizeUTF8(0, piece, sink, nullptr, status);
  if (U_FAILURE(status)) return std::string(utf8);
  return out;
}

bool IsDecodedUtf8(std::string_view bytes) {
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) return false;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") return false;
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto length = static_cast<int32_t>(bytes.size());
  for (int32_t i = 0; i < length;) {
    const uint8_t b = s[i];
    if (b < 0x80) {
      if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7F) return false;
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return false;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return false;
  const icu::StringPiece piece(bytes.data(), length);
  return nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status);
}

DecodedText DecodeUtf8(std::string_view bytes) {
  DecodedText result;
  result.encoding = "UTF-8";
  size_t skip = 0;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    skip = 3;
    result.encoding = "UTF-8 (BOM)";
  }
  InvalidBytes invalid("UTF-8");
  result.text = Finish(RepairUtf8(bytes.substr(skip), skip, &invalid));
  invalid.AppendWarning(&result.warnings);
  return result;
}

Result<DecodedText> DecodeText(std::string_view bytes) {
  if (bytes.empty()) return Status::DataError("empty file (0 bytes)");
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return Status::DataError("file too large to decode (" + std::to_string(bytes.size()) +
                             " bytes)");
  }

  // Step 2: byte-order marks, longest first (UTF-32LE starts like UTF-16LE).
  static const Bom kBoms[] = {
      {"\xFF\xFE\x00\x00", 4, "UTF-32LE"}, {"\x00\x00\xFE\xFF", 4, "UTF-32BE"},
      {"\xEF\xBB\xBF", 3, "UTF-8"},        {"\xFF\xFE", 2, "UTF-16LE"},
      {"\xFE\xFF", 2, "UTF-16BE"},
  };
  for (const Bom& bom : kBoms) {
    if (bytes.substr(0, bom.size) != std::string_view(bom.bytes, bom.size)) continue;
    DecodedText result;
    result.encoding = std::string(bom.charset) + " (BOM)";
    const std::string_view body = bytes.substr(bom.size);
    if (std::string_view(bom.charset) == "UTF-8") {
      SAMRAD_RETURN_IF_ERROR(CheckNotBinary(body));
      InvalidBytes invalid("UTF-8");
      result.text = Finish(RepairUtf8(body, bom.size, &invalid));
      invalid.AppendWarning(&result.warnings);
    } else {
      InvalidBytes invalid(bom.charset);
      Result<std::string> text = ConvertToUtf8(body, bom.charset, bom.size, &invalid);
      if (!text.ok()) return text.status();
      result.text = Finish(std::move(*text));
      invalid.AppendWarning(&result.warnings);
    }
    return result;
  }

  SAMRAD_RETURN_IF_ERROR(CheckNotBinary(bytes));

  // Step 4: UTF-8, or mostly UTF-8.
  const Utf8Census census = CountUtf8(bytes);
  if (census.invalid == 0 || census.valid_multibyte >= census.invalid) {
    DecodedText result;
    result.encoding = "UTF-8";
    InvalidBytes invalid("UTF-8");
    result.text = Finish(RepairUtf8(bytes, 0, &invalid));
    invalid.AppendWarning(&result.warnings);
    return result;
  }

  // Step 5: ask ICU. The detector looks at a prefix; 64 KiB is plenty.
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, void (*)(UCharsetDetector*)> detector(ucsdet_open(&status),
                                                                          ucsdet_close);
  if (U_FAILURE(status)) return Status::Internal(std::string("ICU: ") + u_errorName(status));
  const std::string_view sample = bytes.substr(0, 64 * 1024);
  ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  const UCharsetMatch* match = ucsdet_detect(detector.get(), &status);
  std::string charset;
  int confidence = 0;
  if (U_SUCCESS(status) && match != nullptr) {
    confidence = ucsdet_getConfidence(match, &status);
    const char* name = ucsdet_getName(match, &status);
    if (U_SUCCESS(status) && name != nullptr) charset = name;
  }
  if (charset == "ISO-8859-1") charset = "windows-1252";

  DecodedText result;
  if (charset.empty() || charset == "UTF-8" || confidence < kMinCharsetConfidence) {
    result.encoding = "UTF-8";
    result.warnings.push_back("charset not recognised with confidence (best guess " +
                              (charset.empty() ? std::string("none") : charset) + ", " +
                              std::to_string(confidence) + "%); read as UTF-8");
    InvalidBytes invalid("UTF-8");
    result.text = Finish(RepairUtf8(bytes, 0, &invalid));
    invalid.AppendWarning(&result.warnings);
    return result;
  }
  InvalidBytes invalid(charset);
  Result<std::string> text = ConvertToUtf8(bytes, charset.c_str(), 0, &invalid);
  if (!text.ok()) return text.status();
  result.encoding = charset;
  result.text = Finish(std::move(*text));
  invalid.AppendWarning(&result.warnings);
  return result;
}

}  // namespace samrad::ingest
