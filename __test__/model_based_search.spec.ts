import { describe, expect, it } from 'vitest';
import { BayesSearchCV, crossValScore, datasets, GeneticSearchCV, SVC } from '../dist/index.js';
import { rejects } from './helpers.js';

const { X, y } = datasets.loadIris();
const space = {
  C: { type: 'float', low: 0.1, high: 100, log: true },
  gamma: { type: 'float', low: 1e-3, high: 1, log: true },
} as const;

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const key = (p: Record<string, unknown>) => JSON.stringify(p);

/** Every candidate's recorded mean equals an independent cross-validation of it. */
async function checkScores(search: BayesSearchCV | GeneticSearchCV, indices: number[]): Promise<void> {
  const r = search.cvResults;
  for (const i of indices) {
    const scores = await crossValScore(new SVC({ kernel: 'rbf', ...(r.params[i] as object) }), X, y, { cv: 5 });
    expect(r.meanTestScore[i]).toBe(mean(scores));
    expect(r.split0TestScore![i]).toBe(scores[0]);
  }
}

describe('BayesSearchCV', () => {
  it('cross-validates nIter distinct in-bounds candidates, reproducibly, and finds a good SVC', async () => {
    const run = () => new BayesSearchCV(new SVC({ kernel: 'rbf' }), space, { nIter: 16, nInitialPoints: 5, cv: 5, randomState: 3 }).fit(X, y);
    const [a, b] = await Promise.all([run(), run()]);
    const r = a.cvResults;
    expect(r.params).toHaveLength(16);
    expect(r.params).toEqual(b.cvResults.params);
    expect(new Set(r.params.map(key)).size).toBe(16);
    for (const p of r.params) {
      expect(p.C as number).toBeGreaterThanOrEqual(0.1);
      expect(p.C as number).toBeLessThanOrEqual(100);
      expect(p.gamma as number).toBeGreaterThanOrEqual(1e-3);
      expect(p.gamma as number).toBeLessThanOrEqual(1);
    }
    // The model-based steps concentrate on good regions.
    expect(a.bestScore).toBe(Math.max(...r.meanTestScore));
    expect(mean(r.meanTestScore.slice(5))).toBeGreaterThan(mean(r.meanTestScore.slice(0, 5)));
    expect(a.bestScore).toBeGreaterThanOrEqual(0.98);
    await checkScores(a, [0, a.bestIndex, 15]);
    expect(await a.score(X, y)).toBe(await new SVC({ kernel: 'rbf', ...(a.bestParams as object) }).fit(X, y).then((m) => m.score(X, y)));
  });

  it('batches of nPoints are distinct; a small discrete space is covered before anything repeats', async () => {
    const batched = await new BayesSearchCV(new SVC(), space, { nIter: 12, nInitialPoints: 3, nPoints: 3, cv: 3, randomState: 1, refit: false }).fit(X, y);
    expect(new Set(batched.cvResults.params.map(key)).size).toBe(12);
    const discrete = { C: { type: 'int', low: 1, high: 3 }, kernel: { type: 'categorical', choices: ['linear', 'rbf'] } } as const;
    const s = await new BayesSearchCV(new SVC(), discrete, { nIter: 8, nInitialPoints: 2, cv: 3, randomState: 0, refit: false }).fit(X, y);
    const params = s.cvResults.params;
    expect(params).toHaveLength(8);
    expect(new Set(params.slice(0, 6).map(key)).size).toBe(6);
    for (const p of params) {
      expect([1, 2, 3]).toContain(p.C);
      expect(['linear', 'rbf']).toContain(p.kernel);
    }
  });

  it('rejects bad settings with the value named', async () => {
    await rejects(() => new BayesSearchCV(new SVC(), { C: [1, 10], gama: [0.1, 1] }), 'UNKNOWN_PARAMETER', /"gama"/);
    await rejects(() => new BayesSearchCV(new SVC(), { C: [10, 1] }), 'INVALID_SPACE', /searchSpaces\.C: low must not exceed high, got low=10, high=1/);
    await rejects(() => new BayesSearchCV(new SVC(), {}), 'INVALID_SPACE', /empty/);
    await rejects(() => new BayesSearchCV(new SVC(), space, { nIter: 0 }), 'INVALID_PARAMETER', /nIter .* got 0/);
    await rejects(() => new BayesSearchCV(new SVC(), space, { nPoints: 1.5 }), 'INVALID_PARAMETER', /nPoints .* got 1.5/);
    await rejects(() => new BayesSearchCV(new SVC(), space, { acquisition: { kind: 'ucb', kappa: -1 } }), 'INVALID_PARAMETER', /kappa.*-1/);
    await rejects(new BayesSearchCV(new SVC(), { C: [-1, 1] }, { nIter: 2, randomState: 0 }).fit(X, y), 'INVALID_PARAMETER', /C/);
  });
});

describe('GeneticSearchCV', () => {
  it('cross-validates populationSize × generations individuals, reproducibly, in bounds', async () => {
    const run = () => new GeneticSearchCV(new SVC({ kernel: 'rbf' }), space, { populationSize: 8, generations: 4, cv: 5, seed: 7 }).fit(X, y);
    const [a, b] = await Promise.all([run(), run()]);
    const r = a.cvResults;
    expect(r.params).toHaveLength(32);
    expect(r.params).toEqual(b.cvResults.params);
    for (const p of r.params) {
      expect(p.C as number).toBeGreaterThanOrEqual(0.1);
      expect(p.C as number).toBeLessThanOrEqual(100);
      expect(p.gamma as number).toBeGreaterThanOrEqual(1e-3);
      expect(p.gamma as number).toBeLessThanOrEqual(1);
    }
    expect(a.bestScore).toBe(Math.max(...r.meanTestScore));
    expect(a.bestScore).toBeGreaterThanOrEqual(0.97);
    // The last generation is on average at least as good as the first.
    expect(mean(r.meanTestScore.slice(24))).toBeGreaterThanOrEqual(mean(r.meanTestScore.slice(0, 8)));
    await checkScores(a, [0, a.bestIndex, 31]);
  });

  it('handles integer and categorical genes and rejects bad settings', async () => {
    const mixed = { C: { type: 'int', low: 1, high: 50 }, kernel: { type: 'categorical', choices: ['linear', 'rbf', 'poly'] } } as const;
    const s = await new GeneticSearchCV(new SVC(), mixed, { populationSize: 6, generations: 3, cv: 3, seed: 2, refit: false }).fit(X, y);
    for (const p of s.cvResults.params) {
      expect(Number.isInteger(p.C)).toBe(true);
      expect(['linear', 'rbf', 'poly']).toContain(p.kernel);
    }
    await rejects(() => new GeneticSearchCV(new SVC(), space, { populationSize: 1 }), 'INVALID_PARAMETER', /populationSize .* got 1/);
    await rejects(() => new GeneticSearchCV(new SVC(), { C: [1, 10], degre: { type: 'int', low: 1, high: 3 } }), 'UNKNOWN_PARAMETER', /"degre"/);
    await rejects(() => new GeneticSearchCV(new SVC(), space, { mutation: { prob: 2 } }), 'INVALID_PARAMETER', /2/);
  });
});
