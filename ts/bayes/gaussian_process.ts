import { TunekitError } from '../errors.js';
import { pack, type MatrixLike } from '../matrix.js';
import { guard, native, type GpKernel, type GpModel, type GpOptions } from '../native.js';
import { resolveSeed } from '../seed.js';

/** The covariance function: kind, length scale(s) and signal variance. */
export interface GpKernelOptions {
  /** @default the core's, 'matern52' */
  kind?: GpKernel;
  /** One shared length scale, or one per feature (ARD); the optimiser's starting point. @default 1 */
  lengthScale?: number | number[];
  /** Signal variance σ² (scikit-learn's ConstantKernel value). @default 1 */
  variance?: number;
}

/** Options of {@link GaussianProcessRegressor}; `alpha` and `normalizeY` mean what they mean in scikit-learn. */
export interface GaussianProcessRegressorOptions {
  kernel?: GpKernelOptions;
  /** Added to the kernel diagonal (noise variance, in normalised units if normalizeY). @default 1e-10 */
  alpha?: number;
  /** Standardise targets before the fit; predictions are de-normalised. @default false */
  normalizeY?: boolean;
  /**
   * Fit the kernel by maximising the log marginal likelihood (bounded L-BFGS from the
   * given values plus `restarts` random starts), or `false` to keep it fixed.
   * @default { restarts: 0, bounds: { variance: [1e-5, 1e5], lengthScale: [1e-5, 1e5] } }
   */
  optimizer?: false | { restarts?: number; bounds?: { variance?: [number, number]; lengthScale?: [number, number] }; seed?: number };
}

/**
 * Gaussian-process regression (Rasmussen & Williams 2006, algorithm 2.1) with a
 * Matérn or RBF kernel, fitted in Rust.
 */
export class GaussianProcessRegressor {
  private readonly options: GpOptions;
  private model: GpModel | null = null;
  private dim = 0;

  constructor(o: GaussianProcessRegressorOptions = {}) {
    const k = o.kernel ?? {};
    const opt = o.optimizer === undefined ? {} : o.optimizer;
    const ls = k.lengthScale;
    // Only what was given: the core fills in the rest (GpParams/Optimizer defaults).
    const options: GpOptions = {
      kernel: k.kind,
      lengthScale: ls === undefined ? undefined : Array.isArray(ls) ? [...ls] : [ls],
      variance: k.variance,
      alpha: o.alpha,
      normalizeY: o.normalizeY,
      optimize: opt !== false,
    };
    if (opt !== false) {
      if (opt.restarts !== undefined && (!Number.isInteger(opt.restarts) || opt.restarts < 0)) {
        throw new TunekitError('INVALID_PARAMETER', `optimizer.restarts must be a non-negative integer, got ${opt.restarts}`);
      }
      options.restarts = opt.restarts;
      options.boundsVariance = opt.bounds?.variance;
      options.boundsLengthScale = opt.bounds?.lengthScale;
      options.seed = opt.seed === undefined ? undefined : resolveSeed(opt.seed, 'optimizer.seed');
    }
    for (const key of Object.keys(options) as (keyof GpOptions)[]) if (options[key] === undefined) delete options[key];
    this.options = options;
  }

  private prepare(X: MatrixLike, y: ArrayLike<number>) {
    const x = pack(X);
    if (y.length !== x.rows) throw new TunekitError('INVALID_DATA', `X has ${x.rows} rows but y has ${y.length} values`);
    const t = Float64Array.from(y);
    t.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new TunekitError('INVALID_DATA', `y[${i}] is ${v}: targets must be finite`);
    });
    return { x, t };
  }

  /** Fits on X (n × d) and targets y, off the event loop. */
  async fit(X: MatrixLike, y: ArrayLike<number>): Promise<this> {
    const { x, t } = this.prepare(X, y);
    this.model = await guard(() => native.gpFit(x.data, x.rows, x.cols, t, this.options));
    this.dim = x.cols;
    return this;
  }

  /** Synchronous twin of {@link fit}. */
  fitSync(X: MatrixLike, y: ArrayLike<number>): this {
    const { x, t } = this.prepare(X, y);
    this.model = guard(() => native.gpFitSync(x.data, x.rows, x.cols, t, this.options));
    this.dim = x.cols;
    return this;
  }

  private fitted(): GpModel {
    if (this.model === null) throw new TunekitError('NOT_FITTED', 'this GaussianProcessRegressor is not fitted yet: call fit(X, y) first');
    return this.model;
  }

  /** Posterior mean (and, with `returnStd`, the standard deviation of the latent function). */
  predict(X: MatrixLike, options: { returnStd?: boolean } = {}): { mean: number[]; std?: number[] } {
    const model = this.fitted();
    const x = pack(X);
    if (x.cols !== this.dim) throw new TunekitError('INVALID_DATA', `X has ${x.cols} features but the model was fitted on ${this.dim}`);
    const post = guard(() => model.predict(x.data, x.rows));
    return options.returnStd ? { mean: Array.from(post.mean), std: Array.from(post.std) } : { mean: Array.from(post.mean) };
  }

  /** Log marginal likelihood of the training targets under the fitted kernel. */
  logMarginalLikelihood(): number {
    return this.fitted().logMarginalLikelihood;
  }

  /** The fitted kernel. */
  get kernel(): { kind: GpKernel; lengthScale: number[]; variance: number } {
    const m = this.fitted();
    return { kind: m.kernel, lengthScale: Array.from(m.lengthScale), variance: m.variance };
  }
}
