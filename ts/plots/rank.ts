import type { FrozenTrial } from '../study/types.js';
import {
  axisOption,
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
  type ChartSeries,
  type Plot,
  type StudyPlotOptions,
} from './common.js';
import { panelGrids } from './slice.js';

/** Options of {@link plotRank}. */
export interface RankOptions extends StudyPlotOptions {
  /**
   * The parameters; one panel per pair (one parameter: its values against the objective).
   * @default the first three parameters of the trials, by name (three panels)
   */
  params?: readonly string[];
  /**
   * The objective ranked (its index) when the study has several.
   * @default 0
   */
  target?: number;
}

/** One panel of {@link plotRank}. */
export interface RankPanel {
  /** The x parameter. */
  x: string;
  /** The y parameter (the objective's name on a one-parameter plot). */
  y: string;
  /** Trial numbers of the drawn points. */
  numbers: number[];
  /** Their x values (as stored). */
  xValues: unknown[];
  /** Their y values (as stored; objective values on a one-parameter plot). */
  yValues: unknown[];
  /** Their rank as a fraction: 0 for the best trial of the study, 1 for the worst. */
  ranks: number[];
}

/** The numbers of {@link plotRank}. */
export interface RankData {
  /** The objective's name. */
  objective: string;
  /** COMPLETE trials with a finite value. */
  nTrials: number;
  /** The panels, one per pair of parameters. */
  panels: RankPanel[];
}

/**
 * Rank plot (Optuna's `plot_rank`): for each pair of parameters, the trials
 * as points coloured by the rank of their objective value (best 0, worst 1;
 * ties share the lower rank), so regions of good trials show whatever the
 * objective's scale. `maxPoints` bounds all panels together; each keeps its
 * best and worst trials, then an even stride.
 */
export function plotRank(trials: readonly FrozenTrial[], options: RankOptions = {}): Plot<RankData> {
  const where = 'plotRank';
  const maxPoints = maxPointsOf(options, where);
  const directions = directionsOf(options, where);
  const target = targetOf(options.target, directions.length, where);
  const objective = objectiveNamesOf(options, directions.length, where)[target]!;
  const direction = directions[target]!;
  const done = completed(trials);
  const dists = paramDistributions(done);
  const names = options.params === undefined ? [...dists.keys()].slice(0, 3) : selectParams(dists, options.params, where);
  const value = (t: FrozenTrial): number => (t.values as number[])[target]!;

  // rank fraction of every trial: the count of strictly better trials over n - 1
  const sign = direction === 'maximize' ? -1 : 1;
  const key = Float64Array.from(done, (t) => sign * value(t));
  const order = done.map((_, i) => i).sort((a, b) => key[a]! - key[b]! || a - b);
  const rankAt = new Float64Array(done.length);
  let r = 0;
  order.forEach((i, k) => {
    if (k > 0 && key[order[k - 1]!] !== key[i]) r = k;
    rankAt[i] = done.length > 1 ? r / (done.length - 1) : 0;
  });
  const indexOf = new Map<FrozenTrial, number>();
  done.forEach((t, i) => indexOf.set(t, i));
  const rank = { get: (t: FrozenTrial): number => rankAt[indexOf.get(t)!]! };
  const axes = names.map((n) => paramAxis(n, dists.get(n)!));
  const pairs: [number, number][] = [];
  for (let i = 0; i < axes.length; i++) for (let j = i + 1; j < axes.length; j++) pairs.push([i, j]);
  const single = axes.length === 1;
  if (single) pairs.push([0, -1]);
  const perPanel = Math.max(2, Math.floor(maxPoints / Math.max(1, pairs.length)));

  const panels: RankPanel[] = [];
  const coords: [number, number][][] = [];
  for (const [i, j] of pairs) {
    const ax = axes[i]!;
    const ay = j >= 0 ? axes[j]! : null;
    const rows = done.filter((t) => ax.coord(t.params[ax.name]) !== null && (ay === null || ay.coord(t.params[ay.name]) !== null));
    let bestI = -1;
    let worstI = -1;
    rows.forEach((t, k) => {
      if (bestI < 0 || rank.get(t) < rank.get(rows[bestI]!)) bestI = k;
      if (worstI < 0 || rank.get(t) > rank.get(rows[worstI]!)) worstI = k;
    });
    const picked = downsample(rows.length, perPanel, bestI >= 0 ? [bestI, worstI] : []).map((k) => rows[k]!);
    panels.push({
      x: ax.name,
      y: ay === null ? objective : ay.name,
      numbers: picked.map((t) => t.number),
      xValues: picked.map((t) => t.params[ax.name]),
      yValues: picked.map((t) => (ay === null ? value(t) : t.params[ay.name])),
      ranks: picked.map((t) => rank.get(t)),
    });
    coords.push(picked.map((t) => [ax.coord(t.params[ax.name]) as number, ay === null ? value(t) : (ay.coord(t.params[ay.name]) as number)]));
  }

  const title = titleOf(options, 'Rank');
  const { grids, height } = panelGrids(panels.length, 3, 320);
  const series: ChartSeries[] = panels.map((p, g) => ({
    type: 'scatter',
    name: `${p.x} × ${p.y}`,
    xAxisIndex: g,
    yAxisIndex: g,
    symbolSize: 6,
    large: true,
    largeThreshold: 2000,
    data: p.numbers.map((n, k) => [short(coords[g]![k]![0]), short(coords[g]![k]![1]), short(p.ranks[k]!), n]),
  }));
  const chart: ChartOption = {
    title: { text: title, left: 'center' },
    tooltip: { trigger: 'item' },
    grid: grids,
    xAxis: pairs.map(([i], g) => axisOption(axes[i]!, { gridIndex: g, nameLocation: 'middle', nameGap: 26 })),
    yAxis: pairs.map(([, j], g) => (j >= 0 ? axisOption(axes[j]!, { gridIndex: g }) : { type: 'value', gridIndex: g, scale: true, name: objective })),
    visualMap: {
      type: 'continuous',
      dimension: 2,
      min: 0,
      max: 1,
      text: ['worst', 'best'],
      orient: 'horizontal',
      right: 10,
      top: 22,
      itemHeight: 80,
      inRange: { color: ['#1a9850', '#91cf60', '#d9ef8b', '#fee08b', '#fc8d59', '#d73027'] },
    },
    series,
  };
  return { kind: 'rank', title, data: { objective, nTrials: done.length, panels }, chart, height };
}
