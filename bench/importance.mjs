// Parameter importance, tunekit against Optuna 5.1 in one run (see
// bench/peers/importance.py): 1 000 COMPLETE trials of a 10-parameter mixed
// space (five floats, one of them log-scale, two ints, one of them stepped,
// two categoricals, and a parameter without effect) made by RandomSampler
// (seed 0) are evaluated by PED-ANOVA (defaults) and fANOVA (64 trees, depth
// 64, seed 0) by both libraries on the same trials (written to
// bench/results/importance_trials.json and read by the peer). Reported: the
// median seconds per call (paramImportances(study) / get_param_importances
// on an in-memory study), the ratio, and the rank agreement of the two
// libraries' importances (Spearman).
//
//   node bench/importance.mjs [--cached] [--trials N]
import { writeFileSync } from 'node:fs';
import { closeStorages, createStudy, NopPruner, paramImportances, RandomSampler } from '../dist/index.js';
import { flags, fmt, median, peerResults, RESULTS, table } from './peers.mjs';

const opts = flags();
const N = Number(opts.trials ?? 1000);
const REPEATS = 5;

/** @param {import('../dist/index.js').Trial} t */
function objective(t) {
  let s = 0;
  s += 10 * t.suggestFloat('x0', -5, 5) ** 2;
  s += 15 * t.suggestFloat('x1', -5, 5);
  s += 30 * Math.sin(t.suggestFloat('x2', -5, 5));
  s += 5 * Math.abs(t.suggestFloat('x3', -5, 5));
  s += 20 * (Math.log10(t.suggestFloat('lr', 1e-5, 1e-1, { log: true })) + 3) ** 2;
  s += 2 * (t.suggestInt('layers', 1, 16) - 6) ** 2;
  s += 3 * t.suggestInt('batch', 0, 64, { step: 8 });
  s += { adam: 0, sgd: 60, rmsprop: 20, adagrad: 40 }[t.suggestCategorical('optimizer', ['adam', 'sgd', 'rmsprop', 'adagrad'])];
  s += { relu: 0, tanh: 30, gelu: 10 }[t.suggestCategorical('activation', ['relu', 'tanh', 'gelu'])];
  t.suggestFloat('dummy', 0, 1);
  return s;
}

const study = await createStudy({ sampler: new RandomSampler({ seed: 0 }), pruner: new NopPruner() });
await study.optimize(objective, { nTrials: N });
const trials = await study.trials();
const trialsPath = `${RESULTS}importance_trials.json`;
writeFileSync(trialsPath, JSON.stringify({ direction: 'minimize', distributions: trials[0].distributions, trials: trials.map((t) => ({ params: t.params, value: t.values?.[0] })) }));
const peers = peerResults('importance.py', ['--trials', trialsPath], 'importance_peers.json', Boolean(opts.cached));

const ours = {};
for (const evaluator of /** @type {const} */ (['ped-anova', 'fanova'])) {
  const times = [];
  let importances;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    importances = await paramImportances(study, { evaluator, seed: 0 });
    times.push((performance.now() - t0) / 1000);
  }
  ours[evaluator] = { seconds: median(times), importances };
}
await closeStorages();

function spearman(a, b) {
  const names = Object.keys(a);
  const rank = (o) => {
    const sorted = [...names].sort((x, y) => o[x] - o[y]);
    return Object.fromEntries(sorted.map((n, i) => [n, i]));
  };
  const [ra, rb] = [rank(a), rank(b)];
  const n = names.length;
  const d2 = names.reduce((s, k) => s + (ra[k] - rb[k]) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

const p = peers?.results;
const rows = ['ped-anova', 'fanova'].map((e) => {
  const o = ours[e];
  const q = p?.[e];
  return [
    e === 'fanova' ? 'fANOVA (64 trees)' : 'PED-ANOVA',
    `${fmt(o.seconds * 1000)} ms`,
    q === undefined ? '—' : `${fmt(q.seconds * 1000)} ms`,
    q === undefined ? '—' : `${(q.seconds / o.seconds).toFixed(1)}×`,
    q === undefined ? '—' : spearman(o.importances, q.importances).toFixed(3),
    Object.keys(o.importances).slice(0, 3).join(', '),
  ];
});
console.log(
  `\nParameter importance: ${N} trials, 10 parameters (median of ${REPEATS} calls; Optuna: ${peers?.settings?.repeats ?? '—'} PED-ANOVA, ${peers?.settings?.fanova_repeats ?? '—'} fANOVA)\n`,
);
console.log(table(['evaluator', 'tunekit', 'Optuna 5.1', 'Optuna ÷ tunekit', 'Spearman (ranks)', 'tunekit top 3'], rows));
writeFileSync(`${RESULTS}importance.json`, JSON.stringify({ n: N, tunekit: ours, peers: p ?? null }, null, 1));
