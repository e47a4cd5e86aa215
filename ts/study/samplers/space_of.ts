import { SearchSpace } from '../../space.js';
import { toValue } from '../distributions.js';
import type { Distribution, FrozenTrial } from '../types.js';

/**
 * The part of a relative space the joint samplers model: all of it but a
 * parameter named `__proto__`, which a SearchSpace refuses (its compiled
 * builder writes names as object-literal keys, where `__proto__` would set
 * the prototype). The trial draws that one independently (a sampler may
 * leave any parameter of the relative space out).
 */
export function searchable(space: Record<string, Distribution>): Record<string, Distribution> {
  if (!Object.hasOwn(space, '__proto__')) return space;
  const out: Record<string, Distribution> = Object.create(null);
  for (const [name, d] of Object.entries(space)) if (name !== '__proto__') out[name] = d;
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
    const v = toValue(d, params[name]);
    if (typeof v !== 'number' || Number.isNaN(v) || (v < 0 && d.type === 'categorical')) return null;
    if (d.type !== 'categorical' && (v < d.low || v > d.high)) return null;
    out.push(v);
  }
  return out;
}

/** The parameters a running trial has or will have: its relative proposal, overridden by what it has suggested. */
export function plannedParams(t: FrozenTrial): Record<string, unknown> {
  const planned = t.systemAttrs['relative_params'];
  return { ...(typeof planned === 'object' && planned !== null ? (planned as Record<string, unknown>) : {}), ...t.params };
}
