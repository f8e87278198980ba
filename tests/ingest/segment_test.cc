#include "ingest/segment.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/ingest/ingest_testing.h"

namespace samrad::ingest {
namespace {

using testing::Parse;

struct TurnCase {
  const char* paragraph;
  bool is_turn;
  const char* role;
  const char* organisation;
  bool had_name;
};

TEST(Segment, SpeakerLabels) {
  const TurnCase cases[] = {
      {"Kommunchef, Lidköping: Vi behöver fler bostäder.", true, "Kommunchef", "Lidköping", false},
      {"Anna Berg, näringslivsutvecklare, Vänersborgs kommun: Vi ser en ökning.", true,
       "näringslivsutvecklare", "Vänersborgs kommun", true},
      {"Moderator: Välkomna hit.", true, "Moderator", "", false},
      {"Fråga från salen: Hur gör vi?", true, "Fråga från salen", "", false},
      {"Grupp 3 rapporterar: Vi pratade om mat.", true, "Grupp 3 rapporterar", "", false},
      {"Student, Högskolan Väst: Jag pendlar.", true, "Student", "Högskolan Väst", false},
      {"Verksamhetschef, vård och omsorg, Skövde kommun: Text.", true, "Verksamhetschef",
       "vård och omsorg, Skövde kommun", false},
      {"Gunnar Hedlund, tidigare chefredaktör: Text.", true, "tidigare chefredaktör", "", true},
      {"Lars-Göran Wiik: Text.", true, "", "", true},
      {"Studie- och yrkesvägledare, Marks kommun: Text.", true, "Studie- och yrkesvägledare",
       "Marks kommun", false},
      {"Handläggare, enheten för landsbygd: Text.", true, "Handläggare", "enheten för landsbygd",
       false},
      // Not labels.
      {"Handläggare: Petra Wahlgren, utvecklingsstrateg", false, "", "", false},
      {"Datum: 12 februari 2019. Plats: Uddevalla.", false, "", "", false},
      {"Deltagare: ca 45 personer från kommunerna.", false, "", "", false},
      {"Kontaktperson: Sofia Björk, 031-345 67 89", false, "", "", false},
      {"Samtalet visade att kulturen i Sjuhärad står stark där det finns långsiktighet: mer text.",
       false, "", "", false},
      {"Två saker stack ut: pendling och bostäder.", false, "", "", false},
      {"Vi tror t.ex. att: det går.", false, "", "", false},
      {"inte versal: text", false, "", "", false},
      {"Moderator:", false, "", "", false},
  };
  for (const TurnCase& c : cases) {
    const std::optional<SpeakerTurn> turn = ParseSpeakerTurn(c.paragraph);
    ASSERT_EQ(turn.has_value(), c.is_turn) << c.paragraph;
    if (!turn) continue;
    EXPECT_EQ(turn->role, c.role) << c.paragraph;
    EXPECT_EQ(turn->organisation, c.organisation) << c.paragraph;
    EXPECT_EQ(turn->had_name, c.had_name) << c.paragraph;
  }
}

TEST(Segment, CollapseWhitespaceIncludesNbsp) {
  EXPECT_EQ(CollapseWhitespace("  13\xC2\xA0kommuner\n\toch  mer  "), "13 kommuner och mer");
}

TEST(Segment, StripMarkdownInline) {
  EXPECT_EQ(StripMarkdownInline("Det är **viktigt** och *mycket* `kod`"),
            "Det är viktigt och mycket kod");
  EXPECT_EQ(StripMarkdownInline("Se [strategin](https://vgregion.se/rus) här"), "Se strategin här");
  EXPECT_EQ(StripMarkdownInline("3 * 4 och \\*inte\\*"), "3 * 4 och *inte*");
}

TEST(Segment, FindDate) {
  EXPECT_EQ(FindDate("Datum: 12 februari 2019. Plats: Uddevalla"), "2019-02-12");
  EXPECT_EQ(FindDate("Göteborg den 28 april 2020"), "2020-04-28");
  EXPECT_EQ(FindDate("Datum: 2020-04-28"), "2020-04-28");
  EXPECT_EQ(FindDate("RUN 2019-00876 och 2019-13-45"), "");
  EXPECT_EQ(FindDate("den 3 Maj 2019 och 2020-01-01"), "2019-05-03");
}

TEST(Segment, SplitOffsetsNeverCutsBetweenDigits) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "ring 031-345 67 89 ";
  for (size_t max : {40u, 100u, 1000u}) {
    const std::vector<size_t> offsets = SplitOffsets(text, max);
    for (size_t k = 1; k < offsets.size(); ++k) {
      const size_t at = offsets[k];
      EXPECT_LE(at - offsets[k - 1], max);
      EXPECT_FALSE(at > 0 && at < text.size() && std::isdigit(text[at - 2]) &&
                   std::isdigit(text[at]))
          << "cut at " << at << " with max " << max;
    }
  }
}

TEST(Segment, PassageIds) {
  EXPECT_EQ(PassageId("seminar/s01.md", 7), "seminar/s01.md#0007");
  EXPECT_EQ(PassageId("a.md", 12345), "a.md#12345");
}

const char kSeminar[] =
    "# Klimat2030 i Fyrbodal\n"
    "\n"
    "Datum: 14 mars 2019. Plats: Uddevalla.\n"
    "\n"
    "## Samtal\n"
    "\n"
    "Moderator: Välkomna till **samtalet** om  klimatet.\n"
    "\n"
    "Anna Berg, näringslivsutvecklare, Vänersborgs kommun: Vi ser en kraftig ökning av elbehovet.\n"
    "\n"
    "Fråga från salen: Hur ska vi som bor i Bengtsfors kunna ställa bilen?\n"
    "\n"
    "## Medskick\n"
    "\n"
    "- Fler laddplatser längs E6.\n"
    "- Fiber till alla.\n";

TEST(Segment, SeminarNotesBecomeTurnsParagraphsAndListItems) {
  const ParsedDocument doc = Parse(kSeminar, "md", "seminar");
  ASSERT_EQ(doc.passages.size(), 6u);
  EXPECT_EQ(doc.title, "Klimat2030 i Fyrbodal");
  EXPECT_EQ(doc.date, "2019-03-14");

  const Passage& intro = doc.passages[0];
  EXPECT_EQ(intro.type, "paragraph");
  EXPECT_EQ(intro.section, "Klimat2030 i Fyrbodal");
  EXPECT_EQ(intro.locator.line_start, 3);

  const Passage& moderator = doc.passages[1];
  EXPECT_EQ(moderator.type, "turn");
  EXPECT_EQ(moderator.speaker_role, "Moderator");
  EXPECT_EQ(moderator.text, "Välkomna till samtalet om klimatet.");  // markup, spaces gone
  EXPECT_EQ(moderator.section, "Samtal");
  EXPECT_EQ(moderator.id, "test/doc.md#0001");

  const Passage& named = doc.passages[2];
  EXPECT_EQ(named.speaker_role, "näringslivsutvecklare");
  EXPECT_EQ(named.speaker_org, "Vänersborgs kommun");
  EXPECT_EQ(named.text, "Vi ser en kraftig ökning av elbehovet.");
  EXPECT_EQ(doc.redactions.at("namn"), 1);

  EXPECT_EQ(doc.passages[4].type, "list_item");
  EXPECT_EQ(doc.passages[4].text, "Fler laddplatser längs E6.");
  EXPECT_EQ(doc.passages[4].section, "Medskick");
  EXPECT_EQ(doc.passages[4].locator.line_start, 15);

  // The name is nowhere in what would be written.
  for (const Passage& p : doc.passages) {
    EXPECT_EQ(nlohmann::ordered_json(ToJson(p)).dump().find("Anna Berg"), std::string::npos);
  }
}

TEST(Segment, ByteSpansPointIntoTheDecodedText) {
  const std::string text =
      "Rubrik\n\nFörsta stycket här.\n\n"
      "Andra stycket, radbrutet för hand efter ungefär sjuttio tecken som förr,\n"
      "fortsätter på en rad till.\n";
  const ParsedDocument doc = Parse(text, "txt");
  ASSERT_EQ(doc.passages.size(), 2u);
  for (const Passage& p : doc.passages) {
    const std::string slice =
        text.substr(p.locator.byte_start, p.locator.byte_end - p.locator.byte_start);
    EXPECT_EQ(CollapseWhitespace(slice), p.text);
  }
  EXPECT_EQ(doc.passages[0].section, "Rubrik");
  EXPECT_EQ(doc.passages[1].locator.line_start, 5);
  EXPECT_EQ(doc.passages[1].locator.line_end, 6);
}

const char kLetter[] =
    "# Yttrande över förslaget\n"
    "\n"
    "## Synpunkter\n"
    "\n"
    "Moderator: detta är ingen talare i ett remissvar utan en vanlig mening, som är lång nog "
    "att inte ingå i namnteckningen och ska stå kvar.\n"
    "\n"
    "## Beslut\n"
    "\n"
    "Kommunstyrelsen beslutar att anta yttrandet.\n"
    "\n"
    "För Testkommunen\n"
    "\n"
    "Greta Lindblom, kommunstyrelsens ordförande\n"
    "\n"
    "Ingrid Halvarsson\n"
    "\n"
    "Rektor\n"
    "\n"
    "Kontaktperson: Oskar Fält, utvecklingsstrateg, 0510-77 12 34, oskar.falt@testkommun.se\n";

TEST(Segment, LetterSignatureBlocksAreRedacted) {
  const ParsedDocument doc = Parse(kLetter, "md", "remiss");
  std::vector<std::string> texts;
  for (const Passage& p : doc.passages) {
    EXPECT_NE(p.type, "turn") << "no speaker turns in remiss answers";
    texts.push_back(p.text);
  }
  const std::vector<std::string> expected = {
      "Moderator: detta är ingen talare i ett remissvar utan en vanlig mening, som är lång nog "
      "att inte ingå i namnteckningen och ska stå kvar.",
      "Kommunstyrelsen beslutar att anta yttrandet.",
      "För Testkommunen",
      "[namn], kommunstyrelsens ordförande",
      "[namn]",
      "Rektor",
      "Kontaktperson: [namn], utvecklingsstrateg, [telefon], [e-post]"};
  EXPECT_EQ(texts, expected);
  EXPECT_EQ(doc.redactions,
            (std::map<std::string, int>{{"e-post", 1}, {"namn", 3}, {"telefon", 1}}));
}

TEST(Segment, NamesFoundOnceAreRedactedEverywhere) {
  const std::string text =
      "Beslut i ärendet har fattats efter föredragning av strateg Malin Everbrandt, som har "
      "samordnat arbetet med yttrandet under hela våren och sammanställt underlagen.\n\n"
      "Kontaktperson: Malin Everbrandt, strateg, 031-786 12 47\n";
  const ParsedDocument doc = Parse(text, "txt", "remiss");
  ASSERT_EQ(doc.passages.size(), 2u);
  EXPECT_EQ(doc.passages[0].text.find("Everbrandt"), std::string::npos) << doc.passages[0].text;
  EXPECT_NE(doc.passages[0].text.find("strateg [namn], som"), std::string::npos);
}

TEST(Segment, TxtHeadingsAreShortLinesWithoutFinalPunctuation) {
  const std::string text =
      "TIDAHOLMS KOMMUN\n\nDatum: 2020-04-28\n\nSammanfattning\n\nVi lämnar här vårt yttrande.\n\n"
      "Ulrika Boström\n\nOrdförande, Funktionsrätt Västra Götaland\n";
  const ParsedDocument doc = Parse(text, "txt", "remiss");
  ASSERT_EQ(doc.passages.size(), 4u);
  EXPECT_EQ(doc.title, "TIDAHOLMS KOMMUN");
  EXPECT_EQ(doc.passages[0].text, "Datum: 2020-04-28");
  EXPECT_EQ(doc.passages[1].section, "Sammanfattning");
  EXPECT_EQ(doc.passages[2].text, "[namn]");
  EXPECT_EQ(doc.passages[3].text, "Ordförande, Funktionsrätt Västra Götaland");
}

TEST(Segment, HardWrappedTextIsJoinedButShortLinesStayApart) {
  const std::string text =
      "Det här är ett stycke som någon har radbrutit för hand vid ungefär sjuttio\n"
      "tecken, vilket gör att raderna måste fogas ihop till ett enda stycke igen.\n"
      "\n"
      "Anna Berg, ordförande\n"
      "Telefon: 070-123 45 67\n";
  const ParsedDocument doc = Parse(text, "txt", "remiss");
  ASSERT_EQ(doc.passages.size(), 3u);
  EXPECT_EQ(doc.passages[0].locator.line_end, 2);
  EXPECT_EQ(doc.passages[1].text, "[namn], ordförande");
  EXPECT_EQ(doc.passages[2].text, "Telefon: [telefon]");
}

TEST(Segment, LongParagraphsAreSplitWithAWarning) {
  std::string text;
  while (text.size() < 40000) text += "Vi behöver fler bussar på kvällarna i Dalsland. ";
  ParseOptions options;
  options.max_passage_bytes = 8192;
  Result<ParsedDocument> doc = ParseDocument(text, "txt", "long.txt", options);
  ASSERT_TRUE(doc.ok());
  ASSERT_GE(doc->passages.size(), 5u);
  for (const Passage& p : doc->passages) EXPECT_LE(p.text.size(), 8192u);
  ASSERT_FALSE(doc->warnings.empty());
  EXPECT_NE(doc->warnings[0].find("split into"), std::string::npos);
}

}  // namespace
}  // namespace samrad::ingest
