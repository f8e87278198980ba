// Internal to samrad_reports: escaping and the fixed, locale-independent
// number formats every report uses.
//
// All numbers are formatted from integers (counts, per-mille shares) or with
// a fixed number of decimals, so the same input gives the same bytes on every
// machine and under every locale. Decimal separator is the Swedish comma in
// planner-facing text (Markdown, HTML) and the dot in JSON.
#ifndef SAMRAD_REPORTS_TEXT_H_
#define SAMRAD_REPORTS_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/jsonl.h"

namespace samrad::reports::internal {

// Escapes &, <, >, " and ' so that the result is safe as HTML text and inside
// a double- or single-quoted attribute (and inside SVG, which is XML).
std::string HtmlEscape(std::string_view text);

// Escapes a document-derived string for Markdown *inline* text: backslash,
// the characters that start emphasis, code, links, raw HTML or entities, and
// the table pipe get a backslash (CommonMark: any ASCII punctuation may be
// escaped); line breaks become spaces so a value can never end a table row
// or a block quote.
std::string MarkdownEscape(std::string_view text);

// "12,5 %" for 1 of 8; "0,0 %" when whole is 0. Rounded half up, from integers.
std::string PercentSv(std::int64_t part, std::int64_t whole);

// Per-mille share rounded half up (0 when whole is 0); what JSON carries as
// "share_permille" and what chart bars and colours are computed from.
int PerMille(std::int64_t part, std::int64_t whole);

// x with `decimals` decimals and '.' (JSON) or ',' (Swedish text).
std::string FixedDot(double x, int decimals);
std::string FixedSv(double x, int decimals);

// x rounded to `decimals` decimals, for JSON numbers that must be stable.
double Rounded(double x, int decimals);

// At most `max_chars` code points of valid UTF-8 `text`; when shortened, the
// cut is at a code point boundary and "…" is appended.
std::string TruncateUtf8(std::string_view text, size_t max_chars);

// Runs of white space to one space, trimmed (base/jsonl.h).
using ::samrad::CollapseSpace;

}  // namespace samrad::reports::internal

#endif  // SAMRAD_REPORTS_TEXT_H_
