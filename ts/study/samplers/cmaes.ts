import { describeValue, TunekitError } from '../../errors.js';
import { enumList, guard, isEnumValue, native, type CmaCandidate, type CmaRestartStrategy, type CmaSettings } from '../../native.js';
import { resolveSeed } from '../../seed.js';
import type { SearchSpace } from '../../space.js';
import { keyedRecord } from '../../keyed.js';
import { streamKey } from '../rng.js';
import type { Distribution, FrozenTrial, StudyDirection } from '../types.js';
import { defaultRelativeSpace } from './intersection.js';
import { independentDraw } from './random.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { searchable, searchSpaceOf, valuesOf } from './space_of.js';
import { rankedTransferTrials } from '../transfer.js';
import { failureProbabilities } from './failure_model.js';

/** Options of {@link CmaEsSampler} (Optuna's `CmaEsSampler` defaults; ranges are checked by the core). */
export interface CmaEsSamplerOptions {
  /** @default a random seed */
  seed?: number;
  /**
   * Initial step size, in the unit cube the numeric parameters are mapped to
   * (each parameter's range onto [0, 1], log scales in log space).
   * @default 1/6 (the core's: a sixth of every range, as Optuna)
   */
  sigma0?: number;
  /** COMPLETE trials (and PRUNED ones with `considerPrunedTrials`) sampled independently before CMA-ES starts. @default 1 */
  nStartupTrials?: number;
  /** `'ipop'`: restart with the population multiplied by `incPopsize` when a run stagnates (IPOP-CMA-ES). @default 'none' */
  restartStrategy?: CmaRestartStrategy;
  /** Factor of the population size at each IPOP restart. @default 2 */
  incPopsize?: number;
  /** Population size λ of the first run. @default 4 + ⌊3 ln n⌋ for n numeric parameters (the core's) */
  popsize?: number;
  /** Separable CMA-ES (a diagonal covariance matrix, faster learning): for many parameters. @default false */
  useSeparableCma?: boolean;
  /** CMA-ES with margin: integer and stepped parameters keep a probability ≥ 1/(nλ) of moving to another value. @default false */
  withMargin?: boolean;
  /**
   * Trials of another study on a similar task (e.g. `await other.trials()`):
   * the best 10 % of those that have every parameter of the relative space
   * give the first run's mean, step size and covariance (WS-CMA-ES). They
   * are taken as minimised or maximised like this study's objective.
   * @default none
   */
  warmStartTrials?: readonly FrozenTrial[];
  /** The name of another study in the same storage to warm-start from (what a CLI config can give), with that study's direction. @default none, or the old studies of `createStudy({ transferFrom })` (their best trials, ranked within each study) */
  warmStartStudy?: string;
  /** Count PRUNED trials in their generation with their last reported value (otherwise they are replaced, like failed ones). @default false */
  considerPrunedTrials?: boolean;
  /**
   * Learn where trials fail: a candidate that the failure model (FAIL
   * trials against finished ones, on the numeric parameters; the core's, as
   * GPSampler and TPESampler use) gives a chance of success below 1/2 is
   * drawn again from the same generation, up to 16 draws, keeping the
   * likeliest to succeed. A region where trials keep failing stops being
   * sampled; one flaky failure among successes does not close its region.
   * @default true
   */
  failureAware?: boolean;
}

/** What a trial of a CMA-ES generation records (system attribute `cmaes`). */
export interface CmaTrialRecord {
  /** The chain of generations (space and settings) the trial belongs to. */
  tag: string;
  /** The generation whose distribution the trial was drawn from. */
  generation: number;
  /** The raw draw (unit-cube coordinates) the update is told. */
  x: number[];
}

/** One generation's distribution as stored in the study (system attribute `cmaes:<tag>:<generation>`). */
export interface CmaGenerationRecord {
  generation: number;
  /** λ: finished trials of this generation needed before the next one. */
  popsize: number;
  restarts: number;
  sigma: number;
  /** Trial numbers of the previous generation that made this one (empty for generation 0). */
  members: number[];
  /** Whether the update that made this generation restarted the run (IPOP). */
  restarted: boolean;
  /** The core's flat state, little-endian float64s in base64. */
  state: string;
}

/** The system attribute of a trial's draw. */
export const CMA_TRIAL_ATTR = 'cmaes';

/**
 * CMA-ES (Hansen's tutorial defaults, as the `cmaes` package and Optuna's
 * `CmaEsSampler`), computed in Rust, over the numeric parameters of the
 * relative space mapped to the unit cube (log scales in log space); with
 * separable CMA, margin for integers, IPOP restarts and warm starts.
 * Categorical parameters, parameters outside the relative space and the
 * first `nStartupTrials` trials are sampled independently (uniformly), as
 * Optuna's sampler falls back to its `RandomSampler`.
 *
 * Stateless across workers: the distribution of each generation is stored
 * in the study (first writer wins, so concurrent workers never fork it) and
 * each trial records the generation it was drawn from and its raw draw.
 * Once λ trials of generation g are COMPLETE (PRUNED ones too, with their
 * last reported value, if `considerPrunedTrials`), the first worker to see
 * it updates the distribution with the first λ of them (by trial number)
 * and stores generation g + 1; a FAIL (or not counted PRUNED) trial is
 * replaced by the next trial drawn from the same generation. Candidate k is
 * a function of the stored distribution, the seed and the trial number, so
 * a seeded run in one worker repeats exactly.
 */
export class CmaEsSampler implements Sampler {
  readonly seed: number;
  private readonly settings: CmaSettings;
  private readonly nStartup: number;
  private readonly considerPruned: boolean;
  private readonly failureAware: boolean;
  private readonly warmTrials: readonly FrozenTrial[] | undefined;
  private readonly warmStudy: string | undefined;
  /** Stored generations already read or written by this process (they never change). */
  private readonly cache = new Map<string, CmaGenerationRecord>();

  constructor(options: CmaEsSamplerOptions = {}) {
    this.seed = resolveSeed(options.seed, 'CmaEsSampler: seed');
    const bad = (name: string, what: string, v: unknown): never => {
      throw new TunekitError('INVALID_PARAMETER', `CmaEsSampler: ${name} must be ${what}, got ${describeValue(v)}`);
    };
    for (const name of ['sigma0', 'popsize', 'incPopsize', 'nStartupTrials'] as const) {
      const v = options[name];
      if (v !== undefined && typeof v !== 'number') bad(name, 'a number', v);
    }
    for (const name of ['useSeparableCma', 'withMargin', 'considerPrunedTrials', 'failureAware'] as const) {
      const v = options[name];
      if (v !== undefined && typeof v !== 'boolean') bad(name, 'true or false', v);
    }
    if (options.restartStrategy !== undefined && !isEnumValue('CmaRestartStrategy', options.restartStrategy)) {
      bad('restartStrategy', enumList('CmaRestartStrategy'), options.restartStrategy);
    }
    this.nStartup = options.nStartupTrials ?? 1;
    if (!Number.isSafeInteger(this.nStartup) || this.nStartup < 0) bad('nStartupTrials', 'an integer ≥ 0', this.nStartup);
    if (options.warmStartTrials !== undefined && !Array.isArray(options.warmStartTrials)) bad('warmStartTrials', 'an array of trials', options.warmStartTrials);
    if (options.warmStartStudy !== undefined && typeof options.warmStartStudy !== 'string') bad('warmStartStudy', 'a study name', options.warmStartStudy);
    if (options.warmStartTrials !== undefined && options.warmStartStudy !== undefined) {
      throw new TunekitError('INVALID_PARAMETER', 'CmaEsSampler: give warmStartTrials or warmStartStudy, not both');
    }
    this.warmTrials = options.warmStartTrials;
    this.warmStudy = options.warmStartStudy;
    this.considerPruned = options.considerPrunedTrials ?? false;
    this.failureAware = options.failureAware ?? true;
    const settings: CmaSettings = {};
    if (options.sigma0 !== undefined) settings.sigma0 = options.sigma0;
    if (options.popsize !== undefined) settings.popsize = options.popsize;
    if (options.useSeparableCma !== undefined) settings.useSeparableCma = options.useSeparableCma;
    if (options.withMargin !== undefined) settings.withMargin = options.withMargin;
    if (options.restartStrategy !== undefined) settings.restartStrategy = options.restartStrategy;
    if (options.incPopsize !== undefined) settings.incPopsize = options.incPopsize;
    this.settings = settings;
    // ranges and combinations: the core's rules
    try {
      guard(() => native.cmaesCheckOptions(settings, this.warmTrials !== undefined || this.warmStudy !== undefined));
    } catch (err) {
      if (err instanceof TunekitError) throw new TunekitError(err.code, `CmaEsSampler: ${err.message}`, { cause: err });
      throw err;
    }
  }

  /** The declared space, else the intersection of the complete trials' spaces: its numeric, non-fixed parameters. */
  inferRelativeSpace(ctx: SamplerContext): Record<string, Distribution> {
    return numericPart(searchable(defaultRelativeSpace(ctx)));
  }

  async sampleRelative(ctx: SamplerContext, space: Record<string, Distribution>): Promise<Record<string, unknown>> {
    this.checkDirections(ctx.directions);
    space = numericPart(searchable(space));
    const names = Object.keys(space);
    if (names.length === 0) return {};
    // A trial with some of these parameters fixed (an enqueued trial) is sampled independently.
    if (names.length !== Object.keys(this.inferRelativeSpace(ctx)).length) return {};
    if (this.counted(ctx.trials).length < this.nStartup) return {};
    const s = searchSpaceOf(space);
    const tag = streamKey(JSON.stringify(space), JSON.stringify(this.settings), this.warmTrials !== undefined ? 'warm' : (this.warmStudy ?? '')).toString(36);
    let g = 0;
    for (const t of ctx.trials) {
      const r = trialRecord(t);
      if (r !== null && r.tag === tag && r.generation > g) g = r.generation;
    }
    let gen = await this.generation(ctx, s, space, tag, g);
    for (;;) {
      const members = this.members(ctx.trials, tag, g, names.length, space);
      if (members.length < gen.popsize) break;
      gen = await this.next(ctx, s, tag, g, gen, members.slice(0, gen.popsize));
      g++;
    }
    const state = decodeState(gen.state);
    const draw = (k: number) => guard(() => native.cmaesAsk({ space: s.native, options: this.settings, state, seed: this.seed, index: ctx.trial.number + k * REDRAW_STRIDE }));
    let candidate = await draw(0);
    if (this.failureAware && ctx.trials.some((t) => t.state === 'FAIL')) candidate = await this.likelyToSucceed(ctx, space, s, candidate, draw);
    const record: CmaTrialRecord = { tag, generation: g, x: Array.from(candidate.x) };
    await ctx.storage.setTrialAttr(ctx.trial.id, 'system', CMA_TRIAL_ATTR, record);
    return s.fromValues(candidate.values);
  }

  sampleIndependent(ctx: SamplerContext, name: string, d: Distribution): unknown {
    this.checkDirections(ctx.directions);
    return independentDraw(this.seed, ctx.trial.number, name, d);
  }

  /**
   * `first`, or, when the failure model gives it a chance of success below
   * {@link MIN_SUCCESS}, the first later draw of the same generation above
   * it (else the likeliest of {@link MAX_DRAWS}). Draw k of trial n is
   * candidate n + k·2⁴⁰ of the generation: no other trial's first draw.
   */
  private async likelyToSucceed(ctx: SamplerContext, space: Record<string, Distribution>, s: SearchSpace, first: CmaCandidate, draw: (k: number) => Promise<CmaCandidate>): Promise<CmaCandidate> {
    const chances = (cs: readonly CmaCandidate[]) =>
      failureProbabilities(
        space,
        ctx.trials,
        cs.map((c) => s.fromValues(c.values)),
      );
    if ((chances([first])[0] as number) >= MIN_SUCCESS) return first;
    // The other draws at once, judged by one fit of the failure model (the same choice as drawing them one by one).
    const rest: CmaCandidate[] = [];
    for (let k = 1; k < MAX_DRAWS; k++) rest.push(await draw(k));
    const all = [first, ...rest];
    const p = chances(all);
    const ok = p.findIndex((v, i) => i > 0 && v >= MIN_SUCCESS);
    if (ok >= 0) return all[ok] as CmaCandidate;
    let best = 0;
    for (let i = 1; i < all.length; i++) if ((p[i] as number) > (p[best] as number)) best = i;
    return all[best] as CmaCandidate;
  }

  private checkDirections(directions: readonly StudyDirection[]): void {
    if (directions.length !== 1) {
      throw new TunekitError('INVALID_PARAMETER', `CmaEsSampler optimises one objective; this study has ${directions.length} (use GeneticSampler or TPESampler for several)`);
    }
  }

  /** The minimised value a trial counts with, or undefined if it does not count (FAIL, RUNNING, a PRUNED one unless considered). */
  private valueOf(t: FrozenTrial, sign: number): number | undefined {
    if (t.state === 'COMPLETE') {
      const v = t.values?.[0];
      return v === undefined || Number.isNaN(v) ? undefined : sign * v;
    }
    if (t.state === 'PRUNED' && this.considerPruned) {
      const steps = Object.keys(t.intermediateValues).map(Number);
      if (steps.length === 0) return undefined;
      const v = t.intermediateValues[Math.max(...steps)] as number;
      return Number.isNaN(v) ? undefined : sign * v;
    }
    return undefined;
  }

  private counted(trials: readonly FrozenTrial[]): FrozenTrial[] {
    return trials.filter((t) => this.valueOf(t, 1) !== undefined);
  }

  /** The counted trials of generation `g` of chain `tag`, in number order. */
  private members(trials: readonly FrozenTrial[], tag: string, g: number, n: number, space: Record<string, Distribution>): FrozenTrial[] {
    const drawn = trials.filter((t) => {
      const r = trialRecord(t);
      return r !== null && r.tag === tag && r.generation === g && r.x.length === n;
    });
    const counted = new Set(drawn.filter((t) => this.valueOf(t, 1) !== undefined));
    if (this.failureAware) for (const t of this.failedInFailingRegion(trials, drawn, space)) counted.add(t);
    return drawn.filter((t) => counted.has(t));
  }

  /**
   * The FAIL trials among `drawn` that the failure model puts where trials
   * fail more often than not: they count in their generation as worse than
   * every finished trial (the distribution moves away from them). A failure
   * among successes (flaky) is left out and replaced, as without the model.
   */
  private failedInFailingRegion(trials: readonly FrozenTrial[], drawn: readonly FrozenTrial[], space: Record<string, Distribution>): FrozenTrial[] {
    const failed = drawn.filter((t) => t.state === 'FAIL' && valuesOf(space, t.params) !== null);
    if (failed.length === 0) return [];
    const chance = failureProbabilities(
      space,
      trials,
      failed.map((t) => t.params),
    );
    return failed.filter((_, i) => (chance[i] as number) < MIN_SUCCESS);
  }

  private key(tag: string, g: number): string {
    return `cmaes:${tag}:${g}`;
  }

  /** Generation `g`: from this process's cache, the study, or (generation 0 only) made now and stored unless another worker stored it first. */
  private async generation(ctx: SamplerContext, s: SearchSpace, space: Record<string, Distribution>, tag: string, g: number): Promise<CmaGenerationRecord> {
    const key = this.key(tag, g);
    const known = this.cache.get(key) ?? ((await ctx.storage.getStudyAttr(ctx.studyId, 'system', key)) as CmaGenerationRecord | undefined);
    if (known !== undefined) {
      this.cache.set(key, known);
      return known;
    }
    if (g !== 0) throw new TunekitError('INTERNAL', `CmaEsSampler: generation ${g} is not stored although a trial was drawn from it`);
    const warm = await this.warmStart(ctx, space);
    const info = await guard(() =>
      native.cmaesInit({
        space: s.native,
        options: this.settings,
        seed: this.seed,
        ...(warm === undefined ? {} : { warmPoints: warm.points, warmValues: warm.values }),
      }),
    );
    return this.store(ctx, key, { generation: 0, popsize: info.popsize, restarts: info.restarts, sigma: info.sigma, members: [], restarted: false, state: encodeState(info.state) });
  }

  /** Generation `g + 1` from generation `g` and its first λ counted trials (or as another worker stored it). */
  private async next(ctx: SamplerContext, s: SearchSpace, tag: string, g: number, gen: CmaGenerationRecord, members: FrozenTrial[]): Promise<CmaGenerationRecord> {
    const key = this.key(tag, g + 1);
    const known = this.cache.get(key) ?? ((await ctx.storage.getStudyAttr(ctx.studyId, 'system', key)) as CmaGenerationRecord | undefined);
    if (known !== undefined) {
      this.cache.set(key, known);
      return known;
    }
    const sign = ctx.directions[0] === 'maximize' ? -1 : 1;
    const n = s.params.length;
    const xs = new Float64Array(members.length * n);
    const values = new Float64Array(members.length);
    members.forEach((t, i) => {
      xs.set((trialRecord(t) as CmaTrialRecord).x, i * n);
      values[i] = this.valueOf(t, sign) ?? NaN;
    });
    // FAIL members (failureAware): worse than every finished member, in trial order.
    let worst = -Infinity;
    for (const v of values) if (!Number.isNaN(v)) worst = Math.max(worst, v);
    if (!Number.isFinite(worst)) worst = 0;
    let k = 0;
    for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) values[i] = worst + Math.max(1, Math.abs(worst)) + k++;
    const info = await guard(() => native.cmaesTell({ space: s.native, options: this.settings, state: decodeState(gen.state), xs, values, seed: this.seed }));
    return this.store(ctx, key, {
      generation: g + 1,
      popsize: info.popsize,
      restarts: info.restarts,
      sigma: info.sigma,
      members: members.map((t) => t.number),
      restarted: info.restarted,
      state: encodeState(info.state),
    });
  }

  private async store(ctx: SamplerContext, key: string, record: CmaGenerationRecord): Promise<CmaGenerationRecord> {
    const stored = (await ctx.storage.setStudySystemAttrIfAbsent(ctx.studyId, key, record)) as CmaGenerationRecord;
    this.cache.set(key, stored);
    return stored;
  }

  /** The warm start's source points (value form) and minimised values, if the sampler has a source. */
  private async warmStart(ctx: SamplerContext, space: Record<string, Distribution>): Promise<{ points: Float64Array; values: Float64Array } | undefined> {
    let trials = this.warmTrials;
    let direction = ctx.directions[0];
    if (this.warmStudy !== undefined) {
      const source = await ctx.storage.getStudy(this.warmStudy);
      if (source === null) throw new TunekitError('INVALID_PARAMETER', `CmaEsSampler: warmStartStudy ${JSON.stringify(this.warmStudy)} does not exist in this storage`);
      if (source.directions.length !== 1)
        throw new TunekitError('INVALID_PARAMETER', `CmaEsSampler: warmStartStudy ${JSON.stringify(this.warmStudy)} has ${source.directions.length} objectives, expected one`);
      trials = await ctx.storage.getTrials(source.id);
      direction = source.directions[0];
    }
    // With transfer and no source of its own: the old studies' trials, ranked within each study.
    if (trials === undefined && ctx.transfer !== undefined && ctx.transfer.length > 0) trials = rankedTransferTrials(ctx.transfer, direction as StudyDirection);
    if (trials === undefined) return undefined;
    const sign = direction === 'maximize' ? -1 : 1;
    const points: number[] = [];
    const values: number[] = [];
    for (const t of trials) {
      const v = this.valueOf(t, sign);
      const p = valuesOf(space, t.params);
      if (v === undefined || p === null) continue;
      points.push(...p);
      values.push(v);
    }
    return { points: Float64Array.from(points), values: Float64Array.from(values) };
  }
}

/** A failure-aware candidate is drawn again while its chance of success is below this. */
const MIN_SUCCESS = 0.5;
/** Draws per trial at most, the first included. */
const MAX_DRAWS = 16;
/** Candidate index offset between a trial's successive draws (2⁴⁰: far beyond any trial number). */
const REDRAW_STRIDE = 2 ** 40;

/** The numeric (float and int) parameters of a space. */
function numericPart(space: Record<string, Distribution>): Record<string, Distribution> {
  let keep = true;
  for (const d of Object.values(space)) if (d.type === 'categorical') keep = false;
  if (keep) return space;
  const out = keyedRecord<Distribution>();
  for (const [name, d] of Object.entries(space)) if (d.type !== 'categorical') out[name] = d;
  return out;
}

/** A trial's CMA-ES record, or null if it has none (drawn independently, or by another sampler). */
export function trialRecord(t: FrozenTrial): CmaTrialRecord | null {
  const r = t.systemAttrs[CMA_TRIAL_ATTR] as Partial<CmaTrialRecord> | undefined;
  if (typeof r !== 'object' || r === null || typeof r.tag !== 'string' || typeof r.generation !== 'number' || !Array.isArray(r.x)) return null;
  return r as CmaTrialRecord;
}

/** A flat state as little-endian float64s in base64 (bit-exact, NaN and infinities included). */
function encodeState(state: Float64Array): string {
  const bytes = Buffer.alloc(state.length * 8);
  for (let i = 0; i < state.length; i++) bytes.writeDoubleLE(state[i] as number, i * 8);
  return bytes.toString('base64');
}

function decodeState(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float64Array(Math.floor(bytes.length / 8));
  for (let i = 0; i < out.length; i++) out[i] = bytes.readDoubleLE(i * 8);
  return out;
}
