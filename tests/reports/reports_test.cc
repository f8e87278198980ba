// Theme reports: generated for the bundled corpus (ingest -> analyze ->
// report, once per test process), checked for determinism, verbatim quotes,
// personal data, escaping, consistent counts and self-contained HTML.
#include "reports/reports.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis/themes/themes.h"
#include "base/files.h"
#include "ingest/ingest.h"
#include "reports/build.h"
#include "reports/method.h"
#include "reports/text.h"
#include "tests/testing.h"

namespace samrad::reports {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

fs::path Framework() { return testing::SourceDir() / "corpus/framework/vg2030.json"; }

std::string Slurp(const fs::path& p) {
  Result<std::string> s = ReadFile(p);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : std::string();
}

// name -> bytes of every file in `dir`.
std::map<std::string, std::string> ReadAll(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = Slurp(e.path());
  return out;
}

// Ingests `corpus` into `state` and analyses it with the bundled framework.
Status IngestAndAnalyze(const fs::path& corpus, const fs::path& state, const analysis::Analyzer& analyzer) {
  ingest::IngestOptions io;
  io.corpus_dir = corpus;
  io.state_dir = state;
  Result<ingest::IngestReport> r = ingest::Ingest(io);
  if (!r.ok()) return r.status();
  themes::AnalyzeOptions ao;
  ao.state_dir = state;
  ao.framework_path = Framework();
  Result<themes::AnalyzeSummary> a = themes::Analyze(ao, analyzer);
  return a.ok() ? Status::Ok() : a.status();
}

// One ingested and analysed bundled corpus, and its reports written twice,
// shared by every test.
//
// Building it (ingest, analyze, two report runs) takes tens of seconds in a
// Debug or sanitizer build, and CTest runs every test in a process of its
// own. So the first process builds it under the build tree, keyed by this
// test binary's size and time and the corpus files (framework included),
// while holding a lock; the other processes wait for it and read it.
struct Bundled {
  fs::path root;  // holds state/, out1/, out2/
  Status status;
  std::map<std::string, std::string> first, second;  // file name -> bytes
  std::map<std::string, Passage> passages;           // by id
  std::map<std::string, Document> documents;         // by id
  fs::path state() const { return root / "state"; }
};

std::string CacheKey() {
  // This binary by size and modification time: any rebuild changes them, and
  // hashing its bytes would cost seconds under the sanitizers.
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::string material = exe.string();
  if (!ec) {
    material += " " + std::to_string(fs::file_size(exe, ec)) + " " +
                std::to_string(fs::last_write_time(exe, ec).time_since_epoch().count());
  }
  std::vector<std::string> listing;
  for (const auto& e : fs::recursive_directory_iterator(testing::SourceDir() / "corpus")) {
    if (!e.is_regular_file()) continue;
    listing.push_back(fs::relative(e.path(), testing::SourceDir()).string() + " " +
                      std::to_string(e.file_size()) + " " +
                      std::to_string(e.last_write_time().time_since_epoch().count()));
  }
  std::sort(listing.begin(), listing.end());
  for (const std::string& l : listing) material += "\n" + l;
  return ContentHash(material);
}

Status Build(const fs::path& dir, const analysis::Analyzer& analyzer) {
  SAMRAD_RETURN_IF_ERROR(IngestAndAnalyze(testing::SourceDir() / "corpus/documents", dir / "state", analyzer));
  for (const char* run : {"out1", "out2"}) {
    ReportOptions o;
    o.state_dir = dir / "state";
    o.out_dir = dir / run;
    o.framework_path = Framework();
    Result<ReportSummary> r = WriteReports(o, analyzer);
    if (!r.ok()) return r.status();
  }
  return WriteFileAtomically(dir / "done", "");
}

// Creating an Analyzer takes seconds in a Debug build: only when needed.
// nullptr (and a test failure) when it cannot be created.
const analysis::Analyzer* SharedAnalyzer() {
  static std::unique_ptr<analysis::Analyzer> analyzer = [] {
    auto a = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? std::move(*a) : nullptr;
  }();
  return analyzer.get();
}

Status Prepare(Bundled* s) {
  const fs::path cache = testing::BinaryDir() / "tests" / "reports" / "bundled-cache";
  fs::create_directories(cache);
  const std::string key = CacheKey();
  s->root = cache / key;
  {
    const int fd = ::open((cache / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return Status::IOError("cannot open " + (cache / "lock").string());
    if (::flock(fd, LOCK_EX) != 0) {
      ::close(fd);
      return Status::IOError("cannot lock " + (cache / "lock").string());
    }
    Status built = Status::Ok();
    if (!fs::exists(s->root / "done")) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(cache)) {  // earlier builds' caches
        if (e.is_directory()) fs::remove_all(e.path(), ec);
      }
      built = SharedAnalyzer() ? Build(s->root, *SharedAnalyzer()) : Status::Internal("no analyzer");
    }
    ::close(fd);  // releases the lock
    SAMRAD_RETURN_IF_ERROR(built);
  }
  s->first = ReadAll(s->root / "out1");
  s->second = ReadAll(s->root / "out2");
  SAMRAD_RETURN_IF_ERROR(ingest::ForEachPassage(s->state(), [&](const Passage& p) {
    s->passages[p.id] = p;
    return Status::Ok();
  }));
  auto docs = ingest::LoadDocuments(s->state());
  if (!docs.ok()) return docs.status();
  for (const Document& d : *docs) s->documents[d.id] = d;
  return Status::Ok();
}

const Bundled& Shared() {
  static Bundled* b = [] {
    auto* s = new Bundled;
    s->status = Prepare(s);
    return s;
  }();
  return *b;
}

class BundledCorpus : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK(Shared().status); }
  const Bundled& b() const { return Shared(); }

  std::vector<std::string> Names(const std::string& ext) const {
    std::vector<std::string> out;
    for (const auto& [name, bytes] : b().first) {
      if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
        out.push_back(name);
      }
    }
    return out;
  }
  Json ParseJson(const std::string& name) const {
    auto it = b().first.find(name);
    EXPECT_NE(it, b().first.end()) << name;
    return it == b().first.end() ? Json() : Json::parse(it->second);
  }
};

TEST_F(BundledCorpus, WritesOverviewEveryAreaAndTheEmergentThemes) {
  Result<themes::Framework> fw = themes::LoadFramework(Framework());
  ASSERT_OK(fw.status());
  std::set<std::string> expected;
  for (const char* ext : {".md", ".html", ".json"}) {
    expected.insert(std::string("index") + ext);
    expected.insert(std::string("tema-emergenta") + ext);
    for (const themes::Area& a : fw->areas) expected.insert("omrade-" + a.id + ext);
  }
  std::set<std::string> got;
  for (const auto& [name, bytes] : b().first) got.insert(name);
  EXPECT_EQ(got, expected);
}

TEST_F(BundledCorpus, TwoRunsAreByteIdentical) {
  ASSERT_EQ(b().first.size(), b().second.size());
  for (const auto& [name, bytes] : b().first) {
    auto it = b().second.find(name);
    ASSERT_NE(it, b().second.end()) << name;
    EXPECT_TRUE(bytes == it->second) << name << " differs between two runs";
  }
}

// Every quote, in area and theme reports and on both sides of every
// disagreement, is a verbatim substring of the passage it cites, at the
// byte offsets it gives, and cites that passage's document correctly.
TEST_F(BundledCorpus, EveryQuoteIsAVerbatimSubstringOfItsCitedPassage) {
  int checked = 0;
  auto check = [&](const Json& q, const std::string& where) {
    const std::string text = q["text"].get<std::string>();
    const Json& c = q["citation"];
    auto it = b().passages.find(c["passage_id"].get<std::string>());
    ASSERT_NE(it, b().passages.end()) << where << ": unknown passage " << c["passage_id"];
    const Passage& p = it->second;
    EXPECT_FALSE(text.empty()) << where;
    EXPECT_NE(p.text.find(text), std::string::npos) << where << ": not verbatim: " << text;
    const auto start = q["byte_start"].get<size_t>(), end = q["byte_end"].get<size_t>();
    ASSERT_LE(end, p.text.size()) << where;
    EXPECT_EQ(p.text.substr(start, end - start), text) << where;
    const Document& d = b().documents.at(p.doc_id);
    EXPECT_EQ(c["doc_id"], p.doc_id) << where;
    EXPECT_EQ(c["organisation"], d.meta.organisation) << where;
    EXPECT_EQ(c["actor_group"], d.meta.actor_group) << where;
    EXPECT_EQ(c["title"], d.meta.title) << where;
    EXPECT_EQ(c["date"], d.meta.date) << where;
    EXPECT_EQ(c["locator"]["line_start"], p.locator.line_start) << where;
    EXPECT_EQ(c["locator"]["ordinal"], p.ordinal) << where;
    EXPECT_FALSE(c["where"].get<std::string>().empty()) << where;
    ++checked;
  };
  auto topic = [&](const Json& t, const std::string& where) {
    for (const Json& q : t["quotes"]) check(q, where);
    for (const Json& d : t["disagreements"]) {
      for (const char* side : {"a", "b"}) {
        for (const Json& q : d[side]["quotes"]) check(q, where + " disagreement");
      }
    }
  };
  for (const std::string& name : Names(".json")) {
    const Json j = ParseJson(name);
    if (j["report"] == "area") topic(j, name);
    if (j["report"] == "emergent_themes") {
      for (const Json& t : j["themes"]) topic(t, name + " " + t["name"].get<std::string>());
    }
  }
  EXPECT_GT(checked, 40);
}

// No item of corpus/gold/pii.jsonl appears in any output byte, raw or in the
// escaped forms the Markdown and HTML would give it.
TEST_F(BundledCorpus, NoPlantedPersonalDataInAnyOutput) {
  std::ifstream in(testing::SourceDir() / "corpus/gold/pii.jsonl");
  std::string line;
  int items = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::string pii = Json::parse(line)["text"].get<std::string>();
    ++items;
    const std::set<std::string> forms = {pii, internal::HtmlEscape(pii), internal::MarkdownEscape(pii)};
    for (const auto& [name, bytes] : b().first) {
      for (const std::string& f : forms) EXPECT_EQ(bytes.find(f), std::string::npos) << name << " contains " << pii;
    }
  }
  EXPECT_GT(items, 200);
}

// The cells of a Markdown table row "| a | b |" -> {"a", "b"}; {} for other lines.
// (An escaped pipe "\\|" stays inside its cell.)
std::vector<std::string> Cells(const std::string& line) {
  if (line.size() < 2 || line.front() != '|' || line.back() != '|') return {};
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 1; i + 1 < line.size(); ++i) {
    if (line[i] == '\\' && i + 2 < line.size()) {
      cell += line.substr(i, 2);
      ++i;
    } else if (line[i] == '|') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  cells.push_back(cell);
  for (std::string& c : cells) {
    while (!c.empty() && c.front() == ' ') c.erase(c.begin());
    while (!c.empty() && c.back() == ' ') c.pop_back();
  }
  return cells;
}

bool IsNumber(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "| Avsnitt | 12 |" -> 12 for the key-figure rows of a Markdown report (first occurrence).
std::map<std::string, int> MarkdownFigures(const std::string& md) {
  static const std::set<std::string> kLabels = {"Avsnitt", "Dokument", "Organisationer", "Avsnitt utan område",
                                                "Avsnitt i minst ett område"};
  std::map<std::string, int> out;
  std::istringstream in(md);
  for (std::string line; std::getline(in, line);) {
    const std::vector<std::string> cells = Cells(line);
    if (cells.size() == 2 && kLabels.count(cells[0]) && IsNumber(cells[1]) && !out.count(cells[0])) {
      out[cells[0]] = std::stoi(cells[1]);
    }
  }
  return out;
}

// label -> passages of the first table after the "## heading" line, whose
// rows read "| label | passages | share | documents | bar |".
std::map<std::string, int> MarkdownBreakdown(const std::string& md, const std::string& heading) {
  std::map<std::string, int> out;
  const size_t at = md.find("\n## " + heading + "\n");
  if (at == std::string::npos) return out;
  std::istringstream in(md.substr(at + heading.size() + 5));
  bool in_table = false;
  for (std::string line; std::getline(in, line);) {
    const std::vector<std::string> cells = Cells(line);
    if (cells.size() == 5 && IsNumber(cells[1]) && cells[2].ends_with(" %") && IsNumber(cells[3])) {
      out[cells[0]] = std::stoi(cells[1]);
      in_table = true;
    } else if (in_table && cells.empty()) {
      break;
    }
  }
  return out;
}

TEST_F(BundledCorpus, JsonCarriesTheSameCountsAsTheMarkdown) {
  int areas = 0;
  for (const std::string& name : Names(".json")) {
    const Json j = ParseJson(name);
    const std::string md = b().first.at(name.substr(0, name.size() - 5) + ".md");
    const auto figures = MarkdownFigures(md);
    if (j["report"] == "area") {
      ++areas;
      EXPECT_EQ(figures.at("Avsnitt"), j["counts"]["passages"]) << name;
      EXPECT_EQ(figures.at("Dokument"), j["counts"]["documents"]) << name;
      EXPECT_EQ(figures.at("Organisationer"), j["counts"]["organisations"]) << name;
      std::map<std::string, int> json_groups;
      for (const Json& r : j["by_actor_group"]) json_groups[internal::MarkdownEscape(r["label"].get<std::string>())] = r["passages"];
      EXPECT_EQ(MarkdownBreakdown(md, "Aktörsgrupper"), json_groups) << name;
      std::map<std::string, int> json_regions;
      for (const Json& r : j["by_subregion"]) json_regions[internal::MarkdownEscape(r["label"].get<std::string>())] = r["passages"];
      EXPECT_EQ(MarkdownBreakdown(md, "Delregioner"), json_regions) << name;
    } else if (j["report"] == "overview") {
      EXPECT_EQ(figures.at("Avsnitt"), j["counts"]["passages"]);
      EXPECT_EQ(figures.at("Dokument"), j["counts"]["documents"]);
      EXPECT_EQ(figures.at("Organisationer"), j["counts"]["organisations"]);
      EXPECT_EQ(figures.at("Avsnitt utan område"), j["counts"]["no_area"]);
      EXPECT_EQ(figures.at("Avsnitt i minst ett område"), j["counts"]["in_some_area"]);
    }
  }
  EXPECT_EQ(areas, 9);
}

TEST_F(BundledCorpus, CountsAddUp) {
  const Json overview = ParseJson("index.json");
  const int total = overview["counts"]["passages"];
  EXPECT_EQ(total, static_cast<int>(b().passages.size()));
  EXPECT_EQ(overview["counts"]["in_some_area"].get<int>() + overview["counts"]["no_area"].get<int>(), total);
  EXPECT_LE(overview["counts"]["no_area_in_theme"].get<int>(), overview["counts"]["no_area"].get<int>());
  int group_sum = 0;
  for (const Json& g : overview["actor_groups"]) group_sum += g["passages"].get<int>();
  EXPECT_EQ(group_sum, total);
  EXPECT_EQ(overview["least_input"].size(), 3u);

  auto sum = [](const Json& rows) {
    int s = 0;
    for (const Json& r : rows) s += r["passages"].get<int>();
    return s;
  };
  auto topic = [&](const Json& t, const std::string& where) {
    const int n = t["counts"]["passages"];
    EXPECT_EQ(sum(t["by_actor_group"]), n) << where;
    EXPECT_EQ(sum(t["by_subregion"]), n) << where;
    EXPECT_EQ(sum(t["by_kind"]), n) << where;
    EXPECT_EQ(static_cast<int>(t["passage_ids"].size()), n) << where;
    if (!t["subtopics"].empty()) {
      EXPECT_EQ(sum(t["subtopics"]), n) << where;
    }
    for (const Json& d : t["disagreements"]) {
      EXPECT_TRUE(d["by_stance"].get<bool>() || d["by_share"].get<bool>()) << where;
      EXPECT_NE(d["a"]["actor_group"], d["b"]["actor_group"]) << where;
    }
  };
  for (const Json& row : overview["areas"]) {
    const std::string id = row["id"];
    const Json area = ParseJson("omrade-" + id + ".json");
    topic(area, id);
    EXPECT_EQ(area["counts"]["passages"], row["passages"]) << id;
    EXPECT_EQ(area["counts"]["documents"], row["documents"]) << id;
    int cells = 0;
    for (const auto& [group, n] : row["by_actor_group"].items()) {
      cells += n.get<int>();
      int from_area = 0;
      for (const Json& r : area["by_actor_group"]) {
        if (r["key"] == group) from_area = r["passages"];
      }
      EXPECT_EQ(n.get<int>(), from_area) << id << " " << group;
    }
    EXPECT_EQ(cells, row["passages"].get<int>()) << id;
  }
  const Json themes = ParseJson("tema-emergenta.json");
  int in_themes = 0;
  for (const Json& t : themes["themes"]) {
    topic(t, t["name"]);
    in_themes += t["counts"]["passages"].get<int>();
  }
  EXPECT_EQ(themes["themes"].size(), overview["emergent_themes"].size());
  EXPECT_GT(in_themes, 0);
}

// The planted disagreement data must surface somewhere.
TEST_F(BundledCorpus, FindsDisagreementsBetweenActorGroups) {
  int found = 0;
  for (const std::string& name : Names(".json")) {
    const Json j = ParseJson(name);
    if (j["report"] == "area") found += static_cast<int>(j["disagreements"].size());
  }
  EXPECT_GT(found, 0);
}

// Two actor groups that take opposite stances on the same subject word
// disagree "by stance", with that word contested and the supportive side
// first (#11: WordStance tallies the unit's subjects only). The bundled
// corpus has no such disagreement, so three business and three civil
// society answers about hydrogen plants are added to it: the word is in 24
// of ~1,280 passages, under the share that can be a subject.
TEST(ReportDisagreement, OppositeStancesOnASubjectWordAreContested) {
  ASSERT_NE(SharedAnalyzer(), nullptr);
  testing::TempDir dir;
  const fs::path corpus = dir.path() / "corpus";
  fs::copy(testing::SourceDir() / "corpus/documents", corpus, fs::copy_options::recursive);
  struct Side {
    const char* key;
    const char* group;
    std::vector<std::string> sentences;
  };
  const Side sides[] = {
      {"naringsliv", "näringsliv",
       {"Vi stödjer satsningen på vätgasfabriker i Skaraborg.",
        "Vätgasfabriker är positivt för industrins omställning och vi välkomnar dem.",
        "Vi tillstyrker att regionen prioriterar vätgasfabriker och förnybar energi."}},
      {"civil", "civilsamhälle",
       {"Vi ser med oro på satsningen på vätgasfabriker i Skaraborg.",
        "Vätgasfabriker är negativt för naturen och vi motsätter oss dem.",
        "Vi avstyrker att regionen prioriterar vätgasfabriker före förnybar energi från sol."}},
  };
  for (const Side& side : sides) {
    for (int d = 0; d < 3; ++d) {
      const fs::path doc = corpus / "extra" / (std::string(side.key) + "-" + std::to_string(d) + ".txt");
      fs::create_directories(doc.parent_path());
      std::string text;
      for (const std::string& s : side.sentences) text += s + "\n\n";
      text += side.sentences[0] + "\n";
      ASSERT_TRUE(WriteFileAtomically(doc, text).ok());
      const Json meta = {{"kind", "remiss"},
                         {"title", std::string("Yttrande ") + side.key + " " + std::to_string(d)},
                         {"date", "2020-05-0" + std::to_string(d + 1)},
                         {"organisation", std::string("Organisation ") + side.key + " " + std::to_string(d)},
                         {"actor_group", side.group},
                         {"subregion", "Skaraborg"},
                         {"municipality", "Skövde"}};
      ASSERT_TRUE(WriteFileAtomically(doc.string() + ".meta.json", meta.dump()).ok());
    }
  }
  ASSERT_TRUE(IngestAndAnalyze(corpus, dir.path() / "state", *SharedAnalyzer()).ok());
  ReportOptions o;
  o.state_dir = dir.path() / "state";
  o.out_dir = dir.path() / "out";
  o.framework_path = Framework();
  o.formats = {"json"};
  const Result<ReportSummary> r = WriteReports(o, *SharedAnalyzer());
  ASSERT_TRUE(r.ok()) << r.status().ToString();

  int found = 0;
  for (const auto& e : fs::directory_iterator(o.out_dir)) {
    const Json j = Json::parse(Slurp(e.path()));
    if (j["report"] != "area") continue;
    for (const Json& d : j["disagreements"]) {
      if (!d["by_stance"].get<bool>()) continue;
      const std::vector<std::string> words = d["contested_words"].get<std::vector<std::string>>();
      if (std::find(words.begin(), words.end(), "vätgasfabriker") == words.end()) continue;
      ++found;
      const std::string where = e.path().filename().string();
      EXPECT_EQ(d["a"]["actor_group"], "näringsliv") << where;
      EXPECT_EQ(d["b"]["actor_group"], "civilsamhälle") << where;
      EXPECT_GT(d["a"]["stance"].get<double>(), 0) << where;
      EXPECT_LT(d["b"]["stance"].get<double>(), 0) << where;
      EXPECT_GE(d["stance_gap"].get<double>(), 1.0) << where;
    }
  }
  EXPECT_GT(found, 0) << "no area found the stances on vätgasfabriker contested";
}

TEST_F(BundledCorpus, QuotesCoverSeveralActorGroupsAndDocuments) {
  for (const std::string& name : Names(".json")) {
    const Json j = ParseJson(name);
    if (j["report"] != "area" || j["counts"]["passages"].get<int>() < 30) continue;
    std::set<std::string> groups, docs;
    for (const Json& q : j["quotes"]) {
      groups.insert(q["citation"]["actor_group"].get<std::string>());
      docs.insert(q["citation"]["doc_id"].get<std::string>());
    }
    EXPECT_EQ(j["quotes"].size(), 6u) << name;
    EXPECT_GE(groups.size(), 3u) << name;
    EXPECT_EQ(docs.size(), j["quotes"].size()) << name << ": two quotes from one document";
  }
}

// Lines of a file, and a file of lines.
std::vector<std::string> Lines(const fs::path& p) {
  std::vector<std::string> out;
  std::istringstream in(Slurp(p));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

void WriteLines(const fs::path& p, const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  ASSERT_OK(WriteFileAtomically(p, text));
}

// A copy of the bundled state's ingest and analysis files, the ingested
// passages in reverse order.
void CopyStateReversed(const fs::path& from, const fs::path& to) {
  fs::create_directories(to / "ingest");
  fs::create_directories(to / "analysis");
  fs::copy_file(from / "ingest/documents.jsonl", to / "ingest/documents.jsonl");
  fs::copy_file(from / "analysis/passages.jsonl", to / "analysis/passages.jsonl");
  fs::copy_file(from / "analysis/themes.json", to / "analysis/themes.json");
  std::vector<std::string> passages = Lines(from / "ingest/passages.jsonl");
  std::reverse(passages.begin(), passages.end());
  WriteLines(to / "ingest/passages.jsonl", passages);
}

// (#11) The reports keep passages compact (PassageStore) and the analysis as
// indexes: joined in the analysis' order whatever the ingested order, every
// field the reports read as ingested, areas and themes as the analysis says.
TEST_F(BundledCorpus, LoadInputsJoinsThePassagesInTheAnalysisOrder) {
  testing::TempDir dir;
  CopyStateReversed(b().state(), dir.path());
  Result<internal::Inputs> in = internal::LoadInputs(dir.path(), Framework());
  ASSERT_OK(in.status());
  Result<themes::ThemeModel> model = themes::LoadThemeModel(dir.path());
  ASSERT_OK(model.status());
  ASSERT_EQ(in->passages.size(), model->passages.size());
  ASSERT_EQ(in->passages.size(), b().passages.size());
  std::map<std::string, size_t> position;
  size_t overridden = 0;
  for (size_t i = 0; i < model->passages.size(); ++i) {
    const themes::PassageThemes& t = model->passages[i];
    position[t.passage_id] = i;
    const Passage& p = b().passages.at(t.passage_id);
    ASSERT_EQ(in->passages.id(i), p.id) << i;
    EXPECT_EQ(in->passages.text(i), p.text) << p.id;
    EXPECT_EQ(in->passages.doc_id(i), p.doc_id) << p.id;
    EXPECT_EQ(in->passages.section(i), p.section) << p.id;
    EXPECT_EQ(in->passages.speaker_role(i), p.speaker_role) << p.id;
    EXPECT_EQ(in->passages.speaker_org(i), p.speaker_org) << p.id;
    EXPECT_EQ(in->passages.ordinal(i), p.ordinal) << p.id;
    EXPECT_EQ(in->passages.line_start(i), p.locator.line_start) << p.id;
    EXPECT_EQ(in->passages.line_end(i), p.locator.line_end) << p.id;
    EXPECT_EQ(in->passages.page(i), p.locator.page) << p.id;
    std::vector<std::string> areas;
    for (std::uint16_t a : in->areas[i]) areas.push_back(in->framework.areas[a].id);
    EXPECT_EQ(areas, t.areas) << p.id;
    EXPECT_EQ(in->overridden[i], t.overridden) << p.id;
    EXPECT_EQ(in->in_theme[i], t.theme >= 0) << p.id;
    overridden += t.overridden ? 1 : 0;
  }
  ASSERT_EQ(in->themes.size(), model->themes.size());
  for (size_t k = 0; k < model->themes.size(); ++k) {
    std::set<size_t> want;
    for (const std::string& id : model->themes[k].passage_ids) want.insert(position.at(id));
    EXPECT_EQ(in->themes[k].label, model->themes[k].label);
    EXPECT_EQ(in->themes[k].terms, model->themes[k].terms);
    EXPECT_EQ(in->themes[k].members, std::vector<size_t>(want.begin(), want.end())) << "theme " << k;
  }
}

// (#11) Ingested passages in the analysis' order are joined one by one,
// without a map of the ids; from the first one out of order on, through the
// map: both ways put every passage in the analysis' place.
TEST_F(BundledCorpus, LoadInputsJoinsPassagesThatFallOutOfOrderHalfWay) {
  testing::TempDir dir;
  CopyStateReversed(b().state(), dir.path());
  std::vector<std::string> passages = Lines(b().state() / "ingest/passages.jsonl");
  ASSERT_GT(passages.size(), 10u);
  const size_t middle = passages.size() / 2;
  std::swap(passages[middle], passages[passages.size() - 2]);
  WriteLines(dir.path() / "ingest/passages.jsonl", passages);
  Result<internal::Inputs> in = internal::LoadInputs(dir.path(), Framework());
  ASSERT_OK(in.status());
  Result<themes::ThemeModel> model = themes::LoadThemeModel(dir.path());
  ASSERT_OK(model.status());
  ASSERT_EQ(in->passages.size(), model->passages.size());
  for (size_t i = 0; i < model->passages.size(); ++i) {
    const std::string& id = model->passages[i].passage_id;
    ASSERT_EQ(in->passages.id(i), id) << i;
    EXPECT_EQ(in->passages.text(i), b().passages.at(id).text) << id;
  }
}

TEST_F(BundledCorpus, LoadInputsFailsWhenAnalysisAndIngestDisagree) {
  {
    testing::TempDir dir;  // a passage the analysis has, ingest not
    CopyStateReversed(b().state(), dir.path());
    std::vector<std::string> passages = Lines(dir.path() / "ingest/passages.jsonl");
    passages.pop_back();
    WriteLines(dir.path() / "ingest/passages.jsonl", passages);
    const Status s = internal::LoadInputs(dir.path(), Framework()).status();
    EXPECT_EQ(s.code(), Status::Code::kDataError) << s.ToString();
    EXPECT_NE(s.ToString().find("1 passages unknown to ingest"), std::string::npos) << s.ToString();
  }
  {
    testing::TempDir dir;  // an area the framework does not define
    CopyStateReversed(b().state(), dir.path());
    std::vector<std::string> analysis = Lines(dir.path() / "analysis/passages.jsonl");
    const size_t at = analysis[3].find("\"areas\":[");
    ASSERT_NE(at, std::string::npos);
    analysis[3].insert(at + 9, analysis[3][at + 9] == ']' ? "\"ingen-sadan\"" : "\"ingen-sadan\",");
    WriteLines(dir.path() / "analysis/passages.jsonl", analysis);
    const Status s = internal::LoadInputs(dir.path(), Framework()).status();
    EXPECT_EQ(s.code(), Status::Code::kDataError) << s.ToString();
    EXPECT_NE(s.ToString().find("\"ingen-sadan\", which"), std::string::npos) << s.ToString();
  }
}

// The bundled passages (sorted by id), their documents and a term index.
struct IndexedCorpus {
  std::vector<Passage> passages;
  std::vector<Document> documents;
  internal::PassageStore store;
  internal::Corpus corpus;
};

const IndexedCorpus& Indexed(const Bundled& b) {
  static IndexedCorpus* x = [&] {
    auto* s = new IndexedCorpus;
    for (const auto& [id, p] : b.passages) s->passages.push_back(p);
    for (const auto& [id, d] : b.documents) s->documents.push_back(d);
    s->corpus.analyzer = SharedAnalyzer();
    s->store = internal::PassageStore::From(s->passages);
    s->corpus.SetPassages(s->store, s->documents);
    s->corpus.index = internal::BuildTermIndex(s->store, *SharedAnalyzer());
    return s;
  }();
  return *x;
}

// Quotes are chosen by maximal marginal relevance: a passage that repeats
// one already quoted is penalised by its similarity to it. The topic is not
// the first passages of the corpus, so positions among the topic's passages
// and corpus indexes differ (as they did when the penalty was computed
// against the wrong passages and a duplicate was quoted twice).
TEST(QuoteSelection, ARepeatedPassageIsNotQuotedTwice) {
  ASSERT_NE(SharedAnalyzer(), nullptr);
  const std::string repeated =
      "Kollektivtrafiken i Skaraborg behöver fler bussar, tätare turer och bättre pendelparkeringar vid "
      "stationerna.";
  const std::vector<std::string> texts = {
      "Skogsbruket i Dalsland planerar nya vägar för timmertransporter genom skogarna.",
      "Museet i Vänersborg visar en utställning om fiske, båtar och sjöfart på Vänern.",
      "Vårdcentralen i Lysekil söker sjuksköterskor och läkare till sommarens mottagning.",
      repeated,
      repeated,
      "Kollektivtrafiken behöver bättre anslutningar mellan bussar och tåg för pendlare i hela regionen."};
  std::vector<Passage> passages;
  std::vector<Document> documents;
  for (size_t i = 0; i < texts.size(); ++i) {
    Passage p;
    p.doc_id = "d" + std::to_string(i) + ".txt";
    p.id = p.doc_id + "#0000";
    p.text = texts[i];
    passages.push_back(p);
    Document d;
    d.id = p.doc_id;
    d.meta.actor_group = "kommun";
    documents.push_back(d);
  }
  internal::PassageStore store = internal::PassageStore::From(passages);
  internal::Corpus corpus;
  corpus.analyzer = SharedAnalyzer();
  corpus.SetPassages(store, documents);
  corpus.index = internal::BuildTermIndex(store, *SharedAnalyzer());
  internal::MethodOptions o;
  o.mmr_lambda = 0.3;  // redundancy weighs more than relevance
  internal::TopicReport topic;
  internal::AnalyseTopic(corpus, {3, 4, 5}, 2, o, &topic);
  ASSERT_EQ(topic.quotes.size(), 2u);
  EXPECT_NE(topic.quotes[0].cite.passage_id, topic.quotes[1].cite.passage_id);
  EXPECT_NE(topic.quotes[0].text, topic.quotes[1].text);
  EXPECT_EQ(topic.quotes[1].cite.passage_id, "d5.txt#0000");
}

// Seeded subsets of the corpus: topics of different sizes and make-up.
std::vector<std::vector<size_t>> Subsets(size_t n) {
  std::vector<std::vector<size_t>> out(4);
  uint64_t state = 11;
  for (size_t i = 0; i < n; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    if ((state >> 33) % 3 == 0) out[0].push_back(i);
    if ((state >> 33) % 17 == 0) out[1].push_back(i);
    if (i >= n / 3 && i < n / 3 + 120) out[2].push_back(i);
    out[3].push_back(i);
  }
  return out;
}

// The same phrases, scores, counts and order; `context` names the case.
void ExpectSamePhrases(const std::vector<analysis::KeyPhrase>& got, const std::vector<analysis::KeyPhrase>& want,
                       const std::string& context) {
  ASSERT_EQ(got.size(), want.size()) << context;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].phrase, want[i].phrase) << context << ", #" << i;
    EXPECT_EQ(got[i].score, want[i].score) << context << ", " << want[i].phrase;
    EXPECT_EQ(got[i].count, want[i].count) << context << ", " << want[i].phrase;
    EXPECT_EQ(got[i].doc_count, want[i].doc_count) << context << ", " << want[i].phrase;
  }
}

// fn(subset, k, phrases) for every subset and options[k], with the phrases
// analysis::ExtractKeyPhrases gives over the subset's real tokens.
template <typename Fn>
void ForEachReference(const IndexedCorpus& x, const std::vector<std::vector<size_t>>& subsets,
                      const std::vector<analysis::KeyPhraseOptions>& options, Fn&& fn) {
  for (const std::vector<size_t>& subset : subsets) {
    std::vector<std::vector<analysis::Token>> docs;
    for (size_t p : subset) docs.push_back(SharedAnalyzer()->Tokenize(x.passages[p].text));
    for (size_t k = 0; k < options.size(); ++k) fn(subset, k, analysis::ExtractKeyPhrases(docs, options[k]));
  }
}

// (#11) Key phrases come from a compact copy of the tokens; they must be
// exactly what analysis::ExtractKeyPhrases gives over the real tokens.
TEST_F(BundledCorpus, CompactKeyPhrasesEqualExtractKeyPhrases) {
  ASSERT_NE(SharedAnalyzer(), nullptr);
  const IndexedCorpus& x = Indexed(b());
  std::vector<analysis::KeyPhraseOptions> options(5);
  options[1].min_doc_count = 2;
  options[1].max_phrases = 80;
  options[2].min_count = 1;
  options[2].max_phrases = 100000;
  options[2].subsumed_share = 2.0;
  options[3].min_word_chars = 4;
  options[3].max_words = 2;
  options[3].single_words_must_be_compounds = false;
  options[4].min_words = 2;
  options[4].subsumed_share = 0.5;
  internal::PhraseExtractor extractor(x.corpus.index.phrase_tokens);
  // Issue #11: with the sketch that drops candidates occurring once (on for
  // large topics only), the same phrases.
  internal::PhraseExtractor prefiltered(x.corpus.index.phrase_tokens);
  prefiltered.prefilter_tokens = 0;
  std::vector<std::vector<size_t>> subsets = Subsets(x.passages.size());
  for (size_t p = 0; p < x.passages.size(); p += 97) subsets.push_back({p});  // single passages
  ForEachReference(x, subsets, options, [&](const std::vector<size_t>& subset, size_t k,
                                            const std::vector<analysis::KeyPhrase>& want) {
    for (internal::PhraseExtractor* e : {&extractor, &prefiltered}) {
      const std::vector<analysis::KeyPhrase> got = e->Extract(subset, options[k]);
      ExpectSamePhrases(got, want,
                        "options " + std::to_string(k) + ", " + std::to_string(subset.size()) +
                            " passages, prefilter " + std::to_string(e->prefilter_tokens));
    }
  });
}

// (#11) Extract first looks only at candidates counted at least a floor
// (tokens / tokens_per_first_floor) times, proves the result from there or
// lowers the floor. Whichever path it takes, the phrases, scores and order
// are those of analysis::ExtractKeyPhrases; the knob's values here make it
// take each path: the first floor proves the result, a second floor
// derived from the first attempt's last score does, and too few phrases at
// the floor fall back to the options' own.
TEST_F(BundledCorpus, KeyPhrasesFromACountFloorEqualExtractKeyPhrases) {
  ASSERT_NE(SharedAnalyzer(), nullptr);
  const IndexedCorpus& x = Indexed(b());
  std::vector<analysis::KeyPhraseOptions> options(3);
  options[0].min_doc_count = 2;  // the topics' options (method.cc)
  options[0].max_phrases = 80;
  options[1].max_phrases = 10;
  options[1].subsumed_share = 0.5;
  options[2].max_phrases = 30;
  options[2].max_words = 2;
  options[2].min_count = 3;
  std::vector<std::vector<size_t>> subsets = Subsets(x.passages.size());
  int proved_first = 0, proved_second = 0, fell_back = 0;
  ForEachReference(x, subsets, options, [&](const std::vector<size_t>& subset, size_t k,
                                            const std::vector<analysis::KeyPhrase>& want) {
    const int base = std::max(options[k].min_count, options[k].min_doc_count);
    for (size_t per_floor : {1u, 64u, 256u, 1024u, 4096u, 16384u}) {
      internal::PhraseExtractor e(x.corpus.index.phrase_tokens);
      e.prefilter_tokens = 0;
      e.tokens_per_first_floor = per_floor;
      const std::vector<analysis::KeyPhrase> got = e.Extract(subset, options[k]);
      if (e.last_floor > base) {
        (e.last_attempts == 1 ? proved_first : proved_second) += 1;
      } else if (e.last_attempts > 1) {
        ++fell_back;
      }
      ExpectSamePhrases(got, want,
                        "options " + std::to_string(k) + ", " + std::to_string(subset.size()) +
                            " passages, per floor " + std::to_string(per_floor));
    }
  });
  EXPECT_GT(proved_first, 0);
  EXPECT_GT(proved_second, 0);
  EXPECT_GT(fell_back, 0);
  std::printf("floor proved the result first %d, second %d times; fell back %d times\n", proved_first,
              proved_second, fell_back);
}

// (#11) The lookups that only adding needs are freed after the term index is
// built; adding after that gives the ids it would have given.
TEST_F(BundledCorpus, PhraseTokensAfterReleaseLookupsGiveTheSameIds) {
  ASSERT_NE(SharedAnalyzer(), nullptr);
  const analysis::Analyzer& a = *SharedAnalyzer();
  const std::vector<Passage>& passages = Indexed(b()).passages;
  internal::PhraseTokens whole, released;
  for (size_t p = 0; p < passages.size(); ++p) {
    const std::vector<analysis::Token> tokens = a.Tokenize(passages[p].text);
    whole.Add(tokens, a);
    released.Add(tokens, a);
    if (p % 200 == 0) released.ReleaseLookups();
  }
  ASSERT_EQ(released.words.size(), whole.words.size());
  for (size_t w = 0; w < whole.words.size(); ++w) {
    EXPECT_EQ(released.words[w].norm, whole.words[w].norm) << w;
    EXPECT_EQ(released.words[w].stem, whole.words[w].stem) << w;
  }
  EXPECT_EQ(released.norm_key, whole.norm_key);
  ASSERT_EQ(released.strings.size(), whole.strings.size());
  ASSERT_EQ(released.passages.size(), whole.passages.size());
  for (size_t p = 0; p < passages.size(); ++p) {
    const auto x = whole.passages[p], y = released.passages[p];
    ASSERT_EQ(std::vector<std::uint32_t>(y.begin(), y.end()), std::vector<std::uint32_t>(x.begin(), x.end())) << p;
  }
}

// The key phrases of a topic as they were computed before #11, slowly: the
// topic's passages tokenised again, and every passage's own phrases keyed by
// the stems of their words.
std::string SlowPhraseKey(const std::string& phrase, const analysis::Analyzer& a) {
  std::string k;
  std::istringstream words(phrase);
  for (std::string w; words >> w;) {
    if (!k.empty()) k += ' ';
    k += a.Stem(w);
  }
  return k;
}

// Every passage's own phrase keys.
struct SlowPhraseIndex {
  std::vector<std::set<std::string>> keys;  // per passage
  std::map<std::string, int> passages_with;
};

SlowPhraseIndex MakeSlowPhraseIndex(const IndexedCorpus& x, const analysis::Analyzer& a) {
  SlowPhraseIndex s;
  s.keys.resize(x.passages.size());
  analysis::KeyPhraseOptions every;
  every.min_count = 1;
  every.max_phrases = 1 << 30;
  every.subsumed_share = 2.0;
  for (size_t p = 0; p < x.passages.size(); ++p) {
    for (const analysis::KeyPhrase& k : analysis::ExtractKeyPhrases({a.Tokenize(x.passages[p].text)}, every)) {
      s.keys[p].insert(SlowPhraseKey(k.phrase, a));
    }
    for (const std::string& k : s.keys[p]) ++s.passages_with[k];
  }
  return s;
}

std::vector<internal::Phrase> SlowKeyPhrases(const IndexedCorpus& x, const SlowPhraseIndex& index,
                                             const std::vector<size_t>& members, const analysis::Analyzer& a) {
  const internal::MethodOptions o;
  std::vector<std::vector<analysis::Token>> docs;
  for (size_t p : members) docs.push_back(a.Tokenize(x.passages[p].text));
  analysis::KeyPhraseOptions kpo;
  kpo.min_doc_count = 2;
  kpo.max_phrases = o.key_phrase_candidates;
  const double n_in = static_cast<double>(members.size());
  const double n_out = static_cast<double>(x.passages.size()) - n_in;
  std::vector<internal::Phrase> out;
  for (const analysis::KeyPhrase& k : analysis::ExtractKeyPhrases(docs, kpo)) {
    const std::string stems = SlowPhraseKey(k.phrase, a);
    const bool seen = index.passages_with.count(stems) > 0;
    int in = 0;
    std::set<std::string> documents;
    for (size_t p : members) {
      if (index.keys[p].count(stems)) {
        ++in;
        documents.insert(x.passages[p].doc_id);
      }
    }
    const int all = seen ? index.passages_with.at(stems) : k.doc_count;
    if (in == 0) in = k.doc_count;
    const double contrast =
        std::log(((in + 0.5) / (n_in + 1.0)) / ((std::max(0, all - in) + 0.5) / (n_out + 1.0)));
    if (contrast <= 0) continue;
    out.push_back({k.phrase, in, static_cast<int>(documents.size()), internal::Rounded(k.score * contrast, 4)});
  }
  std::sort(out.begin(), out.end(), [](const internal::Phrase& p, const internal::Phrase& q) {
    return p.score != q.score ? p.score > q.score : p.phrase < q.phrase;
  });
  if (static_cast<int>(out.size()) > o.key_phrases) out.resize(static_cast<size_t>(o.key_phrases));
  return out;
}

TEST_F(BundledCorpus, KeyPhrasesEqualTheSlowReference) {
  ASSERT_NE(SharedAnalyzer(), nullptr);
  const IndexedCorpus& x = Indexed(b());
  const internal::MethodOptions o;
  const SlowPhraseIndex slow = MakeSlowPhraseIndex(x, *SharedAnalyzer());
  for (const std::vector<size_t>& members : Subsets(x.passages.size())) {
    const std::vector<internal::Phrase> want = SlowKeyPhrases(x, slow, members, *SharedAnalyzer());
    const std::vector<internal::Phrase> got = internal::KeyPhrases(x.corpus, members, o);
    ASSERT_EQ(got.size(), want.size()) << members.size() << " passages";
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got[i].phrase, want[i].phrase) << "#" << i;
      EXPECT_EQ(got[i].passages, want[i].passages) << want[i].phrase;
      EXPECT_EQ(got[i].documents, want[i].documents) << want[i].phrase;
      EXPECT_EQ(got[i].score, want[i].score) << want[i].phrase;
    }
  }
}

// The subject words of one unit, the slow way: a pass over the unit alone.
internal::SubjectWords SlowSubjects(const internal::Corpus& c, const std::vector<size_t>& unit,
                                    const internal::MethodOptions& o) {
  const internal::DenseVector centroid = internal::Centroid(c, unit);
  std::map<std::uint32_t, int> as_word;
  for (size_t p : unit) {
    std::set<std::uint32_t> own;
    for (const internal::Occurrence& occ : c.index.occurrences[p]) {
      if (!occ.half) own.insert(occ.term);
    }
    for (std::uint32_t t : own) ++as_word[t];
  }
  std::vector<std::pair<double, std::uint32_t>> ranked;
  for (const auto& [t, n] : as_word) {
    if (c.index.df[t] <= o.max_anchor_df * static_cast<double>(c.size()) && n >= o.min_side_passages) {
      ranked.emplace_back(centroid[t], t);
    }
  }
  std::sort(ranked.begin(), ranked.end(), [&](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : c.index.terms[x.second] < c.index.terms[y.second];
  });
  internal::SubjectWords out;
  for (size_t i = 0; i < ranked.size() && static_cast<int>(i) < o.subject_words; ++i) out.push_back(ranked[i].second);
  std::sort(out.begin(), out.end());
  return out;
}

// Per actor group id, the stances on `subjects` in the unit, the slow way.
std::map<std::uint32_t, internal::WordStances> SlowStances(const internal::Corpus& c, const std::vector<size_t>& unit,
                                                           const internal::SubjectWords& subjects) {
  std::map<std::uint32_t, internal::WordStances> out;
  if (subjects.empty()) return out;
  for (size_t p : unit) {
    const auto marks = c.index.stance[p];
    for (const auto& [b, e] : c.index.sentences[p]) {
      internal::StanceTally t;
      for (const internal::StanceMark& m : marks) {
        if (m.byte_start >= b && m.byte_start < e) ++(m.sign > 0 ? t.support : t.objection);
      }
      if (t.Words() == 0) continue;
      std::set<std::uint32_t> words;
      for (const internal::Occurrence& occ : c.index.occurrences[p]) {
        const bool stance_word = std::any_of(marks.begin(), marks.end(), [&](const internal::StanceMark& m) {
          return m.byte_start == occ.byte_start;
        });
        if (occ.byte_start >= b && occ.byte_start < e && !stance_word &&
            std::binary_search(subjects.begin(), subjects.end(), static_cast<std::uint32_t>(occ.term))) {
          words.insert(occ.term);
        }
      }
      for (std::uint32_t w : words) out[c.group_of[p]][w].Add(t);
    }
  }
  return out;
}

// (#11) FindDisagreements judges a topic and each of its sub-topics (the
// units) by their subject words and the actor groups' stances on them,
// gathered in one pass over the topic for all units. They must be what a
// pass over each unit alone gives.
TEST_F(BundledCorpus, Issue11UnitSubjectsAndStancesInOnePassEqualAPassPerUnit) {
  ASSERT_NE(SharedAnalyzer(), nullptr);
  const internal::Corpus& c = Indexed(b()).corpus;
  internal::MethodOptions o;
  o.min_side_passages = 2;  // more subject words in the small units
  int stances_seen = 0;
  for (const std::vector<size_t>& members : Subsets(c.size())) {
    for (size_t parts : {size_t{1}, size_t{3}}) {
      // Sub-topics: every third member, a partition as k-means gives.
      std::vector<std::vector<size_t>> subtopic_members;
      if (parts > 1) {
        subtopic_members.resize(parts);
        for (size_t m = 0; m < members.size(); ++m) subtopic_members[m % parts].push_back(members[m]);
      }
      std::vector<internal::CompactVector> subtopic_centroids;
      for (const std::vector<size_t>& unit : subtopic_members) {
        subtopic_centroids.push_back(internal::Compact(internal::Centroid(c, unit)));
      }
      const internal::DenseVector centroid = internal::Centroid(c, members);
      const internal::TopicUnits units{members, centroid, subtopic_members, subtopic_centroids};
      const std::vector<internal::SubjectWords> subjects = internal::UnitSubjects(c, units, o);
      // Every actor group tallied in every unit but the first group in the
      // topic, which is tallied in the sub-topics only.
      std::vector<std::vector<bool>> tally(units.size(), std::vector<bool>(c.groups.size(), true));
      tally[0][0] = false;
      const auto stances = internal::UnitStances(c, units, subjects, tally);
      ASSERT_EQ(subjects.size(), units.size());
      ASSERT_EQ(stances.size(), units.size());
      for (size_t v = 0; v < units.size(); ++v) {
        const std::string context =
            std::to_string(members.size()) + " passages, " + std::to_string(parts) + " parts, unit " + std::to_string(v);
        EXPECT_EQ(subjects[v], SlowSubjects(c, units.unit(v), o)) << context;
        std::map<std::uint32_t, internal::WordStances> want = SlowStances(c, units.unit(v), subjects[v]);
        if (v == 0) want.erase(0);
        std::map<std::uint32_t, internal::WordStances> got = stances[v];
        std::erase_if(got, [](const auto& e) { return e.second.empty(); });
        ASSERT_EQ(got.size(), want.size()) << context;
        for (const auto& [group, words] : want) {
          ASSERT_EQ(got[group].size(), words.size()) << context << ", " << c.groups[group];
          for (const auto& [term, t] : words) {
            EXPECT_EQ(got[group][term].support, t.support) << context << ", " << c.index.terms[term];
            EXPECT_EQ(got[group][term].objection, t.objection) << context << ", " << c.index.terms[term];
            ++stances_seen;
          }
        }
      }
    }
  }
  EXPECT_GT(stances_seen, 100);  // the comparison had something to compare
}

// (#11) A topic's quotes are chosen by MMR over its members' rows as
// AnalyseTopic holds them, with the last quote's row dense. They must be the
// quotes of MMR done the slow way: every round, each candidate's largest
// similarity to every quote chosen so far, over the term index's rows.
TEST_F(BundledCorpus, Issue11QuotesAreThoseOfMmrTheSlowWay) {
  ASSERT_NE(SharedAnalyzer(), nullptr);
  const internal::Corpus& c = Indexed(b()).corpus;
  std::map<std::string, size_t, std::less<>> position;
  for (size_t p = 0; p < c.size(); ++p) position.emplace(std::string(c.passages->id(p)), p);
  const internal::MethodOptions o;
  size_t compared = 0;
  for (const std::vector<size_t>& members : Subsets(c.size())) {
    for (int quotes : {6, 15}) {
      internal::TopicReport topic;
      internal::AnalyseTopic(c, members, quotes, o, &topic);
      std::map<size_t, int> subtopic_of;
      for (size_t j = 0; j < topic.subtopics.size(); ++j) {
        topic.subtopics[j].passage_ids.ForEach(
            [&](std::string_view id) { subtopic_of[position.find(id)->second] = static_cast<int>(j); });
      }
      const internal::DenseVector centroid = internal::Centroid(c, members);
      std::vector<size_t> candidates;
      for (size_t p : members) {
        if (c.index.distinct_terms[p] >= o.min_quote_terms) candidates.push_back(p);
      }
      std::vector<size_t> chosen;
      std::set<std::uint32_t> groups, docs;
      std::set<int> subtopics;
      while (chosen.size() < static_cast<size_t>(quotes)) {
        double best = -1e9;
        size_t best_p = c.size();
        for (size_t p : candidates) {
          if (std::find(chosen.begin(), chosen.end(), p) != chosen.end()) continue;
          double redundancy = 0;
          for (size_t q : chosen) redundancy = std::max(redundancy, internal::Dot(c.index.vectors[p], c.index.vectors[q]));
          const int subtopic = topic.subtopics.empty() ? -1 : subtopic_of.at(p);
          double score = o.mmr_lambda * internal::Dot(c.index.vectors[p], centroid) - (1 - o.mmr_lambda) * redundancy;
          if (!groups.count(c.group_of[p])) score += o.new_group_bonus;
          if (subtopic >= 0 && !subtopics.count(subtopic)) score += o.new_subtopic_bonus;
          if (docs.count(c.doc_of[p])) score -= o.same_document_penalty;
          if (score > best + 1e-12) {
            best = score;
            best_p = p;
          }
        }
        if (best_p == c.size()) break;
        chosen.push_back(best_p);
        groups.insert(c.group_of[best_p]);
        docs.insert(c.doc_of[best_p]);
        subtopics.insert(topic.subtopics.empty() ? -1 : subtopic_of.at(best_p));
      }
      ASSERT_EQ(topic.quotes.size(), chosen.size()) << members.size() << " passages, " << quotes << " quotes";
      for (size_t k = 0; k < chosen.size(); ++k) {
        EXPECT_EQ(topic.quotes[k].cite.passage_id, c.passages->id(chosen[k])) << members.size() << " passages, #" << k;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 20u);
}

// The words side `a` of a unit uses more than side `b` (log-odds ratio with
// the unit's counts as an informative Dirichlet prior), the slow way: maps
// over each side's passages, counted apart.
std::vector<std::string> SlowDistinctive(const internal::Corpus& c, const std::vector<size_t>& unit,
                                         const std::string& a, const std::string& b,
                                         const internal::MethodOptions& o) {
  auto count = [&](const std::string* group, double* n) {
    std::map<std::uint32_t, double> m;
    *n = 0;
    for (size_t p : unit) {
      if (group != nullptr && c.groups[c.group_of[p]] != *group) continue;
      for (const internal::Occurrence& occ : c.index.occurrences[p]) {
        m[occ.term] += occ.weight();
        *n += occ.weight();
      }
    }
    return m;
  };
  double n0, na, nb;
  const auto prior = count(nullptr, &n0), ya = count(&a, &na), yb = count(&b, &nb);
  std::vector<std::pair<double, std::uint32_t>> ranked;
  for (const auto& [term, y] : ya) {
    if (y < 2 || n0 <= 0) continue;
    const double alpha = 100.0 * prior.at(term) / n0;
    const double y2 = yb.count(term) ? yb.at(term) : 0.0;
    const double delta =
        std::log((y + alpha) / (na + 100.0 - y - alpha)) - std::log((y2 + alpha) / (nb + 100.0 - y2 - alpha));
    const double z = delta / std::sqrt(1.0 / (y + alpha) + 1.0 / (y2 + alpha));
    if (z >= o.distinctive_min_z) ranked.emplace_back(z, term);
  }
  std::sort(ranked.begin(), ranked.end(), [&](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : c.index.terms[x.second] < c.index.terms[y.second];
  });
  std::vector<std::string> out;
  for (const auto& [z, term] : ranked) {
    if (static_cast<int>(out.size()) >= o.distinctive_words) break;
    if (std::find(out.begin(), out.end(), c.index.surface[term]) == out.end()) out.push_back(c.index.surface[term]);
  }
  return out;
}

// (#11) AnalyseTopic hands FindDisagreements the centroids of the topic and
// of its sub-topics, which it has at hand. The disagreements must be those
// found with the centroids computed from the sub-topics' passages, and each
// side's distinctive words (the unit's and both sides' word counts taken in
// one pass) those of counts taken apart.
TEST_F(BundledCorpus, Issue11TopicDisagreementsUseTheSubTopicsOwnCentroidsAndCountsInOnePass) {
  ASSERT_NE(SharedAnalyzer(), nullptr);
  const internal::Corpus& c = Indexed(b()).corpus;
  std::map<std::string, size_t, std::less<>> position;
  for (size_t p = 0; p < c.size(); ++p) position.emplace(std::string(c.passages->id(p)), p);
  internal::MethodOptions o;
  o.min_side_passages = 2;  // more disagreements in the small topics
  o.min_side_documents = 1;
  o.min_stance_words = 1;
  int disagreements = 0, in_subtopics = 0;
  size_t distinctive = 0;
  for (const std::vector<size_t>& members : Subsets(c.size())) {
    internal::TopicReport topic;
    internal::AnalyseTopic(c, members, 6, o, &topic);
    std::vector<std::vector<size_t>> subtopic_members;
    std::vector<internal::CompactVector> subtopic_centroids;
    for (const internal::SubTopic& s : topic.subtopics) {
      std::vector<size_t>& unit = subtopic_members.emplace_back();
      s.passage_ids.ForEach([&](std::string_view id) { unit.push_back(position.find(id)->second); });
      std::sort(unit.begin(), unit.end());
      subtopic_centroids.push_back(internal::Compact(internal::Centroid(c, unit)));
    }
    const internal::DenseVector centroid = internal::Centroid(c, members);
    const std::vector<internal::Disagreement> want = internal::FindDisagreements(
        c, {members, centroid, subtopic_members, subtopic_centroids}, topic.subtopics, o);
    const std::string context = std::to_string(members.size()) + " passages";
    ASSERT_EQ(topic.disagreements.size(), want.size()) << context;
    for (size_t i = 0; i < want.size(); ++i) {
      const internal::Disagreement& got = topic.disagreements[i];
      EXPECT_EQ(got.subtopic, want[i].subtopic) << context;
      EXPECT_EQ(got.contested, want[i].contested) << context;
      EXPECT_EQ(got.strength, want[i].strength) << context;
      for (const auto& [g, w] : {std::pair(&got.a, &want[i].a), std::pair(&got.b, &want[i].b)}) {
        EXPECT_EQ(g->actor_group, w->actor_group) << context;
        EXPECT_EQ(g->distinctive, w->distinctive) << context;
        ASSERT_EQ(g->quotes.size(), w->quotes.size()) << context;
        for (size_t q = 0; q < w->quotes.size(); ++q) {
          EXPECT_EQ(g->quotes[q].text, w->quotes[q].text) << context;
          EXPECT_EQ(g->quotes[q].relevance, internal::Rounded(w->quotes[q].relevance, 4)) << context;
        }
      }
      // Each side's distinctive words, against the slow way.
      const std::vector<size_t>& unit =
          got.subtopic < 0 ? members : subtopic_members[static_cast<size_t>(got.subtopic)];
      EXPECT_EQ(got.a.distinctive, SlowDistinctive(c, unit, got.a.actor_group, got.b.actor_group, o)) << context;
      EXPECT_EQ(got.b.distinctive, SlowDistinctive(c, unit, got.b.actor_group, got.a.actor_group, o)) << context;
      distinctive += got.a.distinctive.size() + got.b.distinctive.size();
      ++disagreements;
      if (got.subtopic >= 0) ++in_subtopics;
    }
  }
  EXPECT_GT(in_subtopics, 0);  // some were found in a sub-topic, with its own centroid
  EXPECT_GT(disagreements, in_subtopics);
  EXPECT_GT(distinctive, 0u);
}

TEST_F(BundledCorpus, HtmlIsSelfContainedAccessibleAndPrintable) {
  for (const std::string& name : Names(".html")) {
    const std::string& html = b().first.at(name);
    EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"sv\">", 0), 0u) << name;
    EXPECT_NE(html.find("<title>"), std::string::npos) << name;
    EXPECT_NE(html.find("<h1>"), std::string::npos) << name;
    EXPECT_NE(html.find("@media print"), std::string::npos) << name;
    EXPECT_EQ(html.find("<script"), std::string::npos) << name;
    EXPECT_EQ(html.find("<link"), std::string::npos) << name;
    EXPECT_EQ(html.find("<img"), std::string::npos) << name;
    EXPECT_EQ(html.find("url("), std::string::npos) << name;
    // The only absolute URL is the SVG namespace, which is never fetched.
    std::string rest = html;
    for (size_t at; (at = rest.find("http://www.w3.org/2000/svg")) != std::string::npos;) rest.erase(at, 26);
    EXPECT_EQ(rest.find("http://"), std::string::npos) << name;
    EXPECT_EQ(rest.find("https://"), std::string::npos) << name;
    // Every chart has a role, a title and a description it is labelled by.
    size_t svgs = 0;
    for (size_t at = 0; (at = html.find("<svg", at)) != std::string::npos; ++at) {
      ++svgs;
      const std::string tag = html.substr(at, html.find('>', at) - at);
      EXPECT_NE(tag.find("role=\"img\""), std::string::npos) << name;
      EXPECT_NE(tag.find("aria-labelledby=\""), std::string::npos) << name;
      const std::string body = html.substr(at, html.find("</svg>", at) - at);
      EXPECT_NE(body.find("<title id="), std::string::npos) << name;
      EXPECT_NE(body.find("<desc id="), std::string::npos) << name;
    }
    EXPECT_GT(svgs, 0u) << name;
    // Every header cell says what it heads.
    for (size_t at = 0; (at = html.find("<th", at)) != std::string::npos; ++at) {
      if (html.compare(at, 5, "<thea") == 0) continue;
      EXPECT_EQ(html.compare(at, 11, "<th scope=\""), 0) << name << ": " << html.substr(at, 40);
    }
  }
}

TEST_F(BundledCorpus, OverviewHasHeatMapLeastInputThemesAndNoArea) {
  const std::string& html = b().first.at("index.html");
  EXPECT_NE(html.find("Värmekarta"), std::string::npos);
  EXPECT_NE(html.find("Områden med minst underlag"), std::string::npos);
  EXPECT_NE(html.find("Emergenta teman"), std::string::npos);
  EXPECT_NE(html.find("Avsnitt utan område"), std::string::npos);
  // Area names come from the framework file.
  Result<themes::Framework> fw = themes::LoadFramework(Framework());
  ASSERT_OK(fw.status());
  for (const themes::Area& a : fw->areas) {
    EXPECT_NE(html.find(internal::HtmlEscape(a.name)), std::string::npos) << a.id;
    EXPECT_NE(b().first.at("index.md").find(internal::MarkdownEscape(a.name)), std::string::npos) << a.id;
  }
}

// The id of an area of the bundled framework (its last, a child area).
std::string SomeAreaId() {
  Result<themes::Framework> fw = themes::LoadFramework(Framework());
  return fw.ok() && !fw->areas.empty() ? fw->areas.back().id : std::string("?");
}

TEST_F(BundledCorpus, AreaOptionWritesOnlyThatAreaAndKeepsOthers) {
  ASSERT_NE(SharedAnalyzer(), nullptr);
  const std::string id = SomeAreaId();
  testing::TempDir out;
  ReportOptions o;
  o.state_dir = b().state();
  o.out_dir = out.path();
  o.framework_path = Framework();
  o.formats = {"json", "md"};
  o.area = id;
  Result<ReportSummary> r = WriteReports(o, *SharedAnalyzer());
  ASSERT_OK(r.status());
  std::vector<std::string> names;
  for (const fs::path& p : r->files) names.push_back(p.filename().string());
  EXPECT_EQ(names, (std::vector<std::string>{"index.json", "index.md", "omrade-" + id + ".json",
                                             "omrade-" + id + ".md", "tema-emergenta.json", "tema-emergenta.md"}));
  EXPECT_EQ(r->areas, 1);
  EXPECT_EQ(r->themes, static_cast<int>(ParseJson("tema-emergenta.json")["themes"].size()));
  EXPECT_GT(r->quotes, 0);
  // The same area report as in a full run.
  EXPECT_EQ(Slurp(out.path() / ("omrade-" + id + ".json")), b().first.at("omrade-" + id + ".json"));

  o.area = "no-such-area";
  Result<ReportSummary> bad = WriteReports(o, *SharedAnalyzer());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("no-such-area"), std::string::npos);
}

TEST_F(BundledCorpus, RefusesUnknownFormats) {
  ASSERT_NE(SharedAnalyzer(), nullptr);
  ReportOptions o;
  o.state_dir = b().state();
  testing::TempDir out;
  o.out_dir = out.path() / "never";
  o.framework_path = Framework();
  o.formats = {"pdf"};
  Result<ReportSummary> r = WriteReports(o, *SharedAnalyzer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(fs::exists(o.out_dir));
}

TEST_F(BundledCorpus, CommandLineWritesReports) {
  const std::string id = SomeAreaId();
  testing::TempDir out;
  const testing::CommandResult r = testing::RunCommand(
      "'" + std::string(SAMRAD_BIN) + "' report --state '" + (b().state()).string() + "' --out '" +
      out.path().string() + "' --format html --area " + id + " --framework '" + Framework().string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("report: 3 files"), std::string::npos) << r.out;
  EXPECT_EQ(Slurp(out.path() / ("omrade-" + id + ".html")), b().first.at("omrade-" + id + ".html"));

  const testing::CommandResult bad = testing::RunCommand("'" + std::string(SAMRAD_BIN) + "' report --state '" +
                                                         (b().state()).string() + "' --out '" +
                                                         out.path().string() + "' --format docx");
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("docx"), std::string::npos) << bad.err;
}

// Where `needle` occurs in `md` without a backslash before it, or npos.
size_t UnescapedAt(const std::string& md, const std::string& needle) {
  for (size_t at = md.find(needle); at != std::string::npos; at = md.find(needle, at + 1)) {
    if (at == 0 || md[at - 1] != '\\') return at;
  }
  return std::string::npos;
}

// A tiny synthetic corpus whose text, title and organisation carry markup.
class HostileText : public ::testing::Test {
 protected:
  static constexpr const char* kScript = "<script>alert(1)</script>";
  static constexpr const char* kImg = "\"><img onerror=x>";

  void SetUp() override {
    auto a = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
    ASSERT_OK(a.status());
    analyzer_ = std::move(*a);
    const fs::path corpus = dir_.path() / "corpus" / "remiss";
    fs::create_directories(corpus);
    std::ofstream(corpus / "r01-test.md") << "# Yttrande\n\n"
        "Vi vill se mer forskning och innovation vid högskola och universitet, där kompetens, "
        "entreprenörskap och samverkan med näringsliv ger ett livslångt lärande. " << kScript << " Det är "
        "kunskap som bär regionen.\n\n"
        "Kollektivtrafik och pendling är nyckeln till inkludering, jämlikhet och minskad segregation; "
        "tillgänglighet och delaktighet för alla invånare minskar utanförskap " << kImg << " i hela regionen.\n\n"
        "Klimat och utsläpp: omställning till hållbarhet och cirkulär ekonomi kräver en miljö där "
        "hållbar konsumtion blir normen och regionen tar internationellt ansvar.\n";
    std::ofstream(corpus / "r01-test.md.meta.json")
        << R"({"kind": "remiss", "title": "Yttrande <b>fet</b> \"><img onerror=x>", "date": "2020-04-01",)"
        << R"( "organisation": "Förening <script>alert(1)</script>", "actor_group": "civilsamhälle",)"
        << R"( "subregion": "Fyrbodal"})";
    state_ = dir_.path() / "state";
    ASSERT_OK(IngestAndAnalyze(dir_.path() / "corpus", state_, *analyzer_));
  }

  testing::TempDir dir_;
  fs::path state_;
  std::unique_ptr<analysis::Analyzer> analyzer_;
};

TEST_F(HostileText, IsEscapedInHtmlAndMarkdown) {
  // The markup really is in the stored passage text, so the test means something.
  bool in_passage = false;
  ASSERT_OK(ingest::ForEachPassage(state_, [&](const Passage& p) {
    in_passage = in_passage || p.text.find(kScript) != std::string::npos;
    return Status::Ok();
  }));
  ASSERT_TRUE(in_passage);

  ReportOptions o;
  o.state_dir = state_;
  o.out_dir = dir_.path() / "out";
  o.framework_path = Framework();
  Result<ReportSummary> written = WriteReports(o, *analyzer_);
  ASSERT_OK(written.status());
  bool shown = false;
  for (const auto& [name, bytes] : ReadAll(o.out_dir)) {
    if (name.ends_with(".html")) {
      EXPECT_EQ(bytes.find("<script"), std::string::npos) << name;
      EXPECT_EQ(bytes.find("<img"), std::string::npos) << name;
      EXPECT_EQ(bytes.find("<b>"), std::string::npos) << name;
      shown = shown || bytes.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos;
    }
    if (name.ends_with(".md")) {
      // Markdown escapes with a backslash: "\<script\>" renders as text.
      for (const char* tag : {"<script", "<img", "<b>"}) EXPECT_EQ(UnescapedAt(bytes, tag), std::string::npos) << name;
    }
    if (name.ends_with(".json")) {
      EXPECT_TRUE(Json::accept(bytes)) << name;
    }
  }
  EXPECT_TRUE(shown) << "the hostile passage was quoted nowhere, so escaping was not exercised";
}

TEST_F(HostileText, StaleAnalysisIsADataError) {
  // Ingest a second document without analysing again.
  const fs::path corpus = dir_.path() / "corpus" / "remiss";
  std::ofstream(corpus / "r02-test.md") << "# Yttrande\n\nEtt nytt stycke om bredband och fiber på landsbygden.\n";
  std::ofstream(corpus / "r02-test.md.meta.json")
      << R"({"kind": "remiss", "title": "Nytt", "date": "2020-04-02", "organisation": "B",)"
      << R"( "actor_group": "kommun", "subregion": "Skaraborg"})";
  ingest::IngestOptions io;
  io.corpus_dir = dir_.path() / "corpus";
  io.state_dir = state_;
  Result<ingest::IngestReport> ingested = ingest::Ingest(io);
  ASSERT_OK(ingested.status());
  ReportOptions o;
  o.state_dir = state_;
  o.out_dir = dir_.path() / "out";
  o.framework_path = Framework();
  Result<ReportSummary> r = WriteReports(o, *analyzer_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kDataError);
  EXPECT_NE(r.status().message().find("samrad analyze"), std::string::npos) << r.status().message();
}

struct EscapeCase {
  const char* in;
  const char* html;
  const char* markdown;
};

TEST(ReportText, EscapesForHtmlAndMarkdown) {
  const EscapeCase cases[] = {
      {"vanlig text", "vanlig text", "vanlig text"},
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;", "\\<script\\>alert(1)\\</script\\>"},
      {"\"><img onerror=x>", "&quot;&gt;&lt;img onerror=x&gt;", "\"\\>\\<img onerror=x\\>"},
      {"a & b 'c'", "a &amp; b &#39;c&#39;", "a \\& b 'c'"},
      {"rad 1\nrad 2 | *fet* [länk](x)", "rad 1\nrad 2 | *fet* [länk](x)",
       "rad 1 rad 2 \\| \\*fet\\* \\[länk\\](x)"},
      {"EU:s mål – 50 %", "EU:s mål – 50 %", "EU:s mål – 50 %"},
  };
  for (const EscapeCase& c : cases) {
    EXPECT_EQ(internal::HtmlEscape(c.in), c.html) << c.in;
    EXPECT_EQ(internal::MarkdownEscape(c.in), c.markdown) << c.in;
  }
}

// Stance words with their sign after negation: what disagreement rests on.
TEST(ReportStance, ReadsSupportCriticismAndNegation) {
  ASSERT_NE(SharedAnalyzer(), nullptr);
  const analysis::Analyzer& a = *SharedAnalyzer();
  const internal::StanceLexicon lexicon = internal::MakeStanceLexicon(a);
  struct Case {
    const char* text;
    std::vector<int> signs;
  };
  const Case cases[] = {
      {"Vi stödjer förslaget.", {1}},
      {"Vi stödjer inte förslaget.", {-1}},
      {"Det stödjer vi inte.", {-1}},
      {"Det är inte positivt för landsbygden.", {-1}},
      {"Kommunen är inte emot vindkraft.", {1}},
      {"Vi ser med oro på utvecklingen.", {-1}},
      {"Det är viktigt, inte minst för landsbygden.", {1}},
      {"Det är bra. Inte allt.", {1}},
      {"Övriga delar av regionen.", {}},
      {"Vi tillstyrker förslaget men saknar en plan.", {1, -1}},
  };
  for (const Case& c : cases) {
    std::vector<int> signs;
    for (const internal::StanceMark& m : internal::FindStanceMarks(a.Tokenize(c.text), lexicon)) signs.push_back(m.sign);
    EXPECT_EQ(signs, c.signs) << c.text;
  }
}

// Issue #11: an occurrence is 8 bytes (one per content word and compound
// part of every passage) and keeps its term id and weight.
TEST(ReportTermIndex, Issue11OccurrenceKeepsTermAndWeightInEightBytes) {
  static_assert(sizeof(internal::Occurrence) == 8);
  const internal::Occurrence word(12, 0x7FFFFFFEu, 1.0f), part(40, 3, 0.5f);
  EXPECT_EQ(word.byte_start, 12u);
  EXPECT_EQ(word.term, 0x7FFFFFFEu);
  EXPECT_EQ(word.weight(), 1.0f);
  EXPECT_EQ(part.byte_start, 40u);
  EXPECT_EQ(part.term, 3u);
  EXPECT_EQ(part.weight(), 0.5f);
}

TEST(ReportText, FormatsNumbersTheSwedishWay) {
  EXPECT_EQ(internal::PercentSv(1, 8), "12,5 %");
  EXPECT_EQ(internal::PercentSv(2, 3), "66,7 %");
  EXPECT_EQ(internal::PercentSv(0, 0), "0,0 %");
  EXPECT_EQ(internal::PercentSv(7, 7), "100,0 %");
  EXPECT_EQ(internal::FixedSv(-0.5, 2), "\u22120,50");
  EXPECT_EQ(internal::FixedDot(-0.00001, 3), "0.000");
  EXPECT_EQ(internal::TruncateUtf8("åäöåäö", 3), "åäö\u2026");
  EXPECT_EQ(internal::TruncateUtf8("åäö", 3), "åäö");
}

}  // namespace
}  // namespace samrad::reports
