import { intOption } from '../checks.js';
import { toNativeAcquisition, type AcquisitionOptions } from '../bayes/acquisition.js';
import { guard, native } from '../native.js';
import { SearchSpace, type SpaceSpec } from '../space.js';
import { checkParamNames, type Estimator } from '../svc.js';
import type { Params } from './param_grid.js';
import { resolveSeed } from '../seed.js';
import { BaseSearchCV, type SearchCVOptions } from './search_cv.js';

/** Options of {@link BayesSearchCV}. */
export interface BayesSearchCVOptions extends SearchCVOptions {
  /** Candidates cross-validated in all, initial ones included. @default 50 */
  nIter?: number;
  /** Space-filling (scrambled Sobol) candidates before the Gaussian process takes over (at most nIter). @default 10 */
  nInitialPoints?: number;
  /**
   * Candidates proposed together at each step and cross-validated in one
   * parallel call (a constant-liar batch, so they are distinct). @default 1
   */
  nPoints?: number;
  /** Seed of the initial points and of the acquisition search. @default a random seed */
  randomState?: number;
  /** Acquisition function. @default { kind: 'logei' } */
  acquisition?: AcquisitionOptions;
}

/**
 * Bayesian optimisation of the mean cross-validated accuracy, with the search
 * classes' interface (scikit-optimize's `BayesSearchCV`). The space uses the
 * shared format, so log-scale, integer and categorical parameters are modelled
 * by the Gaussian process as they are:
 * ```ts
 * const search = new BayesSearchCV(new SVC(), {
 *   C: { type: 'float', low: 0.1, high: 100, log: true },
 *   gamma: { type: 'float', low: 1e-3, high: 1, log: true },
 *   kernel: { type: 'categorical', choices: ['rbf', 'linear'] },
 * }, { nIter: 30, cv: 5, randomState: 0 });
 * await search.fit(X, y);
 * ```
 * `nInitialPoints` distinct candidates of a scrambled Sobol sequence are
 * cross-validated in one call, then
 * `nPoints` at a time proposed by the same core as {@link BayesianOptimization}.
 * A candidate is never cross-validated twice unless every point of a discrete
 * space has been.
 */
export class BayesSearchCV extends BaseSearchCV {
  private readonly space: SearchSpace;
  private readonly nIter: number;
  private readonly nInitial: number;
  private readonly nPoints: number;
  private readonly seed: number;
  private readonly acquisition: ReturnType<typeof toNativeAcquisition>;

  constructor(estimator: Estimator, searchSpaces: SpaceSpec, options: BayesSearchCVOptions = {}) {
    super(estimator, options);
    this.space = new SearchSpace(searchSpaces, 'searchSpaces');
    checkParamNames(searchSpaces, 'searchSpaces');
    this.nIter = intOption(options.nIter, 'nIter', 50, 1);
    this.nInitial = Math.min(intOption(options.nInitialPoints, 'nInitialPoints', 10, 1), this.nIter);
    this.nPoints = intOption(options.nPoints, 'nPoints', 1, 1);
    this.seed = resolveSeed(options.randomState);
    this.acquisition = toNativeAcquisition(options.acquisition);
  }

  protected async search(evaluate: (batch: Params[]) => Promise<number[]>): Promise<void> {
    const d = this.space.params.length;
    const rows = (flat: Float64Array, n: number): Float64Array[] => Array.from({ length: n }, (_, i) => flat.slice(i * d, (i + 1) * d));
    const points: Float64Array[] = [];
    const targets: number[] = [];
    const run = async (batch: Float64Array[]): Promise<void> => {
      const scores = await evaluate(batch.map((p) => this.space.fromValues(p)));
      points.push(...batch);
      targets.push(...scores);
    };
    let hyper: Float64Array | undefined;
    while (points.length < this.nIter) {
      // With no observations the core returns distinct scrambled-Sobol points: the initial design.
      const n = points.length === 0 ? this.nInitial : Math.min(this.nPoints, this.nIter - points.length);
      const flat = new Float64Array(points.length * d);
      points.forEach((p, i) => flat.set(p, i * d));
      const out = await guard(() =>
        native.bayesPropose({
          space: this.space.native,
          points: flat,
          targets: Float64Array.from(targets),
          pending: new Float64Array(0),
          n,
          seed: (this.seed + points.length) >>> 0,
          ...this.acquisition,
          ...(hyper === undefined ? {} : { warmStart: hyper }),
        }),
      );
      hyper = out.hyper;
      await run(rows(out.points, n));
    }
  }
}
