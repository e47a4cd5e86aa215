// AutoSampler against each single tunekit sampler, per benchmark (issue 13,
// item 6). Reads the last results of bench/hpo_real.mjs, bench/bbob.mjs,
// bench/conditional.mjs and bench/failure_aware.mjs (bench/results/*.json; run
// those first) and prints, per benchmark, the metric its docs section uses
// and a paired comparison of AutoSampler with each of GPSampler, TPESampler,
// CmaEsSampler and RandomSampler.
//
// "Better", "level" or "worse" is judged on the runs paired by problem and
// seed (same problem, same seed, hence the same instance and the same noise):
// wins and losses of AutoSampler, ties dropped, and a two-sided sign test;
// p < 0.05 is better or worse, otherwise level (within the seed noise).
//
//   node bench/auto_summary.mjs
import { existsSync, readFileSync } from 'node:fs';
import { fmt, median, RESULTS, table } from './peers.mjs';
import { mean } from './ranks.mjs';

const SINGLE = ['tunekit_gp', 'tunekit_tpe', 'tunekit_cmaes', 'tunekit_random'];

/** @param {string} name */
function load(name) {
  const path = `${RESULTS}${name}.json`;
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
}

/** Two-sided sign test: P(|wins − losses| at least as large) under p = 1/2. @param {number} w @param {number} l */
export function signTest(w, l) {
  const n = w + l;
  if (n === 0) return 1;
  const k = Math.min(w, l);
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log((n - i + 1) / i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/**
 * Paired comparison of a and b over cells (lower is better after `sign`).
 * @param {[number | null, number | null][]} pairs
 */
function paired(pairs) {
  let w = 0;
  let l = 0;
  let t = 0;
  for (const [a, b] of pairs) {
    if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (a < b) w++;
    else if (a > b) l++;
    else t++;
  }
  const p = signTest(w, l);
  const verdict = p >= 0.05 ? 'level' : w > l ? 'better' : 'worse';
  return { w, l, t, p, verdict };
}

/** @type {{ benchmark: string, metric: string, values: Record<string, string>, verdicts: Record<string, ReturnType<typeof paired> | null> }[]} */
const rows = [];

// (1) real HPO tables: noise-free value of the incumbent, mean rank among all samplers of the run.
const hpo = load('hpo_real');
if (hpo !== null && hpo.truth !== undefined) {
  /** @param {string} s */
  const cells = (s) => Object.keys(hpo.truth).flatMap((p) => (hpo.truth[p][s] ?? []).map((/** @type {number | null} */ v) => (v === null ? null : hpo.directions[p] === 'maximize' ? -v : v)));
  const auto = cells('tunekit_auto');
  rows.push({
    benchmark: `real HPO tables (${Object.keys(hpo.truth).length} problems × ${hpo.settings.seeds} seeds)`,
    metric: 'mean rank of the noise-free incumbent (of 9)',
    values: Object.fromEntries(['tunekit_auto', ...SINGLE].map((s) => [s, hpo.meanRank?.[s] === undefined ? '—' : hpo.meanRank[s].toFixed(2)])),
    verdicts: Object.fromEntries(SINGLE.map((s) => [s, hpo.truth[Object.keys(hpo.truth)[0]][s] === undefined ? null : paired(auto.map((a, i) => [a, cells(s)[i] ?? null]))])),
  });
}

// (2) BBOB: final f − f_opt; the geometric mean over the cells of each cell's median.
const bbob = load('bbob');
if (bbob !== null) {
  const keys = Object.keys(bbob.tunekit).filter((k) => bbob.tunekit[k].tunekit_auto?.best?.length > 0);
  /** @param {string} s */
  const cells = (s) => keys.flatMap((k) => (bbob.tunekit[k].tunekit_auto.best ?? []).map((/** @type {number} */ _, /** @type {number} */ i) => bbob.tunekit[k][s]?.best?.[i] ?? null));
  /** @param {string} s */
  const geo = (s) => {
    const have = keys.filter((k) => bbob.tunekit[k][s]?.best?.length > 0);
    if (have.length === 0) return '—';
    /** @param {string} x */
    const g = (x) => fmt(Math.exp(mean(have.map((k) => Math.log(median(bbob.tunekit[k][x].best))))));
    return have.length < keys.length ? `${g(s)} (${have.length} cells only; AutoSampler on them: ${g('tunekit_auto')})` : g(s);
  };

  const auto = cells('tunekit_auto');
  rows.push({
    benchmark: `BBOB (${keys.length} function × dimension cells × ${bbob.settings.seeds} seeds, 100·D evaluations)`,
    metric: 'geometric mean over cells of the median final f − f_opt',
    values: Object.fromEntries(['tunekit_auto', ...SINGLE].map((s) => [s, geo(s)])),
    verdicts: Object.fromEntries(SINGLE.map((s) => [s, cells(s).every((v) => v === null) ? null : paired(auto.map((a, i) => [a, cells(s)[i] ?? null]))])),
  });
}

// (3) conditional space: best error, mean rank among all samplers of the run.
const cond = load('conditional');
if (cond !== null && cond.best.tunekit_auto !== undefined) {
  rows.push({
    benchmark: `conditional space (${cond.settings.seeds} seeds × ${cond.settings.trials} trials)`,
    metric: 'mean rank of the best error (of 9); mean best error',
    values: Object.fromEntries(['tunekit_auto', ...SINGLE].map((s) => [s, cond.best[s] === undefined ? '—' : `${cond.meanRank[s].toFixed(2)}; ${fmt(mean(cond.best[s]))}`])),
    verdicts: Object.fromEntries(
      SINGLE.map((s) => [s, cond.best[s] === undefined ? null : paired(cond.best.tunekit_auto.map((/** @type {number} */ a, /** @type {number} */ i) => [a, cond.best[s][i]]))]),
    ),
  });
}

// (4) failure case: failed trials of 40 and best value, over 1, 2 and 3 floats × seeds; judged on the best value.
const fail = load('failure_aware');
if (fail !== null && fail.tunekit['1']['tunekit AutoSampler'] !== undefined) {
  const names = { tunekit_auto: 'tunekit AutoSampler', tunekit_gp: 'tunekit GP', tunekit_tpe: 'tunekit TPE', tunekit_cmaes: 'tunekit CMA-ES', tunekit_random: 'tunekit random' };
  const dims = Object.keys(fail.tunekit);
  /** @param {string} s @param {'failed' | 'best'} what */
  const cells = (s, what) => dims.flatMap((d) => fail.tunekit[d][names[/** @type {keyof typeof names} */ (s)]]?.[what] ?? []);
  rows.push({
    benchmark: `failure case (${dims.length} settings × ${fail.tunekit['1']['tunekit GP'].best.length} seeds × 40 trials)`,
    metric: 'mean failed trials of 40; mean best value',
    values: Object.fromEntries(['tunekit_auto', ...SINGLE].map((s) => [s, cells(s, 'best').length === 0 ? '—' : `${fmt(mean(cells(s, 'failed')))}; ${fmt(mean(cells(s, 'best')))}`])),
    verdicts: Object.fromEntries(
      SINGLE.map((s) => {
        const b = cells(s, 'best');
        return [s, b.length === 0 ? null : paired(cells('tunekit_auto', 'best').map((a, i) => [a, b[i] ?? null]))];
      }),
    ),
  });
}

const short = { tunekit_auto: 'AutoSampler', tunekit_gp: 'GP', tunekit_tpe: 'TPE', tunekit_cmaes: 'CMA-ES', tunekit_random: 'random' };
console.log('\n## AutoSampler against each single tunekit sampler, per benchmark\n');
console.log(
  table(
    ['benchmark', 'metric', ...['tunekit_auto', ...SINGLE].map((s) => short[/** @type {keyof typeof short} */ (s)])],
    rows.map((r) => [r.benchmark, r.metric, ...['tunekit_auto', ...SINGLE].map((s) => r.values[s] ?? '—')]),
  ),
);
console.log('\nAutoSampler against each, paired by problem and seed: wins / losses / ties, sign-test p, verdict (p < 0.05)\n');
console.log(
  table(
    ['benchmark', ...SINGLE.map((s) => short[/** @type {keyof typeof short} */ (s)])],
    rows.map((r) => [
      r.benchmark,
      ...SINGLE.map((s) => (r.verdicts[s] == null ? 'not run' : `${r.verdicts[s].w} / ${r.verdicts[s].l} / ${r.verdicts[s].t}, p = ${fmt(r.verdicts[s].p)}: ${r.verdicts[s].verdict}`)),
    ]),
  ),
);
console.log('\nCount of benchmarks where AutoSampler is better / level / worse\n');
console.log(
  table(
    ['against', 'better', 'level', 'worse', 'not run'],
    SINGLE.map((s) => {
      const v = rows.map((r) => r.verdicts[s]?.verdict ?? 'not run');
      return [short[/** @type {keyof typeof short} */ (s)], ...['better', 'level', 'worse', 'not run'].map((k) => String(v.filter((x) => x === k).length))];
    }),
  ),
);
