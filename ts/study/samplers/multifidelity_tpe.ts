import { describeValue, TunekitError } from '../../errors.js';
import { guard, native } from '../../native.js';
import { resolveSeed } from '../../seed.js';
import { valueIn } from '../../space.js';
import { keyedRecord } from '../../keyed.js';
import { toValue } from '../distributions.js';
import { streamKey, Xoshiro128 } from '../rng.js';
import type { Distribution, FrozenTrial } from '../types.js';
import { defaultRelativeSpace } from './intersection.js';
import { independentDraw } from './random.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { isFixed, searchable, searchSpaceOf } from './space_of.js';

/** Options of {@link MultiFidelityTPESampler} (BOHB's defaults where the paper has one). */
export interface MultiFidelityTPESamplerOptions {
  /** @default a random seed */
  seed?: number;
  /**
   * Observations a budget needs before its model proposes: an integer ≥ 2, or
   * 'auto' for d + 2, d being the number of parameters the study searches
   * (BOHB's N_min + 1 with N_min = d + 1).
   * @default 'auto'
   */
  minPointsInModel?: 'auto' | number;
  /**
   * Fraction of trials proposed at random even when a model exists (BOHB's
   * ρ), in [0, 1]. BOHB's paper uses 1/3; 0.1 did better on the noisy toy
   * problems of `__test__/multifidelity.spec.ts` (see docs/multifidelity.md).
   * @default 0.1
   */
  randomFraction?: number;
  /** Candidates drawn from the good trials' estimator per proposal. @default 24 */
  nEiCandidates?: number;
  /** Weight of the prior component of each estimator. @default 1 */
  priorWeight?: number;
  /**
   * Add the trials that stopped below the model's budget (pruned earlier) to
   * its bad ("above") group, ranked after every trial observed at the budget
   * by how far they got, as {@link TPESampler} ranks PRUNED trials; false
   * (the default): BOHB's model, fitted on the trials observed at the budget
   * only. BOHB's model ranked first of eight methods on the table benchmark
   * of docs/benchmarks.md (biased low budgets); `true` did better on noisy,
   * unbiased learning curves (docs/multifidelity.md).
   * @default false
   */
  lowerBudgetsAsBad?: boolean;
}

/** The system attribute where the sampler records the budget whose model proposed a trial (`null`: a random proposal). */
export const MULTIFIDELITY_BUDGET_ATTR = 'multifidelity_tpe:budget';

/** The budget above every step: the COMPLETE trials' objective values. */
export const FINAL_BUDGET = 'final';

/** A budget of {@link MultiFidelityTPESampler}: a reported step, or {@link FINAL_BUDGET}. */
export type Budget = number | typeof FINAL_BUDGET;

/** The trials a budget's model is fitted on and their values there. */
export interface BudgetObservations {
  /** The budget. */
  budget: Budget;
  /** The trials observed at it, in history order. */
  trials: FrozenTrial[];
  /** Each trial's value at the budget (same order). */
  values: number[];
  /** The finished trials that stopped below the budget (pruned before it): ranked after every observed one, by how far they got. */
  below: FrozenTrial[];
}

/**
 * Multi-fidelity TPE in the manner of BOHB (Falkner, Klein & Hutter, ICML
 * 2018): the budgets are the steps of the trials' intermediate values
 * (`trial.report(value, step)`, a command objective's `{"step","value"}`
 * lines), plus {@link FINAL_BUDGET} for the objective values of COMPLETE
 * trials. A trial is observed at budget b when it reported a step ≥ b; its
 * value there is the one at its first reported step ≥ b (the rule of the
 * successive-halving rungs, so a trial pruned at rung r counts at every
 * budget ≤ r). COMPLETE and PRUNED trials count, and RUNNING trials of other
 * workers with what they have reported so far; FAIL trials do not.
 *
 * Each proposal comes from a TPE model (the native TPE of
 * {@link TPESampler}, multivariate over the relative space) fitted on the
 * trials observed at the largest budget that has at least
 * `minPointsInModel` of them, their value at that budget as the objective;
 * a fraction `randomFraction` of the trials (decided from the seed and the
 * trial number) and every trial before some budget has enough observations
 * are drawn at random. Pair it with {@link HyperbandPruner} (BOHB) or
 * {@link SuccessiveHalvingPruner}, which decide how far each trial runs.
 * One objective only. Stateless: each proposal is a function of the history
 * and the seed.
 */
export class MultiFidelityTPESampler implements Sampler {
  readonly usesHistory = true;
  readonly seed: number;
  readonly minPointsInModel: 'auto' | number;
  readonly randomFraction: number;
  private readonly nCandidates: number;
  private readonly priorWeight: number;
  private readonly lowerAsBad: boolean;

  constructor(options: MultiFidelityTPESamplerOptions = {}) {
    const owner = 'MultiFidelityTPESampler';
    this.seed = resolveSeed(options.seed, `${owner}: seed`);
    const minPoints = options.minPointsInModel ?? 'auto';
    if (minPoints !== 'auto' && !(Number.isSafeInteger(minPoints) && minPoints >= 2)) {
      throw new TunekitError('INVALID_PARAMETER', `${owner}: minPointsInModel must be 'auto' or an integer ≥ 2, got ${describeValue(minPoints)}`);
    }
    this.minPointsInModel = minPoints;
    const rho = options.randomFraction ?? 0.1;
    if (!(typeof rho === 'number' && rho >= 0 && rho <= 1)) {
      throw new TunekitError('INVALID_PARAMETER', `${owner}: randomFraction must be a number in [0, 1], got ${describeValue(rho)}`);
    }
    this.randomFraction = rho;
    const nCandidates = options.nEiCandidates ?? 24;
    if (!(Number.isSafeInteger(nCandidates) && nCandidates >= 1)) {
      throw new TunekitError('INVALID_PARAMETER', `${owner}: nEiCandidates must be an integer ≥ 1, got ${describeValue(nCandidates)}`);
    }
    this.nCandidates = nCandidates;
    this.lowerAsBad = options.lowerBudgetsAsBad ?? false;
    if (typeof this.lowerAsBad !== 'boolean') throw new TunekitError('INVALID_PARAMETER', `${owner}: lowerBudgetsAsBad must be true or false, got ${describeValue(this.lowerAsBad)}`);
    this.priorWeight = options.priorWeight ?? 1;
    if (!(typeof this.priorWeight === 'number' && Number.isFinite(this.priorWeight) && this.priorWeight > 0)) {
      throw new TunekitError('INVALID_PARAMETER', `${owner}: priorWeight must be a positive number, got ${describeValue(this.priorWeight)}`);
    }
  }

  /** The declared or intersection space (as {@link TPESampler}'s multivariate default). */
  inferRelativeSpace(ctx: SamplerContext): Record<string, Distribution> {
    return searchable(defaultRelativeSpace(ctx));
  }

  async sampleRelative(ctx: SamplerContext, space: Record<string, Distribution>): Promise<Record<string, unknown>> {
    checkDirections(ctx);
    const obs = this.randomTrial(ctx.trial.number) ? null : this.observations(ctx.trials, dimensionOf(ctx), ctx.trial.id);
    await ctx.storage.setTrialAttr(ctx.trial.id, 'system', MULTIFIDELITY_BUDGET_ATTR, obs?.budget ?? null);
    if (obs === null) return {};
    const s = searchSpaceOf(space);
    const point = await guard(() => native.tpePropose(this.request(ctx, obs, space, s.native, (this.seed + ctx.trial.number * 7919) >>> 0)));
    return s.fromValues(point);
  }

  sampleIndependent(ctx: SamplerContext, name: string, d: Distribution): unknown {
    checkDirections(ctx);
    const obs = this.randomTrial(ctx.trial.number) || isFixed(d) ? null : this.observations(ctx.trials, dimensionOf(ctx), ctx.trial.id);
    if (obs === null) return independentDraw(this.seed, ctx.trial.number, name, d);
    const part = { [name]: d };
    const s = searchSpaceOf(part);
    const point = guard(() => native.tpeProposeSync(this.request(ctx, obs, part, s.native, streamKey(this.seed, ctx.trial.number, name))));
    return s.fromValues(point)[name];
  }

  /**
   * The budget whose model proposes next, with its observations: the
   * largest budget observed by at least `minPointsInModel` trials (`'auto'`:
   * `dimension + 2`), or null when none is. {@link FINAL_BUDGET} is used
   * only when fewer than that many trials reported any step (an objective
   * that does not report). `excludeId` leaves one trial out (the one being
   * sampled).
   */
  observations(trials: readonly FrozenTrial[], dimension: number, excludeId?: number): BudgetObservations | null {
    const need = this.minPointsInModel === 'auto' ? Math.max(1, dimension) + 2 : this.minPointsInModel;
    const reach = reaching(trials, excludeId);
    if (reach.length < need) {
      const final = observationsAt(trials, FINAL_BUDGET, excludeId);
      return final.trials.length >= need ? final : null;
    }
    // The largest budget with `need` observations is the need-th largest last step
    // (lower ones when NaN values leave it short).
    const lasts = reach.map((r) => r.steps[r.steps.length - 1] as number).sort((a, b) => b - a);
    const top = lasts[need - 1] as number;
    const atTop = observationsAt(trials, top, excludeId);
    if (atTop.trials.length >= need) return atTop;
    const budgets = [...new Set(reach.flatMap((r) => r.steps.filter((s) => s < top)))].sort((a, b) => b - a);
    for (const budget of budgets) {
      const out = observationsAt(trials, budget, excludeId);
      if (out.trials.length >= need) return out;
    }
    return null;
  }

  /** Whether the trial is one of the `randomFraction` drawn at random (from the seed and its number). */
  randomTrial(trialNumber: number): boolean {
    if (this.randomFraction === 0) return false;
    return new Xoshiro128(streamKey(this.seed, trialNumber, 'multifidelity_tpe:random')).random() < this.randomFraction;
  }

  /** The native TPE request: the observations at one budget, all as complete trials with their value there. */
  private request(ctx: SamplerContext, obs: BudgetObservations, space: Record<string, Distribution>, nativeSpace: ReturnType<typeof searchSpaceOf>['native'], seed: number) {
    const names = Object.keys(space);
    const all = this.lowerAsBad ? [...obs.trials, ...obs.below] : obs.trials;
    const n = all.length;
    const points = new Float64Array(n * names.length);
    const outcomes = new Uint8Array(n); // 0: observed at the budget ("complete")
    const values = new Float64Array(n).fill(NaN);
    const extra = new Float64Array(n).fill(NaN);
    all.forEach((t, i) => {
      names.forEach((name, j) => {
        const d = space[name] as Distribution;
        const v = Object.hasOwn(t.params, name) ? t.params[name] : undefined;
        points[i * names.length + j] = v !== undefined && valueIn(d, v) ? toValue(d, v) : NaN;
      });
      if (i < obs.trials.length) values[i] = obs.values[i] as number;
      else {
        // Stopped below the budget: TPE's pruned outcome, ranked by the last step reached, then its value there.
        const last = Math.max(...Object.keys(t.intermediateValues).map(Number));
        outcomes[i] = 1;
        extra[i] = last;
        values[i] = t.intermediateValues[last] as number;
      }
    });
    return {
      space: nativeSpace,
      points,
      outcomes,
      values,
      extra,
      directions: [...ctx.directions],
      seed,
      nCandidates: this.nCandidates,
      priorWeight: this.priorWeight,
    };
  }
}

/** The COMPLETE, PRUNED and RUNNING trials that reported a step, with their steps in order. */
function reaching(trials: readonly FrozenTrial[], excludeId?: number): { t: FrozenTrial; steps: number[] }[] {
  const out: { t: FrozenTrial; steps: number[] }[] = [];
  for (const t of trials) {
    if (t.id === excludeId || (t.state !== 'COMPLETE' && t.state !== 'PRUNED' && t.state !== 'RUNNING')) continue;
    const steps = Object.keys(t.intermediateValues)
      .map(Number)
      .sort((a, b) => a - b);
    if (steps.length > 0) out.push({ t, steps });
  }
  return out;
}

/**
 * The observations at one budget: the trials that reported a step ≥ `budget`
 * with their value at the first such step (NaN ones left out), and the
 * finished trials that stopped below it; at {@link FINAL_BUDGET}, the
 * COMPLETE trials with their objective value. `excludeId` leaves one trial out.
 */
export function observationsAt(trials: readonly FrozenTrial[], budget: Budget, excludeId?: number): BudgetObservations {
  const out: BudgetObservations = { budget, trials: [], values: [], below: [] };
  if (budget === FINAL_BUDGET) {
    for (const t of trials) {
      const v = t.values?.[0];
      if (t.id !== excludeId && t.state === 'COMPLETE' && t.values?.length === 1 && v !== undefined && !Number.isNaN(v)) {
        out.trials.push(t);
        out.values.push(v);
      }
    }
    return out;
  }
  for (const { t, steps } of reaching(trials, excludeId)) {
    const step = steps.find((s) => s >= budget);
    if (step === undefined) {
      if (t.state !== 'RUNNING') out.below.push(t);
      continue;
    }
    const v = t.intermediateValues[step] as number;
    if (Number.isNaN(v)) continue;
    out.trials.push(t);
    out.values.push(v);
  }
  return out;
}

function checkDirections(ctx: SamplerContext): void {
  if (ctx.directions.length !== 1) {
    throw new TunekitError('INVALID_PARAMETER', `MultiFidelityTPESampler optimises one objective; this study has ${ctx.directions.length} (use TPESampler for several)`);
  }
}

/** d: the parameters the study searches (declared, else every non-fixed parameter of the history), at least 1. */
function dimensionOf(ctx: SamplerContext): number {
  const names = keyedRecord<true>();
  if (ctx.declared !== undefined) for (const [n, d] of Object.entries(ctx.declared)) if (!isFixed(d)) names[n] = true;
  for (const t of ctx.trials) for (const [n, d] of Object.entries(t.distributions)) if (!isFixed(d)) names[n] = true;
  return Math.max(1, Object.keys(names).length);
}
