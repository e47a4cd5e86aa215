import { describeValue, TunekitError } from '../errors.js';
import type { Distribution } from './types.js';

/**
 * Parameter distributions of define-by-run trials: the shared space format's
 * parameter specs, validated here without a native round trip (suggest calls
 * are frequent), and the map from a uniform coordinate to a value, the same as
 * the core's `Space::from_unit` (log scale in log space; integers and stepped
 * floats on cells of equal width centred on each level; categories equally
 * likely).
 */

function fail(where: string, message: string): never {
  throw new TunekitError('INVALID_SPACE', `${where}: ${message}`);
}

function finite(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, `expected a finite number, got ${describeValue(v)}`);
  return v;
}

/** Checks a distribution and returns it normalised (no undefined fields) and deeply frozen (safe to share). */
export function checkDistribution(d: Distribution, where: string): Distribution {
  const out = normalised(d, where);
  if (out.type === 'categorical') Object.freeze(out.choices);
  return Object.freeze(out);
}

function normalised(d: Distribution, where: string): Distribution {
  if (d.type === 'categorical') {
    if (!Array.isArray(d.choices) || d.choices.length === 0) fail(where, `choices must be a non-empty array, got ${describeValue(d.choices)}`);
    for (const c of d.choices) {
      if (!(c === null || ['string', 'number', 'boolean'].includes(typeof c)) || (typeof c === 'number' && !Number.isFinite(c))) {
        fail(where, `choices must be strings, finite numbers, booleans or null, got ${describeValue(c)}`);
      }
    }
    return { type: 'categorical', choices: [...d.choices] };
  }
  const low = finite(d.low, `${where}.low`);
  const high = finite(d.high, `${where}.high`);
  if (!(low <= high)) fail(where, `low must not exceed high, got low=${low}, high=${high}`);
  const log = d.log ?? false;
  if (typeof log !== 'boolean') fail(`${where}.log`, `expected true or false, got ${describeValue(log)}`);
  if (d.type === 'int') {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) fail(where, `int bounds must be integers, got low=${low}, high=${high}`);
    const step = d.step ?? 1;
    if (!Number.isSafeInteger(step) || step < 1) fail(`${where}.step`, `expected an integer ≥ 1, got ${step}`);
    if (log && (low < 1 || step !== 1)) fail(where, `a log-scale int needs low ≥ 1 and step 1, got low=${low}, step=${step}`);
    if ((high - low) % step !== 0) fail(where, `high − low must be a multiple of step, got low=${low}, high=${high}, step=${step}`);
    return { type: 'int', low, high, log, step };
  }
  if (d.type !== 'float') fail(`${where}.type`, `expected "float", "int" or "categorical", got ${describeValue((d as { type?: unknown }).type)}`);
  if (log && low <= 0) fail(where, `a log-scale float needs low > 0, got ${low}`);
  if (d.step !== undefined) {
    const step = finite(d.step, `${where}.step`);
    if (step <= 0) fail(`${where}.step`, `expected a positive number, got ${step}`);
    if (log) fail(where, 'step and log cannot be combined');
    const k = (high - low) / step;
    if (Math.abs(k - Math.round(k)) > 1e-9 * Math.max(1, k)) fail(where, `high − low must be a multiple of step, got low=${low}, high=${high}, step=${step}`);
    return { type: 'float', low, high, log, step };
  }
  return { type: 'float', low, high, log };
}

/**
 * One parameter of the shared space format, `[low, high]` shorthand included,
 * as a checked distribution.
 */
export function distributionOf(spec: unknown, where: string): Distribution {
  if (Array.isArray(spec)) {
    if (spec.length !== 2 || typeof spec[0] !== 'number' || typeof spec[1] !== 'number') fail(where, `the shorthand is [low, high] with two numbers, got ${describeValue(spec)}`);
    return checkDistribution({ type: 'float', low: spec[0], high: spec[1] }, where);
  }
  if (typeof spec !== 'object' || spec === null) fail(where, `expected [low, high] or { type, … }, got ${describeValue(spec)}`);
  return checkDistribution(spec as Distribution, where);
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
    const d = checkDistribution(raw, where());
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

/** Whether `v` is a valid value of `d`. */
export function contains(d: Distribution, v: unknown): boolean {
  if (d.type === 'categorical') return d.choices.some((c) => Object.is(c, v) || c === v);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < d.low || v > d.high) return false;
  if (d.type === 'int') return Number.isInteger(v) && (v - d.low) % (d.step ?? 1) === 0;
  if (d.step !== undefined) {
    const k = (v - d.low) / d.step;
    return Math.abs(k - Math.round(k)) <= 1e-9 * Math.max(1, Math.abs(k));
  }
  return true;
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
