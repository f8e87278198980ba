// The HTTP side of `samrad serve`: routes, worker pool, index readers.
//
// How a request is answered:
//  1. httplib accepts the connection and hands it to the WorkerPool, a fixed
//     set of threads with a bounded queue (the accept loop waits when the
//     queue is full, so the kernel's backlog absorbs a burst).
//  2. The pre-routing handler refuses methods other than GET and HEAD and
//     notes the start time for the log line.
//  3. A search or passage handler parses the parameters (internal.cc),
//     leases an index reader from the SearcherPool — which reopens it first
//     when `published` points at a newer generation than the one it has
//     open — and the Catalog (area names, theme labels, years) of that
//     generation, asks the index, and renders HTML (pages.cc) or JSON
//     (api.cc).
//  4. Every answer, errors included, carries the security headers. While
//     connections wait for a worker, answers say "Connection: close", so a
//     kept-alive connection does not hold its worker while others wait.
//  5. The logger writes one line per request, without the query string
//     unless log_queries is set.
#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "analysis/themes/framework.h"
#include "analysis/themes/themes.h"
#include "base/files.h"
#include "base/publish.h"
#include "index/index.h"
#include "serve/serve.h"
#include "serve/view.h"

namespace samrad::serve {
namespace {

namespace fs = std::filesystem;
using namespace internal;

// What a page may load: only its own stylesheet and script, no inline
// script, no frames, forms only to itself.
constexpr char kPageCsp[] =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";
// The reports are self-contained HTML with inline styles and SVG: styles may
// be inline, scripts are not allowed at all.
constexpr char kReportCsp[] =
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src "
    "'none'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

constexpr std::uintmax_t kMaxReportBytes = 64u << 20;
constexpr std::size_t kMaxPassageIdBytes = 500;

enum class Kind { kPage, kApi, kReport, kAsset };

void Send(httplib::Response& res, int status, std::string body, const char* content_type,
          Kind kind) {
  res.status = status;
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", kind == Kind::kReport ? kReportCsp : kPageCsp);
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cross-Origin-Resource-Policy", "same-origin");
  // Searches can hold personal data: no page or answer is kept in a cache.
  res.set_header("Cache-Control", kind == Kind::kAsset    ? "public, max-age=3600"
                                  : kind == Kind::kReport ? "no-cache"
                                                          : "no-store");
  res.set_content(std::move(body), content_type);
}

void SendPage(httplib::Response& res, int status, std::string html) {
  Send(res, status, std::move(html), "text/html; charset=utf-8", Kind::kPage);
}
void SendJson(httplib::Response& res, int status, std::string json) {
  Send(res, status, std::move(json), "application/json; charset=utf-8", Kind::kApi);
}
void SendError(httplib::Response& res, bool api, int status, std::string_view message) {
  if (api) {
    SendJson(res, status, ErrorJson(status, message));
  } else {
    SendPage(res, status, RenderErrorPage(status, message));
  }
}

// The Searcher's messages are for the command line, in English; the page
// speaks Swedish. Known ones are translated, the rest shown as they are.
std::string SwedishQueryError(const std::string& m) {
  if (m.find("unbalanced quote") != std::string::npos) {
    return "Frågan har ett citattecken (\") utan slut. Avsluta frasen med ett citattecken till.";
  }
  if (m.rfind("unknown field", 0) == 0) {
    const size_t a = m.find('"'), b = m.find('"', a + 1);
    const std::string field =
        (a != std::string::npos && b != std::string::npos) ? m.substr(a + 1, b - a - 1) : "";
    return "Okänt fält " + field +
           " Fälten är aktör:, delregion:, område:, typ:, forum:, tema:, organisation: och "
           "dokument:.";
  }
  if (m.rfind("bad date range", 0) == 0) {
    return "Felaktigt datumintervall. Skriv till exempel 2019-03-01..2019-06-30.";
  }
  if (m.find("bytes long") != std::string::npos) return "Sökfrågan är för lång.";
  if (m.rfind("cannot parse the query", 0) == 0)
    return "Frågan kunde inte tolkas. Kontrollera parenteser och operatorer.";
  return m;
}

// Log lines must stay one line of printable text whatever the path holds.
std::string ForLog(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 300))
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  return out;
}

std::string UtcNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Fixed worker threads with a bounded queue of accepted connections.
class WorkerPool : public httplib::TaskQueue {
 public:
  // `waiting` mirrors the queue length for the request handlers.
  WorkerPool(int threads, int max_pending, std::shared_ptr<std::atomic<int>> waiting)
      : max_pending_(static_cast<size_t>(max_pending)), waiting_(std::move(waiting)) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
  }
  ~WorkerPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mutex_);
    // Back-pressure: the accept loop waits here while the queue is full.
    not_full_.wait(lock, [this] { return jobs_.size() < max_pending_ || shutdown_; });
    jobs_.push_back(std::move(fn));  // even after shutdown: the job closes its socket
    waiting_->store(static_cast<int>(jobs_.size()));
    not_empty_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (shutdown_ && threads_.empty()) return;
      shutdown_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        not_empty_.wait(lock, [this] { return shutdown_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // shut down and drained
        job = std::move(jobs_.front());
        jobs_.pop_front();
        waiting_->store(static_cast<int>(jobs_.size()));
      }
      not_full_.notify_one();
      job();
    }
  }

  const size_t max_pending_;
  const std::shared_ptr<std::atomic<int>> waiting_;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  bool shutdown_ = false;
};

// Index readers, one per concurrent request. A Searcher is not thread-safe;
// a lease gives one thread a reader of its own until the lease ends.
class SearcherPool {
 public:
  struct Entry {
    std::unique_ptr<index::Searcher> searcher;
    fs::path generation;  // what `published` pointed at when last (re)opened
  };

  class Lease {
   public:
    Lease(SearcherPool* pool, std::unique_ptr<Entry> e) : pool_(pool), entry_(std::move(e)) {}
    Lease(Lease&& o) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (entry_) pool_->Release(std::move(entry_));
    }
    index::Searcher& searcher() { return *entry_->searcher; }
    const fs::path& generation() const { return entry_->generation; }

   private:
    SearcherPool* pool_;
    std::unique_ptr<Entry> entry_;
  };

  SearcherPool(fs::path state_dir, const analysis::Analyzer& analyzer,
               std::function<void(std::string_view)> log)
      : state_dir_(std::move(state_dir)), analyzer_(analyzer), log_(std::move(log)) {}

  // NotFound when nothing is published; another error when the published
  // index cannot be opened at all.
  Result<Lease> Acquire() {
    const fs::path current = CurrentGeneration(state_dir_);
    if (current.empty()) return Status::NotFound("nothing published");
    std::unique_ptr<Entry> e;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_.empty()) {
        e = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (!e) {
      auto s = index::Searcher::Open(state_dir_, analyzer_);
      if (!s.ok()) return s.status();
      e = std::make_unique<Entry>();
      e->searcher = std::move(*s);
      e->generation = current;
    } else if (e->generation != current) {
      // A new generation was published: this reader moves to it. If it
      // cannot, it keeps answering from the one it has (still on disk).
      Status st = e->searcher->Reopen();
      if (st.ok()) {
        e->generation = current;
      } else if (log_) {
        log_("serve: cannot open the new generation " + current.filename().string() + ": " +
             st.message());
      }
    }
    return Lease(this, std::move(e));
  }

 private:
  void Release(std::unique_ptr<Entry> e) {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(e));
  }

  const fs::path state_dir_;
  const analysis::Analyzer& analyzer_;
  std::function<void(std::string_view)> log_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> idle_;
};

// Area names and hierarchy from the framework the analysis used; falls back
// to the names recorded in themes.json, then to the ids.
void LoadAreas(const fs::path& state_dir, Catalog* c) {
  Result<std::string> text = ReadFile(state_dir / "analysis" / "themes.json");
  if (!text.ok()) return;
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return;
  if (j.contains("framework") && j["framework"].is_object() && j["framework"].contains("path") &&
      j["framework"]["path"].is_string()) {
    Result<themes::Framework> fw = themes::LoadFramework(j["framework"]["path"].get<std::string>());
    if (fw.ok()) {
      // Depth-first, so that a child follows its parent.
      std::function<void(const std::string&, int)> add = [&](const std::string& parent, int depth) {
        for (const themes::Area& a : fw->areas) {
          if (a.parent != parent) continue;
          c->areas.push_back({a.id, a.name, depth});
          add(a.id, depth + 1);
        }
      };
      add("", 0);
      if (c->areas.size() == fw->areas.size()) return;
      c->areas.clear();  // an area with a parent outside the tree: keep file order
      for (const themes::Area& a : fw->areas) {
        c->areas.push_back({a.id, a.name, static_cast<int>(fw->Ancestors(fw->Find(a.id)).size())});
      }
      return;
    }
  }
  if (j.contains("areas") && j["areas"].is_array()) {
    for (const auto& a : j["areas"]) {
      if (!a.is_object() || !a.contains("id") || !a["id"].is_string()) continue;
      const std::string id = a["id"].get<std::string>();
      const std::string name =
          a.contains("name") && a["name"].is_string() ? a["name"].get<std::string>() : id;
      const bool child = a.contains("parent") && a["parent"].is_string() &&
                         !a["parent"].get<std::string>().empty();
      c->areas.push_back({id, name, child ? 1 : 0});
    }
  }
}

// Which years have passages: decades first, then the years of the decades
// that have any, so that a generation costs a few dozen cheap counts once.
std::vector<int> ProbeYears(index::Searcher& searcher) {
  auto count = [&](int from_year, int to_year) -> std::uint64_t {
    index::SearchRequest r;
    r.from = std::to_string(from_year) + "-01-01";
    r.to = std::to_string(to_year) + "-12-31";
    r.limit = 0;
    r.facets = false;
    Result<index::SearchResponse> resp = searcher.Search(r);
    return resp.ok() ? resp->total_estimate : 0;
  };
  std::vector<int> years;
  for (int decade = 1900; decade < 2100; decade += 10) {
    if (count(decade, decade + 9) == 0) continue;
    for (int y = decade; y < decade + 10; ++y) {
      if (count(y, y) > 0) years.push_back(y);
    }
  }
  return years;
}

class CatalogCache {
 public:
  explicit CatalogCache(fs::path state_dir) : state_dir_(std::move(state_dir)) {}

  std::shared_ptr<const Catalog> Get(SearcherPool::Lease& lease) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (catalog_ && catalog_->generation == lease.generation()) return catalog_;
    }
    std::lock_guard<std::mutex> loading(load_mutex_);  // one loader at a time
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (catalog_ && catalog_->generation == lease.generation()) return catalog_;
    }
    auto c = std::make_shared<Catalog>();
    c->generation = lease.generation();
    LoadAreas(state_dir_, c.get());
    Result<themes::ThemeModel> model = themes::LoadThemeModel(state_dir_);
    if (model.ok()) {
      for (const themes::EmergentTheme& t : model->themes)
        c->theme_labels[std::to_string(t.id)] = t.label;
    }
    c->years = ProbeYears(lease.searcher());
    std::lock_guard<std::mutex> lock(mutex_);
    catalog_ = c;
    return c;
  }

 private:
  const fs::path state_dir_;
  std::mutex mutex_, load_mutex_;
  std::shared_ptr<const Catalog> catalog_;
};

index::SearchRequest ToRequest(const Params& p) {
  index::SearchRequest r;
  r.query = p.q;
  r.areas = p.areas;
  r.themes = p.themes;
  r.actors = p.actors;
  r.regions = p.regions;
  r.kinds = p.kinds;
  r.from = p.from;
  r.to = p.to;
  r.per_document = p.per_document;
  r.limit = p.per_page;
  r.offset = (p.page - 1) * p.per_page;
  return r;
}

thread_local std::chrono::steady_clock::time_point t_request_start;

}  // namespace

struct Server::Impl {
  Impl(const ServeOptions& o, const analysis::Analyzer& a)
      : options(o),
        analyzer(a),
        pool(o.state_dir, a, [this](std::string_view l) { Log(l); }),
        catalogs(o.state_dir) {
    limits.max_query_bytes = o.max_query_bytes;
    limits.default_per_page = o.default_per_page;
    limits.max_per_page = o.max_per_page;
  }

  ServeOptions options;
  const analysis::Analyzer& analyzer;
  ParamLimits limits;
  SearcherPool pool;
  CatalogCache catalogs;
  httplib::Server http;
  std::thread listener;
  int port = 0;
  // Connections accepted and waiting for a worker (WorkerPool keeps it).
  std::shared_ptr<std::atomic<int>> waiting = std::make_shared<std::atomic<int>>(0);
  std::mutex log_mutex;
  std::mutex state_mutex;
  std::condition_variable stopped_cv;
  bool started = false, stopped = false;

  void Log(std::string_view line) {
    std::lock_guard<std::mutex> lock(log_mutex);
    if (options.log) {
      options.log(line);
    } else {
      std::cerr << line << '\n';
    }
  }

  void Routes();
  // Shared by the page, /api/search and /api/facets. Returns the HTTP status;
  // on 4xx/5xx without a view, *error holds the message.
  int Search(const httplib::Request& req, bool api, bool facets_only, SearchView* view,
             std::shared_ptr<const Catalog>* catalog, std::string* error);
  void HandleSearch(const httplib::Request& req, httplib::Response& res, bool api,
                    bool facets_only);
  void HandlePassage(const httplib::Request& req, httplib::Response& res, bool api);
  void HandleReport(const httplib::Request& req, httplib::Response& res);
};

int Server::Impl::Search(const httplib::Request& req, bool api, bool facets_only, SearchView* view,
                         std::shared_ptr<const Catalog>* catalog, std::string* error) {
  Result<Params> params = ParseParams(req.params, limits);
  if (!params.ok()) {
    *error = params.status().message();
    return 400;
  }
  view->params = *params;
  view->max_query_bytes = options.max_query_bytes;
  Result<SearcherPool::Lease> lease = pool.Acquire();
  if (!lease.ok()) {
    if (lease.status().code() != Status::Code::kNotFound) {
      Log("serve: " + lease.status().message());
      *error = "Sökindexet kan inte läsas just nu. Försök igen om en stund.";
    } else {
      *error = "Det finns inget publicerat sökindex ännu. Kör samrad run och ladda om sidan.";
    }
    return 503;
  }
  *catalog = catalogs.Get(*lease);
  for (const std::string& a : view->params.areas) {
    if (!(*catalog)->areas.empty() && !(*catalog)->HasArea(a)) {
      *error = "Okänt strategiområde: " + a + ".";
      return 400;
    }
  }
  index::Searcher& searcher = lease->searcher();
  index::SearchRequest request = ToRequest(view->params);
  // The page's start view lists no hits, only what there is to filter on.
  const bool start_view = !api && view->params.Empty();
  if (facets_only || start_view) request.limit = 0;
  Result<index::SearchResponse> resp = searcher.Search(request);
  if (!resp.ok()) {
    if (resp.status().code() == Status::Code::kInvalidArgument) {
      view->error = SwedishQueryError(resp.status().message());
      *error = view->error;
      return 400;
    }
    Log("serve: search failed: " + resp.status().message());
    *error = "Sökningen misslyckades. Försök igen om en stund.";
    return 500;
  }
  // Xapian suggests a spelling whenever a query word is not in its spelling
  // list, also when stemming found plenty ("kompetensförsörjning" ->
  // "kompetensförsörjningen"). A suggestion is only worth a planner's click
  // when it finds more.
  if (!resp->corrected_query.empty()) {
    index::SearchRequest corrected = request;
    corrected.query = resp->corrected_query;
    corrected.limit = 0;
    corrected.offset = 0;
    corrected.facets = false;
    Result<index::SearchResponse> c = searcher.Search(corrected);
    if (!c.ok() || c->total_estimate <= resp->total_estimate) resp->corrected_query.clear();
  }
  FacetCounts counts = resp->facets;
  std::set<std::string> approximate;
  // A filter ORs its values: its own counts come from the search without it.
  const std::pair<const char*, std::vector<std::string> index::SearchRequest::*> kGroups[] = {
      {"area", &index::SearchRequest::areas},
      {"theme", &index::SearchRequest::themes},
      {"actor", &index::SearchRequest::actors},
      {"region", &index::SearchRequest::regions},
      {"kind", &index::SearchRequest::kinds}};
  for (const auto& [key, member] : kGroups) {
    bool estimated = resp->facets_approximate;
    if (!(request.*member).empty()) {
      index::SearchRequest without = request;
      (without.*member).clear();
      without.limit = 0;
      without.offset = 0;
      Result<index::SearchResponse> r = searcher.Search(without);
      if (r.ok()) {
        counts[key] = r->facets[key];
        estimated = r->facets_approximate;
      }
    }
    if (estimated) approximate.insert(key);
  }
  for (int year : (*catalog)->years) {
    index::SearchRequest in_year = request;
    in_year.from = std::to_string(year) + "-01-01";
    in_year.to = std::to_string(year) + "-12-31";
    in_year.limit = 0;
    in_year.offset = 0;
    in_year.facets = false;  // only its total
    Result<index::SearchResponse> r = searcher.Search(in_year);
    view->years.push_back({year, r.ok() ? r->total_estimate : 0,
                           view->params.from == in_year.from && view->params.to == in_year.to,
                           r.ok() && r->total_lower != r->total_upper});
  }
  view->groups = BuildFacetGroups(view->params, counts, **catalog, approximate);
  if (!start_view) view->response = std::move(*resp);
  return 200;
}

void Server::Impl::HandleSearch(const httplib::Request& req, httplib::Response& res, bool api,
                                bool facets_only) {
  SearchView view;
  std::shared_ptr<const Catalog> catalog;
  std::string error;
  const int status = Search(req, api, facets_only, &view, &catalog, &error);
  if (api) {
    if (status != 200) return SendError(res, true, status, error);
    return SendJson(res, 200, SearchJson(view, *catalog, facets_only));
  }
  // A query the index refuses: the page again, with the form and the reason.
  if (status == 400 && catalog && !view.error.empty())
    return SendPage(res, 400, RenderSearchPage(view, *catalog));
  if (status != 200) return SendError(res, false, status, error);
  SendPage(res, 200, RenderSearchPage(view, *catalog));
}

void Server::Impl::HandlePassage(const httplib::Request& req, httplib::Response& res, bool api) {
  const std::string id = req.matches.size() > 1 ? req.matches[1].str() : "";
  if (id.empty() || id.size() > kMaxPassageIdBytes || !IsValidUtf8(id)) {
    return SendError(res, api, 400, "Felaktig styckeshänvisning.");
  }
  Result<Params> params = ParseParams(req.params, limits);
  if (!params.ok()) return SendError(res, api, 400, params.status().message());
  Result<SearcherPool::Lease> lease = pool.Acquire();
  if (!lease.ok()) {
    if (lease.status().code() != Status::Code::kNotFound) Log("serve: " + lease.status().message());
    return SendError(res, api, 503, "Sökindexet kan inte läsas, eller inget är publicerat ännu.");
  }
  std::shared_ptr<const Catalog> catalog = catalogs.Get(*lease);
  Result<index::PassageView> view = lease->searcher().GetPassage(id);
  if (!view.ok()) {
    if (view.status().code() == Status::Code::kNotFound) {
      return SendError(res, api, 404, "Stycket " + id + " finns inte i det publicerade indexet.");
    }
    Log("serve: passage lookup failed: " + view.status().message());
    return SendError(res, api, 500, "Stycket kunde inte hämtas.");
  }
  if (api) return SendJson(res, 200, PassageJson(*view, *catalog));
  SendPage(res, 200, RenderPassagePage(*view, *params, *catalog));
}

void Server::Impl::HandleReport(const httplib::Request& req, httplib::Response& res) {
  static constexpr std::string_view kPrefix = "/reports/";
  // The raw path as it came on the wire, without the query.
  std::string_view raw = req.target;
  raw = raw.substr(0, raw.find('?'));
  if (raw.rfind(kPrefix, 0) != 0) return SendError(res, false, 400, "Otillåten sökväg.");
  raw.remove_prefix(kPrefix.size());
  std::string_view decoded = req.path;
  decoded.remove_prefix(std::min(decoded.size(), kPrefix.size()));
  Result<fs::path> file =
      ResolveReportPath(PublishedDir(options.state_dir) / "reports", raw, decoded);
  if (!file.ok()) {
    const int status = file.status().code() == Status::Code::kInvalidArgument ? 400 : 404;
    return SendError(res, false, status, file.status().message());
  }
  Result<std::string> bytes = ReadFile(*file, kMaxReportBytes);
  if (!bytes.ok()) return SendError(res, false, 404, "Filen kunde inte läsas.");
  const std::string type = ContentTypeFor(*file);
  Send(res, 200, std::move(*bytes), type.c_str(), Kind::kReport);
}

void Server::Impl::Routes() {
  http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    t_request_start = std::chrono::steady_clock::now();
    if (req.method == "GET" || req.method == "HEAD")
      return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("Allow", "GET, HEAD");
    SendError(res, req.path.rfind("/api/", 0) == 0, 405, "Bara GET och HEAD stöds.");
    return httplib::Server::HandlerResponse::Handled;
  });
  // Errors that httplib answers itself (no route: 404; a malformed request:
  // 400; too long: 414) get the same page and headers as ours.
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (res.has_header("X-Content-Type-Options"))
          return httplib::Server::HandlerResponse::Unhandled;
        const bool api = req.path.rfind("/api/", 0) == 0;
        const std::string message = res.status == 404 ? "Det finns ingen sida med den adressen."
                                                      : "Förfrågan kunde inte tolkas.";
        SendError(res, api, res.status, message);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        Log("serve: internal error: " + what);
        res.headers.clear();
        SendError(res, req.path.rfind("/api/", 0) == 0, 500, "Ett internt fel inträffade.");
      });
  // A kept-alive connection holds its worker between requests. While other
  // connections wait for a worker, an answer asks the client to close, so
  // the worker goes to the next connection in line instead (fairness under
  // load, at the price of a new connection).
  http.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
    if (waiting->load() > 0 && !res.has_header("Connection")) res.set_header("Connection", "close");
  });
  http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    // No start time when httplib refused the request before routing.
    const bool timed = t_request_start != std::chrono::steady_clock::time_point{};
    const double ms = timed ? std::chrono::duration<double, std::milli>(
                                  std::chrono::steady_clock::now() - t_request_start)
                                  .count()
                            : 0.0;
    t_request_start = {};
    std::string target = ForLog(req.path);
    if (options.log_queries) {
      const size_t q = req.target.find('?');
      if (q != std::string::npos) target += ForLog(std::string_view(req.target).substr(q));
    }
    char timing[32] = "-";
    if (timed) std::snprintf(timing, sizeof timing, "%.1fms", ms);
    Log(UtcNow() + " " + ForLog(req.remote_addr) + " " + ForLog(req.method) + " " + target + " " +
        std::to_string(res.status) + " " + std::to_string(res.body.size()) + "B " + timing);
  });

  http.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    HandleSearch(req, res, false, false);
  });
  http.Get("/api/search", [this](const httplib::Request& req, httplib::Response& res) {
    HandleSearch(req, res, true, false);
  });
  http.Get("/api/facets", [this](const httplib::Request& req, httplib::Response& res) {
    HandleSearch(req, res, true, true);
  });
  http.Get(R"(/passage/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
    HandlePassage(req, res, false);
  });
  http.Get(R"(/api/passage/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
    HandlePassage(req, res, true);
  });
  http.Get("/reports", [](const httplib::Request&, httplib::Response& res) {
    Send(res, 301, "", "text/plain; charset=utf-8", Kind::kPage);
    res.set_header("Location", "/reports/");
  });
  http.Get(R"(/reports/.*)",
           [this](const httplib::Request& req, httplib::Response& res) { HandleReport(req, res); });
  http.Get("/hjalp", [](const httplib::Request&, httplib::Response& res) {
    SendPage(res, 200, RenderHelpPage());
  });
  http.Get("/static/samrad.css", [](const httplib::Request&, httplib::Response& res) {
    Send(res, 200, kStylesheet, "text/css; charset=utf-8", Kind::kAsset);
  });
  http.Get("/static/samrad.js", [](const httplib::Request&, httplib::Response& res) {
    Send(res, 200, kScript, "text/javascript; charset=utf-8", Kind::kAsset);
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(const ServeOptions& options,
                                               const analysis::Analyzer& analyzer) {
  std::error_code ec;
  if (!fs::is_directory(options.state_dir, ec)) {
    return Status::InvalidArgument(options.state_dir.string() + ": no such state directory");
  }
  if (options.host.empty()) return Status::InvalidArgument("--host must not be empty");
  if (options.port < 0 || options.port > 65535)
    return Status::InvalidArgument("--port must be 0..65535");
  if (options.workers < 1 || options.workers > 256)
    return Status::InvalidArgument("--workers must be 1..256");
  if (options.max_pending < 1) return Status::InvalidArgument("max_pending must be at least 1");
  if (options.max_query_bytes < 1 || options.max_query_bytes > index::Searcher::kMaxQueryBytes) {
    return Status::InvalidArgument("--max-query-bytes must be 1.." +
                                   std::to_string(index::Searcher::kMaxQueryBytes));
  }
  if (options.max_per_page < 1 || options.max_per_page > 1000 || options.default_per_page < 1 ||
      options.default_per_page > options.max_per_page) {
    return Status::InvalidArgument("per-page limits must satisfy 1 <= default <= max <= 1000");
  }
  auto impl = std::make_unique<Impl>(options, analyzer);
  // Fail fast on a published index that cannot be read; nothing published
  // yet is fine (the page says so until a run publishes).
  if (!CurrentGeneration(options.state_dir).empty()) {
    Result<SearcherPool::Lease> lease = impl->pool.Acquire();
    if (!lease.ok()) return lease.status();
  }
  const int workers = options.workers, max_pending = options.max_pending;
  auto waiting = impl->waiting;
  impl->http.new_task_queue = [workers, max_pending, waiting] {
    return new WorkerPool(workers, max_pending, waiting);
  };
  // httplib's default sets SO_REUSEPORT, which would let a second server
  // share the port silently (and the kernel split requests between two
  // states). SO_REUSEADDR alone still allows a quick restart.
  impl->http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  impl->http.set_keep_alive_max_count(20);
  impl->http.set_keep_alive_timeout(2);
  impl->http.set_read_timeout(10);
  impl->http.set_write_timeout(10);
  impl->http.set_payload_max_length(64 << 10);
  impl->Routes();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Start() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.state_mutex);
  if (s.started) return Status::InvalidArgument("the server is already started");
  if (s.options.port == 0) {
    s.port = s.http.bind_to_any_port(s.options.host);
    if (s.port <= 0) return Status::IOError("cannot bind " + s.options.host + " on any port");
  } else {
    if (!s.http.bind_to_port(s.options.host, s.options.port)) {
      return Status::IOError("cannot listen on " + s.options.host + ":" +
                             std::to_string(s.options.port) +
                             " (is the port in use, or the address not on this machine?)");
    }
    s.port = s.options.port;
  }
  s.started = true;
  s.listener = std::thread([&s] { s.http.listen_after_bind(); });
  // listen_after_bind() marks the server running from its own thread; until
  // it has, stop() would not reach it. The socket already listens.
  for (int i = 0; i < 5000 && !s.http.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Status::Ok();
}

int Server::port() const { return impl_->port; }

void Server::Wait() {
  Impl& s = *impl_;
  std::unique_lock<std::mutex> lock(s.state_mutex);
  s.stopped_cv.wait(lock, [&s] { return s.stopped || !s.started; });
}

void Server::Stop() {
  Impl& s = *impl_;
  std::thread listener;
  {
    std::lock_guard<std::mutex> lock(s.state_mutex);
    if (s.stopped || !s.started) {
      s.stopped = true;
      s.stopped_cv.notify_all();
      return;
    }
    s.stopped = true;
    listener = std::move(s.listener);
  }
  s.http.stop();
  if (listener.joinable()) listener.join();
  s.stopped_cv.notify_all();
}

}  // namespace samrad::serve
