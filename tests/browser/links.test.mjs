// Links of every generated page, served under the base path /gwa/ by a real HTTP server:
// every internal reference answers 200, stays under /gwa/, and every #fragment exists.
import { after, test } from 'node:test';

import { expectNone } from './lib/harness.mjs';
import { checkLinks, groupProblems } from './lib/links.mjs';
import { openSite } from './lib/site.mjs';

const site = await openSite();
after(() => site.close());

test(`links: every internal link and #fragment of the ${site.htmlFiles.length} generated pages resolves under ${site.base}`, async (t) => {
  const result = await checkLinks(site);
  t.diagnostic(`${result.pages} pages, ${result.targets} local addresses fetched, ${result.external.length} external links (not followed)`);
  const problems = groupProblems(result.problems);
  expectNone(problems, `${result.problems.length} broken reference(s), ${problems.length} distinct:`);
});
