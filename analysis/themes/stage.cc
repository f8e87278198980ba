// The analyze stage's I/O: passages in, assignments and themes out, overrides,
// and evaluation against gold labels.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "analysis/themes/engine.h"
#include "analysis/themes/output.h"
#include "analysis/themes/saved.h"
#include "analysis/themes/themes.h"
#include "base/files.h"
#include "base/json_line.h"
#include "base/jsonl.h"
#include "base/memory.h"
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

namespace internal {

// Best effort: LoadOverrides reports what is wrong with the file.
std::set<std::string> QuoteDocs(const fs::path& path) {
  std::set<std::string> docs;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const Json j = Json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("doc") && j["doc"].is_string()) docs.insert(j["doc"].get<std::string>());
  }
  return docs;
}

void NotePassage(const Passage& p, const std::set<std::string>& quote_docs,
                 std::unordered_map<std::string, std::uint32_t>* doc_index, PassageKeys* keys,
                 std::vector<PassageInput>* for_overrides) {
  auto [it, inserted] = doc_index->try_emplace(p.doc_id, static_cast<std::uint32_t>(keys->docs.size()));
  if (inserted) keys->docs.push_back({p.doc_id, "", ""});
  keys->AddId(p.id);
  keys->doc.push_back(it->second);
  if (for_overrides != nullptr) {
    PassageInput in;
    in.id = p.id;
    in.doc_id = p.doc_id;
    if (quote_docs.count(p.doc_id)) in.text = p.text;
    for_overrides->push_back(std::move(in));
  }
}

std::vector<std::uint32_t> ExpandAreas(const std::vector<std::string>& ids, const Framework& fw) {
  std::vector<std::uint32_t> out;
  for (int a : Expand(ids, fw)) out.push_back(static_cast<std::uint32_t>(a));
  return out;
}

void AppendPassageLine(std::string_view id, std::string_view doc_id,
                       const std::vector<std::string>& area_json, const std::vector<bool>& in_area,
                       bool overridden, int theme, const double* scores, const std::uint8_t* st,
                       const std::function<std::vector<std::string>(size_t)>& reasons_of,
                       std::string* out) {
  std::string& line = *out;
  const size_t n_areas = area_json.size();
  line += "{\"id\":";
  AppendJsonString(id, &line);
  line += ",\"doc_id\":";
  AppendJsonString(doc_id, &line);
  line += ",\"areas\":[";
  bool first = true;
  for (size_t a = 0; a < n_areas; ++a) {
    if (!in_area[a]) continue;
    if (!first) line += ',';
    first = false;
    line += area_json[a];
  }
  line += "],\"overridden\":";
  line += overridden ? "true" : "false";
  line += ",\"theme\":" + std::to_string(theme);
  line += ",\"scores\":{";
  for (size_t a = 0; a < n_areas; ++a) {
    if (a > 0) line += ',';
    line += area_json[a];
    line += ':';
    // Four decimals: enough to rank, and stable across runs.
    AppendScore(scores[a], &line);
  }
  line += "},\"reasons\":{";
  first = true;
  for (size_t a = 0; a < n_areas; ++a) {
    if (st[a] != SortResult::kChosen) continue;
    const std::vector<std::string> reasons = reasons_of(a);
    if (reasons.empty()) continue;
    if (!first) line += ',';
    first = false;
    line += area_json[a];
    line += ":[";
    for (size_t k = 0; k < reasons.size(); ++k) {
      if (k > 0) line += ',';
      AppendJsonString(reasons[k], &line);
    }
    line += ']';
  }
  line += "}}\n";
}

std::string ThemesJson(const Framework& fw, const fs::path& framework_path,
                       const std::vector<int>& area_count, int no_area, double silhouette,
                       double min_score, const std::vector<EmergentTheme>& emergent_themes) {
  Json themes;
  themes["framework"] = {{"id", fw.id}, {"name", fw.name}, {"path", framework_path.string()}};
  Json areas = Json::array();
  for (size_t a = 0; a < fw.areas.size(); ++a) {
    const Area& area = fw.areas[a];
    areas.push_back({{"id", area.id}, {"name", area.name}, {"parent", area.parent}, {"passages", area_count[a]}});
  }
  themes["areas"] = std::move(areas);
  themes["no_area"] = no_area;
  themes["silhouette"] = std::stod(Fixed4(silhouette));
  themes["min_score"] = std::stod(Fixed4(min_score));
  Json emergent = Json::array();
  for (const EmergentTheme& t : emergent_themes) {
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
  return themes.dump(2) + "\n";
}

void AppendJsonString(std::string_view s, std::string* out) {
  static const char* kHex = "0123456789abcdef";
  out->push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

void AppendScore(double x, std::string* out) {
  // The number nlohmann::json writes for std::stod(Fixed4(x)): the shortest
  // decimal that reads back as that double, which is Fixed4 without its
  // trailing zeros (at least one decimal stays: "0.0", "1.0", "0.13").
  // std::to_chars with a precision formats as printf's "%.4f" does, without
  // its locale and format parsing (#11: a score per passage and area made
  // snprintf show in the stage's serial end).
  char buf[64];
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, 4);
  size_t n = r.ec == std::errc() ? static_cast<size_t>(r.ptr - buf) : 0;
  if (n == 0) {  // too long for the buffer (never a score): as printf gives it
    *out += Fixed4(x);
    return;
  }
  while (n >= 2 && buf[n - 1] == '0' && buf[n - 2] != '.') --n;
  out->append(buf, n);
}

}  // namespace internal

namespace {

// The full fit: every passage vectorised, sorted and clustered anew. Writes
// passages.jsonl, themes.json, the saved model, the output index and the
// term cache.
Result<AnalyzeSummary> AnalyzeFully(const AnalyzeOptions& options, const analysis::Analyzer& analyzer,
                                    const Framework& framework, const std::string& fingerprint,
                                    internal::PassageKeys keys,
                                    std::unordered_map<std::string, std::uint32_t> doc_index) {
  const Framework* fw = &framework;
  const fs::path dir = options.state_dir / "analysis";

  // 1. Stream the passages block by block into term vectors; keep only ids
  //    (and, for overrides, the texts of the documents they quote).
  const bool with_overrides = !options.overrides_path.empty();
  const std::set<std::string> quote_docs =
      with_overrides ? internal::QuoteDocs(options.overrides_path) : std::set<std::string>{};
  std::vector<PassageInput> for_overrides;
  const std::string header = internal::TermCacheHeader(analyzer);
  internal::TermCache cache;
  if (options.use_cache) cache = internal::TermCache::Load(dir / "terms.cache", header);
  Result<std::unique_ptr<AtomicFileWriter>> cache_file =
      AtomicFileWriter::Open(dir / "terms.cache");
  if (!cache_file.ok()) return cache_file.status();
  internal::TermCacheWriter cache_writer(std::move(*cache_file), header);
  internal::CorpusBuilder builder(analyzer, &cache, &cache_writer);
  // The corpus' arrays and the scores go into an unnamed file in the state
  // folder (base/spill.h), with room for an entry per 16 bytes of the
  // ingested passages (~23 bytes an entry measured on the synthetic corpus;
  // more grow as needed). Without a file, on the heap. The stage reads these
  // arrays in order, pass after pass, so a page handed back costs one
  // sequential read from the page cache: it keeps less of them resident than
  // the reports, which read a topic's passages all over the file (#11).
  constexpr size_t kResidentBytes = size_t{32} << 20;
  const std::shared_ptr<SpillFile> spill = SpillFile::Create(dir, kResidentBytes);
  {
    std::error_code ec;
    const std::uintmax_t bytes = fs::file_size(options.state_dir / "ingest" / "passages.jsonl", ec);
    builder.SpillTo(spill, ec ? 0 : static_cast<size_t>(bytes / 16));
  }
  // The file stays within its budget whatever pass reads it, as in the
  // reports (#11: at N=100,000, 197 MB of it was mapped at the stage's peak,
  // against the 96 MB the passes' own hand-backs aim for).
  const SpillBudgetWatch spill_watch(spill);
  constexpr size_t kBlock = 8192;
  std::vector<std::string> block;
  auto flush = [&] {
    builder.AddBlock(std::move(block));
    block = std::vector<std::string>();
    block.reserve(kBlock);
  };
  Status read = ingest::ForEachPassage(options.state_dir, [&](const Passage& p) {
    internal::NotePassage(p, quote_docs, &doc_index, &keys, with_overrides ? &for_overrides : nullptr);
    block.push_back(p.text);
    if (block.size() == kBlock) flush();
    return Status::Ok();
  });
  if (!read.ok()) return read;
  flush();
  internal::Corpus corpus = builder.Finish();
  corpus.space.SealSurfaces();  // every passage is in
  cache = internal::TermCache{};
  // Every text's terms are in the cache file now. It is committed here, not
  // after the outputs, so that its tables are freed before the sort (it
  // depends only on the texts and the analyzer, so a stage that fails
  // later leaves a cache as good as the one it replaced).
  SAMRAD_RETURN_IF_ERROR(cache_writer.Commit());
  // No passage is tokenised after this (the sort reads only the areas' own
  // words): this thread's word memo goes too. The shared one is kept for
  // the index and the reports, which tokenise the same texts (#11: it was
  // freed here, and each later stage decompounded every word again).
  analyzer.ReleaseThreadMemo();
  ReturnFreeMemory();
  AnalyzeSummary summary;
  summary.mode = "full";
  summary.tokenised = static_cast<int>(builder.analysed());
  summary.reused = static_cast<int>(builder.reused());

  std::vector<Override> overrides;
  if (with_overrides) {
    Result<std::vector<Override>> o = LoadOverrides(options.overrides_path, *fw, for_overrides);
    if (!o.ok()) return o.status();
    overrides = std::move(*o);
    for_overrides = decltype(for_overrides)();
  }
  // Later lines win over earlier ones.
  std::unordered_map<std::string_view, const Override*> override_of;
  for (const Override& o : overrides) override_of[o.passage_id] = &o;

  // 2. Sort and cluster.
  Result<internal::SortResult> r =
      internal::Sort(corpus, keys, *fw, analyzer, options.sort, options.cluster);
  if (!r.ok()) return r.status();

  // 3. passages.jsonl, streamed; the same bytes nlohmann::json would write.
  Result<std::unique_ptr<AtomicFileWriter>> out =
      AtomicFileWriter::Open(dir / "passages.jsonl");
  if (!out.ok()) return out.status();
  const size_t n_areas = fw->areas.size();
  std::vector<std::string> area_json(n_areas);
  for (size_t a = 0; a < n_areas; ++a) internal::AppendJsonString(fw->areas[a].id, &area_json[a]);
  std::vector<int> area_count(n_areas, 0);
  int no_area = r->no_area;
  internal::OutputIndex output_index;
  output_index.records = internal::PackedOutputRecords(spill);
  output_index.records.reserve(corpus.size());
  std::uint64_t written = 0;
  std::string line;
  for (size_t i = 0; i < corpus.size(); ++i) {
    const std::uint8_t* st = r->state.data() + i * n_areas;
    std::vector<bool> in_area(n_areas);
    for (size_t a = 0; a < n_areas; ++a) in_area[a] = st[a] != 0;
    bool overridden = false;
    internal::OutputRecord rec;
    if (auto it = override_of.find(keys.ids[i]); it != override_of.end()) {
      const bool was_none = std::find(in_area.begin(), in_area.end(), true) == in_area.end();
      const std::vector<std::uint32_t> areas = internal::ExpandAreas(it->second->areas, *fw);
      std::fill(in_area.begin(), in_area.end(), false);
      for (std::uint32_t a : areas) in_area[a] = true;
      const bool is_none = std::find(in_area.begin(), in_area.end(), true) == in_area.end();
      no_area += (is_none ? 1 : 0) - (was_none ? 1 : 0);
      overridden = true;
      rec.override_hash = internal::OverrideHash(areas);
    }
    bool any = false;
    for (size_t a = 0; a < n_areas; ++a) {
      if (!in_area[a]) continue;
      any = true;
      ++area_count[a];
      rec.areas.push_back(static_cast<std::uint32_t>(a));
    }
    line.clear();
    internal::AppendPassageLine(
        keys.ids[i], keys.docs[keys.doc[i]].id, area_json, in_area, overridden, r->theme[i],
        r->scores.data() + i * n_areas, st,
        [&](size_t a) { return internal::Reasons(corpus, i, r->protos[a], options.sort.reason_terms); },
        &line);
    corpus.ReleaseEvery(i);
    (*out)->Write(line);
    // The keys are the model's, taken when it has been written (below): each
    // passage id is held once at a time (#11: three copies were ~270 MB at
    // N=100,000).
    rec.offset = written;
    rec.length = line.size();
    rec.theme = r->theme[i];
    rec.overridden = overridden;
    written += line.size();
    output_index.records.Add(rec);
    ++summary.passages;
    ++(any ? summary.assigned : summary.no_area);
    if (overridden) ++summary.overridden;
  }
  output_index.file_size = written;
  summary.themes = static_cast<int>(r->themes.size());
  // What only the lines needed: the passages' vectors and scores (#11: ~0.5 GB
  // at N=100,000, freed before the model and the index are built and written).
  corpus.offset = decltype(corpus.offset)();
  corpus.term = decltype(corpus.term)();
  corpus.count = decltype(corpus.count)();
  corpus.weight = decltype(corpus.weight)();
  r->scores = decltype(r->scores)();
  r->state = decltype(r->state)();

  // 4. The model, for later incremental runs.
  internal::SavedModel model;
  model.fingerprint = fingerprint;
  model.idf = corpus.idf;
  model.generic = r->generic;
  model.generic.resize(corpus.space.size(), 0);
  // The term space is not read again: its strings move into the model.
  model.surfaces = corpus.space.TakeSurfaces();
  model.terms = corpus.space.TakeTerms();
  for (const std::vector<float>& p : r->protos) {
    internal::SparseVector v;
    for (std::uint32_t t = 0; t < p.size(); ++t) {
      if (p[t] != 0.0f) v.emplace_back(t, p[t]);
    }
    model.prototypes.push_back(std::move(v));
  }
  model.min_score = r->min_score;
  model.silhouette = r->silhouette;
  for (size_t c = 0; c < r->themes.size(); ++c) {
    model.themes.push_back({r->themes[c].id, r->themes[c].label, r->themes[c].terms,
                            c < r->centres.size() ? r->centres[c] : internal::SparseVector{}});
  }
  model.passages.reserve(keys.ids.size());
  for (size_t i = 0; i < keys.ids.size(); ++i) {
    model.passages.push_back({keys.ids[i], builder.hashes()[i], builder.lengths()[i]});
  }
  keys.ids = decltype(keys.ids)();
  model.id_bytes = std::move(keys.id_bytes);

  SAMRAD_RETURN_IF_ERROR((*out)->Commit());
  SAMRAD_RETURN_IF_ERROR(WriteFileAtomically(
      dir / "themes.json", internal::ThemesJson(*fw, options.framework_path, area_count, no_area,
                                                r->silhouette, r->min_score, r->themes)));
  Result<std::uint64_t> seal = internal::WriteSavedModel(dir / internal::kModelFile, model);
  if (!seal.ok()) return seal.status();
  output_index.model_seal = *seal;
  output_index.keys = std::move(model.passages);
  output_index.id_bytes = std::move(model.id_bytes);
  model = internal::SavedModel();
  SAMRAD_RETURN_IF_ERROR(internal::WriteOutputIndex(dir / internal::kOutputIndexFile, output_index));
  return summary;
}

}  // namespace

Result<AnalyzeSummary> Analyze(const AnalyzeOptions& options, const analysis::Analyzer& analyzer) {
  Result<Framework> fw = LoadFramework(options.framework_path);
  if (!fw.ok()) return fw.status();
  const fs::path dir = options.state_dir / "analysis";
  Result<std::vector<Document>> documents = ingest::LoadDocuments(options.state_dir);
  if (!documents.ok()) return documents.status();
  internal::PassageKeys keys;
  std::unordered_map<std::string, std::uint32_t> doc_index;
  for (const Document& d : *documents) {
    doc_index.emplace(d.id, static_cast<std::uint32_t>(keys.docs.size()));
    keys.docs.push_back({d.id, d.meta.actor_group, d.meta.subregion});
  }
  documents = std::vector<Document>{};

  // What the fit depends on besides the passages.
  Result<std::string> framework_bytes = ReadFile(options.framework_path);
  if (!framework_bytes.ok()) return framework_bytes.status();
  std::string overrides_bytes;
  if (!options.overrides_path.empty()) {
    Result<std::string> b = ReadFile(options.overrides_path, 64 << 20);
    if (!b.ok()) return b.status();
    overrides_bytes = std::move(*b);
  }
  const std::string fingerprint = internal::FitFingerprint(*framework_bytes, overrides_bytes, analyzer,
                                                           options.sort, options.cluster);

  // Incremental when a saved model fits; else the full fit, saying why.
  std::string why_full;
  AnalyzeSummary drift;
  if (!options.use_cache) {
    why_full = "nothing saved used";
  } else if (options.refit) {
    why_full = "asked (--refit)";
  } else {
    Result<internal::SavedModel> model =
        internal::ReadSavedModel(dir / internal::kModelFile, fw->areas.size());
    if (!model.ok()) {
      why_full = model.status().code() == Status::Code::kNotFound
                     ? "no saved model"
                     : model.status().message() + "; refused";
    } else if (model->fingerprint != fingerprint) {
      why_full = "the framework, overrides, analyzer or options differ from the saved model's";
    } else {
      AnalyzeSummary summary;
      // The documents so far (no passage has been read yet), for the
      // incremental run to add its passages to.
      internal::PassageKeys documents_only;
      documents_only.docs = keys.docs;
      Result<bool> done = internal::AnalyzeIncrementally(options, analyzer, *fw, std::move(documents_only),
                                                         doc_index, *model, &summary, &why_full);
      if (!done.ok()) return done.status();
      if (*done) return summary;
      drift = summary;
    }
  }
  Result<AnalyzeSummary> summary =
      AnalyzeFully(options, analyzer, *fw, fingerprint, std::move(keys), std::move(doc_index));
  if (!summary.ok()) return summary;
  summary->reason = why_full;
  summary->fitted = drift.fitted;
  summary->drift_added = drift.drift_added;
  summary->drift_changed = drift.drift_changed;
  summary->drift_removed = drift.drift_removed;
  return summary;
}

namespace {

// STATE/analysis/passages.jsonl, or why it cannot be read.
Result<fs::path> AnalysisPassagesPath(const fs::path& state_dir) {
  const fs::path path = state_dir / "analysis" / "passages.jsonl";
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Status::NotFound(path.string() + ": cannot read").WithContext("run `samrad analyze` first");
  }
  return path;
}

// A line of analysis/passages.jsonl in the form analyze writes (the seven
// keys in any order, each once, of its type, no others), read fast
// (base/json_line.h); false for any other line, which the nlohmann reader
// below then reads or reports. Scores and reasons are read and checked
// either way, as that reader parses them even when it drops them.
bool ReadPassageThemesFast(std::string_view line, bool with_scores, PassageThemes* p) {
  namespace dom = simdjson::dom;
  dom::object object;
  if (ParseJsonLine(line).get_object().get(object) != simdjson::SUCCESS) return false;
  dom::object scores, reasons;
  unsigned seen = 0;
  for (dom::key_value_pair field : object) {
    const std::string_view key = field.key;
    unsigned bit = 0;
    bool ok = false;
    if (key == "id") {
      bit = 1, ok = JsonString(field.value, &p->passage_id);
    } else if (key == "doc_id") {
      bit = 2, ok = JsonString(field.value, &p->doc_id);
    } else if (key == "areas") {
      bit = 4, ok = JsonStrings(field.value, &p->areas);
    } else if (key == "overridden") {
      bit = 8, ok = field.value.get_bool().get(p->overridden) == simdjson::SUCCESS;
    } else if (key == "theme") {
      bit = 16, ok = JsonInt(field.value, &p->theme);
    } else if (key == "scores") {
      bit = 32, ok = field.value.get_object().get(scores) == simdjson::SUCCESS;
    } else if (key == "reasons") {
      bit = 64, ok = field.value.get_object().get(reasons) == simdjson::SUCCESS;
    }
    if (!ok || (seen & bit)) return false;
    seen |= bit;
  }
  if (seen != 127) return false;
  // Scores: numbers that a float holds as nlohmann's get<float> gives them
  // (a double, or an integer small enough to be exact); keys once each.
  std::vector<std::string_view> areas;
  for (dom::key_value_pair score : scores) {
    double value = 0;
    if (score.value.is_double()) {
      if (score.value.get_double().get(value) != simdjson::SUCCESS) return false;
    } else {
      std::int64_t i = 0;
      if (!score.value.is_int64() || score.value.get_int64().get(i) != simdjson::SUCCESS || i > (1 << 24) ||
          i < -(1 << 24)) {
        return false;
      }
      value = static_cast<double>(i);
    }
    if (std::find(areas.begin(), areas.end(), score.key) != areas.end()) return false;
    areas.push_back(score.key);
    if (with_scores) p->scores.push_back(static_cast<float>(value));
  }
  // Reasons: lists of strings, each key once; kept for the areas scored,
  // in the scores' order.
  std::vector<std::string_view> reason_keys;
  for (dom::key_value_pair reason : reasons) {
    if (std::find(reason_keys.begin(), reason_keys.end(), reason.key) != reason_keys.end()) return false;
    reason_keys.push_back(reason.key);
    std::vector<std::string> terms;
    if (!JsonStrings(reason.value, &terms)) return false;
    if (!with_scores) continue;
    const auto at = std::find(areas.begin(), areas.end(), reason.key);
    if (at != areas.end()) p->reasons.push_back({static_cast<int>(at - areas.begin()), std::move(terms)});
  }
  std::sort(p->reasons.begin(), p->reasons.end(),
            [](const AreaReasons& a, const AreaReasons& b) { return a.area < b.area; });
  return true;
}

}  // namespace

Status ForEachPassageThemes(const fs::path& state_dir, bool with_scores,
                            const std::function<Status(PassageThemes&&)>& fn) {
  Result<fs::path> path = AnalysisPassagesPath(state_dir);
  if (!path.ok()) return path.status();
  const fs::path passages_path = *path;
  // Without scores, the parser drops "scores" and "reasons" as it reads them.
  const Json::parser_callback_t skip_scores = [](int depth, Json::parse_event_t event, Json& parsed) {
    return !(depth == 1 && event == Json::parse_event_t::key &&
             (parsed == "scores" || parsed == "reasons"));
  };
  // Lines are parsed on several threads (base/jsonl.h), handed over in file order.
  auto parse = [&](std::string_view line, int number, std::optional<PassageThemes>* out) -> Status {
    if (line.empty()) return Status::Ok();
    if (ReadPassageThemesFast(line, with_scores, &out->emplace())) return Status::Ok();
    out->reset();
    try {
      const Json j = with_scores ? Json::parse(line) : Json::parse(line, skip_scores);
      PassageThemes& p = out->emplace();
      p.passage_id = j.at("id").get<std::string>();
      p.doc_id = j.at("doc_id").get<std::string>();
      p.areas = j.at("areas").get<std::vector<std::string>>();
      p.overridden = j.at("overridden").get<bool>();
      p.theme = j.at("theme").get<int>();
      if (with_scores) {
        // "scores" lists every area in framework order: its position is the
        // area's index.
        const Json& reasons = j.at("reasons");
        int a = 0;
        for (const auto& [area, score] : j.at("scores").items()) {
          p.scores.push_back(score.get<float>());
          if (reasons.contains(area)) p.reasons.push_back({a, reasons[area].get<std::vector<std::string>>()});
          ++a;
        }
      }
    } catch (const Json::exception& e) {
      return Status::DataError(passages_path.string() + ":" + std::to_string(number) + ": " + e.what());
    }
    return Status::Ok();
  };
  return ForEachLineInParallel<std::optional<PassageThemes>>(
      passages_path, parse, [&](std::optional<PassageThemes>&& p, int) {
        return p ? fn(std::move(*p)) : Status::Ok();
      });
}

Result<ThemeModel> LoadThemes(const fs::path& state_dir) {
  const fs::path dir = state_dir / "analysis";
  Result<std::string> themes_text = ReadFile(dir / "themes.json");
  if (!themes_text.ok()) return themes_text.status();
  ThemeModel model;
  try {
    const Json t = Json::parse(*themes_text);
    model.no_area = t.at("no_area").get<int>();
    model.silhouette = t.at("silhouette").get<double>();
    if (t.contains("min_score")) model.min_score = t.at("min_score").get<double>();
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
    return Status::DataError((dir / "themes.json").string() + ": " + e.what());
  }
  return model;
}

Result<ThemeModel> LoadThemeModel(const fs::path& state_dir, bool with_scores) {
  if (Result<fs::path> path = AnalysisPassagesPath(state_dir); !path.ok()) return path.status();
  Result<ThemeModel> model = LoadThemes(state_dir);
  if (!model.ok()) return model.status();
  SAMRAD_RETURN_IF_ERROR(ForEachPassageThemes(state_dir, with_scores, [&](PassageThemes&& p) {
    model->passages.push_back(std::move(p));
    return Status::Ok();
  }));
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
