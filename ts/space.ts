import { describeValue, TunekitError } from './errors.js';
import { guard, native, type ParamSpec } from './native.js';

/** A real parameter in [low, high]. */
export interface FloatSpec {
  type: 'float';
  low: number;
  high: number;
  /** Search on a log scale (needs low > 0). @default false */
  log?: boolean;
  /** Only values low + k·step (high − low must be a multiple). @default none */
  step?: number;
}

/** An integer parameter in [low, high]. */
export interface IntSpec {
  type: 'int';
  low: number;
  high: number;
  /** Search on a log scale (needs low ≥ 1, step 1). @default false */
  log?: boolean;
  /** Only values low + k·step. @default 1 */
  step?: number;
}

/** One of a list of values (strings, numbers, booleans, null). */
export interface CategoricalSpec {
  type: 'categorical';
  choices: readonly unknown[];
}

/** One parameter: a spec object, or `[low, high]` for a float on a linear scale. */
export type ParamSpaceSpec = readonly [number, number] | FloatSpec | IntSpec | CategoricalSpec;

/**
 * The search-space format every tuner shares:
 * ```ts
 * { C: { type: 'float', low: 1e-2, high: 1e3, log: true },
 *   gamma: [1e-4, 1e-1],
 *   degree: { type: 'int', low: 2, high: 5 },
 *   kernel: { type: 'categorical', choices: ['rbf', 'poly'] } }
 * ```
 */
export type SpaceSpec = Readonly<Record<string, ParamSpaceSpec>>;

/** A parameter set: one value per parameter name. */
export type ParamValues = Record<string, unknown>;

type Normalised = (FloatSpec | IntSpec | CategoricalSpec) & { name: string };

const where = (path: string, name: string, field?: string): string => `${path}.${name}${field === undefined ? '' : `.${field}`}`;

function fail(message: string): never {
  throw new TunekitError('INVALID_SPACE', message);
}

function num(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${at}: expected a finite number, got ${describeValue(v)}`);
  return v;
}

function normalise(name: string, spec: unknown, path: string): Normalised {
  if (Array.isArray(spec)) {
    if (spec.length !== 2 || typeof spec[0] !== 'number' || typeof spec[1] !== 'number') {
      fail(`${where(path, name)}: the shorthand is [low, high] with two numbers, got ${describeValue(spec)} (use { type: 'categorical', choices: [...] } for a list of values)`);
    }
    return { name, type: 'float', low: num(spec[0], where(path, name, '0')), high: num(spec[1], where(path, name, '1')) };
  }
  if (typeof spec !== 'object' || spec === null) {
    fail(`${where(path, name)}: expected [low, high] or { type, … }, got ${describeValue(spec)}`);
  }
  const s = spec as Record<string, unknown>;
  const allowed: Record<string, string[]> = {
    float: ['type', 'low', 'high', 'log', 'step'],
    int: ['type', 'low', 'high', 'log', 'step'],
    categorical: ['type', 'choices'],
  };
  const keys = allowed[s.type as string];
  if (keys === undefined) fail(`${where(path, name, 'type')}: expected "float", "int" or "categorical", got ${describeValue(s.type)}`);
  for (const k of Object.keys(s)) if (!keys.includes(k)) fail(`${where(path, name, k)}: unknown field for a ${s.type} parameter`);
  if (s.type === 'categorical') {
    if (!Array.isArray(s.choices) || s.choices.length === 0) {
      fail(`${where(path, name, 'choices')}: expected a non-empty array, got ${describeValue(s.choices)}`);
    }
    return { name, type: 'categorical', choices: s.choices };
  }
  if (s.log !== undefined && typeof s.log !== 'boolean') fail(`${where(path, name, 'log')}: expected true or false, got ${describeValue(s.log)}`);
  const out = { name, type: s.type, low: num(s.low, where(path, name, 'low')), high: num(s.high, where(path, name, 'high')) } as Normalised & { log?: boolean; step?: number };
  if (s.log !== undefined) out.log = s.log;
  if (s.step !== undefined) out.step = num(s.step, where(path, name, 'step'));
  return out;
}

/** Builds the parameter set of the point at `offset` in `values` (`choices[i]` maps a categorical index). */
type ParamBuilder = (values: ArrayLike<number>, offset: number, choices: readonly (readonly unknown[] | undefined)[]) => ParamValues;

/**
 * Parameter sets built before a space compiles its builder: compiling costs
 * tens of microseconds, worth it only for a space that builds many sets (a
 * GA run builds one per individual; a sampler's throwaway space a few).
 */
const COMPILE_AFTER = 32;

/** Builds parameter sets by assigning the names one by one. */
function assignLoop(params: readonly Normalised[]): ParamBuilder {
  return (values, offset, choices) => {
    const out: ParamValues = {};
    for (let i = 0; i < params.length; i++) {
      const v = values[offset + i] as number;
      const c = choices[i];
      out[(params[i] as Normalised).name] = c === undefined ? v : c[v];
    }
    return out;
  };
}

/**
 * The compiled parameter-set builder of a space. Its source is one object
 * literal whose keys are the parameter names as JSON string literals (which
 * escape every character JavaScript would read as code) and whose values are
 * reads at integer offsets: every parameter set of the space then shares one
 * hidden class and is made in one step, several times faster than assigning
 * the names one by one, which matters when the objective itself is cheap.
 * `__proto__` (the one key a literal would treat specially) is refused as a
 * name before this runs. Where code generation is disabled
 * (`--disallow-code-generation-from-strings`), names are assigned in a loop.
 */
function paramBuilder(params: readonly Normalised[]): ParamBuilder {
  const fields = params.map((p, i) => `${JSON.stringify(p.name)}: ${p.type === 'categorical' ? `c[${i}][v[o + ${i}]]` : `v[o + ${i}]`}`);
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the body is built from JSON.stringify'd names and indices only
    return new Function('v', 'o', 'c', `return { ${fields.join(', ')} };`) as ParamBuilder;
  } catch {
    return assignLoop(params);
  }
}

/**
 * A validated search space: parameter order is the key order of the spec.
 * Converts parameter sets to and from the value form the native core uses
 * (one number per parameter; the index of the choice for categoricals).
 */
export class SearchSpace {
  readonly params: readonly Normalised[];
  readonly native: ParamSpec[];
  private readonly choices: readonly (readonly unknown[] | undefined)[];
  /** The compiled builder, once this space has built `COMPILE_AFTER` sets. */
  private build: ParamBuilder | undefined;
  private built = 0;

  constructor(spec: SpaceSpec, path = 'space') {
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) fail(`${path}: expected an object of parameters`);
    const names = Object.keys(spec);
    if (names.length === 0) fail(`${path}: the search space is empty: give at least one parameter`);
    for (const n of names) if (n === '__proto__') fail(`${path}: "__proto__" cannot be a parameter name`);
    this.params = names.map((n) => normalise(n, spec[n], path));
    this.choices = this.params.map((p) => (p.type === 'categorical' ? p.choices : undefined));
    this.native = this.params.map((p) =>
      p.type === 'categorical'
        ? { name: p.name, kind: 'categorical', nChoices: p.choices.length }
        : { name: p.name, kind: p.type, low: p.low, high: p.high, log: p.log ?? false, ...(p.step === undefined ? {} : { step: p.step }) },
    );
    guard(() => native.validateSpace(this.native));
  }

  get names(): string[] {
    return this.params.map((p) => p.name);
  }

  /** A parameter set (by name) in value form; unknown or missing names throw. */
  toValues(values: ParamValues, what = 'params'): Float64Array {
    for (const k of Object.keys(values)) {
      if (!this.params.some((p) => p.name === k)) {
        throw new TunekitError('UNKNOWN_PARAMETER', `${what}: unknown parameter ${JSON.stringify(k)} (the space has ${this.names.join(', ')})`);
      }
    }
    return Float64Array.from(this.params, (p) => {
      if (!(p.name in values)) throw new TunekitError('INVALID_PARAMETER', `${what}: parameter ${JSON.stringify(p.name)} is missing`);
      const v = values[p.name];
      if (p.type === 'categorical') {
        const k = p.choices.findIndex((c) => Object.is(c, v) || c === v);
        if (k < 0) throw new TunekitError('INVALID_PARAMETER', `${what}.${p.name}: ${describeValue(v)} is not one of ${describeValue(p.choices)}`);
        return k;
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new TunekitError('INVALID_PARAMETER', `${what}.${p.name}: expected a finite number, got ${describeValue(v)}`);
      }
      if (v < p.low || v > p.high || (p.type === 'int' && !Number.isInteger(v))) {
        throw new TunekitError('INVALID_PARAMETER', `${what}.${p.name}: ${v} is outside [${p.low}, ${p.high}]${p.type === 'int' ? ' or not an integer' : ''}`);
      }
      return v;
    });
  }

  /** Whether a parameter set lies in this space (every name known and every value valid). */
  contains(values: ParamValues): boolean {
    try {
      this.toValues(values);
      return true;
    } catch {
      return false;
    }
  }

  /** A point in value form back to a parameter set by name. */
  fromValues(values: ArrayLike<number>): ParamValues {
    return this.fromValuesAt(values, 0);
  }

  /**
   * The parameter set of the point starting at `offset` in `values` (a row of
   * a row-major block).
   * @internal
   */
  fromValuesAt(values: ArrayLike<number>, offset: number): ParamValues {
    if (this.build === undefined && ++this.built > COMPILE_AFTER) this.build = paramBuilder(this.params);
    return (this.build ?? assignLoop(this.params))(values, offset, this.choices);
  }
}
