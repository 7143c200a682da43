// Link check over HTTP: fetches every generated page from the local server, follows every
// internal reference (a, area, link, script, img, source, srcset, iframe, object, video,
// audio, form, SVG use/image, meta refresh, CSS url() and @import) and checks that
//   - it stays under the base path (e.g. /gwa/),
//   - the server answers 200 (a redirect counts as a problem: link to the final address),
//   - a #fragment names an id (or <a name>) in the target page.
import { parse } from 'parse5';

const URL_ATTRIBUTES = {
  a: ['href'], area: ['href'], link: ['href'], script: ['src'], img: ['src', 'srcset'],
  source: ['src', 'srcset'], iframe: ['src'], embed: ['src'], object: ['data'], track: ['src'],
  video: ['src', 'poster'], audio: ['src'], input: ['src'], form: ['action'],
  use: ['href', 'xlink:href'], image: ['href', 'xlink:href'],
};

// Fragments that browsers resolve without an id.
const BUILT_IN_FRAGMENTS = new Set(['', 'top']);

const attr = (node, name) => node.attrs?.find((a) => a.name === name)?.value;

function* elements(node) {
  for (const child of node.childNodes ?? []) {
    if (child.tagName) yield child;
    yield* elements(child.tagName === 'template' ? child.content : child);
  }
}

function srcsetUrls(value) {
  return value.split(/,\s+/).map((candidate) => candidate.trim().split(/\s+/)[0]).filter(Boolean);
}

/** url() and @import references of a style sheet or style attribute. */
export function cssUrls(css) {
  const urls = [];
  for (const m of css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/gi)) urls.push(m[1] ?? m[2] ?? m[3]);
  for (const m of css.matchAll(/@import\s+(?:"([^"]*)"|'([^']*)')/gi)) urls.push(m[1] ?? m[2]);
  return urls.filter((u) => u && !u.startsWith('data:'));
}

/** The ids and references of an HTML document: { ids: Set, refs: [{ value, line, what }] }. */
export function extractHtml(html) {
  const document = parse(html, { sourceCodeLocationInfo: true });
  const ids = new Set();
  const refs = [];
  let base = null;
  for (const el of elements(document)) {
    const line = el.sourceCodeLocation?.startLine ?? 0;
    const id = attr(el, 'id');
    if (id) ids.add(id);
    if (el.tagName === 'a' && attr(el, 'name')) ids.add(attr(el, 'name'));
    if (el.tagName === 'base' && attr(el, 'href') && base === null) base = attr(el, 'href');
    for (const name of URL_ATTRIBUTES[el.tagName] ?? []) {
      const value = attr(el, name);
      if (value === undefined) continue;
      const values = name === 'srcset' ? srcsetUrls(value) : [value.trim()];
      for (const v of values) refs.push({ value: v, line, what: `<${el.tagName} ${name}="${v}">` });
    }
    if (el.tagName === 'meta' && /^refresh$/i.test(attr(el, 'http-equiv') ?? '')) {
      const target = /url\s*=\s*['"]?([^'"]+)/i.exec(attr(el, 'content') ?? '')?.[1];
      if (target) refs.push({ value: target.trim(), line, what: `<meta http-equiv="refresh" … url=${target}>` });
    }
    const style = el.tagName === 'style' ? el.childNodes.map((n) => n.value ?? '').join('') : attr(el, 'style');
    for (const u of style ? cssUrls(style) : []) refs.push({ value: u, line, what: `url(${u}) in CSS` });
  }
  return { ids, refs, base };
}

function decode(text, decoder = decodeURIComponent) {
  try {
    return decoder(text);
  } catch {
    return text;
  }
}

async function pool(items, concurrency, work) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}

/**
 * Crawls `site` (from openSite()) starting from every generated HTML file.
 * Returns { pages, targets, external, problems: [{ at: 'path:line', message }] }.
 */
export async function checkLinks(site, { concurrency = 8 } = {}) {
  const problems = [];
  const external = new Set();
  const resources = new Map(); // URL without fragment → Promise<{ status, location, ids }>

  const where = (pageUrl, line) => `${decode(new URL(pageUrl).pathname, decodeURI)}${line ? `:${line}` : ''}`;

  // Fetches a local URL once. HTML gives its ids; CSS has its url() references checked.
  const fetchResource = (url) => {
    if (!resources.has(url)) {
      resources.set(url, (async () => {
        const response = await fetch(url, { redirect: 'manual' });
        const type = response.headers.get('content-type') ?? '';
        const result = { status: response.status, location: response.headers.get('location'), ids: null };
        if (response.status === 200 && type.startsWith('text/html')) {
          const page = extractHtml(await response.text());
          result.ids = page.ids;
          result.page = page;
        } else if (response.status === 200 && type.startsWith('text/css')) {
          const css = await response.text();
          result.page = { ids: new Set(), base: null, refs: cssUrls(css).map((u) => ({ value: u, line: 0, what: `url(${u}) in CSS` })) };
        } else {
          await response.arrayBuffer();
        }
        return result;
      })());
    }
    return resources.get(url);
  };

  const checkReference = async (pageUrl, baseUrl, ref) => {
    if (/^(mailto|tel|sms|data|javascript|about|blob):/i.test(ref.value)) return;
    let target;
    try {
      target = new URL(ref.value, baseUrl);
    } catch {
      problems.push({ at: where(pageUrl, ref.line), message: `${ref.what}: not a valid URL` });
      return;
    }
    if (!/^https?:$/.test(target.protocol)) return;
    if (target.origin !== site.origin) {
      external.add(target.href);
      return;
    }
    if (!target.pathname.startsWith(site.base)) {
      problems.push({ at: where(pageUrl, ref.line), message: `${ref.what} leaves the base path ${site.base} (${target.pathname})` });
      return;
    }
    const hash = target.hash;
    target.hash = '';
    const resource = await fetchResource(target.href);
    if (resource.status !== 200) {
      const moved = resource.location ? ` → ${resource.location}: link to the final address` : '';
      problems.push({ at: where(pageUrl, ref.line), message: `${ref.what}${ref.value === target.pathname ? '' : ` (${decode(target.pathname, decodeURI)})`}: HTTP ${resource.status}${moved}` });
      return;
    }
    const fragment = decode(hash.replace(/^#/, ''));
    if (BUILT_IN_FRAGMENTS.has(fragment)) return;
    if (resource.ids === null) return; // a file, not a page: its fragments are not ids
    if (!resource.ids.has(fragment)) {
      problems.push({ at: where(pageUrl, ref.line), message: `${ref.what}: no id="${fragment}" in ${decode(target.pathname, decodeURI)}` });
    }
  };

  const checked = new Set();
  const crawlResource = async (url) => {
    if (checked.has(url)) return;
    checked.add(url);
    const resource = await fetchResource(url);
    if (!resource.page) return;
    const baseUrl = resource.page.base ? new URL(resource.page.base, url).href : url;
    await pool(resource.page.refs, concurrency, (ref) => checkReference(url, baseUrl, ref));
    // Style sheets are followed too, so their url() references get checked.
    const styleSheets = resource.page.refs
      .map((ref) => { try { return new URL(ref.value, baseUrl); } catch { return null; } })
      .filter((u) => u && u.origin === site.origin && /\.css$/i.test(u.pathname));
    for (const sheet of styleSheets) {
      sheet.hash = '';
      await crawlResource(sheet.href);
    }
  };

  const pages = site.htmlFiles.map((file) => site.url(file.replace(/(^|\/)index\.html$/, '$1')));
  await pool(pages, concurrency, async (url) => {
    const resource = await fetchResource(url);
    if (resource.status !== 200) {
      problems.push({ at: where(url), message: `the generated page itself answers HTTP ${resource.status}` });
      return;
    }
    await crawlResource(url);
  });

  return { pages: pages.length, targets: resources.size, external: [...external].sort(), problems };
}

/** Problems with the same message grouped: `message (at a:1, b:2 and 3 more)`. */
export function groupProblems(problems, shownPlaces = 3) {
  const groups = new Map();
  for (const { at, message } of problems) groups.set(message, [...(groups.get(message) ?? []), at]);
  return [...groups].map(([message, places]) => {
    const more = places.length > shownPlaces ? ` and ${places.length - shownPlaces} more` : '';
    return `${places.slice(0, shownPlaces).join(', ')}${more}: ${message}`;
  });
}
