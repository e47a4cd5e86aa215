import { sameDistribution } from '../distributions.js';
import type { Distribution, FrozenTrial } from '../types.js';

/**
 * The parameters every COMPLETE trial has, with the same distribution in all
 * of them, in the order the first of them was suggested (Optuna's
 * intersection search space). Empty before the first complete trial.
 */
export function intersectionSpace(trials: readonly FrozenTrial[]): Record<string, Distribution> {
  return new IntersectionCache().update(trials);
}

/**
 * {@link intersectionSpace} kept up to date across asks: each COMPLETE trial
 * is folded in once (a trial never leaves COMPLETE), so an ask costs a pass
 * over the trial list instead of a comparison of every trial's distributions.
 */
export class IntersectionCache {
  private space: Record<string, Distribution> | null = null;
  private readonly seen = new Set<number>();

  update(trials: readonly FrozenTrial[]): Record<string, Distribution> {
    for (const t of trials) {
      if (t.state !== 'COMPLETE' || this.seen.has(t.id)) continue;
      this.seen.add(t.id);
      if (this.space === null) {
        this.space = { ...t.distributions };
        continue;
      }
      for (const [name, d] of Object.entries(this.space)) {
        const other = t.distributions[name];
        if (other === undefined || !sameDistribution(d, other)) delete this.space[name];
      }
    }
    return { ...(this.space ?? {}) };
  }
}
