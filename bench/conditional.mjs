// A conditional space (issue 13, item 7): a model-choice parameter
// (classifier ∈ {svm, tree, knn}) whose branches have their own parameters,
// with a smooth deterministic error per branch (bench/peers/problems.py: the
// optimum 0.04 is in a narrow correlated valley of svm/rbf; knn's best is
// 0.07, tree's 0.09). tunekit's TPESampler (default and group: true),
// GPSampler, CmaEsSampler, AutoSampler (the default sampler: multivariate TPE
// with group and constantLiar on this space) and random search against
// Optuna's TPESampler(multivariate=True, group=True), TPESampler(multivariate=True)
// and random; the objective is evaluated by
// bench/peers/eval_server.py on our side, so it is the peers' function.
// Reported: best error after the budget (mean ± se), the runs that reached the
// svm/rbf valley (best < 0.07), and mean ranks.
//
//   node bench/conditional.mjs [--cached] [--jobs 2]
//   BENCH_SEEDS=10 BENCH_TRIALS=200 node bench/conditional.mjs
import { writeFileSync } from 'node:fs';
import { AutoSampler, CmaEsSampler, createStudy, GPSampler, MemoryStorage, NopPruner, RandomSampler, TPESampler } from '../dist/index.js';
import { bridgeAvailable, EvalBridge, suggest } from './eval_bridge.mjs';
import { flags, fmt, peerResults, RESULTS, table } from './peers.mjs';
import { meanRanks, meanSe } from './ranks.mjs';

const opts = flags();
const SEEDS = Number(process.env.BENCH_SEEDS ?? 10);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 200);
const JOBS = String(opts.jobs ?? 2);
const PROBLEM = 'conditional';

if (!bridgeAvailable()) {
  console.log('bench/conditional.mjs needs the benchmark virtual environment (bench/.venv); see bench/README.md');
  process.exit(0);
}

/** @type {Record<string, (seed: number) => import('../dist/index.js').Sampler>} */
const OURS = {
  tunekit_tpe_group: (seed) => new TPESampler({ seed, group: true }),
  tunekit_tpe: (seed) => new TPESampler({ seed }),
  tunekit_gp: (seed) => new GPSampler({ seed }),
  tunekit_cmaes: (seed) => new CmaEsSampler({ seed }),
  tunekit_auto: (seed) => new AutoSampler({ seed }),
  tunekit_random: (seed) => new RandomSampler({ seed }),
};

const peers = peerResults('conditional.py', ['--trials', String(TRIALS), '--seeds', String(SEEDS), '--jobs', JOBS], 'conditional_peers.json', Boolean(opts.cached));

const bridge = new EvalBridge();
const { space } = await bridge.open(PROBLEM, 0);
/** @type {Record<string, (number | null)[]>} */
const best = {};
/** @type {Record<string, number[]>} */
const seconds = {};
for (const [name, make] of Object.entries(OURS)) {
  best[name] = [];
  seconds[name] = [];
  for (let seed = 0; seed < SEEDS; seed++) {
    const study = await createStudy({ storage: new MemoryStorage(), sampler: make(seed), pruner: new NopPruner() });
    const t0 = performance.now();
    await study.optimize(
      async (trial) => {
        const classifier = suggest(trial, space.classifier);
        /** @type {Record<string, unknown>} */
        const params = { classifier };
        for (const p of space.branches[/** @type {string} */ (classifier)]) params[p.name] = suggest(trial, p);
        return bridge.evaluate(PROBLEM, params);
      },
      { nTrials: TRIALS },
    );
    seconds[name].push((performance.now() - t0) / 1000);
    best[name].push(/** @type {number[]} */ ((await study.bestTrial()).values)[0]);
    console.error(`  ${name} seed ${seed}: best ${fmt(best[name].at(-1))}`);
  }
}
bridge.close();
for (const [name, r] of Object.entries(peers?.results?.[PROBLEM] ?? {})) {
  best[name] = /** @type {any} */ (r).best.slice(0, SEEDS);
  seconds[name] = /** @type {any} */ (r).seconds.slice(0, SEEDS);
}

const samplers = Object.keys(best);
const ranks = meanRanks({ [PROBLEM]: best }, { [PROBLEM]: 'minimize' }, samplers);
const order = [...samplers].sort((a, b) => ranks.mean[a] - ranks.mean[b]);
console.log(`\n## Conditional space: best error after ${TRIALS} trials, ${SEEDS} seeds (optimum 0.04; knn's best 0.07)\n`);
console.log(
  table(
    ['sampler', 'best error (mean ± se)', 'runs below 0.07 (svm/rbf valley)', 'mean rank', 'seconds per run'],
    order.map((s) => [s, meanSe(best[s]), `${best[s].filter((v) => v !== null && v < 0.07).length} / ${best[s].length}`, ranks.mean[s].toFixed(2), meanSe(seconds[s], 2)]),
  ),
);
writeFileSync(`${RESULTS}conditional.json`, JSON.stringify({ settings: { seeds: SEEDS, trials: TRIALS }, best, seconds, meanRank: ranks.mean, peers: peers?.settings ?? null }, null, 1));
