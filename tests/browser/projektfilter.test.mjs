// The project filter on /projekte/ (themes/default/static/js/filter.js): with
// JavaScript the form appears, choosing a Stadtteil hides the other projects and the live
// region says how many are shown; without JavaScript the form stays hidden and every
// project is listed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { loadPage } from './lib/browser.mjs';
import { setUp } from './lib/harness.mjs';

const env = await setUp();
const projectPages = env.site.htmlFiles.filter((f) => /^projekte\/[^/]+\/[^/]+\/index\.html$/.test(f));
const listPage = {
  type: 'project list',
  path: `${env.site.base}projekte/`,
  url: env.site.url('projekte/'),
  status: 200,
};
const WIDTH = 1280;

/** State of the list: every card's Stadtteile and visibility, the form and the live region. */
function readList(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const form = main.querySelector('form');
    const status = main.querySelector('[aria-live], [role="status"]');
    return {
      formVisible: Boolean(form?.checkVisibility({ visibilityProperty: true })),
      status: status ? status.textContent.trim() : null,
      cards: [...main.querySelectorAll('[data-stadtteile]')].map((card) => ({
        stadtteile: card.dataset.stadtteile.split(' ').filter(Boolean),
        visible: card.checkVisibility({ visibilityProperty: true }),
        title: card.textContent.trim().split('\n')[0].slice(0, 60),
      })),
    };
  });
}

/** A Stadtteil that some but not all projects have (else any with a project). */
async function chooseStadtteil(page, cards) {
  const values = await page.getByLabel('Stadtteil', { exact: true }).evaluate(
    (select) => [...select.options].map((o) => o.value).filter(Boolean),
  );
  const count = (value) => cards.filter((c) => c.stadtteile.includes(value)).length;
  const partial = values.find((v) => count(v) > 0 && count(v) < cards.length);
  const value = partial ?? values.find((v) => count(v) > 0);
  assert.ok(value, `no Stadtteil in the filter has a project (options: ${values.join(', ') || 'none'})`);
  return { value, expected: count(value) };
}

function visibilityProblems(cards, value) {
  return cards
    .filter((c) => c.visible !== c.stadtteile.includes(value))
    .map((c) => `${c.visible ? 'shown' : 'hidden'} although ${c.visible ? 'not ' : ''}in ${value}: "${c.title}"`);
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

describe('project filter on /projekte/', () => {
  test('needs projects: the portal has project pages and /projekte/ lists them', () => {
    assert.ok(projectPages.length > 0, `the build of ${env.site.portal} has no project page, so the filter cannot be tested`);
  });

  test(`with JavaScript at ${WIDTH} px: the form is shown, a Stadtteil filters the list, the live region counts`, async () => {
    const handle = await env.tab(WIDTH, true);
    await loadPage(handle, listPage);
    const before = await readList(handle.page);
    assert.ok(before.formVisible, 'the filter form is not visible although JavaScript runs');
    assert.equal(before.cards.length, projectPages.length, 'the list does not show every project');
    assert.ok(before.status !== null, 'the filter has no live region (aria-live or role="status") in main');
    const { value, expected } = await chooseStadtteil(handle.page, before.cards);

    await handle.page.getByLabel('Stadtteil', { exact: true }).selectOption(value);
    const after = await waitForStatus(handle.page, new RegExp(`(^|\\D)${expected}(\\D|$)`));
    const wrong = visibilityProblems(after.cards, value);
    assert.ok(wrong.length === 0, `after choosing Stadtteil "${value}":\n  ${wrong.join('\n  ')}`);
    assert.match(
      after.status,
      new RegExp(`(^|\\D)${expected}(\\D|$)`),
      `after choosing "${value}" (${expected} of ${after.cards.length} projects) the live region says "${after.status}"`,
    );
    assert.deepEqual(handle.log.scriptErrors, [], 'JavaScript errors');

    await handle.page.locator('main form [type="reset"]').click();
    // The unfiltered wording ("12 Projekte"), not just the total: the filtered one
    // ("3 von 12 Projekten") has it too, and waiting for that raced the reset.
    const alle = new RegExp(`^${after.cards.length} Projekte?$`);
    const reset = await waitForStatus(handle.page, alle);
    assert.match(reset.status, alle, `after "reset" the live region says "${reset.status}"`);
    assert.ok(reset.cards.every((c) => c.visible), 'after "reset" not every project is shown again');
  });

  test(`with JavaScript at ${WIDTH} px: a shared link ?stadtteil=… opens the list filtered`, async () => {
    const handle = await env.tab(WIDTH, true);
    await loadPage(handle, listPage);
    const { value, expected } = await chooseStadtteil(handle.page, (await readList(handle.page)).cards);
    await loadPage(handle, { ...listPage, url: `${listPage.url}?stadtteil=${encodeURIComponent(value)}` });
    const state = await readList(handle.page);
    const wrong = visibilityProblems(state.cards, value);
    assert.ok(wrong.length === 0, `${listPage.path}?stadtteil=${value}:\n  ${wrong.join('\n  ')}`);
    assert.equal(state.cards.filter((c) => c.visible).length, expected);
  });

  test(`without JavaScript at ${WIDTH} px: the form stays hidden and every project is listed`, async () => {
    const handle = await env.tab(WIDTH, false);
    await loadPage(handle, listPage);
    const state = await readList(handle.page);
    assert.ok(!state.formVisible, 'the filter form is visible without JavaScript, where it cannot work');
    assert.equal(state.cards.length, projectPages.length, `the list has ${state.cards.length} projects, the portal ${projectPages.length}`);
    const hidden = state.cards.filter((c) => !c.visible).map((c) => c.title);
    assert.deepEqual(hidden, [], 'projects hidden without JavaScript');
  });
});
