#include "analysis/themes/framework.h"

#include <nlohmann/json.hpp>

#include <set>

#include "base/files.h"

namespace samrad::themes {
namespace {

using Json = nlohmann::json;

bool ValidId(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

Status StringField(const Json& area, const char* field, std::string* out, bool required,
                   const std::string& where) {
  auto it = area.find(field);
  if (it == area.end() || it->is_null()) {
    if (required) return Status::DataError(where + ": missing field \"" + field + "\"");
    return Status::Ok();
  }
  if (!it->is_string()) {
    return Status::DataError(where + ": field \"" + field + "\" must be a string, not " +
                             it->type_name());
  }
  *out = it->get<std::string>();
  if (required && out->empty()) {
    return Status::DataError(where + ": field \"" + field + "\" is empty");
  }
  return Status::Ok();
}

}  // namespace

int Framework::Find(std::string_view area_id) const {
  for (size_t i = 0; i < areas.size(); ++i) {
    if (areas[i].id == area_id) return static_cast<int>(i);
  }
  return -1;
}

std::vector<int> Framework::Ancestors(int area) const {
  std::vector<int> out;
  int cur = area;
  // Validation guarantees no cycles; the bound is a second guard.
  while (cur >= 0 && out.size() < areas.size()) {
    cur = areas[static_cast<size_t>(cur)].parent.empty()
              ? -1
              : Find(areas[static_cast<size_t>(cur)].parent);
    if (cur >= 0) out.push_back(cur);
  }
  return out;
}

Result<Framework> ParseFramework(std::string_view json_text, std::string_view source) {
  const std::string src(source);
  Json root;
  try {
    root = Json::parse(json_text);
  } catch (const Json::exception& e) {
    return Status::DataError(src + ": not valid JSON: " + e.what());
  }
  if (!root.is_object()) return Status::DataError(src + ": the framework must be a JSON object");
  Framework fw;
  SAMRAD_RETURN_IF_ERROR(StringField(root, "id", &fw.id, false, src));
  SAMRAD_RETURN_IF_ERROR(StringField(root, "name", &fw.name, false, src));
  auto areas = root.find("areas");
  if (areas == root.end()) return Status::DataError(src + ": missing field \"areas\"");
  if (!areas->is_array()) return Status::DataError(src + ": field \"areas\" must be an array");
  if (areas->empty()) return Status::DataError(src + ": field \"areas\" is empty");
  std::set<std::string> ids;
  for (size_t i = 0; i < areas->size(); ++i) {
    const Json& a = (*areas)[i];
    std::string where = src + ": areas[" + std::to_string(i) + "]";
    if (!a.is_object()) return Status::DataError(where + ": must be an object");
    Area area;
    SAMRAD_RETURN_IF_ERROR(StringField(a, "id", &area.id, true, where));
    if (!ValidId(area.id)) {
      return Status::DataError(where + ": field \"id\" \"" + area.id +
                               "\" may only hold a-z, 0-9 and '-'");
    }
    where += " (" + area.id + ")";
    if (!ids.insert(area.id).second) {
      return Status::DataError(where + ": duplicate area id \"" + area.id + "\"");
    }
    SAMRAD_RETURN_IF_ERROR(StringField(a, "name", &area.name, true, where));
    SAMRAD_RETURN_IF_ERROR(StringField(a, "description", &area.description, true, where));
    SAMRAD_RETURN_IF_ERROR(StringField(a, "parent", &area.parent, false, where));
    auto seeds = a.find("seed_terms");
    if (seeds == a.end()) return Status::DataError(where + ": missing field \"seed_terms\"");
    if (!seeds->is_array()) {
      return Status::DataError(where + ": field \"seed_terms\" must be an array of strings");
    }
    if (seeds->empty()) return Status::DataError(where + ": field \"seed_terms\" is empty");
    for (const Json& s : *seeds) {
      if (!s.is_string() || s.get<std::string>().empty()) {
        return Status::DataError(where + ": field \"seed_terms\" must hold non-empty strings");
      }
      area.seed_terms.push_back(s.get<std::string>());
    }
    fw.areas.push_back(std::move(area));
  }
  for (const Area& a : fw.areas) {
    if (a.parent.empty()) continue;
    if (a.parent == a.id || fw.Find(a.parent) < 0) {
      return Status::DataError(src + ": area \"" + a.id + "\": field \"parent\" names no other area (\"" +
                               a.parent + "\")");
    }
  }
  for (size_t i = 0; i < fw.areas.size(); ++i) {
    // Walk up; more steps than areas means a cycle.
    int cur = static_cast<int>(i);
    for (size_t steps = 0; cur >= 0; ++steps) {
      if (steps > fw.areas.size()) {
        return Status::DataError(src + ": area \"" + fw.areas[i].id + "\": parents form a cycle");
      }
      const std::string& p = fw.areas[static_cast<size_t>(cur)].parent;
      cur = p.empty() ? -1 : fw.Find(p);
    }
  }
  return fw;
}

Result<Framework> LoadFramework(const std::filesystem::path& path) {
  Result<std::string> text = ReadFile(path, 16 << 20);
  if (!text.ok()) return text.status();
  return ParseFramework(*text, path.string());
}

}  // namespace samrad::themes
