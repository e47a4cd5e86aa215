/**
 * Loads the native binding. This is the only module that imports it; every
 * call goes through `guard`, which turns native errors into TunekitErrors.
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
      `the native tunekit binding could not be loaded (no prebuilt package for ${process.platform}-${process.arch}, ` +
        `and no local build in native/): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

export const native: typeof Binding = load();
export type { SvcOptions, SvcModel, FoldIndices, CvScores, ParamSpec, GaOptions, GenerationOutput, GpOptions, GpModel } from '../native/index.cjs';

/** Runs a native call, mapping its errors (sync or async) onto TunekitError. */
export function guard<T>(call: () => T): T {
  try {
    const out = call();
    if (out instanceof Promise) {
      return out.catch((err: unknown) => {
        throw fromNative(err);
      }) as T;
    }
    return out;
  } catch (err) {
    throw fromNative(err);
  }
}
