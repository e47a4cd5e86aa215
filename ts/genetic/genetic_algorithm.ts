import { intOption, optionalInt } from '../checks.js';
import { availableParallelism } from 'node:os';
import { mapLimit } from '../concurrency.js';
import { TunekitError } from '../errors.js';
import { resolveSeed } from '../seed.js';
import {
  enumList,
  guard,
  isEnumValue,
  native,
  type CrossoverKind,
  type Direction,
  type DiscreteCrossover,
  type GaOptions,
  type GaSettings,
  type InitKind,
  type MutationKind,
  type SelectionKind,
} from '../native.js';
import { SearchSpace, type ParamValues, type SpaceSpec } from '../space.js';

export type { Direction };

/** How parents are chosen. */
export type SelectionOptions =
  { kind: Extract<SelectionKind, 'tournament'>; size?: number } | { kind: Extract<SelectionKind, 'rank'>; pressure?: number } | { kind: Extract<SelectionKind, 'roulette'> };
/** How two parents are crossed (float genes; integers and categories exchange genes by `discrete`). */
export type CrossoverOptions = {
  kind?: CrossoverKind;
  /** SBX distribution index. @default 15 */
  eta?: number;
  /** BLX-α. @default 0.5 */
  alpha?: number;
  /** Integer and categorical genes. @default 'uniform' */
  discrete?: DiscreteCrossover;
  /** Probability that a pair is crossed. @default 0.9 */
  prob?: number;
};
/** How children are mutated (categorical genes are resampled). */
export type MutationOptions = {
  kind?: MutationKind;
  /** Polynomial distribution index. @default 20 */
  eta?: number;
  /** Gaussian sigma as a fraction of the range. @default 0.1 */
  sigma?: number;
  /** Per-gene probability. @default 1 / number of parameters */
  prob?: number;
};

/** Options of {@link GeneticAlgorithm}. */
export interface GeneticAlgorithmOptions {
  /** The search space (shared format). */
  space: SpaceSpec;
  /** Individuals per generation, ≥ 2. @default 30 with one objective, 50 with several */
  populationSize?: number;
  /** Generations to run, the first being the initial population. @default 20 (unless maxEvaluations is set) */
  generations?: number;
  /** Stop after this many evaluations (the last generation may be partial). @default none */
  maxEvaluations?: number;
  /** @default { kind: 'tournament', size: 3 } with one objective; with several, NSGA-II's crowded binary tournament (size 2) */
  selection?: SelectionOptions;
  /** @default SBX (η 15, probability 0.9), uniform exchange of discrete genes */
  crossover?: CrossoverOptions;
  /** @default polynomial (η 20, probability 1/n per gene) */
  mutation?: MutationOptions;
  /** Single objective: the best n individuals always breed. @default 2 (at most populationSize − 1) */
  elitism?: number;
  /** Initial population. @default 'uniform' */
  init?: InitKind;
  /** Seed of every random choice. @default a random seed */
  seed?: number;
  /** Evaluations running at once within a generation. @default the number of cores */
  concurrency?: number;
  /** One direction per objective; several switch to NSGA-II. @default 'maximize' */
  directions?: Direction | readonly Direction[];
  /** Constraint violation of a point (0 = feasible); feasible beats infeasible. @default none */
  constraints?: (params: ParamValues) => number;
  /** Called after each generation; return false to stop. */
  onGeneration?: (info: GenerationInfo) => boolean | void | Promise<boolean | void>;
  /**
   * What the objective receives per individual: `'params'`, an object by
   * parameter name; or `'array'`, a Float64Array of the values in space order
   * (a categorical gene as the index of its choice), as DEAP and PyGAD pass
   * lists. `'array'` skips building an object per individual, which is most
   * of the cost when the objective itself is cheap. The arrays of one
   * generation are views of one shared buffer: read or write an individual's
   * own view, but do not transfer its `.buffer` (that would detach the whole
   * generation's); writing to it does not change what the GA records.
   * @default 'params'
   */
  genes?: 'params' | 'array';
}

/** One generation of {@link GeneticAlgorithmResult.history}. */
export interface GenerationInfo {
  generation: number;
  evaluations: number;
  /** Best value of the first objective in this generation (NaN if all failed). */
  best: number;
  /** Mean of the first objective over this generation's finite values. */
  mean: number;
  /** Root-mean-square pairwise distance of the generation in the unit cube, in [0, 1] (0 = all equal). */
  diversity: number;
}

export interface GeneticAlgorithmResult {
  /** The best individual (first objective, within the feasible ones if any). */
  best: { params: ParamValues; value: number };
  /** Non-dominated individuals of everything evaluated (several objectives). */
  pareto: { params: ParamValues; values: number[] }[];
  history: GenerationInfo[];
  evaluations: number;
}

/**
 * Runs whose breeding pool (parents and children) holds at most this many
 * genes breed each generation synchronously: at most about 0.4 ms of work
 * (0.13 ms for 100 × 30 genes), comparable to an AsyncTask's round trip.
 * Larger ones breed off the event loop.
 */
const SYNC_GENES = 20_000;

/** An individual as the objective receives it: see {@link GeneticAlgorithmOptions.genes}. */
export type Individual = ParamValues | Float64Array;
/** A GA objective: one individual's value(s). */
export type GeneticObjective<T extends Individual = ParamValues> = (individual: T) => number | number[] | Promise<number | number[]>;
/** Evaluates a generation: one result (a number, or one per objective) per individual, in order. */
export type BatchObjective<T extends Individual = ParamValues> = (batch: T[]) => Promise<readonly unknown[]> | readonly unknown[];

/** The operator settings shared by {@link GeneticAlgorithm}, `GeneticSearchCV` and the study's `GeneticSampler`. */
export type GaOperatorOptions = Pick<GeneticAlgorithmOptions, 'populationSize' | 'selection' | 'crossover' | 'mutation' | 'elitism' | 'init' | 'seed'>;

/**
 * Maps the friendly GA options onto the binding's (the one place this
 * happens): only what the caller gave; the core fills in the rest
 * (`gaSettings`). Integers are checked here, where their names are the
 * caller's; every range is checked by the core.
 */
export function gaNativeOptions(o: GaOperatorOptions): GaOptions {
  const sel = o.selection;
  const cx = o.crossover ?? {};
  const mut = o.mutation ?? {};
  if (sel !== undefined && !isEnumValue('SelectionKind', sel.kind)) {
    throw new TunekitError('INVALID_PARAMETER', `selection.kind: expected ${enumList('SelectionKind')}, got ${JSON.stringify(sel.kind)}`);
  }
  const options: GaOptions = {
    populationSize: optionalInt(o.populationSize, 'populationSize', 2),
    selection: sel?.kind,
    tournamentSize: sel?.kind === 'tournament' ? optionalInt(sel.size, 'selection.size', 1) : undefined,
    rankPressure: sel?.kind === 'rank' ? sel.pressure : undefined,
    crossover: cx.kind,
    crossoverEta: cx.eta,
    blendAlpha: cx.alpha,
    discreteCrossover: cx.discrete,
    crossoverProb: cx.prob,
    mutation: mut.kind,
    mutationEta: mut.eta,
    mutationSigma: mut.sigma,
    mutationProb: mut.prob,
    elitism: optionalInt(o.elitism, 'elitism', 0, 'a non-negative integer'),
    init: o.init,
    seed: resolveSeed(o.seed, 'seed'),
  };
  for (const k of Object.keys(options) as (keyof GaOptions)[]) if (options[k] === undefined) delete options[k];
  return options;
}

/**
 * The settings a GA on `nObjectives` objectives runs with: the options
 * given, the core's defaults for the rest (one objective: population 30,
 * tournaments of 3, the best 2 always breed; several: NSGA-II's binary
 * tournament, population 50), checked by the core.
 */
export function gaSettings(o: GaOperatorOptions, nObjectives: number): GaSettings {
  const options = gaNativeOptions(o);
  return guard(() => native.gaSettings(options, nObjectives));
}

/**
 * A genetic algorithm over the shared search space; with several objectives,
 * NSGA-II. Operators run in Rust; each generation's individuals are evaluated
 * concurrently (up to `concurrency`). A failed evaluation (NaN) ranks last; an
 * objective that throws stops the run with that error.
 */
export class GeneticAlgorithm {
  readonly space: SearchSpace;
  private readonly options: GaSettings;
  private readonly directions: Direction[];
  private readonly generations: number;
  private readonly maxEvaluations: number;
  private readonly concurrency: number;
  private readonly constraints: ((params: ParamValues) => number) | undefined;
  private readonly onGeneration: GeneticAlgorithmOptions['onGeneration'];
  private readonly genes: 'params' | 'array';

  constructor(o: GeneticAlgorithmOptions) {
    this.space = new SearchSpace(o.space);
    const dirs = o.directions ?? 'maximize';
    this.directions = typeof dirs === 'string' ? [dirs] : [...dirs];
    if (this.directions.length === 0) throw new TunekitError('INVALID_PARAMETER', 'directions: give at least one direction');
    this.directions.forEach((d, i) => {
      if (!isEnumValue('Direction', d)) throw new TunekitError('INVALID_PARAMETER', `directions[${i}]: expected ${enumList('Direction')}, got ${JSON.stringify(d)}`);
    });
    this.maxEvaluations = o.maxEvaluations === undefined ? Infinity : intOption(o.maxEvaluations, 'maxEvaluations', 0);
    this.generations = o.generations === undefined && o.maxEvaluations !== undefined ? Infinity : intOption(o.generations, 'generations', 20);
    this.concurrency = intOption(o.concurrency, 'concurrency', availableParallelism());
    this.options = gaSettings(o, this.directions.length);
    this.constraints = o.constraints;
    this.onGeneration = o.onGeneration;
    this.genes = o.genes ?? 'params';
    if (this.genes !== 'params' && this.genes !== 'array') throw new TunekitError('INVALID_PARAMETER', `genes: expected "params" or "array", got ${JSON.stringify(this.genes)}`);
    // The space, settings and directions validated together, up front (each run makes its own engine).
    guard(() => new native.GaEngine(this.space.native, this.options, this.directions));
  }

  /** The results of individual `i` of `children` as numbers, one per direction (a clear error otherwise). */
  private toValues(children: Float64Array, i: number, out: unknown): readonly number[] {
    const m = this.directions.length;
    const v = typeof out === 'number' ? [out] : out;
    if (!Array.isArray(v) || v.length !== m || v.some((x) => typeof x !== 'number')) {
      throw new TunekitError(
        'INVALID_PARAMETER',
        `the objective returned ${JSON.stringify(out)} for ${JSON.stringify(this.space.fromValuesAt(children, i * this.space.params.length))}: expected ${m === 1 ? 'a number' : `${m} numbers (one per direction)`}`,
      );
    }
    return v as number[];
  }

  /** Runs the GA on `f` (sync or async; a number, or one number per objective), up to `concurrency` calls at once. */
  async run<T extends Individual = ParamValues>(f: GeneticObjective<T>): Promise<GeneticAlgorithmResult> {
    const call = (x: T): unknown => {
      try {
        return f(x);
      } catch (err) {
        throw this.failed(x, err);
      }
    };
    return this.runBatched<T>(async (batch) => {
      // A synchronous objective is called in a plain loop; an async one, `concurrency` at a time.
      const first = batch.length === 0 ? undefined : call(batch[0] as T);
      if (!(first instanceof Promise)) {
        const out: unknown[] = [first];
        for (let i = 1; i < batch.length; i++) {
          const r = call(batch[i] as T);
          out.push(r instanceof Promise ? await r.catch((err: unknown) => Promise.reject(this.failed(batch[i] as T, err))) : r);
        }
        return out;
      }
      // The first call is already running: it takes the first of the `concurrency` slots.
      return mapLimit(batch, this.concurrency, async (x, i) => {
        try {
          return await (i === 0 ? first : f(x));
        } catch (err) {
          throw this.failed(x, err);
        }
      });
    });
  }

  private failed(x: Individual, err: unknown): TunekitError {
    if (err instanceof TunekitError && err.code === 'OBJECTIVE_FAILED') return err;
    const shown = x instanceof Float64Array ? JSON.stringify(Array.from(x)) : JSON.stringify(x);
    return new TunekitError('OBJECTIVE_FAILED', `the objective threw for ${shown}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }

  /**
   * Runs the GA with a function that evaluates a whole generation at once and
   * returns one result per individual, in order (how {@link GeneticSearchCV}
   * cross-validates a generation in one native call).
   */
  async runBatched<T extends Individual = ParamValues>(evaluate: BatchObjective<T>): Promise<GeneticAlgorithmResult> {
    const d = this.space.params.length;
    const m = this.directions.length;
    // Every generation as evaluated: its children (row-major, as the engine made them), values and violations.
    const blocks: { points: Float64Array; values: Float64Array; violations: Float64Array | undefined }[] = [];
    const history: GenerationInfo[] = [];
    const sign = this.directions[0] === 'minimize' ? -1 : 1;
    // A fresh engine keeps the run (the breeding pool stays in Rust; only the children and
    // their results cross). Small generations are bred synchronously, large ones off the event loop.
    const engine = guard(() => new native.GaEngine(this.space.native, this.options, this.directions));
    const sync = 2 * this.options.populationSize * d <= SYNC_GENES;
    let told: { values: Float64Array; violations: Float64Array | undefined } = { values: new Float64Array(0), violations: undefined };
    let evaluations = 0;
    for (let g = 0; g < this.generations && evaluations < this.maxEvaluations; g++) {
      const n = Math.min(this.options.populationSize, this.maxEvaluations - evaluations);
      const { values: v0, violations: c0 } = told;
      const out = sync ? guard(() => engine.advanceSync(v0, c0, n)) : await guard(() => engine.advance(v0, c0, n));
      // The objective sees objects built from the engine's block, or views of it; with views the
      // history keeps its own copy, which an objective writing into its array cannot reach.
      const shown = out.children;
      const children = this.genes === 'array' ? shown.slice() : shown;
      const batch = new Array<T>(n);
      for (let i = 0; i < n; i++) {
        batch[i] = (this.genes === 'array' ? shown.subarray(i * d, (i + 1) * d) : this.space.fromValuesAt(shown, i * d)) as T;
      }
      const results = await evaluate(batch);
      if (!Array.isArray(results) || results.length !== n) {
        throw new TunekitError(
          'INVALID_PARAMETER',
          `the batch objective returned ${Array.isArray(results) ? `${results.length} results` : JSON.stringify(results)} for ${n} individuals: expected one per individual`,
        );
      }
      const values = new Float64Array(n * m);
      const violations = this.constraints === undefined ? undefined : new Float64Array(n);
      let best = NaN;
      let sum = 0;
      let finite = 0;
      for (let i = 0; i < n; i++) {
        const r: unknown = results[i];
        if (m === 1 && typeof r === 'number') values[i] = r;
        else values.set(this.toValues(children, i, r), i * m);
        if (violations !== undefined) violations[i] = this.violation(children, i);
        const first = values[i * m] as number;
        if (Number.isFinite(first)) {
          sum += first;
          finite++;
          if (Number.isNaN(best) || sign * first > sign * best) best = first;
        }
      }
      blocks.push({ points: children, values, violations });
      told = { values, violations };
      evaluations += n;
      const info: GenerationInfo = { generation: g, evaluations, best, mean: finite === 0 ? NaN : sum / finite, diversity: out.diversity };
      history.push(info);
      if (this.onGeneration !== undefined && (await this.onGeneration({ ...info })) === false) break;
    }
    return this.result(blocks, evaluations, history);
  }

  /** The constraint violation of individual `i` of `children` (a clear error unless a number ≥ 0). */
  private violation(children: Float64Array, i: number): number {
    const params = this.space.fromValuesAt(children, i * this.space.params.length);
    const violation = (this.constraints as (params: ParamValues) => number)(params);
    if (typeof violation !== 'number' || Number.isNaN(violation) || violation < 0) {
      throw new TunekitError('INVALID_PARAMETER', `constraints returned ${violation} for ${JSON.stringify(params)}: expected a number ≥ 0`);
    }
    return violation;
  }

  /** The best individual, the Pareto front and the history of everything evaluated. */
  private result(blocks: readonly { points: Float64Array; values: Float64Array; violations: Float64Array | undefined }[], evaluations: number, history: GenerationInfo[]): GeneticAlgorithmResult {
    const d = this.space.params.length;
    const m = this.directions.length;
    const points = new Float64Array(evaluations * d);
    const values = new Float64Array(evaluations * m);
    const violations = new Float64Array(evaluations);
    let at = 0;
    for (const b of blocks) {
      points.set(b.points, at * d);
      values.set(b.values, at * m);
      if (b.violations !== undefined) violations.set(b.violations, at);
      at += b.values.length / m;
    }
    const front = Array.from(guard(() => native.gaParetoFront(values, this.directions)));
    const anyFeasible = violations.some((v) => v === 0);
    const sign = this.directions[0] === 'minimize' ? -1 : 1;
    let best = -1;
    for (let i = 0; i < evaluations; i++) {
      if (anyFeasible && violations[i] !== 0) continue;
      const v = values[i * m] as number;
      const b = best < 0 ? NaN : (values[best * m] as number);
      if (best < 0 || (!Number.isNaN(v) && (Number.isNaN(b) || sign * v > sign * b))) best = i;
    }
    if (best < 0) throw new TunekitError('INVALID_PARAMETER', 'the run evaluated nothing');
    return {
      best: { params: this.space.fromValuesAt(points, best * d), value: values[best * m] as number },
      pareto: front.map((i) => ({ params: this.space.fromValuesAt(points, i * d), values: Array.from(values.subarray(i * m, (i + 1) * m)) })),
      history,
      evaluations,
    };
  }
}
