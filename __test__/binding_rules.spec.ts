/**
 * Rules the core owns, seen through the binding: error codes from the one
 * error table, scikit-learn's default split sizes, and the binding's exports.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { sampleParams, trainTestSplit, TunekitError } from '../dist/index.js';

const native = createRequire(import.meta.url)('../native/index.cjs');

function caught(f: () => unknown): TunekitError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TunekitError);
    return e as TunekitError;
  }
  throw new Error('expected an error');
}

describe('error codes', () => {
  it('a bad distribution is INVALID_PARAMETER (it was INVALID_SPLIT)', () => {
    // plain objects pass the façade's shape check and reach the core's sampler
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ C: { kind: 'uniform', a: 0, b: -1 } }, /parameter `C`: uniform\(loc=0, scale=-1\) needs a finite loc and a finite scale > 0/],
      [{ C: { kind: 'loguniform', a: 2, b: 1 } }, /parameter `C`: loguniform\(a=2, b=1\) needs finite bounds with 0 < a < b/],
      [{ k: { kind: 'randint', a: 3, b: 3 } }, /parameter `k`: randint\(low=3, high=3\) needs low < high/],
    ];
    for (const [distributions, message] of cases) {
      const err = caught(() => sampleParams(distributions as never, 3, 0));
      expect(err.code).toBe('INVALID_PARAMETER');
      expect(err.message).toMatch(message);
    }
  });

  it('a split that cannot be made stays INVALID_SPLIT', () => {
    const X = Array.from({ length: 4 }, (_, i) => [i]);
    const err = caught(() => trainTestSplit(X, [0, 0, 1, 1], { testSize: 4, randomState: 0 }));
    expect(err.code).toBe('INVALID_SPLIT');
  });
});

describe('train/test sizes left out', () => {
  const X = Array.from({ length: 10 }, (_, i) => [i]);
  const y = Array.from({ length: 10 }, (_, i) => i % 2);

  it('test 0.25 by default; with only trainSize, the test set is the rest as scikit-learn counts it', () => {
    const [a, b] = trainTestSplit(X, y, { randomState: 0 });
    expect([a.length, b.length]).toEqual([7, 3]);
    // floor(0.7 · 10) = 7 rows train and the other 3 test (the fraction 1 − 0.7 would round up to 4)
    const [c, d] = trainTestSplit(X, y, { trainSize: 0.7, randomState: 0 });
    expect([c.length, d.length]).toEqual([7, 3]);
    const [e, f] = trainTestSplit(X, y, { trainSize: 6, shuffle: false });
    expect([e.length, f.length]).toEqual([6, 4]);
    expect(f).toEqual([[6], [7], [8], [9]]);
  });
});

describe('binding exports', () => {
  it('only what the façade calls', () => {
    for (const gone of ['gaProposeGeneration', 'gaDiversity', 'bayesProposeSync', 'crossValidateSvcSync']) {
      expect(native[gone]).toBeUndefined();
    }
    for (const kept of ['GaEngine', 'gaProposeGenerationSync', 'gaParetoFront', 'bayesPropose', 'crossValidateSvcTask', 'svcFit', 'svcFitSync', 'gpFit', 'gpFitSync']) {
      expect(typeof native[kept]).toBe('function');
    }
  });
});
