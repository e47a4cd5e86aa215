// Mean ± standard error, ranks and tables shared by hpo_real.mjs, bbob.mjs
// and conditional.mjs.
import { fmt, table } from './peers.mjs';

/** @param {(number | null | undefined)[]} v */
function finite(v) {
  return /** @type {number[]} */ (v.filter((x) => typeof x === 'number' && Number.isFinite(x)));
}

/** Mean of the finite values (NaN if none). @param {(number | null | undefined)[]} v */
export function mean(v) {
  const f = finite(v);
  return f.length === 0 ? NaN : f.reduce((a, b) => a + b, 0) / f.length;
}

/**
 * "mean ± se" of the finite values (standard error of the mean, n − 1).
 * @param {(number | null | undefined)[]} v
 * @param {number} [digits] fixed decimals instead of 4 significant digits
 */
export function meanSe(v, digits) {
  const f = finite(v);
  if (f.length === 0) return '—';
  const m = mean(f);
  const se = f.length > 1 ? Math.sqrt(f.reduce((a, b) => a + (b - m) ** 2, 0) / (f.length - 1) / f.length) : NaN;
  const show = (/** @type {number} */ x) => (digits === undefined ? fmt(x) : x.toFixed(digits));
  return Number.isNaN(se) ? show(m) : `${show(m)} ± ${show(se)}`;
}

/**
 * Ranks of `values` (lower is better), ties sharing their mean rank.
 * @param {number[]} values
 */
export function ranksOf(values) {
  const order = values.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
  const out = new Array(values.length).fill(0);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/**
 * Mean rank of each sampler: ranked among `samplers` per problem and seed (on
 * the value with the problem's direction: higher is better when maximised),
 * counting only (problem, seed) cells every sampler finished, then averaged
 * over those cells; also per problem.
 * @param {Record<string, Record<string, (number | null)[]>>} best
 * @param {Record<string, 'minimize' | 'maximize'>} directions
 * @param {string[]} samplers
 */
export function meanRanks(best, directions, samplers) {
  /** @type {Record<string, number>} */
  const sum = Object.fromEntries(samplers.map((s) => [s, 0]));
  /** @type {Record<string, Record<string, number>>} */
  const perProblem = {};
  let cells = 0;
  for (const [problem, bySampler] of Object.entries(best)) {
    const sign = directions[problem] === 'maximize' ? -1 : 1;
    const nSeeds = Math.max(0, ...samplers.map((s) => bySampler[s]?.length ?? 0));
    perProblem[problem] = Object.fromEntries(samplers.map((s) => [s, 0]));
    let here = 0;
    for (let seed = 0; seed < nSeeds; seed++) {
      const vals = samplers.map((s) => bySampler[s]?.[seed]);
      if (vals.some((v) => typeof v !== 'number' || !Number.isFinite(v))) continue;
      const r = ranksOf(vals.map((v) => sign * /** @type {number} */ (v)));
      samplers.forEach((s, i) => {
        sum[s] += r[i];
        perProblem[problem][s] += r[i];
      });
      cells++;
      here++;
    }
    for (const s of samplers) perProblem[problem][s] = here === 0 ? NaN : perProblem[problem][s] / here;
  }
  const meanRank = Object.fromEntries(samplers.map((s) => [s, cells === 0 ? NaN : sum[s] / cells]));
  const order = [...samplers].sort((a, b) => meanRank[a] - meanRank[b]);
  const rows = Object.keys(perProblem).map((p) => [p, ...order.map((s) => perProblem[p][s].toFixed(2))]);
  rows.push([`**all (${cells} cells)**`, ...order.map((s) => `**${meanRank[s].toFixed(2)}**`)]);
  return { mean: meanRank, perProblem, cells, table: table(['mean rank', ...order], rows) };
}

/**
 * A problems × samplers table; with `directions`, the best mean per row is bold.
 * @param {string[]} problems
 * @param {string[]} samplers
 * @param {Record<string, Record<string, (number | null)[]>>} data
 * @param {Record<string, 'minimize' | 'maximize'> | null} directions
 * @param {(v: (number | null)[]) => string} cell
 */
export function rankTable(problems, samplers, data, directions, cell) {
  const rows = problems.map((p) => {
    const means = samplers.map((s) => mean(data[p]?.[s] ?? []));
    const sign = directions?.[p] === 'maximize' ? -1 : 1;
    const bestMean = Math.min(...means.filter((m) => !Number.isNaN(m)).map((m) => sign * m));
    return [p, ...samplers.map((s, i) => (directions !== null && sign * means[i] === bestMean ? `**${cell(data[p]?.[s] ?? [])}**` : cell(data[p]?.[s] ?? [])))];
  });
  return table(['problem', ...samplers], rows);
}
