import { describeValue, TunekitError } from '../errors.js';
import { checkParam } from '../space.js';
import type { Distribution } from './types.js';

/**
 * Parameter distributions of define-by-run trials: the shared space format's
 * parameter specs, checked by {@link checkParam} (the shape here, every rule
 * by the core; a study checks a parameter's distribution once, see
 * {@link DistributionCache}), and the map from a uniform coordinate to a
 * value, the same as the core's `Space::from_unit` (log scale in log space;
 * integers and stepped floats on cells of equal width centred on each level;
 * categories equally likely).
 */

/**
 * One parameter of the shared space format, `[low, high]` shorthand included,
 * as a checked distribution, normalised and deeply frozen. Categorical
 * choices must also be storable: strings, finite numbers, booleans or null.
 */
export function distributionOf(spec: unknown, where: string): Distribution {
  const p = checkParam(spec, where);
  // fields in one order (a study's space is hashed as JSON)
  const out: Distribution =
    p.type === 'categorical'
      ? p
      : p.type === 'int'
        ? { type: 'int', low: p.low, high: p.high, log: p.log ?? false, step: p.step ?? 1 }
        : { type: 'float', low: p.low, high: p.high, log: p.log ?? false, ...(p.step === undefined ? {} : { step: p.step }) };
  if (out.type === 'categorical') {
    for (const c of out.choices) {
      if (!(c === null || ['string', 'number', 'boolean'].includes(typeof c)) || (typeof c === 'number' && !Number.isFinite(c))) {
        throw new TunekitError('INVALID_SPACE', `${where}: choices must be strings, finite numbers, booleans or null, got ${describeValue(c)}`);
      }
    }
    Object.freeze(out.choices);
  }
  return Object.freeze(out);
}

/**
 * The checked distribution of each parameter name, kept per study: a
 * parameter suggested with the same distribution in trial after trial is
 * checked once and shares one frozen object (which the storages need not copy).
 */
export class DistributionCache {
  private readonly byName = new Map<string, Distribution>();

  check(name: string, raw: Distribution, where: () => string): Distribution {
    const known = this.byName.get(name);
    if (known !== undefined && sameDistribution(known, raw)) return known;
    const d = distributionOf(raw, where());
    if (this.byName.size < 10_000) this.byName.set(name, d);
    return d;
  }
}

/** Whether two distributions are the same (a parameter keeps its distribution across trials). */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  if (a === b) return true;
  if (a.type !== b.type) return false;
  if (a.type === 'categorical') {
    const bc = (b as typeof a).choices;
    return a.choices.length === bc.length && a.choices.every((c, i) => Object.is(c, bc[i]));
  }
  const o = b as typeof a;
  return a.low === o.low && a.high === o.high && (a.log ?? false) === (o.log ?? false) && a.step === o.step;
}

/** The value of `d` at the uniform coordinate `u` ∈ [0, 1) (the core's `Space::from_unit`). */
export function fromUnit(d: Distribution, u: number): unknown {
  if (d.type === 'categorical') return d.choices[Math.min(Math.floor(u * d.choices.length), d.choices.length - 1)];
  let lo: number;
  let hi: number;
  let step: number | undefined;
  const log = d.log ?? false;
  if (d.type === 'int') {
    step = d.step ?? 1;
    [lo, hi] = log ? [Math.log(d.low - 0.5), Math.log(d.high + 0.5)] : [d.low - step / 2, d.high + step / 2];
  } else {
    step = d.step;
    [lo, hi] = log ? [Math.log(d.low), Math.log(d.high)] : step === undefined ? [d.low, d.high] : [d.low - step / 2, d.high + step / 2];
  }
  const t = lo + Math.min(Math.max(u, 0), 1) * (hi - lo);
  let v = log ? Math.exp(t) : t;
  if (step !== undefined) v = d.low + Math.round((v - d.low) / step) * step;
  return Math.min(Math.max(v, d.low), d.high);
}

/** A value in the core's value form (the index of a category). */
export function toValue(d: Distribution, v: unknown): number {
  if (d.type === 'categorical') return d.choices.findIndex((c) => Object.is(c, v) || c === v);
  return v as number;
}
