import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { bundledDataset } from '../datasets.js';
import { enumValues } from '../native.js';
import { ConfigError, fail, object, oneOf, only, positive, positiveInt, show, string } from './config_checks.js';
import { build, PRUNERS, SAMPLERS, type PrunerType, type RegistryContext, type RegistryEntry, type SamplerType } from './registry.js';
import { distributionOf } from '../study/distributions.js';
import { SVC_PARAM_NAMES } from '../svc.js';
import type { Distribution, StudyDirection } from '../study/types.js';

export { ConfigError } from './config_checks.js';
import { keyedRecord } from '../keyed.js';

/**
 * A study config (`tunekit run study.yaml`), validated before anything runs.
 * Every error names the path of the bad value, e.g.
 * `sampler.options.kappa: expected a positive number, got -1`.
 */
export interface StudyConfig {
  study: string;
  storage: string;
  directions: StudyDirection[];
  sampler: { type: SamplerType; options: Record<string, unknown> };
  pruner: { type: PrunerType; options: Record<string, unknown> };
  nTrials: number | undefined;
  timeout: number | undefined;
  concurrency: number;
  heartbeatInterval: number | undefined;
  gracePeriod: number | undefined;
  maxRetries: number;
  space: Record<string, Distribution>;
  objective: ObjectiveConfig;
  /** Old studies (names in the same storage) to transfer from (`createStudy({ transferFrom })`); absent: none. */
  transferFrom?: string[];
  /** Options of the transfer (`createStudy({ transfer })`), checked by createStudy. */
  transfer?: { maxTrialsPerStudy?: number; warmStartGamma?: number };
}

export type ObjectiveConfig =
  | { kind: 'builtin'; builtin: 'svc'; data: string; target: string | undefined; cv: number }
  | { kind: 'module'; module: string }
  | { kind: 'command'; command: string[]; timeoutPerTrial: number | undefined; gracePeriod: number; cwd: string };

/**
 * The space, as a keyed record (ts/keyed.ts): any name is a parameter name
 * (`constructor`, `__proto__`, …). Each parameter is built by the study's
 * `distributionOf`, the one path every space takes (the shape checked in
 * TypeScript, the rules by the core); its errors become config errors.
 */
function spaceOf(v: unknown): Record<string, Distribution> {
  const o = object(v, 'space');
  if (Object.keys(o).length === 0) fail('space', 'the search space is empty: give at least one parameter');
  const out: Record<string, Distribution> = keyedRecord<Distribution>();
  for (const [name, spec] of Object.entries(o)) {
    try {
      out[name] = distributionOf(spec, `space.${name}`);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
  return out;
}

/** Placeholders `{name}` in a command argument. */
export function placeholders(arg: string): string[] {
  return [...arg.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1] as string);
}

function objectiveOf(v: unknown, space: Record<string, Distribution>, base: string): ObjectiveConfig {
  if (v === undefined) fail('objective', 'required: give builtin, module or command');
  const o = object(v, 'objective');
  const kinds = ['builtin', 'module', 'command'].filter((k) => o[k] !== undefined);
  if (kinds.length !== 1) fail('objective', `give exactly one of builtin, module or command, got ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`);
  if (o.builtin !== undefined) {
    only(o, 'objective', ['builtin', 'data', 'target', 'cv']);
    oneOf(o.builtin, 'objective.builtin', ['svc']);
    const data = string(o.data ?? 'iris', 'objective.data');
    const bundled = bundledDataset(data) !== undefined;
    for (const name of Object.keys(space)) if (!SVC_PARAM_NAMES.includes(name)) fail(`space.${name}`, `not an SVC parameter (the svc objective takes ${SVC_PARAM_NAMES.join(', ')})`);
    return {
      kind: 'builtin',
      builtin: 'svc',
      data: bundled ? data : resolve(base, data),
      target: o.target === undefined ? undefined : string(o.target, 'objective.target'),
      cv: o.cv === undefined ? 5 : positiveInt(o.cv, 'objective.cv'),
    };
  }
  if (o.module !== undefined) {
    only(o, 'objective', ['module']);
    const m = string(o.module, 'objective.module');
    if (!['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'].includes(extname(m))) fail('objective.module', `expected a .mjs, .js, .cjs or .ts file, got ${show(m)}`);
    return { kind: 'module', module: isAbsolute(m) ? m : resolve(base, m) };
  }
  only(o, 'objective', ['command', 'timeoutPerTrial', 'gracePeriod']);
  if (!Array.isArray(o.command) || o.command.length === 0) fail('objective.command', `expected a non-empty list of arguments, got ${show(o.command)}`);
  const command = o.command.map((a, i) => {
    if (typeof a !== 'string' && typeof a !== 'number') fail(`objective.command[${i}]`, `expected a string, got ${show(a)}`);
    const s = String(a);
    for (const p of placeholders(s)) {
      if (!Object.hasOwn(space, p)) fail(`objective.command[${i}]`, `unknown placeholder {${p}} (the space has ${Object.keys(space).join(', ')})`);
    }
    return s;
  });
  if (command[0] === '' || placeholders(command[0] as string).length > 0) fail('objective.command[0]', `the program must be a fixed name, got ${show(command[0])}`);
  return {
    kind: 'command',
    command,
    timeoutPerTrial: o.timeoutPerTrial === undefined ? undefined : positive(o.timeoutPerTrial, 'objective.timeoutPerTrial'),
    gracePeriod: o.gracePeriod === undefined ? 5 : positive(o.gracePeriod, 'objective.gracePeriod'),
    cwd: base,
  };
}

/**
 * The `options` of a sampler or pruner: every key known to its registry entry
 * (and the CLI's own checks); then the object is built once, so the
 * constructor's checks of the values apply before anything runs.
 */
function optionsOf<T>(v: unknown, kind: 'sampler' | 'pruner', type: string, entry: RegistryEntry<T>, c: RegistryContext): Record<string, unknown> {
  const options = v === undefined ? {} : object(v, `${kind}.options`);
  const known = Object.keys(entry.options);
  for (const [k, value] of Object.entries(options)) {
    if (!Object.hasOwn(entry.options, k)) fail(`${kind}.options.${k}`, `unknown option for the ${type} ${kind} (${known.length === 0 ? 'it takes none' : `expected one of ${known.join(', ')}`})`);
    entry.options[k]?.(value, `${kind}.options.${k}`);
  }
  entry.check?.(c);
  build(entry, kind, options, c);
  return options;
}

/** Validates a parsed config; relative paths are resolved against `base` (the config's folder). */
export function validateConfig(raw: unknown, base: string): StudyConfig {
  const o = object(raw, 'config');
  only(o, '', [
    'study',
    'storage',
    'direction',
    'directions',
    'sampler',
    'pruner',
    'nTrials',
    'timeout',
    'concurrency',
    'heartbeatInterval',
    'gracePeriod',
    'maxRetries',
    'space',
    'objective',
    'transferFrom',
    'transfer',
  ]);
  const study = string(o.study, 'study');
  const storage = o.storage === undefined ? `sqlite:${resolve(process.cwd(), 'tunekit.db')}` : string(o.storage, 'storage');
  if (o.direction !== undefined && o.directions !== undefined) fail('directions', 'give direction or directions, not both');
  const directions: StudyDirection[] =
    o.directions !== undefined
      ? (Array.isArray(o.directions) && o.directions.length > 0 ? o.directions : fail('directions', `expected a non-empty list, got ${show(o.directions)}`)).map((d, i) =>
          oneOf(d, `directions[${i}]`, enumValues('Direction')),
        )
      : [oneOf(o.direction ?? 'minimize', 'direction', enumValues('Direction'))];
  const space = spaceOf(o.space);
  const s = o.sampler === undefined ? { type: 'auto' } : typeof o.sampler === 'string' ? { type: o.sampler } : object(o.sampler, 'sampler');
  only(s, 'sampler', ['type', 'options']);
  const samplerType = oneOf(s.type, 'sampler.type', Object.keys(SAMPLERS) as SamplerType[]);
  const samplerOptions = optionsOf(s.options, 'sampler', samplerType, SAMPLERS[samplerType], { space, directions });
  const p = o.pruner === undefined ? { type: 'median' } : typeof o.pruner === 'string' ? { type: o.pruner } : object(o.pruner, 'pruner');
  only(p, 'pruner', ['type', 'options']);
  const prunerType = oneOf(p.type, 'pruner.type', Object.keys(PRUNERS) as PrunerType[]);
  const prunerOptions = optionsOf(p.options, 'pruner', prunerType, PRUNERS[prunerType], { space, directions });
  const nTrials = o.nTrials === undefined ? undefined : positiveInt(o.nTrials, 'nTrials');
  const timeout = o.timeout === undefined ? undefined : positive(o.timeout, 'timeout');
  if (nTrials === undefined && timeout === undefined && SAMPLERS[samplerType].finite !== true) fail('nTrials', 'give nTrials or timeout (or both)');
  const maxRetries = o.maxRetries === undefined ? 0 : o.maxRetries;
  if (typeof maxRetries !== 'number' || !Number.isSafeInteger(maxRetries) || maxRetries < 0) fail('maxRetries', `expected an integer ≥ 0, got ${show(o.maxRetries)}`);
  return {
    study,
    storage,
    directions,
    sampler: { type: samplerType, options: samplerOptions },
    pruner: { type: prunerType, options: prunerOptions },
    nTrials,
    timeout,
    concurrency: o.concurrency === undefined ? 1 : positiveInt(o.concurrency, 'concurrency'),
    heartbeatInterval: o.heartbeatInterval === undefined ? undefined : positive(o.heartbeatInterval, 'heartbeatInterval'),
    gracePeriod: o.gracePeriod === undefined ? undefined : positive(o.gracePeriod, 'gracePeriod'),
    maxRetries,
    space,
    objective: objectiveOf(o.objective, space, base),
    ...transferOf(o, study),
  };
}

/** `transferFrom` (a list of study names, not the study's own) and `transfer` (its options). */
function transferOf(o: Record<string, unknown>, study: string): Pick<StudyConfig, 'transferFrom' | 'transfer'> {
  if (o.transferFrom === undefined) {
    if (o.transfer !== undefined) fail('transfer', 'options given without transferFrom');
    return {};
  }
  if (!Array.isArray(o.transferFrom)) fail('transferFrom', `expected a list of study names, got ${show(o.transferFrom)}`);
  const transferFrom = (o.transferFrom as unknown[]).map((n, i) => {
    const name = string(n, `transferFrom[${i}]`);
    if (name === study) fail(`transferFrom[${i}]`, `a study cannot transfer from itself (${JSON.stringify(name)})`);
    return name;
  });
  if (o.transfer === undefined) return { transferFrom };
  const t = object(o.transfer, 'transfer');
  only(t, 'transfer', ['maxTrialsPerStudy', 'warmStartGamma']);
  const transfer: NonNullable<StudyConfig['transfer']> = {};
  if (t.maxTrialsPerStudy !== undefined) transfer.maxTrialsPerStudy = positiveInt(t.maxTrialsPerStudy, 'transfer.maxTrialsPerStudy');
  if (t.warmStartGamma !== undefined) transfer.warmStartGamma = positive(t.warmStartGamma, 'transfer.warmStartGamma');
  return { transferFrom, transfer };
}

/**
 * Reads a YAML or JSON config file. YAML is parsed with the YAML 1.2 core
 * schema: plain data only, no tags that build objects or run code.
 */
export function loadConfig(path: string): StudyConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    if (extname(path) === '.json') raw = JSON.parse(text);
    else {
      const doc = parseDocument(text, { schema: 'core', customTags: [], merge: false, logLevel: 'silent' });
      if (doc.errors.length > 0) throw doc.errors[0] as Error;
      const tag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
      if (tag !== undefined) throw new ConfigError(`${path}: ${tag.message.split('\n')[0]}: configs are plain data, custom YAML tags are refused`);
      raw = doc.toJS({ maxAliasCount: 100 });
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  return validateConfig(raw, dirname(resolve(path)));
}
