import { TunekitError } from '../errors.js';
import { guard, native } from '../native.js';
import type { Estimator } from '../svc.js';
import { isDistribution, type Distribution } from './distributions.js';
import type { Params } from './param_grid.js';
import { resolveSeed } from '../seed.js';
import { BaseSearchCV, type SearchCVOptions } from './search_cv.js';

/** For each parameter, a distribution to sample or a list to pick from. */
export type ParamDistributions = Readonly<Record<string, Distribution | readonly unknown[]>>;

/** Options of {@link RandomizedSearchCV}. */
export interface RandomizedSearchCVOptions extends SearchCVOptions {
  /** Number of candidates to sample, ≥ 1. @default 10 */
  nIter?: number;
  /** Seed of the sampling; the same seed draws scikit-learn's candidates. @default a random seed */
  randomState?: number;
}

/**
 * Samples candidates from distributions (`uniform`, `loguniform`, `randint`)
 * and lists, then cross-validates them like {@link GridSearchCV}. Sampling
 * follows scikit-learn's `ParameterSampler` draw for draw.
 */
export class RandomizedSearchCV extends BaseSearchCV {
  private readonly distributions: ParamDistributions;
  private readonly nIter: number;
  private readonly seed: number;
  protected override readonly singleBatch = true;

  constructor(estimator: Estimator, paramDistributions: ParamDistributions, options: RandomizedSearchCVOptions = {}) {
    super(estimator, options);
    const nIter = options.nIter ?? 10;
    if (!Number.isInteger(nIter) || nIter < 1) {
      throw new TunekitError('INVALID_PARAMETER', `nIter must be a positive integer, got ${nIter}`);
    }
    this.distributions = paramDistributions;
    this.nIter = nIter;
    this.seed = resolveSeed(options.randomState);
  }

  protected async search(evaluate: (batch: Params[]) => Promise<number[]>): Promise<void> {
    await evaluate(sampleParams(this.distributions, this.nIter, this.seed));
  }
}

/** Draws `nIter` candidates as scikit-learn's `ParameterSampler` does for the same seed. */
export function sampleParams(distributions: ParamDistributions, nIter: number, seed: number): Params[] {
  const names = Object.keys(distributions);
  if (names.length === 0) throw new TunekitError('INVALID_PARAMETER', 'paramDistributions is empty');
  const specs = names.map((name) => {
    const d = distributions[name];
    if (isDistribution(d)) return { name, kind: d.kind, a: d.a, b: d.b };
    if (Array.isArray(d)) {
      if (d.length === 0) throw new TunekitError('INVALID_PARAMETER', `the list for parameter ${JSON.stringify(name)} is empty`);
      return { name, kind: 'choice' as const, a: 0, b: 0, n: d.length };
    }
    throw new TunekitError('INVALID_PARAMETER', `parameter ${JSON.stringify(name)}: expected uniform(), loguniform(), randint() or a list of values, got ${JSON.stringify(d)}`);
  });
  const rows = guard(() => native.drawParameters(specs, nIter, seed));
  return rows.map((row) => {
    const p: Params = {};
    for (const v of row) {
      const d = distributions[v.name];
      p[v.name] = Array.isArray(d) ? d[v.index ?? 0] : v.value;
    }
    return p;
  });
}
