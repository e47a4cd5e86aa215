import { describeValue, TunekitError } from '../errors.js';
import { distributionOf } from '../study/distributions.js';
import type { AttrValue, Distribution, Storage, StudyDirection, TrialState } from '../study/types.js';

/**
 * What Optuna and tunekit share, and how one maps onto the other (see
 * docs/optuna.md): trial states and study directions as Optuna numbers them,
 * distributions as `distribution_to_json` writes them, parameter values in
 * Optuna's internal representation, the system attributes each side keeps,
 * and the writer that puts an Optuna history into any tunekit {@link Storage}.
 */

/** Optuna's `TrialState` numbers (optuna/trial/_state.py). */
export const OPTUNA_STATES: readonly TrialState[] = ['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'];

/** Optuna's `StudyDirection` numbers: 0 NOT_SET (refused), 1 MINIMIZE, 2 MAXIMIZE. */
export const OPTUNA_DIRECTIONS: readonly (StudyDirection | null)[] = [null, 'minimize', 'maximize'];

/** The trial system attributes that hold an imported trial's Optuna datetimes (ISO 8601, UTC): the Storage interface sets its own. */
export const DATETIME_START_ATTR = 'optuna:datetime_start';
/** See {@link DATETIME_START_ATTR}. */
export const DATETIME_COMPLETE_ATTR = 'optuna:datetime_complete';

/** A file error: names the line (or table row) and the field. */
export function badInput(where: string, message: string): TunekitError {
  return new TunekitError('INVALID_DATA', `${where}: ${message}`);
}

/** One Optuna study as both importers read it, with tunekit distributions and external parameter values. */
export interface OptunaStudyData {
  name: string;
  directions: StudyDirection[];
  userAttrs: Record<string, AttrValue>;
  /** Optuna's keys, as stored by Optuna. */
  systemAttrs: Record<string, AttrValue>;
  trials: OptunaTrialData[];
}

/** One Optuna trial as both importers read it. */
export interface OptunaTrialData {
  number: number;
  state: TrialState;
  params: Record<string, unknown>;
  distributions: Record<string, Distribution>;
  values: number[] | null;
  intermediateValues: Map<number, number>;
  userAttrs: Record<string, AttrValue>;
  /** Optuna's keys, as stored by Optuna. */
  systemAttrs: Record<string, AttrValue>;
  /** ISO 8601 with `+00:00`, or null. */
  datetimeStart: string | null;
  datetimeComplete: string | null;
}

// ---------------------------------------------------------------- distributions

const distributionCache = new Map<string, Distribution>();

const isNum = (v: unknown): v is number => typeof v === 'number';

/**
 * A tunekit distribution from Optuna's `distribution_to_json` text (any of
 * its classes, the deprecated ones and the abbreviated `{"type": …}` form
 * included), checked by tunekit's rules.
 */
export function distributionFromOptuna(json: unknown, where: string): Distribution {
  if (typeof json !== 'string') throw badInput(where, `a distribution must be a JSON string, got ${describeValue(json)}`);
  const known = distributionCache.get(json);
  if (known !== undefined) return known;
  let o: Record<string, unknown>;
  try {
    o = parseOptunaJson(json) as Record<string, unknown>;
  } catch (err) {
    throw badInput(where, `distribution is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof o !== 'object' || o === null) throw badInput(where, `distribution must be a JSON object, got ${json}`);
  const a = (o.attributes ?? o) as Record<string, unknown>;
  const name: unknown = o.name ?? (o.type === 'categorical' ? 'CategoricalDistribution' : o.type === 'int' ? 'IntDistribution' : o.type === 'float' ? 'FloatDistribution' : o.type);
  const nums = (...keys: string[]): void => {
    for (const k of keys) if (!isNum(a[k])) throw badInput(where, `distribution ${name}: "${k}" must be a number, got ${describeValue(a[k])}`);
  };
  let spec: unknown;
  switch (name) {
    case 'FloatDistribution':
      nums('low', 'high');
      if (a.step !== null && a.step !== undefined) nums('step');
      spec = { type: 'float', low: a.low, high: a.high, log: a.log === true, ...(isNum(a.step) ? { step: a.step } : {}) };
      break;
    case 'UniformDistribution':
    case 'LogUniformDistribution':
      nums('low', 'high');
      spec = { type: 'float', low: a.low, high: a.high, log: name === 'LogUniformDistribution' };
      break;
    case 'DiscreteUniformDistribution':
      nums('low', 'high', 'q');
      spec = { type: 'float', low: a.low, high: a.high, log: false, step: a.q };
      break;
    case 'IntDistribution':
    case 'IntUniformDistribution':
    case 'IntLogUniformDistribution':
      nums('low', 'high');
      if (a.step !== undefined) nums('step');
      spec = { type: 'int', low: a.low, high: a.high, log: a.log === true || name === 'IntLogUniformDistribution', step: a.step ?? 1 };
      break;
    case 'CategoricalDistribution':
      if (!Array.isArray(a.choices)) throw badInput(where, `distribution ${name}: "choices" must be an array, got ${describeValue(a.choices)}`);
      spec = { type: 'categorical', choices: a.choices };
      break;
    default:
      throw badInput(where, `unknown distribution class ${describeValue(name)}`);
  }
  let d: Distribution;
  try {
    d = distributionOf(spec, 'distribution');
  } catch (err) {
    throw badInput(where, (err as Error).message);
  }
  if (distributionCache.size < 10_000) distributionCache.set(json, d);
  return d;
}

/** Optuna's class and attributes for a tunekit distribution (the attribute order of Optuna's `_asdict`). */
export function distributionToOptuna(d: Distribution): { name: string; attributes: Record<string, unknown> } {
  if (d.type === 'categorical') return { name: 'CategoricalDistribution', attributes: { choices: [...d.choices] } };
  if (d.type === 'int') return { name: 'IntDistribution', attributes: { log: d.log ?? false, step: d.step ?? 1, low: d.low, high: d.high } };
  return { name: 'FloatDistribution', attributes: { step: d.step ?? null, low: d.low, high: d.high, log: d.log ?? false } };
}

/** A float as Python's `repr` writes it for the usual cases (`1.0`, not `1`), so a float field reads back as a float. */
function pyFloat(v: number): string {
  const s = jsonNumber(v);
  return Number.isInteger(v) && Math.abs(v) < 1e16 ? `${s}.0` : s;
}

/** `distribution_to_json`'s text: Python's `json.dumps` layout (`", "`, `": "`), floats as floats. */
export function distributionJson(d: Distribution): string {
  const { name, attributes } = distributionToOptuna(d);
  const parts = Object.entries(attributes).map(([k, v]) => {
    const float = name === 'FloatDistribution' && (k === 'low' || k === 'high' || k === 'step');
    const text = float && typeof v === 'number' ? pyFloat(v) : k === 'choices' ? `[${(v as unknown[]).map((c) => pyJson(c, ', ', ': ')).join(', ')}]` : pyJson(v, ', ', ': ');
    return `${JSON.stringify(k)}: ${text}`;
  });
  return `{"name": ${JSON.stringify(name)}, "attributes": {${parts.join(', ')}}}`;
}

/** A parameter's value in Optuna's internal representation: a category's index, a number as it is. */
export function toInternal(d: Distribution, value: unknown, where: string): number {
  if (d.type === 'categorical') {
    const i = d.choices.findIndex((c) => Object.is(c, value) || c === value);
    if (i < 0) throw badInput(where, `value ${describeValue(value)} is not one of the choices`);
    return i;
  }
  if (typeof value !== 'number') throw badInput(where, `value ${describeValue(value)} is not a number`);
  return value;
}

/** A parameter's external value from Optuna's internal representation (`to_external_repr`). */
export function toExternal(d: Distribution, internal: unknown, where: string): unknown {
  if (!isNum(internal) || Number.isNaN(internal)) throw badInput(where, `the internal value must be a number, got ${describeValue(internal)}`);
  if (d.type === 'categorical') {
    const i = Math.trunc(internal);
    if (i < 0 || i >= d.choices.length) throw badInput(where, `category index ${internal} is outside the ${d.choices.length} choices`);
    return d.choices[i];
  }
  return d.type === 'int' ? Math.trunc(internal) : internal;
}

// ---------------------------------------------------------------- JSON with Python's numbers

function jsonNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return JSON.stringify(v);
}

/**
 * JSON text as Python's `json.dumps` writes it: non-finite numbers as
 * `NaN`, `Infinity`, `-Infinity` (which Python's `json.loads` reads back).
 * `undefined` members are left out, as `JSON.stringify` does.
 */
export function pyJson(v: unknown, comma = ',', colon = ':'): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'number':
      return jsonNumber(v);
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'object':
      if (Array.isArray(v)) return `[${v.map((x) => pyJson(x, comma, colon)).join(comma)}]`;
      return `{${Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => `${JSON.stringify(k)}${colon}${pyJson(x, comma, colon)}`)
        .join(comma)}}`;
    default:
      return 'null';
  }
}

const NAN_MARK = '\u0000tunekit:NaN\u0000';

/**
 * Parses JSON that Python's `json.dumps` wrote: `NaN`, `Infinity` and
 * `-Infinity` outside strings are numbers. Plain JSON takes the fast path.
 */
export function parseOptunaJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!/NaN|Infinity/.test(text)) throw err;
  }
  let out = '';
  let from = 0;
  let inString = false;
  let sawNaN = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 73 && text.startsWith('Infinity', i)) {
      out += `${text.slice(from, i)}1e999`;
      i += 7;
      from = i + 1;
    } else if (c === 78 && text.startsWith('NaN', i)) {
      out += `${text.slice(from, i)}${JSON.stringify(NAN_MARK)}`;
      i += 2;
      from = i + 1;
      sawNaN = true;
    }
  }
  out += text.slice(from);
  return sawNaN ? JSON.parse(out, (_k, v: unknown) => (v === NAN_MARK ? NaN : v)) : JSON.parse(out);
}

// ---------------------------------------------------------------- attributes

/** The trial system attributes both sides read the same way (same key, same value). */
const SHARED_TRIAL_ATTRS = new Set(['fixed_params']);

/** A record without a prototype-inherited key (attribute names come from files). */
function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * Optuna trial system attributes as tunekit stores them: `constraints`
 * (the old list form, named "0", "1", …) and `constraints:<name>` become
 * tunekit's `constraints` record; `fixed_params` is shared; `tunekit:<key>`
 * (written by {@link trialSystemAttrsToOptuna}) is tunekit's `<key>` again;
 * every other key is kept as `optuna:<key>`, out of tunekit samplers' way.
 */
export function trialSystemAttrsFromOptuna(attrs: Record<string, AttrValue>, where: string): Record<string, AttrValue> {
  const out = record<AttrValue>();
  let constraints: Record<string, number> | undefined;
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'constraints' || key.startsWith('constraints:')) {
      constraints ??= record<number>();
      if (key === 'constraints') {
        if (!Array.isArray(value)) throw badInput(where, `system attribute "constraints" must be a list of numbers, got ${describeValue(value)}`);
        value.forEach((v, i) => (constraints![String(i)] = v as number));
      } else constraints[key.slice('constraints:'.length)] = value as number;
    } else if (SHARED_TRIAL_ATTRS.has(key)) out[key] = value;
    else if (key.startsWith('tunekit:')) out[key.slice('tunekit:'.length)] = value;
    else out[`optuna:${key}`] = value;
  }
  if (constraints !== undefined) out['constraints'] = constraints;
  return out;
}

/**
 * tunekit trial system attributes as Optuna keys (the inverse of
 * {@link trialSystemAttrsFromOptuna}): `constraints` → `constraints:<name>`
 * (Optuna's list form `constraints: [c0, c1, …]` when the names are 0, 1, …),
 * `fixed_params` as it is, `optuna:<key>` → `<key>`, every other tunekit
 * key → `tunekit:<key>` (carried, so a round trip through Optuna keeps it).
 * The imported datetimes ({@link DATETIME_START_ATTR}) are the trial's datetimes, not attributes.
 */
export function trialSystemAttrsToOptuna(attrs: Record<string, AttrValue>): Record<string, AttrValue> {
  const out = record<AttrValue>();
  for (const [key, value] of Object.entries(attrs)) {
    if (key === DATETIME_START_ATTR || key === DATETIME_COMPLETE_ATTR) continue;
    if (key === 'constraints' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const names = Object.keys(value);
      // names 0, 1, … (tunekit's names for constraints told as an array) as Optuna's list form, others one key each
      if (names.every((n, i) => n === String(i))) out['constraints'] = Object.values(value);
      else for (const [name, v] of Object.entries(value)) out[`constraints:${name}`] = v;
    } else if (SHARED_TRIAL_ATTRS.has(key)) out[key] = value;
    else if (key.startsWith('optuna:')) out[key.slice('optuna:'.length)] = value;
    else out[`tunekit:${key}`] = value;
  }
  return out;
}

/** Study system attributes from Optuna: `tunekit:<key>` → `<key>`, every other key → `optuna:<key>`. */
export function studySystemAttrsFromOptuna(attrs: Record<string, AttrValue>): Record<string, AttrValue> {
  const out = record<AttrValue>();
  for (const [key, value] of Object.entries(attrs)) out[key.startsWith('tunekit:') ? key.slice('tunekit:'.length) : `optuna:${key}`] = value;
  return out;
}

/** Study system attributes to Optuna: `optuna:<key>` → `<key>`, every other key → `tunekit:<key>`. */
export function studySystemAttrsToOptuna(attrs: Record<string, AttrValue>): Record<string, AttrValue> {
  const out = record<AttrValue>();
  for (const [key, value] of Object.entries(attrs)) out[key.startsWith('optuna:') ? key.slice('optuna:'.length) : `tunekit:${key}`] = value;
  return out;
}

// ---------------------------------------------------------------- datetimes

/** Milliseconds since the epoch as Optuna's journal writes datetimes: ISO 8601, microseconds, `+00:00`. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** A datetime as Optuna stored it (journal: ISO with an offset; RDB: naive UTC `YYYY-MM-DD HH:MM:SS[.ffffff]`) as ISO 8601 UTC with `+00:00`. */
export function normaliseDatetime(v: unknown, where: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw badInput(where, `a datetime must be an ISO 8601 string, got ${describeValue(v)}`);
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})?$/.exec(v);
  if (m === null) throw badInput(where, `a datetime must be ISO 8601 (2024-01-31T12:00:00.000000+00:00), got ${JSON.stringify(v)}`);
  const frac = (m[3] ?? '').padEnd(6, '0');
  const offset = m[4] ?? '+00:00';
  if (offset === '+00:00' || offset === 'Z' || offset === '-00:00') return `${m[1]}T${m[2]}.${frac}+00:00`;
  const ms = Date.parse(`${m[1]}T${m[2]}.${frac.slice(0, 3)}${offset}`);
  if (Number.isNaN(ms)) throw badInput(where, `not a valid datetime: ${JSON.stringify(v)}`);
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}+00:00`;
}

// ---------------------------------------------------------------- writing into a tunekit storage

/** What an import does when a study of the same name exists in the target storage. */
export type ImportConflict = 'error' | 'rename' | 'merge';

/** Options of the Optuna importers. */
export interface OptunaImportOptions {
  /** Import only the study of this name (the file's name); every study by default. */
  study?: string;
  /**
   * A study name the target storage already has: `'error'` refuses the
   * import before anything is written (`DUPLICATE_STUDY`), `'rename'`
   * imports under `<name>-imported` (`-imported-2`, …), `'merge'` appends
   * the trials to the existing study (same directions; trial numbers then
   * continue the existing ones, and study attributes the existing study has
   * are kept).
   * @default 'error'
   */
  ifExists?: ImportConflict;
}

/** What an import wrote, per study. */
export interface OptunaImportResult {
  /** The name in the file. */
  source: string;
  /** The name in the target storage. */
  study: string;
  trials: number;
  /** Whether the trials were appended to an existing study. */
  merged: boolean;
}

async function freeName(storage: Storage, name: string): Promise<string> {
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? `${name}-imported` : `${name}-imported-${i}`;
    if ((await storage.getStudy(candidate)) === null) return candidate;
  }
}

/**
 * Writes Optuna studies into a tunekit storage through the {@link Storage}
 * interface only (so into any backend). Conflicts are all checked before the
 * first write. Each trial is created RUNNING with its parameters and system
 * attributes, given its intermediate values and user attributes, then ended
 * with its state and values (WAITING trials are created WAITING, RUNNING
 * trials stay RUNNING); its Optuna datetimes go into the system attributes
 * {@link DATETIME_START_ATTR} and {@link DATETIME_COMPLETE_ATTR}.
 */
export async function writeOptunaStudies(storage: Storage, studies: readonly OptunaStudyData[], options: OptunaImportOptions = {}): Promise<OptunaImportResult[]> {
  const ifExists = options.ifExists ?? 'error';
  if (!['error', 'rename', 'merge'].includes(ifExists)) throw new TunekitError('INVALID_PARAMETER', `ifExists: expected "error", "rename" or "merge", got ${describeValue(ifExists)}`);
  const chosen = options.study === undefined ? studies : studies.filter((s) => s.name === options.study);
  if (options.study !== undefined && chosen.length === 0) {
    throw new TunekitError('STUDY_NOT_FOUND', `no study ${JSON.stringify(options.study)} in the file (it has ${studies.map((s) => JSON.stringify(s.name)).join(', ') || 'none'})`);
  }
  const plan: { data: OptunaStudyData; name: string; existing: number | null }[] = [];
  for (const data of chosen) {
    const found = await storage.getStudy(data.name);
    if (found === null) plan.push({ data, name: data.name, existing: null });
    else if (ifExists === 'error') {
      throw new TunekitError(
        'DUPLICATE_STUDY',
        `the storage already has a study named ${JSON.stringify(data.name)}: nothing imported (merge into it or import under another name with ifExists "merge" or "rename")`,
      );
    } else if (ifExists === 'rename') plan.push({ data, name: await freeName(storage, data.name), existing: null });
    else {
      if (found.directions.join() !== data.directions.join()) {
        throw new TunekitError(
          'INVALID_PARAMETER',
          `cannot merge ${JSON.stringify(data.name)}: the stored study's directions are ${found.directions.join(', ')}, the file's ${data.directions.join(', ')}`,
        );
      }
      plan.push({ data, name: data.name, existing: found.id });
    }
  }
  const out: OptunaImportResult[] = [];
  for (const { data, name, existing } of plan) {
    let studyId: number;
    if (existing === null) {
      studyId = (await storage.createStudy(name, data.directions)).id;
      for (const [k, v] of Object.entries(data.userAttrs)) await storage.setStudyAttr(studyId, 'user', k, v);
      for (const [k, v] of Object.entries(studySystemAttrsFromOptuna(data.systemAttrs))) await storage.setStudyAttr(studyId, 'system', k, v);
    } else {
      studyId = existing;
      for (const [k, v] of Object.entries(data.userAttrs)) if ((await storage.getStudyAttr(studyId, 'user', k)) === undefined) await storage.setStudyAttr(studyId, 'user', k, v);
      for (const [k, v] of Object.entries(studySystemAttrsFromOptuna(data.systemAttrs))) await storage.setStudySystemAttrIfAbsent(studyId, k, v);
    }
    const offset = existing === null ? 0 : (await storage.getTrials(studyId)).length;
    await writeTrials(storage, studyId, data.trials, offset, name);
    out.push({ source: data.name, study: name, trials: data.trials.length, merged: existing !== null });
  }
  return out;
}

/** How many trials' remaining writes (intermediate values, attributes, end) may be in flight while the next trials are created. */
const PIPELINE = 32;

/**
 * Creates the trials one after another (numbers are allocated in creation
 * order) and lets each trial's remaining writes run alongside the next
 * creations (a networked storage then waits on fewer round trips); within a
 * trial, its end comes after its intermediate values and attributes.
 */
async function writeTrials(storage: Storage, studyId: number, trials: readonly OptunaTrialData[], offset: number, study: string): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;
  try {
    for (const t of trials) {
      if (failure !== undefined) break;
      const rest = await writeTrial(storage, studyId, t, offset + t.number, study);
      const p = rest().catch((err: unknown) => {
        failure ??= { err };
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      if (inFlight.size >= PIPELINE) await Promise.race(inFlight);
    }
  } finally {
    await Promise.all(inFlight);
  }
  if (failure !== undefined) throw failure.err;
}

/** Creates one trial; returns its remaining writes. */
async function writeTrial(storage: Storage, studyId: number, t: OptunaTrialData, expected: number, study: string): Promise<() => Promise<void>> {
  const systemAttrs = trialSystemAttrsFromOptuna(t.systemAttrs, `study ${JSON.stringify(study)}, trial ${t.number}`);
  if (t.datetimeStart !== null) systemAttrs[DATETIME_START_ATTR] = t.datetimeStart;
  if (t.datetimeComplete !== null) systemAttrs[DATETIME_COMPLETE_ATTR] = t.datetimeComplete;
  const waiting = t.state === 'WAITING';
  let { params, distributions } = t;
  const fixed = systemAttrs['fixed_params'];
  if (waiting && Object.keys(params).length === 0 && typeof fixed === 'object' && fixed !== null && !Array.isArray(fixed)) {
    // Optuna's enqueued trial (values in fixed_params only) in the form of tunekit's enqueueTrial: the
    // values as parameters, each with a one-choice categorical distribution.
    const entries = Object.entries(fixed);
    if (entries.every(([, v]) => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
      params = Object.fromEntries(entries);
      distributions = Object.fromEntries(entries.map(([k, v]) => [k, { type: 'categorical', choices: [v] }]));
    }
  }
  const created = await storage.createTrial(studyId, { state: waiting ? 'WAITING' : 'RUNNING', params, distributions, systemAttrs });
  if (created.number !== expected) {
    throw new TunekitError(
      'STORAGE_ERROR',
      `study ${JSON.stringify(study)}: trial ${t.number} was stored as number ${created.number}, not ${expected} (did another process add trials during the import?)`,
    );
  }
  if (waiting && t.intermediateValues.size > 0) {
    throw new TunekitError('INVALID_DATA', `study ${JSON.stringify(study)}, trial ${t.number}: a WAITING trial with intermediate values cannot be stored`);
  }
  return async () => {
    await Promise.all([
      ...[...t.intermediateValues].map(([step, v]) => storage.setTrialIntermediateValue(created.id, step, v)),
      ...Object.entries(t.userAttrs).map(([k, v]) => storage.setTrialAttr(created.id, 'user', k, v)),
    ]);
    if (t.state === 'COMPLETE' || t.state === 'PRUNED' || t.state === 'FAIL') await storage.finishTrial(created.id, t.state, t.values);
  };
}
