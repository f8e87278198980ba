// `samrad serve`: the search page for planners, and its JSON API.
//
// A Server answers HTTP on one loopback address (by default) over the
// published generation of a state directory (base/publish.h):
//
//   GET /                    the search page (Swedish, server-rendered; a GET
//                            form, so it works without JavaScript)
//   GET /passage/{id}        one passage in the context of its document
//   GET /reports/...         the published reports (STATE/published/reports)
//   GET /api/search          hits, facets and a spelling suggestion, as JSON
//   GET /api/facets          only the facets
//   GET /api/passage/{id}    one passage and its document's passages
//   GET /static/...          the page's stylesheet and optional script
//
// docs/api.md documents the parameters, the JSON schemas and the errors;
// docs/serve.md how to run it and the security defaults.
//
// How it is safe by default:
//   - binds 127.0.0.1 unless ServeOptions::host says otherwise;
//   - every piece of document text and every echoed parameter is HTML-escaped;
//     the Content-Security-Policy allows no inline script;
//   - bad parameters are 400 with a Swedish message (JSON for /api), unknown
//     paths 404, methods other than GET and HEAD 405;
//   - /reports/ never serves a file that resolves outside the reports folder
//     (.., %2e%2e, absolute paths and symlinks out are refused);
//   - a fixed number of worker threads, each request bounded in size;
//   - the request log names the path, never the query string, unless
//     ServeOptions::log_queries is set (queries can hold personal data).
//
// Publishing a new generation needs no restart: before each request a worker
// compares the `published` symlink with the generation its Searcher has open
// and reopens it when they differ. A request that is running when the switch
// happens finishes on the old generation, whose files stay readable.
//
// Example:
//
//   auto analyzer = analysis::Analyzer::Create({});
//   serve::ServeOptions options;
//   options.state_dir = "samrad-data";
//   options.port = 0;                                  // any free port
//   auto server = serve::Server::Create(options, **analyzer);
//   if (!server.ok()) return server.status();
//   SAMRAD_RETURN_IF_ERROR((*server)->Start());        // returns when listening
//   std::cout << "http://127.0.0.1:" << (*server)->port() << "/\n";
//   ...
//   (*server)->Stop();
#ifndef SAMRAD_SERVE_SERVE_H_
#define SAMRAD_SERVE_SERVE_H_

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "analysis/analysis.h"
#include "base/status.h"

namespace samrad::serve {

struct ServeOptions {
  // The state directory whose published generation is served. Must exist;
  // when nothing is published yet the pages answer 503 until a run publishes.
  std::filesystem::path state_dir;
  // The address to bind. Anything but loopback exposes the page to the
  // network: there is no authentication.
  std::string host = "127.0.0.1";
  // 0 picks a free port (tests); Server::port() tells which.
  int port = 8080;
  // Worker threads, each with its own index reader. A connection holds a
  // worker while it is being served; further connections wait (at most
  // `max_pending` of them are accepted and queued).
  int workers = 8;
  int max_pending = 256;
  // The longest query accepted, in bytes (at most the index's own limit).
  std::size_t max_query_bytes = 1000;
  // Hits per page: the default and the most a request may ask for.
  int default_per_page = 10;
  int max_per_page = 100;
  // Include the query string in request log lines. Off by default: queries
  // can hold personal data.
  bool log_queries = false;
  // Where request log lines go (one call per line, without the newline).
  // Default: stderr. Called from worker threads, serialised by the server.
  std::function<void(std::string_view line)> log;
};

class Server {
 public:
  // Checks the options and opens the published index, if there is one yet.
  // `analyzer` must outlive the server.
  static Result<std::unique_ptr<Server>> Create(const ServeOptions& options,
                                                const analysis::Analyzer& analyzer);
  ~Server();  // Stops.
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts answering on a background thread; returns once the
  // socket is listening. A port that is taken is an IOError naming it.
  Status Start();
  // The port bound by Start() (useful with port 0).
  int port() const;
  // Blocks until Stop() is called from another thread (or a signal handler
  // thread); for the command line.
  void Wait();
  // Stops accepting, finishes the requests under way, joins the workers.
  // Safe to call more than once.
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace samrad::serve

#endif  // SAMRAD_SERVE_SERVE_H_
