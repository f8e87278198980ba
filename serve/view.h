// Internal to samrad_serve: what a page or an API answer is made from, and the
// functions that turn it into HTML (pages.cc) or JSON (api.cc). Pure: no I/O,
// no index access; server.cc gathers the data and sends the result.
#ifndef SAMRAD_SERVE_VIEW_H_
#define SAMRAD_SERVE_VIEW_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "index/index.h"
#include "serve/internal.h"

namespace samrad::serve::internal {

extern const char kStylesheet[];
extern const char kScript[];

// What the page knows about the published generation besides the index:
// the names of the strategy areas and the labels of the emergent themes.
struct AreaInfo {
  std::string id;
  std::string name;
  int depth = 0;  // 0 top-level, 1 child, ...
};
struct Catalog {
  std::filesystem::path generation;
  std::vector<AreaInfo> areas;                      // framework order, children after parents
  std::map<std::string, std::string> theme_labels;  // "2" -> "bostäder, hyresrätter, ..."
  std::vector<int> years;                           // the years that have passages, ascending

  std::string AreaName(const std::string& id) const;    // the id when unknown
  std::string ThemeLabel(const std::string& id) const;  // "Tema 2: ..."
  bool HasArea(const std::string& id) const;
};

// "seminar" -> "Dialogseminarium"; "remiss" -> "Remissvar"; "other" -> "Övrigt".
std::string KindLabel(const std::string& kind);

// One checkbox of a filter.
struct FacetValue {
  std::string value;  // what the request carries
  std::string label;  // what the planner reads
  std::uint64_t count = 0;
  bool selected = false;
  int depth = 0;
};
struct FacetGroup {
  std::string param;   // "area", "theme", "actor", "region", "kind"
  std::string legend;  // "Strategiområde", ...
  std::vector<FacetValue> values;
  // The counts are estimates (index::SearchResponse::facets_approximate):
  // the page shows "ca." before them.
  bool approximate = false;
};
struct YearCount {
  int year = 0;
  std::uint64_t count = 0;
  bool selected = false;  // from/to are exactly this year
  bool approximate = false;  // Xapian estimated the count
};

// The facets of a search, keyed as in index::SearchResponse::facets
// ("area", "theme", "actor", "region", "kind"). For a filter that has a
// selection the counts come from the same search without that filter, so
// the other values of the filter keep their counts (a filter ORs its values).
using FacetCounts = std::map<std::string, std::map<std::string, std::uint64_t>>;
// `approximate` names the groups whose counts are estimates.
std::vector<FacetGroup> BuildFacetGroups(const Params& params, const FacetCounts& counts,
                                         const Catalog& catalog,
                                         const std::set<std::string>& approximate = {});

struct SearchView {
  Params params;
  std::optional<index::SearchResponse> response;  // none: start view or error
  std::vector<FacetGroup> groups;
  std::vector<YearCount> years;
  std::string error;  // shown above the results (the status is 400)
  std::size_t max_query_bytes = 1000;

  // Whether the total, or any count of the filters (years included), is an
  // estimate.
  bool TotalApproximate() const;
  bool FacetsApproximate() const;
};

std::string RenderSearchPage(const SearchView& view, const Catalog& catalog);
std::string RenderPassagePage(const index::PassageView& passage, const Params& params,
                              const Catalog& catalog);
std::string RenderHelpPage();
// A whole page for an error: 400, 404, 405, 500, 503.
std::string RenderErrorPage(int status, std::string_view message);

// JSON (docs/api.md). `facets_only` leaves the hits out (/api/facets).
std::string SearchJson(const SearchView& view, const Catalog& catalog, bool facets_only);
std::string PassageJson(const index::PassageView& passage, const Catalog& catalog);
std::string ErrorJson(int status, std::string_view message);

}  // namespace samrad::serve::internal

#endif  // SAMRAD_SERVE_VIEW_H_
