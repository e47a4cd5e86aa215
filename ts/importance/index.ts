/**
 * Parameter importance: which parameters of a study explain its objective,
 * by PED-ANOVA (Watanabe et al., IJCAI 2023; Optuna 5's default) or fANOVA
 * (Hutter et al., ICML 2014) over a random forest. The computation runs in
 * the native core, off the event loop; this file picks the trials and
 * parameters and encodes them (see docs/importance.md).
 */
import { describeValue, TunekitError } from '../errors.js';
import { guard, native } from '../native.js';
import { keyedRecord } from '../keyed.js';
import { sameDistribution, toValue } from '../study/distributions.js';
import { intersectionSpace } from '../study/samplers/intersection.js';
import { searchSpaceOf } from '../study/samplers/space_of.js';
import type { Study } from '../study/study.js';
import type { Distribution, FrozenTrial, StudyDirection } from '../study/types.js';

/** The importance evaluators. */
export type ImportanceEvaluator = 'ped-anova' | 'fanova';

/** Options of {@link paramImportances}; left-out numbers take the core's defaults (Optuna 5.1's). */
export interface ImportanceOptions {
  /**
   * The method: PED-ANOVA (closed form, fast, how much each parameter's
   * distribution among the best trials differs from all trials') or fANOVA
   * (share of a random forest's variance each parameter's marginal explains).
   * @default 'ped-anova'
   */
  evaluator?: ImportanceEvaluator;
  /**
   * The parameters to assess.
   * @default the parameters every COMPLETE trial has with the same distribution (Optuna's intersection search space)
   */
  params?: readonly string[];
  /**
   * The number to explain, per COMPLETE trial. PED-ANOVA takes lower as
   * better for a custom target (negate a quantity to maximise, as in Optuna).
   * @default the trial's single objective value (negated for PED-ANOVA when the direction is 'maximize'); required with several objectives
   */
  target?: (t: FrozenTrial) => number;
  /**
   * The direction of the objective, for PED-ANOVA's "best trials" when the
   * trials are given without their study and no `target` is set.
   * @default the study's direction, or 'minimize' for a bare list of trials
   */
  direction?: StudyDirection;
  /**
   * PED-ANOVA: the top quantile of trials whose parameter distribution is
   * compared (Optuna's `target_quantile`, formerly `baseline_quantile`).
   * @default 0.1
   */
  targetQuantile?: number;
  /**
   * PED-ANOVA: the quantile of trials the top ones are compared with
   * (Optuna's `region_quantile`; 1 = all trials).
   * @default 1
   */
  regionQuantile?: number;
  /**
   * PED-ANOVA: compare with the distribution of the trials (true) or with the
   * uniform distribution over each parameter's domain (false).
   * @default true
   */
  evaluateOnLocal?: boolean;
  /**
   * fANOVA: trees in the random forest.
   * @default 64
   */
  nTrees?: number;
  /**
   * fANOVA: maximum depth of a tree.
   * @default 64
   */
  maxDepth?: number;
  /**
   * fANOVA: the forest's seed (a seed gives one answer whatever the number of threads).
   * @default 0
   */
  seed?: number;
}

const OPTION_KEYS = new Set(['evaluator', 'params', 'target', 'direction', 'targetQuantile', 'regionQuantile', 'evaluateOnLocal', 'nTrees', 'maxDepth', 'seed']);

function bad(message: string): never {
  throw new TunekitError('INVALID_PARAMETER', `paramImportances: ${message}`);
}

function checkOptions(o: ImportanceOptions): void {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) bad(`options must be an object, got ${describeValue(o)}`);
  for (const k of Object.keys(o)) if (!OPTION_KEYS.has(k)) bad(`unknown option ${JSON.stringify(k)} (known: ${[...OPTION_KEYS].join(', ')})`);
  if (o.evaluator !== undefined && o.evaluator !== 'ped-anova' && o.evaluator !== 'fanova') bad(`evaluator must be 'ped-anova' or 'fanova', got ${describeValue(o.evaluator)}`);
  if (o.direction !== undefined && o.direction !== 'minimize' && o.direction !== 'maximize') bad(`direction must be 'minimize' or 'maximize', got ${describeValue(o.direction)}`);
  if (o.params !== undefined && (!Array.isArray(o.params) || o.params.some((p) => typeof p !== 'string'))) bad(`params must be an array of parameter names, got ${describeValue(o.params)}`);
  if (o.target !== undefined && typeof o.target !== 'function') bad(`target must be a function of a trial, got ${describeValue(o.target)}`);
  for (const k of ['targetQuantile', 'regionQuantile'] as const) if (o[k] !== undefined && typeof o[k] !== 'number') bad(`${k} must be a number, got ${describeValue(o[k])}`);
  if (o.evaluateOnLocal !== undefined && typeof o.evaluateOnLocal !== 'boolean') bad(`evaluateOnLocal must be a boolean, got ${describeValue(o.evaluateOnLocal)}`);
  for (const k of ['nTrees', 'maxDepth', 'seed'] as const) {
    const v = o[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff)) bad(`${k} must be an integer in [0, 2^32), got ${describeValue(v)}`);
  }
}

/** The parameters to assess and their distributions. */
function spaceOf(trials: readonly FrozenTrial[], params: readonly string[] | undefined): Record<string, Distribution> {
  if (params === undefined) return intersectionSpace(trials);
  const out = keyedRecord<Distribution>();
  for (const name of params) {
    let d: Distribution | undefined;
    for (const t of trials) {
      const other = t.distributions[name];
      if (other === undefined) continue;
      if (d === undefined) d = other;
      else if (!sameDistribution(d, other)) bad(`parameter ${JSON.stringify(name)} has different distributions in different trials; importance needs one`);
    }
    if (d === undefined) bad(`no COMPLETE trial has parameter ${JSON.stringify(name)}`);
    out[name] = d;
  }
  return out;
}

/**
 * The importance of each parameter for the COMPLETE trials of `trials` (or
 * of a study): non-negative numbers summing to 1 (equal shares when nothing
 * matters), keyed by parameter name from the most to the least important,
 * as Optuna's `get_param_importances`. With `params` given, trials lacking one
 * of them are left out. A parameter with one possible value gets 0.
 *
 * Throws INVALID_PARAMETER for a bad option (naming it), INVALID_DATA for
 * fewer than 2 usable trials, a non-finite target (naming the trial), several
 * objectives without `target`, or no parameter to assess.
 */
export async function paramImportances(source: readonly FrozenTrial[] | Study, options: ImportanceOptions = {}): Promise<Record<string, number>> {
  checkOptions(options);
  let trials: readonly FrozenTrial[];
  let direction = options.direction;
  if (Array.isArray(source)) {
    trials = source;
  } else {
    const study = source as Study;
    trials = await study.trials(['COMPLETE']);
    if (study.directions.length > 1 && options.target === undefined) {
      throw new TunekitError('INVALID_DATA', `paramImportances: study ${JSON.stringify(study.name)} has ${study.directions.length} objectives: give a target, e.g. { target: (t) => t.values![0] }`);
    }
    direction ??= study.directions[0];
  }
  const complete = trials.filter((t) => t.state === 'COMPLETE');
  const space = spaceOf(complete, options.params);
  const names = Object.keys(space).filter((n) => n !== '__proto__');
  if (names.length === 0) {
    throw new TunekitError('INVALID_DATA', options.params === undefined ? 'paramImportances: no parameter is common to all COMPLETE trials' : 'paramImportances: params is empty');
  }
  const used = complete.filter((t) => names.every((n) => Object.hasOwn(t.params, n) && t.distributions[n] !== undefined && sameDistribution(t.distributions[n], space[n]!)));
  const evaluator = options.evaluator ?? 'ped-anova';
  const sign = options.target === undefined && evaluator === 'ped-anova' && direction === 'maximize' ? -1 : 1;
  const targets = new Float64Array(used.length);
  const points = new Float64Array(used.length * names.length);
  used.forEach((t, i) => {
    if (options.target !== undefined) {
      targets[i] = options.target(t);
    } else {
      const values = t.values ?? [];
      if (values.length !== 1) {
        throw new TunekitError('INVALID_DATA', `paramImportances: trial ${t.number} has ${values.length} objective values: give a target, e.g. { target: (t) => t.values![0] }`);
      }
      targets[i] = sign * values[0]!;
    }
    names.forEach((n, j) => (points[i * names.length + j] = toValue(space[n]!, t.params[n])));
  });
  const record: Record<string, Distribution> = {};
  for (const n of names) record[n] = space[n]!;
  const out = await guard(() =>
    native.paramImportances({
      space: searchSpaceOf(record).native,
      points,
      targets,
      numbers: used.map((t) => t.number),
      evaluator,
      targetQuantile: options.targetQuantile,
      regionQuantile: options.regionQuantile,
      evaluateOnLocal: options.evaluateOnLocal,
      nTrees: options.nTrees,
      maxDepth: options.maxDepth,
      seed: options.seed,
    }),
  );
  const result: Record<string, number> = {};
  for (const k of out.order) result[names[k]!] = out.values[k]!;
  return result;
}
