// Facet groups and labels: what the filters of the page and the API show.
#include <algorithm>
#include <cctype>

#include "serve/view.h"

namespace samrad::serve::internal {
namespace {

// Filter values match case-insensitively in the index; the page does the same
// when it decides which checkbox is ticked (ASCII only: å/ä/ö are letters of
// their own and never folded).
std::string AsciiLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool Contains(const std::vector<std::string>& list, const std::string& v) {
  const std::string lv = AsciiLower(v);
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& x) { return AsciiLower(x) == lv; });
}

// "näringsliv" -> "Näringsliv"; a value that starts with a non-ASCII letter
// is shown as it is.
std::string Capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

const std::map<std::string, std::uint64_t>& CountsOf(const FacetCounts& counts,
                                                     const std::string& key) {
  static const std::map<std::string, std::uint64_t> kNone;
  auto it = counts.find(key);
  return it == counts.end() ? kNone : it->second;
}

std::uint64_t CountOf(const std::map<std::string, std::uint64_t>& m, const std::string& value) {
  auto it = m.find(value);
  if (it != m.end()) return it->second;
  const std::string lv = AsciiLower(value);
  for (const auto& [k, n] : m) {
    if (AsciiLower(k) == lv) return n;
  }
  return 0;
}

// Values that the index counted, plus selected ones it did not (so a planner
// can untick a filter that matches nothing now), sorted by label.
FacetGroup FromCounts(const std::string& param, const std::string& legend,
                      const std::map<std::string, std::uint64_t>& counts,
                      const std::vector<std::string>& selected,
                      std::string (*label)(const std::string&)) {
  FacetGroup g{param, legend, {}};
  for (const auto& [value, n] : counts) {
    g.values.push_back({value, label(value), n, Contains(selected, value), 0});
  }
  for (const std::string& s : selected) {
    if (CountOf(counts, s) == 0) g.values.push_back({s, label(s), 0, true, 0});
  }
  std::stable_sort(g.values.begin(), g.values.end(), [](const FacetValue& a, const FacetValue& b) {
    return AsciiLower(a.label) < AsciiLower(b.label);
  });
  return g;
}

std::string ActorLabel(const std::string& v) { return Capitalised(v); }
std::string PlainLabel(const std::string& v) { return v; }
std::string KindLabelOf(const std::string& v) { return KindLabel(v); }

}  // namespace

std::string Catalog::AreaName(const std::string& id) const {
  for (const AreaInfo& a : areas) {
    if (a.id == id) return a.name;
  }
  return id;
}

bool Catalog::HasArea(const std::string& id) const {
  return std::any_of(areas.begin(), areas.end(), [&](const AreaInfo& a) { return a.id == id; });
}

std::string Catalog::ThemeLabel(const std::string& id) const {
  auto it = theme_labels.find(id);
  if (it == theme_labels.end() || it->second.empty()) return "Tema " + id;
  return "Tema " + id + ": " + it->second;
}

std::string KindLabel(const std::string& kind) {
  const std::string k = AsciiLower(kind);
  if (k == "seminar") return "Dialogseminarium";
  if (k == "remiss") return "Remissvar";
  if (k == "other") return "Övrigt";
  return kind;
}

bool SearchView::TotalApproximate() const {
  return response && response->total_lower != response->total_upper;
}

bool SearchView::FacetsApproximate() const {
  return std::any_of(groups.begin(), groups.end(), [](const FacetGroup& g) { return g.approximate; }) ||
         std::any_of(years.begin(), years.end(), [](const YearCount& y) { return y.approximate; });
}

std::vector<FacetGroup> BuildFacetGroups(const Params& params, const FacetCounts& counts,
                                         const Catalog& catalog,
                                         const std::set<std::string>& approximate) {
  std::vector<FacetGroup> groups;

  // Strategy areas: every area of the framework, in its order, so planners
  // see the whole structure even where nothing matches.
  FacetGroup areas{"area", "Strategiområde", {}};
  const auto& area_counts = CountsOf(counts, "area");
  for (const AreaInfo& a : catalog.areas) {
    areas.values.push_back(
        {a.id, a.name, CountOf(area_counts, a.id), Contains(params.areas, a.id), a.depth});
  }
  for (const auto& [id, n] : area_counts) {  // areas the framework no longer names
    if (!catalog.HasArea(id)) areas.values.push_back({id, id, n, Contains(params.areas, id), 0});
  }
  groups.push_back(std::move(areas));

  // Emergent themes, by number.
  FacetGroup themes{"theme", "Framväxande tema", {}};
  const auto& theme_counts = CountsOf(counts, "theme");
  std::vector<std::string> ids;
  for (const auto& [id, n] : theme_counts) ids.push_back(id);
  for (const std::string& s : params.themes) {
    if (std::find(ids.begin(), ids.end(), s) == ids.end()) ids.push_back(s);
  }
  std::sort(ids.begin(), ids.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  for (const std::string& id : ids) {
    themes.values.push_back(
        {id, catalog.ThemeLabel(id), CountOf(theme_counts, id), Contains(params.themes, id), 0});
  }
  groups.push_back(std::move(themes));

  groups.push_back(
      FromCounts("actor", "Aktörsgrupp", CountsOf(counts, "actor"), params.actors, ActorLabel));
  groups.push_back(
      FromCounts("region", "Delregion", CountsOf(counts, "region"), params.regions, PlainLabel));
  groups.push_back(
      FromCounts("kind", "Typ av underlag", CountsOf(counts, "kind"), params.kinds, KindLabelOf));
  for (FacetGroup& g : groups) g.approximate = approximate.count(g.param) > 0;
  return groups;
}

}  // namespace samrad::serve::internal
