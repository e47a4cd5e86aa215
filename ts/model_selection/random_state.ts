import { TunekitError } from '../errors.js';

/**
 * Checks a `randomState` (an integer in [0, 2³²−1], numpy's legacy seed range).
 * Without one, a fresh seed is drawn, as scikit-learn does with `None`; pass a
 * seed for results that are the same on every run.
 */
export function resolveSeed(randomState: number | undefined, name = 'randomState'): number {
  if (randomState === undefined) return Math.floor(Math.random() * 2 ** 32);
  if (!Number.isInteger(randomState) || randomState < 0 || randomState > 2 ** 32 - 1) {
    throw new TunekitError('INVALID_PARAMETER', `${name} must be an integer in [0, 4294967295], got ${randomState}`);
  }
  return randomState;
}
