/**
 * The one error class tunekit throws. `code` is stable across versions and
 * safe to branch on; `message` names the offending value.
 */
export type TunekitErrorCode =
  | 'INVALID_DATA' // NaN/infinity, empty or ragged arrays, X/y length mismatch
  | 'INVALID_PARAMETER' // a setting out of range (C ≤ 0, negative gamma, nIter ≤ 0, …)
  | 'UNKNOWN_PARAMETER' // a parameter name the estimator does not have
  | 'INVALID_LABELS' // a single class, mixed label types, unknown label
  | 'INVALID_SPLIT' // cv larger than the smallest class, bad test size, …
  | 'INVALID_SPACE' // a search space that cannot be searched (low ≥ high, unknown type, …)
  | 'OBJECTIVE_FAILED' // the user's objective threw (the cause is attached)
  | 'NOT_FITTED' // predict/score before fit
  | 'CSV_ERROR' // a data file that cannot be read as a numeric table
  | 'DUPLICATE_STUDY' // createStudy with a name that exists (without loadIfExists)
  | 'STUDY_NOT_FOUND' // loadStudy/deleteStudy of a name the storage does not have
  | 'TRIAL_FINISHED' // suggest/report/tell on a trial that is no longer RUNNING
  | 'STORAGE_ERROR' // the database could not be opened, migrated or written
  | 'SEARCH_EXHAUSTED' // the sampler has nothing left to propose (every grid point taken)
  | 'TRIAL_LIMIT' // the study already has the trials its run asked for (every worker counted)
  | 'CLAIM_TAKEN' // another trial took that grid point first (the sampler picks another)
  | 'INVALID_CONSTRAINTS' // a constraint value that is not a finite number, or names that differ from the study's
  | 'NO_FEASIBLE_TRIAL' // bestTrial of a constrained study none of whose COMPLETE trials is feasible
  | 'INTERNAL'; // a bug in tunekit: please report it

export class TunekitError extends Error {
  readonly code: TunekitErrorCode;

  constructor(code: TunekitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TunekitError';
    this.code = code;
  }
}

const CODES = new Set<string>([
  'INVALID_DATA',
  'INVALID_PARAMETER',
  'UNKNOWN_PARAMETER',
  'INVALID_LABELS',
  'INVALID_SPLIT',
  'INVALID_SPACE',
  'OBJECTIVE_FAILED',
  'NOT_FITTED',
  'CSV_ERROR',
  'INTERNAL',
]);

/**
 * Turns an error thrown by the native binding (message `"[CODE] text"`) into a
 * TunekitError; anything else is passed through unchanged.
 */
export function fromNative(err: unknown): unknown {
  if (err instanceof TunekitError || !(err instanceof Error)) return err;
  const m = /^\[([A-Z_]+)\] ([\s\S]*)$/.exec(err.message);
  if (m && m[1] !== undefined && m[2] !== undefined && CODES.has(m[1])) {
    return new TunekitError(m[1] as TunekitErrorCode, m[2], { cause: err });
  }
  return err;
}

/**
 * A value as error messages show it: JSON where JSON is faithful, and
 * readable where it is not: `NaN`, `Infinity`, `-Infinity`, `-0`,
 * `undefined`, `10n` (a BigInt), `[function name]`, `Symbol(s)`,
 * `[circular]` (JSON.stringify would print null, drop the value or throw).
 */
export function describeValue(v: unknown): string {
  return describe(v, new Set());
}

function describe(v: unknown, ancestors: Set<object>): string {
  switch (typeof v) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return `${v}n`;
    case 'function':
      return `[function ${v.name === '' ? 'anonymous' : v.name}]`;
    case 'symbol':
      return v.toString();
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
  }
  if (v === null) return 'null';
  const o = v as object & { toJSON?: unknown };
  if (typeof o.toJSON === 'function') return describe((o.toJSON as () => unknown)(), ancestors);
  if (ancestors.has(o)) return '[circular]';
  ancestors.add(o);
  try {
    if (Array.isArray(o)) return `[${o.map((x) => describe(x, ancestors)).join(',')}]`;
    return `{${Object.entries(o)
      .map(([k, x]) => `${JSON.stringify(k)}:${describe(x, ancestors)}`)
      .join(',')}}`;
  } finally {
    ancestors.delete(o);
  }
}

/**
 * Checks that `value` can be stored as JSON by every storage: no BigInt,
 * function or symbol anywhere in it, and no cycle. Throws INVALID_PARAMETER
 * naming `what` and the path of the bad part, e.g.
 * `user attribute "x": x.a[1] is 2n: attribute values must be JSON-compatible`.
 */
export function checkJsonValue(value: unknown, what: string, path: string): void {
  const bad = (at: string, why: string): never => {
    throw new TunekitError('INVALID_PARAMETER', `${what}: ${at} ${why}: attribute values must be JSON-compatible (strings, numbers, booleans, null, arrays and plain objects)`);
  };
  const walk = (v: unknown, at: string, ancestors: object[]): void => {
    if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') bad(at, `is ${describeValue(v)}`);
    if (typeof v !== 'object' || v === null) return;
    if (ancestors.includes(v)) bad(at, 'refers to itself (a cycle)');
    const inner = [...ancestors, v];
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`, inner));
    else if (typeof (v as { toJSON?: unknown }).toJSON !== 'function') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`, inner);
  };
  walk(value, path, []);
}
