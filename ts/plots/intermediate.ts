import { describeValue, TunekitError } from '../errors.js';
import type { FrozenTrial, TrialState } from '../study/types.js';
import { better, directionsOf, maxPointsOf, short, strideIndices, titleOf, type ChartOption, type ChartSeries, type Plot, type StudyPlotOptions } from './common.js';

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

  const withCurves = trials
    .map((t) => {
      const steps = Object.keys(t.intermediateValues)
        .map(Number)
        .filter((s) => Number.isFinite(s) && Number.isFinite(t.intermediateValues[s]))
        .sort((a, b) => a - b);
      return { t, steps, values: steps.map((s) => t.intermediateValues[s]!) };
    })
    .filter((c) => c.steps.length > 0)
    .sort((a, b) => a.t.number - b.t.number);

  // which trials: the best by last reported value first, then a stride
  let chosen = withCurves.map((_, i) => i);
  if (withCurves.length > maxTrials) {
    const last = (i: number): number => withCurves[i]!.values.at(-1)!;
    const byBest = chosen.slice().sort((a, b) => (better(direction, last(a), last(b)) ? -1 : better(direction, last(b), last(a)) ? 1 : a - b));
    const set = new Set(byBest.slice(0, Math.max(1, Math.floor(maxTrials / 4))));
    const rest = chosen.filter((i) => !set.has(i));
    for (const j of strideIndices(rest.length, maxTrials - set.size)) set.add(rest[j]!);
    chosen = [...set].sort((a, b) => a - b);
  }
  const perLine = Math.max(2, Math.floor(maxPoints / Math.max(1, chosen.length)));
  const curves: LearningCurve[] = chosen.map((i) => {
    const { t, steps, values } = withCurves[i]!;
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
