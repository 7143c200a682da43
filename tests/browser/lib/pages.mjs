// Chooses the pages the browser tests open, found in the build output so that it works for
// any portal: for every page type the page with the most different HTML elements (the
// largest of equals), then up to two more that add elements the first lacks (an <img>, a
// <table>, a <details>), so that every kind of element the type shows is checked.
//
//   QUARTIER_PAGES=all   check every generated page instead (slower; for a thorough run)
import fs from 'node:fs';
import path from 'node:path';

import { fileToPath } from './site.mjs';

// First path segments the generator writes itself (src/resolve/index.rs, RESERVED);
// every other top-level folder is a plain page (Seite).
const GENERATED_SECTIONS = new Set([
  'stadtteile', 'ags', 'projekte', 'karte', 'foren', 'vorlagen', 'termine', 'daten', 'dateien',
  'suche', 'oparl', 'feed', 'sitemap', 'robots', 'static', 'assets', 'css', 'js', 'fonts', 'bilder',
]);

// Folders copied unchanged from content/: their HTML files (if any) are not pages of the portal
// (except daten/index.html, the open data page, which no content file may take).
const COPIED_SECTIONS = new Set(['dateien', 'daten']);

const PAGES_PER_TYPE = 3;

const isPlainPage = (file) => {
  const match = /^([^/]+)\/index\.html$/.exec(file);
  return Boolean(match) && !GENERATED_SECTIONS.has(match[1]);
};

/** Page types of a portal, in the order the tests report them. */
export const PAGE_TYPES = [
  { key: 'start', name: 'start page', matches: (f) => f === 'index.html', needs: 'a build' },
  { key: 'stadtteile', name: 'Stadtteil list', matches: (f) => f === 'stadtteile/index.html', needs: 'a build' },
  { key: 'stadtteil', name: 'Stadtteil page', matches: (f) => /^stadtteile\/[^/]+\/index\.html$/.test(f), needs: 'one Stadtteil' },
  { key: 'ags', name: 'AG list', matches: (f) => f === 'ags/index.html', needs: 'a build' },
  { key: 'ag', name: 'AG page', matches: (f) => /^ags\/[^/]+\/index\.html$/.test(f), needs: 'one AG' },
  { key: 'projekte', name: 'project list', matches: (f) => f === 'projekte/index.html', needs: 'a build' },
  { key: 'jahr', name: 'project year', matches: (f) => /^projekte\/[^/]+\/index\.html$/.test(f), needs: 'one project' },
  { key: 'projekt', name: 'project page', matches: (f) => /^projekte\/[^/]+\/[^/]+\/index\.html$/.test(f), needs: 'one project' },
  { key: 'foren', name: 'forum list', matches: (f) => f === 'foren/index.html', needs: 'a build' },
  { key: 'forum', name: 'forum page', matches: (f) => /^foren\/[^/]+\/index\.html$/.test(f), needs: 'one Stadtteilforum' },
  { key: 'vorlagen', name: 'Vorlage list', matches: (f) => f === 'vorlagen/index.html', needs: 'a build' },
  { key: 'vorlage', name: 'Vorlage page', matches: (f) => /^vorlagen\/[^/]+\/index\.html$/.test(f), needs: 'one public Vorlage' },
  { key: 'termine', name: 'dates page', matches: (f) => f === 'termine/index.html', needs: 'a build' },
  { key: 'daten', name: 'open data page', matches: (f) => f === 'daten/index.html', needs: 'a build' },
  { key: 'seite', name: 'plain page', matches: isPlainPage, needs: 'one page in content/seiten/' },
  { key: '404', name: 'error page 404', matches: (f) => f === '404.html', needs: 'a build' },
];

// A URL that no portal has: the 404 page is opened the way visitors meet it.
export const MISSING_PATH = 'quartier-test/gibt-es-nicht/';

function typeOf(file) {
  return PAGE_TYPES.find((t) => t.matches(file)) ?? null;
}

/** Shape of a file no page type claims: first folder plus depth, e.g. `karte/*` . */
function shapeOf(file) {
  const parts = file.split('/');
  return `${parts[0]}/${'*/'.repeat(Math.max(0, parts.length - 2))}${parts.at(-1) === 'index.html' ? '' : '*.html'}`;
}

function pageEntry(site, type, file) {
  const is404 = type?.key === '404';
  const below = is404 ? MISSING_PATH : fileToPath(file);
  return {
    type: type?.name ?? `other page (${shapeOf(file)})`,
    file,
    path: site.base + below,
    url: site.url(below),
    status: is404 ? 404 : 200,
  };
}

/**
 * Pages to open: [{ type, file, path, url, status, missing? }]. A page type without a page
 * in the output gives an entry with `missing` set, so each test can fail with that reason.
 */
export function selectPages(site) {
  const everything = process.env.QUARTIER_PAGES === 'all';
  const features = new Map();
  const featuresOf = (file) => {
    if (!features.has(file)) {
      const html = fs.readFileSync(path.join(site.root, file), 'utf8');
      const tags = new Set(Array.from(html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g), (m) => m[1].toLowerCase()));
      features.set(file, { tags, size: html.length });
    }
    return features.get(file);
  };
  // Greedy cover of the element names: each next page adds the most names not seen yet.
  const representatives = (files) => {
    if (everything) return files;
    const seen = new Set();
    const chosen = [];
    while (chosen.length < PAGES_PER_TYPE) {
      let best = null;
      let bestGain = 0;
      for (const file of files) {
        const { tags, size } = featuresOf(file);
        const gain = [...tags].filter((t) => !seen.has(t)).length;
        if (gain > bestGain || (gain === bestGain && gain > 0 && size > featuresOf(best).size)) {
          best = file;
          bestGain = gain;
        }
      }
      if (!best) break;
      chosen.push(best);
      featuresOf(best).tags.forEach((t) => seen.add(t));
    }
    return chosen;
  };
  const pages = [];
  const claimed = new Set();

  for (const type of PAGE_TYPES) {
    const files = site.htmlFiles.filter((f) => type.matches(f));
    files.forEach((f) => claimed.add(f));
    if (files.length === 0) {
      pages.push({
        type: type.name,
        missing:
          `the build of ${site.portal} has no ${type.name}: the browser tests need ` +
          `${type.needs} to check this page type`,
      });
      continue;
    }
    for (const file of representatives(files)) pages.push(pageEntry(site, type, file));
  }

  // Pages of a kind not listed above (a future /karte/, say), by shape.
  const others = new Map();
  for (const file of site.htmlFiles) {
    if (claimed.has(file) || COPIED_SECTIONS.has(file.split('/')[0])) continue;
    const shape = shapeOf(file);
    others.set(shape, [...(others.get(shape) ?? []), file]);
  }
  for (const files of others.values()) {
    for (const file of representatives(files)) pages.push(pageEntry(site, typeOf(file), file));
  }
  return pages;
}
