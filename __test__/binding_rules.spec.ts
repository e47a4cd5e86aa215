/**
 * Rules the core owns, seen through the binding: error codes from the one
 * error table, scikit-learn's default split sizes, and the binding's exports.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { GaussianProcessRegressor, GeneticAlgorithm, GeneticSampler, SVC, SVC_DEFAULTS, sampleParams, trainTestSplit, TunekitError } from '../dist/index.js';

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

describe('defaults and enums in one place (the core)', () => {
  const space = { x: [0, 1] as [number, number], k: { type: 'int', low: 1, high: 4 } } as const;
  const optionsOf = (o: unknown) => (o as { options: unknown }).options;

  it("the GA façade's defaults are the core's, for one objective and for several", () => {
    const one = native.gaSettings({}, 1);
    expect(one).toMatchObject({
      populationSize: 30,
      selection: 'tournament',
      tournamentSize: 3,
      elitism: 2,
      crossover: 'sbx',
      crossoverEta: 15,
      crossoverProb: 0.9,
      mutation: 'polynomial',
      mutationEta: 20,
      init: 'uniform',
    });
    expect(one.mutationProb).toBeUndefined();
    const several = native.gaSettings({}, 2);
    expect(several).toMatchObject({ populationSize: 50, selection: 'tournament', tournamentSize: 2, elitism: 1 });
    // what the façade runs with when the options are omitted (the seed aside, drawn at random without one)
    expect(optionsOf(new GeneticAlgorithm({ space, seed: 5 }))).toEqual(native.gaSettings({ seed: 5 }, 1));
    expect(optionsOf(new GeneticAlgorithm({ space, seed: 5, directions: ['minimize', 'maximize'] }))).toEqual(native.gaSettings({ seed: 5 }, 2));
    // default sizes fit a small population; given ones are the caller's
    expect(optionsOf(new GeneticAlgorithm({ space, seed: 5, populationSize: 2 }))).toMatchObject({ populationSize: 2, tournamentSize: 2, elitism: 1 });
    expect(optionsOf(new GeneticAlgorithm({ space, seed: 5, selection: { kind: 'rank' }, elitism: 0 }))).toMatchObject({ selection: 'rank', rankPressure: 1.5, elitism: 0, populationSize: 30 });
  });

  it("GeneticSampler: the core's NSGA-II population for both settings, the core's selection for the study's objectives", () => {
    const sampler = new GeneticSampler({ seed: 3 });
    const given = optionsOf(sampler) as Record<string, unknown>;
    expect(given).toEqual({ populationSize: 50, seed: 3 });
    expect(native.gaSettings(given, 1)).toMatchObject({ populationSize: 50, tournamentSize: 3, elitism: 2 });
    expect(native.gaSettings(given, 2)).toMatchObject({ populationSize: 50, tournamentSize: 2, elitism: 1 });
  });

  it("SVC_DEFAULTS are the core's (scikit-learn's SVC())", () => {
    expect(native.svcDefaults()).toEqual({ c: 1, kernel: 'rbf', gamma: 'scale', degree: 3, coef0: 0, tol: 1e-3, shrinking: true, classWeight: 'uniform', cacheSizeMb: 200 });
    expect(SVC_DEFAULTS).toEqual({ C: 1, kernel: 'rbf', gamma: 'scale', degree: 3, coef0: 0, tol: 1e-3, shrinking: true, classWeight: null, maxIter: -1, cacheSize: 200 });
    expect(new SVC().getParams()).toEqual(SVC_DEFAULTS);
  });

  it("the Gaussian process and the acquisition take the core's defaults", () => {
    const gp = new GaussianProcessRegressor().fitSync([[0], [0.5], [1]], [0, 1, 0]);
    expect(gp.kernel.kind).toBe('matern52');
  });

  it("every kind is one of the binding's string enums; a string outside them is INVALID_PARAMETER", () => {
    expect(Object.values(native.Direction)).toEqual(['minimize', 'maximize']);
    expect(Object.values(native.SelectionKind)).toEqual(['tournament', 'rank', 'roulette']);
    expect(Object.values(native.CrossoverKind)).toEqual(['sbx', 'uniform', 'blend']);
    expect(Object.values(native.DiscreteCrossover)).toEqual(['one_point', 'two_point', 'uniform']);
    expect(Object.values(native.MutationKind)).toEqual(['polynomial', 'gaussian', 'reset']);
    expect(Object.values(native.InitKind)).toEqual(['uniform', 'latin_hypercube', 'sobol']);
    expect(Object.values(native.SvcKernel)).toEqual(['linear', 'rbf', 'poly', 'sigmoid']);
    expect(Object.values(native.GammaKind)).toEqual(['scale', 'auto']);
    expect(Object.values(native.GpKernel)).toEqual(['matern52', 'matern32', 'rbf']);
    expect(Object.values(native.AcquisitionKind)).toEqual(['logei', 'ei', 'pi', 'ucb']);
    expect(Object.values(native.DistributionKind)).toEqual(['uniform', 'loguniform', 'randint', 'choice']);
    expect(Object.values(native.ParamKind)).toEqual(['float', 'int', 'categorical']);
    for (const bad of [{ mutation: { kind: 'cauchy' } }, { crossover: { kind: 'pmx' } }, { crossover: { discrete: 'three_point' } }, { init: 'halton' }]) {
      const err = caught(() => new GeneticAlgorithm({ space, ...(bad as object) }));
      expect(err.code).toBe('INVALID_PARAMETER');
    }
    const err = caught(() => new GaussianProcessRegressor({ kernel: { kind: 'periodic' as never } }).fitSync([[0], [1]], [0, 1]));
    expect(err.code).toBe('INVALID_PARAMETER');
  });
});

describe('seeds in one module', () => {
  it('Bayesian and genetic search and the GP, QMC and genetic samplers take seeds from ts/seed.ts', () => {
    const files = ['bayes/bayesian_optimization.ts', 'bayes/gaussian_process.ts', 'genetic/genetic_algorithm.ts', 'study/samplers/gp.ts', 'study/samplers/qmc.ts', 'study/samplers/genetic.ts'];
    for (const f of files) {
      const src = readFileSync(new URL(`../ts/${f}`, import.meta.url), 'utf8');
      expect(src, f).not.toMatch(/from '[./]*model_selection\//);
    }
  });
});
