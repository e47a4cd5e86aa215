import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describeValue, TunekitError } from '../errors.js';
import type { AttrValue, Distribution, FrozenTrial, Storage, StudyDirection, StudyRecord } from '../study/types.js';
import {
  badInput,
  DATETIME_COMPLETE_ATTR,
  DATETIME_START_ATTR,
  distributionFromOptuna,
  distributionJson,
  isoUtc,
  normaliseDatetime,
  OPTUNA_DIRECTIONS,
  OPTUNA_STATES,
  parseOptunaJson,
  pyJson,
  studySystemAttrsToOptuna,
  toExternal,
  toInternal,
  trialSystemAttrsToOptuna,
  writeOptunaStudies,
  type OptunaImportOptions,
  type OptunaImportResult,
  type OptunaStudyData,
  type OptunaTrialData,
} from './optuna_common.js';

/**
 * Optuna's JournalStorage file (`optuna.storages.journal.JournalFileBackend`):
 * one JSON object per line, each an operation with an `op_code` (0
 * CREATE_STUDY … 9 SET_TRIAL_SYSTEM_ATTR, 10 DISCARD_TRIALS ignored as Optuna
 * does) and a `worker_id`. Studies are numbered 0, 1, … in CREATE_STUDY order
 * and trials 0, 1, … across the file in CREATE_TRIAL order. Written here
 * with one CREATE_TRIAL per trial carrying the whole trial (the form Optuna
 * itself writes for `add_trial`, `enqueue_trial` and `copy_study`); read with
 * Optuna's replay rules. See docs/optuna.md.
 */

/** Optuna's journal operation codes (optuna/storages/journal/_storage.py). */
export const JOURNAL_OP = {
  CREATE_STUDY: 0,
  DELETE_STUDY: 1,
  SET_STUDY_USER_ATTR: 2,
  SET_STUDY_SYSTEM_ATTR: 3,
  CREATE_TRIAL: 4,
  SET_TRIAL_PARAM: 5,
  SET_TRIAL_STATE_VALUES: 6,
  SET_TRIAL_INTERMEDIATE_VALUE: 7,
  SET_TRIAL_USER_ATTR: 8,
  SET_TRIAL_SYSTEM_ATTR: 9,
  DISCARD_TRIALS: 10,
} as const;

/** The `worker_id` of every line tunekit writes. */
const WORKER_ID = 'tunekit-export';

/** Options of {@link optunaJournalLines} and {@link exportOptunaJournal}. */
export interface OptunaJournalExportOptions {
  /** The studies to write, by name, in this order; every study of the storage (in the order it lists them) by default. */
  studies?: readonly string[];
}

function directionCode(d: StudyDirection): number {
  return OPTUNA_DIRECTIONS.indexOf(d);
}

/** The CREATE_TRIAL record of one tunekit trial (the whole trial in one line). */
function trialRecord(studyId: number, t: FrozenTrial, nObjectives: number): Record<string, unknown> {
  const where = `trial ${t.number}`;
  const distributions: Record<string, string> = {};
  const params: Record<string, number> = {};
  // A WAITING trial is written as Optuna's enqueue_trial writes it: its values in `fixed_params` only
  // (tunekit's placeholder one-choice distributions would clash with the objective's own).
  for (const [name, value] of t.state === 'WAITING' ? [] : Object.entries(t.params)) {
    const d = t.distributions[name] as Distribution;
    distributions[name] = distributionJson(d);
    params[name] = toInternal(d, value, `${where}, parameter ${JSON.stringify(name)}`);
  }
  const start = typeof t.systemAttrs[DATETIME_START_ATTR] === 'string' ? t.systemAttrs[DATETIME_START_ATTR] : t.datetimeStart === null ? null : isoUtc(t.datetimeStart);
  const complete = typeof t.systemAttrs[DATETIME_COMPLETE_ATTR] === 'string' ? t.systemAttrs[DATETIME_COMPLETE_ATTR] : t.datetimeComplete === null ? null : isoUtc(t.datetimeComplete);
  const multi = t.values !== null && (t.values.length > 1 || nObjectives > 1);
  const rec: Record<string, unknown> = {
    op_code: JOURNAL_OP.CREATE_TRIAL,
    worker_id: WORKER_ID,
    study_id: studyId,
    datetime_start: start,
    state: OPTUNA_STATES.indexOf(t.state),
    value: multi || t.values === null ? null : t.values[0],
    values: multi ? t.values : null,
  };
  if (complete !== null) rec.datetime_complete = complete;
  rec.distributions = distributions;
  rec.params = params;
  rec.user_attrs = t.userAttrs;
  rec.system_attrs = trialSystemAttrsToOptuna(t.systemAttrs);
  rec.intermediate_values = Object.fromEntries(Object.entries(t.intermediateValues));
  return rec;
}

/**
 * The journal lines (without newlines) of a storage's studies: per study its
 * CREATE_STUDY, one SET_STUDY_USER_ATTR / SET_STUDY_SYSTEM_ATTR per
 * attribute, then one CREATE_TRIAL per trial in number order. Non-finite
 * numbers are written as Python writes them (`Infinity`, `-Infinity`, `NaN`).
 */
export async function* optunaJournalLines(storage: Storage, options: OptunaJournalExportOptions = {}): AsyncGenerator<string> {
  let records: StudyRecord[];
  if (options.studies === undefined) records = await storage.listStudies();
  else {
    records = [];
    for (const name of options.studies) {
      const s = await storage.getStudy(name);
      if (s === null) throw new TunekitError('STUDY_NOT_FOUND', `no study ${JSON.stringify(name)} in this storage`);
      records.push(s);
    }
  }
  for (const [studyId, s] of records.entries()) {
    yield pyJson({ op_code: JOURNAL_OP.CREATE_STUDY, worker_id: WORKER_ID, study_name: s.name, directions: s.directions.map(directionCode) });
    for (const [key, value] of Object.entries(s.userAttrs)) yield pyJson({ op_code: JOURNAL_OP.SET_STUDY_USER_ATTR, worker_id: WORKER_ID, study_id: studyId, user_attr: { [key]: value } });
    for (const [key, value] of Object.entries(studySystemAttrsToOptuna(s.systemAttrs))) {
      yield pyJson({ op_code: JOURNAL_OP.SET_STUDY_SYSTEM_ATTR, worker_id: WORKER_ID, study_id: studyId, system_attr: { [key]: value } });
    }
    for (const t of await storage.getTrials(s.id)) yield pyJson(trialRecord(studyId, t, s.directions.length));
  }
}

/**
 * Writes a storage's studies (or those named) as an Optuna journal file,
 * which `optuna.load_study(storage=JournalStorage(JournalFileBackend(file)))`
 * and `optuna-dashboard file` open. Refuses to overwrite nothing: the file is
 * created or truncated. Returns the number of lines written.
 */
export async function exportOptunaJournal(storage: Storage, file: string, options: OptunaJournalExportOptions = {}): Promise<number> {
  const out = createWriteStream(file);
  const failed = new Promise<never>((_resolve, reject) => out.once('error', reject));
  failed.catch(() => {});
  let n = 0;
  try {
    for await (const line of optunaJournalLines(storage, options)) {
      n++;
      if (!out.write(`${line}\n`)) await Promise.race([once(out, 'drain'), failed]);
    }
  } finally {
    out.end();
  }
  await Promise.race([once(out, 'finish'), failed]);
  return n;
}

// ---------------------------------------------------------------- reading

interface ReplayTrial extends OptunaTrialData {
  studyId: number;
  /** Internal values by parameter name (turned into external values at the end). */
  internal: Map<string, number>;
}

interface ReplayStudy {
  name: string;
  directions: StudyDirection[];
  userAttrs: Record<string, AttrValue>;
  systemAttrs: Record<string, AttrValue>;
  trialIds: number[];
}

const FINISHED = new Set(['COMPLETE', 'PRUNED', 'FAIL']);

/** One parsed journal line. */
type Json = Record<string, unknown>;

/**
 * Replays journal lines as Optuna's `JournalStorageReplayResult` does:
 * duplicate study names, operations on deleted studies and updates of
 * finished trials are ignored (they are the records of workers that lost a race).
 * A line that is not a well-formed operation is an error naming the line and the field.
 */
export class OptunaJournalReader {
  private readonly studies = new Map<number, ReplayStudy>();
  private readonly trials: ReplayTrial[] = [];
  private nextStudyId = 0;
  private lineNo = 0;

  /** Applies one line (empty lines are skipped). */
  apply(line: string): void {
    this.lineNo++;
    if (line.trim() === '') return;
    const at = `line ${this.lineNo}`;
    let log: Json;
    try {
      log = parseOptunaJson(line) as Json;
    } catch (err) {
      throw badInput(at, `not a JSON object: ${(err as Error).message}`);
    }
    if (typeof log !== 'object' || log === null || Array.isArray(log)) throw badInput(at, `expected a JSON object, got ${describeValue(log)}`);
    const op: unknown = log.op_code;
    switch (op) {
      case JOURNAL_OP.CREATE_STUDY:
        return this.createStudy(log, at);
      case JOURNAL_OP.DELETE_STUDY: {
        const id = this.int(log, 'study_id', at);
        const s = this.studies.get(id);
        if (s !== undefined) for (const t of s.trialIds) (this.trials[t] as ReplayTrial).studyId = -1;
        this.studies.delete(id);
        return;
      }
      case JOURNAL_OP.SET_STUDY_USER_ATTR:
      case JOURNAL_OP.SET_STUDY_SYSTEM_ATTR: {
        const s = this.studies.get(this.int(log, 'study_id', at));
        const field = op === JOURNAL_OP.SET_STUDY_USER_ATTR ? 'user_attr' : 'system_attr';
        const attr = this.attr(log, field, at);
        if (s !== undefined) Object.assign(op === JOURNAL_OP.SET_STUDY_USER_ATTR ? s.userAttrs : s.systemAttrs, attr);
        return;
      }
      case JOURNAL_OP.CREATE_TRIAL:
        return this.createTrial(log, at);
      case JOURNAL_OP.SET_TRIAL_PARAM: {
        const t = this.updatable(log, at);
        const name = this.str(log, 'param_name', at);
        const d = distributionFromOptuna(log.distribution, `${at}, field "distribution"`);
        if (typeof log.param_value_internal !== 'number') throw badInput(`${at}, field "param_value_internal"`, `must be a number, got ${describeValue(log.param_value_internal)}`);
        if (t === undefined) return;
        t.internal.set(name, log.param_value_internal);
        t.distributions[name] = d;
        return;
      }
      case JOURNAL_OP.SET_TRIAL_STATE_VALUES: {
        const t = this.updatable(log, at);
        const state = this.state(log.state, `${at}, field "state"`);
        const values = this.values(log.values, `${at}, field "values"`);
        if (t === undefined) return;
        if (state === 'RUNNING' && t.state === 'RUNNING') return;
        if (state === 'RUNNING') t.datetimeStart = normaliseDatetime(log.datetime_start, `${at}, field "datetime_start"`);
        if (FINISHED.has(state)) t.datetimeComplete = normaliseDatetime(log.datetime_complete, `${at}, field "datetime_complete"`);
        t.state = state;
        if (values !== null) t.values = values;
        return;
      }
      case JOURNAL_OP.SET_TRIAL_INTERMEDIATE_VALUE: {
        const t = this.updatable(log, at);
        const step = this.int(log, 'step', at);
        if (typeof log.intermediate_value !== 'number') throw badInput(`${at}, field "intermediate_value"`, `must be a number, got ${describeValue(log.intermediate_value)}`);
        t?.intermediateValues.set(step, log.intermediate_value);
        return;
      }
      case JOURNAL_OP.SET_TRIAL_USER_ATTR:
      case JOURNAL_OP.SET_TRIAL_SYSTEM_ATTR: {
        const t = this.updatable(log, at);
        const user = op === JOURNAL_OP.SET_TRIAL_USER_ATTR;
        const attr = this.attr(log, user ? 'user_attr' : 'system_attr', at);
        if (t !== undefined) Object.assign(user ? t.userAttrs : t.systemAttrs, attr);
        return;
      }
      case JOURNAL_OP.DISCARD_TRIALS:
        return;
      default:
        throw badInput(`${at}, field "op_code"`, `expected an operation code 0–10, got ${describeValue(op)}`);
    }
  }

  /** The studies the lines left (deleted ones dropped), in creation order, trials in number order. */
  result(): OptunaStudyData[] {
    return [...this.studies.values()].map((s) => ({
      name: s.name,
      directions: s.directions,
      userAttrs: s.userAttrs,
      systemAttrs: s.systemAttrs,
      trials: s.trialIds.map((id) => {
        const t = this.trials[id] as ReplayTrial;
        const params: Record<string, unknown> = Object.create(null);
        for (const [name, v] of t.internal)
          params[name] = toExternal(t.distributions[name] as Distribution, v, `trial ${t.number} of study ${JSON.stringify(s.name)}, parameter ${JSON.stringify(name)}`);
        const { studyId: _s, internal: _i, ...data } = t;
        return { ...data, params };
      }),
    }));
  }

  private createStudy(log: Json, at: string): void {
    const name = this.str(log, 'study_name', at);
    if (!Array.isArray(log.directions) || log.directions.length === 0) throw badInput(`${at}, field "directions"`, `must be a non-empty list, got ${describeValue(log.directions)}`);
    const directions = log.directions.map((d: unknown) => {
      const dir = typeof d === 'number' ? OPTUNA_DIRECTIONS[d] : undefined;
      if (dir === undefined || dir === null) throw badInput(`${at}, field "directions"`, `each direction must be 1 (minimize) or 2 (maximize), got ${describeValue(d)}`);
      return dir;
    });
    if ([...this.studies.values()].some((s) => s.name === name)) return;
    this.studies.set(this.nextStudyId++, { name, directions, userAttrs: Object.create(null), systemAttrs: Object.create(null), trialIds: [] });
  }

  private createTrial(log: Json, at: string): void {
    const studyId = this.int(log, 'study_id', at);
    const distributions: Record<string, Distribution> = Object.create(null);
    const internal = new Map<string, number>();
    if (log.distributions !== undefined) {
      if (typeof log.distributions !== 'object' || log.distributions === null) throw badInput(`${at}, field "distributions"`, `must be an object, got ${describeValue(log.distributions)}`);
      for (const [k, v] of Object.entries(log.distributions)) distributions[k] = distributionFromOptuna(v, `${at}, field "distributions.${k}"`);
    }
    if (log.params !== undefined) {
      if (typeof log.params !== 'object' || log.params === null) throw badInput(`${at}, field "params"`, `must be an object, got ${describeValue(log.params)}`);
      for (const [k, v] of Object.entries(log.params)) {
        if (distributions[k] === undefined) throw badInput(`${at}, field "params.${k}"`, 'has no distribution');
        if (typeof v !== 'number') throw badInput(`${at}, field "params.${k}"`, `must be a number (the internal value), got ${describeValue(v)}`);
        internal.set(k, v);
      }
    }
    const state = log.state === undefined ? 'RUNNING' : this.state(log.state, `${at}, field "state"`);
    let values = this.values(log.values, `${at}, field "values"`);
    if (values === null && log.value !== undefined && log.value !== null) {
      if (typeof log.value !== 'number') throw badInput(`${at}, field "value"`, `must be a number or null, got ${describeValue(log.value)}`);
      values = [log.value];
    }
    const intermediateValues = new Map<number, number>();
    if (log.intermediate_values !== undefined) {
      for (const [k, v] of Object.entries(log.intermediate_values ?? {})) {
        if (!/^\d+$/.test(k) || typeof v !== 'number') throw badInput(`${at}, field "intermediate_values"`, `expected step → number, got ${JSON.stringify(k)} → ${describeValue(v)}`);
        intermediateValues.set(Number(k), v);
      }
    }
    const s = this.studies.get(studyId);
    // A trial of a study that does not exist is not created (nor counted in the trial ids), as in Optuna.
    if (s === undefined) return;
    const trial: ReplayTrial = {
      studyId,
      number: s.trialIds.length,
      state,
      params: {},
      distributions,
      internal,
      values,
      intermediateValues,
      userAttrs: this.obj(log.user_attrs, `${at}, field "user_attrs"`),
      systemAttrs: this.obj(log.system_attrs, `${at}, field "system_attrs"`),
      datetimeStart: normaliseDatetime(log.datetime_start, `${at}, field "datetime_start"`),
      datetimeComplete: normaliseDatetime(log.datetime_complete, `${at}, field "datetime_complete"`),
    };
    // Trial ids count every CREATE_TRIAL, a deleted study's included (Optuna: len(self._trials)).
    this.trials.push(trial);
    s.trialIds.push(this.trials.length - 1);
  }

  private updatable(log: Json, at: string): ReplayTrial | undefined {
    const t = this.trials[this.int(log, 'trial_id', at)];
    if (t === undefined || t.studyId < 0 || FINISHED.has(t.state)) return undefined;
    return t;
  }

  private int(log: Json, field: string, at: string): number {
    const v: unknown = log[field];
    if (!Number.isSafeInteger(v) || (v as number) < 0) throw badInput(`${at}, field "${field}"`, `must be an integer ≥ 0, got ${describeValue(v)}`);
    return v as number;
  }

  private str(log: Json, field: string, at: string): string {
    const v: unknown = log[field];
    if (typeof v !== 'string' || v === '') throw badInput(`${at}, field "${field}"`, `must be a non-empty string, got ${describeValue(v)}`);
    return v;
  }

  private obj(v: unknown, at: string): Record<string, AttrValue> {
    if (v === undefined) return Object.create(null);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badInput(at, `must be an object, got ${describeValue(v)}`);
    return Object.assign(Object.create(null), v);
  }

  private attr(log: Json, field: string, at: string): Record<string, AttrValue> {
    const o = this.obj(log[field], `${at}, field "${field}"`);
    if (Object.keys(o).length !== 1) throw badInput(`${at}, field "${field}"`, `must hold one key, got ${Object.keys(o).length}`);
    return o;
  }

  private state(v: unknown, at: string): OptunaTrialData['state'] {
    const s = typeof v === 'number' ? OPTUNA_STATES[v] : undefined;
    if (s === undefined) throw badInput(at, `expected a trial state 0–4 (RUNNING, COMPLETE, PRUNED, FAIL, WAITING), got ${describeValue(v)}`);
    return s;
  }

  private values(v: unknown, at: string): number[] | null {
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw badInput(at, `must be a list of numbers or null, got ${describeValue(v)}`);
    return v;
  }
}

/** Reads an Optuna journal file line by line (streamed: the file is never held whole) into the studies it describes. */
export async function readOptunaJournal(file: string): Promise<OptunaStudyData[]> {
  const input = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', reject);
  });
  try {
    await opened;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new TunekitError('INVALID_PARAMETER', `cannot read ${file}: ${e.code ?? e.message}`);
  }
  const reader = new OptunaJournalReader();
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) reader.apply(line);
  } finally {
    lines.close();
    input.destroy();
  }
  return reader.result();
}

/**
 * Imports an Optuna journal file into a tunekit storage (any backend):
 * every study it holds, or `options.study` only. A study name the storage
 * already has is refused unless `options.ifExists` says `'rename'` or
 * `'merge'`; nothing is written before every conflict is checked.
 */
export async function importOptunaJournal(file: string, storage: Storage, options: OptunaImportOptions = {}): Promise<OptunaImportResult[]> {
  return writeOptunaStudies(storage, await readOptunaJournal(file), options);
}
