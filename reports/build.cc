// Report content from the pipeline's state: counts, breakdowns, key phrases,
// and (through method.cc) sub-topics, quotes and disagreements.
#include "reports/build.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string_view>
#include <unordered_map>

#include "analysis/themes/themes.h"
#include "base/id_list.h"
#include "base/memory.h"
#include "ingest/ingest.h"
#include "reports/render.h"

namespace samrad::reports::internal {
namespace {

// Of the spill file, 64 MB stay resident rather than the default 96 MB: at
// N=100,000 `samrad report` peaked at 490 and 491 MB against 512 and 519
// MB, in 71.5 and 85.8 s against 79.3 and 74.5 s (alternating runs; 32 MB
// gained nothing more: 482 and 494 MB).
constexpr size_t kResidentBytes = size_t{64} << 20;

// What planners read for a document kind; an unknown kind is shown as is.
std::string KindLabel(const std::string& kind) {
  if (kind == "seminar") return "Seminarium och dialog";
  if (kind == "remiss") return "Remissvar";
  if (kind == "other") return "Övrigt";
  return kind.empty() ? "(okänd)" : kind;
}

std::string ValueLabel(const std::string& value) { return value.empty() ? "(okänd)" : value; }

const std::string kNone;

// The number of distinct values (sorts `v`).
int Distinct(std::vector<std::uint32_t>* v) {
  std::sort(v->begin(), v->end());
  return static_cast<int>(std::unique(v->begin(), v->end()) - v->begin());
}

// Rows of (value -> passages, documents), most passages first, ties by value.
template <typename KeyFn, typename LabelFn>
std::vector<CountRow> Breakdown(const Corpus& c, const std::vector<size_t>& members, KeyFn key, LabelFn label) {
  std::map<std::string, std::pair<int, std::vector<std::uint32_t>>> m;
  for (size_t p : members) {
    auto& e = m[key(c.document(p))];
    ++e.first;
    e.second.push_back(c.doc_of[p]);
  }
  std::vector<CountRow> rows;
  for (auto& [k, e] : m) rows.push_back({k, label(k), e.first, Distinct(&e.second)});
  std::stable_sort(rows.begin(), rows.end(), [](const CountRow& a, const CountRow& b) { return a.passages > b.passages; });
  return rows;
}

// Of a passage's document (nullptr when unknown).
const std::string& ActorGroup(const Document* d) { return d ? d->meta.actor_group : kNone; }
const std::string& Subregion(const Document* d) { return d ? d->meta.subregion : kNone; }
const std::string& Kind(const Document* d) { return d ? d->meta.kind : kNone; }

struct Counts {
  int passages = 0, documents = 0, organisations = 0;
};

Counts Count(const Corpus& c, const std::vector<size_t>& members) {
  std::vector<std::uint32_t> docs;
  std::set<std::string_view> orgs;
  docs.reserve(members.size());
  std::uint32_t last_doc = 0xFFFFFFFFu;
  for (size_t p : members) {
    docs.push_back(c.doc_of[p]);
    // A document's passages are mostly consecutive: its organisation once.
    if (c.doc_of[p] == last_doc) continue;
    last_doc = c.doc_of[p];
    const Document* d = c.document(p);
    if (d && !d->meta.organisation.empty()) orgs.insert(d->meta.organisation);
  }
  return {static_cast<int>(members.size()), Distinct(&docs), static_cast<int>(orgs.size())};
}

// One topic to report: its passages and key phrase candidates.
struct Topic {
  std::vector<size_t> members;
  int quotes = 0;
  std::string label;  // themes: the analysis' label
  PhraseCandidates phrases;
  TopicReport report;
};

// The parts every topic report shares.
void Fill(const Corpus& c, const Inputs& in, const PhraseOccurrences& occurrences, const MethodOptions& o,
          Topic* topic) {
  const std::vector<size_t>& members = topic->members;
  TopicReport* t = &topic->report;
  const Counts n = Count(c, members);
  t->passages = n.passages;
  t->documents = n.documents;
  t->organisations = n.organisations;
  for (size_t p : members) t->overridden += in.overridden[p] ? 1 : 0;
  t->by_actor_group = Breakdown(c, members, ActorGroup, ValueLabel);
  t->by_subregion = Breakdown(c, members, Subregion, ValueLabel);
  t->by_kind = Breakdown(c, members, Kind, KindLabel);
  t->key_phrases = KeyPhrases(c, members, topic->phrases, occurrences, o);
  std::vector<std::string_view> ids;
  ids.reserve(members.size());
  PagePacer pacer(c.passages);
  for (size_t p : members) {
    pacer.Next(p);
    ids.push_back(c.passages->id(p));
  }
  t->passage_ids = IdList::From(std::move(ids));
  AnalyseTopic(c, members, topic->quotes, o, t);
}

// Areas in display order: each top-level area followed by its descendants
// (framework order among siblings), with their depth.
std::vector<std::pair<int, int>> AreaOrder(const themes::Framework& fw) {
  std::vector<std::pair<int, int>> out;
  std::function<void(const std::string&, int)> visit = [&](const std::string& parent, int depth) {
    for (size_t a = 0; a < fw.areas.size(); ++a) {
      if (fw.areas[a].parent != parent) continue;
      out.emplace_back(static_cast<int>(a), depth);
      visit(fw.areas[a].id, depth + 1);
    }
  };
  visit("", 0);
  return out;
}

}  // namespace

Result<Inputs> LoadInputs(const std::filesystem::path& state_dir, const std::filesystem::path& framework_path,
                          bool spill) {
  Inputs in;
  Result<themes::Framework> fw = themes::LoadFramework(framework_path);
  if (!fw.ok()) return fw.status();
  in.framework = std::move(*fw);
  Result<std::vector<Document>> docs = ingest::LoadDocuments(state_dir);
  if (!docs.ok()) return docs.status();
  // Only the fields the reports show, held through the whole stage.
  in.documents.reserve(docs->size());
  for (Document& d : *docs) in.documents.push_back(DisplayFields(std::move(d)));
  docs = std::vector<Document>();
  const std::string analysis_file = (state_dir / "analysis" / "passages.jsonl").string();
  const std::string stale = ": the analysis does not match the ingested passages; run `samrad analyze` again";

  // The analysis' passages are streamed, and of each only its areas, flags
  // and id are kept (the ids front-coded); then the ingested passages are
  // joined to them (#11: the whole theme model and a map of its ids were
  // ~0.5 GB at N=100,000). Analyze writes its passages in the ingested order,
  // so each ingested passage is first checked against the next id; a state
  // in another order is joined through a map of the ids.
  //
  // The passages' areas, ids and texts, and the rows of the term index built
  // over them, go into a spill file in the state folder (base/spill.h; #11),
  // on the heap when none can be made there.
  //
  const std::shared_ptr<SpillFile> spill_file = spill ? SpillFile::Create(state_dir, kResidentBytes) : nullptr;
  in.areas.SpillTo(spill_file);
  IdList ids;
  std::vector<int> theme_of;  // per passage: its theme id, or -1
  std::vector<std::uint16_t> areas;  // a framework has tens of areas
  size_t n = 0;
  SAMRAD_RETURN_IF_ERROR(themes::ForEachPassageThemes(state_dir, false, [&](themes::PassageThemes&& p) {
    areas.clear();
    for (const std::string& a : p.areas) {
      const int k = in.framework.Find(a);
      if (k < 0) {
        return Status::DataError(analysis_file + ": passage " + p.passage_id + " has area \"" + a + "\", which " +
                                 framework_path.string() +
                                 " does not define; was the analysis run with another framework?");
      }
      areas.push_back(static_cast<std::uint16_t>(k));
    }
    in.areas.Append(areas.begin(), areas.end());
    in.overridden.push_back(p.overridden);
    in.in_theme.push_back(p.theme >= 0);
    theme_of.push_back(p.theme);
    ids.Append(p.passage_id);
    ++n;
    return Status::Ok();
  }));
  in.areas.Seal();
  // The themes, each with its passages (those whose theme it is, ascending).
  {
    Result<themes::ThemeModel> model = themes::LoadThemes(state_dir);
    if (!model.ok()) return model.status();
    std::unordered_map<int, size_t> theme_index;  // theme id -> position in in.themes
    for (themes::EmergentTheme& theme : model->themes) {
      theme_index.emplace(theme.id, in.themes.size());
      ThemeInput& t = in.themes.emplace_back();
      t.label = std::move(theme.label);
      t.terms = std::move(theme.terms);
    }
    for (size_t i = 0; i < n; ++i) {
      if (auto it = theme_index.find(theme_of[i]); it != theme_index.end()) in.themes[it->second].members.push_back(i);
    }
  }
  theme_of = std::vector<int>();

  // Every ingested passage into its place.
  in.passages = PassageStore(n, spill_file);
  const IdPositions positions(ids);
  IdPositions::Cursor next(positions);
  size_t seen = 0;
  SAMRAD_RETURN_IF_ERROR(ingest::ForEachPassage(state_dir, [&](const Passage& p) {
    const size_t at = next.Next(p.id);
    if (at == IdPositions::npos) return Status::DataError(analysis_file + ": no passage " + p.id + stale);
    in.passages.Set(at, p);
    if (++seen % 65536 == 0) in.passages.ReleasePages();
    return Status::Ok();
  }));
  in.passages.ReleasePages();
  if (seen != n) {
    return Status::DataError(analysis_file + ": " + std::to_string(n > seen ? n - seen : 0) +
                             " passages unknown to ingest" + stale);
  }
  return in;
}

Result<Built> BuildReports(const Inputs& in, const analysis::Analyzer& analyzer, const std::string& area,
                           const std::string& as_of, const MethodOptions& o, const std::filesystem::path& scan_cache) {
  // The passages' spill file stays within its budget whatever reads it, or
  // under what the process has already held: in `samrad run` the index
  // stage's peak (base/spill.h, AllowResidentUpTo). Less the budget, kept as
  // room for the heap to grow between two checks of the watch: allowed up to
  // the peak itself, `samrad run` at N=100,000 went from 416 MB after the
  // index stage to 472 MB (#11).
  const std::shared_ptr<SpillFile>& spill = in.passages.spill();
  const auto allow_under_peak = [&spill] {
    const size_t peak = PeakResidentBytes();
    if (spill != nullptr) spill->AllowResidentUpTo(peak - std::min(peak, kResidentBytes));
  };
  allow_under_peak();
  const SpillBudgetWatch watch(spill);
  const themes::Framework& fw = in.framework;
  if (!area.empty() && fw.Find(area) < 0) {
    std::string ids;
    for (const themes::Area& a : fw.areas) ids += (ids.empty() ? "" : ", ") + a.id;
    return Status::InvalidArgument("no area \"" + area + "\" in the framework; its areas are: " + ids);
  }

  Corpus c;
  c.analyzer = &analyzer;
  c.SetPassages(in.passages, in.documents);
  Built b;
  b.scan.path = scan_cache;
  c.index = BuildTermIndex(in.passages, analyzer, &b.scan);
  // The reports tokenise nothing after the term index (#11: the analyzer's
  // shared word memo was ~37 MB of the stage's heap at N=100,000).
  analyzer.ReleaseSharedMemo();
  // Scanning leaves freed memory (each block's raw tokens, the id maps) in
  // the threads' allocator arenas, which the topics' threads would not
  // all reuse: hand back what can be (#11).
  ReturnFreeMemory();
  // Building the term index may have set a new peak (`samrad report` alone).
  allow_under_peak();

  Overview& ov = b.overview;
  ov.framework_id = fw.id;
  ov.framework_name = fw.name;
  ov.as_of = as_of;
  std::vector<size_t> all(in.passages.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  const Counts total = Count(c, all);
  ov.passages = total.passages;
  ov.documents = total.documents;
  ov.organisations = total.organisations;
  ov.by_kind = Breakdown(c, all, Kind, KindLabel);
  ov.actor_groups = Breakdown(c, all, ActorGroup, ValueLabel);
  std::map<std::string, size_t> column;
  for (size_t g = 0; g < ov.actor_groups.size(); ++g) column[ov.actor_groups[g].key] = g;

  std::vector<std::vector<size_t>> members(fw.areas.size());
  for (size_t i = 0; i < in.passages.size(); ++i) {
    ov.overridden += in.overridden[i] ? 1 : 0;
    const std::span<const std::uint16_t> areas = in.areas[i];
    if (areas.empty()) {
      ++ov.no_area;
      if (in.in_theme[i]) ++ov.no_area_in_theme;
    } else {
      ++ov.in_some_area;
    }
    for (std::uint16_t a : areas) members[a].push_back(i);
  }

  std::vector<Topic> area_topics;
  for (const auto& [a, depth] : AreaOrder(fw)) {
    const themes::Area& area_def = fw.areas[static_cast<size_t>(a)];
    const std::vector<size_t>& m = members[static_cast<size_t>(a)];
    const Counts n = Count(c, m);
    AreaRow row{area_def.id, area_def.name, area_def.parent, depth, n.passages, n.documents, n.organisations};
    std::vector<int> cells(ov.actor_groups.size(), 0);
    for (size_t p : m) ++cells[column[ActorGroup(c.document(p))]];
    ov.areas.push_back(std::move(row));
    ov.matrix.push_back(std::move(cells));
    const bool write = area.empty() || area == area_def.id;
    ov.area_files.push_back(write ? AreaFile(area_def.id) : "");
    if (!write) continue;

    Topic topic;
    topic.members = std::move(members[static_cast<size_t>(a)]);  // not read again: not copied (#11)
    topic.quotes = o.quotes_per_area;
    TopicReport& t = topic.report;
    t.kind = "area";
    t.id = area_def.id;
    t.name = area_def.name;
    t.description = area_def.description;
    if (!area_def.parent.empty()) {
      t.parent_id = area_def.parent;
      t.parent_name = fw.areas[static_cast<size_t>(fw.Find(area_def.parent))].name;
    }
    for (const themes::Area& child : fw.areas) {
      if (child.parent == area_def.id) t.children.emplace_back(child.id, child.name);
    }
    area_topics.push_back(std::move(topic));
  }

  // Least input first; ties keep display order. At most three, fewer when
  // the framework is small.
  std::vector<int> order(ov.areas.size());
  for (size_t a = 0; a < order.size(); ++a) order[a] = static_cast<int>(a);
  std::stable_sort(order.begin(), order.end(),
                   [&](int x, int y) { return ov.areas[static_cast<size_t>(x)].passages < ov.areas[static_cast<size_t>(y)].passages; });
  const size_t least = std::min<size_t>(3, order.size() > 1 ? order.size() - 1 : order.size());
  ov.least.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(least));

  std::vector<Topic> theme_topics;
  for (size_t k = 0; k < in.themes.size(); ++k) {
    const ThemeInput& theme = in.themes[k];
    Topic topic;
    topic.members = theme.members;
    topic.quotes = o.quotes_per_theme;
    topic.label = theme.label;
    TopicReport& t = topic.report;
    t.kind = "theme";
    t.id = std::to_string(k + 1);
    t.name = "Tema " + t.id + ": " + theme.label;
    t.terms = theme.terms;
    theme_topics.push_back(std::move(topic));
  }

  // Key phrases: each topic's candidates, then one pass over the corpus for
  // all of them, then the topics one by one.
  std::vector<Topic*> topics;
  for (Topic& t : area_topics) topics.push_back(&t);
  for (Topic& t : theme_topics) topics.push_back(&t);
  // Topics are independent: they run on several threads, largest first.
  std::stable_sort(topics.begin(), topics.end(),
                   [](const Topic* x, const Topic* y) { return x->members.size() > y->members.size(); });
  // Topics whose passages add up to more than a third of the corpus do not
  // run at once (ForEachTopic): at N=100,000 the two largest (27 % and 16 %
  // of the passages) together set the stage's peak.
  std::vector<size_t> topic_sizes;
  for (const Topic* t : topics) topic_sizes.push_back(t->members.size());
  const size_t topic_budget = in.passages.size() / 3;
  // After each topic, the pages of the spill file it read are handed back
  // (#11: what a topic reads is held while it runs, not the whole corpus).
  ForEachTopic(topics.size(), [&](size_t i) {
    topics[i]->phrases = KeyPhraseCandidates(c, topics[i]->members, o);
    in.passages.ReleasePages();
  }, topic_sizes, topic_budget);
  std::vector<const PhraseCandidates*> candidates;
  for (const Topic* t : topics) candidates.push_back(&t->phrases);
  const PhraseOccurrences occurrences = FindPhrases(c, candidates);
  // What is left needs the phrase keys found, not the tokens (~56 MB at
  // N=20,000): freed before the topics' content is built.
  c.index.phrase_tokens = PhraseTokens();
  ReturnFreeMemory();
  ForEachTopic(topics.size(), [&](size_t i) {
    Fill(c, in, occurrences, o, topics[i]);
    topics[i]->members = decltype(topics[i]->members)();
    topics[i]->phrases = {};
    in.passages.ReleasePages();
  }, topic_sizes, topic_budget);
  for (Topic& t : area_topics) b.areas.push_back(std::move(t.report));
  for (Topic& t : theme_topics) {
    ov.themes.push_back({t.report.id, t.label, t.report.passages, t.report.documents});
    b.themes.push_back(std::move(t.report));
  }
  return b;
}

}  // namespace samrad::reports::internal
