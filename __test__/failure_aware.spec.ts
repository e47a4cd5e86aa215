// Failed trials teach (issue 13, item 5): with 2 of 5 categories that always
// throw, GPSampler and TPESampler spend few of 40 trials on them and still find
// the best value; one flaky failure does not close its region; the failure
// model is exposed for other samplers (failureProbabilities).
import { describe, expect, it } from 'vitest';
import { createStudy, failureProbabilities, GPSampler, NopPruner, RandomSampler, TPESampler, type Sampler, type Trial } from '../dist/index.js';
import { rejects } from './helpers.js';

class Crash extends Error {}
const FAIL = new Set(['b', 'd']);
const OFFSET: Record<string, number> = { a: 0.5, c: 0, e: 1 };
const CATEGORIES = ['a', 'b', 'c', 'd', 'e'];

/** The item-5 setting with one float: failed trials of 40 and the best value. */
async function run(sampler: Sampler): Promise<{ failed: number; best: number }> {
  const study = await createStudy({ sampler, pruner: new NopPruner() });
  await study.optimize(
    (t) => {
      const c = t.suggestCategorical('c', CATEGORIES);
      const x = t.suggestFloat('x0', -5, 5);
      if (FAIL.has(c)) throw new Crash('boom');
      return (x - 1) ** 2 + (OFFSET[c] as number);
    },
    { nTrials: 40, catch: [Crash] },
  );
  return { failed: (await study.trials(['FAIL'])).length, best: (await study.bestTrial()).values![0]! };
}

describe('failure-aware search in the item-5 setting (seeds 0–4)', () => {
  for (const [name, make] of [
    ['GPSampler', (seed: number) => new GPSampler({ seed })],
    ['TPESampler', (seed: number) => new TPESampler({ seed })],
  ] as const) {
    it(`${name}: at most 14 of 40 trials on always-failing categories on average, and the best value found`, async () => {
      let failed = 0;
      let unaware = 0;
      let best = 0;
      for (let seed = 0; seed < 5; seed++) {
        const r = await run(make(seed));
        failed += r.failed;
        best += r.best;
        const off = name === 'GPSampler' ? new GPSampler({ seed, failureAware: false }) : new TPESampler({ seed, failureAware: false });
        unaware += (await run(off)).failed;
      }
      expect(failed / 5).toBeLessThanOrEqual(14);
      // Without the model the same runs go to the failing categories far more often.
      expect(unaware / 5).toBeGreaterThan(20);
      // The optimum is 0 (category c, x = 1).
      expect(best / 5).toBeLessThan(0.2);
    });
  }
});

describe('the failure model', () => {
  /** A study whose trials are given: category, x and whether it failed. */
  async function history(rows: [string, number, boolean][]) {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 0 }) });
    for (const [c, x, failed] of rows) {
      await study.enqueueTrial({ c, x });
      const t: Trial = await study.ask();
      t.suggestCategorical('c', CATEGORIES);
      t.suggestFloat('x', -5, 5);
      await study.tell(t, failed ? { state: 'FAIL' } : x * x);
    }
    return study.trials();
  }
  const space = { c: { type: 'categorical', choices: CATEGORIES }, x: { type: 'float', low: -5, high: 5, log: false } } as const;

  it('one flaky failure among successes leaves its region open; a region where every trial failed closes', async () => {
    const trials = await history([
      ['a', -4, false],
      ['a', -2, false],
      ['a', 0, false],
      ['a', 0.5, true], // flaky
      ['a', 1, false],
      ['a', 2.5, false],
      ['a', 4, false],
      ['b', -3, true],
      ['b', 0, true],
      ['b', 3, true],
      ['c', 0, false],
    ]);
    const p = failureProbabilities(space, trials, [
      { c: 'a', x: 0.5 },
      { c: 'b', x: 1.5 },
      { c: 'e', x: 0 },
    ]);
    expect(p[0]).toBeGreaterThan(0.6);
    expect(p[1]).toBeLessThan(0.25);
    // A category never tried: between the two.
    expect(p[2]).toBeGreaterThan(p[1]!);
    expect(p[2]).toBeLessThan(p[0]!);
  });

  it('is 1 everywhere when no trial failed; a query outside the space is refused', async () => {
    const trials = await history([
      ['a', 0, false],
      ['b', 1, false],
    ]);
    expect(Array.from(failureProbabilities(space, trials, [{ c: 'a', x: 0 }]))).toEqual([1]);
    const failing = await history([['a', 0, true]]);
    expect(() => failureProbabilities(space, failing, [{ c: 'z', x: 0 }])).toThrow(/queries\[0\] lacks a parameter of the space or has a value outside it/);
  });

  it('failureAware must be a boolean', async () => {
    await rejects(async () => new GPSampler({ failureAware: 1 as unknown as boolean }), 'INVALID_PARAMETER', /GPSampler: failureAware must be true or false, got 1/);
    await rejects(async () => new TPESampler({ failureAware: 'yes' as unknown as boolean }), 'INVALID_PARAMETER', /TPESampler: failureAware must be true or false, got "yes"/);
  });
});
