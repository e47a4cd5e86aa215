import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { bundledDataset } from '../datasets.js';
import { describeValue } from '../errors.js';
import { enumValues } from '../native.js';
import { distributionOf } from '../study/distributions.js';
import { SVC_PARAM_NAMES } from '../svc.js';
import type { Distribution, StudyDirection } from '../study/types.js';
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
  sampler: { type: 'random' | 'grid' | 'qmc' | 'gp' | 'genetic'; options: Record<string, unknown> };
  pruner: { type: 'none' | 'median' | 'percentile' | 'successive_halving' | 'hyperband'; options: Record<string, unknown> };
  nTrials: number | undefined;
  timeout: number | undefined;
  concurrency: number;
  heartbeatInterval: number | undefined;
  gracePeriod: number | undefined;
  maxRetries: number;
  space: Record<string, Distribution>;
  objective: ObjectiveConfig;
}

export type ObjectiveConfig =
  | { kind: 'builtin'; builtin: 'svc'; data: string; target: string | undefined; cv: number }
  | { kind: 'module'; module: string }
  | { kind: 'command'; command: string[]; timeoutPerTrial: number | undefined; gracePeriod: number; cwd: string };

/** A config error: exit code 2, nothing runs. */
export class ConfigError extends Error {}

/** A config value in a message: NaN, .inf and the like as such, not as JSON's null. */
const show = (v: unknown): string => (v === undefined ? 'nothing' : describeValue(v));

function fail(path: string, message: string): never {
  throw new ConfigError(`${path}: ${message}`);
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, `expected a mapping, got ${show(v)}`);
  return v as Record<string, unknown>;
}

function only(o: Record<string, unknown>, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(path === '' ? k : `${path}.${k}`, `unknown key (expected one of ${allowed.join(', ')})`);
}

function string(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') fail(path, `expected a non-empty string, got ${show(v)}`);
  return v;
}

function positiveInt(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) fail(path, `expected a positive integer, got ${show(v)}`);
  return v;
}

function positive(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(path, `expected a positive number, got ${show(v)}`);
  return v;
}

function oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !values.includes(v as T)) fail(path, `expected one of ${values.join(', ')}, got ${show(v)}`);
  return v as T;
}

/** Per-sampler option checks (the samplers check again; these give config paths). */
const SAMPLER_OPTIONS: Record<StudyConfig['sampler']['type'], Record<string, (v: unknown, path: string) => void>> = {
  random: { seed: (v, p) => seed(v, p) },
  qmc: { seed: (v, p) => seed(v, p) },
  grid: { seed: (v, p) => seed(v, p) },
  gp: {
    seed: (v, p) => seed(v, p),
    nStartupTrials: (v, p) => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(p, `expected an integer ≥ 0, got ${show(v)}`);
    },
    kernel: (v, p) => oneOf(v, p, enumValues('GpKernel')),
    acquisition: (v, p) => {
      const a = object(v, p);
      only(a, p, ['kind', 'xi', 'kappa']);
      oneOf(a.kind, `${p}.kind`, enumValues('AcquisitionKind'));
      if (a.xi !== undefined && (typeof a.xi !== 'number' || !(a.xi >= 0))) fail(`${p}.xi`, `expected a number ≥ 0, got ${show(a.xi)}`);
      if (a.kappa !== undefined) positive(a.kappa, `${p}.kappa`);
    },
    kappa: (v, p) => positive(v, p),
  },
  genetic: {
    seed: (v, p) => seed(v, p),
    populationSize: (v, p) => {
      if (positiveInt(v, p) < 2) fail(p, `expected an integer ≥ 2, got ${show(v)}`);
    },
    elitism: (v, p) => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(p, `expected an integer ≥ 0, got ${show(v)}`);
    },
    selection: (v, p) => void object(v, p),
    crossover: (v, p) => void object(v, p),
    mutation: (v, p) => void object(v, p),
    init: (v, p) => oneOf(v, p, enumValues('InitKind')),
  },
};

function seed(v: unknown, path: string): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > 2 ** 32 - 1) fail(path, `expected an integer in [0, 4294967295], got ${show(v)}`);
}

const PRUNER_OPTIONS: Record<StudyConfig['pruner']['type'], readonly string[]> = {
  none: [],
  median: ['nStartupTrials', 'nWarmupSteps', 'intervalSteps', 'nMinTrials'],
  percentile: ['percentile', 'nStartupTrials', 'nWarmupSteps', 'intervalSteps', 'nMinTrials'],
  successive_halving: ['minResource', 'reductionFactor', 'minEarlyStoppingRate', 'bootstrapCount'],
  hyperband: ['minResource', 'maxResource', 'reductionFactor', 'bootstrapCount'],
};

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

/** Validates a parsed config; relative paths are resolved against `base` (the config's folder). */
export function validateConfig(raw: unknown, base: string): StudyConfig {
  const o = object(raw, 'config');
  only(o, '', ['study', 'storage', 'direction', 'directions', 'sampler', 'pruner', 'nTrials', 'timeout', 'concurrency', 'heartbeatInterval', 'gracePeriod', 'maxRetries', 'space', 'objective']);
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
  const s = o.sampler === undefined ? { type: directions.length === 1 ? 'gp' : 'genetic' } : typeof o.sampler === 'string' ? { type: o.sampler } : object(o.sampler, 'sampler');
  only(s, 'sampler', ['type', 'options']);
  const samplerType = oneOf(s.type, 'sampler.type', ['random', 'grid', 'qmc', 'gp', 'genetic'] as const);
  const samplerOptions = s.options === undefined ? {} : object(s.options, 'sampler.options');
  const checks = SAMPLER_OPTIONS[samplerType];
  for (const [k, v] of Object.entries(samplerOptions)) {
    const check = Object.hasOwn(checks, k) ? checks[k] : undefined;
    if (check === undefined) fail(`sampler.options.${k}`, `unknown option for the ${samplerType} sampler (expected one of ${Object.keys(checks).join(', ')})`);
    check(v, `sampler.options.${k}`);
  }
  if (samplerType === 'gp' && directions.length > 1) fail('sampler.type', `the gp sampler optimises one objective; this config has ${directions.length} directions (use genetic)`);
  if (samplerType === 'grid') {
    for (const [name, d] of Object.entries(space)) {
      if (d.type === 'float' && d.step === undefined) fail(`space.${name}`, 'the grid sampler needs categorical, int or stepped float parameters');
    }
  }
  const p = o.pruner === undefined ? { type: 'median' } : typeof o.pruner === 'string' ? { type: o.pruner } : object(o.pruner, 'pruner');
  only(p, 'pruner', ['type', 'options']);
  const prunerType = oneOf(p.type, 'pruner.type', ['none', 'median', 'percentile', 'successive_halving', 'hyperband'] as const);
  const prunerOptions = p.options === undefined ? {} : object(p.options, 'pruner.options');
  only(prunerOptions, 'pruner.options', PRUNER_OPTIONS[prunerType]);
  if (prunerType === 'percentile' && typeof prunerOptions.percentile !== 'number') fail('pruner.options.percentile', `required: a number in [0, 100], got ${show(prunerOptions.percentile)}`);
  const nTrials = o.nTrials === undefined ? undefined : positiveInt(o.nTrials, 'nTrials');
  const timeout = o.timeout === undefined ? undefined : positive(o.timeout, 'timeout');
  if (nTrials === undefined && timeout === undefined && samplerType !== 'grid') fail('nTrials', 'give nTrials or timeout (or both)');
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
  };
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
