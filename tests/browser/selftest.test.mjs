// The checks themselves, on a small handmade site (fixtures/faults/): index.html carries one
// deliberate fault of every kind the checks look for, seite/index.html none. Each check
// must find its fault on the one page and nothing on the other, so a check that quietly
// stopped working (axe not injected, a crawler that follows nothing) fails here.
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { runAxe } from './lib/axe.mjs';
import { launchBrowser, loadPage, newContext, openTab } from './lib/browser.mjs';
import { checkLinks } from './lib/links.mjs';
import { reflowProblems } from './lib/reflow.mjs';
import { serveFolder } from './lib/site.mjs';
import { skipLinkProblems, tabOrderProblems, tabThrough } from './lib/keyboard.mjs';
import { validateHtml } from './lib/vnu.mjs';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'faults');

const site = await serveFolder(FIXTURE);
after(() => site.close());
const browser = await launchBrowser();
after(() => browser.close());

const faulty = { path: '/gwa/', url: site.url(''), status: 200 };
const clean = { path: '/gwa/seite/', url: site.url('seite/'), status: 200 };

async function tabAt(width) {
  return openTab(await newContext(browser, { width }), site);
}

describe('self-test: each check finds its deliberate fault and nothing on the clean page', () => {
  test('the server: base path, index files, redirects, content types, 404 page', async () => {
    const get = (p) => fetch(`${site.origin}${p}`, { redirect: 'manual' });
    let response = await get('/gwa/');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/html/);
    response = await get('/gwa/seite');
    assert.equal(response.status, 301);
    assert.equal(response.headers.get('location'), '/gwa/seite/');
    response = await get('/gwa/css/site.css');
    assert.match(response.headers.get('content-type'), /^text\/css/);
    response = await get('/gwa/bild.svg');
    assert.equal(response.headers.get('content-type'), 'image/svg+xml');
    response = await get('/gwa/fehlt/');
    assert.equal(response.status, 404);
    assert.match(await response.text(), /Diese Seite gibt es nicht/, 'a missing page gets the site\'s 404.html');
    response = await get('/ausserhalb/');
    assert.equal(response.status, 404);
    // An encoded slash survives URL parsing; fetch() would not send it as is.
    const status = await new Promise((resolve, reject) => {
      const { hostname, port } = new URL(site.origin);
      http.get({ hostname, port, path: '/gwa/..%2F..%2Fetc%2Fpasswd' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    assert.equal(status, 400, 'a path that climbs out of the site is refused');
  });

  test('axe-core: missing alt and too little contrast', async () => {
    const tab = await tabAt(1280);
    await loadPage(tab, faulty);
    const rules = (await runAxe(tab.page)).map((v) => v.rule).sort();
    assert.deepEqual(rules, ['color-contrast', 'image-alt']);
    await loadPage(tab, clean);
    assert.deepEqual(await runAxe(tab.page), []);
  });

  test('keyboard: a link without visible focus; Tab order and skip link on the clean page', async () => {
    const tab = await tabAt(1280);
    await loadPage(tab, faulty);
    let walk = await tabThrough(tab.page);
    const problems = tabOrderProblems(walk);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /no visible focus on <a\.ohne-fokus>/);
    assert.deepEqual(await skipLinkProblems(tab.page, walk), []);

    await loadPage(tab, clean);
    walk = await tabThrough(tab.page);
    assert.deepEqual(tabOrderProblems(walk), []);
    // skip link, two links, select, button
    assert.deepEqual(walk.stops.map((s) => s.description.split(' ')[0]), ['<a.sprunglink>', '<a>', '<a>', '<select#wahl>', '<button>']);
    assert.deepEqual(await skipLinkProblems(tab.page, walk), []);
  });

  test('keyboard: a page without a skip link', async () => {
    const tab = await tabAt(1280);
    await loadPage(tab, clean);
    await tab.page.evaluate(() => document.querySelector('.sprunglink').remove());
    const walk = await tabThrough(tab.page);
    const problems = await skipLinkProblems(tab.page, walk);
    assert.match(problems.join('\n'), /the first Tab stop is <a> "Zur Seite mit Fehlern".*not a skip link/);
  });

  test('layout: a box wider than a phone', async () => {
    const tab = await tabAt(360);
    await loadPage(tab, faulty);
    const problems = await reflowProblems(tab.page, 360);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /horizontal scrolling.*\n.*div\.breit reaches 6\d\d px/);
    await loadPage(tab, clean);
    assert.deepEqual(await reflowProblems(tab.page, 360), []);
  });

  test('requests: a style sheet from another host is recorded and aborted', async () => {
    const tab = await tabAt(1280);
    await loadPage(tab, faulty);
    assert.deepEqual(tab.log.external, ['stylesheet https://cdn.example.net/schrift.css']);
    await loadPage(tab, clean);
    assert.deepEqual(tab.log.external, []);
    assert.deepEqual(tab.log.failed, []);
  });

  test('links: a missing page, a missing fragment and a link out of the base path', async () => {
    const { problems } = await checkLinks(site);
    const found = problems.map((p) => `${p.at}: ${p.message}`).sort();
    assert.deepEqual(found, [
      '/gwa/:18: <a href="/gwa/fehlt/">: HTTP 404',
      '/gwa/:19: <a href="/gwa/seite/#Gibt-es-nicht">: no id="Gibt-es-nicht" in /gwa/seite/',
      '/gwa/:20: <a href="/ausserhalb/"> leaves the base path /gwa/ (/ausserhalb/)',
    ]);
  });

  test('Nu HTML checker: the image without alt is an error, the clean page has none', async () => {
    const errors = await validateHtml(site.root);
    assert.deepEqual(errors.map((e) => `${e.file}:${e.line}`), ['index.html:16']);
    assert.match(errors[0].message, /must have an “alt” attribute/);
  });
});
