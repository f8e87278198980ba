#include "ingest/redact.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <set>
#include <vector>

namespace samrad::ingest {
namespace {

using re2::RE2;
using re2::StringPiece;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// One capitalised word, optionally hyphenated ("Lars-Göran").
#define SAMRAD_NAME_WORD "\\p{Lu}\\p{Ll}+(?:-\\p{Lu}\\p{Ll}+)?"
#define SAMRAD_PARTICLE "(?:von|af|av|de|van|der|den|la|du|di) "

const RE2& EmailRe() {
  static const RE2 re(
      "[\\p{L}\\p{N}._%+\\-]+@[\\p{L}\\p{N}\\-]+(?:\\.[\\p{L}\\p{N}\\-]+)*\\.\\p{L}{2,}");
  return re;
}

// 6 or 8 digits, optional '-' or '+', 4 digits; validated in code.
const RE2& PersonnummerRe() {
  static const RE2 re("(\\d{8}|\\d{6})([-+]?)(\\d{4})");
  return re;
}

// +46 or a leading 0, an area code digit 1-9, then digits with at most one
// space or hyphen between them; the digit count is checked in code.
const RE2& PhoneRe() {
  static const RE2 re("(?:\\+46[ \\-]?(?:\\(0\\)[ \\-]?)?|0)[1-9](?:[ \\-]?[0-9]){5,10}");
  return re;
}

const RE2& Name3Re() {
  static const RE2 re("(" SAMRAD_NAME_WORD " (?:" SAMRAD_PARTICLE ")?" SAMRAD_NAME_WORD
                      " (?:" SAMRAD_PARTICLE ")?" SAMRAD_NAME_WORD ")");
  return re;
}

const RE2& Name2Re() {
  static const RE2 re("(" SAMRAD_NAME_WORD " (?:" SAMRAD_PARTICLE ")?" SAMRAD_NAME_WORD ")");
  return re;
}

const RE2& ContactLabelRe() {
  static const RE2 re(
      "(?i)((?:kontakt\\p{L}*|handläggare|föredragande|undertecknad\\p{L}*|avsändare|från|"
      "ansvarig\\p{L}*|sekreterare|ordförande|frågor)[^:]{0,40}): ");
  return re;
}

// Words that make a run of capitalised words a place or an organisation
// rather than a person: Västra Götaland's municipalities and sub-regions, and
// words of organisation names. Compared as written, and without a genitive -s.
const std::set<std::string, std::less<>>& PlaceAndOrganisationWords() {
  static const std::set<std::string, std::less<>> words = {
      // Municipalities (except names that are also common first names).
      "Alingsås",
      "Bengtsfors",
      "Bollebygd",
      "Borås",
      "Dals-Ed",
      "Essunga",
      "Falköping",
      "Färgelanda",
      "Grästorp",
      "Gullspång",
      "Göteborg",
      "Götene",
      "Herrljunga",
      "Hjo",
      "Härryda",
      "Karlsborg",
      "Kungälv",
      "Lerum",
      "Lidköping",
      "Lysekil",
      "Mariestad",
      "Mellerud",
      "Munkedal",
      "Mölndal",
      "Orust",
      "Partille",
      "Skara",
      "Skövde",
      "Sotenäs",
      "Stenungsund",
      "Strömstad",
      "Svenljunga",
      "Tanum",
      "Tibro",
      "Tidaholm",
      "Tjörn",
      "Tranemo",
      "Trollhättan",
      "Töreboda",
      "Uddevalla",
      "Ulricehamn",
      "Vårgårda",
      "Vänersborg",
      "Åmål",
      "Öckerö",
      "Edet",
      "Lilla",
      // Sub-regions, landscapes, the region and the country.
      "Fyrbodal",
      "Skaraborg",
      "Sjuhärad",
      "Dalsland",
      "Bohuslän",
      "Västergötland",
      "Västra",
      "Götaland",
      "Väst",
      "Sverige",
      "Norden",
      "Europa",
      "Landvetter",
      "Hisingen",
      "Vänern",
      // Words of organisation names.
      "Stad",
      "Staden",
      "Kommun",
      "Region",
      "Regionen",
      "Regionens",
      "Hus",
      "Högskolan",
      "Högskola",
      "Universitet",
      "Universitetet",
      "Park",
      "Science",
      "Center",
      "Centre",
      "Museum",
      "Museet",
      "Sjukhus",
      "Sjukhuset",
      "Energi",
      "Hamn",
      "Hamnen",
      "Business",
      "Chalmers",
      "Västtrafik",
      "Trafikverket",
      "Länsstyrelsen",
      "Almi",
      "Swedavia",
      "Rise",
      "Innovatum",
      "Lindholmen",
      "Sahlgrenska",
      "Volvo",
      "Akademi",
      "Akademin",
      "Institut",
      "Institutet",
      "Förbund",
      "Förbundet",
      "Förening",
      "Föreningen",
      "Kommunalförbund",
      "Partner",
      "Företagspartner",
      "Ventures",
      "Group",
      "Gruppen",
      "Stiftelsen",
      "Fonden",
      "Hela",
      "Ungdomsråd",
      "Rådet",
      "Nämnd",
      "Nämnden",
      "Styrelsen",
      "Kommunstyrelsen",
      "Yttrande",
      "Remiss",
      "Remissvar",
      "Synpunkter",
      "Sammanfattning",
      "Beslut",
      "Bakgrund",
  };
  return words;
}

// Word endings of organisations and places ("Götalandsregionen",
// "Naturskyddsföreningen", "Handelskammaren").
constexpr std::array<std::string_view, 24> kOrganisationEndings = {
    "regionen",   "regionens",     "kommun",     "kommunen",   "förbund",   "förbundet",
    "föreningen", "föreningar",    "kammaren",   "museet",     "skolan",    "gymnasiet",
    "verket",     "styrelsen",     "institutet", "stiftelsen", "bolaget",   "förmedlingen",
    "högskolan",  "universitetet", "sjukhuset",  "staden",     "nätverket", "rådet"};

bool IsPlaceOrOrganisationWord(std::string_view word) {
  const auto& words = PlaceAndOrganisationWords();
  if (words.count(word) > 0) return true;
  if (word.size() > 2 && word.back() == 's' && words.count(word.substr(0, word.size() - 1)) > 0) {
    return true;
  }
  for (std::string_view ending : kOrganisationEndings) {
    if (word.size() > ending.size() && word.substr(word.size() - ending.size()) == ending) {
      return true;
    }
  }
  return false;
}

bool NameFollowerOk(std::string_view rest) {
  if (rest.empty()) return true;
  const char c = rest.front();
  if (c == ',' || c == ';' || c == ')' || c == ':') return true;
  for (std::string_view f : {" (", " –", " -", " och ", " samt ", " [", " /"}) {
    if (rest.substr(0, f.size()) == f) return true;
  }
  return false;
}

bool WordsAreAPerson(std::string_view name) {
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find(' ', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view word = name.substr(start, end - start);
    // Hyphenated words: "Dals-Ed" is listed whole; "Lars-Göran" is checked per part.
    if (IsPlaceOrOrganisationWord(word)) return false;
    const size_t hyphen = word.find('-');
    if (hyphen != std::string_view::npos && (IsPlaceOrOrganisationWord(word.substr(0, hyphen)) ||
                                             IsPlaceOrOrganisationWord(word.substr(hyphen + 1)))) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

// Validates a personnummer candidate; `digits` is 10 or 12 digits.
bool ValidPersonnummer(std::string_view digits) {
  std::string_view ten = digits;
  if (digits.size() == 12) {
    const std::string_view century = digits.substr(0, 2);
    if (century != "18" && century != "19" && century != "20") return false;
    ten = digits.substr(2);
  }
  if (ten.size() != 10) return false;
  const int month = (ten[2] - '0') * 10 + (ten[3] - '0');
  int day = (ten[4] - '0') * 10 + (ten[5] - '0');
  if (day > 60) day -= 60;  // samordningsnummer
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return LuhnValid(ten);
}

// Applies `re` to `text`, letting `accept` decide (and possibly trim) each
// match; accepted spans become the placeholder.
template <typename Accept>
std::string ReplaceMatches(std::string_view text, const RE2& re, std::string_view type,
                           RedactionCounts* counts, Accept accept) {
  std::string out;
  out.reserve(text.size());
  const StringPiece input(text.data(), text.size());
  size_t pos = 0;  // next unconsumed byte
  size_t search = 0;
  StringPiece match;
  while (search <= text.size() &&
         re.Match(input, search, text.size(), RE2::UNANCHORED, &match, 1)) {
    const size_t begin = static_cast<size_t>(match.data() - text.data());
    size_t length = match.size();
    if (length == 0) break;
    if (accept(text, begin, &length)) {
      out.append(text.substr(pos, begin - pos));
      out.append(Placeholder(type));
      ++(*counts)[std::string(type)];
      pos = begin + length;
      search = pos;
    } else {
      // Try again one character later: a shorter candidate may start there.
      search = begin + 1;
    }
  }
  out.append(text.substr(pos));
  return out;
}

std::string RedactEmails(std::string_view text, RedactionCounts* counts) {
  if (text.find('@') == std::string_view::npos) return std::string(text);
  return ReplaceMatches(text, EmailRe(), kEmailType, counts,
                        [](std::string_view, size_t, size_t*) { return true; });
}

std::string RedactPersonnummer(std::string_view text, RedactionCounts* counts) {
  return ReplaceMatches(text, PersonnummerRe(), kPersonnummerType, counts,
                        [](std::string_view t, size_t begin, size_t* length) {
                          if (begin > 0 && (IsDigit(t[begin - 1]) || t[begin - 1] == '-'))
                            return false;
                          const size_t end = begin + *length;
                          if (end < t.size() && (IsDigit(t[end]) || IsAsciiAlnum(t[end])))
                            return false;
                          std::string digits;
                          for (size_t i = begin; i < end; ++i) {
                            if (IsDigit(t[i])) digits.push_back(t[i]);
                          }
                          return ValidPersonnummer(digits);
                        });
}

std::string RedactPhones(std::string_view text, RedactionCounts* counts) {
  return ReplaceMatches(
      text, PhoneRe(), kPhoneType, counts, [](std::string_view t, size_t begin, size_t* length) {
        if (begin > 0) {
          const char before = t[begin - 1];
          if (IsAsciiAlnum(before) || before == '+' || before == '-' || before == '/' ||
              before == '.' || before == ',') {
            return false;
          }
        }
        // National significant digits: after "+46" or the leading 0.
        size_t i = begin;
        if (t[i] == '+') {
          i += 3;
        } else {
          i += 1;
        }
        size_t end = begin + *length;
        int digits = 0;
        size_t last_ok_end = 0;
        for (size_t j = i; j < end; ++j) {
          if (t[j] == '(') {  // "+46 (0)": the 0 is not counted
            j += 2;
            continue;
          }
          if (IsDigit(t[j])) {
            ++digits;
            if (digits <= 9) last_ok_end = j + 1;
          }
        }
        if (digits > 9) end = last_ok_end;  // a trailing number is not part of it
        if (digits < 7) return false;
        if (end < t.size() && IsDigit(t[end])) return false;
        if (end + 1 < t.size() && (t[end] == ',' || t[end] == '.') && IsDigit(t[end + 1]))
          return false;  // a decimal number
        *length = end - begin;
        return true;
      });
}

}  // namespace

std::string Placeholder(std::string_view type) {
  // Built piecewise: "[" + std::string(type) + "]" trips GCC 12's -Wrestrict at -O3.
  std::string out;
  out.reserve(type.size() + 2);
  out.push_back('[');
  out.append(type);
  out.push_back(']');
  return out;
}

bool LuhnValid(std::string_view ten_digits) {
  if (ten_digits.size() != 10) return false;
  int sum = 0;
  for (size_t i = 0; i < ten_digits.size(); ++i) {
    if (!IsDigit(ten_digits[i])) return false;
    int d = ten_digits[i] - '0';
    if (i % 2 == 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 == 0;
}

std::string RedactPatterns(std::string_view text, RedactionCounts* counts) {
  // E-mail first (addresses may contain digits), then personnummer (12 digits
  // would otherwise look like a phone number), then phone numbers. Again
  // until nothing changes: a number next to another can be left whole by a
  // match that takes part of it ("031-345 67 8 031-345 67 89" kept
  // "031-345 67 8" after one pass; found by FuzzSmoke). A placeholder holds
  // no digits or "@", so each pass that changes anything removes some and
  // the passes end.
  std::string out(text);
  for (;;) {
    std::string next = RedactPhones(RedactPersonnummer(RedactEmails(out, counts), counts), counts);
    if (next == out) return next;
    out = std::move(next);
  }
}

size_t LeadingPersonalName(std::string_view text) {
  const StringPiece input(text.data(), text.size());
  for (const RE2* re : {&Name3Re(), &Name2Re()}) {
    StringPiece match;
    if (!re->Match(input, 0, text.size(), RE2::ANCHOR_START, &match, 1)) continue;
    const std::string_view name(match.data(), match.size());
    if (!NameFollowerOk(text.substr(name.size()))) continue;
    if (!WordsAreAPerson(name)) continue;
    return name.size();
  }
  return 0;
}

bool IsPersonalName(std::string_view text) {
  return !text.empty() && LeadingPersonalName(text) == text.size();
}

std::string RedactContactLine(std::string_view text, RedactionCounts* counts,
                              std::vector<std::string>* names) {
  const StringPiece input(text.data(), text.size());
  StringPiece label;
  if (!ContactLabelRe().Match(input, 0, text.size(), RE2::ANCHOR_START, &label, 1)) {
    return std::string(text);
  }
  const size_t value_start = label.size();  // the whole match, up to and with ": "
  std::string out(text.substr(0, value_start));
  std::string_view rest = text.substr(value_start);
  // Names at the start of the value and after a list separator.
  static constexpr std::array<std::string_view, 4> kSeparators = {"; ", " och ", " samt ",
                                                                  " eller "};
  bool at_item_start = true;
  while (!rest.empty()) {
    if (at_item_start) {
      const size_t n = LeadingPersonalName(rest);
      if (n > 0) {
        if (names != nullptr) names->emplace_back(rest.substr(0, n));
        out += Placeholder(kNameType);
        ++(*counts)[std::string(kNameType)];
        rest.remove_prefix(n);
      }
      at_item_start = false;
      continue;
    }
    bool matched = false;
    for (std::string_view sep : kSeparators) {
      if (rest.substr(0, sep.size()) == sep) {
        out += sep;
        rest.remove_prefix(sep.size());
        at_item_start = true;
        matched = true;
        break;
      }
    }
    if (!matched) {
      out.push_back(rest.front());
      rest.remove_prefix(1);
    }
  }
  return out;
}

std::vector<NameRun> FindNameRuns(std::string_view text) {
  static const RE2 kUpperNext("^ \\p{Lu}");
  std::vector<NameRun> runs;
  const StringPiece input(text.data(), text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && text[i - 1] != ' ' && text[i - 1] != '(') continue;
    for (const RE2* re : {&Name3Re(), &Name2Re()}) {
      StringPiece match;
      if (!re->Match(input, i, text.size(), RE2::ANCHOR_START, &match, 1)) continue;
      size_t start = i;
      std::string_view name(match.data(), match.size());
      const std::string_view rest = text.substr(i + name.size());
      if (!rest.empty()) {
        const char c = rest.front();
        const bool punctuation = std::string_view(",.;:)!?").find(c) != std::string_view::npos;
        const bool lower_word_follows =
            c == ' ' && !RE2::PartialMatch(StringPiece(rest.data(), rest.size()), kUpperNext);
        if (!punctuation && !lower_word_follows) continue;
      }
      const bool sentence_start =
          i == 0 || (i >= 2 && text[i - 1] == ' ' &&
                     std::string_view(".!?:").find(text[i - 2]) != std::string_view::npos);
      if (sentence_start && re == &Name3Re()) {
        // "Samhällsplanerare Jesper Lundkvist har ...": a role word opens the sentence.
        const size_t space = name.find(' ');
        const std::string_view first = name.substr(0, space);
        for (std::string_view ending :
             {"are", "ör", "ent", "chef", "råd", "rådet", "man", "ande", "ist", "log", "nom", "eg",
              "ledare", "ansvarig", "rektor", "ordförande"}) {
          if (first.size() > ending.size() &&
              first.substr(first.size() - ending.size()) == ending) {
            start = i + space + 1;
            name = name.substr(space + 1);
            break;
          }
        }
      }
      if (!WordsAreAPerson(name)) continue;
      runs.push_back({start, name.size()});
      i = start + name.size();
      break;
    }
  }
  return runs;
}

namespace {

std::string ReplaceRuns(std::string_view text, const std::vector<NameRun>& runs, size_t from,
                        size_t to, RedactionCounts* counts, std::vector<std::string>* names) {
  std::string out;
  size_t pos = 0;
  for (const NameRun& run : runs) {
    if (run.start < from || run.start + run.length > to) continue;
    out.append(text.substr(pos, run.start - pos));
    if (names != nullptr) names->emplace_back(text.substr(run.start, run.length));
    out += Placeholder(kNameType);
    ++(*counts)[std::string(kNameType)];
    pos = run.start + run.length;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace

std::string RedactNamesNearPersonnummer(std::string_view text, RedactionCounts* counts,
                                        std::vector<std::string>* names) {
  const std::string placeholder = Placeholder(kPersonnummerType);
  const size_t first = text.find(placeholder);
  if (first == std::string_view::npos) return std::string(text);
  const std::vector<NameRun> runs = FindNameRuns(text);
  // The sentences holding a personnummer.
  std::vector<std::pair<size_t, size_t>> sentences;
  for (size_t at = first; at != std::string_view::npos; at = text.find(placeholder, at + 1)) {
    size_t begin = 0;
    for (std::string_view end_mark : {". ", "! ", "? "}) {
      const size_t b = text.rfind(end_mark, at);
      if (b != std::string_view::npos) begin = std::max(begin, b + 2);
    }
    size_t end = text.size();
    for (std::string_view end_mark : {". ", "! ", "? "}) {
      const size_t e = text.find(end_mark, at);
      if (e != std::string_view::npos) end = std::min(end, e + 1);
    }
    sentences.emplace_back(begin, end);
  }
  std::vector<NameRun> chosen;
  for (const NameRun& run : runs) {
    for (const auto& [begin, end] : sentences) {
      if (run.start >= begin && run.start + run.length <= end) {
        chosen.push_back(run);
        break;
      }
    }
  }
  return ReplaceRuns(text, chosen, 0, text.size(), counts, names);
}

bool IsDecisionStatement(std::string_view text) {
  static const RE2 kKeywords(
      "(?i)(föredragande|föredragning|beslutats av|fattats av|deltagit|handläggningen|"
      "undertecknat|undertecknad)");
  return RE2::PartialMatch(StringPiece(text.data(), text.size()), kKeywords);
}

std::string RedactNamesInDecisionStatement(std::string_view text, RedactionCounts* counts,
                                           std::vector<std::string>* names) {
  if (!IsDecisionStatement(text)) return std::string(text);
  return ReplaceRuns(text, FindNameRuns(text), 0, text.size(), counts, names);
}

void ReplaceKnownNames(std::string* text, const std::vector<std::string>& names,
                       RedactionCounts* counts) {
  auto is_word_byte = [](char c) {
    return IsAsciiAlnum(c) || (static_cast<unsigned char>(c) & 0x80) != 0;
  };
  for (const std::string& name : names) {
    if (name.empty()) continue;
    size_t at = 0;
    while ((at = text->find(name, at)) != std::string::npos) {
      const size_t end = at + name.size();
      if ((at > 0 && is_word_byte((*text)[at - 1])) ||
          (end < text->size() && is_word_byte((*text)[end]))) {
        at = end;
        continue;
      }
      const std::string placeholder = Placeholder(kNameType);
      text->replace(at, name.size(), placeholder);
      ++(*counts)[std::string(kNameType)];
      at += placeholder.size();
    }
  }
}

}  // namespace samrad::ingest
