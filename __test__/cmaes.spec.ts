// CmaEsSampler (issue 13, item 3) through the study runtime: seeded, far
// better than random search on a 10-D sphere, two workers on one SQLite study
// (SQLite and PostgreSQL) without forking the distribution, integers on their steps, categorical
// fallback, warm starts, IPOP, the CLI, bad options.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CmaEsSampler,
  createStudy,
  PostgresStorage,
  RandomSampler,
  SqliteStorage,
  TrialPruned,
  type CmaEsSamplerOptions,
  type CmaGenerationRecord,
  type CmaTrialRecord,
  type FrozenTrial,
  type Storage,
  type Trial,
} from '../dist/index.js';
import { rejects } from './helpers.js';
import { freshPostgres, tempDir } from './storages.js';

const tmp = tempDir();
const opened: Storage[] = [];
let pg: Awaited<ReturnType<typeof freshPostgres>> | undefined;
beforeAll(async () => {
  pg = await freshPostgres();
});
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await pg?.drop();
  tmp.remove();
});

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const CMD = fileURLToPath(new URL('./fixtures/commands/', import.meta.url));

/** Σ (xᵢ − 1)² over x ∈ [−5, 5]¹⁰. */
const sphere10 = (t: Trial): number => {
  let f = 0;
  for (let i = 0; i < 10; i++) f += (t.suggestFloat(`x${i}`, -5, 5) - 1) ** 2;
  return f;
};

const record = (t: FrozenTrial): CmaTrialRecord | undefined => t.systemAttrs['cmaes'] as CmaTrialRecord | undefined;

/** The stored generation records of a study, by generation number. */
function generations(systemAttrs: Record<string, unknown>): CmaGenerationRecord[] {
  const out: CmaGenerationRecord[] = [];
  for (const [key, value] of Object.entries(systemAttrs)) if (key.startsWith('cmaes:')) out.push(value as CmaGenerationRecord);
  return out.sort((a, b) => a.generation - b.generation);
}

describe('CmaEsSampler', () => {
  it('is seeded: the same seed gives the same trials, another seed others', async () => {
    const run = async (seed: number) => {
      const study = await createStudy({ sampler: new CmaEsSampler({ seed }) });
      await study.optimize(sphere10, { nTrials: 35 });
      return study.trials();
    };
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    expect(a.map((t) => t.params)).toEqual(b.map((t) => t.params));
    expect(a.map((t) => record(t)?.x)).toEqual(b.map((t) => record(t)?.x));
    expect(c[5]!.params).not.toEqual(a[5]!.params);
    // trial 0 is the startup trial (drawn independently); then generations of λ = 4 + ⌊3 ln 10⌋ = 10
    expect(record(a[0]!)).toBeUndefined();
    expect(a.slice(1).map((t) => record(t)!.generation)).toEqual(Array.from({ length: 34 }, (_, i) => Math.floor(i / 10)));
  });

  it('beats random search on a 10-D sphere by a wide margin (300 trials, three seeds)', async () => {
    for (const seed of [1, 2, 3]) {
      const best = async (sampler: CmaEsSampler | RandomSampler) => {
        const study = await createStudy({ sampler });
        await study.optimize(sphere10, { nTrials: 300 });
        return (await study.bestTrial()).values![0]!;
      };
      const cma = await best(new CmaEsSampler({ seed }));
      const random = await best(new RandomSampler({ seed }));
      expect(random).toBeGreaterThan(15);
      expect(cma).toBeLessThan(random / 20);
    }
  });

  for (const backend of ['sqlite', 'postgres'] as const) {
    it(`two workers on one ${backend} study: contiguous generations, each told with λ trials of its own generation`, async () => {
      const open = (): Storage => {
        const s = backend === 'sqlite' ? new SqliteStorage(join(tmp.dir, 'two.db')) : new PostgresStorage((pg as { url: string }).url);
        opened.push(s);
        return s;
      };
      const a = await createStudy({ name: 'two', storage: open(), sampler: new CmaEsSampler({ seed: 5 }) });
      const b = await createStudy({ name: 'two', storage: open(), sampler: new CmaEsSampler({ seed: 5 }), loadIfExists: true });
      const objective = async (t: Trial) => {
        const x = t.suggestFloat('x', -3, 3);
        const y = t.suggestFloat('y', -3, 3);
        const k = t.suggestInt('k', 0, 10);
        await new Promise((r) => setTimeout(r, 1 + (t.number % 3)));
        return (x - 1) ** 2 + (y + 0.5) ** 2 + (k - 7) ** 2;
      };
      await Promise.all([a.optimize(objective, { nTrials: 40 }), b.optimize(objective, { nTrials: 40 })]);
      const trials = await a.trials();
      expect(trials).toHaveLength(80);
      const byNumber = new Map(trials.map((t) => [t.number, t]));
      const gens = generations((await a.storage.getStudy('two'))!.systemAttrs);
      // λ = 4 + ⌊3 ln 3⌋ = 7; 78 CMA-ES trials make at least 8 generations
      expect(gens.length).toBeGreaterThanOrEqual(8);
      expect(gens.map((g) => g.generation)).toEqual(gens.map((_, i) => i));
      for (const g of gens.slice(1)) {
        expect(g.members).toHaveLength(7);
        expect(new Set(g.members).size).toBe(7);
        for (const n of g.members) {
          const t = byNumber.get(n)!;
          expect(t.state).toBe('COMPLETE');
          expect(record(t)!.generation).toBe(g.generation - 1);
        }
      }
      // every trial was drawn from a stored generation, and each closed generation has at least λ trials
      const last = gens.length - 1;
      const perGeneration = new Map<number, number>();
      // each worker's first trial started before any trial was complete: drawn independently (startup)
      const drawn = trials.filter((t) => record(t) !== undefined);
      expect(drawn.length).toBeGreaterThanOrEqual(78);
      for (const t of drawn) {
        const r = record(t)!;
        expect(r.generation).toBeLessThanOrEqual(last);
        perGeneration.set(r.generation, (perGeneration.get(r.generation) ?? 0) + 1);
      }
      for (let g = 0; g < last; g++) expect(perGeneration.get(g)).toBeGreaterThanOrEqual(7);
      // both workers drew from the distributions
      expect(new Set(trials.map((t) => t.number)).size).toBe(80);
      expect((await a.bestTrial()).values![0]).toBeLessThan(1);
    });
  }

  it('keeps integers integral and stepped values on their steps, with and without margin', async () => {
    for (const withMargin of [false, true]) {
      const study = await createStudy({ sampler: new CmaEsSampler({ seed: 4, withMargin }) });
      await study.optimize(
        (t) => {
          const k = t.suggestInt('k', 0, 20, { step: 4 });
          const s = t.suggestFloat('s', -1, 1, { step: 0.25 });
          const n = t.suggestInt('n', 1, 1000, { log: true });
          const x = t.suggestFloat('x', 0, 1);
          return (k - 12) ** 2 + (s - 0.5) ** 2 + Math.log(n / 30) ** 2 + (x - 0.2) ** 2;
        },
        { nTrials: 80 },
      );
      const trials = await study.trials();
      for (const t of trials) {
        const { k, s, n } = t.params as { k: number; s: number; n: number };
        expect(Number.isInteger(k) && k % 4 === 0 && k >= 0 && k <= 20).toBe(true);
        expect(Number.isInteger(s * 4) && s >= -1 && s <= 1).toBe(true);
        expect(Number.isInteger(n) && n >= 1 && n <= 1000).toBe(true);
      }
      expect(trials.filter((t) => record(t) !== undefined)).toHaveLength(79);
      const best = (await study.bestTrial()).params;
      expect(best.k).toBe(12);
    }
  });

  it('samples categorical parameters independently, as RandomSampler with the same seed', async () => {
    const objective = (t: Trial) => {
      const x = t.suggestFloat('x', -2, 2);
      const c = t.suggestCategorical('c', ['a', 'b', 'c']);
      const y = t.suggestInt('y', 0, 5);
      return x * x + y + (c === 'b' ? 0 : 1);
    };
    const cma = await createStudy({ sampler: new CmaEsSampler({ seed: 9 }) });
    await cma.optimize(objective, { nTrials: 25 });
    const random = await createStudy({ sampler: new RandomSampler({ seed: 9 }) });
    await random.optimize(objective, { nTrials: 25 });
    const [ct, rt] = [await cma.trials(), await random.trials()];
    expect(ct.map((t) => t.params.c)).toEqual(rt.map((t) => t.params.c));
    // the numeric parameters are CMA-ES's: the relative proposal, without the categorical one
    for (const t of ct.slice(1)) {
      expect(Object.keys(t.systemAttrs['relative_params'] as object).sort()).toEqual(['x', 'y']);
      expect(record(t)!.x).toHaveLength(2);
    }
    expect(ct.slice(1).map((t) => t.params.x)).not.toEqual(rt.slice(1).map((t) => t.params.x));
  });

  it('replaces failed trials: a generation is told with λ complete trials, a FAIL one left out', async () => {
    // without the failure model (failureAware: false); with it, a failure the model puts in a failing region counts as the worst member
    const study = await createStudy({ sampler: new CmaEsSampler({ seed: 2, popsize: 4, failureAware: false }) });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', -1, 1);
        const y = t.suggestFloat('y', -1, 1);
        if (t.number % 5 === 3) throw new Error('flaky');
        return x * x + y * y;
      },
      { nTrials: 30, catch: [Error] },
    );
    const trials = await study.trials();
    const gens = generations((await study.storage.getStudy(study.name))!.systemAttrs);
    expect(gens.length).toBeGreaterThanOrEqual(5);
    for (const g of gens.slice(1)) {
      expect(g.members).toHaveLength(4);
      for (const n of g.members) expect(trials[n]!.state).toBe('COMPLETE');
    }
    const failed = trials.filter((t) => t.state === 'FAIL' && record(t) !== undefined);
    expect(failed.length).toBeGreaterThan(3);
    // a failed trial's generation got another trial in its place
    for (const t of failed) {
      const g = record(t)!.generation;
      if (g + 1 < gens.length) expect(gens[g + 1]!.members).not.toContain(t.number);
    }
  });

  describe('failureAware', () => {
    // The optimum (0.45, 0.5) sits next to a region where every trial fails
    // (x > 0.55): a plain CMA-ES keeps drawing there, since a FAIL trial is
    // only replaced; failure-aware, candidates the failure model gives less
    // than even odds are drawn again, and failures inside the failing region
    // count as the worst of their generation, so the distribution leaves it.
    const edge = (t: Trial): number => {
      const x = t.suggestFloat('x', 0, 1);
      const y = t.suggestFloat('y', 0, 1);
      if (x > 0.55) throw new Error('diverged');
      return (x - 0.45) ** 2 + (y - 0.5) ** 2;
    };
    const run = async (seed: number, failureAware: boolean) => {
      const study = await createStudy({ sampler: new CmaEsSampler({ seed, failureAware }) });
      await study.optimize(edge, { nTrials: 80, catch: [Error] });
      const trials = await study.trials();
      return { failed: trials.filter((t) => t.state === 'FAIL').length, best: (await study.bestTrial()).values![0]! };
    };

    it('fails far less often next to an always-failing region, and still finds the optimum (5 seeds)', async () => {
      let aware = 0;
      let plain = 0;
      for (let seed = 0; seed < 5; seed++) {
        const a = await run(seed, true);
        const p = await run(seed, false);
        aware += a.failed;
        plain += p.failed;
        expect(a.best).toBeLessThan(2e-4);
      }
      // seeds 0-4: 34 failures of 400 trials against 52 without the model
      expect(plain).toBeGreaterThan(45);
      expect(aware).toBeLessThan(0.75 * plain);
    });

    it('one flaky failure does not close its region: every draw is what a plain CMA-ES draws', async () => {
      const run2 = async (failureAware: boolean) => {
        const study = await createStudy({ sampler: new CmaEsSampler({ seed: 4, popsize: 6, failureAware }) });
        await study.optimize(
          (t) => {
            const x = t.suggestFloat('x', -1, 1);
            const y = t.suggestFloat('y', -1, 1);
            if (t.number === 8) throw new Error('flaky');
            return x * x + y * y;
          },
          { nTrials: 40, catch: [Error] },
        );
        return study;
      };
      const aware = await run2(true);
      const plain = await run2(false);
      const trials = await aware.trials();
      expect(trials[8]!.state).toBe('FAIL');
      expect(trials.map((t) => t.params)).toEqual((await plain.trials()).map((t) => t.params));
      expect((await aware.bestTrial()).values![0]!).toBeLessThan(1e-2);
    });
  });

  it('with considerPrunedTrials, a PRUNED trial counts in its generation at its last reported value', async () => {
    const run = async (considerPrunedTrials: boolean) => {
      const study = await createStudy({ sampler: new CmaEsSampler({ seed: 6, popsize: 4, considerPrunedTrials }) });
      await study.optimize(
        async (t) => {
          const x = t.suggestFloat('x', -1, 1);
          const y = t.suggestFloat('y', -1, 1);
          const v = x * x + y * y;
          if (t.number % 4 === 2) {
            await t.report(v + 10, 0);
            await t.report(v + 1, 3);
            throw new TrialPruned();
          }
          return v;
        },
        { nTrials: 30 },
      );
      return { trials: await study.trials(), gens: generations((await study.storage.getStudy(study.name))!.systemAttrs) };
    };
    const yes = await run(true);
    const pruned = new Set(yes.trials.filter((t) => t.state === 'PRUNED').map((t) => t.number));
    expect(pruned.size).toBeGreaterThan(5);
    const told = yes.gens.flatMap((g) => g.members);
    expect(told.filter((n) => pruned.has(n)).length).toBeGreaterThan(3);
    // the generations advance every λ = 4 finished trials after the startup trial
    expect(yes.gens.length).toBe(8);
    const no = await run(false);
    const prunedNo = new Set(no.trials.filter((t) => t.state === 'PRUNED').map((t) => t.number));
    expect(no.gens.flatMap((g) => g.members).filter((n) => prunedNo.has(n))).toEqual([]);
    expect(no.gens.length).toBeLessThan(yes.gens.length);
  });

  it('warm-starts from trials of another study: the first generation is drawn near the source optimum', async () => {
    const objective = (t: Trial) => (t.suggestFloat('a', 0, 10) - 8) ** 2 + (t.suggestFloat('b', 0, 10) - 2) ** 2;
    const source = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    await source.optimize(objective, { nTrials: 200 });
    const firstGeneration = async (options: CmaEsSamplerOptions) => {
      const study = await createStudy({ sampler: new CmaEsSampler({ seed: 3, ...options }) });
      await study.optimize(objective, { nTrials: 7 });
      const trials = (await study.trials()).slice(1);
      return trials.reduce((s, t) => s + (t.values![0] as number), 0) / trials.length;
    };
    const warm = await firstGeneration({ warmStartTrials: await source.trials() });
    const cold = await firstGeneration({});
    expect(warm).toBeLessThan(cold / 3);
    // by name, from the same storage
    const storage = new SqliteStorage(join(tmp.dir, 'warm.db'));
    const named = await createStudy({ name: 'source', storage, sampler: new RandomSampler({ seed: 1 }) });
    await named.optimize(objective, { nTrials: 200 });
    const target = await createStudy({ name: 'target', storage, sampler: new CmaEsSampler({ seed: 3, warmStartStudy: 'source' }) });
    await target.optimize(objective, { nTrials: 7 });
    const byName = (await target.trials()).slice(1).reduce((s, t) => s + (t.values![0] as number), 0) / 6;
    expect(byName).toBeLessThan(cold / 3);
    const missing = await createStudy({ storage, sampler: new CmaEsSampler({ warmStartStudy: 'nope' }) });
    await rejects(() => missing.optimize(objective, { nTrials: 2 }), 'INVALID_PARAMETER', /warmStartStudy "nope" does not exist/);
  });

  it('IPOP: a converged run restarts with the population doubled', async () => {
    const study = await createStudy({ sampler: new CmaEsSampler({ seed: 1, restartStrategy: 'ipop', sigma0: 0.3 }) });
    // shifted so the values stay above 1: the run converges until a termination criterion stops it
    await study.optimize((t) => 1 + (t.suggestFloat('x', -1, 1) - 0.3) ** 2 + (t.suggestFloat('y', -1, 1) + 0.2) ** 2, { nTrials: 700 });
    const gens = generations((await study.storage.getStudy(study.name))!.systemAttrs);
    const restarts = gens.filter((g) => g.restarted);
    expect(restarts.length).toBeGreaterThanOrEqual(1);
    expect(gens[0]!.popsize).toBe(6);
    const first = restarts[0]!;
    expect(first.popsize).toBe(12);
    expect(first.restarts).toBe(1);
    expect(first.sigma).toBe(0.3);
    expect((await study.bestTrial()).values![0]).toBeLessThan(1 + 1e-8);
  });

  it('refuses several objectives and bad options with INVALID_PARAMETER and the value', async () => {
    const two = await createStudy({ directions: ['minimize', 'minimize'], sampler: new CmaEsSampler({ seed: 1 }) });
    await rejects(() => two.optimize((t) => [t.suggestFloat('x', 0, 1), 1], { nTrials: 1 }), 'INVALID_PARAMETER', /CmaEsSampler optimises one objective; this study has 2/);
    const bad: [CmaEsSamplerOptions, RegExp][] = [
      [{ sigma0: -1 }, /CmaEsSampler: sigma0 must be a positive finite number, got -1/],
      [{ popsize: 1 }, /CmaEsSampler: popsize must be an integer in \[2, 1048576\], got 1/],
      [{ popsize: 2.5 }, /CmaEsSampler: popsize must be a non-negative integer, got 2.5/],
      [{ incPopsize: 1 }, /CmaEsSampler: incPopsize must be an integer in \[2, 1024\], got 1/],
      [{ restartStrategy: 'bipop' as 'ipop' }, /CmaEsSampler: restartStrategy must be "none" or "ipop", got "bipop"/],
      [{ useSeparableCma: true, withMargin: true }, /CmaEsSampler: useSeparableCma cannot be combined with withMargin/],
      [{ sigma0: 0.2, warmStartStudy: 'x' }, /CmaEsSampler: sigma0 cannot be combined with a warm start/],
      [{ nStartupTrials: -2 }, /CmaEsSampler: nStartupTrials must be an integer ≥ 0, got -2/],
      [{ withMargin: 'yes' as unknown as boolean }, /CmaEsSampler: withMargin must be true or false, got "yes"/],
    ];
    for (const [options, message] of bad) await rejects(() => new CmaEsSampler(options), 'INVALID_PARAMETER', message);
  });
});

describe('the cmaes sampler in a CLI config', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 120_000 });

  it('runs a study with `sampler: { type: cmaes, options }` and stores its generations', async () => {
    const path = join(tmp.dir, 'cma.yaml');
    writeFileSync(
      path,
      `study: cma
storage: sqlite:cli.db
sampler: { type: cmaes, options: { seed: 1, withMargin: true, popsize: 6 } }
nTrials: 25
space: { x: [0, 4], k: { type: int, low: 0, high: 6 } }
objective: { module: ${join(CMD, 'objective.mjs')} }
`,
    );
    const out = cli('run', path, '--quiet');
    expect(out.status, out.stderr).toBe(0);
    const storage = new SqliteStorage(join(tmp.dir, 'cli.db'));
    const study = (await storage.getStudy('cma'))!;
    const trials = await storage.getTrials(study.id);
    await storage.close();
    expect(trials).toHaveLength(25);
    expect(trials.slice(1).every((t) => record(t) !== undefined)).toBe(true);
    const gens = generations(study.systemAttrs);
    expect(gens.length).toBe(4);
    expect(gens.every((g) => g.popsize === 6)).toBe(true);
  });

  it('a config with several directions is refused for cmaes (exit 2)', () => {
    const path = join(tmp.dir, 'multi-cma.yaml');
    writeFileSync(path, `study: multi\nstorage: memory\nnTrials: 2\ndirections: [minimize, minimize]\nsampler: cmaes\nspace: { x: [0, 1] }\nobjective: { module: ${join(CMD, 'objective.mjs')} }\n`);
    const out = cli('run', path);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/sampler\.type: the cmaes sampler optimises one objective; this config has 2 directions/);
  });

  it('a bad option is a config error naming it (exit 2)', () => {
    const path = join(tmp.dir, 'bad-cma.yaml');
    writeFileSync(path, `study: bad\nstorage: memory\nnTrials: 2\nsampler: { type: cmaes, options: { sigma0: 0 } }\nspace: { x: [0, 1] }\nobjective: { module: ${join(CMD, 'objective.mjs')} }\n`);
    const out = cli('run', path);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/sampler\.options: CmaEsSampler: sigma0 must be a positive finite number, got 0/);
    writeFileSync(path, `study: bad\nstorage: memory\nnTrials: 2\nsampler: { type: cmaes, options: { sigmaZero: 1 } }\nspace: { x: [0, 1] }\nobjective: { module: ${join(CMD, 'objective.mjs')} }\n`);
    expect(cli('run', path).stderr).toMatch(/sampler\.options\.sigmaZero: unknown option for the cmaes sampler/);
  });
});
