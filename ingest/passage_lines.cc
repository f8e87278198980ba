#include "ingest/passage_lines.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <nlohmann/json.hpp>

namespace samrad::ingest {
namespace {

using Json = nlohmann::json;

// The JSON string whose opening quote is at s[at - 1]: its decoded value, and
// `at` moved past its closing quote. False when it is not a valid string.
bool ReadJsonString(std::string_view s, size_t& at, std::string& value) {
  size_t end = at;
  bool escaped = false;
  while (end < s.size() && s[end] != '"') {
    if (s[end] == '\\') {
      escaped = true;
      ++end;  // skip the escaped character ('"' and '\\' among them)
    }
    ++end;
  }
  if (end >= s.size()) return false;
  if (!escaped) {
    value.assign(s.substr(at, end - at));
  } else {
    // Rare (a path with a quote, a backslash or a control character): let
    // nlohmann decode it exactly as it encoded it.
    try {
      const Json j = Json::parse(s.substr(at - 1, end - at + 2));
      if (!j.is_string()) return false;
      value = j.get<std::string>();
    } catch (const Json::exception&) {
      return false;
    }
  }
  at = end + 1;
  return true;
}

// A recursive-descent JSON checker over a string_view; every method advances
// `at_` past what it accepted and returns false on the first error.
class Checker {
 public:
  explicit Checker(std::string_view s) : s_(s) {}

  bool Text() {
    SkipSpace();
    if (!Value(0)) return false;
    SkipSpace();
    return at_ == s_.size();
  }

 private:
  static constexpr int kMaxDepth = 64;

  bool More() const { return at_ < s_.size(); }
  unsigned char Peek() const { return static_cast<unsigned char>(s_[at_]); }

  void SkipSpace() {
    while (More() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) ++at_;
  }

  bool Literal(std::string_view word) {
    if (s_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }

  bool Value(int depth) {
    if (!More() || depth > kMaxDepth) return false;
    switch (Peek()) {
      case '{': return Object(depth + 1);
      case '[': return Array(depth + 1);
      case '"': return String();
      case 't': return Literal("true");
      case 'f': return Literal("false");
      case 'n': return Literal("null");
      default: return Number();
    }
  }

  bool Object(int depth) {
    ++at_;  // '{'
    SkipSpace();
    if (More() && Peek() == '}') {
      ++at_;
      return true;
    }
    for (;;) {
      if (!More() || Peek() != '"' || !String()) return false;
      SkipSpace();
      if (!More() || Peek() != ':') return false;
      ++at_;
      SkipSpace();
      if (!Value(depth)) return false;
      SkipSpace();
      if (!More()) return false;
      if (Peek() == '}') {
        ++at_;
        return true;
      }
      if (Peek() != ',') return false;
      ++at_;
      SkipSpace();
    }
  }

  bool Array(int depth) {
    ++at_;  // '['
    SkipSpace();
    if (More() && Peek() == ']') {
      ++at_;
      return true;
    }
    for (;;) {
      if (!Value(depth)) return false;
      SkipSpace();
      if (!More()) return false;
      if (Peek() == ']') {
        ++at_;
        return true;
      }
      if (Peek() != ',') return false;
      ++at_;
      SkipSpace();
    }
  }

  static bool IsHex(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  // One UTF-8 sequence of 2-4 bytes starting at at_ (Unicode 15, table 3-7:
  // no overlong forms, no surrogates, nothing above U+10FFFF).
  bool Utf8() {
    const unsigned char c = Peek();
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (s_.size() - at_ <= n) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s_[at_ + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return false;
    }
    at_ += n + 1;
    return true;
  }

  // Moves past 8-byte words of plain ASCII (no control character, quote,
  // backslash or byte >= 0x80): most of a passage's text.
  void SkipPlainWords() {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    while (s_.size() - at_ >= 8) {
      std::uint64_t w;
      std::memcpy(&w, s_.data() + at_, 8);
      const std::uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
      const std::uint64_t special = ((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) |
                                    ((backslash - kOnes) & ~backslash) | w;
      if ((special & kHigh) != 0) return;
      at_ += 8;
    }
  }

  bool String() {
    ++at_;  // '"'
    while (More()) {
      SkipPlainWords();
      if (!More()) break;
      const unsigned char c = Peek();
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        ++at_;
      } else if (c == '"') {
        ++at_;
        return true;
      } else if (c == '\\') {
        if (s_.size() - at_ < 2) return false;
        const char e = s_[at_ + 1];
        if (e == 'u') {
          if (s_.size() - at_ < 6) return false;
          for (size_t k = 2; k < 6; ++k) {
            if (!IsHex(static_cast<unsigned char>(s_[at_ + k]))) return false;
          }
          at_ += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                   e == 'r' || e == 't') {
          at_ += 2;
        } else {
          return false;
        }
      } else if (c < 0x20 || !Utf8()) {
        return false;
      }
    }
    return false;
  }

  bool Digits() {
    const size_t start = at_;
    while (More() && Peek() >= '0' && Peek() <= '9') ++at_;
    return at_ > start;
  }

  bool Number() {
    const size_t start = at_;
    if (More() && Peek() == '-') ++at_;
    if (!More()) return false;
    if (Peek() == '0') {
      ++at_;
    } else if (!Digits()) {
      return false;
    }
    bool integer = true;
    if (More() && Peek() == '.') {
      ++at_;
      integer = false;
      if (!Digits()) return false;
    }
    if (More() && (Peek() == 'e' || Peek() == 'E')) {
      ++at_;
      integer = false;
      if (More() && (Peek() == '+' || Peek() == '-')) ++at_;
      if (!Digits()) return false;
    }
    // nlohmann reads a fraction, an exponent or an integer beyond 64 bits as
    // a double and refuses one that is not finite (1e400).
    if (!integer || at_ - start > 19) {
      const std::string token(s_.substr(start, at_ - start));
      if (!std::isfinite(std::strtod(token.c_str(), nullptr))) return false;
    }
    return true;
  }

  std::string_view s_;
  size_t at_ = 0;
};

}  // namespace

bool ReadPassageHead(std::string_view line, std::string& doc_id, long& ordinal) {
  constexpr std::string_view kId = "{\"id\":\"";
  constexpr std::string_view kDocId = ",\"doc_id\":\"";
  constexpr std::string_view kOrdinal = ",\"ordinal\":";
  if (line.substr(0, kId.size()) != kId) return false;
  size_t at = kId.size();
  std::string id;
  if (!ReadJsonString(line, at, id)) return false;
  if (line.substr(at, kDocId.size()) != kDocId) return false;
  at += kDocId.size();
  if (!ReadJsonString(line, at, doc_id)) return false;
  ordinal = -1;
  if (line.back() != '}' || line.substr(at, kOrdinal.size()) != kOrdinal) return true;
  at += kOrdinal.size();
  long value = 0;
  size_t digits = 0;
  for (; at < line.size() && line[at] >= '0' && line[at] <= '9' && digits < 9; ++at, ++digits) {
    value = value * 10 + (line[at] - '0');
  }
  if (digits > 0 && at < line.size() && line[at] == ',') ordinal = value;
  return true;
}

bool IsJsonText(std::string_view text) { return Checker(text).Text(); }

namespace {

// Reads the fixed shape of a line that IsJsonText accepted: strings without
// escapes are their bytes.
class ShapeReader {
 public:
  explicit ShapeReader(std::string_view s) : s_(s) {}

  bool Lit(std::string_view word) {
    if (s_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }
  bool Str(std::string* out) {
    if (!Lit("\"")) return false;
    return ReadJsonString(s_, at_, *out);
  }
  // A non-negative integer of 1 to 9 digits.
  bool Int(int* out) {
    size_t digits = 0;
    int value = 0;
    while (at_ < s_.size() && s_[at_] >= '0' && s_[at_] <= '9') {
      if (++digits > 9) return false;
      value = value * 10 + (s_[at_++] - '0');
    }
    *out = value;
    return digits > 0;
  }
  // A list of items in brackets ("[]" or "{}" empty), items separated by ','.
  template <typename Item>
  bool List(char open, char close, Item item) {
    if (!Lit(std::string_view(&open, 1))) return false;
    if (Lit(std::string_view(&close, 1))) return true;
    for (;;) {
      if (!item()) return false;
      if (Lit(std::string_view(&close, 1))) return true;
      if (!Lit(",")) return false;
    }
  }
  bool End() const { return at_ == s_.size(); }

 private:
  std::string_view s_;
  size_t at_ = 0;
};

}  // namespace

bool ReadDocumentLine(std::string_view line, Document* document) {
  if (!IsJsonText(line)) return false;
  Document d;
  DocumentMeta& m = d.meta;
  ShapeReader r(line);
  std::string key;
  int value = 0;
  const bool ok =
      r.Lit("{\"id\":") && r.Str(&d.id) && r.Lit(",\"format\":") && r.Str(&d.format) &&
      r.Lit(",\"source_hash\":") && r.Str(&d.source_hash) && r.Lit(",\"source_encoding\":") &&
      r.Str(&d.source_encoding) && r.Lit(",\"meta\":{\"kind\":") && r.Str(&m.kind) &&
      r.Lit(",\"title\":") && r.Str(&m.title) && r.Lit(",\"date\":") && r.Str(&m.date) &&
      r.Lit(",\"organisation\":") && r.Str(&m.organisation) && r.Lit(",\"actor_group\":") &&
      r.Str(&m.actor_group) && r.Lit(",\"subregion\":") && r.Str(&m.subregion) &&
      r.Lit(",\"forum\":") && r.Str(&m.forum) && r.Lit(",\"municipality\":") &&
      r.Str(&m.municipality) && r.Lit(",\"inferred\":") &&
      r.List('[', ']', [&] { return r.Str(&m.inferred.emplace_back()); }) &&
      r.Lit("},\"passage_count\":") && r.Int(&d.passage_count) && r.Lit(",\"redactions\":") &&
      r.List('{', '}', [&] {
        if (!r.Str(&key) || !r.Lit(":") || !r.Int(&value)) return false;
        d.redactions[key] = value;
        return true;
      }) &&
      r.Lit("}") && r.End();
  if (!ok) return false;
  *document = std::move(d);
  return true;
}

}  // namespace samrad::ingest
