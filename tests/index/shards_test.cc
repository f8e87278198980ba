// Sharded indexes (index/shards.h): the bundled corpus in 3 shards, served by
// 3 xapian-tcpsrv processes on 127.0.0.1 that the suite starts and stops
// itself, searched as one and compared with the single index; a server
// killed or stopped mid-test.
#include "index/shards.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include <nlohmann/json.hpp>

#include "analysis/themes/themes.h"
#include "base/files.h"
#include "base/publish.h"
#include "ingest/ingest.h"
#include "tests/testing.h"

namespace samrad::index {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr int kShards = 3;

// A free TCP port on 127.0.0.1 (bound and released; the server takes it a
// moment later, and the caller retries if someone else did).
int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  ::close(fd);
  return port;
}

bool Accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// One xapian-tcpsrv serving one database, in a process group of its own so
// that Kill() also ends the children it forked for open connections.
class TcpServer {
 public:
  explicit TcpServer(const fs::path& db) {
    for (int attempt = 0; attempt < 5 && pid_ <= 0; ++attempt) {
      const int port = FreePort();
      const pid_t pid = ::fork();
      if (pid == 0) {
        ::setpgid(0, 0);
        const std::string p = std::to_string(port);
        // Quiet: its children report each closed connection on stderr.
        ::freopen("/dev/null", "w", stdout);
        ::freopen("/dev/null", "w", stderr);
        ::execlp("xapian-tcpsrv", "xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port",
                 p.c_str(), db.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
      }
      ::setpgid(pid, pid);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (std::chrono::steady_clock::now() < deadline) {
        if (Accepts(port)) {
          pid_ = pid;
          port_ = port;
          break;
        }
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) break;  // the port was taken: try another
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (pid_ <= 0) {
        ::kill(-pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
      }
    }
  }
  ~TcpServer() { Kill(); }
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGCONT);
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  void Stop() { ::kill(-pid_, SIGSTOP); }  // accepts connections, never answers
  void Continue() { ::kill(-pid_, SIGCONT); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// 3 servers over the shards, and a shard list naming them.
struct RemoteShards {
  RemoteShards(const fs::path& shards_dir, const fs::path& list) : list_path(list) {
    ShardList l;
    for (int k = 0; k < kShards; ++k) {
      servers.push_back(std::make_unique<TcpServer>(shards_dir / ("shard-" + std::to_string(k))));
      ShardEntry e;
      e.name = "shard-" + std::to_string(k);
      e.host = "127.0.0.1";
      e.port = servers.back()->port();
      l.shards.push_back(e);
    }
    ok = std::all_of(servers.begin(), servers.end(), [](const auto& s) { return s->running(); });
    ok = ok && WriteFileAtomically(list, ShardListJson(l)).ok();
  }
  fs::path list_path;
  std::vector<std::unique_ptr<TcpServer>> servers;
  bool ok = false;
};

// Built once for the suite: the bundled corpus ingested and analysed, its
// single index published, the same passages in 3 local shards, and 3
// servers over those shards.
class ShardedCorpus : public ::testing::Environment {
 public:
  static ShardedCorpus* instance;
  void SetUp() override {
    instance = this;
    dir_ = std::make_unique<testing::TempDir>();
    state = dir_->path() / "state";
    auto a = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
    ASSERT_OK(a.status());
    analyzer = std::move(*a);
    ingest::IngestOptions io;
    io.corpus_dir = testing::SourceDir() / "corpus/documents";
    io.state_dir = state;
    ASSERT_OK(ingest::Ingest(io).status());
    themes::AnalyzeOptions ao;
    ao.state_dir = state;
    ao.framework_path = testing::SourceDir() / "corpus/framework/vg2030.json";
    ASSERT_OK(themes::Analyze(ao, *analyzer).status());
    auto single = IndexAndPublish(state, "", *analyzer);
    ASSERT_OK(single.status());
    single_summary = *single;
    IndexOptions o;
    o.state_dir = state;
    o.db_dir = dir_->path() / "shards";
    auto sharded = BuildShardedIndex(o, kShards, *analyzer);
    ASSERT_OK(sharded.status());
    sharded_summary = *sharded;
    shards_dir = o.db_dir;
    remote = std::make_unique<RemoteShards>(shards_dir, dir_->path() / "remote-shards.json");
    ASSERT_TRUE(remote->ok) << "cannot start xapian-tcpsrv (Debian package xapian-tools)";
  }
  void TearDown() override {
    remote.reset();
    dir_.reset();
  }
  fs::path temp() const { return dir_->path(); }

  fs::path state, shards_dir;
  std::unique_ptr<analysis::Analyzer> analyzer;
  IndexSummary single_summary, sharded_summary;
  std::unique_ptr<RemoteShards> remote;

 private:
  std::unique_ptr<testing::TempDir> dir_;
};
ShardedCorpus* ShardedCorpus::instance = nullptr;
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new ShardedCorpus);

std::unique_ptr<Searcher> OpenOrDie(const fs::path& path, SearcherOptions options = {}) {
  auto s = Searcher::Open(path, *ShardedCorpus::instance->analyzer, options);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

std::vector<std::string> GoldQueries() {
  std::ifstream in(testing::SourceDir() / "corpus/gold/queries.jsonl");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(Json::parse(line)["query"].get<std::string>());
  }
  return out;
}

// The first page over the single index and over a shard set: the same
// weights rank by rank, the same passages, the same counts and facets. A shard
// set numbers documents differently, and Xapian breaks ties in weight by
// document number, so passages tied with the last hit of the page may differ;
// all others must be the same, in the same order once ties are sorted by id.
void ExpectSameResults(Searcher& single, Searcher& sharded, const SearchRequest& req) {
  SCOPED_TRACE("query: " + req.query + (req.per_document ? " (per document)" : ""));
  auto ra = single.Search(req), rb = sharded.Search(req);
  ASSERT_OK(ra.status());
  ASSERT_OK(rb.status());
  EXPECT_EQ(ra->total_estimate, rb->total_estimate);
  EXPECT_EQ(ra->facets, rb->facets);
  EXPECT_FALSE(rb->partial);
  ASSERT_EQ(ra->hits.size(), rb->hits.size());
  auto sorted = [](const std::vector<Hit>& hits) {
    std::vector<std::tuple<double, std::string, int>> v;
    for (const Hit& h : hits) v.emplace_back(h.weight, h.passage_id, h.collapsed);
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return std::get<0>(a) != std::get<0>(b) ? std::get<0>(a) > std::get<0>(b)
                                              : std::get<1>(a) < std::get<1>(b);
    });
    return v;
  };
  // Each passage's document fields, which a shard set reads from the shard
  // that holds the passage.
  std::map<std::string, std::string> fields_a;
  for (const Hit& h : ra->hits) {
    fields_a[h.passage_id] = h.citation.title + "|" + h.citation.organisation + "|" + h.citation.date + "|" +
                             h.actor_group + "|" + h.subregion;
    EXPECT_FALSE(h.citation.title.empty()) << h.passage_id;
  }
  for (const Hit& h : rb->hits) {
    auto it = fields_a.find(h.passage_id);
    if (it == fields_a.end()) continue;  // tied with the cut (below)
    EXPECT_EQ(h.citation.title + "|" + h.citation.organisation + "|" + h.citation.date + "|" + h.actor_group +
                  "|" + h.subregion,
              it->second)
        << h.passage_id;
  }
  const auto a = sorted(ra->hits), b = sorted(rb->hits);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(ra->hits[i].weight, rb->hits[i].weight, 1e-9) << "rank " << i + 1;
    if (std::get<0>(a[i]) == std::get<0>(a.back())) continue;  // tied with the cut
    EXPECT_EQ(std::get<1>(a[i]), std::get<1>(b[i])) << "rank " << i + 1;
    EXPECT_EQ(std::get<2>(a[i]), std::get<2>(b[i])) << "collapsed, rank " << i + 1;
  }
}

TEST(ShardOf, IsStableAndSpreadsDocuments) {
  // Fixed for good: changing the hash moves documents between shards.
  struct Row {
    const char* doc_id;
    int shards, shard;
  };
  const Row kTable[] = {
      {"remiss/r01-lidkopings-kommun.md", 3, 2},
      {"remiss/r01-lidkopings-kommun.md", 8, 2},
      {"seminar/s01-klimat2030-fyrbodal.md", 3, 2},
      {"seminar/s01-klimat2030-fyrbodal.md", 8, 6},
      {"remiss/r03-boras-stad.docx", 3, 1},
      {"remiss/r03-boras-stad.docx", 1000, 521},
      {"", 8, 5},
      {"anything", 1, 0},
  };
  for (const Row& r : kTable)
    EXPECT_EQ(ShardOf(r.doc_id, r.shards), r.shard) << r.doc_id << " / " << r.shards;
  std::vector<int> count(8);
  for (int i = 0; i < 8000; ++i)
    ++count[static_cast<size_t>(ShardOf("doc/" + std::to_string(i) + ".md", 8))];
  for (int c : count) EXPECT_NEAR(c, 1000, 150);
}

TEST(ShardList, ReadsLocalAndRemoteEntriesAndRefusesBadOnes) {
  testing::TempDir dir;
  const fs::path f = dir.path() / "shards.json";
  ASSERT_OK(WriteFileAtomically(
      f, R"({"shards": [{"path": "a"}, {"name": "far", "remote": "10.0.0.7:33301"}],
                                       "timeout_ms": 500, "allow_partial": true})"));
  auto l = ReadShardList(f);
  ASSERT_OK(l.status());
  ASSERT_EQ(l->shards.size(), 2u);
  EXPECT_EQ(l->shards[0].path, dir.path() / "a");
  EXPECT_EQ(l->shards[0].name, "shard-0");
  EXPECT_EQ(l->shards[1].Describe(), "far (10.0.0.7:33301)");
  EXPECT_EQ(l->timeout_ms, 500);
  EXPECT_EQ(l->allow_partial, true);
  for (const char* bad : {R"({"shards": []})", R"({"shards": [{"remote": "nohost"}]})",
                          R"({"shards": [{"path": "a", "remote": "h:1"}]})", R"([1])",
                          R"({"shards": [{}]})", R"({"shards": [{"remote": "h:99999"}]})"}) {
    ASSERT_OK(WriteFileAtomically(f, bad));
    EXPECT_EQ(ReadShardList(f).status().code(), Status::Code::kDataError) << bad;
  }
}

TEST(ShardedBuild, EveryPassageInExactlyOneShardByDocument) {
  const ShardedCorpus& c = *ShardedCorpus::instance;
  EXPECT_EQ(c.sharded_summary.passages, c.single_summary.passages);
  EXPECT_EQ(c.sharded_summary.documents, c.single_summary.documents);
  std::set<std::string> seen;
  for (int k = 0; k < kShards; ++k) {
    auto s = OpenOrDie(c.shards_dir / ("shard-" + std::to_string(k)));
    ASSERT_NE(s, nullptr);
    EXPECT_GT(s->PassageCount(), 0u) << "shard " << k;
    SearchRequest all;
    all.limit = 1000;
    auto r = s->Search(all);
    ASSERT_OK(r.status());
    for (const Hit& h : r->hits) {
      EXPECT_EQ(ShardOf(h.citation.doc_id, kShards), k) << h.passage_id;
      EXPECT_TRUE(seen.insert(h.passage_id).second) << h.passage_id << " in two shards";
    }
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(c.single_summary.passages));
}

TEST(ShardedBuild, RebuildFromLiveShardsRewritesNothingWhenNothingChanged) {
  const ShardedCorpus& c = *ShardedCorpus::instance;
  IndexOptions o;
  o.state_dir = c.state;
  o.db_dir = c.temp() / "shards-again";
  o.base_db = c.shards_dir;
  auto r = BuildShardedIndex(o, kShards, *c.analyzer);
  ASSERT_OK(r.status());
  EXPECT_EQ(r->added + r->replaced + r->deleted, 0);
  EXPECT_EQ(r->unchanged, c.single_summary.passages);
  fs::remove_all(c.temp() / "shards-again");
}

// A live shard that cannot be opened stops the build before anything is
// written, naming it, as a single live index does (BuildIndex).
TEST(ShardedBuild, LiveShardThatCannotBeOpenedIsAnErrorBeforeBuilding) {
  const ShardedCorpus& c = *ShardedCorpus::instance;
  const fs::path base = c.temp() / "broken-shards";
  fs::copy(c.shards_dir, base, fs::copy_options::recursive);
  const fs::path broken = base / "shard-1";
  for (const auto& entry : fs::directory_iterator(broken)) fs::remove(entry.path());
  {
    std::ofstream(broken / "iamglass") << "not a Xapian version file";
  }
  IndexOptions o;
  o.state_dir = c.state;
  o.db_dir = c.temp() / "shards-over-broken";
  o.base_db = base;
  auto r = BuildShardedIndex(o, kShards, *c.analyzer);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(broken.string()), std::string::npos) << r.status().ToString();
  EXPECT_FALSE(fs::exists(o.db_dir)) << "nothing built";
  fs::remove_all(base);
}

TEST(ShardedSearch, GoldQueriesSameAsSingleIndexOverRemoteAndLocalShards) {
  const ShardedCorpus& c = *ShardedCorpus::instance;
  auto single = OpenOrDie(c.state);
  auto remote = OpenOrDie(c.remote->list_path);
  auto local = OpenOrDie(c.shards_dir / kShardListName);
  ASSERT_TRUE(single && remote && local);
  EXPECT_EQ(remote->PassageCount(), single->PassageCount());
  const std::vector<std::string> queries = GoldQueries();
  ASSERT_GE(queries.size(), 40u);
  for (const std::string& q : queries) {
    SearchRequest req;
    req.query = q;
    ExpectSameResults(*single, *remote, req);
    ExpectSameResults(*single, *local, req);
  }
  // Collapsing, filters, and a query matching everything.
  SearchRequest req;
  req.query = "kollektivtrafik";
  req.per_document = true;
  ExpectSameResults(*single, *remote, req);
  req = SearchRequest{};
  req.regions = {"Skaraborg"};
  req.from = "2019-01-01";
  ExpectSameResults(*single, *remote, req);
  ExpectSameResults(*single, *remote, SearchRequest{});
}

TEST(ShardedSearch, PassageViewFindsPassagesInEveryShard) {
  const ShardedCorpus& c = *ShardedCorpus::instance;
  auto single = OpenOrDie(c.state);
  auto remote = OpenOrDie(c.remote->list_path);
  ASSERT_TRUE(single && remote);
  SearchRequest req;
  req.per_document = true;
  req.limit = 100;
  auto docs = single->Search(req);
  ASSERT_OK(docs.status());
  std::set<int> shards_seen;
  for (const Hit& h : docs->hits) {
    if (!shards_seen.insert(ShardOf(h.citation.doc_id, kShards)).second) continue;
    auto a = single->GetPassage(h.passage_id);
    auto b = remote->GetPassage(h.passage_id);
    ASSERT_OK(a.status());
    ASSERT_OK(b.status());
    EXPECT_EQ(a->passage.text, b->passage.text);
    EXPECT_FALSE(b->passage.citation.title.empty());
    EXPECT_EQ(a->passage.citation.title, b->passage.citation.title);
    EXPECT_EQ(a->passage.citation.organisation, b->passage.citation.organisation);
    ASSERT_EQ(a->document_passages.size(), b->document_passages.size());
    for (size_t i = 0; i < a->document_passages.size(); ++i) {
      EXPECT_EQ(a->document_passages[i].passage_id, b->document_passages[i].passage_id);
    }
  }
  EXPECT_EQ(shards_seen.size(), static_cast<size_t>(kShards));
  EXPECT_EQ(remote->GetPassage("no/such#0000").status().code(), Status::Code::kNotFound);
}

TEST(ShardedSearch, PublishedShardsAreWhatTheStateDirectoryMeans) {
  const ShardedCorpus& c = *ShardedCorpus::instance;
  testing::TempDir dir;
  // A copy of the state whose published generation holds the shards.
  const fs::path state = dir.path() / "state";
  fs::create_directories(state / "gen-000001");
  fs::copy(c.state / "ingest", state / "ingest", fs::copy_options::recursive);
  fs::copy(c.state / "analysis", state / "analysis", fs::copy_options::recursive);
  fs::copy(c.shards_dir, state / "gen-000001" / kShardsDirName, fs::copy_options::recursive);
  ASSERT_OK(PublishGeneration(state, state / "gen-000001"));
  EXPECT_TRUE(fs::exists(PublishedShardListPath(state)));
  auto s = OpenOrDie(state);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->PassageCount(), static_cast<std::uint64_t>(c.single_summary.passages));
  // The next build starts from the published shards.
  auto again = IndexAndPublishSharded(state, "", kShards, *c.analyzer);
  ASSERT_OK(again.status());
  EXPECT_EQ(again->unchanged, c.single_summary.passages);
  ASSERT_OK(s->Reopen());
  EXPECT_EQ(s->PassageCount(), static_cast<std::uint64_t>(c.single_summary.passages));
  // An operator's STATE/shards.json takes precedence (remote shards).
  fs::copy_file(c.remote->list_path, state / kShardListName);
  auto remote = OpenOrDie(state);
  ASSERT_NE(remote, nullptr);
  auto hits = remote->Search(SearchRequest{});
  ASSERT_OK(hits.status());
  EXPECT_EQ(hits->total_estimate, static_cast<std::uint64_t>(c.single_summary.passages));
}

// Its own servers: the shared ones stay up for the other tests.
TEST(ShardedSearch, ServerKilledMidTestIsNamedOrLeftOutWithAllowPartial) {
  const ShardedCorpus& c = *ShardedCorpus::instance;
  RemoteShards own(c.shards_dir, c.temp() / "own-shards.json");
  ASSERT_TRUE(own.ok);
  SearcherOptions strict;
  strict.timeout_ms = 2000;
  strict.connect_timeout_ms = 1000;
  SearcherOptions partial = strict;
  partial.allow_partial = true;
  auto s = OpenOrDie(own.list_path, strict);
  auto p = OpenOrDie(own.list_path, partial);
  ASSERT_TRUE(s && p);
  SearchRequest req;
  req.query = "kollektivtrafik";
  req.limit = 1000;
  auto before = s->Search(req);
  ASSERT_OK(before.status());
  ASSERT_OK(p->Search(req).status());

  own.servers[1]->Kill();
  const std::string named = "shard-1 (127.0.0.1:" + std::to_string(own.servers[1]->port()) + ")";
  const auto t0 = std::chrono::steady_clock::now();
  auto down = s->Search(req);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), Status::Code::kIOError);
  EXPECT_NE(down.status().message().find(named), std::string::npos) << down.status().message();
  // Opening anew fails the same way.
  auto reopened = Searcher::Open(own.list_path, *c.analyzer, strict);
  ASSERT_FALSE(reopened.ok());
  EXPECT_NE(reopened.status().message().find(named), std::string::npos)
      << reopened.status().message();

  // With allow_partial: the other shards' hits, marked partial.
  auto r = p->Search(req);
  ASSERT_OK(r.status());
  EXPECT_TRUE(r->partial);
  EXPECT_EQ(r->missing_shards, std::vector<std::string>{named});
  std::uint64_t expected = 0;
  for (const Hit& h : before->hits) expected += ShardOf(h.citation.doc_id, kShards) != 1;
  EXPECT_EQ(r->total_estimate, expected);
  EXPECT_GT(r->hits.size(), 0u);
  for (const Hit& h : r->hits) EXPECT_NE(ShardOf(h.citation.doc_id, kShards), 1) << h.passage_id;
  auto fresh = OpenOrDie(own.list_path, partial);
  ASSERT_NE(fresh, nullptr);
  auto r2 = fresh->Search(req);
  ASSERT_OK(r2.status());
  EXPECT_TRUE(r2->partial);
  EXPECT_EQ(r2->total_estimate, expected);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));
}

TEST(ShardedSearch, ServerThatStopsAnsweringTimesOutNamingIt) {
  const ShardedCorpus& c = *ShardedCorpus::instance;
  RemoteShards own(c.shards_dir, c.temp() / "stopped-shards.json");
  ASSERT_TRUE(own.ok);
  SearcherOptions o;
  o.timeout_ms = 300;
  o.connect_timeout_ms = 300;
  auto s = OpenOrDie(own.list_path, o);
  ASSERT_NE(s, nullptr);
  ASSERT_OK(s->Search(SearchRequest{}).status());
  own.servers[2]->Stop();
  const auto t0 = std::chrono::steady_clock::now();
  auto r = s->Search(SearchRequest{});
  const auto took = std::chrono::steady_clock::now() - t0;
  own.servers[2]->Continue();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(
                "shard-2 (127.0.0.1:" + std::to_string(own.servers[2]->port()) + ")"),
            std::string::npos)
      << r.status().message();
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(ShardedSearch, CommandLineMarksPartialResults) {
  const ShardedCorpus& c = *ShardedCorpus::instance;
  RemoteShards own(c.shards_dir, c.temp() / "cli-shards.json");
  ASSERT_TRUE(own.ok);
  own.servers[0]->Kill();
  const std::string samrad = SAMRAD_BIN;
  const std::string base = samrad + " search --index '" + own.list_path.string() +
                           "' --connect-timeout-ms 1000 --json kollektivtrafik";
  auto strict = testing::RunCommand(base);
  EXPECT_EQ(strict.exit_code, 4) << strict.err;
  EXPECT_NE(strict.err.find("shard-0 (127.0.0.1:"), std::string::npos) << strict.err;
  auto partial = testing::RunCommand(base + " --allow-partial");
  EXPECT_EQ(partial.exit_code, 1) << partial.err;
  const Json j = Json::parse(partial.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << partial.out;
  EXPECT_EQ(j["partial"], true);
  EXPECT_EQ(j["missing_shards"].size(), 1u);
  EXPECT_GT(j["hits"].size(), 0u);
}

}  // namespace
}  // namespace samrad::index
