// Genetic-algorithm throughput: generations per second with population 100,
// 30 float genes in [-5, 5] and a sphere fitness (negligible cost, so this
// measures the library), tunekit against PyGAD, DEAP and Optuna's NSGA-II in
// one run. A run is the initial population plus G generations; generations
// per second = G / wall time of the run.
//
// This machine's speed drifts (by up to 2× over minutes), so the measure is
// interleaved: each of R rounds runs PyGAD and DEAP once (a fresh Python
// process, imports and a warm-up untimed), then tunekit RUNS times in each
// mode (median); a round's ratio compares runs made within seconds of each other, and
// the table gives the median over rounds of the generations per second and of
// the ratios. Optuna's NSGA-II (seconds per run, hundreds of times slower)
// runs once, two runs, before the rounds.
//
//   node bench/ga_throughput.mjs [--generations 20] [--rounds 9] [--runs 9] [--cached]
import { writeFileSync } from 'node:fs';
import { GeneticAlgorithm, SearchSpace } from '../dist/index.js';
import { flags, fmt, median, peerResults, RESULTS, table } from './peers.mjs';

const opts = flags();
const G = Number(opts.generations ?? 20);
const ROUNDS = Number(opts.rounds ?? 9);
const RUNS = Number(opts.runs ?? 9); // tunekit runs per mode and round (a run is a few milliseconds: GC and JIT jitter)
const cached = Boolean(opts.cached);
const names = Array.from({ length: 30 }, (_, i) => `x${String(i).padStart(2, '0')}`);
const space = Object.fromEntries(names.map((n) => [n, /** @type {[number, number]} */ ([-5, 5])]));
// The objective reads every parameter by name, as an objective over this space would.
const sphere = (p) => {
  let s = 0;
  for (const n of names) s += p[n] * p[n];
  return s;
};
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

const optuna = peerResults('ga_throughput.py', ['--generations', String(G), '--runs', '2', '--peers', 'optuna_nsga2'], 'ga_throughput_optuna.json', cached);
const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  const peers = peerResults('ga_throughput.py', ['--generations', String(G), '--runs', '1', '--first-seed', String(r), '--peers', 'pygad,deap'], `ga_throughput_round${r}.json`, cached);
  const ours = {};
  for (const [label, mode] of MODES) {
    const seconds = [];
    for (let k = 0; k < RUNS; k++) seconds.push(await timeRun(100 * r + k, mode));
    ours[label] = G / median(seconds);
  }
  const theirs = Object.fromEntries(Object.entries(peers?.results ?? {}).map(([p, v]) => [p, v.generations_per_second]));
  rounds.push({ tunekit: ours, peers: theirs });
  console.log(
    `round ${r + 1}/${ROUNDS}: ${Object.entries({ ...ours, ...theirs })
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ')}`,
  );
}

// The parameter-object objective by itself: G generations of 100 calls on prebuilt objects
// (what no library can go below with this objective), median of 9 runs.
const prebuilt = (() => {
  const s = new SearchSpace(space);
  return Array.from({ length: 100 }, (_, i) => s.fromValues(names.map((_, j) => ((i * 31 + j * 7) % 100) / 10 - 5)));
})();
const objectiveAlone = (() => {
  const seconds = [];
  let sink = 0;
  for (let r = 0; r < 9; r++) {
    const t0 = performance.now();
    for (let g = 0; g < G; g++) for (const p of prebuilt) sink += sphere(p);
    seconds.push((performance.now() - t0) / 1000);
  }
  if (Number.isNaN(sink)) throw new Error('unreachable');
  return G / median(seconds);
})();

const perRound = (f) => median(rounds.map(f));
const rows = MODES.map(([label]) => [label, fmt(perRound((x) => x.tunekit[label])), '—', '—']);
for (const p of Object.keys(rounds[0]?.peers ?? {})) {
  rows.push([p, fmt(perRound((x) => x.peers[p])), `${perRound((x) => x.tunekit[MODES[0][0]] / x.peers[p]).toFixed(1)}×`, `${perRound((x) => x.tunekit[MODES[1][0]] / x.peers[p]).toFixed(1)}×`]);
}
rows.push(['(the objects objective alone, on 100 prebuilt objects)', fmt(objectiveAlone), '—', '—']);
for (const [p, v] of Object.entries(optuna?.results ?? {})) {
  // one measure, before the rounds: its ratio uses tunekit's median over the rounds
  rows.push([
    p,
    fmt(v.generations_per_second),
    `${(perRound((x) => x.tunekit[MODES[0][0]]) / v.generations_per_second).toFixed(0)}×`,
    `${(perRound((x) => x.tunekit[MODES[1][0]]) / v.generations_per_second).toFixed(0)}×`,
  ]);
}
console.log(`\ngenerations per second, population 100, 30 genes, sphere, ${G} generations; median over ${ROUNDS} interleaved rounds (ratios: median of the rounds' ratios)\n`);
console.log(table(['library', 'generations/s', 'tunekit (arrays) ÷ library', 'tunekit (objects) ÷ library'], rows));
writeFileSync(`${RESULTS}ga_throughput.json`, JSON.stringify({ generations: G, rounds, optuna: optuna?.results ?? null, objectiveAlone }, null, 1));
