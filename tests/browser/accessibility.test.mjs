// axe-core with the WCAG 2.0/2.1 A and AA rules on one page of every page type, at 1280 px
// and at 360 px: zero violations.
import { describe } from 'node:test';

import { describeViolations, runAxe, WCAG_TAGS } from './lib/axe.mjs';
import { WIDTHS } from './lib/browser.mjs';
import { expectNone, setUp, testEveryPage } from './lib/harness.mjs';

const env = await setUp();

describe(`axe-core (${WCAG_TAGS.join(', ')}): no violations`, () => {
  testEveryPage(env, { widths: WIDTHS }, async ({ page }, entry, width) => {
    const violations = await runAxe(page);
    const count = violations.reduce((n, v) => n + v.elements.length, 0);
    expectNone(
      describeViolations(violations),
      `${count} axe violation(s) on ${entry.path} (${entry.type}) at ${width} px:`,
    );
  });
});
