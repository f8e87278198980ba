// The Markdown rendering: CommonMark plus GitHub-style pipe tables, which
// every common viewer (GitHub, GitLab, VS Code, pandoc, Obsidian) renders.
// Charts become a bar of block characters in a table column, so they survive
// being pasted into a draft.
#include <algorithm>
#include <string>
#include <vector>

#include "reports/render.h"
#include "reports/text.h"

namespace samrad::reports::internal {
namespace {

std::string Md(const std::string& s) { return MarkdownEscape(s); }

// Up to 20 block characters, proportional to `n` / `max`.
std::string Bar(int n, int max) {
  if (max <= 0 || n <= 0) return "";
  const int blocks = std::max(1, n * 20 / max);
  std::string s;
  for (int i = 0; i < blocks; ++i) s += "\u2588";
  return s;
}

class Doc {
 public:
  explicit Doc(const Overview& overview) : overview_(overview) {}

  void Line(const std::string& s = "") { out_ += s + "\n"; }
  void Heading(int level, const std::string& text) {
    Line(std::string(static_cast<size_t>(level), '#') + " " + Md(text));
    Line();
  }
  void Para(const std::string& text) {
    Line(Md(text));
    Line();
  }
  void Nav() {
    std::string nav = "[Översikt](" + std::string(kOverviewFile) + ".md)";
    if (overview_.themes_file) nav += " · [Emergenta teman](" + std::string(kThemesFile) + ".md)";
    Line(nav);
    Line();
  }

  void Figures(const std::vector<std::pair<std::string, int>>& rows) {
    Line("| Mått | Antal |");
    Line("| --- | ---: |");
    for (const auto& [label, n] : rows) Line("| " + Md(label) + " | " + std::to_string(n) + " |");
    Line();
  }

  void Kinds(const std::vector<CountRow>& rows) {
    Line("| Typ av underlag | Avsnitt | Dokument |");
    Line("| --- | ---: | ---: |");
    for (const CountRow& r : rows) {
      Line("| " + Md(r.label) + " | " + std::to_string(r.passages) + " | " + std::to_string(r.documents) + " |");
    }
    Line();
  }

  void Breakdown(const std::string& column, const std::vector<CountRow>& rows, int total) {
    int max = 0;
    for (const CountRow& r : rows) max = std::max(max, r.passages);
    Line("| " + column + " | Avsnitt | Andel | Dokument | Diagram |");
    Line("| --- | ---: | ---: | ---: | --- |");
    for (const CountRow& r : rows) {
      Line("| " + Md(r.label) + " | " + std::to_string(r.passages) + " | " + PercentSv(r.passages, total) + " | " +
           std::to_string(r.documents) + " | " + Bar(r.passages, max) + " |");
    }
    Line();
  }

  void AddQuote(const Quote& q) {
    Line("> " + Md(q.text));
    Line(">");
    Line("> — " + CitationMd(q.cite, q.whole_passage));
    Line();
  }

  static std::string CitationMd(const Citation& c, bool whole_passage) {
    std::string out;
    if (!c.speaker.empty()) out += Md(c.speaker) + ", ";
    out += "**" + Md(c.organisation.empty() ? "(okänd avsändare)" : c.organisation) + "** (" +
           Md(OrganisationNote(c)) + "). *" + Md(c.title) + "*";
    if (!c.date.empty()) out += ", " + Md(c.date);
    out += ". " + Md(c.where);
    if (!whole_passage) out += " (utdrag)";
    if (!c.section.empty()) out += ", under rubriken ”" + Md(c.section) + "”";
    out += ". Avsnitt " + Md(c.passage_id);
    return out;
  }

  std::string AreaLink(size_t a) const {
    const AreaRow& r = overview_.areas[a];
    const std::string indent = r.depth > 0 ? "\u2003" : "";
    if (a < overview_.area_files.size() && !overview_.area_files[a].empty()) {
      return indent + "[" + Md(r.name) + "](" + overview_.area_files[a] + ".md)";
    }
    return indent + Md(r.name);
  }

  std::string Finish() {
    Line("---");
    Line();
    std::string foot = "Framtaget med samrad ur " +
                       Md(overview_.framework_name.empty() ? overview_.framework_id : overview_.framework_name);
    if (!overview_.as_of.empty()) foot += ", underlag per " + Md(overview_.as_of);
    Line(foot + ". Varje siffra går att spåra till avsnitten i JSON-versionen av rapporten.");
    return std::move(out_);
  }

 private:
  const Overview& overview_;
  std::string out_;
};

void Method(Doc* doc, int level) {
  doc->Heading(level, "Så togs rapporten fram");
  for (const std::string& p : MethodParagraphs()) doc->Para(p);
}

void Disagreements(Doc* doc, const TopicReport& t, int level) {
  doc->Heading(level, "Där aktörsgrupperna skiljer sig åt");
  if (t.disagreements.empty()) {
    doc->Para(NoDisagreementText());
    return;
  }
  for (const Disagreement& d : t.disagreements) {
    doc->Heading(level + 1, UnitLabel(d, t.kind) + ": " + d.a.actor_group + " och " + d.b.actor_group);
    doc->Para(DisagreementSummary(d));
    doc->Line("| | " + Md(d.a.actor_group) + " | " + Md(d.b.actor_group) + " |");
    doc->Line("| --- | --- | --- |");
    doc->Line("| Avsnitt här (dokument) | " + std::to_string(d.a.passages) + " (" + std::to_string(d.a.documents) +
              ") | " + std::to_string(d.b.passages) + " (" + std::to_string(d.b.documents) + ") |");
    doc->Line(std::string("| Andel av gruppens avsnitt i ") + (t.kind == "area" ? "området" : "temat") + " | " +
              PercentSv(d.a.share_permille, 1000) + " | " + PercentSv(d.b.share_permille, 1000) + " |");
    if (d.by_stance) {
      doc->Line("| Hållning i meningar om " + Md(JoinWords(d.contested)) + " (−1 kritisk … +1 stödjande) | " +
                Md(StanceLabel(d.a)) + " | " + Md(StanceLabel(d.b)) + " |");
    }
    doc->Line("| Ord som gruppen använder mer än den andra | " + Md(JoinWords(d.a.distinctive)) + " | " +
              Md(JoinWords(d.b.distinctive)) + " |");
    doc->Line();
    for (const Side* s : {&d.a, &d.b}) {
      if (s->quotes.empty()) continue;
      doc->Line("**" + Md(s->actor_group) + ":**");
      doc->Line();
      for (const Quote& q : s->quotes) doc->AddQuote(q);
    }
  }
}

void TopicBody(Doc* doc, const TopicReport& t, int level) {
  const std::string unit = t.kind == "area" ? "området" : "temat";
  doc->Heading(level, "I siffror");
  std::vector<std::pair<std::string, int>> figures = {
      {"Avsnitt", t.passages}, {"Dokument", t.documents}, {"Organisationer", t.organisations}};
  if (t.overridden > 0) figures.emplace_back("Avsnitt med manuellt satt område", t.overridden);
  doc->Figures(figures);
  doc->Kinds(t.by_kind);

  doc->Heading(level, "Aktörsgrupper");
  doc->Breakdown("Aktörsgrupp", t.by_actor_group, t.passages);
  doc->Heading(level, "Delregioner");
  doc->Breakdown("Delregion", t.by_subregion, t.passages);

  doc->Heading(level, "Nyckelfraser");
  if (t.key_phrases.empty()) {
    doc->Para("För lite text för att ta fram nyckelfraser.");
  } else {
    doc->Para("Ord och fraser som är vanliga i " + unit +
              " men ovanliga i resten av underlaget; inom parentes antal avsnitt.");
    std::string line;
    for (const Phrase& p : t.key_phrases) {
      line += (line.empty() ? "" : " · ") + Md(p.phrase) + " (" + std::to_string(p.passages) + ")";
    }
    doc->Line(line);
    doc->Line();
  }

  if (t.subtopics.size() > 1) {
    doc->Heading(level, "Delteman");
    doc->Line("| Deltema | Avsnitt | Flest avsnitt från |");
    doc->Line("| --- | ---: | --- |");
    for (const SubTopic& s : t.subtopics) {
      std::string groups;
      for (size_t i = 0; i < s.actor_groups.size() && i < 3; ++i) {
        groups += (i ? ", " : "") + Md(s.actor_groups[i].label) + " " + std::to_string(s.actor_groups[i].passages);
      }
      doc->Line("| " + Md(s.label) + " | " + std::to_string(s.passage_ids.size()) + " | " + groups + " |");
    }
    doc->Line();
  }

  doc->Heading(level, "Representativa citat");
  if (t.quotes.empty()) doc->Para("Inga avsnitt med tillräckligt mycket text att citera.");
  for (const Quote& q : t.quotes) doc->AddQuote(q);

  Disagreements(doc, t, level);
}

}  // namespace

std::string OverviewMarkdown(const Overview& o) {
  Doc doc(o);
  doc.Nav();
  doc.Heading(1, "Samrådsunderlaget i översikt");
  doc.Para(o.framework_name.empty() ? o.framework_id : o.framework_name);
  doc.Para("Underlaget består av " + std::to_string(o.passages) + " avsnitt ur " + std::to_string(o.documents) +
           " dokument från " + std::to_string(o.organisations) + " organisationer. " +
           std::to_string(o.in_some_area) + " avsnitt (" + PercentSv(o.in_some_area, o.passages) +
           ") hör till minst ett område i strategin; " + std::to_string(o.no_area) + " (" +
           PercentSv(o.no_area, o.passages) + ") hör inte till något område.");

  doc.Heading(2, "Nyckeltal");
  doc.Figures(OverviewFigures(o));
  doc.Kinds(o.by_kind);

  doc.Heading(2, "Områden och aktörsgrupper");
  doc.Para("Antal avsnitt per område och aktörsgrupp; inom parentes andelen av aktörsgruppens alla avsnitt. "
           "Ett avsnitt kan höra till flera områden.");
  std::string head = "| Område |", rule = "| --- |";
  for (const CountRow& g : o.actor_groups) {
    head += " " + Md(g.label) + " |";
    rule += " ---: |";
  }
  doc.Line(head + " Totalt |");
  doc.Line(rule + " ---: |");
  for (size_t a = 0; a < o.areas.size(); ++a) {
    std::string row = "| " + doc.AreaLink(a) + " |";
    for (size_t g = 0; g < o.actor_groups.size(); ++g) {
      const int n = o.matrix[a][g];
      row += ' ';
      row += std::to_string(n) + " (" + PercentSv(n, o.actor_groups[g].passages) + ") |";
    }
    doc.Line(row + " " + std::to_string(o.areas[a].passages) + " |");
  }
  std::string total = "| Alla avsnitt |";
  for (const CountRow& g : o.actor_groups) total += " " + std::to_string(g.passages) + " |";
  doc.Line(total + " " + std::to_string(o.passages) + " |");
  doc.Line();

  doc.Heading(2, "Områden med minst underlag");
  int n = 0;
  for (int a : o.least) {
    const AreaRow& r = o.areas[static_cast<size_t>(a)];
    doc.Line(std::to_string(++n) + ". " + doc.AreaLink(static_cast<size_t>(a)) + ": " + std::to_string(r.passages) +
             " avsnitt ur " + std::to_string(r.documents) + " dokument från " + std::to_string(r.organisations) +
             " organisationer");
  }
  doc.Line();

  doc.Heading(2, "Alla områden");
  doc.Line("| Område | Avsnitt | Dokument | Organisationer |");
  doc.Line("| --- | ---: | ---: | ---: |");
  for (size_t a = 0; a < o.areas.size(); ++a) {
    const AreaRow& r = o.areas[a];
    doc.Line("| " + doc.AreaLink(a) + " | " + std::to_string(r.passages) + " | " + std::to_string(r.documents) +
             " | " + std::to_string(r.organisations) + " |");
  }
  doc.Line();

  doc.Heading(2, "Emergenta teman utanför strategins områden");
  doc.Para(std::to_string(o.no_area) + " avsnitt hör inte till något område. Av dem grupperades " +
           std::to_string(o.no_area_in_theme) + " i " + std::to_string(o.themes.size()) +
           " emergenta teman efter ordlikhet; resten är för korta eller för spridda för att bilda tema.");
  if (!o.themes.empty()) {
    doc.Line("| Tema | Avsnitt | Dokument |");
    doc.Line("| --- | ---: | ---: |");
    for (const ThemeRow& t : o.themes) {
      const std::string name = Md("Tema " + t.id + ": " + t.label);
      doc.Line("| " + (o.themes_file ? "[" + name + "](" + kThemesFile + ".md#tema-" + t.id + ")" : name) + " | " +
               std::to_string(t.passages) + " | " + std::to_string(t.documents) + " |");
    }
    doc.Line();
  }
  Method(&doc, 2);
  return doc.Finish();
}

std::string AreaMarkdown(const TopicReport& t, const Overview& o) {
  Doc doc(o);
  doc.Nav();
  doc.Heading(1, t.name);
  doc.Para("Område i " + (o.framework_name.empty() ? o.framework_id : o.framework_name) + ".");
  if (!t.parent_id.empty()) {
    doc.Line("Delområde till [" + Md(t.parent_name) + "](" + AreaFile(t.parent_id) + ".md).");
    doc.Line();
  }
  if (!t.children.empty()) {
    std::string c = "Delområden: ";
    for (size_t i = 0; i < t.children.size(); ++i) {
      c += (i ? ", " : "") + std::string("[") + Md(t.children[i].second) + "](" + AreaFile(t.children[i].first) +
           ".md)";
    }
    doc.Line(c + ". Deras avsnitt räknas också hit.");
    doc.Line();
  }
  doc.Line("**Ramverkets beskrivning:** " + Md(t.description));
  doc.Line();
  TopicBody(&doc, t, 2);
  Method(&doc, 2);
  return doc.Finish();
}

std::string ThemesMarkdown(const std::vector<TopicReport>& themes, const Overview& o) {
  Doc doc(o);
  doc.Nav();
  doc.Heading(1, "Emergenta teman");
  doc.Para("Det som inget av strategins områden fångar.");
  doc.Para(std::to_string(o.no_area) + " av " + std::to_string(o.passages) +
           " avsnitt hör inte till något område. Av dem grupperades " + std::to_string(o.no_area_in_theme) + " i " +
           std::to_string(themes.size()) +
           " teman efter ordlikhet. Temanas namn är deras mest utmärkande ord, inte en tolkning.");
  for (const TopicReport& t : themes) {
    // An explicit anchor: viewers derive heading ids differently.
    doc.Line("<a id=\"tema-" + t.id + "\"></a>");
    doc.Line();
    doc.Heading(2, t.name);
    TopicBody(&doc, t, 3);
  }
  Method(&doc, 2);
  return doc.Finish();
}

}  // namespace samrad::reports::internal
