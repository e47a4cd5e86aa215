import { TunekitError } from '../errors.js';
import { enumList, isEnumValue, type AcquisitionKind } from '../native.js';

/**
 * The acquisition function that picks the next point. Left out: the core's
 * default, LogEI with `xi` 0 (see docs/benchmarks.md for the comparison that
 * chose it); `kappa` of UCB left out: the core's 2.576.
 */
export type AcquisitionOptions = { kind: Exclude<AcquisitionKind, 'ucb'>; xi?: number } | { kind: Extract<AcquisitionKind, 'ucb'>; kappa?: number };

/** The binding's form: kind plus its one setting, each only when given (the core fills in the rest). */
export interface NativeAcquisition {
  acquisition?: AcquisitionKind;
  xi?: number;
  kappa?: number;
}

export function toNativeAcquisition(a: AcquisitionOptions | undefined, path = 'acquisition'): NativeAcquisition {
  if (a === undefined) return {};
  if (typeof a !== 'object' || a === null || !isEnumValue('AcquisitionKind', a.kind)) {
    throw new TunekitError('INVALID_PARAMETER', `${path}.kind: expected ${enumList('AcquisitionKind')}, got ${JSON.stringify((a as { kind?: unknown })?.kind)}`);
  }
  const out: NativeAcquisition = { acquisition: a.kind };
  if ('xi' in a && a.xi !== undefined) {
    if (!Number.isFinite(a.xi) || a.xi < 0) throw new TunekitError('INVALID_PARAMETER', `${path}.xi: expected a number ≥ 0, got ${a.xi}`);
    out.xi = a.xi;
  }
  if ('kappa' in a && a.kappa !== undefined) {
    if (!Number.isFinite(a.kappa) || a.kappa <= 0) throw new TunekitError('INVALID_PARAMETER', `${path}.kappa: expected a positive number, got ${a.kappa}`);
    out.kappa = a.kappa;
  }
  return out;
}
