import { TunekitError } from './errors.js';

/** An integer option ≥ `min` (`def` when undefined); otherwise an INVALID_PARAMETER error naming it and the value. */
export function intOption(v: number | undefined, name: string, def: number, min = 1): number {
  const n = v ?? def;
  if (!Number.isInteger(n) || n < min) throw new TunekitError('INVALID_PARAMETER', `${name} must be an integer ≥ ${min}, got ${n}`);
  return n;
}

/**
 * An integer option ≥ `min` when given (undefined stays undefined, for the
 * core's default); otherwise an INVALID_PARAMETER error naming it and the
 * value (`expected` words the rule instead of "an integer ≥ min").
 */
export function optionalInt(v: number | undefined, name: string, min = 1, expected = `an integer ≥ ${min}`): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < min) throw new TunekitError('INVALID_PARAMETER', `${name} must be ${expected}, got ${v}`);
  return v;
}
