// `quartier serve` in a real browser tab: a Stadtteil page of a copy of the portal under
// test is open and scrolled down; editing one of its projects makes the tab reload by
// itself and keep its scroll position; a broken save shows the overlay with the German
// diagnostic over the last good page (accessible, axe-checked); saving the fix removes it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { describeViolations, runAxe } from './lib/axe.mjs';
import { launchBrowser, newContext, openTab, settle } from './lib/browser.mjs';
import { startServe } from './lib/serve.mjs';
import { portalRoot } from './lib/site.mjs';

const WAIT = 30_000;

/** A copy of the portal in a temporary folder, so the test can edit it. */
function copyPortal() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'quartier-serve-'));
  process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  const source = portalRoot();
  for (const entry of ['portal.yaml', 'content', 'themes']) {
    const from = path.join(source, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(root, entry), { recursive: true });
  }
  return root;
}

/** A project file with its title and first Stadtteil, written as in the example. */
function someProject(root) {
  const files = fs
    .readdirSync(path.join(root, 'content', 'projekte'), { recursive: true })
    .filter((f) => f.endsWith('.md'))
    .sort();
  for (const rel of files) {
    const file = path.join(root, 'content', 'projekte', rel);
    const text = fs.readFileSync(file, 'utf8');
    const titel = /^titel:\s*"([^"]+)"/m.exec(text)?.[1];
    const stadtteil = /^stadtteile:\s*\[\s*([a-z0-9-]+)/m.exec(text)?.[1];
    if (titel && stadtteil) return { file, text, titel, stadtteil };
  }
  throw new Error('no project with a quoted title and an inline list of Stadtteile');
}


describe('quartier serve in the browser', () => {
  let browser;
  let server;
  let root;
  let base;

  before(async () => {
    root = copyPortal();
    server = startServe(root);
    base = await server.url;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.child.kill();
  });

  test('a tab reloads after an edit, keeps its place, and shows and clears the error overlay', async () => {
    const project = someProject(root);
    const origin = new URL(base).origin;
    const context = await newContext(browser, { width: 1280 });
    const tab = await openTab(context, { origin });
    const { page, log } = tab;
    const url = `${base}stadtteile/${project.stadtteil}/`;
    await page.goto(url, { waitUntil: 'load', timeout: WAIT });
    await settle(page, log);
    assert.ok((await page.textContent('main')).includes(project.titel), `${url} lists ${project.titel}`);

    // Scroll down where the page is long enough, and mark this document: a reload
    // makes a new one without the mark.
    const scrolled = await page.evaluate(() => {
      window.scrollTo(0, Math.min(400, document.documentElement.scrollHeight - window.innerHeight));
      window.quartierTestMark = true;
      return window.scrollY;
    });

    const neu = `${project.titel} – geändert`;
    fs.writeFileSync(project.file, project.text.replace(`"${project.titel}"`, `"${neu}"`));
    await page.waitForFunction((t) => document.querySelector('main')?.textContent.includes(t), neu, {
      timeout: WAIT,
    });
    assert.equal(await page.evaluate(() => window.quartierTestMark), undefined, 'the tab reloaded itself');
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) <= 2, scrolled, { timeout: WAIT });

    // A broken save: the overlay names the file and line, over the last good page.
    fs.writeFileSync(project.file, project.text.replace(`titel: "${project.titel}"`, 'titel: "kaputt'));
    const overlay = page.locator('.quartier-vorschau');
    await overlay.waitFor({ state: 'visible', timeout: WAIT });
    const text = await overlay.textContent();
    const rel = path.relative(root, project.file).split(path.sep).join('/');
    assert.match(text, new RegExp(`${rel.replace(/[.]/g, '\\.')}:\\d+:\\d+`), text);
    assert.match(text, /Fehler/);
    assert.ok((await page.textContent('main')).includes(neu), 'the last good page stays');
    assert.equal(await overlay.getAttribute('role'), 'alert');
    const violations = await runAxe(page);
    assert.deepEqual(describeViolations(violations), [], 'the overlay is accessible');

    // The fix: the overlay goes, the page shows the fixed title.
    const repariert = `${project.titel} – repariert`;
    fs.writeFileSync(project.file, project.text.replace(`"${project.titel}"`, `"${repariert}"`));
    await page.waitForFunction((t) => document.querySelector('main')?.textContent.includes(t), repariert, {
      timeout: WAIT,
    });
    await overlay.waitFor({ state: 'detached', timeout: WAIT });
    assert.deepEqual(log.scriptErrors, []);
    assert.deepEqual(log.external, []);
    await context.close();
  });
});
