// Starts `quartier serve --port 0` on a portal and reads the address it prints first.
// The binary is QUARTIER_BIN when set, else the one `cargo run` builds.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

import { REPO_ROOT } from './site.mjs';

/** Returns the child process and a promise of the preview's URL (`http://127.0.0.1:N/gwa/`). */
export function startServe(root) {
  const [command, args] = process.env.QUARTIER_BIN
    ? [process.env.QUARTIER_BIN, []]
    : ['cargo', ['run', '--quiet', '--locked', '--manifest-path', path.join(REPO_ROOT, 'Cargo.toml'), '--']];
  const child = spawn(command, [...args, 'serve', '--root', root, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const m = /^Vorschau: (http:\/\/\S+)$/.exec(line.trim());
      if (m) resolve(m[1]);
      else reject(new Error(`unexpected first line of quartier serve: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`quartier serve exited with ${code}\n${stderr}`)));
  });
  return { child, url };
}
