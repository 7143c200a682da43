// Debian's Chromium, driven by playwright-core: no browser is ever downloaded.
// Every request that does not go to the local test server is recorded and aborted, so
// nothing leaves the machine.
import fs from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Without the networking flags Chromium keeps calling Google's hosts, which a closed
// network refuses. playwright-core adds a fresh temporary --user-data-dir itself and
// removes it when the browser closes.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The widths the issue asks for; narrow ones emulate a phone (meta viewport honoured). */
export const WIDTHS = [1280, 360];
export const NARROW_WIDTHS = [360, 320];

function viewportOptions(width) {
  const phone = width < 600;
  return {
    viewport: { width, height: phone ? 740 : 800 },
    isMobile: phone,
    hasTouch: phone,
    deviceScaleFactor: 1,
  };
}

export async function launchBrowser() {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    throw new Error(
      `playwright-core is not installed (${error.message}). ` +
        'Run `npm ci --ignore-scripts` in tests/browser/, or scripts/test, which does it.',
    );
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium; ` +
        'scripts/test does it) or set CHROMIUM=/path/to/chromium.',
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  return browser;
}

function isLocal(url, origin) {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** A browser context at `width` px; narrow widths emulate a phone. */
export function newContext(browser, { width, javaScript = true }) {
  return browser.newContext({
    ...viewportOptions(width),
    javaScriptEnabled: javaScript,
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    colorScheme: 'light',
    reducedMotion: 'reduce',
    serviceWorkers: 'block',
  });
}

/**
 * Opens a tab in `context`. Returns { page, log, close }; `log` has `external` (requests
 * to any host but the local server: recorded and aborted), `failed` (local requests
 * answered with an HTTP error, other than the page itself) and `scriptErrors` (uncaught
 * JavaScript errors). loadPage() empties the log before each page.
 */
export async function openTab(context, site) {
  const page = await context.newPage();
  const log = { external: [], failed: [], scriptErrors: [], inflight: 0, lastActivity: Date.now() };

  await page.route('**/*', (route) => {
    const request = route.request();
    if (isLocal(request.url(), site.origin)) return route.continue();
    log.external.push(`${request.resourceType()} ${request.url()}`);
    return route.abort('blockedbyclient');
  });
  await page.routeWebSocket(/.*/, (ws) => {
    log.external.push(`websocket ${ws.url()}`);
    ws.close();
  });

  const settled = () => {
    log.inflight = Math.max(0, log.inflight - 1);
    log.lastActivity = Date.now();
  };
  page.on('request', () => {
    log.inflight += 1;
    log.lastActivity = Date.now();
  });
  page.on('requestfinished', settled);
  page.on('requestfailed', settled);
  page.on('response', (response) => {
    const request = response.request();
    const isDocument = request.isNavigationRequest() && request.frame() === page.mainFrame();
    if (!isDocument && response.status() >= 400 && isLocal(response.url(), site.origin)) {
      log.failed.push(`${response.status()} ${request.resourceType()} ${response.url()}`);
    }
  });
  page.on('pageerror', (error) => log.scriptErrors.push(String(error.message).split('\n')[0]));

  return { page, log, close: () => page.close() };
}

/** Waits until no request has been in flight for `quiet` ms (at most `max` ms) and fonts are ready. */
export async function settle(page, log, { quiet = 100, max = 3000 } = {}) {
  const start = Date.now();
  while (Date.now() - start < max && !(log.inflight === 0 && Date.now() - log.lastActivity >= quiet)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await page.evaluate(() => document.fonts?.ready.then(() => true));
}

/**
 * Loads a page chosen by selectPages() and checks the HTTP status the server answered
 * (200, or 404 for the error page). Throws a readable error otherwise.
 */
export async function loadPage(handle, entry) {
  Object.assign(handle.log, { external: [], failed: [], scriptErrors: [], inflight: 0 });
  const response = await handle.page.goto(entry.url, { waitUntil: 'load', timeout: 30_000 });
  const status = response ? response.status() : 0;
  if (status !== entry.status) {
    throw new Error(`${entry.path}: the server answered HTTP ${status}, expected ${entry.status}`);
  }
  await settle(handle.page, handle.log);
}

/** Scrolls through the whole page (lazy images, sticky parts), then back to the top. */
export async function scrollThrough(page) {
  await page.evaluate(async () => {
    const step = Math.max(200, Math.floor(window.innerHeight * 0.8));
    for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
      window.scrollTo(0, y);
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    window.scrollTo(0, 0);
  });
}
