// The tutorial: iris, 80/20 split, grid and random search, against scikit-learn
// run on the same rows (fixture made by bench/make_fixtures.py).
import { describe, expect, it } from 'vitest';
import { datasets, GridSearchCV, RandomizedSearchCV, SVC, trainTestSplit, uniform } from '../dist/index.js';
import { fixture } from './helpers.js';

const seed = fixture('sklearn_splits.json').seed_grid;
const { X, y } = datasets.loadIris();
const [Xtr, Xte, ytr, yte] = trainTestSplit(X, y, { testSize: 0.2, randomState: 42 });

describe('the seed walkthrough', () => {
  it("trainTestSplit picks scikit-learn's rows, in its order", () => {
    expect(Xtr).toEqual(seed.split.train.map((i: number) => X[i]));
    expect(Xte).toEqual(seed.split.test.map((i: number) => X[i]));
    expect(ytr).toEqual(seed.split.train.map((i: number) => y[i]));
    expect(yte).toEqual(seed.split.test.map((i: number) => y[i]));
  });

  it("GridSearchCV finds scikit-learn's best parameters and scores", async () => {
    const g = seed.grid_search;
    const grid = new GridSearchCV(new SVC(), { C: [0.1, 1, 10, 100], kernel: ['linear', 'rbf'], gamma: ['scale', 'auto'] }, { cv: 5 });
    await grid.fit(Xtr, ytr);
    expect(grid.cvResults.params).toEqual(g.params);
    expect(grid.bestParams).toEqual({ C: 1, gamma: 'scale', kernel: 'linear' });
    expect(grid.bestParams).toEqual(g.best_params);
    expect(grid.bestIndex).toBe(g.best_index);
    expect(grid.bestScore).toBe(g.best_score);
    expect(grid.cvResults.meanTestScore).toEqual(g.mean_test_score);
    expect(grid.cvResults.rankTestScore).toEqual(g.rank_test_score);
    for (let k = 0; k < 5; k++) expect(grid.cvResults[`split${k}TestScore`]).toEqual(g.split_test_scores[k]);
    grid.cvResults.stdTestScore.forEach((s, i) => expect(s).toBeCloseTo(g.std_test_score[i], 12));
    expect(await grid.score(Xte, yte)).toBe(g.test_score);
    expect(grid.bestEstimator.getParams()).toMatchObject({ C: 1, kernel: 'linear' });
  });

  it("RandomizedSearchCV samples scikit-learn's candidates and finds its best", async () => {
    const r = seed.randomized_search;
    const search = new RandomizedSearchCV(new SVC(), { C: uniform(0, 100) }, { nIter: 50, cv: 5, randomState: 42 });
    await search.fit(Xtr, ytr);
    expect(search.cvResults.params).toEqual(r.params);
    expect(search.cvResults.meanTestScore).toEqual(r.mean_test_score);
    expect(search.bestParams).toEqual(r.best_params);
    expect(search.bestScore).toBe(r.best_score);
    expect(await search.score(Xte, yte)).toBe(r.test_score);
  });
});
