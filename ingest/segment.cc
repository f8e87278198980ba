// Blocks -> passages.
//
//   1. Each heading becomes the `section` of the passages after it (and the
//      first heading the inferred title); headings are not passages.
//   2. A block longer than ParseOptions::max_passage_bytes is cut into pieces
//      (SplitOffsets), never inside a phone number or a word.
//   3. Each piece: markdown markup stripped, white space collapsed.
//   4. Paragraphs of non-remiss documents: a speaker label becomes
//      speaker_role / speaker_org; a personal name in it is dropped.
//   5. Redaction: RE2 patterns (e-mail, personnummer, phone); contact lines
//      ("Kontaktperson: ..."); names in the sentence of a personnummer and in
//      decision statements ("... har fattats av länsrådet NN med NN som
//      föredragande"); in letters (not seminar notes) a personal name
//      leading a block of the signature block (the short blocks after the last
//      heading or long paragraph) or of the letter head, or leading any block
//      that also held a phone number, e-mail address or personnummer.
//   6. Empty pieces are dropped; the rest are numbered.
#include "ingest/segment.h"

#include <re2/re2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

#include "ingest/encoding.h"

namespace samrad::ingest {
namespace {

using re2::RE2;
using re2::StringPiece;

// Blocks at most this long (bytes) may belong to a signature block or letter head.
constexpr size_t kMaxSignatureBlockBytes = 200;

bool IsUnicodeSpace(UChar32 c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

UChar32 FirstCodePoint(std::string_view s) {
  if (s.empty()) return -1;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(p, i, static_cast<int32_t>(s.size()), c);
  return c;
}

std::vector<std::string_view> SplitOn(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, at - start));
    start = at + sep.size();
  }
}

size_t CountWords(std::string_view s) {
  size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    if (c == ' ') {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++words;
    }
  }
  return words;
}

// Lower-cases ASCII and the Swedish capitals; enough for comparing field names.
std::string LowerSwedish(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (auto [upper, lower] : std::array<std::pair<std::string_view, std::string_view>, 4>{
           {{"Å", "å"}, {"Ä", "ä"}, {"Ö", "ö"}, {"É", "é"}}}) {
    size_t at = 0;
    while ((at = out.find(upper, at)) != std::string::npos) {
      out.replace(at, upper.size(), lower);
      at += lower.size();
    }
  }
  return out;
}

// Field names of letters and meeting notes: "Datum: 12 mars" is not a speaker.
bool IsFieldName(std::string_view first_part) {
  static const std::array<std::string_view, 62> kFields = {"datum",
                                                           "plats",
                                                           "tid",
                                                           "tidpunkt",
                                                           "deltagare",
                                                           "närvarande",
                                                           "forum",
                                                           "tema",
                                                           "ämne",
                                                           "arrangör",
                                                           "arrangörer",
                                                           "diarienummer",
                                                           "dnr",
                                                           "er referens",
                                                           "vår referens",
                                                           "er beteckning",
                                                           "vår beteckning",
                                                           "ärende",
                                                           "till",
                                                           "från",
                                                           "mottagare",
                                                           "avsändare",
                                                           "kopia",
                                                           "telefon",
                                                           "tel",
                                                           "mobil",
                                                           "e-post",
                                                           "epost",
                                                           "mejl",
                                                           "mail",
                                                           "webb",
                                                           "webbplats",
                                                           "adress",
                                                           "postadress",
                                                           "besöksadress",
                                                           "handläggare",
                                                           "handläggande förvaltning",
                                                           "bilaga",
                                                           "bilagor",
                                                           "beslut",
                                                           "sammanfattning",
                                                           "bakgrund",
                                                           "syfte",
                                                           "notera",
                                                           "obs",
                                                           "not",
                                                           "anm",
                                                           "källa",
                                                           "exempel",
                                                           "dagordning",
                                                           "program",
                                                           "protokoll",
                                                           "underlag",
                                                           "rubrik",
                                                           "sida",
                                                           "version",
                                                           "status",
                                                           "uppdaterad",
                                                           "publicerad",
                                                           "senast uppdaterad",
                                                           "organisation",
                                                           "organisationsnummer"};
  const std::string lower = LowerSwedish(first_part);
  if (lower.rfind("kontakt", 0) == 0) return true;
  return std::find(kFields.begin(), kFields.end(), lower) != kFields.end();
}

std::string Join(const std::vector<std::string_view>& parts, size_t from, std::string_view sep) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) {
    if (i > from) out += sep;
    out += parts[i];
  }
  return out;
}

bool ContainsRedaction(std::string_view text) {
  for (std::string_view type : {kPhoneType, kEmailType, kPersonnummerType}) {
    if (text.find(Placeholder(type)) != std::string_view::npos) return true;
  }
  return false;
}

int CountNewlines(std::string_view s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string PassageId(std::string_view doc_id, int ordinal) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", ordinal);
  return std::string(doc_id) + "#" + buf;
}

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  bool pending_space = false;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c >= 0 && IsUnicodeSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.append(text.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
  }
  return out;
}

std::string StripMarkdownInline(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && std::ispunct(static_cast<unsigned char>(text[i + 1]))) {
      out.push_back(text[++i]);
      continue;
    }
    if ((c == '*' || c == '_') && i + 1 < text.size() && text[i + 1] == c) {
      ++i;  // ** or __
      continue;
    }
    if (c == '*') {
      const bool space_before = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n';
      const bool space_after = i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n';
      if (space_before && space_after) out.push_back(c);  // a lone asterisk is text
      continue;
    }
    if (c == '`') continue;
    if (c == '!' && i + 1 < text.size() && text[i + 1] == '[') continue;  // image: keep alt text
    if (c == '[') {
      const size_t close = text.find(']', i + 1);
      if (close != std::string_view::npos && close + 1 < text.size() && text[close + 1] == '(') {
        const size_t paren = text.find(')', close + 2);
        if (paren != std::string_view::npos) {
          out.append(StripMarkdownInline(text.substr(i + 1, close - i - 1)));
          i = paren;
          continue;
        }
      }
    }
    out.push_back(c);
  }
  return out;
}

std::optional<SpeakerTurn> ParseSpeakerTurn(std::string_view paragraph) {
  const size_t colon = paragraph.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > 120) return std::nullopt;
  const std::string_view label = paragraph.substr(0, colon);
  if (colon + 2 >= paragraph.size()) return std::nullopt;  // nothing said
  const UChar32 first = FirstCodePoint(label);
  if (first < 0 || !u_isupper(first)) return std::nullopt;
  for (std::string_view bad : {".", "!", "?", ";", "\"", "”", "“", "«", "»", "#"}) {
    if (label.find(bad) != std::string_view::npos) return std::nullopt;
  }
  const std::vector<std::string_view> parts = SplitOn(label, ", ");
  const size_t words = CountWords(label);
  if (parts.size() == 1 && words > 3) return std::nullopt;
  if (parts.size() > 1 && (CountWords(parts[0]) > 5 || words > 16)) return std::nullopt;
  for (std::string_view part : parts) {
    if (part.empty()) return std::nullopt;
  }
  // "Handläggare: Anna Berg" is a field of a letter; "Handläggare, enheten för
  // landsbygd: ..." is a speaker.
  if ((parts.size() == 1 && IsFieldName(parts[0])) ||
      LowerSwedish(parts[0]).rfind("kontakt", 0) == 0) {
    return std::nullopt;
  }

  SpeakerTurn turn;
  turn.text_start = colon + 2;
  size_t role_index = 0;
  if (IsPersonalName(parts[0])) {
    turn.had_name = true;
    turn.name = std::string(parts[0]);
    role_index = 1;
  }
  if (role_index < parts.size()) turn.role = std::string(parts[role_index]);
  turn.organisation = Join(parts, role_index + 1, ", ");
  return turn;
}

std::string FindDate(std::string_view text) {
  static const RE2 iso("(\\d{4})-(\\d{2})-(\\d{2})");
  static const RE2 swedish(
      "(?i)(\\d{1,2}) (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|"
      "november|december) (\\d{4})");
  static const std::array<std::string_view, 12> kMonths = {
      "januari", "februari", "mars",      "april",   "maj",      "juni",
      "juli",    "augusti",  "september", "oktober", "november", "december"};
  const StringPiece input(text.data(), text.size());
  auto valid = [](int y, int m, int d) {
    return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
  };
  auto format = [](int y, int m, int d) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return std::string(buf);
  };
  size_t best_pos = std::string_view::npos;
  std::string best;
  StringPiece g[4];
  for (size_t pos = 0;
       pos < text.size() && iso.Match(input, pos, text.size(), RE2::UNANCHORED, g, 4);) {
    const size_t at = static_cast<size_t>(g[0].data() - text.data());
    const bool digit_before = at > 0 && IsAsciiDigit(text[at - 1]);
    const size_t end = at + g[0].size();
    const bool digit_after = end < text.size() && IsAsciiDigit(text[end]);
    const int y = std::stoi(std::string(g[1])), m = std::stoi(std::string(g[2])),
              d = std::stoi(std::string(g[3]));
    if (!digit_before && !digit_after && valid(y, m, d)) {
      best_pos = at;
      best = format(y, m, d);
      break;
    }
    pos = at + 1;
  }
  for (size_t pos = 0;
       pos < text.size() && swedish.Match(input, pos, text.size(), RE2::UNANCHORED, g, 4);) {
    const size_t at = static_cast<size_t>(g[0].data() - text.data());
    if (at >= best_pos) break;
    const std::string month = LowerSwedish(std::string(g[2]));
    const int m =
        static_cast<int>(std::find(kMonths.begin(), kMonths.end(), month) - kMonths.begin()) + 1;
    const int y = std::stoi(std::string(g[3])), d = std::stoi(std::string(g[1]));
    if (valid(y, m, d)) {
      best = format(y, m, d);
      break;
    }
    pos = at + 1;
  }
  return best;
}

std::vector<size_t> SplitOffsets(std::string_view text, size_t max_bytes) {
  std::vector<size_t> offsets = {0};
  if (max_bytes < 16) max_bytes = 16;
  size_t start = 0;
  while (text.size() - start > max_bytes) {
    const std::string_view window = text.substr(start, max_bytes);
    size_t cut = 0;
    // A sentence end in the second half of the window.
    for (size_t i = window.size() - 1; i >= window.size() / 2 && i > 0; --i) {
      if ((window[i] == ' ' || window[i] == '\n') &&
          (window[i - 1] == '.' || window[i - 1] == '!' || window[i - 1] == '?')) {
        cut = i + 1;
        break;
      }
    }
    // Else white space, but not between two digits (phone numbers have spaces).
    for (size_t i = window.size() - 1; cut == 0 && i >= window.size() / 4 && i > 0; --i) {
      if ((window[i] == ' ' || window[i] == '\n') &&
          !(IsAsciiDigit(window[i - 1]) && i + 1 < window.size() && IsAsciiDigit(window[i + 1]))) {
        cut = i + 1;
        break;
      }
    }
    // Else a character boundary.
    if (cut == 0) {
      cut = window.size();
      while (cut > 1 && (static_cast<unsigned char>(text[start + cut]) & 0xC0) == 0x80) --cut;
    }
    start += cut;
    offsets.push_back(start);
  }
  return offsets;
}

ParsedDocument BuildPassages(ReaderOutput output, std::string_view doc_id,
                             const ParseOptions& options) {
  if (!output.spans_assigned) AssignSpans(&output);
  ParsedDocument doc;
  doc.encoding = output.encoding;
  doc.organisation = output.organisation;
  doc.date = output.date;
  doc.warnings = std::move(output.warnings);
  doc.redactions = std::move(output.redactions);
  RedactionCounts& counts = doc.redactions;

  const std::vector<Block>& blocks = output.blocks;
  const bool turns_allowed = options.kind != "remiss";
  std::vector<bool> in_signature(blocks.size(), false);
  if (options.kind != "seminar") {
    for (size_t i = blocks.size(); i-- > 0;) {
      if (blocks[i].kind == Block::Kind::kHeading ||
          blocks[i].text.size() > kMaxSignatureBlockBytes) {
        break;
      }
      in_signature[i] = true;
    }
    for (size_t i = 0; i < blocks.size(); ++i) {
      if (blocks[i].kind == Block::Kind::kHeading) continue;
      if (blocks[i].text.size() > kMaxSignatureBlockBytes) break;
      in_signature[i] = true;
    }
  }

  auto clean = [&](std::string_view raw, bool markdown) {
    return CollapseWhitespace(markdown ? StripMarkdownInline(raw) : std::string(raw));
  };
  // Names found by a rule are also redacted wherever else they occur.
  std::vector<std::string> names;
  auto redact_leading_name = [&](std::string* text) {
    const size_t n = LeadingPersonalName(*text);
    if (n == 0) return;
    names.push_back(text->substr(0, n));
    text->replace(0, n, Placeholder(kNameType));
    ++counts[std::string(kNameType)];
  };

  std::string section;
  std::string title;
  int ordinal = 0;
  for (size_t b = 0; b < blocks.size(); ++b) {
    const Block& block = blocks[b];
    if (doc.date.empty()) doc.date = FindDate(clean(block.text.substr(0, 4096), block.markdown));
    if (block.kind == Block::Kind::kHeading) {
      std::string heading = RedactPatterns(clean(block.text, block.markdown), &counts);
      heading = RedactContactLine(heading, &counts, &names);
      if (IsPersonalName(heading)) {
        names.push_back(heading);
        heading = Placeholder(kNameType);
        ++counts[std::string(kNameType)];
      }
      section = heading;
      if (title.empty()) title = heading;
      continue;
    }
    const std::vector<size_t> offsets = SplitOffsets(block.text, options.max_passage_bytes);
    if (offsets.size() > 1) {
      std::string where = block.line_start > 0 ? "at line " + std::to_string(block.line_start)
                          : block.page > 0     ? "on page " + std::to_string(block.page)
                                               : "at byte " + std::to_string(block.byte_start);
      doc.warnings.push_back("paragraph " + where + " is " + std::to_string(block.text.size()) +
                             " bytes; split into " + std::to_string(offsets.size()) +
                             " passages of at most " + std::to_string(options.max_passage_bytes) +
                             " bytes");
    }
    std::optional<SpeakerTurn> turn;
    int newlines_before = 0;  // in block.text before the current piece
    for (size_t k = 0; k < offsets.size(); ++k) {
      const size_t begin = offsets[k];
      const size_t end = k + 1 < offsets.size() ? offsets[k + 1] : block.text.size();
      const std::string_view raw = std::string_view(block.text).substr(begin, end - begin);
      const int newlines_in_piece = CountNewlines(raw);
      const int piece_line_start = block.line_start + newlines_before;
      newlines_before += newlines_in_piece;
      std::string text = clean(raw, block.markdown);

      Passage p;
      switch (block.kind) {
        case Block::Kind::kListItem:
          p.type = "list_item";
          break;
        case Block::Kind::kAnswer:
          p.type = "answer";
          break;
        default:
          p.type = "paragraph";
          break;
      }
      if (block.kind == Block::Kind::kParagraph && turns_allowed) {
        if (k == 0) {
          turn = ParseSpeakerTurn(text);
          if (turn) {
            text.erase(0, turn->text_start);
            if (turn->had_name) {
              ++counts[std::string(kNameType)];
              names.push_back(turn->name);
            }
          }
        }
        if (turn) {
          p.type = "turn";
          p.speaker_role = RedactPatterns(turn->role, &counts);
          p.speaker_org = RedactPatterns(turn->organisation, &counts);
        }
      }
      text = RedactPatterns(text, &counts);
      text = RedactNamesNearPersonnummer(text, &counts, &names);
      if (p.type != "turn") {
        text = RedactContactLine(text, &counts, &names);
        text = RedactNamesInDecisionStatement(text, &counts, &names);
        if (k == 0 && (in_signature[b] || ContainsRedaction(text))) redact_leading_name(&text);
      }
      if (block.kind == Block::Kind::kAnswer) {
        p.question = RedactPatterns(CollapseWhitespace(block.question), &counts);
      }
      if (text.empty()) continue;

      p.text = std::move(text);
      p.section = section;
      p.doc_id = std::string(doc_id);
      p.ordinal = ordinal;
      p.id = PassageId(doc_id, ordinal);
      ++ordinal;
      p.locator.page = block.page;
      p.locator.byte_start = block.byte_start + begin;
      p.locator.byte_end = std::min<std::uint64_t>(block.byte_start + end, block.byte_end);
      if (block.line_start > 0) {
        // Within the block's lines: a reader's text can hold more line
        // breaks than the lines it reports for the block (found by
        // FuzzSmoke on HTML: fuzz/corpus/html/crash-lines-past-block.html).
        const int last_line = std::max(block.line_start, block.line_end);
        p.locator.line_start = std::min(piece_line_start, last_line);
        p.locator.line_end = k + 1 == offsets.size()
                                 ? last_line
                                 : std::clamp(piece_line_start + newlines_in_piece, p.locator.line_start, last_line);
      }
      doc.passages.push_back(std::move(p));
    }
  }
  doc.title = title.empty() ? RedactPatterns(CollapseWhitespace(output.title), &counts) : title;
  if (!names.empty()) {
    // Longest first, so that "Anna Berg Lind" goes before "Anna Berg".
    std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    names.erase(std::unique(names.begin(), names.end()), names.end());
    for (Passage& p : doc.passages) {
      for (std::string* field :
           {&p.text, &p.section, &p.speaker_role, &p.speaker_org, &p.question}) {
        ReplaceKnownNames(field, names, &counts);
      }
    }
    ReplaceKnownNames(&doc.title, names, &counts);
  }
  if (doc.passages.empty()) doc.warnings.push_back("no passages: the document has no text");
  return doc;
}

}  // namespace samrad::ingest
