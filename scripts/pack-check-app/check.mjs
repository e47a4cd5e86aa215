// Runs inside the throw-away project of scripts/pack-check.mjs.
import { createRequire } from 'node:module';
import { datasets, GridSearchCV, SVC, trainTestSplit } from 'tunekit';

const require = createRequire(import.meta.url);
const { X, y } = datasets.loadIris();
const [Xtr, Xte, ytr, yte] = trainTestSplit(X, y, { testSize: 0.2, randomState: 42 });
const grid = new GridSearchCV(new SVC(), { C: [0.1, 1, 10, 100], kernel: ['linear', 'rbf'], gamma: ['scale', 'auto'] }, { cv: 5 });
await grid.fit(Xtr, ytr);
const loadedFrom = Object.keys(require.cache).find((p) => p.endsWith('.node')) ?? '';
console.log(JSON.stringify({ bestParams: grid.bestParams, bestScore: grid.bestScore, testScore: await grid.score(Xte, yte), loadedFrom }));
