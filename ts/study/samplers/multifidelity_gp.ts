import { toNativeAcquisition, type AcquisitionOptions } from '../../bayes/acquisition.js';
import { describeValue, TunekitError } from '../../errors.js';
import { enumList, guard, isEnumValue, native, type GpKernel, type ParamSpec } from '../../native.js';
import { resolveSeed } from '../../seed.js';
import type { Distribution, FrozenTrial } from '../types.js';
import { defaultRelativeSpace } from './intersection.js';
import { independentDraw } from './random.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { gpHistory } from './gp.js';
import { searchable, searchSpaceOf, valuesOf } from './space_of.js';

/** Options of {@link MultiFidelityGPSampler}. */
export interface MultiFidelityGPSamplerOptions {
  /** @default a random seed */
  seed?: number;
  /**
   * Trials with at least one observation (a reported step, or a COMPLETE
   * value; FAIL trials too with `failureAware`) drawn uniformly before the
   * Gaussian process takes over.
   * @default 10
   */
  nStartupTrials?: number;
  /**
   * The budget (step) every proposal is made at: the top of the fidelity
   * dimension, where a trial that runs to the end is evaluated. Steps above
   * it count as this budget.
   * @default the largest step any trial has reported (a COMPLETE trial that reported nothing counts at it)
   */
  maxBudget?: number;
  /**
   * Reported steps of each trial that become observations: its last one and
   * others spread evenly on the log-budget scale between its first and last
   * (all of them when it reported fewer). More observations cost O(n³) per
   * proposal: beyond {@link MULTIFIDELITY_GP_OBSERVATIONS} / trials, each trial gives
   * that many (at least 1). An integer ≥ 1.
   * @default 4
   */
  budgetsPerTrial?: number;
  /** @default { kind: 'logei' } */
  acquisition?: AcquisitionOptions;
  /** @default the core's, 'matern52' */
  kernel?: GpKernel;
  /** Learn where trials fail (as {@link GPSamplerOptions.failureAware}). @default true */
  failureAware?: boolean;
}

/** One observation of the budget-aware model: a trial's value at a budget. */
export interface FidelityObservation {
  /** The trial observed. */
  trial: FrozenTrial;
  /** The budget (step), at most the model's top budget. */
  budget: number;
  /** The value reported at that step (the objective value for a COMPLETE trial at the top budget). */
  value: number;
}

/**
 * Trials × `budgetsPerTrial` above this and each trial gives fewer steps
 * (at least its last), so a long study's model stays near this many points.
 */
export const MULTIFIDELITY_GP_OBSERVATIONS = 1000;

/** The system attribute where the sampler stores the fitted hyper-parameters (warm start of the next fit). */
export const MULTIFIDELITY_GP_HYPER_ATTR = 'multifidelity_gp:hyper';

/** The system attribute where the sampler records the budget its model proposed for (`null`: a uniform draw). */
export const MULTIFIDELITY_GP_BUDGET_ATTR = 'multifidelity_gp:budget';

/**
 * A budget-aware Gaussian process (a fidelity dimension, in the manner of
 * multi-fidelity BO with a continuous fidelity, Kandasamy et al. 2017 "BOCA",
 * Klein et al. 2017 "FABOLAS"; Wu et al. 2019 for learning-curve budgets):
 * the model is the core's GP of {@link GPSampler} over the relative space
 * plus one more dimension, log(1 + budget), where the budgets are the steps
 * of the trials' intermediate values (`trial.report(value, step)`, a command
 * objective's `{"step","value"}` lines). Every COMPLETE, PRUNED and (other
 * workers') RUNNING trial gives up to `budgetsPerTrial` observations from
 * what it reported, and a COMPLETE trial its objective value at the top
 * budget; FAIL trials feed the failure model. Proposals hold the fidelity
 * at the top budget (`maxBudget`): LogEI over the best value the model
 * expects there, so cheap low-budget observations of many configurations
 * inform where a full run is worth it, and a curve that starts slowly but
 * ends well is not judged by its start only.
 *
 * Pair it with {@link HyperbandPruner}, {@link SuccessiveHalvingPruner} or
 * {@link MedianPruner}, which decide how far each trial runs. One objective;
 * no constraints or transfer (use {@link GPSampler}). Stateless apart from
 * the stored warm start: each proposal is a function of the history and the seed.
 */
export class MultiFidelityGPSampler implements Sampler {
  readonly usesHistory = true;
  readonly seed: number;
  private readonly nStartup: number;
  private readonly maxBudget: number | undefined;
  private readonly perTrial: number;
  private readonly acquisition: ReturnType<typeof toNativeAcquisition>;
  private readonly kernel: GpKernel | undefined;
  private readonly failureAware: boolean;

  constructor(options: MultiFidelityGPSamplerOptions = {}) {
    const owner = 'MultiFidelityGPSampler';
    this.seed = resolveSeed(options.seed, `${owner}: seed`);
    this.nStartup = options.nStartupTrials ?? 10;
    if (!(Number.isSafeInteger(this.nStartup) && this.nStartup >= 0)) {
      throw new TunekitError('INVALID_PARAMETER', `${owner}: nStartupTrials must be an integer ≥ 0, got ${describeValue(options.nStartupTrials)}`);
    }
    this.maxBudget = options.maxBudget;
    if (this.maxBudget !== undefined && !(typeof this.maxBudget === 'number' && Number.isFinite(this.maxBudget) && this.maxBudget >= 0)) {
      throw new TunekitError('INVALID_PARAMETER', `${owner}: maxBudget must be a finite number ≥ 0, got ${describeValue(options.maxBudget)}`);
    }
    this.perTrial = options.budgetsPerTrial ?? 4;
    if (!(Number.isSafeInteger(this.perTrial) && this.perTrial >= 1)) {
      throw new TunekitError('INVALID_PARAMETER', `${owner}: budgetsPerTrial must be an integer ≥ 1, got ${describeValue(options.budgetsPerTrial)}`);
    }
    this.acquisition = toNativeAcquisition(options.acquisition, `${owner}.acquisition`);
    this.kernel = options.kernel;
    if (this.kernel !== undefined && !isEnumValue('GpKernel', this.kernel)) {
      throw new TunekitError('INVALID_PARAMETER', `${owner}: kernel must be ${enumList('GpKernel')}, got ${describeValue(this.kernel)}`);
    }
    this.failureAware = options.failureAware ?? true;
    if (typeof this.failureAware !== 'boolean') throw new TunekitError('INVALID_PARAMETER', `${owner}: failureAware must be true or false, got ${describeValue(this.failureAware)}`);
  }

  /** The declared space, else the intersection of the complete trials' spaces. */
  inferRelativeSpace(ctx: SamplerContext): Record<string, Distribution> {
    return defaultRelativeSpace(ctx);
  }

  /**
   * The top budget and the model's observations from `trials` (see the class
   * docs), in history order; `excludeId` leaves one trial out (the one being
   * sampled). `top` is null when no trial has reported or completed.
   */
  observations(trials: readonly FrozenTrial[], excludeId?: number): { top: number | null; observations: FidelityObservation[] } {
    let top = this.maxBudget ?? null;
    if (top === null) {
      for (const t of trials) {
        if (t.id === excludeId || !usable(t)) continue;
        for (const k of Object.keys(t.intermediateValues)) top = Math.max(top ?? 0, Number(k));
        if (t.state === 'COMPLETE') top = Math.max(top ?? 0, 0);
      }
    }
    const out: FidelityObservation[] = [];
    if (top === null) return { top, observations: out };
    // Fewer steps per trial in long studies, so the model stays near MULTIFIDELITY_GP_OBSERVATIONS points (its fit is O(n³)).
    let nUsable = 0;
    for (const t of trials) if (t.id !== excludeId && usable(t)) nUsable++;
    const perTrial = Math.min(this.perTrial, Math.max(1, Math.floor(MULTIFIDELITY_GP_OBSERVATIONS / Math.max(1, nUsable))));
    for (const t of trials) {
      if (t.id === excludeId || !usable(t)) continue;
      const complete = t.state === 'COMPLETE' && t.values?.length === 1 && Number.isFinite(t.values[0]);
      const steps = Object.keys(t.intermediateValues)
        .map(Number)
        .filter((s) => Number.isFinite(t.intermediateValues[s]) && !(complete && s >= top))
        .sort((a, b) => a - b);
      for (const s of spread(steps, complete ? perTrial - 1 : perTrial)) {
        out.push({ trial: t, budget: Math.min(s, top), value: t.intermediateValues[s] as number });
      }
      if (complete) out.push({ trial: t, budget: top, value: (t.values as number[])[0] as number });
      else if (t.state === 'PRUNED' && steps.length > 0 && (steps[steps.length - 1] as number) < top) {
        // The pruner judged it not worth the top budget: its last value stands for it there (as GPSampler counts PRUNED trials).
        const last = steps[steps.length - 1] as number;
        out.push({ trial: t, budget: top, value: t.intermediateValues[last] as number });
      }
    }
    return { top, observations: out };
  }

  async sampleRelative(ctx: SamplerContext, space: Record<string, Distribution>): Promise<Record<string, unknown>> {
    checkDirections(ctx);
    space = searchable(space);
    const { top, observations } = this.observations(ctx.trials, ctx.trial.id);
    const observedTrials = new Set(observations.map((o) => o.trial.id));
    let seen = observedTrials.size;
    if (this.failureAware) for (const t of ctx.trials) if (t.state === 'FAIL') seen++;
    const names = Object.keys(space);
    if (top === null || seen < this.nStartup || names.length === 0) {
      await ctx.storage.setTrialAttr(ctx.trial.id, 'system', MULTIFIDELITY_GP_BUDGET_ATTR, null);
      return {};
    }
    const s = searchSpaceOf(space);
    const fidelity = (b: number) => Math.log1p(Math.max(0, b));
    const low = Math.min(...observations.map((o) => fidelity(o.budget)));
    const withBudget = low < fidelity(top);
    const budgetSpec: ParamSpec = { name: budgetName(names), kind: 'float', low, high: fidelity(top), log: false };
    const nativeSpace = withBudget ? [...s.native, budgetSpec] : s.native;
    const sign = ctx.directions[0] === 'maximize' ? 1 : -1;
    const points: number[] = [];
    const targets: number[] = [];
    for (const o of observations) {
      const v = valuesOf(space, o.trial.params);
      if (v === null) continue;
      points.push(...v, ...(withBudget ? [fidelity(o.budget)] : []));
      targets.push(sign * o.value);
    }
    const atTop = (v: number[]) => (withBudget ? [...v, fidelity(top)] : v);
    const { hyper, failed, pending } = gpHistory(ctx, space, MULTIFIDELITY_GP_HYPER_ATTR, nativeSpace.length + 2, atTop);
    if (targets.length === 0) return {};
    const out = await guard(() =>
      native.bayesPropose({
        space: nativeSpace,
        points: Float64Array.from(points),
        targets: Float64Array.from(targets),
        pending: Float64Array.from(pending),
        n: 1,
        seed: (this.seed + ctx.trial.number) >>> 0,
        ...(this.kernel === undefined ? {} : { kernel: this.kernel }),
        ...this.acquisition,
        ...(hyper === undefined ? {} : { warmStart: Float64Array.from(hyper) }),
        ...(failed.length === 0 || !this.failureAware ? {} : { failed: Float64Array.from(failed) }),
        ...(withBudget ? { fixed: Float64Array.from(nativeSpace, (_, k) => (k === names.length ? fidelity(top) : NaN)) } : {}),
      }),
    );
    if (out.hyper.length > 0) await ctx.storage.setTrialAttr(ctx.trial.id, 'system', MULTIFIDELITY_GP_HYPER_ATTR, Array.from(out.hyper));
    await ctx.storage.setTrialAttr(ctx.trial.id, 'system', MULTIFIDELITY_GP_BUDGET_ATTR, top);
    return s.fromValues(out.points.subarray(0, names.length));
  }

  sampleIndependent(ctx: SamplerContext, name: string, d: Distribution): unknown {
    checkDirections(ctx);
    return independentDraw(this.seed, ctx.trial.number, name, d);
  }
}

function checkDirections(ctx: SamplerContext): void {
  if (ctx.directions.length !== 1) {
    throw new TunekitError('INVALID_PARAMETER', `MultiFidelityGPSampler optimises one objective; this study has ${ctx.directions.length} (use TPESampler for several)`);
  }
}

/** COMPLETE, PRUNED and RUNNING trials (RUNNING ones with what they have reported so far). */
function usable(t: FrozenTrial): boolean {
  return t.state === 'COMPLETE' || t.state === 'PRUNED' || t.state === 'RUNNING';
}

/**
 * At most `k` of the sorted `steps`: the last, and the ones nearest to
 * points spread evenly on log(1 + step) between the first and the last
 * (distinct, in increasing order).
 */
export function spread(steps: readonly number[], k: number): number[] {
  if (steps.length <= k) return [...steps];
  if (k <= 0) return [];
  const last = steps[steps.length - 1] as number;
  if (k === 1) return [last];
  const f = (s: number) => Math.log1p(Math.max(0, s));
  const a = f(steps[0] as number);
  const b = f(last);
  const picked = new Set<number>();
  for (let j = 0; j < k; j++) {
    const target = a + ((b - a) * j) / (k - 1);
    let best = steps[0] as number;
    for (const s of steps) if (Math.abs(f(s) - target) < Math.abs(f(best) - target)) best = s;
    picked.add(best);
  }
  picked.add(last);
  return [...picked].sort((x, y) => x - y);
}

/** A name for the fidelity dimension that no parameter of the space has. */
function budgetName(names: readonly string[]): string {
  let name = '(budget)';
  while (names.includes(name)) name = `(${name})`;
  return name;
}
