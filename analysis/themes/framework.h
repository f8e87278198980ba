// The strategy framework: the areas that passages are sorted against.
//
// The framework is data (a JSON file such as corpus/framework/vg2030.json);
// nothing in samrad's code names an area. Format:
//
//   {
//     "id": "vg-rus-2030",                 // optional
//     "name": "…",                          // optional
//     "areas": [
//       {"id": "kunskapsregion", "name": "En ledande kunskapsregion",
//        "description": "…", "seed_terms": ["kunskap", "forskning"]},
//       {"id": "styrkeomraden", "parent": "kunskapsregion", …}
//     ]
//   }
//
// Rules (each violation is refused with a message naming the area and field):
// every area has a non-empty string id of [a-z0-9-] characters, unique; a
// non-empty name and description; a non-empty list of non-empty seed terms;
// a parent, if given, names another area of the file, and parents form no cycle.
#ifndef SAMRAD_ANALYSIS_THEMES_FRAMEWORK_H_
#define SAMRAD_ANALYSIS_THEMES_FRAMEWORK_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace samrad::themes {

struct Area {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> seed_terms;
  std::string parent;  // "" for a top-level area
};

struct Framework {
  std::string id;
  std::string name;
  std::vector<Area> areas;  // in file order

  // Index of the area with this id, or -1.
  int Find(std::string_view area_id) const;
  // The area's ancestors, nearest first.
  std::vector<int> Ancestors(int area) const;
};

// Parses and validates a framework; `source` names the file in messages.
Result<Framework> ParseFramework(std::string_view json_text, std::string_view source);
Result<Framework> LoadFramework(const std::filesystem::path& path);

}  // namespace samrad::themes

#endif  // SAMRAD_ANALYSIS_THEMES_FRAMEWORK_H_
