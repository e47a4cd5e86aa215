import { TunekitError } from './errors.js';
import { encodeLabels, encodeWith, type Label, type LabelsLike } from './labels.js';
import { pack, type MatrixLike, type Packed } from './matrix.js';
import { enumList, enumValues, guard, isEnumValue, native, type GammaKind, type SvcKernel, type SvcModel, type SvcOptions } from './native.js';

export type Kernel = SvcKernel;

/** Settings of {@link SVC}; names and defaults are scikit-learn's. */
export interface SVCParams {
  /** Regularisation strength, > 0 (smaller means more regularisation). @default 1 */
  C: number;
  /** Kernel function. @default 'rbf' */
  kernel: Kernel;
  /**
   * Kernel coefficient for rbf, poly and sigmoid: `'scale'` = 1 / (n_features · Var(X_train)),
   * `'auto'` = 1 / n_features, or a positive number. @default 'scale'
   */
  gamma: GammaKind | number;
  /** Degree of the poly kernel. @default 3 */
  degree: number;
  /** Independent term of the poly and sigmoid kernels. @default 0 */
  coef0: number;
  /** Stopping tolerance of the SMO solver (maximal violating pair gap). @default 1e-3 */
  tol: number;
  /** Use the shrinking heuristic. @default true */
  shrinking: boolean;
  /** Per-class multipliers of C: `'balanced'` = n / (k · count(class)), or a map label → weight. @default null */
  classWeight: 'balanced' | Record<string, number> | null;
  /** Cap on solver iterations per one-vs-one pair; -1 means libsvm's own cap. @default -1 */
  maxIter: number;
  /** Kernel cache size in MB (used when the kernel matrix does not fit). @default 200 */
  cacheSize: number;
}

/** The core's defaults (scikit-learn's `SVC()`), under this API's names. */
export const SVC_DEFAULTS: Readonly<SVCParams> = (() => {
  const d = native.svcDefaults();
  return Object.freeze({
    C: d.c,
    kernel: d.kernel,
    gamma: d.gamma,
    degree: d.degree,
    coef0: d.coef0,
    tol: d.tol,
    shrinking: d.shrinking,
    classWeight: (d.classWeight as string) === 'balanced' ? 'balanced' : null,
    maxIter: d.maxIter ?? -1,
    cacheSize: d.cacheSizeMb,
  });
})();

/** Every SVC setting's name. */
export const SVC_PARAM_NAMES: readonly string[] = Object.keys(SVC_DEFAULTS);

/** Throws UNKNOWN_PARAMETER for a name SVC does not have. */
export function checkParamNames(params: object, where = 'SVC'): void {
  for (const name of Object.keys(params)) {
    if (!SVC_PARAM_NAMES.includes(name)) {
      throw new TunekitError('UNKNOWN_PARAMETER', `${where}: unknown parameter ${JSON.stringify(name)} (SVC takes ${SVC_PARAM_NAMES.join(', ')})`);
    }
  }
}

function checkNumber(name: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new TunekitError('INVALID_PARAMETER', `${name} must be a number, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Maps friendly SVC parameters onto the binding's options (the one place this happens). */
export function toNativeOptions(p: SVCParams, classes: readonly Label[]): SvcOptions {
  const kernel = p.kernel as string;
  if (!isEnumValue('SvcKernel', kernel)) {
    throw new TunekitError('INVALID_PARAMETER', `unknown kernel ${JSON.stringify(kernel)}: expected ${enumList('SvcKernel')}`);
  }
  let gamma: GammaKind | number;
  if (isEnumValue('GammaKind', p.gamma)) gamma = p.gamma;
  else if (typeof p.gamma === 'number') gamma = checkNumber('gamma', p.gamma);
  else {
    throw new TunekitError(
      'INVALID_PARAMETER',
      `gamma must be ${enumValues('GammaKind')
        .map((v) => JSON.stringify(v))
        .join(', ')} or a positive number, got ${JSON.stringify(p.gamma)}`,
    );
  }
  let classWeight: NonNullable<SvcOptions['classWeight']> = 'uniform';
  if (p.classWeight === 'balanced') classWeight = 'balanced';
  else if (p.classWeight !== null && typeof p.classWeight === 'object') {
    const weights = classes.map(() => 1);
    for (const [label, w] of Object.entries(p.classWeight)) {
      const k = classes.findIndex((c) => String(c) === label);
      if (k < 0) {
        throw new TunekitError('INVALID_PARAMETER', `classWeight names class ${JSON.stringify(label)}, which is not in y (classes: ${JSON.stringify(classes)})`);
      }
      weights[k] = checkNumber(`classWeight[${JSON.stringify(label)}]`, w);
    }
    classWeight = weights;
  } else if (p.classWeight !== null) {
    throw new TunekitError('INVALID_PARAMETER', `classWeight must be "balanced", a map label → weight, or null, got ${JSON.stringify(p.classWeight)}`);
  }
  const maxIter = checkNumber('maxIter', p.maxIter);
  if (!(maxIter === -1 || (Number.isInteger(maxIter) && maxIter > 0))) {
    throw new TunekitError('INVALID_PARAMETER', `maxIter must be a positive integer or -1 (no cap), got ${maxIter}`);
  }
  const degree = checkNumber('degree', p.degree);
  if (!Number.isInteger(degree) || degree < 0) {
    throw new TunekitError('INVALID_PARAMETER', `degree must be a non-negative integer, got ${degree}`);
  }
  if (typeof p.shrinking !== 'boolean') {
    throw new TunekitError('INVALID_PARAMETER', `shrinking must be true or false, got ${JSON.stringify(p.shrinking)}`);
  }
  const opts: SvcOptions = {
    c: checkNumber('C', p.C),
    kernel,
    gamma,
    degree,
    coef0: checkNumber('coef0', p.coef0),
    tol: checkNumber('tol', p.tol),
    shrinking: p.shrinking,
    classWeight,
    cacheSizeMb: checkNumber('cacheSize', p.cacheSize),
  };
  if (maxIter !== -1) opts.maxIter = maxIter;
  return opts;
}

/** Anything the search classes can tune: for now the C-SVC. */
export interface Estimator {
  getParams(): SVCParams;
  clone(overrides?: Partial<SVCParams>): SVC;
}

/**
 * C-support vector classification (SMO with second-order working-set
 * selection, one-vs-one multi-class), scikit-learn's `SVC` in Rust.
 *
 * ```ts
 * const svc = await new SVC({ C: 10, kernel: 'rbf' }).fit(X, y);
 * const labels = await svc.predict(Xtest);
 * ```
 */
export class SVC implements Estimator {
  private params: SVCParams;
  private model: SvcModel | null = null;
  private classes_: Label[] = [];
  private nFeatures = 0;

  constructor(params: Partial<SVCParams> = {}) {
    checkParamNames(params);
    this.params = { ...SVC_DEFAULTS, ...params };
  }

  /** The current settings, defaults included. */
  getParams(): SVCParams {
    return { ...this.params };
  }

  /** Changes settings (unknown names throw UNKNOWN_PARAMETER); unfits the model. */
  setParams(params: Partial<SVCParams>): this {
    checkParamNames(params);
    this.params = { ...this.params, ...params };
    this.model = null;
    return this;
  }

  /** An unfitted copy with some settings changed. */
  clone(overrides: Partial<SVCParams> = {}): SVC {
    return new SVC({ ...this.params, ...overrides });
  }

  private prepare(X: MatrixLike, y: LabelsLike): { x: Packed; codes: Uint32Array; classes: Label[]; opts: SvcOptions } {
    const x = pack(X);
    const { codes, classes } = encodeLabels(y);
    if (codes.length !== x.rows) {
      throw new TunekitError('INVALID_DATA', `X has ${x.rows} rows but y has ${codes.length} labels: they must have the same length`);
    }
    return { x, codes, classes, opts: toNativeOptions(this.params, classes) };
  }

  /**
   * A fitted SVC around a model the binding already fitted with these
   * settings on data with these classes (the search's refit).
   * @internal
   */
  static fitted(params: SVCParams, model: SvcModel, classes: Label[], nFeatures: number): SVC {
    return new SVC(params).adopt(model, classes, nFeatures);
  }

  private adopt(model: SvcModel, classes: Label[], nFeatures: number): this {
    this.model = model;
    this.classes_ = classes;
    this.nFeatures = nFeatures;
    return this;
  }

  /** Fits on X (n × d) and labels y, on the libuv pool. Resolves to this estimator. */
  async fit(X: MatrixLike, y: LabelsLike): Promise<this> {
    const { x, codes, classes, opts } = this.prepare(X, y);
    const model = await guard(() => native.svcFit(x.data, x.rows, x.cols, codes, classes.length, opts));
    return this.adopt(model, classes, x.cols);
  }

  /** Synchronous twin of {@link fit}: blocks the event loop while it trains. */
  fitSync(X: MatrixLike, y: LabelsLike): this {
    const { x, codes, classes, opts } = this.prepare(X, y);
    return this.adopt(
      guard(() => native.svcFitSync(x.data, x.rows, x.cols, codes, classes.length, opts)),
      classes,
      x.cols,
    );
  }

  private fitted(): SvcModel {
    if (this.model === null) throw new TunekitError('NOT_FITTED', 'this SVC is not fitted yet: call fit(X, y) first');
    return this.model;
  }

  private toLabels(codes: Uint32Array): Label[] {
    return Array.from(codes, (c) => this.classes_[c] as Label);
  }

  /** Predicted labels for the rows of X. */
  async predict(X: MatrixLike): Promise<Label[]> {
    const model = this.fitted();
    const x = pack(X);
    return this.toLabels(await guard(() => model.predict(x.data, x.rows, x.cols)));
  }

  /** Synchronous twin of {@link predict}. */
  predictSync(X: MatrixLike): Label[] {
    const model = this.fitted();
    const x = pack(X);
    return this.toLabels(guard(() => model.predictSync(x.data, x.rows, x.cols)));
  }

  /**
   * scikit-learn's decision function: one value per row for two classes
   * (positive means the second class), else one row of n_classes values
   * ('ovr' shape: votes plus a confidence in (−1/3, 1/3)).
   */
  async decisionFunction(X: MatrixLike): Promise<number[] | number[][]> {
    const model = this.fitted();
    const x = pack(X);
    const flat = await guard(() => model.decisionFunction(x.data, x.rows, x.cols));
    return this.shapeDecision(flat, x.rows);
  }

  /** Synchronous twin of {@link decisionFunction}. */
  decisionFunctionSync(X: MatrixLike): number[] | number[][] {
    const model = this.fitted();
    const x = pack(X);
    return this.shapeDecision(
      guard(() => model.decisionFunctionSync(x.data, x.rows, x.cols)),
      x.rows,
    );
  }

  private shapeDecision(flat: Float64Array, rows: number): number[] | number[][] {
    if (flat.length === rows) return Array.from(flat);
    const k = flat.length / rows;
    return Array.from({ length: rows }, (_, i) => Array.from(flat.subarray(i * k, (i + 1) * k)));
  }

  /** Accuracy on X, y. */
  async score(X: MatrixLike, y: LabelsLike): Promise<number> {
    const truth = encodeWith(y, this.classes_);
    const predicted = await this.predict(X);
    if (predicted.length !== truth.length) {
      throw new TunekitError('INVALID_DATA', `X has ${predicted.length} rows but y has ${truth.length} labels`);
    }
    let correct = 0;
    predicted.forEach((p, i) => {
      if (p === this.classes_[truth[i] as number]) correct++;
    });
    return correct / truth.length;
  }

  /** Class labels seen in fit, sorted. */
  get classes(): Label[] {
    this.fitted();
    return [...this.classes_];
  }

  /** Number of support vectors per class, in {@link classes} order. */
  get nSupport(): number[] {
    return Array.from(this.fitted().nSupport);
  }

  /** Training-row indices of the support vectors. */
  get support(): number[] {
    return Array.from(this.fitted().support);
  }

  /** Number of features seen in fit. */
  get nFeaturesIn(): number {
    this.fitted();
    return this.nFeatures;
  }

  /** The gamma value the kernel used. */
  get gammaValue(): number {
    return this.fitted().gamma;
  }

  /** False when maxIter stopped the solver before it converged. */
  get converged(): boolean {
    return this.fitted().converged;
  }
}
