#!/usr/bin/env python3
"""Validates samrad's bundled corpus (corpus/README.md describes it).

Checks, each printed as one line, exit 1 if any fails:
  1. counts per kind and per format (40 seminar notes, 25 remiss answers, the odd formats);
  2. every document has a sidecar that fits the schema, and every sidecar names a document;
  3. the framework is well formed; every area id used in gold exists in it;
  4. every gold quote (labels, queries) occurs verbatim in its document's text;
  5. every planted personal-data item occurs in its document;
  6. compounds.tsv: every split concatenates back to its word;
  7. gold sizes: >= 200 labels, >= 40 queries (with inflected and compound subsets), >= 150 compounds.

Standard library only, plus `pdftotext` (poppler-utils) for PDF text.
Usage: validate.py [CORPUS_ROOT]   (default: the folder above this script)
"""
import html.parser
import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
import xml.etree.ElementTree as ET

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
DOCS = os.path.join(ROOT, "documents")
GOLD = os.path.join(ROOT, "gold")

KINDS = {"seminar", "remiss", "other"}
ACTOR_GROUPS = {"kommun", "kommunalförbund", "region", "myndighet", "akademi", "näringsliv",
                "civilsamhälle", "blandat"}
SUBREGIONS = {"Fyrbodal", "Skaraborg", "Sjuhärad", "Göteborgsregionen", "hela regionen"}
META_FIELDS = {"kind": str, "title": str, "date": str, "organisation": str, "actor_group": str,
               "subregion": str, "forum": str, "municipality": str}
REQUIRED_META = ["kind", "title", "date", "organisation", "actor_group", "subregion"]
FORMATS = {".txt", ".md", ".html", ".docx", ".pdf", ".json"}

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def norm_ws(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


class VisibleText(html.parser.HTMLParser):
    SKIP = {"script", "style", "nav", "footer", "head"}
    BLOCK = {"p", "h1", "h2", "h3", "h4", "li", "div", "br", "tr", "section", "article"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth > 0:
            self.depth -= 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.depth == 0:
            self.parts.append(data)


def raw_bytes_to_text(b):
    if b.startswith(b"\xef\xbb\xbf"):
        b = b[3:]
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("cp1252")


def document_text(path):
    ext = os.path.splitext(path)[1]
    with open(path, "rb") as f:
        data = f.read()
    if ext in (".txt", ".md"):
        return raw_bytes_to_text(data)
    if ext == ".html":
        p = VisibleText()
        p.feed(raw_bytes_to_text(data))
        return "".join(p.parts)
    if ext == ".json":
        j = json.loads(data.decode("utf-8"))
        out = []

        def walk(v):
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, list):
                for x in v:
                    walk(x)
            elif isinstance(v, dict):
                for x in v.values():
                    walk(x)
        walk(j)
        return "\n".join(out)
    if ext == ".docx":
        with zipfile.ZipFile(path) as z:
            root = ET.fromstring(z.read("word/document.xml"))
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        paras = []
        for p in root.iter(w + "p"):
            paras.append("".join(t.text or "" for t in p.iter(w + "t")))
        return "\n".join(paras)
    if ext == ".pdf":
        text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", path, "-"], check=True,
                              capture_output=True).stdout.decode("utf-8")
        # A line broken after the hyphen of a number ("070-" / "512 88 03")
        # is one token in the source.
        return re.sub(r"(\d)-\n(\d)", r"\1-\2", text)
    raise ValueError("unknown format " + ext)


def read_jsonl(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    check(False, "%s:%d: not JSON: %s" % (path, n, e))
    return rows


def main():
    # 1-2: documents and sidecars.
    docs = {}
    sidecars = []
    for dirpath, _, files in os.walk(DOCS):
        for name in files:
            rel = os.path.relpath(os.path.join(dirpath, name), DOCS).replace(os.sep, "/")
            if name.endswith(".meta.json"):
                sidecars.append(rel)
            else:
                docs[rel] = None
    unknown = sorted(d for d in docs if os.path.splitext(d)[1] not in FORMATS)
    check(not unknown, "every document has a known format%s" % "".join("\n      " + d for d in unknown))
    metas = {}
    bad_meta = []
    for sc in sorted(sidecars):
        target = sc[: -len(".meta.json")]
        if target not in docs:
            bad_meta.append("%s names no existing document" % sc)
            continue
        try:
            with open(os.path.join(DOCS, sc), encoding="utf-8") as f:
                m = json.load(f)
        except (OSError, ValueError) as e:
            bad_meta.append("%s: %s" % (sc, e))
            continue
        problems = []
        for k, v in m.items():
            if k not in META_FIELDS:
                problems.append("unknown field %s" % k)
            elif not isinstance(v, META_FIELDS[k]):
                problems.append("field %s is not a string" % k)
        for k in REQUIRED_META:
            if not m.get(k):
                problems.append("missing field %s" % k)
        if m.get("kind") not in KINDS:
            problems.append("kind %r" % m.get("kind"))
        if m.get("actor_group") not in ACTOR_GROUPS:
            problems.append("actor_group %r" % m.get("actor_group"))
        if m.get("subregion") not in SUBREGIONS:
            problems.append("subregion %r" % m.get("subregion"))
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", m.get("date", "")):
            problems.append("date %r" % m.get("date"))
        if problems:
            bad_meta.append("%s: %s" % (sc, "; ".join(problems)))
        metas[target] = m
    check(not bad_meta, "sidecars fit the schema (%d sidecars)%s" % (len(sidecars), "".join("\n      " + b for b in bad_meta)))
    missing = sorted(d for d in docs if d not in metas)
    check(not missing, "every document has a sidecar%s" % "".join("\n      " + d for d in missing))

    kinds = {}
    for d, m in metas.items():
        kinds[m["kind"]] = kinds.get(m["kind"], 0) + 1
    fmt = {}
    for d in docs:
        e = os.path.splitext(d)[1]
        fmt[e] = fmt.get(e, 0) + 1
    print("      kinds: %s; formats: %s" % (json.dumps(kinds, sort_keys=True), json.dumps(fmt, sort_keys=True)))
    check(kinds.get("seminar", 0) >= 40, "at least 40 seminar notes (%d)" % kinds.get("seminar", 0))
    check(kinds.get("remiss", 0) >= 25, "at least 25 remiss answers (%d)" % kinds.get("remiss", 0))
    check(fmt.get(".docx", 0) >= 3, "at least 3 .docx (%d)" % fmt.get(".docx", 0))
    check(fmt.get(".pdf", 0) >= 3, "at least 3 .pdf (%d)" % fmt.get(".pdf", 0))
    check(fmt.get(".html", 0) >= 2, "at least 2 .html (%d)" % fmt.get(".html", 0))
    check(fmt.get(".json", 0) >= 1, "at least 1 .json web-form export (%d)" % fmt.get(".json", 0))
    cp1252 = bom_crlf = 0
    for d in docs:
        if d.endswith(".txt"):
            with open(os.path.join(DOCS, d), "rb") as f:
                b = f.read()
            if b.startswith(b"\xef\xbb\xbf") and b"\r\n" in b:
                bom_crlf += 1
            try:
                b.decode("utf-8")
            except UnicodeDecodeError:
                cp1252 += 1
    check(cp1252 >= 1, "at least 1 Windows-1252 .txt (%d)" % cp1252)
    check(bom_crlf >= 1, "at least 1 UTF-8 .txt with BOM and CRLF (%d)" % bom_crlf)

    texts = {}
    for d in sorted(docs):
        try:
            texts[d] = norm_ws(document_text(os.path.join(DOCS, d)))
        except Exception as e:  # a corpus file we cannot read is a failure of the corpus
            check(False, "%s: cannot extract text: %s" % (d, e))
    short = []
    for d, m in metas.items():
        if m["kind"] == "seminar" and d in texts:
            words = len(texts[d].split())
            if not 500 <= words <= 1600:
                short.append("%s: %d words" % (d, words))
    check(not short, "seminar notes have 500-1500 words%s" % "".join("\n      " + s for s in short))

    # 3: framework.
    with open(os.path.join(ROOT, "framework", "vg2030.json"), encoding="utf-8") as f:
        fw = json.load(f)
    ids = [a.get("id") for a in fw["areas"]]
    check(len(ids) == len(set(ids)) and all(ids), "framework area ids unique and present (%d areas)" % len(ids))
    check(all(a.get("parent") in (None, *ids) for a in fw["areas"]), "framework parents exist")
    check(all(a.get("seed_terms") and a.get("description") and a.get("name") for a in fw["areas"]),
          "framework areas have name, description and seed terms")
    area_ids = set(ids)

    # 4: gold quotes.
    def quote_ok(ref, where):
        d, q = ref.get("doc"), ref.get("quote", "")
        if d not in texts:
            return "%s: unknown doc %r" % (where, d)
        if not q or norm_ws(q) not in texts[d]:
            return "%s: quote not in %s: %r" % (where, d, q[:80])
        return None

    labels = read_jsonl(os.path.join(GOLD, "labels.jsonl"))
    errs = []
    for i, row in enumerate(labels, 1):
        e = quote_ok(row, "labels.jsonl:%d" % i)
        if e:
            errs.append(e)
        for a in row.get("areas", []):
            if a not in area_ids:
                errs.append("labels.jsonl:%d: unknown area %r" % (i, a))
        if not isinstance(row.get("areas"), list):
            errs.append("labels.jsonl:%d: areas is not a list" % i)
    seen = {}
    for i, row in enumerate(labels, 1):
        key = (row.get("doc"), row.get("quote"))
        if key in seen:
            errs.append("labels.jsonl:%d: duplicate of line %d" % (i, seen[key]))
        seen[key] = i
    check(not errs, "labels.jsonl: %d labels, quotes verbatim, areas known%s" % (len(labels), "".join("\n      " + e for e in errs[:40])))
    none = sum(1 for r in labels if not r.get("areas"))
    print("      labels with no area: %d; per area: %s" % (none, json.dumps(
        {a: sum(1 for r in labels if a in r.get("areas", [])) for a in ids})))
    check(len(labels) >= 200, "at least 200 gold labels (%d)" % len(labels))

    queries = read_jsonl(os.path.join(GOLD, "queries.jsonl"))
    errs = []
    for i, row in enumerate(queries, 1):
        if not row.get("query") or not row.get("relevant"):
            errs.append("queries.jsonl:%d: needs query and relevant" % i)
        for ref in row.get("relevant", []):
            e = quote_ok(ref, "queries.jsonl:%d" % i)
            if e:
                errs.append(e)
    check(not errs, "queries.jsonl: %d queries, quotes verbatim%s" % (len(queries), "".join("\n      " + e for e in errs[:40])))
    tags = {}
    for q in queries:
        for t in q.get("tags", []):
            tags[t] = tags.get(t, 0) + 1
    check(len(queries) >= 40 and tags.get("inflected", 0) >= 5 and tags.get("compound", 0) >= 5,
          "at least 40 queries with inflected and compound subsets (%s)" % json.dumps(tags, sort_keys=True))

    # 5: personal data.
    pii = read_jsonl(os.path.join(GOLD, "pii.jsonl"))
    errs = []
    for i, row in enumerate(pii, 1):
        d = row.get("doc")
        if d not in texts or norm_ws(row.get("text", "")) not in texts[d]:
            errs.append("pii.jsonl:%d: %r not in %s" % (i, row.get("text"), d))
        if row.get("type") not in ("name", "email", "phone", "personnummer"):
            errs.append("pii.jsonl:%d: type %r" % (i, row.get("type")))
    ptypes = {}
    for r in pii:
        ptypes[r.get("type")] = ptypes.get(r.get("type"), 0) + 1
    check(not errs and len(pii) > 0, "pii.jsonl: %d items occur in the corpus (%s)%s" % (
        len(pii), json.dumps(ptypes, sort_keys=True), "".join("\n      " + e for e in errs[:40])))

    # 6-7: compounds.
    errs = []
    n = 0
    with open(os.path.join(GOLD, "compounds.tsv"), encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            n += 1
            cols = line.split("\t")
            if len(cols) != 2:
                errs.append("compounds.tsv:%d: expected 2 columns" % i)
                continue
            word, split = cols
            if re.sub(r"[()+]", "", split) != word:
                errs.append("compounds.tsv:%d: %s does not give back %s" % (i, split, word))
    check(not errs, "compounds.tsv: %d rows, every split gives back its word%s" % (n, "".join("\n      " + e for e in errs[:40])))
    check(n >= 150, "at least 150 compound rows (%d)" % n)

    print("%d passed, %d failed" % (0 if failures else 1, 1 if failures else 0))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
