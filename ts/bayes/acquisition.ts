import { TunekitError } from '../errors.js';

/** The acquisition function that picks the next point. */
export type AcquisitionOptions =
  | { kind: 'logei'; xi?: number }
  | { kind: 'ei'; xi?: number }
  | { kind: 'pi'; xi?: number }
  | { kind: 'ucb'; kappa?: number };

/** The binding's form: kind plus its one setting. */
export interface NativeAcquisition {
  acquisition: string;
  xi: number;
  kappa: number;
}

/** Default acquisition: LogEI (see docs/benchmarks.md for the comparison that chose it). */
export const DEFAULT_ACQUISITION: AcquisitionOptions = { kind: 'logei', xi: 0 };

export function toNativeAcquisition(a: AcquisitionOptions | undefined, path = 'acquisition'): NativeAcquisition {
  const acq = a ?? DEFAULT_ACQUISITION;
  if (typeof acq !== 'object' || acq === null || !['logei', 'ei', 'pi', 'ucb'].includes(acq.kind)) {
    throw new TunekitError('INVALID_PARAMETER', `${path}.kind: expected "logei", "ei", "pi" or "ucb", got ${JSON.stringify((acq as { kind?: unknown })?.kind)}`);
  }
  const xi = 'xi' in acq && acq.xi !== undefined ? acq.xi : 0;
  const kappa = 'kappa' in acq && acq.kappa !== undefined ? acq.kappa : 2.576;
  if (!Number.isFinite(xi) || xi < 0) throw new TunekitError('INVALID_PARAMETER', `${path}.xi: expected a number ≥ 0, got ${xi}`);
  if (!Number.isFinite(kappa) || kappa <= 0) throw new TunekitError('INVALID_PARAMETER', `${path}.kappa: expected a positive number, got ${kappa}`);
  return { acquisition: acq.kind, xi, kappa };
}
