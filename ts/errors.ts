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
