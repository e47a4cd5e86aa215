import { checkJsonValue, TunekitError } from '../../errors.js';
import type { AttrValue, Distribution, FrozenTrial, NewTrial, ReapPolicy, StartGuard, Storage, StudyDirection, StudyRecord, StudySummary, TrialState } from '../types.js';
import { checkKey, checkTrialState, claimTaken, reapedAttrs, retryOf, studyNotFound, trialLimit, trialNotFound } from './common.js';
import { keyed, keyedRecord } from '../../keyed.js';

interface MemoryStudy {
  record: StudyRecord;
  /** Frozen snapshots, index = trial number. */
  trials: FrozenTrial[];
  /** Numbers of WAITING trials, oldest first. */
  waiting: number[];
  claims: Map<string, number>;
  heartbeats: Map<number, number>;
}

/** The shared empty record of a new trial (frozen: a write replaces it). */
const EMPTY: Record<string, never> = Object.freeze(keyedRecord()) as Record<string, never>;

/** A caller's copy of a study record (its attribute records keyed, as stored). */
function copyOf(r: StudyRecord): StudyRecord {
  const c = structuredClone(r);
  return { ...c, userAttrs: keyed(c.userAttrs), systemAttrs: keyed(c.systemAttrs) };
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Objects known to be deeply frozen (checked once: a distribution shared by many trials is walked once). */
const FROZEN = new WeakSet<object>();

function deeplyFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || FROZEN.has(v)) return true;
  if (!(Object.isFrozen(v) && Object.values(v).every(deeplyFrozen))) return false;
  FROZEN.add(v);
  return true;
}

/** A frozen private copy of a JSON-like value (primitives, and values already deeply frozen, as they are). */
function own<T>(v: T): T {
  return deeplyFrozen(v) ? v : deepFreeze(structuredClone(v));
}

/** A frozen copy of `t` with `change` applied; `change` holds fresh objects whose new leaves are already owned. */
function revise(t: FrozenTrial, change: Partial<FrozenTrial>): FrozenTrial {
  // The records `change` brings are frozen here (each field named: no array of the values per write).
  if (change.values) Object.freeze(change.values);
  if (change.params !== undefined) Object.freeze(change.params);
  if (change.distributions !== undefined) Object.freeze(change.distributions);
  if (change.intermediateValues !== undefined) Object.freeze(change.intermediateValues);
  if (change.userAttrs !== undefined) Object.freeze(change.userAttrs);
  if (change.systemAttrs !== undefined) Object.freeze(change.systemAttrs);
  // Every field named, in one order: one shape for all snapshots (freezing a spread copy is ~20× slower).
  return Object.freeze({
    id: t.id,
    number: t.number,
    state: change.state ?? t.state,
    values: change.values === undefined ? t.values : change.values,
    params: change.params ?? t.params,
    distributions: change.distributions ?? t.distributions,
    intermediateValues: change.intermediateValues ?? t.intermediateValues,
    userAttrs: change.userAttrs ?? t.userAttrs,
    systemAttrs: change.systemAttrs ?? t.systemAttrs,
    datetimeStart: change.datetimeStart === undefined ? t.datetimeStart : change.datetimeStart,
    datetimeComplete: change.datetimeComplete === undefined ? t.datetimeComplete : change.datetimeComplete,
  });
}

/**
 * Studies in this process's memory (the library default): nothing persists
 * and nothing is shared with other processes. Stored trials are immutable
 * snapshots (deeply frozen; a write replaces the trial's snapshot), so reads
 * hand them out without copying and callers can never alias mutable state.
 */
export class MemoryStorage implements Storage {
  private readonly studies = new Map<string, MemoryStudy>();
  private readonly byId = new Map<number, MemoryStudy>();
  private readonly trialsById = new Map<number, { study: MemoryStudy; number: number }>();
  private nextStudyId = 1;
  private nextTrialId = 1;

  async createStudy(name: string, directions: StudyDirection[]): Promise<StudyRecord> {
    checkKey('a study name', name);
    if (this.studies.has(name)) throw new TunekitError('DUPLICATE_STUDY', `a study named ${JSON.stringify(name)} already exists (pass loadIfExists: true to continue it)`);
    const study: MemoryStudy = {
      record: { id: this.nextStudyId++, name, directions: [...directions], userAttrs: keyed(), systemAttrs: keyed() },
      trials: [],
      waiting: [],
      claims: new Map(),
      heartbeats: new Map(),
    };
    this.studies.set(name, study);
    this.byId.set(study.record.id, study);
    return copyOf(study.record);
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    const s = this.studies.get(name);
    return s === undefined ? null : copyOf(s.record);
  }

  async listStudies(): Promise<StudySummary[]> {
    return [...this.studies.values()].map((s) => ({ ...copyOf(s.record), nTrials: s.trials.length }));
  }

  async deleteStudy(name: string): Promise<boolean> {
    const s = this.studies.get(name);
    if (s === undefined) return false;
    for (const t of s.trials) this.trialsById.delete(t.id);
    this.studies.delete(name);
    this.byId.delete(s.record.id);
    return true;
  }

  private study(id: number): MemoryStudy {
    const s = this.byId.get(id);
    if (s === undefined) throw studyNotFound(id);
    return s;
  }

  private trial(id: number): { study: MemoryStudy; trial: FrozenTrial } {
    const t = this.trialsById.get(id);
    if (t === undefined) throw trialNotFound(id);
    return { study: t.study, trial: t.study.trials[t.number] as FrozenTrial };
  }

  private replace(study: MemoryStudy, t: FrozenTrial): FrozenTrial {
    study.trials[t.number] = t;
    return t;
  }

  async setStudyAttr(studyId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    checkKey('an attribute key', key);
    checkJsonValue(value, `${kind} attribute ${JSON.stringify(key)}`, key);
    const r = this.study(studyId).record;
    (kind === 'user' ? r.userAttrs : r.systemAttrs)[key] = structuredClone(value);
  }

  async getStudyAttr(studyId: number, kind: 'user' | 'system', key: string): Promise<AttrValue> {
    const r = this.study(studyId).record;
    const attrs = kind === 'user' ? r.userAttrs : r.systemAttrs;
    return Object.hasOwn(attrs, key) ? structuredClone(attrs[key]) : undefined;
  }

  async setStudySystemAttrIfAbsent(studyId: number, key: string, value: AttrValue): Promise<AttrValue> {
    checkKey('an attribute key', key);
    checkJsonValue(value, `system attribute ${JSON.stringify(key)}`, key);
    const attrs = this.study(studyId).record.systemAttrs;
    if (!Object.hasOwn(attrs, key)) attrs[key] = structuredClone(value);
    return structuredClone(attrs[key]);
  }

  /** Trials started so far (every state but WAITING). */
  private started(s: MemoryStudy): number {
    return s.trials.length - s.waiting.length;
  }

  async createTrial(studyId: number, init: NewTrial, guard: StartGuard = {}): Promise<FrozenTrial> {
    const s = this.study(studyId);
    for (const name of Object.keys(init.params ?? {})) checkKey('a parameter name', name);
    if (init.state === 'RUNNING' && guard.maxTrials !== undefined && this.started(s) >= guard.maxTrials) throw trialLimit(guard.maxTrials);
    if (guard.claim !== undefined && s.claims.has(guard.claim)) throw claimTaken(guard.claim);
    const now = Date.now();
    const trial: FrozenTrial = Object.freeze({
      id: this.nextTrialId++,
      number: s.trials.length,
      state: init.state,
      values: null,
      params: init.params === undefined ? EMPTY : deepFreeze(keyed(structuredClone(init.params))),
      distributions: init.distributions === undefined ? EMPTY : deepFreeze(keyed(structuredClone(init.distributions))),
      intermediateValues: EMPTY,
      userAttrs: EMPTY,
      systemAttrs: init.systemAttrs === undefined ? EMPTY : deepFreeze(keyed(structuredClone(init.systemAttrs))),
      datetimeStart: init.state === 'RUNNING' ? now : null,
      datetimeComplete: null,
    });
    s.trials.push(trial);
    this.trialsById.set(trial.id, { study: s, number: trial.number });
    if (guard.claim !== undefined) s.claims.set(guard.claim, trial.id);
    if (init.state === 'RUNNING') s.heartbeats.set(trial.id, now);
    else s.waiting.push(trial.number);
    return trial;
  }

  async claimWaitingTrial(studyId: number, guard: Pick<StartGuard, 'maxTrials'> = {}): Promise<FrozenTrial | null> {
    const s = this.study(studyId);
    if (s.waiting.length > 0 && guard.maxTrials !== undefined && this.started(s) >= guard.maxTrials) throw trialLimit(guard.maxTrials);
    const number = s.waiting.shift();
    if (number === undefined) return null;
    const now = Date.now();
    s.heartbeats.set((s.trials[number] as FrozenTrial).id, now);
    return this.replace(s, revise(s.trials[number] as FrozenTrial, { state: 'RUNNING', datetimeStart: now }));
  }

  async setTrialParam(trialId: number, name: string, value: unknown, distribution: Distribution): Promise<void> {
    await this.setTrialParams(trialId, { [name]: value }, { [name]: distribution });
  }

  async setTrialParams(trialId: number, params: Record<string, unknown>, distributions: Record<string, Distribution>): Promise<void> {
    for (const name of Object.keys(params)) checkKey('a parameter name', name);
    const { study, trial } = this.trial(trialId);
    checkTrialState(trial, 'RUNNING', `set parameter ${JSON.stringify(Object.keys(params)[0])}`);
    const p = trial.params === EMPTY ? keyedRecord<unknown>() : keyed(trial.params);
    const d = trial.distributions === EMPTY ? keyedRecord<Distribution>() : keyed(trial.distributions);
    for (const name of Object.keys(params)) {
      p[name] = own(params[name]);
      d[name] = own(distributions[name] as Distribution);
    }
    this.replace(study, revise(trial, { params: p, distributions: d }));
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    const { study, trial } = this.trial(trialId);
    checkTrialState(trial, 'RUNNING', `report step ${step}`);
    this.replace(study, revise(trial, { intermediateValues: keyed(trial.intermediateValues, { [step]: value }) }));
  }

  async setTrialAttr(trialId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    checkKey('an attribute key', key);
    const { study, trial } = this.trial(trialId);
    checkJsonValue(value, `${kind} attribute ${JSON.stringify(key)}`, key);
    const change = kind === 'user' ? { userAttrs: keyed(trial.userAttrs, { [key]: own(value) }) } : { systemAttrs: keyed(trial.systemAttrs, { [key]: own(value) }) };
    this.replace(study, revise(trial, change));
  }

  async finishTrial(trialId: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', values: number[] | null, systemAttrs: Record<string, AttrValue> = {}): Promise<boolean> {
    const { study, trial } = this.trial(trialId);
    if (trial.state !== 'RUNNING') return false;
    const change: Partial<FrozenTrial> = { state, values: values === null ? null : [...values], datetimeComplete: Date.now() };
    if (Object.keys(systemAttrs).length > 0) change.systemAttrs = keyed(trial.systemAttrs, own(systemAttrs));
    this.replace(study, revise(trial, change));
    study.heartbeats.delete(trialId);
    return true;
  }

  async heartbeat(trialId: number): Promise<void> {
    const { study, trial } = this.trial(trialId);
    if (trial.state === 'RUNNING') study.heartbeats.set(trialId, Date.now());
  }

  async failStaleTrials(studyId: number, policy: ReapPolicy): Promise<FrozenTrial[]> {
    const s = this.study(studyId);
    const limit = Date.now() - policy.graceSeconds * 1000;
    const exclude = new Set(policy.exclude ?? []);
    const out: FrozenTrial[] = [];
    for (const [id, beat] of [...s.heartbeats]) {
      if (beat >= limit || exclude.has(id)) continue;
      const { trial } = this.trial(id);
      if (trial.state !== 'RUNNING') continue;
      s.heartbeats.delete(id);
      const failed = revise(trial, { state: 'FAIL', datetimeComplete: Date.now(), systemAttrs: keyed(trial.systemAttrs, reapedAttrs(policy.reason)) });
      out.push(this.replace(s, failed));
      const retry = retryOf(failed, policy.maxRetries);
      if (retry !== null) await this.createTrial(studyId, retry);
    }
    return out.sort((a, b) => a.number - b.number);
  }

  async claimKey(studyId: number, key: string, trialId: number): Promise<boolean> {
    checkKey('a claim key', key);
    const s = this.study(studyId);
    if (s.claims.has(key)) return false;
    s.claims.set(key, trialId);
    return true;
  }

  async getTrials(studyId: number, states?: readonly TrialState[], fromNumber = 0): Promise<FrozenTrial[]> {
    const trials = this.study(studyId).trials.slice(Math.max(0, fromNumber));
    return states === undefined ? trials : trials.filter((t) => states.includes(t.state));
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    return this.trial(trialId).trial;
  }

  async close(): Promise<void> {}
}
