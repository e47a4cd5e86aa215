import { TunekitError } from '../../errors.js';
import type { FrozenTrial, StudyDirection } from '../types.js';
import { checkInt, firstCompleteWithSteps, reportedSteps, type PruneContext, type Pruner } from './pruner.js';

export interface SuccessiveHalvingPrunerOptions {
  /**
   * Resource (step) of the first rung. 'auto': `max(1, floor(last step / 100))` of
   * the lowest-numbered COMPLETE trial; nothing is pruned until a trial completes.
   * @default 'auto'
   */
  minResource?: 'auto' | number;
  /** η: each rung keeps the best 1/η of the trials that reach it; integer ≥ 2. @default 4 */
  reductionFactor?: number;
  /** s: rung k sits at `minResource · η^(s + k)`. @default 0 */
  minEarlyStoppingRate?: number;
  /**
   * A trial reaching a rung is pruned while at most this many trials (itself
   * included) have reached it. Must be 0 with `minResource: 'auto'`.
   * @default 0
   */
  bootstrapCount?: number;
}

/**
 * The rung resources `minResource · η^(s + k)`, k = 0, 1, …, up to `maxStep` inclusive.
 */
export function rungResources(minResource: number, reductionFactor: number, minEarlyStoppingRate: number, maxStep: number): number[] {
  const out: number[] = [];
  for (let r = minResource * reductionFactor ** minEarlyStoppingRate; r <= maxStep; r *= reductionFactor) out.push(r);
  return out;
}

/** The trial's value at the rung with resource `r`: its value at its first reported step ≥ r. */
function valueAtRung(steps: readonly number[], trial: FrozenTrial, r: number): { step: number; value: number } | null {
  const step = steps.find((s) => s >= r);
  return step === undefined ? null : { step, value: trial.intermediateValues[step]! };
}

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) with Optuna's semantics,
 * computed from the stored intermediate values alone (no attributes written).
 *
 * A trial reaches rung k (resource `r_k = minResource · η^(s + k)`) at its first
 * reported step ≥ r_k; its value there is its rung-k value. When the trial's latest
 * report is the one that reached one or more new rungs, it is checked at each of
 * them (lowest first): with `competing` = the rung-k values of every trial (any
 * state, this one included) that reached rung k, it is pruned if
 * `competing.length ≤ bootstrapCount`, or if its value is not among the best
 * `max(1, floor(competing.length / η))` (ties kept). Rungs passed at earlier reports
 * are not re-checked: a promotion is final. Reports that reach no new rung never
 * prune.
 *
 * NaN: a trial whose value is NaN when it reaches a rung is pruned; NaN rung values
 * of other trials are left out of `competing`.
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly minResource: 'auto' | number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;

  constructor(options: SuccessiveHalvingPrunerOptions = {}) {
    const { minResource = 'auto', reductionFactor = 4, minEarlyStoppingRate = 0, bootstrapCount = 0 } = options;
    const owner = 'SuccessiveHalvingPruner';
    if (minResource !== 'auto') checkInt(owner, 'minResource', minResource, 1);
    checkInt(owner, 'reductionFactor', reductionFactor, 2);
    checkInt(owner, 'minEarlyStoppingRate', minEarlyStoppingRate, 0);
    checkInt(owner, 'bootstrapCount', bootstrapCount, 0);
    if (minResource === 'auto' && bootstrapCount > 0) {
      throw new TunekitError('INVALID_PARAMETER', `${owner}: bootstrapCount must be 0 when minResource is 'auto', got ${bootstrapCount}`);
    }
    this.minResource = minResource;
    this.reductionFactor = reductionFactor;
    this.minEarlyStoppingRate = minEarlyStoppingRate;
    this.bootstrapCount = bootstrapCount;
  }

  /** The resolved minimum resource, or null while 'auto' cannot be resolved (no COMPLETE trial). */
  resolveMinResource(trials: readonly FrozenTrial[]): number | null {
    if (this.minResource !== 'auto') return this.minResource;
    const first = firstCompleteWithSteps(trials);
    return first === null ? null : Math.max(1, Math.floor(first.lastStep / 100));
  }

  prune({ trial, trials, direction }: PruneContext): boolean {
    const steps = reportedSteps(trial);
    const latest = steps[steps.length - 1];
    if (latest === undefined) return false;
    const minResource = this.resolveMinResource(trials);
    if (minResource === null) return false;

    const value = trial.intermediateValues[latest]!;
    const others = trials.filter((t) => t.number !== trial.number).map((t) => ({ t, steps: reportedSteps(t) }));
    for (const r of rungResources(minResource, this.reductionFactor, this.minEarlyStoppingRate, latest)) {
      if (valueAtRung(steps, trial, r)!.step !== latest) continue; // passed at an earlier report
      if (Number.isNaN(value)) return true;
      const competing = [value];
      for (const o of others) {
        const v = valueAtRung(o.steps, o.t, r)?.value;
        if (v !== undefined && !Number.isNaN(v)) competing.push(v);
      }
      if (competing.length <= this.bootstrapCount) return true;
      if (!isPromotable(value, competing, this.reductionFactor, direction)) return true;
    }
    return false;
  }
}

/** Whether `value` is among the best `max(1, floor(n / η))` of `competing` (ties kept). */
function isPromotable(value: number, competing: number[], reductionFactor: number, direction: StudyDirection): boolean {
  const keep = Math.max(1, Math.floor(competing.length / reductionFactor));
  const sorted = competing.sort((a, b) => (direction === 'minimize' ? a - b : b - a));
  const threshold = sorted[keep - 1]!;
  return direction === 'minimize' ? value <= threshold : value >= threshold;
}
