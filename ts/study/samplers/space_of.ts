import { SearchSpace } from '../../space.js';
import { valueIn } from '../../space.js';
import { toValue } from '../distributions.js';
import type { Distribution, FrozenTrial } from '../types.js';
import { keyedRecord } from '../../keyed.js';

/**
 * Whether `d` has one value only: a fixed parameter (low = high, which the
 * core accepts) or a categorical with a single choice (Optuna's `single()`).
 */
export function isFixed(d: Distribution): boolean {
  return d.type === 'categorical' ? d.choices.length === 1 : d.low === d.high;
}

/**
 * The part of a relative space the joint samplers model: all of it but
 * - fixed parameters (see {@link isFixed}), which carry no information for a
 *   model (as Optuna leaves `single()` distributions out of the relative
 *   search space); the trial draws them independently, which gives their one
 *   value;
 * - a parameter named `__proto__`, which a SearchSpace refuses (its compiled
 *   builder writes names as object-literal keys, where `__proto__` would set
 *   the prototype). The trial draws that one independently too (a sampler may
 *   leave any parameter of the relative space out).
 */
export function searchable(space: Record<string, Distribution>): Record<string, Distribution> {
  let keep = true;
  for (const [name, d] of Object.entries(space)) if (name === '__proto__' || isFixed(d)) keep = false;
  if (keep) return space;
  const out: Record<string, Distribution> = keyedRecord<Distribution>();
  for (const [name, d] of Object.entries(space)) if (name !== '__proto__' && !isFixed(d)) out[name] = d;
  return out;
}

/** A relative space as a native-ready SearchSpace (parameter order = key order). */
export function searchSpaceOf(space: Record<string, Distribution>): SearchSpace {
  return new SearchSpace(space, 'space');
}

/** A trial's parameters of `space` in value form, or null if it lacks one or has another distribution's value. */
export function valuesOf(space: Record<string, Distribution>, params: Record<string, unknown>): number[] | null {
  const out: number[] = [];
  for (const [name, d] of Object.entries(space)) {
    if (!Object.hasOwn(params, name)) return null;
    const v = params[name];
    if (!valueIn(d, v)) return null;
    out.push(toValue(d, v));
  }
  return out;
}

/** The parameters a running trial has or will have: its relative proposal, overridden by what it has suggested. */
export function plannedParams(t: FrozenTrial): Record<string, unknown> {
  const planned = t.systemAttrs['relative_params'];
  return { ...(typeof planned === 'object' && planned !== null ? (planned as Record<string, unknown>) : {}), ...t.params };
}
