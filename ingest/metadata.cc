#include "ingest/metadata.h"

#include <re2/re2.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

#include "ingest/encoding.h"

namespace samrad::ingest {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 3> kKinds = {"seminar", "remiss", "other"};
constexpr std::array<std::string_view, 8> kActorGroups = {
    "kommun",  "kommunalförbund", "region",        "myndighet",
    "akademi", "näringsliv",      "civilsamhälle", "blandat"};
constexpr std::array<std::string_view, 5> kSubregions = {"Fyrbodal", "Skaraborg", "Sjuhärad",
                                                         "Göteborgsregionen", "hela regionen"};

template <size_t N>
std::string JoinVocabulary(const std::array<std::string_view, N>& words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

template <size_t N>
bool InVocabulary(const std::array<std::string_view, N>& words, const std::string& value) {
  return std::find(words.begin(), words.end(), value) != words.end();
}

bool IsDate(const std::string& s) {
  static const re2::RE2 kDate("(\\d{4})-(\\d{2})-(\\d{2})");
  int y = 0, m = 0, d = 0;
  if (!re2::RE2::FullMatch(s, kDate, &y, &m, &d)) return false;
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m >= 1 && m <= 12 && d >= 1 && d <= kDays[static_cast<size_t>(m - 1)];
}

}  // namespace

Result<DocumentMeta> MetaFromSidecarJson(const Json& object, const std::string& where) {
  if (!object.is_object()) {
    return Status::DataError(where + ": expected a JSON object, got " + object.type_name());
  }
  DocumentMeta meta;
  const std::array<std::pair<const char*, std::string*>, 8> fields = {{
      {"kind", &meta.kind},
      {"title", &meta.title},
      {"date", &meta.date},
      {"organisation", &meta.organisation},
      {"actor_group", &meta.actor_group},
      {"subregion", &meta.subregion},
      {"forum", &meta.forum},
      {"municipality", &meta.municipality},
  }};
  for (const auto& [key, value] : object.items()) {
    const auto it = std::find_if(fields.begin(), fields.end(),
                                 [&key = key](const auto& f) { return key == f.first; });
    if (it == fields.end()) {
      return Status::DataError(where + ": unknown field \"" + key + "\"");
    }
    if (!value.is_string()) {
      return Status::DataError(where + ": field \"" + key + "\" must be a string, not " +
                               value.type_name());
    }
    *it->second = value.get<std::string>();
  }
  if (meta.kind.empty()) return Status::DataError(where + ": missing field \"kind\"");
  if (!InVocabulary(kKinds, meta.kind)) {
    return Status::DataError(where + ": field \"kind\": \"" + meta.kind + "\" is not one of " +
                             JoinVocabulary(kKinds));
  }
  if (!meta.date.empty() && !IsDate(meta.date)) {
    return Status::DataError(where + ": field \"date\": \"" + meta.date +
                             "\" is not a date (YYYY-MM-DD)");
  }
  if (!meta.actor_group.empty() && !InVocabulary(kActorGroups, meta.actor_group)) {
    return Status::DataError(where + ": field \"actor_group\": \"" + meta.actor_group +
                             "\" is not one of " + JoinVocabulary(kActorGroups));
  }
  if (!meta.subregion.empty() && !InVocabulary(kSubregions, meta.subregion)) {
    return Status::DataError(where + ": field \"subregion\": \"" + meta.subregion +
                             "\" is not one of " + JoinVocabulary(kSubregions));
  }
  // Sidecars are UTF-8 written by people; compare and store them as NFC.
  for (const auto& field : fields) *field.second = ToNfc(*field.second);
  return meta;
}

Result<DocumentMeta> ParseSidecar(std::string_view bytes, const std::string& where) {
  Json json;
  try {
    json = Json::parse(DecodeUtf8(bytes).text);
  } catch (const Json::parse_error& e) {
    return Status::DataError(where + ": not valid JSON (syntax error at byte " +
                             std::to_string(e.byte) + ")");
  } catch (const Json::exception&) {
    return Status::DataError(where + ": not valid JSON (a number out of range)");
  }
  return MetaFromSidecarJson(json, where);
}

Result<std::map<std::string, Result<DocumentMeta>>> ParseManifest(std::string_view bytes) {
  const std::string where(kManifestName);
  // Each entry of "documents" is validated as soon as the parser has it and
  // then dropped from the tree, so a manifest of 20,000 documents is never a
  // tree of 20,000 objects (a nightly run reads it every time).
  std::map<std::string, Result<DocumentMeta>> out;
  std::string top_key, doc_id;
  bool in_documents = false;  // inside the "documents" object
  auto entry = [&](int depth, Json::parse_event_t event, Json& parsed) -> bool {
    using Event = Json::parse_event_t;
    if (depth == 1 && event == Event::key) top_key = parsed.get<std::string>();
    if (depth == 1 && event == Event::object_start && top_key == "documents") {
      in_documents = true;
      out.clear();  // a repeated "documents": the last one counts
    }
    if (depth == 1 && event == Event::object_end) in_documents = false;
    if (!in_documents || depth != 2) return true;
    if (event == Event::key) {
      doc_id = ToNfc(parsed.get<std::string>());
      return true;
    }
    if (event == Event::value || event == Event::object_end || event == Event::array_end) {
      out.insert_or_assign(
          doc_id, MetaFromSidecarJson(parsed, where + ": documents.\"" + doc_id + "\""));
      return false;  // not kept in the tree
    }
    return true;
  };
  Json json;
  try {
    json = IsDecodedUtf8(bytes) ? Json::parse(bytes, entry)
                                : Json::parse(DecodeUtf8(bytes).text, entry);
  } catch (const Json::parse_error& e) {
    return Status::DataError(where + ": not valid JSON (syntax error at byte " +
                             std::to_string(e.byte) + ")");
  } catch (const Json::exception&) {
    // A number too large for a double is out_of_range, not a parse_error.
    return Status::DataError(where + ": not valid JSON (a number out of range)");
  }
  if (!json.is_object()) return Status::DataError(where + ": expected a JSON object");
  for (const auto& [key, value] : json.items()) {
    if (key != "documents") return Status::DataError(where + ": unknown field \"" + key + "\"");
  }
  const auto docs = json.find("documents");
  if (docs == json.end()) return Status::DataError(where + ": missing field \"documents\"");
  if (!docs->is_object()) {
    return Status::DataError(where + ": field \"documents\" must be an object, not " +
                             docs->type_name());
  }
  return out;
}

DocumentMeta ResolveMeta(const DocumentMeta* given, const ParsedDocument& parsed) {
  DocumentMeta meta;
  if (given != nullptr) meta = *given;
  if (meta.kind.empty()) {
    meta.kind = "other";
    meta.inferred.push_back("kind");
  }
  if (meta.title.empty() && !parsed.title.empty()) {
    meta.title = parsed.title;
    meta.inferred.push_back("title");
  }
  if (meta.date.empty() && !parsed.date.empty()) {
    meta.date = parsed.date;
    meta.inferred.push_back("date");
  }
  if (meta.organisation.empty() && !parsed.organisation.empty()) {
    meta.organisation = parsed.organisation;
    meta.inferred.push_back("organisation");
  }
  std::sort(meta.inferred.begin(), meta.inferred.end());
  return meta;
}

DocumentMeta GivenPart(DocumentMeta meta) {
  for (const std::string& field : meta.inferred) {
    if (field == "kind") meta.kind.clear();
    if (field == "title") meta.title.clear();
    if (field == "date") meta.date.clear();
    if (field == "organisation") meta.organisation.clear();
  }
  meta.inferred.clear();
  return meta;
}

}  // namespace samrad::ingest
