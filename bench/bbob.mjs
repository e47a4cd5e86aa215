// High dimensions (issue 13, item 7): BBOB functions of COCO (PyPI
// coco-experiment, cocoex) in 10, 20 and 40 dimensions at 100·D evaluations:
// tunekit's CmaEsSampler against Optuna's CmaEsSampler and the `cmaes`
// package's CMA (ask/tell), random search as the floor. Functions: f1 sphere
// (convergence rate), f2 separable ellipsoid and f10 rotated ellipsoid
// (conditioning 10^6: step-size vs covariance adaptation), f8 Rosenbrock
// (a bent valley), f15 rotated Rastrigin (multimodal with global structure).
// Seed s runs on instance s + 1. Reported: final f − f_opt, median [min, max]
// over seeds, and the ratio of medians to the cmaes package; "within noise"
// means each median lies inside the other's [min, max] over seeds.
//
//   node bench/bbob.mjs [--cached] [--jobs 2]
//   BENCH_SEEDS=5 BENCH_DIMS=10,20,40 BENCH_FUNCTIONS=1,2,8,10,15 node bench/bbob.mjs
//   BENCH_SAMPLERS=tunekit_cmaes,tunekit_tpe,tunekit_gp,tunekit_auto,tunekit_random (default: cmaes and random)
//
// Our samplers not in BENCH_SAMPLERS keep their results from the last
// bench/results/bbob.json of the same settings (seeds, dims, functions, budget),
// so one sampler can be added to the table without re-running the others;
// `BENCH_SAMPLERS= node bench/bbob.mjs --cached` runs none and prints the
// tables of the last results.
//
// Until CmaEsSampler is in dist/ the script runs the other samplers and says so.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as tunekit from '../dist/index.js';
import { bridgeAvailable, EvalBridge } from './eval_bridge.mjs';
import { flags, fmt, median, peerResults, RESULTS, table } from './peers.mjs';

const { AutoSampler, createStudy, GPSampler, MemoryStorage, NopPruner, RandomSampler, TPESampler } = tunekit;
const opts = flags();
const SEEDS = Number(process.env.BENCH_SEEDS ?? 5);
const DIMS = (process.env.BENCH_DIMS ?? '10,20,40').split(',').map(Number);
const FUNCTIONS = (process.env.BENCH_FUNCTIONS ?? '1,2,8,10,15').split(',').map(Number);
const PER_DIM = Number(process.env.BENCH_PER_DIM ?? 100);
const JOBS = String(opts.jobs ?? 2);

if (!bridgeAvailable()) {
  console.log('bench/bbob.mjs needs the benchmark virtual environment (bench/.venv with coco-experiment); see bench/README.md');
  process.exit(0);
}

const extra = /** @type {Record<string, any>} */ (tunekit);
/** @type {Record<string, (seed: number) => import('../dist/index.js').Sampler>} */
const AVAILABLE = {
  tunekit_tpe: (seed) => new TPESampler({ seed }),
  tunekit_gp: (seed) => new GPSampler({ seed }),
  tunekit_auto: (seed) => new AutoSampler({ seed }),
  tunekit_random: (seed) => new RandomSampler({ seed }),
};
if (typeof extra['CmaEsSampler'] === 'function') AVAILABLE['tunekit_cmaes'] = (seed) => new extra['CmaEsSampler']({ seed });
const wanted = (process.env.BENCH_SAMPLERS ?? 'tunekit_cmaes,tunekit_random').split(',').filter((n) => n !== '');
const OURS = wanted.filter((n) => AVAILABLE[n] !== undefined);
const missing = wanted.filter((n) => AVAILABLE[n] === undefined);

const peers = peerResults(
  'bbob.py',
  ['--functions', FUNCTIONS.join(','), '--dims', DIMS.join(','), '--per-dim', String(PER_DIM), '--seeds', String(SEEDS), '--jobs', JOBS],
  'bbob_peers.json',
  Boolean(opts.cached),
);

/** @type {Record<string, Record<string, { best: number[], seconds: number[] }>>} */
let previous = {};
if (existsSync(`${RESULTS}bbob.json`)) {
  const last = JSON.parse(readFileSync(`${RESULTS}bbob.json`, 'utf8'));
  const same = (/** @type {unknown} */ a, /** @type {unknown} */ b) => JSON.stringify(a) === JSON.stringify(b);
  const s = last.settings ?? {};
  if (s.seeds === SEEDS && s.perDim === PER_DIM && same(s.dims, DIMS) && same(s.functions, FUNCTIONS)) previous = last.tunekit ?? {};
}

const bridge = new EvalBridge();
/** @type {Record<string, Record<string, { best: number[], seconds: number[] }>>} */
const ours = {};
const save = () =>
  writeFileSync(
    `${RESULTS}bbob.json`,
    JSON.stringify({ settings: { seeds: SEEDS, dims: DIMS, functions: FUNCTIONS, perDim: PER_DIM, missing }, tunekit: { ...previous, ...ours }, peers: peers?.results ?? null }, null, 1),
  );
for (const d of DIMS) {
  for (const f of FUNCTIONS) {
    const key = `bbob/f${f}/d${d}`;
    ours[key] = Object.fromEntries(Object.entries(previous[key] ?? {}).filter(([name]) => !OURS.includes(name)));
    for (const name of OURS) {
      /** @type {{ best: number[], seconds: number[] }} */
      const entry = { best: [], seconds: [] };
      ours[key][name] = entry;
      for (let seed = 0; seed < SEEDS; seed++) {
        const problem = `${key}/i${seed + 1}`;
        const { space } = await bridge.open(problem, seed);
        const study = await createStudy({ storage: new MemoryStorage(), sampler: AVAILABLE[name](seed), pruner: new NopPruner() });
        let best = Infinity;
        const t0 = performance.now();
        await study.optimize(
          async (trial) => {
            const x = space.map((/** @type {{ name: string, low: number, high: number }} */ p) => trial.suggestFloat(p.name, p.low, p.high));
            const v = await bridge.evaluateVector(problem, x);
            if (v < best) best = v;
            return v;
          },
          { nTrials: PER_DIM * d },
        );
        entry.seconds.push((performance.now() - t0) / 1000);
        entry.best.push(best);
        console.error(`  ${key} ${name} seed ${seed}: f - f_opt ${fmt(best)}, ${(entry.seconds.at(-1) ?? 0).toFixed(1)} s`);
      }
    }
    save(); // a long run stopped part-way keeps its finished cells
  }
}
bridge.close();

const peerNames = peers === null ? [] : Object.keys(Object.values(peers.results)[0] ?? {});
const kept = [...new Set(Object.values(ours).flatMap((r) => Object.keys(r)))].filter((n) => !OURS.includes(n));
const columns = [...kept, ...OURS, ...peerNames];
/** @param {string} key @param {string} s @param {'best' | 'seconds'} what */
const values = (key, s, what = 'best') => /** @type {number[]} */ ((ours[key]?.[s] ?? peers?.results?.[key]?.[s])?.[what]?.slice(0, SEEDS) ?? []);
/** @param {number[]} v */
const spread = (v) => (v.length === 0 ? '—' : `${fmt(median(v))} [${fmt(Math.min(...v))}, ${fmt(Math.max(...v))}]`);
/** @param {number[]} a @param {number[]} b */
const withinNoise = (a, b) => {
  if (a.length === 0 || b.length === 0) return '—';
  const inside = (/** @type {number} */ m, /** @type {number[]} */ v) => m >= Math.min(...v) && m <= Math.max(...v);
  return inside(median(a), b) && inside(median(b), a) ? 'yes' : median(a) < median(b) ? 'better' : 'worse';
};

const keys = Object.keys(ours);
console.log(`\n## BBOB: final f − f_opt after 100·D evaluations, median [min, max] over ${SEEDS} seeds (instances 1–${SEEDS})\n`);
console.log(
  table(
    ['function', ...columns],
    keys.map((k) => [k.replace('bbob/', ''), ...columns.map((c) => spread(values(k, c)))]),
  ),
);
const ratioCols = columns.filter((c) => c !== 'cmaes_pkg');
console.log(`\nratio of medians to the cmaes package (below 1: lower f − f_opt than cmaes), and whether within noise\n`);
console.log(
  table(
    ['function', ...ratioCols],
    keys.map((k) => {
      const ref = values(k, 'cmaes_pkg');
      return [
        k.replace('bbob/', ''),
        ...ratioCols.map((c) => (ref.length === 0 || values(k, c).length === 0 ? '—' : `${fmt(median(values(k, c)) / median(ref))} (${withinNoise(values(k, c), ref)})`)),
      ];
    }),
  ),
);
console.log(`\nmedian seconds per run\n`);
console.log(
  table(
    ['function', ...columns],
    keys.map((k) => [k.replace('bbob/', ''), ...columns.map((c) => fmt(median(values(k, c, 'seconds'))))]),
  ),
);
if (missing.length > 0) console.log(`\nnot in dist/ yet, so not run: ${missing.join(', ')}`);
save();
