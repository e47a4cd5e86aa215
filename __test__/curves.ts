// Learning curves for the multi-fidelity tests: hand-built trials, a
// two-parameter study whose trials report 27 steps under a pruner, and the
// noisy four-parameter toy run to a total step budget. The noise is seeded
// and independent of the samplers.
import { createStudy, HyperbandPruner, TrialPruned, type Pruner, type Sampler, type Study } from '../dist/index.js';
import type { FrozenTrial, TrialState } from '../dist/study/types.js';

/** A hand-built trial with one float parameter x = number / 10 (id = idBase + number). */
export function curveTrial(idBase: number, number: number, state: TrialState, iv: Record<number, number>, value?: number): FrozenTrial {
  return {
    id: idBase + number,
    number,
    state,
    values: value === undefined ? null : [value],
    params: { x: number / 10 },
    distributions: { x: { type: 'float', low: 0, high: 1 } },
    intermediateValues: iv,
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
  };
}

/**
 * A study of x, y ∈ [0, 1] whose trials report 27 steps: at step s the value
 * is f(x, y) + slowStart / s + 0.5 N(0, 1) / √s, f = 10 ((x − 0.3)² + (y − 0.7)²).
 */
export async function curveStudy(sampler: Sampler, pruner: Pruner, nTrials: number, noiseSeed: number, storage?: string, slowStart = 0): Promise<Study> {
  const r = lcg(noiseSeed);
  const study = await createStudy(storage === undefined ? { sampler, pruner } : { sampler, pruner, storage });
  await study.optimize(
    async (t) => {
      const x = t.suggestFloat('x', 0, 1);
      const y = t.suggestFloat('y', 0, 1);
      const f = 10 * ((x - 0.3) ** 2 + (y - 0.7) ** 2);
      let v = f;
      for (let s = 1; s <= 27; s++) {
        v = f + slowStart / s + (0.5 * gauss(r)) / Math.sqrt(s);
        await t.report(v, s);
        if (await t.shouldPrune()) throw new TrialPruned();
      }
      return v;
    },
    { nTrials },
  );
  return study;
}

/**
 * The toy: f(x) = Σ 10 (x_i − c_i)² over 4 parameters, observed at step s
 * with noise N(0, 1) / √s; 27 steps; HyperbandPruner(1, 27, 3); trials run
 * until `totalSteps` steps are spent. Returns the true f of the best
 * completed configuration.
 */
export async function toy(sampler: Sampler, seed: number, totalSteps: number): Promise<number> {
  const c = [0.2, 0.8, 0.35, 0.6];
  const r = lcg(seed * 1000 + 7);
  const study = await createStudy({ sampler, pruner: new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 }) });
  let used = 0;
  let best = Infinity;
  while (used < totalSteps) {
    await study.optimize(
      async (t) => {
        const x = c.map((_, i) => t.suggestFloat(`x${i}`, 0, 1));
        const f = x.reduce((a, v, i) => a + 10 * (v - c[i]!) ** 2, 0);
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

/** A small seeded generator. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}
