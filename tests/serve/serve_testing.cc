#include "tests/serve/serve_testing.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include <nlohmann/json.hpp>

#include "pipeline/pipeline.h"

namespace samrad::serve::testing {

namespace fs = std::filesystem;

const analysis::Analyzer& SharedAnalyzer() {
  static const std::unique_ptr<analysis::Analyzer> analyzer = [] {
    auto a = analysis::Analyzer::Create(analysis::AnalyzerOptions{});
    if (!a.ok()) {
      ADD_FAILURE() << a.status().ToString();
      std::abort();
    }
    return std::move(*a);
  }();
  return *analyzer;
}

void WriteDocument(const fs::path& corpus, const std::string& rel, const std::string& text,
                   const std::string& kind, const std::string& title, const std::string& date,
                   const std::string& organisation, const std::string& actor_group,
                   const std::string& subregion) {
  const fs::path file = corpus / rel;
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  nlohmann::ordered_json meta = {{"kind", kind},
                                 {"title", title},
                                 {"date", date},
                                 {"organisation", organisation},
                                 {"actor_group", actor_group},
                                 {"subregion", subregion}};
  std::ofstream(file.string() + ".meta.json", std::ios::binary) << meta.dump(2) << "\n";
}

void MakeCorpus(const fs::path& corpus) {
  const fs::path src = samrad::testing::SourceDir() / "corpus/documents";
  for (const char* rel :
       {"seminar/s01-klimat2030-fyrbodal.md", "seminar/s02-klimat2030-skaraborg.md",
        "seminar/s05-strukturbild-fyrbodal.md", "seminar/s08-strukturbild-goteborgsregionen.md",
        "seminar/s17-kompetensrad-fyrbodal.md", "seminar/s18-kompetensrad-skaraborg.md",
        "seminar/s27-naringsliv-goteborg-konkurrenskraft.md",
        "seminar/s33-kommunchefer-skaraborg.md", "remiss/r01-lidkopings-kommun.md",
        "remiss/r02-uddevalla-kommun.md", "remiss/r04-goteborgs-stad.md"}) {
    fs::create_directories((corpus / rel).parent_path());
    fs::copy_file(src / rel, corpus / rel);
    fs::copy_file(src / (std::string(rel) + ".meta.json"),
                  corpus / (std::string(rel) + ".meta.json"));
  }
  WriteDocument(
      corpus, "remiss/r90-xss.txt",
      "Yttrande över strategin\n\n"
      "Vi varnar för skadlig kod som <script>alert('xss')</script> i webbformulär och vill att "
      "regionen granskar sina digitala tjänster och sin informationssäkerhet.\n\n"
      "Ett annat försök: \"><img src=x onerror=alert(2)> ska också visas som text när "
      "informationssäkerheten diskuteras.\n\n"
      "Kollektivtrafiken i Skaraborg behöver fler avgångar och bättre anslutningar till "
      "pendeltågen, särskilt för dem som pendlar till arbete och studier.\n",
      "remiss", "Yttrande med <b>taggar</b> & \"citat\"", "2020-04-01",
      "Föreningen <i>Säker</i> Webb", "civilsamhälle", "Skaraborg");
}

Status RunPipeline(const fs::path& corpus, const fs::path& state) {
  pipeline::RunOptions o;
  o.corpus_dir = corpus;
  o.state_dir = state;
  o.framework_path = samrad::testing::SourceDir() / "corpus/framework/vg2030.json";
  o.quiet = true;
  pipeline::RunSummary s = pipeline::Run(o, SharedAnalyzer());
  if (s.exit_code > pipeline::kRunSomeFilesFailed)
    return Status::Internal("samrad run failed: " + s.error);
  return Status::Ok();
}

std::string Response::Header(const std::string& name) const {
  std::string lower_head = head, lower_name = name + ":";
  auto lower = [](std::string& s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  };
  lower(lower_head);
  lower(lower_name);
  size_t pos = lower_head.find("\r\n" + lower_name);
  if (pos == std::string::npos) return "";
  pos += 2 + lower_name.size();
  const size_t end = head.find("\r\n", pos);
  std::string v = head.substr(pos, end - pos);
  v.erase(0, v.find_first_not_of(' '));
  return v;
}

Response RawRequest(int port, const std::string& target, const std::string& method) {
  Response r;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return r;
  timeval tv{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return r;
  }
  const std::string request =
      method + " " + target +
      " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept-Encoding: identity\r\n\r\n";
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string all;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    all.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  const size_t split = all.find("\r\n\r\n");
  if (split == std::string::npos) return r;
  r.head = all.substr(0, split);
  r.body = all.substr(split + 4);
  if (r.head.size() > 12) r.status = std::atoi(r.head.c_str() + 9);
  // Bodies come with Content-Length (httplib does not chunk these answers).
  return r;
}

namespace {

// The corpus and state every fixture starts from, built on first use and
// kept for the life of the process: running the pipeline is the costly part
// (tens of seconds under the sanitizers), copying its result is not.
struct Template {
  samrad::testing::TempDir dir;
  Status built;
  Template() {
    MakeCorpus(dir.path() / "corpus");
    built = RunPipeline(dir.path() / "corpus", dir.path() / "state");
  }
};

const Template& SharedTemplate() {
  static const Template t;  // removed at exit, after the last test
  return t;
}

}  // namespace

ServeFixture::ServeFixture() {
  corpus_ = dir_.path() / "corpus";
  state_ = dir_.path() / "state";
  const Template& t = SharedTemplate();
  built_ = t.built;
  if (!built_.ok()) return;
  // A copy per test, so a test that republishes or breaks its state cannot
  // disturb another. The "published" symlink is relative and copies as one.
  std::error_code ec;
  const auto how = fs::copy_options::recursive | fs::copy_options::copy_symlinks;
  fs::copy(t.dir.path() / "corpus", corpus_, how, ec);
  if (!ec) fs::copy(t.dir.path() / "state", state_, how, ec);
  if (ec) built_ = Status::IOError(dir_.path().string() + ": cannot copy the test state: " + ec.message());
}

Status ServeFixture::Start(ServeOptions options) {
  options.state_dir = state_;
  options.port = 0;
  options.log = [this](std::string_view line) {
    std::lock_guard<std::mutex> lock(log_mutex_);
    logs_.emplace_back(line);
  };
  auto server = Server::Create(options, SharedAnalyzer());
  if (!server.ok()) return server.status();
  server_ = std::move(*server);
  return server_->Start();
}

std::vector<std::string> ServeFixture::logs() {
  std::lock_guard<std::mutex> lock(log_mutex_);
  return logs_;
}

}  // namespace samrad::serve::testing
