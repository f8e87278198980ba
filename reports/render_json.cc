// The JSON rendering: the same content as the Markdown and HTML, with the
// passage ids behind every figure. Key order is fixed (ordered_json), numbers
// are integers or rounded to 4 decimals; docs/reports.md has the schema.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/render.h"
#include "reports/text.h"

namespace samrad::reports::internal {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kSchema = "samrad.report/1";

Json Rows(const std::vector<CountRow>& rows) {
  Json out = Json::array();
  for (const CountRow& r : rows) {
    out.push_back({{"key", r.key}, {"label", r.label}, {"passages", r.passages}, {"documents", r.documents}});
  }
  return out;
}

Json CitationJson(const Citation& c) {
  return {{"passage_id", c.passage_id},
          {"doc_id", c.doc_id},
          {"organisation", c.organisation},
          {"actor_group", c.actor_group},
          {"subregion", c.subregion},
          {"kind", c.kind},
          {"title", c.title},
          {"date", c.date},
          {"speaker", c.speaker},
          {"section", c.section},
          {"locator", {{"line_start", c.line_start}, {"line_end", c.line_end}, {"page", c.page}, {"ordinal", c.ordinal}}},
          {"where", c.where}};
}

Json QuoteJson(const Quote& q) {
  return {{"text", q.text},
          {"whole_passage", q.whole_passage},
          {"byte_start", q.byte_start},
          {"byte_end", q.byte_end},
          {"subtopic", q.subtopic},
          {"relevance", Rounded(q.relevance, 4)},
          {"citation", CitationJson(q.cite)}};
}

Json Quotes(const std::vector<Quote>& quotes) {
  Json out = Json::array();
  for (const Quote& q : quotes) out.push_back(QuoteJson(q));
  return out;
}

Json SideJson(const Side& s) {
  return {{"actor_group", s.actor_group},
          {"passages", s.passages},
          {"documents", s.documents},
          {"topic_passages", s.topic_passages},
          {"share_permille", s.share_permille},
          {"support_words", s.support},
          {"objection_words", s.objection},
          {"stance", Rounded(s.stance, 4)},
          {"distinctive_words", s.distinctive},
          {"quotes", Quotes(s.quotes)}};
}

Json FrameworkJson(const Overview& o) { return {{"id", o.framework_id}, {"name", o.framework_name}}; }

// What areas and themes have in common.
void TopicJson(const TopicReport& t, Json* j) {
  (*j)["counts"] = {{"passages", t.passages},
                    {"documents", t.documents},
                    {"organisations", t.organisations},
                    {"overridden", t.overridden}};
  (*j)["by_actor_group"] = Rows(t.by_actor_group);
  (*j)["by_subregion"] = Rows(t.by_subregion);
  (*j)["by_kind"] = Rows(t.by_kind);
  Json phrases = Json::array();
  for (const Phrase& p : t.key_phrases) {
    phrases.push_back({{"phrase", p.phrase},
                       {"passages", p.passages},
                       {"documents", p.documents},
                       {"score", Rounded(p.score, 4)}});
  }
  (*j)["key_phrases"] = std::move(phrases);
  Json subtopics = Json::array();
  for (const SubTopic& s : t.subtopics) {
    subtopics.push_back({{"id", s.id},
                         {"label", s.label},
                         {"terms", s.terms},
                         {"passages", s.passage_ids.size()},
                         {"by_actor_group", Rows(s.actor_groups)},
                         {"passage_ids", s.passage_ids.ToVector()}});
  }
  (*j)["subtopics"] = std::move(subtopics);
  (*j)["quotes"] = Quotes(t.quotes);
  Json dis = Json::array();
  for (const Disagreement& d : t.disagreements) {
    dis.push_back({{"subtopic", d.subtopic},
                   {"unit", d.unit_label},
                   {"by_stance", d.by_stance},
                   {"contested_words", d.contested},
                   {"by_share", d.by_share},
                   {"stance_gap", Rounded(d.stance_gap, 4)},
                   {"strength", Rounded(d.strength, 4)},
                   {"summary", DisagreementSummary(d)},
                   {"a", SideJson(d.a)},
                   {"b", SideJson(d.b)}});
  }
  (*j)["disagreements"] = std::move(dis);
  (*j)["passage_ids"] = t.passage_ids.ToVector();
}

// Ingest guarantees valid UTF-8; should a byte slip through anyway, it
// becomes U+FFFD instead of an exception.
std::string Dump(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

}  // namespace

std::string OverviewJson(const Overview& o) {
  Json j;
  j["schema"] = kSchema;
  j["report"] = "overview";
  j["framework"] = FrameworkJson(o);
  j["as_of"] = o.as_of;
  j["counts"] = {{"passages", o.passages},
                 {"documents", o.documents},
                 {"organisations", o.organisations},
                 {"in_some_area", o.in_some_area},
                 {"no_area", o.no_area},
                 {"no_area_in_theme", o.no_area_in_theme},
                 {"overridden", o.overridden}};
  j["by_kind"] = Rows(o.by_kind);
  j["actor_groups"] = Rows(o.actor_groups);
  Json areas = Json::array();
  for (size_t a = 0; a < o.areas.size(); ++a) {
    const AreaRow& r = o.areas[a];
    Json by_group = Json::object();
    for (size_t g = 0; g < o.actor_groups.size(); ++g) by_group[o.actor_groups[g].key] = o.matrix[a][g];
    const bool written = a < o.area_files.size() && !o.area_files[a].empty();
    areas.push_back({{"id", r.id},
                     {"name", r.name},
                     {"parent", r.parent},
                     {"depth", r.depth},
                     {"passages", r.passages},
                     {"documents", r.documents},
                     {"organisations", r.organisations},
                     {"by_actor_group", std::move(by_group)},
                     {"report", written ? Json(o.area_files[a]) : Json(nullptr)}});
  }
  j["areas"] = std::move(areas);
  Json least = Json::array();
  for (int a : o.least) least.push_back(o.areas[static_cast<size_t>(a)].id);
  j["least_input"] = std::move(least);
  Json themes = Json::array();
  for (const ThemeRow& t : o.themes) {
    themes.push_back({{"id", t.id}, {"label", t.label}, {"passages", t.passages}, {"documents", t.documents}});
  }
  j["emergent_themes"] = std::move(themes);
  return Dump(j);
}

std::string AreaJson(const TopicReport& t, const Overview& o) {
  Json j;
  j["schema"] = kSchema;
  j["report"] = "area";
  j["framework"] = FrameworkJson(o);
  j["as_of"] = o.as_of;
  Json children = Json::array();
  for (const auto& [id, name] : t.children) children.push_back({{"id", id}, {"name", name}});
  j["area"] = {{"id", t.id},
               {"name", t.name},
               {"description", t.description},
               {"parent", t.parent_id.empty() ? Json(nullptr) : Json({{"id", t.parent_id}, {"name", t.parent_name}})},
               {"children", std::move(children)}};
  TopicJson(t, &j);
  return Dump(j);
}

std::string ThemesJson(const std::vector<TopicReport>& themes, const Overview& o) {
  Json j;
  j["schema"] = kSchema;
  j["report"] = "emergent_themes";
  j["framework"] = FrameworkJson(o);
  j["as_of"] = o.as_of;
  j["counts"] = {{"passages", o.passages}, {"no_area", o.no_area}, {"no_area_in_theme", o.no_area_in_theme}};
  Json list = Json::array();
  for (const TopicReport& t : themes) {
    Json item;
    item["id"] = t.id;
    item["name"] = t.name;
    item["terms"] = t.terms;
    TopicJson(t, &item);
    list.push_back(std::move(item));
  }
  j["themes"] = std::move(list);
  return Dump(j);
}

}  // namespace samrad::reports::internal
