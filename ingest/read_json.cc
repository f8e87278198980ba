// .json web-form exports -> one answer block per answer.
//
// Schema (docs/ingest.md has it with an example):
//   {"form": string, "exported": string,
//    "submission": {"organisation": string, "submitted": "YYYY-MM-DD",
//                   "contact": {"name": string, "email": string, "phone": string},
//                   "answers": [{"question_id": string, "question": string,
//                                "answer": string}, ...]}}
// "submission" and "answers" are required, and each answer's "question" and
// "answer"; other fields are optional; unknown fields are ignored. A field of
// the wrong type is a DataError naming its path ("submission.answers[2].answer").
// The contact fields are personal data: they are never copied, only counted as
// redactions, and any verbatim occurrence of them in an answer is replaced.
#include <re2/re2.h>
#include <nlohmann/json.hpp>

#include "ingest/blocks.h"
#include "ingest/encoding.h"

namespace samrad::ingest {
namespace {

using Json = nlohmann::json;

Status WrongType(const std::string& path, const char* expected, const Json& value) {
  return Status::DataError(path + ": expected " + expected + ", got " + value.type_name());
}

// Reads an optional (or required) string field of `object`.
Status GetString(const Json& object, const char* key, const std::string& path, bool required,
                 std::string* out) {
  const auto it = object.find(key);
  const std::string where = path.empty() ? key : path + "." + key;
  if (it == object.end() || it->is_null()) {
    if (required) return Status::DataError(where + ": missing");
    return Status::Ok();
  }
  if (!it->is_string()) return WrongType(where, "a string", *it);
  *out = it->get<std::string>();
  return Status::Ok();
}

void ReplaceAll(std::string* text, const std::string& needle, std::string_view type,
                RedactionCounts* counts) {
  if (needle.size() < 3) return;
  size_t at = 0;
  while ((at = text->find(needle, at)) != std::string::npos) {
    const std::string placeholder = Placeholder(type);
    text->replace(at, needle.size(), placeholder);
    at += placeholder.size();
    ++(*counts)[std::string(type)];
  }
}

}  // namespace

Result<ReaderOutput> ReadJsonForm(std::string_view bytes) {
  if (bytes.empty()) return Status::DataError("empty file (0 bytes)");
  DecodedText decoded = DecodeUtf8(bytes);
  Json root;
  try {
    root = Json::parse(decoded.text);
  } catch (const Json::parse_error& e) {
    // The library's message may quote the text around the error, which may be
    // personal data: report the position only.
    return Status::DataError("not valid JSON: syntax error at byte " + std::to_string(e.byte));
  } catch (const Json::exception&) {
    // A number too large for a double (out_of_range), found by the fuzzer.
    return Status::DataError("not valid JSON: a number out of range");
  }
  if (!root.is_object()) return WrongType("(top level)", "an object", root);

  ReaderOutput output;
  output.encoding = decoded.encoding;
  output.warnings = std::move(decoded.warnings);
  SAMRAD_RETURN_IF_ERROR(GetString(root, "form", "", false, &output.title));
  std::string exported;
  SAMRAD_RETURN_IF_ERROR(GetString(root, "exported", "", false, &exported));

  const auto submission = root.find("submission");
  if (submission == root.end()) {
    return Status::DataError("submission: missing (not a web-form export)");
  }
  if (!submission->is_object()) return WrongType("submission", "an object", *submission);
  SAMRAD_RETURN_IF_ERROR(
      GetString(*submission, "organisation", "submission", false, &output.organisation));
  std::string submitted;
  SAMRAD_RETURN_IF_ERROR(GetString(*submission, "submitted", "submission", false, &submitted));
  static const re2::RE2 kDate("\\d{4}-\\d{2}-\\d{2}");
  if (re2::RE2::FullMatch(submitted, kDate)) {
    output.date = submitted;
  } else if (!submitted.empty()) {
    output.warnings.push_back("submission.submitted is not a YYYY-MM-DD date; ignored");
  }

  std::vector<std::pair<std::string, std::string_view>> contact;  // value, placeholder type
  if (const auto c = submission->find("contact"); c != submission->end() && !c->is_null()) {
    if (!c->is_object()) return WrongType("submission.contact", "an object", *c);
    for (const auto& [key, type] :
         {std::pair{"name", kNameType}, {"email", kEmailType}, {"phone", kPhoneType}}) {
      std::string value;
      SAMRAD_RETURN_IF_ERROR(GetString(*c, key, "submission.contact", false, &value));
      if (!value.empty()) {
        ++output.redactions[std::string(type)];
        contact.emplace_back(std::move(value), type);
      }
    }
  }

  const auto answers = submission->find("answers");
  if (answers == submission->end()) return Status::DataError("submission.answers: missing");
  if (!answers->is_array()) return WrongType("submission.answers", "an array", *answers);
  for (size_t i = 0; i < answers->size(); ++i) {
    const Json& answer = (*answers)[i];
    const std::string path = "submission.answers[" + std::to_string(i) + "]";
    if (!answer.is_object()) return WrongType(path, "an object", answer);
    Block block;
    block.kind = Block::Kind::kAnswer;
    std::string id;
    SAMRAD_RETURN_IF_ERROR(GetString(answer, "question_id", path, false, &id));
    SAMRAD_RETURN_IF_ERROR(GetString(answer, "question", path, true, &block.question));
    SAMRAD_RETURN_IF_ERROR(GetString(answer, "answer", path, true, &block.text));
    for (const auto& [value, type] : contact) {
      ReplaceAll(&block.text, value, type, &output.redactions);
      ReplaceAll(&block.question, value, type, &output.redactions);
    }
    if (block.text.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    output.blocks.push_back(std::move(block));
  }
  return output;
}

}  // namespace samrad::ingest
