import { toNativeAcquisition, type AcquisitionOptions } from '../../bayes/acquisition.js';
import { describeValue, TunekitError } from '../../errors.js';
import { enumList, guard, isEnumValue, native, type GpKernel } from '../../native.js';
import type { Distribution } from '../types.js';
import { resolveSeed } from '../../seed.js';
import { independentDraw } from './random.js';
import { defaultRelativeSpace } from './intersection.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { plannedParams, searchable, searchSpaceOf, valuesOf } from './space_of.js';
import { constraintNamesOf, constraintVector } from '../constraints.js';
import { TRANSFER_WEIGHTS_ATTR, transferTasks } from '../transfer.js';
import { keyedRecord } from '../../keyed.js';

/** Options of {@link GPSampler}. */
export interface GPSamplerOptions {
  /** @default a random seed */
  seed?: number;
  /** Complete trials (and failed ones, with `failureAware`) sampled independently (uniformly) before the Gaussian process takes over. @default 10, or 0 when the study transfers from old studies (`transferFrom`) */
  nStartupTrials?: number;
  /** @default { kind: 'logei' } */
  acquisition?: AcquisitionOptions;
  /** @default the core's, 'matern52' */
  kernel?: GpKernel;
  /**
   * Learn where trials fail: the parameters of FAIL trials feed a model of
   * `P(not FAIL | x)` (the core's failure model) that weighs the acquisition,
   * so regions where trials keep failing are avoided. @default true
   */
  failureAware?: boolean;
}

/**
 * Gaussian-process Bayesian optimisation of one objective (the core behind
 * `BayesianOptimization`): the relative space's parameters of every COMPLETE
 * trial with a finite value, and of every PRUNED one with its last reported
 * value, are the observations. With constraints (`trial.setConstraint`), one
 * GP per constraint models `P(c ≤ 0)` and LogEI over the best feasible value
 * is weighed by it; FAIL trials feed a model of where trials fail
 * (`failureAware`). Every other RUNNING
 * trial's planned point is pending (constant liar), so concurrent workers do
 * not get the same point. The previous fit's hyper-parameters are stored on
 * each trial (`gp_hyper`) and warm-start the next fit, so the proposal stays
 * a function of what is stored.
 *
 * With old studies to transfer from (`createStudy({ transferFrom })`), the
 * model is RGPE (Feurer, Letham & Bakshy 2018): one GP per old study on the
 * parameters it shares with this space, weighted with this study's own GP
 * by how well each ranks this study's observations; each proposal records the
 * weights (system attribute `transfer_weights`: `{ <old study>: w, …, self: w }`).
 */
export class GPSampler implements Sampler {
  readonly seed: number;
  private readonly nStartup: number | undefined;
  private readonly acquisition: ReturnType<typeof toNativeAcquisition>;
  private readonly kernel: GpKernel | undefined;
  private readonly failureAware: boolean;

  constructor(options: GPSamplerOptions = {}) {
    this.seed = resolveSeed(options.seed, 'GPSampler: seed');
    this.nStartup = options.nStartupTrials;
    if (this.nStartup !== undefined && (!Number.isInteger(this.nStartup) || this.nStartup < 0)) {
      throw new TunekitError('INVALID_PARAMETER', `GPSampler: nStartupTrials must be an integer ≥ 0, got ${this.nStartup}`);
    }
    this.acquisition = toNativeAcquisition(options.acquisition, 'GPSampler.acquisition');
    this.kernel = options.kernel;
    this.failureAware = options.failureAware ?? true;
    if (typeof this.failureAware !== 'boolean') throw new TunekitError('INVALID_PARAMETER', `GPSampler: failureAware must be true or false, got ${describeValue(this.failureAware)}`);
    if (this.kernel !== undefined && !isEnumValue('GpKernel', this.kernel)) {
      throw new TunekitError('INVALID_PARAMETER', `GPSampler: kernel must be ${enumList('GpKernel')}, got ${describeValue(this.kernel)}`);
    }
  }

  /** The declared space, else the intersection of the complete trials' spaces. */
  inferRelativeSpace(ctx: SamplerContext): Record<string, Distribution> {
    return defaultRelativeSpace(ctx);
  }

  async sampleRelative(ctx: SamplerContext, space: Record<string, Distribution>): Promise<Record<string, unknown>> {
    if (ctx.directions.length !== 1) {
      throw new TunekitError('INVALID_PARAMETER', `GPSampler optimises one objective; this study has ${ctx.directions.length} (use GeneticSampler for several)`);
    }
    space = searchable(space);
    const sign = ctx.directions[0] === 'maximize' ? 1 : -1;
    // PRUNED trials count with their last reported value: a pessimistic but real
    // observation that keeps the model from proposing the pruned region again.
    const complete = ctx.trials.filter((t) => (t.state === 'COMPLETE' || t.state === 'PRUNED') && t.values !== null && Number.isFinite(t.values[0]));
    // With failureAware, FAIL trials count towards the startup too: they are observations of the failure model.
    let seen = 0;
    for (const t of ctx.trials) if (t.state === 'COMPLETE' || (this.failureAware && t.state === 'FAIL')) seen++;
    const transfer = ctx.transfer ?? [];
    if (seen < (this.nStartup ?? (transfer.length > 0 ? 0 : 10)) || Object.keys(space).length === 0) return {};
    const s = searchSpaceOf(space);
    const points: number[] = [];
    const targets: number[] = [];
    const names = constraintNamesOf(complete);
    const constraints: number[] = [];
    for (const t of complete) {
      const v = valuesOf(space, t.params);
      if (v === null) continue;
      points.push(...v);
      targets.push(sign * (t.values as number[])[0]!);
      if (names !== null) constraints.push(...(constraintVector(t, names) ?? names.map(() => NaN)));
    }
    const { hyper, failed, pending } = gpHistory(ctx, space, 'gp_hyper', s.params.length + 2);
    const out = await guard(() =>
      native.bayesPropose({
        space: s.native,
        points: Float64Array.from(points),
        targets: Float64Array.from(targets),
        pending: Float64Array.from(pending),
        n: 1,
        seed: (this.seed + ctx.trial.number) >>> 0,
        ...(this.kernel === undefined ? {} : { kernel: this.kernel }),
        ...this.acquisition,
        ...(hyper === undefined ? {} : { warmStart: Float64Array.from(hyper) }),
        ...(names === null ? {} : { constraints: Float64Array.from(constraints), nConstraints: names.length }),
        ...(failed.length === 0 || !this.failureAware ? {} : { failed: Float64Array.from(failed) }),
        ...(transfer.length === 0 ? {} : { transfer: transferTasks(transfer, space) }),
      }),
    );
    if (out.hyper.length > 0) await ctx.storage.setTrialAttr(ctx.trial.id, 'system', 'gp_hyper', Array.from(out.hyper));
    if (out.transferWeights.length === transfer.length + 1 && transfer.length > 0) {
      const weights: Record<string, number> = keyedRecord<number>();
      transfer.forEach((src, i) => (weights[src.name] = (weights[src.name] ?? 0) + (out.transferWeights[i] as number)));
      weights['self'] = out.transferWeights[transfer.length] as number;
      await ctx.storage.setTrialAttr(ctx.trial.id, 'system', TRANSFER_WEIGHTS_ATTR, weights);
    }
    return s.fromValues(out.points);
  }

  sampleIndependent(ctx: SamplerContext, name: string, d: Distribution): unknown {
    return independentDraw(this.seed, ctx.trial.number, name, d);
  }
}

/**
 * What a GP proposal takes from the history besides the observations: the
 * last warm start stored under the system attribute `attr` (`hyperLength`
 * values), the FAIL trials' points and the other RUNNING trials' planned
 * points (pending), in value form over `space`, row-major, each passed
 * through `extend` (a sampler that appends coordinates of its own).
 */
export function gpHistory(
  ctx: SamplerContext,
  space: Record<string, Distribution>,
  attr: string,
  hyperLength: number,
  extend: (v: number[]) => number[] = (v) => v,
): { hyper: number[] | undefined; failed: number[]; pending: number[] } {
  let hyper: number[] | undefined;
  const failed: number[] = [];
  const pending: number[] = [];
  for (const t of ctx.trials) {
    const h = t.systemAttrs[attr];
    if (Array.isArray(h) && h.length === hyperLength) hyper = h as number[];
    if (t.state === 'FAIL') {
      const v = valuesOf(space, t.params);
      if (v !== null) failed.push(...extend(v));
    }
    if (t.state !== 'RUNNING' || t.id === ctx.trial.id) continue;
    const v = valuesOf(space, plannedParams(t));
    if (v !== null) pending.push(...extend(v));
  }
  return { hyper, failed, pending };
}
