// tunekit/plots at scale: the time each plot function takes to build its data
// and chart over --trials trials (default 50 000; one single-objective study
// with a float, a log float, an int and a categorical parameter and 10
// intermediate values per trial, and one two-objective study), median of
// --reps runs, and the size of its JSON chart; side by side with Optuna's
// optuna.visualization functions (a plotly Figure each, timed once, bench/peers/plots_scale.py)
// on the same trials, as a ratio; and the time of a whole report (buildReport) of the single-objective study.
//
//   node bench/plots_scale.mjs [--trials N] [--reps R] [--max-points M] [--cached] [--skip-peers] [--peer-skip contour,…]
//
// Optuna's plot_contour is skipped above 10 000 trials (its memory grows with the square of the trials).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  plotContour,
  plotEdf,
  plotHypervolumeHistory,
  plotIntermediateValues,
  plotOptimizationHistory,
  plotParallelCoordinate,
  plotParetoFront,
  plotRank,
  plotSlice,
  plotTimeline,
} from '../dist/plots/index.js';
import { buildReport } from '../dist/index.js';
import { flags, fmt, median, peerResults, table } from './peers.mjs';

const opts = flags();
const N = Number(opts.trials ?? 50_000);
const REPS = Number(opts.reps ?? 5);
const MAX = opts['max-points'] === undefined ? undefined : Number(opts['max-points']);
const dir = mkdtempSync(join(tmpdir(), 'tunekit-plots-scale-'));

// a seeded generator (mulberry32), so both sides see the same trials every run
let state = 12345;
const rnd = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
/** @type {import('../dist/index.js').StudyDistribution} */
const FLOAT = { type: 'float', low: -5, high: 5, log: false };
/** @type {import('../dist/index.js').StudyDistribution} */
const LOGF = { type: 'float', low: 1e-4, high: 1, log: true };
/** @type {import('../dist/index.js').StudyDistribution} */
const INT = { type: 'int', low: 1, high: 8, log: false, step: 1 };
const CHOICES = ['adam', 'sgd', 'rms'];
/** @type {import('../dist/index.js').StudyDistribution} */
const CAT = { type: 'categorical', choices: CHOICES };
const t0 = Date.UTC(2026, 0, 1);

/** @returns {import('../dist/index.js').FrozenTrial[]} */
function trialsOf(n, objectives) {
  /** @type {import('../dist/index.js').FrozenTrial[]} */
  const out = [];
  for (let i = 0; i < n; i++) {
    const params = { x: rnd() * 10 - 5, lr: 10 ** (-4 * rnd()), layers: 1 + Math.floor(rnd() * 8), opt: CHOICES[Math.floor(rnd() * 3)] };
    const base = (params.x - 1) ** 2 + (Math.log10(params.lr) + 2) ** 2 + params.layers * 0.1 + (params.opt === 'sgd' ? 1 : 0);
    const values = objectives === 1 ? [base] : [params.x + 5 + rnd(), (5 - params.x) ** 2 / 10 + rnd() + Math.log10(params.lr) ** 2 / 4];
    /** @type {Record<number, number>} */
    const intermediate = {};
    if (objectives === 1) for (let s = 0; s < 10; s++) intermediate[s] = base + 5 / (s + 1);
    const start = t0 + i * 1000;
    out.push({
      id: i + 1,
      number: i,
      state: 'COMPLETE',
      values,
      params,
      distributions: { x: FLOAT, lr: LOGF, layers: INT, opt: CAT },
      intermediateValues: intermediate,
      userAttrs: {},
      systemAttrs: {},
      datetimeStart: start,
      datetimeComplete: start + 200 + Math.floor(rnd() * 3000),
    });
  }
  return out;
}

const single = trialsOf(N, 1);
const multi = trialsOf(N, 2);
const reference = [11, 12];
const mp = MAX === undefined ? {} : { maxPoints: MAX };
/** @type {{ directions: import('../dist/index.js').StudyDirection[], maxPoints?: number }} */
const two = { directions: ['minimize', 'minimize'], ...mp };
const PLOTS = {
  history: () => plotOptimizationHistory(single, mp),
  intermediate: () => plotIntermediateValues(single, mp),
  parallel: () => plotParallelCoordinate(single, mp),
  slice: () => plotSlice(single, mp),
  contour: () => plotContour(single, { params: ['x', 'lr'], ...mp }),
  edf: () => plotEdf(single, mp),
  pareto: () => plotParetoFront(multi, two),
  hypervolume: () => plotHypervolumeHistory(multi, { ...two, referencePoint: reference }),
  timeline: () => plotTimeline(single, mp),
  rank: () => plotRank(single, { params: ['x', 'lr', 'layers'], ...mp }),
};

const ours = {};
for (const [name, f] of Object.entries(PLOTS)) {
  f(); // warm-up
  const times = [];
  /** @type {any} */
  let plot;
  for (let r = 0; r < REPS; r++) {
    const t = performance.now();
    plot = f();
    times.push((performance.now() - t) / 1000);
  }
  const points = plot.chart.series.reduce((s, x) => s + x.data.length, 0);
  ours[name] = { seconds: median(times), points, bytes: Buffer.byteLength(JSON.stringify(plot.chart)) };
  console.log(`  tunekit ${name}: ${(ours[name].seconds * 1000).toFixed(1)} ms, ${points} points, ${(ours[name].bytes / 1024).toFixed(0)} KiB`);
}

// the whole report of the single-objective study (importances by PED-ANOVA included), through a read-only storage stub
{
  /** @type {any} */
  const storage = { getStudy: async () => ({ id: 1, name: 'bench', directions: ['minimize'], userAttrs: {}, systemAttrs: {} }), getTrials: async () => single };
  const t = performance.now();
  const html = await buildReport(storage, 'bench', MAX === undefined ? {} : { maxPoints: MAX });
  console.log(`  tunekit report: ${((performance.now() - t) / 1000).toFixed(2)} s, ${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB`);
}

let peers = null;
if (!opts['skip-peers']) {
  const file = join(dir, 'trials.json');
  const plain = (ts) => ts.map((t) => ({ number: t.number, values: t.values, params: t.params, intermediate: t.intermediateValues, start: t.datetimeStart, end: t.datetimeComplete }));
  writeFileSync(file, JSON.stringify({ single: plain(single), multi: plain(multi), reference }));
  // Optuna's plot_contour needs memory quadratic in the trials (killed at 22 GB RSS with 50 000): left out above 10 000
  const skip = opts['peer-skip'] ?? (N > 10_000 ? 'contour' : '');
  peers = peerResults('plots_scale.py', ['--trials', file, '--skip', skip], `plots_scale_peers_${N}.json`, opts.cached);
}
rmSync(dir, { recursive: true, force: true });

console.log(
  `\n${N} trials per study; tunekit: median of ${REPS} runs, maxPoints ${MAX ?? 'default (5000)'}; Optuna ${peers?.versions?.optuna ?? '—'} + plotly ${peers?.versions?.plotly ?? ''}: one run each\n`,
);
console.log(
  table(
    ['plot', 'tunekit (ms)', 'points drawn', 'chart JSON (KiB)', 'Optuna (s)', 'Optuna / tunekit'],
    Object.entries(ours).map(([name, o]) => {
      const p = peers?.results?.[name];
      const none = peers?.settings?.skip?.includes(name) ? 'not run' : '—';
      return [name, fmt(o.seconds * 1000), String(o.points), (o.bytes / 1024).toFixed(0), p === undefined ? none : fmt(p), p === undefined ? none : `${fmt(p / o.seconds)}×`];
    }),
  ),
);
