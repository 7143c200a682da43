// Network use of one page of every page type at 1280 px and 360 px, scrolled through from
// top to bottom: no request to any host but the local test server (such requests are
// aborted and listed), every local file the page loads exists, and no script fails.
import { describe } from 'node:test';

import { scrollThrough, settle, WIDTHS } from './lib/browser.mjs';
import { expectNone, setUp, testEveryPage } from './lib/harness.mjs';

const env = await setUp();

describe('requests: only the local server, every local file loads, no script errors', () => {
  testEveryPage(env, { widths: WIDTHS }, async ({ page, log }, entry, width) => {
    await scrollThrough(page);
    await settle(page, log);
    const where = `on ${entry.path} (${entry.type}) at ${width} px`;
    expectNone(
      [...new Set(log.external)],
      `request(s) to hosts other than ${env.site.origin} ${where} (aborted):`,
    );
    expectNone([...new Set(log.failed)], `local file(s) failed to load ${where}:`);
    expectNone(log.scriptErrors, `JavaScript error(s) ${where}:`);
  });
});
