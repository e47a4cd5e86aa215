// Packs tunekit as it would be published (main package + platform package),
// installs both tarballs into an empty project with no Rust toolchain on PATH,
// and runs a grid search there. Exits non-zero on any failure.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const platform = 'linux-x64-gnu';
const binary = `${pkg.napi.binaryName}.${platform}.node`;
const platformDir = join(root, 'npm', platform);
const platformPkg = JSON.parse(readFileSync(join(platformDir, 'package.json'), 'utf8'));

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts });
const work = mkdtempSync(join(tmpdir(), 'tunekit-pack-'));
const cleanup = () => rmSync(work, { recursive: true, force: true });

try {
  execFileSync('node', [join(root, 'scripts/ensure-built.mjs')], { stdio: 'inherit' });

  // 1. The platform package: its package.json and the release binary.
  const platformStage = join(work, 'platform');
  cpSync(platformDir, platformStage, { recursive: true });
  copyFileSync(join(root, 'native', binary), join(platformStage, binary));
  const platformTgz = join(work, run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: platformStage }).trim().split('\n').pop());

  // 2. The main package, staged with the platform package as an optional
  //    dependency (as `napi prepublish` adds it at publish time), no binary inside.
  const mainStage = join(work, 'main');
  for (const f of [...pkg.files, 'README.md', 'package.json']) cpSync(join(root, f), join(mainStage, f), { recursive: true });
  const staged = { ...pkg, optionalDependencies: { [platformPkg.name]: platformPkg.version }, devDependencies: undefined };
  delete staged.scripts.prepare;
  writeFileSync(join(mainStage, 'package.json'), JSON.stringify(staged, null, 2));
  const mainTgz = join(work, run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: mainStage }).trim().split('\n').pop());
  const listing = run('tar', ['-tzf', mainTgz]);
  if (listing.includes('.node')) throw new Error(`the main tarball must not contain a binary:\n${listing}`);

  // 3. An empty project, a PATH without cargo/rustc, both tarballs installed.
  const app = join(work, 'app');
  cpSync(join(root, 'scripts/pack-check-app'), app, { recursive: true });
  const path = process.env.PATH.split(delimiter).filter((d) => {
    try {
      return !readdirSync(d).some((f) => f === 'cargo' || f === 'rustc');
    } catch {
      return false;
    }
  });
  const env = { ...process.env, PATH: path.join(delimiter), CARGO_HOME: '/nonexistent', RUSTUP_HOME: '/nonexistent' };
  try {
    execFileSync('cargo', ['--version'], { env, stdio: 'ignore' });
    throw new Error('cargo is still on PATH');
  } catch (err) {
    if (err.message === 'cargo is still on PATH') throw err;
  }
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', mainTgz, platformTgz], { cwd: app, env });
  const out = run('node', ['check.mjs'], { cwd: app, env });
  process.stdout.write(out);
  const result = JSON.parse(out.trim().split('\n').pop());
  if (result.bestParams?.C !== 1 || result.bestParams?.kernel !== 'linear') throw new Error(`unexpected result ${out}`);
  if (!result.loadedFrom.includes(`node_modules/${platformPkg.name}/`)) throw new Error(`binary not loaded from the platform package: ${result.loadedFrom}`);
  console.log(`pack:check ok: ${mainTgz.split('/').pop()} + ${platformTgz.split('/').pop()} installed without Rust; grid search ran.`);
} finally {
  cleanup();
}
