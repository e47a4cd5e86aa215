import { isFeasible, trialConstraints } from '../study/constraints.js';
import { TRIAL_STATES, type FrozenTrial, type TrialState } from '../study/types.js';

/** A request the API refuses: the HTTP status, a stable code and a message naming the bad value. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The most trials one page of the trial table returns. */
export const MAX_LIMIT = 1000;
/** Trials per page when `limit` is not given. */
export const DEFAULT_LIMIT = 50;

/** A range with optional ends (inclusive). */
interface Range {
  lo: number;
  hi: number;
}

type Filter = { kind: 'paramRange'; name: string; range: Range } | { kind: 'paramEq'; name: string; value: string } | { kind: 'value'; objective: number; range: Range };

/** The trial table's query, parsed from the URL. */
export interface TrialQuery {
  states: TrialState[] | null;
  sort: string;
  order: 'asc' | 'desc';
  filters: Filter[];
  offset: number;
  limit: number;
}

const NUM = String.raw`[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|Infinity)`;
const RANGE = new RegExp(`^(${NUM})?\\.\\.(${NUM})?$`);

function parseRange(what: string, s: string): Range | null {
  const m = RANGE.exec(s);
  if (m === null) return null;
  const lo = m[1] === undefined ? -Infinity : Number(m[1]);
  const hi = m[2] === undefined ? Infinity : Number(m[2]);
  if (lo > hi) throw new ApiError(400, 'BAD_QUERY', `${what}: the range ${JSON.stringify(s)} is empty (low > high)`);
  return { lo, hi };
}

function integer(what: string, s: string | null, dflt: number, min: number, max: number): number {
  if (s === null) return dflt;
  const v = Number(s);
  if (s.trim() === '' || !Number.isInteger(v) || v < min || v > max) throw new ApiError(400, 'BAD_QUERY', `${what}: expected an integer in [${min}, ${max}], got ${JSON.stringify(s)}`);
  return v;
}

/** The objective index of `value` / `value.K`, checked against the study's objectives. */
function objectiveOf(key: string, nObjectives: number): number {
  const k = key === 'value' ? 0 : Number(key.slice('value.'.length));
  if (!Number.isInteger(k) || k < 0 || k >= nObjectives) throw new ApiError(400, 'BAD_QUERY', `${key}: the study has ${nObjectives} objective(s) (value, value.0 … value.${nObjectives - 1})`);
  return k;
}

/** Parses the trial table's query parameters (docs/dashboard.md). */
export function parseTrialQuery(q: URLSearchParams, nObjectives: number): TrialQuery {
  let states: TrialState[] | null = null;
  const st = q.get('state');
  if (st !== null && st !== '') {
    states = st.split(',').map((s) => {
      if (!TRIAL_STATES.includes(s as TrialState)) throw new ApiError(400, 'BAD_QUERY', `state: expected ${TRIAL_STATES.join(', ')} (comma-separated), got ${JSON.stringify(s)}`);
      return s as TrialState;
    });
  }
  const sort = q.get('sort') ?? 'number';
  if (!['number', 'state', 'duration', 'start', 'complete'].includes(sort) && !sort.startsWith('param.') && !(sort === 'value' || sort.startsWith('value.'))) {
    throw new ApiError(400, 'BAD_QUERY', `sort: expected number, state, duration, start, complete, value, value.K or param.NAME, got ${JSON.stringify(sort)}`);
  }
  if (sort === 'value' || sort.startsWith('value.')) objectiveOf(sort, nObjectives);
  const order = q.get('order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new ApiError(400, 'BAD_QUERY', `order: expected asc or desc, got ${JSON.stringify(order)}`);
  const filters: Filter[] = [];
  for (const [key, v] of q) {
    if (key.startsWith('param.')) {
      const name = key.slice('param.'.length);
      const range = parseRange(key, v);
      filters.push(range === null ? { kind: 'paramEq', name, value: v } : { kind: 'paramRange', name, range });
    } else if (key === 'value' || key.startsWith('value.')) {
      const objective = objectiveOf(key, nObjectives);
      const range = parseRange(key, v);
      if (range === null) throw new ApiError(400, 'BAD_QUERY', `${key}: expected a range LOW..HIGH (either end may be left out), got ${JSON.stringify(v)}`);
      filters.push({ kind: 'value', objective, range });
    }
  }
  return {
    states,
    sort,
    order,
    filters,
    offset: integer('offset', q.get('offset'), 0, 0, Number.MAX_SAFE_INTEGER),
    limit: integer('limit', q.get('limit'), DEFAULT_LIMIT, 1, MAX_LIMIT),
  };
}

function inRange(x: unknown, r: Range): boolean {
  return typeof x === 'number' && x >= r.lo && x <= r.hi;
}

function keep(t: FrozenTrial, q: TrialQuery): boolean {
  if (q.states !== null && !q.states.includes(t.state)) return false;
  for (const f of q.filters) {
    if (f.kind === 'value') {
      if (t.values === null || !inRange(t.values[f.objective], f.range)) return false;
    } else {
      if (!Object.hasOwn(t.params, f.name)) return false;
      const x = t.params[f.name];
      if (f.kind === 'paramRange' ? !inRange(x, f.range) : String(x) !== f.value) return false;
    }
  }
  return true;
}

/** The sort key of a trial; `undefined` sorts last in either order. */
function keyOf(sort: string, t: FrozenTrial): number | string | undefined {
  if (sort === 'number') return t.number;
  if (sort === 'state') return t.state;
  if (sort === 'start') return t.datetimeStart ?? undefined;
  if (sort === 'complete') return t.datetimeComplete ?? undefined;
  if (sort === 'duration') return t.datetimeStart !== null && t.datetimeComplete !== null ? t.datetimeComplete - t.datetimeStart : undefined;
  if (sort === 'value' || sort.startsWith('value.')) {
    const v = t.values?.[sort === 'value' ? 0 : Number(sort.slice('value.'.length))];
    return v === undefined || Number.isNaN(v) ? undefined : v;
  }
  const name = sort.slice('param.'.length);
  if (!Object.hasOwn(t.params, name)) return undefined;
  const x = t.params[name];
  return typeof x === 'number' || typeof x === 'string' ? x : String(x);
}

/** One row of the trial table: what the table shows, without intermediate values or attributes. */
export interface TrialRow {
  id: number;
  number: number;
  state: TrialState;
  values: number[] | null;
  params: Record<string, unknown>;
  datetimeStart: number | null;
  datetimeComplete: number | null;
  /** Milliseconds from start to end; null while running. */
  durationMs: number | null;
  /** False when a constraint value is > 0. */
  feasible: boolean;
}

/** A trial's table row. */
export function rowOf(t: FrozenTrial): TrialRow {
  return {
    id: t.id,
    number: t.number,
    state: t.state,
    values: t.values,
    params: t.params,
    datetimeStart: t.datetimeStart,
    datetimeComplete: t.datetimeComplete,
    durationMs: t.datetimeStart !== null && t.datetimeComplete !== null ? t.datetimeComplete - t.datetimeStart : null,
    feasible: isFeasible(t),
  };
}

/**
 * The trials in the table's order (`sort`, `order`; ties and missing keys by
 * number, missing keys last in either order). A new array; `trials` must be
 * in number order.
 */
export function sortTrials(trials: readonly FrozenTrial[], sort: string, order: 'asc' | 'desc'): FrozenTrial[] {
  if (sort === 'number') return order === 'asc' ? [...trials] : [...trials].reverse();
  const dir = order === 'asc' ? 1 : -1;
  // Decorate once: a key per trial, then sort the pairs (no lookups in the comparator).
  const present: { k: number | string; t: FrozenTrial }[] = [];
  const missing: FrozenTrial[] = [];
  let numeric = true;
  for (const t of trials) {
    const k = keyOf(sort, t);
    if (k === undefined) missing.push(t);
    else {
      if (typeof k !== 'number') numeric = false;
      present.push({ k, t });
    }
  }
  if (numeric) present.sort((a, b) => (a.k === b.k ? a.t.number - b.t.number : dir * ((a.k as number) - (b.k as number))));
  else {
    present.sort((a, b) => {
      const ka = String(a.k);
      const kb = String(b.k);
      return ka === kb ? a.t.number - b.t.number : dir * (ka < kb ? -1 : 1);
    });
  }
  const out = present.map((p) => p.t);
  for (const t of missing) out.push(t);
  return out;
}

/** One page of the trial table from trials already in the table's order: the filtered trials' count and the rows of `offset … offset + limit`. */
export function pageTrials(sorted: readonly FrozenTrial[], q: TrialQuery): { total: number; offset: number; limit: number; trials: TrialRow[] } {
  const kept = q.filters.length === 0 && q.states === null ? sorted : sorted.filter((t) => keep(t, q));
  return { total: kept.length, offset: q.offset, limit: q.limit, trials: kept.slice(q.offset, q.offset + q.limit).map(rowOf) };
}

/** One page of the trial table: sorted, filtered, paged. */
export function queryTrials(trials: readonly FrozenTrial[], q: TrialQuery): { total: number; offset: number; limit: number; trials: TrialRow[] } {
  return pageTrials(sortTrials(trials, q.sort, q.order), q);
}

/** The trial detail: everything stored, plus its constraints, feasibility, duration and the stderr tail a command objective kept. */
export function trialDetail(t: FrozenTrial): FrozenTrial & { constraints: Record<string, number> | null; feasible: boolean; durationMs: number | null; stderrTail: string | null } {
  const tail = t.userAttrs['stderr_tail'];
  return {
    ...t,
    constraints: trialConstraints(t) ?? null,
    feasible: isFeasible(t),
    durationMs: t.datetimeStart !== null && t.datetimeComplete !== null ? t.datetimeComplete - t.datetimeStart : null,
    stderrTail: typeof tail === 'string' ? tail : null,
  };
}
