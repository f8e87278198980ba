// A bounded loopback load test: 50 concurrent clients for a fixed time
// (10 s; SAMRAD_SERVE_LOAD_SECONDS overrides), a mix of page, API and
// passage requests, and not one failed request. Prints the throughput; the
// figure is informative only (bench/ is where speed is claimed).
#include <httplib.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve/internal.h"
#include "serve/serve.h"
#include "tests/serve/serve_testing.h"

namespace samrad::serve {
namespace {

using internal::UrlEncode;
using Clock = std::chrono::steady_clock;

TEST(ServeLoad, FiftyClientsTenSecondsNoFailedRequests) {
  testing::ServeFixture fx;
  ASSERT_OK(fx.built());
  ASSERT_OK(fx.Start());
  const int port = fx.port();

  // Real passage ids to ask for.
  std::vector<std::string> passages;
  {
    testing::Response r =
        fx.Get("/api/search?q=" + UrlEncode("kompetensförsörjning") + "&per_page=20");
    ASSERT_EQ(r.status, 200);
    const nlohmann::json j = nlohmann::json::parse(r.body);
    for (const auto& h : j["hits"]) passages.push_back(h["url"].get<std::string>());
    ASSERT_FALSE(passages.empty()) << r.body.substr(0, 300);
  }
  std::vector<std::string> targets;
  for (const char* q :
       {"kompetensförsörjning", "kollektivtrafik", "bostäder", "klimat", "näringsliv",
        "\"hela regionen\"", "skola ELLER utbildning", "kollektivtrafik INTE buss"}) {
    targets.push_back("/?q=" + UrlEncode(q));
    targets.push_back("/api/search?q=" + UrlEncode(q) + "&per_document=1");
    targets.push_back("/api/facets?q=" + UrlEncode(q) + "&kind=seminar");
    targets.push_back("/?q=" + UrlEncode(q) + "&page=2&region=Skaraborg");
  }
  for (const std::string& p : passages) targets.push_back(p);
  targets.push_back("/");
  targets.push_back("/static/samrad.css");

  int seconds = 10;
  if (const char* env = std::getenv("SAMRAD_SERVE_LOAD_SECONDS"))
    seconds = std::max(1, std::atoi(env));
  constexpr int kClients = 50;
  constexpr long kMaxRequests = 2'000'000;  // a bound besides the clock
  std::atomic<long> ok{0}, failed{0}, issued{0};
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::vector<std::string> failures;
  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = start + std::chrono::seconds(seconds);

  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_connection_timeout(10);
      client.set_read_timeout(60);
      std::vector<double> mine;
      for (size_t i = static_cast<size_t>(c); Clock::now() < deadline && issued++ < kMaxRequests;
           ++i) {
        const std::string& target = targets[i % targets.size()];
        const Clock::time_point t0 = Clock::now();
        httplib::Result r = client.Get(target.c_str());
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (r && r->status == 200 && !r->body.empty()) {
          ++ok;
        } else {
          ++failed;
          std::lock_guard<std::mutex> lock(mutex);
          if (failures.size() < 10) {
            failures.push_back(target + " -> " +
                               (r ? std::to_string(r->status) : httplib::to_string(r.error())));
          }
        }
      }
      std::lock_guard<std::mutex> lock(mutex);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (std::thread& t : clients) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto pct = [&](double p) {
    return latencies_ms.empty() ? 0.0
                                : latencies_ms[static_cast<size_t>(p * (latencies_ms.size() - 1))];
  };
  std::cout << "serve load: " << kClients << " clients, " << elapsed << " s, " << ok + failed
            << " requests, " << static_cast<long>((ok + failed) / elapsed) << " req/s, p50 "
            << pct(0.5) << " ms, p99 " << pct(0.99) << " ms, max " << pct(1.0) << " ms, " << failed
            << " failed\n";
  for (const std::string& f : failures) std::cout << "  failed: " << f << "\n";
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(ok.load(), kClients);
}

}  // namespace
}  // namespace samrad::serve
