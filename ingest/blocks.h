// Internal to samrad_ingest: what a format reader produces, and the readers.
//
// Every reader turns a file's bytes into a list of Blocks (headings,
// paragraphs, list items, form answers) in reading order, with the text as
// extracted (not yet whitespace-collapsed, not yet redacted) and where it came
// from. segment.cc turns blocks into passages; only it redacts.
#ifndef SAMRAD_INGEST_BLOCKS_H_
#define SAMRAD_INGEST_BLOCKS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ingest/redact.h"

namespace samrad::ingest {

struct Block {
  enum class Kind { kHeading, kParagraph, kListItem, kAnswer };
  Kind kind = Kind::kParagraph;
  int level = 0;          // headings: 1 = top
  std::string text;       // extracted text; may hold newlines and (markdown) inline markup
  std::string question;   // kAnswer: the form's question
  bool markdown = false;  // strip **, __, `, [text](url) from the text
  int line_start = 0;     // 1-based lines of the decoded source (text formats, HTML)
  int line_end = 0;
  int page = 0;                  // 1-based (PDF)
  std::uint64_t byte_start = 0;  // span in the document's decoded text
  std::uint64_t byte_end = 0;
};

struct ReaderOutput {
  std::vector<Block> blocks;
  std::string encoding;
  std::string title;         // an explicit title (HTML <title>, form name), "" if none
  std::string date;          // an explicit date (form "submitted"), "" if none
  std::string organisation;  // web-form exports
  std::vector<std::string> warnings;
  RedactionCounts redactions;  // made by the reader itself (form contact fields)
  // Text formats set byte spans into the decoded file; the others leave this
  // false and AssignSpans() defines their decoded text as the blocks' texts
  // joined by blank lines.
  bool spans_assigned = false;
};

// .txt (markdown = false) and .md (markdown = true).
Result<ReaderOutput> ReadPlainText(std::string_view bytes, bool markdown);
// .html via libxml2's HTML parser.
Result<ReaderOutput> ReadHtml(std::string_view bytes);
// .docx via libzip + pugixml; refuses archives inflating past max_unpacked_bytes.
Result<ReaderOutput> ReadDocx(std::string_view bytes, std::uintmax_t max_unpacked_bytes);
// .pdf via poppler-cpp.
Result<ReaderOutput> ReadPdf(std::string_view bytes);
// .json web-form exports (schema in docs/ingest.md).
Result<ReaderOutput> ReadJsonForm(std::string_view bytes);

// For readers without byte spans: validates and NFC-normalises each block's
// text and gives it the span it has in the blocks' texts joined by "\n\n".
void AssignSpans(ReaderOutput* output);

}  // namespace samrad::ingest

#endif  // SAMRAD_INGEST_BLOCKS_H_
