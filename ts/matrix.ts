import { TunekitError } from './errors.js';

/** A dense matrix given as rows, or as row-major values with a shape. */
export type MatrixLike = readonly (readonly number[])[] | DenseMatrix;

/** Row-major values with their shape: `data.length === shape[0] * shape[1]`. */
export interface DenseMatrix {
  data: Float64Array;
  shape: readonly [number, number];
}

/** The form every native call takes: one Float64Array, copied once. */
export interface Packed {
  data: Float64Array;
  rows: number;
  cols: number;
}

function isDense(x: MatrixLike): x is DenseMatrix {
  return !Array.isArray(x) && typeof x === 'object' && x !== null && 'data' in x && 'shape' in x;
}

/**
 * Packs X into one row-major Float64Array, checking its shape and values.
 * @param name how the argument is named in error messages (default `X`)
 */
export function pack(x: MatrixLike, name = 'X'): Packed {
  if (isDense(x)) {
    const [rows, cols] = x.shape;
    if (!(x.data instanceof Float64Array)) {
      throw new TunekitError('INVALID_DATA', `${name}.data must be a Float64Array`);
    }
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
      throw new TunekitError('INVALID_DATA', `${name} is empty or has a bad shape [${rows}, ${cols}]`);
    }
    if (x.data.length !== rows * cols) {
      throw new TunekitError('INVALID_DATA', `${name}.data has ${x.data.length} values, which is not ${rows} rows × ${cols} columns`);
    }
    checkFinite(x.data, cols, name);
    return { data: x.data, rows, cols };
  }
  if (!Array.isArray(x)) {
    throw new TunekitError('INVALID_DATA', `${name} must be an array of rows or { data: Float64Array, shape }`);
  }
  const rows = x.length;
  const first = x[0];
  if (rows === 0 || first === undefined || !Array.isArray(first) || first.length === 0) {
    throw new TunekitError('INVALID_DATA', `${name} is empty: it needs at least one row and one column`);
  }
  const cols = first.length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = x[i];
    if (!Array.isArray(row) || row.length !== cols) {
      const len = Array.isArray(row) ? row.length : typeof row;
      throw new TunekitError('INVALID_DATA', `${name} is ragged: row ${i} has ${len} values but row 0 has ${cols}`);
    }
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number') {
        throw new TunekitError('INVALID_DATA', `${name}[${i}][${j}] is ${JSON.stringify(v)}: expected a number`);
      }
      data[i * cols + j] = v;
    }
  }
  checkFinite(data, cols, name);
  return { data, rows, cols };
}

function checkFinite(data: Float64Array, cols: number, name: string): void {
  for (let k = 0; k < data.length; k++) {
    const v = data[k] as number;
    if (!Number.isFinite(v)) {
      throw new TunekitError('INVALID_DATA', `${name}[${Math.floor(k / cols)}][${k % cols}] is ${v}: every value must be finite (no NaN or infinity)`);
    }
  }
}

/** The rows of a packed matrix picked by `indices`, in that order. */
export function takeRows(x: Packed, indices: ArrayLike<number>): Packed {
  const out = new Float64Array(indices.length * x.cols);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    out.set(x.data.subarray(i * x.cols, (i + 1) * x.cols), k * x.cols);
  }
  return { data: out, rows: indices.length, cols: x.cols };
}

/** A packed matrix back as rows of numbers. */
export function toRows(x: Packed): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < x.rows; i++) rows.push(Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)));
  return rows;
}
