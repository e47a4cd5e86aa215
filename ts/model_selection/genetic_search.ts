import { GeneticAlgorithm, type CrossoverOptions, type MutationOptions, type SelectionOptions } from '../genetic/genetic_algorithm.js';
import type { InitKind } from '../native.js';
import type { SpaceSpec } from '../space.js';
import { checkParamNames, type Estimator } from '../svc.js';
import type { Params } from './param_grid.js';
import { BaseSearchCV, type SearchCVOptions } from './search_cv.js';

/** Options of {@link GeneticSearchCV}. */
export interface GeneticSearchCVOptions extends SearchCVOptions {
  /** Individuals per generation, ≥ 2. @default 20 */
  populationSize?: number;
  /** Generations, the first being the initial population. @default 10 */
  generations?: number;
  /** Seed of every random choice. @default a random seed */
  seed?: number;
  /** @default { kind: 'tournament', size: 3 } */
  selection?: SelectionOptions;
  /** @default SBX (η 15, probability 0.9), uniform exchange of discrete genes */
  crossover?: CrossoverOptions;
  /** @default polynomial (η 20, probability 1/n per gene) */
  mutation?: MutationOptions;
  /** The best n individuals always breed. @default 2 */
  elitism?: number;
  /** Initial population. @default 'uniform' */
  init?: InitKind;
}

/**
 * A genetic algorithm over the mean cross-validated accuracy, with the search
 * classes' interface. Each generation is cross-validated in one parallel
 * native call (every individual × fold at once):
 * ```ts
 * const search = new GeneticSearchCV(new SVC(), {
 *   C: { type: 'float', low: 0.1, high: 100, log: true },
 *   gamma: { type: 'float', low: 1e-3, high: 1, log: true },
 * }, { populationSize: 10, generations: 5, cv: 5, seed: 0 });
 * await search.fit(X, y);
 * ```
 * `cvResults` lists every individual in evaluation order; the operators avoid
 * breeding an individual already evaluated while distinct ones remain.
 */
export class GeneticSearchCV extends BaseSearchCV {
  private readonly ga: GeneticAlgorithm;

  constructor(estimator: Estimator, space: SpaceSpec, options: GeneticSearchCVOptions = {}) {
    super(estimator, options);
    this.ga = new GeneticAlgorithm({
      space,
      populationSize: options.populationSize ?? 20,
      generations: options.generations ?? 10,
      directions: 'maximize',
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.selection === undefined ? {} : { selection: options.selection }),
      ...(options.crossover === undefined ? {} : { crossover: options.crossover }),
      ...(options.mutation === undefined ? {} : { mutation: options.mutation }),
      ...(options.elitism === undefined ? {} : { elitism: options.elitism }),
      ...(options.init === undefined ? {} : { init: options.init }),
    });
    checkParamNames(space, 'space');
  }

  protected async search(evaluate: (batch: Params[]) => Promise<number[]>): Promise<void> {
    await this.ga.runBatched((batch) => evaluate(batch as Params[]));
  }
}
