import { describeValue, TunekitError } from '../../errors.js';
import { resolveSeed } from '../../seed.js';
import type { Distribution, FrozenTrial, Storage } from '../types.js';
import { CmaEsSampler } from './cmaes.js';
import { GeneticSampler } from './genetic.js';
import { GPSampler } from './gp.js';
import type { AfterTrialContext, Sampler, SamplerContext } from './sampler.js';
import { isFixed } from './space_of.js';
import { TPESampler } from './tpe.js';

/** Options of {@link AutoSampler}. */
export interface AutoSamplerOptions {
  /** Seed of every sampler it delegates to (each gets its own stream). @default a random seed */
  seed?: number;
  /**
   * Finished trials after which a single-objective study over numbers moves
   * from the Gaussian process (whose fit grows as n³) to CMA-ES.
   * @default 250
   */
  gpTrials?: number;
}

/** The samplers {@link AutoSampler} chooses from; each trial it proposes records the one it used (system attribute `auto_sampler`). */
export type AutoChoice = 'gp' | 'tpe' | 'cmaes' | 'nsga2';

/** The system attribute naming the sampler that proposed a trial. */
export const AUTO_SAMPLER_ATTR = 'auto_sampler';

/** What the history says of the space: kept per study and folded in one finished trial at a time. */
interface SpaceFacts {
  first: number | undefined;
  seen: Set<number>;
  /** COMPLETE trials folded in. */
  complete: number;
  /** Trials that ended (COMPLETE, PRUNED or FAIL) folded in. */
  finished: number;
  /** FAIL trials folded in. */
  failed: number;
  /** COMPLETE trials having each parameter. */
  counts: Map<string, number>;
  /** Whether some parameter of a finished trial is categorical (more than one choice). */
  categorical: boolean;
}

const FACTS = new WeakMap<Storage, Map<number, SpaceFacts>>();

function facts(ctx: SamplerContext): SpaceFacts {
  let byStudy = FACTS.get(ctx.storage);
  if (byStudy === undefined) FACTS.set(ctx.storage, (byStudy = new Map()));
  const first = ctx.trials[0]?.id;
  let f = byStudy.get(ctx.studyId);
  if (f === undefined || f.first !== first) {
    f = { first, seen: new Set(), complete: 0, finished: 0, failed: 0, counts: new Map(), categorical: false };
    byStudy.set(ctx.studyId, f);
  }
  for (const t of ctx.trials) {
    if (t.state === 'RUNNING' || t.state === 'WAITING' || f.seen.has(t.id)) continue;
    f.seen.add(t.id);
    f.finished++;
    if (t.state === 'FAIL') f.failed++;
    for (const d of Object.values(t.distributions)) if (d.type === 'categorical' && !isFixed(d)) f.categorical = true;
    if (t.state !== 'COMPLETE') continue;
    f.complete++;
    for (const name of Object.keys(t.distributions)) f.counts.set(name, (f.counts.get(name) ?? 0) + 1);
  }
  return f;
}

/** Whether some parameter is in some COMPLETE trials and not in others (a conditional space). */
function conditional(f: SpaceFacts): boolean {
  for (const n of f.counts.values()) if (n < f.complete) return true;
  return false;
}

function numericCount(space: Readonly<Record<string, Distribution>> | undefined, f: SpaceFacts): number {
  if (space !== undefined) return Object.values(space).filter((d) => d.type !== 'categorical' && !isFixed(d)).length;
  return f.counts.size;
}

/**
 * The default sampler: picks a sampler for each trial from what the study
 * is, by fixed rules on the stored history (so every worker picks the same):
 *
 * 1. several objectives: TPE (MOTPE) when the space has categorical or
 *    conditional parameters, otherwise NSGA-II (`GeneticSampler`);
 * 2. one objective, categorical or conditional parameters (in the declared
 *    space or in any finished trial; conditional: a parameter that some
 *    COMPLETE trials have and others lack): multivariate TPE with `group`
 *    and `constantLiar`; but the Gaussian process while the space is not
 *    conditional, some trial has FAILed and fewer than `gpTrials` trials have
 *    finished: its failure model (the probability of not failing, in the
 *    acquisition) steers away from crashing categories in fewer trials than
 *    TPE's bad group does (docs/benchmarks.md, failure-aware search);
 * 3. one objective over numbers: the Gaussian process (`GPSampler`) until
 *    `gpTrials` trials have finished, then CMA-ES warm-started from the best
 *    10 % of the history (WS-CMA-ES) when there are at least two numeric
 *    parameters, TPE otherwise.
 *
 * The rules switch as the study grows (a parameter that turns up in some
 * trials only moves it to TPE; a first failure in a categorical space moves
 * it to the GP; the budget moves it from the GP to CMA-ES or TPE).
 * Every proposed trial records the sampler used (system attribute
 * `auto_sampler`: `'gp' | 'tpe' | 'cmaes' | 'nsga2'`), except trials none of
 * whose parameters were proposed jointly (the very first ones).
 */
export class AutoSampler implements Sampler {
  readonly usesHistory = true;
  readonly seed: number;
  private readonly gpTrials: number;
  private readonly gp: GPSampler;
  private readonly tpe: TPESampler;
  private readonly nsga2: GeneticSampler;
  private cmaes: CmaEsSampler | undefined;
  /** The choice for each trial in flight (inferRelativeSpace, sampleRelative and sampleIndependent of a trial agree). */
  private readonly choices = new Map<string, AutoChoice>();

  constructor(options: AutoSamplerOptions = {}) {
    this.seed = resolveSeed(options.seed, 'AutoSampler: seed');
    this.gpTrials = options.gpTrials ?? 250;
    if (!Number.isSafeInteger(this.gpTrials) || this.gpTrials < 0) {
      throw new TunekitError('INVALID_PARAMETER', `AutoSampler: gpTrials must be an integer ≥ 0, got ${describeValue(options.gpTrials)}`);
    }
    this.gp = new GPSampler({ seed: this.seed });
    this.tpe = new TPESampler({ seed: (this.seed + 1) >>> 0, multivariate: true, group: true, constantLiar: true });
    this.nsga2 = new GeneticSampler({ seed: (this.seed + 2) >>> 0 });
  }

  /** The sampler the rules pick for the trial being sampled. */
  choose(ctx: SamplerContext): AutoChoice {
    const key = `${ctx.studyId}:${ctx.trial.id}`;
    const known = this.choices.get(key);
    if (known !== undefined) return known;
    const f = facts(ctx);
    const declaredCategorical = ctx.declared !== undefined && Object.values(ctx.declared).some((d) => d.type === 'categorical' && !isFixed(d));
    const mixed = f.categorical || declaredCategorical || conditional(f);
    let choice: AutoChoice;
    if (ctx.directions.length > 1) choice = mixed ? 'tpe' : 'nsga2';
    else if (mixed) choice = f.failed > 0 && !conditional(f) && f.finished < this.gpTrials ? 'gp' : 'tpe';
    else if (f.finished < this.gpTrials) choice = 'gp';
    else choice = numericCount(ctx.declared, f) >= 2 ? 'cmaes' : 'tpe';
    if (this.choices.size >= 256) this.choices.delete(this.choices.keys().next().value as string);
    this.choices.set(key, choice);
    return choice;
  }

  private sampler(choice: AutoChoice, ctx: SamplerContext): Sampler {
    switch (choice) {
      case 'gp':
        return this.gp;
      case 'tpe':
        return this.tpe;
      case 'nsga2':
        return this.nsga2;
      case 'cmaes':
        // built at the switch, warm-started from the history so far; the
        // stored first generation (first writer wins) is what every worker uses
        this.cmaes ??= new CmaEsSampler({ seed: (this.seed + 3) >>> 0, warmStartTrials: completeTrials(ctx.trials) });
        return this.cmaes;
    }
  }

  inferRelativeSpace(ctx: SamplerContext): Record<string, Distribution> {
    return this.sampler(this.choose(ctx), ctx).inferRelativeSpace?.(ctx) ?? {};
  }

  async sampleRelative(ctx: SamplerContext, space: Record<string, Distribution>): Promise<Record<string, unknown>> {
    const choice = this.choose(ctx);
    const s = this.sampler(choice, ctx);
    await ctx.storage.setTrialAttr(ctx.trial.id, 'system', AUTO_SAMPLER_ATTR, choice);
    return s.sampleRelative === undefined ? {} : s.sampleRelative(ctx, space);
  }

  sampleIndependent(ctx: SamplerContext, name: string, d: Distribution): unknown {
    return this.sampler(this.choose(ctx), ctx).sampleIndependent(ctx, name, d);
  }

  async afterTrial(ctx: AfterTrialContext, trial: FrozenTrial): Promise<void> {
    this.choices.delete(`${ctx.studyId}:${trial.id}`);
    const all: (Sampler | undefined)[] = [this.gp, this.tpe, this.nsga2, this.cmaes];
    for (const s of all) await s?.afterTrial?.(ctx, trial);
  }
}

function completeTrials(trials: readonly FrozenTrial[]): FrozenTrial[] {
  return trials.filter((t) => t.state === 'COMPLETE');
}
