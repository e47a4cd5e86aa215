// Splits and samplers against scikit-learn (fixture from bench/make_fixtures.py).
import { describe, expect, it } from 'vitest';
import { datasets, KFold, loguniform, randint, sampleParams, StratifiedKFold, trainTestSplit, uniform, type ParamDistributions } from '../dist/index.js';
import { fixture } from './helpers.js';

const fx = fixture('sklearn_splits.json');
const load = { iris: datasets.loadIris, wine: datasets.loadWine, breast_cancer: datasets.loadBreastCancer, digits: datasets.loadDigits } as Record<string, () => { X: number[][]; y: number[] }>;
const indexRows = (n: number) => Array.from({ length: n }, (_, i) => [i]);

describe("splits equal scikit-learn's", () => {
  it.each(fx.train_test_split.map((c: any) => [`${c.dataset} test=${c.test_size} seed=${c.random_state} stratify=${c.stratify}`, c]))('trainTestSplit %s', (_, c: any) => {
    const { y } = load[c.dataset]!();
    const [tr, te] = trainTestSplit(indexRows(c.n_samples), y, { testSize: c.test_size, randomState: c.random_state, stratify: c.stratify });
    expect(tr.map((r) => r[0])).toEqual(c.train);
    expect(te.map((r) => r[0])).toEqual(c.test);
  });

  it.each(fx.kfold.map((c: any) => [`n=${c.n_samples} shuffle=${c.shuffle} seed=${c.random_state}`, c]))('KFold %s', (_, c: any) => {
    const folds = new KFold({ nSplits: c.n_splits, shuffle: c.shuffle, randomState: c.random_state ?? undefined }).split(c.n_samples);
    expect(folds.map((f) => Array.from(f.test))).toEqual(c.test_folds);
    folds.forEach((f) => expect(f.train.length + f.test.length).toBe(c.n_samples));
  });

  it.each(fx.stratified_kfold.map((c: any) => [`${c.dataset} k=${c.n_splits} shuffle=${c.shuffle} seed=${c.random_state}`, c]))('StratifiedKFold %s', (_, c: any) => {
    const y = c.y ?? load[c.dataset]!().y;
    const folds = new StratifiedKFold({ nSplits: c.n_splits, shuffle: c.shuffle, randomState: c.random_state ?? undefined }).split(c.n_samples, y);
    expect(folds.map((f) => Array.from(f.test))).toEqual(c.test_folds);
  });
});

function toDistributions(space: Record<string, any>): ParamDistributions {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(space)) {
    if (v.choices) out[k] = v.choices;
    else if (v.dist === 'uniform') out[k] = uniform(v.loc, v.scale);
    else if (v.dist === 'loguniform') out[k] = loguniform(v.a, v.b);
    else if (v.dist === 'randint') out[k] = randint(v.low, v.high);
  }
  return out;
}

describe("sampleParams (RandomizedSearchCV) draws scikit-learn's ParameterSampler candidates", () => {
  it.each(fx.parameter_sampler.map((c: any) => [`case ${c.case} seed=${c.random_state}`, c]))('%s', (_, c: any) => {
    const params = sampleParams(toDistributions(c.space), c.n_iter, c.random_state);
    expect(params).toHaveLength(c.samples.length);
    params.forEach((p: Record<string, unknown>, i: number) => {
      const want = c.samples[i];
      expect(Object.keys(p).sort()).toEqual(Object.keys(want).sort());
      for (const k of Object.keys(want)) {
        if (typeof want[k] === 'number' && c.float_tolerance_ulps) {
          expect(Math.abs((p[k] as number) - want[k])).toBeLessThanOrEqual(Math.abs(want[k]) * 2 ** -52 * c.float_tolerance_ulps);
        } else {
          expect(p[k]).toBe(want[k]);
        }
      }
    });
  });
});
