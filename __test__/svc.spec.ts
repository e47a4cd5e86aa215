import { describe, expect, it } from 'vitest';
import { crossValidate, crossValScore, datasets, SVC } from '../dist/index.js';
import { foldsOf, reference, type SvcReference } from './helpers.js';

const { X, y } = datasets.loadIris();

describe('SVC', () => {
  it("has scikit-learn's defaults", () => {
    expect(new SVC().getParams()).toEqual({
      C: 1,
      kernel: 'rbf',
      gamma: 'scale',
      degree: 3,
      coef0: 0,
      tol: 1e-3,
      shrinking: true,
      classWeight: null,
      maxIter: -1,
      cacheSize: 200,
    });
  });

  it('fits iris and predicts its training labels almost perfectly', async () => {
    const svc = await new SVC({ C: 10 }).fit(X, y);
    const pred = await svc.predict(X);
    const acc = pred.filter((p, i) => p === y[i]).length / y.length;
    expect(acc).toBeGreaterThan(0.97);
    expect(await svc.score(X, y)).toBe(acc);
    expect(svc.classes).toEqual([0, 1, 2]);
    expect(svc.nSupport).toHaveLength(3);
    expect(svc.nSupport.reduce((a, b) => a + b, 0)).toBe(svc.support.length);
    expect(svc.gammaValue).toBeCloseTo(1 / (4 * variance(X.flat())), 12);
  });

  it('sync twins give the same answers as the async calls', async () => {
    const a = await new SVC({ kernel: 'poly', gamma: 0.1 }).fit(X, y);
    const b = new SVC({ kernel: 'poly', gamma: 0.1 }).fitSync(X, y);
    expect(b.predictSync(X)).toEqual(await a.predict(X));
    expect(b.decisionFunctionSync(X)).toEqual(await a.decisionFunction(X));
  });

  it('accepts string labels and a Float64Array with a shape', async () => {
    const names = ['setosa', 'versicolor', 'virginica'];
    const labels = y.map((c) => names[c]!);
    const dense = { data: Float64Array.from(X.flat()), shape: [X.length, 4] as const };
    const svc = await new SVC().fit(dense, labels);
    expect(svc.classes).toEqual(names);
    const pred = await svc.predict(dense);
    const numeric = await new SVC().fit(X, y);
    expect(pred).toEqual((await numeric.predict(X)).map((c) => names[c as number]));
  });

  it('decision function: ovr shape for 3 classes whose argmax is the prediction; binary sign picks the second class', async () => {
    const svc = await new SVC().fit(X, y);
    const dec = (await svc.decisionFunction(X)) as number[][];
    const pred = await svc.predict(X);
    expect(dec).toHaveLength(150);
    dec.forEach((row, i) => {
      expect(row).toHaveLength(3);
      expect(row.indexOf(Math.max(...row))).toBe(pred[i]);
    });
    const Xb = X.slice(50),
      yb = y.slice(50);
    const bin = await new SVC({ kernel: 'linear' }).fit(Xb, yb);
    const d = (await bin.decisionFunction(Xb)) as number[];
    const pb = await bin.predict(Xb);
    d.forEach((v, i) => expect(pb[i]).toBe(v > 0 ? 2 : 1));
  });

  it('classWeight changes the model', async () => {
    const Xb = X.slice(50),
      yb = y.slice(50);
    const plain = await new SVC({ kernel: 'linear', C: 0.05 }).fit(Xb, yb);
    const heavy = await new SVC({ kernel: 'linear', C: 0.05, classWeight: { 1: 50 } }).fit(Xb, yb);
    const p1 = (await plain.predict(Xb)).filter((c) => c === 1).length;
    const p2 = (await heavy.predict(Xb)).filter((c) => c === 1).length;
    expect(p2).toBeGreaterThan(p1);
    const balanced = await new SVC({ classWeight: 'balanced' }).fit(X, y);
    expect(await balanced.score(X, y)).toBeGreaterThan(0.95);
  });

  it('crossValScore and crossValidate give fold scores in fold order', async () => {
    const ref = reference<SvcReference>('svc_cv_iris.json');
    const r = ref.results.find((c) => c.params.kernel === 'linear' && c.params.C === 1)!;
    expect(await crossValScore(new SVC({ kernel: 'linear', C: 1 }), X, y, { cv: 5 })).toEqual(r.fold_scores);
    const full = await crossValidate(new SVC({ kernel: 'linear', C: 1 }), X, y, { cv: foldsOf(ref), nJobs: 1 });
    expect(full.testScore).toEqual(r.fold_scores);
    expect(full.fitTime).toHaveLength(5);
    full.fitTime.forEach((t) => expect(t).toBeGreaterThan(0));
  });
});

function variance(v: number[]): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
}
