import type { FrozenTrial } from '../study/types.js';
import {
  axisOption,
  better,
  completed,
  directionsOf,
  downsample,
  maxPointsOf,
  objectiveNamesOf,
  paramAxis,
  paramDistributions,
  selectParams,
  short,
  targetOf,
  titleOf,
  type ChartOption,
  type JsonValue,
  type Plot,
  type StudyPlotOptions,
} from './common.js';

/** Options of {@link plotParallelCoordinate}. */
export interface ParallelOptions extends StudyPlotOptions {
  /**
   * The parameters drawn, in axis order.
   * @default every parameter of the trials, by name
   */
  params?: readonly string[];
  /**
   * The objective drawn (its index) when the study has several.
   * @default 0
   */
  target?: number;
}

/** The numbers of {@link plotParallelCoordinate}. */
export interface ParallelData {
  /** The objective's name (the first axis). */
  objective: string;
  /** The parameter axes, in order: name, scale and the categories of a categorical parameter. */
  params: { name: string; scale: 'value' | 'log' | 'category'; categories: string[] }[];
  /** COMPLETE trials with a finite value and every drawn parameter, before downsampling. */
  nTrials: number;
  /** Trial numbers of the drawn lines. */
  numbers: number[];
  /** Their objective values. */
  values: number[];
  /** Their parameter values, one array per line in `params` order (categorical values as stored). */
  paramValues: unknown[][];
}

/**
 * Parallel coordinates (Optuna's `plot_parallel_coordinate`): one line per
 * COMPLETE trial across the objective's axis and one axis per parameter (a
 * log axis for a log-scale parameter, a category axis for a categorical one),
 * coloured by objective value. Trials that lack a drawn parameter are left
 * out. At most `maxPoints` lines: the best and the worst, then an even stride.
 */
export function plotParallelCoordinate(trials: readonly FrozenTrial[], options: ParallelOptions = {}): Plot<ParallelData> {
  const where = 'plotParallelCoordinate';
  const maxPoints = maxPointsOf(options, where);
  const directions = directionsOf(options, where);
  const target = targetOf(options.target, directions.length, where);
  const objective = objectiveNamesOf(options, directions.length, where)[target]!;
  const direction = directions[target]!;
  const done = completed(trials);
  const dists = paramDistributions(done);
  const names = selectParams(dists, options.params, where);
  const axes = names.map((n) => paramAxis(n, dists.get(n)!));

  const rows = done.filter((t) => axes.every((a) => Object.hasOwn(t.params, a.name) && a.coord(t.params[a.name]) !== null));
  const value = (t: FrozenTrial): number => (t.values as number[])[target]!;
  let bestI = -1;
  let worstI = -1;
  rows.forEach((t, i) => {
    if (bestI < 0 || better(direction, value(t), value(rows[bestI]!))) bestI = i;
    if (worstI < 0 || better(direction, value(rows[worstI]!), value(t))) worstI = i;
  });
  const idx = downsample(rows.length, maxPoints, bestI >= 0 ? [bestI, worstI] : []);
  const picked = idx.map((i) => rows[i]!);
  const values = picked.map(value);
  const data: ParallelData = {
    objective,
    params: axes.map((a) => ({ name: a.name, scale: a.type, categories: a.categories })),
    nTrials: rows.length,
    numbers: picked.map((t) => t.number),
    values,
    paramValues: picked.map((t) => axes.map((a) => t.params[a.name])),
  };

  const title = titleOf(options, 'Parallel coordinates');
  const lo = values.length > 0 ? Math.min(...values) : 0;
  const hi = values.length > 0 ? Math.max(...values) : 1;
  const lines: JsonValue[] = picked.map((t, k) => [short(values[k]!), ...axes.map((a) => short(a.coord(t.params[a.name]) as number))]);
  const chart: ChartOption = {
    title: { text: title, left: 'center' },
    tooltip: { trigger: 'item' },
    parallel: { left: 60, right: 90, top: 70, bottom: 40, parallelAxisDefault: { nameLocation: 'start', nameGap: 20, nameTextStyle: { fontSize: 11 } } },
    parallelAxis: [{ dim: 0, type: 'value', name: objective, scale: true }, ...axes.map((a, i) => ({ dim: i + 1, ...axisOption(a) }))],
    visualMap: {
      type: 'continuous',
      dimension: 0,
      min: short(lo),
      max: short(hi === lo ? lo + 1 : hi),
      right: 10,
      top: 'middle',
      calculable: true,
      text: [direction === 'minimize' ? 'worse' : 'better', direction === 'minimize' ? 'better' : 'worse'],
      inRange: { color: ['#313695', '#4575b4', '#74add1', '#abd9e9', '#fee090', '#fdae61', '#f46d43', '#d73027'] },
    },
    series: [{ type: 'parallel', name: objective, data: lines, smooth: false, lineStyle: { width: 1, opacity: 0.5 }, progressive: 1000 }],
  };
  return { kind: 'parallel', title, data, chart, height: 420 };
}
