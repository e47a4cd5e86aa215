// Study overhead: seconds per trial of the study machinery, tunekit against
// Optuna in one run (see bench/peers/study_overhead.py for the peer side):
// ask + tell with a RandomSampler and a trivial objective on memory (median of
// 11 runs after a warm-up) and SQLite storage, and GPSampler / GeneticSampler (NSGA-II) per-trial cost with 100
// and 500 stored trials.
//
//   node bench/study_overhead.mjs [--cached]
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeStorages, createStudy, GeneticSampler, GPSampler, loadStudy, MemoryStorage, NopPruner, RandomSampler, SqliteStorage } from '../dist/index.js';
import { flags, fmt, median, peerResults, RESULTS, table } from './peers.mjs';

const opts = flags();
const MEMORY_TRIALS = 2000;
const SQLITE_TRIALS = 300;
const NS = [100, 500];
const REPEATS = 11;

const peers = peerResults(
  'study_overhead.py',
  ['--memory-trials', String(MEMORY_TRIALS), '--sqlite-trials', String(SQLITE_TRIALS), '--ns', NS.join(','), '--repeats', String(REPEATS)],
  'study_overhead_peers.json',
  Boolean(opts.cached),
);

async function askTell(storage, n) {
  const study = await createStudy({ storage, sampler: new RandomSampler({ seed: 0 }), pruner: new NopPruner() });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const trial = await study.ask();
    const x = trial.suggestFloat('x', -5, 5);
    trial.suggestInt('k', 1, 1000, { log: true });
    trial.suggestCategorical('c', ['a', 'b', 'c']);
    await study.tell(trial, x);
  }
  return (performance.now() - t0) / 1000 / n;
}

function sphere6(trial) {
  const xs = Array.from({ length: 6 }, (_, i) => trial.suggestFloat(`x${i}`, -5, 5));
  return [xs.reduce((a, v) => a + v * v, 0), xs.reduce((a, v) => a + (v - 1) ** 2, 0)];
}

async function modelBased(kind, n) {
  const storage = new MemoryStorage();
  /** @type {import('../dist/index.js').StudyDirection[]} */
  const directions = kind === 'gp' ? ['minimize'] : ['minimize', 'minimize'];
  const objective = kind === 'gp' ? (t) => sphere6(t)[0] : sphere6;
  const first = await createStudy({ name: 's', storage, directions, sampler: new RandomSampler({ seed: 0 }), pruner: new NopPruner() });
  await first.optimize(objective, { nTrials: n });
  const sampler = kind === 'gp' ? new GPSampler({ seed: 0 }) : new GeneticSampler({ seed: 0, populationSize: 50 });
  const study = await loadStudy({ name: 's', storage, sampler, pruner: new NopPruner() });
  const times = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    const trial = await study.ask();
    await study.tell(trial, objective(trial));
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

// Warm-up (V8 compiles the hot path in tiers over the first few thousand
// trials: 3 runs), then the median of REPEATS runs of MEMORY_TRIALS, each in a
// fresh storage, as on the Python side (which has no JIT to warm).
for (let r = 0; r < 3; r++) await askTell(new MemoryStorage(), MEMORY_TRIALS);
const memoryRuns = [];
for (let r = 0; r < REPEATS; r++) memoryRuns.push(await askTell(new MemoryStorage(), MEMORY_TRIALS));
const ours = { memory: median(memoryRuns) };
const file = join(tmpdir(), `tunekit-bench-${process.pid}.db`);
const sqlite = new SqliteStorage(file);
ours.sqlite = await askTell(sqlite, SQLITE_TRIALS);
await sqlite.close();
for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
ours.gp = {};
ours.nsga2 = {};
for (const n of NS) {
  ours.gp[n] = await modelBased('gp', n);
  ours.nsga2[n] = await modelBased('nsga2', n);
}
await closeStorages();

const p = peers?.results;
const ms = (s) => (s === undefined ? '—' : `${fmt(s * 1000)} ms`);
const ratio = (theirs, mine) => (theirs === undefined ? '—' : `${(theirs / mine).toFixed(1)}×`);
const rows = [
  ['ask + tell, RandomSampler, memory', ms(ours.memory), ms(p?.memory), ratio(p?.memory, ours.memory)],
  ['ask + tell, RandomSampler, SQLite', ms(ours.sqlite), ms(p?.sqlite), ratio(p?.sqlite, ours.sqlite)],
  ...NS.map((n) => [`GPSampler, ${n} trials stored`, ms(ours.gp[n]), ms(p?.gp?.[n]), ratio(p?.gp?.[n], ours.gp[n])]),
  ...NS.map((n) => [`GeneticSampler vs NSGAIISampler, ${n} trials stored`, ms(ours.nsga2[n]), ms(p?.nsga2?.[n]), ratio(p?.nsga2?.[n], ours.nsga2[n])]),
];
console.log('\nseconds per trial of the study machinery (trivial objective)\n');
console.log(table(['what', 'tunekit', 'Optuna', 'Optuna ÷ tunekit'], rows));
writeFileSync(`${RESULTS}study_overhead.json`, JSON.stringify({ tunekit: ours, peers: p ?? null }, null, 1));
