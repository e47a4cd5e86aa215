// Multi-fidelity samplers on a noisy toy learning curve (issue 15, item 2;
// the decisions of docs/multifidelity.md): f(x) = Σ 10 (x_i − c_i)² over 4
// parameters, observed at step s = 1..27 with noise N(0, 1) / √s (unbiased
// low budgets), HyperbandPruner(1, 27, 3) for every sampler, 1 500 steps in
// total per run. Reported per sampler: the mean over seeds of the true f of
// the best COMPLETE configuration, each seed's value, and seconds per run.
// No peers: this is an ablation of ours (the table benchmark with the peers
// is bench/multifidelity.mjs).
//
//   node bench/multifidelity_toy.mjs [--seeds 10] [--samplers mfgp,mftpe,tpe,gp,random]
//   BENCH_MFGP_OPTIONS='{"budgetsPerTrial":1}' node bench/multifidelity_toy.mjs --samplers mfgp

import { createStudy, GPSampler, HyperbandPruner, MultiFidelityGPSampler, MultiFidelityTPESampler, RandomSampler, TPESampler, TrialPruned } from '../dist/index.js';
import { flags } from './peers.mjs';

const opts = flags();
const SEEDS = Number(opts.seeds ?? 10);
const MFGP_OPTIONS = JSON.parse(process.env.BENCH_MFGP_OPTIONS ?? '{}');
/** @type {Record<string, (seed: number) => import('../dist/index.js').Sampler>} */
const SAMPLERS = {
  mfgp: (seed) => new MultiFidelityGPSampler({ seed, ...MFGP_OPTIONS }),
  mftpe: (seed) => new MultiFidelityTPESampler({ seed }),
  tpe: (seed) => new TPESampler({ seed }),
  gp: (seed) => new GPSampler({ seed }),
  random: (seed) => new RandomSampler({ seed }),
};
const names = String(opts.samplers ?? Object.keys(SAMPLERS).join(',')).split(',');

/** A small LCG for the noise (independent of the samplers). */
function lcg(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
function gauss(r) {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

async function run(make, seed, totalSteps) {
  const c = [0.2, 0.8, 0.35, 0.6];
  const r = lcg(seed * 1000 + 7);
  const study = await createStudy({ sampler: make(seed), pruner: new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 }) });
  let used = 0;
  let best = Infinity;
  while (used < totalSteps) {
    await study.optimize(
      async (t) => {
        const x = c.map((_, i) => t.suggestFloat(`x${i}`, 0, 1));
        const f = x.reduce((a, v, i) => a + 10 * (v - c[i]) ** 2, 0);
        let v = f;
        for (let s = 1; s <= 27; s++) {
          used++;
          v = f + gauss(r) / Math.sqrt(s);
          await t.report(v, s);
          if (await t.shouldPrune()) throw new TrialPruned();
        }
        best = Math.min(best, f);
        return v;
      },
      { nTrials: 1 },
    );
  }
  return best;
}

console.log(`| sampler (+ Hyperband) | mean true value (${SEEDS} seeds) | per seed | s per run |`);
console.log('|---|---|---|---|');
for (const name of names) {
  const make = SAMPLERS[name];
  if (make === undefined) throw new Error(`unknown sampler ${name}: expected one of ${Object.keys(SAMPLERS).join(', ')}`);
  const t0 = performance.now();
  const values = [];
  for (let seed = 0; seed < SEEDS; seed++) values.push(await run(make, seed, 1500));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  console.log(`| ${name} | ${mean.toFixed(4)} | ${values.map((v) => v.toFixed(3)).join(' ')} | ${((performance.now() - t0) / 1000 / SEEDS).toFixed(1)} |`);
}
