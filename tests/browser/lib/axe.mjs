// axe-core in the page, with the WCAG 2.0 and 2.1 rules of levels A and AA.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let axeSource = null;
function source() {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/**
 * Runs axe on the loaded page. Returns the violations as
 * [{ rule, impact, help, helpUrl, elements: [{ target, html, summary }] }].
 */
export async function runAxe(page) {
  await page.evaluate(source());
  return page.evaluate(async (tags) => {
    // `axe` is the global the script above defined.
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl.replace(/\?.*$/, ''),
      elements: v.nodes.map((n) => ({
        target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' >> '),
        html: n.html.replace(/\s+/g, ' ').slice(0, 160),
        summary: (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
      })),
    }));
  }, WCAG_TAGS);
}

/** One readable block per violated rule and element. */
export function describeViolations(violations, maxElements = 8) {
  return violations.flatMap((v) => {
    const lines = v.elements.slice(0, maxElements).map(
      (e) => `${v.rule} (${v.impact}): ${v.help}\nelement: ${e.target}\nhtml: ${e.html}\n${e.summary}\nsee ${v.helpUrl}`,
    );
    if (v.elements.length > maxElements) lines.push(`${v.rule}: … and ${v.elements.length - maxElements} more elements`);
    return lines;
  });
}
