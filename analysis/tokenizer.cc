// Analyzer::Tokenize. The steps:
//
//   1. Find e-mail addresses and URLs with a byte scan; they become single
//      tokens whatever ICU thinks of their dots, slashes and colons.
//   2. Run ICU's word BreakIterator (locale "sv") over the UTF-8 bytes and
//      keep the word-like segments (rule status >= UBRK_WORD_NONE_LIMIT),
//      cut around the spans of step 1. In the Swedish locale ICU treats the
//      colon between letters as part of the word ("EU:s", "S:t"); when more
//      than three characters, or an upper-case letter, follow the colon it is
//      taken as a missing space instead ("Fråga:Vad" -> "Fråga", "Vad").
//   3. Walk the segments, looking at the raw bytes around them:
//      - an abbreviation from the built-in list takes its final period;
//      - a group of 1-3 digits followed by a (no-break, thin) space and groups
//        of exactly 3 digits is one number ("12 000", "1 500 000,50");
//        "1:a", "3:e" are one number;
//      - segments joined by a hyphen without spaces are one word when either
//        side has a letter ("FoU-satsning", "covid-19"; not "2020-04-28");
//      - a word ending in a hyphen followed by a space or comma is a
//        suspended first conjunct ("el-" in "el- och vätgasbilar"). When the
//        next word after only conjunctions, commas and further conjuncts is a
//        compound, each conjunct is completed with its head: "el-" gets norm
//        "elbilar" and parts {"el", "bilar"}. Otherwise it stays "el".
//   4. Classify, normalise, stem and decompose (the word analysis is memoised
//      per thread, so a repeated word costs one hash lookup).
#include <unicode/brkiter.h>
#include <unicode/ubrk.h>

#include <algorithm>
#include <cstring>

#include "analysis/analysis.h"
#include "analysis/analyzer_impl.h"
#include "analysis/swedish.h"
#include "analysis/text.h"

namespace samrad::analysis {
namespace {

struct Span {
  uint32_t start = 0, end = 0;
};
struct Special {
  uint32_t start = 0, end = 0;
  TokenKind kind = TokenKind::kUrl;
};

bool IsAsciiAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(unsigned char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }
unsigned char At(std::string_view s, size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}
bool StartsWithIgnoreCase(std::string_view s, size_t i, std::string_view lower) {
  if (i + lower.size() > s.size()) return false;
  for (size_t k = 0; k < lower.size(); ++k) {
    unsigned char c = static_cast<unsigned char>(s[i + k]);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    if (c != static_cast<unsigned char>(lower[k])) return false;
  }
  return true;
}

// Length of a thousands separator at text[i]: space, no-break space U+00A0,
// narrow no-break space U+202F or thin space U+2009; 0 if none.
size_t ThousandsSeparatorAt(std::string_view t, size_t i) {
  if (At(t, i) == ' ') return 1;
  if (At(t, i) == 0xC2 && At(t, i + 1) == 0xA0) return 2;
  if (At(t, i) == 0xE2 && At(t, i + 1) == 0x80 && (At(t, i + 2) == 0xAF || At(t, i + 2) == 0x89)) {
    return 3;
  }
  return 0;
}

// Length of a word-joining hyphen at text[i]: "-", U+2010 or U+2011; 0 if none.
// Dashes (U+2013, U+2014) separate words and are not hyphens.
size_t HyphenAt(std::string_view t, size_t i) {
  if (At(t, i) == '-') return 1;
  if (At(t, i) == 0xE2 && At(t, i + 1) == 0x80 && (At(t, i + 2) == 0x90 || At(t, i + 2) == 0x91)) {
    return 3;
  }
  return 0;
}

// Whether a gap between tokens is only horizontal white space.
bool IsSpaceGap(std::string_view gap) {
  for (size_t i = 0; i < gap.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(gap[i]);
    if (c == ' ' || c == '\t') continue;
    if (c == 0xC2 && At(gap, i + 1) == 0xA0) {
      ++i;
      continue;
    }
    return false;
  }
  return true;
}

// Between a suspended conjunct and the rest of the coordination: spaces,
// commas and the slash of "och/eller".
bool IsCoordinationGap(std::string_view gap) {
  for (char c : gap) {
    if (c != ' ' && c != '\t' && c != ',' && c != '/') return false;
  }
  return true;
}

bool IsUrlEnd(std::string_view t, size_t i) {
  unsigned char c = At(t, i);
  if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '|' || c == 0x7F)
    return true;
  // “ ” ‘ ’ « » and U+00A0
  if (c == 0xE2 && At(t, i + 1) == 0x80 && At(t, i + 2) >= 0x98 && At(t, i + 2) <= 0x9D)
    return true;
  if (c == 0xC2 && (At(t, i + 1) == 0xAB || At(t, i + 1) == 0xBB || At(t, i + 1) == 0xA0)) {
    return true;
  }
  return false;
}

void FindUrls(std::string_view t, std::vector<Special>* out) {
  for (size_t i = 0; i < t.size(); ++i) {
    size_t start = std::string_view::npos;
    unsigned char c = static_cast<unsigned char>(t[i]);
    if ((c == 'w' || c == 'W') && StartsWithIgnoreCase(t, i, "www.") &&
        IsAsciiAlnum(At(t, i + 4)) && (i == 0 || !IsAsciiAlnum(At(t, i - 1)))) {
      start = i;
    } else if (c == ':' && t.compare(i, 3, "://") == 0 && IsAsciiAlnum(At(t, i + 3))) {
      size_t s = i;
      while (s > 0 && i - s < 12 && IsAsciiAlpha(At(t, s - 1))) --s;
      if (s < i && (s == 0 || !IsAsciiAlnum(At(t, s - 1)))) start = s;
    }
    if (start == std::string_view::npos) continue;
    size_t end = i;
    while (end < t.size() && !IsUrlEnd(t, end)) ++end;
    // Sentence punctuation after a URL is not part of it.
    std::string_view url = t.substr(start, end - start);
    bool has_open = url.find('(') != std::string_view::npos;
    while (end > i + 1) {
      char last = t[end - 1];
      if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!' || last == '?' ||
          (last == ')' && !has_open)) {
        --end;
      } else {
        break;
      }
    }
    if (!out->empty() && start < out->back().end) continue;
    out->push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(end), TokenKind::kUrl});
    i = end;
  }
}

bool IsLocalPartChar(unsigned char c) {
  return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

void FindEmails(std::string_view t, const std::vector<Special>& urls, std::vector<Special>* out) {
  size_t from = 0;
  size_t u = 0;
  while (true) {
    const void* at = from < t.size() ? std::memchr(t.data() + from, '@', t.size() - from) : nullptr;
    if (at == nullptr) break;
    size_t p = static_cast<size_t>(static_cast<const char*>(at) - t.data());
    from = p + 1;
    while (u < urls.size() && urls[u].end <= p) ++u;
    if (u < urls.size() && urls[u].start <= p) continue;  // inside a URL
    size_t s = p;
    while (s > 0 && IsLocalPartChar(At(t, s - 1))) --s;
    while (s < p && (t[s] == '.' || t[s] == '-')) ++s;
    if (s == p || t[p - 1] == '.') continue;
    size_t e = p + 1;
    while (e < t.size() && (IsAsciiAlnum(At(t, e)) || t[e] == '.' || t[e] == '-')) ++e;
    while (e > p + 1 && (t[e - 1] == '.' || t[e - 1] == '-')) --e;
    std::string_view domain = t.substr(p + 1, e - p - 1);
    size_t dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) continue;
    bool tld_alpha = true;
    for (size_t k = dot + 1; k < domain.size(); ++k)
      tld_alpha = tld_alpha && IsAsciiAlpha(domain[k]);
    if (!tld_alpha || domain.find("..") != std::string_view::npos) continue;
    if (!out->empty() && s < out->back().end) continue;
    out->push_back({static_cast<uint32_t>(s), static_cast<uint32_t>(e), TokenKind::kEmail});
    from = e;
  }
}

// Lower-cases ASCII letters and Å Ä Ö É into `out` for abbreviation lookup.
void LowerKey(std::string_view s, std::string* out) {
  out->assign(s);
  for (size_t i = 0; i < out->size(); ++i) {
    unsigned char c = static_cast<unsigned char>((*out)[i]);
    if (c >= 'A' && c <= 'Z') (*out)[i] = static_cast<char>(c + 32);
    if (c == 0xC3 && i + 1 < out->size()) {
      unsigned char d = static_cast<unsigned char>((*out)[i + 1]);
      if (d >= 0x80 && d <= 0x9E && d != 0x97) (*out)[i + 1] = static_cast<char>(d + 0x20);
      ++i;
    }
  }
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiDigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "000" or "000,5": a thousands group, possibly with decimals.
bool IsThousandsGroup(std::string_view s, bool* has_decimals) {
  if (s.size() < 3 || !IsDigits(s.substr(0, 3))) return false;
  *has_decimals = false;
  if (s.size() == 3) return true;
  if ((s[3] == ',' || s[3] == '.') && s.size() > 4 && IsDigits(s.substr(4))) {
    *has_decimals = true;
    return true;
  }
  return false;
}

bool IsConjunction(const Token& t) {
  if (t.kind == TokenKind::kAbbreviation) return t.norm == "resp.";
  return t.norm == "och" || t.norm == "eller" || t.norm == "samt" || t.norm == "respektive" ||
         t.norm == "liksom";
}

// Step 2: ICU segments, cut around the specials and at long colon endings.
void WordSegments(std::string_view text, const std::vector<Special>& specials,
                  std::vector<Span>* out) {
  out->clear();
  icu::BreakIterator* bi = internal::ThreadBreakIterator(internal::BreakKind::kWord, text);
  if (bi == nullptr) return;
  auto add = [&](uint32_t s, uint32_t e) {
    // Trim what cannot start or end a word (left over after a cut).
    while (s < e && !IsAsciiAlnum(At(text, s)) && At(text, s) < 0x80) ++s;
    while (e > s && !IsAsciiAlnum(At(text, e - 1)) && At(text, e - 1) < 0x80) --e;
    if (s >= e) return;
    std::string_view seg = text.substr(s, e - s);
    size_t colon = seg.rfind(':');
    if (colon != std::string_view::npos && colon > 0) {
      // "EU:s", "S:t" end in a short lower-case ending; "Fråga:Vad" lacks a space.
      std::string_view after = seg.substr(colon + 1);
      size_t chars = 0;
      for (char c : after) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      unsigned char first = At(after, 0);
      bool upper = (first >= 'A' && first <= 'Z') ||
                   (first == 0xC3 && At(after, 1) >= 0x80 && At(after, 1) <= 0x9E);
      if (chars > 3 || upper) {
        out->push_back({s, static_cast<uint32_t>(s + colon)});
        out->push_back({static_cast<uint32_t>(s + colon + 1), e});
        return;
      }
    }
    out->push_back({s, e});
  };
  size_t sp = 0;
  int32_t p = bi->first();
  for (int32_t q = bi->next(); q != icu::BreakIterator::DONE; p = q, q = bi->next()) {
    if (bi->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation
    uint32_t s = static_cast<uint32_t>(p), e = static_cast<uint32_t>(q);
    while (sp < specials.size() && specials[sp].end <= s) ++sp;
    uint32_t cur = s;
    for (size_t k = sp; k < specials.size() && specials[k].start < e; ++k) {
      if (specials[k].start > cur) add(cur, specials[k].start);
      cur = std::max(cur, specials[k].end);
    }
    if (cur < e) add(cur, e);
  }
}

}  // namespace

void internal::FindSpecialSpans(std::string_view text, std::vector<internal::SpecialSpan>* out) {
  std::vector<Special> urls, emails;
  FindUrls(text, &urls);
  FindEmails(text, urls, &emails);
  out->clear();
  for (const Special& s : urls) out->push_back({s.start, s.end, false});
  for (const Special& s : emails) out->push_back({s.start, s.end, true});
  std::sort(out->begin(), out->end(),
            [](const internal::SpecialSpan& a, const internal::SpecialSpan& b) {
              return a.start < b.start;
            });
}

std::vector<Token> Analyzer::Tokenize(std::string_view text) const {
  std::vector<Token> out;
  // ICU break iterators index with int32_t.
  if (text.size() > static_cast<size_t>(INT32_MAX)) text = text.substr(0, INT32_MAX);
  if (text.empty()) return out;
  const Impl& m = *impl_;

  thread_local std::vector<Special> specials;
  thread_local std::vector<Special> emails;
  thread_local std::vector<Span> segs;
  specials.clear();
  emails.clear();
  FindUrls(text, &specials);
  FindEmails(text, specials, &emails);
  if (!emails.empty()) {
    specials.insert(specials.end(), emails.begin(), emails.end());
    std::sort(specials.begin(), specials.end(),
              [](const Special& a, const Special& b) { return a.start < b.start; });
  }
  WordSegments(text, specials, &segs);

  std::string key;
  std::vector<size_t> pending;  // suspended conjuncts waiting for their head
  uint32_t prev_end = 0;
  size_t si = 0;

  auto finish = [&](Token t) {
    std::string_view gap = text.substr(prev_end, t.byte_start - prev_end);
    t.clause_start = out.empty() || !IsSpaceGap(gap);
    if (!pending.empty() && !IsCoordinationGap(gap)) pending.clear();
    prev_end = t.byte_end;
    out.push_back(std::move(t));
  };

  auto emit_special = [&](const Special& sp) {
    Token t;
    t.byte_start = sp.start;
    t.byte_end = sp.end;
    t.text.assign(text.substr(sp.start, sp.end - sp.start));
    t.kind = sp.kind;
    internal::AppendNormalised(t.text, &t.norm);
    t.stem = t.norm;
    finish(std::move(t));
    pending.clear();
  };

  for (size_t i = 0; i < segs.size(); ++i) {
    while (si < specials.size() && specials[si].start < segs[i].start) emit_special(specials[si++]);
    uint32_t start = segs[i].start, end = segs[i].end;
    size_t j = i;
    std::string_view seg = text.substr(start, end - start);

    // Abbreviations: at most 8 bytes, with a dot, colon or period, or short.
    bool period = At(text, end) == '.';
    if (seg.size() <= 8 && (period || seg.size() <= 4 || seg.find_first_of(".:") != seg.npos)) {
      LowerKey(seg, &key);
      const internal::Abbreviation* a = internal::FindAbbreviation(key);
      if (a != nullptr && (period || a->period_optional)) {
        Token t;
        t.byte_start = start;
        t.byte_end = period ? end + 1 : end;
        t.text.assign(text.substr(t.byte_start, t.byte_end - t.byte_start));
        t.norm.assign(a->norm);
        t.stem = t.norm;
        t.kind = TokenKind::kAbbreviation;
        t.stop = a->stop;
        bool conjunction = IsConjunction(t);
        finish(std::move(t));
        if (!conjunction) pending.clear();
        continue;
      }
    }

    bool numeric = IsDigits(seg);
    bool ordinal = false;
    if (numeric) {
      // "1:a", "3:e": ordinals.
      if (At(text, end) == ':' && j + 1 < segs.size() && segs[j + 1].start == end + 1) {
        std::string_view next = text.substr(segs[j + 1].start, segs[j + 1].end - segs[j + 1].start);
        if (next.size() <= 2 && IsAsciiAlpha(next[0]) &&
            (next.size() == 1 || IsAsciiAlpha(next[1]))) {
          end = segs[++j].end;
          ordinal = true;
        }
      }
      // "12 000", "1 500 000,50".
      if (seg.size() <= 3 && end == segs[i].end) {
        while (j + 1 < segs.size()) {
          size_t sep = ThousandsSeparatorAt(text, end);
          if (sep == 0 || segs[j + 1].start != end + sep) break;
          bool decimals = false;
          std::string_view group =
              text.substr(segs[j + 1].start, segs[j + 1].end - segs[j + 1].start);
          if (!IsThousandsGroup(group, &decimals)) break;
          end = segs[++j].end;
          if (decimals) break;
        }
      }
    }

    // Hyphen joins: "FoU-satsning", "covid-19", "Tjörn-Orust".
    bool has_letter = false, has_digit = false;
    auto scan = [&](std::string_view s) {
      for (size_t k = 0; k < s.size(); ++k) {
        unsigned char c = static_cast<unsigned char>(s[k]);
        if (size_t sep = ThousandsSeparatorAt(s, k); sep > 1) {
          k += sep - 1;  // ICU keeps "7\u202f500" together: no letter
        } else if (IsAsciiDigit(c)) {
          has_digit = true;
        } else if (IsAsciiAlpha(c) || c >= 0x80) {
          has_letter = true;
        }
      }
    };
    scan(text.substr(start, end - start));
    if (ordinal) has_letter = false;  // "1:a" is a number
    bool hyphenated = false;
    while (j + 1 < segs.size()) {
      size_t h = HyphenAt(text, end);
      if (h == 0 || segs[j + 1].start != end + h) break;
      std::string_view next = text.substr(segs[j + 1].start, segs[j + 1].end - segs[j + 1].start);
      bool next_letter = false;
      for (char ch : next) {
        unsigned char c = static_cast<unsigned char>(ch);
        next_letter = next_letter || IsAsciiAlpha(c) || c >= 0x80;
      }
      if (!has_letter && !next_letter) break;  // "2020-04-28", "2021-2030"
      scan(next);
      end = segs[++j].end;
      hyphenated = true;
    }
    // A suspended conjunct: "el-" followed by a space, a comma or the end.
    bool suspended = false;
    if (!hyphenated && has_letter && !has_digit) {
      size_t h = HyphenAt(text, end);
      if (h != 0) {
        unsigned char after = At(text, end + h);
        if (end + h >= text.size() || after == ' ' || after == ',' || after == '\t' ||
            after == '\n' || after == '\r') {
          suspended = true;
        }
      }
    }
    // Specials are never inside a joined token.
    while (si < specials.size() && specials[si].start < end) {
      // Cannot happen (segments are cut around specials), but stay in order.
      emit_special(specials[si++]);
    }
    i = j;

    Token t;
    t.byte_start = start;
    t.byte_end = end;
    if (suspended) t.byte_end = static_cast<uint32_t>(end + HyphenAt(text, end));
    t.text.assign(text.substr(t.byte_start, t.byte_end - t.byte_start));
    if (!has_letter) {
      t.kind = TokenKind::kNumber;
      for (size_t k = 0; k < t.text.size();) {
        size_t sep = ThousandsSeparatorAt(t.text, k);
        if (sep != 0) {
          k += sep;
        } else {
          t.norm.push_back(t.text[k++]);
        }
      }
      t.stem = t.norm;
      finish(std::move(t));
      pending.clear();
      continue;
    }
    internal::AppendNormalised(text.substr(start, end - start), &t.norm);
    if (t.norm.empty()) continue;  // only ignorable characters
    if (has_digit) {
      t.kind = TokenKind::kAlphanumeric;
      t.stem = t.norm;
      if (hyphenated) {
        for (size_t b = 0; b <= t.norm.size();) {
          size_t e = std::min(t.norm.find('-', b), t.norm.size());
          if (e > b) t.parts.push_back(t.norm.substr(b, e - b));
          b = e + 1;
        }
      }
      finish(std::move(t));
      pending.clear();
      continue;
    }

    t.kind = TokenKind::kWord;
    size_t colon = t.norm.find(':');
    if (colon != std::string::npos) {
      // "EU:s", "GR:s": an inflectional ending after an abbreviation. The
      // stem is the abbreviation, so that EU:s finds EU.
      t.stem = t.norm.substr(0, colon);
      t.stop = m.IsStop(t.norm);
    } else if (hyphenated || t.norm.find('\'') != std::string::npos) {
      t.stem = m.StemOf(t.norm);
      t.stop = m.IsStop(t.norm);
      if (hyphenated && m.options.split_compounds) {
        for (size_t b = 0; b <= t.norm.size();) {
          size_t e = std::min(t.norm.find('-', b), t.norm.size());
          if (e > b) {
            std::string_view piece(t.norm.data() + b, e - b);
            const Impl::WordInfo& info = m.AnalyseWord(piece);
            if (info.parts.empty()) {
              t.parts.emplace_back(piece);
            } else {
              t.parts.insert(t.parts.end(), info.parts.begin(), info.parts.end());
            }
          }
          b = e + 1;
        }
      }
    } else {
      const Impl::WordInfo& info = m.AnalyseWord(t.norm);
      t.stem = info.stem;
      t.stop = info.stop;
      t.parts = info.parts;
    }

    if (suspended) {
      finish(std::move(t));
      pending.push_back(out.size() - 1);
      continue;
    }
    bool conjunction = IsConjunction(t);
    finish(std::move(t));
    if (conjunction) continue;
    if (!pending.empty()) {
      // Complete "el-" from "vätgasbilar": the head of the top-level split.
      const Token& head_word = out.back();
      if (colon == std::string::npos && !hyphenated && !head_word.stop) {
        const Impl::WordInfo& info = m.AnalyseWord(head_word.norm);
        if (!info.parts.empty() && m.options.split_compounds) {
          size_t head_offset = 0;
          std::vector<std::string> surface = SplitCompoundSurface(head_word.norm);
          for (size_t k = 0; k < info.head_part && k < surface.size(); ++k) {
            head_offset += surface[k].size();
          }
          std::string head = head_word.norm.substr(head_offset);
          std::vector<std::string> head_parts(info.parts.begin() + info.head_part,
                                              info.parts.end());
          for (size_t idx : pending) {
            Token& c = out[idx];
            std::string prefix = c.norm;
            const Impl::WordInfo& pi = m.AnalyseWord(prefix);
            c.parts = pi.parts.empty() ? std::vector<std::string>{prefix} : pi.parts;
            c.parts.insert(c.parts.end(), head_parts.begin(), head_parts.end());
            c.norm = prefix + head;
            c.stem = m.StemOf(c.norm);
            c.stop = false;
          }
        }
      }
      pending.clear();
    }
  }
  while (si < specials.size()) emit_special(specials[si++]);
  return out;
}

}  // namespace samrad::analysis
