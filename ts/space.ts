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

/** One checked parameter: a float or int spec with the fields given (no undefined ones), or a categorical spec with its own copy of the choices. */
export type ParamDef = FloatSpec | IntSpec | CategoricalSpec;

type Normalised = ParamDef & { name: string };

function fail(message: string): never {
  throw new TunekitError('INVALID_SPACE', message);
}

const FIELDS: Readonly<Record<string, readonly string[]>> = {
  float: ['type', 'low', 'high', 'log', 'step'],
  int: ['type', 'low', 'high', 'log', 'step'],
  categorical: ['type', 'choices'],
};

/**
 * A field that must be a finite number: part of the shape (a bound or step
 * is a plain, JSON-able number; messages show NaN and ±Infinity as
 * JavaScript writes them). Every rule on its value is the core's.
 */
function number(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${at}: expected a finite number, got ${describeValue(v)}`);
  return v;
}

/** The core's description of one parameter. */
export function paramSpecOf(p: ParamDef, name: string): ParamSpec {
  return p.type === 'categorical'
    ? { name, kind: 'categorical', nChoices: p.choices.length }
    : { name, kind: p.type, low: p.low, high: p.high, log: p.log ?? false, ...(p.step === undefined ? {} : { step: p.step }) };
}

/** The name a parameter is checked under by the core, replaced by `where` in its messages. */
const PROBE = 'p';
const PROBE_PREFIX = `parameter ${JSON.stringify(PROBE)}: `;

/**
 * Checks one parameter of the shared space format (`[low, high]` shorthand
 * included) and returns it as a spec object with only the fields given. Only the SHAPE is checked here (the
 * type, number fields being finite numbers, `log` a boolean, `choices` an array, no
 * unknown fields); every rule on the values (bounds, log scale, steps, at
 * least one choice) is the core's (`validateSpace`), whose message is given
 * with its `parameter "…"` prefix replaced by `where` (a config path such as
 * `space.lr`, or `trial 3: parameter "lr"`). Throws INVALID_SPACE.
 */
export function checkParam(spec: unknown, where: string): ParamDef {
  let out: ParamDef;
  if (Array.isArray(spec)) {
    if (spec.length !== 2 || typeof spec[0] !== 'number' || typeof spec[1] !== 'number') {
      fail(`${where}: the shorthand is [low, high] with two numbers, got ${describeValue(spec)} (use { type: 'categorical', choices: [...] } for a list of values)`);
    }
    out = { type: 'float', low: number(spec[0], `${where}.low`), high: number(spec[1], `${where}.high`) };
  } else {
    if (typeof spec !== 'object' || spec === null) fail(`${where}: expected [low, high] or { type, … }, got ${describeValue(spec)}`);
    const s = spec as Record<string, unknown>;
    const type = s.type;
    const keys = typeof type === 'string' && Object.hasOwn(FIELDS, type) ? FIELDS[type] : undefined;
    if (keys === undefined) fail(`${where}.type: expected "float", "int" or "categorical", got ${describeValue(type)}`);
    // a field given as undefined is a field left out
    for (const k of Object.keys(s)) if (!keys.includes(k) && s[k] !== undefined) fail(`${where}.${k}: unknown field for a ${type as string} parameter`);
    if (type === 'categorical') {
      if (!Array.isArray(s.choices)) fail(`${where}.choices: expected an array, got ${describeValue(s.choices)}`);
      out = { type: 'categorical', choices: [...(s.choices as unknown[])] };
    } else {
      const low = number(s.low, `${where}.low`);
      const high = number(s.high, `${where}.high`);
      if (s.log !== undefined && typeof s.log !== 'boolean') fail(`${where}.log: expected true or false, got ${describeValue(s.log)}`);
      const step = s.step === undefined ? undefined : number(s.step, `${where}.step`);
      out = { type: type as 'float' | 'int', low, high, ...(s.log === undefined ? {} : { log: s.log }), ...(step === undefined ? {} : { step }) };
    }
  }
  try {
    guard(() => native.validateSpace([paramSpecOf(out, PROBE)]));
  } catch (err) {
    if (err instanceof TunekitError && err.message.startsWith(PROBE_PREFIX)) {
      throw new TunekitError(err.code, `${where}: ${err.message.slice(PROBE_PREFIX.length)}`, { cause: err });
    }
    throw err;
  }
  return out;
}

/** Relative tolerance of a value on a step grid (the core's, for a step dividing the range). */
const GRID_TOLERANCE = 1e-9;

/**
 * Whether `value` is a value of the (checked) parameter `p`: a number in
 * [low, high] (an integer for an int), on the grid low + k·step when there is
 * a step (within a relative tolerance for floats); for a categorical, one of
 * the choices (the same value: `Object.is` or `===`).
 */
export function valueIn(p: ParamDef, value: unknown): boolean {
  if (p.type === 'categorical') return p.choices.some((c) => Object.is(c, value) || c === value);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < p.low || value > p.high) return false;
  if (p.type === 'int') return Number.isInteger(value) && (value - p.low) % (p.step ?? 1) === 0;
  if (p.step === undefined) return true;
  const k = (value - p.low) / p.step;
  return Math.abs(k - Math.round(k)) <= GRID_TOLERANCE * Math.max(1, Math.abs(k));
}

/** Why `value` (a finite number) is not a value of the numerical parameter `p`, for a message. */
function offDomain(p: FloatSpec | IntSpec, value: number): string {
  if (value < p.low || value > p.high) return `${value} is outside [${p.low}, ${p.high}]`;
  if (p.type === 'int' && !Number.isInteger(value)) return `${value} is not an integer`;
  return `${value} is not on the grid low + k·step (low=${p.low}, step=${p.step ?? 1})`;
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
    this.params = names.map((n) => ({ ...checkParam(spec[n], `${path}.${n}`), name: n }));
    this.choices = this.params.map((p) => (p.type === 'categorical' ? p.choices : undefined));
    this.native = this.params.map((p) => paramSpecOf(p, p.name));
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
      if (!valueIn(p, v)) throw new TunekitError('INVALID_PARAMETER', `${what}.${p.name}: ${offDomain(p, v)}`);
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
