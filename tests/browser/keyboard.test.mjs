// Keyboard use on one page of every page type at 1280 px and 360 px: Tab from the start
// of the page reaches every visible interactive element in DOM order, each with a visible
// focus indicator; the skip link is the first stop and moves focus to main.
import { describe } from 'node:test';

import { WIDTHS } from './lib/browser.mjs';
import { expectNone, setUp, testEveryPage } from './lib/harness.mjs';
import { skipLinkProblems, tabOrderProblems, tabThrough } from './lib/keyboard.mjs';

const env = await setUp();

describe('keyboard: Tab reaches every interactive element in order with visible focus; skip link first', () => {
  testEveryPage(env, { widths: WIDTHS }, async ({ page }, entry, width) => {
    const walk = await tabThrough(page);
    const problems = [...tabOrderProblems(walk), ...(await skipLinkProblems(page, walk))];
    expectNone(
      problems,
      `${problems.length} keyboard problem(s) on ${entry.path} (${entry.type}) at ${width} px ` +
        `(${walk.stops.length} Tab stops, ${walk.expected.length} interactive elements):`,
    );
  });
});
