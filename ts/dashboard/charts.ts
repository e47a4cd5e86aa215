import { TunekitError } from '../errors.js';
import { plotIntermediateValues, plotOptimizationHistory, plotParallelCoordinate, plotSlice, type Plot, type StudyPlotOptions } from '../plots/index.js';
import type { FrozenTrial } from '../study/types.js';
import type { StudyCache } from './cache.js';
import { ApiError } from './query.js';

/** What a chart function gets besides the trials. */
interface ChartContext {
  options: StudyPlotOptions & { target: number; params?: string[] };
  nObjectives: number;
  hasIntermediate: boolean;
}

/** The study page's charts, in page order: when each applies, and how it is made (a ts/plots function). */
const CHARTS: Record<string, { applies(c: ChartContext): boolean; make(trials: readonly FrozenTrial[], c: ChartContext): Plot<unknown> }> = {
  history: { applies: () => true, make: (t, c) => plotOptimizationHistory(t, c.options) },
  intermediate: { applies: (c) => c.hasIntermediate, make: (t, c) => plotIntermediateValues(t, c.options) },
  parallel: { applies: () => true, make: (t, c) => plotParallelCoordinate(t, c.options) },
  slice: { applies: () => true, make: (t, c) => plotSlice(t, c.options) },
};

/** The chart kinds the API knows, in page order. */
export const CHART_KINDS: readonly string[] = Object.keys(CHARTS);

/** One chart of the study page: a ts/plots {@link Plot} (its `kind`, `title`, `data`, `chart`, `height`). */
export type DashboardChart = Plot<unknown>;

const memo = new WeakMap<StudyCache, { version: number; key: string; result: { charts: DashboardChart[]; errors: { kind: string; code: string; message: string }[] } }>();

/**
 * The study's charts, from the cached trials, each thinned to `maxPoints`
 * by the plot functions. `kinds` (comma-separated) picks some, `target` the
 * objective, `params` (comma-separated) the parameters of the slice and
 * parallel-coordinate charts. A chart that cannot be drawn for this study
 * is left out and named in `errors`. Results are kept until the study changes.
 */
export async function chartsOf(s: StudyCache, q: URLSearchParams, maxPoints: number): Promise<{ charts: DashboardChart[]; errors: { kind: string; code: string; message: string }[] }> {
  const kindsParam = q.get('kinds');
  const kinds = kindsParam === null || kindsParam === '' ? CHART_KINDS : kindsParam.split(',');
  for (const k of kinds) if (!Object.hasOwn(CHARTS, k)) throw new ApiError(400, 'BAD_QUERY', `kinds: expected some of ${CHART_KINDS.join(', ')}, got ${JSON.stringify(k)}`);
  const directions = s.record.directions;
  const targetParam = q.get('target') ?? '0';
  const target = Number(targetParam);
  if (!Number.isInteger(target) || target < 0 || target >= directions.length) {
    throw new ApiError(400, 'BAD_QUERY', `target: expected an objective index in [0, ${directions.length - 1}], got ${JSON.stringify(targetParam)}`);
  }
  const paramsParam = q.get('params');
  const key = JSON.stringify([kinds, target, paramsParam, maxPoints]);
  const known = memo.get(s);
  if (known !== undefined && known.version === s.version && known.key === key) return known.result;
  const trials = s.trials();
  const c: ChartContext = {
    options: { maxPoints, directions, target, ...(paramsParam === null || paramsParam === '' ? {} : { params: paramsParam.split(',') }) },
    nObjectives: directions.length,
    hasIntermediate: trials.some((t) => Object.keys(t.intermediateValues).length > 0),
  };
  const charts: DashboardChart[] = [];
  const errors: { kind: string; code: string; message: string }[] = [];
  for (const kind of kinds) {
    const chart = CHARTS[kind];
    if (chart === undefined || !chart.applies(c)) continue;
    try {
      charts.push(chart.make(trials, c));
    } catch (err) {
      if (!(err instanceof TunekitError)) throw err;
      errors.push({ kind, code: err.code, message: err.message });
    }
  }
  const result = { charts, errors };
  memo.set(s, { version: s.version, key, result });
  return result;
}
