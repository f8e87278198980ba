// The plain data types that flow between samrad's stages.
//
//   corpus files --ingest--> Document + Passage --analysis--> AnalysedPassage
//               --index--> Xapian documents;  --reports--> theme summaries
//
// Each type has a JSON form (one object per line in the state directory's
// .jsonl files) documented with a worked example in docs/data-model.md. Key
// order in the JSON is fixed, so the same data always gives the same bytes.
#ifndef SAMRAD_BASE_MODEL_H_
#define SAMRAD_BASE_MODEL_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"

namespace samrad {

// Metadata of one input document (sidecar JSON, manifest, or inferred).
struct DocumentMeta {
  std::string kind;          // "seminar" | "remiss" | "other"
  std::string title;
  std::string date;          // "YYYY-MM-DD", or "" when unknown
  std::string organisation;
  std::string actor_group;   // kommun, kommunalförbund, region, myndighet, akademi,
                             // näringsliv, civilsamhälle, blandat
  std::string subregion;     // Fyrbodal, Skaraborg, Sjuhärad, Göteborgsregionen, hela regionen
  std::string forum;         // seminars only; may be empty
  std::string municipality;  // optional
  // Names of the fields above that were inferred from the text rather than
  // given in metadata (e.g. "title", "date"), sorted.
  std::vector<std::string> inferred;

  bool operator==(const DocumentMeta&) const = default;
};

// Where a passage came from, so a quote can be traced back to the source.
struct SourceLocator {
  int line_start = 0;  // 1-based line in the decoded text; 0 when not line-based
  int line_end = 0;
  int page = 0;        // 1-based page for PDF; 0 otherwise
  // Byte span of the passage in the document's decoded, normalised text
  // (Document::text_hash identifies that text).
  std::uint64_t byte_start = 0;
  std::uint64_t byte_end = 0;

  bool operator==(const SourceLocator&) const = default;
};

// One unit of what somebody said: a speaker turn, a paragraph, a list item,
// a form answer. Text is valid UTF-8, NFC, with personal data redacted.
struct Passage {
  std::string id;       // "<document id>#<ordinal, 4 digits>", e.g. "seminar/s01.md#0007"
  std::string doc_id;
  int ordinal = 0;      // 0-based position in the document
  std::string type;     // "turn" | "paragraph" | "list_item" | "answer"
  std::string section;  // the nearest heading above, "" if none
  std::string speaker_role;  // turns only: "Kommunchef", "Fråga från salen", ...
  std::string speaker_org;   // turns only: "Lidköping", "Högskolan Väst", ...
  std::string question;      // form answers only: the question asked
  std::string text;
  SourceLocator locator;

  bool operator==(const Passage&) const = default;
};

// One ingested input file.
struct Document {
  std::string id;            // path relative to the corpus folder, '/'-separated
  std::string format;        // "txt" | "md" | "html" | "docx" | "pdf" | "json"
  std::string source_hash;   // ContentHash of the raw file bytes
  std::string source_encoding;  // e.g. "UTF-8", "windows-1252"; binary formats: "binary"
  DocumentMeta meta;
  int passage_count = 0;
  std::map<std::string, int> redactions;  // placeholder type -> count

  bool operator==(const Document&) const = default;
};

// Redacted personal data is replaced by a typed placeholder in passage text:
// "[namn]", "[e-post]", "[telefon]", "[personnummer]". Later stages must not
// treat a placeholder as words a stakeholder said.
inline constexpr const char* kRedactionTypes[] = {"namn", "e-post", "telefon", "personnummer"};

// True when text[start, end) is the type word of a placeholder, i.e. it is
// one of kRedactionTypes and stands between '[' and ']'.
inline bool IsRedactionPlaceholder(std::string_view text, size_t start, size_t end) {
  if (start == 0 || end >= text.size() || end <= start) return false;
  if (text[start - 1] != '[' || text[end] != ']') return false;
  const std::string_view word = text.substr(start, end - start);
  for (const char* t : kRedactionTypes) {
    if (word == t) return true;
  }
  return false;
}

// `document` with only what the later stages show of it: its id and the
// metadata fields kind, title, date, organisation, actor group, subregion
// and forum (#11: the rest, a map of redaction counts among it, was held
// through the index and report stages, ~0.5 KB a document).
Document DisplayFields(Document&& document);

nlohmann::ordered_json ToJson(const DocumentMeta& meta);
nlohmann::ordered_json ToJson(const Passage& passage);
nlohmann::ordered_json ToJson(const Document& document);

// Parse the JSON forms above. Errors name the field and the reason.
Result<Passage> PassageFromJson(const nlohmann::ordered_json& json);

// A line of passages.jsonl in the form ToJson(Passage) gives (keys in any
// order, each once, of its type, no others; "locator" optional), read fast
// (base/json_line.h). False for any other line, `out` then unspecified: the
// caller reads it with PassageFromJson, which gives the same Passage for
// what it accepts and an error naming the field for what it does not.
bool ReadPassageLineFast(std::string_view line, Passage* out);
Result<Document> DocumentFromJson(const nlohmann::ordered_json& json);

}  // namespace samrad

#endif  // SAMRAD_BASE_MODEL_H_
