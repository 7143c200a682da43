// The project map /karte/ (themes/default/static/js/filter.js and kacheln.js):
// with JavaScript the filters hide projects in the list and on the map alike, group
// markers count only what is shown, and a marker tells its projects' title, year and
// sum; without JavaScript every project is on the map and in the list. The optional tile
// map loads nothing from the tile server before the visitor asks for it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { launchBrowser, loadPage, newContext, openTab, settle } from './lib/browser.mjs';
import { setUp } from './lib/harness.mjs';
import { openSite, portalRoot } from './lib/site.mjs';

const env = await setUp();
const WIDTH = 1280;
const hasMap = env.site.htmlFiles.includes('karte/index.html');
const mapPage = { path: `${env.site.base}karte/`, url: env.site.url('karte/'), status: 200 };

/** Markers and list entries of /karte/ as the visitor sees them. */
function readMap(page) {
  return page.evaluate(() => {
    const shown = (e) => e.checkVisibility({ visibilityProperty: true });
    const info = document.getElementById('karte-info');
    return {
      formVisible: Boolean(document.getElementById('projektfilter')?.checkVisibility()),
      info: info && shown(info) ? info.textContent.trim() : null,
      markers: [...document.querySelectorAll('figure.landkarte a.marker')].map((m) => ({
        projekte: m.dataset.projekte.split(' '),
        visible: shown(m),
        count: m.querySelector('.anzahl')?.textContent ?? null,
      })),
      items: [...document.querySelectorAll('#projektliste li.projekt')].map((li) => ({
        slug: li.id.replace(/^Projekt-/, ''),
        stadtteile: li.dataset.stadtteile.split(' '),
        jahr: li.dataset.jahr,
        title: li.querySelector('a').textContent.trim(),
        visible: shown(li),
      })),
    };
  });
}

/** Problems where map and list disagree. */
function disagreements(state) {
  const visible = new Set(state.items.filter((i) => i.visible).map((i) => i.slug));
  const problems = [];
  for (const m of state.markers) {
    const own = m.projekte.filter((s) => visible.has(s));
    if (m.visible !== own.length > 0) {
      problems.push(`marker of ${m.projekte.join(', ')} is ${m.visible ? 'shown' : 'hidden'} with ${own.length} shown project(s)`);
    }
    if (m.count !== null && m.visible && m.count !== String(own.length)) {
      problems.push(`group marker of ${m.projekte.join(', ')} says ${m.count}, ${own.length} shown`);
    }
  }
  return problems;
}

describe('project map /karte/', () => {
  test('the portal has /karte/ with projects on the map', async () => {
    assert.ok(hasMap, `the build of ${env.site.portal} has no karte/index.html`);
    const handle = await env.tab(WIDTH, false);
    await loadPage(handle, mapPage);
    const state = await readMap(handle.page);
    assert.ok(state.markers.length > 0, 'no marker on /karte/: no project has coordinates');
  });

  test(`without JavaScript at ${WIDTH} px: every project is on the map and in the list`, async () => {
    const handle = await env.tab(WIDTH, false);
    await loadPage(handle, mapPage);
    const state = await readMap(handle.page);
    assert.ok(!state.formVisible, 'the filter form is visible without JavaScript');
    assert.deepEqual(state.markers.filter((m) => !m.visible), [], 'hidden markers');
    assert.deepEqual(state.items.filter((i) => !i.visible), [], 'hidden list entries');
    const onMap = state.markers.flatMap((m) => m.projekte).sort();
    assert.deepEqual(onMap, state.items.map((i) => i.slug).sort(), 'map and list show different projects');
  });

  test(`with JavaScript at ${WIDTH} px: a Stadtteil and a year filter map and list alike`, async () => {
    const handle = await env.tab(WIDTH, true);
    await loadPage(handle, mapPage);
    const before = await readMap(handle.page);
    assert.ok(before.formVisible, 'the filter form is not shown although JavaScript runs');
    assert.deepEqual(disagreements(before), []);

    // A Stadtteil that has some but not all of the projects on the map.
    const counts = new Map();
    for (const i of before.items) for (const s of i.stadtteile) counts.set(s, (counts.get(s) ?? 0) + 1);
    const [stadtteil] = [...counts].find(([, n]) => n < before.items.length) ?? [...counts][0];
    await handle.page.getByLabel('Stadtteil', { exact: true }).selectOption(stadtteil);
    let state = await readMap(handle.page);
    const expected = before.items.filter((i) => i.stadtteile.includes(stadtteil)).map((i) => i.slug);
    assert.deepEqual(state.items.filter((i) => i.visible).map((i) => i.slug), expected);
    assert.deepEqual(disagreements(state), [], `after choosing ${stadtteil}`);
    if (expected.length < before.items.length) {
      assert.ok(state.markers.some((m) => !m.visible), `choosing ${stadtteil} hid no marker`);
    }

    // And a year on top: nothing or fewer, never a marker without a shown project.
    const jahr = state.items.find((i) => i.visible).jahr;
    await handle.page.getByLabel('Jahr', { exact: true }).selectOption(jahr);
    state = await readMap(handle.page);
    assert.ok(state.items.filter((i) => i.visible).every((i) => i.jahr === jahr && i.stadtteile.includes(stadtteil)));
    assert.deepEqual(disagreements(state), [], `after choosing ${stadtteil} and ${jahr}`);
    assert.deepEqual(handle.log.scriptErrors, []);
    await handle.page.locator('#projektfilter [type="reset"]').click();
    await handle.page.waitForFunction(() => !document.querySelector('#projektliste li.projekt[hidden]'));
  });

  test(`with JavaScript at ${WIDTH} px: a focused marker tells title, year and sum`, async () => {
    const handle = await env.tab(WIDTH, true);
    await loadPage(handle, mapPage);
    const state = await readMap(handle.page);
    const index = state.markers.findIndex((m) => m.visible);
    const marker = state.markers[index];
    await handle.page.locator('figure.landkarte a.marker').nth(index).focus();
    const info = (await readMap(handle.page)).info;
    assert.ok(info, 'focusing a marker shows nothing in #karte-info');
    for (const slug of marker.projekte) {
      const item = state.items.find((i) => i.slug === slug);
      assert.ok(info.includes(item.title), `"${info}" lacks the title "${item.title}"`);
      assert.ok(info.includes(item.jahr), `"${info}" lacks the year ${item.jahr}`);
    }
  });
});

describe('optional tile map (karte.kacheln)', () => {
  // The repository's example with a tile server configured (a host that does not exist:
  // the test browser aborts every request to another host and records it).
  const TILES = 'https://tiles.example.net/{z}/{x}/{y}.png';
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'quartier-kacheln-'));
  after(() => fs.rmSync(copy, { recursive: true, force: true }));

  test('nothing goes to the tile server before the button; afterwards Leaflet from the site draws the projects', async () => {
    const source = portalRoot();
    for (const entry of ['content', 'themes']) {
      if (fs.existsSync(path.join(source, entry))) fs.cpSync(path.join(source, entry), path.join(copy, entry), { recursive: true });
    }
    let yaml = fs.readFileSync(path.join(source, 'portal.yaml'), 'utf8');
    yaml = /^\s+kacheln:.*$/m.test(yaml)
      ? yaml.replace(/^(\s+)kacheln:.*$/m, `$1kacheln: "${TILES}"`)
      : yaml.replace(/^karte:\s*$/m, `karte:\n  kacheln: "${TILES}"`);
    assert.match(yaml, /kacheln: "https:\/\/tiles\.example\.net/, 'the portal has no karte: block to add tiles to');
    fs.writeFileSync(path.join(copy, 'portal.yaml'), yaml);

    const site = await openSite({ portal: copy });
    after(() => site.close());
    const browser = await launchBrowser();
    after(() => browser.close());
    const tab = await openTab(await newContext(browser, { width: WIDTH }), site);
    await loadPage(tab, { path: `${site.base}karte/`, url: site.url('karte/'), status: 200 });

    const block = tab.page.locator('#kacheln');
    assert.ok(await block.isVisible(), 'the tile block is hidden although JavaScript runs');
    assert.match(await block.textContent(), /tiles\.example\.net/, 'the page does not name the host that gets the address');
    assert.deepEqual(tab.log.external, [], 'requests to other hosts before the button was pressed');

    await tab.page.getByRole('button', { name: 'Interaktive Karte laden' }).click();
    await tab.page.waitForSelector('.leaflet-container', { timeout: 10_000 });
    await settle(tab.page, tab.log);
    const hosts = new Set(tab.log.external.map((r) => new URL(r.split(' ')[1]).host));
    assert.deepEqual([...hosts], ['tiles.example.net'], 'after the button only the tile server is asked');
    const markers = await tab.page.locator('.leaflet-interactive').count();
    const daten = JSON.parse(fs.readFileSync(path.join(site.root, 'daten', 'projekte.geojson'), 'utf8'));
    assert.equal(markers, daten.features.length, 'one Leaflet marker per project with coordinates');
    assert.deepEqual(tab.log.failed, []);
    assert.deepEqual(tab.log.scriptErrors, []);
  });
});
