import { describe, expect, it } from 'vitest';
import { createStudy, deleteStudy, GeneticSampler, GPSampler, GridSampler, listStudies, loadStudy, MedianPruner, NopPruner, QMCSampler, RandomSampler, TrialPruned } from '../dist/index.js';
import { rejects } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let n = 0;
const name = () => `s${n++}`;

describe('Study: ask and tell', () => {
  it('numbers trials, stores suggested parameters and values, finds the best', async () => {
    const study = await createStudy({ name: name(), direction: 'maximize', sampler: new RandomSampler({ seed: 1 }) });
    for (let i = 0; i < 5; i++) {
      const t = await study.ask();
      expect(t.number).toBe(i);
      const x = t.suggestFloat('x', -2, 2);
      const lr = t.suggestFloat('lr', 1e-5, 1e-1, { log: true });
      const k = t.suggestInt('k', 2, 10, { step: 2 });
      const opt = t.suggestCategorical('opt', ['adam', 'sgd', null]);
      expect(t.suggestFloat('x', -2, 2)).toBe(x); // same name, same distribution: same value
      expect(lr).toBeGreaterThanOrEqual(1e-5);
      expect(k % 2).toBe(0);
      expect(['adam', 'sgd', null]).toContain(opt);
      const frozen = await study.tell(t, -x * x);
      expect(frozen.state).toBe('COMPLETE');
      expect(frozen.params).toEqual({ x, lr, k, opt });
    }
    const trials = await study.trials();
    const best = await study.bestTrial();
    expect(best.values![0]).toBe(Math.max(...trials.map((t) => t.values![0]!)));
  });

  it('NaN or a wrong number of values: FAIL with the reason, the study goes on; ±Infinity: COMPLETE', async () => {
    const study = await createStudy({ name: name(), directions: ['minimize', 'maximize'], sampler: new RandomSampler({ seed: 2 }) });
    const a = await study.tell(await study.ask(), [NaN, 1]);
    expect(a.state).toBe('FAIL');
    expect(a.systemAttrs.fail_reason).toMatch(/NaN/);
    const b = await study.tell(await study.ask(), 3);
    expect(b.state).toBe('FAIL');
    expect(b.systemAttrs.fail_reason).toMatch(/expected 2 numbers/);
    const c = await study.tell(await study.ask(), [-Infinity, Infinity]);
    expect(c.state).toBe('COMPLETE');
    expect(c.values).toEqual([-Infinity, Infinity]);
    const t = await study.ask();
    await study.tell(t, [1, 2]);
    await rejects(study.tell(t, [1, 2]), 'TRIAL_FINISHED', /trial 3 is already COMPLETE/);
    expect((await study.bestTrials()).map((x) => x.number)).toEqual([2]);
  });

  it('rejects bad suggestions with the value named, and keeps what was stored', async () => {
    const study = await createStudy({ name: name(), sampler: new RandomSampler({ seed: 3 }) });
    const t = await study.ask();
    const x = t.suggestFloat('x', 0, 1);
    expect(() => t.suggestFloat('y', 2, 1)).toThrow(/"y": low must not exceed high, got low=2, high=1/);
    expect(() => t.suggestFloat('z', 0, 1, { log: true })).toThrow(/"z": a log scale needs low > 0, got low=0/);
    expect(() => t.suggestInt('k', 1.5, 3)).toThrow(/"k": low must be an integer, got 1.5/);
    expect(() => t.suggestCategorical('c', [])).toThrow(/"c": a categorical parameter needs at least one choice/);
    expect(() => t.suggestFloat('x', 0, 2)).toThrow(/"x" was suggested with .* now with/);
    const f = await study.tell(t, 1);
    expect(f.params).toEqual({ x });
  });

  it('enqueued parameters run first; study and trial user attributes round-trip', async () => {
    const study = await createStudy({ name: name(), sampler: new RandomSampler({ seed: 4 }) });
    await study.enqueueTrial({ x: 0.25, opt: 'sgd' }, { userAttrs: { source: 'warm start' } });
    const t = await study.ask();
    expect(t.suggestFloat('x', 0, 1)).toBe(0.25);
    expect(t.suggestCategorical('opt', ['adam', 'sgd'])).toBe('sgd');
    await t.setUserAttr('epochs', 3);
    const f = await study.tell(t, 0.5);
    expect(f.userAttrs).toEqual({ source: 'warm start', epochs: 3 });
    await study.setUserAttr('dataset', 'iris');
    expect(await study.userAttrs()).toEqual({ dataset: 'iris' });
    await rejects(study.enqueueTrial({ x: NaN }), 'INVALID_PARAMETER', /x is null|x is NaN|NaN/);
  });

  it('create, load, list and delete by name', async () => {
    const nm = name();
    await createStudy({ name: nm, direction: 'maximize' });
    await rejects(createStudy({ name: nm }), 'DUPLICATE_STUDY', new RegExp(`"${nm}" already exists`));
    await rejects(createStudy({ name: nm, direction: 'minimize', loadIfExists: true }), 'INVALID_PARAMETER', /stored with directions \["maximize"\]/);
    const again = await createStudy({ name: nm, direction: 'maximize', loadIfExists: true });
    expect(again.directions).toEqual(['maximize']);
    expect((await listStudies()).map((s) => s.name)).toContain(nm);
    await deleteStudy({ name: nm });
    await rejects(loadStudy({ name: nm }), 'STUDY_NOT_FOUND', new RegExp(`"${nm}"`));
    await rejects(createStudy({ direction: 'up' as never }), 'INVALID_PARAMETER', /expected "minimize" or "maximize", got "up"/);
    await rejects(createStudy({ storage: 'mysql://x' }), 'INVALID_PARAMETER', /expected "memory", "sqlite:<file>" or "postgres:\/\/…"/);
  });

  it('exports one flat row per trial, as JSON and CSV', async () => {
    const study = await createStudy({ name: name(), sampler: new RandomSampler({ seed: 5 }) });
    await study.optimize((t) => t.suggestFloat('x', 0, 1) + (t.suggestCategorical('tag', ['a,"b"', 'c']) === 'c' ? 1 : 0), { nTrials: 4 });
    const rows = await study.exportRows();
    expect(rows).toHaveLength(4);
    expect(Object.keys(rows[0]!)).toEqual(['number', 'state', 'value', 'params_tag', 'params_x', 'datetime_start', 'datetime_complete', 'duration']);
    const csv = await study.exportCsv();
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('number,state,value,params_tag,params_x,datetime_start,datetime_complete,duration');
    for (const [i, r] of rows.entries()) {
      expect(lines[i + 1]!.startsWith(`${r.number},COMPLETE,${r.value},`)).toBe(true);
      if (r.params_tag === 'a,"b"') expect(lines[i + 1]).toContain('"a,""b"""');
    }
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });
});

describe('Study.optimize', () => {
  it('an objective that throws: FAIL with the error recorded, rethrown unless caught', async () => {
    class Flaky extends Error {}
    const study = await createStudy({ name: name(), sampler: new RandomSampler({ seed: 6 }) });
    let calls = 0;
    const objective = (t: { suggestFloat: (n: string, a: number, b: number) => number }) => {
      calls++;
      const x = t.suggestFloat('x', 0, 1);
      if (calls % 2 === 0) throw new Flaky(`boom ${calls}`);
      return x;
    };
    await study.optimize(objective, { nTrials: 6, catch: [Flaky] });
    const trials = await study.trials();
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE', 'FAIL', 'COMPLETE', 'FAIL']);
    expect(trials[1]!.systemAttrs.fail_reason).toBe('the objective threw: Error: boom 2');
    expect(trials[1]!.params).toHaveProperty('x');
    await expect(study.optimize(objective, { nTrials: 5 })).rejects.toThrow(/boom 8/);
    const after = await study.trials();
    expect(after).toHaveLength(8);
    expect(after[7]!.state).toBe('FAIL');
    await rejects(study.optimize(objective, {}), 'INVALID_PARAMETER', /nTrials or timeout/);
    await rejects(study.optimize(objective, { nTrials: 1, concurrency: 0 }), 'INVALID_PARAMETER', /concurrency must be a positive integer, got 0/);
  });

  it('stops on timeout, and on study.stop() from a callback', async () => {
    const study = await createStudy({ name: name(), sampler: new RandomSampler({ seed: 7 }) });
    const t0 = performance.now();
    await study.optimize(
      async (t) => {
        await sleep(20);
        return t.suggestFloat('x', 0, 1);
      },
      { timeout: 0.2 },
    );
    expect(performance.now() - t0).toBeLessThan(1000);
    const ran = (await study.trials()).length;
    expect(ran).toBeGreaterThan(2);
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 100, callbacks: [(s, f) => (f.number >= ran + 2 ? s.stop() : undefined)] });
    expect(await study.trials()).toHaveLength(ran + 3);
  });

  it('MedianPruner prunes trials worse than the median; PRUNED keeps the last reported value', async () => {
    const study = await createStudy({ name: name(), direction: 'minimize', sampler: new RandomSampler({ seed: 8 }), pruner: new MedianPruner({ nStartupTrials: 3 }) });
    // Trials 0-2 good (curve 1/(step+1)), then alternately bad (10) and good.
    await study.optimize(
      async (t) => {
        const bad = t.number >= 3 && t.number % 2 === 1;
        let v = 0;
        for (let step = 0; step < 5; step++) {
          v = bad ? 10 : 1 / (step + 1);
          await t.report(v, step);
          if (await t.shouldPrune()) throw new TrialPruned();
        }
        return v;
      },
      { nTrials: 8 },
    );
    const trials = await study.trials();
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'PRUNED', 'COMPLETE', 'PRUNED', 'COMPLETE', 'PRUNED']);
    expect(trials[3]!.values).toEqual([10]);
    expect(trials[3]!.intermediateValues).toEqual({ 0: 10 });
  });
});

describe('samplers in a study', () => {
  it('RandomSampler and QMCSampler are reproducible for a seed; QMC points are distinct and in bounds', async () => {
    const run = async (sampler: RandomSampler | QMCSampler) => {
      const study = await createStudy({ name: name(), sampler, space: { x: [-1, 1], k: { type: 'int', low: 0, high: 9 }, c: { type: 'categorical', choices: ['a', 'b', 'c'] } } });
      await study.optimize((t) => (t.params.x as number) + (t.params.k as number), { nTrials: 16 });
      return (await study.trials()).map((t) => t.params);
    };
    expect(await run(new RandomSampler({ seed: 9 }))).toEqual(await run(new RandomSampler({ seed: 9 })));
    expect(await run(new RandomSampler({ seed: 9 }))).not.toEqual(await run(new RandomSampler({ seed: 10 })));
    const q = await run(new QMCSampler({ seed: 11 }));
    expect(q).toEqual(await run(new QMCSampler({ seed: 11 })));
    expect(new Set(q.map((p) => JSON.stringify(p))).size).toBe(16);
    for (const p of q) {
      expect(Math.abs(p.x as number)).toBeLessThanOrEqual(1);
      expect(Number.isInteger(p.k)).toBe(true);
    }
    // Sobol: each half of x's range holds exactly half of the 16 points.
    expect(q.filter((p) => (p.x as number) < 0)).toHaveLength(8);
  });

  it('GPSampler beats random search on a smooth function and never runs the same point twice at once (concurrency 8)', async () => {
    const running = new Set<string>();
    let clashes = 0;
    const objective = async (t: { params: Record<string, unknown>; suggestFloat: (n: string, a: number, b: number) => number }) => {
      const x = t.suggestFloat('x', -5, 5);
      const y = t.suggestFloat('y', -5, 5);
      const key = `${x},${y}`;
      if (running.has(key)) clashes++;
      running.add(key);
      await sleep(2);
      running.delete(key);
      return (x - 1) ** 2 + (y + 2) ** 2;
    };
    const gp = await createStudy({ name: name(), sampler: new GPSampler({ seed: 12, nStartupTrials: 8 }), pruner: new NopPruner() });
    await gp.optimize(objective, { nTrials: 40, concurrency: 8 });
    expect(clashes).toBe(0);
    const pending = (await gp.trials()).filter((t) => Array.isArray(t.systemAttrs.gp_hyper));
    expect(pending.length).toBeGreaterThan(20);
    const rnd = await createStudy({ name: name(), sampler: new RandomSampler({ seed: 12 }) });
    await rnd.optimize(objective, { nTrials: 40 });
    const gpBest = (await gp.bestTrial()).values![0]!;
    expect(gpBest).toBeLessThan(0.05);
    expect(gpBest).toBeLessThan((await rnd.bestTrial()).values![0]!);
    await rejects(
      (async () => {
        const multi = await createStudy({ name: name(), directions: ['minimize', 'minimize'], sampler: new GPSampler({ seed: 1, nStartupTrials: 0 }), space: { x: [0, 1] } });
        await multi.ask();
      })(),
      'INVALID_PARAMETER',
      /GPSampler optimises one objective; this study has 2/,
    );
  });

  it('GeneticSampler runs NSGA-II in generations: every individual once, Pareto front non-dominated', async () => {
    const study = await createStudy({
      name: name(),
      directions: ['minimize', 'minimize'],
      sampler: new GeneticSampler({ populationSize: 10, seed: 13 }),
      space: { x: [0, 1], y: [0, 1] },
    });
    await study.optimize(
      (t) => {
        const x = t.params.x as number;
        const g = 1 + 9 * (t.params.y as number);
        return [x, g * (1 - Math.sqrt(x / g))];
      },
      { nTrials: 60, concurrency: 4 },
    );
    const trials = await study.trials();
    const slots = trials.map((t) => `${t.systemAttrs.ga_gen}:${t.systemAttrs.ga_index}`);
    expect(new Set(slots).size).toBe(60);
    expect(Math.max(...trials.map((t) => t.systemAttrs.ga_gen as number))).toBe(5);
    const front = await study.bestTrials();
    expect(front.length).toBeGreaterThan(1);
    for (const a of front) {
      for (const b of trials) {
        const dominated = b.values![0]! <= a.values![0]! && b.values![1]! <= a.values![1]! && (b.values![0]! < a.values![0]! || b.values![1]! < a.values![1]!);
        expect(dominated).toBe(false);
      }
    }
    // Later generations are better on average (y → 0 is the front).
    const meanY = (g: number) => {
      const ys = trials.filter((t) => t.systemAttrs.ga_gen === g).map((t) => t.params.y as number);
      return ys.reduce((a, b) => a + b, 0) / ys.length;
    };
    expect(meanY(5)).toBeLessThan(meanY(0));
  });

  it('GridSampler visits every point once and then stops the study; ask then says SEARCH_EXHAUSTED', async () => {
    const study = await createStudy({ name: name(), sampler: new GridSampler({ a: [1, 2, 3], b: ['x', 'y'] }, { seed: 1 }) });
    await study.optimize((t) => t.suggestInt('a', 1, 3), { nTrials: 50, concurrency: 3 });
    const trials = await study.trials();
    expect(trials).toHaveLength(6);
    expect(new Set(trials.map((t) => `${t.params.a}${t.params.b}`))).toEqual(new Set(['1x', '1y', '2x', '2y', '3x', '3y']));
    await rejects(study.ask(), 'SEARCH_EXHAUSTED', /no point left/);
  });
});
