import { TunekitError } from '../errors.js';
import { checkDistribution, contains, sameDistribution } from './distributions.js';
import type { Pruner } from './pruners/pruner.js';
import type { Sampler, SamplerContext } from './samplers/sampler.js';
import type { AttrValue, Distribution, FrozenTrial, Storage, StudyDirection } from './types.js';

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
}

/**
 * A RUNNING trial, as the objective sees it. `suggest*` are synchronous: the
 * value is decided at once (from the sampler's proposal for the relative
 * space, else an independent draw) and written to the storage in the
 * background; `report`, `shouldPrune` and the study's `tell` wait for those
 * writes, so nothing suggested is lost and write errors surface there.
 */
export class Trial {
  private readonly host: TrialHost;
  private readonly frozen: FrozenTrial;
  /** Values proposed for the relative space at ask time. */
  private readonly relative: Record<string, unknown>;
  /** Parameters fixed before the trial started (enqueued or a grid point). */
  private readonly fixed: Record<string, unknown>;
  private readonly suggested: Record<string, unknown> = {};
  private readonly distributions: Record<string, Distribution> = {};
  private readonly intermediate: Record<number, number> = {};
  private writes: Promise<void> = Promise.resolve();
  private readonly unwritten: [string, unknown, Distribution][] = [];
  private failedWrite: unknown = undefined;

  constructor(host: TrialHost, frozen: FrozenTrial, relative: Record<string, unknown>, fixed: Record<string, unknown>) {
    this.host = host;
    this.frozen = frozen;
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

  /** The parameters suggested so far (and any fixed ones), by name. */
  get params(): Record<string, unknown> {
    return { ...this.fixed, ...this.suggested };
  }

  /** A float in [low, high]. */
  suggestFloat(name: string, low: number, high: number, options: SuggestFloatOptions = {}): number {
    const d: Distribution = { type: 'float', low, high, log: options.log ?? false, ...(options.step === undefined ? {} : { step: options.step }) };
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
    if (typeof name !== 'string' || name === '') throw new TunekitError('INVALID_PARAMETER', `a parameter name must be a non-empty string, got ${JSON.stringify(name)}`);
    const d = checkDistribution(raw, `trial ${this.number}: parameter ${JSON.stringify(name)}`);
    if (name in this.suggested) {
      const prev = this.distributions[name] as Distribution;
      if (!sameDistribution(prev, d)) {
        throw new TunekitError('INVALID_PARAMETER', `trial ${this.number}: parameter ${JSON.stringify(name)} was suggested with ${JSON.stringify(prev)}, now with ${JSON.stringify(d)}`);
      }
      return this.suggested[name];
    }
    let value: unknown;
    if (name in this.fixed) {
      value = this.fixed[name];
      if (!contains(d, value)) {
        throw new TunekitError('INVALID_PARAMETER', `trial ${this.number}: the fixed value ${JSON.stringify(value)} of ${JSON.stringify(name)} is not in ${JSON.stringify(d)}`);
      }
    } else if (name in this.relative && contains(d, this.relative[name])) {
      value = this.relative[name];
    } else {
      const ctx: SamplerContext = { storage: this.host.storage, studyId: this.host.studyId, directions: this.host.directions, trials: [], trial: this.frozen };
      value = this.host.sampler.sampleIndependent(ctx, name, d);
    }
    this.suggested[name] = value;
    this.distributions[name] = d;
    this.unwritten.push([name, value, d]);
    if (this.unwritten.length === 1) {
      // One write for every parameter suggested before the next await.
      this.writes = this.writes
        .then(() => {
          const batch = this.unwritten.splice(0);
          return this.host.storage.setTrialParams(
            this.frozen.id,
            Object.fromEntries(batch.map(([n, v]) => [n, v])),
            Object.fromEntries(batch.map(([n, , dist]) => [n, dist])),
          );
        })
        .catch((err: unknown) => {
          this.failedWrite ??= err;
        });
    }
    return value;
  }

  /** Waits for the background writes; throws the first that failed. */
  async flush(): Promise<void> {
    await this.writes;
    if (this.failedWrite !== undefined) throw this.failedWrite;
  }

  /** Records an intermediate value (for pruners); a step reported twice keeps the last value. */
  async report(value: number, step: number): Promise<void> {
    if (typeof value !== 'number') throw new TunekitError('INVALID_PARAMETER', `trial ${this.number}: report value must be a number, got ${JSON.stringify(value)}`);
    if (!Number.isSafeInteger(step) || step < 0) throw new TunekitError('INVALID_PARAMETER', `trial ${this.number}: step must be an integer ≥ 0, got ${step}`);
    await this.flush();
    this.intermediate[step] = value;
    await this.host.storage.setTrialIntermediateValue(this.frozen.id, step, value);
  }

  /** Whether the study's pruner says to stop this trial now (then throw `new TrialPruned()`). */
  async shouldPrune(): Promise<boolean> {
    await this.flush();
    if (this.host.directions.length !== 1) return false;
    const trials = await this.host.trials();
    const me = trials.find((t) => t.id === this.frozen.id) ?? { ...this.frozen, intermediateValues: { ...this.intermediate } };
    return this.host.pruner.prune({ trial: me, trials, direction: this.host.directions[0] as StudyDirection });
  }

  /** A user attribute of this trial (JSON-compatible). */
  async setUserAttr(key: string, value: AttrValue): Promise<void> {
    await this.flush();
    await this.host.storage.setTrialAttr(this.frozen.id, 'user', key, value);
  }

  /** The last reported step and value, if any (what a PRUNED trial keeps as its value). */
  lastReport(): { step: number; value: number } | undefined {
    const steps = Object.keys(this.intermediate).map(Number);
    if (steps.length === 0) return undefined;
    const step = Math.max(...steps);
    return { step, value: this.intermediate[step] as number };
  }
}
