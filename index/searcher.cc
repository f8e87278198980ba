// Search over a published index: query parsing, filters, facets, snippets.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "index/index.h"
#include "index/shard_set.h"
#include "index/shards.h"
#include "index/terms.h"

namespace samrad::index {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using namespace internal;

// The fields planners can type, in Swedish, and the term prefix each filters on.
struct Field {
  const char* name;
  const char* prefix;
  const char* help;
};
constexpr Field kFields[] = {
    {"aktör", kActor, "actor group: kommun, kommunalförbund, region, myndighet, akademi, näringsliv, civilsamhälle, blandat"},
    {"delregion", kRegion, "sub-region: Fyrbodal, Skaraborg, Sjuhärad, Göteborgsregionen, \"hela regionen\""},
    {"område", kArea, "strategy area id from the framework, e.g. område:matchning"},
    {"typ", kKind, "document kind: seminar, remiss, other"},
    {"forum", kForum, "the forum of a seminar, e.g. forum:Klimat2030"},
    {"tema", kTheme, "emergent theme number, e.g. tema:2"},
    {"organisation", kOrganisation, "organisation, e.g. organisation:\"Borås Stad\""},
    {"dokument", kDocument, "document id, e.g. dokument:remiss/r01-lidkopings-kommun.md"},
};

class ValueField : public Xapian::FieldProcessor {
 public:
  explicit ValueField(std::string prefix) : prefix_(std::move(prefix)) {}
  Xapian::Query operator()(const std::string& value) override {
    return Xapian::Query(prefix_ + NormaliseValue(value));
  }

 private:
  std::string prefix_;
};

// Adds `n` passages with the facet value `joined` (FacetValues) to each of
// its facets' counts; each area of a passage once.
void AddFacetCounts(const std::string& joined, std::uint64_t n,
                    std::map<std::string, std::map<std::string, std::uint64_t>>* facets) {
  const FacetValues f = SplitFacets(joined);
  auto add = [&](const char* facet, const std::string& value) {
    if (!value.empty()) (*facets)[facet][value] += n;
  };
  add("actor", f.actor);
  add("region", f.region);
  add("kind", f.kind);
  add("theme", f.theme);
  size_t start = 0;
  while (start < f.areas.size()) {
    size_t end = f.areas.find(kValueSeparator, start);
    if (end == std::string::npos) end = f.areas.size();
    if (end > start) add("area", f.areas.substr(start, end - start));
    start = end + 1;
  }
}

// A pseudo-random 1 in `step` of all document ids (a hash of the id picks
// them, so the same query always samples the same passages): filtering a
// query by it gives a sample of its matches spread over the whole index, not
// only its first matches in index order (which are grouped by document
// path, so by kind, organisation and age). Local databases only: a remote
// shard's server knows only Xapian's own posting sources.
class SampleSource : public Xapian::PostingSource {
 public:
  // Blocks of 2^block_bits neighbouring document ids, 1 in `step` of them.
  SampleSource(Xapian::doccount step, unsigned block_bits)
      : step_(std::max<Xapian::doccount>(step, 1)), block_bits_(std::min(block_bits, kMaxBlockBits)) {}
  void init(const Xapian::Database& db) override {
    last_ = db.get_lastdocid();
    count_ = db.get_doccount();
    did_ = 0;
  }
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return count_ / step_; }
  Xapian::doccount get_termfreq_max() const override { return count_; }
  void next(double) override { Advance(did_ + 1); }
  void skip_to(Xapian::docid did, double) override {
    if (did > did_) Advance(did);
  }
  bool at_end() const override { return did_ > last_; }
  Xapian::docid get_docid() const override { return did_; }
  Xapian::PostingSource* clone() const override { return new SampleSource(step_, block_bits_); }

  // Whole blocks are taken or left: Xapian reads a document's values from
  // chunks of neighbouring documents, so a sample of scattered single
  // documents costs several times more to count (perf, N=20,000). But
  // neighbours are mostly of one document, so a sample of few blocks is
  // uneven: blocks are as large as leaves at least kMinBlocks of them in a
  // sample, and at most 512 ids. Each block costs a B-tree lookup and a
  // chunk read in the value stream (~6 us): at N=100,000 a broad query
  // ("kompetens", 8 % of the passages) visited ~950 blocks of 64 ids, now
  // ~240 of 256. search_bench's broad queries there: median 16.6 -> 14.6 ms,
  // largest facet error 1.6-2.8 -> 1.3-2.5 % of the matches. Fewer blocks
  // (at least 64) missed counts of the bundled corpus by over 25 % (a
  // block of its passages is one or two documents).
  static constexpr unsigned kMaxBlockBits = 9;
  static constexpr std::uint64_t kMinBlocks = 128;
  static unsigned BlockBits(std::uint64_t sample, std::uint64_t matches, std::uint64_t passages) {
    // Passages looked at per block of 2^b ids: 2^b * matches / passages.
    unsigned b = 0;
    while (b < kMaxBlockBits && (std::uint64_t{2} << b) * matches * kMinBlocks <= sample * passages) ++b;
    return b;
  }

 private:
  void Advance(Xapian::docid from) {
    did_ = from;
    while (did_ <= last_ && Mix(did_ >> block_bits_) % step_ != 0) {
      did_ = ((did_ >> block_bits_) + 1) << block_bits_;
    }
  }
  static std::uint64_t Mix(std::uint64_t x) {  // splitmix64's finaliser
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  Xapian::doccount step_;
  unsigned block_bits_;
  Xapian::docid last_ = 0, did_ = 0;
  Xapian::doccount count_ = 0;
};

class Stopper : public Xapian::Stopper {
 public:
  explicit Stopper(const analysis::Analyzer& a) : analyzer_(a) {}
  bool operator()(const std::string& term) const override { return analyzer_.IsStopWord(term); }

 private:
  const analysis::Analyzer& analyzer_;
};

bool ValidIsoDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

std::string Compact(const std::string& iso) { return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2); }

// Checks what Xapian's parser would accept silently but a planner would not
// mean: an odd number of quotes, a field name we do not know, a date range
// with an impossible date.
Status ValidateQuery(const std::string& q) {
  if (q.size() > Searcher::kMaxQueryBytes) {
    return Status::InvalidArgument("the query is " + std::to_string(q.size()) +
                                   " bytes long; the limit is " +
                                   std::to_string(Searcher::kMaxQueryBytes));
  }
  if (std::count(q.begin(), q.end(), '"') % 2 != 0) {
    return Status::InvalidArgument("the query has an unbalanced quote (\"): close the phrase");
  }
  std::istringstream words(q);
  std::string w;
  while (words >> w) {
    const size_t dots = w.find("..");
    if (dots != std::string::npos) {
      const std::string a = w.substr(0, dots), b = w.substr(dots + 2);
      if ((!a.empty() && !ValidIsoDate(a)) || (!b.empty() && !ValidIsoDate(b)) || (a.empty() && b.empty())) {
        return Status::InvalidArgument("bad date range \"" + w + "\": use YYYY-MM-DD..YYYY-MM-DD");
      }
      continue;
    }
    // A field is a lower-case word directly followed by ':' and a value.
    // "EU:s" and "S:t" (Swedish genitive and abbreviation) have upper-case
    // letters or a one-letter tail and are text, not fields.
    const size_t colon = w.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= w.size()) continue;
    const std::string field = w.substr(0, colon);
    const std::string folded = NormaliseValue(field);
    if (folded != field || field.size() < 3) continue;
    bool letters = true;
    for (unsigned char c : field) {
      if (c < 0x80 && !(c >= 'a' && c <= 'z')) letters = false;
    }
    if (!letters) continue;
    bool known = false;
    for (const Field& f : kFields) known = known || field == f.name;
    if (!known) {
      std::string names;
      for (const Field& f : kFields) names += std::string(names.empty() ? "" : ", ") + f.name + ":";
      return Status::InvalidArgument("unknown field \"" + field + ":\"; fields are " + names);
    }
  }
  return Status::Ok();
}

// Planners may write the Swedish operators.
std::string TranslateOperators(const std::string& q) {
  std::istringstream in(q);
  std::string w, out;
  bool quoted = false;
  while (in >> w) {
    std::string o = w;
    if (!quoted) {
      if (w == "OCH") o = "AND";
      if (w == "ELLER") o = "OR";
      if (w == "INTE") o = "NOT";
    }
    quoted ^= (std::count(w.begin(), w.end(), '"') % 2) != 0;
    out += (out.empty() ? "" : " ") + o;
  }
  return out;
}

// The query with each word that the search cannot find replaced by the
// spelling data's nearest word; "" when no word is replaced. Xapian's own
// FLAG_SPELLING_CORRECTION looks up every word of the query, also words the
// index holds (and then suggests a more frequent neighbour: "översvämning"
// -> "översvämnings"), and each lookup reads every spelling word that shares
// a trigram with it: 10-55 ms a word at N=100,000 (494,000 spelling words),
// most of the time of a search that found little (#11). A word is taken as
// spelt right when the index holds it or its stem. Field names and values
// ("typ:remiss", "delregion:\"Sju härad\""), operators and numbers are
// left as they are.
std::string CorrectSpelling(const std::string& text, const Xapian::Database& lexicon, const Xapian::Stem& stemmer) {
  static const std::set<std::string> kOperators = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
  std::string out;
  size_t copied = 0;
  bool in_field_quote = false;
  const char* base = text.data();
  Xapian::Utf8Iterator it(text);
  const Xapian::Utf8Iterator end;
  while (it != end) {
    if (!Xapian::Unicode::is_wordchar(*it)) {
      if (*it == '"') {
        const size_t at = static_cast<size_t>(it.raw() - base);
        in_field_quote = in_field_quote ? false : (at > 0 && text[at - 1] == ':');
      }
      ++it;
      continue;
    }
    const size_t start = static_cast<size_t>(it.raw() - base);
    bool letters = false;
    for (; it != end && Xapian::Unicode::is_wordchar(*it); ++it) {
      if (!(*it >= '0' && *it <= '9') && *it != '_') letters = true;
    }
    const size_t stop = it == end ? text.size() : static_cast<size_t>(it.raw() - base);
    const std::string word = text.substr(start, stop - start);
    const bool field = in_field_quote || (start > 0 && text[start - 1] == ':') ||
                       (stop < text.size() && text[stop] == ':');
    if (!letters || field || kOperators.count(word) > 0) continue;
    const std::string lower = Xapian::Unicode::tolower(word);
    if (lexicon.term_exists(lower) || lexicon.term_exists(kStemmed + stemmer(lower))) continue;
    const std::string suggestion = lexicon.get_spelling_suggestion(lower);
    if (suggestion.empty() || suggestion == lower) continue;
    out.append(text, copied, start - copied);
    out += suggestion;
    copied = stop;
  }
  if (copied == 0) return "";
  out.append(text, copied, std::string::npos);
  return out;
}

std::string HtmlToPlain(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '&') {
      static const std::pair<const char*, const char*> kEntities[] = {
          {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
      bool done = false;
      for (const auto& [ent, ch] : kEntities) {
        const size_t n = std::strlen(ent);
        if (s.compare(i, n, ent) == 0) {
          out += ch;
          i += n;
          done = true;
          break;
        }
      }
      if (done) continue;
    }
    out += s[i++];
  }
  return out;
}

// A snippet made with <mark>…</mark> as plain text with »…«.
std::string MarkedHtmlToPlain(const std::string& html) {
  std::string marked;
  marked.reserve(html.size());
  for (size_t i = 0; i < html.size();) {
    if (html.compare(i, 6, "<mark>") == 0) {
      marked += "»";
      i += 6;
    } else if (html.compare(i, 7, "</mark>") == 0) {
      marked += "«";
      i += 7;
    } else {
      marked += html[i++];
    }
  }
  return HtmlToPlain(marked);
}

// A sample's counts scaled up to the whole match set (scale = matches /
// sample size; 1 for exact counts): rounded, at least 1 for a value the
// sample saw, at most the number of matches.
std::map<std::string, std::uint64_t> ScaleCounts(std::map<std::string, std::uint64_t> counts, double scale,
                                                 std::uint64_t matches) {
  if (scale == 1.0) return counts;
  for (auto& [value, n] : counts) {
    const auto scaled = static_cast<std::uint64_t>(std::llround(static_cast<double>(n) * scale));
    n = std::clamp<std::uint64_t>(scaled, 1, std::max<std::uint64_t>(matches, 1));
  }
  return counts;
}

Xapian::Query OrOf(const char* prefix, const std::vector<std::string>& values) {
  std::vector<Xapian::Query> qs;
  for (const std::string& v : values) qs.emplace_back(prefix + NormaliseValue(v));
  return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
}

// j[key] when it is a string, else "".
std::string StringField(const Json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// A hit's source-document fields (the document's meta, stored under its
// DocumentFieldsKey). Indexes of format samrad-index-5 and before kept them
// in every passage's data.
void SetDocumentFields(const Json& j, Hit* h) {
  auto str = [&](const char* k) { return StringField(j, k); };
  h->actor_group = str("actor_group");
  h->subregion = str("subregion");
  h->citation.title = str("title");
  h->citation.organisation = str("organisation");
  h->citation.date = str("date");
  h->citation.kind = str("kind");
}

// A passage's display data as a hit; `with_document_fields` is set when the
// data holds its document's fields too (an older index).
Hit HitFromData(const std::string& data, bool* with_document_fields = nullptr) {
  Hit h;
  if (with_document_fields) *with_document_fields = false;
  const Json j = Json::parse(data, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return h;
  auto str = [&](const char* k) { return StringField(j, k); };
  h.passage_id = str("id");
  h.text = str("text");
  h.speaker = str("speaker");
  h.section = str("section");
  if (j.contains("areas") && j["areas"].is_array()) {
    for (const auto& a : j["areas"]) h.areas.push_back(a.get<std::string>());
  }
  if (j.contains("theme") && j["theme"].is_number_integer()) h.theme = j["theme"].get<int>();
  h.citation.doc_id = str("doc_id");
  h.citation.where = str("where");
  if (j.contains("title")) {
    SetDocumentFields(j, &h);
    if (with_document_fields) *with_document_fields = true;
  }
  return h;
}

// The index a state directory means (shards.h): an operator's shard list
// STATE/shards.json, else the published index, else the published shards.
fs::path StateIndexPath(const fs::path& state_dir) {
  std::error_code ec;
  if (fs::is_regular_file(state_dir / kShardListName, ec)) return state_dir / kShardListName;
  const fs::path single = PublishedIndexPath(state_dir);
  if (!fs::exists(single, ec) && fs::exists(PublishedShardListPath(state_dir), ec)) {
    return PublishedShardListPath(state_dir);
  }
  return single;
}

}  // namespace

struct Searcher::Impl {
  Impl(fs::path p, fs::path state, const analysis::Analyzer& a, SearcherOptions o)
      : path(std::move(p)), state_dir(std::move(state)), analyzer(a), stopper(a), options(std::move(o)) {}
  fs::path path;
  fs::path state_dir;  // when a state directory was given: what it means is looked up on each reopen
  fs::path resolved;  // the generation `path` pointed at when opened
  const analysis::Analyzer& analyzer;
  Stopper stopper;
  Xapian::Stem stemmer{"swedish"};
  Xapian::Database db;
  Xapian::Database lexicon;  // spelling and synonyms: db, or the local shards of a shard set
  // A shard set's shards that opened, in the order `db` holds them: a
  // document's fields are in its passages' shard, and Xapian's get_metadata
  // on a set reads only the first.
  std::vector<Xapian::Database> shard_dbs;
  SearcherOptions options;
  // A shard set (shards.h): the shards that did not open (with allow_partial).
  bool sharded = false;
  bool remote = false;  // some shard is remote
  std::vector<std::string> missing;
  std::chrono::steady_clock::time_point opened_at;

  fs::path Target() const { return state_dir.empty() ? path : StateIndexPath(state_dir); }

  Status OpenDb() {
    const fs::path want = Target();
    std::error_code ec;
    fs::path target = fs::canonical(want, ec);
    if (ec) {
      return Status::NotFound(want.string() + ": no published index (run `samrad index` or `samrad run` first)");
    }
    if (fs::is_regular_file(target, ec)) return OpenShards(target);
    try {
      db = Xapian::Database(target.string());
    } catch (const Xapian::Error& e) {
      return Status::DataError(target.string() + ": cannot open index: " + e.get_description());
    }
    lexicon = db;
    shard_dbs.clear();
    sharded = false;
    remote = false;
    missing.clear();
    resolved = target;
    return Status::Ok();
  }

  // Replaces the open set only when the new one opens.
  Status OpenShards(const fs::path& list_file) {
    Result<ShardList> list = ReadShardList(list_file);
    if (!list.ok()) return list.status();
    Result<internal::OpenedShards> opened =
        internal::OpenShardSet(*list, internal::ResolveShardSetOptions(*list, options));
    opened_at = std::chrono::steady_clock::now();
    if (!opened.ok()) return opened.status().WithContext(list_file.string());
    db = opened->all;
    lexicon = opened->lexicon;
    shard_dbs = opened->each;
    missing = opened->missing;
    sharded = true;
    remote = std::any_of(list->shards.begin(), list->shards.end(),
                         [](const ShardEntry& e) { return !e.host.empty(); });
    resolved = list_file;
    return Status::Ok();
  }

  // The hit of passage `did` (a document id of `db`) with its document's
  // fields, read once per document through `fields_of` (doc id -> fields).
  Hit HitOf(Xapian::docid did, const std::string& data, std::map<std::string, Json>* fields_of) {
    bool complete = false;
    Hit h = HitFromData(data, &complete);
    if (complete || h.citation.doc_id.empty()) return h;
    auto [it, added] = fields_of->try_emplace(h.citation.doc_id);
    if (added) {
      // Xapian interleaves a set's shards: document id d is in shard (d - 1) mod n.
      const Xapian::Database& holder = shard_dbs.empty() ? db : shard_dbs[(did - 1) % shard_dbs.size()];
      it->second = Json::parse(holder.get_metadata(DocumentFieldsKey(h.citation.doc_id)), nullptr, false);
    }
    if (it->second.is_object()) SetDocumentFields(it->second, &h);
    return h;
  }

  // Missing shards are tried again now and then.
  void RetryMissing() {
    if (!sharded || missing.empty()) return;
    if (std::chrono::steady_clock::now() - opened_at < std::chrono::seconds(options.retry_seconds)) return;
    (void)OpenDb();
  }

  template <typename T>
  void MarkPartial(Result<T>* r) const {
    if (r->ok() && !missing.empty()) {
      (*r)->partial = true;
      (*r)->missing_shards = missing;
    }
  }
};

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

Result<std::unique_ptr<Searcher>> Searcher::Open(const fs::path& db_path,
                                                 const analysis::Analyzer& analyzer,
                                                 const SearcherOptions& options) {
  fs::path p = db_path;
  fs::path state;
  // A state directory is accepted too: open its published index.
  std::error_code ec;
  if (fs::exists(p / "published", ec) || fs::is_directory(p / "ingest", ec) ||
      fs::is_regular_file(p / kShardListName, ec)) {
    state = p;
    p = StateIndexPath(p);
  }
  auto impl = std::make_unique<Impl>(p, state, analyzer, options);
  SAMRAD_RETURN_IF_ERROR(impl->OpenDb());
  return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

Status Searcher::Reopen() {
  std::error_code ec;
  const fs::path want = impl_->Target();
  fs::path target = fs::canonical(want, ec);
  if (ec) return Status::NotFound(want.string() + ": the published index is gone");
  // A shard set is opened anew: remote servers open their shard afresh per
  // connection, so a shard republished on its machine is picked up too.
  if (target != impl_->resolved || impl_->sharded) return impl_->OpenDb();
  try {
    impl_->db.reopen();
  } catch (const Xapian::Error& e) {
    return impl_->OpenDb();
  }
  return Status::Ok();
}

std::uint64_t Searcher::PassageCount() const { return impl_->db.get_doccount(); }

Result<SearchResponse> Searcher::Search(const SearchRequest& req) {
  impl_->RetryMissing();
  Result<SearchResponse> r = SearchOnce(req);
  // The index we had open was replaced under us (a writer committed twice
  // since we opened it): open the current one and ask again, once.
  if (!r.ok() && r.status().message().find("DatabaseModifiedError") != std::string::npos) {
    SAMRAD_RETURN_IF_ERROR(Reopen());
    r = SearchOnce(req);
  } else if (!r.ok() && impl_->sharded && r.status().code() == Status::Code::kIOError) {
    // A shard failed under us: down, timed out, or its server closed an idle
    // connection. Opening the set anew names the shard that fails (or, with
    // allow_partial, leaves it out); then ask again, once.
    SAMRAD_RETURN_IF_ERROR(impl_->OpenDb());
    r = SearchOnce(req);
  }
  impl_->MarkPartial(&r);
  return r;
}

Result<SearchResponse> Searcher::SearchOnce(const SearchRequest& req) {
  SAMRAD_RETURN_IF_ERROR(ValidateQuery(req.query));
  for (const std::string* d : {&req.from, &req.to}) {
    if (!d->empty() && !ValidIsoDate(*d)) {
      return Status::InvalidArgument("bad date \"" + *d + "\": use YYYY-MM-DD");
    }
  }
  if (req.limit < 0 || req.limit > 1000) return Status::InvalidArgument("limit must be 0..1000");
  if (req.offset < 0) return Status::InvalidArgument("offset must be >= 0");
  Impl& s = *impl_;
  SearchResponse resp;
  try {
    Xapian::QueryParser qp;
    qp.set_database(s.lexicon);
    qp.set_stemmer(s.stemmer);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_stopper(&s.stopper);
    qp.set_default_op(Xapian::Query::OP_AND);
    for (const Field& f : kFields) {
      qp.add_boolean_prefix(f.name, (new ValueField(f.prefix))->release());
    }
    qp.add_rangeprocessor((new Xapian::DateRangeProcessor(kSlotDate))->release());
    // Spelling correction is asked for only after the search, when the query
    // found little (CorrectSpelling).
    const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_AUTO_SYNONYMS;
    const std::string text = TranslateOperators(req.query);
    // Every passage: the empty term, made here rather than copied from the
    // static Xapian::Query::MatchAll, whose reference count is not atomic:
    // `samrad serve` searches on many threads at once, and copies of the
    // shared object from several of them freed it under the others (a crash
    // in Enquire::set_query, seen 1 in 10 runs of ServeLoad on 2 cores).
    const auto match_all = [] { return Xapian::Query(std::string()); };
    Xapian::Query query = text.empty() ? match_all() : qp.parse_query(text, flags);
    if (query.empty()) query = match_all();  // e.g. only stop words

    std::vector<Xapian::Query> filters;
    if (!req.areas.empty()) filters.push_back(OrOf(kArea, req.areas));
    if (!req.actors.empty()) filters.push_back(OrOf(kActor, req.actors));
    if (!req.regions.empty()) filters.push_back(OrOf(kRegion, req.regions));
    if (!req.kinds.empty()) filters.push_back(OrOf(kKind, req.kinds));
    if (!req.themes.empty()) filters.push_back(OrOf(kTheme, req.themes));
    if (!req.from.empty() || !req.to.empty()) {
      const std::string lo = req.from.empty() ? "00000000" : Compact(req.from);
      const std::string hi = req.to.empty() ? "99999999" : Compact(req.to);
      filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kSlotDate, lo, hi);
    }
    for (const Xapian::Query& f : filters) query = Xapian::Query(Xapian::Query::OP_FILTER, query, f);

    Xapian::Enquire enquire(s.db);
    enquire.set_query(query);
    if (req.per_document) enquire.set_collapse_key(kSlotDocument);
    // Collapsing, one spy runs with the search: its total says how many
    // passages the matcher looked at. The facets are counted afterwards (below).
    Xapian::ValueCountMatchSpy looked(kSlotDocument);
    if (req.per_document) enquire.add_matchspy(&looked);
    // Xapian looks at (at least) checkatleast matches: all of them when there
    // are fewer, so the facets and the total are exact; otherwise it stops
    // counting there and the match spies have seen a sample (facets_approximate).
    const Xapian::doccount check_at_least = static_cast<Xapian::doccount>(
        std::max(s.options.facet_exact_limit, req.offset + req.limit));
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(req.offset),
                                         static_cast<Xapian::doccount>(req.limit), check_at_least);
    resp.total_estimate = mset.get_matches_estimated();
    resp.total_lower = mset.get_matches_lower_bound();
    resp.total_upper = mset.get_matches_upper_bound();
    // Whether the matcher looked at every matching passage. Without
    // collapsing: when it runs out of matches it knows their number, and it
    // runs out when there are at most check_at_least. Collapsing, it stops
    // only once it has check_at_least documents, so fewer passages looked at
    // than that means it ran out of matches (Xapian's uncollapsed bounds are
    // not tight when collapsing).
    const std::uint64_t seen =
        req.per_document ? looked.get_total() : mset.get_uncollapsed_matches_lower_bound();
    const bool seen_all =
        req.per_document
            ? seen < check_at_least || (seen == mset.get_uncollapsed_matches_lower_bound() &&
                                        seen == mset.get_uncollapsed_matches_upper_bound())
            : resp.total_lower == resp.total_upper && resp.total_upper <= check_at_least;
    // Collapsing, Xapian estimates the number of documents (and each hit's
    // collapse count is a lower bound) unless asked to look at every match.
    // When the matches are few, asking again for exact ones is cheap.
    Xapian::MSet exact;
    const bool recounted = req.per_document && resp.total_lower != resp.total_upper && seen_all;
    if (recounted) {
      Xapian::Enquire again(s.db);
      again.set_query(query);
      again.set_collapse_key(kSlotDocument);
      exact = again.get_mset(static_cast<Xapian::doccount>(req.offset), static_cast<Xapian::doccount>(req.limit),
                             s.db.get_doccount());
      resp.total_estimate = exact.get_matches_estimated();
      resp.total_lower = exact.get_matches_lower_bound();
      resp.total_upper = exact.get_matches_upper_bound();
    }
    if (req.facets) {
      // 1. The matcher saw every match: count them all, exactly.
      // 2. It did not: count a sample of about facet_sample matches
      //    spread over the whole index (SampleSource), scaled up to the
      //    estimated number of matching passages. Over remote shards (whose
      //    servers do not know SampleSource) the sample is the matches the
      //    search itself looked at, counted again.
      // Spies count passages, before collapsing; BoolWeight: no ranking.
      const std::uint64_t matches = mset.get_uncollapsed_matches_estimated();
      // (Collapsing, the matcher may have looked at many more passages than
      // check_at_least: those are sampled too.)
      resp.facets_approximate = !seen_all || seen > check_at_least;
      // One value a passage (FacetValues); a spy Xapian knows, so that remote
      // shards run it on their servers.
      Xapian::ValueCountMatchSpy facet_values(kSlotFacets);
      Xapian::Enquire counting(s.db);
      counting.add_matchspy(&facet_values);
      counting.set_weighting_scheme(Xapian::BoolWeight());
      const std::uint64_t target = static_cast<std::uint64_t>(std::max(s.options.facet_sample, 1));
      SampleSource sample(static_cast<Xapian::doccount>((matches + target - 1) / target),
                          SampleSource::BlockBits(target, matches, s.db.get_doccount()));
      if (!resp.facets_approximate) {
        counting.set_query(query);
        counting.get_mset(0, 0, s.db.get_doccount());
      } else if (!s.remote) {
        counting.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(&sample)));
        counting.get_mset(0, 0, s.db.get_doccount());
      } else {
        counting.set_query(query);
        counting.get_mset(0, 0, check_at_least);
      }
      resp.facet_sample = facet_values.get_total();
      const double scale = resp.facets_approximate && resp.facet_sample > 0
                               ? static_cast<double>(matches) / static_cast<double>(resp.facet_sample)
                               : 1.0;
      for (const char* facet : {"actor", "region", "kind", "theme", "area"}) resp.facets[facet];
      for (auto it = facet_values.values_begin(); it != facet_values.values_end(); ++it) {
        AddFacetCounts(*it, it.get_termfreq(), &resp.facets);
      }
      for (auto& [facet, counts] : resp.facets) counts = ScaleCounts(std::move(counts), scale, matches);
    }
    if (!text.empty() && resp.total_upper < static_cast<std::uint64_t>(s.options.spelling_below)) {
      resp.corrected_query = CorrectSpelling(text, s.lexicon, s.stemmer);
    }
    // One snippet per hit; the plain one is derived from it (Xapian escapes
    // the text, so "<mark>" in the snippet can only be our own markup).
    const unsigned snippet_flags = Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE;
    if (recounted) mset = exact;  // hits with exact collapse counts
    int rank = req.offset;
    std::map<std::string, Json> fields_of;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      Hit h = s.HitOf(*it, it.get_document().get_data(), &fields_of);
      h.rank = ++rank;
      h.weight = it.get_weight();
      h.collapsed = static_cast<int>(it.get_collapse_count());
      if (req.per_document && s.remote) {
        // Xapian's remote protocol does not carry collapse counts: count the
        // document's other matches instead (all in one shard, shards.h).
        Xapian::Enquire same(s.db);
        same.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                                     Xapian::Query(kDocument + NormaliseValue(h.citation.doc_id))));
        const Xapian::doccount n = same.get_mset(0, 0, s.db.get_doccount()).get_matches_estimated();
        h.collapsed = n > 0 ? static_cast<int>(n - 1) : 0;
      }
      h.snippet_html = mset.snippet(h.text, 300, s.stemmer, snippet_flags, "<mark>", "</mark>", "…");
      h.snippet = MarkedHtmlToPlain(h.snippet_html);
      resp.hits.push_back(std::move(h));
    }
  } catch (const Xapian::QueryParserError& e) {
    return Status::InvalidArgument("cannot parse the query: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    return Status::IOError(s.resolved.string() + ": search failed: " + e.get_description());
  }
  return resp;
}

Result<PassageView> Searcher::GetPassage(const std::string& passage_id) {
  impl_->RetryMissing();
  Result<PassageView> r = GetPassageOnce(passage_id);
  if (!r.ok() && impl_->sharded && r.status().code() == Status::Code::kIOError) {
    SAMRAD_RETURN_IF_ERROR(impl_->OpenDb());  // as in Search()
    r = GetPassageOnce(passage_id);
  }
  if (!r.ok() && r.status().code() == Status::Code::kNotFound && !impl_->missing.empty()) {
    std::string names;
    for (const std::string& m : impl_->missing) names += (names.empty() ? "" : ", ") + m;
    return Status::NotFound(r.status().message() + " (shards not answering: " + names + ")");
  }
  impl_->MarkPartial(&r);
  return r;
}

Result<PassageView> Searcher::GetPassageOnce(const std::string& passage_id) {
  Impl& s = *impl_;
  PassageView view;
  try {
    Xapian::PostingIterator p = s.db.postlist_begin(kPassageId + passage_id);
    if (p == s.db.postlist_end(kPassageId + passage_id)) {
      return Status::NotFound("no passage \"" + passage_id + "\" in the index");
    }
    std::map<std::string, Json> fields_of;
    view.passage = s.HitOf(*p, s.db.get_document(*p).get_data(), &fields_of);
    const std::string doc_term = kDocument + NormaliseValue(view.passage.citation.doc_id);
    std::vector<std::pair<int, Hit>> all;
    for (auto it = s.db.postlist_begin(doc_term); it != s.db.postlist_end(doc_term); ++it) {
      const std::string data = s.db.get_document(*it).get_data();
      const Json j = Json::parse(data, nullptr, false);
      const int ordinal = (!j.is_discarded() && j.contains("ordinal")) ? j["ordinal"].get<int>() : 0;
      all.emplace_back(ordinal, s.HitOf(*it, data, &fields_of));
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [o, h] : all) view.document_passages.push_back(std::move(h));
  } catch (const Xapian::Error& e) {
    return Status::IOError(s.resolved.string() + ": " + e.get_description());
  }
  return view;
}

std::string QuerySyntaxHelp() {
  std::string out =
      "Query syntax: words are ANDed and found in any inflection (Swedish stemming) and inside\n"
      "compounds (\"skola\" finds \"grundskolan\"). \"exact phrase\", OR, NOT, -word, +word,\n"
      "parentheses; the Swedish OCH/ELLER/INTE work too. A date range 2019-03-01..2019-06-30.\n"
      "Fields (quote values with spaces):\n";
  for (const Field& f : kFields) out += std::string("  ") + f.name + ":VALUE  " + f.help + "\n";
  return out;
}

}  // namespace samrad::index
