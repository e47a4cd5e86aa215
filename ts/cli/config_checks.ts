import { describeValue } from '../errors.js';

// The checks of config values: each error names the value's path, e.g.
// `sampler.options.kappa: expected a positive number, got -1`.

/** A config error: exit code 2, nothing runs. */
export class ConfigError extends Error {}

/** A config value in a message: NaN, .inf and the like as such, not as JSON's null. */
export const show = (v: unknown): string => (v === undefined ? 'nothing' : describeValue(v));

export function fail(path: string, message: string): never {
  throw new ConfigError(`${path}: ${message}`);
}

export function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, `expected a mapping, got ${show(v)}`);
  return v as Record<string, unknown>;
}

export function only(o: Record<string, unknown>, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(path === '' ? k : `${path}.${k}`, `unknown key (expected one of ${allowed.join(', ')})`);
}

export function string(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') fail(path, `expected a non-empty string, got ${show(v)}`);
  return v;
}

export function positiveInt(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) fail(path, `expected a positive integer, got ${show(v)}`);
  return v;
}

export function positive(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(path, `expected a positive number, got ${show(v)}`);
  return v;
}

export function oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !values.includes(v as T)) fail(path, `expected one of ${values.join(', ')}, got ${show(v)}`);
  return v as T;
}
