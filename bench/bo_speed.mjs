// Bayesian-optimisation speed: time to propose the next point (GP fit
// included) with n = 50, 200, 500, 1000 observations of Hartmann-6, tunekit
// against bayes_opt and Optuna's GPSampler on the same points, in one run.
//
//   node bench/bo_speed.mjs [--repeats 3] [--cached]
//
// Every proposal is cold: a fresh optimiser with the n points registered, as
// the peers are timed (see bench/peers/bo_speed.py). tunekit's warm figure
// (hyper-parameters of the previous fit as the starting point, what
// BayesianOptimization.maximize and the study runtime do step after step) is
// shown as well.
import { writeFileSync } from 'node:fs';
import { BayesianOptimization } from '../dist/index.js';
import { FUNCTIONS } from './functions.mjs';
import { flags, fmt, median, peerResults, RESULTS, table } from './peers.mjs';

const opts = flags();
const REPEATS = Number(opts.repeats ?? 3);
const NS = [50, 200, 500, 1000];
const names = Array.from({ length: 6 }, (_, i) => `x${String(i).padStart(2, '0')}`);

const peers = peerResults('bo_speed.py', ['--ns', NS.join(','), '--dim', '6', '--repeats', String(REPEATS)], 'bo_speed_peers.json', Boolean(opts.cached));

// The peers' points, or the same kind of points if the peers could not run.
let X;
let y;
if (peers !== null) ({ X, y } = peers.data);
else {
  let s = 1;
  const rand = () => (s = (s * 48271) % 2147483647) / 2147483647;
  X = Array.from({ length: Math.max(...NS) }, () => names.map(rand));
  y = X.map((row) => FUNCTIONS.hartmann6.f(row));
}

function optimiser(n) {
  const bo = new BayesianOptimization({ pbounds: Object.fromEntries(names.map((k) => [k, [0, 1]])), randomState: 0, verbose: 0 });
  for (let i = 0; i < n; i++) bo.register(Object.fromEntries(names.map((k, j) => [k, X[i][j]])), -y[i]);
  return bo;
}

async function time(f) {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

await optimiser(NS[0]).suggest(); // warm-up, untimed
const ours = { cold: {}, warm: {} };
for (const n of NS) {
  const cold = [];
  const warm = [];
  for (let r = 0; r < REPEATS; r++) {
    cold.push(await time(() => optimiser(n).suggest()));
    // Warm: fit at n − 1 points, register the n-th, time the next proposal.
    const bo = optimiser(n - 1);
    await bo.suggest();
    bo.register(Object.fromEntries(names.map((k, j) => [k, X[n - 1][j]])), -y[n - 1]);
    warm.push(await time(() => bo.suggest()));
  }
  ours.cold[n] = median(cold);
  ours.warm[n] = median(warm);
}

const peerNames = peers === null ? [] : Object.keys(peers.results);
console.log(`\nseconds to propose the next point, Hartmann-6, median of ${REPEATS}\n`);
console.log(
  table(
    ['n', 'tunekit (cold)', 'tunekit (warm)', ...peerNames, ...peerNames.map((p) => `${p} ÷ tunekit cold`)],
    NS.map((n) => [String(n), fmt(ours.cold[n]), fmt(ours.warm[n]), ...peerNames.map((p) => fmt(peers.results[p][n])), ...peerNames.map((p) => `${(peers.results[p][n] / ours.cold[n]).toFixed(1)}×`)]),
  ),
);
writeFileSync(`${RESULTS}bo_speed.json`, JSON.stringify({ repeats: REPEATS, tunekit: ours, peers: peers?.results ?? null }, null, 1));
