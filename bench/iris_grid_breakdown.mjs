// Where the time of the seed's small grid search goes (issue 11, item 6).
//
//   node bench/iris_grid_breakdown.mjs        (after npm run build)
//
// GridSearchCV(SVC(), { C: [0.1, 1, 10, 100], kernel: ['linear', 'rbf'],
// gamma: ['scale', 'auto'] }, { cv: 5 }) on datasets.loadIris(): 16 candidates
// × 5 folds, refit on all data. Prints the median and p90 wall time of one
// warm `fit` over BENCH_RUNS runs (default 200), then the same runs split by
// phase, timed inside `BaseSearchCV.fit` (the timing hook is compiled in but
// only active with TUNEKIT_FIT_PHASES=1, set below before the library loads):
//
//   prepare        X number[][] → Float64Array, label encoding, folds (JS)
//   crossValidate  the one native call for every candidate × fold (option
//                  mapping in JS, the AsyncTask, the Rust work, the result)
//   assemble       cvResults, ranks and the best candidate (JS)
//   refit          the best candidate refitted on all of X (its own fit)
//
// and, for scale, the native cross-validation call alone (already-prepared
// inputs) and one SVC fit on all of iris.
process.env.TUNEKIT_FIT_PHASES = '1';

const { datasets, SVC, GridSearchCV, trainTestSplit } = await import('../dist/index.js');
const { fitPhases } = await import('../dist/model_selection/search_cv.js');
const { prepareData, scoreConfigs } = await import('../dist/model_selection/cross_validation.js');

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const GRID = { C: [0.1, 1, 10, 100], kernel: ['linear', 'rbf'], gamma: ['scale', 'auto'] };

function quantile(sorted, q) {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p90: quantile(s, 0.9) };
}

const ms = (v) => `${v.toFixed(3)} ms`;

async function timeAsync(fn, runs) {
  await fn(); // warm-up
  const out = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function breakdown(name, X, y) {
  const newGrid = () => new GridSearchCV(new SVC(), GRID, { cv: 5 });
  const first = newGrid();
  let t = performance.now();
  await first.fit(X, y);
  const cold = performance.now() - t;

  const total = [];
  const phases = { prepare: [], crossValidate: [], assemble: [], refit: [] };
  for (let r = 0; r < RUNS; r++) {
    const grid = newGrid();
    t = performance.now();
    await grid.fit(X, y);
    total.push(performance.now() - t);
    for (const k of Object.keys(phases)) phases[k].push(fitPhases[k]);
  }

  // the native cross-validation call alone, inputs prepared once
  const data = prepareData(X, y, 5);
  const base = new SVC().getParams();
  const configs = first.cvResults.params.map((p) => ({ ...base, ...p }));
  const nativeOnly = await timeAsync(() => scoreConfigs(data, configs, undefined), RUNS);

  const tot = summary(total);
  console.log(`\n${name}: ${X.length} rows, 16 candidates × 5 folds, ${RUNS} warm runs (first fit ${ms(cold)})`);
  console.log(`  best ${JSON.stringify(first.bestParams)} score ${first.bestScore}`);
  console.log(`  total fit         median ${ms(tot.median)}   p90 ${ms(tot.p90)}`);
  for (const [k, v] of Object.entries(phases)) {
    const s = summary(v);
    console.log(`  ${k.padEnd(17)} median ${ms(s.median)}   p90 ${ms(s.p90)}`);
  }
  const n = summary(nativeOnly);
  console.log(`  (native CV call alone, prepared inputs: median ${ms(n.median)}   p90 ${ms(n.p90)})`);
  return tot;
}

const { X, y } = datasets.loadIris();
const [Xtr, , ytr] = trainTestSplit(X, y, { testSize: 0.2, randomState: 42 });

console.log(
  `node ${process.version}, ${(await import('node:os')).availableParallelism()} cores, load average ${(await import('node:os'))
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
await breakdown('iris (loadIris, all 150 rows)', X, y);
await breakdown("iris 80 % split (README's Xtr)", Xtr, ytr);

const single = summary(await timeAsync(() => new SVC().fit(X, y), RUNS));
console.log(`\none SVC().fit on iris (150 rows): median ${ms(single.median)}   p90 ${ms(single.p90)}`);
