// AutoSampler (issue 13, item 6): which sampler each trial gets, by the
// documented rules, as the study grows; seeded; the default of createStudy.
import { describe, expect, it } from 'vitest';
import { AutoSampler, createStudy, GPSampler, type FrozenTrial, type Trial } from '../dist/index.js';
import { rejects } from './helpers.js';

const used = (trials: readonly FrozenTrial[]): (string | undefined)[] => trials.map((t) => t.systemAttrs['auto_sampler'] as string | undefined);

/** Σ (xᵢ − 0.3)² over x ∈ [0, 1]^d. */
const sphere =
  (d: number) =>
  (t: Trial): number => {
    let f = 0;
    for (let i = 0; i < d; i++) f += (t.suggestFloat(`x${i}`, 0, 1) - 0.3) ** 2;
    return f;
  };

describe('AutoSampler', () => {
  it('uses the GP on a numeric space, then CMA-ES once gpTrials trials have finished', async () => {
    const study = await createStudy({ sampler: new AutoSampler({ seed: 1, gpTrials: 16 }) });
    await study.optimize(sphere(3), { nTrials: 40 });
    const trials = await study.trials();
    const who = used(trials);
    // the first trial has no relative space yet: drawn independently, nothing recorded
    expect(who[0]).toBeUndefined();
    expect(who.slice(1, 16).every((w) => w === 'gp')).toBe(true);
    expect(who.slice(16).every((w) => w === 'cmaes')).toBe(true);
    // CMA-ES really ran: its trials record their generation, and a distribution is stored
    expect(trials.slice(16).every((t) => t.systemAttrs['cmaes'] !== undefined)).toBe(true);
    const attrs = (await study.storage.getStudy(study.name))?.systemAttrs ?? {};
    expect(Object.keys(attrs).some((k) => k.startsWith('cmaes:'))).toBe(true);
    // warm-started from the GP's best points: CMA-ES's trials are close to the optimum from the start
    const best = Math.min(...trials.map((t) => t.values?.[0] ?? Infinity));
    expect(best).toBeLessThan(0.01);
    const cmaesMedian = trials
      .slice(16)
      .map((t) => t.values?.[0] as number)
      .sort((a, b) => a - b)[12] as number;
    expect(cmaesMedian).toBeLessThan(0.1); // uniform points on [0, 1]³ have a median of about 0.3
  });

  it('stays with TPE after the budget when there is one numeric parameter', async () => {
    const study = await createStudy({ sampler: new AutoSampler({ seed: 2, gpTrials: 5 }) });
    await study.optimize(sphere(1), { nTrials: 12 });
    const who = used(await study.trials());
    expect(who.slice(1, 5)).toEqual(['gp', 'gp', 'gp', 'gp']);
    expect(who.slice(5).every((w) => w === 'tpe')).toBe(true);
  });

  it('uses TPE for categorical parameters and for conditional spaces', async () => {
    const cat = await createStudy({ sampler: new AutoSampler({ seed: 3 }) });
    await cat.optimize((t) => t.suggestFloat('x', 0, 1) + (t.suggestCategorical('c', ['a', 'b', 'c']) === 'b' ? 0 : 1), { nTrials: 15 });
    const whoCat = used(await cat.trials());
    expect(whoCat.slice(1).every((w) => w === 'tpe')).toBe(true);

    // numeric only, but a branch adds a parameter: GP until the space is seen to be conditional
    const cond = await createStudy({ sampler: new AutoSampler({ seed: 4 }) });
    await cond.optimize(
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        return x < 0.5 ? x + t.suggestFloat('y', 0, 1) : x;
      },
      { nTrials: 20 },
    );
    const trials = await cond.trials();
    const who = used(trials);
    const complete = trials.filter((t) => t.state === 'COMPLETE');
    const withY = complete.filter((t) => 'y' in t.params).length;
    expect(withY).toBeGreaterThan(0);
    expect(withY).toBeLessThan(complete.length);
    // from the trial after the first one that showed both branches, everything is TPE
    const both = trials.findIndex((_, i) => {
      const seen = trials.slice(0, i + 1);
      return seen.some((t) => 'y' in t.params) && seen.some((t) => !('y' in t.params));
    });
    expect(both).toBeGreaterThanOrEqual(0);
    expect(who.slice(both + 1).every((w) => w === 'tpe' || w === undefined)).toBe(true);
    expect(who.slice(both + 1).filter((w) => w === 'tpe').length).toBeGreaterThan(0);
  });

  it('moves a categorical, unconditional space from TPE to the GP at its first failure; a conditional one stays with TPE', async () => {
    class Crash extends Error {}
    // categories b and d always crash, from trial 6 on (the first five succeed whatever they draw)
    const crashing = (t: Trial): number => {
      const c = t.suggestCategorical('c', ['a', 'b', 'c', 'd', 'e']);
      const x = t.suggestFloat('x', -5, 5);
      if (t.number >= 6 && (c === 'b' || c === 'd')) throw new Crash('boom');
      return (x - 1) ** 2 + (c === 'c' ? 0 : 0.5);
    };
    const study = await createStudy({ sampler: new AutoSampler({ seed: 5 }) });
    await study.optimize(crashing, { nTrials: 30, catch: [Crash] });
    const trials = await study.trials();
    const who = used(trials);
    const firstFail = trials.findIndex((t) => t.state === 'FAIL');
    expect(firstFail).toBeGreaterThan(5);
    // TPE before the first failure, the GP on every trial after it
    expect(who.slice(1, firstFail + 1).every((w) => w === 'tpe')).toBe(true);
    expect(who.slice(firstFail + 1).every((w) => w === 'gp')).toBe(true);
    expect(who.slice(firstFail + 1).length).toBeGreaterThan(5);

    // the same failures in a conditional space (x only with c = a): TPE throughout
    const cond = await createStudy({ sampler: new AutoSampler({ seed: 5 }) });
    await cond.optimize(
      (t) => {
        const c = t.suggestCategorical('c', ['a', 'b', 'c', 'd', 'e']);
        const x = c === 'a' ? t.suggestFloat('x', -5, 5) : 0;
        if (t.number >= 6 && (c === 'b' || c === 'd')) throw new Crash('boom');
        return (x - 1) ** 2 + (c === 'c' ? 0 : 0.5);
      },
      { nTrials: 30, catch: [Crash] },
    );
    const condTrials = await cond.trials();
    expect(condTrials.some((t) => t.state === 'FAIL')).toBe(true);
    expect(condTrials.filter((t) => t.state === 'COMPLETE' && 'x' in t.params).length).toBeGreaterThan(0);
    expect(condTrials.filter((t) => t.state === 'COMPLETE' && !('x' in t.params)).length).toBeGreaterThan(0);
    expect(used(condTrials).filter((w) => w === 'gp')).toEqual([]);
  });

  it('uses NSGA-II for several objectives over numbers, TPE with categories', async () => {
    const num = await createStudy({ directions: ['minimize', 'minimize'], sampler: new AutoSampler({ seed: 5 }) });
    await num.optimize(
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        return [x, 1 - x];
      },
      { nTrials: 8 },
    );
    expect(used(await num.trials()).filter((w) => w !== undefined)).toEqual(Array(7).fill('nsga2'));
    const cat = await createStudy({ directions: ['minimize', 'minimize'], sampler: new AutoSampler({ seed: 6 }) });
    await cat.optimize(
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        return [x, t.suggestCategorical('c', [0, 1]) + 1 - x];
      },
      { nTrials: 8 },
    );
    expect(used(await cat.trials()).filter((w) => w !== undefined)).toEqual(Array(7).fill('tpe'));
  });

  it('is seeded: the same seed gives the same trials', async () => {
    const run = async (seed: number) => {
      const study = await createStudy({ sampler: new AutoSampler({ seed, gpTrials: 12 }) });
      await study.optimize(sphere(2), { nTrials: 20 });
      return (await study.trials()).map((t) => t.params);
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
  });

  it('refuses bad options, naming the value', async () => {
    await rejects(() => new AutoSampler({ gpTrials: -1 }), 'INVALID_PARAMETER', /gpTrials must be an integer ≥ 0, got -1/);
    await rejects(() => new AutoSampler({ seed: 1.5 }), 'INVALID_PARAMETER', /AutoSampler: seed/);
  });

  it('is what createStudy uses without a sampler', async () => {
    const study = await createStudy({});
    expect(study.sampler).toBeInstanceOf(AutoSampler);
    const explicit = await createStudy({ sampler: new GPSampler({ seed: 1 }) });
    expect(explicit.sampler).toBeInstanceOf(GPSampler);
  });
});
