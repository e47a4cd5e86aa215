// Genetic-algorithm quality: tunekit's GeneticAlgorithm (library defaults)
// against Optuna's NSGA-II and CMA-ES samplers, PyGAD and DEAP on the six
// single-objective functions (1 000 evaluations, median final regret), and
// NSGA-II against pymoo's NSGA2 and Optuna's NSGAIISampler on ZDT1-3
// (30 variables, 10 000 evaluations, hypervolume w.r.t. (1.1, 1.1)).
//
//   node bench/ga_quality.mjs [--seeds 10] [--mo-seeds 10] [--cached]
//
// --cached reuses bench/results/ga_quality_peers.json (the peers take about
// an hour on 2 cores, most of it Optuna's NSGA-II on ZDT).
import { writeFileSync } from 'node:fs';
import { GeneticAlgorithm } from '../dist/index.js';
import { BO_FUNCTIONS, FUNCTIONS, ZDT_FUNCTIONS } from './functions.mjs';
import { flags, fmt, median, peerResults, RESULTS, table } from './peers.mjs';

const opts = flags();
const SEEDS = Number(opts.seeds ?? 10);
const MO_SEEDS = Number(opts['mo-seeds'] ?? SEEDS);
const SO_EVALS = 1000;
const MO_EVALS = 10000;

/** Exact 2-D hypervolume (minimisation) of a point set w.r.t. `ref`. */
export function hypervolume2d(points, ref = [1.1, 1.1]) {
  const inside = points.filter(([a, b]) => a < ref[0] && b < ref[1]).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  let hv = 0;
  let lastY = ref[1];
  for (const [a, b] of inside) {
    if (b < lastY) {
      hv += (ref[0] - a) * (lastY - b);
      lastY = b;
    }
  }
  return hv;
}

function spaceOf(fn) {
  const names = fn.bounds.map((_, i) => `x${String(i).padStart(2, '0')}`);
  return { names, space: Object.fromEntries(names.map((n, i) => [n, fn.bounds[i]])) };
}

async function single(name, seed) {
  const fn = FUNCTIONS[name];
  const { names, space } = spaceOf(fn);
  const t0 = performance.now();
  const r = await new GeneticAlgorithm({ space, maxEvaluations: SO_EVALS, seed, directions: 'minimize', concurrency: 1 }).run((p) => fn.f(names.map((n) => p[n])));
  return { regret: r.best.value - fn.optimum, seconds: (performance.now() - t0) / 1000 };
}

async function multi(name, seed) {
  const fn = FUNCTIONS[name];
  const { names, space } = spaceOf(fn);
  const t0 = performance.now();
  const r = await new GeneticAlgorithm({ space, populationSize: 100, maxEvaluations: MO_EVALS, seed, directions: ['minimize', 'minimize'], concurrency: 1 }).run((p) => fn.f(names.map((n) => p[n])));
  const hv = hypervolume2d(r.pareto.map((e) => e.values));
  return { hv, hv_gap: fn.hvOpt - hv, seconds: (performance.now() - t0) / 1000 };
}

const peers = peerResults(
  'ga_quality.py',
  ['--so-evals', String(SO_EVALS), '--mo-evals', String(MO_EVALS), '--seeds', String(SEEDS), '--mo-seeds', String(MO_SEEDS), '--jobs', '2'],
  'ga_quality_peers.json',
  Boolean(opts.cached),
);

const ours = {};
for (const name of BO_FUNCTIONS) {
  ours[name] = { regret: [], seconds: [] };
  for (let s = 0; s < SEEDS; s++) {
    const r = await single(name, s);
    ours[name].regret.push(r.regret);
    ours[name].seconds.push(r.seconds);
  }
}
for (const name of ZDT_FUNCTIONS) {
  ours[name] = { hv: [], hv_gap: [], seconds: [] };
  for (let s = 0; s < MO_SEEDS; s++) {
    const r = await multi(name, s);
    for (const k of Object.keys(r)) ours[name][k].push(r[k]);
  }
}

const peerCols = (names) => (peers === null ? [] : Object.keys(peers.results[names[0]] ?? {}));
const value = (name, col, key) => (col === 'tunekit' ? median(ours[name][key]) : median(peers.results[name]?.[col]?.[key] ?? []));
const seedsOf = (name, col, key) => (col === 'tunekit' ? ours[name][key].length : (peers.results[name]?.[col]?.[key] ?? []).filter((v) => v !== null).length);

const soCols = ['tunekit', ...peerCols(BO_FUNCTIONS)];
console.log(`\nsingle objective: median regret after ${SO_EVALS} evaluations (${SEEDS} seeds)\n`);
console.log(
  table(
    ['function', ...soCols],
    BO_FUNCTIONS.map((n) => [n, ...soCols.map((c) => fmt(value(n, c, 'regret')))]),
  ),
);
console.log('\nmedian seconds per run\n');
console.log(
  table(
    ['function', ...soCols],
    BO_FUNCTIONS.map((n) => [n, ...soCols.map((c) => fmt(value(n, c, 'seconds')))]),
  ),
);

const moCols = ['tunekit', ...peerCols(ZDT_FUNCTIONS)];
console.log(`\ntwo objectives: median hypervolume w.r.t. (1.1, 1.1) of all evaluations' non-dominated set, ${MO_EVALS} evaluations (seeds per cell in brackets)\n`);
console.log(
  table(
    ['problem', 'true front', ...moCols, 'tunekit ÷ pymoo'],
    ZDT_FUNCTIONS.map((n) => [
      n,
      fmt(FUNCTIONS[n].hvOpt),
      ...moCols.map((c) => `${fmt(value(n, c, 'hv'))} (${seedsOf(n, c, 'hv')})`),
      moCols.includes('pymoo_nsga2') ? `${((value(n, 'tunekit', 'hv') / value(n, 'pymoo_nsga2', 'hv') - 1) * 100).toFixed(2)} %` : '—',
    ]),
  ),
);
console.log('\nmedian seconds per run\n');
console.log(
  table(
    ['problem', ...moCols],
    ZDT_FUNCTIONS.map((n) => [n, ...moCols.map((c) => fmt(value(n, c, 'seconds')))]),
  ),
);
writeFileSync(`${RESULTS}ga_quality.json`, JSON.stringify({ seeds: SEEDS, moSeeds: MO_SEEDS, tunekit: ours, peers: peers?.summary ?? null }, null, 1));
