import { checkJsonValue, describeValue, TunekitError } from '../errors.js';
import { enumList, guard, isEnumValue, native } from '../native.js';
import type { SpaceSpec } from '../space.js';
import { DistributionCache, distributionOf } from './distributions.js';
import { heartbeats } from './heartbeat.js';
import { TrialHistory } from './history.js';
import { rowsOf, toCsv, type ExportRow } from './export.js';
import { MedianPruner } from './pruners/median.js';
import type { Pruner } from './pruners/pruner.js';
import { AutoSampler } from './samplers/auto.js';
import type { Reservation, Sampler, SamplerContext } from './samplers/sampler.js';
import { checkKey } from './storage/common.js';
import { openStorage, type StorageSpec } from './storage/index.js';
import { Trial, TrialPruned } from './trial.js';
import type { AttrValue, Distribution, FrozenTrial, StartGuard, Storage, StudyDirection, StudyRecord, StudySummary, TransferSource, TrialState } from './types.js';
import { resolveTransfer, type TransferFrom, type TransferOptions } from './transfer.js';
import { keyedRecord } from '../keyed.js';
import { checkStudyNames, constraintRecord, CONSTRAINTS_ATTR, isFeasible, type ConstraintValues } from './constraints.js';

/** Options shared by {@link createStudy} and {@link loadStudy}. */
export interface StudyOptions {
  /** Where the study lives: `memory`, `sqlite:file.db`, `postgres://…`, or a Storage. @default 'memory' */
  storage?: StorageSpec;
  /** @default AutoSampler (GP, TPE, CMA-ES or NSGA-II by the study's space, objectives and size) */
  sampler?: Sampler;
  /** @default MedianPruner with its defaults */
  pruner?: Pruner;
  /** A declared space (shared format): every trial gets all of it at ask time, proposed jointly. @default define-by-run */
  space?: SpaceSpec;
  /**
   * Seconds between heartbeats of a running trial. With heartbeats on, a
   * RUNNING trial whose worker stopped beating for `gracePeriod` is marked
   * FAIL by the next worker that asks. Beats are written from a worker
   * thread (SQLite, PostgreSQL), so an objective that blocks the event loop
   * does not stop them. @default off
   */
  heartbeatInterval?: number;
  /** Seconds without a heartbeat before a trial counts as dead. @default 2 × heartbeatInterval */
  gracePeriod?: number;
  /** A trial failed by a missed heartbeat is re-queued (same parameters) up to this many times. @default 0 */
  maxRetries?: number;
  /**
   * Old studies of a related task to transfer from: names in this study's
   * storage, or study objects (of any storage). Their COMPLETE trials are
   * read when the study object is made. The GP sampler uses them as RGPE
   * base models, TPE and CMA-ES warm-start from their best trials (see
   * docs/transfer.md). Each must have one objective with this study's
   * direction. @default none
   */
  transferFrom?: readonly TransferFrom[];
  /** Options of the transfer (with `transferFrom`). @default { maxTrialsPerStudy: 200, warmStartGamma: 0.1 } */
  transfer?: TransferOptions;
}

/** Options of {@link createStudy}. */
export interface CreateStudyOptions extends StudyOptions {
  /** @default a generated unique name */
  name?: string;
  /** One objective's direction. @default 'minimize' */
  direction?: StudyDirection;
  /** Several objectives' directions (instead of `direction`). */
  directions?: readonly StudyDirection[];
  /** Continue the stored study of that name if there is one (its directions must match). @default false */
  loadIfExists?: boolean;
}

/** Options of {@link Study.optimize}. */
export interface OptimizeOptions {
  /** Trials to run in this call. @default until timeout (or the sampler is exhausted) */
  nTrials?: number;
  /**
   * The study's total: no trial starts once the study has this many started
   * trials (RUNNING, COMPLETE, PRUNED or FAIL), counting every worker and
   * process; each start checks it in the storage's transaction, so the study
   * never exceeds it. @default no cap
   */
  maxTrials?: number;
  /** Seconds after which no new trial starts. @default none */
  timeout?: number;
  /** Objectives running at once. @default 1 */
  concurrency?: number;
  /** Error classes that fail the trial but let the study go on. @default none: an error stops optimize and is rethrown */
  catch?: readonly (abstract new (...args: never[]) => unknown)[];
  /** Called after each finished trial; `study.stop()` inside ends the run. */
  callbacks?: readonly ((study: Study, trial: FrozenTrial) => void | Promise<void>)[];
}

/** What an objective may return. */
export type ObjectiveResult = number | readonly number[];
export type Objective = (trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>;

/** Options of {@link Study.ask}. */
export interface AskOptions {
  /** Parameters proposed now and given to the trial (shared space format). @default the study's declared space, if any */
  space?: SpaceSpec;
  /** Refuse to start a trial (`TRIAL_LIMIT`) when the study already has this many started trials. @default no cap */
  maxTrials?: number;
}

/** What `tell` records: a value (or one per objective), or a final state. */
export type TellResult = number | readonly number[] | { state: 'PRUNED' | 'FAIL'; reason?: string };

/** Options of {@link Study.tell}. */
export interface TellOptions {
  /**
   * The trial's constraint values (feasible when every one is ≤ 0), in order
   * (named `"0"`, `"1"`, …) or by name; merged over those set with
   * `trial.setConstraint` (these win). Stored with a COMPLETE or PRUNED end.
   * @default the values set with `trial.setConstraint`, if any
   */
  constraints?: ConstraintValues;
}

function positive(v: number | undefined, name: string, integer: boolean): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new TunekitError('INVALID_PARAMETER', `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${v}`);
  }
}

function checkDirections(dirs: readonly unknown[]): StudyDirection[] {
  if (dirs.length === 0) throw new TunekitError('INVALID_PARAMETER', 'directions: give at least one direction');
  return dirs.map((d, i) => {
    if (!isEnumValue('Direction', d)) throw new TunekitError('INVALID_PARAMETER', `directions[${i}]: expected ${enumList('Direction')}, got ${describeValue(d)}`);
    return d;
  });
}

function checkName(name: unknown): string {
  return checkKey('a study name', name);
}

/** A mutex: one ask at a time per study object, so concurrent objectives see each other's pending points. */
class Lock {
  private busy = false;
  private readonly waiting: (() => void)[] = [];

  /** Takes the lock: null when it was free (the usual case: nothing to wait for), else a promise of the turn. */
  acquire(): Promise<void> | null {
    if (!this.busy) {
      this.busy = true;
      return null;
    }
    return new Promise<void>((r) => this.waiting.push(r));
  }

  /** Hands the lock to the next waiter (it stays busy), or frees it. */
  release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.busy = false;
    else next();
  }
}

const NO_GUARD: StartGuard = Object.freeze({});
/** No fixed or relative parameters (a trial only reads these records). */
const NONE: Record<string, unknown> = Object.freeze({});
/** The history given to samplers that do not read it. */
const NO_TRIALS: readonly FrozenTrial[] = Object.freeze([]);

/**
 * A study: every trial of one tuning problem, in a storage, with the sampler
 * that proposes the next trials and the pruner that stops hopeless ones.
 * Create one with {@link createStudy} or {@link loadStudy}.
 */
export class Study {
  readonly name: string;
  readonly directions: readonly StudyDirection[];
  readonly storage: Storage;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  private readonly id: number;
  private readonly space: Record<string, Distribution> | undefined;
  private readonly heartbeatMs: number | undefined;
  private readonly graceSeconds: number;
  private readonly maxRetries: number;
  private readonly lock = new Lock();
  /** Finished trials read once, for the sampler and pruner. */
  private readonly history: TrialHistory;
  /** Trials this object started and has not told yet, by id. */
  private readonly live = new Map<number, Trial>();
  private stopped = false;
  private host_: ConstructorParameters<typeof Trial>[0] | undefined;
  /** The old studies this one transfers from (`transferFrom`), read when the object was made. */
  readonly transferSources: readonly TransferSource[];

  /** @internal use createStudy / loadStudy */
  constructor(record: StudyRecord, storage: Storage, options: StudyOptions, transfer: readonly TransferSource[] = []) {
    this.transferSources = transfer;
    this.name = record.name;
    this.id = record.id;
    this.directions = record.directions;
    this.storage = storage;
    this.history = new TrialHistory(storage, record.id);
    this.sampler = options.sampler ?? new AutoSampler();
    this.pruner = options.pruner ?? new MedianPruner();
    if (options.space !== undefined) {
      const space: Record<string, Distribution> = keyedRecord<Distribution>();
      for (const [name, spec] of Object.entries(options.space)) space[name] = distributionOf(spec, `space.${name}`);
      if (Object.keys(space).length === 0) throw new TunekitError('INVALID_SPACE', 'space: the search space is empty: give at least one parameter');
      this.space = space;
    }
    positive(options.heartbeatInterval, 'heartbeatInterval', false);
    positive(options.gracePeriod, 'gracePeriod', false);
    this.heartbeatMs = options.heartbeatInterval === undefined ? undefined : options.heartbeatInterval * 1000;
    this.graceSeconds = options.gracePeriod ?? 2 * (options.heartbeatInterval ?? 0);
    this.maxRetries = options.maxRetries ?? 0;
    if (!Number.isInteger(this.maxRetries) || this.maxRetries < 0) throw new TunekitError('INVALID_PARAMETER', `maxRetries must be an integer ≥ 0, got ${this.maxRetries}`);
  }

  /** Ends `optimize` after the running trials finish. */
  stop(): void {
    this.stopped = true;
  }

  /** What every trial of this study shares (made once). */
  private get host(): ConstructorParameters<typeof Trial>[0] {
    return (this.host_ ??= {
      storage: this.storage,
      studyId: this.id,
      directions: this.directions,
      sampler: this.sampler,
      pruner: this.pruner,
      trials: () => this.history.read(),
      distributions: new DistributionCache(),
    });
  }

  /** RUNNING trials whose worker stopped beating become FAIL and are re-queued under the retry policy (one transaction). */
  private async reapStale(): Promise<void> {
    if (this.heartbeatMs === undefined) return;
    await this.storage.failStaleTrials(this.id, {
      graceSeconds: this.graceSeconds,
      maxRetries: this.maxRetries,
      reason: `no heartbeat for ${this.graceSeconds} s: its worker died`,
      exclude: [...this.live.keys()],
    });
  }

  /**
   * A new RUNNING trial: with the sampler's reservation (a grid point) when
   * it makes one, claimed in the same transaction; a point another worker
   * took first is skipped and the sampler asked again.
   */
  private async createRunning(maxTrials: number | undefined): Promise<{ frozen: FrozenTrial; fixed: Record<string, unknown> }> {
    for (;;) {
      let reservation: Reservation = null;
      if (this.sampler.reserve !== undefined) {
        reservation = await this.sampler.reserve({ storage: this.storage, studyId: this.id, directions: this.directions, trials: await this.history.read() });
        if (reservation === 'exhausted') throw new TunekitError('SEARCH_EXHAUSTED', `study ${JSON.stringify(this.name)}: the sampler has no point left to try (every grid point is taken)`);
      }
      const claim = reservation === null ? undefined : reservation.claim;
      const guard: StartGuard = maxTrials === undefined && claim === undefined ? NO_GUARD : { ...(maxTrials === undefined ? {} : { maxTrials }), ...(claim === undefined ? {} : { claim }) };
      try {
        if (reservation === null) return { frozen: await this.storage.createTrial(this.id, { state: 'RUNNING' }, guard), fixed: {} };
        const frozen = await this.storage.createTrial(
          this.id,
          { state: 'RUNNING', params: reservation.params, distributions: reservation.distributions, systemAttrs: { ...reservation.systemAttrs, fixed_params: reservation.params } },
          guard,
        );
        return { frozen, fixed: { ...reservation.params } };
      } catch (err) {
        if (!(err instanceof TunekitError && err.code === 'CLAIM_TAKEN')) throw err;
      }
    }
  }

  /**
   * Starts a trial: an enqueued one if any, else a new one with the next
   * number; parameters of the relative space are proposed now (all of
   * `space` if given or declared), the rest when the objective suggests them.
   * Throws `TRIAL_LIMIT` at `maxTrials`, `SEARCH_EXHAUSTED` when the sampler has no point left.
   */
  async ask(options: AskOptions = {}): Promise<Trial> {
    if (options.maxTrials !== undefined) positive(options.maxTrials, 'maxTrials', true);
    const declared = options.space === undefined ? this.space : Object.fromEntries(Object.entries(options.space).map(([n, s]) => [n, distributionOf(s, `space.${n}`)]));
    const guard = options.maxTrials === undefined ? NO_GUARD : { maxTrials: options.maxTrials };
    // The lock is taken and released inline (no closure or extra promise per ask).
    const turn = this.lock.acquire();
    if (turn !== null) await turn;
    let trial: Trial;
    try {
      if (this.heartbeatMs !== undefined) await this.reapStale();
      let frozen = await this.storage.claimWaitingTrial(this.id, guard);
      let fixed: Record<string, unknown> = NONE;
      if (frozen !== null) {
        const f = frozen.systemAttrs['fixed_params'];
        fixed = typeof f === 'object' && f !== null ? { ...(f as Record<string, unknown>) } : {};
      } else {
        // Samplers without reservations need no loop: one creation.
        if (this.sampler.reserve === undefined) frozen = await this.storage.createTrial(this.id, { state: 'RUNNING' }, guard);
        else ({ frozen, fixed } = await this.createRunning(options.maxTrials));
      }
      // The history is read once, here, for the samplers that use it; the trial's independent draws see the same list.
      const sampler = this.sampler;
      const infers = sampler.inferRelativeSpace !== undefined;
      const trials = infers || sampler.usesHistory === true ? await this.history.read() : NO_TRIALS;
      const ctx: SamplerContext = {
        storage: this.storage,
        studyId: this.id,
        directions: this.directions,
        trials,
        trial: frozen,
        ...(declared === undefined ? {} : { declared }),
        ...(this.transferSources.length === 0 ? {} : { transfer: this.transferSources }),
      };
      let relative: Record<string, unknown> = NONE;
      if (sampler.inferRelativeSpace !== undefined && sampler.sampleRelative !== undefined) {
        const space = { ...sampler.inferRelativeSpace(ctx) };
        for (const name of Object.keys(fixed)) delete space[name];
        if (Object.keys(space).length > 0) {
          relative = await sampler.sampleRelative(ctx, space);
          // Visible to the next ask (pending points) before the objective suggests anything.
          if (Object.keys(relative).length > 0) await this.storage.setTrialAttr(frozen.id, 'system', 'relative_params', relative);
        }
      }
      trial = new Trial(this.host, ctx, relative, fixed);
      this.live.set(trial.id, trial);
      if (this.heartbeatMs !== undefined) heartbeats.start(this.storage, trial.id, this.heartbeatMs);
    } finally {
      this.lock.release();
    }
    if (declared !== undefined) {
      try {
        for (const [name, d] of Object.entries(declared)) trial.suggest(name, d);
      } catch (err) {
        // Nothing is left RUNNING by a declared space the trial cannot take.
        await this.tell(trial, { state: 'FAIL', reason: `the declared space: ${(err as Error).message}` }).catch(() => {});
        throw err;
      }
    }
    return trial;
  }

  /** The trial of this study with that number (live here or stored). */
  private async byNumber(trial: number): Promise<{ id: number; live: Trial | undefined }> {
    const live = [...this.live.values()].find((t) => t.number === trial);
    const id = live?.id ?? (await this.storage.getTrials(this.id)).find((t) => t.number === trial)?.id;
    if (id === undefined) throw new TunekitError('INVALID_PARAMETER', `tell: study ${JSON.stringify(this.name)} has no trial ${String(trial)}`);
    return { id, live };
  }

  /** A Trial object's id, refusing one of another study (synchronous: the common case of tell). */
  private own(trial: Trial): number {
    if (!(trial instanceof Trial) || !trial.belongsTo(this.storage, this.id)) {
      throw new TunekitError(
        'INVALID_PARAMETER',
        `tell: trial ${String((trial as { number?: unknown }).number)} is not a trial of study ${JSON.stringify(this.name)} in this storage: tell it to the study that asked for it`,
      );
    }
    return trial.id;
  }

  /**
   * Ends a trial: a value (one per objective) makes it COMPLETE (±Infinity
   * included); NaN or a wrong number of values makes it FAIL; `{ state }`
   * records PRUNED (keeping the last reported value) or FAIL. A trial that
   * another worker failed meanwhile (its heartbeat was missed) keeps that
   * state and gets this result as its `late_result` attribute. Throws
   * `TRIAL_FINISHED` if the trial had already ended otherwise, and
   * `INVALID_PARAMETER` for a trial of another study.
   */
  async tell(trial: Trial | number, result: TellResult, options: TellOptions = {}): Promise<FrozenTrial> {
    const { id, live } = typeof trial === 'number' ? await this.byNumber(trial) : { id: this.own(trial), live: trial };
    const given = options.constraints === undefined ? undefined : constraintRecord(`tell (trial ${live?.number ?? String(trial)})`, options.constraints);
    if (this.heartbeatMs !== undefined) heartbeats.stop(this.storage, id);
    this.live.delete(id);
    live?.end();
    const outcome = this.outcome(result, live);
    const set = live?.constraints;
    const constraints = given === undefined && (set === undefined || Object.keys(set).length === 0) ? undefined : Object.assign(keyedRecord<number>(), set, given);
    const attrs: Record<string, AttrValue> = outcome.reason === undefined ? {} : { fail_reason: outcome.reason };
    // Constraints are kept with a COMPLETE or PRUNED end (a failed trial's measurements are not used).
    if (constraints !== undefined && outcome.state !== 'FAIL') {
      try {
        await checkStudyNames(this.storage, this.id, `tell (trial ${live?.number ?? String(trial)})`, constraints);
      } catch (err) {
        // Nothing is left RUNNING: the trial fails with the reason, and the error is thrown.
        await live?.flush().catch(() => {});
        await this.storage.finishTrial(id, 'FAIL', null, { fail_reason: (err as Error).message }).catch(() => {});
        throw err;
      }
      attrs[CONSTRAINTS_ATTR] = constraints;
      outcome.constraints = constraints;
    }
    let written: boolean;
    try {
      await live?.flush();
      written = await this.storage.finishTrial(id, outcome.state, outcome.values, attrs);
    } catch (err) {
      // A trial reaped meanwhile refuses the writes of its live worker: a late result, not an error.
      if ((await this.storage.getTrial(id).catch(() => undefined))?.systemAttrs['reaped'] === true) return this.lateResult(id, outcome, live);
      // Leave nothing RUNNING: a bare FAIL needs no new row (it fits where a full disk refused the rest).
      await this.storage.finishTrial(id, 'FAIL', null).catch(() => {});
      throw err;
    }
    const t = await this.storage.getTrial(id);
    if (written) {
      if (this.sampler.afterTrial !== undefined) await this.sampler.afterTrial({ storage: this.storage, studyId: this.id, directions: this.directions }, t);
      return t;
    }
    if (t.systemAttrs['reaped'] === true) return this.lateResult(id, outcome, live);
    throw new TunekitError('TRIAL_FINISHED', `tell: trial ${t.number} is already ${t.state}`);
  }

  /** Records the result of a trial another worker reaped as its `late_result` attribute (with the parameters its worker used). */
  private async lateResult(id: number, outcome: ReturnType<Study['outcome']>, live: Trial | undefined): Promise<FrozenTrial> {
    const note = {
      state: outcome.state,
      values: outcome.values,
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      ...(outcome.constraints === undefined ? {} : { constraints: outcome.constraints }),
      ...(live === undefined ? {} : { params: { ...live.params } }),
    };
    await this.storage.setTrialAttr(id, 'system', 'late_result', note);
    return this.storage.getTrial(id);
  }

  /** The state, values and failure reason a tell result stands for. */
  private outcome(result: TellResult, live: Trial | undefined): { state: 'COMPLETE' | 'PRUNED' | 'FAIL'; values: number[] | null; reason?: string; constraints?: Record<string, number> } {
    if (typeof result === 'object' && result !== null && !Array.isArray(result) && 'state' in result) {
      const { state, reason } = result;
      if (state === 'FAIL') return { state, values: null, ...(reason === undefined ? {} : { reason }) };
      if (state !== 'PRUNED') throw new TunekitError('INVALID_PARAMETER', `tell: state must be "PRUNED" or "FAIL", got ${describeValue(state)}`);
      const last = live?.lastReport();
      return { state, values: last !== undefined && this.directions.length === 1 ? [last.value] : null, ...(reason === undefined ? {} : { reason }) };
    }
    const v = typeof result === 'number' ? [result] : Array.isArray(result) ? [...(result as number[])] : null;
    const m = this.directions.length;
    if (v === null || v.length !== m || v.some((x) => typeof x !== 'number')) {
      return { state: 'FAIL', values: null, reason: `the objective returned ${describeValue(result)}: expected ${m === 1 ? 'a number' : `${m} numbers`}` };
    }
    if (v.some((x) => Number.isNaN(x))) return { state: 'FAIL', values: null, reason: `the objective returned NaN (${JSON.stringify(v.map(String))})` };
    return { state: 'COMPLETE', values: v };
  }

  /**
   * Runs the objective on new trials, `concurrency` at a time, until
   * `nTrials` have run in this call, the study has `maxTrials` (all
   * workers), `timeout` seconds have passed, the sampler is exhausted or
   * `stop()` is called. A trial whose objective
   * throws is FAIL with the error recorded (`fail_reason`); the error then
   * stops the run and is rethrown unless its class is in `catch`.
   */
  async optimize(objective: Objective, options: OptimizeOptions = {}): Promise<void> {
    positive(options.nTrials, 'nTrials', true);
    positive(options.maxTrials, 'maxTrials', true);
    positive(options.timeout, 'timeout', false);
    const concurrency = options.concurrency ?? 1;
    positive(concurrency, 'concurrency', true);
    const deadline = options.timeout === undefined ? Infinity : performance.now() + options.timeout * 1000;
    const budget = options.nTrials ?? Infinity;
    if (budget === Infinity && deadline === Infinity && options.maxTrials === undefined) {
      throw new TunekitError('INVALID_PARAMETER', 'optimize needs nTrials or timeout (or maxTrials, the study total)');
    }
    const ask: AskOptions = options.maxTrials === undefined ? {} : { maxTrials: options.maxTrials };
    this.stopped = false;
    let started = 0;
    let failure: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (!this.stopped && failure === undefined && started < budget && performance.now() < deadline) {
        started++;
        let trial: Trial;
        try {
          trial = await this.ask(ask);
        } catch (err) {
          if (err instanceof TunekitError && (err.code === 'SEARCH_EXHAUSTED' || err.code === 'TRIAL_LIMIT')) {
            this.stopped = true;
            return;
          }
          throw err;
        }
        let result: TellResult;
        let error: unknown;
        try {
          result = await objective(trial);
        } catch (err) {
          if (err instanceof TrialPruned) result = { state: 'PRUNED' };
          else {
            error = err;
            result = { state: 'FAIL', reason: `the objective threw: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}` };
          }
        }
        const frozen = await this.tell(trial, result);
        if (error !== undefined && !(options.catch ?? []).some((cls) => error instanceof cls)) {
          failure ??= { error };
          return;
        }
        for (const cb of options.callbacks ?? []) await cb(this, frozen);
      }
    };
    const results = await Promise.allSettled(Array.from({ length: concurrency }, worker));
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure !== undefined) throw failure.error;
    if (rejected !== undefined) throw rejected.reason;
  }

  /** Queues a trial with these parameters: the next ask (any worker) runs it first. */
  async enqueueTrial(params: Record<string, unknown>, options: { userAttrs?: Record<string, AttrValue> } = {}): Promise<void> {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new TunekitError('INVALID_PARAMETER', `enqueueTrial: params must be an object, got ${describeValue(params)}`);
    }
    const distributions: Record<string, Distribution> = keyedRecord<Distribution>();
    for (const [k, v] of Object.entries(params)) {
      if (!(v === null || ['string', 'boolean'].includes(typeof v) || (typeof v === 'number' && Number.isFinite(v)))) {
        throw new TunekitError('INVALID_PARAMETER', `enqueueTrial: ${k} is ${describeValue(v)}: values must be strings, finite numbers, booleans or null`);
      }
      if (this.space !== undefined && !Object.hasOwn(this.space, k)) {
        throw new TunekitError('UNKNOWN_PARAMETER', `enqueueTrial: unknown parameter ${JSON.stringify(k)} (the space has ${Object.keys(this.space).join(', ')})`);
      }
      distributions[k] = { type: 'categorical', choices: [v] };
    }
    for (const [k, v] of Object.entries(options.userAttrs ?? {})) checkJsonValue(v, `user attribute ${JSON.stringify(k)}`, k);
    const t = await this.storage.createTrial(this.id, { state: 'WAITING', params, distributions, systemAttrs: { fixed_params: params } });
    for (const [k, v] of Object.entries(options.userAttrs ?? {})) await this.storage.setTrialAttr(t.id, 'user', k, v);
  }

  /** Every trial (or those in `states`), by number. */
  async trials(states?: readonly TrialState[]): Promise<FrozenTrial[]> {
    return this.storage.getTrials(this.id, states);
  }

  /**
   * The best feasible COMPLETE trial (one objective; ties to the lowest
   * number): a trial is feasible when all its constraint values are ≤ 0 (or
   * it has none). Throws `NOT_FITTED` before any COMPLETE trial and
   * `NO_FEASIBLE_TRIAL` when every COMPLETE trial violates a constraint.
   */
  async bestTrial(): Promise<FrozenTrial> {
    if (this.directions.length !== 1) throw new TunekitError('INVALID_PARAMETER', `study ${JSON.stringify(this.name)} has ${this.directions.length} objectives: use bestTrials()`);
    const sign = this.directions[0] === 'maximize' ? 1 : -1;
    let best: FrozenTrial | undefined;
    const complete = await this.trials(['COMPLETE']);
    for (const t of complete) {
      if (!isFeasible(t)) continue;
      const v = (t.values as number[])[0] as number;
      if (best === undefined || sign * v > sign * ((best.values as number[])[0] as number)) best = t;
    }
    if (best === undefined && complete.length > 0) {
      throw new TunekitError('NO_FEASIBLE_TRIAL', `study ${JSON.stringify(this.name)} has ${complete.length} COMPLETE trials but none is feasible (each has a constraint value > 0)`);
    }
    if (best === undefined) throw new TunekitError('NOT_FITTED', `study ${JSON.stringify(this.name)} has no COMPLETE trial yet`);
    return best;
  }

  /** The feasible COMPLETE trials on the Pareto front (the best trial when there is one objective); empty when none is feasible. */
  async bestTrials(): Promise<FrozenTrial[]> {
    const complete = (await this.trials(['COMPLETE'])).filter((t) => t.values !== null && t.values.length === this.directions.length && isFeasible(t));
    if (complete.length === 0) return [];
    const values = Float64Array.from(complete.flatMap((t) => t.values as number[]));
    const front = guard(() => native.gaParetoFront(values, [...this.directions]));
    return Array.from(front, (i) => complete[i] as FrozenTrial);
  }

  async setUserAttr(key: string, value: AttrValue): Promise<void> {
    checkJsonValue(value, `user attribute ${JSON.stringify(key)}`, key);
    await this.storage.setStudyAttr(this.id, 'user', key, value);
  }

  async userAttrs(): Promise<Record<string, AttrValue>> {
    return ((await this.storage.getStudy(this.name)) as StudyRecord).userAttrs;
  }

  /** One flat row per trial (params_*, values, user_attrs_*, times), for JSON or CSV. */
  async exportRows(): Promise<ExportRow[]> {
    return rowsOf(await this.trials(), this.directions.length);
  }

  /** The trials as CSV (header row, RFC 4180 quoting). */
  async exportCsv(): Promise<string> {
    return toCsv(await this.exportRows());
  }
}

function studyOptionsOnly(o: CreateStudyOptions): StudyOptions {
  const { name: _n, direction: _d, directions: _ds, loadIfExists: _l, ...rest } = o;
  return rest;
}

/** Creates a study in its storage (or loads it with `loadIfExists`). */
export async function createStudy(options: CreateStudyOptions = {}): Promise<Study> {
  if (options.direction !== undefined && options.directions !== undefined) {
    throw new TunekitError('INVALID_PARAMETER', 'give direction or directions, not both');
  }
  const directions = checkDirections(options.directions ?? [options.direction ?? 'minimize']);
  const name = checkName(options.name ?? `study-${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`);
  const storage = openStorage(options.storage);
  let record: StudyRecord;
  try {
    record = await storage.createStudy(name, directions);
  } catch (err) {
    if (!(options.loadIfExists && err instanceof TunekitError && err.code === 'DUPLICATE_STUDY')) throw err;
    record = (await storage.getStudy(name)) as StudyRecord;
    if (JSON.stringify(record.directions) !== JSON.stringify(directions)) {
      throw new TunekitError('INVALID_PARAMETER', `study ${JSON.stringify(name)} is stored with directions ${JSON.stringify(record.directions)}, not ${JSON.stringify(directions)}`);
    }
  }
  return new Study(record, storage, studyOptionsOnly(options), await transferOf(storage, record, options));
}

/** The old studies of `options.transferFrom`, checked and read (see {@link resolveTransfer}). */
async function transferOf(storage: Storage, record: StudyRecord, options: StudyOptions): Promise<TransferSource[]> {
  let declared: Record<string, Distribution> | undefined;
  if (options.space !== undefined) {
    declared = keyedRecord<Distribution>();
    for (const [name, spec] of Object.entries(options.space)) declared[name] = distributionOf(spec, `space.${name}`);
  }
  return resolveTransfer(storage, record.name, record.directions, declared, options.transferFrom, options.transfer);
}

/** Loads a stored study by name. */
export async function loadStudy(options: StudyOptions & { name: string }): Promise<Study> {
  const storage = openStorage(options.storage);
  const record = await storage.getStudy(checkName(options.name));
  if (record === null) throw new TunekitError('STUDY_NOT_FOUND', `no study named ${JSON.stringify(options.name)} in this storage`);
  const { name: _n, ...rest } = options;
  return new Study(record, storage, rest, await transferOf(storage, record, options));
}

/** Deletes a study and all its trials. */
export async function deleteStudy(options: { name: string; storage?: StorageSpec }): Promise<void> {
  if (!(await openStorage(options.storage).deleteStudy(checkName(options.name)))) {
    throw new TunekitError('STUDY_NOT_FOUND', `no study named ${JSON.stringify(options.name)} in this storage`);
  }
}

/** Every study in a storage, with its trial count. */
export async function listStudies(options: { storage?: StorageSpec } = {}): Promise<StudySummary[]> {
  return openStorage(options.storage).listStudies();
}
