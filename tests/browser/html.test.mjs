// HTML validity: the Nu HTML Checker finds no error in any generated page.
import { after, test } from 'node:test';

import { expectNone } from './lib/harness.mjs';
import { openSite } from './lib/site.mjs';
import { validateHtml } from './lib/vnu.mjs';

const site = await openSite();
after(() => site.close());

test(`Nu HTML checker: no errors in any of the ${site.htmlFiles.length} generated HTML files`, async () => {
  const errors = await validateHtml(site.root);
  // One entry per message, with the places it occurs: a template error repeats on every page.
  const byMessage = new Map();
  for (const e of errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)) {
    byMessage.set(e.message, [...(byMessage.get(e.message) ?? []), e]);
  }
  const files = new Set(errors.map((e) => e.file));
  expectNone(
    [...byMessage].map(([message, places]) => {
      const where = places.slice(0, 3).map((e) => `${e.file}:${e.line}:${e.column}`).join(', ');
      const more = places.length > 3 ? ` and ${places.length - 3} more` : '';
      return `${where}${more}: ${message}${places[0].extract ? `\n${places[0].extract}` : ''}`;
    }),
    `${errors.length} HTML error(s) in ${files.size} file(s):`,
  );
});
