// Bad input: a TunekitError with a stable code and a message naming the value.
import { describe, it } from 'vitest';
import { crossValScore, datasets, GridSearchCV, RandomizedSearchCV, SVC, uniform, loguniform, randint } from '../dist/index.js';
import { rejects } from './helpers.js';

const { X, y } = datasets.loadIris();

describe('bad input', () => {
  it('NaN and infinity in X', async () => {
    const bad = X.map((r) => [...r]);
    bad[7]![2] = NaN;
    await rejects(new SVC().fit(bad, y), 'INVALID_DATA', /X\[7\]\[2\] is NaN/);
    bad[7]![2] = Infinity;
    await rejects(crossValScore(new SVC(), bad, y), 'INVALID_DATA', /X\[7\]\[2\] is Infinity/);
    const dense = { data: Float64Array.from(X.flat()), shape: [150, 4] as const };
    dense.data[5] = -Infinity;
    await rejects(new SVC().fit(dense, y), 'INVALID_DATA', /X\[1\]\[1\] is -Infinity/);
  });

  it('X/y length mismatch, empty X, ragged rows', async () => {
    await rejects(new SVC().fit(X, y.slice(1)), 'INVALID_DATA', /150 rows but y has 149 labels/);
    await rejects(new SVC().fit([], []), 'INVALID_DATA', /X is empty/);
    await rejects(new SVC().fit([[1, 2], [3]], [0, 1]), 'INVALID_DATA', /row 1 has 1 values but row 0 has 2/);
    await rejects(new SVC().fit({ data: new Float64Array(5), shape: [2, 3] }, [0, 1]), 'INVALID_DATA', /5 values, which is not 2 rows × 3 columns/);
  });

  it('a single class', async () => {
    await rejects(new SVC().fit(X.slice(0, 50), y.slice(0, 50)), 'INVALID_LABELS', /single class/);
  });

  it('C ≤ 0, negative gamma, unknown kernel, bad maxIter', async () => {
    await rejects(new SVC({ C: 0 }).fit(X, y), 'INVALID_PARAMETER', /C must be .*got 0/);
    await rejects(new SVC({ C: -1 }).fit(X, y), 'INVALID_PARAMETER', /got -1/);
    await rejects(new SVC({ gamma: -0.5 }).fit(X, y), 'INVALID_PARAMETER', /gamma .*-0.5/);
    await rejects(new SVC({ kernel: 'cubic' as never }).fit(X, y), 'INVALID_PARAMETER', /unknown kernel "cubic"/);
    await rejects(new SVC({ maxIter: 0 }).fit(X, y), 'INVALID_PARAMETER', /maxIter .*got 0/);
  });

  it('unknown parameter names, in the constructor and in a grid', async () => {
    await rejects(() => new SVC({ Cee: 1 } as never), 'UNKNOWN_PARAMETER', /"Cee"/);
    await rejects(new GridSearchCV(new SVC(), { C: [1], gama: [0.1] }).fit(X, y), 'UNKNOWN_PARAMETER', /"gama"/);
    await rejects(new GridSearchCV(new SVC(), { C: [] }).fit(X, y), 'INVALID_PARAMETER', /"C" must be a non-empty array/);
  });

  it('a bad value inside a grid names the parameter', async () => {
    await rejects(new GridSearchCV(new SVC(), { C: [1, -2] }).fit(X, y), 'INVALID_PARAMETER', /-2/);
  });

  it('cv larger than the smallest class', async () => {
    const yy = [...y];
    yy[0] = 3;
    yy[1] = 3; // class 3 has 2 members
    await rejects(crossValScore(new SVC(), X, yy, { cv: 5 }), 'INVALID_SPLIT', /smallest class/);
    await rejects(crossValScore(new SVC(), X, y, { cv: 1 }), 'INVALID_SPLIT', /at least 2/);
  });

  it('nIter ≤ 0 and bad distributions', async () => {
    await rejects(() => new RandomizedSearchCV(new SVC(), { C: uniform(0, 1) }, { nIter: 0 }), 'INVALID_PARAMETER', /nIter must be a positive integer, got 0/);
    await rejects(() => uniform(0, -1), 'INVALID_PARAMETER', /scale must be > 0, got -1/);
    await rejects(() => loguniform(1, 0.5), 'INVALID_PARAMETER', /0 < a < b/);
    await rejects(() => randint(5, 5), 'INVALID_PARAMETER', /low < high/);
  });

  it('predict before fit', async () => {
    await rejects(new SVC().predict(X), 'NOT_FITTED', /not fitted/);
  });

  it('a model fitted on 4 features refuses 3', async () => {
    const svc = await new SVC().fit(X, y);
    await rejects(svc.predict(X.map((r) => r.slice(0, 3))), 'INVALID_DATA', /3 features .*4/);
  });
});
