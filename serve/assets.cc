// The page's stylesheet and its small optional script, served from
// /static/. Kept in the binary so `samrad serve` needs no files beside it.
// The script is a convenience only: every feature works without it.
#include "serve/view.h"

namespace samrad::serve::internal {

const char kStylesheet[] = R"CSS(:root {
  --ink: #1b1f24; --muted: #5a6270; --line: #d8dde4; --bg: #f6f7f9; --card: #fff;
  --accent: #0b5394; --accent-dark: #083c6b; --mark: #ffe58a; --tag: #e8f0fa; --bad: #a4262c;
  font-family: "Source Sans 3", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg); line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
a:hover { color: var(--accent-dark); }
:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; }
.skip:focus { left: 1rem; z-index: 10; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.site { background: var(--accent-dark); color: #fff; }
header.site .inner { max-width: 78rem; margin: 0 auto; padding: .8rem 1.25rem; display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
header.site .brand { color: #fff; font-weight: 700; font-size: 1.35rem; text-decoration: none; letter-spacing: .02em; }
header.site .tagline { color: #cfe0f2; }
header.site nav { margin-left: auto; display: flex; gap: 1.25rem; }
header.site nav a { color: #fff; }
main { max-width: 78rem; margin: 0 auto; padding: 1.25rem; }
.searchbar { display: flex; gap: .5rem; flex-wrap: wrap; align-items: flex-end; }
.searchbar + .hint { margin: .35rem 0 1.25rem; }
.searchbar .field { flex: 1 1 24rem; }
.searchbar label { display: block; font-weight: 600; margin-bottom: .25rem; }
input[type=search], input[type=date], select { font: inherit; padding: .55rem .65rem; border: 1px solid #9aa3af; border-radius: 4px; background: #fff; }
input[type=search] { width: 100%; font-size: 1.1rem; line-height: 1.5; }
#sok { font-size: 1.1rem; }
button { font: inherit; font-weight: 600; padding: .55rem 1.1rem; line-height: 1.5; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button:hover { background: var(--accent-dark); }
button.secondary { background: #fff; color: var(--accent); }
.hint { color: var(--muted); font-size: .9rem; margin: .25rem 0 0; }
.layout { display: grid; grid-template-columns: 21rem 1fr; gap: 1.5rem; align-items: start; }
@media (max-width: 52rem) { .layout { grid-template-columns: 1fr; } }
aside.filters { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem 1rem; }
aside.filters h2 { font-size: 1.05rem; margin: .25rem 0 .5rem; }
fieldset { border: 0; border-top: 1px solid var(--line); margin: 0; padding: .6rem 0 .5rem; }
legend { font-weight: 700; padding: 0; font-size: .95rem; }
fieldset ul { list-style: none; margin: .3rem 0 0; padding: 0; }
fieldset li { margin: .1rem 0; }
fieldset li label { display: flex; gap: .45rem; align-items: baseline; cursor: pointer; font-size: .93rem; }
fieldset li label .name { flex: 1; }
fieldset li.depth-1 { padding-left: 1.3rem; }
fieldset li.zero label { color: var(--muted); }
.count { color: var(--muted); font-variant-numeric: tabular-nums; font-size: .85rem; background: var(--bg); border-radius: 9px; padding: 0 .45rem; }
.dates { display: grid; grid-template-columns: auto 1fr; gap: .35rem .5rem; align-items: center; margin-top: .35rem; font-size: .93rem; }
.dates input { width: 100%; padding: .3rem .4rem; }
.years { list-style: none; padding: 0; margin: .5rem 0 0; display: flex; gap: .4rem; flex-wrap: wrap; font-size: .9rem; }
.years a, .years span { display: inline-block; padding: .1rem .5rem; border: 1px solid var(--line); border-radius: 12px; text-decoration: none; }
.years .selected { background: var(--tag); border-color: var(--accent); }
.filter-actions { display: flex; gap: .6rem; align-items: center; margin-top: .75rem; flex-wrap: wrap; }
.toggle { display: flex; gap: .45rem; align-items: baseline; font-weight: 600; margin: 0 0 .6rem; }
.active-filters { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem; padding: 0; margin: 0 0 .75rem; }
.active-filters li { background: var(--tag); border: 1px solid #b9cde6; border-radius: 14px; padding: .1rem .35rem .1rem .7rem; font-size: .9rem; }
.active-filters a { text-decoration: none; font-weight: 700; padding: 0 .35rem; border-radius: 50%; }
.active-filters a:hover { background: #fff; }
.summary { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: baseline; margin: 0 0 .75rem; }
.summary .total { font-size: 1.1rem; font-weight: 700; }
.summary select { padding: .2rem .3rem; }
.suggestion { background: #fff8e1; border: 1px solid #f0d78c; border-radius: 6px; padding: .5rem .8rem; margin: 0 0 .9rem; }
.error { background: #fdecee; border: 1px solid #e8a3a8; color: var(--bad); border-radius: 6px; padding: .6rem .9rem; margin: 0 0 1rem; }
.welcome { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.25rem; }
.welcome code, .syntax code { background: var(--bg); padding: 0 .25rem; border-radius: 3px; }
ol.hits { list-style: none; margin: 0; padding: 0; }
ol.hits > li { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .85rem 1.1rem; margin-bottom: .75rem; }
.hit h3 { font-size: 1.08rem; margin: 0 0 .15rem; }
.hit h3 .rank { color: var(--muted); font-weight: 400; margin-right: .3rem; }
.cite { color: var(--muted); font-size: .9rem; margin: 0 0 .4rem; }
.cite .org { color: var(--ink); font-weight: 600; }
.speaker { font-weight: 600; margin: .2rem 0; font-size: .95rem; }
.snippet { margin: .2rem 0 .45rem; }
mark { background: var(--mark); color: inherit; padding: 0 .1rem; border-radius: 2px; }
.tags { display: flex; flex-wrap: wrap; gap: .35rem; margin: .3rem 0 0; padding: 0; list-style: none; font-size: .85rem; }
.tags li { background: var(--tag); border-radius: 12px; padding: .05rem .6rem; }
.tags li.theme { background: #eef7ee; }
.tags li.none { background: var(--bg); color: var(--muted); }
.more { font-size: .88rem; color: var(--muted); margin: .35rem 0 0; }
nav.pager ul { list-style: none; display: flex; flex-wrap: wrap; gap: .35rem; padding: 0; margin: 1rem 0; }
nav.pager a, nav.pager span { display: inline-block; min-width: 2.3rem; text-align: center; padding: .3rem .6rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; text-decoration: none; }
nav.pager [aria-current] { background: var(--accent); color: #fff; border-color: var(--accent); }
.back { margin: 0 0 1rem; }
.docmeta { color: var(--muted); margin: .2rem 0 1rem; }
.quote { background: var(--card); border-left: 4px solid var(--accent); padding: .6rem 1rem; margin: 0 0 1.25rem; }
.quote blockquote { margin: 0 0 .4rem; }
.quote p { margin: .2rem 0; }
article.document { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1.25rem; }
article.document section { padding: .6rem .75rem; margin: .3rem -.75rem; border-radius: 4px; }
article.document section.current { background: #fff8e1; outline: 2px solid #f0d78c; }
article.document .text { white-space: pre-line; margin: .1rem 0; }
article.document .where, article.document .section-name { color: var(--muted); font-size: .85rem; margin: 0; }
.syntax dt { font-weight: 700; margin-top: .5rem; }
footer.site { max-width: 78rem; margin: 1rem auto 2rem; padding: 0 1.25rem; color: var(--muted); font-size: .85rem; }
)CSS";

// Submits the search form when a filter changes, so that a planner does not
// have to press "Använd filter"; the button stays for use without script.
const char kScript[] = R"JS((function () {
  'use strict';
  var form = document.getElementById('search-form');
  if (!form) return;
  form.addEventListener('change', function (e) {
    var t = e.target;
    if (!t || !t.matches || !t.matches('.filters input[type=checkbox], select[name=per_page]')) return;
    var page = form.querySelector('input[name=page]');
    if (page) page.disabled = true;
    form.submit();
  });
})();
)JS";

}  // namespace samrad::serve::internal
