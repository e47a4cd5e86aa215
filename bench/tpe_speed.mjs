// TPE propose time, tunekit against Optuna 5's TPESampler in one run (see
// bench/peers/tpe_speed.py): a study with n COMPLETE trials of a mixed
// 6-parameter space made by a random sampler is reloaded with TPESampler
// (seed 0, defaults: multivariate with one objective); WARMUP ask + tell
// rounds run untimed (on both sides: the first asks of a process pay for V8's
// compilation of the hot path and, here, for encoding the stored trials once),
// then the median of REPEATS further rounds is reported. In-memory storage.
//
//   node bench/tpe_speed.mjs [--cached]
import { writeFileSync } from 'node:fs';
import { closeStorages, createStudy, loadStudy, MemoryStorage, NopPruner, RandomSampler, TPESampler } from '../dist/index.js';
import { flags, fmt, median, peerResults, RESULTS, table } from './peers.mjs';

const opts = flags();
const NS = [100, 1000];
const REPEATS = 21;
const WARMUP = 5;
const peers = peerResults('tpe_speed.py', ['--ns', NS.join(','), '--repeats', String(REPEATS), '--warmup', String(WARMUP)], 'tpe_speed_peers.json', Boolean(opts.cached));

/** @param {import('../dist/index.js').Trial} trial */
function objective(trial) {
  let s = 0;
  for (let i = 0; i < 3; i++) s += (trial.suggestFloat(`x${i}`, -5, 5) - 1) ** 2;
  s += (Math.log10(trial.suggestFloat('lr', 1e-5, 1, { log: true })) + 3) ** 2;
  s += (trial.suggestInt('k', 1, 20) - 7) ** 2;
  s += trial.suggestCategorical('c', ['a', 'b', 'c', 'd']) === 'b' ? 0 : 4;
  return s;
}

const ours = {};
for (const n of NS) {
  const storage = new MemoryStorage();
  const first = await createStudy({ name: 's', storage, sampler: new RandomSampler({ seed: 0 }), pruner: new NopPruner() });
  await first.optimize(objective, { nTrials: n });
  const study = await loadStudy({ name: 's', storage, sampler: new TPESampler({ seed: 0 }), pruner: new NopPruner() });
  for (let r = 0; r < WARMUP; r++) {
    const trial = await study.ask();
    await study.tell(trial, objective(trial));
  }
  const times = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    const trial = await study.ask();
    await study.tell(trial, objective(trial));
    times.push((performance.now() - t0) / 1000);
  }
  ours[n] = median(times);
}
await closeStorages();

const p = peers?.results;
const rows = NS.map((n) => [`${n} trials stored`, `${fmt(ours[n] * 1000)} ms`, p?.[n] === undefined ? '—' : `${fmt(p[n] * 1000)} ms`, p?.[n] === undefined ? '—' : `${(p[n] / ours[n]).toFixed(1)}×`]);
console.log('\nTPE ask + tell per trial (6 mixed parameters, multivariate)\n');
console.log(table(['history', 'tunekit TPESampler', 'Optuna TPESampler', 'Optuna ÷ tunekit'], rows));
writeFileSync(`${RESULTS}tpe_speed.json`, JSON.stringify({ tunekit: ours, peers: p ?? null }, null, 1));
