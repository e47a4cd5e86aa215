import type { FrozenTrial } from './types.js';

/** One trial as a flat record: what `tunekit export` and `Study.exportRows` give. */
export type ExportRow = Record<string, string | number | boolean | null>;

function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? null;
}

/** The value under `key` if `record` has it as its own (a trial without `constructor` has none, whatever Object.prototype says). */
const own = (record: Record<string, unknown>, key: string): unknown => (Object.hasOwn(record, key) ? record[key] : null);

/**
 * Columns: number, state, value (or values_0, values_1, … with several
 * objectives), params_<name>…, user_attrs_<key>…, datetime_start,
 * datetime_complete (ISO 8601), duration (seconds). Every row has every
 * column (null where a trial lacks it), in a stable order.
 */
export function rowsOf(trials: readonly FrozenTrial[], nObjectives: number): ExportRow[] {
  const params = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort();
  const attrs = [...new Set(trials.flatMap((t) => Object.keys(t.userAttrs)))].sort();
  return trials.map((t) => {
    const row: ExportRow = { number: t.number, state: t.state };
    if (nObjectives === 1) row.value = t.values?.[0] ?? null;
    else for (let i = 0; i < nObjectives; i++) row[`values_${i}`] = t.values?.[i] ?? null;
    for (const p of params) row[`params_${p}`] = cell(own(t.params, p));
    for (const a of attrs) row[`user_attrs_${a}`] = cell(own(t.userAttrs, a));
    row.datetime_start = t.datetimeStart === null ? null : new Date(t.datetimeStart).toISOString();
    row.datetime_complete = t.datetimeComplete === null ? null : new Date(t.datetimeComplete).toISOString();
    row.duration = t.datetimeStart !== null && t.datetimeComplete !== null ? (t.datetimeComplete - t.datetimeStart) / 1000 : null;
    return row;
  });
}

function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a header row (infinite values as inf / -inf, as pandas writes them). */
export function toCsv(rows: readonly ExportRow[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0] as ExportRow);
  return `${[cols.map(csvField).join(','), ...rows.map((r) => cols.map((c) => csvField(r[c] ?? null)).join(','))].join('\n')}\n`;
}
