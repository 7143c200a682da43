// The Vorlage filter on /vorlagen/ (themes/default/static/js/filter.js): with
// JavaScript the form appears, choosing a year, a kind or a Stadtteil hides the other
// Vorlagen (and years left without any), the live region says how many are shown, and a
// shared link opens the list filtered; without JavaScript the form stays hidden and every
// Vorlage is listed.
//
// The example portal has a single Vorlage, so this file builds a portal of its own with
// Vorlagen of several years, kinds and Stadtteile.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { launchBrowser, loadPage, newContext, openTab } from './lib/browser.mjs';
import { openSite } from './lib/site.mjs';

const VORLAGEN = [
  { nummer: 'I0264/09', art: 'information', datum: '2009-11-24', stadtteile: ['sudenburg'] },
  { nummer: 'A0171/22', art: 'antrag', datum: '2022-06-01', stadtteile: ['buckau', 'sudenburg'] },
  { nummer: 'DS0123/24', art: 'beschlussvorlage', datum: '2024-03-05', stadtteile: ['buckau'] },
  { nummer: 'I0100/24', art: 'information', datum: '2024-09-12', stadtteile: [] },
];

function writePortal() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'quartier-vorlagen-'));
  process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('portal.yaml', 'titel: "Testportal"\nstadt: "Teststadt"\nbase_url: "https://example.org/gwa/"\n');
  write('content/stadtteile/sudenburg.yaml', 'name: "Sudenburg"\n');
  write('content/stadtteile/buckau.yaml', 'name: "Buckau"\n');
  for (const v of VORLAGEN) {
    const slug = v.nummer.toLowerCase().replace('/', '-');
    write(
      `content/vorlagen/${slug}.md`,
      `---\nnummer: "${v.nummer}"\nart: ${v.art}\nthema: "Thema ${v.nummer}"\ndatum: ${v.datum}\n` +
        `stadtteile: [${v.stadtteile.join(', ')}]\n---\nText der Vorlage ${v.nummer}.\n`,
    );
  }
  return root;
}

const site = await openSite({ portal: writePortal() });
after(() => site.close());
const browser = await launchBrowser();
after(() => browser.close());
const tabs = new Map();
const tab = (javaScript) => {
  if (!tabs.has(javaScript)) tabs.set(javaScript, newContext(browser, { width: 1280, javaScript }).then((c) => openTab(c, site)));
  return tabs.get(javaScript);
};
const listPage = (query = '') => ({
  type: 'Vorlage list',
  path: `${site.base}vorlagen/${query}`,
  url: site.url(`vorlagen/${query}`),
  status: 200,
});

/** State of the list: every row's data and visibility, the year groups, the form, the live region. */
function readList(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const form = main.querySelector('form');
    const status = main.querySelector('[aria-live], [role="status"]');
    const empty = document.getElementById('filter-leer');
    const visible = (el) => el.checkVisibility({ visibilityProperty: true });
    return {
      formVisible: Boolean(form && visible(form)),
      status: status ? status.textContent.trim() : null,
      emptyVisible: Boolean(empty && visible(empty)),
      rows: [...main.querySelectorAll('[data-jahr]')].map((row) => ({
        nummer: row.querySelector('a').textContent.trim(),
        jahr: row.dataset.jahr,
        art: row.dataset.art,
        stadtteile: row.dataset.stadtteile.split(' ').filter(Boolean),
        visible: visible(row),
      })),
      years: [...main.querySelectorAll('h2')]
        .filter((h) => /^\d{4}$/.test(h.textContent.trim()))
        .map((h) => ({ jahr: h.textContent.trim(), visible: visible(h) })),
    };
  });
}

async function waitForStatus(page, pattern) {
  const deadline = Date.now() + 3000;
  let state = await readList(page);
  while (!pattern.test(state.status ?? '') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    state = await readList(page);
  }
  return state;
}

const number = (n) => new RegExp(`(^|\\D)${n}(\\D|$)`);

/** Rows shown or hidden against `expected(row)`, and years shown with no row or hidden with one. */
function problems(state, expected, what) {
  const rows = state.rows
    .filter((r) => r.visible !== expected(r))
    .map((r) => `${r.nummer} ${r.visible ? 'shown' : 'hidden'} after choosing ${what}`);
  const years = state.years
    .filter((y) => y.visible !== state.rows.some((r) => r.jahr === y.jahr && r.visible))
    .map((y) => `the heading of ${y.jahr} is ${y.visible ? 'shown without a Vorlage' : 'hidden although it has a Vorlage shown'}`);
  return [...rows, ...years];
}

describe('Vorlage filter on /vorlagen/', () => {
  test('with JavaScript: the form is shown; kind and year filter the list; the live region counts; reset shows all', async () => {
    const handle = await tab(true);
    await loadPage(handle, listPage());
    const before = await readList(handle.page);
    assert.ok(before.formVisible, 'the filter form is not visible although JavaScript runs');
    assert.equal(before.rows.length, VORLAGEN.length, 'the list does not show every Vorlage');
    assert.ok(before.rows.every((r) => r.visible), 'a Vorlage is hidden before any choice');
    assert.match(before.status ?? '', number(VORLAGEN.length), `the live region says "${before.status}"`);

    await handle.page.getByLabel('Art', { exact: true }).selectOption('information');
    let state = await waitForStatus(handle.page, number(2));
    assert.deepEqual(problems(state, (r) => r.art === 'information', 'Art "information"'), []);
    assert.match(state.status, number(2), `after choosing "Information" the live region says "${state.status}"`);
    assert.ok(state.years.some((y) => y.jahr === '2022' && !y.visible), 'the year 2022 (only an Antrag) is still shown');

    await handle.page.getByLabel('Jahr', { exact: true }).selectOption('2024');
    state = await waitForStatus(handle.page, /(^|\D)1 von 4(\D|$)/);
    assert.deepEqual(problems(state, (r) => r.art === 'information' && r.jahr === '2024', 'Information and 2024'), []);
    assert.match(state.status, /(^|\D)1 von 4(\D|$)/, `the live region says "${state.status}"`);
    assert.ok(!state.emptyVisible, 'the "nothing found" notice is shown although a Vorlage is');

    await handle.page.getByLabel('Art', { exact: true }).selectOption('antrag');
    state = await waitForStatus(handle.page, /(^|\D)0 von 4(\D|$)/);
    assert.ok(state.rows.every((r) => !r.visible), 'an Antrag of 2024 is shown, but there is none');
    assert.ok(state.emptyVisible, 'no notice when no Vorlage matches');
    assert.deepEqual(handle.log.scriptErrors, [], 'JavaScript errors');

    await handle.page.locator('main form [type="reset"]').click();
    state = await waitForStatus(handle.page, new RegExp(`^${VORLAGEN.length} Vorlagen$`));
    assert.ok(state.rows.every((r) => r.visible), 'after "reset" not every Vorlage is shown again');
    assert.ok(state.years.every((y) => y.visible), 'after "reset" a year is still hidden');
    assert.ok(!state.emptyVisible, 'after "reset" the "nothing found" notice is still shown');
  });

  test('with JavaScript: a Stadtteil filters by every Stadtteil a Vorlage concerns', async () => {
    const handle = await tab(true);
    await loadPage(handle, listPage());
    await handle.page.getByLabel('Stadtteil', { exact: true }).selectOption('sudenburg');
    const state = await waitForStatus(handle.page, number(2));
    assert.deepEqual(problems(state, (r) => r.stadtteile.includes('sudenburg'), 'Stadtteil "sudenburg"'), []);
    assert.match(state.status, number(2));
    assert.equal(new URL(handle.page.url()).search, '?stadtteil=sudenburg', 'the address does not keep the choice');
  });

  test('with JavaScript: a shared link ?jahr=…&art=… opens the list filtered', async () => {
    const handle = await tab(true);
    await loadPage(handle, listPage('?jahr=2024&art=beschlussvorlage'));
    const state = await readList(handle.page);
    assert.deepEqual(problems(state, (r) => r.jahr === '2024' && r.art === 'beschlussvorlage', '?jahr=2024&art=beschlussvorlage'), []);
    const chosen = await handle.page.evaluate(() => [...document.querySelectorAll('main form select')].map((s) => s.value));
    assert.deepEqual(chosen, ['2024', 'beschlussvorlage', ''], 'the form does not show the choice of the link');
  });

  test('without JavaScript: the form stays hidden and every Vorlage is listed', async () => {
    const handle = await tab(false);
    await loadPage(handle, listPage('?art=antrag'));
    const state = await readList(handle.page);
    assert.ok(!state.formVisible, 'the filter form is visible without JavaScript, where it cannot work');
    assert.equal(state.rows.length, VORLAGEN.length);
    assert.deepEqual(state.rows.filter((r) => !r.visible).map((r) => r.nummer), [], 'Vorlagen hidden without JavaScript');
    assert.ok(state.years.every((y) => y.visible), 'a year is hidden without JavaScript');
    assert.ok(!state.emptyVisible, 'the "nothing found" notice is shown without JavaScript');
  });
});
