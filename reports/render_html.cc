// The HTML rendering: one self-contained page per report.
//
// Self-contained means: CSS and SVG inline, no script, no font, image or
// style sheet fetched from anywhere (the Content-Security-Policy says so to
// the browser too), readable without JavaScript and printable. Accessibility:
// lang="sv", one h1 and nested headings, table headers with scope, every SVG
// with role="img", <title>, <desc> and aria-labelledby, and the numbers of
// every chart also in a table beside it.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "reports/render.h"
#include "reports/text.h"

namespace samrad::reports::internal {
namespace {

using E = std::string;  // an already-escaped HTML fragment

E Esc(const std::string& s) { return HtmlEscape(s); }

constexpr const char* kCss = R"css(
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #1f4e8c; --bg-soft: #f3f6fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main, header.site, footer.site { max-width: 68rem; margin: 0 auto; padding: 0 1.25rem; }
header.site { padding-top: 1rem; }
nav.site ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0; padding: 0; }
nav.site a { color: var(--accent); }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 1.2rem 0 0.4rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.6rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
p.lead { font-size: 1.1rem; color: var(--muted); margin-top: 0; }
p.note, .muted { color: var(--muted); }
a { color: var(--accent); }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.95rem; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.55rem; text-align: left; vertical-align: top; }
thead th { background: var(--bg-soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.matrix { width: 100%; font-size: 0.88rem; }
table.matrix th[scope=row] { min-width: 15rem; font-weight: normal; }
table.matrix th, table.matrix td { padding: 0.25rem 0.4rem; }
.grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.5rem; align-items: start; }
figure { margin: 0.5rem 0 1.2rem; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: var(--muted); }
figure.quote { margin: 1rem 0 1.4rem; padding: 0.6rem 1rem; background: var(--bg-soft); border-left: 4px solid var(--accent); }
figure.quote blockquote { margin: 0; font-size: 1.02rem; }
figure.quote blockquote p { margin: 0; }
figure.quote figcaption { margin-top: 0.45rem; }
.pid { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em; }
table.sides { width: 100%; table-layout: fixed; }
table.sides td.corner { width: 12rem; }
table.sides th[scope=row] { background: var(--bg-soft); }
table.sides figure.quote { margin: 0.2rem 0 0.6rem; padding: 0.4rem 0.6rem; }
ul.phrases { columns: 2; padding-left: 1.2rem; }
.swatch { display: inline-block; width: 1.6rem; height: 0.9rem; border: 1px solid var(--line); vertical-align: middle; }
footer.site { margin-top: 3rem; padding-top: 0.6rem; padding-bottom: 2rem; border-top: 1px solid var(--line); color: var(--muted); font-size: 0.85rem; }
@media (max-width: 48rem) { .grid2 { grid-template-columns: minmax(0, 1fr); } ul.phrases { columns: 1; } }
@media print {
  body { font-size: 10.5pt; }
  nav.site { display: none; }
  main, footer.site { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; }
  table, figure, tr { break-inside: avoid; }
  figure.quote { background: none; border-left: 2pt solid #000; }
  thead th, table.sides th[scope=row] { background: none; }
  .grid2 { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
}
)css";

// Colour of a heat-map cell for t in [0, 1000]: from a near-white to the
// accent blue; integers only, so every machine writes the same bytes.
std::string HeatColour(int t) {
  t = std::clamp(t, 0, 1000);
  const int r = 241 + (31 - 241) * t / 1000;
  const int g = 245 + (78 - 245) * t / 1000;
  const int b = 251 + (140 - 251) * t / 1000;
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}
const char* HeatInk(int t) { return t > 550 ? "#ffffff" : "#1b1f24"; }

// Builds one page; `ids_` keeps SVG ids unique within it.
class Page {
 public:
  Page(const std::string& title, const Overview& overview) : overview_(overview) {
    out_ += "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out_ +=
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">\n";
    out_ += "<meta name=\"generator\" content=\"samrad\">\n";
    out_ += "<title>" + Esc(title) + "</title>\n<style>" + std::string(kCss) + "</style>\n</head>\n<body>\n";
    out_ += "<header class=\"site\">\n<nav class=\"site\" aria-label=\"Rapporter\">\n<ul>\n";
    out_ += "<li><a href=\"" + std::string(kOverviewFile) + ".html\">Översikt</a></li>\n";
    if (overview_.themes_file) {
      out_ += "<li><a href=\"" + std::string(kThemesFile) + ".html\">Emergenta teman</a></li>\n";
    }
    out_ += "</ul>\n</nav>\n</header>\n<main>\n";
  }

  std::string Finish() {
    out_ += "</main>\n<footer class=\"site\">\n<p>Framtaget med samrad ur ";
    out_ += Esc(overview_.framework_name.empty() ? overview_.framework_id : overview_.framework_name);
    if (!overview_.as_of.empty()) out_ += ", underlag per " + Esc(overview_.as_of);
    out_ += ". Varje siffra går att spåra till avsnitten i JSON-versionen av rapporten.</p>\n";
    out_ += "</footer>\n</body>\n</html>\n";
    return std::move(out_);
  }

  void Raw(const E& html) { out_ += html; }
  void Heading(int level, const std::string& text, const std::string& id = "") {
    const std::string h = "h" + std::to_string(level);
    out_ += "<" + h + (id.empty() ? "" : " id=\"" + Esc(id) + "\"") + ">" + Esc(text) + "</" + h + ">\n";
  }
  void Para(const std::string& text, const char* cls = nullptr) {
    out_ += cls ? "<p class=\"" + std::string(cls) + "\">" : "<p>";
    out_ += Esc(text) + "</p>\n";
  }

  // Key figures as a two-column table.
  void Figures(const std::string& caption, const std::vector<std::pair<std::string, int>>& rows) {
    out_ += "<table class=\"figures\">\n<caption class=\"muted\">" + Esc(caption) + "</caption>\n<tbody>\n";
    for (const auto& [label, n] : rows) {
      out_ += "<tr><th scope=\"row\">" + Esc(label) + "</th><td class=\"num\">" + std::to_string(n) +
              "</td></tr>\n";
    }
    out_ += "</tbody>\n</table>\n";
  }

  // A breakdown: table (label, passages, share, documents) and a bar chart.
  void Breakdown(const std::string& what, const std::string& column, const std::vector<CountRow>& rows,
                 int total) {
    out_ += "<div class=\"grid2\">\n<table>\n<caption class=\"muted\">Avsnitt per " + Esc(what) +
            "</caption>\n<thead><tr><th scope=\"col\">" + Esc(column) +
            "</th><th scope=\"col\" class=\"num\">Avsnitt</th><th scope=\"col\" class=\"num\">Andel</th>"
            "<th scope=\"col\" class=\"num\">Dokument</th></tr></thead>\n<tbody>\n";
    for (const CountRow& r : rows) {
      out_ += "<tr><th scope=\"row\">" + Esc(r.label) + "</th><td class=\"num\">" +
              std::to_string(r.passages) + "</td><td class=\"num\">" + PercentSv(r.passages, total) +
              "</td><td class=\"num\">" + std::to_string(r.documents) + "</td></tr>\n";
    }
    out_ += "</tbody>\n</table>\n";
    BarChart("Avsnitt per " + what, rows, total);
    out_ += "</div>\n";
  }

  // Horizontal bars, one per row, labelled with the count and share.
  void BarChart(const std::string& title, const std::vector<CountRow>& rows, int total) {
    const std::string id = NextId();
    const int label_w = 170, bar_w = 250, row_h = 24, top = 6;
    const int width = label_w + bar_w + 110;
    const int height = top * 2 + row_h * static_cast<int>(std::max<size_t>(rows.size(), 1));
    int max = 1;
    for (const CountRow& r : rows) max = std::max(max, r.passages);
    std::string desc;
    for (const CountRow& r : rows) {
      if (!desc.empty()) desc += "; ";
      desc += r.label + ": " + std::to_string(r.passages) + " avsnitt (" + PercentSv(r.passages, total) + ")";
    }
    if (desc.empty()) desc = "Inga avsnitt.";
    out_ += "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " +
            std::to_string(width) + " " + std::to_string(height) + "\" width=\"" + std::to_string(width) +
            "\" height=\"" + std::to_string(height) + "\" aria-labelledby=\"" + id + "-t " + id +
            "-d\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n";
    out_ += "<title id=\"" + id + "-t\">" + Esc(title) + "</title>\n<desc id=\"" + id + "-d\">" +
            Esc(desc) + "</desc>\n";
    int y = top;
    for (const CountRow& r : rows) {
      const int w = r.passages * bar_w / max;
      out_ += "<g><title>" + Esc(r.label + ": " + std::to_string(r.passages) + " avsnitt") + "</title>";
      out_ += "<text x=\"" + std::to_string(label_w - 8) + "\" y=\"" + std::to_string(y + 16) +
              "\" text-anchor=\"end\" fill=\"#1b1f24\">" + Esc(TruncateUtf8(r.label, 24)) + "</text>";
      out_ += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" +
              std::to_string(std::max(w, r.passages > 0 ? 2 : 0)) + "\" height=\"16\" fill=\"#1f4e8c\"/>";
      out_ += "<text x=\"" + std::to_string(label_w + w + 6) + "\" y=\"" + std::to_string(y + 16) +
              "\" fill=\"#1b1f24\">" + std::to_string(r.passages) + " (" + Esc(PercentSv(r.passages, total)) +
              ")</text></g>\n";
      y += row_h;
    }
    out_ += "</svg>\n<figcaption>" + Esc(title) + "</figcaption>\n</figure>\n";
  }

  void HeatMap() {
    const Overview& o = overview_;
    const std::string id = NextId();
    const int label_w = 330, col_w = 104, head_h = 40, row_h = 28;
    const int cols = static_cast<int>(o.actor_groups.size());
    const int width = label_w + col_w * cols + 8;
    const int height = head_h + row_h * static_cast<int>(o.areas.size()) + 8;
    const int max_share = MaxShare();
    out_ += "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " +
            std::to_string(width) + " " + std::to_string(height) + "\" width=\"" + std::to_string(width) +
            "\" height=\"" + std::to_string(height) + "\" aria-labelledby=\"" + id + "-t " + id +
            "-d\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n";
    out_ += "<title id=\"" + id + "-t\">Värmekarta: avsnitt per område och aktörsgrupp</title>\n";
    std::string desc = "Rader: områden. Kolumner: aktörsgrupper. ";
    for (size_t a = 0; a < o.areas.size(); ++a) {
      desc += o.areas[a].name + ": ";
      for (size_t g = 0; g < o.actor_groups.size(); ++g) {
        desc += (g ? ", " : "") + o.actor_groups[g].label + " " + std::to_string(o.matrix[a][g]);
      }
      desc += ". ";
    }
    out_ += "<desc id=\"" + id + "-d\">" + Esc(desc) + "</desc>\n";
    for (int g = 0; g < cols; ++g) {
      const CountRow& group = o.actor_groups[static_cast<size_t>(g)];
      out_ += "<text x=\"" + std::to_string(label_w + col_w * g + col_w / 2) + "\" y=\"" +
              std::to_string(head_h - 12) + "\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"600\" "
              "fill=\"#1b1f24\"><title>" + Esc(group.label + ": " + std::to_string(group.passages) + " avsnitt totalt") +
              "</title>" + Esc(TruncateUtf8(group.label, 15)) + "</text>\n";
    }
    for (size_t a = 0; a < o.areas.size(); ++a) {
      const AreaRow& area = o.areas[a];
      const int y = head_h + row_h * static_cast<int>(a);
      out_ += "<text x=\"" + std::to_string(4 + 14 * area.depth) + "\" y=\"" + std::to_string(y + 18) +
              "\" fill=\"#1b1f24\"" + (area.depth == 0 ? " font-weight=\"600\"" : "") + "><title>" +
              Esc(area.name) + "</title>" + Esc(TruncateUtf8(area.name, area.depth == 0 ? 44 : 42)) +
              "</text>\n";
      for (int g = 0; g < cols; ++g) {
        const int n = o.matrix[a][static_cast<size_t>(g)];
        const int t = Shade(a, static_cast<size_t>(g), max_share);
        const CountRow& group = o.actor_groups[static_cast<size_t>(g)];
        const int x = label_w + col_w * g;
        out_ += "<g><title>" +
                Esc(area.name + " – " + group.label + ": " + std::to_string(n) + " avsnitt, " +
                    PercentSv(n, group.passages) + " av gruppens avsnitt") +
                "</title><rect x=\"" + std::to_string(x + 1) + "\" y=\"" + std::to_string(y + 1) +
                "\" width=\"" + std::to_string(col_w - 2) + "\" height=\"" + std::to_string(row_h - 2) +
                "\" fill=\"" + HeatColour(t) + "\"/><text x=\"" + std::to_string(x + col_w / 2) + "\" y=\"" +
                std::to_string(y + 18) + "\" text-anchor=\"middle\" fill=\"" + HeatInk(t) + "\">" +
                std::to_string(n) + "</text></g>\n";
      }
    }
    out_ += "</svg>\n<figcaption>" + Esc(HeatMapExplanation()) + " <span class=\"swatch\" style=\"background:" +
            HeatColour(0) + "\"></span> liten andel <span class=\"swatch\" style=\"background:" +
            HeatColour(1000) + "\"></span> stor andel.</figcaption>\n</figure>\n";
  }

  // The heat map's numbers as a table.
  void HeatTable() {
    const Overview& o = overview_;
    out_ += "<table class=\"matrix\">\n<caption class=\"muted\">Värmekartans siffror: avsnitt per område och aktörsgrupp</caption>\n"
            "<thead><tr><th scope=\"col\">Område</th>";
    for (const CountRow& g : o.actor_groups) out_ += "<th scope=\"col\" class=\"num\">" + Esc(g.label) + "</th>";
    out_ += "<th scope=\"col\" class=\"num\">Totalt</th></tr></thead>\n<tbody>\n";
    for (size_t a = 0; a < o.areas.size(); ++a) {
      out_ += "<tr><th scope=\"row\">" + AreaLink(a) + "</th>";
      for (size_t g = 0; g < o.actor_groups.size(); ++g) {
        out_ += "<td class=\"num\">" + std::to_string(o.matrix[a][g]) + "</td>";
      }
      out_ += "<td class=\"num\">" + std::to_string(o.areas[a].passages) + "</td></tr>\n";
    }
    out_ += "<tr><th scope=\"row\">Alla avsnitt</th>";
    for (const CountRow& g : o.actor_groups) out_ += "<td class=\"num\">" + std::to_string(g.passages) + "</td>";
    out_ += "<td class=\"num\">" + std::to_string(o.passages) + "</td></tr>\n</tbody>\n</table>\n";
  }

  E AreaLink(size_t a) const {
    const AreaRow& area = overview_.areas[a];
    const std::string indent = area.depth > 0 ? "\u2003" : "";
    if (a < overview_.area_files.size() && !overview_.area_files[a].empty()) {
      return indent + "<a href=\"" + Esc(overview_.area_files[a]) + ".html\">" + Esc(area.name) + "</a>";
    }
    return indent + Esc(area.name);
  }

  void AddQuote(const Quote& q, const char* cls = "quote") {
    out_ += "<figure class=\"" + std::string(cls) + "\">\n<blockquote><p>" + Esc(q.text) +
            "</p></blockquote>\n<figcaption>" + CitationHtml(q.cite, q.whole_passage) + "</figcaption>\n</figure>\n";
  }

  static E CitationHtml(const Citation& c, bool whole_passage) {
    E out = "— ";
    if (!c.speaker.empty()) out += Esc(c.speaker) + ", ";
    out += "<strong>" + Esc(c.organisation.empty() ? "(okänd avsändare)" : c.organisation) + "</strong> (" +
           Esc(OrganisationNote(c)) + "). <cite>" + Esc(c.title) + "</cite>";
    if (!c.date.empty()) out += ", " + Esc(c.date);
    out += ". " + Esc(c.where);
    if (!whole_passage) out += " (utdrag)";
    if (!c.section.empty()) out += ", under rubriken ”" + Esc(c.section) + "”";
    out += ". <span class=\"pid\">" + Esc(c.passage_id) + "</span>";
    return out;
  }

 private:
  std::string NextId() { return "fig" + std::to_string(++ids_); }

  int Shade(size_t a, size_t g, int max_share) const {
    const int share = PerMille(overview_.matrix[a][g], overview_.actor_groups[g].passages);
    return max_share > 0 ? share * 1000 / max_share : 0;
  }
  int MaxShare() const {
    int m = 0;
    for (size_t a = 0; a < overview_.areas.size(); ++a) {
      for (size_t g = 0; g < overview_.actor_groups.size(); ++g) {
        m = std::max(m, PerMille(overview_.matrix[a][g], overview_.actor_groups[g].passages));
      }
    }
    return m;
  }

  const Overview& overview_;
  std::string out_;
  int ids_ = 0;
};

void MethodSection(Page* page, int level) {
  page->Heading(level, "Så togs rapporten fram");
  for (const std::string& p : MethodParagraphs()) page->Para(p, "note");
}

void SideCell(Page* page, const Side& s) {
  page->Raw("<td>");
  for (const Quote& q : s.quotes) page->AddQuote(q);
  if (s.quotes.empty()) page->Raw("<span class=\"muted\">Inget citat.</span>");
  page->Raw("</td>");
}

void Disagreements(Page* page, const TopicReport& t, int level) {
  page->Heading(level, "Där aktörsgrupperna skiljer sig åt", t.kind == "area" ? "skillnader" : "skillnader-" + t.id);
  if (t.disagreements.empty()) {
    page->Para(NoDisagreementText(), "note");
    return;
  }
  for (const Disagreement& d : t.disagreements) {
    page->Heading(level + 1, UnitLabel(d, t.kind) + ": " + d.a.actor_group + " och " + d.b.actor_group);
    page->Para(DisagreementSummary(d));
    page->Raw("<table class=\"sides\">\n<thead><tr><td class=\"corner\"></td><th scope=\"col\">" + Esc(d.a.actor_group) +
              "</th><th scope=\"col\">" + Esc(d.b.actor_group) + "</th></tr></thead>\n<tbody>\n");
    auto row = [&](const std::string& label, const std::string& a, const std::string& b) {
      page->Raw("<tr><th scope=\"row\">" + Esc(label) + "</th><td>" + Esc(a) + "</td><td>" + Esc(b) +
                "</td></tr>\n");
    };
    row("Avsnitt här (dokument)", std::to_string(d.a.passages) + " (" + std::to_string(d.a.documents) + ")",
        std::to_string(d.b.passages) + " (" + std::to_string(d.b.documents) + ")");
    row("Andel av gruppens avsnitt i " + std::string(t.kind == "area" ? "området" : "temat"),
        PercentSv(d.a.share_permille, 1000), PercentSv(d.b.share_permille, 1000));
    if (d.by_stance) {
      row("Hållning i meningar om " + JoinWords(d.contested) + " (−1 kritisk … +1 stödjande)", StanceLabel(d.a),
          StanceLabel(d.b));
    }
    row("Ord som gruppen använder mer än den andra", JoinWords(d.a.distinctive), JoinWords(d.b.distinctive));
    page->Raw("<tr><th scope=\"row\">Citat</th>");
    SideCell(page, d.a);
    SideCell(page, d.b);
    page->Raw("</tr>\n</tbody>\n</table>\n");
  }
}

// The body of an area or theme report, headings starting at `level`.
void TopicBody(Page* page, const TopicReport& t, int level) {
  const std::string unit = t.kind == "area" ? "området" : "temat";
  page->Heading(level, "I siffror");
  std::vector<std::pair<std::string, int>> figures = {
      {"Avsnitt", t.passages}, {"Dokument", t.documents}, {"Organisationer", t.organisations}};
  if (t.overridden > 0) figures.emplace_back("Avsnitt med manuellt satt område", t.overridden);
  page->Raw("<div class=\"grid2\">\n");
  page->Figures("Underlaget i " + unit, figures);
  page->Raw("<table>\n<caption class=\"muted\">Typ av underlag</caption>\n<thead><tr><th scope=\"col\">Typ</th>"
            "<th scope=\"col\" class=\"num\">Avsnitt</th><th scope=\"col\" class=\"num\">Dokument</th></tr></thead>\n<tbody>\n");
  for (const CountRow& r : t.by_kind) {
    page->Raw("<tr><th scope=\"row\">" + Esc(r.label) + "</th><td class=\"num\">" + std::to_string(r.passages) +
              "</td><td class=\"num\">" + std::to_string(r.documents) + "</td></tr>\n");
  }
  page->Raw("</tbody>\n</table>\n</div>\n");

  page->Heading(level, "Aktörsgrupper");
  page->Breakdown("aktörsgrupp", "Aktörsgrupp", t.by_actor_group, t.passages);
  page->Heading(level, "Delregioner");
  page->Breakdown("delregion", "Delregion", t.by_subregion, t.passages);

  page->Heading(level, "Nyckelfraser");
  if (t.key_phrases.empty()) {
    page->Para("För lite text för att ta fram nyckelfraser.", "note");
  } else {
    page->Para("Ord och fraser som är vanliga i " + unit +
                   " men ovanliga i resten av underlaget; inom parentes antal avsnitt.",
               "note");
    std::string list = "<ul class=\"phrases\">\n";
    for (const Phrase& p : t.key_phrases) {
      list += "<li>" + Esc(p.phrase) + " <span class=\"muted\">(" + std::to_string(p.passages) + ")</span></li>\n";
    }
    page->Raw(list + "</ul>\n");
  }

  if (t.subtopics.size() > 1) {
    page->Heading(level, "Delteman");
    page->Raw("<table>\n<thead><tr><th scope=\"col\">Deltema</th><th scope=\"col\" class=\"num\">Avsnitt</th>"
              "<th scope=\"col\">Flest avsnitt från</th></tr></thead>\n<tbody>\n");
    for (const SubTopic& s : t.subtopics) {
      std::string groups;
      for (size_t i = 0; i < s.actor_groups.size() && i < 3; ++i) {
        groups += (i ? ", " : "") + s.actor_groups[i].label + " " + std::to_string(s.actor_groups[i].passages);
      }
      page->Raw("<tr><th scope=\"row\">" + Esc(s.label) + "</th><td class=\"num\">" +
                std::to_string(s.passage_ids.size()) + "</td><td>" + Esc(groups) + "</td></tr>\n");
    }
    page->Raw("</tbody>\n</table>\n");
  }

  page->Heading(level, "Representativa citat", t.kind == "area" ? "citat" : "citat-" + t.id);
  if (t.quotes.empty()) page->Para("Inga avsnitt med tillräckligt mycket text att citera.", "note");
  for (const Quote& q : t.quotes) page->AddQuote(q);

  Disagreements(page, t, level);
}

}  // namespace

std::string OverviewHtml(const Overview& o) {
  Page page("Översikt – " + (o.framework_name.empty() ? o.framework_id : o.framework_name), o);
  page.Heading(1, "Samrådsunderlaget i översikt");
  page.Para(o.framework_name.empty() ? o.framework_id : o.framework_name, "lead");
  page.Para("Underlaget består av " + std::to_string(o.passages) + " avsnitt ur " + std::to_string(o.documents) +
            " dokument från " + std::to_string(o.organisations) + " organisationer. " +
            std::to_string(o.in_some_area) + " avsnitt (" + PercentSv(o.in_some_area, o.passages) +
            ") hör till minst ett område i strategin; " + std::to_string(o.no_area) + " (" +
            PercentSv(o.no_area, o.passages) + ") hör inte till något område.");

  page.Heading(2, "Nyckeltal");
  page.Raw("<div class=\"grid2\">\n");
  page.Figures("Hela underlaget", OverviewFigures(o));
  page.Raw("<table>\n<caption class=\"muted\">Typ av underlag</caption>\n<thead><tr><th scope=\"col\">Typ</th>"
           "<th scope=\"col\" class=\"num\">Avsnitt</th><th scope=\"col\" class=\"num\">Dokument</th></tr></thead>\n<tbody>\n");
  for (const CountRow& r : o.by_kind) {
    page.Raw("<tr><th scope=\"row\">" + Esc(r.label) + "</th><td class=\"num\">" + std::to_string(r.passages) +
             "</td><td class=\"num\">" + std::to_string(r.documents) + "</td></tr>\n");
  }
  page.Raw("</tbody>\n</table>\n</div>\n");

  page.Heading(2, "Områden och aktörsgrupper");
  page.HeatMap();
  page.HeatTable();

  page.Heading(2, "Områden med minst underlag");
  page.Raw("<ol>\n");
  for (int a : o.least) {
    const AreaRow& r = o.areas[static_cast<size_t>(a)];
    page.Raw("<li>" + page.AreaLink(static_cast<size_t>(a)) + ": " + std::to_string(r.passages) + " avsnitt ur " +
             std::to_string(r.documents) + " dokument från " + std::to_string(r.organisations) +
             " organisationer</li>\n");
  }
  page.Raw("</ol>\n");

  page.Heading(2, "Alla områden");
  page.Raw("<table>\n<thead><tr><th scope=\"col\">Område</th><th scope=\"col\" class=\"num\">Avsnitt</th>"
           "<th scope=\"col\" class=\"num\">Dokument</th><th scope=\"col\" class=\"num\">Organisationer</th></tr></thead>\n<tbody>\n");
  for (size_t a = 0; a < o.areas.size(); ++a) {
    const AreaRow& r = o.areas[a];
    page.Raw("<tr><th scope=\"row\">" + page.AreaLink(a) + "</th><td class=\"num\">" + std::to_string(r.passages) +
             "</td><td class=\"num\">" + std::to_string(r.documents) + "</td><td class=\"num\">" +
             std::to_string(r.organisations) + "</td></tr>\n");
  }
  page.Raw("</tbody>\n</table>\n");

  page.Heading(2, "Emergenta teman utanför strategins områden");
  page.Para(std::to_string(o.no_area) + " avsnitt hör inte till något område. Av dem grupperades " +
            std::to_string(o.no_area_in_theme) + " i " + std::to_string(o.themes.size()) +
            " emergenta teman efter ordlikhet; resten är för korta eller för spridda för att bilda tema.");
  if (!o.themes.empty()) {
    page.Raw("<table>\n<thead><tr><th scope=\"col\">Tema</th><th scope=\"col\" class=\"num\">Avsnitt</th>"
             "<th scope=\"col\" class=\"num\">Dokument</th></tr></thead>\n<tbody>\n");
    for (const ThemeRow& t : o.themes) {
      const E name = Esc("Tema " + t.id + ": " + t.label);
      page.Raw("<tr><th scope=\"row\">" +
               (o.themes_file ? "<a href=\"" + std::string(kThemesFile) + ".html#tema-" + Esc(t.id) + "\">" + name + "</a>"
                              : name) +
               "</th><td class=\"num\">" + std::to_string(t.passages) + "</td><td class=\"num\">" +
               std::to_string(t.documents) + "</td></tr>\n");
    }
    page.Raw("</tbody>\n</table>\n");
  }
  MethodSection(&page, 2);
  return page.Finish();
}

std::string AreaHtml(const TopicReport& t, const Overview& o) {
  Page page(t.name + " – områdesrapport", o);
  page.Heading(1, t.name);
  std::string lead = "Område i " + (o.framework_name.empty() ? o.framework_id : o.framework_name) + ".";
  page.Para(lead, "lead");
  if (!t.parent_id.empty()) {
    page.Raw("<p>Delområde till <a href=\"" + Esc(AreaFile(t.parent_id)) + ".html\">" + Esc(t.parent_name) +
             "</a>.</p>\n");
  }
  if (!t.children.empty()) {
    std::string c = "<p>Delområden: ";
    for (size_t i = 0; i < t.children.size(); ++i) {
      c += (i ? ", " : "") + std::string("<a href=\"") + Esc(AreaFile(t.children[i].first)) + ".html\">" +
           Esc(t.children[i].second) + "</a>";
    }
    page.Raw(c + ". Deras avsnitt räknas också hit.</p>\n");
  }
  page.Raw("<p><strong>Ramverkets beskrivning:</strong> " + Esc(t.description) + "</p>\n");
  TopicBody(&page, t, 2);
  MethodSection(&page, 2);
  return page.Finish();
}

std::string ThemesHtml(const std::vector<TopicReport>& themes, const Overview& o) {
  Page page("Emergenta teman – det som inget område fångar", o);
  page.Heading(1, "Emergenta teman");
  page.Para("Det som inget av strategins områden fångar.", "lead");
  page.Para(std::to_string(o.no_area) + " av " + std::to_string(o.passages) +
            " avsnitt hör inte till något område. Av dem grupperades " + std::to_string(o.no_area_in_theme) +
            " i " + std::to_string(themes.size()) +
            " teman efter ordlikhet. Temanas namn är deras mest utmärkande ord, inte en tolkning.");
  if (!themes.empty()) {
    std::string toc = "<nav aria-label=\"Teman\"><ul>\n";
    for (const TopicReport& t : themes) {
      toc += "<li><a href=\"#tema-" + Esc(t.id) + "\">" + Esc(t.name) + "</a> (" + std::to_string(t.passages) +
             " avsnitt)</li>\n";
    }
    page.Raw(toc + "</ul></nav>\n");
  }
  for (const TopicReport& t : themes) {
    page.Heading(2, t.name, "tema-" + t.id);
    TopicBody(&page, t, 3);
  }
  MethodSection(&page, 2);
  return page.Finish();
}

}  // namespace samrad::reports::internal
