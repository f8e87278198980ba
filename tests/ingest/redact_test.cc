#include "ingest/redact.h"

#include <gtest/gtest.h>

namespace samrad::ingest {
namespace {

struct Case {
  const char* input;
  const char* expected;
};

std::string Redacted(const char* text) {
  RedactionCounts counts;
  return RedactPatterns(text, &counts);
}

TEST(Redact, LuhnCheck) {
  EXPECT_TRUE(LuhnValid("8112189876"));
  EXPECT_FALSE(LuhnValid("8112189875"));
  EXPECT_TRUE(LuhnValid("7707033465"));
  EXPECT_FALSE(LuhnValid("770703346"));
  EXPECT_FALSE(LuhnValid("77070334x5"));
}

TEST(Redact, PersonnummerOnlyWhenLuhnPasses) {
  const Case cases[] = {
      {"pnr 811218-9876.", "pnr [personnummer]."},
      {"pnr 811218-9875.", "pnr 811218-9875."},  // check digit wrong: kept
      {"19811218-9876", "[personnummer]"},
      {"198112189876", "[personnummer]"},
      {"8112189876", "[personnummer]"},
      {"811218+9876", "[personnummer]"},
      {"Jenny (19770703-3465), strateg", "Jenny ([personnummer]), strateg"},
      {"811278-9873", "[personnummer]"},  // samordningsnummer (day + 60)
      {"050101-1233", "[personnummer]"},
      {"811318-9876", "811318-9876"},      // month 13: not a date
      {"21811218-9876", "21811218-9876"},  // century 21
      {"KS 2020/0061 och RUN 2019-00876", "KS 2020/0061 och RUN 2019-00876"},
  };
  for (const Case& c : cases) EXPECT_EQ(Redacted(c.input), c.expected) << c.input;
}

TEST(Redact, SwedishPhoneNumbers) {
  const Case cases[] = {
      {"Ring 031-345 67 89.", "Ring [telefon]."},
      {"0510-77 12 34", "[telefon]"},
      {"mobil 070-123 45 67, fax", "mobil [telefon], fax"},
      {"+46 70 123 45 67", "[telefon]"},
      {"0702-123456", "[telefon]"},
      {"tel. 0500-44 80 00", "tel. [telefon]"},
      {"+46 500 44 83 21", "[telefon]"},
      {"0532-120 45", "[telefon]"},
      {"08-123 456 78", "[telefon]"},
      {"+46 (0)31 345 67 89", "[telefon]"},
      {"0701234567", "[telefon]"},
  };
  for (const Case& c : cases) EXPECT_EQ(Redacted(c.input), c.expected) << c.input;
}

TEST(Redact, NumbersSideBySideAreAllRedacted) {
  // One pass left "031-345 67 8" of the first number (FuzzSmoke, txt); what
  // comes out has nothing a further pass would redact.
  RedactionCounts counts;
  const std::string out = RedactPatterns("Sofia, 031-345 67 8 031-345 67 89, sofia@test.se", &counts);
  EXPECT_EQ(out, "Sofia, [telefon] [telefon], [e-post]");
  EXPECT_EQ(counts["telefon"], 2);
  RedactionCounts again;
  EXPECT_EQ(RedactPatterns(out, &again), out);
  EXPECT_TRUE(again.empty());
}

TEST(Redact, NumbersThatAreNotPhoneNumbers) {
  const char* kept[] = {
      "Datum: 2020-04-28",
      "Diarienummer: KS 2020/0061",
      "Er referens: RUN 2019-00876",
      "0,5 procent av budgeten",
      "Regionens Hus, 462 80 Vänersborg",
      "ca 12 800 invånare och 113 000 i Borås",
      "år 2030 och 2021–2030",
      "väg 40 och E20",
      "0 kronor",
  };
  for (const char* text : kept) EXPECT_EQ(Redacted(text), text);
}

TEST(Redact, EmailAddresses) {
  const Case cases[] = {
      {"Skriv till anna.berg@vanersborg.se.", "Skriv till [e-post]."},
      {"(lena.strom@uddevalla.se)", "([e-post])"},
      {"åsa.öberg@kommun.se", "[e-post]"},
      {"info@stadshuset.goteborg.se, tack", "[e-post], tack"},
  };
  for (const Case& c : cases) EXPECT_EQ(Redacted(c.input), c.expected) << c.input;
}

TEST(Redact, CountsByType) {
  RedactionCounts counts;
  const std::string out = RedactPatterns("a@b.se, 031-345 67 89, c@d.se och 811218-9876", &counts);
  EXPECT_EQ(out, "[e-post], [telefon], [e-post] och [personnummer]");
  EXPECT_EQ(counts, (RedactionCounts{{"e-post", 2}, {"personnummer", 1}, {"telefon", 1}}));
}

TEST(Redact, LeadingPersonalNames) {
  EXPECT_EQ(LeadingPersonalName("Anna Berg, näringslivsutvecklare"), 9u);
  EXPECT_EQ(LeadingPersonalName("Lars-Göran Wiik, kommunstyrelsens ordförande"),
            std::string("Lars-Göran Wiik").size());
  EXPECT_EQ(LeadingPersonalName("Ingrid Halvarsson"), 17u);
  EXPECT_EQ(LeadingPersonalName("Eva von Platen (S)"), 14u);
  EXPECT_TRUE(IsPersonalName("Marie-Louise Hedberg"));
  // Places and organisations are not people.
  EXPECT_EQ(LeadingPersonalName("Västra Götalandsregionen, Regionens Hus"), 0u);
  EXPECT_EQ(LeadingPersonalName("Borås Stad, Kommunstyrelsen"), 0u);
  EXPECT_EQ(LeadingPersonalName("Högskolan Väst, student"), 0u);
  EXPECT_EQ(LeadingPersonalName("Science Park Borås"), 0u);
  EXPECT_EQ(LeadingPersonalName("Göteborg den 28 april 2020"), 0u);
  EXPECT_EQ(LeadingPersonalName("Vi Ser fram emot"), 0u);  // not followed by , or end
  EXPECT_EQ(LeadingPersonalName("Kommunchef, Lidköping"), 0u);
}

TEST(Redact, ContactLines) {
  const Case cases[] = {
      {"Kontaktperson: Sofia Björk, utvecklingsstrateg, [telefon]",
       "Kontaktperson: [namn], utvecklingsstrateg, [telefon]"},
      {"Kontaktperson i sakfrågor: Oskar Hellström, sakkunnig",
       "Kontaktperson i sakfrågor: [namn], sakkunnig"},
      {"Handläggare: Petra Wahlgren, utvecklingsstrateg",
       "Handläggare: [namn], utvecklingsstrateg"},
      {"Kontaktpersoner: Anna Berg och Per Olsson", "Kontaktpersoner: [namn] och [namn]"},
      {"Kontaktperson: Jenny Malmberg ([personnummer])", "Kontaktperson: [namn] ([personnummer])"},
      {"Från: Västra Götalandsregionen", "Från: Västra Götalandsregionen"},
      {"Datum: Anna Berg", "Datum: Anna Berg"},  // not a contact label
  };
  for (const Case& c : cases) {
    RedactionCounts counts;
    EXPECT_EQ(RedactContactLine(c.input, &counts), c.expected) << c.input;
  }
}

TEST(Redact, NamesInTheSentenceOfAPersonnummer) {
  RedactionCounts counts;
  std::vector<std::string> names;
  EXPECT_EQ(RedactNamesNearPersonnummer(
                "En berättelse om Göteborg. Sofia Hermansson, personnummer [personnummer], åker "
                "buss. Anna Berg åker inte.",
                &counts, &names),
            "En berättelse om Göteborg. [namn], personnummer [personnummer], åker buss. Anna "
            "Berg åker inte.");
  EXPECT_EQ(names, std::vector<std::string>{"Sofia Hermansson"});
  EXPECT_EQ(RedactNamesNearPersonnummer(
                "Lovisa Törnqvists lantbruk utanför Vara (enskild firma, org.nr [personnummer]) "
                "odlar.",
                &counts),
            "[namn] lantbruk utanför Vara (enskild firma, org.nr [personnummer]) odlar.");
}

TEST(Redact, NamesInDecisionStatements) {
  RedactionCounts counts;
  EXPECT_EQ(RedactNamesInDecisionStatement(
                "Beslut i detta ärende har fattats av länsrådet Gunilla Eklöf Sandin med "
                "regionalekonomen Niklas Wendt som föredragande. I Västra Götaland har även "
                "Tove Ahrenberg deltagit.",
                &counts),
            "Beslut i detta ärende har fattats av länsrådet [namn] med regionalekonomen [namn] "
            "som föredragande. I Västra Götaland har även [namn] deltagit.");
  EXPECT_EQ(RedactNamesInDecisionStatement(
                "Samhällsplanerare Jesper Lundkvist har varit föredragande.", &counts),
            "Samhällsplanerare [namn] har varit föredragande.");
  // Not a decision statement: left alone.
  EXPECT_EQ(RedactNamesInDecisionStatement("Vi träffade Anna Berg i Borås.", &counts),
            "Vi träffade Anna Berg i Borås.");
}

TEST(Redact, KnownNamesAreReplacedAsWholeWords) {
  RedactionCounts counts;
  std::string text = "efter föredragning av Malin Everbrandt. Malin Everbrandtsson är en annan.";
  ReplaceKnownNames(&text, {"Malin Everbrandt"}, &counts);
  EXPECT_EQ(text, "efter föredragning av [namn]. Malin Everbrandtsson är en annan.");
  EXPECT_EQ(counts["namn"], 1);
}

}  // namespace
}  // namespace samrad::ingest
