import { TunekitError } from './errors.js';

/** Class labels: numbers or strings, one per row of X. */
export type Label = number | string;
export type LabelsLike = readonly Label[] | Float64Array | Int32Array | Uint32Array;

/** Labels encoded as codes 0..k−1 into `classes`, sorted like numpy's `unique`. */
export interface EncodedLabels {
  codes: Uint32Array;
  classes: Label[];
}

/**
 * Encodes labels as class codes. Classes are sorted numerically for numbers and
 * by code point for strings (scikit-learn's `np.unique` order), so class codes,
 * ties and the order of `classes` agree with scikit-learn.
 */
export function encodeLabels(y: LabelsLike, name = 'y'): EncodedLabels {
  const n = y.length;
  if (n === 0) throw new TunekitError('INVALID_DATA', `${name} is empty`);
  const first = y[0];
  const kind = typeof first;
  if (kind !== 'number' && kind !== 'string') {
    throw new TunekitError('INVALID_LABELS', `${name}[0] is ${String(first)}: labels must be numbers or strings`);
  }
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (typeof v !== kind) {
      throw new TunekitError('INVALID_LABELS', `${name}[${i}] is ${JSON.stringify(v)} but ${name}[0] is a ${kind}: labels must all be numbers or all strings`);
    }
    if (kind === 'number' && !Number.isFinite(v)) {
      throw new TunekitError('INVALID_DATA', `${name}[${i}] is ${v}: labels must be finite`);
    }
  }
  const unique = Array.from(new Set(Array.from(y as ArrayLike<Label>)));
  unique.sort(kind === 'number' ? (a, b) => (a as number) - (b as number) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map<Label, number>(unique.map((c, i) => [c, i]));
  const codes = new Uint32Array(n);
  for (let i = 0; i < n; i++) codes[i] = index.get(y[i] as Label) as number;
  return { codes, classes: unique };
}

/** Codes of `y` within known `classes`; an unknown label is an error. */
export function encodeWith(y: LabelsLike, classes: readonly Label[], name = 'y'): Uint32Array {
  const index = new Map<Label, number>(classes.map((c, i) => [c, i]));
  const codes = new Uint32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const c = index.get(y[i] as Label);
    if (c === undefined) {
      throw new TunekitError('INVALID_LABELS', `${name}[${i}] is ${JSON.stringify(y[i])}, a label not seen in training (classes: ${JSON.stringify(classes)})`);
    }
    codes[i] = c;
  }
  return codes;
}
