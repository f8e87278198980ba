#include "base/model.h"

#include <nlohmann/json.hpp>

#include "base/json_line.h"

namespace samrad {
namespace {

using Json = nlohmann::ordered_json;

// Reads an optional field of type T; a present field of the wrong type is an
// error naming the field.
template <typename T>
Status Get(const Json& json, const char* field, T* out, bool required = false) {
  const auto it = json.find(field);
  if (it == json.end() || it->is_null()) {
    if (required) return Status::DataError(std::string("missing field \"") + field + "\"");
    return Status::Ok();
  }
  try {
    *out = it->template get<T>();
  } catch (const nlohmann::json::exception&) {
    return Status::DataError(std::string("field \"") + field + "\" has the wrong type (" +
                             it->type_name() + ")");
  }
  return Status::Ok();
}

Status MetaFromJson(const Json& json, DocumentMeta* meta) {
  if (!json.is_object()) return Status::DataError("\"meta\" is not an object");
  SAMRAD_RETURN_IF_ERROR(Get(json, "kind", &meta->kind, true));
  SAMRAD_RETURN_IF_ERROR(Get(json, "title", &meta->title));
  SAMRAD_RETURN_IF_ERROR(Get(json, "date", &meta->date));
  SAMRAD_RETURN_IF_ERROR(Get(json, "organisation", &meta->organisation));
  SAMRAD_RETURN_IF_ERROR(Get(json, "actor_group", &meta->actor_group));
  SAMRAD_RETURN_IF_ERROR(Get(json, "subregion", &meta->subregion));
  SAMRAD_RETURN_IF_ERROR(Get(json, "forum", &meta->forum));
  SAMRAD_RETURN_IF_ERROR(Get(json, "municipality", &meta->municipality));
  SAMRAD_RETURN_IF_ERROR(Get(json, "inferred", &meta->inferred));
  return Status::Ok();
}

}  // namespace

Json ToJson(const DocumentMeta& meta) {
  Json j;
  j["kind"] = meta.kind;
  j["title"] = meta.title;
  j["date"] = meta.date;
  j["organisation"] = meta.organisation;
  j["actor_group"] = meta.actor_group;
  j["subregion"] = meta.subregion;
  j["forum"] = meta.forum;
  j["municipality"] = meta.municipality;
  j["inferred"] = meta.inferred;
  return j;
}

Json ToJson(const Passage& p) {
  Json j;
  j["id"] = p.id;
  j["doc_id"] = p.doc_id;
  j["ordinal"] = p.ordinal;
  j["type"] = p.type;
  j["section"] = p.section;
  j["speaker_role"] = p.speaker_role;
  j["speaker_org"] = p.speaker_org;
  j["question"] = p.question;
  j["text"] = p.text;
  Json loc;
  loc["line_start"] = p.locator.line_start;
  loc["line_end"] = p.locator.line_end;
  loc["page"] = p.locator.page;
  loc["byte_start"] = p.locator.byte_start;
  loc["byte_end"] = p.locator.byte_end;
  j["locator"] = std::move(loc);
  return j;
}

Document DisplayFields(Document&& d) {
  Document kept;
  kept.id = std::move(d.id);
  kept.meta.kind = std::move(d.meta.kind);
  kept.meta.title = std::move(d.meta.title);
  kept.meta.date = std::move(d.meta.date);
  kept.meta.organisation = std::move(d.meta.organisation);
  kept.meta.actor_group = std::move(d.meta.actor_group);
  kept.meta.subregion = std::move(d.meta.subregion);
  kept.meta.forum = std::move(d.meta.forum);
  return kept;
}

Json ToJson(const Document& d) {
  Json j;
  j["id"] = d.id;
  j["format"] = d.format;
  j["source_hash"] = d.source_hash;
  j["source_encoding"] = d.source_encoding;
  j["meta"] = ToJson(d.meta);
  j["passage_count"] = d.passage_count;
  Json red = Json::object();
  for (const auto& [type, count] : d.redactions) red[type] = count;
  j["redactions"] = std::move(red);
  return j;
}

Result<Passage> PassageFromJson(const Json& json) {
  if (!json.is_object()) return Status::DataError("passage is not a JSON object");
  Passage p;
  SAMRAD_RETURN_IF_ERROR(Get(json, "id", &p.id, true));
  SAMRAD_RETURN_IF_ERROR(Get(json, "doc_id", &p.doc_id, true));
  SAMRAD_RETURN_IF_ERROR(Get(json, "ordinal", &p.ordinal, true));
  SAMRAD_RETURN_IF_ERROR(Get(json, "type", &p.type));
  SAMRAD_RETURN_IF_ERROR(Get(json, "section", &p.section));
  SAMRAD_RETURN_IF_ERROR(Get(json, "speaker_role", &p.speaker_role));
  SAMRAD_RETURN_IF_ERROR(Get(json, "speaker_org", &p.speaker_org));
  SAMRAD_RETURN_IF_ERROR(Get(json, "question", &p.question));
  SAMRAD_RETURN_IF_ERROR(Get(json, "text", &p.text, true));
  if (auto it = json.find("locator"); it != json.end() && it->is_object()) {
    SAMRAD_RETURN_IF_ERROR(Get(*it, "line_start", &p.locator.line_start));
    SAMRAD_RETURN_IF_ERROR(Get(*it, "line_end", &p.locator.line_end));
    SAMRAD_RETURN_IF_ERROR(Get(*it, "page", &p.locator.page));
    SAMRAD_RETURN_IF_ERROR(Get(*it, "byte_start", &p.locator.byte_start));
    SAMRAD_RETURN_IF_ERROR(Get(*it, "byte_end", &p.locator.byte_end));
  }
  return p;
}

namespace {

bool ReadLocator(simdjson::dom::element v, SourceLocator* out) {
  simdjson::dom::object object;
  if (v.get_object().get(object) != simdjson::SUCCESS) return false;
  unsigned seen = 0;
  for (simdjson::dom::key_value_pair field : object) {
    unsigned bit = 0;
    bool ok = false;
    if (field.key == "line_start") {
      bit = 1, ok = JsonInt(field.value, &out->line_start);
    } else if (field.key == "line_end") {
      bit = 2, ok = JsonInt(field.value, &out->line_end);
    } else if (field.key == "page") {
      bit = 4, ok = JsonInt(field.value, &out->page);
    } else if (field.key == "byte_start") {
      bit = 8, ok = JsonUint64(field.value, &out->byte_start);
    } else if (field.key == "byte_end") {
      bit = 16, ok = JsonUint64(field.value, &out->byte_end);
    }
    if (!ok || (seen & bit)) return false;
    seen |= bit;
  }
  return true;
}

}  // namespace

bool ReadPassageLineFast(std::string_view line, Passage* out) {
  simdjson::dom::object object;
  if (ParseJsonLine(line).get_object().get(object) != simdjson::SUCCESS) return false;
  *out = Passage();
  unsigned seen = 0;
  for (simdjson::dom::key_value_pair field : object) {
    unsigned bit = 0;
    bool ok = false;
    const std::string_view key = field.key;
    if (key == "id") {
      bit = 1, ok = JsonString(field.value, &out->id);
    } else if (key == "doc_id") {
      bit = 2, ok = JsonString(field.value, &out->doc_id);
    } else if (key == "ordinal") {
      bit = 4, ok = JsonInt(field.value, &out->ordinal);
    } else if (key == "type") {
      bit = 8, ok = JsonString(field.value, &out->type);
    } else if (key == "section") {
      bit = 16, ok = JsonString(field.value, &out->section);
    } else if (key == "speaker_role") {
      bit = 32, ok = JsonString(field.value, &out->speaker_role);
    } else if (key == "speaker_org") {
      bit = 64, ok = JsonString(field.value, &out->speaker_org);
    } else if (key == "question") {
      bit = 128, ok = JsonString(field.value, &out->question);
    } else if (key == "text") {
      bit = 256, ok = JsonString(field.value, &out->text);
    } else if (key == "locator") {
      bit = 512, ok = ReadLocator(field.value, &out->locator);
    }
    // A key twice: nlohmann keeps the last, this reader would keep both.
    if (!ok || (seen & bit)) return false;
    seen |= bit;
  }
  constexpr unsigned kRequired = 1 | 2 | 4 | 256;  // id, doc_id, ordinal, text
  return (seen & kRequired) == kRequired;
}

Result<Document> DocumentFromJson(const Json& json) {
  if (!json.is_object()) return Status::DataError("document is not a JSON object");
  Document d;
  SAMRAD_RETURN_IF_ERROR(Get(json, "id", &d.id, true));
  SAMRAD_RETURN_IF_ERROR(Get(json, "format", &d.format, true));
  SAMRAD_RETURN_IF_ERROR(Get(json, "source_hash", &d.source_hash, true));
  SAMRAD_RETURN_IF_ERROR(Get(json, "source_encoding", &d.source_encoding));
  SAMRAD_RETURN_IF_ERROR(Get(json, "passage_count", &d.passage_count));
  if (auto it = json.find("meta"); it != json.end()) {
    SAMRAD_RETURN_IF_ERROR(MetaFromJson(*it, &d.meta).WithContext("meta"));
  } else {
    return Status::DataError("missing field \"meta\"");
  }
  if (auto it = json.find("redactions"); it != json.end() && it->is_object()) {
    for (const auto& [k, v] : it->items()) {
      if (!v.is_number_integer()) return Status::DataError("redactions." + k + " is not an integer");
      d.redactions[k] = v.get<int>();
    }
  }
  return d;
}

}  // namespace samrad
