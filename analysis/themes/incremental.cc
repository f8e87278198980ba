// The incremental analyze: new and changed passages placed with the model of
// the last full fit, every other passage's line kept as it was.
//
//  1. The record of the last output (output.index) must belong to the saved
//     model and describe the passages.jsonl on disk.
//  2. The ingested passages are streamed once: each one's text hash is
//     compared with the fit's (drift: added + changed + removed since the
//     fit, cumulative) and with the last output's (the line can be kept).
//     Only the texts of passages whose line cannot be kept are held.
//  3. Drift above `max_drift` of the fitted passages, or an override that now
//     resolves to another passage, means a full fit (the caller does it).
//  4. The held passages get their terms from the term cache or the analyzer,
//     a TF-IDF vector with the fit's idf (a term the fit never saw gets the
//     idf of a term in one passage), scores against the fit's final
//     prototypes, areas by the fit's floor and rule, and, when in no area and
//     long enough, the nearest of the fit's cluster centres.
//  5. passages.jsonl is written in passage order: kept lines copied byte for
//     byte, the others written as a full fit writes them. themes.json keeps
//     the fit's theme ids, labels, silhouette and floor; sizes, documents,
//     actor groups, sub-regions and passage ids are counted anew.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <unordered_map>

#include <sys/types.h>

#include "analysis/themes/engine.h"
#include "analysis/themes/output.h"
#include "analysis/themes/saved.h"
#include "base/files.h"
#include "base/model.h"
#include "ingest/ingest.h"

namespace samrad::themes::internal {
namespace {

namespace fs = std::filesystem;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::string Percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", 100.0 * x);
  return buf;
}

}  // namespace

Result<bool> AnalyzeIncrementally(const AnalyzeOptions& o, const analysis::Analyzer& analyzer,
                                  const Framework& fw, PassageKeys keys,
                                  std::unordered_map<std::string, std::uint32_t> doc_index,
                                  const SavedModel& model, AnalyzeSummary* summary,
                                  std::string* why_not) {
  const fs::path dir = o.state_dir / "analysis";
  const size_t n_areas = fw.areas.size();

  // 1. The last output.
  Result<OutputIndex> last = ReadOutputIndex(dir / kOutputIndexFile, n_areas);
  if (!last.ok()) {
    *why_not = last.status().message();
    return false;
  }
  if (last->model_seal != model.seal) {
    *why_not = (dir / kOutputIndexFile).string() + ": written with another model";
    return false;
  }
  std::error_code ec;
  const std::uintmax_t old_size = fs::file_size(dir / "passages.jsonl", ec);
  if (ec || old_size != last->file_size) {
    *why_not = (dir / "passages.jsonl").string() + ": not the file " + kOutputIndexFile + " describes";
    return false;
  }

  // 2. Stream the passages.
  std::unordered_map<std::string_view, size_t> fitted, previous;
  fitted.reserve(model.passages.size());
  for (size_t i = 0; i < model.passages.size(); ++i) fitted.emplace(model.passages[i].id, i);
  previous.reserve(last->keys.size());
  for (size_t i = 0; i < last->keys.size(); ++i) previous.emplace(last->keys[i].id, i);
  const bool with_overrides = !o.overrides_path.empty();
  const std::set<std::string> quote_docs =
      with_overrides ? QuoteDocs(o.overrides_path) : std::set<std::string>{};
  std::vector<PassageInput> for_overrides;
  std::vector<std::int64_t> prev;  // per passage: its record in `last`, or -1
  std::vector<std::uint64_t> text_hash, text_length;
  std::vector<size_t> pending;     // passages to place
  std::vector<std::string> pending_text;
  std::vector<char> fit_seen(model.passages.size(), 0);
  int added = 0, changed = 0;
  Status read = ingest::ForEachPassage(o.state_dir, [&](const Passage& p) {
    NotePassage(p, quote_docs, &doc_index, &keys, with_overrides ? &for_overrides : nullptr);
    const std::uint64_t h = Fnv1a64(p.text);
    const std::uint64_t len = p.text.size();
    text_hash.push_back(h);
    text_length.push_back(len);
    if (auto f = fitted.find(p.id); f == fitted.end()) {
      ++added;
    } else {
      fit_seen[f->second] = 1;
      const PassageKey& k = model.passages[f->second];
      if (k.text_hash != h || k.text_length != len) ++changed;
    }
    std::int64_t pi = -1;
    if (auto l = previous.find(p.id); l != previous.end()) {
      const PassageKey& k = last->keys[l->second];
      if (k.text_hash == h && k.text_length == len) pi = static_cast<std::int64_t>(l->second);
    }
    if (pi < 0) {
      pending.push_back(keys.ids.size() - 1);
      pending_text.push_back(p.text);
    }
    prev.push_back(pi);
    return Status::Ok();
  });
  if (!read.ok()) return read;
  const size_t n = keys.ids.size();

  // 3. Drift.
  const int removed = static_cast<int>(std::count(fit_seen.begin(), fit_seen.end(), 0));
  summary->fitted = static_cast<int>(model.passages.size());
  summary->drift_added = added;
  summary->drift_changed = changed;
  summary->drift_removed = removed;
  const double drift = model.passages.empty()
                           ? 1.0
                           : static_cast<double>(added + changed + removed) /
                                 static_cast<double>(model.passages.size());
  if (model.passages.empty() || drift > o.max_drift) {
    *why_not = "drift since the last full fit " + Percent(drift) + " (" + std::to_string(added) +
               " added, " + std::to_string(changed) + " changed, " + std::to_string(removed) +
               " removed of " + std::to_string(model.passages.size()) + "), above " +
               Percent(o.max_drift);
    return false;
  }
  std::vector<std::uint64_t> override_hash(n, 0);
  std::vector<std::vector<std::uint32_t>> override_areas(n);
  if (with_overrides) {
    Result<std::vector<Override>> ov = LoadOverrides(o.overrides_path, fw, for_overrides);
    if (!ov.ok()) return ov.status();
    for_overrides = decltype(for_overrides)();
    std::unordered_map<std::string_view, size_t> index;
    for (size_t i = 0; i < n; ++i) index.emplace(keys.ids[i], i);
    for (const Override& x : *ov) {  // later lines win over earlier ones
      const size_t i = index.at(x.passage_id);
      override_areas[i] = ExpandAreas(x.areas, fw);
      override_hash[i] = OverrideHash(override_areas[i]);
    }
    for (size_t i = 0; i < n; ++i) {
      if (prev[i] >= 0 && last->records.Get(static_cast<size_t>(prev[i])).override_hash != override_hash[i]) {
        *why_not = "an override now applies to another passage (" + std::string(keys.ids[i]) + ")";
        return false;
      }
    }
  }

  // 4. Place the new and changed passages.
  const std::string header = TermCacheHeader(analyzer);
  TermCache cache;
  std::vector<PassageTerms> terms;
  std::vector<std::uint64_t> hashes;
  std::vector<char> hit;
  if (!pending.empty()) {
    if (o.use_cache) cache = TermCache::Load(dir / "terms.cache", header);
    std::vector<std::string_view> texts(pending_text.begin(), pending_text.end());
    CountPassages(texts, analyzer, &cache, &terms, &hashes, &hit);
  }
  Corpus fc;  // the fit's vocabulary; rows: the pending passages
  const size_t vocab = model.terms.size();
  if (!pending.empty()) {
    for (size_t t = 0; t < vocab; ++t) {
      fc.space.Id(model.terms[t]);
      if (!model.surfaces[t].empty()) fc.space.SeeSurface(static_cast<std::uint32_t>(t), model.surfaces[t]);
    }
    for (const PassageTerms& pt : terms) AppendRow(pt, &fc);
    // A term the fit never saw weighs as one in a single passage would.
    const double fitted_n = static_cast<double>(model.passages.size());
    fc.idf = model.idf;
    fc.idf.resize(fc.space.size(), static_cast<float>(std::log((fitted_n + 1.0) / 2.0) + 1.0));
    Weigh(&fc);
  }
  const size_t dims = fc.space.size();
  std::vector<std::vector<float>> protos(n_areas);
  for (size_t a = 0; a < n_areas && !pending.empty(); ++a) {
    protos[a].assign(dims, 0.0f);
    for (const auto& [id, w] : model.prototypes[a]) protos[a][id] = w;
  }
  // The centres term-major, as the fit's clustering holds them.
  const size_t k = model.themes.size();
  std::vector<float> centres;
  if (!pending.empty() && k > 0) {
    centres.assign(dims * k, 0.0f);
    for (size_t c = 0; c < k; ++c) {
      for (const auto& [id, w] : model.themes[c].centre) centres[id * k + c] = w;
    }
  }
  const size_t m = pending.size();
  std::vector<double> scores(m * n_areas);
  std::vector<std::uint8_t> state(m * n_areas, 0);
  std::vector<int> theme(m, -1);
  for (size_t j = 0; j < m; ++j) {
    const Row row = fc.Weights(j);
    for (size_t a = 0; a < n_areas; ++a) scores[j * n_areas + a] = Dot(row, protos[a]);
    const bool any = ChooseAreas(scores.data() + j * n_areas, fw, model.min_score,
                                 o.sort.relative_to_best, state.data() + j * n_areas);
    if (any || k == 0) continue;
    // The fit's rule for who is clustered: generic terms dropped, at least
    // `min_terms` left.
    SparseVector v;
    double norm = 0;
    for (size_t e = 0; e < row.size; ++e) {
      if (row.term[e] < vocab && model.generic[row.term[e]]) continue;
      v.emplace_back(row.term[e], row.value[e]);
      norm += static_cast<double>(row.value[e]) * row.value[e];
    }
    if (static_cast<int>(v.size()) < o.cluster.min_terms || norm <= 0) continue;
    for (auto& e : v) e.second = static_cast<float>(e.second / std::sqrt(norm));
    std::vector<double> sim(k, 0.0);
    for (const auto& [id, w] : v) {
      const float* c_row = centres.data() + static_cast<size_t>(id) * k;
      for (size_t c = 0; c < k; ++c) sim[c] += static_cast<double>(w) * c_row[c];
    }
    size_t best = 0;
    for (size_t c = 1; c < k; ++c) {
      if (sim[c] > sim[best]) best = c;
    }
    theme[j] = model.themes[best].id;
  }
  centres = decltype(centres)();

  // 5. passages.jsonl, themes.json, output.index, and the new texts' terms.
  Result<std::unique_ptr<AtomicFileWriter>> out = AtomicFileWriter::Open(dir / "passages.jsonl");
  if (!out.ok()) return out.status();
  std::unique_ptr<std::FILE, FileCloser> old;
  if (pending.size() < n) {
    old.reset(std::fopen((dir / "passages.jsonl").c_str(), "rb"));
    if (!old) {
      *why_not = (dir / "passages.jsonl").string() + ": cannot read";
      return false;
    }
  }
  std::vector<std::string> area_json(n_areas);
  for (size_t a = 0; a < n_areas; ++a) AppendJsonString(fw.areas[a].id, &area_json[a]);
  std::vector<int> area_count(n_areas, 0);
  std::unordered_map<int, size_t> theme_slot;
  std::vector<EmergentTheme> themes(k);
  for (size_t c = 0; c < k; ++c) {
    themes[c].id = model.themes[c].id;
    themes[c].label = model.themes[c].label;
    themes[c].terms = model.themes[c].terms;
    theme_slot[themes[c].id] = c;
  }
  OutputIndex next;
  next.model_seal = model.seal;
  next.keys.reserve(n);
  next.records.reserve(n);
  std::uint64_t written = 0, old_pos = 0;
  std::string line, expect;
  size_t j = 0;  // next pending passage
  for (size_t i = 0; i < n; ++i) {
    OutputRecord rec;
    rec.override_hash = override_hash[i];
    rec.offset = written;
    if (prev[i] >= 0) {
      OutputRecord pr = last->records.Get(static_cast<size_t>(prev[i]));
      if (pr.offset != old_pos && fseeko(old.get(), static_cast<off_t>(pr.offset), SEEK_SET) != 0) {
        *why_not = (dir / "passages.jsonl").string() + ": cannot read";
        return false;
      }
      line.resize(pr.length);
      const size_t got = std::fread(line.data(), 1, line.size(), old.get());
      old_pos = pr.offset + got;
      expect = "{\"id\":";
      AppendJsonString(keys.ids[i], &expect);
      expect += ',';
      if (got != line.size() || line.empty() || line.compare(0, expect.size(), expect) != 0 ||
          line.back() != '\n') {
        *why_not = (dir / "passages.jsonl").string() + ": not the file " + kOutputIndexFile + " describes";
        return false;
      }
      rec.theme = pr.theme;
      rec.overridden = pr.overridden;
      rec.areas = std::move(pr.areas);
      ++summary->kept;
      ++summary->reused;
    } else {
      const std::uint8_t* st = state.data() + j * n_areas;
      std::vector<bool> in_area(n_areas);
      for (size_t a = 0; a < n_areas; ++a) in_area[a] = st[a] != 0;
      if (override_hash[i] != 0) {
        std::fill(in_area.begin(), in_area.end(), false);
        for (std::uint32_t a : override_areas[i]) in_area[a] = true;
        rec.overridden = true;
      }
      for (size_t a = 0; a < n_areas; ++a) {
        if (in_area[a]) rec.areas.push_back(static_cast<std::uint32_t>(a));
      }
      rec.theme = theme[j];
      line.clear();
      const size_t row = j;
      AppendPassageLine(keys.ids[i], keys.docs[keys.doc[i]].id, area_json, in_area, rec.overridden,
                        rec.theme, scores.data() + row * n_areas, st,
                        [&](size_t a) { return Reasons(fc, row, protos[a], o.sort.reason_terms); },
                        &line);
      ++summary->placed;
      ++(hit[j] ? summary->reused : summary->tokenised);
      ++j;
    }
    (*out)->Write(line);
    rec.length = line.size();
    written += line.size();
    for (std::uint32_t a : rec.areas) ++area_count[a];
    ++summary->passages;
    ++(rec.areas.empty() ? summary->no_area : summary->assigned);
    if (rec.overridden) ++summary->overridden;
    if (rec.theme > 0) {
      if (auto t = theme_slot.find(rec.theme); t != theme_slot.end()) {
        EmergentTheme& th = themes[t->second];
        th.passage_ids.emplace_back(keys.ids[i]);
        const DocInfo& d = keys.docs[keys.doc[i]];
        if (!d.actor_group.empty()) ++th.actor_groups[d.actor_group];
        if (!d.subregion.empty()) ++th.subregions[d.subregion];
      }
    }
    next.keys.push_back({keys.ids[i], text_hash[i], text_length[i]});
    next.records.Add(rec);
  }
  old.reset();
  next.file_size = written;
  // A theme whose passages have all gone is left out; the others keep their
  // ids (and so their order).
  std::vector<EmergentTheme> kept_themes;
  for (EmergentTheme& t : themes) {
    if (t.passage_ids.empty()) continue;
    std::set<std::string> docs;
    for (const std::string& pid : t.passage_ids) docs.insert(pid.substr(0, pid.rfind('#')));
    t.documents = static_cast<int>(docs.size());
    kept_themes.push_back(std::move(t));
  }
  summary->themes = static_cast<int>(kept_themes.size());
  summary->mode = "incremental";
  SAMRAD_RETURN_IF_ERROR((*out)->Commit());
  SAMRAD_RETURN_IF_ERROR(WriteFileAtomically(
      dir / "themes.json", ThemesJson(fw, o.framework_path, area_count, summary->no_area,
                                      model.silhouette, model.min_score, kept_themes)));
  SAMRAD_RETURN_IF_ERROR(WriteOutputIndex(dir / kOutputIndexFile, next));
  // The new texts' terms join the cache, so the next full fit need not
  // tokenise them (an unreadable cache is left for that fit to rebuild).
  if (!pending.empty() && cache.size() > 0) {
    Result<std::unique_ptr<AtomicFileWriter>> cache_file = AtomicFileWriter::Open(dir / "terms.cache");
    if (!cache_file.ok()) return cache_file.status();
    TermCacheWriter writer(std::move(*cache_file), header, &cache);
    for (size_t p = 0; p < m; ++p) writer.Add(hashes[p], pending_text[p].size(), terms[p]);
    SAMRAD_RETURN_IF_ERROR(writer.Commit());
  }
  return true;
}

}  // namespace samrad::themes::internal
