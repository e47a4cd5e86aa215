import { describeValue, TunekitError } from '../errors.js';
import type { FrozenTrial } from '../study/types.js';
import { completed, directionsOf, downsample, feasible, finiteOrNull, maxPointsOf, short, titleOf, type ChartOption, type Plot, type StudyPlotOptions } from './common.js';

/**
 * Exact hypervolume (every objective minimised): the measure of the region
 * dominated by `points` and bounded by `reference`. Points not strictly
 * better than the reference in every objective add nothing. Two objectives:
 * a sweep in O(n log n); three: a sweep up the third objective over a
 * staircase of the first two, updated per point (O(n log n) searches); four
 * or more: slicing by the last objective (HSO: While, Hingston, Barone &
 * Huband 2006) down to three, over the non-dominated points only.
 */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const d = reference.length;
  if (d === 0 || !reference.every((r) => Number.isFinite(r))) {
    throw new TunekitError('INVALID_PARAMETER', `hypervolume: the reference point must be finite numbers, got ${describeValue(reference)}`);
  }
  const inside: number[][] = [];
  for (const p of points) {
    if (p.length !== d) throw new TunekitError('INVALID_PARAMETER', `hypervolume: a point has ${p.length} objectives, the reference point ${d}`);
    if (p.every((v, i) => v < reference[i]!)) inside.push([...p]);
  }
  return hv(d <= 3 ? inside : nonDominated(inside), [...reference]);
}

function hv(ps: number[][], ref: number[]): number {
  const d = ref.length;
  if (ps.length === 0) return 0;
  if (d === 1) return ref[0]! - Math.min(...ps.map((p) => p[0]!));
  if (d === 2) {
    const s = ps.slice().sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    let best = ref[1]!;
    let area = 0;
    for (const p of s) {
      if (p[1]! < best) {
        area += (ref[0]! - p[0]!) * (best - p[1]!);
        best = p[1]!;
      }
    }
    return area;
  }
  if (d === 3) return hv3(ps, ref);
  const s = ps.slice().sort((a, b) => a[d - 1]! - b[d - 1]!);
  const lower = ref.slice(0, d - 1);
  let vol = 0;
  for (let i = 0; i < s.length; i++) {
    const top = i + 1 < s.length ? s[i + 1]![d - 1]! : ref[d - 1]!;
    const depth = top - s[i]![d - 1]!;
    if (depth > 0) {
      const slice = s.slice(0, i + 1).map((p) => p.slice(0, d - 1));
      vol += depth * hv(d - 1 <= 3 ? slice : nonDominated(slice), lower);
    }
  }
  return vol;
}

/**
 * Three objectives: a sweep up the third objective over a two-objective
 * staircase kept sorted by the first (second decreasing), its area updated
 * as each point goes in (the points it dominates out): O(n log n) searches,
 * O(n²) array moves at worst.
 */
function hv3(ps: number[][], ref: number[]): number {
  const [rx, ry, rz] = ref as [number, number, number];
  const s = ps.slice().sort((a, b) => a[2]! - b[2]!);
  const xs: number[] = [];
  const ys: number[] = [];
  let area = 0;
  let vol = 0;
  // the area of staircase step i: up to the next step's first objective (the reference after the last)
  const term = (i: number): number => ((i + 1 < xs.length ? xs[i + 1]! : rx) - xs[i]!) * (ry - ys[i]!);
  for (let k = 0; k < s.length; k++) {
    const [x, y] = s[k] as [number, number, number];
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    const dominated = (lo > 0 && ys[lo - 1]! <= y) || (lo < xs.length && xs[lo] === x && ys[lo]! <= y);
    if (!dominated) {
      let end = lo;
      while (end < xs.length && ys[end]! >= y) end++;
      let before = 0;
      if (lo > 0) before += term(lo - 1);
      for (let j = lo; j < end; j++) before += term(j);
      xs.splice(lo, end - lo, x);
      ys.splice(lo, end - lo, y);
      let after = term(lo);
      if (lo > 0) after += term(lo - 1);
      area += after - before;
    }
    const top = k + 1 < s.length ? s[k + 1]![2]! : rz;
    vol += area * (top - s[k]![2]!);
  }
  return vol;
}

/** `a` dominates `b` (minimisation): no worse in every objective, better in one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let strict = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) strict = true;
  }
  return strict;
}

/**
 * Indices of the non-dominated points (minimisation), increasing. Equal
 * points are all kept. After a lexicographic sort (a point can only be
 * dominated by one before it): two objectives, one sweep; three, a Fenwick
 * tree of prefix minima (O(n log n)); more, each point against the front so far.
 */
export function paretoFrontIndices(points: readonly (readonly number[])[]): number[] {
  const order = points.map((_, i) => i);
  const lex = (a: readonly number[], b: readonly number[]): number => {
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
    return 0;
  };
  order.sort((i, j) => lex(points[i]!, points[j]!) || i - j);
  const out: number[] = [];
  if (points.length > 0 && points[0]!.length === 2) {
    let minBefore = Infinity; // the smallest second objective among points before the current run of equal points
    let runMin = Infinity;
    for (let k = 0; k < order.length; k++) {
      const p = points[order[k]!]!;
      const prev = k > 0 ? points[order[k - 1]!]! : null;
      if (prev === null || lex(prev, p) !== 0) {
        minBefore = Math.min(minBefore, runMin);
        runMin = Infinity;
      }
      if (!(minBefore <= p[1]!)) out.push(order[k]!);
      runMin = Math.min(runMin, p[1]!);
    }
  } else if (points.length > 0 && points[0]!.length === 3) {
    // after the sort, p is dominated iff a point before it (not equal to it) has its second and third
    // objectives no worse: the smallest third objective over second objectives ≤ p's, from a Fenwick
    // tree of prefix minima over the second objective's ranks (runs of equal points go in after their query)
    const ys = [...new Set(points.map((p) => p[1]!))].sort((a, b) => a - b);
    const rankOf = new Map<number, number>();
    ys.forEach((y, r) => rankOf.set(y, r + 1));
    const tree = new Float64Array(ys.length + 1).fill(Infinity);
    const query = (r: number): number => {
      let m = Infinity;
      for (; r > 0; r -= r & -r) m = Math.min(m, tree[r]!);
      return m;
    };
    const insert = (r: number, z: number): void => {
      for (; r <= ys.length; r += r & -r) tree[r] = Math.min(tree[r]!, z);
    };
    let k = 0;
    while (k < order.length) {
      let end = k + 1;
      while (end < order.length && lex(points[order[end]!]!, points[order[k]!]!) === 0) end++;
      const p = points[order[k]!]!;
      const r = rankOf.get(p[1]!)!;
      if (!(query(r) <= p[2]!)) for (let j = k; j < end; j++) out.push(order[j]!);
      insert(r, p[2]!);
      k = end;
    }
  } else {
    const front: number[] = [];
    for (const i of order) {
      const p = points[i]!;
      if (!front.some((j) => dominates(points[j]!, p))) {
        front.push(i);
        out.push(i);
      }
    }
  }
  return out.sort((a, b) => a - b);
}

function nonDominated(ps: number[][]): number[][] {
  return paretoFrontIndices(ps).map((i) => ps[i]!);
}

/** Options of {@link plotHypervolumeHistory}. */
export interface HypervolumeOptions extends StudyPlotOptions {
  /**
   * The reference point, one value per objective in the objectives' own
   * direction (a maximised objective's reference is below its values).
   * @default each objective's worst feasible value, moved a tenth of its range further (1 if the range is 0)
   */
  referencePoint?: readonly number[];
  /**
   * About the most exact hypervolume computations (one per change of the
   * Pareto front: the first half of the budget on the first changes, the
   * other half spread over the trial numbers, plus the last change), which
   * bounds the time on large fronts.
   * @default 1000 with two objectives, 200 with three, 50 with more
   */
  maxEvaluations?: number;
}

/** The numbers of {@link plotHypervolumeHistory}. */
export interface HypervolumeData {
  /** The reference point used (in the objectives' directions). */
  referencePoint: number[];
  /** COMPLETE trials, before downsampling. */
  nTrials: number;
  /** Trial numbers of the plotted points. */
  numbers: number[];
  /** The hypervolume of the feasible trials up to and including each plotted trial (see `exact`). */
  hypervolumes: number[];
  /** Trials that changed the Pareto front. */
  frontChanges: number;
  /**
   * Whether the hypervolume was computed after every change of the front;
   * if not (more changes than `maxEvaluations` allows), it was computed at
   * the first changes, then at the first change past evenly spaced trial
   * numbers and after the last change, and carried forward between (a lower
   * bound there).
   */
  exact: boolean;
}

/**
 * Hypervolume history (Optuna's `plot_hypervolume_history`): after each
 * COMPLETE trial, the exact hypervolume of the feasible trials so far
 * against the reference point, computed when the Pareto front changes (about
 * `maxEvaluations` times at most: past that, spread over the trials; see
 * `exact`). Downsampled to `maxPoints`, keeping the computed points first.
 */
export function plotHypervolumeHistory(trials: readonly FrozenTrial[], options: HypervolumeOptions = {}): Plot<HypervolumeData> {
  const where = 'plotHypervolumeHistory';
  const maxPoints = maxPointsOf(options, where);
  const directions = directionsOf(options, where);
  const d = directions.length;
  if (d < 2) throw new TunekitError('INVALID_PARAMETER', `${where}: a hypervolume needs a study with several objectives, this one has ${d}`);
  const sign = directions.map((x) => (x === 'maximize' ? -1 : 1));
  const done = completed(trials).filter((t) => (t.values as number[]).length === d);
  const mins = (t: FrozenTrial): number[] => (t.values as number[]).map((v, i) => v * sign[i]!);
  let ref: number[];
  if (options.referencePoint !== undefined) {
    const r = options.referencePoint;
    if (!Array.isArray(r) || r.length !== d || r.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new TunekitError('INVALID_PARAMETER', `${where}: referencePoint must be ${d} finite numbers, one per objective, got ${describeValue(r)}`);
    }
    ref = r.map((v, i) => v * sign[i]!);
  } else {
    const fs = done.filter(feasible).map(mins);
    ref = sign.map((_, i) => {
      if (fs.length === 0) return 1;
      const col = fs.map((p) => p[i]!);
      const lo = Math.min(...col);
      const hi = Math.max(...col);
      return hi + (hi > lo ? (hi - lo) / 10 : 1);
    });
  }
  const budget = options.maxEvaluations ?? (d === 2 ? 1000 : d === 3 ? 200 : 50);
  if (!Number.isInteger(budget) || budget < 1) throw new TunekitError('INVALID_PARAMETER', `${where}: maxEvaluations must be an integer ≥ 1, got ${describeValue(budget)}`);
  // one pass over the trials keeping the front (minimised values). The hypervolume is computed at a
  // change of the front while fewer than half the budget is spent, then at the first change past each
  // of budget/2 evenly spaced trial numbers, and after the last change.
  const half = Math.max(1, Math.floor(budget / 2));
  const gap = Math.max(1, Math.ceil(done.length / half));
  const value = new Map<number, number>();
  let front: number[][] = [];
  let changes = 0;
  let skipped = false;
  let lastChange = -1;
  let nextCheckpoint = 0;
  done.forEach((t, i) => {
    const p = mins(t);
    if (!feasible(t) || !p.every((v, k) => v < ref[k]!)) return;
    // p enters unless a point of the front is no worse in every objective (dominates or equals it)
    for (const q of front) {
      let noWorse = true;
      for (let k = 0; k < d && noWorse; k++) noWorse = q[k]! <= p[k]!;
      if (noWorse) return;
    }
    front = front.filter((q) => {
      for (let k = 0; k < d; k++) if (p[k]! > q[k]!) return true;
      return false; // p is no worse everywhere, and differs somewhere (else it was refused above)
    });
    front.push(p);
    changes++;
    lastChange = i;
    if (value.size < half || i >= nextCheckpoint) {
      value.set(i, hv(front, ref));
      while (nextCheckpoint <= i) nextCheckpoint += gap;
    } else skipped = true;
  });
  if (lastChange >= 0 && !value.has(lastChange)) value.set(lastChange, hv(front, ref));
  const hvs: number[] = [];
  let current = 0;
  for (let i = 0; i < done.length; i++) {
    current = value.get(i) ?? current;
    hvs.push(current);
  }
  const evalAt = [...value.keys()];
  const idx = downsample(done.length, maxPoints, [...evalAt].reverse());
  const data: HypervolumeData = {
    referencePoint: ref.map((v, i) => v * sign[i]!),
    nTrials: done.length,
    numbers: idx.map((i) => done[i]!.number),
    hypervolumes: idx.map((i) => hvs[i]!),
    frontChanges: changes,
    exact: !skipped,
  };
  const title = titleOf(options, 'Hypervolume history');
  const chart: ChartOption = {
    title: { text: title, left: 'center' },
    tooltip: { trigger: 'axis' },
    grid: { left: 80, right: 30, top: 50, bottom: 50 },
    xAxis: { type: 'value', name: 'Trial', nameLocation: 'middle', nameGap: 28, min: 'dataMin', max: 'dataMax' },
    yAxis: { type: 'value', name: 'Hypervolume', scale: true },
    dataZoom: [{ type: 'inside' }],
    series: [{ type: 'line', name: 'Hypervolume', step: 'end', showSymbol: false, data: data.numbers.map((n, k) => [n, finiteOrNull(short(data.hypervolumes[k]!))]) }],
  };
  return { kind: 'hypervolume', title, data, chart, height: 380 };
}
