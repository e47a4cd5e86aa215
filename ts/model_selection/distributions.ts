import { TunekitError } from '../errors.js';
import { isEnumValue, type DistributionKind } from '../native.js';

/** A distribution to sample a parameter from, in scipy.stats' parametrisation (a list of values is not one). */
export interface Distribution {
  readonly kind: Exclude<DistributionKind, 'choice'>;
  readonly a: number;
  readonly b: number;
}

function finite(name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new TunekitError('INVALID_PARAMETER', `${name} must be a finite number, got ${v}`);
  }
  return v;
}

/** Uniform on [loc, loc + scale] (scipy's `uniform(loc, scale)`, not [low, high]). */
export function uniform(loc = 0, scale = 1): Distribution {
  finite('uniform loc', loc);
  if (!(finite('uniform scale', scale) > 0)) throw new TunekitError('INVALID_PARAMETER', `uniform scale must be > 0, got ${scale}`);
  return Object.freeze({ kind: 'uniform', a: loc, b: scale });
}

/** Log-uniform on [a, b], 0 < a < b (scipy's `loguniform`). */
export function loguniform(a: number, b: number): Distribution {
  if (!(finite('loguniform a', a) > 0) || !(finite('loguniform b', b) > a)) {
    throw new TunekitError('INVALID_PARAMETER', `loguniform needs 0 < a < b, got a=${a}, b=${b}`);
  }
  return Object.freeze({ kind: 'loguniform', a, b });
}

/** Integers low, low+1, …, high−1 equally likely (scipy's `randint`, high excluded). */
export function randint(low: number, high: number): Distribution {
  if (!Number.isInteger(low) || !Number.isInteger(high) || !(low < high)) {
    throw new TunekitError('INVALID_PARAMETER', `randint needs integers low < high, got low=${low}, high=${high}`);
  }
  return Object.freeze({ kind: 'randint', a: low, b: high });
}

export function isDistribution(v: unknown): v is Distribution {
  return (
    typeof v === 'object' &&
    v !== null &&
    isEnumValue('DistributionKind', (v as Distribution).kind) &&
    (v as Distribution).kind !== ('choice' as string) &&
    typeof (v as Distribution).a === 'number' &&
    typeof (v as Distribution).b === 'number'
  );
}
