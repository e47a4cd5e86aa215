import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { TunekitError } from './errors.js';

/** A numeric table read from a CSV file with a header row. */
export interface NumericTable {
  header: string[];
  rows: number[][];
}

/**
 * The largest CSV file read, in bytes (256 MiB): far more than a data set an
 * SVM trains on in memory, and below V8's longest string (about 512 MiB), so
 * a file over it fails with this message instead of an out-of-memory crash.
 */
export const MAX_CSV_BYTES = 256 * 1024 * 1024;

/** Options of {@link readNumericCsv}. */
export interface ReadCsvOptions {
  /** Refuse a file larger than this many bytes. @default MAX_CSV_BYTES */
  maxBytes?: number;
}

function fail(file: string, message: string): never {
  throw new TunekitError('CSV_ERROR', `${file}: ${message}`);
}

const CHUNK = 1 << 20;

/**
 * The text of a file of at most `maxBytes` bytes. A regular file over the
 * limit is refused by its size, unread; anything else (a pipe, /dev/zero) is
 * read up to the limit. A NUL byte means a binary file, not CSV.
 */
function readText(file: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    fail(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size > maxBytes) fail(file, `is ${st.size} bytes, over the ${maxBytes}-byte limit of a CSV file`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const n = readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) fail(file, `has more than ${maxBytes} bytes: over the limit of a CSV file`);
      if (chunk.subarray(0, n).includes(0)) fail(file, 'contains a NUL byte: not a text CSV file');
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (err) {
    if (err instanceof TunekitError) throw err;
    fail(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a comma-separated file of numbers with a header row (at most
 * `maxBytes`, default {@link MAX_CSV_BYTES}). Every error names the file, the
 * 1-based line and the column, never a value of the file (data stays out of
 * logs). Quoted fields are not supported (numeric data needs none); blank
 * lines at the end are ignored.
 */
export function readNumericCsv(file: string, options: ReadCsvOptions = {}): NumericTable {
  const text = readText(file, options.maxBytes ?? MAX_CSV_BYTES);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  const headerLine = lines[0];
  if (headerLine === undefined || headerLine.trim() === '') fail(file, 'is empty: expected a header row');
  const header = headerLine.split(',').map((h) => h.trim());
  if (lines.length < 2) fail(file, 'has a header but no data rows');
  const rows: number[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const fields = line.split(',');
    if (fields.length !== header.length) {
      fail(file, `line ${i + 1} has ${fields.length} fields but the header has ${header.length}`);
    }
    const row = new Array<number>(fields.length);
    for (let j = 0; j < fields.length; j++) {
      const raw = (fields[j] as string).trim();
      const v = raw === '' ? NaN : Number(raw);
      if (Number.isNaN(v)) {
        const what = raw === '' ? 'is empty' : raw.toLowerCase() === 'nan' ? 'is NaN' : 'is not a number';
        fail(file, `line ${i + 1}, column ${JSON.stringify(header[j])} ${what}`);
      }
      if (!Number.isFinite(v)) fail(file, `line ${i + 1}, column ${JSON.stringify(header[j])} is infinite: values must be finite`);
      row[j] = v;
    }
    rows.push(row);
  }
  return { header, rows };
}
