// Builds the Xapian index from the ingested and analysed passages.
//
//  1. Load documents (metadata) and the theme model (areas, themes).
//  2. Copy the base index, if any, and read each passage's document id and
//     hashes (its "Q" term and value slot 7) from it.
//  3. Stream the passages into batches. Worker threads prepare a batch: the
//     display data and hashes of each passage (unchanged ones are skipped,
//     ones whose only change is their areas or theme are marked), then the
//     tokens and whole Xapian document of the others. Meanwhile the one
//     Xapian writer (this thread) writes the batch before: a new passage
//     with add_document, a changed one with replace_document by document
//     id, a marked one by editing its document read back from the index.
//     Every step is in passage order, so the document ids and so the index
//     are the same whatever the number of threads.
//  4. Add the spelling data (each distinct word once, with its count),
//     delete passages that are gone; commit.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "analysis/themes/themes.h"
#include "base/files.h"
#include "base/id_list.h"
#include "base/memory.h"
#include "base/model.h"
#include "base/parallel.h"
#include "base/publish.h"
#include "base/string_arena.h"
#include "index/index.h"
#include "index/lemmas.h"
#include "index/parallel_build.h"
#include "index/shards.h"
#include "index/terms.h"
#include "ingest/ingest.h"

namespace samrad::index {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using namespace internal;

std::string WhereInSource(const Passage& p) {
  // Swedish, for planners: where to look in the original.
  if (p.locator.page > 0) return "sida " + std::to_string(p.locator.page);
  if (!p.question.empty()) return "svar " + std::to_string(p.ordinal + 1);
  if (p.locator.line_start > 0) {
    if (p.locator.line_end > p.locator.line_start) {
      return "rad " + std::to_string(p.locator.line_start) + "–" + std::to_string(p.locator.line_end);
    }
    return "rad " + std::to_string(p.locator.line_start);
  }
  return "stycke " + std::to_string(p.ordinal + 1);
}

std::string DateValue(const std::string& iso) {
  // "2019-03-14" -> "20190314"; anything else -> "" (no date).
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return "";
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

void AddBoolean(Xapian::Document* doc, const char* prefix, const std::string& value) {
  if (value.empty()) return;
  std::string term = prefix + NormaliseValue(value);
  if (term.size() <= kMaxTermBytes) doc->add_boolean_term(term);
}

// Strings in one buffer, found by binary search over their sorted order: a
// few bytes a key where a std::map costs a node and a string each (#11: the
// index stage held every passage id three times over).
class KeyTable {
 public:
  // Appends `key` at position size(). Call Seal() before Find().
  void Add(std::string_view key) {
    bytes_ += key;
    ends_.push_back(bytes_.size());
  }
  void Seal() {
    order_.resize(ends_.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<std::uint32_t>(i);
    // Stable: of equal keys the last added is found, as a std::map assigned
    // in order would keep it.
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return (*this)[a] < (*this)[b]; });
    bytes_.shrink_to_fit();
    ends_.shrink_to_fit();
  }
  static constexpr size_t npos = static_cast<size_t>(-1);
  // The position of `key` (the last one added, for a key added twice), or npos.
  size_t Find(std::string_view key) const {
    auto it = std::upper_bound(order_.begin(), order_.end(), key,
                               [&](std::string_view k, std::uint32_t i) { return k < (*this)[i]; });
    if (it == order_.begin() || (*this)[*(it - 1)] != key) return npos;
    return *(it - 1);
  }
  std::string_view operator[](size_t i) const {
    const size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_).substr(begin, ends_[i] - begin);
  }
  size_t size() const { return ends_.size(); }

 private:
  std::string bytes_;
  std::vector<size_t> ends_;
  std::vector<std::uint32_t> order_;  // positions sorted by key
};

// What the index takes from a passage's themes (themes::PassageThemes
// without its strings).
struct Themes {
  const std::vector<std::string>* areas;
  bool overridden;
  int theme;
};

// The analysis' themes of every passage, compactly: its id front-coded
// (IdList, ~5 bytes) and 8 bytes of themes, each distinct list of areas
// stored once (there are few). Analyze writes its passages in the ingested
// order, so a Cursor walking the ingested passages finds each one's themes
// by checking the next id (IdPositions). (#11: a table sorted by id, ~60 MB
// at N=100,000, was held through the whole index build.)
class ThemeTable {
 public:
  // The analysis' passages, one at a time (#11: not the whole theme model,
  // ~250 bytes a passage), then Seal().
  void Add(const themes::PassageThemes& t) {
    ids_.Append(t.passage_id);
    auto [it, inserted] = sets_.try_emplace(t.areas, static_cast<std::uint32_t>(area_sets_.size()));
    if (inserted) area_sets_.push_back(t.areas);
    entries_.push_back({it->second | (t.overridden ? kOverridden : 0u), t.theme});
  }
  void Seal() {
    sets_.clear();
    entries_.shrink_to_fit();
  }

  // The themes of the ingested passages in their order, for one reader of
  // them. Cursors of one table may be used on different threads.
  class Cursor {
   public:
    explicit Cursor(const ThemeTable& table) : table_(table), position_(table.positions_) {}
    // The themes of `passage_id`, the ingested passage after the one asked
    // before, or nullopt if the analysis has none.
    std::optional<Themes> Next(std::string_view passage_id) {
      const size_t i = position_.Next(passage_id);
      if (i == IdPositions::npos) return std::nullopt;
      return table_.At(i);
    }

   private:
    const ThemeTable& table_;
    IdPositions::Cursor position_;
  };

 private:
  static constexpr std::uint32_t kOverridden = 0x80000000u;
  struct Entry {
    std::uint32_t areas;  // into area_sets_; kOverridden or'ed in
    int theme;
  };
  Themes At(size_t i) const {
    const Entry& e = entries_[i];
    return Themes{&area_sets_[e.areas & ~kOverridden], (e.areas & kOverridden) != 0, e.theme};
  }
  IdList ids_;
  IdPositions positions_{ids_};
  std::vector<Entry> entries_;
  std::vector<std::vector<std::string>> area_sets_;
  std::map<std::vector<std::string>, std::uint32_t> sets_;  // area set -> index, while adding
};

// What the writer does with a passage.
enum class Action {
  kUnchanged,  // the same content hash as in the base index: nothing
  kAdd,        // not in the base index: add `doc`
  kReplace,    // its text or document changed: replace with `doc`
  kRetheme,    // only its areas or theme changed: edit the base index's document
};

// One passage on its way into the index.
struct PassageBuild {
  Passage passage;
  size_t old = static_cast<size_t>(-1);  // its position in the base index's ids, or npos
  std::optional<Themes> themes;  // the analysis' themes of it, if any
  // Filled by a worker:
  Action action = Action::kAdd;
  std::string hash;  // value slot 7 (HashValue)
  std::string data;  // kRetheme: the new display data
  Xapian::Document doc;  // kAdd, kReplace
};

// The passage's display data: everything shown for a hit but its source
// document's fields, which are stored once per document (DocumentFieldsKey).
// With the index format, it and those fields are everything its terms are
// made from.
Json DisplayData(const Passage& p, const Themes* t) {
  Json data;
  data["id"] = p.id;
  data["doc_id"] = p.doc_id;
  data["ordinal"] = p.ordinal;
  data["text"] = p.text;
  data["section"] = p.section;
  std::string speaker = p.speaker_role;
  if (!p.speaker_org.empty()) speaker += (speaker.empty() ? "" : ", ") + p.speaker_org;
  data["speaker"] = speaker;
  data["where"] = WhereInSource(p);
  data["areas"] = t != nullptr ? *t->areas : std::vector<std::string>{};
  data["overridden"] = t != nullptr && t->overridden;
  data["theme"] = t != nullptr ? t->theme : -1;
  return data;
}

// Value slot 7: a hash of what the passage's document shows (its display
// data's fields, each with its length, and the index format), then "/" and
// the same hash without its areas, overridden flag and theme (the "text
// hash"). When only the first differs from the base index, the passage's
// text and document are as they were and only its theme fields need
// rewriting (kRetheme). The fields are hashed as they are, not as the
// display data's JSON (#11: building and serialising every passage's JSON
// was ~25 % of a nightly update with nothing changed, perf at N=20,000);
// the JSON is made only for passages written. Indexes of an older format
// (another hash) are rewritten whole by the next update.
void AppendField(std::string_view field, std::string* out) {
  out->append(std::to_string(field.size()));
  out->push_back(':');
  out->append(field);
}

std::string HashPassage(const Passage& p, const Document* d, const Themes* t) {
  thread_local std::string fields;
  fields.assign(kIndexFormat);
  fields.push_back('\x1e');
  for (std::string_view f : {std::string_view(p.id), std::string_view(p.doc_id), std::string_view(p.text),
                             std::string_view(p.section), std::string_view(p.speaker_role),
                             std::string_view(p.speaker_org)}) {
    AppendField(f, &fields);
  }
  AppendField(std::to_string(p.ordinal), &fields);
  AppendField(WhereInSource(p), &fields);
  const DocumentMeta empty;
  const DocumentMeta& m = d != nullptr ? d->meta : empty;
  for (const std::string* f : {&m.title, &m.organisation, &m.date, &m.kind, &m.actor_group, &m.subregion, &m.forum}) {
    AppendField(*f, &fields);
  }
  const std::string text_hash = ContentHash(fields);
  // No themes shows as no areas, not overridden, theme -1 (DisplayData).
  fields.assign(text_hash);
  if (t != nullptr) {
    for (const std::string& area : *t->areas) AppendField(area, &fields);
  }
  fields.push_back('\x1e');
  fields.push_back(t != nullptr && t->overridden ? '1' : '0');
  AppendField(std::to_string(t != nullptr ? t->theme : -1), &fields);
  return ContentHash(fields) + "/" + text_hash;
}
// The two parts of a slot 7 value ("" for a missing text hash).
std::string_view FullHash(std::string_view value) { return value.substr(0, value.find('/')); }
std::string_view TextHash(std::string_view value) {
  const size_t slash = value.find('/');
  return slash == std::string_view::npos ? std::string_view() : value.substr(slash + 1);
}

void AddStem(const std::string& stem, std::vector<std::string>* terms) {
  if (!stem.empty() && stem.size() < kMaxTermBytes) terms->push_back(kStemmed + stem);
}

// The terms of one content word beyond its position, in the order they are
// added (a term listed twice gets wdf 2). Beyond its Snowball stem:
//  - the stem of the stem: Snowball Swedish removes one suffix, so
//    "ambulansen" stems to "ambulans" while the query word "ambulans" stems to
//    "ambulan"; stemming again makes the two meet;
//  - the stems of its dictionary forms (lemmas.h): "klubbstugan" ->
//    "klubbstuga" -> "klubbstug", which is what the query "klubbstuga" makes.
//    A compound the dictionary does not list as a whole takes its head's
//    forms after its other parts: "vindkraftsetableringar" -> "vindkrafts" +
//    "etablering";
//  - every compound part, plain and stemmed ("skola" finds "grundskolan");
//  - every run of two or more adjacent parts that is not the whole word:
//    "havsnivåhöjningen" (hav+nivå+höjningen) is also about "havsnivå".
void StemTerms(const analysis::Token& tok, const analysis::Analyzer& analyzer,
               Lemmatizer* lemmatizer, std::vector<std::string>* terms) {
  AddStem(tok.stem, terms);
  const std::string again = analyzer.Stem(tok.stem);
  if (again != tok.stem) AddStem(again, terms);
  const std::vector<std::string> surface =
      tok.parts.empty() ? std::vector<std::string>() : analyzer.SplitCompoundSurface(tok.norm);
  if (tok.kind == analysis::TokenKind::kWord) {
    const std::vector<std::string> lemmas = lemmatizer->Lemmas(tok.norm);
    for (const std::string& lemma : lemmas) AddStem(analyzer.Stem(lemma), terms);
    if (surface.size() >= 2 && tok.norm.ends_with(surface.back())) {
      const std::vector<std::string> head_lemmas = lemmatizer->Lemmas(surface.back());
      // The compound's forms from its head's, where the dictionary does not
      // list the whole word.
      const std::string_view modifier =
          std::string_view(tok.norm).substr(0, tok.norm.size() - surface.back().size());
      if (lemmas.empty()) {
        for (const std::string& head_lemma : head_lemmas) AddStem(analyzer.Stem(std::string(modifier) + head_lemma), terms);
      }
      // The head's own forms, as every part is indexed below: "strategi"
      // finds "utvecklingsstrategin", whose head "strategin" Snowball leaves.
      for (const std::string& head_lemma : head_lemmas) AddStem(analyzer.Stem(head_lemma), terms);
    }
  }
  if (tok.parts.empty()) return;
  for (const std::string& part : tok.parts) {
    if (part.size() < 2 || part.size() > kMaxTermBytes || analyzer.IsStopWord(part)) continue;
    terms->push_back(part);
    AddStem(analyzer.Stem(part), terms);
  }
  for (size_t i = 0; i < surface.size(); ++i) {
    std::string run = surface[i];
    for (size_t j = i + 1; j < surface.size(); ++j) {
      run += surface[j];
      if (i == 0 && j + 1 == surface.size()) break;  // the whole word
      AddStem(analyzer.Stem(run), terms);
    }
  }
}

// StemTerms per distinct word, shared by the worker threads. A word's terms
// follow from its norm, stem, kind and parts; the memo is keyed by the norm
// and checks the rest, since a suspended conjunct ("el-" in "el- och
// vätgasbilar") may carry other parts than the same norm written out. An
// entry, once in, is never changed or removed (so views of it stay valid);
// when the memo is full, further words are computed each time.
//
// An entry's strings are packed into its shard's StringArena, each list as
// a length byte and the bytes of each item (#11: with a std::string for
// each and vectors of them, an entry took ~400 bytes, and the full memo
// ~100 MB of the index stage at N=100,000; packed, ~180).
class TermMemo {
 public:
  // A list of strings as packed in the memo.
  class PackedList {
   public:
    explicit PackedList(std::string_view bytes = {}) : bytes_(bytes) {}
    template <typename F>
    void ForEach(F&& f) const {
      for (size_t i = 0; i < bytes_.size();) {
        const size_t n = static_cast<unsigned char>(bytes_[i]);
        f(bytes_.substr(i + 1, n));
        i += 1 + n;
      }
    }
    bool Equals(const std::vector<std::string>& items) const {
      size_t k = 0;
      bool same = true;
      ForEach([&](std::string_view item) {
        same = same && k < items.size() && items[k] == item;
        ++k;
      });
      return same && k == items.size();
    }

   private:
    std::string_view bytes_;
  };

  // The terms of `tok`, as views into the memo; nullopt when the memo does
  // not hold them, and then they are in *scratch.
  std::optional<PackedList> Terms(const analysis::Token& tok, const analysis::Analyzer& analyzer,
                                  Lemmatizer* lemmatizer, std::vector<std::string>* scratch) {
    Shard& shard = shards_[std::hash<std::string>{}(tok.norm) % kShards];
    {
      std::shared_lock lock(shard.mutex);
      auto it = shard.words.find(tok.norm);
      if (it != shard.words.end()) {
        if (it->second.Matches(tok)) return it->second.terms;
        lock.unlock();
        Compute(tok, analyzer, lemmatizer, scratch);
        return std::nullopt;
      }
    }
    Compute(tok, analyzer, lemmatizer, scratch);
    std::string parts, terms;
    if (!Pack(tok.parts, &parts) || !Pack(*scratch, &terms)) return std::nullopt;
    std::unique_lock lock(shard.mutex);
    if (size_.load(std::memory_order_relaxed) >= kMaxEntries) return std::nullopt;
    auto it = shard.words.find(tok.norm);
    if (it == shard.words.end()) {
      Entry e{shard.strings.Store(tok.stem), PackedList(shard.strings.Store(parts)),
              PackedList(shard.strings.Store(terms)), tok.kind};
      it = shard.words.emplace(shard.strings.Store(tok.norm), e).first;
      size_.fetch_add(1, std::memory_order_relaxed);
    }
    if (it->second.Matches(tok)) return it->second.terms;
    return std::nullopt;  // another thread memoised the norm with other parts
  }

 private:
  static constexpr size_t kShards = 64;
  // The vocabulary grows with the corpus (N=100,000: ~500,000 words of four
  // letters or more) but the words met early are the frequent ones: 2^18
  // entries hold memory near 50 MB at any N.
  static constexpr size_t kMaxEntries = 1 << 18;
  struct Entry {
    std::string_view stem;
    PackedList parts;
    PackedList terms;
    analysis::TokenKind kind;
    bool Matches(const analysis::Token& tok) const {
      return stem == tok.stem && kind == tok.kind && parts.Equals(tok.parts);
    }
  };
  struct Shard {
    std::shared_mutex mutex;
    std::unordered_map<std::string_view, Entry> words;  // keys and values in `strings`
    StringArena strings;
  };
  // Items of up to 255 bytes (terms are at most kMaxTermBytes and a prefix);
  // false for a longer one, which is then not memoised.
  static bool Pack(const std::vector<std::string>& items, std::string* out) {
    out->clear();
    for (const std::string& item : items) {
      if (item.size() > 255) return false;
      out->push_back(static_cast<char>(item.size()));
      out->append(item);
    }
    return true;
  }
  static void Compute(const analysis::Token& tok, const analysis::Analyzer& analyzer, Lemmatizer* lemmatizer,
                      std::vector<std::string>* scratch) {
    scratch->clear();
    StemTerms(tok, analyzer, lemmatizer, scratch);
  }
  std::array<Shard, kShards> shards_;
  std::atomic<size_t> size_{0};
};

using internal::SpellingCounts;

// What a passage's document holds from its themes: the XT, XV and XE terms
// and the theme and areas of its facet value (the rest of `facets` is kept).
// On a document read from the index (`replace`), the old terms are removed
// first.
void SetThemeFields(const Themes* t, bool replace, FacetValues facets, Xapian::Document* doc) {
  if (replace) {
    std::vector<std::string> old;
    for (const char* prefix : {kArea, kOverridden, kTheme}) {
      Xapian::TermIterator it = doc->termlist_begin();
      it.skip_to(prefix);
      for (; it != doc->termlist_end() && (*it).rfind(prefix, 0) == 0; ++it) old.push_back(*it);
    }
    for (const std::string& term : old) doc->remove_term(term);
  }
  std::string areas_value;
  if (t != nullptr) {
    for (const std::string& a : *t->areas) {
      AddBoolean(doc, kArea, a);
      if (!areas_value.empty()) areas_value += kValueSeparator;
      areas_value += a;
    }
    if (t->overridden) doc->add_boolean_term(std::string(kOverridden) + "1");
    if (t->theme > 0) AddBoolean(doc, kTheme, std::to_string(t->theme));
  }
  facets.areas = std::move(areas_value);
  facets.theme = t != nullptr && t->theme > 0 ? std::to_string(t->theme) : "";
  doc->add_value(kSlotFacets, JoinFacets(facets));
}

Xapian::Document MakeDocument(const Passage& p, const std::vector<analysis::Token>& tokens,
                              std::string data, const Document* d, const Themes* t,
                              const analysis::Analyzer& analyzer, Lemmatizer* lemmatizer,
                              TermMemo* memo, SpellingCounts* spellings) {
  Xapian::Document doc;
  std::vector<std::string> scratch;
  // The extra terms of the whole passage, gathered first and added once
  // each with their count: Xapian's document keeps its terms in a std::map,
  // and a passage repeats most of them (#11).
  std::vector<std::string> owned;  // the few not in the memo
  std::vector<std::string_view> extra;
  Xapian::termpos pos = 0;
  for (const analysis::Token& tok : tokens) {
    ++pos;
    if (tok.norm.empty() || tok.norm.size() > kMaxTermBytes) continue;
    // "[namn]" stands for redacted personal data, not for the word "namn".
    if (IsRedactionPlaceholder(p.text, tok.byte_start, tok.byte_end)) continue;
    doc.add_posting(tok.norm, pos);
    if (tok.stop) continue;
    if (const auto terms = memo->Terms(tok, analyzer, lemmatizer, &scratch)) {
      terms->ForEach([&](std::string_view term) { extra.push_back(term); });
    } else {
      for (std::string& term : scratch) owned.push_back(std::move(term));
    }
  }
  extra.insert(extra.end(), owned.begin(), owned.end());
  std::sort(extra.begin(), extra.end());
  for (size_t i = 0; i < extra.size();) {
    size_t j = i + 1;
    while (j < extra.size() && extra[j] == extra[i]) ++j;
    doc.add_term(std::string(extra[i]), static_cast<Xapian::termcount>(j - i));
    i = j;
  }
  // Spelling data: every content word of four letters or more.
  for (const analysis::Token& tok : tokens) {
    if (tok.kind == analysis::TokenKind::kWord && !tok.stop && tok.norm.size() >= 4 &&
        tok.norm.size() <= kMaxTermBytes) {
      spellings->Add(tok.norm);
    }
  }
  doc.add_boolean_term(kPassageId + p.id);
  AddBoolean(&doc, kDocument, p.doc_id);
  FacetValues facets;
  if (d != nullptr) {
    const DocumentMeta& m = d->meta;
    AddBoolean(&doc, kKind, m.kind);
    AddBoolean(&doc, kOrganisation, m.organisation);
    AddBoolean(&doc, kActor, m.actor_group);
    AddBoolean(&doc, kRegion, m.subregion);
    AddBoolean(&doc, kForum, m.forum);
    doc.add_value(kSlotDate, DateValue(m.date));
    facets.actor = m.actor_group;
    facets.region = m.subregion;
    facets.kind = m.kind;
  }
  SetThemeFields(t, /*replace=*/false, std::move(facets), &doc);
  doc.add_value(kSlotDocument, p.doc_id);
  doc.set_data(std::move(data));
  return doc;
}

Status LoadSynonyms(const fs::path& path, const analysis::Analyzer& analyzer,
                    Xapian::WritableDatabase* db) {
  Result<std::string> text = ReadFile(path, 16 << 20);
  if (!text.ok()) return text.status();
  Json j;
  try {
    j = Json::parse(*text);
  } catch (const Json::exception& e) {
    return Status::DataError(path.string() + ": not valid JSON: " + e.what());
  }
  if (!j.is_object() || !j.contains("synonyms") || !j["synonyms"].is_object()) {
    return Status::DataError(path.string() + ": expected {\"synonyms\": {\"word\": [\"synonym\", ...]}}");
  }
  for (const auto& [word, list] : j["synonyms"].items()) {
    if (!list.is_array()) {
      return Status::DataError(path.string() + ": synonyms of \"" + word + "\" must be an array");
    }
    const std::string key = NormaliseValue(word);
    for (const Json& s : list) {
      if (!s.is_string()) {
        return Status::DataError(path.string() + ": synonyms of \"" + word + "\" must be strings");
      }
      const std::string syn = NormaliseValue(s.get<std::string>());
      // QueryParser looks synonyms up by the query term as it makes it:
      // the plain word, and "Z"+stem for stemmed terms.
      db->add_synonym(key, syn);
      std::string stemmed_key(kStemmed), stemmed_syn(kStemmed);
      stemmed_key += analyzer.Stem(key);  // (+= rather than kStemmed + ...:
      stemmed_syn += analyzer.Stem(syn);  // GCC 12 -O2 warns falsely on that.)
      db->add_synonym(stemmed_key, stemmed_syn);
    }
  }
  return Status::Ok();
}

std::uintmax_t DirectoryBytes(const fs::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

}  // namespace

fs::path PublishedIndexPath(const fs::path& state_dir) { return PublishedDir(state_dir) / "index"; }

namespace {

// What every database of a build reads besides the passages, loaded once
// and shared by the parts of a build in parts (all of it thread-safe to read;
// the lemmatizer and the memo lock inside).
struct SharedInputs {
  std::vector<Document> docs;
  std::map<std::string, const Document*> doc_by_id;  // into docs
  std::optional<ThemeTable> theme_table;
  Lemmatizer lemmatizer;
  TermMemo memo;
};

Status LoadSharedInputs(const fs::path& state_dir, SharedInputs* in) {
  Result<std::vector<Document>> docs = ingest::LoadDocuments(state_dir);
  if (!docs.ok()) return docs.status();
  // Only what the passages' documents show, held through the build.
  in->docs.reserve(docs->size());
  for (Document& d : *docs) in->docs.push_back(DisplayFields(std::move(d)));
  docs = std::vector<Document>();
  for (const Document& d : in->docs) in->doc_by_id[d.id] = &d;
  // The analysis' passages are streamed into the table; themes.json is
  // only checked.
  ThemeTable& table = in->theme_table.emplace();
  SAMRAD_RETURN_IF_ERROR(themes::ForEachPassageThemes(state_dir, /*with_scores=*/false,
                                                      [&](themes::PassageThemes&& p) {
                                                        table.Add(p);
                                                        return Status::Ok();
                                                      }));
  table.Seal();
  if (Result<themes::ThemeModel> model = themes::LoadThemes(state_dir); !model.ok()) return model.status();
  // The model's strings are freed; hand their pages back, or the whole
  // build keeps them (#11: ~50 MB at N=100,000, where RSS rose to 500 MB
  // while loading and stood at 450 MB after).
  ReturnFreeMemory();
  return Status::Ok();
}

// The spelling data a build writes: the words that occur at least
// kMinSpellingCount times. Xapian's suggestion for a word reads every
// spelling word that shares a trigram with it, so its cost grows with the
// table: two thirds of the words occur once (N=100,000: 329,081 of 494,831;
// names, typos in the input, rare compounds), and a word that rare is not
// a good suggestion. An incremental update adds the words of the passages
// it writes that are in the table already or occur that often among them.
constexpr Xapian::termcount kMinSpellingCount = 2;

// Adds `counts` to db's spelling data in word order, the words of at least
// kMinSpellingCount occurrences and those `known` lists (sorted).
void WriteSpelling(const SpellingCounts& counts, const std::vector<std::string>& known,
                   Xapian::WritableDatabase* db) {
  std::vector<std::pair<std::string_view, Xapian::termcount>> words;
  words.reserve(counts.size());
  counts.ForEach([&](std::string_view word, Xapian::termcount n) {
    if (n >= kMinSpellingCount || std::binary_search(known.begin(), known.end(), word)) words.emplace_back(word, n);
  });
  std::sort(words.begin(), words.end());  // the words are distinct: in word order
  // Xapian holds the spelling data added since the last commit in memory
  // (a map entry per fragment of every word): committing every 10,000
  // words keeps that flat (#11: the index stage grew by ~170 MB while
  // adding the words of N=20,000). The index is published only when built.
  size_t added = 0;
  for (const auto& [word, n] : words) {
    db->add_spelling(std::string(word), n);
    if (++added % 10000 == 0) db->commit();
  }
}

// BuildIndex into one database, by one writer (the passages of
// options.include_document only, when given). `spelling_out`: the words are
// counted into it instead of written (BuildDatabasesAtOnce).
Result<IndexSummary> BuildOneDatabase(const IndexOptions& options, const analysis::Analyzer& analyzer,
                                      SharedInputs* in, SpellingCounts* spelling_out = nullptr) {
  const std::map<std::string, const Document*>& doc_by_id = in->doc_by_id;
  const std::optional<ThemeTable>& theme_table = in->theme_table;
  std::error_code ec;
  if (fs::exists(options.db_dir, ec)) {
    return Status::InvalidArgument(options.db_dir.string() + ": already exists; the index is built into a new directory");
  }
  if (!options.base_db.empty()) {
    fs::copy(options.base_db, options.db_dir, fs::copy_options::recursive, ec);
    if (ec) {
      fs::remove_all(options.db_dir, ec);
      return Status::IOError(options.base_db.string() + ": cannot copy the base index: " + ec.message());
    }
  }
  auto fail = [&](Status s) {
    std::error_code ignored;
    fs::remove_all(options.db_dir, ignored);
    return s;
  };

  IndexSummary summary;
  std::set<std::string> doc_ids;
  try {
    Xapian::WritableDatabase db(options.db_dir.string(), Xapian::DB_CREATE_OR_OPEN);
    // What is in the base index now: passage id -> Xapian document id and
    // slot 7 (the hashes), from the "Q" terms and the value stream (no
    // document data is read). Compact (#11): ids and hashes in one buffer
    // each, and a byte per passage for "still in the corpus".
    KeyTable existing;            // passage ids
    std::vector<Xapian::docid> existing_docid;
    KeyTable existing_hash;       // slot 7, same positions
    if (db.get_doccount() > 0) {
      // The value stream and the "Q" terms are both read in order: slot 7
      // by document id, then ids by term; the hashes are joined to the ids
      // through a docid -> position array.
      KeyTable hashes;
      std::vector<Xapian::docid> hash_docids;
      for (Xapian::ValueIterator v = db.valuestream_begin(kSlotHash); v != db.valuestream_end(kSlotHash); ++v) {
        hash_docids.push_back(v.get_docid());
        hashes.Add(*v);
      }
      const std::string q(kPassageId);
      for (Xapian::TermIterator t = db.allterms_begin(q); t != db.allterms_end(q); ++t) {
        const std::string term = *t;
        Xapian::PostingIterator p = db.postlist_begin(term);
        if (p == db.postlist_end(term)) continue;
        existing.Add(std::string_view(term).substr(q.size()));
        existing_docid.push_back(*p);
        auto h = std::lower_bound(hash_docids.begin(), hash_docids.end(), *p);
        existing_hash.Add(h != hash_docids.end() && *h == *p ? hashes[static_cast<size_t>(h - hash_docids.begin())]
                                                             : std::string_view());
      }
      existing.Seal();
    }
    std::vector<std::uint8_t> existing_seen(existing.size(), 0);
    for (Xapian::TermIterator t = db.synonym_keys_begin(); t != db.synonym_keys_end(); ++t) {
      db.clear_synonyms(*t);
    }
    if (!options.synonyms_path.empty()) {
      Status s = LoadSynonyms(options.synonyms_path, analyzer, &db);
      if (!s.ok()) {
        db.close();
        return fail(s);
      }
    }
    // Batches keep memory flat: the documents of at most two batches (the
    // one being written, the one being prepared) exist at a time. A prepared
    // Xapian document holds a map node and a position list per term, ~4 KB
    // (heaptrack, N=2,000): two batches of 4,096 held ~30 MB, of 1,024 ~8 MB.
    constexpr size_t kBatch = 1024;
    const size_t workers = WorkerCount(kBatch);
    SpellingCounts own_spelling;  // when not counted into spelling_out
    SpellingCounts* const spelling = spelling_out != nullptr ? spelling_out : &own_spelling;

    // Prepares a whole batch on the worker threads (strided, so each
    // passage's document lands in its own slot); returns when done.
    auto prepare_all = [&](std::vector<PassageBuild>* batch) {
      ParallelFor(0, batch->size(), workers, [&](size_t i, size_t) {
        PassageBuild& pb = (*batch)[i];
        const Passage& p = pb.passage;
        auto d = doc_by_id.find(p.doc_id);
        const Document* doc = d == doc_by_id.end() ? nullptr : d->second;
        const Themes* th = pb.themes ? &*pb.themes : nullptr;
        pb.hash = HashPassage(p, doc, th);
        if (pb.old != KeyTable::npos) {
          const std::string_view old_hash = existing_hash[pb.old];
          if (FullHash(old_hash) == FullHash(pb.hash)) {
            pb.action = Action::kUnchanged;
            return;
          }
          if (!TextHash(pb.hash).empty() && TextHash(old_hash) == TextHash(pb.hash)) {
            pb.action = Action::kRetheme;
            pb.data = DisplayData(p, th).dump();
            return;
          }
          pb.action = Action::kReplace;
        }
        const std::vector<analysis::Token> tokens = analyzer.Tokenize(p.text);
        pb.doc = MakeDocument(p, tokens, DisplayData(p, th).dump(), doc, th, analyzer, &in->lemmatizer, &in->memo,
                              spelling);
        pb.doc.add_value(kSlotHash, pb.hash);
      });
    };
    // A document's fields (its metadata as ingest stores it, of which the
    // index keeps what hits show: DisplayFields) go with the first of its
    // passages written; its passages are consecutive in the stream. Every
    // passage of a document whose fields change is rewritten (HashPassage
    // covers them), so the fields are too.
    std::string fields_written_for;
    auto write_fields = [&](const Passage& p) {
      if (p.doc_id == fields_written_for) return;
      fields_written_for = p.doc_id;
      auto d = doc_by_id.find(p.doc_id);
      if (d != doc_by_id.end()) db.set_metadata(DocumentFieldsKey(p.doc_id), ToJson(d->second->meta).dump());
    };
    // Writes a prepared batch, in passage order.
    auto write = [&](std::vector<PassageBuild>& batch) {
      if (batch.empty()) return;
      for (PassageBuild& pb : batch) {
        switch (pb.action) {
          case Action::kUnchanged:
            ++summary.unchanged;
            break;
          case Action::kAdd:
            ++summary.added;
            db.add_document(pb.doc);
            write_fields(pb.passage);
            break;
          case Action::kReplace:
            ++summary.replaced;
            db.replace_document(existing_docid[pb.old], pb.doc);
            write_fields(pb.passage);
            break;
          case Action::kRetheme: {
            // Read back and edited: Xapian then rewrites only the terms,
            // values and data that differ, and no positions.
            ++summary.replaced;
            ++summary.rethemed;
            const Xapian::docid did = existing_docid[pb.old];
            Xapian::Document doc = db.get_document(did);
            SetThemeFields(pb.themes ? &*pb.themes : nullptr, /*replace=*/true,
                           SplitFacets(doc.get_value(kSlotFacets)), &doc);
            doc.add_value(kSlotHash, pb.hash);
            doc.set_data(pb.data);
            db.replace_document(did, doc);
            break;
          }
        }
        pb.doc = Xapian::Document();
      }
      if (options.batch_written) options.batch_written();
      batch.clear();
    };

    std::vector<PassageBuild> filling, preparing, ready;
    std::thread preparer;
    std::exception_ptr prepare_error;
    // Hands the filled batch to the workers and writes the one they
    // finished before, while they work.
    auto next_batch = [&]() {
      if (preparer.joinable()) preparer.join();
      if (prepare_error) std::rethrow_exception(prepare_error);
      ready = std::move(preparing);
      preparing = std::move(filling);
      filling.clear();
      if (!preparing.empty()) {
        preparer = std::thread([&] {
          try {
            prepare_all(&preparing);
          } catch (...) {
            prepare_error = std::current_exception();
          }
        });
      }
      write(ready);
    };
    // Whatever happens, the preparing thread is joined before its data goes.
    struct Joiner {
      std::thread* t;
      ~Joiner() {
        if (t->joinable()) t->join();
      }
    } joiner{&preparer};

    // Every ingested passage moves the cursor on, those of other parts too.
    ThemeTable::Cursor themes(*theme_table);
    Status s = ingest::ForEachPassage(options.state_dir, [&](const Passage& p) {
      std::optional<Themes> t = themes.Next(p.id);
      if (options.include_document && !options.include_document(p.doc_id)) return Status::Ok();
      ++summary.passages;
      doc_ids.insert(p.doc_id);
      const size_t old = existing.size() > 0 ? existing.Find(p.id) : KeyTable::npos;
      if (old != KeyTable::npos) existing_seen[old] = 1;
      filling.push_back(PassageBuild{p, old, t, Action::kAdd, {}, {}, {}});
      if (filling.size() >= kBatch) next_batch();
      return Status::Ok();
    });
    if (!s.ok()) {
      if (preparer.joinable()) preparer.join();
      db.close();
      return fail(s);
    }
    next_batch();  // the last partial batch
    next_batch();  // and write it

    // Spelling data: each distinct word once, with its count, in word order.
    if (spelling_out == nullptr) {
      std::vector<std::string> known;  // in word order
      if (existing.size() > 0) {
        for (Xapian::TermIterator t = db.spellings_begin(); t != db.spellings_end(); ++t) known.push_back(*t);
      }
      WriteSpelling(own_spelling, known, &db);
      own_spelling.Clear();
    }

    // Passages that are gone, in passage id order (as before #11).
    std::vector<std::uint32_t> gone;
    for (size_t i = 0; i < existing.size(); ++i) {
      if (!existing_seen[i]) gone.push_back(static_cast<std::uint32_t>(i));
    }
    std::sort(gone.begin(), gone.end(), [&](std::uint32_t a, std::uint32_t b) { return existing[a] < existing[b]; });
    for (std::uint32_t i : gone) {
      db.delete_document(existing_docid[i]);
      ++summary.deleted;
    }
    // And the fields of documents that have no passage left.
    if (!gone.empty()) {
      std::set<std::string> keep;
      for (const std::string& id : doc_ids) keep.insert(DocumentFieldsKey(id));
      std::vector<std::string> stale;
      for (Xapian::TermIterator k = db.metadata_keys_begin(kDocumentFieldsPrefix);
           k != db.metadata_keys_end(kDocumentFieldsPrefix); ++k) {
        if (!keep.contains(*k)) stale.push_back(*k);
      }
      for (const std::string& key : stale) db.set_metadata(key, "");
    }
    db.set_metadata(kFormatKey, kIndexFormat);
    db.commit();
    db.close();
  } catch (const Xapian::Error& e) {
    return fail(Status::IOError(options.db_dir.string() + ": Xapian: " + e.get_description()));
  } catch (const std::exception& e) {
    return fail(Status::Internal(options.db_dir.string() + ": " + e.what()));
  }
  summary.documents = static_cast<int>(doc_ids.size());
  summary.bytes = DirectoryBytes(options.db_dir);
  return summary;
}

// A build from scratch in options.parts databases at once, merged into one.
// Xapian has one writer per database, and that writer was the stage's
// critical path (#11: ~2/3 of the stage's CPU on one thread, the workers
// that prepare documents the other third). Each part holds the passages of
// the documents ShardOf() gives it and is built by its own writer
// (BuildDatabasesAtOnce); the parts are merged by Xapian's compaction, which
// also packs the B-tree blocks full. The part count is a constant, not the number of
// cores, so the index (its document ids included) is the same on any
// machine.
Result<IndexSummary> BuildInParts(const IndexOptions& options, const analysis::Analyzer& analyzer) {
  std::error_code ec;
  if (fs::exists(options.db_dir, ec)) {
    return Status::InvalidArgument(options.db_dir.string() +
                                   ": already exists; the index is built into a new directory");
  }
  // Beside the database, so on the same file system; ours by its name, so a
  // folder left by a build that was killed is removed.
  const fs::path parts_dir = options.db_dir.string() + ".parts";
  fs::remove_all(parts_dir, ec);
  fs::create_directories(parts_dir, ec);
  if (ec) return Status::IOError(parts_dir.string() + ": cannot create: " + ec.message());
  struct RemoveParts {
    fs::path dir;
    ~RemoveParts() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } remove_parts{parts_dir};

  const int parts = options.parts;
  // One spelling table over all parts: a word is counted over the whole
  // corpus before kMinSpellingCount is applied, as a build by one writer does.
  SpellingCounts spelling;
  std::vector<Result<IndexSummary>> results = BuildDatabasesAtOnce(
      options, parts,
      [&](int k) {
        IndexOptions o = options;
        o.db_dir = parts_dir / ("part-" + std::to_string(k));
        return o;
      },
      analyzer, &spelling);
  // Nothing is tokenised after the parts: this thread's word memo goes
  // before the merge, and the parts' freed memory with it (#11: `samrad run`
  // at N=100,000 started its reports at 245 MB and peaked ~70 MB above
  // `samrad report` alone). The shared memo is kept for the reports, which
  // tokenise the same texts; it is packed in large chunks, so it pins no
  // pages of the parts' threads.
  analyzer.ReleaseThreadMemo();
  ReturnFreeMemory();

  IndexSummary total;
  for (int k = 0; k < parts; ++k) {
    const Result<IndexSummary>& r = results[static_cast<size_t>(k)];
    if (!r.ok()) return r.status();
    total.passages += r->passages;
    total.documents += r->documents;  // a document is in one part only
    total.added += r->added;
  }
  try {
    Xapian::Database all;
    for (int k = 0; k < parts; ++k) {
      all.add_database(Xapian::Database((parts_dir / ("part-" + std::to_string(k))).string()));
    }
    // Document ids are renumbered: part 0's passages first, in passage
    // order, then part 1's. Synonyms are merged; the parts hold no spelling data.
    all.compact(options.db_dir.string(), Xapian::Compactor::FULL);
  } catch (const Xapian::Error& e) {
    fs::remove_all(options.db_dir, ec);
    return Status::IOError(options.db_dir.string() + ": Xapian: cannot merge the parts: " + e.get_description());
  }
  try {
    Xapian::WritableDatabase db(options.db_dir.string(), Xapian::DB_OPEN);
    WriteSpelling(spelling, {}, &db);
    spelling.Clear();
    db.set_metadata(kFormatKey, kIndexFormat);
    db.commit();
    db.close();
  } catch (const Xapian::Error& e) {
    fs::remove_all(options.db_dir, ec);
    return Status::IOError(options.db_dir.string() + ": Xapian: cannot write the spelling data: " +
                           e.get_description());
  }
  total.bytes = DirectoryBytes(options.db_dir);
  return total;
}

}  // namespace

namespace internal {

Result<std::string> BaseIndexMismatch(const fs::path& base_db) {
  std::string format;
  try {
    format = Xapian::Database(base_db.string()).get_metadata(kFormatKey);
  } catch (const Xapian::Error& e) {
    return Status::IOError(base_db.string() + ": Xapian: cannot open the base index: " + e.get_description());
  }
  if (format == kIndexFormat) return std::string();
  return "the live index has format \"" + (format.empty() ? std::string("older") : format) +
         "\", this samrad writes \"" + kIndexFormat + "\"";
}

std::vector<Result<IndexSummary>> BuildDatabasesAtOnce(const IndexOptions& options, int count,
                                                       const std::function<IndexOptions(int)>& options_of,
                                                       const analysis::Analyzer& analyzer, SpellingCounts* spelling) {
  std::vector<Result<IndexSummary>> results(static_cast<size_t>(count), Status::Internal("not built"));
  SharedInputs shared;
  if (Status s = LoadSharedInputs(options.state_dir, &shared); !s.ok()) {
    for (Result<IndexSummary>& r : results) r = s;
    return results;
  }
  std::mutex hook_mutex;  // the test hook need not be thread-safe
  std::atomic<int> next{0};
  auto work = [&] {
    for (int k = next++; k < count; k = next++) {
      IndexOptions o = options_of(k);
      o.include_document = [k, count](const std::string& doc_id) { return ShardOf(doc_id, count) == k; };
      if (options.batch_written) {
        o.batch_written = [&] {
          std::lock_guard<std::mutex> lock(hook_mutex);
          options.batch_written();
        };
      }
      results[static_cast<size_t>(k)] = BuildOneDatabase(o, analyzer, &shared, spelling);
    }
  };
  RunOnWorkers(WorkerCount(static_cast<size_t>(count), static_cast<size_t>(count)), [&](size_t) { work(); });
  return results;
}

}  // namespace internal

Result<IndexSummary> BuildIndex(const IndexOptions& options, const analysis::Analyzer& analyzer) {
  if (options.parts < 1 || options.parts > kMaxShards) {
    return Status::InvalidArgument("index parts must be 1.." + std::to_string(kMaxShards) + ", not " +
                                   std::to_string(options.parts));
  }
  IndexOptions o = options;
  std::string rebuilt;
  if (!o.base_db.empty()) {
    // A base of another format would have every passage rewritten: build
    // from scratch instead (kFormatKey).
    Result<std::string> mismatch = internal::BaseIndexMismatch(o.base_db);
    if (!mismatch.ok()) return mismatch.status();
    if (!mismatch->empty()) {
      rebuilt = std::move(*mismatch);
      o.base_db.clear();
    }
  }
  Result<IndexSummary> summary = Status::Internal("not built");
  // An incremental update edits a copy of one database: one writer.
  if (o.parts == 1 || !o.base_db.empty() || o.include_document) {
    SharedInputs inputs;
    if (Status s = LoadSharedInputs(o.state_dir, &inputs); !s.ok()) return s;
    summary = BuildOneDatabase(o, analyzer, &inputs);
    analyzer.ReleaseThreadMemo();  // as BuildInParts does
  } else {
    summary = BuildInParts(o, analyzer);
  }
  if (summary.ok()) summary->rebuilt = rebuilt;
  return summary;
}

Result<IndexSummary> IndexAndPublish(const fs::path& state_dir, const fs::path& synonyms_path,
                                     const analysis::Analyzer& analyzer) {
  const fs::path current = CurrentGeneration(state_dir);
  Result<fs::path> gen = NewGeneration(state_dir);
  if (!gen.ok()) return gen.status();
  IndexOptions o;
  o.state_dir = state_dir;
  o.db_dir = *gen / "index";
  o.synonyms_path = synonyms_path;
  std::error_code ec;
  if (!current.empty() && fs::is_directory(current / "index", ec)) o.base_db = current / "index";
  Result<IndexSummary> s = BuildIndex(o, analyzer);
  if (s.ok() && !current.empty() && fs::is_directory(current / "reports", ec)) {
    fs::copy(current / "reports", *gen / "reports", fs::copy_options::recursive, ec);
    if (ec) s = Status::IOError((current / "reports").string() + ": cannot carry over: " + ec.message());
  }
  if (!s.ok()) {
    fs::remove_all(*gen, ec);
    return s;
  }
  Status p = PublishGeneration(state_dir, *gen);
  if (!p.ok()) {
    fs::remove_all(*gen, ec);
    return p;
  }
  PruneGenerations(state_dir, 2);
  return s;
}

}  // namespace samrad::index
