/**
 * Loads the native binding. This is the only module that imports it; every
 * call goes through `guard`, which turns native errors into TunekitErrors.
 *
 * The binding's enums (`#[napi(string_enum)]` in `crates/tunekit-node`) are
 * the one list of every kind that crosses the boundary: the types below are
 * the unions of their strings, and {@link enumValues} reads the values from
 * the binding at run time, for checks and messages that list them.
 */
import { createRequire } from 'node:module';
import type * as Binding from '../native/index.cjs';
import { TunekitError, fromNative } from './errors.js';

const require = createRequire(import.meta.url);

function load(): typeof Binding {
  try {
    return require('../native/index.cjs') as typeof Binding;
  } catch (err) {
    throw new TunekitError(
      'INTERNAL',
      `the native tunekit binding could not be loaded (no prebuilt package for ${process.platform}-${process.arch}, ` + `and no local build in native/): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * A binding type as TypeScript code writes it: every string enum as the
 * union of its strings (the generated declarations spell a string enum as a
 * `const enum` unless the napi config sets `constEnum: false`, which makes
 * them unions already; either way this is the union), inside arrays and
 * option objects too.
 */
export type Lit<T> = T extends string ? `${T}` : T extends ArrayBufferView ? T : T extends readonly (infer U)[] ? Lit<U>[] : T extends object ? { [K in keyof T]: Lit<T[K]> } : T;
type LitArgs<A> = { [I in keyof A]: Lit<A[I]> };
type LitCall<F> = F extends abstract new (...args: infer A) => infer R ? new (...args: LitArgs<A>) => R : F extends (...args: infer A) => infer R ? (...args: LitArgs<A>) => R : F;
/** The binding, taking strings where it takes string enums. */
export type NativeBinding = { [K in keyof typeof Binding]: LitCall<(typeof Binding)[K]> };

export const native: NativeBinding = load() as unknown as NativeBinding;

export type { SvcModel, FoldIndices, CvScores, GenerationOutput, GpModel, CmaCandidate } from '../native/index.cjs';
export type SvcOptions = Lit<Binding.SvcOptions>;
export type SvcSettings = Lit<Binding.SvcSettings>;
export type ParamSpec = Lit<Binding.ParamSpec>;
export type GaOptions = Lit<Binding.GaOptions>;
export type GaSettings = Lit<Binding.GaSettings>;
export type GpOptions = Lit<Binding.GpOptions>;
export type CmaSettings = Lit<Binding.CmaSettings>;

/** An objective's direction. */
export type Direction = Lit<Binding.Direction>;
/** How the GA chooses parents. */
export type SelectionKind = Lit<Binding.SelectionKind>;
/** How the GA crosses float genes. */
export type CrossoverKind = Lit<Binding.CrossoverKind>;
/** How the GA crosses integer and categorical genes. */
export type DiscreteCrossover = Lit<Binding.DiscreteCrossover>;
/** How the GA mutates numerical genes. */
export type MutationKind = Lit<Binding.MutationKind>;
/** How the GA draws its initial population. */
export type InitKind = Lit<Binding.InitKind>;
/** The kernel of an SVC. */
export type SvcKernel = Lit<Binding.SvcKernel>;
/** A gamma worked out from the data. */
export type GammaKind = Lit<Binding.GammaKind>;
/** The kernel family of a Gaussian process. */
export type GpKernel = Lit<Binding.GpKernel>;
/** The acquisition function of Bayesian optimisation. */
export type AcquisitionKind = Lit<Binding.AcquisitionKind>;
/** A scipy.stats distribution, or a list to choose from (randomized search). */
export type DistributionKind = Lit<Binding.DistributionKind>;
/** The type of a search-space parameter. */
export type ParamKind = Lit<Binding.ParamKind>;
/** What CMA-ES does when a run stagnates. */
export type CmaRestartStrategy = Lit<Binding.CmaRestartStrategy>;

/** The binding's string enums, by name. */
export interface NativeEnums {
  Direction: Direction;
  SelectionKind: SelectionKind;
  CrossoverKind: CrossoverKind;
  DiscreteCrossover: DiscreteCrossover;
  MutationKind: MutationKind;
  InitKind: InitKind;
  SvcKernel: SvcKernel;
  GammaKind: GammaKind;
  GpKernel: GpKernel;
  AcquisitionKind: AcquisitionKind;
  DistributionKind: DistributionKind;
  ParamKind: ParamKind;
  CmaRestartStrategy: CmaRestartStrategy;
}

/** The values of one of the binding's string enums, as the binding registers them. */
export function enumValues<K extends keyof NativeEnums>(name: K): readonly NativeEnums[K][] {
  const e = (native as unknown as Record<string, Record<string, string> | undefined>)[name];
  return Object.values(e ?? {}) as NativeEnums[K][];
}

/** Whether `v` is one of the values of the binding's enum `name`. */
export function isEnumValue<K extends keyof NativeEnums>(name: K, v: unknown): v is NativeEnums[K] {
  return (enumValues(name) as readonly unknown[]).includes(v);
}

/** The values of the binding's enum `name` for a message: `"a", "b" or "c"`. */
export function enumList(name: keyof NativeEnums): string {
  const quoted = enumValues(name).map((v) => JSON.stringify(v));
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/**
 * A native error as a TunekitError: coded errors (`[CODE] message`) by
 * `fromNative`; the ones napi raises itself carry its status instead:
 * `InvalidArg` when an argument cannot be converted (a wrong type, a
 * string that is none of an enum's values), which is a bad setting, and
 * `GenericFailure` for a panic caught at the boundary, which is a bug.
 */
function fromBinding(err: unknown): unknown {
  const e = fromNative(err);
  if (e instanceof TunekitError || !(e instanceof Error)) return e;
  const status = (e as { code?: unknown }).code;
  if (status === 'InvalidArg') return new TunekitError('INVALID_PARAMETER', e.message, { cause: e });
  if (status === 'GenericFailure') return new TunekitError('INTERNAL', e.message, { cause: e });
  return e;
}

/** Runs a native call, mapping its errors (sync or async) onto TunekitError. */
export function guard<T>(call: () => T): T {
  try {
    const out = call();
    if (out instanceof Promise) {
      return out.catch((err: unknown) => {
        throw fromBinding(err);
      }) as T;
    }
    return out;
  } catch (err) {
    throw fromBinding(err);
  }
}
