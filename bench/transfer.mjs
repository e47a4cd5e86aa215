// Transfer across studies (issue 15, items 1 and 3): families of related
// tasks, tuned one after another. A family is a test function of
// bench/functions.mjs (branin, hartmann6, styblinski_tang4, rosenbrock4,
// levy6); task k of it is `a_k · f(clip(x − s_k)) + b_k` with a random input
// shift s_k of up to `SHIFT` (a fraction of each range), scale a_k in
// [0.5, 2] and offset b_k, all drawn from the seed. Tasks 1…K−1 are tuned
// first (GPSampler, 50 trials each); task K is then tuned three ways, 50
// trials each, same sampler seed:
//
// - no transfer (GPSampler: 10 random trials, then the GP);
// - transfer from tasks 1…K−1 (`transferFrom`: RGPE, no random startup);
// - negative transfer: from old studies that minimised the *negated* tasks
//   (their best region is the new task's worst; the weights must learn to
//   ignore them).
//
// Reported per family (mean over seeds): the trials the transfer run needs to
// reach the no-transfer run's 50-trial best (51 when it never does), and the
// regret (value − a_K·f* − b_K) of each run after 10, 25 and 50 trials. The
// same for TPESampler (its warm start: the old studies' best trials as its
// first trials). No Python needed.
//
//   node bench/transfer.mjs [--seeds N] [--tasks K] [--families a,b] [--startup n] [--samplers GP,TPE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { createStudy, GPSampler, MemoryStorage, TPESampler } from '../dist/index.js';
import { FUNCTIONS } from './functions.mjs';
import { fmt, flags, RESULTS, table } from './peers.mjs';

const opts = flags();
const SEEDS = Number(opts.seeds ?? 5);
const TASKS = Number(opts.tasks ?? 4);
const FAMILIES = typeof opts.families === 'string' ? opts.families.split(',') : ['branin', 'hartmann6', 'styblinski_tang4', 'rosenbrock4', 'levy6'];
const N = 50;
const SHIFT = 0.1;
/** GPSampler's nStartupTrials in the transfer runs (default: the sampler's, 0 with transfer). */
const STARTUP = opts.startup === undefined ? undefined : Number(opts.startup);

/** A small seeded generator (mulberry32) for the task draws. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The tasks of a family for a seed: { f(x), optimum }. */
function tasks(name, seed) {
  const fam = FUNCTIONS[name];
  const r = rng(seed * 7919 + name.length * 104729);
  // Offsets on the scale of the function's values over its box.
  const spread = Math.abs(fam.f(fam.bounds.map(([lo, hi]) => lo + 0.1 * (hi - lo))) - fam.optimum) || 1;
  return Array.from({ length: TASKS }, () => {
    const s = fam.bounds.map(([lo, hi]) => (2 * r() - 1) * SHIFT * (hi - lo));
    const a = 0.5 + 1.5 * r();
    const b = (2 * r() - 1) * 0.5 * spread;
    return {
      f: (x) => a * fam.f(x.map((v, i) => Math.min(fam.bounds[i][1], Math.max(fam.bounds[i][0], v - s[i])))) + b,
      optimum: a * fam.optimum + b,
    };
  });
}

function spaceOf(name) {
  return Object.fromEntries(FUNCTIONS[name].bounds.map(([lo, hi], i) => [`x${i}`, { type: 'float', low: lo, high: hi }]));
}

/** Best-so-far values of a study of `nTrials` on `f` (times `sign`). */
async function run(storage, name, studyName, sampler, f, sign, transferFrom) {
  const dim = FUNCTIONS[name].dim;
  const study = await createStudy({ name: studyName, storage, space: spaceOf(name), sampler, ...(transferFrom === undefined ? {} : { transferFrom }) });
  await study.optimize((t) => sign * f(Array.from({ length: dim }, (_, i) => t.params[`x${i}`])), { nTrials: N });
  let best = Infinity;
  const trials = await study.trials();
  const last = trials.at(-1)?.systemAttrs['transfer_weights'];
  return { curve: trials.map((t) => (best = Math.min(best, /** @type {number[]} */ (t.values)[0]))), weights: last };
}

const ALL_SAMPLERS = {
  GP: (seed, transfer) => new GPSampler({ seed, ...(transfer && STARTUP !== undefined ? { nStartupTrials: STARTUP } : {}) }),
  TPE: (seed) => new TPESampler({ seed }),
};
/** `--samplers GP` runs only some of them. */
const SAMPLERS = Object.fromEntries(Object.entries(ALL_SAMPLERS).filter(([k]) => typeof opts.samplers !== 'string' || opts.samplers.split(',').includes(k)));

const results = {};
const t0 = Date.now();
for (const name of FAMILIES) {
  results[name] = {};
  for (const [sname, make] of Object.entries(SAMPLERS)) {
    const per = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const ts = tasks(name, seed);
      const storage = new MemoryStorage();
      const old = [];
      const neg = [];
      for (let k = 0; k < TASKS - 1; k++) {
        await run(storage, name, `task${k}`, make(seed * 100 + k), ts[k].f, 1);
        await run(storage, name, `neg${k}`, make(seed * 100 + k), ts[k].f, -1);
        old.push(`task${k}`);
        neg.push(`neg${k}`);
      }
      const target = ts[TASKS - 1];
      const plain = await run(storage, name, 'plain', make(seed * 100 + 99), target.f, 1);
      const transfer = await run(storage, name, 'transfer', make(seed * 100 + 99, true), target.f, 1, old);
      const negative = await run(storage, name, 'negative', make(seed * 100 + 99, true), target.f, 1, neg);
      const goal = plain.curve[N - 1];
      const reach = transfer.curve.findIndex((v) => v <= goal) + 1 || N + 1;
      const regret = (c) => [10, 25, 50].map((n) => c[n - 1] - target.optimum);
      per.push({ seed, reach, plain: regret(plain.curve), transfer: regret(transfer.curve), negative: regret(negative.curve), weights: transfer.weights, negWeights: negative.weights });
      await storage.close();
    }
    results[name][sname] = per;
    console.error(`${name} ${sname}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}

const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const rows = [];
let allReach = [];
const negRatio = [];
for (const name of FAMILIES) {
  for (const sname of Object.keys(SAMPLERS)) {
    const per = results[name][sname];
    const reach = per.map((p) => p.reach);
    if (sname === 'GP') allReach = allReach.concat(reach);
    const m = (k, i) => fmt(mean(per.map((p) => p[k][i])));
    if (sname === 'GP') negRatio.push(mean(per.map((p) => p.negative[2])) / mean(per.map((p) => p.plain[2])));
    const selfW = per.filter((p) => p.negWeights !== undefined).map((p) => p.negWeights.self);
    rows.push([
      name,
      sname,
      fmt(mean(reach)),
      `${reach.filter((r) => r <= 25).length}/${reach.length}`,
      `${m('plain', 0)} / ${m('transfer', 0)} / ${m('negative', 0)}`,
      `${m('plain', 1)} / ${m('transfer', 1)} / ${m('negative', 1)}`,
      `${m('plain', 2)} / ${m('transfer', 2)} / ${m('negative', 2)}`,
      selfW.length === 0 ? '—' : fmt(mean(selfW)),
    ]);
  }
}
console.log(`\nTransfer: task ${TASKS} of each family after tasks 1…${TASKS - 1} (50 trials each), ${SEEDS} seeds; regret = value − optimum, plain / transfer / negative transfer\n`);
console.log(table(['family', 'sampler', 'trials to reach plain@50 (mean)', 'within 25', 'regret @10', 'regret @25', 'regret @50', 'self weight, negative (last trial)'], rows));
console.log(`\nGP, all families: mean trials to reach the no-transfer 50-trial result ${fmt(mean(allReach))} (goal ≤ 25)`);
console.log(`GP, negative transfer: regret@50 ratio negative/plain per family ${negRatio.map(fmt).join(', ')}`);
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
mkdirSync(RESULTS, { recursive: true });
writeFileSync(`${RESULTS}transfer.json`, JSON.stringify({ seeds: SEEDS, tasks: TASKS, results }, null, 1));
