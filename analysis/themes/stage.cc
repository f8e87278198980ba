// The analyze stage's I/O: passages in, assignments and themes out, overrides,
// and evaluation against gold labels.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis/themes/themes.h"
#include "base/files.h"
#include "base/jsonl.h"
#include "base/model.h"
#include "ingest/ingest.h"

namespace samrad::themes {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

std::string Fixed4(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", x);
  return buf;
}

// Passages of one document whose text contains `quote`.
std::vector<size_t> FindQuote(const std::vector<PassageInput>& passages,
                              const std::multimap<std::string, size_t>& by_doc,
                              const std::string& doc, const std::string& quote) {
  std::vector<size_t> hits;
  const std::string q = CollapseSpace(quote);
  if (q.empty()) return hits;
  auto [lo, hi] = by_doc.equal_range(doc);
  for (auto it = lo; it != hi; ++it) {
    if (CollapseSpace(passages[it->second].text).find(q) != std::string::npos)
      hits.push_back(it->second);
  }
  return hits;
}

std::multimap<std::string, size_t> IndexByDoc(const std::vector<PassageInput>& passages) {
  std::multimap<std::string, size_t> m;
  for (size_t i = 0; i < passages.size(); ++i) m.emplace(passages[i].doc_id, i);
  return m;
}

Result<std::vector<std::string>> AreaList(const Json& j, const Framework& fw,
                                          const std::string& where) {
  if (!j.is_array()) return Status::DataError(where + ": \"areas\" must be an array of area ids");
  std::vector<std::string> out;
  for (const Json& a : j) {
    if (!a.is_string()) return Status::DataError(where + ": \"areas\" must hold strings");
    if (fw.Find(a.get<std::string>()) < 0) {
      return Status::DataError(where + ": unknown area \"" + a.get<std::string>() + "\"");
    }
    out.push_back(a.get<std::string>());
  }
  return out;
}

// Expands with ancestors and returns the set as framework indexes.
std::set<int> Expand(const std::vector<std::string>& ids, const Framework& fw) {
  std::set<int> out;
  for (const std::string& id : ids) {
    const int a = fw.Find(id);
    if (a < 0) continue;
    out.insert(a);
    for (int p : fw.Ancestors(a)) out.insert(p);
  }
  return out;
}

void Finish(MethodMetrics* m) {
  int tp = 0, fp = 0, fn = 0;
  double f1_sum = 0;
  for (AreaMetrics& a : m->areas) {
    a.precision = a.tp + a.fp > 0 ? static_cast<double>(a.tp) / (a.tp + a.fp) : 0.0;
    a.recall = a.tp + a.fn > 0 ? static_cast<double>(a.tp) / (a.tp + a.fn) : 0.0;
    a.f1 = a.precision + a.recall > 0 ? 2 * a.precision * a.recall / (a.precision + a.recall) : 0.0;
    tp += a.tp;
    fp += a.fp;
    fn += a.fn;
    f1_sum += a.f1;
  }
  m->micro_precision = tp + fp > 0 ? static_cast<double>(tp) / (tp + fp) : 0.0;
  m->micro_recall = tp + fn > 0 ? static_cast<double>(tp) / (tp + fn) : 0.0;
  m->micro_f1 =
      m->micro_precision + m->micro_recall > 0
          ? 2 * m->micro_precision * m->micro_recall / (m->micro_precision + m->micro_recall)
          : 0.0;
  m->macro_f1 = m->areas.empty() ? 0.0 : f1_sum / static_cast<double>(m->areas.size());
}

void Count(const std::set<int>& gold, const std::set<int>& pred, MethodMetrics* m) {
  for (size_t a = 0; a < m->areas.size(); ++a) {
    const bool g = gold.count(static_cast<int>(a)) > 0;
    const bool p = pred.count(static_cast<int>(a)) > 0;
    if (g && p) ++m->areas[a].tp;
    if (!g && p) ++m->areas[a].fp;
    if (g && !p) ++m->areas[a].fn;
  }
  if (gold.empty() && pred.empty()) ++m->none_tp;
  if (!gold.empty() && pred.empty()) ++m->none_fn;
  if (gold.empty() && !pred.empty()) ++m->none_fp;
}

}  // namespace

Result<std::vector<PassageInput>> LoadPassageInputs(const fs::path& state_dir) {
  Result<std::vector<Document>> docs = ingest::LoadDocuments(state_dir);
  if (!docs.ok()) return docs.status();
  std::map<std::string, const Document*> by_id;
  for (const Document& d : *docs) by_id[d.id] = &d;
  std::vector<PassageInput> out;
  Status s = ingest::ForEachPassage(state_dir, [&](const Passage& p) {
    PassageInput in;
    in.id = p.id;
    in.doc_id = p.doc_id;
    in.text = p.text;
    if (auto it = by_id.find(p.doc_id); it != by_id.end()) {
      in.actor_group = it->second->meta.actor_group;
      in.subregion = it->second->meta.subregion;
    }
    out.push_back(std::move(in));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<Override>> LoadOverrides(const fs::path& path, const Framework& framework,
                                            const std::vector<PassageInput>& passages) {
  Result<std::string> text = ReadFile(path, 64 << 20);
  if (!text.ok()) return text.status();
  std::set<std::string> ids;
  for (const PassageInput& p : passages) ids.insert(p.id);
  const auto by_doc = IndexByDoc(passages);
  std::vector<Override> out;
  std::istringstream in(*text);
  Status read = ForEachJsonLine(in, path.string(), [&](const JsonLine& line) -> Status {
    const Json& j = line.object;
    const std::string& where = line.where;
    Override o;
    o.line = line.number;
    if (!j.contains("areas")) return Status::DataError(where + ": missing field \"areas\"");
    Result<std::vector<std::string>> areas = AreaList(j["areas"], framework, where);
    if (!areas.ok()) return areas.status();
    o.areas = *areas;
    if (j.contains("passage")) {
      if (!j["passage"].is_string())
        return Status::DataError(where + ": \"passage\" must be a string");
      o.passage_id = j["passage"].get<std::string>();
      if (!ids.count(o.passage_id)) {
        return Status::DataError(where + ": no passage \"" + o.passage_id + "\"");
      }
    } else if (j.contains("doc") && j.contains("quote")) {
      if (!j["doc"].is_string() || !j["quote"].is_string()) {
        return Status::DataError(where + ": \"doc\" and \"quote\" must be strings");
      }
      const auto hits =
          FindQuote(passages, by_doc, j["doc"].get<std::string>(), j["quote"].get<std::string>());
      if (hits.empty())
        return Status::DataError(where + ": the quote is in no passage of " +
                                 j["doc"].get<std::string>());
      if (hits.size() > 1) {
        return Status::DataError(where + ": the quote is in " + std::to_string(hits.size()) +
                                 " passages; quote more to make it unique");
      }
      o.passage_id = passages[hits[0]].id;
    } else {
      return Status::DataError(where + ": needs \"passage\", or \"doc\" and \"quote\"");
    }
    out.push_back(std::move(o));
    return Status::Ok();
  });
  if (!read.ok()) return read;
  return out;
}

void ApplyOverrides(const std::vector<Override>& overrides, const Framework& framework,
                    ThemeModel* model) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < model->passages.size(); ++i) index[model->passages[i].passage_id] = i;
  for (const Override& o : overrides) {  // later lines win over earlier ones
    auto it = index.find(o.passage_id);
    if (it == index.end()) continue;
    PassageThemes& p = model->passages[it->second];
    const bool was_none = p.areas.empty();
    p.areas.clear();
    for (int a : Expand(o.areas, framework))
      p.areas.push_back(framework.areas[static_cast<size_t>(a)].id);
    p.overridden = true;
    if (was_none && !p.areas.empty()) --model->no_area;
    if (!was_none && p.areas.empty()) ++model->no_area;
  }
}

Result<AnalyzeSummary> Analyze(const AnalyzeOptions& options, const analysis::Analyzer& analyzer) {
  Result<Framework> fw = LoadFramework(options.framework_path);
  if (!fw.ok()) return fw.status();
  Result<std::vector<PassageInput>> passages = LoadPassageInputs(options.state_dir);
  if (!passages.ok()) return passages.status();
  std::vector<Override> overrides;
  if (!options.overrides_path.empty()) {
    Result<std::vector<Override>> o = LoadOverrides(options.overrides_path, *fw, *passages);
    if (!o.ok()) return o.status();
    overrides = std::move(*o);
  }
  Result<ThemeModel> model =
      SortAndCluster(*passages, *fw, analyzer, options.sort, options.cluster);
  if (!model.ok()) return model.status();
  ApplyOverrides(overrides, *fw, &*model);

  std::string lines;
  AnalyzeSummary summary;
  for (const PassageThemes& p : model->passages) {
    Json j;
    j["id"] = p.passage_id;
    j["doc_id"] = p.doc_id;
    j["areas"] = p.areas;
    j["overridden"] = p.overridden;
    j["theme"] = p.theme;
    Json scores = Json::object();
    Json reasons = Json::object();
    for (const AreaScore& s : p.scores) {
      // Four decimals: enough to rank, and stable across runs.
      scores[s.area] = std::stod(Fixed4(s.score));
      if (!s.reasons.empty()) reasons[s.area] = s.reasons;
    }
    j["scores"] = std::move(scores);
    j["reasons"] = std::move(reasons);
    lines += j.dump() + "\n";
    ++summary.passages;
    if (p.areas.empty())
      ++summary.no_area;
    else
      ++summary.assigned;
    if (p.overridden) ++summary.overridden;
  }
  Json themes;
  themes["framework"] = {
      {"id", fw->id}, {"name", fw->name}, {"path", options.framework_path.string()}};
  Json areas = Json::array();
  for (const Area& a : fw->areas) {
    int count = 0;
    for (const PassageThemes& p : model->passages) {
      count += std::find(p.areas.begin(), p.areas.end(), a.id) != p.areas.end();
    }
    areas.push_back({{"id", a.id}, {"name", a.name}, {"parent", a.parent}, {"passages", count}});
  }
  themes["areas"] = std::move(areas);
  themes["no_area"] = model->no_area;
  themes["silhouette"] = std::stod(Fixed4(model->silhouette));
  themes["min_score"] = std::stod(Fixed4(model->min_score));
  Json emergent = Json::array();
  for (const EmergentTheme& t : model->themes) {
    emergent.push_back({{"id", t.id},
                        {"label", t.label},
                        {"terms", t.terms},
                        {"size", t.passage_ids.size()},
                        {"documents", t.documents},
                        {"actor_groups", t.actor_groups},
                        {"subregions", t.subregions},
                        {"passage_ids", t.passage_ids}});
  }
  themes["emergent"] = std::move(emergent);
  summary.themes = static_cast<int>(model->themes.size());

  const fs::path dir = options.state_dir / "analysis";
  SAMRAD_RETURN_IF_ERROR(WriteFileAtomically(dir / "passages.jsonl", lines));
  SAMRAD_RETURN_IF_ERROR(WriteFileAtomically(dir / "themes.json", themes.dump(2) + "\n"));
  return summary;
}

Result<ThemeModel> LoadThemeModel(const fs::path& state_dir) {
  const fs::path dir = state_dir / "analysis";
  Result<std::string> lines = ReadFile(dir / "passages.jsonl");
  if (!lines.ok()) return lines.status().WithContext("run `samrad analyze` first");
  Result<std::string> themes_text = ReadFile(dir / "themes.json");
  if (!themes_text.ok()) return themes_text.status();
  ThemeModel model;
  try {
    std::istringstream in(*lines);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const Json j = Json::parse(line);
      PassageThemes p;
      p.passage_id = j.at("id").get<std::string>();
      p.doc_id = j.at("doc_id").get<std::string>();
      p.areas = j.at("areas").get<std::vector<std::string>>();
      p.overridden = j.at("overridden").get<bool>();
      p.theme = j.at("theme").get<int>();
      for (const auto& [area, score] : j.at("scores").items()) {
        AreaScore s;
        s.area = area;
        s.score = score.get<double>();
        if (j.at("reasons").contains(area))
          s.reasons = j.at("reasons")[area].get<std::vector<std::string>>();
        p.scores.push_back(std::move(s));
      }
      model.passages.push_back(std::move(p));
    }
    const Json t = Json::parse(*themes_text);
    model.no_area = t.at("no_area").get<int>();
    model.silhouette = t.at("silhouette").get<double>();
    for (const Json& e : t.at("emergent")) {
      EmergentTheme th;
      th.id = e.at("id").get<int>();
      th.label = e.at("label").get<std::string>();
      th.terms = e.at("terms").get<std::vector<std::string>>();
      th.passage_ids = e.at("passage_ids").get<std::vector<std::string>>();
      th.documents = e.at("documents").get<int>();
      th.actor_groups = e.at("actor_groups").get<std::map<std::string, int>>();
      th.subregions = e.at("subregions").get<std::map<std::string, int>>();
      model.themes.push_back(std::move(th));
    }
  } catch (const Json::exception& e) {
    return Status::DataError((dir / "passages.jsonl").string() + " or themes.json: " + e.what());
  }
  return model;
}

Result<EvalReport> EvaluateAreas(const fs::path& gold_path,
                                 const std::vector<PassageInput>& passages, const ThemeModel& model,
                                 const Framework& fw, const analysis::Analyzer& analyzer) {
  Result<std::string> text = ReadFile(gold_path, 64 << 20);
  if (!text.ok()) return text.status();
  const auto by_doc = IndexByDoc(passages);
  std::map<std::string, size_t> model_index;
  for (size_t i = 0; i < model.passages.size(); ++i) model_index[model.passages[i].passage_id] = i;
  const auto baseline = KeywordBaseline(passages, fw, analyzer);

  EvalReport r;
  for (const Area& a : fw.areas) {
    r.method.areas.push_back({a.id});
    r.baseline.areas.push_back({a.id});
  }
  const size_t none = fw.areas.size();
  r.confusion.assign(none + 1, std::vector<int>(none + 1, 0));
  std::istringstream in(*text);
  Status read = ForEachJsonLine(in, gold_path.string(), [&](const JsonLine& line) -> Status {
    const Json& j = line.object;
    const std::string& where = line.where;
    if (!j.contains("doc") || !j.contains("quote") || !j.contains("areas") ||
        !j["doc"].is_string() || !j["quote"].is_string()) {
      return Status::DataError(where + ": needs \"doc\", \"quote\" (strings) and \"areas\"");
    }
    Result<std::vector<std::string>> gold_areas = AreaList(j["areas"], fw, where);
    if (!gold_areas.ok()) return gold_areas.status();
    ++r.gold_items;
    const std::string doc = j["doc"].get<std::string>();
    const auto hits = FindQuote(passages, by_doc, doc, j["quote"].get<std::string>());
    if (hits.size() != 1) {
      r.unmatched.push_back(doc + ": " + j["quote"].get<std::string>().substr(0, 60) +
                            (hits.empty() ? " (no passage)" : " (several passages)"));
      return Status::Ok();
    }
    ++r.matched;
    const std::set<int> gold = Expand(*gold_areas, fw);
    auto mi = model_index.find(passages[hits[0]].id);
    const std::set<int> pred =
        mi == model_index.end() ? std::set<int>{} : Expand(model.passages[mi->second].areas, fw);
    Count(gold, pred, &r.method);
    Count(gold, Expand(baseline[hits[0]], fw), &r.baseline);
    std::vector<size_t> g(gold.begin(), gold.end()), p(pred.begin(), pred.end());
    if (g.empty()) g.push_back(none);
    if (p.empty()) p.push_back(none);
    for (size_t gi : g) {
      for (size_t pi : p) ++r.confusion[gi][pi];
    }
    return Status::Ok();
  });
  if (!read.ok()) return read;
  Finish(&r.method);
  Finish(&r.baseline);
  return r;
}

}  // namespace samrad::themes
