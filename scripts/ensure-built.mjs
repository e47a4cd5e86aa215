// Builds the native addon and the TypeScript output when they are missing or
// older than their sources, so `npm test` works on a fresh clone.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function newest(dir, exts) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) t = Math.max(t, newest(p, exts));
    else if (exts.some((e) => entry.name.endsWith(e))) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function oldestOutput(paths) {
  let t = Infinity;
  for (const p of paths) {
    if (!existsSync(p)) return 0;
    t = Math.min(t, statSync(p).mtimeMs);
  }
  return t;
}

const addon = readdirSync(join(root, 'native'))
  .filter((f) => f.endsWith('.node'))
  .map((f) => join(root, 'native', f));
const nativeStale =
  addon.length === 0 || oldestOutput([...addon, join(root, 'native/index.cjs')]) < Math.max(newest(join(root, 'crates'), ['.rs', '.toml']), statSync(join(root, 'Cargo.lock')).mtimeMs);
const tsStale = oldestOutput([join(root, 'dist/index.js'), join(root, 'dist/cli.js')]) < newest(join(root, 'ts'), ['.ts']);

const run = (script) => execFileSync('npm', ['run', script], { cwd: root, stdio: 'inherit' });
if (nativeStale) run('build:native');
if (nativeStale || tsStale) run('build:ts');
