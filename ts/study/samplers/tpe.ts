import { describeValue, TunekitError } from '../../errors.js';
import { guard, native } from '../../native.js';
import { resolveSeed } from '../../seed.js';
import { valueIn, type SearchSpace } from '../../space.js';
import { toValue } from '../distributions.js';
import { streamKey } from '../rng.js';
import type { Distribution, FrozenTrial, TransferSource } from '../types.js';
import { warmStartParams } from '../transfer.js';
import { defaultRelativeSpace } from './intersection.js';
import { independentDraw } from './random.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { isFixed, plannedParams, searchable, searchSpaceOf } from './space_of.js';
import { keyedRecord } from '../../keyed.js';
import { totalViolation } from '../constraints.js';

/** Options of {@link TPESampler} (Optuna's defaults). */
export interface TPESamplerOptions {
  /** @default a random seed */
  seed?: number;
  /** COMPLETE and PRUNED trials drawn at random before the estimators take over. @default 10 */
  nStartupTrials?: number;
  /** Candidates drawn from the good trials' estimator per proposal. @default 24 */
  nEiCandidates?: number;
  /**
   * Model the relative space jointly (one Parzen estimator over all its
   * parameters) instead of each parameter on its own.
   * @default true with one objective, false with several (as Optuna)
   */
  multivariate?: boolean;
  /**
   * For conditional spaces (parameters that appear only in some trials):
   * split the parameters into groups that always appear together and model
   * each group jointly. Implies `multivariate`. @default false
   */
  group?: boolean;
  /**
   * Count other RUNNING trials (their planned points) among the bad ones, so
   * parallel workers spread out instead of proposing the same point. @default false
   */
  constantLiar?: boolean;
  /** Weight of the prior component of each estimator. @default 1 */
  priorWeight?: number;
  /** Count the range's ends as neighbours of the lowest and highest observation when setting their bandwidths (Optuna's `consider_endpoints`). @default false (the core's) */
  considerEndpoints?: boolean;
  /** Clip bandwidths below at range / min(100, kernels + 1) (Optuna's `consider_magic_clip`). @default true (the core's) */
  considerMagicClip?: boolean;
  /**
   * Learn where trials fail: FAIL trials join the bad ("above") trials, after
   * every finished one (as infeasible with an infinite violation), so the
   * good estimator's candidates that resemble them score low. @default true
   */
  failureAware?: boolean;
}

/** Outcome codes of the native `tpePropose` history (crates/tunekit-node/src/tpe.rs). */
const OUTCOME = { complete: 0, pruned: 1, running: 2, infeasible: 3 } as const;

/**
 * The tree-structured Parzen estimator (Bergstra et al., NeurIPS 2011) with
 * Optuna 5's components, computed in Rust: the finished trials are split
 * into the best γ(n) = min(⌈n/10⌉, 25) and the rest (PRUNED trials by how
 * far they got, several objectives by non-domination and hypervolume: MOTPE);
 * a Parzen estimator is fitted to each; of 24 candidates drawn from the good
 * one, the one with the best density ratio is proposed. Multivariate TPE (the
 * default with one objective) proposes the intersection space jointly;
 * `group` models conditional spaces by groups of parameters that appear
 * together; other parameters are proposed one at a time from the trials that
 * have them. Stateless: each proposal is a function of the history and the
 * seed, so any worker can make it.
 */
export class TPESampler implements Sampler {
  readonly usesHistory = true;
  readonly seed: number;
  private readonly nStartup: number;
  private readonly nCandidates: number;
  private readonly multivariate: boolean | undefined;
  private readonly group: boolean;
  private readonly constantLiar: boolean;
  private readonly priorWeight: number;
  private readonly failureAware: boolean;
  private readonly bandwidth: { considerEndpoints?: boolean; considerMagicClip?: boolean };
  /** The groups of the last history seen (inferRelativeSpace and sampleRelative of one ask share its list). */
  private lastGroups: { trials: readonly FrozenTrial[]; groups: Record<string, Distribution>[] } | undefined;
  /**
   * Encoded rows of finished trials, per space signature: a finished trial's
   * parameters never change, and the study's history hands back the same
   * trial objects from one ask to the next, so each row is encoded once.
   */
  private readonly rows = new Map<string, RowCache>();

  constructor(options: TPESamplerOptions = {}) {
    this.seed = resolveSeed(options.seed, 'TPESampler: seed');
    const int = (v: number | undefined, fallback: number, min: number, name: string): number => {
      const x = v ?? fallback;
      if (!Number.isSafeInteger(x) || x < min) throw new TunekitError('INVALID_PARAMETER', `TPESampler: ${name} must be an integer ≥ ${min}, got ${describeValue(x)}`);
      return x;
    };
    this.nStartup = int(options.nStartupTrials, 10, 0, 'nStartupTrials');
    this.nCandidates = int(options.nEiCandidates, 24, 1, 'nEiCandidates');
    this.group = options.group ?? false;
    if (this.group && options.multivariate === false) throw new TunekitError('INVALID_PARAMETER', 'TPESampler: group needs multivariate (it models each group jointly)');
    this.multivariate = this.group ? true : options.multivariate;
    this.constantLiar = options.constantLiar ?? false;
    this.priorWeight = options.priorWeight ?? 1;
    if (!(Number.isFinite(this.priorWeight) && this.priorWeight > 0)) {
      throw new TunekitError('INVALID_PARAMETER', `TPESampler: priorWeight must be a positive number, got ${describeValue(this.priorWeight)}`);
    }
    this.failureAware = options.failureAware ?? true;
    const flags = {
      multivariate: options.multivariate,
      group: options.group,
      constantLiar: options.constantLiar,
      failureAware: options.failureAware,
      considerEndpoints: options.considerEndpoints,
      considerMagicClip: options.considerMagicClip,
    };
    for (const [name, v] of Object.entries(flags)) {
      if (v !== undefined && typeof v !== 'boolean') throw new TunekitError('INVALID_PARAMETER', `TPESampler: ${name} must be true or false, got ${describeValue(v)}`);
    }
    this.bandwidth = {};
    if (options.considerEndpoints !== undefined) this.bandwidth.considerEndpoints = options.considerEndpoints;
    if (options.considerMagicClip !== undefined) this.bandwidth.considerMagicClip = options.considerMagicClip;
  }

  private isMultivariate(ctx: SamplerContext): boolean {
    return this.multivariate ?? ctx.directions.length === 1;
  }

  /** Multivariate: the intersection space (or, with `group`, every group's parameters); independent: none. */
  inferRelativeSpace(ctx: SamplerContext): Record<string, Distribution> {
    if (!this.isMultivariate(ctx)) return {};
    if (!this.group) return searchable(defaultRelativeSpace(ctx));
    const out = keyedRecord<Distribution>();
    for (const g of this.groups(ctx)) for (const name of Object.keys(g).sort()) if (!isFixed(g[name] as Distribution)) out[name] = g[name] as Distribution;
    return out;
  }

  async sampleRelative(ctx: SamplerContext, space: Record<string, Distribution>): Promise<Record<string, unknown>> {
    if (this.finished(ctx) < this.nStartup) {
      const warm = warmPoint(ctx);
      if (warm === undefined) return {};
      const out = keyedRecord<unknown>();
      for (const [n, d] of Object.entries(space)) if (Object.hasOwn(warm, n) && valueIn(d, warm[n])) out[n] = warm[n];
      return out;
    }
    const parts = this.group
      ? this.groups(ctx)
          .map((g) =>
            Object.fromEntries(
              Object.keys(g)
                .sort()
                .filter((n) => Object.hasOwn(space, n))
                .map((n) => [n, space[n] as Distribution]),
            ),
          )
          .filter((g) => Object.keys(g).length > 0)
      : [space];
    const out = keyedRecord<unknown>();
    for (const [k, part] of parts.entries()) {
      const cache = this.rowCache(part);
      const s = cache.searchSpace(part);
      const point = await guard(() => native.tpePropose(this.request(ctx, part, cache, s.native, (this.seed + ctx.trial.number * 7919 + k) >>> 0)));
      Object.assign(out, s.fromValues(point));
    }
    return out;
  }

  sampleIndependent(ctx: SamplerContext, name: string, d: Distribution): unknown {
    if (this.finished(ctx) < this.nStartup || isFixed(d)) {
      const warm = isFixed(d) ? undefined : warmPoint(ctx);
      if (warm !== undefined && Object.hasOwn(warm, name) && valueIn(d, warm[name])) return warm[name];
      return independentDraw(this.seed, ctx.trial.number, name, d);
    }
    const part = { [name]: d };
    const cache = this.rowCache(part);
    const s = cache.searchSpace(part);
    const point = guard(() => native.tpeProposeSync(this.request(ctx, part, cache, s.native, streamKey(this.seed, ctx.trial.number, name))));
    return s.fromValues(point)[name];
  }

  private groups(ctx: SamplerContext): Record<string, Distribution>[] {
    if (this.lastGroups?.trials !== ctx.trials) this.lastGroups = { trials: ctx.trials, groups: groupsOf(ctx.trials) };
    return this.lastGroups.groups;
  }

  /** COMPLETE and PRUNED trials of the history (and FAIL ones with `failureAware`: they are observations too). */
  private finished(ctx: SamplerContext): number {
    let n = 0;
    for (const t of ctx.trials) if (t.state === 'COMPLETE' || t.state === 'PRUNED' || (this.failureAware && t.state === 'FAIL')) n++;
    return n;
  }

  /** The history of a proposal over `space`, as the native call takes it. */
  private request(ctx: SamplerContext, space: Record<string, Distribution>, cache: RowCache, nativeSpace: SearchSpace['native'], seed: number) {
    const names = Object.keys(space);
    const m = ctx.directions.length;
    const h = cache.history(names.length, m);
    let n = 0;
    for (const t of ctx.trials) {
      if (!(
        t.state === 'COMPLETE' ||
        t.state === 'PRUNED' ||
        (this.failureAware && t.state === 'FAIL' && Object.keys(t.params).length > 0) ||
        (this.constantLiar && t.state === 'RUNNING' && t.id !== ctx.trial.id)
      ))
        continue;
      // The rows of the last request stay while its trials come back unchanged (the same snapshot objects).
      if (!(n < h.count && h.trials[n] === t && t.state !== 'RUNNING')) h.write(n, t, cache.row(space, names, t));
      n++;
    }
    h.count = n;
    h.trials.length = n;
    // Copies: the native call may still read them when the next ask rewrites the buffers.
    return {
      space: nativeSpace,
      points: h.points.slice(0, n * names.length),
      outcomes: h.outcomes.slice(0, n),
      values: h.values.slice(0, n * m),
      extra: h.extra.slice(0, n),
      directions: [...ctx.directions],
      seed,
      nCandidates: this.nCandidates,
      priorWeight: this.priorWeight,
      ...this.bandwidth,
    };
  }

  /** The row cache of one space (at most {@link ROW_CACHE_SPACES} spaces are kept). */
  private rowCache(space: Record<string, Distribution>): RowCache {
    const key = Object.keys(space)
      .map((n) => `${n}\u0000${signature(space[n] as Distribution)}`)
      .join('\u0001');
    let rows = this.rows.get(key);
    if (rows === undefined) {
      if (this.rows.size >= ROW_CACHE_SPACES) this.rows.clear();
      rows = new RowCache();
      this.rows.set(key, rows);
    }
    return rows;
  }
}

/**
 * One space's encoded trials: each finished trial's row (its parameters never
 * change), and the arrays of the last request, whose leading trials the next
 * request reuses while the history hands back the same trial objects.
 */
class RowCache {
  private readonly rows = new WeakMap<FrozenTrial, Float64Array>();
  private last: HistoryArrays | undefined = undefined;
  private space: SearchSpace | undefined = undefined;

  /** The space as a SearchSpace (made once: every space with this cache's key gives the same one). */
  searchSpace(space: Record<string, Distribution>): SearchSpace {
    return (this.space ??= searchSpaceOf(space));
  }

  /** The trial's row (encoded once if it is finished; a RUNNING trial's planned parameters every time). */
  row(space: Record<string, Distribution>, names: readonly string[], t: FrozenTrial): Float64Array {
    if (t.state === 'RUNNING') return encodeRow(space, names, plannedParams(t));
    let row = this.rows.get(t);
    if (row === undefined) {
      row = encodeRow(space, names, t.params);
      this.rows.set(t, row);
    }
    return row;
  }

  /** The arrays of the last request, or new ones if the number of objectives changed. */
  history(d: number, m: number): HistoryArrays {
    if (this.last === undefined || this.last.m !== m) this.last = new HistoryArrays(d, m);
    return this.last;
  }
}

/** Growable arrays of a proposal's history: row i is `trials[i]`. */
class HistoryArrays {
  readonly trials: FrozenTrial[] = [];
  count = 0;
  points: Float64Array;
  outcomes: Uint8Array;
  values: Float64Array;
  extra: Float64Array;
  private capacity = 64;

  constructor(
    readonly d: number,
    readonly m: number,
  ) {
    this.points = new Float64Array(this.capacity * d);
    this.outcomes = new Uint8Array(this.capacity);
    this.values = new Float64Array(this.capacity * m);
    this.extra = new Float64Array(this.capacity);
  }

  /** Sets row `i` to trial `t` with its encoded parameters `row`. */
  write(i: number, t: FrozenTrial, row: Float64Array): void {
    if (i >= this.capacity) this.grow(2 * i + 1);
    const { d, m } = this;
    this.trials[i] = t;
    this.points.set(row, i * d);
    this.values.fill(NaN, i * m, (i + 1) * m);
    this.extra[i] = NaN;
    const violation = t.state === 'COMPLETE' || t.state === 'PRUNED' ? totalViolation(t) : 0;
    if (t.state === 'FAIL') {
      this.outcomes[i] = OUTCOME.infeasible;
      this.extra[i] = Infinity;
    } else if (violation > 0) {
      // Optuna's constrained TPE: infeasible trials rank after every feasible one, by total violation.
      this.outcomes[i] = OUTCOME.infeasible;
      this.extra[i] = violation;
    } else if (t.state === 'COMPLETE') {
      this.outcomes[i] = OUTCOME.complete;
      this.values.set(t.values as number[], i * m);
    } else if (t.state === 'PRUNED') {
      this.outcomes[i] = OUTCOME.pruned;
      const steps = Object.keys(t.intermediateValues).map(Number);
      if (steps.length > 0) {
        const last = Math.max(...steps);
        this.extra[i] = last;
        this.values[i * m] = t.intermediateValues[last] as number;
      }
    } else this.outcomes[i] = OUTCOME.running;
  }

  private grow(capacity: number): void {
    const widen = <T extends Float64Array | Uint8Array>(old: T, make: (length: number) => T, width: number): T => {
      const out = make(capacity * width);
      out.set(old);
      return out;
    };
    this.points = widen(this.points, (k) => new Float64Array(k), this.d);
    this.outcomes = widen(this.outcomes, (k) => new Uint8Array(k), 1);
    this.values = widen(this.values, (k) => new Float64Array(k), this.m);
    this.extra = widen(this.extra, (k) => new Float64Array(k), 1);
    this.capacity = capacity;
  }
}

/** Spaces whose encoded rows a TPESampler keeps (a conditional study asks over a few). */
const ROW_CACHE_SPACES = 64;

/** One trial's parameters in the native encoding of `space` (NaN: absent or outside the distribution). */
function encodeRow(space: Record<string, Distribution>, names: readonly string[], params: Record<string, unknown>): Float64Array {
  const row = new Float64Array(names.length);
  names.forEach((name, j) => {
    const d = space[name] as Distribution;
    const v = Object.hasOwn(params, name) ? params[name] : undefined;
    row[j] = v !== undefined && valueIn(d, v) ? toValue(d, v) : NaN;
  });
  return row;
}

/** A distribution as a string that differs whenever the encoding of some value would. */
function signature(d: Distribution): string {
  if (d.type === 'categorical') return `c${d.choices.map((c) => `\u0002${typeof c}:${String(c)}`).join('')}`;
  return JSON.stringify(d);
}

/**
 * The groups of parameters that always appear together (Optuna's group
 * decomposition): each finished trial's parameters split every group into
 * the part it has and the part it lacks, and its new parameters form a new
 * group. A parameter keeps the distribution it was first seen with.
 */
export function groupsOf(trials: readonly FrozenTrial[]): Record<string, Distribution>[] {
  let groups: Record<string, Distribution>[] = [];
  for (const t of trials) {
    if (t.state !== 'COMPLETE' && t.state !== 'PRUNED') continue;
    const rest = new Set(Object.keys(t.distributions));
    const next: Record<string, Distribution>[] = [];
    for (const g of groups) {
      const inside = keyedRecord<Distribution>();
      const outside = keyedRecord<Distribution>();
      for (const name of Object.keys(g)) (rest.has(name) ? inside : outside)[name] = g[name] as Distribution;
      next.push(inside, outside);
      for (const name of Object.keys(g)) rest.delete(name);
    }
    const fresh = keyedRecord<Distribution>();
    for (const name of rest) fresh[name] = t.distributions[name] as Distribution;
    next.push(fresh);
    groups = next.filter((g) => Object.keys(g).length > 0);
  }
  return groups;
}

/**
 * With transfer (`createStudy({ transferFrom })`), the startup trial number
 * k takes the k-th warm-start point (the old studies' best trials,
 * interleaved: {@link warmStartParams}) while there is one: its parameters
 * that are valid here are used, the others drawn as usual.
 */
function warmPoint(ctx: SamplerContext): Record<string, unknown> | undefined {
  if (ctx.transfer === undefined || ctx.transfer.length === 0) return undefined;
  let cached = WARM.get(ctx.transfer);
  if (cached === undefined) WARM.set(ctx.transfer, (cached = warmStartParams(ctx.transfer)));
  return cached[ctx.trial.number];
}

const WARM = new WeakMap<readonly TransferSource[], Record<string, unknown>[]>();
