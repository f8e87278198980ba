// The JSON API's answers (docs/api.md). Keys in a fixed order; strings that
// are not valid UTF-8 (which ingest never lets through) are replaced rather
// than failing the answer.
#include <nlohmann/json.hpp>

#include "serve/view.h"

namespace samrad::serve::internal {
namespace {

using Json = nlohmann::ordered_json;

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

Json CitationJson(const index::Citation& c) {
  return Json{{"doc_id", c.doc_id}, {"title", c.title}, {"organisation", c.organisation},
              {"date", c.date},     {"kind", c.kind},   {"where", c.where}};
}

Json HitJson(const index::Hit& h, const Catalog& catalog) {
  Json areas = Json::array();
  for (const std::string& a : h.areas) areas.push_back({{"id", a}, {"name", catalog.AreaName(a)}});
  Json theme = nullptr;
  if (h.theme >= 0)
    theme = {{"id", h.theme}, {"label", catalog.ThemeLabel(std::to_string(h.theme))}};
  Json j;
  j["rank"] = h.rank;
  j["passage_id"] = h.passage_id;
  j["url"] = "/passage/" + UrlEncode(h.passage_id, true);
  j["snippet_html"] = h.snippet_html;
  j["snippet"] = h.snippet;
  j["text"] = h.text;
  j["speaker"] = h.speaker;
  j["section"] = h.section;
  j["actor_group"] = h.actor_group;
  j["subregion"] = h.subregion;
  j["areas"] = std::move(areas);
  j["theme"] = std::move(theme);
  j["collapsed"] = h.collapsed;
  j["citation"] = CitationJson(h.citation);
  return j;
}

Json ParamsJson(const Params& p) {
  Json j;
  j["q"] = p.q;
  j["area"] = p.areas;
  j["theme"] = p.themes;
  j["actor"] = p.actors;
  j["region"] = p.regions;
  j["kind"] = p.kinds;
  j["from"] = p.from;
  j["to"] = p.to;
  j["per_document"] = p.per_document;
  j["page"] = p.page;
  j["per_page"] = p.per_page;
  return j;
}

Json FacetsJson(const SearchView& view) {
  Json facets;
  for (const FacetGroup& g : view.groups) {
    Json values = Json::array();
    for (const FacetValue& v : g.values) {
      values.push_back(
          {{"value", v.value}, {"label", v.label}, {"count", v.count}, {"selected", v.selected}});
    }
    facets[g.param] = std::move(values);
  }
  Json years = Json::array();
  for (const YearCount& y : view.years) {
    years.push_back({{"year", y.year}, {"count", y.count}, {"selected", y.selected}});
  }
  facets["year"] = std::move(years);
  return facets;
}

}  // namespace

std::string SearchJson(const SearchView& view, const Catalog& catalog, bool facets_only) {
  Json j;
  j["query"] = ParamsJson(view.params);
  const std::uint64_t total = view.response ? view.response->total_estimate : 0;
  j["total"] = total;
  j["total_approximate"] = view.TotalApproximate();
  if (!facets_only) {
    const auto per_page = static_cast<std::uint64_t>(view.params.per_page);
    j["page"] = view.params.page;
    j["per_page"] = view.params.per_page;
    j["pages"] = (total + per_page - 1) / per_page;
    j["corrected_query"] = view.response ? view.response->corrected_query : std::string();
    Json hits = Json::array();
    if (view.response) {
      for (const index::Hit& h : view.response->hits) hits.push_back(HitJson(h, catalog));
    }
    j["hits"] = std::move(hits);
  }
  j["facets_approximate"] = view.FacetsApproximate();
  j["facets"] = FacetsJson(view);
  // Only over a shard set opened with allow_partial (docs/scaling.md); how
  // many shards are missing, not where they run.
  if (view.response && view.response->partial) {
    j["partial"] = true;
    j["missing_shards"] = view.response->missing_shards.size();
  }
  return Dump(j);
}

std::string PassageJson(const index::PassageView& view, const Catalog& catalog) {
  const index::Hit& h = view.passage;
  Json j;
  j["passage"] = HitJson(h, catalog);
  j["document"] = {{"doc_id", h.citation.doc_id},
                   {"title", h.citation.title},
                   {"organisation", h.citation.organisation},
                   {"date", h.citation.date},
                   {"kind", h.citation.kind},
                   {"actor_group", h.actor_group},
                   {"subregion", h.subregion}};
  Json context = Json::array();
  for (const index::Hit& p : view.document_passages) {
    context.push_back({{"passage_id", p.passage_id},
                       {"speaker", p.speaker},
                       {"section", p.section},
                       {"text", p.text},
                       {"where", p.citation.where},
                       {"current", p.passage_id == h.passage_id}});
  }
  j["context"] = std::move(context);
  return Dump(j);
}

std::string ErrorJson(int status, std::string_view message) {
  Json j;
  j["error"] = {{"status", status}, {"message", std::string(message)}};
  return Dump(j);
}

}  // namespace samrad::serve::internal
