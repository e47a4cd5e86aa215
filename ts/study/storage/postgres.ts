import { createRequire } from 'node:module';
import type * as PgTypes from 'pg';
import { TunekitError } from '../../errors.js';
import type { AttrValue, Distribution, FrozenTrial, NewTrial, ReapPolicy, StartGuard, Storage, StudyDirection, StudyRecord, StudySummary, TrialState } from '../types.js';
import { checkKey, checkTrialState, claimTaken, encodeValue, fromJson, reapedAttrs, retryOf, storageError, studyNotFound, toJson, trialLimit, trialNotFound } from './common.js';
import { assembleTrials, migrations, SCHEMA_VERSION, SQL, type AttrRow, type IntermediateRow, type ParamRow, type TrialRow, type ValueRow } from './sql.js';
import { keyedRecord } from '../../keyed.js';

const require = createRequire(import.meta.url);

/** Options of {@link PostgresStorage}. */
export interface PostgresStorageOptions {
  /** Connections in the pool. @default 4 */
  poolSize?: number;
}

type Client = PgTypes.PoolClient | PgTypes.Pool;

/** `?` placeholders to PostgreSQL's `$1, $2, …` (our statements have no `?` inside literals). */
function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

const NOW_EXPR = '(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::float8';
const NOW = `SELECT ${NOW_EXPR} AS now`;
/** Key of the advisory lock that serialises schema migrations across workers. */
const MIGRATION_LOCK = 0x74756e65;

/**
 * Studies in PostgreSQL (node-postgres pool), for workers on many machines.
 * Trial numbers come from a per-study counter updated in the same transaction
 * as the insert (the row lock serialises concurrent workers; the unique
 * constraint on (study, number) backs it up); heartbeats and the stale-trial
 * check use the database server's clock, so workers' clocks need not agree.
 * Driver errors come out as one-line `STORAGE_ERROR`s with PostgreSQL's code.
 */
export class PostgresStorage implements Storage {
  /** The connection URL (kept in memory only: it may hold a password). */
  readonly url: string;
  private readonly pool: PgTypes.Pool;
  private ready: Promise<void>;

  constructor(url: string, options: PostgresStorageOptions = {}) {
    this.url = url;
    let pg: typeof PgTypes;
    try {
      pg = require('pg') as typeof PgTypes;
    } catch (err) {
      throw new TunekitError('STORAGE_ERROR', `PostgreSQL storage needs the pg package: ${(err as Error).message}`, { cause: err });
    }
    this.pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 4 });
    // An idle client's network error must not crash the process; the next query reports it.
    this.pool.on('error', () => {});
    this.ready = this.migrate().catch((err: unknown) => {
      if (err instanceof TunekitError) throw err;
      throw new TunekitError('STORAGE_ERROR', `cannot open the PostgreSQL database: ${(err as Error).message}`, { cause: err });
    });
    // Reported to whoever awaits it, never as an unhandled rejection.
    this.ready.catch(() => {});
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query('CREATE TABLE IF NOT EXISTS tunekit_schema (version INTEGER NOT NULL)');
      const { rows } = await c.query('SELECT version FROM tunekit_schema');
      const current = rows.length === 0 ? 0 : Number(rows[0].version);
      if (current > SCHEMA_VERSION) {
        throw new TunekitError('STORAGE_ERROR', `the database has schema version ${current}, newer than this tunekit's ${SCHEMA_VERSION}: upgrade tunekit`);
      }
      const all = migrations('postgres');
      for (let v = current; v < SCHEMA_VERSION; v++) for (const sql of all[v] as string[]) await c.query(sql);
      if (rows.length === 0) await c.query('INSERT INTO tunekit_schema (version) VALUES ($1)', [SCHEMA_VERSION]);
      else if (current < SCHEMA_VERSION) await c.query('UPDATE tunekit_schema SET version = $1', [SCHEMA_VERSION]);
    }, false);
  }

  private async q<R = Record<string, unknown>>(c: Client, sql: string, params: unknown[] = []): Promise<{ rows: R[]; rowCount: number }> {
    try {
      const r = await c.query(numbered(sql), params);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    } catch (err) {
      // A unique violation stays raw for the callers that turn it into DUPLICATE_STUDY.
      throw (err as { code?: string }).code === '23505' ? err : storageError('PostgreSQL', err);
    }
  }

  /** Trials started so far (every state but WAITING); call after locking the study row. */
  private async started(c: Client, studyId: number): Promise<number> {
    const { rows } = await this.q<{ started: string }>(c, SQL.startedTrials, [studyId]);
    if (rows[0] === undefined) throw studyNotFound(studyId);
    return Number(rows[0].started);
  }

  private async transaction<T>(f: (c: PgTypes.PoolClient) => Promise<T>, wait = true): Promise<T> {
    if (wait) await this.ready;
    const c = await this.connect();
    try {
      await c.query('BEGIN');
      const out = await f(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw storageError('PostgreSQL', err);
    } finally {
      c.release();
    }
  }

  private async connect(): Promise<PgTypes.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw storageError('PostgreSQL', err);
    }
  }

  private async db(): Promise<PgTypes.Pool> {
    await this.ready;
    return this.pool;
  }

  private async now(c: Client): Promise<number> {
    const { rows } = await c.query(NOW);
    return Number(rows[0].now);
  }

  async createStudy(name: string, directions: StudyDirection[]): Promise<StudyRecord> {
    checkKey('a study name', name);
    try {
      const { rows } = await this.q<{ id: string }>(await this.db(), SQL.insertStudy, [name, JSON.stringify(directions)]);
      return { id: Number(rows[0]?.id), name, directions: [...directions], userAttrs: keyedRecord(), systemAttrs: keyedRecord() };
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        throw new TunekitError('DUPLICATE_STUDY', `a study named ${JSON.stringify(name)} already exists (pass loadIfExists: true to continue it)`);
      }
      throw storageError('PostgreSQL', err);
    }
  }

  private async attrs(c: Client, studyId: number): Promise<Pick<StudyRecord, 'userAttrs' | 'systemAttrs'>> {
    const out = { userAttrs: keyedRecord<AttrValue>(), systemAttrs: keyedRecord<AttrValue>() };
    const { rows } = await this.q<{ kind: string; key: string; value_json: string }>(c, SQL.studyAttrs, [studyId]);
    for (const r of rows) (r.kind === 'user' ? out.userAttrs : out.systemAttrs)[r.key] = fromJson(r.value_json);
    return out;
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    const db = await this.db();
    const { rows } = await this.q<{ id: string; name: string; directions: string }>(db, SQL.studyByName, [name]);
    const row = rows[0];
    if (row === undefined) return null;
    const id = Number(row.id);
    return { id, name: row.name, directions: JSON.parse(row.directions) as StudyDirection[], ...(await this.attrs(db, id)) };
  }

  async listStudies(): Promise<StudySummary[]> {
    const db = await this.db();
    const { rows } = await this.q<{ id: string; name: string; directions: string; n_trials: string }>(db, SQL.listStudies);
    return Promise.all(
      rows.map(async (r) => ({
        id: Number(r.id),
        name: r.name,
        directions: JSON.parse(r.directions) as StudyDirection[],
        ...(await this.attrs(db, Number(r.id))),
        nTrials: Number(r.n_trials),
      })),
    );
  }

  async deleteStudy(name: string): Promise<boolean> {
    return (await this.q(await this.db(), SQL.deleteStudy, [name])).rowCount > 0;
  }

  async setStudyAttr(studyId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    checkKey('an attribute key', key);
    await this.q(await this.db(), SQL.upsertStudyAttr, [studyId, kind, key, toJson(value)]);
  }

  async getStudyAttr(studyId: number, kind: 'user' | 'system', key: string): Promise<AttrValue> {
    const { rows } = await this.q<{ value_json: string }>(await this.db(), SQL.studyAttr, [studyId, kind, key]);
    return rows[0] === undefined ? undefined : fromJson(rows[0].value_json);
  }

  async setStudySystemAttrIfAbsent(studyId: number, key: string, value: AttrValue): Promise<AttrValue> {
    checkKey('an attribute key', key);
    const db = await this.db();
    await this.q(db, SQL.insertStudyAttrIfAbsent, [studyId, 'system', key, toJson(value)]);
    const { rows } = await this.q<{ value_json: string }>(db, SQL.studyAttr, [studyId, 'system', key]);
    return fromJson((rows[0] as { value_json: string }).value_json);
  }

  async createTrial(studyId: number, init: NewTrial, guard: StartGuard = {}): Promise<FrozenTrial> {
    for (const name of Object.keys(init.params ?? {})) checkKey('a parameter name', name);
    const id = await this.transaction((c) => this.insertTrial(c, studyId, init, guard));
    return this.getTrial(id);
  }

  /** The body of createTrial, inside the caller's transaction; returns the new trial's id. */
  private async insertTrial(c: PgTypes.PoolClient, studyId: number, init: NewTrial, guard: StartGuard): Promise<number> {
    const running = init.state === 'RUNNING';
    const now = await this.now(c);
    // Taking the counter locks the study row: starts of one study are serialised, so the cap below is exact.
    const numbered_ = await this.q<{ number: string }>(c, SQL.nextNumber, [studyId]);
    const row = numbered_.rows[0];
    if (row === undefined) throw studyNotFound(studyId);
    // The counter already includes the new trial.
    if (running && guard.maxTrials !== undefined && (await this.started(c, studyId)) > guard.maxTrials) throw trialLimit(guard.maxTrials);
    const ins = await this.q<{ id: string }>(c, SQL.insertTrial, [studyId, Number(row.number), init.state, running ? now : null, running ? now : null]);
    const id = Number(ins.rows[0]?.id);
    if (guard.claim !== undefined && (await this.q(c, SQL.insertClaim, [studyId, guard.claim, id])).rowCount === 0) throw claimTaken(guard.claim);
    for (const [name, value] of Object.entries(init.params ?? {})) {
      await this.q(c, SQL.upsertParam, [id, name, toJson(value), toJson(init.distributions?.[name] ?? null)]);
    }
    for (const [key, value] of Object.entries(init.systemAttrs ?? {})) await this.q(c, SQL.upsertTrialAttr, [id, 'system', key, toJson(value)]);
    return id;
  }

  async claimWaitingTrial(studyId: number, guard: Pick<StartGuard, 'maxTrials'> = {}): Promise<FrozenTrial | null> {
    const id = await this.transaction(async (c) => {
      const now = await this.now(c);
      const { rows } = await this.q<{ id: string }>(c, `${SQL.oldestWaiting} FOR UPDATE SKIP LOCKED`, [studyId]);
      if (rows[0] === undefined) return null;
      if (guard.maxTrials !== undefined) {
        await this.q(c, 'SELECT id FROM studies WHERE id = ? FOR UPDATE', [studyId]);
        if ((await this.started(c, studyId)) >= guard.maxTrials) throw trialLimit(guard.maxTrials);
      }
      const id = Number(rows[0].id);
      await this.q(c, SQL.startWaiting, [now, now, id]);
      return id;
    });
    return id === null ? null : this.getTrial(id);
  }

  private async state(c: Client, trialId: number, lock = false): Promise<{ number: number; state: TrialState }> {
    const { rows } = await this.q<{ number: string; state: TrialState }>(c, lock ? `${SQL.trialState} FOR UPDATE` : SQL.trialState, [trialId]);
    const row = rows[0];
    if (row === undefined) throw trialNotFound(trialId);
    return { number: Number(row.number), state: row.state };
  }

  async setTrialParam(trialId: number, name: string, value: unknown, distribution: Distribution): Promise<void> {
    await this.setTrialParams(trialId, { [name]: value }, { [name]: distribution });
  }

  async setTrialParams(trialId: number, params: Record<string, unknown>, distributions: Record<string, Distribution>): Promise<void> {
    for (const name of Object.keys(params)) checkKey('a parameter name', name);
    await this.transaction(async (c) => {
      checkTrialState(await this.state(c, trialId, true), 'RUNNING', `set parameter ${JSON.stringify(Object.keys(params)[0])}`);
      for (const [name, value] of Object.entries(params)) await this.q(c, SQL.upsertParam, [trialId, name, toJson(value), toJson(distributions[name] ?? null)]);
    });
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    const { value: v, kind } = encodeValue(value);
    await this.transaction(async (c) => {
      checkTrialState(await this.state(c, trialId, true), 'RUNNING', `report step ${step}`);
      await this.q(c, SQL.upsertIntermediate, [trialId, step, v, kind]);
    });
  }

  async setTrialAttr(trialId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    checkKey('an attribute key', key);
    const db = await this.db();
    await this.state(db, trialId);
    await this.q(db, SQL.upsertTrialAttr, [trialId, kind, key, toJson(value)]);
  }

  async finishTrial(trialId: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', values: number[] | null, systemAttrs: Record<string, AttrValue> = {}): Promise<boolean> {
    return this.transaction(async (c) => {
      await this.state(c, trialId, true);
      const now = await this.now(c);
      if ((await this.q(c, SQL.finishTrial, [state, now, trialId])).rowCount === 0) return false;
      for (const [i, x] of (values ?? []).entries()) {
        const { value, kind } = encodeValue(x);
        await this.q(c, SQL.insertValue, [trialId, i, value, kind]);
      }
      for (const [key, value] of Object.entries(systemAttrs)) await this.q(c, SQL.upsertTrialAttr, [trialId, 'system', key, toJson(value)]);
      return true;
    });
  }

  async heartbeat(trialId: number): Promise<void> {
    const db = await this.db();
    await this.q(db, `UPDATE trials SET heartbeat = ${NOW_EXPR} WHERE id = ? AND state = 'RUNNING'`, [trialId]);
  }

  async failStaleTrials(studyId: number, policy: ReapPolicy): Promise<FrozenTrial[]> {
    const exclude = new Set(policy.exclude ?? []);
    const ids = await this.transaction(async (c) => {
      const now = await this.now(c);
      // Rows another worker is reaping right now are skipped, not waited for.
      const { rows } = await this.q<{ id: string }>(c, `${SQL.staleTrials} FOR UPDATE SKIP LOCKED`, [studyId, now - policy.graceSeconds * 1000]);
      const failed: number[] = [];
      for (const id of rows.map((r) => Number(r.id))) {
        if (exclude.has(id) || (await this.q(c, SQL.finishTrial, ['FAIL', now, id])).rowCount === 0) continue;
        for (const [key, value] of Object.entries(reapedAttrs(policy.reason))) await this.q(c, SQL.upsertTrialAttr, [id, 'system', key, toJson(value)]);
        const retry = retryOf(await this.getTrial(id, c), policy.maxRetries);
        if (retry !== null) await this.insertTrial(c, studyId, retry, {});
        failed.push(id);
      }
      return failed;
    });
    return Promise.all(ids.map((id) => this.getTrial(id)));
  }

  async claimKey(studyId: number, key: string, trialId: number): Promise<boolean> {
    checkKey('a claim key', key);
    return (await this.q(await this.db(), SQL.insertClaim, [studyId, key, trialId])).rowCount > 0;
  }

  async getTrials(studyId: number, states?: readonly TrialState[], fromNumber = 0): Promise<FrozenTrial[]> {
    // REPEATABLE READ: the five queries see one snapshot while other workers write.
    await this.ready;
    const c = await this.connect();
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const trials = await this.q<TrialRow>(c, SQL.trials, [studyId, fromNumber]);
      const values = await this.q<ValueRow>(c, SQL.values, [studyId, fromNumber]);
      const params = await this.q<ParamRow>(c, SQL.params, [studyId, fromNumber]);
      const inter = await this.q<IntermediateRow>(c, SQL.intermediate, [studyId, fromNumber]);
      const attrs = await this.q<AttrRow>(c, SQL.trialAttrs, [studyId, fromNumber]);
      await c.query('COMMIT');
      return assembleTrials(trials.rows, values.rows, params.rows, inter.rows, attrs.rows, states);
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }

  /** One trial; inside a transaction when given its client. */
  async getTrial(trialId: number, client?: Client): Promise<FrozenTrial> {
    const db = client ?? (await this.db());
    const { rows } = await this.q<TrialRow>(db, SQL.trialById, [trialId]);
    const row = rows[0];
    if (row === undefined) throw trialNotFound(trialId);
    const [trial] = assembleTrials(
      [row],
      (await this.q<ValueRow>(db, SQL.valuesOf, [trialId])).rows,
      (await this.q<ParamRow>(db, SQL.paramsOf, [trialId])).rows,
      (await this.q<IntermediateRow>(db, SQL.intermediateOf, [trialId])).rows,
      (await this.q<AttrRow>(db, SQL.trialAttrsOf, [trialId])).rows,
    );
    return trial as FrozenTrial;
  }

  async close(): Promise<void> {
    await this.ready.catch(() => {});
    await this.pool.end();
  }
}
