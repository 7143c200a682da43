// A small static file server on 127.0.0.1 that serves a built portal under a base path
// (e.g. /gwa/), the way the city's web server does:
//   - a free port on the loopback interface only;
//   - `dir/` serves `dir/index.html`, `dir` (a folder without the slash) redirects to `dir/`;
//   - content types by file extension, `nosniff`, so a wrong type shows up in the browser;
//   - a missing file under the base path answers 404 with the site's own 404.html;
//   - anything outside the base path answers a plain 404, so links that leave it fail.
import fsp from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.xml': 'application/xml',
  '.ics': 'text/calendar; charset=utf-8',
  '.atom': 'application/atom+xml',
  '.rss': 'application/rss+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Normalises a base path to the form `/gwa/` (or `/`). */
export function normaliseBase(base) {
  const trimmed = String(base ?? '/').split('/').filter(Boolean).join('/');
  return trimmed ? `/${trimmed}/` : '/';
}

async function statOrNull(file) {
  try {
    return await fsp.stat(file);
  } catch {
    return null;
  }
}

/**
 * Starts the server. `root` is the built site; it need not exist yet, so a portal can be
 * built for the server's own address after the port is known.
 * Returns { origin, base, port, url(pathBelowBase), close() }.
 */
export async function startServer({ root, base = '/gwa/' }) {
  const rootDir = path.resolve(root);
  const basePath = normaliseBase(base);

  async function send(req, res, status, file, extraHeaders = {}) {
    const body = await fsp.readFile(file);
    res.writeHead(status, {
      'Content-Type': contentType(file),
      'Content-Length': body.length,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      ...extraHeaders,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function plain(req, res, status, text, extraHeaders = {}) {
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      ...extraHeaders,
    });
    res.end(req.method === 'HEAD' ? undefined : `${text}\n`);
  }

  async function notFound(req, res) {
    const page = path.join(rootDir, '404.html');
    if (await statOrNull(page)) return send(req, res, 404, page);
    return plain(req, res, 404, 'Not found (and the site has no 404.html)');
  }

  async function handle(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return plain(req, res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    }
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    if (!pathname.startsWith(basePath)) {
      if (`${pathname}/` === basePath) {
        return plain(req, res, 301, 'Moved', { Location: basePath });
      }
      return plain(req, res, 404, `Not found: ${pathname} is outside the base path ${basePath}`);
    }
    let segments;
    try {
      segments = pathname.slice(basePath.length).split('/').map(decodeURIComponent);
    } catch {
      return plain(req, res, 400, 'Bad request: invalid percent-encoding');
    }
    if (segments.some((s) => s === '..' || s === '.' || /[/\\\0]/.test(s))) {
      return plain(req, res, 400, 'Bad request: path escapes the site');
    }
    const file = path.join(rootDir, ...segments);
    if (file !== rootDir && !file.startsWith(rootDir + path.sep)) {
      return plain(req, res, 400, 'Bad request: path escapes the site');
    }
    const stat = await statOrNull(file);
    if (stat?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        return plain(req, res, 301, 'Moved', { Location: `${pathname}/` });
      }
      const index = path.join(file, 'index.html');
      if (await statOrNull(index)) return send(req, res, 200, index);
      return notFound(req, res);
    }
    if (stat?.isFile() && !pathname.endsWith('/')) return send(req, res, 200, file);
    return notFound(req, res);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) plain(req, res, 500, `Internal error: ${error.message}`);
      else res.destroy(error);
    });
  });
  // Keep-alive connections from Chromium must not keep the test process alive.
  server.keepAliveTimeout = 1000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    base: basePath,
    port,
    root: rootDir,
    /** Absolute URL of a path below the base path, e.g. url('stadtteile/buckau/'). */
    url: (below = '') => `${origin}${basePath}${below.replace(/^\/+/, '')}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
