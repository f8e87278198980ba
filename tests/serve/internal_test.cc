// The pure parts of the server: escaping, parameters, report paths.
#include "serve/internal.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/testing.h"

namespace samrad::serve::internal {
namespace {

namespace fs = std::filesystem;

TEST(HtmlEscape, EscapesEveryMarkupCharacter) {
  const struct {
    const char* in;
    const char* out;
  } kCases[] = {
      {"", ""},
      {"kompetensförsörjning", "kompetensförsörjning"},
      {"<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"},
      {"\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"},
      {"a & b &amp;", "a &amp; b &amp;amp;"},
  };
  for (const auto& c : kCases) EXPECT_EQ(HtmlEscape(c.in), c.out) << c.in;
}

TEST(UrlEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(UrlEncode("a b&c=d"), "a%20b%26c%3Dd");
  EXPECT_EQ(UrlEncode("å"), "%C3%A5");
  EXPECT_EQ(UrlEncode("seminar/s01.md#0007"), "seminar%2Fs01.md%230007");
  EXPECT_EQ(UrlEncode("seminar/s01.md#0007", true), "seminar/s01.md%230007");
  EXPECT_EQ(UrlEncode("\"><"), "%22%3E%3C");
}

TEST(IsValidUtf8, RefusesMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8("räksmörgås €𝄞"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

TEST(SwedishDate, WritesTheMonthInSwedish) {
  EXPECT_EQ(SwedishDate("2019-04-24"), "24 april 2019");
  EXPECT_EQ(SwedishDate("2020-03-01"), "1 mars 2020");
  EXPECT_EQ(SwedishDate("okänt"), "okänt");
  EXPECT_TRUE(IsIsoDate("2020-02-29"));
  EXPECT_FALSE(IsIsoDate("2019-02-29"));
  EXPECT_FALSE(IsIsoDate("2019-13-01"));
  EXPECT_FALSE(IsIsoDate("2019-4-1"));
}

using Raw = std::multimap<std::string, std::string>;

TEST(ParseParams, ReadsEveryParameter) {
  Result<Params> p = ParseParams(Raw{{"q", "bostäder\tSkaraborg"},
                                     {"area", "kunskapsregion"},
                                     {"area", "matchning"},
                                     {"area", "matchning"},
                                     {"theme", "2"},
                                     {"actor", "kommun"},
                                     {"region", "hela regionen"},
                                     {"kind", "remiss"},
                                     {"kind", ""},
                                     {"from", "2019-01-01"},
                                     {"to", "2020-12-31"},
                                     {"per_document", "1"},
                                     {"page", "3"},
                                     {"per_page", "20"}},
                                 ParamLimits{});
  ASSERT_OK(p.status());
  EXPECT_EQ(p->q, "bostäder Skaraborg");
  EXPECT_EQ(p->areas, (std::vector<std::string>{"kunskapsregion", "matchning"}));
  EXPECT_EQ(p->themes, std::vector<std::string>{"2"});
  EXPECT_EQ(p->kinds, std::vector<std::string>{"remiss"});
  EXPECT_TRUE(p->per_document);
  EXPECT_EQ(p->page, 3);
  EXPECT_EQ(p->per_page, 20);
  EXPECT_EQ(p->ToQueryString(),
            "q=bost%C3%A4der%20Skaraborg&area=kunskapsregion&area=matchning&theme=2&actor=kommun&"
            "region=hela%20regionen&kind=remiss&from=2019-01-01&to=2020-12-31&per_document=1&page="
            "3&per_page=20");
  EXPECT_FALSE(p->Empty());
  EXPECT_TRUE(ParseParams(Raw{{"q", "  "}}, ParamLimits{})->Empty());
}

TEST(ParseParams, RefusesBadParametersWithASwedishMessage) {
  const struct {
    Raw raw;
    const char* message_part;
  } kCases[] = {
      {{{"page", "0"}}, "page"},
      {{{"page", "abc"}}, "heltal"},
      {{{"page", "2x"}}, "heltal"},
      {{{"per_page", "1000"}}, "per_page"},
      {{{"page", "5000"}, {"per_page", "100"}}, "bläddra"},
      {{{"from", "2019-13-01"}}, "ÅÅÅÅ-MM-DD"},
      {{{"to", "igår"}}, "ÅÅÅÅ-MM-DD"},
      {{{"from", "2020-01-01"}, {"to", "2019-01-01"}}, "efter"},
      {{{"q", "a"}, {"q", "b"}}, "en gång"},
      {{{"q", std::string(1001, 'a')}}, "för lång"},
      {{{"q", "ok\xff"}}, "UTF-8"},
      {{{"q", std::string("nul\0x", 5)}}, "otillåtna"},
      {{{"actor", std::string(201, 'a')}}, "för långt"},
      {{{"theme", "två"}}, "Tema"},
      {{{"per_document", "kanske"}}, "per_document"},
      {{{"bogus", "1"}}, "Okänd parameter: bogus"},
      {{{"\"><img src=x>", "1"}}, "Okänd parameter"},
  };
  for (const auto& c : kCases) {
    Result<Params> p = ParseParams(c.raw, ParamLimits{});
    ASSERT_FALSE(p.ok()) << c.message_part;
    EXPECT_EQ(p.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(p.status().message().find(c.message_part), std::string::npos) << p.status().message();
  }
}

class ResolveReportPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() / "published" / "reports";
    fs::create_directories(root_ / "omraden");
    std::ofstream(root_ / "index.html") << "<h1>Rapporter</h1>";
    std::ofstream(root_ / "omraden" / "index.html") << "områden";
    std::ofstream(root_ / "omraden" / "kunskapsregion.md") << "# Kunskapsregion";
    std::ofstream(dir_.path() / "secret.txt") << "hemligt";
    fs::create_directories(dir_.path() / "published" / "reports-old");
    std::ofstream(dir_.path() / "published" / "reports-old" / "x.html") << "gammalt";
    fs::create_symlink(dir_.path() / "secret.txt", root_ / "link-out.txt");
    fs::create_directory_symlink(dir_.path(), root_ / "dir-out");
    fs::create_symlink("omraden/kunskapsregion.md", root_ / "link-in.md");
  }
  Result<fs::path> Resolve(std::string_view raw, std::string_view decoded) {
    return ResolveReportPath(root_, raw, decoded);
  }
  samrad::testing::TempDir dir_;
  fs::path root_;
};

TEST_F(ResolveReportPathTest, ServesFilesAndDirectoryIndexes) {
  EXPECT_EQ(Resolve("", "").value_or({}).filename(), "index.html");
  EXPECT_EQ(Resolve("omraden/", "omraden/").value_or({}),
            fs::canonical(root_ / "omraden/index.html"));
  EXPECT_EQ(Resolve("omraden", "omraden").value_or({}),
            fs::canonical(root_ / "omraden/index.html"));
  EXPECT_EQ(
      Resolve("omraden/kunskapsregion.md", "omraden/kunskapsregion.md").value_or({}).filename(),
      "kunskapsregion.md");
  // A symlink that stays inside is fine.
  EXPECT_TRUE(Resolve("link-in.md", "link-in.md").ok());
}

TEST_F(ResolveReportPathTest, RefusesEveryWayOut) {
  const struct {
    const char* raw;
    const char* decoded;
  } kCases[] = {
      {"../secret.txt", "../secret.txt"},
      {"omraden/../../secret.txt", "omraden/../../secret.txt"},
      {"%2e%2e/secret.txt", "../secret.txt"},
      {"%2E%2E/secret.txt", "../secret.txt"},
      {"..%2fsecret.txt", "../secret.txt"},
      {"%2e%2e%2f%2e%2e%2fsecret.txt", "../../secret.txt"},
      {"..%5csecret.txt", "..\\secret.txt"},
      {"/etc/passwd", "/etc/passwd"},
      {"./index.html", "./index.html"},
      {"omraden//index.html", "omraden//index.html"},
      {"index.html%00.md", std::string_view("index.html\0.md", 14).data()},
      {"link-out.txt", "link-out.txt"},
      {"dir-out/secret.txt", "dir-out/secret.txt"},
      {"../reports-old/x.html", "../reports-old/x.html"},
      {"nonexistent.html", "nonexistent.html"},
  };
  for (const auto& c : kCases) {
    Result<fs::path> p = Resolve(c.raw, c.decoded);
    EXPECT_FALSE(p.ok()) << c.raw << " -> " << p.value_or({}).string();
  }
  // The NUL case with its real decoded form.
  EXPECT_FALSE(Resolve("index.html%00.md", std::string_view("index.html\0.md", 14)).ok());
}

TEST(ContentTypeFor, KnowsTheReportFormats) {
  EXPECT_EQ(ContentTypeFor("a/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a/b.MD"), "text/markdown; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a/b.json"), "application/json; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a/b"), "application/octet-stream");
}

}  // namespace
}  // namespace samrad::serve::internal
