// `samrad serve` over HTTP: the page, the API, escaping, errors, reports,
// reopening after a publish, and the request log.
#include "serve/serve.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/publish.h"
#include "serve/internal.h"
#include "tests/serve/serve_testing.h"

namespace samrad::serve {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using internal::UrlEncode;
using testing::Response;

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(fx_.built());
    ASSERT_OK(fx_.Start(Options()));
  }
  virtual ServeOptions Options() { return {}; }

  Response Get(const std::string& target) { return fx_.Get(target); }
  Json GetJson(const std::string& target, int expect_status = 200) {
    Response r = Get(target);
    EXPECT_EQ(r.status, expect_status) << target << "\n" << r.body.substr(0, 500);
    EXPECT_EQ(r.Header("Content-Type"), "application/json; charset=utf-8") << target;
    Json j = Json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body.substr(0, 500);
    return j;
  }
  static void ExpectSecurityHeaders(const Response& r, const std::string& what) {
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << what;
    EXPECT_EQ(r.Header("Content-Security-Policy").rfind("default-src 'self'", 0), 0u) << what;
    EXPECT_EQ(r.Header("Referrer-Policy"), "no-referrer") << what;
  }

  testing::ServeFixture fx_;
};

TEST_F(ServeTest, StartPageIsSwedishAccessibleAndSafe) {
  Response r = Get("/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type"), "text/html; charset=utf-8");
  ExpectSecurityHeaders(r, "/");
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  EXPECT_NE(r.body.find("<html lang=\"sv\">"), std::string::npos);
  EXPECT_NE(r.body.find("<label for=\"q\">Sök i det som sagts</label>"), std::string::npos);
  EXPECT_NE(r.body.find("<form id=\"search-form\" method=\"get\" action=\"/\""), std::string::npos);
  // Filters with the framework's area names, and counts.
  for (const char* legend :
       {"Strategiområde", "Aktörsgrupp", "Delregion", "Typ av underlag", "Datum"}) {
    EXPECT_NE(r.body.find(std::string("<legend>") + legend + "</legend>"), std::string::npos)
        << legend;
  }
  EXPECT_NE(r.body.find("En ledande kunskapsregion"), std::string::npos);
  EXPECT_NE(r.body.find("class=\"count\""), std::string::npos);
  EXPECT_NE(r.body.find("En träff per dokument"), std::string::npos);
  // No inline script: the CSP would block it, and the page must not need it.
  EXPECT_EQ(r.body.find("<script>"), std::string::npos);
  EXPECT_EQ(r.body.find(" onclick="), std::string::npos);
}

TEST_F(ServeTest, SearchPageShowsHighlightedHitsWithCitationsAndAreas) {
  Response r = Get("/?q=" + UrlEncode("kompetensförsörjning"));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<mark>"), std::string::npos);
  EXPECT_NE(r.body.find("<ol class=\"hits\">"), std::string::npos);
  EXPECT_NE(r.body.find("class=\"org\""), std::string::npos);
  EXPECT_NE(r.body.find("<time datetime=\"20"), std::string::npos);
  EXPECT_NE(r.body.find("aria-label=\"Strategiområden och tema\""), std::string::npos);
  EXPECT_NE(r.body.find(" träffar</p>"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/passage/"), std::string::npos);
  // The query is echoed into the box.
  EXPECT_NE(r.body.find("value=\"kompetensförsörjning\""), std::string::npos);
}

TEST_F(ServeTest, ApiSearchAnswersWithHitsFacetsAndPaging) {
  Json j = GetJson("/api/search?q=" + UrlEncode("kompetensförsörjning") + "&per_page=3");
  ASSERT_TRUE(j.contains("hits"));
  EXPECT_EQ(j["query"]["q"], "kompetensförsörjning");
  EXPECT_GT(j["total"].get<int>(), 3);
  EXPECT_EQ(j["hits"].size(), 3u);
  EXPECT_EQ(j["per_page"], 3);
  EXPECT_GE(j["pages"].get<int>(), 2);
  const Json& h = j["hits"][0];
  EXPECT_EQ(h["rank"], 1);
  for (const char* k :
       {"passage_id", "url", "snippet_html", "snippet", "text", "areas", "citation"}) {
    EXPECT_TRUE(h.contains(k)) << k;
  }
  for (const char* k : {"doc_id", "title", "organisation", "date", "kind", "where"}) {
    EXPECT_TRUE(h["citation"].contains(k)) << k;
  }
  for (const char* k : {"area", "theme", "actor", "region", "kind", "year"}) {
    EXPECT_TRUE(j["facets"].contains(k)) << k;
  }
  ASSERT_FALSE(j["facets"]["area"].empty());
  EXPECT_TRUE(j["facets"]["area"][0].contains("label"));
  ASSERT_FALSE(j["facets"]["year"].empty());

  Json page2 = GetJson("/api/search?q=" + UrlEncode("kompetensförsörjning") + "&per_page=3&page=2");
  ASSERT_FALSE(page2["hits"].empty());
  EXPECT_EQ(page2["hits"][0]["rank"], 4);
  EXPECT_NE(page2["hits"][0]["passage_id"], h["passage_id"]);
}

TEST_F(ServeTest, FilterKeepsTheOtherValuesOfItsOwnFacet) {
  Json all = GetJson("/api/search?q=" + UrlEncode("kompetensförsörjning"));
  Json filtered = GetJson("/api/search?q=" + UrlEncode("kompetensförsörjning") + "&kind=remiss");
  EXPECT_LT(filtered["total"].get<int>(), all["total"].get<int>());
  for (const Json& h : filtered["hits"]) EXPECT_EQ(h["citation"]["kind"], "remiss");
  // The kind facet still offers "seminar" with its count, and marks remiss.
  std::set<std::string> kinds;
  for (const Json& v : filtered["facets"]["kind"]) {
    kinds.insert(v["value"].get<std::string>());
    EXPECT_EQ(v["selected"].get<bool>(), v["value"] == "remiss") << v.dump();
  }
  EXPECT_TRUE(kinds.count("seminar")) << filtered["facets"]["kind"].dump();
  EXPECT_TRUE(kinds.count("remiss"));
  // The page lists the filter in force with a link that removes it.
  Response page = Get("/?q=" + UrlEncode("kompetensförsörjning") + "&kind=remiss");
  EXPECT_NE(
      page.body.find(
          "<ul class=\"active-filters\" aria-label=\"Valda filter\"><li>Typ av underlag: Remissvar "
          "<a href=\"/?q=" +
          UrlEncode("kompetensförsörjning") + "\""),
      std::string::npos);
  EXPECT_NE(page.body.find("name=\"kind\" value=\"remiss\" checked"), std::string::npos);
  // A date range filters too.
  Json dated = GetJson("/api/search?q=" + UrlEncode("kompetensförsörjning") +
                       "&from=2020-01-01&to=2020-12-31");
  for (const Json& h : dated["hits"])
    EXPECT_EQ(h["citation"]["date"].get<std::string>().substr(0, 4), "2020");
  for (const Json& y : dated["facets"]["year"]) {
    EXPECT_EQ(y["selected"].get<bool>(), y["year"] == 2020) << y.dump();
  }
}

TEST_F(ServeTest, OneHitPerDocument) {
  Json j =
      GetJson("/api/search?q=" + UrlEncode("kompetensförsörjning") + "&per_document=1&per_page=50");
  std::set<std::string> docs;
  for (const Json& h : j["hits"]) {
    EXPECT_TRUE(docs.insert(h["citation"]["doc_id"].get<std::string>()).second)
        << h["citation"]["doc_id"];
  }
  EXPECT_GT(docs.size(), 1u);
  Response page = Get("/?q=" + UrlEncode("kompetensförsörjning") + "&per_document=1");
  EXPECT_NE(page.body.find("(en per dokument)"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"per_document\" name=\"per_document\" value=\"1\" checked"),
            std::string::npos);
}

TEST_F(ServeTest, FacetsEndpointHasNoHits) {
  Json j = GetJson("/api/facets?q=" + UrlEncode("kollektivtrafik"));
  EXPECT_FALSE(j.contains("hits"));
  EXPECT_GT(j["total"].get<int>(), 0);
  EXPECT_TRUE(j["facets"].contains("area"));
}

TEST_F(ServeTest, SpellingSuggestionIsALink) {
  Json j = GetJson("/api/search?q=" + UrlEncode("kollektivtrafikn"));
  const std::string corrected = j["corrected_query"].get<std::string>();
  ASSERT_FALSE(corrected.empty());
  Response page = Get("/?q=" + UrlEncode("kollektivtrafikn"));
  EXPECT_NE(page.body.find("Menade du <a href=\"/?q=" + UrlEncode(corrected) +
                           "\" id=\"forslag\">" + corrected + "</a>?"),
            std::string::npos)
      << page.body;
}

TEST_F(ServeTest, PassageViewShowsTheDocumentAroundIt) {
  Json j = GetJson("/api/search?q=" + UrlEncode("kompetensförsörjning") + "&per_page=1");
  ASSERT_EQ(j["hits"].size(), 1u);
  const std::string id = j["hits"][0]["passage_id"];
  const std::string url = j["hits"][0]["url"];
  Json p = GetJson("/api" + url);
  EXPECT_EQ(p["passage"]["passage_id"], id);
  int current = 0;
  for (const Json& c : p["context"]) current += c["current"].get<bool>() ? 1 : 0;
  EXPECT_EQ(current, 1);
  EXPECT_GT(p["context"].size(), 1u);

  Response page = Get(url + "?q=" + UrlEncode("kompetensförsörjning") + "&kind=seminar");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<section id=\"stycke\" class=\"current\" aria-current=\"true\">"),
            std::string::npos);
  EXPECT_NE(page.body.find("I sitt sammanhang"), std::string::npos);
  // The link back keeps the search.
  EXPECT_NE(page.body.find("<a href=\"/?q=" + UrlEncode("kompetensförsörjning") +
                           "&amp;kind=seminar\" id=\"tillbaka\">← Tillbaka till träffarna</a>"),
            std::string::npos);
}

// Regression for issue 10: document text with markup is shown as text.
TEST_F(ServeTest, PassageWithScriptIsEscapedEverywhere) {
  Response r = Get("/?q=" + UrlEncode("informationssäkerhet"));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Föreningen &lt;i&gt;Säker&lt;/i&gt; Webb"), std::string::npos);
  EXPECT_NE(r.body.find("Yttrande med &lt;b&gt;taggar&lt;/b&gt; &amp; &quot;citat&quot;"),
            std::string::npos);
  EXPECT_EQ(r.body.find("<script>alert"), std::string::npos);
  EXPECT_EQ(r.body.find("<img src=x"), std::string::npos);
  EXPECT_EQ(r.body.find("<i>Säker"), std::string::npos);
  EXPECT_EQ(r.body.find("<b>taggar"), std::string::npos);
  // The snippet is Xapian's escaping, not ours twice over.
  EXPECT_EQ(r.body.find("&amp;lt;"), std::string::npos);

  Json j = GetJson("/api/search?q=" + UrlEncode("skadlig kod"));
  ASSERT_FALSE(j["hits"].empty());
  EXPECT_NE(j["hits"][0]["text"].get<std::string>().find("<script>alert('xss')</script>"),
            std::string::npos);
  const std::string snippet_html = j["hits"][0]["snippet_html"];
  EXPECT_EQ(snippet_html.find("<script"), std::string::npos) << snippet_html;
  EXPECT_NE(snippet_html.find("&lt;script&gt;"), std::string::npos) << snippet_html;

  Response passage = Get(j["hits"][0]["url"].get<std::string>());
  ASSERT_EQ(passage.status, 200);
  EXPECT_EQ(passage.body.find("<script>alert"), std::string::npos);
  EXPECT_EQ(passage.body.find("<img src=x"), std::string::npos);
  EXPECT_NE(passage.body.find("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;"),
            std::string::npos);
  EXPECT_NE(passage.body.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
}

// Regression for issue 10: parameters are echoed escaped.
TEST_F(ServeTest, QueryWithAttributeBreakoutIsEscaped) {
  const std::string attack = "\"><img src=x onerror=alert(1)>";
  for (const std::string& target :
       {"/?q=" + UrlEncode(attack), "/?q=ok&actor=" + UrlEncode(attack),
        "/?q=ok&region=" + UrlEncode(attack),
        "/passage/remiss/r90-xss.txt%230001?q=" + UrlEncode(attack),
        "/?" + UrlEncode(attack) + "=1", "/?q=" + UrlEncode(attack + " \"")}) {
    Response r = Get(target);
    EXPECT_TRUE(r.status == 200 || r.status == 400 || r.status == 404) << target << " " << r.status;
    EXPECT_EQ(r.body.find("<img"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("onerror=alert(1)>"), std::string::npos) << target;
  }
  Response r = Get("/?q=" + UrlEncode(attack));
  EXPECT_NE(r.body.find("value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""),
            std::string::npos);
  EXPECT_NE(r.body.find("<title>&quot;&gt;&lt;img"), std::string::npos);
  // One quote is an unbalanced phrase: the page keeps the form and says so.
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("id=\"search-form\""), std::string::npos);
  Json error = GetJson("/api/search?q=" + UrlEncode(attack), 400);
  EXPECT_EQ(error["error"]["status"], 400);
  // Balanced, it is searched, and echoed in JSON as data (served with nosniff).
  const std::string balanced = attack + "\"";
  Json j = GetJson("/api/search?q=" + UrlEncode(balanced));
  EXPECT_EQ(j["query"]["q"], balanced);
  Response page = Get("/?q=" + UrlEncode(balanced));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<img"), std::string::npos);
  EXPECT_NE(page.body.find("value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&quot;\""),
            std::string::npos);
}

TEST_F(ServeTest, BadParametersAre400WithAMessage) {
  for (const char* target :
       {"/?page=0", "/?page=abc", "/?per_page=5000", "/?from=2019-13-01",
        "/?from=2020-01-01&to=2019-01-01", "/?q=a&q=b", "/?bogus=1", "/?q=%ff", "/?q=a%00b",
        "/?theme=abc", "/?area=finns-inte", "/?per_document=kanske", "/?q=%22obalanserad",
        "/?q=falt:x", "/passage/x?page=0"}) {
    Response r = Get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(r.Header("Content-Type"), "text/html; charset=utf-8") << target;
    EXPECT_NE(r.body.find("class=\"error\""), std::string::npos) << target;
    EXPECT_NE(r.body.find("lang=\"sv\""), std::string::npos) << target;
    ExpectSecurityHeaders(r, target);
  }
  // A query the index cannot take keeps the form, with the reason.
  Response quote = Get("/?q=%22obalanserad");
  EXPECT_NE(quote.body.find("citattecken"), std::string::npos);
  EXPECT_NE(quote.body.find("id=\"search-form\""), std::string::npos);
  Response longq = Get("/?q=" + std::string(1001, 'a'));
  EXPECT_EQ(longq.status, 400);
  EXPECT_NE(longq.body.find("för lång"), std::string::npos);

  Json j = GetJson("/api/search?per_page=0", 400);
  EXPECT_EQ(j["error"]["status"], 400);
  EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
  GetJson("/api/facets?from=igår", 400);
  GetJson("/api/search?q=%22x", 400);
}

TEST_F(ServeTest, UnknownPathsAre404AndOtherMethods405) {
  for (const char* target : {"/finns-inte", "/static/annat.js", "/passage/", "/api/finns-inte",
                             "/passage/remiss/finns-inte.md%230001", "/reports/finns-inte.html"}) {
    Response r = Get(target);
    EXPECT_EQ(r.status, 404) << target;
    ExpectSecurityHeaders(r, target);
  }
  EXPECT_NE(Get("/finns-inte").body.find("Sidan finns inte"), std::string::npos);
  Json j = GetJson("/api/passage/finns-inte", 404);
  EXPECT_EQ(j["error"]["status"], 404);
  Json k = GetJson("/api/finns-inte", 404);
  EXPECT_EQ(k["error"]["status"], 404);
  Response post = testing::RawRequest(fx_.port(), "/", "POST");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("Allow"), "GET, HEAD");
  Response head = testing::RawRequest(fx_.port(), "/?q=bostad", "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(ServeTest, ReportsAreServedAndTraversalIsRefused) {
  const fs::path reports = PublishedDir(fx_.state()) / "reports";
  fs::create_directories(reports / "omraden");
  std::ofstream(reports / "index.html")
      << "<!DOCTYPE html><title>Rapporter</title><h1>Temarapporter</h1>";
  std::ofstream(reports / "omraden" / "test.md") << "# Test\n";
  std::ofstream(fx_.state() / "secret.txt") << "HEMLIGT-INNEHALL";
  std::ofstream(fs::canonical(reports).parent_path() / "secret.txt") << "HEMLIGT-INNEHALL";
  fs::create_symlink(fx_.state() / "secret.txt", reports / "ut.txt");

  Response index = Get("/reports/");
  ASSERT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("Temarapporter"), std::string::npos);
  EXPECT_EQ(index.Header("Content-Type"), "text/html; charset=utf-8");
  ExpectSecurityHeaders(index, "/reports/");
  EXPECT_NE(index.Header("Content-Security-Policy").find("script-src 'none'"), std::string::npos);
  EXPECT_EQ(Get("/reports").status, 301);
  Response md = Get("/reports/omraden/test.md");
  EXPECT_EQ(md.status, 200);
  EXPECT_EQ(md.Header("Content-Type"), "text/markdown; charset=utf-8");

  for (const char* target :
       {"/reports/../secret.txt", "/reports/../../secret.txt", "/reports/%2e%2e/secret.txt",
        "/reports/%2E%2E/%2E%2E/secret.txt", "/reports/..%2fsecret.txt",
        "/reports/%2e%2e%2fsecret.txt", "/reports/omraden/../../secret.txt", "/reports//etc/passwd",
        "/reports/%2fetc%2fpasswd", "/reports/ut.txt", "/reports/..%5csecret.txt",
        "/reports/%252e%252e/secret.txt", "/reports/./index.html", "/reports/index.html%00.md",
        "/reports/../../../../../../etc/passwd"}) {
    Response r = Get(target);
    EXPECT_TRUE(r.status == 400 || r.status == 404) << target << " " << r.status;
    EXPECT_EQ(r.body.find("HEMLIGT"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
  }
}

TEST_F(ServeTest, RequestLogLeavesQueriesOut) {
  Get("/?q=hemligtord");
  Get("/api/search?q=hemligtord");
  fx_.server().Stop();
  const std::vector<std::string> logs = fx_.logs();
  ASSERT_GE(logs.size(), 2u);
  bool saw_api = false;
  for (const std::string& l : logs) {
    EXPECT_EQ(l.find("hemligtord"), std::string::npos) << l;
    saw_api = saw_api || l.find(" GET /api/search 200 ") != std::string::npos;
  }
  EXPECT_TRUE(saw_api);
}

class ServeLogQueriesTest : public ServeTest {
  ServeOptions Options() override {
    ServeOptions o;
    o.log_queries = true;
    return o;
  }
};

TEST_F(ServeLogQueriesTest, LogsQueriesWhenAsked) {
  Get("/api/search?q=synligtord");
  fx_.server().Stop();
  bool found = false;
  for (const std::string& l : fx_.logs())
    found = found || l.find("/api/search?q=synligtord 200") != std::string::npos;
  EXPECT_TRUE(found);
}

TEST_F(ServeTest, ReopensWhenANewGenerationIsPublished) {
  const std::string word = "zebrakorsningarna";
  Json before = GetJson("/api/search?q=" + word);
  EXPECT_EQ(before["total"], 0);
  const fs::path gen_before = CurrentGeneration(fx_.state());

  testing::WriteDocument(
      fx_.corpus(), "remiss/r91-ny.txt",
      "Nytt yttrande\n\nVi vill ha säkrare zebrakorsningarna vid skolorna i Tidaholm och "
      "fler cykelbanor mellan tätorterna.\n",
      "remiss", "Ett nytt remissvar", "2020-05-20", "Tidaholms kommun", "kommun", "Skaraborg");
  // Planners keep searching while the nightly job publishes.
  std::atomic<bool> done{false};
  std::atomic<int> requests{0}, failures{0};
  std::thread client([&] {
    while (!done) {
      Response r =
          testing::RawRequest(fx_.port(), "/api/search?q=" + UrlEncode("kompetensförsörjning"));
      ++requests;
      if (r.status != 200) ++failures;
    }
  });
  Status run = testing::RunPipeline(fx_.corpus(), fx_.state());
  // A few more requests on the new generation.
  const int seen = requests.load();
  while (requests.load() < seen + 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  done = true;
  client.join();
  ASSERT_OK(run);
  EXPECT_NE(CurrentGeneration(fx_.state()), gen_before);
  EXPECT_EQ(failures.load(), 0) << "of " << requests.load();

  Json after = GetJson("/api/search?q=" + word);
  EXPECT_GT(after["total"].get<int>(), 0);
  Response page = Get("/?q=" + word);
  EXPECT_NE(page.body.find("Tidaholms kommun"), std::string::npos);
}

TEST(ServeNothingPublished, AnswersServiceUnavailableUntilARunPublishes) {
  samrad::testing::TempDir dir;
  ServeOptions o;
  o.state_dir = dir.path();
  o.port = 0;
  o.log = [](std::string_view) {};
  auto server = Server::Create(o, testing::SharedAnalyzer());
  ASSERT_OK(server.status());
  ASSERT_OK((*server)->Start());
  Response r = testing::RawRequest((*server)->port(), "/?q=bostad");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("inget publicerat sökindex"), std::string::npos);
  EXPECT_EQ(testing::RawRequest((*server)->port(), "/api/search?q=bostad").status, 503);
  EXPECT_EQ(testing::RawRequest((*server)->port(), "/reports/").status, 404);
  EXPECT_EQ(testing::RawRequest((*server)->port(), "/static/samrad.css").status, 200);
  (*server)->Stop();
  (*server)->Stop();  // twice is fine
}

TEST(ServeOptionsCheck, RefusesBadOptionsAndBindsLoopbackByDefault) {
  EXPECT_EQ(ServeOptions{}.host, "127.0.0.1");
  samrad::testing::TempDir dir;
  ServeOptions o;
  o.state_dir = dir.path() / "finns-inte";
  EXPECT_FALSE(Server::Create(o, testing::SharedAnalyzer()).ok());
  o.state_dir = dir.path();
  o.workers = 0;
  EXPECT_FALSE(Server::Create(o, testing::SharedAnalyzer()).ok());
  o.workers = 2;
  o.max_query_bytes = 5000;
  EXPECT_FALSE(Server::Create(o, testing::SharedAnalyzer()).ok());
  // A port that is taken is an error naming it.
  o.max_query_bytes = 100;
  o.port = 0;
  o.log = [](std::string_view) {};
  auto first = Server::Create(o, testing::SharedAnalyzer());
  ASSERT_OK(first.status());
  ASSERT_OK((*first)->Start());
  o.port = (*first)->port();
  auto second = Server::Create(o, testing::SharedAnalyzer());
  ASSERT_OK(second.status());
  Status s = (*second)->Start();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(std::to_string(o.port)), std::string::npos);
}

}  // namespace
}  // namespace samrad::serve
