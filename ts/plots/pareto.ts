import { describeValue, TunekitError } from '../errors.js';
import type { FrozenTrial } from '../study/types.js';
import {
  completed,
  directionsOf,
  downsample,
  feasible,
  maxPointsOf,
  objectiveNamesOf,
  short,
  titleOf,
  type ChartOption,
  type ChartSeries,
  type JsonValue,
  type Plot,
  type StudyPlotOptions,
} from './common.js';
import { paretoFrontIndices } from './hypervolume.js';
import { panelGrids } from './slice.js';

/** Options of {@link plotParetoFront}. */
export interface ParetoOptions extends StudyPlotOptions {
  /**
   * The two or three objectives drawn (indices).
   * @default every objective, when the study has two or three
   */
  targets?: readonly number[];
  /**
   * Draw the dominated feasible trials too (not only the front).
   * @default true
   */
  includeDominated?: boolean;
}

/** One drawn trial of {@link plotParetoFront}. */
export interface ParetoPoint {
  /** Trial number. */
  number: number;
  /** Its values of the drawn objectives. */
  values: number[];
}

/** The numbers of {@link plotParetoFront}. */
export interface ParetoData {
  /** The drawn objectives' names. */
  objectives: string[];
  /** COMPLETE trials with finite values, before downsampling. */
  nTrials: number;
  /** The Pareto front among the feasible trials (non-dominated in the drawn objectives), by trial number. */
  front: ParetoPoint[];
  /** Feasible trials the front dominates (downsampled). */
  dominated: ParetoPoint[];
  /** Trials that break a constraint (downsampled). */
  infeasible: ParetoPoint[];
}

/**
 * Pareto front (Optuna's `plot_pareto_front`) of two or three objectives:
 * the feasible trials' non-dominated front, the dominated feasible trials
 * and the infeasible ones (constraints > 0), as three series. Two objectives
 * draw one scatter; three draw the three pairwise projections (front
 * membership is decided in all three). `maxPoints` bounds all points
 * together: the front first, then an even stride over the others.
 */
export function plotParetoFront(trials: readonly FrozenTrial[], options: ParetoOptions = {}): Plot<ParetoData> {
  const where = 'plotParetoFront';
  const maxPoints = maxPointsOf(options, where);
  const directions = directionsOf(options, where);
  const names = objectiveNamesOf(options, directions.length, where);
  const targets = options.targets ?? (directions.length === 2 || directions.length === 3 ? directions.map((_, i) => i) : undefined);
  if (
    targets === undefined ||
    !Array.isArray(targets) ||
    (targets.length !== 2 && targets.length !== 3) ||
    targets.some((t) => !Number.isInteger(t) || t < 0 || t >= directions.length) ||
    new Set(targets).size !== targets.length
  ) {
    throw new TunekitError(
      'INVALID_PARAMETER',
      `${where}: targets must be two or three different objective indices from 0 to ${directions.length - 1}, got ${describeValue(targets)}${directions.length < 2 ? ' (the study has one objective)' : ''}`,
    );
  }
  const done = completed(trials).filter((t) => (t.values as number[]).length === directions.length);
  const vals = (t: FrozenTrial): number[] => targets.map((i) => (t.values as number[])[i]!);
  const ok = done.filter(feasible);
  const bad = done.filter((t) => !feasible(t));
  const mins = ok.map((t) => targets.map((i, k) => (directions[i] === 'maximize' ? -1 : 1) * vals(t)[k]!));
  const frontIdx = paretoFrontIndices(mins);
  const onFront = new Set(frontIdx);
  const dominatedAll = ok.filter((_, i) => !onFront.has(i));
  const frontAll = frontIdx.map((i) => ok[i]!);

  // the budget: the front first, then the dominated and the infeasible by stride, in proportion
  const frontKept = downsample(frontAll.length, maxPoints).map((i) => frontAll[i]!);
  let rest = maxPoints - frontKept.length;
  const others = (options.includeDominated ?? true) ? dominatedAll.length : 0;
  const share = (n: number, total: number): number => (total === 0 ? 0 : Math.max(0, Math.floor((rest * n) / total)));
  const domBudget = share(others, others + bad.length);
  const domKept = others > 0 && domBudget >= 2 ? downsample(others, domBudget).map((i) => dominatedAll[i]!) : others > 0 && domBudget === 1 ? [dominatedAll[0]!] : [];
  rest -= domKept.length;
  const badKept = bad.length > 0 && rest >= 2 ? downsample(bad.length, rest).map((i) => bad[i]!) : bad.length > 0 && rest === 1 ? [bad[0]!] : [];
  const point = (t: FrozenTrial): ParetoPoint => ({ number: t.number, values: vals(t) });
  const data: ParetoData = {
    objectives: targets.map((i) => names[i]!),
    nTrials: done.length,
    front: frontKept.map(point),
    dominated: domKept.map(point),
    infeasible: badKept.map(point),
  };

  const title = titleOf(options, 'Pareto front');
  const pairs: [number, number][] =
    targets.length === 2
      ? [[0, 1]]
      : [
          [0, 1],
          [0, 2],
          [1, 2],
        ];
  const { grids, height } = panelGrids(pairs.length, 3, 420);
  const series: ChartSeries[] = [];
  const groups: [string, ParetoPoint[], { [key: string]: JsonValue }][] = [
    ['Trial', data.dominated, { color: '#6baed6', opacity: 0.6 }],
    ['Best trial', data.front, { color: '#d62728' }],
    ['Infeasible trial', data.infeasible, { color: '#bbbbbb', opacity: 0.6 }],
  ];
  pairs.forEach(([a, b], g) => {
    for (const [name, pts, style] of groups) {
      series.push({
        type: 'scatter',
        name,
        xAxisIndex: g,
        yAxisIndex: g,
        symbolSize: name === 'Best trial' ? 7 : 5,
        itemStyle: style,
        large: true,
        largeThreshold: 2000,
        data: pts.map((p) => [short(p.values[a]!), short(p.values[b]!), p.number]),
      });
    }
  });
  const chart: ChartOption = {
    title: { text: title, left: 'center' },
    tooltip: { trigger: 'item' },
    legend: { top: 28, data: groups.map(([n]) => n) },
    grid: grids,
    xAxis: pairs.map(([a], g) => ({ type: 'value', gridIndex: g, scale: true, name: data.objectives[a]!, nameLocation: 'middle', nameGap: 26 })),
    yAxis: pairs.map(([, b], g) => ({ type: 'value', gridIndex: g, scale: true, name: data.objectives[b]! })),
    series,
  };
  return { kind: 'pareto', title, data, chart, height: height + 20 };
}
