// The HTML pages, in Swedish, rendered on the server.
//
// Escaping rule: every string that comes from a document, the index, the
// framework or the request goes through E() (HtmlEscape) on its way into the
// page, in text and in attribute values alike; URLs are built with
// UrlEncode() and then escaped again as attribute values. The one exception
// is Hit::snippet_html, which Xapian has already escaped and in which the
// only markup is our own <mark>…</mark>.
#include <algorithm>
#include <sstream>

#include "serve/view.h"

namespace samrad::serve::internal {
namespace {

std::string E(std::string_view s) { return HtmlEscape(s); }

// 12345 -> "12 345" (a narrow no-break space, as Swedish writes thousands).
std::string Count(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u202f";
    out += digits[i];
  }
  return out;
}

std::string Plural(std::uint64_t n, const char* one, const char* many) {
  return Count(n) + " " + (n == 1 ? one : many);
}

// An estimated count (the query matched too many passages to count them
// all, index::SearchResponse::facets_approximate) is shown as "ca. 1 200".
std::string Approx(bool approximate) { return approximate ? "ca.\u00a0" : ""; }

std::string Layout(std::string_view title, std::string_view body, bool with_script = true) {
  std::string out;
  out.reserve(body.size() + 2048);
  out +=
      "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<link rel=\"icon\" "
      "href=\"data:,\">\n<title>";
  out += E(title);
  out += " – samrad</title>\n<link rel=\"stylesheet\" href=\"/static/samrad.css\">\n";
  if (with_script) out += "<script src=\"/static/samrad.js\" defer></script>\n";
  out +=
      "</head>\n<body>\n<a class=\"skip\" href=\"#innehall\">Hoppa till innehållet</a>\n"
      "<header class=\"site\"><div class=\"inner\"><a class=\"brand\" href=\"/\">samrad</a>"
      "<span class=\"tagline\">Sök i det som sagts i samrådet</span>"
      "<nav aria-label=\"Webbplatsen\"><a href=\"/\">Sök</a><a href=\"/reports/\">Rapporter</a>"
      "<a href=\"/hjalp\">Söktips</a></nav></div></header>\n<main id=\"innehall\">\n";
  out += body;
  out +=
      "</main>\n<footer class=\"site\">samrad – sökning i dialogseminarier och remissvar. "
      "Personuppgifter är borttagna ur texterna.</footer>\n</body>\n</html>\n";
  return out;
}

std::string SearchUrl(const Params& p) {
  const std::string qs = p.ToQueryString();
  return qs.empty() ? "/" : "/?" + qs;
}

std::string PassageUrl(const std::string& passage_id, const Params& p) {
  std::string url = "/passage/" + UrlEncode(passage_id, /*keep_slash=*/true);
  const std::string qs = p.ToQueryString();
  if (!qs.empty()) url += "?" + qs;
  return url + "#stycke";
}

std::string TimeTag(const std::string& date) {
  if (date.empty()) return "";
  return "<time datetime=\"" + E(date) + "\">" + E(SwedishDate(date)) + "</time>";
}

// "Organisation · 24 april 2019 · Remissvar · rad 12–14"
std::string CitationLine(const index::Citation& c, bool with_where) {
  std::vector<std::string> parts;
  if (!c.organisation.empty())
    parts.push_back("<span class=\"org\">" + E(c.organisation) + "</span>");
  if (!c.date.empty()) parts.push_back(TimeTag(c.date));
  if (!c.kind.empty()) parts.push_back(E(KindLabel(c.kind)));
  if (with_where && !c.where.empty()) parts.push_back(E(c.where));
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? " · " : "") + parts[i];
  return out;
}

std::string Tags(const index::Hit& h, const Catalog& catalog) {
  std::string out = "<ul class=\"tags\" aria-label=\"Strategiområden och tema\">";
  if (h.areas.empty()) out += "<li class=\"none\">Inget strategiområde</li>";
  for (const std::string& a : h.areas) out += "<li>" + E(catalog.AreaName(a)) + "</li>";
  if (h.theme >= 0)
    out += "<li class=\"theme\">" + E(catalog.ThemeLabel(std::to_string(h.theme))) + "</li>";
  return out + "</ul>";
}

std::string RenderHit(const index::Hit& h, const Params& p, const Catalog& catalog) {
  std::string out = "<li class=\"hit\">\n<h3><span class=\"rank\">" + std::to_string(h.rank) +
                    ".</span><a href=\"" + E(PassageUrl(h.passage_id, p)) + "\">" +
                    E(h.citation.title.empty() ? h.citation.doc_id : h.citation.title) +
                    "</a></h3>\n";
  out += "<p class=\"cite\">" + CitationLine(h.citation, true) + "</p>\n";
  if (!h.speaker.empty()) {
    out += "<p class=\"speaker\">" + E(h.speaker) + "</p>\n";
  } else if (!h.section.empty()) {
    out += "<p class=\"speaker\">" + E(h.section) + "</p>\n";
  }
  // Already HTML-escaped by Xapian, with <mark> around the matches.
  out += "<p class=\"snippet\">" + h.snippet_html + "</p>\n";
  out += Tags(h, catalog) + "\n";
  if (h.collapsed > 0) {
    out += "<p class=\"more\">+ " +
           Plural(static_cast<std::uint64_t>(h.collapsed), "träff till", "träffar till") +
           " i samma dokument</p>\n";
  }
  return out + "</li>\n";
}

std::string RenderFacetGroup(const FacetGroup& g) {
  std::string out = "<fieldset class=\"facet\" id=\"filter-" + E(g.param) + "\"><legend>" +
                    E(g.legend) + "</legend>";
  if (g.values.empty()) return out + "<p class=\"hint\">Inga värden i träffarna.</p></fieldset>\n";
  out += "<ul>";
  int i = 0;
  for (const FacetValue& v : g.values) {
    const std::string id = g.param + "-" + std::to_string(i++);
    out += "<li class=\"depth-" + std::to_string(std::min(v.depth, 1)) +
           (v.count == 0 ? " zero" : "") + "\">";
    out += "<label for=\"" + E(id) + "\"><input type=\"checkbox\" id=\"" + E(id) + "\" name=\"" +
           E(g.param) + "\" value=\"" + E(v.value) + "\"" + (v.selected ? " checked" : "") + ">";
    out += "<span class=\"name\">" + E(v.label) + "</span>";
    out += "<span class=\"count\" aria-label=\"" + Approx(g.approximate) +
           Plural(v.count, "träff", "träffar") + "\">" + Approx(g.approximate) + Count(v.count) +
           "</span></label></li>";
  }
  return out + "</ul></fieldset>\n";
}

std::string RenderDates(const SearchView& view) {
  const Params& p = view.params;
  std::string out =
      "<fieldset class=\"facet\" id=\"filter-datum\"><legend>Datum</legend><div class=\"dates\">"
      "<label for=\"from\">Från</label><input type=\"date\" id=\"from\" name=\"from\" value=\"" +
      E(p.from) + "\" min=\"1900-01-01\" max=\"2099-12-31\">" +
      "<label for=\"to\">Till</label><input type=\"date\" id=\"to\" name=\"to\" value=\"" +
      E(p.to) + "\" min=\"1900-01-01\" max=\"2099-12-31\"></div>";
  if (!view.years.empty()) {
    out += "<ul class=\"years\" aria-label=\"Välj ett år\">";
    for (const YearCount& y : view.years) {
      Params q = p;
      q.page = 1;
      const std::string year = std::to_string(y.year);
      if (y.selected) {
        q.from.clear();
        q.to.clear();
      } else {
        q.from = year + "-01-01";
        q.to = year + "-12-31";
      }
      out += "<li><a href=\"" + E(SearchUrl(q)) + "\"" +
             (y.selected ? " class=\"selected\" aria-current=\"true\"" : "") + ">" + year +
             " <span class=\"count\">" + Approx(y.approximate) + Count(y.count) + "</span></a></li>";
    }
    out += "</ul>";
  }
  return out + "</fieldset>\n";
}

std::string RenderPager(const SearchView& view) {
  const Params& p = view.params;
  const std::uint64_t total = view.response->total_estimate;
  if (total <= static_cast<std::uint64_t>(p.per_page)) return "";
  const int max_pages = 10000 / p.per_page;
  const int pages =
      static_cast<int>(std::min<std::uint64_t>((total + p.per_page - 1) / p.per_page, max_pages));
  auto link = [&](int page, const std::string& text, const std::string& rel,
                  const std::string& label) {
    Params q = p;
    q.page = page;
    return "<li><a href=\"" + E(SearchUrl(q)) + "\"" + (rel.empty() ? "" : " rel=\"" + rel + "\"") +
           (label.empty() ? "" : " aria-label=\"" + label + "\"") + ">" + text + "</a></li>";
  };
  std::string out = "<nav class=\"pager\" aria-label=\"Sidor\"><ul>";
  if (p.page > 1) out += link(p.page - 1, "← Föregående", "prev", "");
  int last = 0;
  for (int i = 1; i <= pages; ++i) {
    if (i != 1 && i != pages && (i < p.page - 2 || i > p.page + 2)) continue;
    if (last != 0 && i > last + 1) out += "<li><span aria-hidden=\"true\">…</span></li>";
    if (i == p.page) {
      out += "<li><span aria-current=\"page\">" + std::to_string(i) + "</span></li>";
    } else {
      out += link(i, std::to_string(i), "", "Sida " + std::to_string(i));
    }
    last = i;
  }
  if (p.page < pages) out += link(p.page + 1, "Nästa →", "next", "");
  return out + "</ul></nav>\n";
}

std::vector<std::string>* ListFor(Params& p, const std::string& param) {
  if (param == "area") return &p.areas;
  if (param == "theme") return &p.themes;
  if (param == "actor") return &p.actors;
  if (param == "region") return &p.regions;
  if (param == "kind") return &p.kinds;
  return nullptr;
}

// The filters in force, each with a link that removes it (no script needed).
std::string RenderActiveFilters(const SearchView& view) {
  const Params& p = view.params;
  std::vector<std::pair<std::string, Params>> chips;  // label, params without it
  for (const FacetGroup& g : view.groups) {
    for (const FacetValue& v : g.values) {
      if (!v.selected) continue;
      Params without = p;
      without.page = 1;
      if (std::vector<std::string>* list = ListFor(without, g.param)) {
        list->erase(std::remove(list->begin(), list->end(), v.value), list->end());
      }
      chips.emplace_back(g.legend + ": " + v.label, without);
    }
  }
  if (!p.from.empty() || !p.to.empty()) {
    Params without = p;
    without.page = 1;
    without.from.clear();
    without.to.clear();
    std::string label = "Datum:";
    if (!p.from.empty()) label += " från " + SwedishDate(p.from);
    if (!p.to.empty()) label += " till " + SwedishDate(p.to);
    chips.emplace_back(label, without);
  }
  if (p.per_document) {
    Params without = p;
    without.page = 1;
    without.per_document = false;
    chips.emplace_back("En träff per dokument", without);
  }
  if (chips.empty()) return "";
  std::string out = "<ul class=\"active-filters\" aria-label=\"Valda filter\">";
  for (const auto& [label, without] : chips) {
    out += "<li>" + E(label) + " <a href=\"" + E(SearchUrl(without)) +
           "\" aria-label=\"Ta bort filtret " + E(label) +
           "\" title=\"Ta bort filtret\">×</a></li>";
  }
  return out + "</ul>\n";
}

std::string RenderResults(const SearchView& view, const Catalog& catalog) {
  const Params& p = view.params;
  std::string out;
  out += RenderActiveFilters(view);
  if (!view.error.empty()) {
    out += "<div class=\"error\" role=\"alert\"><strong>Sökningen kunde inte göras.</strong> " +
           E(view.error) + "</div>\n";
  }
  if (!view.response) {
    if (view.error.empty()) {
      out +=
          "<div class=\"welcome\"><h2>Vad sa de om …?</h2>"
          "<p>Sök bland allt som sagts på dialogseminarierna och i remissvaren. Skriv ett eller "
          "flera ord, "
          "eller välj bara filter till vänster. Sökningen hittar böjningar (<code>bostad</code> "
          "hittar "
          "<em>bostäderna</em>) och delar av sammansatta ord (<code>försörjning</code> hittar "
          "<em>kompetensförsörjning</em>).</p>"
          "<p>Siffrorna vid filtren visar hur många stycken som finns. <a href=\"/hjalp\">Fler "
          "söktips</a>.</p></div>\n";
    }
    return out;
  }
  const index::SearchResponse& r = *view.response;
  if (r.partial) {
    // A shard set opened with allow_partial (docs/scaling.md): say so.
    out += "<p class=\"partial\" role=\"alert\">Ofullständigt resultat: en del av sökindexet svarar "
           "inte just nu, så träffar och siffror saknas från den delen.</p>\n";
  }
  if (!r.corrected_query.empty()) {
    Params q = p;
    q.q = r.corrected_query;
    q.page = 1;
    out += "<p class=\"suggestion\">Menade du <a href=\"" + E(SearchUrl(q)) + "\" id=\"forslag\">" +
           E(r.corrected_query) + "</a>?</p>\n";
  }
  out += "<div class=\"summary\"><p class=\"total\" id=\"antal\" role=\"status\">";
  if (r.total_estimate == 0) {
    out += "Inga träffar";
  } else {
    out += Approx(view.TotalApproximate()) + Plural(r.total_estimate, "träff", "träffar");
    if (p.per_document) out += " (en per dokument)";
  }
  out += "</p>";
  if (!r.hits.empty()) {
    out += "<p>Visar " + std::to_string(r.hits.front().rank) + "–" +
           std::to_string(r.hits.back().rank) + "</p>";
  }
  out +=
      "<p><label for=\"per_page\">Träffar per sida</label> <select id=\"per_page\" "
      "name=\"per_page\">";
  for (int n : {10, 20, 50, 100}) {
    out += "<option value=\"" + std::to_string(n) + "\"" + (n == p.per_page ? " selected" : "") +
           ">" + std::to_string(n) + "</option>";
  }
  out += "</select></p></div>\n";
  if (r.hits.empty()) {
    out +=
        "<p>" +
        std::string(r.total_estimate == 0
                        ? "Inget stycke matchar. Pröva färre eller andra ord, eller ta bort filter."
                        : "Den här sidan är tom; gå tillbaka en sida.") +
        "</p>\n";
    return out;
  }
  out += "<ol class=\"hits\">\n";
  for (const index::Hit& h : r.hits) out += RenderHit(h, p, catalog);
  out += "</ol>\n";
  out += RenderPager(view);
  return out;
}

std::string StatusTitle(int status) {
  switch (status) {
    case 400:
      return "Felaktig förfrågan";
    case 404:
      return "Sidan finns inte";
    case 405:
      return "Metoden stöds inte";
    case 413:
    case 414:
      return "För lång förfrågan";
    case 503:
      return "Sökningen är inte tillgänglig just nu";
    default:
      return "Något gick fel";
  }
}

}  // namespace

std::string RenderSearchPage(const SearchView& view, const Catalog& catalog) {
  const Params& p = view.params;
  std::string body;
  body +=
      "<form id=\"search-form\" method=\"get\" action=\"/\" role=\"search\" aria-label=\"Sök i "
      "samrådet\">\n";
  body +=
      "<div class=\"searchbar\"><div class=\"field\"><label for=\"q\">Sök i det som sagts</label>"
      "<input type=\"search\" id=\"q\" name=\"q\" value=\"" +
      E(p.q) + "\" maxlength=\"" + std::to_string(view.max_query_bytes) +
      "\" autocomplete=\"off\" placeholder=\"t.ex. kompetensförsörjning\" "
      "aria-describedby=\"q-hint\"></div>"
      "<button type=\"submit\" id=\"sok\">Sök</button></div>\n"
      "<p class=\"hint\" id=\"q-hint\">Alla ord ska finnas. Hittar böjningar och sammansättningar. "
      "\"fras\", ELLER, INTE. <a href=\"/hjalp\">Söktips</a></p>\n";
  body +=
      "<div class=\"layout\">\n<aside class=\"filters\" aria-labelledby=\"filter-rubrik\"><h2 "
      "id=\"filter-rubrik\">Filtrera</h2>\n";
  if (view.FacetsApproximate()) {
    body +=
        "<p class=\"hint\" id=\"uppskattat\">Sökningen ger många träffar. Siffror med ca. är "
        "uppskattade från ett urval av träffarna.</p>\n";
  }
  body +=
      "<label class=\"toggle\" for=\"per_document\"><input type=\"checkbox\" id=\"per_document\" "
      "name=\"per_document\" value=\"1\"" +
      std::string(p.per_document ? " checked" : "") + "> En träff per dokument</label>\n";
  for (const FacetGroup& g : view.groups) body += RenderFacetGroup(g);
  body += RenderDates(view);
  Params cleared;
  cleared.q = p.q;
  cleared.per_page = p.per_page;
  body +=
      "<div class=\"filter-actions\"><button type=\"submit\" class=\"secondary\" "
      "id=\"anvand-filter\">Använd filter</button>"
      "<a href=\"" +
      E(SearchUrl(cleared)) + "\">Rensa filter</a></div>\n</aside>\n";
  body +=
      "<section class=\"results\" id=\"resultat\" aria-labelledby=\"resultat-rubrik\"><h2 "
      "id=\"resultat-rubrik\" class=\"visually-hidden\">Resultat</h2>\n";
  body += RenderResults(view, catalog);
  body += "</section>\n</div>\n</form>\n";
  const std::string title = p.q.empty() ? std::string("Sök i samrådet") : p.q + " – Sök i samrådet";
  return Layout(title, body);
}

std::string RenderPassagePage(const index::PassageView& view, const Params& params,
                              const Catalog& catalog) {
  const index::Hit& h = view.passage;
  const index::Citation& c = h.citation;
  const std::string back = params.Empty() ? "<a href=\"/\">← Till sökningen</a>"
                                          : "<a href=\"" + E(SearchUrl(params)) +
                                                "\" id=\"tillbaka\">← Tillbaka till träffarna</a>";
  std::string body = "<p class=\"back\">" + back + "</p>\n";
  const std::string title = c.title.empty() ? c.doc_id : c.title;
  body += "<h1>" + E(title) + "</h1>\n";
  std::vector<std::string> meta;
  if (!c.organisation.empty()) meta.push_back(E(c.organisation));
  if (!c.date.empty()) meta.push_back(TimeTag(c.date));
  if (!c.kind.empty()) meta.push_back(E(KindLabel(c.kind)));
  if (!h.actor_group.empty()) meta.push_back("Aktörsgrupp: " + E(h.actor_group));
  if (!h.subregion.empty()) meta.push_back("Delregion: " + E(h.subregion));
  body += "<p class=\"docmeta\">";
  for (size_t i = 0; i < meta.size(); ++i) body += (i ? " · " : "") + meta[i];
  body += "</p>\n";

  // The quote, with a citation a planner can copy.
  body +=
      "<figure class=\"quote\" aria-labelledby=\"citat-rubrik\"><h2 id=\"citat-rubrik\" "
      "class=\"visually-hidden\">Citat</h2><blockquote>";
  if (!h.speaker.empty()) body += "<p class=\"speaker\">" + E(h.speaker) + ":</p>";
  body += "<p>" + E(h.text) + "</p></blockquote>";
  body += "<figcaption>" + E(c.organisation) + (c.organisation.empty() ? "" : ", ") + "”" +
          E(title) + "”" + (c.date.empty() ? "" : ", " + E(SwedishDate(c.date))) +
          (c.where.empty() ? "" : ", " + E(c.where)) + ".</figcaption>";
  body += Tags(h, catalog) + "</figure>\n";

  body +=
      "<h2>I sitt sammanhang</h2>\n<article class=\"document\" aria-label=\"Hela dokumentet\">\n";
  std::string last_section;
  for (const index::Hit& p : view.document_passages) {
    const bool current = p.passage_id == h.passage_id;
    body += current ? "<section id=\"stycke\" class=\"current\" aria-current=\"true\">"
                    : "<section id=\"s-" + E(UrlEncode(p.passage_id)) + "\">";
    if (!p.section.empty() && p.section != last_section)
      body += "<p class=\"section-name\">" + E(p.section) + "</p>";
    last_section = p.section;
    if (!p.speaker.empty()) body += "<p class=\"speaker\">" + E(p.speaker) + ":</p>";
    body += "<p class=\"text\">" + E(p.text) + "</p>";
    if (!p.citation.where.empty()) body += "<p class=\"where\">" + E(p.citation.where) + "</p>";
    body += "</section>\n";
  }
  body += "</article>\n<p class=\"back\">" + back + "</p>\n";
  return Layout(title, body);
}

std::string RenderHelpPage() {
  const std::string body = R"HTML(<h1>Söktips</h1>
<div class="welcome syntax">
<p>Skriv ett eller flera ord. Alla ord måste finnas i stycket. Sökningen hittar ordets böjningar
(<code>bostad</code> hittar <em>bostäder</em> och <em>bostäderna</em>) och delar av sammansatta ord
(<code>skola</code> hittar <em>grundskolan</em>).</p>
<dl>
<dt><code>"hela regionen"</code></dt><dd>En exakt fras.</dd>
<dt><code>buss ELLER tåg</code></dt><dd>Något av orden (även <code>OR</code>).</dd>
<dt><code>vindkraft INTE havsbaserad</code></dt><dd>Utan ett ord (även <code>NOT</code> eller <code>-ord</code>).</dd>
<dt><code>aktör:kommun</code></dt><dd>Bara en aktörsgrupp: kommun, kommunalförbund, region, myndighet, akademi, näringsliv, civilsamhälle, blandat.</dd>
<dt><code>delregion:Skaraborg</code></dt><dd>Bara en delregion: Fyrbodal, Skaraborg, Sjuhärad, Göteborgsregionen, "hela regionen".</dd>
<dt><code>typ:remiss</code></dt><dd>Bara remissvar (<code>typ:seminar</code> för dialogseminarier).</dd>
<dt><code>område:ID</code>, <code>tema:2</code>, <code>forum:Klimat2030</code>, <code>organisation:"Borås Stad"</code></dt><dd>Strategiområde, framväxande tema, forum eller organisation.</dd>
<dt><code>2019-03-01..2019-06-30</code></dt><dd>Ett datumintervall.</dd>
</dl>
<p>Filtren bredvid träffarna gör samma sak med ett klick, och siffrorna vid dem visar hur många
stycken som matchar. <a href="/">Till sökningen</a></p>
</div>
)HTML";
  return Layout("Söktips", body, false);
}

std::string RenderErrorPage(int status, std::string_view message) {
  std::string body = "<h1>" + E(StatusTitle(status)) + "</h1>\n<p class=\"error\" role=\"alert\">" +
                     E(message) + "</p>\n<p><a href=\"/\">Till sökningen</a></p>\n";
  return Layout(StatusTitle(status), body, false);
}

}  // namespace samrad::serve::internal
