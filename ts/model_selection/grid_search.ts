import { TunekitError } from '../errors.js';
import type { Estimator } from '../svc.js';
import { expandGrid, type ParamGrid, type Params } from './param_grid.js';
import { BaseSearchCV, type SearchCVOptions } from './search_cv.js';

/**
 * Exhaustive search over a parameter grid (or a list of grids) with
 * cross-validation, as scikit-learn's `GridSearchCV`. Every candidate × fold
 * is fitted in Rust, in parallel, in one call.
 */
export class GridSearchCV extends BaseSearchCV {
  private readonly grid: ParamGrid | readonly ParamGrid[];
  protected override readonly singleBatch = true;

  constructor(estimator: Estimator, paramGrid: ParamGrid | readonly ParamGrid[], options: SearchCVOptions = {}) {
    super(estimator, options);
    this.grid = paramGrid;
  }

  protected async search(evaluate: (batch: Params[]) => Promise<number[]>): Promise<void> {
    const candidates = expandGrid(this.grid);
    if (candidates.length === 0) throw new TunekitError('INVALID_PARAMETER', 'the search has no candidates');
    await evaluate(candidates);
  }
}
