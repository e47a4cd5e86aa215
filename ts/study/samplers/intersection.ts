import { sameDistribution } from '../distributions.js';
import type { Distribution, FrozenTrial } from '../types.js';

/**
 * The parameters every COMPLETE trial has, with the same distribution in all
 * of them, in the order the first of them was suggested (Optuna's
 * intersection search space). Empty before the first complete trial.
 */
export function intersectionSpace(trials: readonly FrozenTrial[]): Record<string, Distribution> {
  let space: Record<string, Distribution> | null = null;
  for (const t of trials) {
    if (t.state !== 'COMPLETE') continue;
    if (space === null) {
      space = { ...t.distributions };
      continue;
    }
    for (const [name, d] of Object.entries(space)) {
      const other = t.distributions[name];
      if (other === undefined || !sameDistribution(d, other)) delete space[name];
    }
  }
  return space ?? {};
}
