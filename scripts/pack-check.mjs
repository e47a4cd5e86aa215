// Packs tunekit as it would be published (main package + platform package),
// installs both tarballs into an empty project with no Rust toolchain on PATH,
// and runs a grid search there. Exits non-zero on any failure.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  // --prefer-offline, not --offline: `npm ci` fetched tarballs by their locked
  // URLs, so the cache may hold no registry metadata for the dependencies.
  // The app does not approve install scripts yet (npm 11.16+ skips them).
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', mainTgz, platformTgz], { cwd: app, env });
  const unapproved = JSON.parse(run('node', ['study.mjs', 'before.db'], { cwd: app, env }).trim().split('\n').pop());
  const binding = join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  const built = existsSync(binding);
  if (built ? !unapproved.ok : unapproved.ok || unapproved.code !== 'STORAGE_ERROR' || !unapproved.message.includes('npm install-scripts approve better-sqlite3')) {
    throw new Error(`SQLite storage before approval (binding ${built ? 'built' : 'missing'}): ${JSON.stringify(unapproved)}`);
  }
  // The README's step for projects that use the SQLite storage.
  run('npm', ['install-scripts', 'approve', 'better-sqlite3'], { cwd: app, env });
  run('npm', ['rebuild', 'better-sqlite3'], { cwd: app, env });
  const approved = JSON.parse(run('node', ['study.mjs', 'after.db'], { cwd: app, env }).trim().split('\n').pop());
  if (!approved.ok || approved.trials !== 5) throw new Error(`SQLite study after approving better-sqlite3: ${JSON.stringify(approved)}`);
  console.log(
    `pack:check: SQLite storage before approval: ${built ? 'binding built, study ran' : `binding missing, ${unapproved.code} with the approval hint`}; after \`npm install-scripts approve better-sqlite3 && npm rebuild better-sqlite3\`: 5 trials, best ${approved.bestValue.toFixed(4)}`,
  );
  const out = run('node', ['check.mjs'], { cwd: app, env });
  process.stdout.write(out);
  const result = JSON.parse(out.trim().split('\n').pop());
  if (result.bestParams?.C !== 1 || result.bestParams?.kernel !== 'linear') throw new Error(`unexpected result ${out}`);
  if (!result.loadedFrom.includes(`node_modules/${platformPkg.name}/`)) throw new Error(`binary not loaded from the platform package: ${result.loadedFrom}`);
  // The tunekit/plots subpath export and the ECharts bundle it points the report and the dashboard to.
  const plots = JSON.parse(
    run(
      'node',
      [
        '--input-type=module',
        '-e',
        "const p = await import('tunekit/plots'); const fs = await import('node:fs'); console.log(JSON.stringify({ fn: typeof p.plotOptimizationHistory, echarts: fs.statSync(p.echartsBundlePath()).size }))",
      ],
      { cwd: app, env },
    ).trim(),
  );
  if (plots.fn !== 'function' || !(plots.echarts > 100_000)) throw new Error(`tunekit/plots in the installed package: ${JSON.stringify(plots)}`);
  // The dashboard from the installed package: its page (assets/dashboard/), the ECharts bundle and the API.
  const dashboard = JSON.parse(
    run(
      'node',
      [
        '--input-type=module',
        '-e',
        "const { startDashboard, MemoryStorage } = await import('tunekit'); const d = await startDashboard({ storage: new MemoryStorage(), port: 0 }); const out = {}; for (const p of ['/', '/app.js', '/style.css', '/vendor/echarts.min.js', '/vendor/render.js', '/api/studies']) { const r = await fetch(new URL(p, d.url)); out[p] = [r.status, (await r.arrayBuffer()).byteLength]; } await d.close(); console.log(JSON.stringify(out))",
      ],
      { cwd: app, env },
    ).trim(),
  );
  if (Object.values(dashboard).some(([status, bytes]) => status !== 200 || bytes === 0) || !(dashboard['/vendor/echarts.min.js'][1] > 100_000)) {
    throw new Error(`the dashboard in the installed package: ${JSON.stringify(dashboard)}`);
  }
  console.log(`pack:check ok: ${mainTgz.split('/').pop()} + ${platformTgz.split('/').pop()} installed without Rust; grid search ran; the dashboard served its page and API.`);
} finally {
  cleanup();
}
