// Browser end-to-end test of `samrad serve` (issue 10), in Debian's headless
// Chromium driven by playwright-core.
//
//  1. Builds a state from the bundled corpus with `samrad run`.
//  2. Starts `samrad serve --port 0` and reads the port from its first line.
//  3. With JavaScript off (the page must work without it): types a query,
//     applies a filter, saves the screenshot, opens a passage, goes back,
//     follows a spelling suggestion, toggles "en träff per dokument", pages,
//     and checks that a hostile query is shown as text.
//  4. With JavaScript on: ticking a filter submits the form by itself.
//  5. No console errors (a CSP violation would be one), then SIGTERM and a
//     clean exit.
//
// Usage: node e2e.mjs --samrad BIN --corpus DIR --framework FILE --work DIR
//                     [--screenshot FILE] [--keep-state]
// Needs playwright-core installed in WORK (run.sh does `npm ci` there).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function parseArgs(argv) {
  const args = { screenshot: '', keepState: false };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--keep-state') args.keepState = true;
    else if (a.startsWith('--')) args[a.slice(2)] = argv[++i];
  }
  for (const k of ['samrad', 'corpus', 'framework', 'work']) {
    if (!args[k]) throw new Error(`missing --${k}`);
  }
  return args;
}

const args = parseArgs(process.argv);
const work = path.resolve(args.work);
const screenshot = path.resolve(args.screenshot || path.join(work, 'serve-search.png'));
const chromiumPath = process.env.SAMRAD_CHROMIUM || '/usr/bin/chromium';
const require = createRequire(path.join(work, 'package.json'));
const { chromium } = require('playwright-core');

function log(...m) { console.log('e2e:', ...m); }

function buildState(state) {
  if (!args.keepState) fs.rmSync(state, { recursive: true, force: true });
  const t0 = Date.now();
  const r = spawnSync(args.samrad, ['run', args.corpus, '--state', state, '--quiet'], { encoding: 'utf8' });
  // 0: ok; 1: done, but some input file failed (the corpus is still served).
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`samrad run exited ${r.status}: ${r.error || r.stderr}`);
  }
  log(`state built in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${r.stdout.trim()}`);
}

function startServer(state) {
  return new Promise((resolve, reject) => {
    const proc = spawn(args.samrad, ['serve', '--state', state, '--port', '0', '--host', '127.0.0.1'],
                       { stdio: ['ignore', 'inherit', 'pipe'] });
    let buffered = '';
    let resolved = false;
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error('serve did not start in 60 s')); }, 60000);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk) => {
      buffered += chunk;
      if (!resolved) {
        const m = buffered.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
        if (m) {
          resolved = true;
          clearTimeout(timer);
          resolve({ proc, base: `http://127.0.0.1:${m[1]}`, logs: () => buffered });
        }
      }
    });
    proc.on('exit', (code) => {
      if (!resolved) { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${buffered}`)); }
    });
  });
}

async function expectText(locator, re, what) {
  const text = (await locator.innerText()).trim();
  assert.match(text, re, `${what}: "${text}"`);
  return text;
}

function totalOf(text) {
  const m = text.replace(/\s/g, '').match(/^(\d+)träff/);
  assert.ok(m, `no count in "${text}"`);
  return Number(m[1]);
}

async function main() {
  fs.mkdirSync(work, { recursive: true });
  const state = path.join(work, 'state');
  buildState(state);
  const framework = JSON.parse(fs.readFileSync(args.framework, 'utf8'));
  const server = await startServer(state);
  const exited = new Promise((resolve) => server.proc.on('exit', (c) => resolve(c)));
  log('serving at', server.base);

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const consoleErrors = [];
  const watch = (page) => {
    page.on('console', (m) => {
      // The 400 and 404 pages this test asks for on purpose are logged too.
      if (m.type() !== 'error' || /^Failed to load resource: .* status of 40[04] /.test(m.text())) return;
      consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    page.on('dialog', (d) => { consoleErrors.push(`dialog opened: ${d.message()}`); d.dismiss(); });
  };
  let page;
  try {
    // --- Without JavaScript: server-rendered GET forms only.
    const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 },
                                             locale: 'sv-SE' });
    page = await plain.newPage();
    watch(page);
    let resp = await page.goto(server.base + '/');
    assert.equal(resp.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'sv');
    assert.equal(resp.headers()['x-content-type-options'], 'nosniff');
    assert.match(resp.headers()['content-security-policy'], /^default-src 'self'/);
    await expectText(page.locator('label[for=q]'), /Sök i det som sagts/, 'search label');
    const firstArea = framework.areas[0].name;
    await expectText(page.locator('#filter-area'), new RegExp(firstArea), 'area filter names');
    // Every form control has a label.
    const unlabelled = await page.$$eval('input:not([type=hidden]), select',
                                         (els) => els.filter((e) => e.labels.length === 0).map((e) => e.outerHTML));
    assert.deepEqual(unlabelled, [], 'controls without a label');

    // Type a query.
    await page.fill('#q', 'kompetensförsörjning');
    await Promise.all([page.waitForURL(/q=/), page.click('#sok')]);
    const allText = await expectText(page.locator('#antal'), /träff/, 'hit count');
    const all = totalOf(allText);
    assert.ok(all > 10, `expected many hits, got ${all}`);
    assert.ok(await page.locator('ol.hits li.hit').count() === 10, 'ten hits on the first page');
    assert.ok(await page.locator('ol.hits mark').count() > 0, 'highlighted matches');
    await expectText(page.locator('ol.hits li.hit').first().locator('.cite'), /\d{4}/, 'citation with a date');
    log(`query: ${all} hits`);

    // Apply a filter: a sub-region, then "Använd filter".
    const region = page.locator('#filter-region input[value="Skaraborg"]');
    const regionCount = Number((await page.locator('#filter-region li', { has: page.locator('input[value="Skaraborg"]') })
      .locator('.count').innerText()).replace(/\s/g, ''));
    await region.check();
    await Promise.all([page.waitForURL(/region=Skaraborg/), page.click('#anvand-filter')]);
    assert.ok(await page.locator('#filter-region input[value="Skaraborg"]').isChecked(), 'filter stays ticked');
    const filtered = totalOf(await page.locator('#antal').innerText());
    assert.equal(filtered, regionCount, 'the facet count predicted the filtered total');
    assert.ok(filtered < all, `filter narrows: ${filtered} < ${all}`);
    assert.equal(await page.inputValue('#q'), 'kompetensförsörjning', 'query kept');
    await expectText(page.locator('ul.active-filters'), /Delregion: Skaraborg/, 'the filter in force');
    log(`filter delregion Skaraborg: ${filtered} hits`);
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });
    log('screenshot', screenshot);

    // Open a passage in its document, and go back.
    const firstHit = page.locator('ol.hits li.hit').first();
    const org = (await firstHit.locator('.cite .org').innerText()).trim();
    await Promise.all([page.waitForURL(/\/passage\//), firstHit.locator('h3 a').click()]);
    await expectText(page.locator('h2', { hasText: 'I sitt sammanhang' }), /sammanhang/, 'context heading');
    assert.equal(await page.locator('section#stycke[aria-current=true]').count(), 1, 'the passage is marked');
    assert.ok(await page.locator('article.document section').count() > 1, 'the document around it');
    await expectText(page.locator('.docmeta'), new RegExp(org.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'document meta');
    await expectText(page.locator('figure.quote figcaption'), /”/, 'a citation to copy');
    await Promise.all([page.waitForURL(/region=Skaraborg/), page.click('#tillbaka')]);
    assert.equal(totalOf(await page.locator('#antal').innerText()), filtered, 'back to the same results');

    // Paging, over the query without the filter.
    await page.goto(server.base + '/?q=' + encodeURIComponent('kompetensförsörjning'));
    await Promise.all([page.waitForURL(/page=2/), page.click('nav.pager a[rel=next]')]);
    await expectText(page.locator('.summary'), /Visar 11–20/, 'second page');

    // One hit per document.
    await page.check('#per_document');
    await Promise.all([page.waitForURL(/per_document=1/), page.click('#anvand-filter')]);
    await expectText(page.locator('#antal'), /en per dokument/, 'per-document toggle');
    const docs = await page.$$eval('ol.hits li.hit h3 a', (as) => as.map((a) => a.textContent));
    assert.equal(new Set(docs).size, docs.length, 'one hit per document');

    // Spelling suggestion.
    resp = await page.goto(server.base + '/?q=' + encodeURIComponent('kollektivtrafikn'));
    assert.equal(resp.status(), 200);
    const suggestion = await expectText(page.locator('.suggestion'), /^Menade du .+\?$/, 'suggestion');
    await Promise.all([page.waitForURL(/q=kollektivtrafik/), page.click('#forslag')]);
    assert.ok(totalOf(await page.locator('#antal').innerText()) > 0, `the suggestion finds hits (${suggestion})`);

    // A hostile query is text, not markup.
    const attack = '"><img src=x onerror=document.title=1>';
    resp = await page.goto(server.base + '/?q=' + encodeURIComponent(attack));
    assert.equal(await page.locator('img').count(), 0, 'no injected element');
    assert.equal(await page.inputValue('#q'), attack, 'the query is echoed as typed');

    // Bad parameters and unknown pages.
    resp = await page.goto(server.base + '/?page=noll');
    assert.equal(resp.status(), 400);
    await expectText(page.locator('h1'), /Felaktig förfrågan/, '400 page');
    resp = await page.goto(server.base + '/finns-inte');
    assert.equal(resp.status(), 404);
    await expectText(page.locator('h1'), /Sidan finns inte/, '404 page');

    // Reports, when the run wrote them.
    resp = await page.goto(server.base + '/reports/');
    const reportsIndex = path.join(state, 'published', 'reports', 'index.html');
    assert.equal(resp.status(), fs.existsSync(reportsIndex) ? 200 : 404, 'reports index');
    await plain.close();

    // --- With JavaScript: a filter applies itself.
    const scripted = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
    page = await scripted.newPage();
    watch(page);
    await page.goto(server.base + '/?q=' + encodeURIComponent('bostäder'));
    const kind = page.locator('#filter-kind input[value="remiss"]');
    await Promise.all([page.waitForURL(/kind=remiss/), kind.check()]);
    assert.ok(await page.locator('#filter-kind input[value="remiss"]').isChecked());
    log('script: a ticked filter submits the form');
    await scripted.close();

    assert.deepEqual(consoleErrors, [], 'console errors');
  } catch (e) {
    if (page && !page.isClosed()) {
      const failShot = path.join(work, 'failure.png');
      await page.screenshot({ path: failShot, fullPage: true }).catch(() => {});
      console.error('e2e: failed on', page.url(), '- screenshot', failShot);
    }
    throw e;
  } finally {
    await browser.close();
    server.proc.kill('SIGTERM');
  }
  const code = await exited;
  assert.equal(code, 0, 'serve stops cleanly on SIGTERM');
  // The request log has no query text.
  assert.ok(!server.logs().includes('kompetensförsörjning') && !server.logs().includes('q='),
            'no query text in the request log');
  log('ok');
}

main().catch((e) => {
  console.error('e2e: FAILED:', e && e.stack ? e.stack : e);
  process.exit(1);
});
