// Constraints (issue 13, item 4): stored with the trial's end on every
// backend, best trials among feasible ones only, clear errors for bad values,
// and the constrained GP, TPE and NSGA-II samplers on small known problems;
// the CLI's result line with "constraints".
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createStudy, GeneticSampler, GPSampler, isFeasible, loadStudy, NopPruner, TPESampler, totalViolation, trialConstraints, type FrozenTrial } from '../dist/index.js';
import { constrainedValues } from '../dist/study/samplers/genetic.js';
import { rejects } from './helpers.js';
import { sharedStorages } from './shared_storages.js';

const { storages, dir } = sharedStorages('constraints.db');
const backends: [string, () => Promise<string>][] = [['memory', async () => 'memory'], ...storages];

describe.each(backends)('constraints on %s', (kind, url) => {
  it('setConstraint and tell({ constraints }) are stored with the end, read back by another study object; FAIL keeps none', async () => {
    const storage = await url();
    const study = await createStudy({ name: `c-${kind}`, storage, sampler: new TPESampler({ seed: 1 }), pruner: new NopPruner() });
    const t0 = await study.ask();
    t0.suggestFloat('x', 0, 1);
    t0.setConstraint('b', 0.25);
    t0.setConstraint('a', -1);
    await study.tell(t0, 3);
    const t1 = await study.ask();
    t1.setConstraint('a', 7); // tell's values win
    await study.tell(t1, { state: 'PRUNED' }, { constraints: { a: -2, b: -0.5 } });
    const t2 = await study.ask();
    t2.setConstraint('a', 1);
    await study.tell(t2, { state: 'FAIL', reason: 'crash' });
    const t3 = await study.ask();
    await study.tell(t3.number, 1.5, { constraints: { a: 0, b: 0 } });
    const again = kind === 'memory' ? study : await loadStudy({ name: `c-${kind}`, storage });
    const trials = await again.trials();
    expect(trials.map((t) => trialConstraints(t) ?? null)).toEqual([{ a: -1, b: 0.25 }, { a: -2, b: -0.5 }, null, { a: 0, b: 0 }]);
    expect(trials.map((t) => isFeasible(t))).toEqual([false, true, true, true]);
    expect(trials.map((t) => totalViolation(t))).toEqual([0.25, 0, 0, 0]);
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'PRUNED', 'FAIL', 'COMPLETE']);
    // The infeasible trial 0 (value 3) is not the best; trial 3 (1.5) is.
    expect((await again.bestTrial()).number).toBe(3);
  });

  it('several workers with GPSampler: every COMPLETE trial has its constraint, and the best is feasible', async () => {
    const storage = await url();
    const objective = async (t: import('../dist/index.js').Trial) => {
      const x = t.suggestFloat('x', 0, 1);
      const y = t.suggestFloat('y', 0, 1);
      t.setConstraint('sum', x + y - 1);
      return (x - 0.8) ** 2 + (y - 0.8) ** 2;
    };
    const opts = { storage, name: `w-${kind}`, loadIfExists: true, pruner: new NopPruner() };
    const a = await createStudy({ ...opts, sampler: new GPSampler({ seed: 1, nStartupTrials: 6 }) });
    const b = await createStudy({ ...opts, sampler: new GPSampler({ seed: 2, nStartupTrials: 6 }) });
    await Promise.all([a.optimize(objective, { nTrials: 9, concurrency: 2 }), b.optimize(objective, { nTrials: 9, concurrency: 2 })]);
    const trials = await a.trials();
    expect(trials).toHaveLength(18);
    for (const t of trials) {
      expect(t.state).toBe('COMPLETE');
      const c = trialConstraints(t) as Record<string, number>;
      expect(c.sum).toBeCloseTo((t.params.x as number) + (t.params.y as number) - 1, 12);
    }
    const best = await a.bestTrial();
    expect(isFeasible(best)).toBe(true);
    expect(best.values![0]).toBe(Math.min(...trials.filter(isFeasible).map((t) => t.values![0]!)));
  });
});

describe.each(storages)('late results on %s', (kind, url) => {
  it('a trial reaped meanwhile keeps its constraints in the late result note', async () => {
    const storage = await url();
    const a = await createStudy({ name: `late-${kind}`, storage, sampler: new TPESampler({ seed: 1 }), heartbeatInterval: 30 });
    const trial = await a.ask();
    trial.setConstraint('c', 0.5);
    await new Promise((r) => setTimeout(r, 300));
    // Another worker with a far shorter grace period takes the trial for dead.
    const b = await loadStudy({ name: `late-${kind}`, storage, sampler: new TPESampler({ seed: 2 }), heartbeatInterval: 30, gracePeriod: 0.01 });
    await b.tell(await b.ask(), 0, { constraints: { c: -1 } });
    const told = await a.tell(trial, 1.5);
    expect(told.state).toBe('FAIL');
    expect(told.systemAttrs.reaped).toBe(true);
    expect(told.systemAttrs.late_result).toEqual({ state: 'COMPLETE', values: [1.5], constraints: { c: 0.5 }, params: {} });
  });
});

describe('best trials and errors', () => {
  it('bestTrial skips infeasible trials, says NO_FEASIBLE_TRIAL when none is feasible; bestTrials keeps the feasible front', async () => {
    const study = await createStudy({ sampler: new TPESampler({ seed: 0 }) });
    for (const [v, c] of [
      [1, [0.5]],
      [2, [0.1]],
    ] as const) {
      const t = await study.ask();
      await study.tell(t, v, { constraints: c });
    }
    await rejects(study.bestTrial(), 'NO_FEASIBLE_TRIAL', /has 2 COMPLETE trials but none is feasible/);
    const t = await study.ask();
    await study.tell(t, 5, { constraints: [-0.1] });
    expect((await study.bestTrial()).values).toEqual([5]);
    expect((await study.bestTrials()).map((x) => x.number)).toEqual([2]);

    const multi = await createStudy({ directions: ['minimize', 'minimize'], sampler: new TPESampler({ seed: 0 }) });
    for (const [v, c] of [
      [[0, 0], 1],
      [[1, 2], 0],
      [[2, 1], -1],
      [[3, 3], 0],
    ] as const) {
      const tr = await multi.ask();
      await multi.tell(tr, v, { constraints: [c] });
    }
    expect((await multi.bestTrials()).map((x) => x.number)).toEqual([1, 2]);
  });

  it('bad constraint values give INVALID_CONSTRAINTS naming the value; names must match across trials', async () => {
    const study = await createStudy({ name: 'bad' });
    const t = await study.ask();
    expect(() => t.setConstraint('c', NaN)).toThrow(/trial 0: constraint "c" is NaN: constraint values must be finite numbers/);
    expect(() => t.setConstraint('c', Infinity)).toThrow(/constraint "c" is Infinity/);
    expect(() => t.setConstraint('c', '1' as unknown as number)).toThrow(/constraint "c" is "1"/);
    try {
      t.setConstraint('c', NaN);
    } catch (err) {
      expect((err as { code: string }).code).toBe('INVALID_CONSTRAINTS');
    }
    await rejects(study.tell(t, 1, { constraints: 5 as unknown as number[] }), 'INVALID_CONSTRAINTS', /constraints must be an array of numbers or an object of name → number, got 5/);
    await rejects(study.tell(t, 1, { constraints: [] }), 'INVALID_CONSTRAINTS', /constraints is an empty array/);
    await rejects(study.tell(t, 1, { constraints: [0, -Infinity] }), 'INVALID_CONSTRAINTS', /constraint "1" is -Infinity/);
    // Refused before anything changed: the trial is still RUNNING and can be told.
    expect((await study.tell(t, 1, { constraints: [0, -1] })).state).toBe('COMPLETE');
    const u = await study.ask();
    await rejects(study.tell(u, 2, { constraints: [0] }), 'INVALID_CONSTRAINTS', /constraints \["0"\] differ from this study's \["0","1"\]/);
    // The trial is not left RUNNING: it failed with the reason.
    const stored = (await study.trials())[1] as FrozenTrial;
    expect(stored.state).toBe('FAIL');
    expect(stored.systemAttrs.fail_reason).toMatch(/differ from this study's/);
    const w = await study.ask();
    w.setConstraint('other', 0);
    await rejects(study.tell(w, 2), 'INVALID_CONSTRAINTS', /\["other"\] differ/);
    const x = await study.ask();
    await study.tell(x, 3); // a trial without constraints is allowed (feasible)
    expect(trialConstraints((await study.trials())[3] as FrozenTrial)).toBeUndefined();
  });
});

describe('constrained samplers', () => {
  // Minimise (x − 0.8)² + (y − 0.8)² subject to x + y ≤ 1: optimum 0.18 at (0.5, 0.5).
  const objective = (t: import('../dist/index.js').Trial) => {
    const x = t.suggestFloat('x', 0, 1);
    const y = t.suggestFloat('y', 0, 1);
    t.setConstraint('c', x + y - 1);
    return (x - 0.8) ** 2 + (y - 0.8) ** 2;
  };

  it('GPSampler finds the constrained optimum and puts most late trials in the feasible region', async () => {
    const study = await createStudy({ sampler: new GPSampler({ seed: 3, nStartupTrials: 8 }), pruner: new NopPruner() });
    await study.optimize(objective, { nTrials: 30 });
    const best = await study.bestTrial();
    expect(best.values![0]).toBeGreaterThanOrEqual(0.18);
    expect(best.values![0]).toBeLessThan(0.19);
    const late = (await study.trials()).slice(-12);
    expect(late.filter((t) => totalViolation(t) <= 1e-3).length).toBeGreaterThanOrEqual(9);
  });

  it('TPESampler ranks infeasible trials after feasible ones (Optuna constrained TPE)', async () => {
    let withC = 0;
    let without = 0;
    const seeds = 12;
    for (let seed = 0; seed < seeds; seed++) {
      const a = await createStudy({ sampler: new TPESampler({ seed }), pruner: new NopPruner() });
      await a.optimize(objective, { nTrials: 40 });
      withC += (await a.trials()).slice(-20).filter(isFeasible).length;
      // The same objective with the constraint left out of the study (the value only).
      const b = await createStudy({ sampler: new TPESampler({ seed }), pruner: new NopPruner() });
      await b.optimize(
        (t) => {
          const x = t.suggestFloat('x', 0, 1);
          const y = t.suggestFloat('y', 0, 1);
          if (x + y <= 1) without++;
          return (x - 0.8) ** 2 + (y - 0.8) ** 2;
        },
        { nTrials: 40 },
      );
      expect((await a.bestTrial()).values![0]).toBeLessThan(0.3);
    }
    // Late trials: mostly feasible with the constraint, mostly not without it. Over these 12
    // seeds we measure 0.58 and 0.20; Optuna 5.1's constrained TPE gives 0.59 on the same setup
    // (the optimum sits on the constraint's boundary, so about half of a good sampler's late
    // trials land just outside it).
    expect(withC / (20 * seeds)).toBeGreaterThan(0.5);
    expect(without / (40 * seeds)).toBeLessThan(0.3);
  });

  it('constrained domination for NSGA-II: feasible before infeasible, infeasible by total violation', () => {
    const t = (c: number | undefined, state: 'COMPLETE' | 'FAIL' = 'COMPLETE') => ({ state, systemAttrs: c === undefined ? {} : { constraints: { c } } }) as unknown as FrozenTrial;
    const pool = [t(-1), t(2), t(0.5), t(undefined), t(undefined, 'FAIL')];
    const values = Float64Array.from([1, 5, 0, 0, 0, 0, 3, 2, NaN, NaN]);
    constrainedValues(pool, values, ['minimize', 'maximize']);
    // Worst feasible: objective 0 → 3 (min), objective 1 → 2 (max, i.e. −2 in min terms ⇒ worst −2).
    expect(Array.from(values)).toEqual([1, 5, 3 + 1 + 2, -(-2 + 1 + 2), 3 + 1 + 0.5, -(-2 + 1 + 0.5), 3, 2, NaN, NaN]);
  });

  it('GeneticSampler (NSGA-II) with a constraint: the Pareto front it reports is feasible and the last generation mostly so', async () => {
    const study = await createStudy({ directions: ['minimize', 'minimize'], sampler: new GeneticSampler({ populationSize: 12, seed: 4 }), pruner: new NopPruner() });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        const y = t.suggestFloat('y', 0, 1);
        t.setConstraint('c', 0.6 - x - y); // feasible when x + y ≥ 0.6
        return [x, y];
      },
      { nTrials: 72 },
    );
    const trials = await study.trials();
    const first = trials.slice(0, 12).filter(isFeasible).length;
    const last = trials.slice(-12).filter(isFeasible).length;
    expect(last).toBeGreaterThanOrEqual(10);
    expect(last).toBeGreaterThan(first);
    const front = await study.bestTrials();
    expect(front.length).toBeGreaterThan(0);
    for (const f of front) expect(isFeasible(f)).toBe(true);
  });
});

describe('CLI', () => {
  it('a result line {"value": 1.2, "constraints": [0.3, -1]} lands on the trial; bad constraints fail the trial with the reason', () => {
    const script = join(dir, 'constrained.mjs');
    writeFileSync(script, `const bad = process.argv[2] === '1';\nconsole.log(JSON.stringify(bad ? { value: 2, constraints: ['x'] } : { value: 1.2, constraints: [0.3, -1] }));\n`);
    const config = join(dir, 'constrained.json');
    writeFileSync(
      config,
      JSON.stringify({
        study: 'cli-c',
        storage: `sqlite:${join(dir, 'cli.db')}`,
        sampler: 'grid',
        nTrials: 2,
        space: { bad: { type: 'categorical', choices: [0, 1] } },
        objective: { command: [process.execPath, script, '{bad}'] },
      }),
    );
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const out = spawnSync(process.execPath, [cli, 'run', config, '--json'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(out.status, out.stderr).toBe(0);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .sort((p, q) => (p.number as number) - (q.number as number));
    const good = lines.find((l) => (l.params as { bad: number }).bad === 0)!;
    const bad = lines.find((l) => (l.params as { bad: number }).bad === 1)!;
    expect(good).toMatchObject({ state: 'COMPLETE', values: [1.2], constraints: { '0': 0.3, '1': -1 }, feasible: false });
    expect(bad.state).toBe('FAIL');
    expect(bad.reason).toMatch(/printed a result line with bad constraints: trial \d: constraint "0" is "x": constraint values must be finite numbers/);
  });
});
