import { native, guard } from '../native.js';
import { isFeasible } from '../study/constraints.js';
import type { FrozenTrial, Storage, StudyDirection, StudyRecord, TrialState } from '../study/types.js';
import { TRIAL_STATES } from '../study/types.js';

/** Active trials re-read one by one per refresh; above this many, the study is re-read from the oldest active trial on. */
const ACTIVE_ONE_BY_ONE = 64;

/** What the studies list and a study's page show of a study, recomputed when its trials change. */
export interface StudyOverview {
  id: number;
  name: string;
  directions: StudyDirection[];
  /** Trials in the study (every state). */
  nTrials: number;
  /** Trials per state. */
  counts: Record<TrialState, number>;
  /**
   * One objective: the best feasible COMPLETE trial (`null` before one);
   * several: the feasible Pareto front's size and each objective's best value on it.
   */
  best: { number: number; values: number[] } | null;
  /** Several objectives: the trials on the feasible Pareto front (numbers); empty for one objective. */
  paretoFront: number[];
  /** Milliseconds since the epoch of the study's latest trial start or end (`null` with no trial). */
  lastChange: number | null;
  /** Parameter names seen in the study, sorted. */
  paramNames: string[];
  /** Bumped each time a refresh finds a change; a client compares it to what it last saw. */
  version: number;
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
}

const ACTIVE = new Set<TrialState>(['RUNNING', 'WAITING']);

/** Whether two stored forms of one trial differ (state, values, params, intermediate values, attributes, times). */
function differs(a: FrozenTrial, b: FrozenTrial): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

/**
 * One study's trials, kept in memory and brought up to date incrementally:
 * a refresh reads the trials numbered after the last one seen, plus the
 * RUNNING and WAITING ones (the only trials a worker still changes), never
 * the whole study again. Finished trials change afterwards only through
 * attribute edits, which the dashboard makes itself and re-reads
 * ({@link StudyCache.reload}).
 */
export class StudyCache {
  /** Trials by number (holes allowed: an import may skip numbers). */
  private readonly byNumber: (FrozenTrial | undefined)[] = [];
  private readonly active = new Set<number>();
  private nextNumber = 0;
  private inflight: Promise<void> | null = null;
  private lastRefresh = 0;
  private overviewCache: StudyOverview | null = null;
  private listCache: FrozenTrial[] | null = null;
  private readonly memos = new Map<string, unknown>();
  /** Bumped when a refresh finds a change. */
  version = 0;
  /** Set when a refresh finds the study deleted (or deleted and made again under its name). */
  gone = false;

  constructor(
    private readonly storage: Storage,
    public record: StudyRecord,
  ) {}

  /** The trials in number order (the same array until the next change). */
  trials(): FrozenTrial[] {
    if (this.listCache === null) this.listCache = this.byNumber.filter((t): t is FrozenTrial => t !== undefined);
    return this.listCache;
  }

  /** The trial numbered `n`, if the cache has it. */
  trial(n: number): FrozenTrial | undefined {
    return this.byNumber[n];
  }

  /**
   * Brings the cache up to date unless it was refreshed in the last
   * `maxAgeMs` milliseconds; concurrent callers share one refresh.
   */
  async refresh(maxAgeMs = 0): Promise<void> {
    if (this.inflight !== null) return this.inflight;
    if (this.lastRefresh > 0 && Date.now() - this.lastRefresh < maxAgeMs) return;
    this.inflight = this.doRefresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async doRefresh(): Promise<void> {
    const started = Date.now();
    const id = this.record.id;
    let fresh: FrozenTrial[];
    if (this.active.size > ACTIVE_ONE_BY_ONE) {
      fresh = await this.storage.getTrials(id, undefined, Math.min(...this.active));
    } else {
      const newer = await this.storage.getTrials(id, undefined, this.nextNumber);
      const again = await Promise.all([...this.active].filter((n) => n < this.nextNumber).map((n) => this.storage.getTrial((this.byNumber[n] as FrozenTrial).id)));
      fresh = [...again, ...newer];
    }
    let changed = false;
    for (const t of fresh) {
      const old = this.byNumber[t.number];
      if (old !== undefined && !differs(old, t)) continue;
      this.byNumber[t.number] = t;
      changed = true;
      if (ACTIVE.has(t.state)) this.active.add(t.number);
      else this.active.delete(t.number);
      if (t.number >= this.nextNumber) this.nextNumber = t.number + 1;
    }
    const record = await this.storage.getStudy(this.record.name);
    if (record === null || record.id !== this.record.id) this.gone = true;
    else if (JSON.stringify(record) !== JSON.stringify(this.record)) {
      this.record = record;
      changed = true;
    }
    if (changed) this.changed();
    this.lastRefresh = started;
  }

  /** Re-reads one trial (after the dashboard edited its attributes). */
  async reload(n: number): Promise<FrozenTrial | undefined> {
    const old = this.byNumber[n];
    if (old === undefined) return undefined;
    const t = await this.storage.getTrial(old.id);
    this.byNumber[n] = t;
    this.changed();
    return t;
  }

  /** Re-reads the study's record (after the dashboard edited its attributes). */
  async reloadRecord(): Promise<void> {
    const record = await this.storage.getStudy(this.record.name);
    if (record !== null) this.record = record;
    this.changed();
  }

  private changed(): void {
    this.version += 1;
    this.overviewCache = null;
    this.listCache = null;
    this.memos.clear();
  }

  /** A value derived from the trials (a sort order), computed once per version; at most 8 kept. */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = compute();
    if (this.memos.size >= 8) this.memos.delete(this.memos.keys().next().value as string);
    this.memos.set(key, v);
    return v;
  }

  /** The study's overview for the studies list and its page. */
  overview(): StudyOverview {
    if (this.overviewCache !== null) return this.overviewCache;
    const trials = this.trials();
    const directions = this.record.directions;
    const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
    let lastChange: number | null = null;
    const names = new Set<string>();
    const feasible: FrozenTrial[] = [];
    for (const t of trials) {
      counts[t.state] += 1;
      const at = Math.max(t.datetimeStart ?? -Infinity, t.datetimeComplete ?? -Infinity);
      if (Number.isFinite(at) && (lastChange === null || at > lastChange)) lastChange = at;
      for (const k of Object.keys(t.params)) names.add(k);
      if (t.state === 'COMPLETE' && t.values !== null && t.values.length === directions.length && isFeasible(t)) feasible.push(t);
    }
    let best: StudyOverview['best'] = null;
    let paretoFront: number[] = [];
    if (directions.length === 1 && feasible.length > 0) {
      const sign = directions[0] === 'maximize' ? 1 : -1;
      let b = feasible[0] as FrozenTrial;
      for (const t of feasible) if (sign * (t.values as number[])[0]! > sign * (b.values as number[])[0]!) b = t;
      best = { number: b.number, values: b.values as number[] };
    } else if (directions.length > 1 && feasible.length > 0) {
      const values = Float64Array.from(feasible.flatMap((t) => t.values as number[]));
      const front = Array.from(
        guard(() => native.gaParetoFront(values, [...directions])),
        (i) => feasible[i] as FrozenTrial,
      );
      paretoFront = front.map((t) => t.number).sort((a, b) => a - b);
      best = {
        number: -1,
        values: directions.map((d, k) => {
          const vs = front.map((t) => (t.values as number[])[k] as number);
          return d === 'maximize' ? Math.max(...vs) : Math.min(...vs);
        }),
      };
    }
    this.overviewCache = {
      id: this.record.id,
      name: this.record.name,
      directions,
      nTrials: trials.length,
      counts,
      best,
      paretoFront,
      lastChange,
      paramNames: [...names].sort(),
      version: this.version,
      userAttrs: this.record.userAttrs,
      systemAttrs: this.record.systemAttrs,
    };
    return this.overviewCache;
  }
}

/** The caches of every study of one storage, by name. */
export class StorageCache {
  private readonly studies = new Map<string, StudyCache>();

  constructor(private readonly storage: Storage) {}

  /** The study's cache, up to date within `maxAgeMs`; null if the storage has no such study. */
  async study(name: string, maxAgeMs: number): Promise<StudyCache | null> {
    let c = this.studies.get(name);
    if (c === undefined) {
      const record = await this.storage.getStudy(name);
      if (record === null) return null;
      c = new StudyCache(this.storage, record);
      this.studies.set(name, c);
    }
    await c.refresh(maxAgeMs);
    if (c.gone) {
      // Deleted (or deleted and made again under its name) since it was cached.
      this.studies.delete(name);
      return (await this.storage.getStudy(name)) === null ? null : this.study(name, maxAgeMs);
    }
    return c;
  }

  /** Every study's cache, up to date within `maxAgeMs`, in the storage's order. */
  async all(maxAgeMs: number): Promise<StudyCache[]> {
    const list = await this.storage.listStudies();
    const names = new Set(list.map((s) => s.name));
    for (const name of this.studies.keys()) if (!names.has(name)) this.studies.delete(name);
    const out = await Promise.all(list.map((s) => this.study(s.name, maxAgeMs)));
    return out.filter((c): c is StudyCache => c !== null);
  }
}
