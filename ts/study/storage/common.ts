import { TunekitError } from '../../errors.js';
import type { TrialState } from '../types.js';

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
  return JSON.stringify(v === undefined ? null : v);
}

export function fromJson(s: string): unknown {
  return JSON.parse(s);
}
