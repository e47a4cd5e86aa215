import { fileURLToPath } from 'node:url';
import { readNumericCsv } from './csv.js';
import { describeValue, TunekitError } from './errors.js';
import { keyedRecord } from './keyed.js';

/** A classification data set: features, labels and their names. */
export interface Dataset {
  X: number[][];
  y: number[];
  featureNames: string[];
  targetNames: string[];
}

/** Options of {@link loadCsv}. */
export interface LoadCsvOptions {
  /** Name of the label column. @default the last column */
  target?: string;
}

/**
 * Loads a CSV file with a header row and numeric values; the `target` column
 * (default: the last) becomes `y`, the others `X`. Errors name the file, line
 * and column: ragged rows, non-numeric or empty fields, NaN, a missing target
 * column, an empty file.
 */
export function loadCsv(path: string, options: LoadCsvOptions = {}): Dataset {
  const { header, rows } = readNumericCsv(path);
  const target = options.target ?? header[header.length - 1];
  const t = header.indexOf(target as string);
  if (t < 0) {
    throw new TunekitError('CSV_ERROR', `${path}: no column named ${describeValue(target)} (columns: ${header.map((h) => JSON.stringify(h)).join(', ')})`);
  }
  if (header.length < 2) throw new TunekitError('CSV_ERROR', `${path}: needs at least one feature column besides the target`);
  const X = rows.map((r) => r.filter((_, j) => j !== t));
  const y = rows.map((r) => r[t] as number);
  const classes = Array.from(new Set(y)).sort((a, b) => a - b);
  return { X, y, featureNames: header.filter((_, j) => j !== t), targetNames: classes.map(String) };
}

const bundled = (name: string): string => fileURLToPath(new URL(`../data/${name}.csv`, import.meta.url));

function loadBundled(name: string, targetNames: string[]): Dataset {
  return { ...loadCsv(bundled(name), { target: 'target' }), targetNames };
}

/** Iris: 150 flowers, 4 features, 3 classes. */
export const loadIris = (): Dataset => loadBundled('iris', ['setosa', 'versicolor', 'virginica']);
/** Wine: 178 wines, 13 features, 3 cultivars. */
export const loadWine = (): Dataset => loadBundled('wine', ['class_0', 'class_1', 'class_2']);
/** Breast cancer (Wisconsin diagnostic): 569 samples, 30 features, 2 classes. */
export const loadBreastCancer = (): Dataset => loadBundled('breast_cancer', ['malignant', 'benign']);
/** Digits: 1797 8×8 images, 64 features, 10 classes. */
export const loadDigits = (): Dataset => loadBundled('digits', ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/**
 * The bundled data sets by name (what `tunekit cv --data` and `builtin: svc`
 * accept). A keyed record (ts/keyed.ts), so `toString`, `__proto__` and other
 * inherited names are not data sets (they are file names); prefer {@link bundledDataset}.
 */
export const BUNDLED_DATASETS: Readonly<Record<string, () => Dataset>> = Object.freeze(
  Object.assign(keyedRecord<() => Dataset>(), {
    iris: loadIris,
    wine: loadWine,
    breast_cancer: loadBreastCancer,
    digits: loadDigits,
  }),
);

/** The loader of the bundled data set called `name`, or undefined if there is none of that name. */
export function bundledDataset(name: string): (() => Dataset) | undefined {
  return Object.hasOwn(BUNDLED_DATASETS, name) ? BUNDLED_DATASETS[name] : undefined;
}
