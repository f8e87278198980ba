// Internal to samrad_ingest: reading the previous run's passages.jsonl without
// building JSON objects, so that an unchanged document's lines can be copied
// verbatim (docs/ingest.md, "Incremental runs").
#ifndef SAMRAD_INGEST_PASSAGE_LINES_H_
#define SAMRAD_INGEST_PASSAGE_LINES_H_

#include <string>
#include <string_view>

namespace samrad::ingest {

// One line of passages.jsonl as Ingest() writes it (ToJson(Passage): keys in
// their fixed order) starts
//
//   {"id":"doc/a.md#0003","doc_id":"doc/a.md","ordinal":3,...
//
// Reads the doc id and the ordinal from that head and checks that the whole
// line is one JSON value, in one pass of nlohmann's SAX parser (a line that
// is copied to the next run's file must be whole). Returns false when the
// line does not start with an "id" and a "doc_id" string; `ordinal` is -1
// when the third key is not an integer "ordinal", and then the rest of the
// line is not read and `valid` is false.
bool ReadPassageLine(std::string_view line, std::string& doc_id, long& ordinal, bool& valid);

}  // namespace samrad::ingest

#endif  // SAMRAD_INGEST_PASSAGE_LINES_H_
