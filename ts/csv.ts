import { readFileSync } from 'node:fs';
import { TunekitError } from './errors.js';

/** A numeric table read from a CSV file with a header row. */
export interface NumericTable {
  header: string[];
  rows: number[][];
}

function fail(file: string, message: string): never {
  throw new TunekitError('CSV_ERROR', `${file}: ${message}`);
}

/**
 * Reads a comma-separated file of numbers with a header row. Every error names
 * the file, the 1-based line and the column. Quoted fields are not supported
 * (numeric data needs none); blank lines at the end are ignored.
 */
export function readNumericCsv(file: string): NumericTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    fail(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
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
        const what = raw === '' ? 'is empty' : raw.toLowerCase() === 'nan' ? 'is NaN' : `is ${JSON.stringify(raw)}, not a number`;
        fail(file, `line ${i + 1}, column ${JSON.stringify(header[j])} ${what}`);
      }
      if (!Number.isFinite(v)) fail(file, `line ${i + 1}, column ${JSON.stringify(header[j])} is ${raw}: values must be finite`);
      row[j] = v;
    }
    rows.push(row);
  }
  return { header, rows };
}
