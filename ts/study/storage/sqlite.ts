import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { TunekitError } from '../../errors.js';
import type { AttrValue, Distribution, FrozenTrial, NewTrial, ReapPolicy, StartGuard, Storage, StudyDirection, StudyRecord, StudySummary, TrialState } from '../types.js';
import { checkKey, checkTrialState, claimTaken, encodeValue, fromJson, reapedAttrs, retryOf, storageError, studyNotFound, toJson, trialLimit, trialNotFound } from './common.js';
import { assembleTrials, migrations, SCHEMA_VERSION, SQL, type AttrRow, type IntermediateRow, type ParamRow, type TrialRow, type ValueRow } from './sql.js';
import { keyedRecord } from '../../keyed.js';

const require = createRequire(import.meta.url);

/** Options of {@link SqliteStorage}. */
export interface SqliteStorageOptions {
  /** Milliseconds a write waits for another process's lock before failing. @default 30000 */
  busyTimeoutMs?: number;
}

type Statement = BetterSqlite3.Statement;

/**
 * Studies in an SQLite file (better-sqlite3): WAL journal, a busy timeout so
 * several processes on one machine can share the file, foreign keys on,
 * every statement prepared once with bound parameters. Writes that touch
 * several rows run in one `BEGIN IMMEDIATE` transaction. Driver errors
 * (a full disk, a locked file) come out as one-line `STORAGE_ERROR`s.
 */
export class SqliteStorage implements Storage {
  readonly url: string;
  private readonly db: BetterSqlite3.Database;
  private readonly stmts = new Map<string, Statement>();

  constructor(path: string, options: SqliteStorageOptions = {}) {
    this.url = `sqlite:${path}`;
    let Database: typeof BetterSqlite3;
    try {
      Database = require('better-sqlite3') as typeof BetterSqlite3;
    } catch (err) {
      throw new TunekitError('STORAGE_ERROR', `SQLite storage needs the better-sqlite3 package: ${(err as Error).message}`, { cause: err });
    }
    try {
      this.db = new Database(path, { timeout: options.busyTimeoutMs ?? 30_000 });
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.migrate();
    } catch (err) {
      if (err instanceof TunekitError) throw err;
      const message = (err as Error).message;
      // npm 11.16+ skips dependency install scripts until approved, which
      // leaves better-sqlite3 without its compiled binding.
      const hint = /bindings file|better_sqlite3\.node/.test(message)
        ? ' (better-sqlite3 has no compiled binding: its install script was probably skipped; run `npm install-scripts approve better-sqlite3 && npm rebuild better-sqlite3` in your project)'
        : '';
      throw new TunekitError('STORAGE_ERROR', `cannot open the SQLite database ${JSON.stringify(path)}: ${message}${hint}`, { cause: err });
    }
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS tunekit_schema (version INTEGER NOT NULL)');
    this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT version FROM tunekit_schema').get() as { version: number } | undefined;
        const current = row?.version ?? 0;
        if (current > SCHEMA_VERSION) {
          throw new TunekitError('STORAGE_ERROR', `the database has schema version ${current}, newer than this tunekit's ${SCHEMA_VERSION}: upgrade tunekit`);
        }
        const all = migrations('sqlite');
        for (let v = current; v < SCHEMA_VERSION; v++) for (const sql of all[v] as string[]) this.db.exec(sql);
        if (row === undefined) this.db.prepare('INSERT INTO tunekit_schema (version) VALUES (?)').run(SCHEMA_VERSION);
        else if (current < SCHEMA_VERSION) this.db.prepare('UPDATE tunekit_schema SET version = ?').run(SCHEMA_VERSION);
      })
      .immediate();
  }

  private st(sql: string): Statement {
    let s = this.stmts.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Runs driver calls, turning their errors into STORAGE_ERRORs. */
  private io<T>(f: () => T): T {
    try {
      return f();
    } catch (err) {
      throw storageError('SQLite', err);
    }
  }

  /** A write transaction (BEGIN IMMEDIATE): all of `f` or nothing. */
  private tx<T>(f: () => T): T {
    return this.io(() => this.db.transaction(f).immediate());
  }

  /** Trials started so far (every state but WAITING). */
  private started(studyId: number): number {
    const row = this.st(SQL.startedTrials).get(studyId) as { started: number } | undefined;
    if (row === undefined) throw studyNotFound(studyId);
    return Number(row.started);
  }

  async createStudy(name: string, directions: StudyDirection[]): Promise<StudyRecord> {
    checkKey('a study name', name);
    try {
      const row = this.st(SQL.insertStudy).get(name, JSON.stringify(directions)) as { id: number };
      return { id: row.id, name, directions: [...directions], userAttrs: keyedRecord(), systemAttrs: keyedRecord() };
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new TunekitError('DUPLICATE_STUDY', `a study named ${JSON.stringify(name)} already exists (pass loadIfExists: true to continue it)`);
      }
      throw storageError('SQLite', err);
    }
  }

  private attrs(studyId: number): Pick<StudyRecord, 'userAttrs' | 'systemAttrs'> {
    const out = { userAttrs: keyedRecord<AttrValue>(), systemAttrs: keyedRecord<AttrValue>() };
    for (const r of this.st(SQL.studyAttrs).all(studyId) as { kind: string; key: string; value_json: string }[]) {
      (r.kind === 'user' ? out.userAttrs : out.systemAttrs)[r.key] = fromJson(r.value_json);
    }
    return out;
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    return this.io(() => {
      const row = this.st(SQL.studyByName).get(name) as { id: number; name: string; directions: string } | undefined;
      if (row === undefined) return null;
      return { id: row.id, name: row.name, directions: JSON.parse(row.directions) as StudyDirection[], ...this.attrs(row.id) };
    });
  }

  async listStudies(): Promise<StudySummary[]> {
    return this.io(() => {
      const rows = this.st(SQL.listStudies).all() as { id: number; name: string; directions: string; n_trials: number }[];
      return rows.map((r) => ({ id: r.id, name: r.name, directions: JSON.parse(r.directions) as StudyDirection[], ...this.attrs(r.id), nTrials: Number(r.n_trials) }));
    });
  }

  async deleteStudy(name: string): Promise<boolean> {
    return this.io(() => this.st(SQL.deleteStudy).run(name).changes > 0);
  }

  async setStudyAttr(studyId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    checkKey('an attribute key', key);
    this.io(() => this.st(SQL.upsertStudyAttr).run(studyId, kind, key, toJson(value)));
  }

  async getStudyAttr(studyId: number, kind: 'user' | 'system', key: string): Promise<AttrValue> {
    const row = this.io(() => this.st(SQL.studyAttr).get(studyId, kind, key)) as { value_json: string } | undefined;
    return row === undefined ? undefined : fromJson(row.value_json);
  }

  async setStudySystemAttrIfAbsent(studyId: number, key: string, value: AttrValue): Promise<AttrValue> {
    checkKey('an attribute key', key);
    return this.tx(() => {
      this.st(SQL.insertStudyAttrIfAbsent).run(studyId, 'system', key, toJson(value));
      const row = this.st(SQL.studyAttr).get(studyId, 'system', key) as { value_json: string };
      return fromJson(row.value_json);
    });
  }

  async createTrial(studyId: number, init: NewTrial, guard: StartGuard = {}): Promise<FrozenTrial> {
    for (const name of Object.keys(init.params ?? {})) checkKey('a parameter name', name);
    return this.getTrial(this.tx(() => this.insertTrial(studyId, init, guard)));
  }

  /** The body of createTrial, inside a caller's transaction; returns the new trial's id. */
  private insertTrial(studyId: number, init: NewTrial, guard: StartGuard): number {
    const now = Date.now();
    const running = init.state === 'RUNNING';
    if (running && guard.maxTrials !== undefined && this.started(studyId) >= guard.maxTrials) throw trialLimit(guard.maxTrials);
    const numbered = this.st(SQL.nextNumber).get(studyId) as { number: number } | undefined;
    if (numbered === undefined) throw studyNotFound(studyId);
    const { id } = this.st(SQL.insertTrial).get(studyId, numbered.number, init.state, running ? now : null, running ? now : null) as { id: number };
    if (guard.claim !== undefined && this.st(SQL.insertClaim).run(studyId, guard.claim, id).changes === 0) throw claimTaken(guard.claim);
    for (const [name, value] of Object.entries(init.params ?? {})) {
      this.st(SQL.upsertParam).run(id, name, toJson(value), toJson(init.distributions?.[name] ?? null));
    }
    for (const [key, value] of Object.entries(init.systemAttrs ?? {})) this.st(SQL.upsertTrialAttr).run(id, 'system', key, toJson(value));
    return id;
  }

  async claimWaitingTrial(studyId: number, guard: Pick<StartGuard, 'maxTrials'> = {}): Promise<FrozenTrial | null> {
    const now = Date.now();
    const id = this.tx(() => {
      const row = this.st(SQL.oldestWaiting).get(studyId) as { id: number } | undefined;
      if (row === undefined) return null;
      if (guard.maxTrials !== undefined && this.started(studyId) >= guard.maxTrials) throw trialLimit(guard.maxTrials);
      this.st(SQL.startWaiting).run(now, now, row.id);
      return row.id;
    });
    return id === null ? null : this.getTrial(id);
  }

  private state(trialId: number): { number: number; state: TrialState } {
    const row = this.st(SQL.trialState).get(trialId) as { number: number; state: TrialState } | undefined;
    if (row === undefined) throw trialNotFound(trialId);
    return row;
  }

  async setTrialParam(trialId: number, name: string, value: unknown, distribution: Distribution): Promise<void> {
    await this.setTrialParams(trialId, { [name]: value }, { [name]: distribution });
  }

  async setTrialParams(trialId: number, params: Record<string, unknown>, distributions: Record<string, Distribution>): Promise<void> {
    for (const name of Object.keys(params)) checkKey('a parameter name', name);
    this.tx(() => {
      checkTrialState(this.state(trialId), 'RUNNING', `set parameter ${JSON.stringify(Object.keys(params)[0])}`);
      for (const [name, value] of Object.entries(params)) this.st(SQL.upsertParam).run(trialId, name, toJson(value), toJson(distributions[name] ?? null));
    });
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    const { value: v, kind } = encodeValue(value);
    this.tx(() => {
      checkTrialState(this.state(trialId), 'RUNNING', `report step ${step}`);
      this.st(SQL.upsertIntermediate).run(trialId, step, v, kind);
    });
  }

  async setTrialAttr(trialId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    checkKey('an attribute key', key);
    this.io(() => {
      this.state(trialId);
      this.st(SQL.upsertTrialAttr).run(trialId, kind, key, toJson(value));
    });
  }

  async finishTrial(trialId: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', values: number[] | null, systemAttrs: Record<string, AttrValue> = {}): Promise<boolean> {
    return this.tx(() => {
      this.state(trialId);
      if (this.st(SQL.finishTrial).run(state, Date.now(), trialId).changes === 0) return false;
      (values ?? []).forEach((x, i) => {
        const { value, kind } = encodeValue(x);
        this.st(SQL.insertValue).run(trialId, i, value, kind);
      });
      for (const [key, value] of Object.entries(systemAttrs)) this.st(SQL.upsertTrialAttr).run(trialId, 'system', key, toJson(value));
      return true;
    });
  }

  async heartbeat(trialId: number): Promise<void> {
    this.io(() => this.st(SQL.heartbeat).run(Date.now(), trialId));
  }

  async failStaleTrials(studyId: number, policy: ReapPolicy): Promise<FrozenTrial[]> {
    const now = Date.now();
    const exclude = new Set(policy.exclude ?? []);
    const ids = this.tx(() => {
      const failed: number[] = [];
      for (const { id } of this.st(SQL.staleTrials).all(studyId, now - policy.graceSeconds * 1000) as { id: number }[]) {
        if (exclude.has(id) || this.st(SQL.finishTrial).run('FAIL', now, id).changes === 0) continue;
        for (const [key, value] of Object.entries(reapedAttrs(policy.reason))) this.st(SQL.upsertTrialAttr).run(id, 'system', key, toJson(value));
        const retry = retryOf(this.readTrial(id), policy.maxRetries);
        if (retry !== null) this.insertTrial(studyId, retry, {});
        failed.push(id);
      }
      return failed;
    });
    return Promise.all(ids.map((id) => this.getTrial(id)));
  }

  async claimKey(studyId: number, key: string, trialId: number): Promise<boolean> {
    checkKey('a claim key', key);
    return this.io(() => this.st(SQL.insertClaim).run(studyId, key, trialId).changes > 0);
  }

  async getTrials(studyId: number, states?: readonly TrialState[], fromNumber = 0): Promise<FrozenTrial[]> {
    // One read transaction: a consistent snapshot while other processes write.
    return this.io(() =>
      this.db.transaction(() =>
        assembleTrials(
          this.st(SQL.trials).all(studyId, fromNumber) as TrialRow[],
          this.st(SQL.values).all(studyId, fromNumber) as ValueRow[],
          this.st(SQL.params).all(studyId, fromNumber) as ParamRow[],
          this.st(SQL.intermediate).all(studyId, fromNumber) as IntermediateRow[],
          this.st(SQL.trialAttrs).all(studyId, fromNumber) as AttrRow[],
          states,
        ),
      )(),
    );
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    return this.io(() => this.db.transaction(() => this.readTrial(trialId))());
  }

  /** One trial, read inside the caller's transaction. */
  private readTrial(trialId: number): FrozenTrial {
    const row = this.st(SQL.trialById).get(trialId) as TrialRow | undefined;
    if (row === undefined) throw trialNotFound(trialId);
    const [trial] = assembleTrials(
      [row],
      this.st(SQL.valuesOf).all(trialId) as ValueRow[],
      this.st(SQL.paramsOf).all(trialId) as ParamRow[],
      this.st(SQL.intermediateOf).all(trialId) as IntermediateRow[],
      this.st(SQL.trialAttrsOf).all(trialId) as AttrRow[],
    );
    return trial as FrozenTrial;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
