// Recall@k of the search against gold queries.
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/jsonl.h"
#include "base/model.h"
#include "index/index.h"
#include "ingest/ingest.h"

namespace samrad::index {

Result<QueryEvalReport> EvaluateQueries(const std::filesystem::path& queries_path,
                                        const std::filesystem::path& state_dir, Searcher& searcher,
                                        int k) {
  Result<std::string> text = ReadFile(queries_path, 64 << 20);
  if (!text.ok()) return text.status();
  std::multimap<std::string, std::pair<std::string, std::string>> by_doc;  // doc -> (id, text)
  Status s = ingest::ForEachPassage(state_dir, [&](const Passage& p) {
    by_doc.emplace(p.doc_id, std::make_pair(p.id, CollapseSpace(p.text)));
    return Status::Ok();
  });
  if (!s.ok()) return s;

  QueryEvalReport report;
  report.k = k;
  std::map<std::string, std::pair<int, int>> by_tag;  // tag -> (found, relevant)
  int found = 0, relevant = 0;
  std::istringstream in(*text);
  Status read = ForEachJsonLine(in, queries_path.string(), [&](const JsonLine& line) -> Status {
    const nlohmann::ordered_json& j = line.object;
    const std::string& where = line.where;
    if (!j.contains("query") || !j["query"].is_string() || !j.contains("relevant") ||
        !j["relevant"].is_array()) {
      return Status::DataError(where + ": needs \"query\" (string) and \"relevant\" (array)");
    }
    QueryEvalItem item;
    item.query = j["query"].get<std::string>();
    if (j.contains("tags") && j["tags"].is_array()) {
      for (const auto& t : j["tags"]) {
        if (t.is_string()) item.tags.push_back(t.get<std::string>());
      }
    }
    SearchRequest req;
    req.query = item.query;
    req.limit = k;
    Result<SearchResponse> r = searcher.Search(req);
    if (!r.ok()) return r.status().WithContext(where);
    std::set<std::string> top;
    for (const Hit& h : r->hits) top.insert(h.passage_id);
    for (const auto& rel : j["relevant"]) {
      if (!rel.is_object() || !rel.contains("doc") || !rel.contains("quote")) {
        return Status::DataError(where + ": each relevant item needs \"doc\" and \"quote\"");
      }
      const std::string doc = rel["doc"].get<std::string>();
      const std::string quote = CollapseSpace(rel["quote"].get<std::string>());
      std::vector<std::string> ids;
      auto [lo, hi] = by_doc.equal_range(doc);
      for (auto it = lo; it != hi; ++it) {
        if (it->second.second.find(quote) != std::string::npos) ids.push_back(it->second.first);
      }
      if (ids.size() != 1) {
        ++report.unmatched_quotes;
        continue;  // the next relevant item
      }
      ++item.relevant;
      if (top.count(ids[0])) {
        ++item.found;
      } else {
        item.missed.push_back(ids[0]);
      }
    }
    found += item.found;
    relevant += item.relevant;
    for (const std::string& t : item.tags) {
      by_tag[t].first += item.found;
      by_tag[t].second += item.relevant;
    }
    report.items.push_back(std::move(item));
    return Status::Ok();
  });
  if (!read.ok()) return read;
  report.recall = relevant > 0 ? static_cast<double>(found) / relevant : 0.0;
  for (const auto& [t, fr] : by_tag) {
    report.recall_by_tag[t] = fr.second > 0 ? static_cast<double>(fr.first) / fr.second : 0.0;
  }
  return report;
}

}  // namespace samrad::index
