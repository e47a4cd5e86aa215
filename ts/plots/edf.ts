import { describeValue, TunekitError } from '../errors.js';
import type { FrozenTrial } from '../study/types.js';
import { completed, maxPointsOf, short, strideIndices, targetOf, titleOf, type ChartOption, type ChartSeries, type Plot, type PlotOptions } from './common.js';

/** One study of an {@link plotEdf} plot. */
export interface EdfStudy {
  /** The study's name (the legend). */
  name: string;
  /** Its trials (COMPLETE ones with finite values are counted). */
  trials: readonly FrozenTrial[];
}

/** Options of {@link plotEdf}. */
export interface EdfOptions extends PlotOptions {
  /**
   * The objective (its index) when the studies have several.
   * @default 0
   */
  target?: number;
  /**
   * The objective's name, as the x axis label.
   * @default 'Objective value'
   */
  objectiveName?: string;
}

/** One study's empirical distribution function. */
export interface EdfCurve {
  /** The study's name. */
  name: string;
  /** COMPLETE trials with a finite value. */
  nTrials: number;
  /** Objective values, increasing (downsampled as drawn: smallest and largest kept). */
  values: number[];
  /** The fraction of the study's trials with a value ≤ each value: increasing, the last 1. */
  fractions: number[];
}

/** The numbers of {@link plotEdf}. */
export interface EdfData {
  /** One curve per study, in the order given. */
  curves: EdfCurve[];
}

/**
 * Empirical distribution function (Optuna's `plot_edf`) of the objective
 * values of one or more studies: for each value, the fraction of the
 * study's COMPLETE trials at or below it, a step line from 0 to 1. Each
 * curve keeps at most `maxPoints` points (an even stride over the sorted
 * values, the smallest and largest included).
 */
export function plotEdf(studies: readonly EdfStudy[] | readonly FrozenTrial[], options: EdfOptions = {}): Plot<EdfData> {
  const where = 'plotEdf';
  const maxPoints = maxPointsOf(options, where);
  if (!Array.isArray(studies)) throw new TunekitError('INVALID_PARAMETER', `${where}: give an array of trials or of { name, trials }, got ${describeValue(studies)}`);
  const list: EdfStudy[] =
    studies.length > 0 && typeof (studies[0] as EdfStudy).name === 'string' && Array.isArray((studies[0] as EdfStudy).trials)
      ? (studies as readonly EdfStudy[]).map((s) => ({ name: s.name, trials: s.trials }))
      : [{ name: 'Study', trials: studies as readonly FrozenTrial[] }];
  const curves: EdfCurve[] = list.map((s) => {
    const done = completed(s.trials);
    const nObj = done.reduce((m, t) => Math.min(m, (t.values as number[]).length), Infinity);
    const target = done.length > 0 ? targetOf(options.target, nObj, where) : 0;
    const sorted = done.map((t) => (t.values as number[])[target]!).sort((a, b) => a - b);
    const n = sorted.length;
    // the last index of each distinct value: the fraction at or below it
    const ends: number[] = [];
    for (let i = 0; i < n; i++) if (i === n - 1 || sorted[i + 1] !== sorted[i]) ends.push(i);
    const kept = strideIndices(ends.length, maxPoints).map((j) => ends[j]!);
    return { name: s.name, nTrials: n, values: kept.map((i) => sorted[i]!), fractions: kept.map((i) => (i + 1) / n) };
  });
  const title = titleOf(options, 'Empirical distribution function');
  const series: ChartSeries[] = curves.map((c) => ({
    type: 'line',
    name: c.name,
    step: 'end',
    showSymbol: false,
    // starts at 0 left of the smallest value
    data: c.values.length > 0 ? [[short(c.values[0]!), 0], ...c.values.map((v, k) => [short(v), short(c.fractions[k]!)])] : [],
  }));
  const chart: ChartOption = {
    title: { text: title, left: 'center' },
    tooltip: { trigger: 'axis' },
    legend: { top: 28 },
    grid: { left: 70, right: 30, top: 70, bottom: 50 },
    xAxis: { type: 'value', name: options.objectiveName ?? 'Objective value', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', name: 'Cumulative probability', min: 0, max: 1 },
    series,
  };
  return { kind: 'edf', title, data: { curves }, chart, height: 400 };
}
