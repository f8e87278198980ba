// Planner-facing Swedish text shared by the Markdown and HTML renderings.
#include <string>
#include <vector>

#include "reports/render.h"
#include "reports/text.h"

namespace samrad::reports::internal {

std::string AreaFile(const std::string& area_id) { return "omrade-" + area_id; }

std::vector<std::pair<std::string, int>> OverviewFigures(const Overview& o) {
  std::vector<std::pair<std::string, int>> figures = {
      {"Avsnitt", o.passages},
      {"Dokument", o.documents},
      {"Organisationer", o.organisations},
      {"Avsnitt i minst ett område", o.in_some_area},
      {"Avsnitt utan område", o.no_area},
      {"– varav i ett emergent tema", o.no_area_in_theme}};
  if (o.overridden > 0) figures.emplace_back("Avsnitt med manuellt satt område", o.overridden);
  return figures;
}

std::vector<std::string> MethodParagraphs() {
  return {
      "Varje avsnitt är en talartur, ett stycke, en listpunkt eller ett formulärsvar ur ett "
      "seminarieprotokoll eller ett remissvar, med personuppgifter borttagna. Ett avsnitt kan "
      "höra till flera områden; ett delområde räknas också till sitt överordnade område. "
      "Organisationer räknas efter dokumentets avsändare eller arrangör.",
      "Nyckelfraserna är de ord och fraser som är vanliga i områdets avsnitt men ovanliga i "
      "resten av underlaget.",
      "Delteman hittas genom att områdets avsnitt grupperas efter ordlikhet (TF-IDF-vektorer "
      "och sfärisk k-means med fast start). Citaten väljs med maximal marginell relevans: "
      "varje nytt citat ska ligga nära områdets kärna men skilja sig från dem som redan valts, "
      "och en aktörsgrupp, ett deltema eller ett dokument som inte redan citerats ges företräde. "
      "Långa avsnitt kortas till de sammanhängande meningar som bäst speglar området; citaten "
      "återges ordagrant.",
      "Skillnader mellan aktörsgrupper visas när två aktörsgrupper, var och en med minst tre avsnitt "
      "från minst två dokument, skriver om samma sak i motsatt riktning: ett ord som båda grupperna "
      "använder i meningar med stödjande ord (t.ex. stödjer, välkomnar, viktigt) eller kritiska ord "
      "(t.ex. emot, oroar, saknas), med hänsyn till negation, där den ena gruppens meningar "
      "övervägande är stödjande och den andras övervägande kritiska. Inom ett deltema visas också "
      "när två grupper lägger väsentligt olika stor del av sina avsnitt på deltemat (minst dubbelt "
      "så stor andel och minst 15 procentenheter mer). Grupper med blandad publik jämförs inte. "
      "Metoden visar var det är värt att läsa noga, den fäller inget omdöme: läs alltid citaten.",
  };
}

std::string UnitLabel(const Disagreement& d, const std::string& topic_kind) {
  if (d.subtopic >= 0) return "Deltema " + d.unit_label;
  return topic_kind == "area" ? "Hela området" : "Hela temat";
}

std::string StanceLabel(const Side& s) {
  if (s.support + s.objection == 0) return "–";
  // (Appending, not "+" + string: GCC 12 -O3 warns falsely on the latter.)
  std::string out = s.stance > 0 ? "+" : "";
  out += FixedSv(s.stance, 2);
  out += " (" + std::to_string(s.support) + " stödjande, " + std::to_string(s.objection) + " kritiska ord)";
  return out;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out.empty() ? "–" : out;
}

std::string DisagreementSummary(const Disagreement& d) {
  std::string s;
  if (d.by_stance) {
    s += "I meningar om " + JoinWords(d.contested) + " skriver " + d.a.actor_group + " övervägande stödjande och " +
         d.b.actor_group + " övervägande kritiskt";
  }
  if (d.by_share) {
    const Side& more = d.a.share_permille >= d.b.share_permille ? d.a : d.b;
    const Side& less = d.a.share_permille >= d.b.share_permille ? d.b : d.a;
    if (!s.empty()) s += "; ";
    s += more.actor_group + " lägger " + PercentSv(more.share_permille, 1000) +
         " av sina avsnitt här på detta deltema, " + less.actor_group + " " + PercentSv(less.share_permille, 1000);
  }
  return s + ".";
}

std::string OrganisationNote(const Citation& c) {
  std::string note = c.actor_group.empty() ? "okänd aktörsgrupp" : c.actor_group;
  if (!c.subregion.empty()) note += ", " + c.subregion;
  return c.kind == "seminar" ? "arrangör; " + note : note;
}

std::string NoDisagreementText() {
  return "Underlaget visar inga tydliga skillnader mellan aktörsgrupper här enligt metoden "
         "nedan. Det kan också bero på att för få grupper har tillräckligt många avsnitt.";
}

std::string HeatMapExplanation() {
  return "Talet i varje ruta är antalet avsnitt från aktörsgruppen i området. Färgen visar hur "
         "stor andel av aktörsgruppens alla avsnitt som hamnade i området: ju mörkare, desto "
         "större del av gruppens inspel handlar om området. Ett avsnitt kan höra till flera "
         "områden.";
}

}  // namespace samrad::reports::internal
