// The sampler contract (issue 13, item 1): the order of calls, the history a
// sampler sees in each of them, the relative space it infers itself, and the
// afterTrial hook, on the memory and SQLite storages.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createStudy,
  defaultRelativeSpace,
  MemoryStorage,
  RandomSampler,
  SqliteStorage,
  TrialPruned,
  type AfterTrialContext,
  type Distribution,
  type FrozenTrial,
  type Sampler,
  type SamplerContext,
  type Storage,
} from '../dist/index.js';
import { tempDir } from './storages.js';

const tmp = tempDir();
const opened: Storage[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  tmp.remove();
});
const backends: [string, () => Storage][] = [
  ['memory', () => new MemoryStorage()],
  ['sqlite', () => new SqliteStorage(join(tmp.dir, `contract-${opened.length}.db`))],
];
const open = (make: () => Storage): Storage => {
  const s = make();
  opened.push(s);
  return s;
};

/** A sampler that records every call (and the history it was given), proposing fixed values. */
class Recorder implements Sampler {
  readonly calls: string[] = [];
  readonly independentHistories: number[][] = [];
  readonly relativeSpaces: string[][] = [];
  readonly ended: { number: number; state: string; values: number[] | null; afterTell: boolean }[] = [];
  told = new Set<number>();

  constructor(
    readonly usesHistory: boolean,
    private readonly joint: readonly string[] | null,
  ) {
    if (joint === null) this.inferRelativeSpace = undefined;
  }

  inferRelativeSpace?: (ctx: SamplerContext) => Record<string, Distribution> = (ctx) => {
    this.calls.push(`infer#${ctx.trial.number}:${ctx.trials.map((t) => t.number).join(',')}`);
    const space = defaultRelativeSpace(ctx);
    return Object.fromEntries(Object.entries(space).filter(([n]) => (this.joint as readonly string[]).includes(n)));
  };

  async sampleRelative(ctx: SamplerContext, space: Record<string, Distribution>): Promise<Record<string, unknown>> {
    this.calls.push(`relative#${ctx.trial.number}`);
    this.relativeSpaces.push(Object.keys(space));
    return Object.fromEntries(Object.keys(space).map((n) => [n, 0.5]));
  }

  sampleIndependent(ctx: SamplerContext, name: string): unknown {
    this.calls.push(`independent#${ctx.trial.number}:${name}`);
    this.independentHistories.push(ctx.trials.map((t) => t.number));
    return 0.25;
  }

  afterTrial(ctx: AfterTrialContext, trial: FrozenTrial): void {
    this.calls.push(`after#${trial.number}:${trial.state}`);
    expect(ctx.directions).toEqual(['minimize']);
    this.ended.push({ number: trial.number, state: trial.state, values: trial.values, afterTell: this.told.has(trial.number) });
  }
}

describe.each(backends)('the sampler contract: %s', (_backend, make) => {
  it('sampleIndependent sees the history as read at ask time when the sampler uses it', async () => {
    const sampler = new Recorder(true, null);
    const study = await createStudy({ storage: open(make), sampler });
    for (let i = 0; i < 3; i++) {
      const t = await study.ask();
      t.suggestFloat('x', 0, 1);
      await study.tell(t, i);
    }
    // Trial k sees trials 0..k (itself RUNNING, the earlier ones finished).
    expect(sampler.independentHistories).toEqual([[0], [0, 1], [0, 1, 2]]);
  });

  it('a sampler that does not use the history gets none (no read per trial)', async () => {
    const sampler = new Recorder(false, null);
    const storage = open(make);
    const study = await createStudy({ storage, sampler });
    let reads = 0;
    const getTrials = storage.getTrials.bind(storage);
    storage.getTrials = (...args: Parameters<Storage['getTrials']>) => {
      reads++;
      return getTrials(...args);
    };
    for (let i = 0; i < 3; i++) {
      const t = await study.ask();
      t.suggestFloat('x', 0, 1);
      await study.tell(t, i);
    }
    expect(sampler.independentHistories).toEqual([[], [], []]);
    expect(reads).toBe(0);
  });

  it('the sampler infers its relative space; parameters outside it are drawn independently; afterTrial follows every tell', async () => {
    const sampler = new Recorder(false, ['a']);
    const study = await createStudy({ storage: open(make), sampler });
    const objective = (i: number) => async () => {
      const t = await study.ask();
      const a = t.suggestFloat('a', 0, 1);
      const b = t.suggestFloat('b', 0, 1);
      if (i === 1) {
        sampler.told.add(t.number);
        return study.tell(t, { state: 'FAIL', reason: 'crashed' });
      }
      if (i === 2) {
        await t.report(7, 0);
        sampler.told.add(t.number);
        return study.tell(t, { state: 'PRUNED' });
      }
      sampler.told.add(t.number);
      return study.tell(t, a + b);
    };
    for (let i = 0; i < 4; i++) await objective(i)();
    // Trial 0: nothing complete yet, so an empty relative space and two independent draws.
    // Trial 1 on: a is joint (0.5), b independent (0.25).
    expect(sampler.calls).toEqual([
      'infer#0:0',
      'independent#0:a',
      'independent#0:b',
      'after#0:COMPLETE',
      'infer#1:0,1',
      'relative#1',
      'independent#1:b',
      'after#1:FAIL',
      'infer#2:0,1,2',
      'relative#2',
      'independent#2:b',
      'after#2:PRUNED',
      'infer#3:0,1,2,3',
      'relative#3',
      'independent#3:b',
      'after#3:COMPLETE',
    ]);
    expect(sampler.relativeSpaces).toEqual([['a'], ['a'], ['a']]);
    expect(sampler.ended).toEqual([
      { number: 0, state: 'COMPLETE', values: [0.5], afterTell: true },
      { number: 1, state: 'FAIL', values: null, afterTell: true },
      { number: 2, state: 'PRUNED', values: [7], afterTell: true },
      { number: 3, state: 'COMPLETE', values: [0.75], afterTell: true },
    ]);
    const stored = await study.trials();
    expect(stored.map((t) => t.params)).toEqual([
      { a: 0.25, b: 0.25 },
      { a: 0.5, b: 0.25 },
      { a: 0.5, b: 0.25 },
      { a: 0.5, b: 0.25 },
    ]);
  });

  it('optimize calls afterTrial for trials whose objective throws or prunes; an afterTrial error rejects tell but the result stays stored', async () => {
    const sampler = new Recorder(false, null);
    const study = await createStudy({ storage: open(make), sampler });
    let i = 0;
    await study.optimize(
      (t) => {
        t.suggestFloat('x', 0, 1);
        i++;
        if (i === 2) throw new Error('boom');
        if (i === 3) throw new TrialPruned();
        return i;
      },
      { nTrials: 4, catch: [Error] },
    );
    expect(sampler.calls.filter((c) => c.startsWith('after'))).toEqual(['after#0:COMPLETE', 'after#1:FAIL', 'after#2:PRUNED', 'after#3:COMPLETE']);

    const failing: Sampler = {
      sampleIndependent: () => 0.5,
      afterTrial: () => {
        throw new Error('hook failed');
      },
    };
    const other = await createStudy({ storage: open(make), sampler: failing });
    const t = await other.ask();
    t.suggestFloat('x', 0, 1);
    await expect(other.tell(t, 3)).rejects.toThrow('hook failed');
    const [stored] = await other.trials();
    expect(stored?.state).toBe('COMPLETE');
    expect(stored?.values).toEqual([3]);
  });
});

describe('samplers without a relative space', () => {
  it('RandomSampler neither infers a relative space nor reads the history', () => {
    const s = new RandomSampler({ seed: 1 });
    expect(s.inferRelativeSpace).toBeUndefined();
    expect(s.usesHistory ?? false).toBe(false);
  });
});
