// What the page and the API make of a search response (serve/view.h): the
// marking of estimated counts (issue #11).
#include "serve/view.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace samrad::serve::internal {
namespace {

using Json = nlohmann::json;

Catalog TwoAreas() {
  Catalog c;
  c.areas = {{"kunskapsregion", "En ledande kunskapsregion", 0},
             {"matchning", "Bättre matchning", 1}};
  c.years = {2019, 2020};
  return c;
}

// A response as index::Searcher gives it, exact or estimated.
SearchView ViewOf(bool approximate) {
  SearchView v;
  v.params.q = "regionen";
  index::SearchResponse r;
  r.total_estimate = 12000;
  r.total_lower = approximate ? 9000 : 12000;
  r.total_upper = approximate ? 15000 : 12000;
  r.facets_approximate = approximate;
  r.facet_sample = approximate ? 5000 : 12000;
  r.facets["kind"] = {{"remiss", 7000}, {"seminar", 5000}};
  r.facets["area"] = {{"matchning", 3400}};
  FacetCounts counts = r.facets;
  std::set<std::string> estimated;
  if (approximate) estimated = {"area", "theme", "actor", "region", "kind"};
  v.groups = BuildFacetGroups(v.params, counts, TwoAreas(), estimated);
  v.years = {{2019, 8000, false, approximate}, {2020, 4000, false, approximate}};
  v.response = std::move(r);
  return v;
}

TEST(SearchView, Issue11EstimatedCountsAreMarkedOnThePage) {
  const std::string page = RenderSearchPage(ViewOf(true), TwoAreas());
  // Filters, years and the total: "ca." and a no-break space before the number.
  EXPECT_NE(page.find("<span class=\"count\" aria-label=\"ca.\u00a07\u202f000 "
                      "träffar\">ca.\u00a07\u202f000</span>"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("2019 <span class=\"count\">ca.\u00a08\u202f000</span>"), std::string::npos)
      << page;
  EXPECT_NE(page.find("ca.\u00a012\u202f000 träffar"), std::string::npos) << page;
  EXPECT_NE(page.find("id=\"uppskattat\""), std::string::npos) << page;
}

TEST(SearchView, Issue11ExactCountsAreNotMarked) {
  const std::string page = RenderSearchPage(ViewOf(false), TwoAreas());
  EXPECT_EQ(page.find("ca."), std::string::npos) << page;
  EXPECT_EQ(page.find("id=\"uppskattat\""), std::string::npos);
  EXPECT_NE(page.find(">7\u202f000</span>"), std::string::npos) << page;
}

TEST(SearchView, Issue11JsonSaysWhichCountsAreEstimates) {
  for (bool approximate : {false, true}) {
    for (bool facets_only : {false, true}) {
      const Json j = Json::parse(SearchJson(ViewOf(approximate), TwoAreas(), facets_only));
      EXPECT_EQ(j["total"].get<int>(), 12000);
      EXPECT_EQ(j["total_approximate"].get<bool>(), approximate);
      EXPECT_EQ(j["facets_approximate"].get<bool>(), approximate);
      int remiss = -1;
      for (const Json& v : j["facets"]["kind"]) {
        if (v["value"] == "remiss") remiss = v["count"].get<int>();
      }
      EXPECT_EQ(remiss, 7000);
    }
  }
}

TEST(SearchView, Issue11OneEstimatedGroupMarksOnlyItself) {
  SearchView v = ViewOf(false);
  v.groups = BuildFacetGroups(v.params, v.response->facets, TwoAreas(), {"kind"});
  for (const FacetGroup& g : v.groups) EXPECT_EQ(g.approximate, g.param == "kind") << g.param;
  const std::string page = RenderSearchPage(v, TwoAreas());
  EXPECT_NE(page.find("ca.\u00a07\u202f000"), std::string::npos);
  EXPECT_EQ(page.find("ca.\u00a03\u202f400"), std::string::npos);  // area: exact
  EXPECT_TRUE(Json::parse(SearchJson(v, TwoAreas(), false))["facets_approximate"].get<bool>());
}

}  // namespace
}  // namespace samrad::serve::internal
