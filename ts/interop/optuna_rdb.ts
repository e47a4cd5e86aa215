import Database from 'better-sqlite3';
import { describeValue, TunekitError } from '../errors.js';
import type { AttrValue, Storage, StudyDirection } from '../study/types.js';
import {
  badInput,
  distributionFromOptuna,
  normaliseDatetime,
  parseOptunaJson,
  toExternal,
  writeOptunaStudies,
  type OptunaImportOptions,
  type OptunaImportResult,
  type OptunaStudyData,
  type OptunaTrialData,
} from './optuna_common.js';

/**
 * Optuna's RDB schema in a SQLite file (`optuna.storages.RDBStorage` with
 * `sqlite:///file.db`), read-only with bound parameters only. The schema of
 * Optuna 3.0 and later (alembic versions v3.0.0.a … v3.2.0.a, the current one in
 * Optuna 5.1): `studies`, `study_directions` (MINIMIZE/MAXIMIZE per
 * objective), `study_user_attributes`/`study_system_attributes` and
 * `trial_user_attributes`/`trial_system_attributes` (`value_json`),
 * `trials` (state by name, datetimes as naive UTC), `trial_params`
 * (internal value and `distribution_json`), `trial_values` and
 * `trial_intermediate_values` (a value and its type: FINITE, INF_POS,
 * INF_NEG, NAN). Older files: run `optuna storage upgrade` first.
 */

/** The alembic versions whose schema this reader knows (optuna/storages/_rdb/alembic/versions). */
export const OPTUNA_RDB_VERSIONS: readonly string[] = ['v3.0.0.a', 'v3.0.0.b', 'v3.0.0.c', 'v3.0.0.d', 'v3.2.0.a'];

const REQUIRED: Record<string, string[]> = {
  studies: ['study_id', 'study_name'],
  study_directions: ['study_id', 'objective', 'direction'],
  study_user_attributes: ['study_id', 'key', 'value_json'],
  study_system_attributes: ['study_id', 'key', 'value_json'],
  trials: ['trial_id', 'number', 'study_id', 'state', 'datetime_start', 'datetime_complete'],
  trial_params: ['trial_id', 'param_name', 'param_value', 'distribution_json'],
  trial_values: ['trial_id', 'objective', 'value', 'value_type'],
  trial_intermediate_values: ['trial_id', 'step', 'intermediate_value', 'intermediate_value_type'],
  trial_user_attributes: ['trial_id', 'key', 'value_json'],
  trial_system_attributes: ['trial_id', 'key', 'value_json'],
};

function typedValue(value: number | null, type: unknown, where: string): number {
  switch (type) {
    case 'FINITE':
      if (typeof value !== 'number') throw badInput(where, `a FINITE value must be a number, got ${describeValue(value)}`);
      return value;
    case 'INF_POS':
      return Infinity;
    case 'INF_NEG':
      return -Infinity;
    case 'NAN':
      return NaN;
    default:
      throw badInput(where, `unknown value type ${describeValue(type)}`);
  }
}

function jsonValue(text: unknown, where: string): AttrValue {
  if (typeof text !== 'string') throw badInput(where, `value_json must be JSON text, got ${describeValue(text)}`);
  try {
    return parseOptunaJson(text);
  } catch (err) {
    throw badInput(where, `value_json is not valid JSON: ${(err as Error).message}`);
  }
}

const STATES = new Set(['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING']);

/** Reads every study of an Optuna SQLite RDB file (opened read-only). */
export function readOptunaRdb(file: string): OptunaStudyData[] {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new TunekitError('INVALID_PARAMETER', `cannot open ${file} as SQLite: ${(err as Error).message}`);
  }
  try {
    return read(db, file);
  } catch (err) {
    if (err instanceof TunekitError) throw err;
    throw new TunekitError('INVALID_DATA', `${file}: not an Optuna RDB file: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

function read(db: Database.Database, file: string): OptunaStudyData[] {
  let version: string | undefined;
  try {
    version = (db.prepare('SELECT version_num FROM alembic_version').get() as { version_num: string } | undefined)?.version_num;
  } catch (err) {
    throw badInput(file, `not an Optuna RDB file (no alembic_version table: ${(err as Error).message})`);
  }
  for (const [table, columns] of Object.entries(REQUIRED)) {
    const have = new Set((db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((r) => r.name));
    const missing = columns.filter((c) => !have.has(c));
    if (missing.length > 0) {
      throw badInput(
        file,
        `table ${table} lacks ${missing.join(', ')}: schema version ${JSON.stringify(version ?? null)} is not one this reader knows (${OPTUNA_RDB_VERSIONS.join(', ')}); upgrade it with \`optuna storage upgrade --storage sqlite:///${file}\``,
      );
    }
  }
  const studies = new Map<number, OptunaStudyData>();
  for (const r of db.prepare('SELECT study_id, study_name FROM studies ORDER BY study_id').iterate() as Iterable<{ study_id: number; study_name: string }>) {
    studies.set(r.study_id, { name: r.study_name, directions: [], userAttrs: Object.create(null), systemAttrs: Object.create(null), trials: [] });
  }
  const studyOf = (id: number, where: string): OptunaStudyData => {
    const s = studies.get(id);
    if (s === undefined) throw badInput(where, `study_id ${id} has no row in studies`);
    return s;
  };
  for (const r of db.prepare('SELECT study_id, objective, direction FROM study_directions ORDER BY study_id, objective').iterate() as Iterable<{
    study_id: number;
    objective: number;
    direction: string;
  }>) {
    const where = `study_directions, study_id ${r.study_id}, objective ${r.objective}`;
    const s = studyOf(r.study_id, where);
    if (r.direction !== 'MINIMIZE' && r.direction !== 'MAXIMIZE') throw badInput(`${where}, field "direction"`, `expected MINIMIZE or MAXIMIZE, got ${describeValue(r.direction)}`);
    if (r.objective !== s.directions.length) throw badInput(`${where}, field "objective"`, `objectives must be numbered 0, 1, …`);
    s.directions.push(r.direction.toLowerCase() as StudyDirection);
  }
  for (const kind of ['user', 'system'] as const) {
    for (const r of db.prepare(`SELECT study_id, key, value_json FROM study_${kind}_attributes ORDER BY study_${kind}_attribute_id`).iterate() as Iterable<{
      study_id: number;
      key: string;
      value_json: string;
    }>) {
      const where = `study_${kind}_attributes, study_id ${r.study_id}, key ${JSON.stringify(r.key)}`;
      const s = studyOf(r.study_id, where);
      (kind === 'user' ? s.userAttrs : s.systemAttrs)[r.key] = jsonValue(r.value_json, `${where}, field "value_json"`);
    }
  }
  type RdbTrial = OptunaTrialData;
  const trials = new Map<number, RdbTrial>();
  const trialOf = (id: number, where: string): RdbTrial => {
    const t = trials.get(id);
    if (t === undefined) throw badInput(where, `trial_id ${id} has no row in trials`);
    return t;
  };
  type TrialRow = { trial_id: number; number: number; study_id: number; state: string; datetime_start: string | null; datetime_complete: string | null };
  for (const r of db.prepare('SELECT trial_id, number, study_id, state, datetime_start, datetime_complete FROM trials ORDER BY study_id, number').iterate() as Iterable<TrialRow>) {
    const where = `trials, trial_id ${r.trial_id}`;
    const s = studyOf(r.study_id, where);
    if (!STATES.has(r.state)) throw badInput(`${where}, field "state"`, `expected RUNNING, COMPLETE, PRUNED, FAIL or WAITING, got ${describeValue(r.state)}`);
    if (r.number !== s.trials.length) throw badInput(`${where}, field "number"`, `expected ${s.trials.length} (numbers 0, 1, … per study), got ${describeValue(r.number)}`);
    const t: RdbTrial = {
      number: r.number,
      state: r.state as OptunaTrialData['state'],
      params: Object.create(null),
      distributions: Object.create(null),
      values: null,
      intermediateValues: new Map(),
      userAttrs: Object.create(null),
      systemAttrs: Object.create(null),
      datetimeStart: normaliseDatetime(r.datetime_start, `${where}, field "datetime_start"`),
      datetimeComplete: normaliseDatetime(r.datetime_complete, `${where}, field "datetime_complete"`),
    };
    trials.set(r.trial_id, t);
    s.trials.push(t);
  }
  type ParamRow = { trial_id: number; param_name: string; param_value: number; distribution_json: string };
  for (const r of db.prepare('SELECT trial_id, param_name, param_value, distribution_json FROM trial_params ORDER BY param_id').iterate() as Iterable<ParamRow>) {
    const where = `trial_params, trial_id ${r.trial_id}, param_name ${JSON.stringify(r.param_name)}`;
    const t = trialOf(r.trial_id, where);
    const d = distributionFromOptuna(r.distribution_json, `${where}, field "distribution_json"`);
    t.distributions[r.param_name] = d;
    t.params[r.param_name] = toExternal(d, r.param_value, `${where}, field "param_value"`);
  }
  for (const r of db.prepare('SELECT trial_id, objective, value, value_type FROM trial_values ORDER BY trial_id, objective').iterate() as Iterable<{
    trial_id: number;
    objective: number;
    value: number | null;
    value_type: string;
  }>) {
    const where = `trial_values, trial_id ${r.trial_id}, objective ${r.objective}`;
    const t = trialOf(r.trial_id, where);
    t.values ??= [];
    if (r.objective !== t.values.length) throw badInput(`${where}, field "objective"`, 'objectives must be numbered 0, 1, …');
    t.values.push(typedValue(r.value, r.value_type, `${where}, field "value"`));
  }
  type IvRow = { trial_id: number; step: number; intermediate_value: number | null; intermediate_value_type: string };
  for (const r of db.prepare('SELECT trial_id, step, intermediate_value, intermediate_value_type FROM trial_intermediate_values ORDER BY trial_id, step').iterate() as Iterable<IvRow>) {
    const where = `trial_intermediate_values, trial_id ${r.trial_id}, step ${r.step}`;
    trialOf(r.trial_id, where).intermediateValues.set(r.step, typedValue(r.intermediate_value, r.intermediate_value_type, `${where}, field "intermediate_value"`));
  }
  for (const kind of ['user', 'system'] as const) {
    for (const r of db.prepare(`SELECT trial_id, key, value_json FROM trial_${kind}_attributes ORDER BY trial_${kind}_attribute_id`).iterate() as Iterable<{
      trial_id: number;
      key: string;
      value_json: string;
    }>) {
      const where = `trial_${kind}_attributes, trial_id ${r.trial_id}, key ${JSON.stringify(r.key)}`;
      const t = trialOf(r.trial_id, where);
      (kind === 'user' ? t.userAttrs : t.systemAttrs)[r.key] = jsonValue(r.value_json, `${where}, field "value_json"`);
    }
  }
  for (const s of studies.values()) {
    if (s.directions.length === 0) throw badInput(`study ${JSON.stringify(s.name)}`, 'has no row in study_directions');
  }
  return [...studies.values()];
}

/**
 * Imports an Optuna SQLite RDB file into a tunekit storage (any backend),
 * with the same rules as `importOptunaJournal`: every study or
 * `options.study` only; an existing name refused unless `options.ifExists`
 * says `'rename'` or `'merge'`, checked before anything is written.
 */
export async function importOptunaRdb(file: string, storage: Storage, options: OptunaImportOptions = {}): Promise<OptunaImportResult[]> {
  return writeOptunaStudies(storage, readOptunaRdb(file), options);
}
