// TPESampler (issue 13, item 2) through the study runtime: better than random
// search on a mixed space, seeded, joint proposals stored for other workers,
// conditional spaces by groups, several objectives, SQLite, bad options.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudy, groupsOf, loadStudy, MemoryStorage, NopPruner, RandomSampler, SqliteStorage, TPESampler, type FrozenTrial, type Trial } from '../dist/index.js';
import { tempDir } from './storages.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

const mixed = (t: Trial): number => {
  const x = t.suggestFloat('x', -5, 5);
  const lr = t.suggestFloat('lr', 1e-5, 1, { log: true });
  const k = t.suggestInt('k', -5, 5);
  const c = t.suggestCategorical('c', ['a', 'b', 'c', 'd']);
  return (x - 1) ** 2 + (Math.log10(lr) + 3) ** 2 + (k + 2) ** 2 + (c === 'b' ? 0 : 4);
};

async function best(sampler: TPESampler | RandomSampler, nTrials = 60): Promise<number> {
  const study = await createStudy({ sampler });
  await study.optimize(mixed, { nTrials });
  return (await study.bestTrial()).values![0]!;
}

describe('TPESampler', () => {
  it('beats random search on a mixed space over five seeds (60 trials each)', async () => {
    const tpe: number[] = [];
    const random: number[] = [];
    for (let seed = 0; seed < 5; seed++) {
      tpe.push(await best(new TPESampler({ seed })));
      random.push(await best(new RandomSampler({ seed })));
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[2]!;
    expect(median(tpe)).toBeLessThan(median(random) / 2);
    expect(tpe.filter((v, i) => v < random[i]!).length).toBeGreaterThanOrEqual(4);
  });

  it('is seeded: the same seed gives the same trials; after the startup trials the joint proposal is stored', async () => {
    const run = async () => {
      const study = await createStudy({ sampler: new TPESampler({ seed: 42, nStartupTrials: 5 }) });
      await study.optimize(mixed, { nTrials: 15 });
      return study.trials();
    };
    const [a, b] = [await run(), await run()];
    expect(a.map((t) => t.params)).toEqual(b.map((t) => t.params));
    expect(a[3]!.systemAttrs.relative_params).toBeUndefined();
    const rel = a[10]!.systemAttrs.relative_params as Record<string, unknown>;
    expect(Object.keys(rel).sort()).toEqual(['c', 'k', 'lr', 'x']);
    expect(rel).toEqual(a[10]!.params);
  });

  it('models a conditional space by groups: each branch proposed jointly from the trials that have it', async () => {
    const study = await createStudy({ sampler: new TPESampler({ seed: 3, group: true, nStartupTrials: 8 }) });
    await study.optimize(
      (t) => {
        const model = t.suggestCategorical('model', ['svm', 'tree']);
        if (model === 'svm') return (Math.log10(t.suggestFloat('C', 1e-3, 1e3, { log: true })) - 1) ** 2;
        return (t.suggestInt('depth', 1, 20) - 7) ** 2 / 10 + 0.5;
      },
      { nTrials: 40 },
    );
    const trials = await study.trials();
    const groups = groupsOf(trials).map((g) => Object.keys(g).sort());
    expect(groups).toContainEqual(['model']);
    expect(groups).toContainEqual(['C']);
    expect(groups).toContainEqual(['depth']);
    const late = trials.slice(20).map((t) => t.systemAttrs.relative_params as Record<string, unknown>);
    // Each late trial's relative proposal covers its model choice and that branch's parameter.
    expect(late.every((r) => r !== undefined && Object.hasOwn(r, 'model'))).toBe(true);
    const best = await study.bestTrial();
    expect(best.values![0]).toBeLessThan(0.05);
  });

  it('groupsOf splits by co-occurrence', () => {
    const f = { type: 'float', low: 0, high: 1 } as const;
    const t = (n: number, names: string[]): FrozenTrial =>
      ({
        id: n,
        number: n,
        state: 'COMPLETE',
        values: [0],
        params: {},
        distributions: Object.fromEntries(names.map((k) => [k, f])),
        intermediateValues: {},
        userAttrs: {},
        systemAttrs: {},
        datetimeStart: 0,
        datetimeComplete: 0,
      }) as FrozenTrial;
    const g = groupsOf([t(0, ['a', 'b', 'c']), t(1, ['a', 'b', 'd']), t(2, ['a', 'e'])]).map((x) => Object.keys(x).sort());
    expect(g).toEqual([['a'], ['b'], ['c'], ['d'], ['e']]);
    expect(groupsOf([t(0, ['a', 'b']), t(1, ['a', 'b'])]).map((x) => Object.keys(x).sort())).toEqual([['a', 'b']]);
  });

  it('two objectives (independent TPE, MOTPE split) on SQLite: every trial COMPLETE and in the space, front better than random', async () => {
    const storage = new SqliteStorage(join(tmp.dir, 'motpe.db'));
    const objective = (t: Trial): number[] => {
      const x = t.suggestFloat('x', 0, 1);
      const y = t.suggestFloat('y', 0, 1);
      return [x, (1 + 9 * y) * (1 - Math.sqrt(x / (1 + 9 * y)))];
    };
    const front = async (sampler: TPESampler | RandomSampler) => {
      const study = await createStudy({ storage, directions: ['minimize', 'minimize'], sampler });
      await study.optimize(objective, { nTrials: 50 });
      const trials = await study.trials();
      expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
      // y near 0 is the Pareto set: the mean y of the last 20 trials
      return trials.slice(30).reduce((s, t) => s + (t.params.y as number), 0) / 20;
    };
    expect(await front(new TPESampler({ seed: 1 }))).toBeLessThan((await front(new RandomSampler({ seed: 1 }))) * 0.6);
    await storage.close();
  });

  it('refuses bad options, naming them', () => {
    expect(() => new TPESampler({ nStartupTrials: -1 })).toThrow('TPESampler: nStartupTrials must be an integer ≥ 0, got -1');
    expect(() => new TPESampler({ nEiCandidates: 0 })).toThrow('TPESampler: nEiCandidates must be an integer ≥ 1, got 0');
    expect(() => new TPESampler({ priorWeight: NaN })).toThrow('TPESampler: priorWeight must be a positive number, got NaN');
    expect(() => new TPESampler({ group: true, multivariate: false })).toThrow('TPESampler: group needs multivariate');
    expect(() => new TPESampler({ considerEndpoints: 1 as unknown as boolean })).toThrow('TPESampler: considerEndpoints must be true or false, got 1');
  });

  it('passes the bandwidth options to the core: the same seed proposes other points with them, the same ones with the defaults given explicitly', async () => {
    const run = async (o: { considerEndpoints?: boolean; considerMagicClip?: boolean }) => {
      const study = await createStudy({ sampler: new TPESampler({ seed: 9, nStartupTrials: 5, ...o }) });
      await study.optimize(mixed, { nTrials: 15 });
      return (await study.trials()).map((t) => t.params);
    };
    const base = await run({});
    expect(await run({ considerEndpoints: false, considerMagicClip: true })).toEqual(base);
    const ends = await run({ considerEndpoints: true });
    const clip = await run({ considerMagicClip: false });
    expect(ends.slice(0, 5)).toEqual(base.slice(0, 5)); // the startup trials are random
    expect(ends.slice(5)).not.toEqual(base.slice(5));
    expect(clip.slice(5)).not.toEqual(base.slice(5));
  });
});

describe('TPESampler row cache', () => {
  // A sampler keeps each finished trial's encoded parameters between asks. A
  // fresh sampler per ask (no cache) must propose exactly what one long-lived
  // sampler proposes, also when a parameter's distribution changes mid-study
  // (x's range and c's choices after trial 12: the old rows must not be reused).
  const shifting = (t: Trial): number => {
    const late = t.number >= 12;
    const x = t.suggestFloat('x', 0, late ? 2 : 1);
    const k = t.suggestInt('k', 1, 9);
    const c = t.suggestCategorical('c', late ? ['b', 'a', 'z'] : ['a', 'b']);
    return (x - 0.7) ** 2 + (k - 4) ** 2 / 10 + (c === 'a' ? 0 : 0.5);
  };

  for (const multivariate of [true, false]) {
    it(`a long-lived sampler proposes what a fresh one per ask proposes (multivariate: ${multivariate})`, async () => {
      const options = { seed: 11, nStartupTrials: 5, multivariate };
      const kept = await createStudy({ name: 'kept', storage: new MemoryStorage(), sampler: new TPESampler(options), pruner: new NopPruner() });
      await kept.optimize(shifting, { nTrials: 24 });
      const storage = new MemoryStorage();
      await createStudy({ name: 'fresh', storage, pruner: new NopPruner() });
      for (let i = 0; i < 24; i++) {
        const study = await loadStudy({ name: 'fresh', storage, sampler: new TPESampler(options), pruner: new NopPruner() });
        const trial = await study.ask();
        await study.tell(trial, shifting(trial));
      }
      const params = async (s: typeof kept) => (await s.trials()).map((t) => t.params);
      const fresh = await loadStudy({ name: 'fresh', storage, pruner: new NopPruner() });
      const a = await params(kept);
      expect(a.filter((p) => (p.x as number) > 1).length).toBeGreaterThan(0); // the widened range is used
      expect(await params(fresh)).toEqual(a);
    });
  }

  it('with constant liar and trials told out of order, a long-lived sampler proposes what a fresh one per ask proposes', async () => {
    // Two workers: each round asks a and b (b sees a RUNNING), tells b, then a,
    // so trials change state in the middle of the history the cache holds.
    const options = { seed: 5, nStartupTrials: 4, constantLiar: true };
    const run = async (fresh: boolean) => {
      const storage = new MemoryStorage();
      await createStudy({ name: 's', storage, pruner: new NopPruner() });
      const kept = new TPESampler(options);
      const study = () => loadStudy({ name: 's', storage, sampler: fresh ? new TPESampler(options) : kept, pruner: new NopPruner() });
      for (let round = 0; round < 10; round++) {
        const a = await (await study()).ask();
        const va = shifting(a);
        const b = await (await study()).ask();
        await (await study()).tell(b, shifting(b));
        await (await study()).tell(a, va);
      }
      return (await (await study()).trials()).map((t) => t.params);
    };
    const kept = await run(false);
    expect(kept).toHaveLength(20);
    expect(new Set(kept.map((p) => p.x)).size).toBe(20);
    expect(await run(true)).toEqual(kept);
  });
});
