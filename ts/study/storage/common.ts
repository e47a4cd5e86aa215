import { checkJsonValue, TunekitError } from '../../errors.js';
import type { AttrValue, FrozenTrial, NewTrial, TrialState } from '../types.js';

export function studyNotFound(id: number | string): TunekitError {
  return new TunekitError('STUDY_NOT_FOUND', `no study ${typeof id === 'string' ? JSON.stringify(id) : `with id ${id}`} in this storage`);
}

export function trialNotFound(id: number): TunekitError {
  return new TunekitError('STORAGE_ERROR', `no trial with id ${id} in this storage`);
}

export function checkTrialState(t: { number: number; state: TrialState }, expected: TrialState, what: string): void {
  if (t.state !== expected) {
    throw new TunekitError('TRIAL_FINISHED', `cannot ${what} of trial ${t.number}: it is ${t.state}, not ${expected}`);
  }
}

/** A number as stored: finite values in a numeric column, the rest by kind (SQL REAL/NULL cannot hold NaN). */
export type ValueKind = 'finite' | 'inf' | '-inf' | 'nan';

export function encodeValue(v: number): { value: number | null; kind: ValueKind } {
  if (Number.isFinite(v)) return { value: v, kind: 'finite' };
  if (Number.isNaN(v)) return { value: null, kind: 'nan' };
  return { value: null, kind: v > 0 ? 'inf' : '-inf' };
}

export function decodeValue(value: number | string | null, kind: string): number {
  switch (kind) {
    case 'finite':
      return Number(value);
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    default:
      return NaN;
  }
}

/** Attribute and parameter values travel as JSON text; NaN and ±Infinity inside them become null, as JSON does. */
export function toJson(v: unknown): string {
  checkJsonValue(v, 'a stored value', '');
  return JSON.stringify(v === undefined ? null : v);
}

export function fromJson(s: string): unknown {
  return JSON.parse(s);
}

/**
 * The longest study name, parameter name or attribute key, in UTF-8 bytes,
 * on every backend (PostgreSQL's index entries hold about 2 700 bytes; one
 * limit for all keeps a study portable between storages).
 */
export const MAX_KEY_BYTES = 1024;

/** A name or key as stored: a string of 1..MAX_KEY_BYTES UTF-8 bytes without NUL characters; else a TunekitError naming it. */
export function checkKey(what: string, key: unknown): string {
  // Fast path: at most 3 UTF-8 bytes per UTF-16 unit, so 341 units fit in 1024 bytes.
  if (typeof key === 'string' && key.length > 0 && key.length <= 341 && !key.includes('\u0000')) return key;
  if (typeof key !== 'string' || key === '') {
    throw new TunekitError('INVALID_PARAMETER', `${what} must be a non-empty string, got ${typeof key === 'string' ? '""' : String(key)}`);
  }
  const preview = key.length > 40 ? `${JSON.stringify(key.slice(0, 40))}…` : JSON.stringify(key);
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    throw new TunekitError('INVALID_PARAMETER', `${what} ${preview} is ${bytes} bytes long: names and keys are at most ${MAX_KEY_BYTES} bytes (UTF-8) in every storage`);
  }
  if (key.includes('\u0000')) throw new TunekitError('INVALID_PARAMETER', `${what} ${preview} contains a NUL character (\\u0000), which no storage can hold in a name`);
  return key;
}

/** The WAITING copy of a trial a dead worker left, or null once its retries are used up. */
export function retryOf(dead: FrozenTrial, maxRetries: number): NewTrial | null {
  const retries = typeof dead.systemAttrs['retry_count'] === 'number' ? dead.systemAttrs['retry_count'] : 0;
  if (retries >= maxRetries) return null;
  // Keeps what fixes the point (a grid id, a GA slot), drops what belonged to the dead run.
  const { fail_reason: _f, reaped: _r, relative_params: _p, late_result: _l, ...kept } = dead.systemAttrs;
  return {
    state: 'WAITING',
    params: dead.params,
    distributions: dead.distributions,
    systemAttrs: { ...kept, fixed_params: dead.params, retry_count: retries + 1, retried_from: dead.number },
  };
}

/** The system attributes a reaped trial gets. */
export function reapedAttrs(reason: string): Record<string, AttrValue> {
  return { fail_reason: reason, reaped: true };
}

/** The refusal of a start at the study's cap. */
export function trialLimit(maxTrials: number): TunekitError {
  return new TunekitError('TRIAL_LIMIT', `the study already has ${maxTrials} started trials, the number asked for`);
}

export function claimTaken(key: string): TunekitError {
  return new TunekitError('CLAIM_TAKEN', `${key} is taken by another trial`);
}

/** A driver error as a one-line STORAGE_ERROR (the driver's code kept in the message and as the cause). */
export function storageError(backend: string, err: unknown): unknown {
  if (err instanceof TunekitError || !(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  return new TunekitError('STORAGE_ERROR', `${backend}: ${err.message}${typeof code === 'string' ? ` (${code})` : ''}`, { cause: err });
}
