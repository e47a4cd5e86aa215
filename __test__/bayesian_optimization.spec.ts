import { describe, expect, it } from 'vitest';
import { BayesianOptimization, TunekitError } from '../dist/index.js';

// bayes_opt's README example: the maximum is 1 at x = 0, y = 1 (x ∈ [2, 4] puts it at the edge x = 2: target −3).
const blackBox = ({ x, y }: Record<string, unknown>) => -((x as number) ** 2) - ((y as number) - 1) ** 2 + 1;
// A 2-D function with an interior maximum of 0 at (0.3, −0.2).
const bowl = ({ a, b }: Record<string, unknown>) => -(((a as number) - 0.3) ** 2) - 2 * ((b as number) + 0.2) ** 2;

describe('BayesianOptimization', () => {
  it('finds the maximum of a smooth function in few evaluations', async () => {
    const lines: string[] = [];
    const bo = new BayesianOptimization({ f: bowl, pbounds: { a: [-1, 1], b: [-1, 1] }, randomState: 1, log: (l) => lines.push(l) });
    await bo.maximize({ initPoints: 5, nIter: 15 });
    expect(bo.res).toHaveLength(20);
    expect(bo.max!.target).toBeGreaterThan(-1e-3);
    expect(Math.abs((bo.max!.params.a as number) - 0.3)).toBeLessThan(0.05);
    // bayes_opt's table: header, rule, one row per evaluation
    expect(lines[0]).toMatch(/\|\s+iter\s+\|\s+target\s+\|\s+a\s+\|\s+b\s+\|/);
    expect(lines).toHaveLength(22);
  });

  it('is reproducible for a seed, lazy probes come first, and async objectives work', async () => {
    const run = async () => {
      const bo = new BayesianOptimization({ f: async (p) => blackBox(p), pbounds: { x: [2, 4], y: [-3, 3] }, randomState: 7, verbose: 0 });
      await bo.probe({ x: 2, y: 1 });
      await bo.maximize({ initPoints: 2, nIter: 4 });
      return bo;
    };
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.res).toEqual(b.res);
    expect(a.res[0]).toEqual({ target: -3, params: { x: 2, y: 1 } });
    expect(a.max!.target).toBe(-3);
  });

  it('register, suggest and batches of distinct points', async () => {
    const bo = new BayesianOptimization({ pbounds: { x: [0, 1], k: { type: 'categorical', choices: ['a', 'b'] }, n: { type: 'int', low: 1, high: 10 } }, randomState: 3, verbose: 0 });
    for (let i = 0; i < 6; i++) bo.register({ x: i / 6, k: i % 2 ? 'a' : 'b', n: i + 1 }, Math.sin(i));
    const one = await bo.suggest();
    expect(Object.keys(one).sort()).toEqual(['k', 'n', 'x']);
    const batch = await bo.suggest(4);
    expect(new Set(batch.map((p) => JSON.stringify(p))).size).toBe(4);
    for (const p of batch) {
      expect(['a', 'b']).toContain(p.k);
      expect(Number.isInteger(p.n)).toBe(true);
    }
  });

  it('setBounds narrows later suggestions', async () => {
    const bo = new BayesianOptimization({ f: bowl, pbounds: { a: [-1, 1], b: [-1, 1] }, randomState: 2, verbose: 0 });
    await bo.maximize({ initPoints: 3, nIter: 0 });
    bo.setBounds({ a: [0.5, 0.6] });
    const s = await bo.suggest();
    expect(s.a as number).toBeGreaterThanOrEqual(0.5);
    expect(s.a as number).toBeLessThanOrEqual(0.6);
  });

  it('bad input: a clear TunekitError naming the value', async () => {
    const bo = new BayesianOptimization({ pbounds: { x: [0, 1] }, randomState: 1, verbose: 0 });
    expect(() => bo.register({ x: 0.5 }, NaN)).toThrow(/target for \{"x":0.5\} is NaN/);
    expect(() => bo.register({ x: 0.5 }, Infinity)).toThrow(TunekitError);
    expect(() => bo.register({ x: 0.5, z: 1 }, 1)).toThrow(/unknown parameter "z"/);
    await expect(bo.probe({ y: 1 } as never)).rejects.toMatchObject({ code: 'UNKNOWN_PARAMETER' });
    expect(() => new BayesianOptimization({ pbounds: { x: [1, 0] } })).toThrow(/low must not exceed high/);
    expect(() => new BayesianOptimization({ pbounds: {} })).toThrow(/empty/);
    const bad = new BayesianOptimization({ f: () => NaN, pbounds: { x: [0, 1] }, randomState: 1, verbose: 0 });
    await expect(bad.maximize({ initPoints: 1, nIter: 0 })).rejects.toMatchObject({ message: expect.stringMatching(/f returned NaN/) });
    // duplicates are allowed and do not break the fit
    const dup = new BayesianOptimization({ pbounds: { x: [0, 1] }, randomState: 1, verbose: 0 });
    for (let i = 0; i < 5; i++) dup.register({ x: 0.25 }, 1);
    dup.register({ x: 0.75 }, 2);
    const s = await dup.suggest();
    expect(s.x as number).toBeGreaterThanOrEqual(0);
  });
});
