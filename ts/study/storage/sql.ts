import type { Distribution, FrozenTrial, TrialState } from '../types.js';
import { decodeValue, fromJson } from './common.js';
import { keyedRecord } from '../../keyed.js';

/**
 * The relational schema shared by the SQLite and PostgreSQL storages, one
 * list of statements per version. A database records its version in
 * `tunekit_schema`; opening it applies the missing migrations in one
 * transaction, and refuses a database newer than this release.
 */
export type Dialect = 'sqlite' | 'postgres';

export const SCHEMA_VERSION = 2;

export function migrations(dialect: Dialect): string[][] {
  const id = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  const ref = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const real = dialect === 'sqlite' ? 'REAL' : 'DOUBLE PRECISION';
  const int = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const states = "('WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL')";
  return [
    // version 1
    [
      `CREATE TABLE studies (id ${id}, name TEXT NOT NULL UNIQUE, directions TEXT NOT NULL, next_number ${int} NOT NULL DEFAULT 0)`,
      `CREATE TABLE study_attrs (study_id ${ref} NOT NULL REFERENCES studies(id) ON DELETE CASCADE, kind TEXT NOT NULL, key TEXT NOT NULL, value_json TEXT NOT NULL, PRIMARY KEY (study_id, kind, key))`,
      `CREATE TABLE trials (id ${id}, study_id ${ref} NOT NULL REFERENCES studies(id) ON DELETE CASCADE, number ${int} NOT NULL, state TEXT NOT NULL CHECK (state IN ${states}), datetime_start ${real}, datetime_complete ${real}, heartbeat ${real}, UNIQUE (study_id, number))`,
      `CREATE INDEX trials_study_state ON trials (study_id, state)`,
      `CREATE TABLE trial_values (trial_id ${ref} NOT NULL REFERENCES trials(id) ON DELETE CASCADE, objective ${int} NOT NULL, value ${real}, value_kind TEXT NOT NULL, PRIMARY KEY (trial_id, objective))`,
      `CREATE TABLE trial_params (trial_id ${ref} NOT NULL REFERENCES trials(id) ON DELETE CASCADE, name TEXT NOT NULL, value_json TEXT NOT NULL, distribution_json TEXT NOT NULL, PRIMARY KEY (trial_id, name))`,
      `CREATE TABLE trial_intermediate (trial_id ${ref} NOT NULL REFERENCES trials(id) ON DELETE CASCADE, step ${int} NOT NULL, value ${real}, value_kind TEXT NOT NULL, PRIMARY KEY (trial_id, step))`,
      `CREATE TABLE trial_attrs (trial_id ${ref} NOT NULL REFERENCES trials(id) ON DELETE CASCADE, kind TEXT NOT NULL, key TEXT NOT NULL, value_json TEXT NOT NULL, PRIMARY KEY (trial_id, kind, key))`,
      `CREATE TABLE study_claims (study_id ${ref} NOT NULL REFERENCES studies(id) ON DELETE CASCADE, key TEXT NOT NULL, trial_id ${ref} NOT NULL, PRIMARY KEY (study_id, key))`,
    ],
    // version 2: the oldest WAITING trial and the RUNNING ones found through the index
    // (by state, then number), not by a scan of the study in number order
    [`CREATE INDEX trials_study_state_number ON trials (study_id, state, number)`, `DROP INDEX trials_study_state`],
  ];
}

/** Statements with `?` placeholders (PostgreSQL's driver numbers them). */
export const SQL = {
  studyByName: 'SELECT id, name, directions FROM studies WHERE name = ?',
  studyAttrs: 'SELECT kind, key, value_json FROM study_attrs WHERE study_id = ?',
  listStudies: 'SELECT s.id, s.name, s.directions, (SELECT COUNT(*) FROM trials t WHERE t.study_id = s.id) AS n_trials FROM studies s ORDER BY s.id',
  insertStudy: 'INSERT INTO studies (name, directions) VALUES (?, ?) RETURNING id',
  deleteStudy: 'DELETE FROM studies WHERE name = ?',
  upsertStudyAttr: 'INSERT INTO study_attrs (study_id, kind, key, value_json) VALUES (?, ?, ?, ?) ON CONFLICT (study_id, kind, key) DO UPDATE SET value_json = excluded.value_json',
  insertStudyAttrIfAbsent: 'INSERT INTO study_attrs (study_id, kind, key, value_json) VALUES (?, ?, ?, ?) ON CONFLICT (study_id, kind, key) DO NOTHING',
  studyAttr: 'SELECT value_json FROM study_attrs WHERE study_id = ? AND kind = ? AND key = ?',
  nextNumber: 'UPDATE studies SET next_number = next_number + 1 WHERE id = ? RETURNING next_number - 1 AS number',
  insertTrial: 'INSERT INTO trials (study_id, number, state, datetime_start, heartbeat) VALUES (?, ?, ?, ?, ?) RETURNING id',
  upsertParam:
    'INSERT INTO trial_params (trial_id, name, value_json, distribution_json) VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, name) DO UPDATE SET value_json = excluded.value_json, distribution_json = excluded.distribution_json',
  upsertIntermediate:
    'INSERT INTO trial_intermediate (trial_id, step, value, value_kind) VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value, value_kind = excluded.value_kind',
  upsertTrialAttr: 'INSERT INTO trial_attrs (trial_id, kind, key, value_json) VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, kind, key) DO UPDATE SET value_json = excluded.value_json',
  trialState: 'SELECT number, state FROM trials WHERE id = ?',
  finishTrial: "UPDATE trials SET state = ?, datetime_complete = ?, heartbeat = NULL WHERE id = ? AND state = 'RUNNING'",
  insertValue: 'INSERT INTO trial_values (trial_id, objective, value, value_kind) VALUES (?, ?, ?, ?)',
  heartbeat: "UPDATE trials SET heartbeat = ? WHERE id = ? AND state = 'RUNNING'",
  insertClaim: 'INSERT INTO study_claims (study_id, key, trial_id) VALUES (?, ?, ?) ON CONFLICT (study_id, key) DO NOTHING',
  /** Trials started so far (every state but WAITING): the counter less the WAITING ones (an index range). */
  startedTrials: "SELECT s.next_number - (SELECT COUNT(*) FROM trials t WHERE t.study_id = s.id AND t.state = 'WAITING') AS started FROM studies s WHERE s.id = ?",
  oldestWaiting: "SELECT id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1",
  startWaiting: "UPDATE trials SET state = 'RUNNING', datetime_start = ?, heartbeat = ? WHERE id = ? AND state = 'WAITING'",
  staleTrials: "SELECT id FROM trials WHERE study_id = ? AND state = 'RUNNING' AND heartbeat IS NOT NULL AND heartbeat < ? ORDER BY number",
  trials: 'SELECT id, number, state, datetime_start, datetime_complete FROM trials WHERE study_id = ? AND number >= ? ORDER BY number',
  trialById: 'SELECT id, study_id, number, state, datetime_start, datetime_complete FROM trials WHERE id = ?',
  values: 'SELECT v.trial_id, v.objective, v.value, v.value_kind FROM trial_values v JOIN trials t ON t.id = v.trial_id WHERE t.study_id = ? AND t.number >= ?',
  params: 'SELECT p.trial_id, p.name, p.value_json, p.distribution_json FROM trial_params p JOIN trials t ON t.id = p.trial_id WHERE t.study_id = ? AND t.number >= ?',
  intermediate: 'SELECT i.trial_id, i.step, i.value, i.value_kind FROM trial_intermediate i JOIN trials t ON t.id = i.trial_id WHERE t.study_id = ? AND t.number >= ?',
  trialAttrs: 'SELECT a.trial_id, a.kind, a.key, a.value_json FROM trial_attrs a JOIN trials t ON t.id = a.trial_id WHERE t.study_id = ? AND t.number >= ?',
  valuesOf: 'SELECT trial_id, objective, value, value_kind FROM trial_values WHERE trial_id = ?',
  paramsOf: 'SELECT trial_id, name, value_json, distribution_json FROM trial_params WHERE trial_id = ?',
  intermediateOf: 'SELECT trial_id, step, value, value_kind FROM trial_intermediate WHERE trial_id = ?',
  trialAttrsOf: 'SELECT trial_id, kind, key, value_json FROM trial_attrs WHERE trial_id = ?',
} as const;

type Num = number | string | null;
export interface TrialRow {
  id: Num;
  number: Num;
  state: string;
  datetime_start: Num;
  datetime_complete: Num;
}
export interface ValueRow {
  trial_id: Num;
  objective: Num;
  value: Num;
  value_kind: string;
}
export interface ParamRow {
  trial_id: Num;
  name: string;
  value_json: string;
  distribution_json: string;
}
export interface IntermediateRow {
  trial_id: Num;
  step: Num;
  value: Num;
  value_kind: string;
}
export interface AttrRow {
  trial_id: Num;
  kind: string;
  key: string;
  value_json: string;
}

const n = (v: Num): number => Number(v);
const t = (v: Num): number | null => (v === null ? null : Number(v));

/**
 * Assembles trials from the rows of the five per-study queries (PostgreSQL
 * returns BIGINTs as strings). Records keyed by user strings (params,
 * distributions, attributes) are keyed records (ts/keyed.ts), so every key,
 * `constructor` and `__proto__` included, reads back as an own key.
 */
export function assembleTrials(
  trialRows: TrialRow[],
  valueRows: ValueRow[],
  paramRows: ParamRow[],
  intermediateRows: IntermediateRow[],
  attrRows: AttrRow[],
  states?: readonly TrialState[],
): FrozenTrial[] {
  const byId = new Map<number, FrozenTrial>();
  const out: FrozenTrial[] = [];
  for (const r of trialRows) {
    const trial: FrozenTrial = {
      id: n(r.id),
      number: n(r.number),
      state: r.state as TrialState,
      values: null,
      params: keyedRecord(),
      distributions: keyedRecord(),
      intermediateValues: keyedRecord(),
      userAttrs: keyedRecord(),
      systemAttrs: keyedRecord(),
      datetimeStart: t(r.datetime_start),
      datetimeComplete: t(r.datetime_complete),
    };
    byId.set(trial.id, trial);
    if (states === undefined || states.includes(trial.state)) out.push(trial);
  }
  for (const r of valueRows) {
    const tr = byId.get(n(r.trial_id));
    if (tr === undefined) continue;
    (tr.values ??= [])[n(r.objective)] = decodeValue(r.value, r.value_kind);
  }
  for (const r of paramRows) {
    const tr = byId.get(n(r.trial_id));
    if (tr === undefined) continue;
    tr.params[r.name] = fromJson(r.value_json);
    tr.distributions[r.name] = fromJson(r.distribution_json) as Distribution;
  }
  for (const r of intermediateRows) {
    const tr = byId.get(n(r.trial_id));
    if (tr !== undefined) tr.intermediateValues[n(r.step)] = decodeValue(r.value, r.value_kind);
  }
  for (const r of attrRows) {
    const tr = byId.get(n(r.trial_id));
    if (tr !== undefined) (r.kind === 'user' ? tr.userAttrs : tr.systemAttrs)[r.key] = fromJson(r.value_json);
  }
  return out;
}
