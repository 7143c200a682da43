// Reflow (WCAG 1.4.10) on one page of every page type on phones 360 px and 320 px wide:
// the page fits the screen, nothing needs horizontal scrolling.
import { describe } from 'node:test';

import { NARROW_WIDTHS } from './lib/browser.mjs';
import { expectNone, setUp, testEveryPage } from './lib/harness.mjs';
import { reflowProblems } from './lib/reflow.mjs';

const env = await setUp();

describe('layout: no horizontal scrolling on narrow screens', () => {
  testEveryPage(env, { widths: NARROW_WIDTHS }, async ({ page }, entry, width) => {
    const problems = await reflowProblems(page, width);
    expectNone(problems, `${entry.path} (${entry.type}) at ${width} px:`);
  });
});
