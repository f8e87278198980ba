// `samrad serve`: the search page for planners (serve/serve.h).
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <memory>
#include <string>

#include "analysis/analysis.h"
#include "cli/commands.h"
#include "serve/serve.h"

namespace samrad::cli {
namespace {

struct ServeFlags {
  std::string state;
  serve::ServeOptions options;
};

int RunServe(ServeFlags& f) {
  // SIGINT and SIGTERM are taken by this thread with sigwait(); blocking them
  // before any thread starts keeps them away from the workers.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto analyzer = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
  if (!analyzer.ok()) return ReportFailure(analyzer.status());
  f.options.state_dir = f.state;
  auto server = serve::Server::Create(f.options, **analyzer);
  if (!server.ok()) return ReportFailure(server.status());
  if (Status s = (*server)->Start(); !s.ok()) return ReportFailure(s);
  std::cerr << "samrad serve: http://"
            << (f.options.host.find(':') != std::string::npos ? "[" + f.options.host + "]"
                                                              : f.options.host)
            << ":" << (*server)->port() << "/ (state " << f.state << ", " << f.options.workers
            << " workers; Ctrl-C stops)\n";
  if (f.options.host != "127.0.0.1" && f.options.host != "localhost" && f.options.host != "::1") {
    std::cerr << "samrad serve: warning: listening on " << f.options.host
              << ", not only on this machine; the page has no login\n";
  }
  int sig = 0;
  sigwait(&signals, &sig);
  std::cerr << "samrad serve: stopping\n";
  (*server)->Stop();
  return kExitOk;
}

void RegisterServe(CLI::App& app, Action* action) {
  auto f = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve the search page for planners (Swedish) and its JSON API over the published index\n"
      "and reports. Picks up a newly published generation without a restart. See docs/serve.md\n"
      "and docs/api.md.");
  AddStateOption(cmd, &f->state);
  cmd->add_option("--host", f->options.host,
                  "Address to listen on (loopback unless you mean otherwise)")
      ->capture_default_str();
  cmd->add_option("--port", f->options.port, "Port (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--workers", f->options.workers, "Worker threads, each with its own index reader")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--max-query-bytes", f->options.max_query_bytes,
                  "Longest query accepted, in bytes")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_flag("--log-queries", f->options.log_queries,
                "Include query strings in the request log (off: queries can hold personal data)");
  cmd->callback([f, action] { *action = [f] { return RunServe(*f); }; });
}

}  // namespace

SAMRAD_REGISTER_COMMAND(80, RegisterServe);

}  // namespace samrad::cli
