import { resolveSeed } from '../../seed.js';
import { fromUnit } from '../distributions.js';
import { streamKey, Xoshiro128 } from '../rng.js';
import type { Distribution } from '../types.js';
import type { Sampler, SamplerContext } from './sampler.js';

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
  readonly seed: number;

  constructor(options: RandomSamplerOptions = {}) {
    this.seed = resolveSeed(options.seed, 'RandomSampler: seed');
  }

  sampleIndependent(ctx: SamplerContext, name: string, d: Distribution): unknown {
    return independentDraw(this.seed, ctx.trial.number, name, d);
  }
}
