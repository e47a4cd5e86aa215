import { TunekitError } from './errors.js';

/**
 * The seeds of every random choice tunekit makes: scikit-learn-style
 * `randomState`s, the samplers' and the GA's `seed`s. One module for all of
 * them, below every user (the samplers, Bayesian and genetic search, the
 * splitters), so none reaches into another's folder for it.
 */

/**
 * Checks a seed (an integer in [0, 2³²−1], numpy's legacy seed range; the
 * native streams take it as is). Without one, a fresh seed is drawn, as
 * scikit-learn does with `None`; pass a seed for results that are the same
 * on every run.
 */
export function resolveSeed(randomState: number | undefined, name = 'randomState'): number {
  if (randomState === undefined) return Math.floor(Math.random() * 2 ** 32);
  if (!Number.isInteger(randomState) || randomState < 0 || randomState > 2 ** 32 - 1) {
    throw new TunekitError('INVALID_PARAMETER', `${name} must be an integer in [0, 4294967295], got ${randomState}`);
  }
  return randomState;
}
