// The dashboard at scale (issue 14, item 3): API latency on an SQLite study of
// --trials trials (default 50 000: a float, a log-float, an int and a
// categorical parameter, two intermediate values each, every 20th PRUNED),
// served by `tunekit dashboard` in its own process, timed over HTTP from this
// one. Side by side, when bench/.venv has it, optuna-dashboard 0.21 on the
// same study exported with `tunekit export --format optuna-journal`: its
// study list, its study detail (the page's one request for every trial, which
// its browser side turns into charts), its incremental poll, and its
// server-side slice plot.
//
//   node bench/dashboard_scale.mjs [--trials N] [--reps 5] [--no-peer]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportOptunaJournal, importOptunaJournal, SqliteStorage } from '../dist/index.js';
import { flags, fmt, median, ROOT, table } from './peers.mjs';

const opts = flags();
const N = Number(opts.trials ?? 50_000);
const REPS = Number(opts.reps ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'tunekit-dashboard-scale-'));
const children = [];

/** A journal as Optuna's optimize writes it: `n` trials of study "big". */
function writeJournal(file, n) {
  const w = 'bench';
  const lines = [JSON.stringify({ op_code: 0, worker_id: w, study_name: 'big', directions: [1] })];
  const dist = {
    x: '{"name": "FloatDistribution", "attributes": {"step": null, "low": -5.0, "high": 5.0, "log": false}}',
    lr: '{"name": "FloatDistribution", "attributes": {"step": null, "low": 1e-05, "high": 0.1, "log": true}}',
    n: '{"name": "IntDistribution", "attributes": {"log": false, "step": 1, "low": 1, "high": 10}}',
    c: '{"name": "CategoricalDistribution", "attributes": {"choices": ["a", "b", "c"]}}',
  };
  for (let i = 0; i < n; i++) {
    const start = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace('Z', '000+00:00');
    const x = Math.sin(i) * 5;
    const lr = 10 ** (-5 + 4 * ((i * 0.618034) % 1));
    const p = { x, lr, n: 1 + (i % 10), c: i % 3 };
    lines.push(JSON.stringify({ op_code: 4, worker_id: w, study_id: 0, datetime_start: start }));
    for (const [name, v] of Object.entries(p)) lines.push(JSON.stringify({ op_code: 5, worker_id: w, trial_id: i, param_name: name, param_value_internal: v, distribution: dist[name] }));
    const value = x * x + Math.log10(lr) ** 2 / 10 + p.n / 10 + p.c;
    lines.push(JSON.stringify({ op_code: 7, worker_id: w, trial_id: i, step: 0, intermediate_value: value * 2 }));
    lines.push(JSON.stringify({ op_code: 7, worker_id: w, trial_id: i, step: 1, intermediate_value: value * 1.5 }));
    const end = start.replace(/\.\d+/, '.500000');
    if (i % 20 === 19) lines.push(JSON.stringify({ op_code: 6, worker_id: w, trial_id: i, state: 2, values: null, datetime_complete: end }));
    else lines.push(JSON.stringify({ op_code: 6, worker_id: w, trial_id: i, state: 1, values: [value], datetime_complete: end }));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** Starts a server process and waits until `probe` answers; returns its base URL. */
async function serve(cmd, args, port, probe) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`${cmd} exited: ${err}`);
    try {
      const r = await fetch(base + probe);
      if (r.ok) return base;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${cmd} did not answer on ${base}: ${err}`);
}

/** Milliseconds and bytes of one GET (the body read in full). */
async function timed(url) {
  const t = performance.now();
  const r = await fetch(url);
  const body = await r.arrayBuffer();
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status} ${Buffer.from(body).toString().slice(0, 200)}`);
  return { ms, bytes: body.byteLength };
}

/** Median milliseconds (and the bytes) of `REPS` GETs, after `before()` each time if given. */
async function warm(url, before) {
  const ms = [];
  let bytes = 0;
  for (let i = 0; i < REPS; i++) {
    if (before) await before();
    const r = await timed(url);
    ms.push(r.ms);
    bytes = r.bytes;
  }
  return { ms: median(ms), bytes };
}

const kb = (b) => `${fmt(b / 1024)} KiB`;

try {
  const journal = join(dir, 'generated.log');
  writeJournal(journal, N);
  const dbPath = join(dir, 'big.db');
  const storage = new SqliteStorage(dbPath);
  let t = performance.now();
  await importOptunaJournal(journal, storage);
  console.log(`study "big": ${N} trials into SQLite in ${fmt((performance.now() - t) / 1000)} s`);
  const exported = join(dir, 'big.log');
  await exportOptunaJournal(storage, exported, { studies: ['big'] });
  const study = await storage.getStudy('big');
  if (study === null) throw new Error('the import made no study "big"');
  /** @type {import('../dist/study/types.js').Distribution} */
  const X = { type: 'float', low: -5, high: 5, log: false };
  /** One more trial told through the storage (what a worker does), so the next request sees a change. */
  let extra = 0;
  const tell = async () => {
    const tr = await storage.createTrial(study.id, { state: 'RUNNING', params: { x: 0.5 }, distributions: { x: X } });
    await storage.finishTrial(tr.id, 'COMPLETE', [100 + extra++]);
    // The dashboard looks at the storage again once its last look is 250 ms old (requests in between share it).
    await new Promise((r) => setTimeout(r, 300));
  };

  const port = 18_000 + (process.pid % 1000);
  const tk = await serve(process.execPath, [join(ROOT, 'dist/cli.js'), 'dashboard', '--storage', `sqlite:${dbPath}`, '--port', String(port)], port, '/api/info');
  const rows = [];
  const add = (what, r, note = '') => rows.push([what, fmt(r.ms), kb(r.bytes), note]);
  add('studies list, first request (reads the whole study into the cache)', await timed(`${tk}/api/studies`));
  add('studies list, cached', await warm(`${tk}/api/studies`));
  add('studies list after one new trial (incremental refresh)', await warm(`${tk}/api/studies`, tell));
  add('study summary', await warm(`${tk}/api/studies/big`));
  add('trial table, first page (50 rows by number)', await warm(`${tk}/api/studies/big/trials?limit=50`));
  add('trial table sorted by value, descending, after a new trial', await warm(`${tk}/api/studies/big/trials?sort=value&order=desc&limit=50`, tell));
  add('trial table sorted by value, descending, next pages (order kept)', await warm(`${tk}/api/studies/big/trials?sort=value&order=desc&offset=50&limit=50`));
  add('trial table filtered (x in [-1, 1], COMPLETE, c = 1) sorted by n', await warm(`${tk}/api/studies/big/trials?state=COMPLETE&param.x=-1..1&param.c=b&sort=param.n&limit=50`));
  add('trial detail', await warm(`${tk}/api/studies/big/trials/${Math.floor(N / 4)}`));
  const charts = await warm(`${tk}/api/studies/big/charts?maxPoints=2000`, tell);
  add('all charts (maxPoints 2000), recomputed after a new trial', charts);
  add('all charts, unchanged study (kept)', await warm(`${tk}/api/studies/big/charts?maxPoints=2000`));
  add('compare (history), 1 study', await warm(`${tk}/api/compare?studies=big&kind=history&maxPoints=2000`));
  const listed = /** @type {{ charts?: { kind: string }[] }} */ (await (await fetch(`${tk}/api/studies/big/charts?maxPoints=2000`)).json());
  const kinds = (listed.charts ?? []).map((c) => c.kind);
  for (const kind of kinds) add(`chart ${kind}, recomputed after a new trial`, await warm(`${tk}/api/studies/big/charts?kinds=${kind}&maxPoints=2000`, tell));

  console.log(`\ntunekit dashboard, SQLite, ${N} trials (median of ${REPS}; ms over HTTP, response size)\n`);
  console.log(table(['request', 'ms', 'size', ''], rows));

  // The page in Chromium (when playwright-core and a Chromium are there): from navigation to every chart
  // and the table drawn, and a click on a column header until the table shows the new order.
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromiumPath)) {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, bypassCSP: true }); // the waits below are evaluated strings
      const ui = [];
      const load = [];
      const sort = [];
      for (let i = 0; i < REPS; i++) {
        await tell();
        await page.goto('about:blank');
        let t0 = performance.now();
        await page.goto(`${tk}/#/study/big`);
        await page.waitForSelector('#trials tbody tr');
        await page.waitForFunction(`document.querySelectorAll('#charts .chart canvas').length >= ${kinds.length}`, null, { timeout: 60_000 });
        load.push(performance.now() - t0);
        t0 = performance.now();
        await page.click('th[data-sort="value"]');
        // (page code as strings: this file is checked without the DOM's types)
        await page.waitForFunction(`document.querySelector('th[data-sort="value"]')?.textContent?.endsWith('▲')`);
        await page.waitForFunction(`document.querySelector('#trials tbody tr')?.getAttribute('data-number') !== '0'`);
        sort.push(performance.now() - t0);
      }
      ui.push([`study page: navigation until the table and all ${kinds.length} charts are drawn (after a new trial)`, fmt(median(load))]);
      ui.push(['trial table: click a column header until the new order shows', fmt(median(sort))]);
      console.log(`\nthe page in Chromium, ${N} trials (median of ${REPS})\n`);
      console.log(table(['action', 'ms'], ui));
    } finally {
      await browser.close();
    }
  }

  const venv = join(ROOT, 'bench/.venv/bin/optuna-dashboard');
  if (!opts['no-peer'] && existsSync(venv)) {
    const oport = port + 1;
    t = performance.now();
    const od = await serve(venv, ['--port', String(oport), '--quiet', exported], oport, '/api/meta');
    const startup = performance.now() - t;
    const peer = [];
    const padd = (what, r) => peer.push([what, fmt(r.ms), kb(r.bytes)]);
    peer.push(['start-up until /api/meta answers (replays the journal)', fmt(startup), '']);
    padd('studies list, first request', await timed(`${od}/api/studies`));
    padd('studies list, cached', await warm(`${od}/api/studies`));
    padd('study detail: every trial (first request)', await timed(`${od}/api/studies/0?after=0`));
    padd('study detail: every trial', await warm(`${od}/api/studies/0?after=0`));
    padd(`incremental poll (trials after ${N})`, await warm(`${od}/api/studies/0?after=${N}`));
    padd('slice plot (server side, plotly JSON), one request', await timed(`${od}/api/studies/0/plot/slice`));
    console.log(`\noptuna-dashboard 0.21, the same study as an Optuna journal file (median of ${REPS})\n`);
    console.log(table(['request', 'ms', 'size'], peer));
  } else console.log('\n(optuna-dashboard: not run; bench/.venv/bin/optuna-dashboard is missing or --no-peer)');
  await storage.close();
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  rmSync(dir, { recursive: true, force: true });
}
