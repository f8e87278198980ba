// Builds the Xapian index from the ingested and analysed passages.
//
//  1. Load documents (metadata) and the theme model (areas, themes).
//  2. Copy the base index, if any, and read each passage's content hash
//     (value slot 7) from it.
//  3. Stream the passages; for each, make its display data and hash it with
//     the index format. Unchanged: skip. New or changed: tokenise (in
//     parallel batches, the Analyzer is thread-safe) and replace.
//  4. Delete passages that are gone; commit.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "analysis/themes/themes.h"
#include "base/files.h"
#include "base/model.h"
#include "base/publish.h"
#include "index/index.h"
#include "index/lemmas.h"
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

struct PassageBuild {
  Passage passage;
  std::vector<analysis::Token> tokens;
  std::string hash;
};

// The passage's display data: everything shown for a hit, and (with the
// index format) everything its terms are made from.
Json DisplayData(const Passage& p, const Document* d, const themes::PassageThemes* t) {
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
  data["areas"] = t != nullptr ? t->areas : std::vector<std::string>{};
  data["overridden"] = t != nullptr && t->overridden;
  data["theme"] = t != nullptr ? t->theme : -1;
  const DocumentMeta empty;
  const DocumentMeta& m = d != nullptr ? d->meta : empty;
  data["title"] = m.title;
  data["organisation"] = m.organisation;
  data["date"] = m.date;
  data["kind"] = m.kind;
  data["actor_group"] = m.actor_group;
  data["subregion"] = m.subregion;
  data["forum"] = m.forum;
  return data;
}

std::string PassageHash(const Passage& p, const Document* d, const themes::PassageThemes* t) {
  return ContentHash(std::string(kIndexFormat) + "\x1e" + DisplayData(p, d, t).dump());
}

void AddStem(const std::string& stem, Xapian::Document* doc) {
  if (!stem.empty() && stem.size() < kMaxTermBytes) doc->add_term(kStemmed + stem);
}

// The stemmed terms of one content word. Beyond its Snowball stem:
//  - the stem of the stem: Snowball Swedish removes one suffix, so
//    "ambulansen" stems to "ambulans" while the query word "ambulans" stems to
//    "ambulan"; stemming again makes the two meet;
//  - the stems of its dictionary forms (lemmas.h): "klubbstugan" ->
//    "klubbstuga" -> "klubbstug", which is what the query "klubbstuga" makes;
//  - every compound part, plain and stemmed ("skola" finds "grundskolan");
//  - every run of two or more adjacent parts that is not the whole word:
//    "havsnivåhöjningen" (hav+nivå+höjningen) is also about "havsnivå".
void AddStemTerms(const analysis::Token& tok, const analysis::Analyzer& analyzer,
                  Lemmatizer* lemmatizer, Xapian::Document* doc) {
  AddStem(tok.stem, doc);
  const std::string again = analyzer.Stem(tok.stem);
  if (again != tok.stem) AddStem(again, doc);
  if (tok.kind == analysis::TokenKind::kWord) {
    for (const std::string& lemma : lemmatizer->Lemmas(tok.norm)) AddStem(analyzer.Stem(lemma), doc);
  }
  if (tok.parts.empty()) return;
  for (const std::string& part : tok.parts) {
    if (part.size() < 2 || part.size() > kMaxTermBytes || analyzer.IsStopWord(part)) continue;
    doc->add_term(part);
    AddStem(analyzer.Stem(part), doc);
  }
  const std::vector<std::string> surface = analyzer.SplitCompoundSurface(tok.norm);
  for (size_t i = 0; i < surface.size(); ++i) {
    std::string run = surface[i];
    for (size_t j = i + 1; j < surface.size(); ++j) {
      run += surface[j];
      if (i == 0 && j + 1 == surface.size()) break;  // the whole word
      AddStem(analyzer.Stem(run), doc);
    }
  }
}

Xapian::Document MakeDocument(const PassageBuild& pb, const Document* d,
                              const themes::PassageThemes* t, const analysis::Analyzer& analyzer,
                              Lemmatizer* lemmatizer) {
  const Passage& p = pb.passage;
  Xapian::Document doc;
  Xapian::termpos pos = 0;
  for (const analysis::Token& tok : pb.tokens) {
    ++pos;
    if (tok.norm.empty() || tok.norm.size() > kMaxTermBytes) continue;
    // "[namn]" stands for redacted personal data, not for the word "namn".
    if (IsRedactionPlaceholder(p.text, tok.byte_start, tok.byte_end)) continue;
    doc.add_posting(tok.norm, pos);
    if (tok.stop) continue;
    AddStemTerms(tok, analyzer, lemmatizer, &doc);
  }
  doc.add_boolean_term(kPassageId + p.id);
  AddBoolean(&doc, kDocument, p.doc_id);
  std::string areas_value;
  int theme = -1;
  if (t != nullptr) {
    theme = t->theme;
    for (const std::string& a : t->areas) {
      AddBoolean(&doc, kArea, a);
      if (!areas_value.empty()) areas_value += kValueSeparator;
      areas_value += a;
    }
    if (t->overridden) doc.add_boolean_term(std::string(kOverridden) + "1");
    if (t->theme > 0) AddBoolean(&doc, kTheme, std::to_string(t->theme));
  }
  if (d != nullptr) {
    const DocumentMeta& m = d->meta;
    AddBoolean(&doc, kKind, m.kind);
    AddBoolean(&doc, kOrganisation, m.organisation);
    AddBoolean(&doc, kActor, m.actor_group);
    AddBoolean(&doc, kRegion, m.subregion);
    AddBoolean(&doc, kForum, m.forum);
    doc.add_value(kSlotDate, DateValue(m.date));
    doc.add_value(kSlotActor, m.actor_group);
    doc.add_value(kSlotRegion, m.subregion);
    doc.add_value(kSlotKind, m.kind);
  }
  doc.add_value(kSlotDocument, p.doc_id);
  doc.add_value(kSlotAreas, areas_value);
  if (theme > 0) doc.add_value(kSlotTheme, std::to_string(theme));
  doc.set_data(DisplayData(p, d, t).dump());
  return doc;
}

Status AddSpellings(Xapian::WritableDatabase* db, const std::vector<PassageBuild>& batch) {
  for (const PassageBuild& pb : batch) {
    for (const analysis::Token& tok : pb.tokens) {
      if (tok.kind != analysis::TokenKind::kWord || tok.stop || tok.norm.size() < 4 ||
          tok.norm.size() > kMaxTermBytes) {
        continue;
      }
      db->add_spelling(tok.norm);
    }
  }
  return Status::Ok();
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

Result<IndexSummary> BuildIndex(const IndexOptions& options, const analysis::Analyzer& analyzer) {
  Result<std::vector<Document>> docs = ingest::LoadDocuments(options.state_dir);
  if (!docs.ok()) return docs.status();
  std::map<std::string, const Document*> doc_by_id;
  for (const Document& d : *docs) doc_by_id[d.id] = &d;
  Result<themes::ThemeModel> model = themes::LoadThemeModel(options.state_dir);
  if (!model.ok()) return model.status();
  std::map<std::string, const themes::PassageThemes*> themes_by_id;
  for (const auto& t : model->passages) themes_by_id[t.passage_id] = &t;

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
    // passage id -> content hash of what is in the base index now.
    std::map<std::string, std::string> existing;
    for (Xapian::PostingIterator it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      Xapian::Document d = db.get_document(*it);
      const Json j = Json::parse(d.get_data(), nullptr, false);
      if (!j.is_discarded() && j.contains("id")) existing[j["id"].get<std::string>()] = d.get_value(kSlotHash);
    }
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
    // Batches keep memory flat: tokens of at most kBatch passages at a time.
    constexpr size_t kBatch = 4096;
    std::vector<PassageBuild> batch;
    std::set<std::string> seen;
    Lemmatizer lemmatizer;
    const size_t workers = std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), 8));
    auto flush = [&]() {
      std::vector<std::thread> threads;
      for (size_t w = 0; w < workers; ++w) {
        threads.emplace_back([&, w] {
          for (size_t i = w; i < batch.size(); i += workers) {
            batch[i].tokens = analyzer.Tokenize(batch[i].passage.text);
          }
        });
      }
      for (auto& t : threads) t.join();
      for (const PassageBuild& pb : batch) {
        auto d = doc_by_id.find(pb.passage.doc_id);
        auto t = themes_by_id.find(pb.passage.id);
        Xapian::Document xd = MakeDocument(pb, d == doc_by_id.end() ? nullptr : d->second,
                                           t == themes_by_id.end() ? nullptr : t->second, analyzer,
                                           &lemmatizer);
        xd.add_value(kSlotHash, pb.hash);
        db.replace_document(kPassageId + pb.passage.id, xd);
      }
      (void)AddSpellings(&db, batch);
      if (options.batch_written && !batch.empty()) options.batch_written();
      batch.clear();
    };
    Status s = ingest::ForEachPassage(options.state_dir, [&](const Passage& p) {
      if (options.include_document && !options.include_document(p.doc_id)) return Status::Ok();
      ++summary.passages;
      doc_ids.insert(p.doc_id);
      seen.insert(p.id);
      auto d = doc_by_id.find(p.doc_id);
      auto t = themes_by_id.find(p.id);
      const std::string hash = PassageHash(p, d == doc_by_id.end() ? nullptr : d->second,
                                           t == themes_by_id.end() ? nullptr : t->second);
      auto old = existing.find(p.id);
      if (old != existing.end() && old->second == hash) {
        ++summary.unchanged;
        return Status::Ok();
      }
      ++(old == existing.end() ? summary.added : summary.replaced);
      batch.push_back({p, {}, hash});
      if (batch.size() >= kBatch) flush();
      return Status::Ok();
    });
    if (!s.ok()) {
      db.close();
      return fail(s);
    }
    flush();
    for (const auto& [id, hash] : existing) {
      if (!seen.count(id)) {
        db.delete_document(kPassageId + id);
        ++summary.deleted;
      }
    }
    db.commit();
    db.close();
  } catch (const Xapian::Error& e) {
    return fail(Status::IOError(options.db_dir.string() + ": Xapian: " + e.get_description()));
  }
  summary.documents = static_cast<int>(doc_ids.size());
  summary.bytes = DirectoryBytes(options.db_dir);
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
