import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { TunekitError } from '../../errors.js';
import type { AttrValue, Distribution, FrozenTrial, NewTrial, Storage, StudyDirection, StudyRecord, StudySummary, TrialState } from '../types.js';
import { checkTrialState, encodeValue, fromJson, studyNotFound, toJson, trialNotFound } from './common.js';
import { assembleTrials, migrations, SCHEMA_VERSION, SQL, type AttrRow, type IntermediateRow, type ParamRow, type TrialRow, type ValueRow } from './sql.js';

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
 * several rows run in one `BEGIN IMMEDIATE` transaction.
 */
export class SqliteStorage implements Storage {
  private readonly db: BetterSqlite3.Database;
  private readonly stmts = new Map<string, Statement>();

  constructor(path: string, options: SqliteStorageOptions = {}) {
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
      throw new TunekitError('STORAGE_ERROR', `cannot open the SQLite database ${JSON.stringify(path)}: ${(err as Error).message}`, { cause: err });
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

  private tx<T>(f: () => T): T {
    return this.db.transaction(f).immediate();
  }

  async createStudy(name: string, directions: StudyDirection[]): Promise<StudyRecord> {
    try {
      const row = this.st(SQL.insertStudy).get(name, JSON.stringify(directions)) as { id: number };
      return { id: row.id, name, directions: [...directions], userAttrs: {}, systemAttrs: {} };
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new TunekitError('DUPLICATE_STUDY', `a study named ${JSON.stringify(name)} already exists (pass loadIfExists: true to continue it)`);
      }
      throw err;
    }
  }

  private attrs(studyId: number): Pick<StudyRecord, 'userAttrs' | 'systemAttrs'> {
    const out = { userAttrs: {} as Record<string, AttrValue>, systemAttrs: {} as Record<string, AttrValue> };
    for (const r of this.st(SQL.studyAttrs).all(studyId) as { kind: string; key: string; value_json: string }[]) {
      (r.kind === 'user' ? out.userAttrs : out.systemAttrs)[r.key] = fromJson(r.value_json);
    }
    return out;
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    const row = this.st(SQL.studyByName).get(name) as { id: number; name: string; directions: string } | undefined;
    if (row === undefined) return null;
    return { id: row.id, name: row.name, directions: JSON.parse(row.directions) as StudyDirection[], ...this.attrs(row.id) };
  }

  async listStudies(): Promise<StudySummary[]> {
    const rows = this.st(SQL.listStudies).all() as { id: number; name: string; directions: string; n_trials: number }[];
    return rows.map((r) => ({ id: r.id, name: r.name, directions: JSON.parse(r.directions) as StudyDirection[], ...this.attrs(r.id), nTrials: Number(r.n_trials) }));
  }

  async deleteStudy(name: string): Promise<boolean> {
    return this.st(SQL.deleteStudy).run(name).changes > 0;
  }

  async setStudyAttr(studyId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    this.st(SQL.upsertStudyAttr).run(studyId, kind, key, toJson(value));
  }

  async setStudySystemAttrIfAbsent(studyId: number, key: string, value: AttrValue): Promise<AttrValue> {
    return this.tx(() => {
      this.st(SQL.insertStudyAttrIfAbsent).run(studyId, 'system', key, toJson(value));
      const row = this.st(SQL.studyAttr).get(studyId, 'system', key) as { value_json: string };
      return fromJson(row.value_json);
    });
  }

  async createTrial(studyId: number, init: NewTrial): Promise<FrozenTrial> {
    const now = Date.now();
    const running = init.state === 'RUNNING';
    const id = this.tx(() => {
      const numbered = this.st(SQL.nextNumber).get(studyId) as { number: number } | undefined;
      if (numbered === undefined) throw studyNotFound(studyId);
      const { id } = this.st(SQL.insertTrial).get(studyId, numbered.number, init.state, running ? now : null, running ? now : null) as { id: number };
      for (const [name, value] of Object.entries(init.params ?? {})) {
        this.st(SQL.upsertParam).run(id, name, toJson(value), toJson(init.distributions?.[name] ?? null));
      }
      for (const [key, value] of Object.entries(init.systemAttrs ?? {})) this.st(SQL.upsertTrialAttr).run(id, 'system', key, toJson(value));
      return id;
    });
    return this.getTrial(id);
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    const now = Date.now();
    const id = this.tx(() => {
      const row = this.st("SELECT id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1").get(studyId) as { id: number } | undefined;
      if (row === undefined) return null;
      this.st("UPDATE trials SET state = 'RUNNING', datetime_start = ?, heartbeat = ? WHERE id = ?").run(now, now, row.id);
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
    this.state(trialId);
    this.st(SQL.upsertTrialAttr).run(trialId, kind, key, toJson(value));
  }

  async finishTrial(trialId: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', values: number[] | null): Promise<boolean> {
    return this.tx(() => {
      this.state(trialId);
      if (this.st(SQL.finishTrial).run(state, Date.now(), trialId).changes === 0) return false;
      (values ?? []).forEach((x, i) => {
        const { value, kind } = encodeValue(x);
        this.st(SQL.insertValue).run(trialId, i, value, kind);
      });
      return true;
    });
  }

  async heartbeat(trialId: number): Promise<void> {
    this.st(SQL.heartbeat).run(Date.now(), trialId);
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<FrozenTrial[]> {
    const now = Date.now();
    const rows = this.st(SQL.failStale).all(now, studyId, now - graceSeconds * 1000) as { id: number }[];
    return Promise.all(rows.map((r) => this.getTrial(r.id)));
  }

  async claimKey(studyId: number, key: string, trialId: number): Promise<boolean> {
    return this.st(SQL.insertClaim).run(studyId, key, trialId).changes > 0;
  }

  async getTrials(studyId: number, states?: readonly TrialState[]): Promise<FrozenTrial[]> {
    // One read transaction: a consistent snapshot while other processes write.
    return this.db.transaction(() =>
      assembleTrials(
        this.st(SQL.trials).all(studyId) as TrialRow[],
        this.st(SQL.values).all(studyId) as ValueRow[],
        this.st(SQL.params).all(studyId) as ParamRow[],
        this.st(SQL.intermediate).all(studyId) as IntermediateRow[],
        this.st(SQL.trialAttrs).all(studyId) as AttrRow[],
        states,
      ),
    )();
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    return this.db.transaction(() => {
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
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
