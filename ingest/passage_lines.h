// Internal to samrad_ingest: reading the previous run's passages.jsonl without
// building JSON objects, so that an unchanged document's lines can be copied
// verbatim (docs/ingest.md, "Incremental runs").
#ifndef SAMRAD_INGEST_PASSAGE_LINES_H_
#define SAMRAD_INGEST_PASSAGE_LINES_H_

#include <string>
#include <string_view>

#include "base/model.h"

namespace samrad::ingest {

// One line of passages.jsonl as Ingest() writes it (ToJson(Passage): keys in
// their fixed order, no spaces) starts
//
//   {"id":"doc/a.md#0003","doc_id":"doc/a.md","ordinal":3,...
//
// Reads the doc id from that head, decoded like any JSON string (a path with
// a quote or a backslash is escaped in the file). Returns false when there is
// no such head. `ordinal` is the number after "ordinal", or -1 when it is not
// there as written or the line does not end in '}'.
bool ReadPassageHead(std::string_view line, std::string& doc_id, long& ordinal);

// True when `text` is exactly one JSON value (RFC 8259: strings valid UTF-8,
// no raw control characters, valid escapes; nesting at most 64 deep), with
// only white space around it. No allocation; about as fast as reading the
// bytes. Agrees with nlohmann::json::accept() except that "\u" escapes of
// unpaired surrogates are accepted.
bool IsJsonText(std::string_view text);

// One line of documents.jsonl in exactly the shape ToJson(Document) writes
// (keys in their order, no spaces, counts of at most 9 digits) -> the
// Document, as DocumentFromJson would give it, without building a JSON tree.
// Returns false for anything else (also for lines DocumentFromJson would
// refuse): then parse the line with nlohmann and DocumentFromJson.
bool ReadDocumentLine(std::string_view line, Document* document);

}  // namespace samrad::ingest

#endif  // SAMRAD_INGEST_PASSAGE_LINES_H_
