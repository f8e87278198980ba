// Helpers for the serve tests: a small state built from bundled documents
// plus planted ones, a server on an ephemeral loopback port, and raw HTTP
// requests (byte-exact request lines, for the traversal tests).
#ifndef SAMRAD_TESTS_SERVE_SERVE_TESTING_H_
#define SAMRAD_TESTS_SERVE_SERVE_TESTING_H_

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "base/status.h"
#include "serve/serve.h"
#include "tests/testing.h"

namespace samrad::serve::testing {

// One Analyzer per test process (creating one loads word lists).
const analysis::Analyzer& SharedAnalyzer();

// Writes `text` to corpus/rel and its metadata sidecar.
void WriteDocument(const std::filesystem::path& corpus, const std::string& rel,
                   const std::string& text, const std::string& kind, const std::string& title,
                   const std::string& date, const std::string& organisation,
                   const std::string& actor_group, const std::string& subregion);

// Copies a dozen bundled documents into `corpus` and adds the planted ones:
// remiss/r90-xss.txt, whose text holds a <script> element and an
// "><img onerror=…> attribute breakout, and whose title and organisation
// hold HTML too.
void MakeCorpus(const std::filesystem::path& corpus);

// `samrad run` in process: ingest, analyze, index, report, publish.
Status RunPipeline(const std::filesystem::path& corpus, const std::filesystem::path& state);

struct Response {
  int status = 0;
  std::string head;  // status line and headers, as received
  std::string body;
  std::string Header(const std::string& name) const;  // "" when absent
};

// Sends `method target HTTP/1.1` exactly as given (no encoding, no
// normalisation) and reads the answer until the server closes.
Response RawRequest(int port, const std::string& target, const std::string& method = "GET");

// A state built once per test process, and a server over it.
class ServeFixture {
 public:
  // Builds the corpus and state under a fresh temp dir.
  ServeFixture();
  const std::filesystem::path& state() const { return state_; }
  const std::filesystem::path& corpus() const { return corpus_; }
  const std::filesystem::path& root() const { return dir_.path(); }
  const Status& built() const { return built_; }

  // Starts a server with `options` (state_dir and port filled in); log lines
  // are collected in logs().
  Status Start(ServeOptions options = {});
  Server& server() { return *server_; }
  int port() const { return server_->port(); }
  std::vector<std::string> logs();
  Response Get(const std::string& target) { return RawRequest(port(), target); }

 private:
  samrad::testing::TempDir dir_;
  std::filesystem::path corpus_, state_;
  Status built_;
  std::mutex log_mutex_;
  std::vector<std::string> logs_;
  // Last, so destroyed first: a server stopping still logs its last
  // requests into logs_ (declared before it, the log was gone by then, and
  // LeakSanitizer saw a line appended to a destroyed vector).
  std::unique_ptr<Server> server_;
};

}  // namespace samrad::serve::testing

#endif  // SAMRAD_TESTS_SERVE_SERVE_TESTING_H_
