import { sameDistribution } from '../distributions.js';
import type { Distribution, FrozenTrial, Storage } from '../types.js';
import type { SamplerContext } from './sampler.js';

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

/** One intersection cache per (storage, study id), with the id of the study's trial 0 when it was made. */
const CACHES = new WeakMap<Storage, Map<number, { first: number | undefined; cache: IntersectionCache }>>();

/**
 * The usual relative space of a sampler that models the joint space: the
 * space declared for the trial if there is one, else the study's
 * {@link intersectionSpace}, kept incrementally per storage and study (and
 * started again if the study was deleted and its id reused: trial 0 changed).
 */
export function defaultRelativeSpace(ctx: SamplerContext): Record<string, Distribution> {
  if (ctx.declared !== undefined) return { ...ctx.declared };
  let byStudy = CACHES.get(ctx.storage);
  if (byStudy === undefined) CACHES.set(ctx.storage, (byStudy = new Map()));
  const first = ctx.trials[0]?.id;
  let entry = byStudy.get(ctx.studyId);
  if (entry === undefined || entry.first !== first) byStudy.set(ctx.studyId, (entry = { first, cache: new IntersectionCache() }));
  return entry.cache.update(ctx.trials);
}
