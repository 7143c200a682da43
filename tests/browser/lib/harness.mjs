// Shared set-up of the test files that open pages: build and serve the portal, choose the
// pages, start Chromium, and register one test per page and width.
import { after, test } from 'node:test';

import { launchBrowser, loadPage, newContext, openTab } from './browser.mjs';
import { selectPages } from './pages.mjs';
import { openSite } from './site.mjs';

/** Builds and serves the portal and starts the browser; both stop after the file's tests. */
export async function setUp() {
  const site = await openSite();
  after(() => site.close());
  const pages = selectPages(site);
  const browser = await launchBrowser();
  after(() => browser.close());
  // One tab per width and JavaScript setting, in its own context; tests load their page
  // into it one after the other (node:test runs a file's tests in sequence).
  const tabs = new Map();
  const tab = (width, javaScript = true) => {
    const key = `${width}/${javaScript}`;
    if (!tabs.has(key)) tabs.set(key, newContext(browser, { width, javaScript }).then((c) => openTab(c, site)));
    return tabs.get(key);
  };
  return { site, pages, browser, tab };
}

/**
 * For every page and width registers the test `<page type> <path> at <width> px`, which
 * loads the page into the tab of that width and calls `check({ page, log }, entry, width)`.
 * A page type without a page fails with the reason selectPages() gave.
 */
export function testEveryPage({ pages, tab }, { widths, javaScript = true }, check) {
  for (const width of widths) {
    for (const entry of pages) {
      const name = entry.missing ? `${entry.type} at ${width} px` : `${entry.type} ${entry.path} at ${width} px`;
      test(name, async () => {
        if (entry.missing) throw new Error(entry.missing);
        const handle = await tab(width, javaScript);
        await loadPage(handle, entry);
        await check(handle, entry, width);
      });
    }
  }
}

/**
 * A failed check. Its message lists the problems; of the stack only the line of the test
 * that failed is kept, the rest would be noise.
 */
export class CheckFailure extends Error {
  constructor(message, caller) {
    super(message);
    this.name = 'CheckFailure';
    Error.captureStackTrace(this, caller);
    const frame = this.stack.split('\n').find((line) => /^\s+at /.test(line));
    this.stack = `${this.name}: ${message}${frame ? `\n${frame}` : ''}`;
  }
}

/**
 * Fails with `headline` and one indented entry per problem (at most `limit`) when there
 * are problems.
 */
export function expectNone(problems, headline, limit = 40) {
  if (problems.length === 0) return;
  const shown = problems.slice(0, limit).map((p) => `  - ${p.replace(/\n/g, '\n    ')}`);
  if (problems.length > limit) shown.push(`  … and ${problems.length - limit} more`);
  throw new CheckFailure(`${headline}\n${shown.join('\n')}`, expectNone);
}
