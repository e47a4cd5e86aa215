// SVM grid searches, tunekit against scikit-learn side by side in one run.
//   npm run bench            (needs bench/.venv: see bench/README.md)
// Prints a table of median wall times and ratios, checks that the mean test
// scores are identical, and writes bench/results/svm.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { datasets, GridSearchCV, SVC, trainTestSplit } from '../dist/index.js';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const tasks = [
  {
    name: 'seed grid (iris, 16 configs × 5 folds)',
    dataset: 'iris',
    split: { test_size: 0.2, random_state: 42 },
    grid: { C: [0.1, 1, 10, 100], kernel: ['linear', 'rbf'], gamma: ['scale', 'auto'] },
    cv: 5,
    repeats: REPEATS,
  },
  {
    name: 'RBF grid (digits, 25 configs × 5 folds)',
    dataset: 'digits',
    grid: { C: [0.1, 1, 10, 100, 1000], gamma: [1e-4, 3e-4, 1e-3, 3e-3, 1e-2] },
    cv: 5,
    repeats: REPEATS,
  },
];

const loaders = { iris: datasets.loadIris, digits: datasets.loadDigits };
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function tunekitSide(task) {
  let { X, y } = loaders[task.dataset]();
  if (task.split) [X, , y] = trainTestSplit(X, y, { testSize: task.split.test_size, randomState: task.split.random_state });
  const times = [];
  /** @type {number[]} */
  let scores = [];
  for (let r = 0; r <= task.repeats; r++) {
    const search = new GridSearchCV(new SVC(), task.grid, { cv: task.cv });
    const t0 = performance.now();
    await search.fit(X, y);
    times.push((performance.now() - t0) / 1000);
    scores = search.cvResults.meanTestScore;
  }
  return { seconds: median(times.slice(1)), mean_test_score: scores };
}

const python = process.env.BENCH_PYTHON ?? 'bench/.venv/bin/python';
const sk = JSON.parse(execFileSync(python, ['bench/svm_sklearn.py'], { input: JSON.stringify({ tasks }), encoding: 'utf8', maxBuffer: 1 << 26 }));
const rows = [];
for (const task of tasks) {
  const ours = await tunekitSide(task);
  const s1 = sk.tasks[task.name]['1'];
  const sAll = sk.tasks[task.name]['-1'];
  const same = ours.mean_test_score.filter((v, i) => v === sAll.mean_test_score[i]).length;
  rows.push({
    task: task.name,
    tunekit_s: ours.seconds,
    sklearn_n_jobs_1_s: s1.seconds,
    sklearn_n_jobs_all_s: sAll.seconds,
    speedup_vs_n_jobs_1: s1.seconds / ours.seconds,
    speedup_vs_n_jobs_all: sAll.seconds / ours.seconds,
    identical_mean_scores: `${same}/${ours.mean_test_score.length}`,
  });
}
const env = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, sklearn: sk.sklearn, numpy: sk.numpy, repeats: REPEATS };
console.log(`machine: ${env.cpus} × ${env.cpu}; node ${env.node}; scikit-learn ${env.sklearn}; median of ${REPEATS} warm runs, refit included\n`);
console.log('| task | tunekit | sklearn n_jobs=1 | sklearn n_jobs=-1 | speed-up vs n_jobs=1 | speed-up vs n_jobs=-1 | identical mean scores |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const ms = (s) => `${(s * 1000).toFixed(1)} ms`;
  console.log(
    `| ${r.task} | ${ms(r.tunekit_s)} | ${ms(r.sklearn_n_jobs_1_s)} | ${ms(r.sklearn_n_jobs_all_s)} | ${r.speedup_vs_n_jobs_1.toFixed(1)}× | ${r.speedup_vs_n_jobs_all.toFixed(1)}× | ${r.identical_mean_scores} |`,
  );
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/svm.json', JSON.stringify({ env, rows }, null, 2));
