import { describeValue, TunekitError } from '../errors.js';
import { keyedRecord } from '../keyed.js';
import type { FrozenTrial, Storage } from './types.js';

/** The trial system attribute holding a trial's constraint values (name → value), written with its end. */
export const CONSTRAINTS_ATTR = 'constraints';
/** The study system attribute holding the constraint names, fixed by the first trial told with constraints. */
export const CONSTRAINT_NAMES_ATTR = 'constraint_names';

/** What `tell` takes as constraints: values in order (named `"0"`, `"1"`, …) or by name. */
export type ConstraintValues = readonly number[] | Readonly<Record<string, number>>;

/** Names in their model order: integer names by value, then the others by code unit. */
export function sortNames(names: readonly string[]): string[] {
  const int = (s: string): boolean => /^(0|[1-9]\d{0,14})$/.test(s);
  return [...names].sort((a, b) => (int(a) && int(b) ? Number(a) - Number(b) : int(a) ? -1 : int(b) ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

/** Refuses a constraint value that is not a finite number (NaN and ±Infinity included). */
export function checkConstraint(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TunekitError(
      'INVALID_CONSTRAINTS',
      `${where}: constraint ${JSON.stringify(name)} is ${describeValue(value)}: constraint values must be finite numbers (≤ 0 is feasible; a large finite number for a bad violation)`,
    );
  }
  return value;
}

/** The constraints given to `tell` as a keyed record, each value checked. */
export function constraintRecord(where: string, given: unknown): Record<string, number> {
  const out = keyedRecord<number>();
  if (Array.isArray(given)) {
    if (given.length === 0) throw new TunekitError('INVALID_CONSTRAINTS', `${where}: constraints is an empty array: give at least one value, or leave constraints out`);
    given.forEach((v, i) => (out[String(i)] = checkConstraint(where, String(i), v)));
    return out;
  }
  if (typeof given !== 'object' || given === null) {
    throw new TunekitError('INVALID_CONSTRAINTS', `${where}: constraints must be an array of numbers or an object of name → number, got ${describeValue(given)}`);
  }
  const names = Object.keys(given);
  if (names.length === 0) throw new TunekitError('INVALID_CONSTRAINTS', `${where}: constraints is an empty object: give at least one value, or leave constraints out`);
  for (const name of names) out[name] = checkConstraint(where, name, (given as Record<string, unknown>)[name]);
  return out;
}

/** A stored trial's constraint values by name, or undefined if it has none. */
export function trialConstraints(trial: FrozenTrial): Record<string, number> | undefined {
  const c = trial.systemAttrs[CONSTRAINTS_ATTR];
  return typeof c === 'object' && c !== null && !Array.isArray(c) ? (c as Record<string, number>) : undefined;
}

/** A trial's constraint values in `names` order (NaN for a name it lacks), or null if it has none. */
export function constraintVector(trial: FrozenTrial, names: readonly string[]): number[] | null {
  const c = trialConstraints(trial);
  if (c === undefined) return null;
  return names.map((n) => (Object.hasOwn(c, n) && typeof c[n] === 'number' ? c[n] : NaN));
}

/** Whether a trial is feasible: every constraint value ≤ 0 (a trial without constraints is feasible, as in Optuna). */
export function isFeasible(trial: FrozenTrial): boolean {
  const c = trialConstraints(trial);
  return c === undefined || Object.values(c).every((v) => v <= 0);
}

/** The sum of a trial's positive constraint values (0 when feasible or unconstrained). */
export function totalViolation(trial: FrozenTrial): number {
  const c = trialConstraints(trial);
  return c === undefined ? 0 : Object.values(c).reduce((s, v) => s + Math.max(0, v), 0);
}

/** The constraint names of the trials (sorted), or null when none has constraints. */
export function constraintNamesOf(trials: readonly FrozenTrial[]): string[] | null {
  for (const t of trials) {
    const c = trialConstraints(t);
    if (c !== undefined) return sortNames(Object.keys(c));
  }
  return null;
}

/**
 * Checks that `record` has the study's constraint names (the first trial told
 * with constraints fixes them, in the storage, first writer wins); returns the
 * names in model order.
 */
export async function checkStudyNames(storage: Storage, studyId: number, where: string, record: Record<string, number>): Promise<string[]> {
  const names = sortNames(Object.keys(record));
  const stored = await storage.setStudySystemAttrIfAbsent(studyId, CONSTRAINT_NAMES_ATTR, names);
  if (!Array.isArray(stored) || stored.length !== names.length || stored.some((n, i) => n !== names[i])) {
    throw new TunekitError(
      'INVALID_CONSTRAINTS',
      `${where}: constraints ${JSON.stringify(names)} differ from this study's ${JSON.stringify(stored)} (fixed by its first constrained trial): every trial gives the same constraints`,
    );
  }
  return names;
}
