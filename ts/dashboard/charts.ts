import { TunekitError } from '../errors.js';
import { paramImportances, type ImportanceEvaluator } from '../importance/index.js';
import {
  plotContour,
  plotEdf,
  plotHypervolumeHistory,
  plotIntermediateValues,
  plotOptimizationHistory,
  plotParallelCoordinate,
  plotParamImportances,
  plotParetoFront,
  plotRank,
  plotSlice,
  plotTimeline,
  type Plot,
  type StudyPlotOptions,
} from '../plots/index.js';
import type { FrozenTrial } from '../study/types.js';
import type { StudyCache } from './cache.js';
import { ApiError } from './query.js';

/** What a chart function gets besides the trials. */
interface ChartContext {
  options: StudyPlotOptions & { target: number; params?: string[] };
  /** The contour's two parameters, if the query names them. */
  contour?: [string, string];
  evaluator: ImportanceEvaluator;
  nObjectives: number;
  nParams: number;
  hasIntermediate: boolean;
}

type Maker = (trials: readonly FrozenTrial[], c: ChartContext) => Plot<unknown> | Promise<Plot<unknown>>;

/** The study page's charts, in page order: when each applies, and how it is made (a ts/plots function). */
const CHARTS: Record<string, { applies(c: ChartContext): boolean; make: Maker }> = {
  history: { applies: () => true, make: (t, c) => plotOptimizationHistory(t, c.options) },
  intermediate: { applies: (c) => c.hasIntermediate, make: (t, c) => plotIntermediateValues(t, c.options) },
  importance: {
    applies: (c) => c.nParams > 0,
    make: async (t, c) => {
      const k = c.options.target;
      const maximize = c.options.directions?.[k] === 'maximize';
      // PED-ANOVA reads a lower target as better: the objective, negated when maximised.
      const target = c.evaluator === 'ped-anova' ? (x: FrozenTrial) => (maximize ? -1 : 1) * (x.values as number[])[k]! : (x: FrozenTrial) => (x.values as number[])[k]!;
      const importances = await paramImportances(t, { evaluator: c.evaluator, target });
      return plotParamImportances(importances, { title: `Parameter importance (${c.evaluator === 'fanova' ? 'fANOVA' : 'PED-ANOVA'})` });
    },
  },
  parallel: { applies: (c) => c.nParams > 0, make: (t, c) => plotParallelCoordinate(t, c.options) },
  slice: { applies: (c) => c.nParams > 0, make: (t, c) => plotSlice(t, c.options) },
  contour: { applies: (c) => c.nParams > 1, make: (t, c) => plotContour(t, { ...c.options, params: c.contour }) },
  edf: { applies: () => true, make: (t, c) => plotEdf(t, c.options) },
  rank: { applies: (c) => c.nParams > 0, make: (t, c) => plotRank(t, c.options) },
  pareto: { applies: (c) => c.nObjectives === 2 || c.nObjectives === 3, make: (t, c) => plotParetoFront(t, c.options) },
  hypervolume: { applies: (c) => c.nObjectives > 1, make: (t, c) => plotHypervolumeHistory(t, c.options) },
  timeline: { applies: () => true, make: (t, c) => plotTimeline(t, c.options) },
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
  const contourParam = q.get('contour');
  let contour: [string, string] | undefined;
  if (contourParam !== null && contourParam !== '') {
    const two = contourParam.split(',');
    if (two.length !== 2) throw new ApiError(400, 'BAD_QUERY', `contour: expected two parameter names, comma-separated, got ${JSON.stringify(contourParam)}`);
    contour = two as [string, string];
  }
  const evaluator = q.get('evaluator') ?? 'ped-anova';
  if (evaluator !== 'ped-anova' && evaluator !== 'fanova') throw new ApiError(400, 'BAD_QUERY', `evaluator: expected ped-anova or fanova, got ${JSON.stringify(evaluator)}`);
  const key = JSON.stringify([kinds, target, paramsParam, contourParam, evaluator, maxPoints]);
  const known = memo.get(s);
  if (known !== undefined && known.version === s.version && known.key === key) return known.result;
  const trials = s.trials();
  const c: ChartContext = {
    options: { maxPoints, directions, target, ...(paramsParam === null || paramsParam === '' ? {} : { params: paramsParam.split(',') }) },
    ...(contour === undefined ? {} : { contour }),
    evaluator,
    nObjectives: directions.length,
    nParams: s.overview().paramNames.length,
    hasIntermediate: trials.some((t) => Object.keys(t.intermediateValues).length > 0),
  };
  const charts: DashboardChart[] = [];
  const errors: { kind: string; code: string; message: string }[] = [];
  for (const kind of kinds) {
    const chart = CHARTS[kind];
    if (chart === undefined || !chart.applies(c)) continue;
    try {
      charts.push(await chart.make(trials, c));
    } catch (err) {
      if (!(err instanceof TunekitError)) throw err;
      errors.push({ kind, code: err.code, message: err.message });
    }
  }
  const result = { charts, errors };
  memo.set(s, { version: s.version, key, result });
  return result;
}
