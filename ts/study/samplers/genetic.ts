import { gaNativeOptions, gaSettings, type GaOperatorOptions } from '../../genetic/genetic_algorithm.js';
import { guard, native, type GaOptions } from '../../native.js';
import type { SearchSpace } from '../../space.js';
import { streamKey } from '../rng.js';
import type { Distribution, FrozenTrial } from '../types.js';
import { independentDraw } from './random.js';
import { defaultRelativeSpace } from './intersection.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { searchable, searchSpaceOf, valuesOf } from './space_of.js';
import { totalViolation } from '../constraints.js';

/** Options of {@link GeneticSampler}: the GA's operators (defaults as in `GeneticAlgorithm`, but population 50 with one objective too). */
export type GeneticSamplerOptions = GaOperatorOptions;

/**
 * Constrained domination (Deb, Pratap, Agarwal & Meyarivan 2002; Optuna's
 * NSGAIISampler with constraints) through the values the GA ranks: each
 * infeasible COMPLETE trial's objective values become `W_j + 1 + v` (in
 * minimisation terms), `W_j` the worst finite feasible value of objective
 * `j` (0 if none) and `v` its total violation. Then every feasible trial
 * dominates every infeasible one (it is lower in every objective), and of two
 * infeasible trials the one with the smaller violation dominates (equal
 * violations tie): exactly the constrained-domination order, for the
 * non-dominated sort (several objectives) and the tournaments (one).
 */
export function constrainedValues(pool: readonly FrozenTrial[], values: Float64Array, directions: readonly string[]): void {
  const m = directions.length;
  const violation = pool.map((t) => (t.state === 'COMPLETE' ? totalViolation(t) : 0));
  if (!violation.some((v) => v > 0)) return;
  const toMin = (j: number, v: number): number => (directions[j] === 'maximize' ? -v : v);
  const worst = new Array<number>(m).fill(-Infinity);
  pool.forEach((_, i) => {
    if (violation[i] !== 0) return;
    for (let j = 0; j < m; j++) {
      const v = toMin(j, values[i * m + j] as number);
      if (Number.isFinite(v) && v > (worst[j] as number)) worst[j] = v;
    }
  });
  pool.forEach((_, i) => {
    const v = violation[i] as number;
    if (v === 0) return;
    for (let j = 0; j < m; j++) {
      const w = worst[j] === -Infinity ? 0 : (worst[j] as number);
      values[i * m + j] = toMin(j, w + 1 + v);
    }
  });
}

/** One generation as stored: its individuals (value form) and the survivors it was bred from. */
interface StoredGeneration {
  children: number[][];
  /** Trial numbers of the parent population chosen when breeding this generation. */
  survivors: number[];
}

/**
 * The genetic algorithm (NSGA-II with several objectives) as a study sampler.
 * Trials are grouped into generations of `populationSize`; each (generation,
 * index) slot is claimed in the storage, so concurrent workers never take the
 * same individual. A generation's individuals are bred once — by the first
 * worker that needs them, from the previous generation's survivors and its
 * finished trials (a failed or pruned trial counts as NaN, which ranks last;
 * with constraints, `constrainedValues` gives constrained domination) —
 * and stored in the study, so every worker evaluates the same generation.
 * The GA needs a fixed relative space (a declared space, or parameters every
 * complete trial has); if it changes, generations restart from a new
 * initial population. Defaults: population 50 (as Optuna's NSGAIISampler);
 * with one objective, tournaments of 3 and elitism 2 (as
 * `GeneticAlgorithm`); with several, NSGA-II's binary tournament.
 */
export class GeneticSampler implements Sampler {
  /**
   * The options given, with one seed and the population fixed; the core
   * fills in the rest for the study's number of objectives when breeding
   * (NSGA-II's binary tournament with several, tournaments of 3 and
   * elitism 2 with one).
   */
  private readonly options: GaOptions & { populationSize: number; seed: number };
  private readonly cache = new Map<string, StoredGeneration>();

  constructor(options: GeneticSamplerOptions = {}) {
    const given = gaNativeOptions(options);
    // The population defaults to the core's for several objectives (50, as Optuna's NSGAIISampler) in both cases.
    const populationSize = given.populationSize ?? guard(() => native.gaSettings({}, 2)).populationSize;
    this.options = { ...given, populationSize, seed: given.seed ?? 0 };
    // Validates the operator settings now, for one objective and for several.
    for (const m of [1, 2]) gaSettings({ ...options, populationSize, seed: this.options.seed }, m);
  }

  get seed(): number {
    return this.options.seed;
  }

  /** The declared space, else the intersection of the complete trials' spaces. */
  inferRelativeSpace(ctx: SamplerContext): Record<string, Distribution> {
    return defaultRelativeSpace(ctx);
  }

  async sampleRelative(ctx: SamplerContext, space: Record<string, Distribution>): Promise<Record<string, unknown>> {
    space = searchable(space);
    if (Object.keys(space).length === 0) return {};
    const s = searchSpaceOf(space);
    const tag = streamKey(JSON.stringify(space), ctx.directions.join(',')).toString(36);
    const mine = ctx.trials.filter((t) => t.systemAttrs['ga_space'] === tag && typeof t.systemAttrs['ga_gen'] === 'number');
    const pop = this.options.populationSize;
    let g = mine.reduce((m, t) => Math.max(m, t.systemAttrs['ga_gen'] as number), 0);
    for (;;) {
      const used = new Set(mine.filter((t) => t.systemAttrs['ga_gen'] === g).map((t) => t.systemAttrs['ga_index'] as number));
      for (let k = 0; k < pop; k++) {
        if (used.has(k) || !(await ctx.storage.claimKey(ctx.studyId, `ga:${tag}:${g}:${k}`, ctx.trial.id))) continue;
        const gen = await this.generation(ctx, s, space, tag, g);
        await ctx.storage.setTrialAttr(ctx.trial.id, 'system', 'ga_space', tag);
        await ctx.storage.setTrialAttr(ctx.trial.id, 'system', 'ga_gen', g);
        await ctx.storage.setTrialAttr(ctx.trial.id, 'system', 'ga_index', k);
        return s.fromValues(gen.children[k] as number[]);
      }
      g++;
    }
  }

  /** Generation `g`: from this process's cache, the study, or bred now (and stored if nobody stored it first). */
  private async generation(ctx: SamplerContext, s: SearchSpace, space: Record<string, Distribution>, tag: string, g: number): Promise<StoredGeneration> {
    const key = `ga:${tag}:gen:${g}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    // Bred by another worker (or an earlier run): read by the study's id, not bred again.
    const known = (await ctx.storage.getStudyAttr(ctx.studyId, 'system', key)) as StoredGeneration | undefined;
    if (known !== undefined) {
      this.cache.set(key, known);
      return known;
    }
    const d = s.params.length;
    const m = ctx.directions.length;
    let pool: FrozenTrial[] = [];
    if (g > 0) {
      const prev = await this.generation(ctx, s, space, tag, g - 1);
      const byNumber = new Map(ctx.trials.map((t) => [t.number, t]));
      const finished = ctx.trials.filter((t) => t.systemAttrs['ga_space'] === tag && t.systemAttrs['ga_gen'] === g - 1 && t.state !== 'RUNNING' && t.state !== 'WAITING');
      pool = [...prev.survivors.map((n) => byNumber.get(n)).filter((t): t is FrozenTrial => t !== undefined), ...finished];
      pool = pool.filter((t) => valuesOf(space, t.params) !== null);
    }
    const points = new Float64Array(pool.length * d);
    const values = new Float64Array(pool.length * m).fill(NaN);
    pool.forEach((t, i) => {
      points.set(valuesOf(space, t.params) as number[], i * d);
      if (t.state === 'COMPLETE' && t.values !== null && t.values.length === m) values.set(t.values, i * m);
    });
    constrainedValues(pool, values, ctx.directions);
    const out = guard(() =>
      native.gaProposeGenerationSync({
        space: s.native,
        options: this.options,
        directions: [...ctx.directions],
        points,
        values,
        generation: g,
        n: this.options.populationSize,
      }),
    );
    const bred: StoredGeneration = {
      children: Array.from({ length: this.options.populationSize }, (_, i) => Array.from(out.children.subarray(i * d, (i + 1) * d))),
      survivors: Array.from(out.parents, (i) => (pool[i] as FrozenTrial).number),
    };
    const stored = (await ctx.storage.setStudySystemAttrIfAbsent(ctx.studyId, key, bred)) as StoredGeneration;
    this.cache.set(key, stored);
    return stored;
  }

  sampleIndependent(ctx: SamplerContext, name: string, d: Distribution): unknown {
    return independentDraw(this.options.seed, ctx.trial.number, name, d);
  }
}
