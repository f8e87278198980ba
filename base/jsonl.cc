#include "base/jsonl.h"

namespace samrad {

Status ForEachJsonLine(std::istream& in, const std::string& source_name,
                       const std::function<Status(const JsonLine& line)>& fn) {
  std::string text;
  JsonLine line;
  for (int n = 1; std::getline(in, text); ++n) {
    if (CollapseSpace(text).empty()) continue;
    line.number = n;
    line.where = source_name + ":" + std::to_string(n);
    line.object = nlohmann::ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (line.object.is_discarded()) return Status::DataError(line.where + ": not valid JSON");
    if (!line.object.is_object()) {
      return Status::DataError(line.where + ": each line must be a JSON object");
    }
    SAMRAD_RETURN_IF_ERROR(fn(line));
  }
  return Status::Ok();
}

std::string CollapseSpace(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

}  // namespace samrad
