import { describeValue, TunekitError } from '../errors.js';
import { short, titleOf, type ChartOption, type Plot, type PlotOptions } from './common.js';

/** The numbers of {@link plotParamImportances}: parameters from the most to the least important. */
export interface ImportanceData {
  /** Parameter names, most important first. */
  params: string[];
  /** Their importances, in the same order. */
  importances: number[];
}

/**
 * Parameter importances (Optuna's `plot_param_importances`) as a horizontal
 * bar chart, most important on top. Takes importances already computed
 * (`paramImportances` of `tunekit`, or any name → finite non-negative number);
 * `maxPoints` bounds the bars (the most important kept).
 */
export function plotParamImportances(importances: Readonly<Record<string, number>>, options: PlotOptions & { /** Axis label. @default 'Importance' */ label?: string } = {}): Plot<ImportanceData> {
  const where = 'plotParamImportances';
  if (typeof importances !== 'object' || importances === null || Array.isArray(importances)) {
    throw new TunekitError('INVALID_PARAMETER', `${where}: importances must be an object of parameter name → number, got ${describeValue(importances)}`);
  }
  const entries = Object.entries(importances);
  for (const [k, v] of entries) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new TunekitError('INVALID_PARAMETER', `${where}: the importance of ${JSON.stringify(k)} must be a finite number ≥ 0, got ${describeValue(v)}`);
    }
  }
  const max = options.maxPoints ?? 5000;
  if (!Number.isInteger(max) || max < 2) throw new TunekitError('INVALID_PARAMETER', `${where}: maxPoints must be an integer ≥ 2, got ${describeValue(max)}`);
  entries.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const kept = entries.slice(0, max);
  const data: ImportanceData = { params: kept.map(([k]) => k), importances: kept.map(([, v]) => v) };
  const title = titleOf(options, 'Parameter importances');
  const label = options.label ?? 'Importance';
  // bottom to top in ECharts' category order: least important first
  const rev = kept.slice().reverse();
  const chart: ChartOption = {
    title: { text: title, left: 'center' },
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    grid: { left: 140, right: 60, top: 50, bottom: 40 },
    xAxis: { type: 'value', name: label, nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'category', data: rev.map(([k]) => k), axisLabel: { width: 130, overflow: 'truncate' } },
    series: [{ type: 'bar', name: label, data: rev.map(([, v]) => short(v)), label: { show: true, position: 'right', formatter: '{c}' }, color: '#1f77b4' }],
  };
  return { kind: 'importance', title, data, chart, height: Math.max(220, 80 + 28 * kept.length) };
}
