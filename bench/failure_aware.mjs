// Failure-aware search (issue 13, item 5), tunekit against Optuna 5 in one run
// (see bench/peers/failure_aware.py): a 5-way categorical c where b and d
// always throw, plus `dims` floats in [-5, 5]; objective
// Σ (x_i − 1)² + {a: 0.5, c: 0, e: 1}[c], minimum 0. 40 trials per run, seeds
// 0…9, in-memory studies. Reported: mean failed trials of 40 (trials spent on
// always-failing settings) and mean best value, for GPSampler and TPESampler
// with failureAware (the default) and without, CmaEsSampler, AutoSampler (the
// default sampler) and RandomSampler with their defaults, and Optuna's
// GPSampler and TPESampler with their defaults.
//
//   node bench/failure_aware.mjs [--cached] [--seeds N]
import { writeFileSync } from 'node:fs';
import { AutoSampler, closeStorages, CmaEsSampler, createStudy, GPSampler, NopPruner, RandomSampler, TPESampler } from '../dist/index.js';
import { flags, fmt, peerResults, RESULTS, table } from './peers.mjs';

const opts = flags();
const SEEDS = Number(opts.seeds ?? 10);
const DIMS = [1, 2, 3];
const N_TRIALS = 40;
const FAIL = new Set(['b', 'd']);
const OFFSET = { a: 0.5, c: 0, e: 1 };
const peers = peerResults('failure_aware.py', ['--dims', DIMS.join(','), '--seeds', String(SEEDS)], 'failure_aware_peers.json', Boolean(opts.cached));

class Crash extends Error {}

/** Failed trials and best value of one run. */
async function run(sampler, dims) {
  const study = await createStudy({ sampler, pruner: new NopPruner() });
  await study.optimize(
    (t) => {
      const c = t.suggestCategorical('c', ['a', 'b', 'c', 'd', 'e']);
      let s = 0;
      for (let i = 0; i < dims; i++) s += (t.suggestFloat(`x${i}`, -5, 5) - 1) ** 2;
      if (FAIL.has(c)) throw new Crash('boom');
      return s + OFFSET[c];
    },
    { nTrials: N_TRIALS, catch: [Crash] },
  );
  const failed = (await study.trials(['FAIL'])).length;
  return { failed, best: /** @type {number[]} */ ((await study.bestTrial()).values)[0] };
}

const SAMPLERS = {
  'tunekit GP': (seed) => new GPSampler({ seed }),
  'tunekit GP, failureAware: false': (seed) => new GPSampler({ seed, failureAware: false }),
  'tunekit TPE': (seed) => new TPESampler({ seed }),
  'tunekit TPE, failureAware: false': (seed) => new TPESampler({ seed, failureAware: false }),
  'tunekit CMA-ES': (seed) => new CmaEsSampler({ seed }),
  'tunekit AutoSampler': (seed) => new AutoSampler({ seed }),
  'tunekit random': (seed) => new RandomSampler({ seed }),
};
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const ours = {};
for (const dims of DIMS) {
  ours[dims] = {};
  for (const [name, make] of Object.entries(SAMPLERS)) {
    const failed = [];
    const best = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const r = await run(make(seed), dims);
      failed.push(r.failed);
      best.push(r.best);
    }
    ours[dims][name] = { failed, best };
  }
}
await closeStorages();

const rows = [];
for (const dims of DIMS) {
  const all = { ...ours[dims], ...(peers?.results?.[dims] === undefined ? {} : { 'Optuna GPSampler': peers.results[dims].optuna_gp, 'Optuna TPESampler': peers.results[dims].optuna_tpe }) };
  for (const [name, r] of Object.entries(all)) rows.push([String(dims), name, fmt(mean(r.failed)), String(Math.max(...r.failed)), fmt(mean(r.best))]);
}
console.log(`\nTrials on always-failing settings (2 of 5 categories throw), of ${N_TRIALS}, ${SEEDS} seeds\n`);
console.log(table(['floats', 'sampler', 'mean failed', 'max failed', 'mean best value'], rows));
writeFileSync(`${RESULTS}failure_aware.json`, JSON.stringify({ tunekit: ours, peers: peers?.results ?? null }, null, 1));
