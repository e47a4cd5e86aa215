import { TunekitError } from '../errors.js';
import { encodeLabels, type Label, type LabelsLike } from '../labels.js';
import { pack, takeRows, toRows, type DenseMatrix, type MatrixLike } from '../matrix.js';
import { guard, native } from '../native.js';
import { resolveSeed } from '../seed.js';

/** Options of {@link trainTestSplit}; names and defaults are scikit-learn's. */
export interface TrainTestSplitOptions {
  /** Test share in (0, 1), or a row count ≥ 1. @default 0.25 (or the complement of trainSize) */
  testSize?: number;
  /** Train share in (0, 1), or a row count. @default the complement of testSize */
  trainSize?: number;
  /** Seed of the shuffle; the same seed picks the same rows as scikit-learn. @default a random seed */
  randomState?: number;
  /** Keep class shares in both parts: `true` stratifies on y, or give the labels to stratify on. @default false */
  stratify?: boolean | LabelsLike;
  /** Shuffle before splitting; without shuffling the last rows are the test set. @default true */
  shuffle?: boolean;
}

/** What {@link trainTestSplit} returns: `[XTrain, XTest, yTrain, yTest]`. */
export type SplitOut<X> = [X, X, Label[], Label[]];

function sizeOption(v: number | undefined, name: string): { frac?: number; count?: number } {
  if (v === undefined) return {};
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new TunekitError('INVALID_SPLIT', `${name} must be a fraction in (0, 1) or a positive row count, got ${v}`);
  }
  if (v < 1) return { frac: v };
  if (!Number.isInteger(v)) throw new TunekitError('INVALID_SPLIT', `${name} must be a fraction in (0, 1) or an integer row count, got ${v}`);
  return { count: v };
}

/**
 * Splits X and y into random train and test parts, as scikit-learn's
 * `train_test_split` (same rows for the same `randomState`).
 * Returns `[Xtrain, Xtest, ytrain, ytest]`, X parts in the form X was given.
 */
export function trainTestSplit<X extends MatrixLike>(X: X, y: LabelsLike, options: TrainTestSplitOptions = {}): SplitOut<X> {
  const x = pack(X);
  if (y.length !== x.rows) {
    throw new TunekitError('INVALID_DATA', `X has ${x.rows} rows but y has ${y.length} labels: they must have the same length`);
  }
  const test = sizeOption(options.testSize, 'testSize');
  const train = sizeOption(options.trainSize, 'trainSize');
  const shuffle = options.shuffle ?? true;
  let strat: { codes: Uint32Array; n: number } | undefined;
  if (options.stratify !== undefined && options.stratify !== false) {
    if (!shuffle) throw new TunekitError('INVALID_SPLIT', 'stratify needs shuffle: true');
    const { codes, classes } = encodeLabels(options.stratify === true ? y : options.stratify, 'stratify');
    if (codes.length !== x.rows) throw new TunekitError('INVALID_DATA', `stratify has ${codes.length} labels but X has ${x.rows} rows`);
    strat = { codes, n: classes.length };
  }
  const fold = guard(() =>
    native.trainTestSplitIndices(x.rows, {
      testFraction: test.frac,
      testCount: test.count,
      trainFraction: train.frac,
      trainCount: train.count,
      shuffle,
      seed: shuffle ? resolveSeed(options.randomState) : undefined,
      stratify: strat?.codes,
      nClasses: strat?.n,
    }),
  );
  const labels = Array.from(y as ArrayLike<Label>);
  const pick = (idx: Uint32Array): X => {
    const part = takeRows(x, idx);
    return (Array.isArray(X) ? toRows(part) : ({ data: part.data, shape: [part.rows, part.cols] } satisfies DenseMatrix)) as unknown as X;
  };
  return [pick(fold.train), pick(fold.test), Array.from(fold.train, (i) => labels[i] as Label), Array.from(fold.test, (i) => labels[i] as Label)];
}
