import { TunekitError } from '../../errors.js';
import type { FrozenTrial, StudyDirection } from '../types.js';
import { checkInt, isBetter, lastStep, type PruneContext, type Pruner } from './pruner.js';

/** Settings shared by {@link PercentilePruner} and {@link MedianPruner}. */
export interface MedianPrunerOptions {
  /**
   * No pruning until this many trials of the study are COMPLETE (and never
   * before the first one is).
   * @default 5
   */
  nStartupTrials?: number;
  /** No pruning while the trial's latest step is below this. @default 0 */
  nWarmupSteps?: number;
  /**
   * Steps between pruning checks, counted from `nWarmupSteps`. A check happens at
   * the first report that falls in a new interval, so a check whose exact step was
   * not reported is postponed to the next report (with every step reported, that is
   * steps nWarmupSteps, nWarmupSteps + intervalSteps, …).
   * @default 1
   */
  intervalSteps?: number;
  /**
   * No pruning unless at least this many COMPLETE trials have a (non-NaN) value at
   * the step being checked.
   * @default 1
   */
  nMinTrials?: number;
}

export interface PercentilePrunerOptions extends MedianPrunerOptions {
  /**
   * Which percentile of the other trials the trial must reach, in [0, 100], counted
   * from the best side: 25 keeps trials in the best quarter, whatever the direction.
   * Required (no default).
   */
  percentile: number;
}

/**
 * Prunes a trial whose best intermediate value so far is worse than the given
 * percentile of the values COMPLETE trials had at the same step (Optuna's
 * PercentilePruner).
 *
 * At the trial's latest step `s`: nothing is pruned before `nStartupTrials` trials are
 * COMPLETE, while `s < nWarmupSteps`, or when `s` is not the first report of an
 * interval. Otherwise the trial's best value over all its reports (min when
 * minimizing, max when maximizing; NaN reports ignored) is compared with the
 * percentile (linear interpolation, numpy's default; `100 − percentile` when
 * maximizing) of the COMPLETE trials' values at step `s`; it is pruned if strictly
 * worse. Fewer than `nMinTrials` such values: not pruned.
 *
 * NaN: other trials' NaN values are ignored (they neither count towards
 * `nMinTrials` nor move the percentile). A trial whose own latest value is NaN is
 * pruned at every check that passes the startup, warmup and interval rules.
 */
export class PercentilePruner implements Pruner {
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  /** `owner` names the class in error messages (MedianPruner passes its own name). */
  constructor(options: PercentilePrunerOptions, owner = 'PercentilePruner') {
    const { percentile, nStartupTrials = 5, nWarmupSteps = 0, intervalSteps = 1, nMinTrials = 1 } = options;
    if (typeof percentile !== 'number' || !(percentile >= 0 && percentile <= 100)) {
      throw new TunekitError('INVALID_PARAMETER', `${owner}: percentile must be a number in [0, 100], got ${String(percentile)}`);
    }
    checkInt(owner, 'nStartupTrials', nStartupTrials, 0);
    checkInt(owner, 'nWarmupSteps', nWarmupSteps, 0);
    checkInt(owner, 'intervalSteps', intervalSteps, 1);
    checkInt(owner, 'nMinTrials', nMinTrials, 1);
    this.percentile = percentile;
    this.nStartupTrials = nStartupTrials;
    this.nWarmupSteps = nWarmupSteps;
    this.intervalSteps = intervalSteps;
    this.nMinTrials = nMinTrials;
  }

  prune({ trial, trials, direction }: PruneContext): boolean {
    const complete = trials.filter((t) => t.state === 'COMPLETE' && t.number !== trial.number);
    if (complete.length === 0 || complete.length < this.nStartupTrials) return false;
    const step = lastStep(trial);
    if (step === null || step < this.nWarmupSteps) return false;
    if (!isFirstInInterval(trial, step, this.nWarmupSteps, this.intervalSteps)) return false;

    if (Number.isNaN(trial.intermediateValues[step])) return true;
    const best = bestValueSoFar(trial, direction);

    const atStep: number[] = [];
    for (const t of complete) {
      const v = t.intermediateValues[step];
      if (v !== undefined && !Number.isNaN(v)) atStep.push(v);
    }
    if (atStep.length < this.nMinTrials) return false;
    const p = direction === 'maximize' ? 100 - this.percentile : this.percentile;
    return isBetter(percentileOf(atStep, p), best, direction);
  }
}

/** {@link PercentilePruner} at the 50th percentile: the median stopping rule. */
export class MedianPruner extends PercentilePruner {
  constructor(options: MedianPrunerOptions = {}) {
    super({ ...options, percentile: 50 }, 'MedianPruner');
  }
}

/**
 * The `p`-th percentile (0–100) of `values` by linear interpolation between the
 * closest ranks (numpy's default). `values` must be non-empty and NaN-free.
 */
export function percentileOf(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return lo === hi || a === b ? a : a + (b - a) * (pos - lo);
}

/** Best reported value of the trial (NaN ignored; NaN if all are NaN). */
function bestValueSoFar(trial: FrozenTrial, direction: StudyDirection): number {
  let best = NaN;
  for (const v of Object.values(trial.intermediateValues)) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || isBetter(v, best, direction)) best = v;
  }
  return best;
}

/**
 * Whether `step` is the trial's first report at or after the latest check point
 * `nWarmupSteps + k · intervalSteps` not above `step` (Optuna's rule).
 */
function isFirstInInterval(trial: FrozenTrial, step: number, nWarmupSteps: number, intervalSteps: number): boolean {
  const checkPoint = Math.floor((step - nWarmupSteps) / intervalSteps) * intervalSteps + nWarmupSteps;
  let previous = -Infinity;
  for (const key of Object.keys(trial.intermediateValues)) {
    const s = Number(key);
    if (s !== step && s > previous) previous = s;
  }
  return previous < checkPoint;
}
