import { describeValue, TunekitError } from '../errors.js';
import { isFeasible } from '../study/constraints.js';
import type { Distribution, FrozenTrial, StudyDirection } from '../study/types.js';

/**
 * What every plot function shares: the {@link Plot} it returns, the
 * deterministic downsampling that bounds a chart's size, and the helpers
 * that turn stored trials into numbers on an axis.
 */

/** A JSON value: what a chart option is made of (no functions, no `undefined`, no NaN or ±Infinity). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One ECharts series as plain JSON: `type` and `data` always there, so a caller can count the points. */
export interface ChartSeries {
  [key: string]: JsonValue;
  /** The ECharts series type (`line`, `scatter`, `parallel`, `heatmap`, `bar`, `custom`). */
  type: string;
  /** The series' points, one entry per point drawn. */
  data: JsonValue[];
}

/**
 * An ECharts option as plain JSON (`JSON.stringify` keeps all of it): what
 * `echarts.init(el).setOption(chart)` draws. Label formatters are ECharts
 * template strings; the one custom series (the timeline) names its
 * `renderItem` as a string that {@link RENDER_SCRIPT} resolves.
 */
export interface ChartOption {
  [key: string]: JsonValue;
  /** The series, in drawing order. */
  series: ChartSeries[];
}

/** Which chart a {@link Plot} is. */
export type PlotKind = 'history' | 'intermediate' | 'parallel' | 'slice' | 'contour' | 'importance' | 'edf' | 'pareto' | 'hypervolume' | 'timeline' | 'rank';

/** What a plot function returns: the numbers (`data`, usable without ECharts) and the chart that draws them. */
export interface Plot<D> {
  /** Which chart this is. */
  kind: PlotKind;
  /** A title for the chart (also in `chart.title`). */
  title: string;
  /** The plotted numbers as plain arrays and records (downsampled as the chart is). */
  data: D;
  /** The ECharts option, JSON-serialisable. */
  chart: ChartOption;
  /** A suggested height of the chart's element in CSS pixels (charts with several panels are taller). */
  height: number;
}

/** The default bound on the points (or lines) one chart draws. */
export const DEFAULT_MAX_POINTS = 5000;

/** Options every plot function takes. */
export interface PlotOptions {
  /**
   * The most points (markers, lines or cells, as each function says) the
   * chart draws; larger studies are downsampled deterministically, keeping
   * the best trials, the extremes and an even stride. At least 2.
   * @default 5000
   */
  maxPoints?: number;
  /** The chart's title. Each function has its own default (e.g. "Optimization history"). */
  title?: string;
}

/** Options of the plots of one study's objective values. */
export interface StudyPlotOptions extends PlotOptions {
  /**
   * The study's directions, one per objective.
   * @default ['minimize']
   */
  directions?: readonly StudyDirection[];
  /**
   * A name for each objective, as axis labels.
   * @default ['Objective value'] for one objective, ['Objective 0', 'Objective 1', …] for several
   */
  objectiveNames?: readonly string[];
}

/** Checks and returns `maxPoints` (an integer ≥ 2; the default when absent). */
export function maxPointsOf(options: PlotOptions | undefined, where: string, fallback = DEFAULT_MAX_POINTS): number {
  const m = options?.maxPoints;
  if (m === undefined) return fallback;
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 2) {
    throw new TunekitError('INVALID_PARAMETER', `${where}: maxPoints must be an integer ≥ 2, got ${describeValue(m)}`);
  }
  return m;
}

/** The directions from the options, checked (default one minimised objective). */
export function directionsOf(options: StudyPlotOptions | undefined, where: string): StudyDirection[] {
  const d = options?.directions ?? ['minimize'];
  if (!Array.isArray(d) || d.length === 0) throw new TunekitError('INVALID_PARAMETER', `${where}: directions must be a non-empty array, got ${describeValue(d)}`);
  for (const x of d) {
    if (x !== 'minimize' && x !== 'maximize') throw new TunekitError('INVALID_PARAMETER', `${where}: a direction must be "minimize" or "maximize", got ${describeValue(x)}`);
  }
  return [...d];
}

/** The objective names from the options (checked against the number of objectives) or the defaults. */
export function objectiveNamesOf(options: StudyPlotOptions | undefined, nObjectives: number, where: string): string[] {
  const names = options?.objectiveNames;
  if (names === undefined) return nObjectives === 1 ? ['Objective value'] : Array.from({ length: nObjectives }, (_, i) => `Objective ${i}`);
  if (!Array.isArray(names) || names.length !== nObjectives || names.some((n) => typeof n !== 'string')) {
    throw new TunekitError('INVALID_PARAMETER', `${where}: objectiveNames must be ${nObjectives} string(s), one per objective, got ${describeValue(names)}`);
  }
  return [...names];
}

/** Checks an objective index against the number of objectives. */
export function targetOf(target: number | undefined, nObjectives: number, where: string): number {
  const t = target ?? 0;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t >= nObjectives) {
    throw new TunekitError('INVALID_PARAMETER', `${where}: target must be an objective index from 0 to ${nObjectives - 1}, got ${describeValue(t)}`);
  }
  return t;
}

/** The title from the options or the default. */
export function titleOf(options: PlotOptions | undefined, fallback: string): string {
  const t = options?.title;
  return typeof t === 'string' && t.length > 0 ? t : fallback;
}

/**
 * Up to `maxPoints` indices of `0 … n-1`, sorted, chosen deterministically:
 * first the indices of `keep` in the order given (the caller puts the most
 * important first: the best trial, the extremes, the best-so-far changes;
 * if they alone exceed the budget, the first ones and an even stride over
 * the rest), then an even stride over `0 … n-1` (first and last included)
 * for what budget remains. All indices when `n ≤ maxPoints`.
 */
export function downsample(n: number, maxPoints: number, keep: Iterable<number> = []): number[] {
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  const must: number[] = [];
  const seen = new Set<number>();
  for (const k of keep) {
    if (Number.isInteger(k) && k >= 0 && k < n && !seen.has(k)) {
      seen.add(k);
      must.push(k);
    }
  }
  if (must.length <= maxPoints) {
    for (const k of must) chosen.add(k);
  } else {
    // the first quarter of the budget by priority, the rest by stride over the remaining keeps
    const head = Math.max(1, Math.floor(maxPoints / 4));
    for (let i = 0; i < head; i++) chosen.add(must[i]!);
    const rest = must.slice(head);
    for (const j of strideIndices(rest.length, maxPoints - head)) chosen.add(rest[j]!);
  }
  const budget = maxPoints - chosen.size;
  if (budget > 0) {
    // an even stride over the indices not chosen yet, so the budget is used in full
    const free = n - chosen.size;
    const picks = strideIndices(free, budget);
    let p = 0;
    let freeIndex = 0;
    for (let i = 0; i < n && p < picks.length; i++) {
      if (chosen.has(i)) continue;
      if (freeIndex === picks[p]) {
        chosen.add(i);
        p++;
      }
      freeIndex++;
    }
  }
  return [...chosen].sort((a, b) => a - b);
}

/** `k` (or `n` when fewer) evenly spaced indices of `0 … n-1`, first and last included, increasing. */
export function strideIndices(n: number, k: number): number[] {
  if (n <= 0 || k <= 0) return [];
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  if (k === 1) return [0];
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = Math.round((i * (n - 1)) / (k - 1));
    if (out.length === 0 || out[out.length - 1] !== j) out.push(j);
  }
  return out;
}

/** COMPLETE trials whose values are all finite, in number order. */
export function completed(trials: readonly FrozenTrial[]): FrozenTrial[] {
  return trials.filter((t) => t.state === 'COMPLETE' && t.values !== null && t.values.every((v) => Number.isFinite(v))).sort((a, b) => a.number - b.number);
}

/** Whether a trial is feasible (no constraints, or every constraint ≤ 0). */
export function feasible(trial: FrozenTrial): boolean {
  return isFeasible(trial);
}

/** `a` is better than `b` in `direction` (strictly). */
export function better(direction: StudyDirection, a: number, b: number): boolean {
  return direction === 'maximize' ? a > b : a < b;
}

/** How one parameter maps to an axis: a number per value, and the axis type. */
export interface ParamAxis {
  /** Parameter name. */
  name: string;
  /** `value`, `log` (a log-scale float or int) or `category`. */
  type: 'value' | 'log' | 'category';
  /** The categories' labels (category axes only), in the distribution's order. */
  categories: string[];
  /** The axis coordinate of a value (category index for categories), or null if the value does not fit the axis. */
  coord(value: unknown): number | null;
}

/** The label of a categorical choice (`String`, `null` as "null"). */
export function choiceLabel(choice: unknown): string {
  return choice === null ? 'null' : typeof choice === 'string' ? choice : JSON.stringify(choice);
}

/** The parameters of the trials (sorted by name) with the distribution each last had. */
export function paramDistributions(trials: readonly FrozenTrial[]): Map<string, Distribution> {
  const out = new Map<string, Distribution>();
  for (const t of trials) for (const [name, d] of Object.entries(t.distributions)) out.set(name, d);
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The axis of one parameter from its distribution. */
export function paramAxis(name: string, d: Distribution): ParamAxis {
  if (d.type === 'categorical') {
    const labels = d.choices.map(choiceLabel);
    const index = new Map<string, number>();
    labels.forEach((l, i) => index.set(l, i));
    return { name, type: 'category', categories: labels, coord: (v) => index.get(choiceLabel(v)) ?? null };
  }
  const log = d.log === true;
  return {
    name,
    type: log ? 'log' : 'value',
    categories: [],
    coord: (v) => (typeof v === 'number' && Number.isFinite(v) && (!log || v > 0) ? v : null),
  };
}

/** Checks a `params` option against the parameters the trials have, or returns them all. */
export function selectParams(all: Map<string, Distribution>, params: readonly string[] | undefined, where: string): string[] {
  if (params === undefined) return [...all.keys()];
  if (!Array.isArray(params)) throw new TunekitError('INVALID_PARAMETER', `${where}: params must be an array of parameter names, got ${describeValue(params)}`);
  for (const p of params) {
    if (!all.has(p)) {
      throw new TunekitError('INVALID_PARAMETER', `${where}: no trial has the parameter ${describeValue(p)} (the trials have: ${[...all.keys()].join(', ') || 'none'})`);
    }
  }
  return [...params];
}

/** An axis option for a parameter (ECharts `xAxis`/`yAxis`/`parallelAxis` fields). */
export function axisOption(axis: ParamAxis, extra: { [key: string]: JsonValue } = {}): { [key: string]: JsonValue } {
  if (axis.type === 'category') return { type: 'category', name: axis.name, data: axis.categories, ...extra };
  return { type: axis.type, name: axis.name, scale: true, ...extra };
}

/** A number for JSON: non-finite as null. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Rounds to 6 significant digits for the chart (the data keeps full precision). */
export function short(x: number): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(6)) : x;
}
