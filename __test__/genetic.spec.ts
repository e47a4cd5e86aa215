import { describe, expect, it } from 'vitest';
import { GeneticAlgorithm, TunekitError } from '../dist/index.js';

const mixed = {
  lr: { type: 'float', low: 1e-4, high: 1e-1, log: true },
  x: [-5, 5],
  layers: { type: 'int', low: 1, high: 8 },
  width: { type: 'int', low: 16, high: 256, step: 16 },
  opt: { type: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
} as const;

const sphere = (p: Record<string, unknown>) => Object.values(p).reduce<number>((a, v) => a + (v as number) ** 2, 0);

function expectError(f: () => unknown, code: string, message: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(TunekitError);
  expect((err as TunekitError).code).toBe(code);
  expect((err as TunekitError).message).toMatch(message);
}

describe('GeneticAlgorithm', () => {
  it('minimises a sphere and is reproducible for a seed', async () => {
    const space = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`x${i}`, [-5, 5] as [number, number]]));
    const run = (seed: number) => new GeneticAlgorithm({ space, populationSize: 30, generations: 25, seed, directions: 'minimize' }).run(sphere);
    const [a, b, c] = await Promise.all([run(3), run(3), run(4)]);
    expect(a).toEqual(b);
    expect(c.best).not.toEqual(a.best);
    expect(a.best.value).toBeLessThan(0.2);
    expect(a.evaluations).toBe(750);
    expect(a.history).toHaveLength(25);
    expect(a.history[24]!.best).toBeLessThan(a.history[0]!.best);
  });

  it('large generations breed off the event loop and give the same run as the binding stepped by hand', async () => {
    // 400 × 30 genes: the pool is past the synchronous threshold, so each step is GaEngine.advance
    const space = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`x${i}`, [-5, 5] as [number, number]]));
    const ga = new GeneticAlgorithm({ space, populationSize: 400, generations: 4, seed: 8, directions: 'minimize', genes: 'array' });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const r = await ga.run((x: Float64Array) => x.reduce((a, v) => a + v * v, 0));
    clearInterval(timer);
    expect(r.evaluations).toBe(1600);
    expect(ticks).toBeGreaterThan(0); // the event loop ran while generations were bred
    const { createRequire } = await import('node:module');
    const native = createRequire(import.meta.url)('../native/index.cjs');
    const engine = new native.GaEngine(ga.space.native, (ga as unknown as { options: unknown }).options, ['minimize']);
    let told = new Float64Array(0);
    let best = Infinity;
    for (let g = 0; g < 4; g++) {
      const out = engine.advanceSync(told, undefined, 400);
      told = new Float64Array(400);
      for (let i = 0; i < 400; i++) {
        told[i] = out.children.subarray(i * 30, (i + 1) * 30).reduce((a: number, v: number) => a + v * v, 0);
        best = Math.min(best, told[i]!);
      }
      expect(out.diversity).toBe(r.history[g]!.diversity);
    }
    expect(r.best.value).toBe(best);
  });

  it('keeps every gene valid on a mixed space (log floats, ints with steps, categories)', async () => {
    const seen: Record<string, unknown>[] = [];
    await new GeneticAlgorithm({ space: mixed, populationSize: 20, generations: 10, seed: 7 }).run((p) => {
      seen.push(p);
      return -Math.abs(Math.log10(p.lr as number) + 2) - ((p.x as number) - 1) ** 2 + (p.opt === 'adam' ? 1 : 0);
    });
    expect(seen).toHaveLength(200);
    for (const p of seen) {
      expect(p.lr).toBeGreaterThanOrEqual(1e-4);
      expect(p.lr).toBeLessThanOrEqual(1e-1);
      expect(Number.isInteger(p.layers) && (p.layers as number) >= 1 && (p.layers as number) <= 8).toBe(true);
      expect(((p.width as number) - 16) % 16).toBe(0);
      expect(['adam', 'sgd', 'rmsprop']).toContain(p.opt);
    }
  });

  it('NSGA-II: the Pareto front of ZDT1 is non-dominated and close to the true front', async () => {
    const space = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`x${i}`, [0, 1] as [number, number]]));
    const zdt1 = (p: Record<string, unknown>) => {
      const x = Object.values(p) as number[];
      const g = 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / (x.length - 1);
      return [x[0]!, g * (1 - Math.sqrt(x[0]! / g))];
    };
    const r = await new GeneticAlgorithm({ space, populationSize: 60, generations: 60, seed: 1, directions: ['minimize', 'minimize'] }).run(zdt1);
    const pts = r.pareto.map((p) => p.values);
    expect(pts.length).toBeGreaterThan(20);
    for (const a of pts) for (const b of pts) expect(b[0]! <= a[0]! && b[1]! <= a[1]! && (b[0]! < a[0]! || b[1]! < a[1]!)).toBe(false);
    // on the true front f2 = 1 − √f1; a converged front is within a small distance of it
    const gap = pts.map(([f1, f2]) => f2! - (1 - Math.sqrt(f1!)));
    expect(gap.reduce((a, b) => a + b, 0) / gap.length).toBeLessThan(0.1);
  });

  it('NaN ranks last; a wrong number of objectives and a throwing objective are clear errors', async () => {
    const space = { x: [-1, 1] as [number, number] };
    const r = await new GeneticAlgorithm({ space, populationSize: 10, generations: 5, seed: 1, directions: 'minimize' }).run((p) => ((p.x as number) > 0 ? NaN : (p.x as number) ** 2));
    expect(Number.isNaN(r.best.value)).toBe(false);
    expect(r.best.params.x as number).toBeLessThanOrEqual(0);
    await expect(new GeneticAlgorithm({ space, seed: 1, directions: ['minimize', 'maximize'] }).run(() => 1)).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: expect.stringMatching(/returned 1 .*expected 2 numbers/),
    });
    await expect(
      new GeneticAlgorithm({ space, seed: 1 }).run(() => {
        throw new Error('boom');
      }),
    ).rejects.toMatchObject({
      code: 'OBJECTIVE_FAILED',
      message: expect.stringMatching(/the objective threw for \{"x":.*\}: boom/),
    });
  });

  it('respects concurrency and stops when onGeneration returns false', async () => {
    let running = 0;
    let peak = 0;
    const r = await new GeneticAlgorithm({
      space: { x: [0, 1] as [number, number] },
      populationSize: 12,
      generations: 10,
      concurrency: 3,
      seed: 2,
      onGeneration: (info) => info.generation < 2,
    }).run(async (p) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((res) => setTimeout(res, 2));
      running--;
      return p.x as number;
    });
    expect(peak).toBe(3);
    expect(r.history).toHaveLength(3);
    expect(r.evaluations).toBe(36);
  });

  it("genes: 'array' passes Float64Arrays and breeds exactly what 'params' breeds for the same seed", async () => {
    const space = { x: [-5, 5] as [number, number], k: { type: 'int', low: 0, high: 9 } as const, c: { type: 'categorical', choices: ['a', 'b', 'c'] } as const };
    const seen: Float64Array[] = [];
    const viaArrays = await new GeneticAlgorithm({ space, populationSize: 10, generations: 4, seed: 5, genes: 'array', directions: 'minimize' }).run((x: Float64Array) => {
      expect(x).toBeInstanceOf(Float64Array);
      expect(x).toHaveLength(3);
      seen.push(x.slice());
      return x[0]! ** 2 + x[1]! + x[2]!;
    });
    const viaParams = await new GeneticAlgorithm({ space, populationSize: 10, generations: 4, seed: 5, directions: 'minimize' }).run(
      (p) => (p.x as number) ** 2 + (p.k as number) + ['a', 'b', 'c'].indexOf(p.c as string),
    );
    expect(viaArrays).toEqual(viaParams);
    for (const x of seen) {
      expect(Number.isInteger(x[1])).toBe(true);
      expect([0, 1, 2]).toContain(x[2]);
    }
    // Mutating the array cannot corrupt what the GA keeps.
    const r = await new GeneticAlgorithm({ space: { x: [0, 1] as [number, number] }, populationSize: 6, generations: 3, seed: 1, genes: 'array' }).run((x: Float64Array) => {
      const v = x[0]!;
      x[0] = 99;
      return v;
    });
    expect(r.best.params.x as number).toBeLessThanOrEqual(1);
    expectError(() => new GeneticAlgorithm({ space, genes: 'tuples' as never }), 'INVALID_PARAMETER', /genes: expected "params" or "array", got "tuples"/);
  });

  it('a synchronous objective that throws stops the run with OBJECTIVE_FAILED naming the individual', async () => {
    let calls = 0;
    await expect(
      new GeneticAlgorithm({ space: { x: [0, 1] as [number, number] }, populationSize: 4, generations: 2, seed: 1 }).run(() => {
        if (++calls === 3) throw new Error('boom');
        return 1;
      }),
    ).rejects.toMatchObject({ code: 'OBJECTIVE_FAILED', message: expect.stringMatching(/the objective threw for \{"x":[0-9.e-]+\}: boom/) });
  });

  it('rejects bad settings with the value named', () => {
    const space = { x: [0, 1] as [number, number] };
    expectError(() => new GeneticAlgorithm({ space, populationSize: 1 }), 'INVALID_PARAMETER', /populationSize must be an integer ≥ 2, got 1/);
    expectError(() => new GeneticAlgorithm({ space, crossover: { prob: 1.5 } }), 'INVALID_PARAMETER', /crossover_prob must be a probability in \[0, 1\], got 1.5/);
    expectError(() => new GeneticAlgorithm({ space, mutation: { prob: -0.1 } }), 'INVALID_PARAMETER', /mutation_prob .*got -0.1/);
    expectError(() => new GeneticAlgorithm({ space: {} }), 'INVALID_SPACE', /empty/);
    expectError(() => new GeneticAlgorithm({ space, selection: { kind: 'tournament', size: 99 }, populationSize: 10 }), 'INVALID_PARAMETER', /tournament size .*got 99/);
    expectError(() => new GeneticAlgorithm({ space, directions: ['up' as never] }), 'INVALID_PARAMETER', /directions\[0\]: expected "minimize" or "maximize", got "up"/);
  });
});

describe('GaEngine (binding)', () => {
  it('advanceSync and advance (the pool kept in Rust) breed exactly what proposeSync breeds from the same pool; a refused call changes nothing', async () => {
    const { createRequire } = await import('node:module');
    const native = createRequire(import.meta.url)('../native/index.cjs');
    const d = 4;
    const space = Array.from({ length: d }, (_, i) => ({ name: `x${i}`, kind: i === 3 ? 'int' : 'float', low: -3, high: 3, log: false }));
    const options = {
      populationSize: 12,
      selection: 'tournament',
      tournamentSize: 2,
      rankPressure: 1.5,
      crossover: 'sbx',
      crossoverEta: 15,
      blendAlpha: 0.5,
      discreteCrossover: 'uniform',
      intsAsFloats: false,
      crossoverProb: 0.9,
      mutation: 'polynomial',
      mutationEta: 20,
      mutationSigma: 0.1,
      elitism: 1,
      avoidDuplicates: true,
      init: 'uniform',
      seed: 9,
    };
    for (const directions of [['minimize'], ['minimize', 'maximize']]) {
      const m = directions.length;
      const f = (x: Float64Array) => (m === 1 ? [x.reduce((a, v) => a + v * v, 0)] : [x[0]! ** 2 + x[1]!, x[2]! - x[3]!]);
      const a = new native.GaEngine(space, options, directions);
      const b = new native.GaEngine(space, options, directions);
      const c = new native.GaEngine(space, options, directions);
      let told = new Float64Array(0);
      let pool = { points: new Float64Array(0), values: new Float64Array(0) };
      for (let g = 0; g < 6; g++) {
        if (g === 2) {
          // a wrong number of values is refused and leaves the engine as it was
          expect(() => a.advanceSync(told.subarray(1), undefined, 12)).toThrow(/advance: \d+ values and 0 violations for 12 children/);
          expect(() => a.advanceSync(told, new Float64Array(12).fill(-1), 12)).toThrow(/constraint violation must be a number >= 0 .*got -1/);
        }
        const x = a.advanceSync(told, undefined, 12);
        const y = b.proposeSync(pool.points, pool.values, undefined, g, 12);
        const pending = c.advance(told, undefined, 12);
        // a step while one is running is refused (its values could not be matched to children)
        expect(() => c.advanceSync(told, undefined, 12)).toThrow(/still running an advance\(\) call/);
        expect(() => c.advance(told, undefined, 12)).toThrow(/still running an advance\(\) call/);
        const z = await pending;
        expect(Array.from(x.children)).toEqual(Array.from(y.children));
        expect(Array.from(z.children)).toEqual(Array.from(y.children));
        expect(x.diversity).toBe(y.diversity);
        expect(Array.from(x.parents)).toEqual(Array.from(y.parents));
        const vals = new Float64Array(12 * m);
        for (let i = 0; i < 12; i++) vals.set(f(x.children.subarray(i * d, (i + 1) * d)), i * m);
        told = vals;
        const np = y.parents.length;
        const next = { points: new Float64Array((np + 12) * d), values: new Float64Array((np + 12) * m) };
        Array.from(y.parents as Uint32Array).forEach((j, i) => {
          next.points.set(pool.points.subarray(j * d, (j + 1) * d), i * d);
          next.values.set(pool.values.subarray(j * m, (j + 1) * m), i * m);
        });
        next.points.set(y.children, np * d);
        next.values.set(vals, np * m);
        pool = next;
      }
    }
  });
});
