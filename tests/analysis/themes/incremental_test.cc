// Incremental analyze runs (#11): with a saved model, unchanged passages keep
// their lines byte for byte, new and changed ones are placed with the model,
// removed ones leave themes.json; drift, a changed framework, --refit and a
// damaged saved file all lead to a full fit.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis/themes/saved.h"
#include "analysis/themes/themes.h"
#include "base/binary.h"
#include "base/files.h"
#include "ingest/ingest.h"
#include "tests/analysis/analysis_testing.h"
#include "tests/testing.h"

namespace samrad::themes {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using analysis::testing::DefaultAnalyzer;

// passages.jsonl as id -> line (with its newline).
std::map<std::string, std::string> LinesById(const fs::path& state) {
  std::map<std::string, std::string> out;
  std::istringstream in(*ReadFile(state / "analysis/passages.jsonl"));
  std::string line;
  while (std::getline(in, line)) out[Json::parse(line)["id"].get<std::string>()] = line + "\n";
  return out;
}

// The bundled corpus ingested and fully analysed once; each test works on
// its own copy of that state.
class Incremental : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    base_ = dir_->path() / "base";
    ingest::IngestOptions io;
    io.corpus_dir = testing::SourceDir() / "corpus/documents";
    io.state_dir = base_;
    ASSERT_OK(ingest::Ingest(io).status());
    AnalyzeOptions ao = Options(base_);
    auto r = Analyze(ao, DefaultAnalyzer());
    ASSERT_OK(r.status());
    ASSERT_EQ(r->mode, "full");
    ASSERT_EQ(r->reason, "no saved model");
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    state_ = tmp_.path() / "state";
    fs::copy(base_, state_, fs::copy_options::recursive);
    before_ = LinesById(state_);
  }
  static AnalyzeOptions Options(const fs::path& state) {
    AnalyzeOptions ao;
    ao.state_dir = state;
    ao.framework_path = testing::SourceDir() / "corpus/framework/vg2030.json";
    return ao;
  }
  static std::string Output(const fs::path& state) {
    return *ReadFile(state / "analysis/passages.jsonl") + *ReadFile(state / "analysis/themes.json");
  }
  static std::vector<Json> IngestedPassages(const fs::path& state) {
    std::vector<Json> out;
    std::istringstream in(*ReadFile(state / "ingest/passages.jsonl"));
    std::string line;
    while (std::getline(in, line)) out.push_back(Json::parse(line));
    return out;
  }
  static void WriteIngestedPassages(const fs::path& state, const std::vector<Json>& passages) {
    std::string text;
    for (const Json& p : passages) text += p.dump() + "\n";
    ASSERT_OK(WriteFileAtomically(state / "ingest/passages.jsonl", text));
  }
  // A passage of the last output with the given property.
  std::string FirstLine(const std::function<bool(const Json&)>& pred) const {
    for (const auto& [id, line] : before_) {
      if (pred(Json::parse(line))) return id;
    }
    return "";
  }

  // Edits the ingested passages as a changed document would: one passage's
  // text changes, and two new passages copy the texts of `in_area` and
  // `in_theme` (so the saved model must place them as it placed those).
  void ChangeOnePassageAndAddCopies(const std::string& in_area, const std::string& in_theme) {
    std::vector<Json> passages = IngestedPassages(state_);
    std::string area_text, theme_text;
    for (const Json& p : passages) {
      if (p["id"] == in_area) area_text = p["text"].get<std::string>();
      if (p["id"] == in_theme) theme_text = p["text"].get<std::string>();
    }
    ASSERT_FALSE(area_text.empty());
    ASSERT_FALSE(theme_text.empty());
    changed_ = passages[5]["id"].get<std::string>();
    passages[5]["text"] = passages[5]["text"].get<std::string>() + " Zebrafinkarna i Vänersborg sjunger.";
    Json a = passages.back();
    a["id"] = a["doc_id"].get<std::string>() + "#9001";
    a["text"] = area_text;
    Json t = passages.back();
    t["id"] = t["doc_id"].get<std::string>() + "#9002";
    t["text"] = theme_text;
    copy_of_area_ = a["id"].get<std::string>();
    copy_of_theme_ = t["id"].get<std::string>();
    passages.push_back(a);
    passages.push_back(t);
    WriteIngestedPassages(state_, passages);
  }

  static testing::TempDir* dir_;
  static fs::path base_;
  testing::TempDir tmp_;
  fs::path state_;
  std::map<std::string, std::string> before_;
  std::string changed_, copy_of_area_, copy_of_theme_;
};
testing::TempDir* Incremental::dir_ = nullptr;
fs::path Incremental::base_;

TEST_F(Incremental, UnchangedPassagesKeepTheirLinesAndNewOnesArePlaced) {
  const std::string in_area = FirstLine([](const Json& j) { return !j["areas"].empty(); });
  const std::string in_theme = FirstLine([](const Json& j) { return j["theme"].get<int>() > 0; });
  ASSERT_FALSE(in_area.empty());
  ASSERT_FALSE(in_theme.empty());
  ChangeOnePassageAndAddCopies(in_area, in_theme);
  auto r = Analyze(Options(state_), DefaultAnalyzer());
  ASSERT_OK(r.status());
  EXPECT_EQ(r->mode, "incremental") << r->reason;
  EXPECT_EQ(r->placed, 3);
  EXPECT_EQ(r->kept, static_cast<int>(before_.size()) - 1);
  EXPECT_EQ(r->drift_added, 2);
  EXPECT_EQ(r->drift_changed, 1);
  EXPECT_EQ(r->drift_removed, 0);
  EXPECT_EQ(r->passages, static_cast<int>(before_.size()) + 2);
  const auto after = LinesById(state_);
  ASSERT_EQ(after.size(), before_.size() + 2);
  int identical = 0;
  for (const auto& [id, line] : before_) {
    if (id == changed_) continue;
    ASSERT_TRUE(after.count(id)) << id;
    EXPECT_EQ(after.at(id), line) << id;
    identical += after.at(id) == line;
  }
  EXPECT_EQ(identical, static_cast<int>(before_.size()) - 1);
  // The same text placed with the same model: the same areas, scores,
  // reasons and theme as the passage it copies.
  auto body = [](const std::string& line) {
    Json j = Json::parse(line);
    j.erase("id");
    j.erase("doc_id");
    return j.dump();
  };
  EXPECT_EQ(body(after.at(copy_of_area_)), body(before_.at(in_area)));
  EXPECT_EQ(body(after.at(copy_of_theme_)), body(before_.at(in_theme)));
  // themes.json counts the new theme member.
  const Json themes = Json::parse(*ReadFile(state_ / "analysis/themes.json"));
  const int theme = Json::parse(after.at(copy_of_theme_))["theme"].get<int>();
  bool listed = false;
  for (const Json& t : themes["emergent"]) {
    if (t["id"] != theme) continue;
    for (const Json& id : t["passage_ids"]) listed = listed || id == copy_of_theme_;
    EXPECT_EQ(t["size"].get<size_t>(), t["passage_ids"].size());
  }
  EXPECT_TRUE(listed);
}

TEST_F(Incremental, RemovedDocumentLeavesThemesJson) {
  // The document of a passage in a theme.
  const std::string in_theme = FirstLine([](const Json& j) { return j["theme"].get<int>() > 0; });
  ASSERT_FALSE(in_theme.empty());
  const std::string doc = Json::parse(before_.at(in_theme))["doc_id"].get<std::string>();
  std::vector<Json> passages = IngestedPassages(state_);
  std::vector<Json> kept;
  for (const Json& p : passages) {
    if (p["doc_id"] != doc) kept.push_back(p);
  }
  ASSERT_LT(kept.size(), passages.size());
  WriteIngestedPassages(state_, kept);
  auto r = Analyze(Options(state_), DefaultAnalyzer());
  ASSERT_OK(r.status());
  EXPECT_EQ(r->mode, "incremental") << r->reason;
  EXPECT_EQ(r->drift_removed, static_cast<int>(passages.size() - kept.size()));
  EXPECT_EQ(r->placed, 0);
  const std::string themes_text = *ReadFile(state_ / "analysis/themes.json");
  EXPECT_EQ(themes_text.find("\"" + doc + "#"), std::string::npos);
  EXPECT_EQ(ReadFile(state_ / "analysis/passages.jsonl")->find("\"" + doc + "#"), std::string::npos);
  // Sizes are counted anew: they add up to the passages with a theme.
  const auto after = LinesById(state_);
  size_t with_theme = 0;
  for (const auto& [id, line] : after) with_theme += Json::parse(line)["theme"].get<int>() > 0;
  size_t total = 0;
  const Json themes = Json::parse(themes_text);
  for (const Json& t : themes["emergent"]) total += t["size"].get<size_t>();
  EXPECT_EQ(total, with_theme);
}

TEST_F(Incremental, NothingChangedGivesTheSameBytes) {
  const std::string fresh = Output(state_);
  auto r = Analyze(Options(state_), DefaultAnalyzer());
  ASSERT_OK(r.status());
  EXPECT_EQ(r->mode, "incremental") << r->reason;
  EXPECT_EQ(r->placed, 0);
  EXPECT_EQ(Output(state_), fresh);
}

TEST_F(Incremental, DriftAboveTheThresholdRefits) {
  ChangeOnePassageAndAddCopies(before_.begin()->first, std::next(before_.begin())->first);
  AnalyzeOptions ao = Options(state_);
  ao.max_drift = 2.5 / static_cast<double>(before_.size());  // 3 passages drifted
  auto r = Analyze(ao, DefaultAnalyzer());
  ASSERT_OK(r.status());
  EXPECT_EQ(r->mode, "full");
  EXPECT_NE(r->reason.find("drift"), std::string::npos) << r->reason;
  EXPECT_EQ(r->drift_added + r->drift_changed + r->drift_removed, 3);
  // As a fit from a fresh state.
  const std::string refit = Output(state_);
  AnalyzeOptions fresh = Options(state_);
  fresh.use_cache = false;
  ASSERT_OK(Analyze(fresh, DefaultAnalyzer()).status());
  EXPECT_EQ(Output(state_), refit);
}

TEST_F(Incremental, DriftIsCountedFromTheFitNotFromTheLastRun) {
  // Night 1: 3 passages drift; night 2: 3 more. With room for 4, night 1 is
  // incremental and night 2 is not.
  AnalyzeOptions ao = Options(state_);
  ao.max_drift = 4.5 / static_cast<double>(before_.size());
  std::vector<Json> passages = IngestedPassages(state_);
  for (int i : {10, 11, 12}) passages[static_cast<size_t>(i)]["text"] = "Vi vill ha fler cykelbanor i Borås.";
  WriteIngestedPassages(state_, passages);
  auto night1 = Analyze(ao, DefaultAnalyzer());
  ASSERT_OK(night1.status());
  EXPECT_EQ(night1->mode, "incremental") << night1->reason;
  for (int i : {20, 21, 22}) passages[static_cast<size_t>(i)]["text"] = "Vi vill ha fler cykelbanor i Alingsås.";
  WriteIngestedPassages(state_, passages);
  auto night2 = Analyze(ao, DefaultAnalyzer());
  ASSERT_OK(night2.status());
  EXPECT_EQ(night2->mode, "full");
  EXPECT_EQ(night2->drift_changed, 6);
}

TEST_F(Incremental, ChangedFrameworkRefits) {
  const fs::path framework = tmp_.path() / "framework.json";
  Json fw = Json::parse(*ReadFile(testing::SourceDir() / "corpus/framework/vg2030.json"));
  ASSERT_TRUE(fw["areas"].is_array());
  fw["areas"][0]["seed_terms"].push_back("cykelbanor");
  ASSERT_OK(WriteFileAtomically(framework, fw.dump(2)));
  AnalyzeOptions ao = Options(state_);
  ao.framework_path = framework;
  auto r = Analyze(ao, DefaultAnalyzer());
  ASSERT_OK(r.status());
  EXPECT_EQ(r->mode, "full");
  EXPECT_NE(r->reason.find("framework"), std::string::npos) << r->reason;
  // The next run with that framework is incremental again.
  auto again = Analyze(ao, DefaultAnalyzer());
  ASSERT_OK(again.status());
  EXPECT_EQ(again->mode, "incremental") << again->reason;
}

TEST_F(Incremental, RefitForcesAFullFit) {
  ChangeOnePassageAndAddCopies(before_.begin()->first, std::next(before_.begin())->first);
  AnalyzeOptions ao = Options(state_);
  ao.refit = true;
  auto r = Analyze(ao, DefaultAnalyzer());
  ASSERT_OK(r.status());
  EXPECT_EQ(r->mode, "full");
  EXPECT_NE(r->reason.find("--refit"), std::string::npos) << r->reason;
  EXPECT_EQ(r->placed, 0);
  const std::string refit = Output(state_);
  AnalyzeOptions fresh = Options(state_);
  fresh.use_cache = false;
  ASSERT_OK(Analyze(fresh, DefaultAnalyzer()).status());
  EXPECT_EQ(Output(state_), refit);
}

TEST_F(Incremental, DamagedSavedFilesAreRefusedByNameAndRefitted) {
  ChangeOnePassageAndAddCopies(before_.begin()->first, std::next(before_.begin())->first);
  const fs::path model = state_ / "analysis/model.bin";
  const fs::path index = state_ / "analysis/output.index";
  const std::string model_bytes = *ReadFile(model);
  const std::string index_bytes = *ReadFile(index);
  ASSERT_GT(model_bytes.size(), 100u);
  // The expected output: a full fit from a fresh state.
  testing::TempDir other;
  fs::copy(state_, other.path() / "state", fs::copy_options::recursive);
  AnalyzeOptions fresh = Options(other.path() / "state");
  fresh.use_cache = false;
  ASSERT_OK(Analyze(fresh, DefaultAnalyzer()).status());
  const std::string expected = Output(other.path() / "state");

  std::string flipped = model_bytes;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x40);
  const struct {
    fs::path file;
    std::string bytes;
  } cases[] = {
      {model, model_bytes.substr(0, model_bytes.size() / 2)},  // truncated
      {model, flipped},                                        // corrupt
      {model, "samrad-model 0\n"},                             // another format
      {model, ""},                                             // empty
      {index, index_bytes.substr(0, index_bytes.size() - 3)},  // truncated
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file.string() + " of " + std::to_string(c.bytes.size()) + " bytes");
    ASSERT_OK(WriteFileAtomically(model, model_bytes));
    ASSERT_OK(WriteFileAtomically(index, index_bytes));
    ASSERT_OK(WriteFileAtomically(c.file, c.bytes));
    auto r = Analyze(Options(state_), DefaultAnalyzer());
    ASSERT_OK(r.status());
    EXPECT_EQ(r->mode, "full");
    EXPECT_NE(r->reason.find(c.file.string()), std::string::npos) << r->reason;
    EXPECT_EQ(Output(state_), expected);
    // Nothing lost: the fit saved a good model again.
    auto next = Analyze(Options(state_), DefaultAnalyzer());
    ASSERT_OK(next.status());
    EXPECT_EQ(next->mode, "incremental") << next->reason;
    EXPECT_EQ(Output(state_), expected);
  }
}

TEST_F(Incremental, SameInputAndStateGiveTheSameBytes) {
  const std::string in_area = FirstLine([](const Json& j) { return !j["areas"].empty(); });
  const std::string in_theme = FirstLine([](const Json& j) { return j["theme"].get<int>() > 0; });
  ChangeOnePassageAndAddCopies(in_area, in_theme);
  testing::TempDir other;
  const fs::path twin = other.path() / "state";
  fs::copy(state_, twin, fs::copy_options::recursive);
  auto a = Analyze(Options(state_), DefaultAnalyzer());
  auto b = Analyze(Options(twin), DefaultAnalyzer());
  ASSERT_OK(a.status());
  ASSERT_OK(b.status());
  EXPECT_EQ(a->mode, "incremental");
  EXPECT_EQ(b->mode, "incremental");
  for (const char* f : {"passages.jsonl", "themes.json", "output.index", "model.bin", "terms.cache"}) {
    EXPECT_EQ(*ReadFile(state_ / "analysis" / f), *ReadFile(twin / "analysis" / f)) << f;
  }
}

// The saved files are written as they are made, a megabyte at a time
// (#11); several megabytes of them must read back whole, sealed with the
// FNV-1a of everything before the seal.
TEST(SavedFiles, SeveralMegabytesRoundTripWithTheirSeal) {
  testing::TempDir dir;
  internal::SavedModel m;
  m.fingerprint = "fp";
  for (int t = 0; t < 50000; ++t) {
    m.terms.push_back("term" + std::to_string(t));
    m.idf.push_back(static_cast<float>(t % 97) / 7.0f);
    m.surfaces.push_back(t % 3 == 0 ? "" : "Yta" + std::to_string(t));
    m.generic.push_back(t % 5 == 0 ? 1 : 0);
  }
  m.prototypes.assign(2, internal::SparseVector{{3, 0.5f}, {49999, 0.25f}});
  m.min_score = 0.125;
  m.silhouette = 0.5;
  m.themes.push_back({1, "bostäder", {"bostad", "hyra"}, {{7, 1.0f}}});
  for (int i = 0; i < 150000; ++i) {
    m.passages.push_back({m.id_bytes.Store("doc-" + std::to_string(i / 13) + ".txt#" + std::to_string(i % 13)),
                          0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(i + 1), static_cast<std::uint64_t>(i)});
  }
  const fs::path model_path = dir.path() / "model.bin";
  Result<std::uint64_t> seal = internal::WriteSavedModel(model_path, m);
  ASSERT_OK(seal.status());
  const std::string bytes = *ReadFile(model_path);
  ASSERT_GT(bytes.size(), size_t{3} << 20);
  size_t pos = bytes.size() - 8;
  std::uint64_t stored = 0;
  ASSERT_TRUE(GetU64(bytes, &pos, &stored));
  EXPECT_EQ(stored, *seal);
  EXPECT_EQ(stored, Fnv1a64(std::string_view(bytes).substr(0, bytes.size() - 8)));

  Result<internal::SavedModel> back = internal::ReadSavedModel(model_path, 2);
  ASSERT_OK(back.status());
  EXPECT_EQ(back->seal, *seal);
  EXPECT_EQ(back->terms, m.terms);
  EXPECT_EQ(back->idf, m.idf);
  EXPECT_EQ(back->surfaces, m.surfaces);
  EXPECT_EQ(back->generic, m.generic);
  ASSERT_EQ(back->passages.size(), m.passages.size());
  for (size_t i = 0; i < m.passages.size(); i += 997) {
    EXPECT_EQ(back->passages[i].id, m.passages[i].id);
    EXPECT_EQ(back->passages[i].text_hash, m.passages[i].text_hash);
    EXPECT_EQ(back->passages[i].text_length, m.passages[i].text_length);
  }
  EXPECT_EQ(back->passages.back().id, m.passages.back().id);

  internal::OutputIndex index;
  index.model_seal = *seal;
  index.file_size = 123456789;
  for (size_t i = 0; i < m.passages.size(); ++i) {
    internal::OutputRecord r;
    r.override_hash = i % 5 == 0 ? 0x8000000000000001u + i : 0;
    r.offset = i * 100;
    r.length = 100;
    r.theme = static_cast<int>(i % 7) - 1;
    r.overridden = i % 5 == 0;
    r.areas = {static_cast<std::uint32_t>(i % 2)};
    if (i % 3 == 0) r.areas.push_back(1);
    index.keys.push_back(m.passages[i]);
    index.records.Add(r);
  }
  const fs::path index_path = dir.path() / "output.index";
  ASSERT_OK(internal::WriteOutputIndex(index_path, index));
  Result<internal::OutputIndex> read = internal::ReadOutputIndex(index_path, 2);
  ASSERT_OK(read.status());
  EXPECT_EQ(read->model_seal, *seal);
  EXPECT_EQ(read->file_size, index.file_size);
  ASSERT_EQ(read->keys.size(), index.keys.size());
  ASSERT_EQ(read->records.size(), index.records.size());
  for (size_t i = 0; i < index.keys.size(); i += 991) {
    EXPECT_EQ(read->keys[i].id, index.keys[i].id);
    EXPECT_EQ(read->keys[i].text_hash, index.keys[i].text_hash);
    const internal::OutputRecord want = index.records.Get(i);
    const internal::OutputRecord got = read->records.Get(i);
    EXPECT_EQ(got.override_hash, want.override_hash);
    EXPECT_EQ(got.offset, i * 100);
    EXPECT_EQ(got.length, 100u);
    EXPECT_EQ(got.theme, static_cast<int>(i % 7) - 1);
    EXPECT_EQ(got.overridden, i % 5 == 0);
    EXPECT_EQ(got.areas, want.areas);
  }
  // An area at or past the framework's count is refused, naming the file.
  Result<internal::OutputIndex> narrow = internal::ReadOutputIndex(index_path, 1);
  ASSERT_FALSE(narrow.ok());
  EXPECT_NE(narrow.status().message().find("output.index"), std::string::npos);
  // Keys and records that do not pair up are not written.
  index.keys.pop_back();
  EXPECT_FALSE(internal::WriteOutputIndex(dir.path() / "other.index", index).ok());
}

}  // namespace
}  // namespace samrad::themes
