// Transfer across studies (issue 15, items 1 and 3): families of related
// tasks, tuned one after another. A family is a test function of
// bench/functions.mjs (branin, hartmann6, styblinski_tang4, rosenbrock4,
// levy6); task k of it is `a_k · f(clip(x − s_k)) + b_k` with a random input
// shift s_k of up to `SHIFT` (a fraction of each range), scale a_k in
// [0.5, 2] and offset b_k, all drawn from the seed. Tasks 1…K−1 are tuned
// first (GPSampler, 50 trials each); task K is then tuned four ways, 50
// trials each, same sampler seed:
//
// - no transfer (GPSampler: 10 random trials, then the GP);
// - transfer from tasks 1…K−1 (`transferFrom`: RGPE, no random startup);
// - negative transfer: from old studies that minimised the *negated* tasks
//   (their best region is the new task's worst; the weights must learn to
//   ignore them). An adversarial, anti-correlated case;
// - unrelated: from K−1 old studies of tasks of another function (the
//   family's "donor", `DONORS` below), drawn the same way (shift, scale,
//   offset) from their own seed and mapped onto this family's parameters and
//   box: x is rescaled linearly from this family's box to the donor's, each
//   coordinate reflected (u → 1 − u) where `DONORS` says so. The donor and
//   its reflection are chosen so that the donor's values have little rank
//   correlation with the family's over the box (Spearman's ρ over uniform
//   points, about −0.05 to 0.2 for the untransformed functions); any two
//   bowl-shaped functions are rank-correlated (both are large near the
//   corners), so "unrelated" here means "no useful shared structure", not
//   exactly independent. The script prints the measured ρ between task K
//   and the donor tasks (mean over seeds and donor tasks).
//
// Reported per family (mean over seeds): the trials the transfer run needs to
// reach the no-transfer run's 50-trial best (51 when it never does), and the
// regret (value − a_K·f* − b_K) of each run after 10, 25 and 50 trials, and
// for GP the ratios of the negative and unrelated runs' mean regret at 50
// trials to the no-transfer run's. The same for TPESampler (its warm start:
// the old studies' best trials as its first trials). No Python needed.
//
//   node bench/transfer.mjs [--seeds N] [--tasks K] [--families a,b] [--startup n] [--samplers GP,TPE]
//                           [--arms transfer,negative,unrelated] [--out transfer.json]
//
// `--arms` runs only some of the transfer arms (the no-transfer run always
// runs); `--out` names the JSON file written under bench/results/ (to run
// several families in parallel processes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createStudy, GPSampler, MemoryStorage, TPESampler } from '../dist/index.js';
import { FUNCTIONS, hartmann6, rosenbrock, styblinskiTang } from './functions.mjs';
import { fmt, flags, RESULTS, table } from './peers.mjs';

const opts = flags();
const SEEDS = Number(opts.seeds ?? 5);
const TASKS = Number(opts.tasks ?? 4);
const FAMILIES = typeof opts.families === 'string' ? opts.families.split(',') : ['branin', 'hartmann6', 'styblinski_tang4', 'rosenbrock4', 'levy6'];
const N = 50;
const SHIFT = 0.1;
/** GPSampler's nStartupTrials in the transfer runs (default: the sampler's, 0 with transfer). */
const STARTUP = opts.startup === undefined ? undefined : Number(opts.startup);
const ALL_ARMS = ['transfer', 'negative', 'unrelated'];
const ARMS = typeof opts.arms === 'string' ? opts.arms.split(',') : ALL_ARMS;
for (const a of ARMS) if (!ALL_ARMS.includes(a)) throw new Error(`--arms: unknown arm ${a} (${ALL_ARMS.join(', ')})`);
const OUT = typeof opts.out === 'string' ? opts.out : 'transfer.json';

/**
 * The unrelated arm's donor per family: another test function in the
 * family's dimension, its box, optimum, and which coordinates are reflected.
 * Spearman's ρ between the family's function and the mapped donor over
 * uniform points in the box: branin ← rosenbrock reflected −0.02, hartmann6 ←
 * rosenbrock reflected −0.05, styblinski_tang4 ← rosenbrock reflected 0.14,
 * rosenbrock4 ← styblinski-tang reflected 0.15, levy6 ← hartmann6 0.20
 * (every other choice among these functions is 0.2–0.6 on the 4- and
 * 6-dimensional families).
 */
const DONORS = {
  branin: { name: 'rosenbrock2', f: rosenbrock, lo: -5, hi: 10, optimum: 0, reflect: true },
  hartmann6: { name: 'rosenbrock6', f: rosenbrock, lo: -5, hi: 10, optimum: 0, reflect: true },
  styblinski_tang4: { name: 'rosenbrock4', f: rosenbrock, lo: -5, hi: 10, optimum: 0, reflect: true },
  rosenbrock4: { name: 'styblinski_tang4', f: styblinskiTang, lo: -5, hi: 5, optimum: 4 * -39.16616570377142, reflect: true },
  levy6: { name: 'hartmann6', f: hartmann6, lo: 0, hi: 1, optimum: -3.3223680114155147, reflect: false },
};

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

/** `TASKS` tasks of a function `fam` ({ f, bounds, optimum }) drawn from `r`: { f(x), optimum }. */
function draw(fam, r) {
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

/** The tasks of a family for a seed: { f(x), optimum }. */
function tasks(name, seed) {
  return draw(FUNCTIONS[name], rng(seed * 7919 + name.length * 104729));
}

/**
 * The unrelated arm's old tasks for a family and seed: tasks of its donor
 * (own random stream), as functions of a point in the family's box.
 */
function donorTasks(name, seed) {
  const d = DONORS[name];
  const box = FUNCTIONS[name].bounds;
  const donor = { f: d.f, bounds: box.map(() => [d.lo, d.hi]), optimum: d.optimum };
  const map = (x) =>
    x.map((v, i) => {
      const u = (v - box[i][0]) / (box[i][1] - box[i][0]);
      return d.lo + (d.reflect ? 1 - u : u) * (d.hi - d.lo);
    });
  return draw(donor, rng(seed * 7919 + name.length * 104729 + 1_000_003)).map((t) => ({ f: (x) => t.f(map(x)) }));
}

/** Spearman's rank correlation of two functions over 1000 uniform points of a family's box (seeded). */
function spearman(name, f, g, seed) {
  const r = rng(seed + 424242);
  const pts = Array.from({ length: 1000 }, () => FUNCTIONS[name].bounds.map(([lo, hi]) => lo + r() * (hi - lo)));
  const rank = (v) => {
    const out = new Array(v.length);
    v.map((_, i) => i)
      .sort((i, j) => v[i] - v[j])
      .forEach((i, k) => (out[i] = k));
    return out;
  };
  const a = rank(pts.map(f));
  const b = rank(pts.map(g));
  const m = (pts.length - 1) / 2;
  let sab = 0;
  let saa = 0;
  for (let i = 0; i < pts.length; i++) {
    sab += (a[i] - m) * (b[i] - m);
    saa += (a[i] - m) * (a[i] - m);
  }
  return sab / saa;
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
      const us = ARMS.includes('unrelated') ? donorTasks(name, seed) : [];
      const storage = new MemoryStorage();
      /** @type {{ transfer: string[], negative: string[], unrelated: string[] }} */
      const from = { transfer: [], negative: [], unrelated: [] };
      for (let k = 0; k < TASKS - 1; k++) {
        if (ARMS.includes('transfer')) {
          await run(storage, name, `task${k}`, make(seed * 100 + k), ts[k].f, 1);
          from.transfer.push(`task${k}`);
        }
        if (ARMS.includes('negative')) {
          await run(storage, name, `neg${k}`, make(seed * 100 + k), ts[k].f, -1);
          from.negative.push(`neg${k}`);
        }
        if (ARMS.includes('unrelated')) {
          await run(storage, name, `unrel${k}`, make(seed * 100 + k), us[k].f, 1);
          from.unrelated.push(`unrel${k}`);
        }
      }
      const target = ts[TASKS - 1];
      const regret = (c) => [10, 25, 50].map((n) => c[n - 1] - target.optimum);
      const plain = await run(storage, name, 'plain', make(seed * 100 + 99), target.f, 1);
      const p = { seed, plain: regret(plain.curve) };
      for (const arm of ARMS) {
        const out = await run(storage, name, arm, make(seed * 100 + 99, true), target.f, 1, from[arm]);
        p[arm] = regret(out.curve);
        p[`${arm}Weights`] = out.weights;
        if (arm === 'transfer') p.reach = out.curve.findIndex((v) => v <= plain.curve[N - 1]) + 1 || N + 1;
      }
      if (ARMS.includes('unrelated')) p.rho = mean(us.slice(0, TASKS - 1).map((u) => spearman(name, target.f, u.f, seed)));
      per.push(p);
      await storage.close();
    }
    results[name][sname] = per;
    console.error(`${name} ${sname}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}

function mean(v) {
  return v.reduce((a, b) => a + b, 0) / v.length;
}
const rows = [];
let allReach = [];
const ratios = { negative: [], unrelated: [] };
/** Per family, the seeds whose regret@50 is above the no-transfer run's. */
const worse = { negative: [], unrelated: [] };
const rhos = [];
const cols = ['plain', ...ARMS];
for (const name of FAMILIES) {
  for (const sname of Object.keys(SAMPLERS)) {
    const per = results[name][sname];
    const reach = per.map((p) => p.reach);
    if (sname === 'GP' && ARMS.includes('transfer')) allReach = allReach.concat(reach);
    const m = (i) => cols.map((k) => fmt(mean(per.map((p) => p[k][i])))).join(' / ');
    if (sname === 'GP') {
      for (const arm of ['negative', 'unrelated']) {
        if (ARMS.includes(arm)) {
          ratios[arm].push(mean(per.map((p) => p[arm][2])) / mean(per.map((p) => p.plain[2])));
          worse[arm].push(`${per.filter((p) => p[arm][2] > p.plain[2]).length}/${per.length}`);
        }
      }
      if (ARMS.includes('unrelated')) rhos.push(mean(per.map((p) => p.rho)));
    }
    const selfW = (arm) => {
      const w = per.filter((p) => p[`${arm}Weights`] !== undefined).map((p) => p[`${arm}Weights`].self);
      return w.length === 0 ? '—' : fmt(mean(w));
    };
    rows.push([
      name,
      sname,
      ARMS.includes('transfer') ? fmt(mean(reach)) : '—',
      ARMS.includes('transfer') ? `${reach.filter((r) => r <= 25).length}/${reach.length}` : '—',
      m(0),
      m(1),
      m(2),
      ...['negative', 'unrelated'].filter((a) => ARMS.includes(a)).map(selfW),
    ]);
  }
}
console.log(`\nTransfer: task ${TASKS} of each family after tasks 1…${TASKS - 1} (50 trials each), ${SEEDS} seeds; regret = value − optimum, ${cols.join(' / ')}\n`);
const selfCols = ['negative', 'unrelated'].filter((a) => ARMS.includes(a)).map((a) => `self weight, ${a} (last trial)`);
console.log(table(['family', 'sampler', 'trials to reach plain@50 (mean)', 'within 25', 'regret @10', 'regret @25', 'regret @50', ...selfCols], rows));
if (allReach.length > 0) console.log(`\nGP, all families: mean trials to reach the no-transfer 50-trial result ${fmt(mean(allReach))} (goal ≤ 25)`);
for (const arm of ['negative', 'unrelated']) {
  if (ratios[arm].length > 0) {
    console.log(`GP, ${arm} transfer: regret@50 ratio ${arm}/plain per family ${ratios[arm].map(fmt).join(', ')}; seeds above plain ${worse[arm].join(', ')}`);
  }
}
if (rhos.length > 0) console.log(`unrelated old tasks: Spearman ρ with task ${TASKS} per family ${rhos.map(fmt).join(', ')}`);
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
mkdirSync(RESULTS, { recursive: true });
writeFileSync(`${RESULTS}${OUT}`, JSON.stringify({ seeds: SEEDS, tasks: TASKS, arms: ARMS, results }, null, 1));
