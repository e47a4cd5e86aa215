import type { CategoricalSpec, FloatSpec, IntSpec } from '../space.js';
import type { Direction } from '../native.js';

/** A trial's life: WAITING (enqueued) → RUNNING → COMPLETE | PRUNED | FAIL. */
export type TrialState = 'WAITING' | 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL';
export const TRIAL_STATES: readonly TrialState[] = ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL'];
export const FINISHED_STATES: readonly TrialState[] = ['COMPLETE', 'PRUNED', 'FAIL'];

/** Whether a study's objective is minimised or maximised: the core's `Direction`. */
export type StudyDirection = Direction;

/** The distribution a parameter was drawn from: one parameter of the shared space format (normalised). */
export type Distribution = FloatSpec | IntSpec | CategoricalSpec;

/** JSON-compatible attribute values. */
export type AttrValue = unknown;

/** A study as stored. */
export interface StudyRecord {
  id: number;
  name: string;
  directions: StudyDirection[];
  userAttrs: Record<string, AttrValue>;
  systemAttrs: Record<string, AttrValue>;
}

/** A study with its trial count, as listed. */
export interface StudySummary extends StudyRecord {
  nTrials: number;
}

/** A trial as stored: everything a sampler, a pruner or an export needs. */
export interface FrozenTrial {
  /** Storage-wide id. */
  id: number;
  /** 0, 1, 2, … within its study, in creation order. */
  number: number;
  state: TrialState;
  /** One per objective once COMPLETE (may be ±Infinity); null otherwise. */
  values: number[] | null;
  params: Record<string, unknown>;
  distributions: Record<string, Distribution>;
  /** step → reported value. */
  intermediateValues: Record<number, number>;
  userAttrs: Record<string, AttrValue>;
  systemAttrs: Record<string, AttrValue>;
  /** Milliseconds since the epoch. */
  datetimeStart: number | null;
  datetimeComplete: number | null;
}

/** What a new trial starts with. */
export interface NewTrial {
  state: 'RUNNING' | 'WAITING';
  params?: Record<string, unknown>;
  distributions?: Record<string, Distribution>;
  systemAttrs?: Record<string, AttrValue>;
}

/** Conditions checked inside the transaction that starts a trial; a refused start changes nothing. */
export interface StartGuard {
  /**
   * The study's cap on started trials (every state but WAITING), shared by
   * every worker: at the cap the start is refused with `TRIAL_LIMIT`.
   */
  maxTrials?: number;
  /** A key the new trial takes for its study (a grid point); refused with `CLAIM_TAKEN` if another trial holds it. */
  claim?: string;
}

/** What a worker that finds dead trials does with them (see {@link Storage.failStaleTrials}). */
export interface ReapPolicy {
  /** Seconds without a heartbeat before a RUNNING trial counts as dead. */
  graceSeconds: number;
  /** A dead trial is re-queued (WAITING, same parameters) while its retry count is below this. */
  maxRetries: number;
  /** Recorded as the dead trial's `fail_reason`. */
  reason: string;
  /** Trials this worker runs itself (never reaped by it). */
  exclude?: readonly number[];
}

/**
 * Where studies live. Every backend (memory, SQLite, PostgreSQL) passes the
 * same conformance suite (`__test__/storage_conformance.spec.ts`). Methods
 * that change several rows run in one transaction; trial numbers are unique
 * per study (a constraint, not a convention).
 */
export interface Storage {
  /** Throws `DUPLICATE_STUDY` if the name is taken. */
  createStudy(name: string, directions: StudyDirection[]): Promise<StudyRecord>;
  getStudy(name: string): Promise<StudyRecord | null>;
  listStudies(): Promise<StudySummary[]>;
  /** Deletes the study and all its trials; false if there was none. */
  deleteStudy(name: string): Promise<boolean>;
  setStudyAttr(studyId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void>;
  /** One attribute of a study, by the study's id; undefined if it has none of that key. */
  getStudyAttr(studyId: number, kind: 'user' | 'system', key: string): Promise<AttrValue>;
  /** Stores the value unless the key exists; returns the stored value either way. */
  setStudySystemAttrIfAbsent(studyId: number, key: string, value: AttrValue): Promise<AttrValue>;
  /**
   * Allocates the next trial number and creates the trial, in one
   * transaction with the guard's checks (a RUNNING trial counts against
   * `maxTrials`; its claim is written with it, so a claimed key always has its trial).
   */
  createTrial(studyId: number, trial: NewTrial, guard?: StartGuard): Promise<FrozenTrial>;
  /**
   * Moves the oldest WAITING trial to RUNNING (for one worker only) and
   * returns it, or null if none waits; refused with `TRIAL_LIMIT` at the cap.
   */
  claimWaitingTrial(studyId: number, guard?: Pick<StartGuard, 'maxTrials'>): Promise<FrozenTrial | null>;
  /** Records one parameter; throws if the trial is not RUNNING. */
  setTrialParam(trialId: number, name: string, value: unknown, distribution: Distribution): Promise<void>;
  /** Records several parameters at once (one transaction); throws if the trial is not RUNNING. */
  setTrialParams(trialId: number, params: Record<string, unknown>, distributions: Record<string, Distribution>): Promise<void>;
  setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  setTrialAttr(trialId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void>;
  /** Ends a RUNNING trial with its values and system attributes (one transaction); false (and nothing changed) if it was not RUNNING any more. */
  finishTrial(trialId: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', values: number[] | null, systemAttrs?: Record<string, AttrValue>): Promise<boolean>;
  /** Marks a RUNNING trial alive now. */
  heartbeat(trialId: number): Promise<void>;
  /**
   * RUNNING trials whose last heartbeat is older than the grace period become
   * FAIL (system attrs `fail_reason`, `reaped: true`), each re-queued under the
   * policy, all in one transaction; returns the failed trials.
   */
  failStaleTrials(studyId: number, policy: ReapPolicy): Promise<FrozenTrial[]>;
  /** Records `key` as taken by `trialId` for this study; false if another trial took it first. */
  claimKey(studyId: number, key: string, trialId: number): Promise<boolean>;
  /** The study's trials in number order (those in `states` if given; numbers ≥ `fromNumber` if given). */
  getTrials(studyId: number, states?: readonly TrialState[], fromNumber?: number): Promise<FrozenTrial[]>;
  getTrial(trialId: number): Promise<FrozenTrial>;
  /** How another thread or process opens this same storage (a URL); absent for a storage of this process only. */
  readonly url?: string;
  close(): Promise<void>;
}

/** An old study a new one transfers from (`createStudy({ transferFrom })`), as the samplers see it. */
export interface TransferSource {
  /** The old study's name. */
  name: string;
  /** Its objective's direction (the new study's: a mismatch is refused). */
  direction: StudyDirection;
  /** Its COMPLETE trials with a finite value (at most `transfer.maxTrialsPerStudy`), read when the new study object was made. */
  trials: readonly FrozenTrial[];
  /** How many of its best trials warm-start TPE and CMA-ES (`transfer.warmStartGamma` of them, at least one). */
  nWarmStart: number;
}
