import { describeValue, TunekitError } from '../errors.js';
import type { FrozenTrial, TrialState } from '../study/types.js';
import { directionsOf, maxPointsOf, short, strideIndices, titleOf, type ChartOption, type ChartSeries, type Plot, type StudyPlotOptions } from './common.js';

/** Options of {@link plotIntermediateValues}. */
export interface IntermediateOptions extends StudyPlotOptions {
  /**
   * The most trials (lines) drawn; `maxPoints` bounds the points of all lines together.
   * @default 200
   */
  maxTrials?: number;
}

/** One trial's learning curve. */
export interface LearningCurve {
  /** Trial number. */
  number: number;
  /** Trial state (COMPLETE, PRUNED, FAIL, RUNNING). */
  state: TrialState;
  /** Steps, increasing (downsampled as drawn). */
  steps: number[];
  /** The value reported at each step. */
  values: number[];
}

/** The numbers of {@link plotIntermediateValues}. */
export interface IntermediateData {
  /** Trials with at least one reported value, before downsampling. */
  nTrials: number;
  /** The drawn curves, in trial order. */
  curves: LearningCurve[];
}

import { STATE_COLORS } from './timeline.js';

/**
 * Intermediate values (Optuna's `plot_intermediate_values`): each trial's
 * reported values by step, one line per trial, coloured by state. At most
 * `maxTrials` lines (the trials whose last reported value is best, a quarter
 * of the budget, then an even stride over trial numbers), and `maxPoints`
 * points in all (each line's steps by an even stride, first and last kept).
 */
export function plotIntermediateValues(trials: readonly FrozenTrial[], options: IntermediateOptions = {}): Plot<IntermediateData> {
  const where = 'plotIntermediateValues';
  const maxPoints = maxPointsOf(options, where);
  const direction = directionsOf(options, where)[0]!;
  const maxTrials = options.maxTrials ?? 200;
  if (!Number.isInteger(maxTrials) || maxTrials < 1) throw new TunekitError('INVALID_PARAMETER', `${where}: maxTrials must be an integer ≥ 1, got ${describeValue(maxTrials)}`);

  // a trial's steps with finite values, increasing (integer keys already come in increasing order)
  const curveOf = (t: FrozenTrial): { steps: number[]; values: number[] } => {
    const iv = t.intermediateValues;
    const steps: number[] = [];
    let sorted = true;
    for (const k of Object.keys(iv)) {
      const s = Number(k);
      if (!Number.isFinite(s) || !Number.isFinite(iv[s])) continue;
      if (steps.length > 0 && s < steps[steps.length - 1]!) sorted = false;
      steps.push(s);
    }
    if (!sorted) steps.sort((a, b) => a - b);
    return { steps, values: steps.map((s) => iv[s]!) };
  };
  // the trials with a curve, by number, and each one's last value (the full curve is built for the drawn ones only)
  const withCurves: { t: FrozenTrial; last: number }[] = [];
  for (const t of trials) {
    const c = Object.keys(t.intermediateValues).length === 0 ? null : curveOf(t);
    if (c !== null && c.steps.length > 0) withCurves.push({ t, last: c.values[c.values.length - 1]! });
  }
  withCurves.sort((a, b) => a.t.number - b.t.number);

  // which trials: the best by last reported value first, then a stride
  let chosen = withCurves.map((_, i) => i);
  if (withCurves.length > maxTrials) {
    const sign = direction === 'maximize' ? -1 : 1;
    const key = Float64Array.from(withCurves, (c) => sign * c.last);
    const byBest = chosen.slice().sort((a, b) => key[a]! - key[b]! || a - b);
    const set = new Set(byBest.slice(0, Math.max(1, Math.floor(maxTrials / 4))));
    const rest = chosen.filter((i) => !set.has(i));
    for (const j of strideIndices(rest.length, maxTrials - set.size)) set.add(rest[j]!);
    chosen = [...set].sort((a, b) => a - b);
  }
  const perLine = Math.max(2, Math.floor(maxPoints / Math.max(1, chosen.length)));
  const curves: LearningCurve[] = chosen.map((i) => {
    const { t } = withCurves[i]!;
    const { steps, values } = curveOf(t);
    const kept = strideIndices(steps.length, perLine);
    return { number: t.number, state: t.state, steps: kept.map((j) => steps[j]!), values: kept.map((j) => values[j]!) };
  });

  const title = titleOf(options, 'Intermediate values');
  const series: ChartSeries[] = curves.map((c) => ({
    type: 'line',
    name: `Trial ${c.number}`,
    data: c.steps.map((s, k) => [s, short(c.values[k]!)]),
    showSymbol: c.steps.length === 1,
    symbolSize: 4,
    lineStyle: { width: 1, opacity: 0.7 },
    color: STATE_COLORS[c.state] ?? '#7f7f7f',
    emphasis: { focus: 'series' },
  }));
  const chart: ChartOption = {
    title: { text: title, left: 'center' },
    tooltip: { trigger: 'item', formatter: '{a}<br/>step {c}' },
    grid: { left: 70, right: 30, top: 50, bottom: 50 },
    xAxis: { type: 'value', name: 'Step', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', name: 'Intermediate value', scale: true },
    dataZoom: [{ type: 'inside' }],
    series,
  };
  return { kind: 'intermediate', title, data: { nTrials: withCurves.length, curves }, chart, height: 400 };
}
