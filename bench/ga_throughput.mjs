// Genetic-algorithm throughput: generations per second with population 100,
// 30 float genes in [-5, 5] and a sphere fitness (negligible cost, so this
// measures the library), tunekit against PyGAD, DEAP and Optuna's NSGA-II in
// one run. A run is the initial population plus G generations; generations
// per second = G / wall time of the run; median over the runs.
//
//   node bench/ga_throughput.mjs [--generations 20] [--runs 5] [--cached]
import { writeFileSync } from 'node:fs';
import { GeneticAlgorithm } from '../dist/index.js';
import { flags, fmt, median, peerResults, RESULTS, table } from './peers.mjs';

const opts = flags();
const G = Number(opts.generations ?? 20);
const RUNS = Number(opts.runs ?? 5);
const names = Array.from({ length: 30 }, (_, i) => `x${String(i).padStart(2, '0')}`);
const space = Object.fromEntries(names.map((n) => [n, [-5, 5]]));
const sphere = (p) => {
  let s = 0;
  for (const n of names) s += p[n] * p[n];
  return s;
};

const peers = peerResults('ga_throughput.py', ['--generations', String(G), '--runs', String(RUNS)], 'ga_throughput_peers.json', Boolean(opts.cached));

const sphereArray = (x) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
};

// mode: 'params' (an object per individual), 'array' (a Float64Array per individual), 'batched' (runBatched, objects)
async function timeRun(seed, mode) {
  const ga = new GeneticAlgorithm({ space, populationSize: 100, generations: G + 1, seed, directions: 'minimize', genes: mode === 'array' ? 'array' : 'params' });
  const t0 = performance.now();
  const r = mode === 'batched' ? await ga.runBatched((batch) => batch.map(sphere)) : await ga.run(mode === 'array' ? sphereArray : sphere);
  const seconds = (performance.now() - t0) / 1000;
  if (r.evaluations !== (G + 1) * 100) throw new Error(`expected ${(G + 1) * 100} evaluations, got ${r.evaluations}`);
  return seconds;
}

const MODES = [
  ['tunekit run(f), genes as arrays', 'array'],
  ['tunekit run(f), genes as params objects', 'params'],
  ['tunekit runBatched, params objects', 'batched'],
];
for (let w = 0; w < 12; w++) await timeRun(1000 + w, MODES[w % 3][1]); // warm-up (JIT), untimed
const ours = {};
for (const [label, mode] of MODES) {
  const seconds = [];
  for (let s = 0; s < RUNS; s++) seconds.push(await timeRun(s, mode));
  ours[label] = { generations_per_second: G / median(seconds), seconds };
}

const rows = Object.entries(ours).map(([k, v]) => [k, fmt(v.generations_per_second), '—', '—']);
const fast = ours[MODES[0][0]].generations_per_second;
const objects = ours[MODES[1][0]].generations_per_second;
for (const [p, v] of Object.entries(peers?.results ?? {})) {
  rows.push([p, fmt(v.generations_per_second), `${(fast / v.generations_per_second).toFixed(1)}×`, `${(objects / v.generations_per_second).toFixed(1)}×`]);
}
console.log(`\ngenerations per second, population 100, 30 genes, sphere, ${G} generations, median of ${RUNS} runs\n`);
console.log(table(['library', 'generations/s', 'tunekit (arrays) ÷ library', 'tunekit (objects) ÷ library'], rows));
writeFileSync(`${RESULTS}ga_throughput.json`, JSON.stringify({ generations: G, runs: RUNS, tunekit: ours, peers: peers?.results ?? null }, null, 1));
