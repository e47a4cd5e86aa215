import { describeValue, TunekitError } from '../errors.js';
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
  type ParamAxis,
  type Plot,
  type StudyPlotOptions,
} from './common.js';

/** Options of {@link plotContour}. */
export interface ContourOptions extends StudyPlotOptions {
  /**
   * The two parameters (x, then y).
   * @default the first two parameters of the trials, by name
   */
  params?: readonly [string, string];
  /**
   * Grid cells along each numeric axis (a categorical axis has one cell per choice).
   * @default 50
   */
  gridSize?: number;
  /**
   * The objective drawn (its index) when the study has several.
   * @default 0
   */
  target?: number;
}

/** One axis of the contour grid. */
export interface ContourAxis {
  /** Parameter name. */
  param: string;
  /** Axis scale. */
  scale: 'value' | 'log' | 'category';
  /** The cells' centres (parameter values; category labels on a categorical axis). */
  centers: (number | string)[];
  /** The axis range drawn, `[low, high]` (cell edges; category index ± 0.5 on a categorical axis). */
  range: [number, number];
}

/** The numbers of {@link plotContour}. */
export interface ContourData {
  /** The objective's name. */
  objective: string;
  /** The x axis (first parameter). */
  x: ContourAxis;
  /** The y axis (second parameter). */
  y: ContourAxis;
  /** The interpolated objective, `z[j][i]` at (x cell i, y cell j): `y.centers.length` rows of `x.centers.length`. */
  z: number[][];
  /** COMPLETE trials with both parameters, before downsampling. */
  nTrials: number;
  /** The trials interpolated and drawn: number, x value, y value, objective value. */
  points: { number: number; x: unknown; y: unknown; value: number }[];
}

/** Where a value lies on an axis, in [0, 1] (log scale in log space), for distances. */
function unitOf(axis: ParamAxis, lo: number, hi: number, c: number): number {
  if (axis.type === 'category') return axis.categories.length > 1 ? c / (axis.categories.length - 1) : 0;
  const f = axis.type === 'log' ? Math.log : (v: number): number => v;
  return hi > lo ? (f(c) - f(lo)) / (f(hi) - f(lo)) : 0;
}

/**
 * Contour plot (Optuna's `plot_contour`) of any two parameters: the
 * objective interpolated on a grid by inverse-distance weighting (power 2,
 * distances in the unit square, log parameters in log space, categories by
 * index; a cell on a trial takes its value) as a heatmap, with the trials as
 * points on top. The interpolation uses at most `maxPoints` trials (the
 * best and the worst, then an even stride); cost is cells × trials.
 */
export function plotContour(trials: readonly FrozenTrial[], options: ContourOptions = {}): Plot<ContourData> {
  const where = 'plotContour';
  const maxPoints = maxPointsOf(options, where);
  const directions = directionsOf(options, where);
  const target = targetOf(options.target, directions.length, where);
  const objective = objectiveNamesOf(options, directions.length, where)[target]!;
  const direction = directions[target]!;
  const gridSize = options.gridSize ?? 50;
  if (!Number.isInteger(gridSize) || gridSize < 2 || gridSize > 500) {
    throw new TunekitError('INVALID_PARAMETER', `${where}: gridSize must be an integer from 2 to 500, got ${describeValue(gridSize)}`);
  }
  const done = completed(trials);
  const dists = paramDistributions(done);
  let names: string[];
  if (options.params === undefined) {
    names = [...dists.keys()].slice(0, 2);
    if (names.length < 2) throw new TunekitError('INVALID_PARAMETER', `${where}: a contour needs two parameters, the trials have ${names.length === 0 ? 'none' : names.join(', ')}`);
  } else {
    names = selectParams(dists, options.params, where);
    if (names.length !== 2 || names[0] === names[1]) {
      throw new TunekitError('INVALID_PARAMETER', `${where}: params must name two different parameters, got ${describeValue(options.params)}`);
    }
  }
  const ax = paramAxis(names[0]!, dists.get(names[0]!)!);
  const ay = paramAxis(names[1]!, dists.get(names[1]!)!);
  const value = (t: FrozenTrial): number => (t.values as number[])[target]!;
  const rows = done.filter((t) => ax.coord(t.params[ax.name]) !== null && ay.coord(t.params[ay.name]) !== null);
  let bestI = -1;
  let worstI = -1;
  rows.forEach((t, i) => {
    if (bestI < 0 || better(direction, value(t), value(rows[bestI]!))) bestI = i;
    if (worstI < 0 || better(direction, value(rows[worstI]!), value(t))) worstI = i;
  });
  const picked = downsample(rows.length, maxPoints, bestI >= 0 ? [bestI, worstI] : []).map((i) => rows[i]!);
  const px = picked.map((t) => ax.coord(t.params[ax.name]) as number);
  const py = picked.map((t) => ay.coord(t.params[ay.name]) as number);
  const pv = picked.map(value);

  const axisOf = (a: ParamAxis, coords: number[]): { axis: ContourAxis; cells: number[]; lo: number; hi: number } => {
    if (a.type === 'category') {
      const k = a.categories.length;
      return { axis: { param: a.name, scale: a.type, centers: [...a.categories], range: [-0.5, k - 0.5] }, cells: a.categories.map((_, i) => i), lo: 0, hi: k - 1 };
    }
    let lo = coords.length > 0 ? Math.min(...coords) : 0;
    let hi = coords.length > 0 ? Math.max(...coords) : 1;
    if (!(hi > lo)) [lo, hi] = a.type === 'log' ? [lo / 2 || 0.5, (hi || 1) * 2] : [lo - 0.5, hi + 0.5];
    const cells: number[] = [];
    for (let i = 0; i < gridSize; i++) {
      const u = (i + 0.5) / gridSize;
      cells.push(a.type === 'log' ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo));
    }
    return { axis: { param: a.name, scale: a.type, centers: cells, range: [lo, hi] }, cells, lo, hi };
  };
  const gx = axisOf(ax, px);
  const gy = axisOf(ay, py);
  const ux = px.map((c) => unitOf(ax, gx.lo, gx.hi, c));
  const uy = py.map((c) => unitOf(ay, gy.lo, gy.hi, c));
  const z: number[][] = [];
  for (const cy of gy.cells) {
    const row: number[] = [];
    const vy = unitOf(ay, gy.lo, gy.hi, cy);
    for (const cx of gx.cells) {
      const vx = unitOf(ax, gx.lo, gx.hi, cx);
      let num = 0;
      let den = 0;
      let exact = NaN;
      for (let k = 0; k < pv.length; k++) {
        const dx = ux[k]! - vx;
        const dy = uy[k]! - vy;
        const d2 = dx * dx + dy * dy;
        if (d2 < 1e-18) {
          exact = pv[k]!;
          break;
        }
        const w = 1 / d2;
        num += w * pv[k]!;
        den += w;
      }
      row.push(Number.isNaN(exact) ? (den > 0 ? num / den : NaN) : exact);
    }
    z.push(row);
  }

  const data: ContourData = {
    objective,
    x: gx.axis,
    y: gy.axis,
    z,
    nTrials: rows.length,
    points: picked.map((t, k) => ({ number: t.number, x: t.params[ax.name], y: t.params[ay.name], value: pv[k]! })),
  };
  const title = titleOf(options, `Contour: ${ax.name} × ${ay.name}`);
  const flat = z.flat().filter((v) => Number.isFinite(v));
  const cellData: JsonValue[] = [];
  z.forEach((row, j) => row.forEach((v, i) => cellData.push([i, j, Number.isFinite(v) ? short(v) : null])));
  const hiddenCategory = (n: number, gridIndex: number): { [key: string]: JsonValue } => ({
    type: 'category',
    data: Array.from({ length: n }, (_, i) => i),
    show: false,
    gridIndex,
  });
  const scatterAxis = (a: ParamAxis, g: ReturnType<typeof axisOf>): { [key: string]: JsonValue } =>
    a.type === 'category'
      ? axisOption(a, { nameLocation: 'middle', nameGap: 28 })
      : axisOption(a, { min: short(g.lo), max: short(g.hi), scale: false, nameLocation: 'middle', nameGap: 28, splitLine: { show: false } });
  const chart: ChartOption = {
    title: { text: title, left: 'center' },
    tooltip: { trigger: 'item' },
    grid: { left: 80, right: 110, top: 50, bottom: 60 },
    // axis 0: the heatmap's cells (hidden category axes); axis 1: the parameters' scales, for the points
    xAxis: [hiddenCategory(gx.cells.length, 0), { ...scatterAxis(ax, gx), gridIndex: 0, position: 'bottom' }],
    yAxis: [hiddenCategory(gy.cells.length, 0), { ...scatterAxis(ay, gy), gridIndex: 0, position: 'left' }],
    visualMap: {
      type: 'continuous',
      seriesIndex: 0,
      min: flat.length > 0 ? short(Math.min(...flat)) : 0,
      max: flat.length > 0 ? short(Math.max(...flat)) : 1,
      calculable: true,
      right: 10,
      top: 'middle',
      text: [objective],
      inRange: { color: ['#313695', '#4575b4', '#74add1', '#abd9e9', '#e0f3f8', '#fee090', '#fdae61', '#f46d43', '#d73027', '#a50026'] },
    },
    series: [
      { type: 'heatmap', name: objective, xAxisIndex: 0, yAxisIndex: 0, data: cellData, progressive: 5000 },
      {
        type: 'scatter',
        name: 'Trials',
        xAxisIndex: 1,
        yAxisIndex: 1,
        symbolSize: 5,
        itemStyle: { color: '#000000', borderColor: '#ffffff', borderWidth: 0.5 },
        large: true,
        data: picked.map((_, k) => [short(px[k]!), short(py[k]!), short(pv[k]!)]),
      },
    ],
  };
  return { kind: 'contour', title, data, chart, height: 480 };
}
