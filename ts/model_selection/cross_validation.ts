import { TunekitError } from '../errors.js';
import { encodeLabels, type Label, type LabelsLike } from '../labels.js';
import { pack, type MatrixLike, type Packed } from '../matrix.js';
import { guard, native, type CvScores } from '../native.js';
import { toNativeOptions, type Estimator, type SVCParams } from '../svc.js';
import { resolveFolds, type CvSpec, type Fold } from './splitters.js';

/** Options of {@link crossValScore} and {@link crossValidate}. */
export interface CrossValOptions {
  /** Folds: k for stratified k-fold without shuffling, a splitter, or explicit folds. @default 5 */
  cv?: CvSpec;
  /** Worker threads for the fits; -1 or undefined means all cores. @default all cores */
  nJobs?: number;
}

/** What every cross-validated search needs, computed once per fit. */
export interface PreparedData {
  x: Packed;
  codes: Uint32Array;
  classes: Label[];
  folds: Fold[];
}

export function prepareData(X: MatrixLike, y: LabelsLike, cv: CvSpec): PreparedData {
  const x = pack(X);
  const { codes, classes } = encodeLabels(y);
  if (codes.length !== x.rows) {
    throw new TunekitError('INVALID_DATA', `X has ${x.rows} rows but y has ${codes.length} labels: they must have the same length`);
  }
  return { x, codes, classes, folds: resolveFolds(cv, X, y, codes, classes.length) };
}

export function checkNJobs(nJobs: number | undefined): number | undefined {
  if (nJobs === undefined || nJobs === -1) return undefined;
  if (!Number.isInteger(nJobs) || nJobs < 1) {
    throw new TunekitError('INVALID_PARAMETER', `nJobs must be a positive integer or -1 (all cores), got ${nJobs}`);
  }
  return nJobs;
}

/**
 * Runs every configuration on every fold in one native call (parallel in Rust).
 * With `refit`, the same call then fits the best configuration (highest mean
 * accuracy, the first on ties) on all the data: `best`, `model`, `refitSeconds`.
 */
export async function scoreConfigs(data: PreparedData, configs: SVCParams[], nJobs: number | undefined, refit = false): Promise<CvScores> {
  const opts = configs.map((c) => toNativeOptions(c, data.classes));
  const { x, codes, classes, folds } = data;
  return guard(() => native.crossValidateSvcTask(x.data, x.rows, x.cols, codes, classes.length, opts, folds, checkNJobs(nJobs), refit));
}

/** Per-fold test scores and times of {@link crossValidate}. */
export interface CrossValidateResult {
  testScore: number[];
  fitTime: number[];
  scoreTime: number[];
}

/** Cross-validates an estimator: accuracy, fit and score time per fold, in fold order. */
export async function crossValidate(estimator: Estimator, X: MatrixLike, y: LabelsLike, options: CrossValOptions = {}): Promise<CrossValidateResult> {
  const data = prepareData(X, y, options.cv ?? 5);
  const s = await scoreConfigs(data, [estimator.getParams()], options.nJobs);
  return { testScore: Array.from(s.accuracy), fitTime: Array.from(s.fitSeconds), scoreTime: Array.from(s.scoreSeconds) };
}

/** Test accuracy of each fold, in fold order (scikit-learn's `cross_val_score`). */
export async function crossValScore(estimator: Estimator, X: MatrixLike, y: LabelsLike, options: CrossValOptions = {}): Promise<number[]> {
  return (await crossValidate(estimator, X, y, options)).testScore;
}
