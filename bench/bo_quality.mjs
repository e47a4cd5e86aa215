// Bayesian-optimisation quality: tunekit's BayesianOptimization against
// bayes_opt (UCB, EI), Optuna (TPE, GPSampler) and random search on six test
// functions: median simple regret after 30 and 60 evaluations (10 initial).
//
//   node bench/bo_quality.mjs [--seeds 10] [--cached]
//
// --cached reuses bench/results/bo_quality_peers.json instead of running the
// peers again (about 25 minutes on 2 cores).
import { writeFileSync } from 'node:fs';
import { BayesianOptimization } from '../dist/index.js';
import { BO_FUNCTIONS, FUNCTIONS } from './functions.mjs';
import { flags, fmt, median, peerResults, RESULTS, table } from './peers.mjs';

const opts = flags();
const SEEDS = Number(opts.seeds ?? 10);
const EVALS = 60;
const INIT = 10;
const AT = 30;

async function runTunekit(name, seed) {
  const fn = FUNCTIONS[name];
  const names = fn.bounds.map((_, i) => `x${i}`);
  const pbounds = Object.fromEntries(names.map((n, i) => [n, fn.bounds[i]]));
  const t0 = performance.now();
  const bo = new BayesianOptimization({ f: (p) => -fn.f(names.map((n) => p[n])), pbounds, randomState: seed, verbose: 0 });
  await bo.maximize({ initPoints: INIT, nIter: EVALS - INIT });
  const seconds = (performance.now() - t0) / 1000;
  const best = (k) => Math.min(...bo.res.slice(0, k).map((r) => -r.target)) - fn.optimum;
  return { regret30: best(AT), regret60: best(EVALS), seconds };
}

const peers = peerResults(
  'bo_quality.py',
  ['--evals', String(EVALS), '--init', String(INIT), '--at', String(AT), '--seeds', String(SEEDS), '--jobs', '2'],
  'bo_quality_peers.json',
  Boolean(opts.cached),
);

const ours = {};
for (const name of BO_FUNCTIONS) {
  ours[name] = { regret30: [], regret60: [], seconds: [] };
  for (let s = 0; s < SEEDS; s++) {
    const r = await runTunekit(name, s);
    for (const k of Object.keys(r)) ours[name][k].push(r[k]);
  }
}

const peerNames = peers === null ? [] : Object.keys(peers.results[BO_FUNCTIONS[0]]);
const columns = ['tunekit', ...peerNames];
const get = (name, peer, key) => (peer === 'tunekit' ? median(ours[name][key]) : median(peers.results[name][peer][key]));
let wins = 0;
for (const key of ['regret30', 'regret60', 'seconds']) {
  const title = { regret30: `median simple regret after ${AT} evaluations`, regret60: `median simple regret after ${EVALS} evaluations`, seconds: 'median seconds per run' }[key];
  console.log(`\n${title} (${SEEDS} seeds)\n`);
  const rows = BO_FUNCTIONS.map((name) => {
    const vals = columns.map((c) => get(name, c, key));
    const lowest = Math.min(...vals.filter((v) => !Number.isNaN(v)));
    if (key === 'regret60' && vals[0] === lowest) wins++;
    return [name, ...vals.map((v) => (key !== 'seconds' && v === lowest ? `**${fmt(v)}**` : fmt(v)))];
  });
  console.log(table(['function', ...columns], rows));
}
console.log(`\ntunekit has the lowest median regret after ${EVALS} evaluations on ${wins} of ${BO_FUNCTIONS.length} functions (target: at least 5).`);
writeFileSync(`${RESULTS}bo_quality.json`, JSON.stringify({ settings: { seeds: SEEDS, evals: EVALS, init: INIT, at: AT }, tunekit: ours, peers: peers?.summary ?? null }, null, 1));
