// Builds a portal with quartier into a temporary folder and serves it under /gwa/ on
// 127.0.0.1. Every test file calls openSite() once.
//
//   QUARTIER_PORTAL=/path/to/portal   portal to build (default: the repository's example)
//   QUARTIER_BIN=/path/to/quartier    binary to build with (default: `cargo run` in the repository)
//   SOURCE_DATE_EPOCH                 passed on to quartier, fixes "today"
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { startServer } from './server.mjs';

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BASE_PATH = '/gwa/';

/** The portal folder under test, checked to contain a portal.yaml. */
export function portalRoot() {
  const root = path.resolve(process.env.QUARTIER_PORTAL || REPO_ROOT);
  if (!fs.existsSync(path.join(root, 'portal.yaml'))) {
    const hint = process.env.QUARTIER_PORTAL
      ? `QUARTIER_PORTAL=${process.env.QUARTIER_PORTAL} is not a portal folder`
      : 'the repository root has no portal.yaml';
    throw new Error(`${hint}: ${path.join(root, 'portal.yaml')} not found`);
  }
  return root;
}

function quartierCommand(args) {
  if (process.env.QUARTIER_BIN) return [process.env.QUARTIER_BIN, args];
  const manifest = path.join(REPO_ROOT, 'Cargo.toml');
  return ['cargo', ['run', '--quiet', '--locked', '--manifest-path', manifest, '--', ...args]];
}

async function build({ portal, out, baseUrl }) {
  const [command, args] = quartierCommand(['build', '--root', portal, '--out', out, '--base-url', baseUrl]);
  try {
    await run(command, args, { cwd: portal, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const output = [error.stdout, error.stderr].filter(Boolean).join('\n').trim();
    throw new Error(
      `building the portal ${portal} failed: ${command} ${args.join(' ')}\n` +
        `${output || error.message}`,
    );
  }
}

/** Every .html file of a built site, relative to its root with `/`, sorted. */
export function listHtmlFiles(root) {
  const files = [];
  const walk = (dir, prefix) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), rel);
      else if (entry.isFile() && /\.html?$/i.test(entry.name)) files.push(rel);
    }
  };
  walk(root, '');
  return files.sort();
}

/** URL path below the base for a file: `a/b/index.html` → `a/b/`, `404.html` stays. */
export function fileToPath(file) {
  if (file === 'index.html') return '';
  return file.endsWith('/index.html') ? file.slice(0, -'index.html'.length) : file;
}

/**
 * Builds the portal (default: portalRoot()) for the address of a fresh local server and
 * starts serving it. Returns { portal, root, origin, base, url(path), htmlFiles, close() }.
 */
export async function openSite({ portal = portalRoot() } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quartier-browser-'));
  const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
  process.once('exit', removeTmp);
  const root = path.join(tmp, 'public');
  const server = await startServer({ root, base: BASE_PATH });
  try {
    await build({ portal, out: root, baseUrl: server.url() });
  } catch (error) {
    await server.close();
    removeTmp();
    throw error;
  }
  const htmlFiles = listHtmlFiles(root);
  if (htmlFiles.length === 0) throw new Error(`the build of ${portal} wrote no HTML files`);
  return siteOf(server, { portal, htmlFiles, cleanUp: removeTmp });
}

/** Serves a folder that is already a built site (the self-test's fixture) under /gwa/. */
export async function serveFolder(root) {
  const server = await startServer({ root, base: BASE_PATH });
  return siteOf(server, { portal: root, htmlFiles: listHtmlFiles(root), cleanUp: () => {} });
}

function siteOf(server, { portal, htmlFiles, cleanUp }) {
  return {
    portal,
    root: server.root,
    origin: server.origin,
    base: server.base,
    url: server.url,
    htmlFiles,
    async close() {
      await server.close();
      cleanUp();
    },
  };
}
