import { TunekitError } from './errors.js';

/** An integer option ≥ `min` (`def` when undefined); otherwise an INVALID_PARAMETER error naming it and the value. */
export function intOption(v: number | undefined, name: string, def: number, min = 1): number {
  const n = v ?? def;
  if (!Number.isInteger(n) || n < min) throw new TunekitError('INVALID_PARAMETER', `${name} must be an integer ≥ ${min}, got ${n}`);
  return n;
}
