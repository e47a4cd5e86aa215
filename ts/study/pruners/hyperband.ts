import { TunekitError } from '../../errors.js';
import type { FrozenTrial } from '../types.js';
import { checkInt, firstCompleteWithSteps, type PruneContext, type Pruner } from './pruner.js';
import { SuccessiveHalvingPruner } from './successive_halving.js';

export interface HyperbandPrunerOptions {
  /** Resource (step) of the first rung of the most aggressive bracket; integer ≥ 1. @default 1 */
  minResource?: number;
  /**
   * Largest resource a trial uses, an integer ≥ minResource. 'auto': the last
   * step + 1 of the lowest-numbered COMPLETE trial (the number of steps when steps
   * start at 0, as in Optuna); nothing is pruned until a trial completes.
   * @default 'auto'
   */
  maxResource?: 'auto' | number;
  /** η, integer ≥ 2. @default 3 */
  reductionFactor?: number;
  /** Passed to every bracket's {@link SuccessiveHalvingPruner}. @default 0 */
  bootstrapCount?: number;
}

interface Brackets {
  pruners: SuccessiveHalvingPruner[];
  budgets: number[];
  total: number;
}

/**
 * Hyperband (Li et al. 2018) as in Optuna: `floor(log_η(maxResource / minResource)) + 1`
 * brackets, bracket i being a {@link SuccessiveHalvingPruner} with
 * `minEarlyStoppingRate = i`. Each trial belongs to one bracket, chosen
 * deterministically from its number with bracket i weighted by
 * `ceil(nBrackets · η^(nBrackets−1−i) / (nBrackets − i))`, and competes only with
 * trials of the same bracket.
 */
export class HyperbandPruner implements Pruner {
  readonly minResource: number;
  readonly maxResource: 'auto' | number;
  readonly reductionFactor: number;
  readonly bootstrapCount: number;
  private readonly fixed: Brackets | null;

  constructor(options: HyperbandPrunerOptions = {}) {
    const { minResource = 1, maxResource = 'auto', reductionFactor = 3, bootstrapCount = 0 } = options;
    const owner = 'HyperbandPruner';
    checkInt(owner, 'minResource', minResource, 1);
    if (maxResource !== 'auto') checkInt(owner, 'maxResource', maxResource, 1);
    checkInt(owner, 'reductionFactor', reductionFactor, 2);
    checkInt(owner, 'bootstrapCount', bootstrapCount, 0);
    if (maxResource !== 'auto' && maxResource < minResource) {
      throw new TunekitError('INVALID_PARAMETER', `${owner}: maxResource must be ≥ minResource (${minResource}), got ${maxResource}`);
    }
    this.minResource = minResource;
    this.maxResource = maxResource;
    this.reductionFactor = reductionFactor;
    this.bootstrapCount = bootstrapCount;
    this.fixed = maxResource === 'auto' ? null : this.build(maxResource);
  }

  /**
   * The number of brackets; with maxResource 'auto', pass the study's trials
   * (null until one is COMPLETE).
   */
  bracketCount(trials: readonly FrozenTrial[] = []): number | null {
    return this.brackets(trials)?.pruners.length ?? null;
  }

  /**
   * The bracket (0 = most aggressive) of a trial number. With maxResource 'auto',
   * pass the study's trials; while no trial is COMPLETE this is 0.
   */
  bracketOf(trialNumber: number, trials: readonly FrozenTrial[] = []): number {
    const b = this.brackets(trials);
    return b === null ? 0 : pickBracket(b, trialNumber);
  }

  prune(ctx: PruneContext): boolean {
    const b = this.brackets(ctx.trials);
    if (b === null) return false;
    const bracket = pickBracket(b, ctx.trial.number);
    const mates = ctx.trials.filter((t) => pickBracket(b, t.number) === bracket);
    return b.pruners[bracket]!.prune({ ...ctx, trials: mates });
  }

  private brackets(trials: readonly FrozenTrial[]): Brackets | null {
    if (this.fixed !== null) return this.fixed;
    const first = firstCompleteWithSteps(trials);
    return first === null ? null : this.build(first.lastStep + 1);
  }

  private build(maxResource: number): Brackets {
    const eta = this.reductionFactor;
    // floor(log_η(max / min)) + 1, in integers (no floating-point log).
    let n = 1;
    while (this.minResource * eta ** n <= maxResource) n++;
    const pruners: SuccessiveHalvingPruner[] = [];
    const budgets: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = n - 1 - i;
      budgets.push(Math.ceil((n * eta ** s) / (s + 1)));
      pruners.push(
        new SuccessiveHalvingPruner({
          minResource: this.minResource,
          reductionFactor: eta,
          minEarlyStoppingRate: i,
          bootstrapCount: this.bootstrapCount,
        }),
      );
    }
    return { pruners, budgets, total: budgets.reduce((a, c) => a + c, 0) };
  }
}

function pickBracket(b: Brackets, trialNumber: number): number {
  let n = hash32(trialNumber) % b.total;
  for (let i = 0; i < b.budgets.length; i++) {
    n -= b.budgets[i]!;
    if (n < 0) return i;
  }
  return b.budgets.length - 1; // unreachable
}

/** A fixed 32-bit integer hash (MurmurHash3's finaliser) of a trial number. */
function hash32(x: number): number {
  let h = (x >>> 0) ^ Math.floor(x / 2 ** 32);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
