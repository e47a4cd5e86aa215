import { BayesianOptimization } from './bayes/bayesian_optimization.js';
import { loadIris } from './datasets.js';
import { crossValScore } from './model_selection/cross_validation.js';
import { uniform } from './model_selection/distributions.js';
import { GeneticSearchCV } from './model_selection/genetic_search.js';
import { GridSearchCV } from './model_selection/grid_search.js';
import { RandomizedSearchCV } from './model_selection/randomized_search.js';
import type { BaseSearchCV } from './model_selection/search_cv.js';
import { trainTestSplit } from './model_selection/train_test_split.js';
import { SVC } from './svc.js';
import { formatParams, formatTable } from './table.js';

/** One line of the demo's comparison table. */
export interface DemoRow {
  method: string;
  bestParams: Record<string, unknown>;
  cvScore: number;
  testScore: number;
  evaluations: number;
  seconds: number;
}

/**
 * The tutorial walkthrough: iris, an 80/20 split (seed 42, scikit-learn's rows),
 * an SVC tuned by grid search, random search, Bayesian optimisation and a
 * genetic algorithm, each scored by 5-fold CV, then tested on the held-out rows.
 */
export async function runDemo(log: (line: string) => void = console.log): Promise<DemoRow[]> {
  const { X, y } = loadIris();
  const [Xtr, Xte, ytr, yte] = trainTestSplit(X, y, { testSize: 0.2, randomState: 42 });
  log(`iris: ${Xtr.length} training rows, ${Xte.length} test rows (80/20 split, randomState 42)\n`);
  const rows: DemoRow[] = [];
  const run = async (method: string, search: BaseSearchCV): Promise<void> => {
    const t0 = performance.now();
    await search.fit(Xtr, ytr);
    const testScore = await search.score(Xte, yte);
    rows.push({
      method,
      bestParams: search.bestParams,
      cvScore: search.bestScore,
      testScore,
      evaluations: search.cvResults.params.length,
      seconds: (performance.now() - t0) / 1000,
    });
  };
  await run('grid search', new GridSearchCV(new SVC(), { C: [0.1, 1, 10, 100], kernel: ['linear', 'rbf'], gamma: ['scale', 'auto'] }, { cv: 5 }));
  await run('random search', new RandomizedSearchCV(new SVC(), { C: uniform(0, 100) }, { nIter: 50, cv: 5, randomState: 42 }));
  const cvScore = async (p: Record<string, unknown>): Promise<number> => {
    const scores = await crossValScore(new SVC({ kernel: 'rbf', C: p.C as number, gamma: p.gamma as number }), Xtr, ytr, { cv: 5 });
    return scores.reduce((a, b) => a + b, 0) / scores.length;
  };
  const testScore = async (p: Record<string, unknown>): Promise<number> => (await new SVC({ kernel: 'rbf', C: p.C as number, gamma: p.gamma as number }).fit(Xtr, ytr)).score(Xte, yte);
  const pbounds = { C: [0.1, 100], gamma: [0.001, 1] } as const;
  const t0 = performance.now();
  const bo = new BayesianOptimization({ f: cvScore, pbounds, randomState: 1, verbose: 0 });
  await bo.maximize({ initPoints: 5, nIter: 25 });
  const boBest = bo.max as { target: number; params: Record<string, unknown> };
  rows.push({
    method: 'Bayesian optimisation',
    bestParams: boBest.params,
    cvScore: boBest.target,
    testScore: await testScore(boBest.params),
    evaluations: bo.res.length,
    seconds: (performance.now() - t0) / 1000,
  });
  await run('genetic algorithm', new GeneticSearchCV(new SVC({ kernel: 'rbf' }), pbounds, { populationSize: 10, generations: 5, seed: 1, cv: 5 }));
  log(
    formatTable(
      ['method', 'best params', 'CV score', 'test score', 'evaluations', 'time'],
      rows.map((r) => [r.method, formatParams(r.bestParams), r.cvScore.toFixed(4), r.testScore.toFixed(4), String(r.evaluations), `${(r.seconds * 1000).toFixed(0)} ms`]),
    ),
  );
  return rows;
}
