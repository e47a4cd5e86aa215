import { guard, native } from '../../native.js';
import type { Distribution } from '../types.js';
import { resolveSeed } from '../../seed.js';
import { independentDraw } from './random.js';
import { defaultRelativeSpace } from './intersection.js';
import type { Sampler, SamplerContext } from './sampler.js';
import { searchable, searchSpaceOf } from './space_of.js';

/** Options of {@link QMCSampler}. */
export interface QMCSamplerOptions {
  /** Seed of the Owen scrambling (and of independent draws). @default a random seed */
  seed?: number;
}

/**
 * Quasi-Monte Carlo: trial `i` takes point `i` of an Owen-scrambled Sobol
 * sequence over the relative space (computed in Rust), so the trials of all
 * workers together fill the space evenly. The first trial (nothing complete
 * yet, no declared space) is drawn independently.
 */
export class QMCSampler implements Sampler {
  readonly seed: number;

  constructor(options: QMCSamplerOptions = {}) {
    this.seed = resolveSeed(options.seed, 'QMCSampler: seed');
  }

  /** The declared space, else the intersection of the complete trials' spaces. */
  inferRelativeSpace(ctx: SamplerContext): Record<string, Distribution> {
    return defaultRelativeSpace(ctx);
  }

  async sampleRelative(ctx: SamplerContext, space: Record<string, Distribution>): Promise<Record<string, unknown>> {
    space = searchable(space);
    if (Object.keys(space).length === 0) return {};
    const s = searchSpaceOf(space);
    const values = guard(() => native.sobolPoints(s.native, ctx.trial.number, 1, this.seed));
    return s.fromValues(values);
  }

  sampleIndependent(ctx: SamplerContext, name: string, d: Distribution): unknown {
    return independentDraw(this.seed, ctx.trial.number, name, d);
  }
}
