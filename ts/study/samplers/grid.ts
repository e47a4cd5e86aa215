import { describeValue, TunekitError } from '../../errors.js';
import { Xoshiro128 } from '../rng.js';
import type { Distribution } from '../types.js';
import { resolveSeed } from '../../seed.js';
import type { Reservation, Sampler, SamplerContext } from './sampler.js';
import { keyedRecord } from '../../keyed.js';

/** Options of {@link GridSampler}. */
export interface GridSamplerOptions {
  /** Visit the grid in a shuffled order (seeded) rather than in order. @default in order */
  seed?: number;
}

/**
 * Every combination of the given values exactly once, also across workers:
 * each grid point is claimed in the storage (a unique key per study) before
 * its trial is created, so two workers never evaluate the same point. When
 * every point is claimed the study is exhausted: `optimize` stops and `ask`
 * throws `SEARCH_EXHAUSTED`.
 */
export class GridSampler implements Sampler {
  private readonly names: string[];
  private readonly values: unknown[][];
  private readonly order: number[];
  readonly size: number;

  constructor(searchSpace: Readonly<Record<string, readonly unknown[]>>, options: GridSamplerOptions = {}) {
    this.names = Object.keys(searchSpace);
    if (this.names.length === 0) throw new TunekitError('INVALID_SPACE', 'GridSampler: the grid is empty: give at least one parameter');
    this.values = this.names.map((n) => {
      const v = searchSpace[n];
      if (!Array.isArray(v) || v.length === 0) throw new TunekitError('INVALID_SPACE', `GridSampler: ${n} must be a non-empty array of values, got ${describeValue(v)}`);
      for (const x of v) {
        if (!(x === null || ['string', 'boolean'].includes(typeof x) || (typeof x === 'number' && Number.isFinite(x)))) {
          throw new TunekitError('INVALID_SPACE', `GridSampler: ${n} has ${describeValue(x)}: values must be strings, finite numbers, booleans or null`);
        }
      }
      return [...v];
    });
    this.size = this.values.reduce((a, v) => a * v.length, 1);
    if (!Number.isSafeInteger(this.size) || this.size > 1e7) throw new TunekitError('INVALID_SPACE', `GridSampler: ${this.size} grid points is too many (at most 10 000 000)`);
    this.order = Array.from({ length: this.size }, (_, i) => i);
    if (options.seed !== undefined) {
      const rng = new Xoshiro128(resolveSeed(options.seed, 'GridSampler: seed'));
      for (let i = this.size - 1; i > 0; i--) {
        const j = Math.floor(rng.random() * (i + 1));
        [this.order[i], this.order[j]] = [this.order[j] as number, this.order[i] as number];
      }
    }
  }

  /** Grid point `index` (last parameter fastest). */
  point(index: number): Record<string, unknown> {
    const out: Record<string, unknown> = keyedRecord<unknown>();
    let rest = index;
    for (let k = this.names.length - 1; k >= 0; k--) {
      const vals = this.values[k] as unknown[];
      out[this.names[k] as string] = vals[rest % vals.length];
      rest = Math.floor(rest / vals.length);
    }
    return out;
  }

  /**
   * The first point no stored trial holds. Its claim is written with the
   * trial, in one transaction (see Study.ask): a point is never claimed
   * without a trial, and a point another worker took first is skipped.
   */
  async reserve(ctx: Omit<SamplerContext, 'trial'>): Promise<Reservation> {
    const taken = new Set<number>();
    for (const t of ctx.trials) {
      const g = t.systemAttrs['grid_id'];
      if (typeof g === 'number') taken.add(g);
    }
    const index = this.order.find((i) => !taken.has(i));
    if (index === undefined) return 'exhausted';
    const distributions: Record<string, Distribution> = keyedRecord<Distribution>();
    this.names.forEach((n, k) => (distributions[n] = { type: 'categorical', choices: this.values[k] as unknown[] }));
    return { params: this.point(index), distributions, systemAttrs: { grid_id: index }, claim: `grid:${index}` };
  }

  sampleIndependent(_ctx: SamplerContext, name: string): unknown {
    throw new TunekitError('INVALID_PARAMETER', `GridSampler: parameter ${JSON.stringify(name)} is not in the grid (${this.names.join(', ')})`);
  }
}
