import { TunekitError } from '../errors.js';
import { encodeLabels, type LabelsLike } from '../labels.js';
import { pack, type MatrixLike } from '../matrix.js';
import { guard, native } from '../native.js';
import { resolveSeed } from '../seed.js';

/** Row indices of one train/test split. */
export interface Fold {
  train: Uint32Array;
  test: Uint32Array;
}

/** Anything that splits a data set into folds, like scikit-learn's CV splitters. */
export interface CrossValidator {
  getNSplits(): number;
  split(X: MatrixLike | number, y?: LabelsLike): Fold[];
}

/** Options of {@link KFold} and {@link StratifiedKFold}. */
export interface KFoldOptions {
  /** Number of folds, ≥ 2. @default 5 */
  nSplits?: number;
  /** Shuffle before splitting (numpy's MT19937, as scikit-learn). @default false */
  shuffle?: boolean;
  /** Seed of the shuffle; the same seed gives scikit-learn's folds. @default a random seed */
  randomState?: number;
}

function checkNSplits(n: number): number {
  if (!Number.isInteger(n) || n < 2) {
    throw new TunekitError('INVALID_SPLIT', `nSplits must be an integer of at least 2, got ${n}`);
  }
  return n;
}

function nSamples(X: MatrixLike | number): number {
  return typeof X === 'number' ? X : pack(X).rows;
}

/** Settings shared by the k-fold splitters. */
abstract class BaseKFold implements CrossValidator {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly randomState: number | undefined;

  constructor(options: KFoldOptions = {}) {
    this.nSplits = checkNSplits(options.nSplits ?? 5);
    this.shuffle = options.shuffle ?? false;
    this.randomState = options.randomState;
    if (this.randomState !== undefined) resolveSeed(this.randomState);
  }

  getNSplits(): number {
    return this.nSplits;
  }

  /** The seed for one split: undefined without shuffling, else randomState or a fresh seed. */
  protected seed(): number | undefined {
    return this.shuffle ? resolveSeed(this.randomState) : undefined;
  }

  abstract split(X: MatrixLike | number, y?: LabelsLike): Fold[];
}

/** K folds of consecutive rows (first n % k folds one row larger), as scikit-learn's `KFold`. */
export class KFold extends BaseKFold {
  /** Folds over the rows of X (or over X rows when X is a count). */
  split(X: MatrixLike | number): Fold[] {
    const seed = this.seed();
    return guard(() => native.kfoldSplit(nSamples(X), this.nSplits, this.shuffle, seed));
  }
}

/** Folds that keep each class's share, test folds exactly scikit-learn's `StratifiedKFold`. */
export class StratifiedKFold extends BaseKFold {
  split(_X: MatrixLike | number, y?: LabelsLike): Fold[] {
    if (y === undefined) throw new TunekitError('INVALID_SPLIT', 'StratifiedKFold.split needs the labels y');
    const { codes, classes } = encodeLabels(y);
    return this.splitCodes(codes, classes.length);
  }

  /** Folds for labels already encoded as class codes. */
  splitCodes(codes: Uint32Array, nClasses: number): Fold[] {
    const seed = this.seed();
    return guard(() => native.stratifiedKfoldSplit(codes, nClasses, this.nSplits, this.shuffle, seed));
  }
}

/** `cv` of the search classes: a fold count, a splitter, or explicit folds. */
export type CvSpec = number | CrossValidator | Iterable<Fold | readonly [ArrayLike<number>, ArrayLike<number>]>;

function isSplitter(cv: unknown): cv is CrossValidator {
  return typeof cv === 'object' && cv !== null && typeof (cv as CrossValidator).split === 'function';
}

function toIndexArray(v: ArrayLike<number>, n: number, what: string): Uint32Array {
  const out = new Uint32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const k = v[i] as number;
    if (!Number.isInteger(k) || k < 0 || k >= n) {
      throw new TunekitError('INVALID_SPLIT', `${what}[${i}] is ${k}: row indices must be integers in [0, ${n - 1}]`);
    }
    out[i] = k;
  }
  return out;
}

/**
 * The folds a `cv` setting means for these data: an integer k is stratified
 * k-fold without shuffling (scikit-learn's meaning for classifiers).
 */
export function resolveFolds(cv: CvSpec, X: MatrixLike, y: LabelsLike, codes: Uint32Array, nClasses: number): Fold[] {
  const n = codes.length;
  if (typeof cv === 'number') return new StratifiedKFold({ nSplits: cv }).splitCodes(codes, nClasses);
  const raw = isSplitter(cv) ? (cv instanceof StratifiedKFold ? cv.splitCodes(codes, nClasses) : cv.split(X, y)) : Array.from(cv);
  const folds = Array.from(raw as Iterable<Fold | readonly [ArrayLike<number>, ArrayLike<number>]>, (f, k) => {
    const [train, test] = Array.isArray(f) ? f : [(f as Fold).train, (f as Fold).test];
    return {
      train: toIndexArray(train as ArrayLike<number>, n, `fold ${k} train`),
      test: toIndexArray(test as ArrayLike<number>, n, `fold ${k} test`),
    };
  });
  if (folds.length === 0) throw new TunekitError('INVALID_SPLIT', 'cv produced no folds');
  return folds;
}
