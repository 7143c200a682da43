// Issue 11: the portal works under its strict Content-Security-Policy, and nothing an
// editor writes runs as a script.
//
// 1. `quartier serve` (which sends the policy of src/sicherheit.rs) serves the portal
//    under test; one page of every page type is opened with the policy enforced, and
//    every `securitypolicyviolation` event and CSP console message fails the test. The
//    JavaScript parts (project and map filters, search) are used under it.
// 2. A hostile portal (payloads of the OWASP XSS filter evasion cheat sheet in every
//    kind of field) is built and served by the plain test server *without* any policy,
//    so that only the output itself protects the reader: every page is opened, and a
//    dialog or a payload's marker global fails the test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, newContext, openTab, settle } from './lib/browser.mjs';
import { startServe } from './lib/serve.mjs';
import { fileToPath, openSite, portalRoot } from './lib/site.mjs';

const WAIT = 30_000;


/** The slug of the first entity file in `content/<folder>` (sorted), or null. */
function firstSlug(root, folder, filter = () => true) {
  const dir = path.join(root, 'content', folder);
  if (!fs.existsSync(dir)) return null;
  const files = fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.(md|ya?ml)$/.test(f) && filter(f))
    .sort();
  return files.length ? path.basename(files[0]).replace(/\.(md|ya?ml)$/, '') : null;
}

/** Records CSP violations (events and console messages) and dialogs of a tab. */
async function watch(context, page) {
  await context.addInitScript(() => {
    window.__cspVerstoesse = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspVerstoesse.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const log = { console: [], dialogs: [] };
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) log.console.push(m.text());
  });
  page.on('dialog', (d) => {
    log.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return log;
}

/** Cards or list entries shown (not hidden by the filter). */
function shownEntries(page) {
  return page.evaluate(
    () => [...document.querySelectorAll('main [data-stadtteile]')].filter((e) => !e.closest('[hidden]')).length,
  );
}

/** Chooses the first Stadtteil in the filter form and waits until fewer entries show. */
async function filterNarrows(page) {
  const before = await shownEntries(page);
  const select = page.getByLabel('Stadtteil', { exact: true });
  const values = await select.evaluate((s) => [...s.options].map((o) => o.value).filter(Boolean));
  assert.ok(values.length > 0, 'the filter offers Stadtteile');
  // A Stadtteil that narrows the list: one without every entry.
  for (const value of values) {
    await select.selectOption(value);
    const now = await shownEntries(page);
    if (now > 0 && now < before) return;
  }
  assert.fail(`no Stadtteil narrowed the ${before} entries: the filter script did not run`);
}

describe('the portal under its Content-Security-Policy', () => {
  let browser;
  let server;
  let base;
  const root = portalRoot();

  before(async () => {
    server = startServe(root);
    base = await server.url;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.child.kill();
  });

  test('no page type violates the policy, and filters and search work under it', async () => {
    const origin = new URL(base).origin;
    const context = await newContext(browser, { width: 1280 });
    const tab = await openTab(context, { origin });
    const { page } = tab;
    const log = await watch(context, page);

    const basePath = new URL(base).pathname;
    const problems = [];

    /** Opens a page, uses its scripts, records violations; returns its links below the base. */
    async function visit(type, below, status = 200) {
      assert.ok(typeof below === 'string', `${type}: no page of this type found`);
      const url = `${base}${below}`;
      const response = await page.goto(url, { waitUntil: 'load', timeout: WAIT });
      assert.equal(response?.status(), status, `${type} ${url}`);
      assert.ok(response.headers()['content-security-policy'], `${type}: serve sends the policy`);
      await settle(page, tab.log);
      if (type === 'all projects' || type === 'map') await filterNarrows(page);
      if (type === 'search') {
        const field = page.locator('main form[role="search"] input[name="q"]');
        await field.fill('Stadtteil');
        await page.waitForFunction(() => document.querySelectorAll('#suche-liste > li').length > 0, null, {
          timeout: 10_000,
        });
      }
      const violations = await page.evaluate(() => window.__cspVerstoesse);
      for (const v of violations) problems.push(`${type} (/${below}): ${v}`);
      for (const c of log.console.splice(0)) problems.push(`${type} (/${below}): console: ${c}`);
      for (const e of tab.log.scriptErrors.splice(0)) problems.push(`${type} (/${below}): script error: ${e}`);
      const hrefs = await page.evaluate(() => [...document.querySelectorAll('main a[href]')].map((a) => new URL(a.getAttribute('href'), location.href).pathname));
      return hrefs.filter((h) => h.startsWith(basePath)).map((h) => h.slice(basePath.length));
    }
    const first = (hrefs, pattern) => hrefs.find((h) => pattern.test(h));

    await visit('start page', '');
    for (const [type, below, pattern, childType] of [
      ['Stadtteil list', 'stadtteile/', /^stadtteile\/[^/]+\/$/, 'Stadtteil page'],
      ['AG list', 'ags/', /^ags\/[^/]+\/$/, 'AG page'],
      ['forum list', 'foren/', /^foren\/[^/]+\/$/, 'forum page'],
      ['Vorlage list', 'vorlagen/', /^vorlagen\/[^/]+\/$/, 'Vorlage page'],
    ]) {
      await visit(childType, first(await visit(type, below), pattern));
    }
    const jahr = first(await visit('all projects', 'projekte/'), /^projekte\/\d{4}\/$/);
    await visit('project page', first(await visit('project year', jahr), /^projekte\/\d{4}\/[^/]+\/$/));
    await visit('map', 'karte/');
    await visit('dates', 'termine/');
    await visit('open data', 'daten/');
    await visit('search', 'suche/');
    const seite = firstSlug(root, 'seiten');
    if (seite) await visit('plain page', `${seite}/`);
    await visit('404', 'quartier-test/gibt-es-nicht/', 404);

    assert.deepEqual(problems, [], `CSP violations:\n${problems.join('\n')}`);
    assert.deepEqual(log.dialogs, []);
    await context.close();
  });
});

describe('the interactive tile map under the policy', () => {
  let browser;
  let server;
  let base;

  before(async () => {
    // A copy of the portal with a tile server and a hostile attribution.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'quartier-csp-kacheln-'));
    process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
    for (const entry of ['portal.yaml', 'content', 'themes']) {
      const from = path.join(portalRoot(), entry);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(root, entry), { recursive: true });
    }
    const yaml = fs
      .readFileSync(path.join(root, 'portal.yaml'), 'utf8')
      .replace(/^karte:\n(?:[ ]+.*\n)*/m, '')
      .concat(
        '\nkarte:\n  kacheln: "https://{s}.tile.example.org/{z}/{x}/{y}.png"\n' +
          '  kacheln_hinweis: \'<img src=x onerror="window.__xss=1"> Kacheln (Beispiel)\'\n',
      );
    fs.writeFileSync(path.join(root, 'portal.yaml'), yaml);
    server = startServe(root);
    base = await server.url;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.child.kill();
  });

  test('Leaflet loads, draws the projects and violates nothing; the attribution stays text', async () => {
    const origin = new URL(base).origin;
    const context = await newContext(browser, { width: 1280 });
    const tab = await openTab(context, { origin });
    const { page } = tab;
    const log = await watch(context, page);
    const response = await page.goto(`${base}karte/`, { waitUntil: 'load', timeout: WAIT });
    assert.match(response.headers()['content-security-policy'], /img-src 'self' data: https:\/\/\*\.tile\.example\.org;/);
    await page.locator('#kacheln-laden').click();
    await page.waitForFunction(() => document.querySelectorAll('#kacheln-karte path.leaflet-interactive').length > 0, null, {
      timeout: WAIT,
    });
    await settle(page, tab.log);
    const tiles = tab.log.external.filter((r) => r.includes('tile.example.org'));
    assert.ok(tiles.length > 0, 'tiles were requested (and aborted by the test), not blocked by the policy');
    const violations = await page.evaluate(() => window.__cspVerstoesse);
    assert.deepEqual([...violations, ...log.console, ...tab.log.scriptErrors], []);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    const attribution = await page.locator('.leaflet-control-attribution').textContent();
    assert.match(attribution, /<img src=x/);
    await context.close();
  });
});

// ---------------------------------------------------------------------------------------
// The hostile portal
// ---------------------------------------------------------------------------------------

const F = `X"><script>window.__xss=1</script><img src=x onerror="window.__xss=1"><svg/onload=window.__xss=1>' onmouseover='window.__xss=1' </textarea></title><iframe src=javascript:window.__xss=1></iframe>`;

const KORPUS = `Ein Text mit Angriffen (Beispiel).

<script>window.__xss=1</script>

<IMG SRC="javascript:window.__xss=1;">

<img src=x onerror=window.__xss=1>

<svg onload=window.__xss=1>

<svg><script>window.__xss=1</script></svg>

<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>

<details open ontoggle=window.__xss=1>

<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>

<object data="javascript:window.__xss=1"></object>

<base href="javascript:window.__xss=1//">

<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">

<a href="jav&#x09;ascript:window.__xss=1" id="xss-a">tab</a>

<!-- --><script>window.__xss=1</script><!-- -->

"><script>window.__xss=1</script>

[eins](javascript:window.__xss=1) [zwei](jav&#x09;ascript:window.__xss=1) [drei](&#x01;javascript:window.__xss=1)
[vier](java&#10;script:window.__xss=1) <javascript:window.__xss=1> [fünf][r]

[r]: JaVaScRiPt:window.__xss=1

![a](javascript:window.__xss=1)
`;

const q = (s) => `'${s.replace(/'/g, "''")}'`;
const fm = (front, body = KORPUS) => `---\n${front}---\n${body}`;

function hostilePortal(htmlErlauben) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'quartier-xss-'));
  process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const f = q(F);
  write(
    'portal.yaml',
    `titel: ${f}\nstadt: ${f}\nbase_url: "https://example.org/gwa/"\nbeschreibung: ${f}\nhtml_erlauben: ${htmlErlauben}\neinleitung: |\n${KORPUS.split('\n').map((l) => `  ${l}`).join('\n')}\n`,
  );
  write('content/dateien/bild.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>');
  const datei = `x"><svg onload=window.__xss=1>.pdf`;
  write(`content/dateien/${datei}`, '%PDF-1.4\n');
  write(
    'content/stadtteile/sudenburg.md',
    fm(`name: ${f}\nbeispiel: true\nstadtteilmanagement:\n  traeger: ${f}\n  adresse: ${f}\n  telefon: ${f}\n`),
  );
  write(
    'content/ags/ag-x.md',
    fm(`name: ${f}\nbeispiel: true\nstadtteile: [sudenburg]\nkontakt:\n  telefon: ${f}\n  adresse: ${f}\n  web: ${q('https://example.org/"><script>window.__xss=1</script>')}\nsitzungsregel: ${f}\nsitzungen:\n  - datum: 2099-12-08\n    zeit: "17:00"\n    ort: ${f}\n    thema: ${f}\n`),
  );
  write(
    'content/projekte/2026/p.md',
    fm(`titel: ${f}\nbeispiel: true\njahr: 2026\nstadtteile: [sudenburg]\nag: ag-x\ntraeger: ${f}\nfoerdersumme: 100\nort:\n  adresse: ${f}\n  lat: 52.12\n  lon: 11.62\nbilder:\n  - datei: bild.svg\n    alt: ${f}\n    bildnachweis: ${f}\n`),
  );
  write(
    'content/foren/forum.md',
    fm(`titel: ${f}\nbeispiel: true\ndatum: 2099-12-20\nort: ${f}\nstadtteile: [sudenburg]\nveranstalter: ${f}\ntagesordnung: [${f}]\nanhaenge:\n  - datei: ${q(datei)}\n    titel: ${f}\n`),
  );
  write(
    'content/vorlagen/i0001-26.md',
    fm(`nummer: "I0001/26"\nbeispiel: true\nart: information\nthema: ${f}\ndatum: 2026-01-10\nbearbeiter: ${f}\nstadtteile: [sudenburg]\n`),
  );
  write('content/seiten/seite.md', fm(`titel: ${f}\nmenue: 5\n`));
  return root;
}

for (const htmlErlauben of [false, true]) {
  describe(`a hostile portal (html_erlauben: ${htmlErlauben}) without any policy`, () => {
    let browser;
    let site;

    before(async () => {
      site = await openSite({ portal: hostilePortal(htmlErlauben) });
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      await site?.close();
    });

    test('no page runs a payload', async () => {
      const context = await newContext(browser, { width: 1280 });
      const tab = await openTab(context, site);
      const { page } = tab;
      const log = await watch(context, page);
      const ran = [];
      assert.ok(site.htmlFiles.length > 15, `${site.htmlFiles.length} pages`);
      for (const file of site.htmlFiles) {
        await page.goto(site.url(fileToPath(file)), { waitUntil: 'load', timeout: WAIT });
        await settle(page, tab.log);
        // Hovering and clicking what a payload could have hooked.
        await page.evaluate(() => {
          for (const el of document.querySelectorAll('main *')) {
            el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
          }
        });
        const marker = await page.evaluate(() => window.__xss);
        if (marker !== undefined) ran.push(`${file}: window.__xss = ${marker}`);
      }
      // The text link with the obfuscated scheme is gone or harmless: clicking it runs nothing.
      await page.goto(site.url('seite/'), { waitUntil: 'load', timeout: WAIT });
      for (const link of await page.locator('main a').all()) {
        const href = await link.getAttribute('href');
        if (href && !/^(https?:|mailto:|tel:|#|\/)/i.test(href.trim())) ran.push(`seite/: link ${href}`);
      }
      assert.deepEqual(ran, [], ran.join('\n'));
      assert.deepEqual(log.dialogs, [], log.dialogs.join('\n'));
      await context.close();
    });
  });
}
