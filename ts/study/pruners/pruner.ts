import { TunekitError } from '../../errors.js';
import type { FrozenTrial, StudyDirection } from '../types.js';

/** What a pruner sees when asked about one trial. */
export interface PruneContext {
  /** The trial being judged (its latest report included). */
  trial: FrozenTrial;
  /** Every trial of the study (snapshot), the current one included. */
  trials: readonly FrozenTrial[];
  direction: StudyDirection;
}

/**
 * Decides, after a trial reports an intermediate value, whether to stop it.
 * Pruners are pure functions of the context: they keep no per-study state.
 */
export interface Pruner {
  prune(ctx: PruneContext): boolean;
}

/** Never prunes. */
export class NopPruner implements Pruner {
  prune(): boolean {
    return false;
  }
}

/** The reported steps of a trial, ascending. */
export function reportedSteps(trial: FrozenTrial): number[] {
  return Object.keys(trial.intermediateValues)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The trial's latest (largest) reported step, or null if it has reported nothing. */
export function lastStep(trial: FrozenTrial): number | null {
  let last: number | null = null;
  for (const key of Object.keys(trial.intermediateValues)) {
    const step = Number(key);
    if (last === null || step > last) last = step;
  }
  return last;
}

/** The value reported at `step` (undefined if none). */
export function valueAt(trial: FrozenTrial, step: number): number | undefined {
  return trial.intermediateValues[step];
}

/** True when `a` is strictly better than `b` in this direction. */
export function isBetter(a: number, b: number, direction: StudyDirection): boolean {
  return direction === 'minimize' ? a < b : a > b;
}

/**
 * The lowest-numbered COMPLETE trial that reported at least one step, or null.
 * Used by the 'auto' resource rules so they do not depend on arrival order.
 */
export function firstCompleteWithSteps(trials: readonly FrozenTrial[]): { trial: FrozenTrial; lastStep: number } | null {
  let best: { trial: FrozenTrial; lastStep: number } | null = null;
  for (const t of trials) {
    if (t.state !== 'COMPLETE') continue;
    const s = lastStep(t);
    if (s === null) continue;
    if (best === null || t.number < best.trial.number) best = { trial: t, lastStep: s };
  }
  return best;
}

/** Throws INVALID_PARAMETER unless `value` is an integer ≥ `min`. */
export function checkInt(owner: string, name: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TunekitError('INVALID_PARAMETER', `${owner}: ${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
}
