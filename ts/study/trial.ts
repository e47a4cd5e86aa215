import { checkJsonValue, describeValue, TunekitError } from '../errors.js';
import { valueIn } from '../space.js';
import { sameDistribution, type DistributionCache } from './distributions.js';
import type { Pruner } from './pruners/pruner.js';
import type { Sampler, SamplerContext } from './samplers/sampler.js';
import type { AttrValue, Distribution, FrozenTrial, Storage, StudyDirection } from './types.js';
import { keyedRecord } from '../keyed.js';
import { checkConstraint } from './constraints.js';
import { checkKey } from './storage/common.js';

/** Thrown by an objective to end its trial as PRUNED (after `shouldPrune()` said so). */
export class TrialPruned extends Error {
  constructor(message = 'trial pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}

/** Options of {@link Trial.suggestFloat}. */
export interface SuggestFloatOptions {
  /** Sample on a log scale (needs low > 0). @default false */
  log?: boolean;
  /** Only values low + k·step. @default none */
  step?: number;
}

/** Options of {@link Trial.suggestInt}. */
export interface SuggestIntOptions {
  /** Sample on a log scale (needs low ≥ 1). @default false */
  log?: boolean;
  /** Only values low + k·step. @default 1 */
  step?: number;
}

/** What a live trial needs from its study. */
export interface TrialHost {
  storage: Storage;
  studyId: number;
  directions: readonly StudyDirection[];
  sampler: Sampler;
  pruner: Pruner;
  /** The study's trials, for the pruner (fetched on demand). */
  trials(): Promise<FrozenTrial[]>;
  /** Checked distributions by parameter name, shared by the study's trials. */
  distributions: DistributionCache;
}

/**
 * A RUNNING trial, as the objective sees it. `suggest*` are synchronous: the
 * value is decided at once (from the sampler's proposal for the relative
 * space, else an independent draw) and written to the storage in the
 * background; `report`, `shouldPrune` and the study's `tell` wait for those
 * writes, so nothing suggested is lost and write errors surface there.
 * Any non-empty string is a parameter name, `constructor` and `__proto__`
 * included: names are looked up as own keys only.
 */
export class Trial {
  private readonly host: TrialHost;
  private readonly frozen: FrozenTrial;
  /** What the sampler's independent draws see: the history as read at ask time (empty for samplers that do not read it). */
  private readonly context: SamplerContext;
  /** Values proposed for the relative space at ask time (own keys only are read). */
  private readonly relative: Record<string, unknown>;
  /** Parameters fixed before the trial started (enqueued or a grid point; own keys only are read). */
  private readonly fixed: Record<string, unknown>;
  private readonly suggested = new Map<string, unknown>();
  private readonly distributions = new Map<string, Distribution>();
  /** step → reported value (made at the first report). */
  private intermediate: Map<number, number> | undefined = undefined;
  /** Set by {@link Trial.end} when the study tells the trial's result. */
  private finished = false;
  /** The background parameter writes (none until the first suggest). */
  private writes: Promise<void> | undefined = undefined;
  private readonly unwritten: [string, unknown, Distribution][] = [];
  private failedWrite: Error | undefined = undefined;
  /** Set once a write was refused because another worker reaped this trial. */
  private reaped = false;
  /** Constraint values set so far (made at the first one). */
  private constraintValues: Record<string, number> | undefined = undefined;

  constructor(host: TrialHost, context: SamplerContext, relative: Record<string, unknown>, fixed: Record<string, unknown>) {
    this.host = host;
    this.frozen = context.trial;
    this.context = context;
    this.relative = relative;
    this.fixed = fixed;
  }

  /** 0, 1, 2, … within the study. */
  get number(): number {
    return this.frozen.number;
  }

  /** Storage id. */
  get id(): number {
    return this.frozen.id;
  }

  /** The parameters suggested so far (and any fixed ones), by name (a keyed record: every own key is a parameter). */
  get params(): Record<string, unknown> {
    const out = Object.assign(keyedRecord<unknown>(), this.fixed);
    for (const [name, value] of this.suggested) out[name] = value;
    return out;
  }

  /**
   * Marks the trial finished: `suggest*` throw `TRIAL_FINISHED` from now on.
   * @internal called by `Study.tell`
   */
  end(): void {
    this.finished = true;
  }

  /**
   * Whether this trial was asked from the study `studyId` of `storage`.
   * @internal used by `Study.tell` to refuse another study's trial
   */
  belongsTo(storage: Storage, studyId: number): boolean {
    return this.host.storage === storage && this.host.studyId === studyId;
  }

  /** A float in [low, high]. */
  suggestFloat(name: string, low: number, high: number, options: SuggestFloatOptions = {}): number {
    const log = options.log ?? false;
    const d: Distribution = options.step === undefined ? { type: 'float', low, high, log } : { type: 'float', low, high, log, step: options.step };
    return this.suggest(name, d) as number;
  }

  /** An integer in [low, high]. */
  suggestInt(name: string, low: number, high: number, options: SuggestIntOptions = {}): number {
    return this.suggest(name, { type: 'int', low, high, log: options.log ?? false, step: options.step ?? 1 }) as number;
  }

  /** One of `choices` (strings, finite numbers, booleans or null). */
  suggestCategorical<T extends string | number | boolean | null>(name: string, choices: readonly T[]): T {
    return this.suggest(name, { type: 'categorical', choices: [...choices] }) as T;
  }

  /** A parameter from a spec of the shared space format (`{ type: 'float', low, high, log?, step? }`, …). */
  suggest(name: string, raw: Distribution): unknown {
    if (typeof name !== 'string' || name === '') throw new TunekitError('INVALID_PARAMETER', `a parameter name must be a non-empty string, got ${describeValue(name)}`);
    if (this.finished) throw new TunekitError('TRIAL_FINISHED', `trial ${this.number} is finished: cannot suggest ${JSON.stringify(name)} after its result was told`);
    const d = this.host.distributions.check(name, raw, () => `trial ${this.number}: parameter ${JSON.stringify(name)}`);
    const prev = this.distributions.get(name);
    if (prev !== undefined) {
      if (!sameDistribution(prev, d)) {
        throw new TunekitError('INVALID_PARAMETER', `trial ${this.number}: parameter ${JSON.stringify(name)} was suggested with ${describeValue(prev)}, now with ${describeValue(d)}`);
      }
      return this.suggested.get(name);
    }
    let value: unknown;
    if (Object.hasOwn(this.fixed, name)) {
      value = this.fixed[name];
      if (!valueIn(d, value)) {
        throw new TunekitError('INVALID_PARAMETER', `trial ${this.number}: the fixed value ${describeValue(value)} of ${JSON.stringify(name)} is not in ${describeValue(d)}`);
      }
    } else if (Object.hasOwn(this.relative, name) && valueIn(d, this.relative[name])) {
      value = this.relative[name];
    } else {
      value = this.host.sampler.sampleIndependent(this.context, name, d);
    }
    this.suggested.set(name, value);
    this.distributions.set(name, d);
    this.unwritten.push([name, value, d]);
    if (this.unwritten.length === 1) {
      // One write for every parameter suggested before the next await.
      this.writes = (this.writes ?? Promise.resolve())
        .then(() => {
          const batch = this.unwritten.splice(0);
          const params: Record<string, unknown> = keyedRecord<unknown>();
          const distributions: Record<string, Distribution> = keyedRecord<Distribution>();
          for (const [n, v, dist] of batch) {
            params[n] = v;
            distributions[n] = dist;
          }
          return this.host.storage.setTrialParams(this.frozen.id, params, distributions);
        })
        .catch((err: unknown) => {
          this.failedWrite ??= err instanceof Error ? err : new Error(String(err));
        });
    }
    return value;
  }

  /**
   * Waits for the background writes; throws the first that failed, unless the
   * storage refused it because another worker reaped this trial (then the
   * study's `tell` keeps the result as a late note).
   */
  async flush(): Promise<void> {
    if (this.writes !== undefined) await this.writes;
    if (this.failedWrite !== undefined && !(await this.wasReaped(this.failedWrite))) throw this.failedWrite;
  }

  /** Whether `err` is the storage's refusal of a write because another worker reaped this trial (its heartbeat was missed). */
  private async wasReaped(err: unknown): Promise<boolean> {
    if (this.reaped) return true;
    if (!(err instanceof TunekitError && err.code === 'TRIAL_FINISHED')) return false;
    this.reaped = (await this.host.storage.getTrial(this.frozen.id).catch(() => undefined))?.systemAttrs['reaped'] === true;
    return this.reaped;
  }

  /**
   * Records an intermediate value (for pruners); a step reported twice keeps
   * the last value. On a trial another worker reaped, the value is kept here
   * only (for the late result) and `shouldPrune` says stop.
   */
  async report(value: number, step: number): Promise<void> {
    if (typeof value !== 'number') throw new TunekitError('INVALID_PARAMETER', `trial ${this.number}: report value must be a number, got ${describeValue(value)}`);
    if (!Number.isSafeInteger(step) || step < 0) throw new TunekitError('INVALID_PARAMETER', `trial ${this.number}: step must be an integer ≥ 0, got ${describeValue(step)}`);
    await this.flush();
    (this.intermediate ??= new Map()).set(step, value);
    if (this.reaped) return;
    try {
      await this.host.storage.setTrialIntermediateValue(this.frozen.id, step, value);
    } catch (err) {
      if (!(await this.wasReaped(err))) throw err;
    }
  }

  /**
   * Whether the study's pruner says to stop this trial now (then throw `new
   * TrialPruned()`). Also true once another worker has reaped this trial (it
   * missed its heartbeats: the study failed it and re-queued it under its
   * retry policy), since its result can only be kept as a note.
   */
  async shouldPrune(): Promise<boolean> {
    await this.flush();
    if (this.reaped) return true;
    if (this.host.directions.length !== 1) return false;
    const trials = await this.host.trials();
    const me = trials.find((t) => t.id === this.frozen.id) ?? { ...this.frozen, intermediateValues: Object.fromEntries(this.intermediate ?? []) };
    return this.host.pruner.prune({ trial: me, trials, direction: this.host.directions[0] as StudyDirection });
  }

  /**
   * A user attribute of this trial (JSON-compatible: a BigInt, function or
   * symbol anywhere in `value` is refused with INVALID_PARAMETER before anything is written).
   */
  async setUserAttr(key: string, value: AttrValue): Promise<void> {
    checkJsonValue(value, `trial ${this.number}: user attribute ${JSON.stringify(key)}`, key);
    await this.flush();
    await this.host.storage.setTrialAttr(this.frozen.id, 'user', key, value);
  }

  /**
   * Sets one constraint of this trial: feasible when every value is ≤ 0 (as
   * Optuna's `set_constraint`). A finite number; a name set twice keeps the
   * last value. Kept here and stored with the trial's end (same transaction)
   * when it is COMPLETE or PRUNED; every constrained trial of a study gives
   * the same names (checked by `tell`, `INVALID_CONSTRAINTS`).
   */
  setConstraint(name: string, value: number): void {
    checkKey('a constraint name', name);
    if (this.finished) throw new TunekitError('TRIAL_FINISHED', `trial ${this.number} is finished: cannot set constraint ${JSON.stringify(name)} after its result was told`);
    (this.constraintValues ??= keyedRecord<number>())[name] = checkConstraint(`trial ${this.number}`, name, value);
  }

  /** The constraint values set so far, by name (a copy; empty if none). */
  get constraints(): Record<string, number> {
    return Object.assign(keyedRecord<number>(), this.constraintValues ?? {});
  }

  /** The last reported step and value, if any (what a PRUNED trial keeps as its value). */
  lastReport(): { step: number; value: number } | undefined {
    if (this.intermediate === undefined || this.intermediate.size === 0) return undefined;
    const step = Math.max(...this.intermediate.keys());
    return { step, value: this.intermediate.get(step) as number };
  }
}
