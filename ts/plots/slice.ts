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
  type ChartSeries,
  type JsonValue,
  type Plot,
  type StudyPlotOptions,
} from './common.js';

/** Options of {@link plotSlice}. */
export interface SliceOptions extends StudyPlotOptions {
  /**
   * The parameters drawn, one panel each.
   * @default every parameter of the trials, by name
   */
  params?: readonly string[];
  /**
   * The objective drawn (its index) when the study has several.
   * @default 0
   */
  target?: number;
}

/** One panel of {@link plotSlice}: a parameter's values against the objective. */
export interface SlicePanel {
  /** Parameter name. */
  param: string;
  /** Axis scale of the parameter. */
  scale: 'value' | 'log' | 'category';
  /** Categories of a categorical parameter (empty otherwise). */
  categories: string[];
  /** COMPLETE trials with this parameter, before downsampling. */
  nTrials: number;
  /** Trial numbers of the drawn points. */
  numbers: number[];
  /** The parameter's values (as stored). */
  paramValues: unknown[];
  /** The objective values. */
  values: number[];
}

/** The numbers of {@link plotSlice}. */
export interface SliceData {
  /** The objective's name. */
  objective: string;
  /** One panel per parameter, in order. */
  panels: SlicePanel[];
}

/** Panel layout shared by the charts with several panels: grid boxes in rows of up to `cols`. */
export function panelGrids(n: number, cols: number, panelHeight: number, top = 60): { grids: JsonValue[]; height: number } {
  const c = Math.max(1, Math.min(n, cols));
  const rows = Math.max(1, Math.ceil(n / c));
  const grids: JsonValue[] = [];
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / c);
    const col = i % c;
    grids.push({ left: `${(col * 100) / c + 6}%`, width: `${100 / c - 10}%`, top: top + r * panelHeight, height: panelHeight - 80 });
  }
  return { grids, height: top + rows * panelHeight };
}

/**
 * Slice plot (Optuna's `plot_slice`): for each parameter, the objective value
 * of each COMPLETE trial against the parameter's value (log axis for a
 * log-scale parameter, category axis for a categorical one), coloured by
 * trial number. `maxPoints` bounds the points of all panels together; each
 * panel keeps its best and worst trials, then an even stride.
 */
export function plotSlice(trials: readonly FrozenTrial[], options: SliceOptions = {}): Plot<SliceData> {
  const where = 'plotSlice';
  const maxPoints = maxPointsOf(options, where);
  const directions = directionsOf(options, where);
  const target = targetOf(options.target, directions.length, where);
  const objective = objectiveNamesOf(options, directions.length, where)[target]!;
  const direction = directions[target]!;
  const done = completed(trials);
  const dists = paramDistributions(done);
  const names = selectParams(dists, options.params, where);
  const perPanel = Math.max(2, Math.floor(maxPoints / Math.max(1, names.length)));
  const value = (t: FrozenTrial): number => (t.values as number[])[target]!;

  const panels: SlicePanel[] = [];
  const axes = names.map((n) => paramAxis(n, dists.get(n)!));
  for (const axis of axes) {
    const rows = done.filter((t) => Object.hasOwn(t.params, axis.name) && axis.coord(t.params[axis.name]) !== null);
    let bestI = -1;
    let worstI = -1;
    rows.forEach((t, i) => {
      if (bestI < 0 || better(direction, value(t), value(rows[bestI]!))) bestI = i;
      if (worstI < 0 || better(direction, value(rows[worstI]!), value(t))) worstI = i;
    });
    const picked = downsample(rows.length, perPanel, bestI >= 0 ? [bestI, worstI] : []).map((i) => rows[i]!);
    panels.push({
      param: axis.name,
      scale: axis.type,
      categories: axis.categories,
      nTrials: rows.length,
      numbers: picked.map((t) => t.number),
      paramValues: picked.map((t) => t.params[axis.name]),
      values: picked.map(value),
    });
  }

  const title = titleOf(options, 'Slice');
  const { grids, height } = panelGrids(panels.length, 3, 300);
  const series: ChartSeries[] = panels.map((p, i) => ({
    type: 'scatter',
    name: p.param,
    xAxisIndex: i,
    yAxisIndex: i,
    symbolSize: 5,
    large: true,
    largeThreshold: 2000,
    data: p.numbers.map((n, k) => [short(axes[i]!.coord(p.paramValues[k]) as number), short(p.values[k]!), n]),
  }));
  const allNumbers = panels.flatMap((p) => p.numbers);
  const chart: ChartOption = {
    title: { text: title, left: 'center' },
    tooltip: { trigger: 'item' },
    grid: grids,
    xAxis: axes.map((a, i) => axisOption(a, { gridIndex: i, nameLocation: 'middle', nameGap: 26 })),
    yAxis: axes.map((_, i) => ({ type: 'value', gridIndex: i, scale: true, name: i % 3 === 0 ? objective : '' })),
    visualMap: {
      type: 'continuous',
      dimension: 2,
      min: allNumbers.length > 0 ? Math.min(...allNumbers) : 0,
      max: allNumbers.length > 0 ? Math.max(...allNumbers, Math.min(...allNumbers) + 1) : 1,
      text: ['Trial'],
      orient: 'horizontal',
      right: 10,
      top: 22,
      itemHeight: 80,
      inRange: { color: ['#c6dbef', '#6baed6', '#2171b5', '#08306b'] },
    },
    series,
  };
  return { kind: 'slice', title, data: { objective, panels }, chart, height };
}
