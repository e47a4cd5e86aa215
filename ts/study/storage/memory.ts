import { TunekitError } from '../../errors.js';
import type { AttrValue, Distribution, FrozenTrial, NewTrial, Storage, StudyDirection, StudyRecord, StudySummary, TrialState } from '../types.js';
import { cloneTrial, checkTrialState, studyNotFound, trialNotFound } from './common.js';

interface MemoryStudy {
  record: StudyRecord;
  trials: FrozenTrial[];
  claims: Map<string, number>;
  heartbeats: Map<number, number>;
}

/**
 * Studies in this process's memory (the library default): nothing persists
 * and nothing is shared with other processes. Every method copies on the way
 * in and out, so callers can never alias stored state.
 */
export class MemoryStorage implements Storage {
  private readonly studies = new Map<string, MemoryStudy>();
  private readonly byId = new Map<number, MemoryStudy>();
  private readonly trialsById = new Map<number, { study: MemoryStudy; trial: FrozenTrial }>();
  private nextStudyId = 1;
  private nextTrialId = 1;

  async createStudy(name: string, directions: StudyDirection[]): Promise<StudyRecord> {
    if (this.studies.has(name)) throw new TunekitError('DUPLICATE_STUDY', `a study named ${JSON.stringify(name)} already exists (pass loadIfExists: true to continue it)`);
    const study: MemoryStudy = {
      record: { id: this.nextStudyId++, name, directions: [...directions], userAttrs: {}, systemAttrs: {} },
      trials: [],
      claims: new Map(),
      heartbeats: new Map(),
    };
    this.studies.set(name, study);
    this.byId.set(study.record.id, study);
    return structuredClone(study.record);
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    const s = this.studies.get(name);
    return s === undefined ? null : structuredClone(s.record);
  }

  async listStudies(): Promise<StudySummary[]> {
    return [...this.studies.values()].map((s) => ({ ...structuredClone(s.record), nTrials: s.trials.length }));
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
    return t;
  }

  async setStudyAttr(studyId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    const r = this.study(studyId).record;
    (kind === 'user' ? r.userAttrs : r.systemAttrs)[key] = structuredClone(value);
  }

  async setStudySystemAttrIfAbsent(studyId: number, key: string, value: AttrValue): Promise<AttrValue> {
    const attrs = this.study(studyId).record.systemAttrs;
    if (!(key in attrs)) attrs[key] = structuredClone(value);
    return structuredClone(attrs[key]);
  }

  async createTrial(studyId: number, init: NewTrial): Promise<FrozenTrial> {
    const s = this.study(studyId);
    const now = Date.now();
    const trial: FrozenTrial = {
      id: this.nextTrialId++,
      number: s.trials.length,
      state: init.state,
      values: null,
      params: structuredClone(init.params ?? {}),
      distributions: structuredClone(init.distributions ?? {}),
      intermediateValues: {},
      userAttrs: {},
      systemAttrs: structuredClone(init.systemAttrs ?? {}),
      datetimeStart: init.state === 'RUNNING' ? now : null,
      datetimeComplete: null,
    };
    s.trials.push(trial);
    this.trialsById.set(trial.id, { study: s, trial });
    if (init.state === 'RUNNING') s.heartbeats.set(trial.id, now);
    return cloneTrial(trial);
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    const s = this.study(studyId);
    const t = s.trials.find((x) => x.state === 'WAITING');
    if (t === undefined) return null;
    t.state = 'RUNNING';
    t.datetimeStart = Date.now();
    s.heartbeats.set(t.id, t.datetimeStart);
    return cloneTrial(t);
  }

  async setTrialParam(trialId: number, name: string, value: unknown, distribution: Distribution): Promise<void> {
    const { trial } = this.trial(trialId);
    checkTrialState(trial, 'RUNNING', `set parameter ${JSON.stringify(name)}`);
    trial.params[name] = structuredClone(value);
    trial.distributions[name] = structuredClone(distribution);
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    const { trial } = this.trial(trialId);
    checkTrialState(trial, 'RUNNING', `report step ${step}`);
    trial.intermediateValues[step] = value;
  }

  async setTrialAttr(trialId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    const { trial } = this.trial(trialId);
    (kind === 'user' ? trial.userAttrs : trial.systemAttrs)[key] = structuredClone(value);
  }

  async finishTrial(trialId: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', values: number[] | null): Promise<boolean> {
    const { study, trial } = this.trial(trialId);
    if (trial.state !== 'RUNNING') return false;
    trial.state = state;
    trial.values = values === null ? null : [...values];
    trial.datetimeComplete = Date.now();
    study.heartbeats.delete(trialId);
    return true;
  }

  async heartbeat(trialId: number): Promise<void> {
    const { study, trial } = this.trial(trialId);
    if (trial.state === 'RUNNING') study.heartbeats.set(trialId, Date.now());
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<FrozenTrial[]> {
    const s = this.study(studyId);
    const limit = Date.now() - graceSeconds * 1000;
    const out: FrozenTrial[] = [];
    for (const t of s.trials) {
      const beat = s.heartbeats.get(t.id);
      if (t.state === 'RUNNING' && beat !== undefined && beat < limit) {
        t.state = 'FAIL';
        t.datetimeComplete = Date.now();
        s.heartbeats.delete(t.id);
        out.push(cloneTrial(t));
      }
    }
    return out;
  }

  async claimKey(studyId: number, key: string, trialId: number): Promise<boolean> {
    const s = this.study(studyId);
    if (s.claims.has(key)) return false;
    s.claims.set(key, trialId);
    return true;
  }

  async getTrials(studyId: number, states?: readonly TrialState[]): Promise<FrozenTrial[]> {
    const trials = this.study(studyId).trials;
    return (states === undefined ? trials : trials.filter((t) => states.includes(t.state))).map(cloneTrial);
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    return cloneTrial(this.trial(trialId).trial);
  }

  async close(): Promise<void> {}
}
