// Internal to samrad_ingest: blocks -> passages, speaker turns, redaction.
#ifndef SAMRAD_INGEST_SEGMENT_H_
#define SAMRAD_INGEST_SEGMENT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/blocks.h"
#include "ingest/ingest.h"

namespace samrad::ingest {

// A speaker label at the start of a paragraph, "Kommunchef, Lidköping: ...".
struct SpeakerTurn {
  std::string role;          // "Kommunchef", "Fråga från salen", "näringslivsutvecklare"
  std::string organisation;  // "Lidköping", "Vänersborgs kommun", ""
  bool had_name = false;     // the label began with a personal name (dropped)
  std::string name;          // that name: used to redact it elsewhere, never stored
  size_t text_start = 0;     // byte offset of the turn's text (after ": ")
};

// Recognises a speaker label: the text before the first ": " of a paragraph,
// when it looks like a label: at most 120 bytes; starts with an upper-case
// letter; no sentence punctuation (. ! ? ; quotes); without a comma at most 3
// words ("Fråga från salen", "Grupp 3 rapporterar", "Moderator"), with commas a
// first part of at most 5 words and 16 words in all; and, without a comma, not
// a field name of a letter or notes ("Datum", "Plats", "Deltagare",
// "Diarienummer", "Telefon", "Handläggare", ...; "Kontakt..." never). Parts are split at ", ": a
// first part that is a personal name is dropped, the next part is the role and the rest, joined
// with ", ", the organisation.
std::optional<SpeakerTurn> ParseSpeakerTurn(std::string_view paragraph);

// Collapses every run of Unicode white space (including NBSP) to one ASCII
// space and trims both ends.
std::string CollapseWhitespace(std::string_view text);

// Removes inline markdown: **, __, `, emphasis asterisks, [text](url) -> text,
// backslash escapes.
std::string StripMarkdownInline(std::string_view text);

// First date in the text: "2020-04-28" or "28 april 2020" -> "YYYY-MM-DD", or "".
std::string FindDate(std::string_view text);

// Splits a long text into pieces of at most max_bytes at sentence ends, else
// at white space, else at a character boundary. Returns the start offsets.
std::vector<size_t> SplitOffsets(std::string_view text, size_t max_bytes);

// Turns a reader's blocks into the parsed document (see ParseDocument).
ParsedDocument BuildPassages(ReaderOutput output, std::string_view doc_id,
                             const ParseOptions& options);

// "seminar/s01.md" + 7 -> "seminar/s01.md#0007".
std::string PassageId(std::string_view doc_id, int ordinal);

}  // namespace samrad::ingest

#endif  // SAMRAD_INGEST_SEGMENT_H_
