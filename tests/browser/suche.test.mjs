// The search on /suche/ (themes/default/static/js/suche.js, index from
// src/render/suche.rs): typing a query shows the expected first result. What to look for
// is taken from the built portal (the example by default, or QUARTIER_PORTAL): a
// Vorlage's number, a Stadtteil's name (also without its umlauts or ß), a word only one
// project's text has. Also: the header box leads there, filters narrow the results, a
// query loads only a little of the index, and without JavaScript the page still has its
// form and results region.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { describeViolations, runAxe } from './lib/axe.mjs';
import { launchBrowser, loadPage, newContext, openTab } from './lib/browser.mjs';
import { openSite } from './lib/site.mjs';

const site = await openSite();
after(() => site.close());
const browser = await launchBrowser();
after(() => browser.close());
const tabs = new Map();
const tab = (javaScript) => {
  if (!tabs.has(javaScript)) tabs.set(javaScript, newContext(browser, { width: 1280, javaScript }).then((c) => openTab(c, site)));
  return tabs.get(javaScript);
};
const searchPage = (query = '') => ({
  type: 'search page',
  path: `${site.base}suche/${query}`,
  url: site.url(`suche/${query}`),
  status: 200,
});

// What the portal has, read from the display data of the built index.
const indexDir = path.join(site.root, 'suche', 'index');
const meta = JSON.parse(fs.readFileSync(path.join(indexDir, 'meta.json'), 'utf8'));
const docs = [];
for (let i = 0; docs.length < meta.dokumente; i++) docs.push(...JSON.parse(fs.readFileSync(path.join(indexDir, 'd', `${i}.json`), 'utf8')));
const ofKind = (kind) => docs.filter((d) => d.a === kind);
const fold = (s) => s.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss');
const plain = (s) => s.toLowerCase().replace(/ä/g, 'a').replace(/ö/g, 'o').replace(/ü/g, 'u').replace(/ß/g, 'ss');

/** A word of one project's text that no other entry's title or text has (else none). */
function rareProjectWord() {
  const count = new Map();
  const wordsOf = (d) => new Set(`${d.t} ${d.x ?? ''}`.split(/[^\p{L}\p{N}]+/u).map(fold).filter((w) => w.length >= 7));
  for (const d of docs) for (const w of wordsOf(d)) count.set(w, (count.get(w) ?? 0) + 1);
  for (const d of ofKind('projekt')) {
    const words = `${d.x ?? ''}`.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 7 && count.get(fold(w)) === 1);
    if (words.length) return { project: d, word: words[0] };
  }
  return null;
}

/** Types `query` into the search field as a person would and waits for the results. */
async function search(page, query) {
  const field = page.getByLabel('Suchbegriff', { exact: true });
  await field.fill('');
  await field.pressSequentially(query, { delay: 20 });
  const wanted = query.trim();
  await page.waitForFunction(
    (q) => {
      const status = document.getElementById('suche-status')?.textContent ?? '';
      return status.includes(`„${q}“`);
    },
    wanted,
    { timeout: 10_000 },
  );
  return readResults(page);
}

function readResults(page) {
  return page.evaluate(() => ({
    status: document.getElementById('suche-status').textContent.trim(),
    results: [...document.querySelectorAll('#suche-liste > li')].map((li) => ({
      title: li.querySelector('a').textContent.trim(),
      href: new URL(li.querySelector('a').href).pathname,
      kind: li.querySelector('.treffer-art').textContent.trim(),
      marked: [...li.querySelectorAll('mark')].map((m) => m.textContent),
    })),
  }));
}

const hrefOf = (d) => `${site.base}${d.u}`;

describe('search on /suche/', () => {
  test('the portal has entries to search for', () => {
    assert.ok(docs.length > 0, `the build of ${site.portal} has an empty search index`);
  });

  test('a Vorlage number finds the Vorlage first, with and without its year', async (t) => {
    const vorlage = ofKind('vorlage')[0];
    if (!vorlage) return t.skip('the portal has no Vorlage');
    const { page } = await tab(true);
    await loadPage(await tab(true), searchPage());
    const nummer = vorlage.t.split(':')[0];
    for (const query of [nummer, nummer.split('/')[0]]) {
      const { results } = await search(page, query);
      assert.ok(results.length > 0, `"${query}" found nothing`);
      assert.equal(results[0].href, hrefOf(vorlage), `"${query}" did not put the Vorlage first: ${JSON.stringify(results.slice(0, 3))}`);
      assert.match(results[0].kind, /^Vorlage/);
    }
  });

  test("a Stadtteil's name finds its page first, also typed without umlauts or ß", async () => {
    const stadtteile = ofKind('stadtteil');
    assert.ok(stadtteile.length > 0, 'the portal has no Stadtteil');
    const { page } = await tab(true);
    await loadPage(await tab(true), searchPage());
    // Every Stadtteil with an umlaut or ß, and the first and last one.
    const chosen = new Set([stadtteile[0], stadtteile.at(-1), ...stadtteile.filter((s) => /[äöüßÄÖÜ]/.test(s.t))]);
    for (const s of chosen) {
      const queries = new Set([s.t, fold(s.t), plain(s.t)]);
      for (const query of queries) {
        const { results } = await search(page, query);
        assert.ok(results.length > 0, `"${query}" found nothing`);
        assert.equal(results[0].href, hrefOf(s), `"${query}" did not put the Stadtteil ${s.t} first: ${JSON.stringify(results.slice(0, 3))}`);
        assert.match(results[0].kind, /^Stadtteil/);
      }
    }
  });

  test("a word from a project's text finds that project and marks the word", async (t) => {
    const found = rareProjectWord();
    if (!found) return t.skip('no project text has a word of its own');
    const { page } = await tab(true);
    await loadPage(await tab(true), searchPage());
    for (const query of [found.word, found.word.slice(0, Math.max(5, found.word.length - 3))]) {
      const { results } = await search(page, query);
      const hit = results.find((r) => r.href === hrefOf(found.project));
      assert.ok(hit, `"${query}" did not find the project ${found.project.t}: ${JSON.stringify(results.slice(0, 3))}`);
      assert.ok(hit.marked.some((m) => fold(m).startsWith(fold(query))), `the snippet of ${found.project.t} does not mark "${query}": ${JSON.stringify(hit)}`);
    }
  });

  test('with results shown: no axe violations, and Tab leads from the field to the first result', async () => {
    const s = ofKind('stadtteil')[0] ?? docs[0];
    const handle = await tab(true);
    await loadPage(handle, searchPage());
    const { results } = await search(handle.page, s.t);
    assert.ok(results.length > 0);
    const violations = await runAxe(handle.page);
    assert.deepEqual(describeViolations(violations), [], 'axe violations with results shown');
    await handle.page.getByLabel('Suchbegriff', { exact: true }).focus();
    let reached = null;
    for (let i = 0; i < 10 && !reached; i++) {
      await handle.page.keyboard.press('Tab');
      reached = await handle.page.evaluate(() => (document.activeElement?.closest('#suche-liste') ? new URL(document.activeElement.href).pathname : null));
    }
    assert.equal(reached, results[0].href, 'Tab from the search field does not reach the first result');
    await handle.page.keyboard.press('Enter');
    await handle.page.waitForURL((url) => url.pathname === results[0].href);
  });

  test('"Weitere Treffer anzeigen" adds the next results and moves focus to the first of them', async (t) => {
    // The word of six letters or more that most entries have in their title or text.
    const count = new Map();
    for (const d of docs) {
      const words = new Set(`${d.t} ${d.x ?? ''}`.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 6).map(fold));
      for (const w of words) count.set(w, (count.get(w) ?? 0) + 1);
    }
    const [name, n] = [...count].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (!name || n <= 10) return t.skip('no word is in more than ten entries');
    const handle = await tab(true);
    await loadPage(handle, searchPage());
    const first = await search(handle.page, name);
    assert.equal(first.results.length, 10, 'the first page of results does not have ten entries');
    const more = handle.page.getByRole('button', { name: 'Weitere Treffer anzeigen' });
    await more.click();
    await handle.page.waitForFunction(() => document.querySelectorAll('#suche-liste > li').length > 10, null, { timeout: 10_000 });
    const after = await readResults(handle.page);
    assert.deepEqual(after.results.slice(0, 10), first.results);
    const focused = await handle.page.evaluate(() => new URL(document.activeElement.href).pathname);
    assert.equal(focused, after.results[10].href, 'focus did not move to the first new result');
  });

  test('the search box in the header sends its query to /suche/, which shows the results', async () => {
    const s = ofKind('stadtteil')[0] ?? docs[0];
    const handle = await tab(true);
    await loadPage(handle, { type: 'start page', path: site.base, url: site.url(''), status: 200 });
    const box = handle.page.getByRole('search', { name: 'Portal durchsuchen' });
    await box.getByLabel('Suche', { exact: true }).fill(s.t);
    await Promise.all([handle.page.waitForURL(/\/suche\/\?q=/), box.getByLabel('Suche', { exact: true }).press('Enter')]);
    await handle.page.waitForFunction(() => document.querySelectorAll('#suche-liste > li').length > 0, null, { timeout: 10_000 });
    const { results } = await readResults(handle.page);
    assert.equal(results[0].href, hrefOf(s));
    assert.deepEqual(handle.log.scriptErrors, []);
  });

  test('the kind filter narrows the results and a filtered address opens filtered', async (t) => {
    const projekt = ofKind('projekt')[0];
    const stadtteilName = projekt?.s?.split(', ')[0];
    if (!projekt || !stadtteilName) return t.skip('the portal has no project with a Stadtteil');
    const handle = await tab(true);
    await loadPage(handle, searchPage());
    const all = await search(handle.page, stadtteilName);
    await handle.page.getByLabel('Art', { exact: true }).selectOption('projekt');
    await handle.page.waitForFunction(() => {
      const kinds = [...document.querySelectorAll('.treffer-art')];
      return kinds.length > 0 && kinds.every((p) => p.textContent.startsWith('Projekt'));
    }, null, { timeout: 10_000 });
    const filtered = await readResults(handle.page);
    assert.ok(filtered.results.length > 0, `no project found for "${stadtteilName}"`);
    assert.ok(filtered.results.length <= all.results.length || all.results.length === 10);
    assert.match(new URL(handle.page.url()).search, /art=projekt/);
    await loadPage(handle, searchPage(`?q=${encodeURIComponent(stadtteilName)}&art=projekt`));
    await handle.page.waitForFunction(() => document.querySelectorAll('#suche-liste > li').length > 0, null, { timeout: 10_000 });
    const reopened = await readResults(handle.page);
    assert.ok(reopened.results.every((r) => r.kind.startsWith('Projekt')), JSON.stringify(reopened.results));
    assert.equal(await handle.page.getByLabel('Art', { exact: true }).inputValue(), 'projekt');
  });

  test('a query loads only index files, and under 500 KB of them', async (t) => {
    const handle = await tab(true);
    await loadPage(handle, searchPage());
    const sizes = [];
    const listener = async (response) => {
      if (!response.url().includes('/suche/index/')) return;
      sizes.push((await response.body()).length);
    };
    handle.page.on('response', listener);
    const s = ofKind('stadtteil')[0] ?? docs[0];
    const query = `${s.t} ${docs.at(-1).t}`.slice(0, 60);
    await search(handle.page, query);
    handle.page.off('response', listener);
    const total = sizes.reduce((a, b) => a + b, 0);
    t.diagnostic(`${sizes.length} index files, ${total} bytes for "${query}"`);
    assert.ok(total < 500 * 1024, `a query downloaded ${total} bytes of the index`);
    assert.deepEqual(handle.log.external, []);
    assert.deepEqual(handle.log.failed, []);
  });

  test('without JavaScript the page has its form and results region and says why nothing is found', async () => {
    const handle = await tab(false);
    await loadPage(handle, searchPage('?q=Test'));
    const state = await handle.page.evaluate(() => ({
      form: Boolean(document.querySelector('main form[role="search"] input[name="q"]')),
      live: document.getElementById('suche-status')?.getAttribute('role'),
      status: document.getElementById('suche-status')?.textContent ?? '',
      links: document.querySelectorAll('#suche-ohne-js a').length,
    }));
    assert.ok(state.form, 'no search form in main');
    assert.equal(state.live, 'status');
    assert.match(state.status, /JavaScript/);
    assert.ok(state.links > 0);
  });
});
