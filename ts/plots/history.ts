import type { FrozenTrial } from '../study/types.js';
import {
  better,
  completed,
  directionsOf,
  downsample,
  feasible,
  maxPointsOf,
  objectiveNamesOf,
  short,
  targetOf,
  titleOf,
  type ChartOption,
  type JsonValue,
  type Plot,
  type StudyPlotOptions,
} from './common.js';

/** Options of {@link plotOptimizationHistory}. */
export interface HistoryOptions extends StudyPlotOptions {
  /**
   * The objective plotted (its index) when the study has several.
   * @default 0
   */
  target?: number;
}

/** The numbers of {@link plotOptimizationHistory}: one entry per plotted trial, in trial order. */
export interface HistoryData {
  /** The objective's name. */
  objective: string;
  /** The objective's direction. */
  direction: 'minimize' | 'maximize';
  /** COMPLETE trials with a finite value, before downsampling. */
  nTrials: number;
  /** Trial numbers of the plotted trials. */
  numbers: number[];
  /** Their values of the target objective. */
  values: number[];
  /** The best feasible value up to and including each plotted trial (null before the first feasible one). */
  best: (number | null)[];
  /** Whether each plotted trial is feasible (no constraints, or all ≤ 0). */
  feasible: boolean[];
  /** The best feasible trial's number, or null if there is none. */
  bestNumber: number | null;
}

/**
 * Optimisation history (Optuna's `plot_optimization_history`): each COMPLETE
 * trial's objective value by trial number, and the best feasible value so
 * far as a step line (direction-aware; infeasible trials drawn grey and left
 * out of the best). Downsampled to `maxPoints` trials, keeping every trial
 * where the best so far changes (first), the worst, and an even stride.
 */
export function plotOptimizationHistory(trials: readonly FrozenTrial[], options: HistoryOptions = {}): Plot<HistoryData> {
  const where = 'plotOptimizationHistory';
  const maxPoints = maxPointsOf(options, where);
  const directions = directionsOf(options, where);
  const target = targetOf(options.target, directions.length, where);
  const name = objectiveNamesOf(options, directions.length, where)[target]!;
  const direction = directions[target]!;
  const done = completed(trials).filter((t) => (t.values as number[]).length > target);
  const value = (t: FrozenTrial): number => (t.values as number[])[target]!;

  // the best so far at every trial, and where it changes
  const bestAll: (number | null)[] = [];
  const changes: number[] = [];
  let best: number | null = null;
  let bestIdx = -1;
  let worstIdx = -1;
  done.forEach((t, i) => {
    const v = value(t);
    if (feasible(t) && (best === null || better(direction, v, best))) {
      best = v;
      bestIdx = i;
      changes.push(i);
    }
    if (worstIdx < 0 || better(direction, value(done[worstIdx]!), v)) worstIdx = i;
    bestAll.push(best);
  });
  const keep = [...(bestIdx >= 0 ? [bestIdx] : []), ...(worstIdx >= 0 ? [worstIdx] : []), ...changes.reverse()];
  const idx = downsample(done.length, maxPoints, keep);

  const data: HistoryData = {
    objective: name,
    direction,
    nTrials: done.length,
    numbers: idx.map((i) => done[i]!.number),
    values: idx.map((i) => value(done[i]!)),
    best: idx.map((i) => bestAll[i]!),
    feasible: idx.map((i) => feasible(done[i]!)),
    bestNumber: bestIdx >= 0 ? done[bestIdx]!.number : null,
  };
  const title = titleOf(options, 'Optimization history');
  const feasiblePts: JsonValue[] = [];
  const infeasiblePts: JsonValue[] = [];
  const bestPts: JsonValue[] = [];
  data.numbers.forEach((n, k) => {
    (data.feasible[k] ? feasiblePts : infeasiblePts).push([n, short(data.values[k]!)]);
    const b = data.best[k] ?? null;
    if (b !== null) bestPts.push([n, short(b)]);
  });
  const large = { large: true, largeThreshold: 2000, progressive: 2000 };
  const chart: ChartOption = {
    title: { text: title, left: 'center' },
    tooltip: { trigger: 'item' },
    legend: { top: 28 },
    grid: { left: 70, right: 30, top: 70, bottom: 64 },
    xAxis: { type: 'value', name: 'Trial', nameLocation: 'middle', nameGap: 24, min: 'dataMin', max: 'dataMax' },
    yAxis: { type: 'value', name, scale: true },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 16, bottom: 4 }],
    series: [
      { type: 'scatter', name, data: feasiblePts, symbolSize: 5, ...large },
      ...(infeasiblePts.length > 0 ? [{ type: 'scatter', name: 'Infeasible', data: infeasiblePts, symbolSize: 5, itemStyle: { color: '#bbbbbb' }, ...large }] : []),
      { type: 'line', name: 'Best value', data: bestPts, step: 'end', showSymbol: false, lineStyle: { width: 2 }, color: '#d62728' },
    ],
  };
  return { kind: 'history', title, data, chart, height: 400 };
}
