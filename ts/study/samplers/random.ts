import { TunekitError } from '../../errors.js';
import { fromUnit } from '../distributions.js';
import { streamKey, Xoshiro128 } from '../rng.js';
import type { Distribution } from '../types.js';
import type { Sampler, SamplerContext } from './sampler.js';

/** Checks a sampler seed (an integer in [0, 2³²−1]); without one, a fresh seed is drawn. */
export function samplerSeed(seed: number | undefined, who: string): number {
  if (seed === undefined) return Math.floor(Math.random() * 2 ** 32);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) {
    throw new TunekitError('INVALID_PARAMETER', `${who}: seed must be an integer in [0, 4294967295], got ${seed}`);
  }
  return seed;
}

/** A uniform draw keyed by (seed, trial number, parameter name): the same whichever worker draws it. */
export function independentDraw(seed: number, trialNumber: number, name: string, d: Distribution): unknown {
  return fromUnit(d, new Xoshiro128(streamKey(seed, trialNumber, name)).random());
}

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** @default a random seed */
  seed?: number;
}

/**
 * Independent uniform sampling (log-uniform on log scales, every integer and
 * category equally likely). Each value depends only on the seed, the trial
 * number and the parameter name.
 */
export class RandomSampler implements Sampler {
  readonly relative = false;
  readonly seed: number;

  constructor(options: RandomSamplerOptions = {}) {
    this.seed = samplerSeed(options.seed, 'RandomSampler');
  }

  sampleIndependent(ctx: SamplerContext, name: string, d: Distribution): unknown {
    return independentDraw(this.seed, ctx.trial.number, name, d);
  }
}
