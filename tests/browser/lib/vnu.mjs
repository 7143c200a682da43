// The Nu HTML Checker (vnu.jar from the npm package vnu-jar) on the installed Java.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

function jarPath() {
  let dir;
  try {
    dir = path.dirname(require.resolve('vnu-jar/package.json'));
  } catch {
    throw new Error('vnu-jar is not installed: run `npm ci --ignore-scripts` in tests/browser/ (scripts/test does it)');
  }
  const jar = path.join(dir, 'build', 'dist', 'vnu.jar');
  if (!fs.existsSync(jar)) throw new Error(`${jar} is missing: reinstall with \`npm ci --ignore-scripts\` in tests/browser/`);
  return jar;
}

/**
 * Checks every .html file under `root`. Returns the errors as
 * [{ file (relative to root), line, column, message, extract }].
 */
export function validateHtml(root) {
  const jar = jarPath();
  const args = ['-Xss4m', '-jar', jar, '--errors-only', '--skip-non-html', '--format', 'json', '--exit-zero-always', root];
  return new Promise((resolve, reject) => {
    execFile('java', args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const hint = error.code === 'ENOENT'
          ? 'java not found: install a Java runtime (apt-get install -y default-jre-headless; scripts/test does it)'
          : `${error.message}\n${stderr}`;
        reject(new Error(`the Nu HTML checker did not run: ${hint}`));
        return;
      }
      let report;
      try {
        report = JSON.parse(stderr || stdout);
      } catch {
        reject(new Error(`the Nu HTML checker printed no JSON report:\n${(stderr || stdout).slice(0, 2000)}`));
        return;
      }
      resolve(
        report.messages
          .filter((m) => m.type === 'error' || m.type === 'non-document-error')
          .map((m) => ({
            file: m.url ? path.relative(root, fileURLToPath(m.url)) : '(no file)',
            line: m.lastLine ?? m.firstLine ?? 0,
            column: m.firstColumn ?? m.lastColumn ?? 0,
            message: m.message,
            extract: (m.extract ?? '').replace(/\s+/g, ' ').trim(),
          })),
      );
    });
  });
}
