// Internal to samrad_ingest: document metadata from sidecars and the manifest.
//
// A sidecar `X.ext.meta.json` next to `X.ext`, or an entry of the corpus-level
// `samrad-manifest.json` ({"documents": {"<doc id>": {...}}}); a sidecar wins.
// Schema (docs/ingest.md): an object with only these string fields:
//   kind          required: "seminar" | "remiss" | "other"
//   title         optional (inferred from the first heading when absent)
//   date          optional "YYYY-MM-DD" (inferred from the text when absent)
//   organisation  optional
//   actor_group   optional: kommun, kommunalförbund, region, myndighet, akademi,
//                 näringsliv, civilsamhälle, blandat
//   subregion     optional: Fyrbodal, Skaraborg, Sjuhärad, Göteborgsregionen,
//                 hela regionen
//   forum         optional (seminars)
//   municipality  optional
// An empty string is the same as an absent field. Anything else (an unknown
// field, a wrong type, a value outside a vocabulary, a malformed date) is an
// error naming the file and the field.
#ifndef SAMRAD_INGEST_METADATA_H_
#define SAMRAD_INGEST_METADATA_H_

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "base/model.h"
#include "base/status.h"
#include "ingest/ingest.h"

namespace samrad::ingest {

inline constexpr std::string_view kSidecarSuffix = ".meta.json";
inline constexpr std::string_view kManifestName = "samrad-manifest.json";

// Validates one metadata object; `where` names it in errors
// ("remiss/r01.md.meta.json", "samrad-manifest.json: documents.\"remiss/r01.md\"").
Result<DocumentMeta> MetaFromSidecarJson(const nlohmann::json& object, const std::string& where);

// Parses a sidecar file's bytes.
Result<DocumentMeta> ParseSidecar(std::string_view bytes, const std::string& where);

// Parses the manifest: doc id (NFC) -> its validated metadata, or the error
// naming the entry ("samrad-manifest.json: documents.\"a.md\": ..."), which
// fails that document only when it exists. An error for the whole manifest
// (not JSON, no "documents" object, another top-level field) means no entry
// is used.
Result<std::map<std::string, Result<DocumentMeta>>> ParseManifest(std::string_view bytes);

// The final metadata of a document: what was given, with title, date,
// organisation and (when nothing was given) kind filled in from the parse and
// listed in `inferred`.
DocumentMeta ResolveMeta(const DocumentMeta* given, const ParsedDocument& parsed);

// The part of a resolved DocumentMeta that came from metadata files (inferred
// fields cleared), for change detection.
DocumentMeta GivenPart(DocumentMeta meta);

}  // namespace samrad::ingest

#endif  // SAMRAD_INGEST_METADATA_H_
