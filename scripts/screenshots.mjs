// Remakes the screenshots in docs/img/: the dashboard's study page
// (dashboard.png) and the static report (report.png), from a study generated
// here (seeded: the same picture every run, bar the dates). Needs the build
// (dist/) and a Chromium (/usr/bin/chromium, or CHROMIUM_PATH).
//
//   node scripts/screenshots.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createStudy, MedianPruner, SqliteStorage, startDashboard, TPESampler, TrialPruned } from '../dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs/img');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'tunekit-screenshots-'));
const db = join(dir, 'studies.db');
const storage = new SqliteStorage(db);

// A learning-rate search: 300 trials, 20 epochs each, a median pruner.
const study = await createStudy({ name: 'lr-search', storage, direction: 'maximize', sampler: new TPESampler({ seed: 7 }), pruner: new MedianPruner({ nStartupTrials: 10, nWarmupSteps: 5 }) });
await study.optimize(
  async (trial) => {
    const lr = trial.suggestFloat('lr', 1e-5, 1e-1, { log: true });
    const layers = trial.suggestInt('layers', 1, 8);
    const dropout = trial.suggestFloat('dropout', 0, 0.6);
    const optimizer = trial.suggestCategorical('optimizer', ['adam', 'sgd', 'rmsprop']);
    const quality = Math.exp(-((Math.log10(lr) + 2.7) ** 2) / 1.5) * (1 - 0.04 * Math.abs(layers - 4)) * (1 - 0.5 * (dropout - 0.2) ** 2) * (optimizer === 'sgd' ? 0.9 : 1);
    let acc = 0;
    for (let epoch = 0; epoch < 20; epoch++) {
      acc = 0.5 + 0.45 * quality * (1 - Math.exp(-(epoch + 1) / 5));
      await trial.report(acc, epoch);
      if (await trial.shouldPrune()) throw new TrialPruned();
    }
    return acc;
  },
  { nTrials: 300 },
);
const baseline = await createStudy({ name: 'lr-search-random', storage, direction: 'maximize' });
await baseline.optimize((trial) => 0.5 + 0.4 * Math.exp(-((Math.log10(trial.suggestFloat('lr', 1e-5, 1e-1, { log: true })) + 2.7) ** 2) / 1.5), { nTrials: 150 });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
try {
  const board = await startDashboard({ storage, port: 0 });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
  await page.goto(new URL('#/study/lr-search', board.url).href);
  await page.waitForSelector('#chart-importance canvas');
  await page.waitForSelector('#trials tbody tr');
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'dashboard.png') });
  console.log(`wrote ${join(out, 'dashboard.png')}`);
  await board.close();

  // The report, when `tunekit report` exists in this build.
  const report = join(dir, 'report.html');
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'report', 'lr-search', '--storage', `sqlite:${db}`, '--output', report], { encoding: 'utf8' });
  if (r.status === 0) {
    const rp = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
    await rp.goto(`file://${report}`);
    await rp.waitForSelector('canvas');
    await rp.waitForTimeout(500);
    await rp.screenshot({ path: join(out, 'report.png') });
    console.log(`wrote ${join(out, 'report.png')}`);
  } else console.log(`(report.png not made: tunekit report failed: ${r.stderr.trim().split('\n')[0]})`);
} finally {
  await browser.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
}
