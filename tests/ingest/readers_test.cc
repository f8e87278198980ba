// The format readers, through ParseDocument.
#include <gtest/gtest.h>

#include "ingest/ingest.h"
#include "tests/ingest/ingest_testing.h"

namespace samrad::ingest {
namespace {

using testing::Parse;

std::vector<std::string> Texts(const ParsedDocument& doc) {
  std::vector<std::string> out;
  for (const Passage& p : doc.passages) out.push_back(p.text);
  return out;
}

const char kPage[] = R"(<!DOCTYPE html>
<html lang="sv"><head><title>Remissvar | Testbolaget</title>
<style>body { color: red; }</style>
<script>var cookies = "acceptera";</script></head>
<body>
<nav><a href="/">Startsida</a> <a href="/om">Om oss</a></nav>
<main>
<article>
<h1>Yttrande &ouml;ver f&ouml;rslaget</h1>
<p>Vi ser positivt p&aring; f&ouml;rslaget &ndash; och p&aring; 13&nbsp;kommuners arbete &amp; engagemang.</p>
<h2>Kompetens</h2>
<p>Företagen saknar <b>rätt</b> kompetens.<br>Ny rad efter br.</p>
<ul><li>Fler yrkesutbildningar.</li><li>Snabbare validering.</li></ul>
<h2>Kontakt</h2>
<ul><li>Patrik Oscarsson, vd, 031-367 61 00, patrik.oscarsson@testbolaget.se</li></ul>
</article>
</main>
<footer><p>Vi använder kakor. Telefon växel 031-367 61 00</p></footer>
</body></html>
)";

TEST(Readers, HtmlKeepsTheAnswerAndDropsTheRest) {
  const ParsedDocument doc = Parse(kPage, "html", "remiss");
  EXPECT_EQ(Texts(doc),
            (std::vector<std::string>{
                "Vi ser positivt på förslaget – och på 13 kommuners arbete & engagemang.",
                "Företagen saknar rätt kompetens.",
                "Ny rad efter br.",
                "Fler yrkesutbildningar.",
                "Snabbare validering.",
                "[namn], vd, [telefon], [e-post]",
            }));
  EXPECT_EQ(doc.title, "Yttrande över förslaget");
  EXPECT_EQ(doc.passages[1].section, "Kompetens");
  EXPECT_EQ(doc.passages[3].type, "list_item");
  EXPECT_EQ(doc.passages[0].locator.line_start, 10);  // a line of the HTML source
}

TEST(Readers, HtmlWithoutMainUsesBody) {
  const ParsedDocument doc =
      Parse("<html><body><h2>Rubrik</h2><p>Text i kroppen.</p><script>x()</script></body></html>",
            "html");
  EXPECT_EQ(Texts(doc), std::vector<std::string>{"Text i kroppen."});
  EXPECT_EQ(doc.passages[0].section, "Rubrik");
}

TEST(Readers, DocxParagraphsHeadingsListsAndTables) {
  const std::string body =
      "<w:p><w:pPr><w:pStyle w:val=\"Rubrik1\"/></w:pPr><w:r><w:t>Yttrande</w:t></w:r></w:p>"
      "<w:p><w:r><w:t xml:space=\"preserve\">Första </w:t></w:r><w:r><w:t>stycket</w:t></w:r>"
      "<w:del><w:r><w:delText>borttaget</w:delText></w:r></w:del><w:r><w:t>.</w:t></w:r></w:p>"
      "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/></w:numPr></w:pPr><w:r><w:t>En "
      "punkt</w:t></w:r></w:p>"
      "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>I en cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
      "<w:p><w:pPr><w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t>Beslut</w:t></w:r></w:p>"
      "<w:p><w:r><w:t>Greta Lindblom, ordförande</w:t></w:r></w:p>"
      "<w:sectPr/>";
  const ParsedDocument doc = Parse(testing::MakeDocx(body), "docx", "remiss");
  EXPECT_EQ(Texts(doc), (std::vector<std::string>{"Första stycket.", "En punkt", "I en cell",
                                                  "[namn], ordförande"}));
  EXPECT_EQ(doc.title, "Yttrande");
  EXPECT_EQ(doc.passages[1].type, "list_item");
  EXPECT_EQ(doc.passages[3].section, "Beslut");
  EXPECT_EQ(doc.encoding, "binary");
}

TEST(Readers, DocxFromPandoc) {
  const ParsedDocument doc =
      Parse(testing::ReadBytes(testing::Testdata("remiss-letter.docx")), "docx", "remiss");
  ASSERT_EQ(doc.passages.size(), 8u);
  EXPECT_EQ(doc.title, "Yttrande över förslag till regional utvecklingsstrategi");
  EXPECT_EQ(doc.passages[3].type, "list_item");
  EXPECT_EQ(doc.passages.back().text,
            "Kontaktperson: [namn], utvecklingsstrateg, [telefon], [e-post]");
}

TEST(Readers, PdfParagraphsAreRebuiltFromLines) {
  const ParsedDocument doc =
      Parse(testing::ReadBytes(testing::Testdata("remiss-letter.pdf")), "pdf", "remiss");
  const std::vector<std::string> texts = Texts(doc);
  ASSERT_EQ(texts.size(), 8u) << ::testing::PrintToString(texts);
  EXPECT_EQ(doc.title, "Yttrande över förslag till regional utvecklingsstrategi");
  // A paragraph that wraps over several lines in the PDF is one passage.
  EXPECT_EQ(texts[1],
            "Testkommunen ställer sig bakom förslaget men saknar en tydlig plan för "
            "kollektivtrafiken på landsbygden, där bussarna i dag går för sällan för att pendling "
            "ska vara ett verkligt alternativ till bilen för de flesta som bor utanför tätorten.");
  EXPECT_EQ(doc.passages[1].section, "Sammanfattning");
  EXPECT_EQ(doc.passages[1].locator.page, 1);
  EXPECT_EQ(doc.passages[3].type, "list_item");
  EXPECT_EQ(texts[3], "Fler turer på kvällar och helger.");
  EXPECT_EQ(texts.back(), "Kontaktperson: [namn], utvecklingsstrateg, [telefon], [e-post]");
}

const char kForm[] = R"({
  "form": "Webbformulär: Remiss regional utvecklingsstrategi 2021–2030",
  "exported": "2020-04-20T09:12:00+02:00",
  "submission": {
    "organisation": "Testföreningen",
    "contact": {"name": "Greta Lindblom", "email": "greta@test.se", "phone": "070-123 45 67"},
    "submitted": "2020-04-17",
    "answers": [
      {"question_id": "q1", "question": "Vad tycker ni om förslaget?", "answer": "Bra, men  tunt."},
      {"question_id": "q2", "question": "Övrigt?", "answer": "Kontakta Greta Lindblom på greta@test.se."},
      {"question_id": "q3", "question": "Tomt?", "answer": ""}
    ]
  }
})";

TEST(Readers, JsonFormAnswersBecomePassages) {
  const ParsedDocument doc = Parse(kForm, "json");
  ASSERT_EQ(doc.passages.size(), 2u);
  EXPECT_EQ(doc.passages[0].type, "answer");
  EXPECT_EQ(doc.passages[0].question, "Vad tycker ni om förslaget?");
  EXPECT_EQ(doc.passages[0].text, "Bra, men tunt.");
  EXPECT_EQ(doc.passages[1].text, "Kontakta [namn] på [e-post].");
  EXPECT_EQ(doc.title, "Webbformulär: Remiss regional utvecklingsstrategi 2021–2030");
  EXPECT_EQ(doc.date, "2020-04-17");
  EXPECT_EQ(doc.organisation, "Testföreningen");
  EXPECT_EQ(doc.redactions,
            (std::map<std::string, int>{{"e-post", 2}, {"namn", 2}, {"telefon", 1}}));
}

TEST(Readers, JsonWithWrongTypesNamesTheField) {
  const struct {
    const char* json;
    const char* message;
  } cases[] = {
      {R"({"submission": {"answers": [{"question": "Q", "answer": 42}]}})",
       "submission.answers[0].answer: expected a string, got number"},
      {R"({"submission": {"answers": {"q": "a"}}})",
       "submission.answers: expected an array, got object"},
      {R"({"submission": {"contact": {"name": ["x"]}, "answers": []}})",
       "submission.contact.name: expected a string, got array"},
      {R"({"form": 1, "submission": {"answers": []}})", "form: expected a string, got number"},
      {R"({"answers": []})", "submission: missing"},
      {R"([1, 2])", "(top level): expected an object, got array"},
      {R"({"submission": )", "not valid JSON: syntax error at byte"},
      // A number too large for a double: nlohmann throws out_of_range, not
      // parse_error (found by the fuzzer; it ended the program).
      {R"({"submission": {"answers": []}, "n": 1111e1111111})", "not valid JSON: a number out of range"},
  };
  for (const auto& c : cases) {
    Result<ParsedDocument> doc = ParseDocument(c.json, "json", "x.json", ParseOptions());
    ASSERT_FALSE(doc.ok()) << c.json;
    EXPECT_NE(doc.status().message().find(c.message), std::string::npos) << doc.status().message();
  }
}

TEST(Readers, DeepNestingDoesNotExhaustTheStack) {
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div><span>";
  html += "djupt";
  Result<ParsedDocument> page = ParseDocument(html, "html", "deep.html", ParseOptions());
  EXPECT_TRUE(page.ok()) << page.status().ToString();

  std::string body;
  for (int i = 0; i < 100000; ++i) body += "<w:sdt><w:sdtContent>";
  body += "<w:p><w:r><w:t>djupt</w:t></w:r></w:p>";
  for (int i = 0; i < 100000; ++i) body += "</w:sdtContent></w:sdt>";
  Result<ParsedDocument> docx =
      ParseDocument(testing::MakeDocx(body), "docx", "deep.docx", ParseOptions());
  EXPECT_TRUE(docx.ok()) << docx.status().ToString();
}

TEST(Readers, UnknownFormatIsRefused) {
  Result<ParsedDocument> doc = ParseDocument("x", "odt", "x.odt", ParseOptions());
  EXPECT_FALSE(doc.ok());
  EXPECT_FALSE(IsSupportedFormat("odt"));
  EXPECT_TRUE(IsSupportedFormat("docx"));
}

}  // namespace
}  // namespace samrad::ingest
